//! The customer messages a load run sends: a TSV file's last column (mixed locales), or the
//! demo content's own examples when no file is given. Shuffled with a fixed seed so every run
//! sends the same texts in the same order and each connection sees every locale.

use std::path::Path;

use switchboard::content::Content;

/// A TSV file's texts: the last column of every line that is not empty or a `#` comment.
/// With `only`, keeps the lines where another column equals it (e.g. `sentences` in
/// `langid-dev.tsv`).
pub fn from_tsv(path: &Path, only: Option<&str>) -> Result<Vec<String>, String> {
    let body = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut texts: Vec<String> = body
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let columns: Vec<&str> = line.split('\t').collect();
            let (text, others) = columns.split_last()?;
            let keep = only.is_none_or(|o| others.contains(&o));
            (keep && !text.trim().is_empty()).then(|| text.trim().to_string())
        })
        .collect();
    if texts.is_empty() {
        return Err(format!("{} has no texts to send", path.display()));
    }
    shuffle(&mut texts);
    Ok(texts)
}

/// Every example of the content's intent stores, all locales mixed.
pub fn from_content(root: &Path) -> Result<Vec<String>, String> {
    let default = "en".parse().expect("a valid tag");
    let content = Content::load(root, &default).map_err(|problems| {
        format!(
            "the content in {} does not load ({} problems); run from the repository root or pass --texts",
            root.display(),
            problems.len()
        )
    })?;
    let mut texts: Vec<String> = content
        .examples
        .values()
        .flat_map(|e| e.by_intent.values().flatten().cloned())
        .collect();
    texts.sort();
    shuffle(&mut texts);
    Ok(texts)
}

/// Fisher–Yates with a fixed xorshift seed: the same order on every run.
fn shuffle(texts: &mut [String]) {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for i in (1..texts.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        texts.swap(i, (state % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_last_column_skips_comments_and_filters_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tsv");
        std::fs::write(
            &path,
            "# lang\tkind\ttext\nen\tsentences\tWhere is my order?\nfr\twords\tbonjour\n\nde\tsentences\tWo ist meine Bestellung?\n",
        )
        .unwrap();
        let mut all = from_tsv(&path, None).unwrap();
        all.sort();
        assert_eq!(
            all,
            ["Where is my order?", "Wo ist meine Bestellung?", "bonjour"]
        );
        assert_eq!(from_tsv(&path, Some("sentences")).unwrap().len(), 2);
        assert!(from_tsv(&path, Some("nothing")).is_err());
    }

    #[test]
    fn the_demo_content_gives_mixed_locales_in_a_fixed_order() {
        // The demo content is the product's, at the workspace root.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let a = from_content(&root).unwrap();
        let b = from_content(&root).unwrap();
        assert!(a.len() > 1000);
        assert_eq!(a, b);
    }
}

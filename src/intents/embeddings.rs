//! Optional pretrained semantics for the matcher: a table of static word-piece vectors
//! (distilled from a sentence encoder by `scripts/intent_distill.py`, as model2vec does). A
//! text's vector is the mean of its word pieces' vectors, normalised; the matcher appends it
//! to the TF-IDF vector as a dense block, so texts that share meaning but no words
//! ("cancel a transfer", "reverse a payment") get close.
//!
//! Word pieces as BERT's uncased tokenizer cuts them: each word of the normalised text
//! (lowercase, accents folded) whole if the table has it, else the longest known prefix, then
//! the longest known `##` continuations; a word that cannot be cut entirely counts for
//! nothing.

use std::collections::HashMap;

use super::features::normalize;

/// Reading a table failed.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddingsError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("not an embedding table: {0}")]
    Format(String),
}

const MAGIC: &[u8] = b"SBEMB1\n";
/// Longer words are not cut (BERT's limit).
const MAX_WORD_CHARS: usize = 100;

/// Static word-piece vectors (see the module's documentation).
#[derive(Debug, Clone)]
pub struct Embeddings {
    index: HashMap<String, u32>,
    dims: usize,
    vectors: Vec<f32>,
}

impl Embeddings {
    pub fn load(path: &std::path::Path) -> Result<Embeddings, EmbeddingsError> {
        let bytes = std::fs::read(path).map_err(|source| EmbeddingsError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Embeddings::from_bytes(&bytes)
    }

    /// Parses the table format `scripts/intent_distill.py` writes: the magic line, entries
    /// and dimensions (u32 LE), each entry's word piece (u16 LE length, UTF-8), then
    /// entries × dimensions f32 LE.
    pub fn from_bytes(bytes: &[u8]) -> Result<Embeddings, EmbeddingsError> {
        let format = |m: &str| EmbeddingsError::Format(m.to_string());
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| format("missing the SBEMB1 header"))?;
        let take = |rest: &mut &[u8], n: usize| -> Result<Vec<u8>, EmbeddingsError> {
            if rest.len() < n {
                return Err(format("truncated"));
            }
            let (head, tail) = rest.split_at(n);
            *rest = tail;
            Ok(head.to_vec())
        };
        let mut rest = rest;
        let u32_of = |b: Vec<u8>| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let entries = u32_of(take(&mut rest, 4)?);
        let dims = u32_of(take(&mut rest, 4)?);
        if dims == 0 {
            return Err(format("zero dimensions"));
        }
        let mut index = HashMap::with_capacity(entries);
        for row in 0..entries {
            let len = take(&mut rest, 2)?;
            let len = u16::from_le_bytes([len[0], len[1]]) as usize;
            let word = String::from_utf8(take(&mut rest, len)?)
                .map_err(|_| format("a word piece is not UTF-8"))?;
            index.insert(word, row as u32);
        }
        if rest.len() != entries * dims * 4 {
            return Err(format("the vectors do not match entries × dimensions"));
        }
        let vectors = rest
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(Embeddings {
            index,
            dims,
            vectors,
        })
    }

    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The word pieces of one normalised word, or nothing when it cannot be cut entirely.
    fn pieces(&self, word: &str, out: &mut Vec<u32>) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            return;
        }
        let mark = out.len();
        let mut start = 0;
        let mut piece = String::new();
        while start < chars.len() {
            let mut found = None;
            for end in (start + 1..=chars.len()).rev() {
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.extend(&chars[start..end]);
                if let Some(&row) = self.index.get(&piece) {
                    found = Some((row, end));
                    break;
                }
            }
            match found {
                Some((row, end)) => {
                    out.push(row);
                    start = end;
                }
                None => {
                    out.truncate(mark);
                    return;
                }
            }
        }
    }

    /// The text's vector: the mean of its word pieces' vectors, L2-normalised; `None` when no
    /// word of it is in the table.
    pub fn embed(&self, text: &str) -> Option<Vec<f32>> {
        let mut rows = Vec::new();
        for word in normalize(text).split_whitespace() {
            self.pieces(word, &mut rows);
        }
        if rows.is_empty() {
            return None;
        }
        let mut sum = vec![0.0f32; self.dims];
        for row in rows {
            let v = &self.vectors[row as usize * self.dims..(row as usize + 1) * self.dims];
            for (s, x) in sum.iter_mut().zip(v) {
                *s += x;
            }
        }
        let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 0.0).then(|| sum.into_iter().map(|x| x / norm).collect())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A table of `(piece, vector)` in the file format.
    pub(crate) fn table(entries: &[(&str, [f32; 2])]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend((entries.len() as u32).to_le_bytes());
        bytes.extend(2u32.to_le_bytes());
        for (word, _) in entries {
            bytes.extend((word.len() as u16).to_le_bytes());
            bytes.extend(word.as_bytes());
        }
        for (_, v) in entries {
            for x in v {
                bytes.extend(x.to_le_bytes());
            }
        }
        bytes
    }

    #[test]
    fn a_text_is_the_mean_of_its_word_pieces() {
        let e = Embeddings::from_bytes(&table(&[
            ("card", [1.0, 0.0]),
            ("pay", [0.0, 1.0]),
            ("##ment", [0.0, 1.0]),
        ]))
        .unwrap();
        // "payment" = pay + ##ment; "Card" folds to "card"; "zzz" cannot be cut.
        let v = e.embed("Card payment zzz").unwrap();
        let expected = [1.0 / 5f32.sqrt(), 2.0 / 5f32.sqrt()];
        assert!((v[0] - expected[0]).abs() < 1e-6 && (v[1] - expected[1]).abs() < 1e-6);
        assert_eq!(e.embed("zzz qqq"), None);
    }

    #[test]
    fn a_truncated_or_foreign_file_is_refused() {
        let bytes = table(&[("card", [1.0, 0.0])]);
        assert!(Embeddings::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Embeddings::from_bytes(b"GIF89a").is_err());
    }
}

//! Optional pretrained semantics for the matcher: a table of static word-piece vectors
//! (distilled from a sentence encoder by `scripts/intent_distill.py`, as model2vec does). A
//! text's vector is the mean of its word pieces' vectors, normalised; the matcher appends it
//! to the TF-IDF vector as a dense block, so texts that share meaning but no words
//! ("cancel a transfer", "reverse a payment") get close.
//!
//! Two kinds of table. `SBEMB1` (`scripts/intent_distill.py`, BERT-style): word pieces as
//! BERT's uncased tokenizer cuts them: each word of the normalised text (lowercase, accents
//! folded) whole if the table has it, else the longest known prefix, then the longest known
//! `##` continuations; a word that cannot be cut entirely counts for nothing. `SBEMB2`
//! (`scripts/intent_distill_e5.py`, SentencePiece unigram, e.g. multilingual-e5's XLM-R
//! vocabulary): each piece carries its log-probability; each whitespace-separated word of the
//! lowercased text (accents kept; lowercase won on the dev splits, xSID 87.3 against 86.7
//! with case kept) is prefixed with the word-start marker
//! "▁" and cut by the unigram Viterbi (the most probable sequence of known pieces, a character
//! no piece covers costing the lowest score − 10 and counting for nothing).

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
const MAGIC_UNIGRAM: &[u8] = b"SBEMB2\n";
/// SentencePiece's word-start marker.
const WORD_START: char = '\u{2581}';
/// Longer words are not cut (BERT's limit).
const MAX_WORD_CHARS: usize = 100;

/// Static word-piece vectors (see the module's documentation).
#[derive(Debug, Clone)]
pub struct Embeddings {
    index: HashMap<String, u32>,
    dims: usize,
    vectors: Vec<f32>,
    /// SentencePiece unigram tables only: each row's log-probability.
    unigram: Option<Unigram>,
}

#[derive(Debug, Clone)]
struct Unigram {
    scores: Vec<f32>,
    /// The score of a character no piece covers.
    unknown: f32,
    /// The longest piece, in characters.
    max_chars: usize,
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
    /// entries × dimensions f32 LE. `SBEMB2` (`scripts/intent_distill_e5.py`) is the same
    /// with each piece followed by its unigram log-probability (f32 LE).
    pub fn from_bytes(bytes: &[u8]) -> Result<Embeddings, EmbeddingsError> {
        let format = |m: &str| EmbeddingsError::Format(m.to_string());
        let (rest, unigram) = if let Some(rest) = bytes.strip_prefix(MAGIC) {
            (rest, false)
        } else if let Some(rest) = bytes.strip_prefix(MAGIC_UNIGRAM) {
            (rest, true)
        } else {
            return Err(format("missing the SBEMB1/SBEMB2 header"));
        };
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
        let mut scores = Vec::new();
        let mut max_chars = 1;
        for row in 0..entries {
            let len = take(&mut rest, 2)?;
            let len = u16::from_le_bytes([len[0], len[1]]) as usize;
            let word = String::from_utf8(take(&mut rest, len)?)
                .map_err(|_| format("a word piece is not UTF-8"))?;
            if unigram {
                let b = take(&mut rest, 4)?;
                scores.push(f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                max_chars = max_chars.max(word.chars().count());
            }
            index.insert(word, row as u32);
        }
        let unigram = unigram.then(|| Unigram {
            unknown: scores.iter().copied().fold(0.0f32, f32::min) - 10.0,
            scores,
            max_chars,
        });
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
            unigram,
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

    /// The pieces of one word (unigram tables): "▁" + word cut by the Viterbi over the
    /// pieces' log-probabilities; characters no piece covers are left out.
    fn unigram_pieces(&self, unigram: &Unigram, word: &str, out: &mut Vec<u32>) {
        let mut text = String::with_capacity(word.len() + 3);
        text.push(WORD_START);
        text.push_str(word);
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let n = bounds.len() - 1;
        if n > MAX_WORD_CHARS {
            return;
        }
        // best[e]: the best score of text[..e] (in characters), and its last piece.
        let mut best = vec![(f32::NEG_INFINITY, 0usize, u32::MAX); n + 1];
        best[0].0 = 0.0;
        for i in 0..n {
            let here = best[i].0;
            if here == f32::NEG_INFINITY {
                continue;
            }
            for e in i + 1..=n.min(i + unigram.max_chars) {
                if let Some(&row) = self.index.get(&text[bounds[i]..bounds[e]]) {
                    let score = here + unigram.scores[row as usize];
                    if score > best[e].0 {
                        best[e] = (score, i, row);
                    }
                }
            }
            let score = here + unigram.unknown;
            if score > best[i + 1].0 {
                best[i + 1] = (score, i, u32::MAX);
            }
        }
        let mark = out.len();
        let mut e = n;
        while e > 0 {
            let (_, from, row) = best[e];
            if row != u32::MAX {
                out.push(row);
            }
            e = from;
        }
        out[mark..].reverse();
    }

    /// The text's vector: the mean of its word pieces' vectors, L2-normalised; `None` when no
    /// word of it is in the table.
    pub fn embed(&self, text: &str) -> Option<Vec<f32>> {
        let mut rows = Vec::new();
        if let Some(unigram) = &self.unigram {
            for word in text.to_lowercase().split_whitespace() {
                self.unigram_pieces(unigram, word, &mut rows);
            }
        } else {
            for word in normalize(text).split_whitespace() {
                self.pieces(word, &mut rows);
            }
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
    fn a_unigram_table_cuts_words_by_the_most_probable_pieces() {
        // "▁unbreak": "▁un" + "break" (−2 −3 = −5) beats "▁unb" + "reak" (−1 −6 = −7)... and
        // "▁" + "unbreak" is not possible ("unbreak" is not a piece).
        let entries: &[(&str, f32, [f32; 2])] = &[
            ("\u{2581}un", -2.0, [1.0, 0.0]),
            ("break", -3.0, [0.0, 1.0]),
            ("\u{2581}unb", -1.0, [0.0, 0.0]),
            ("reak", -6.0, [5.0, 5.0]),
            ("\u{2581}", -4.0, [0.0, 3.0]),
        ];
        let mut bytes = MAGIC_UNIGRAM.to_vec();
        bytes.extend((entries.len() as u32).to_le_bytes());
        bytes.extend(2u32.to_le_bytes());
        for (piece, score, _) in entries {
            bytes.extend((piece.len() as u16).to_le_bytes());
            bytes.extend(piece.as_bytes());
            bytes.extend(score.to_le_bytes());
        }
        for (_, _, v) in entries {
            for x in v {
                bytes.extend(x.to_le_bytes());
            }
        }
        let e = Embeddings::from_bytes(&bytes).unwrap();
        let v = e.embed("unbreak").unwrap();
        let expected = [1.0 / 2f32.sqrt(), 1.0 / 2f32.sqrt()];
        assert!((v[0] - expected[0]).abs() < 1e-6 && (v[1] - expected[1]).abs() < 1e-6);
        // "▁" + unknown "z": the marker alone is a piece; "z" counts for nothing.
        assert_eq!(e.embed("z"), Some(vec![0.0, 1.0]));
        assert!(Embeddings::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    }

    #[test]
    fn a_truncated_or_foreign_file_is_refused() {
        let bytes = table(&[("card", [1.0, 0.0])]);
        assert!(Embeddings::from_bytes(&bytes[..bytes.len() - 1]).is_err());
        assert!(Embeddings::from_bytes(b"GIF89a").is_err());
    }
}

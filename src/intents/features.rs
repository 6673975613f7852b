//! Text normalisation and the sparse features the matcher compares.
//!
//! Spaced scripts give word unigrams, word bigrams and character n-grams inside words (which is
//! what makes "shiping" match "shipping"); unspaced scripts (Han, kana) give character
//! unigrams to trigrams. Accents are folded for Latin and Cyrillic, harakat dropped for Arabic,
//! so "devolucion" matches "devolución"; Devanagari and kana keep their marks, which carry
//! meaning there.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// A feature is a 64-bit hash of its kind and text; the top bit tells its [`Block`].
pub type Feature = u64;

/// Features come in two blocks, weighed separately by the matcher: whole words (and word
/// pairs), and character n-grams (inside words, and of unspaced scripts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Block {
    Words = 0,
    Characters = 1,
}

const BLOCK_BIT: u64 = 1 << 63;

/// The block `feature` belongs to.
pub fn block(feature: Feature) -> Block {
    if feature & BLOCK_BIT == 0 {
        Block::Words
    } else {
        Block::Characters
    }
}

/// Lowercases, folds accents where they are optional, and turns every non-alphanumeric
/// character into a space.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        // What the general path gives ASCII (no marks to fold, nothing to compose), in one
        // pass: long messages are mostly ASCII in the Latin-script locales.
        // (Sized up front: collecting `chars()` would grow the string a few times.)
        let mut out = String::with_capacity(text.len());
        out.extend(text.chars().map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        }));
        return out;
    }
    normalize_unicode(text)
}

/// [`normalize`]'s general path.
fn normalize_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut base_is_foldable = false;
    for c in text.nfkd() {
        if is_combining_mark(c) {
            if base_is_foldable || is_arabic_harakat(c) {
                continue;
            }
            out.push(c);
            continue;
        }
        base_is_foldable = is_foldable_base(c);
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                match lower {
                    'ı' => out.push('i'),
                    'ß' => out.push_str("ss"),
                    'ё' => out.push('е'),
                    // Arabic letter variants people type interchangeably.
                    'أ' | 'إ' | 'آ' => out.push('ا'),
                    'ى' => out.push('ي'),
                    'ة' => out.push('ه'),
                    other => out.push(other),
                }
            }
        } else if c == '\'' || c == '’' {
            // "where's" → "wheres", "l'adresse" → "ladresse" is worse; keep them apart.
            out.push(' ');
        } else {
            out.push(' ');
        }
    }
    out.nfc().collect()
}

fn is_foldable_base(c: char) -> bool {
    c.is_ascii_alphabetic()
        || ('\u{00C0}'..='\u{024F}').contains(&c)
        || ('\u{0400}'..='\u{04FF}').contains(&c)
}

fn is_arabic_harakat(c: char) -> bool {
    ('\u{064B}'..='\u{065F}').contains(&c) || c == '\u{0670}'
}

/// Han, Hiragana, Katakana: written without spaces between words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
    )
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn hash_chars(kind: u8, chars: &[char]) -> Feature {
    hash_parts(kind, &[chars])
}

/// The hash of the parts' characters one after the other, a space between two parts (a
/// word pair hashes as "first second"), without building that text.
fn hash_parts(kind: u8, parts: &[&[char]]) -> Feature {
    let mut h = FNV_OFFSET ^ u64::from(kind);
    h = h.wrapping_mul(FNV_PRIME);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= u64::from(u32::from(' '));
            h = h.wrapping_mul(FNV_PRIME);
        }
        for &c in part.iter() {
            h ^= u64::from(u32::from(c));
            h = h.wrapping_mul(FNV_PRIME);
        }
    }
    if kind == CHARGRAM || kind == CJK {
        h | BLOCK_BIT
    } else {
        h & !BLOCK_BIT
    }
}

const WORD: u8 = 1;
const BIGRAM: u8 = 2;
const CHARGRAM: u8 = 3;
const CJK: u8 = 4;

/// Which features a text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Analyzer {
    /// Character n-grams inside (padded) words, from `char_min` to `char_max` characters.
    pub char_min: usize,
    pub char_max: usize,
    /// Pairs of neighbouring words.
    pub word_bigrams: bool,
    /// Character n-grams of unspaced scripts (Han, kana), from 1 to `cjk_max` characters.
    pub cjk_max: usize,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            char_min: 3,
            char_max: 5,
            word_bigrams: true,
            cjk_max: 3,
        }
    }
}

/// The features of a text with the default [`Analyzer`].
pub fn features(text: &str) -> Vec<Feature> {
    Analyzer::default().features(text)
}

impl Analyzer {
    /// The features of a text, with repetitions (term frequency matters).
    pub fn features(&self, text: &str) -> Vec<Feature> {
        let normalized = normalize(text);
        let mut all: Vec<char> = Vec::with_capacity(normalized.len());
        all.extend(normalized.chars());
        let mut out = Vec::with_capacity(all.len() * 4);
        // The last word, as a range of `all` (a run of an unspaced script resets it).
        let mut previous_word: Option<(usize, usize)> = None;
        let mut padded: Vec<char> = Vec::with_capacity(32);
        let mut position = 0;
        while position < all.len() {
            if all[position].is_whitespace() {
                position += 1;
                continue;
            }
            let mut token_end = position + 1;
            while token_end < all.len() && !all[token_end].is_whitespace() {
                token_end += 1;
            }
            // Split a token into spaced and unspaced runs ("iphone15が壊れた").
            let mut start = position;
            while start < token_end {
                let unspaced = is_unspaced(all[start]);
                let mut end = start + 1;
                while end < token_end && is_unspaced(all[end]) == unspaced {
                    end += 1;
                }
                let run = &all[start..end];
                if unspaced {
                    cjk_features(run, self.cjk_max, &mut out);
                    previous_word = None;
                } else {
                    out.push(hash_chars(WORD, run));
                    if let (true, Some((a, b))) = (self.word_bigrams, previous_word) {
                        out.push(hash_parts(BIGRAM, &[&all[a..b], run]));
                    }
                    padded.clear();
                    padded.push('<');
                    padded.extend_from_slice(run);
                    padded.push('>');
                    for n in self.char_min..=self.char_max {
                        if padded.len() < n {
                            break;
                        }
                        for gram in padded.windows(n) {
                            out.push(hash_chars(CHARGRAM, gram));
                        }
                    }
                    previous_word = Some((start, end));
                }
                start = end;
            }
            position = token_end;
        }
        out
    }
}

/// The distinct whole words of a text in spaced scripts, as the [`Analyzer`] hashes them
/// (unspaced runs — Han, kana — give none): what a store's vocabulary is asked about.
pub fn words(text: &str) -> Vec<Feature> {
    let normalized = normalize(text);
    let mut out: Vec<Feature> = Vec::new();
    let mut run: Vec<char> = Vec::with_capacity(16);
    for token in normalized.split_whitespace() {
        run.clear();
        for c in token.chars() {
            if is_unspaced(c) {
                if !run.is_empty() {
                    out.push(hash_chars(WORD, &run));
                    run.clear();
                }
            } else {
                run.push(c);
            }
        }
        if !run.is_empty() {
            out.push(hash_chars(WORD, &run));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn cjk_features(run: &[char], max: usize, out: &mut Vec<Feature>) {
    for n in 1..=max {
        for gram in run.windows(n) {
            out.push(hash_chars(CJK, gram));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_analyzers_word_features_once_each() {
        let text = "¿Dónde está mi pedido? mi pedido iphone15が壊れた";
        let mut expected: Vec<Feature> = Analyzer::default()
            .features(text)
            .into_iter()
            .filter(|f| {
                ["donde", "esta", "mi", "pedido", "iphone15"]
                    .iter()
                    .any(|w| *f == hash_chars(WORD, &w.chars().collect::<Vec<_>>()))
            })
            .collect();
        expected.sort_unstable();
        expected.dedup();
        assert_eq!(words(text), expected);
        assert_eq!(words(text).len(), 5);
        assert!(words("注文はどこ").is_empty());
    }

    #[test]
    fn folds_accents_and_case_where_they_are_optional() {
        assert_eq!(
            normalize("¿Dónde está mi DEVOLUCIÓN?"),
            " donde esta mi devolucion "
        );
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Siparişim NEREDE"), "siparisim nerede");
        assert_eq!(normalize("ещё"), "еще");
        assert_eq!(normalize("أين طلبي"), "اين طلبي");
    }

    #[test]
    fn ascii_text_normalizes_as_the_general_path_does() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        for text in [
            "Where's MY order #42?",
            "l'adresse\tdu\r\nmagasin",
            every_ascii.as_str(),
        ] {
            assert_eq!(normalize(text), normalize_unicode(text), "{text:?}");
        }
    }

    #[test]
    fn a_word_pair_hashes_as_its_text_with_a_space() {
        let f = features("Ab cd");
        let pair: Vec<char> = "ab cd".chars().collect();
        assert!(f.contains(&hash_chars(BIGRAM, &pair)));
    }

    #[test]
    fn keeps_marks_that_carry_meaning() {
        assert_eq!(normalize("मेरा ऑर्डर"), "मेरा ऑर्डर");
        assert_eq!(normalize("が"), "が");
    }

    #[test]
    fn a_typo_shares_most_features_with_the_word() {
        let a: std::collections::HashSet<_> = features("shipping").into_iter().collect();
        let b: std::collections::HashSet<_> = features("shiping").into_iter().collect();
        let shared = a.intersection(&b).count();
        assert!(shared >= 4, "shared {shared}");
    }

    #[test]
    fn the_analyzer_sets_the_character_ngram_lengths() {
        // "<ab>": three 2-grams, two 3-grams, one 4-gram; and the word.
        let short = Analyzer {
            char_min: 2,
            char_max: 4,
            ..Analyzer::default()
        };
        assert_eq!(short.features("ab").len(), 7);
        // 3- to 5-grams: two 3-grams, one 4-gram.
        assert_eq!(features("ab").len(), 4);
        let no_pairs = Analyzer {
            word_bigrams: false,
            ..Analyzer::default()
        };
        assert_eq!(
            features("ab cd").len(),
            no_pairs.features("ab cd").len() + 1
        );
    }

    #[test]
    fn unspaced_text_gets_character_ngrams() {
        // 3 unigrams + 2 bigrams + 1 trigram
        assert_eq!(features("注文は").len(), 6);
        // mixed runs split: "iphone" as a word, "が壊れた" as CJK
        let f = features("iphoneが壊れた");
        assert!(f.contains(&hash_chars(WORD, &"iphone".chars().collect::<Vec<_>>())));
        assert!(f.contains(&hash_chars(CJK, &['壊', 'れ'])));
        assert!(f
            .iter()
            .all(|&x| block(x) == Block::Characters || x == f[0]));
        assert_eq!(block(f[0]), Block::Words);
    }
}

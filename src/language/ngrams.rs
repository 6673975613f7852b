//! The n-gram language model: lingua's published character 1- to 5-gram probabilities of the
//! 13 demo languages, merged by `build.rs` into one table per order (`table.rs`) and embedded
//! in the binary, read in place. One lookup gives an n-gram's probability in every language
//! that has it, so a text costs one lookup per n-gram instead of one per n-gram and language.
//!
//! Scoring follows lingua's high-accuracy detector: for each order, the sum over the text's
//! distinct n-grams of ln p in each language, an n-gram a language lacks backing off to its
//! longest prefix the language has; the sum over orders is divided by the number of the
//! text's letters the language knows. Two changes, measured on held-out lingua test lines
//! (`docs/ACCURACY.md`): each step of backing off costs [`BACKOFF_PENALTY`] (lingua adds
//! nothing for it, which favours languages that lack an n-gram), and long texts count every
//! order too (lingua counts trigrams only from 120 letters on; all orders are more accurate,
//! and give the 5-gram coverage the detector judges reliability by).

use std::sync::LazyLock;

use super::script::Words;
use super::table;

static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/ngrams.bin"));

/// The embedded model, parsed on first use (a header read: the table stays where it is).
pub static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(TABLE).expect("build.rs writes a valid n-gram table"));

/// Languages a model may hold (a `u16` mask selects among them).
pub const MAX_LANGUAGES: usize = 16;
/// Only the first words, up to this many letters, are scored: enough to tell (the longer
/// sentences of the test data are all right anyway) and the cost stays bounded.
pub const SCORED_LETTERS: usize = 100;
/// ln-probability cost of each order an n-gram backs off by.
pub const BACKOFF_PENALTY: f32 = -2.0;

#[derive(Debug, Clone, Copy)]
struct Order {
    slots: u32,
    slots_at: usize,
    postings_at: usize,
}

#[derive(Debug)]
pub struct Model {
    bytes: &'static [u8],
    languages: Vec<String>,
    orders: [Order; table::ORDERS],
}

/// An n-gram's (language, −ln p × SCALE) pairs.
enum Postings<'a> {
    None,
    Inline(u16),
    Run(&'a [u8], usize),
}

impl Iterator for Postings<'_> {
    type Item = (usize, u8);

    #[inline]
    fn next(&mut self) -> Option<(usize, u8)> {
        let p = match *self {
            Postings::None => return None,
            Postings::Inline(p) => {
                *self = Postings::None;
                p
            }
            Postings::Run(bytes, at) => {
                let p = table::read_u16(bytes, at);
                *self = if p & table::LAST != 0 {
                    Postings::None
                } else {
                    Postings::Run(bytes, at + 2)
                };
                p
            }
        };
        Some((usize::from((p >> 8) & 0x7f), p as u8))
    }
}

impl Model {
    fn parse(bytes: &'static [u8]) -> Result<Model, String> {
        if bytes.len() < table::HEADER_FIXED || &bytes[..4] != table::MAGIC {
            return Err("not an n-gram table".into());
        }
        if table::read_u32(bytes, 4) != table::VERSION {
            return Err("n-gram table of another version".into());
        }
        let count = table::read_u32(bytes, 8) as usize;
        if count > MAX_LANGUAGES {
            return Err(format!("{count} languages: at most {MAX_LANGUAGES}"));
        }
        let mut at = table::HEADER_FIXED;
        let mut languages = Vec::with_capacity(count);
        for _ in 0..count {
            let code = &bytes[at..at + 4];
            let len = code.iter().position(|b| *b == 0).unwrap_or(4);
            languages.push(String::from_utf8_lossy(&code[..len]).into_owned());
            at += 4;
        }
        let mut orders = [Order {
            slots: 0,
            slots_at: 0,
            postings_at: 0,
        }; table::ORDERS];
        for order in &mut orders {
            let field = |i: usize| table::read_u32(bytes, at + 4 * i);
            *order = Order {
                slots: field(0),
                slots_at: field(1) as usize,
                postings_at: field(3) as usize,
            };
            let postings_end = order.postings_at + 2 * field(2) as usize;
            if order.slots == 0
                || order.slots_at + 8 * order.slots as usize > bytes.len()
                || postings_end > bytes.len()
            {
                return Err("n-gram table truncated".into());
            }
            at += table::ORDER_ENTRY;
        }
        Ok(Model {
            bytes,
            languages,
            orders,
        })
    }

    /// ISO 639-1 codes, in the model's order (a language's index is its bit in masks).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.languages.iter().position(|l| l == code)
    }

    /// Bytes of the embedded table.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    #[inline]
    fn lookup(&self, order: usize, hash: u64) -> Postings<'_> {
        let o = self.orders[order - 1];
        let fingerprint = table::fingerprint(hash);
        let mut slot = table::home(hash, o.slots);
        loop {
            let at = o.slots_at + 8 * slot;
            let found = table::read_u32(self.bytes, at);
            if found == 0 {
                return Postings::None;
            }
            if found == fingerprint {
                let value = table::read_u32(self.bytes, at + 4);
                return if value & table::INLINE != 0 {
                    Postings::Inline(value as u16)
                } else {
                    Postings::Run(self.bytes, o.postings_at + 2 * value as usize)
                };
            }
            slot += 1;
            if slot == o.slots as usize {
                slot = 0;
            }
        }
    }

    /// ln p of a single letter in each language that has it (−∞ elsewhere).
    pub fn letter(&self, c: char) -> [f32; MAX_LANGUAGES] {
        let mut out = [f32::NEG_INFINITY; MAX_LANGUAGES];
        let hash = table::finish(table::step(table::start(), c));
        for (language, q) in self.lookup(1, hash) {
            out[language] = -f32::from(q) / table::SCALE;
        }
        out
    }

    /// Reads the slot of `hash` in `order`'s table where probing starts, and the postings
    /// it points to, so that both are in cache when [`Model::lookup`] needs them.
    #[inline]
    fn touch(&self, order: usize, hash: u64) -> u32 {
        let o = self.orders[order - 1];
        let at = o.slots_at + 8 * table::home(hash, o.slots);
        let value = table::read_u32(self.bytes, at + 4);
        if value & table::INLINE != 0 || table::read_u32(self.bytes, at) == 0 {
            return value;
        }
        u32::from(table::read_u16(
            self.bytes,
            o.postings_at + 2 * value as usize,
        ))
    }

    /// Scores `words` in the languages of `allowed` (a mask of model indices).
    pub fn score(&self, words: &Words, allowed: u16) -> Scores {
        let mut scores = Scores {
            score: [f32::NEG_INFINITY; MAX_LANGUAGES],
            found: [0; MAX_LANGUAGES],
            counted: 0,
            top_order: 0,
        };
        let orders = table::ORDERS;
        // The hashes of the n-grams starting at each letter, orders 1 to 5. (Orders have
        // tables of their own; across orders, hashes of different n-grams differ as surely.)
        let words = words.prefix(SCORED_LETTERS);
        let mut hashes: Vec<[u64; table::ORDERS]> = Vec::with_capacity(words.letters());
        let mut touched = 0u32;
        for word in words.iter() {
            for i in 0..word.len() {
                let mut at = [0u64; table::ORDERS];
                let mut hash = table::start();
                for k in 1..=(word.len() - i).min(orders) {
                    hash = table::step(hash, word[i + k - 1]);
                    at[k - 1] = table::finish(hash);
                    if k >= 2 {
                        // Read the big tables' slots for every place first: the reads do not
                        // wait on each other, so their cache misses overlap.
                        touched ^= self.touch(k, at[k - 1]);
                    }
                }
                hashes.push(at);
            }
        }
        std::hint::black_box(touched);

        let n = self.languages.len();
        let mut sums = [0f32; MAX_LANGUAGES];
        let mut known_letters = [0u32; MAX_LANGUAGES];
        let mut found = [[0u32; table::ORDERS + 1]; MAX_LANGUAGES];
        let mut counted = [0u32; table::ORDERS + 1];
        // Each distinct n-gram counts once (lingua scores the set of the text's n-grams).
        let mut seen = Seen::with_capacity(words.letters() * orders);
        let mut place = 0;
        for word in words.iter() {
            for i in 0..word.len() {
                let at = hashes[place];
                place += 1;
                let mut value = [0f32; MAX_LANGUAGES];
                let mut length = [0u8; MAX_LANGUAGES];
                let mut present: u16 = 0;
                let mut more = true;
                for k in 1..=(word.len() - i).min(orders) {
                    let hash = at[k - 1];
                    if more {
                        // A k-gram no language has: no longer one at this place either.
                        more = false;
                        for (language, q) in self.lookup(k, hash) {
                            if allowed & (1 << language) != 0 {
                                value[language] = -f32::from(q) / table::SCALE;
                                length[language] = k as u8;
                                present |= 1 << language;
                                more = true;
                            }
                        }
                    }
                    if !seen.insert(hash) {
                        continue;
                    }
                    counted[k] += 1;
                    let mut rest = present;
                    while rest != 0 {
                        let language = rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        let backoff = f32::from(k as u8 - length[language]);
                        sums[language] += value[language] + BACKOFF_PENALTY * backoff;
                        if usize::from(length[language]) == k {
                            found[language][k] += 1;
                            if k == 1 {
                                known_letters[language] += 1;
                            }
                        }
                    }
                }
            }
        }
        let top = (1..=orders).rev().find(|k| counted[*k] > 0).unwrap_or(0);
        scores.top_order = top;
        scores.counted = counted[top];
        for language in 0..n {
            if allowed & (1 << language) == 0 || sums[language] == 0.0 {
                continue;
            }
            let mut s = sums[language];
            if known_letters[language] > 0 {
                s /= known_letters[language] as f32;
            }
            scores.score[language] = s;
            scores.found[language] = found[language][top];
        }
        scores
    }
}

/// What the model made of a text.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Per model language: higher is likelier; −∞ for languages not scored.
    pub score: [f32; MAX_LANGUAGES],
    /// Per language: the text's n-grams of the highest order counted that the language has.
    pub found: [u32; MAX_LANGUAGES],
    /// The text's distinct n-grams of that order.
    pub counted: u32,
    pub top_order: usize,
}

impl Scores {
    /// The best and second-best languages (model indices), if any was scored.
    pub fn ranked(&self) -> (Option<usize>, Option<usize>) {
        let mut best: Option<usize> = None;
        let mut second: Option<usize> = None;
        for (language, s) in self.score.iter().enumerate() {
            if *s == f32::NEG_INFINITY {
                continue;
            }
            if best.is_none_or(|b| *s > self.score[b]) {
                second = best;
                best = Some(language);
            } else if second.is_none_or(|b| *s > self.score[b]) {
                second = Some(language);
            }
        }
        (best, second)
    }

    /// The share of the text's top-order n-grams `language` has (how well it explains it).
    pub fn coverage(&self, language: usize) -> f32 {
        if self.counted == 0 {
            0.0
        } else {
            self.found[language] as f32 / self.counted as f32
        }
    }
}

/// A small set of n-gram hashes (open addressing; the text decides its size).
struct Seen {
    slots: Vec<u64>,
}

impl Seen {
    fn with_capacity(n: usize) -> Seen {
        Seen {
            slots: vec![0; (2 * n).next_power_of_two().max(16)],
        }
    }

    /// True when `hash` (well mixed already) was not in the set.
    #[inline]
    fn insert(&mut self, hash: u64) -> bool {
        let key = hash | 1;
        let mask = self.slots.len() - 1;
        let mut at = (key >> 20) as usize & mask;
        loop {
            match self.slots[at] {
                0 => {
                    self.slots[at] = key;
                    return true;
                }
                k if k == key => return false,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(text: &str) -> String {
        let model = &*MODEL;
        let scores = model.score(&Words::split(text), u16::MAX);
        MODEL.languages()[scores.ranked().0.unwrap()].clone()
    }

    #[test]
    fn the_embedded_table_holds_the_thirteen_demo_languages() {
        let codes: Vec<&str> = MODEL.languages().iter().map(String::as_str).collect();
        for code in [
            "en", "es", "fr", "de", "pt", "it", "nl", "ru", "tr", "ar", "hi", "zh", "ja",
        ] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
        assert!(MODEL.letter('e')[MODEL.index_of("en").unwrap()] > -5.0);
        assert_eq!(
            MODEL.letter('我')[MODEL.index_of("en").unwrap()],
            f32::NEG_INFINITY
        );
        assert!(MODEL.letter('我')[MODEL.index_of("zh").unwrap()] > f32::NEG_INFINITY);
    }

    #[test]
    fn single_words_score_highest_in_their_language() {
        assert_eq!(best("Bestellung"), "de");
        assert_eq!(best("commande"), "fr");
        assert_eq!(best("devolución"), "es");
        assert_eq!(best("encomenda"), "pt");
        assert_eq!(best("ordinazione"), "it");
        assert_eq!(best("bestelling"), "nl");
        assert_eq!(best("sipariş"), "tr");
        assert_eq!(best("shipping"), "en");
    }

    #[test]
    fn a_mask_restricts_the_languages_scored() {
        let de = MODEL.index_of("de").unwrap();
        let nl = MODEL.index_of("nl").unwrap();
        let scores = MODEL.score(&Words::split("Bestellung"), 1 << nl);
        assert_eq!(scores.ranked(), (Some(nl), None));
        assert_eq!(scores.score[de], f32::NEG_INFINITY);
    }
}

//! The n-gram language model: lingua's published character 1- to 5-gram probabilities of its
//! 75 languages, merged by `build.rs` into one table per order (`table.rs`) and embedded
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

/// The table, aligned so that its buckets are cache lines.
#[repr(C, align(64))]
struct Aligned<B: ?Sized>(B);
static ALIGNED: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/ngrams.bin")));

/// The embedded model, parsed on first use (a header read: the table stays where it is).
pub static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::parse(&ALIGNED.0).expect("build.rs writes a valid n-gram table"));

/// A set of model languages: bit i = language i.
pub type Mask = u128;
/// Languages a model may hold (a [`Mask`] selects among them).
pub const MAX_LANGUAGES: usize = Mask::BITS as usize;
/// Only the first words, up to this many letters, are scored: enough to tell (the longer
/// sentences of the test data are all right anyway) and the cost stays bounded.
pub const SCORED_LETTERS: usize = 100;
/// ln-probability cost of each order an n-gram backs off by.
pub const BACKOFF_PENALTY: f32 = -2.0;
/// The same, in the table's units (tenths of a nat, as a positive cost).
const BACKOFF_COST: u32 = (-BACKOFF_PENALTY * table::SCALE) as u32;

#[derive(Debug, Clone, Copy)]
struct Order {
    homes: u32,
    buckets_at: usize,
}

/// The embedded table, laid out for the lookups of one order at a time; the out-of-line lists
/// follow the last order's buckets (`lists_at`).
#[derive(Debug)]
pub struct Model {
    bytes: &'static [u8],
    languages: Vec<String>,
    orders: [Order; table::ORDERS],
    lists_at: usize,
}

/// An n-gram found in the table: (language index, −ln p × SCALE) for each language that has
/// it, in the order of the indices.
#[derive(Debug, Clone, Copy)]
struct Found {
    pairs: &'static [u8],
}

impl Found {
    /// (language, −ln p × SCALE) for the languages of `allowed` that have the n-gram.
    #[inline]
    fn each(self, allowed: Mask, mut f: impl FnMut(usize, u8)) {
        for pair in self.pairs.chunks_exact(table::PAIR) {
            let language = usize::from(pair[0]);
            if allowed & (1 << language) != 0 {
                f(language, pair[1]);
            }
        }
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
            homes: 0,
            buckets_at: 0,
        }; table::ORDERS];
        let lists_at = table::read_u32(bytes, at + 12) as usize;
        if lists_at > bytes.len() {
            return Err("n-gram table truncated".into());
        }
        for order in &mut orders {
            let field = |i: usize| table::read_u32(bytes, at + 4 * i);
            *order = Order {
                homes: field(0),
                buckets_at: field(2) as usize,
            };
            let buckets = field(1) as usize;
            if order.homes == 0
                || buckets < order.homes as usize
                || order.buckets_at % table::BUCKET != 0
                || order.buckets_at + table::BUCKET * buckets > bytes.len()
                || bytes[order.buckets_at + table::BUCKET * (buckets - 1)] & table::OVERFLOW != 0
            {
                return Err("n-gram table truncated".into());
            }
            at += table::ORDER_ENTRY;
        }
        Ok(Model {
            bytes,
            languages,
            orders,
            lists_at,
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
    fn home_bucket(&self, order: usize, hash: u64) -> usize {
        let o = self.orders[order - 1];
        o.buckets_at + table::BUCKET * table::home(hash, o.homes)
    }

    #[inline]
    fn lookup(&self, order: usize, hash: u64) -> Option<Found> {
        let fingerprint = table::fingerprint(hash);
        let mut at = self.home_bucket(order, hash);
        loop {
            let bucket: &'static [u8; table::BUCKET] = self.bytes[at..at + table::BUCKET]
                .try_into()
                .expect("a whole bucket");
            let head = bucket[0];
            let mut r = 1;
            for _ in 0..head & table::COUNT {
                let word = table::read_u32(bucket, r);
                let count = word >> table::LANGUAGES_SHIFT;
                let pairs_at = r + table::RECORD_FIXED;
                let end = if count == table::OUT_OF_LINE {
                    pairs_at + 4
                } else {
                    pairs_at + table::PAIR * count as usize
                };
                if word & table::FINGERPRINT == fingerprint {
                    let pairs = if count == table::OUT_OF_LINE {
                        let at = self.lists_at + table::read_u32(bucket, pairs_at) as usize;
                        let n = usize::from(self.bytes[at]);
                        &self.bytes[at + 1..at + 1 + table::PAIR * n]
                    } else {
                        &bucket[pairs_at..end]
                    };
                    return Some(Found { pairs });
                }
                r = end;
            }
            if head & table::OVERFLOW == 0 {
                return None;
            }
            at += table::BUCKET;
        }
    }

    /// ln p of a single letter in each language that has it (−∞ elsewhere).
    pub fn letter(&self, c: char) -> [f32; MAX_LANGUAGES] {
        let mut out = [f32::NEG_INFINITY; MAX_LANGUAGES];
        let hash = table::finish(table::step(table::start(), c));
        if let Some(found) = self.lookup(1, hash) {
            found.each(Mask::MAX, |language, q| {
                out[language] = -f32::from(q) / table::SCALE;
            });
        }
        out
    }

    /// Reads the home bucket of `hash` in `order`'s table, so that it is in cache when
    /// [`Model::lookup`] needs it.
    #[inline]
    fn touch(&self, order: usize, hash: u64) -> u8 {
        self.bytes[self.home_bucket(order, hash)]
    }

    /// Scores `words` in the languages of `allowed` (a mask of model indices).
    pub fn score(&self, words: &Words, allowed: Mask) -> Scores {
        SCRATCH.with_borrow_mut(|scratch| self.score_with(words, allowed, scratch))
    }

    fn score_with(&self, words: &Words, allowed: Mask, scratch: &mut Scratch) -> Scores {
        let mut scores = Scores {
            score: [f32::NEG_INFINITY; MAX_LANGUAGES],
            found: [0; MAX_LANGUAGES],
            counted: 0,
            top_order: 0,
        };
        let orders = table::ORDERS;
        // The hashes of the n-grams starting at each letter, orders 1 to 5. (Orders have
        // tables of their own; across orders, hashes of different n-grams differ as surely.)
        let spans = words.prefix_spans(SCORED_LETTERS);
        let letters = spans.last().map_or(0, |(_, end)| *end);
        let hashes = &mut scratch.hashes;
        hashes.clear();
        let mut touched = 0u8;
        for &(start, end) in spans {
            let word = &words.chars[start..end];
            for i in 0..word.len() {
                let mut at = [0u64; table::ORDERS];
                let mut hash = table::start();
                for k in 1..=(word.len() - i).min(orders) {
                    hash = table::step(hash, word[i + k - 1]);
                    at[k - 1] = table::finish(hash);
                    if k >= 2 {
                        // Read the big tables' buckets for every place first: the reads do
                        // not wait on each other, so their cache misses overlap.
                        touched ^= self.touch(k, at[k - 1]);
                    }
                }
                hashes.push(at);
            }
        }
        std::hint::black_box(touched);

        let n = self.languages.len();
        // Per language: the sum of −ln p × SCALE (and of the back-off costs), in integers.
        let mut sums = [0u32; MAX_LANGUAGES];
        let mut known_letters = [0u32; MAX_LANGUAGES];
        let mut found = [[0u32; table::ORDERS + 1]; MAX_LANGUAGES];
        let mut counted = [0u32; table::ORDERS + 1];
        // Each distinct n-gram counts once (lingua scores the set of the text's n-grams).
        let seen = &mut scratch.seen;
        seen.clear_for(letters * orders);
        let mut place = 0;
        for &(start, end) in spans {
            let word_len = end - start;
            for i in 0..word_len {
                let at = hashes[place];
                place += 1;
                let mut cost = [0u8; MAX_LANGUAGES];
                let mut length = [0u8; MAX_LANGUAGES];
                let mut present: Mask = 0;
                let mut more = true;
                for k in 1..=(word_len - i).min(orders) {
                    let hash = at[k - 1];
                    if more {
                        // A k-gram no language has: no longer one at this place either.
                        more = false;
                        if let Some(hit) = self.lookup(k, hash) {
                            hit.each(allowed, |language, q| {
                                cost[language] = q;
                                length[language] = k as u8;
                                present |= 1 << language;
                                more = true;
                            });
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
                        let backoff = u32::from(k as u8 - length[language]);
                        sums[language] += u32::from(cost[language]) + BACKOFF_COST * backoff;
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
            if allowed & (1 << language) == 0 || sums[language] == 0 {
                continue;
            }
            let mut s = -(sums[language] as f32) / table::SCALE;
            if known_letters[language] > 0 {
                s /= known_letters[language] as f32;
            }
            scores.score[language] = s;
            scores.found[language] = found[language][top];
        }
        scores
    }
}

/// Buffers a thread's detections reuse: the n-gram hashes of a text, and its set of n-grams.
struct Scratch {
    hashes: Vec<[u64; table::ORDERS]>,
    seen: Seen,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = const {
        std::cell::RefCell::new(Scratch {
            hashes: Vec::new(),
            seen: Seen { slots: Vec::new() },
        })
    };
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
    /// Empties the set and sizes it for `n` hashes.
    fn clear_for(&mut self, n: usize) {
        let size = (2 * n).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(size, 0);
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

    const DEMO: [&str; 13] = [
        "en", "es", "fr", "de", "pt", "it", "nl", "ru", "tr", "ar", "hi", "zh", "ja",
    ];

    fn mask(codes: &[&str]) -> Mask {
        codes
            .iter()
            .map(|c| MODEL.index_of(c).unwrap())
            .fold(0, |m, i| m | (1 << i))
    }

    fn best_of(text: &str, codes: &[&str]) -> String {
        let scores = MODEL.score(&Words::split(text), mask(codes));
        MODEL.languages()[scores.ranked().0.unwrap()].clone()
    }

    fn best(text: &str) -> String {
        best_of(text, &DEMO)
    }

    #[test]
    fn the_embedded_table_holds_all_of_linguas_languages_demo_ones_first() {
        assert_eq!(MODEL.languages().len(), 75);
        assert_eq!(&MODEL.languages()[..13], &DEMO);
        for code in ["pl", "sv", "ko", "uk", "el", "he", "fa", "vi", "id", "sw"] {
            assert!(MODEL.index_of(code).is_some(), "{code}");
        }
        // 'ł' is Polish; English text has it only in names (about e^−14.7).
        assert!(MODEL.letter('ł')[MODEL.index_of("pl").unwrap()] > -8.0);
        assert!(MODEL.letter('ł')[MODEL.index_of("en").unwrap()] < -14.0);
        // 'e' is in nearly every Latin-script language: its pairs are out of line.
        let with_e = MODEL.letter('e').iter().filter(|p| p.is_finite()).count();
        assert!(with_e > table::INLINE, "{with_e}");
    }

    #[test]
    fn added_languages_score_highest_among_the_demo_ones_and_them() {
        let mut codes = DEMO.to_vec();
        codes.extend(["pl", "sv", "ko", "uk"]);
        assert_eq!(best_of("zamówienie", &codes), "pl");
        assert_eq!(best_of("beställning", &codes), "sv");
        assert_eq!(best_of("замовлення", &codes), "uk");
        assert_eq!(best_of("заказ", &codes), "ru");
        assert_eq!(best_of("Bestellung", &codes), "de");
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
        assert_eq!(
            MODEL.score(&Words::split("Bestellung"), 0).ranked(),
            (None, None)
        );
        assert_eq!(scores.ranked(), (Some(nl), None));
        assert_eq!(scores.score[de], f32::NEG_INFINITY);
    }
}

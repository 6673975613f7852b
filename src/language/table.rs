//! The binary layout of the n-gram table, shared by `build.rs` (which writes it from lingua's
//! published language models) and [`super::ngrams`] (which reads it, in place, from the bytes
//! the build embeds). Everything is little-endian; nothing here allocates.
//!
//! ```text
//! header   "SBNG" | version u32 | languages u32 | per language: ISO 639-1 code, 4 bytes
//!          per order 1..=5: home buckets u32 | buckets u32 | buckets offset u32 | lists
//!          offset u32 (the same in every order)
//!          zeros up to a multiple of BUCKET bytes
//! buckets  per order, BUCKET bytes each, aligned to BUCKET in the file:
//!          head u8 (records in the bucket, bits 0..6; OVERFLOW, bit 7) | records | zeros
//! record   fingerprint (bits 0..27) and number of languages (bits 28..31) u32
//!          | per language, in the order of the language indices: index u8 | quantised −ln p u8
//!          or, for an n-gram of more than INLINE languages (number OUT_OF_LINE):
//!          offset u32 of its list in the lists area
//! lists    after the last order's buckets: number of languages u8 | pairs as in a record
//! ```
//!
//! Records carry their languages' indices, not a mask, so the table holds any number of
//! languages (all 75 of lingua's: docs/ACCURACY.md, issue 21). The few n-grams most languages
//! have (letters, common bigrams: at most 49 languages) keep their pairs out of line, so a
//! record always fits a bucket.
//!
//! An n-gram is found by its 64-bit hash: the low 32 bits choose its home bucket
//! (`low × homes >> 32`), 28 of the high 32 bits are its fingerprint. A record lives in its home
//! bucket or, when that was full, in one of the buckets after it; every bucket a record was
//! pushed past has OVERFLOW set, so a lookup reads buckets from the home one until it finds
//! the fingerprint or has read a bucket without OVERFLOW. A bucket is one cache line: most
//! lookups read one line, which holds the n-gram's probability in every language that has
//! it. Two different n-grams of one order share a fingerprint in the buckets read with a
//! chance of about 2⁻²⁶ per lookup (a few records are compared).

pub const MAGIC: &[u8; 4] = b"SBNG";
pub const VERSION: u32 = 3;
/// n-gram orders 1 to 5, as lingua's models have them.
pub const ORDERS: usize = 5;
/// −ln p is stored in tenths of a nat (lingua's smallest probabilities are about e^−18.5).
pub const SCALE: f32 = 10.0;
pub const HEADER_FIXED: usize = 12;
pub const ORDER_ENTRY: usize = 16;
/// Bytes of a bucket: one cache line.
pub const BUCKET: usize = 64;
/// A bucket's head: records in it (bits 0..6), and whether records homed here or before it
/// were pushed past it (bit 7).
pub const COUNT: u8 = 0x7f;
pub const OVERFLOW: u8 = 0x80;
/// Bytes of a record before its (language, −ln p) pairs: fingerprint and number of languages.
pub const RECORD_FIXED: usize = 4;
/// Bytes of one (language, −ln p) pair.
pub const PAIR: usize = 2;
/// Most languages a record holds in its bucket (build.rs; the tests).
#[allow(dead_code)]
pub const INLINE: usize = 14;
/// The number of languages of a record whose pairs are out of line (a u32 offset follows).
pub const OUT_OF_LINE: u32 = 15;
/// The fingerprint's bits in a record's first word; the bits above are its languages.
pub const FINGERPRINT: u32 = 0x0fff_ffff;
pub const LANGUAGES_SHIFT: u32 = 28;

const SEED: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// The hash of the empty n-gram; [`step`] extends it by one character.
#[inline]
pub fn start() -> u64 {
    SEED
}

#[inline]
pub fn step(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(c)).wrapping_mul(PRIME)
}

/// The well-mixed hash an n-gram is stored under (a splitmix64 finaliser over FNV-1a).
#[inline]
pub fn finish(hash: u64) -> u64 {
    let mut z = hash.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[inline]
pub fn fingerprint(hash: u64) -> u32 {
    (hash >> 32) as u32 & FINGERPRINT
}

/// The home bucket of `hash` in a table of `homes` home buckets.
#[inline]
pub fn home(hash: u64, homes: u32) -> usize {
    ((u64::from(hash as u32) * u64::from(homes)) >> 32) as usize
}

#[inline]
pub fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let b: [u8; 4] = bytes[at..at + 4].try_into().expect("four bytes");
    u32::from_le_bytes(b)
}

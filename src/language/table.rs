//! The binary layout of the n-gram table, shared by `build.rs` (which writes it from lingua's
//! published language models) and [`super::ngrams`] (which reads it, in place, from the bytes
//! the build embeds). Everything is little-endian; nothing here allocates.
//!
//! ```text
//! header   "SBNG" | version u32 | languages u32 | per language: ISO 639-1 code, 4 bytes
//!          per order 1..=5: slots u32 | slots offset u32      | postings u32 | postings offset u32
//! slots    per order: [fingerprint u32, value u32] × slots (fingerprint 0 = empty)
//! postings [u16]: language (bits 8..14) | last of its run (bit 15) | quantised −ln p (bits 0..7)
//! ```
//!
//! A slot's value is either one posting inline (bit 31 set) or the index of the first posting
//! of its run. An n-gram is found by its 64-bit hash: the low 32 bits place it (linear probing
//! from `low × slots >> 32`), the high 32 bits are its fingerprint. Two different n-grams of
//! one order share a fingerprint in the probed run with a chance of about 2⁻³⁰ per lookup.

pub const MAGIC: &[u8; 4] = b"SBNG";
pub const VERSION: u32 = 1;
/// n-gram orders 1 to 5, as lingua's models have them.
pub const ORDERS: usize = 5;
/// −ln p is stored in tenths of a nat (lingua's smallest probabilities are about e^−18.5).
pub const SCALE: f32 = 10.0;
pub const HEADER_FIXED: usize = 12;
pub const ORDER_ENTRY: usize = 16;
pub const INLINE: u32 = 1 << 31;
pub const LAST: u16 = 1 << 15;

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
    ((hash >> 32) as u32).max(1)
}

/// The first slot probed for `hash` in a table of `slots` slots.
#[inline]
pub fn home(hash: u64, slots: u32) -> usize {
    ((u64::from(hash as u32) * u64::from(slots)) >> 32) as usize
}

#[inline]
pub fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let b: [u8; 4] = bytes[at..at + 4].try_into().expect("four bytes");
    u32::from_le_bytes(b)
}

#[inline]
pub fn read_u16(bytes: &[u8], at: usize) -> u16 {
    let b: [u8; 2] = bytes[at..at + 2].try_into().expect("two bytes");
    u16::from_le_bytes(b)
}

//! Personal data in customers' words: what is kept beyond the live transcript (the queue's
//! preview of a waiting conversation, the hand-off reason an agent sees as context) and what
//! may reach a log line goes through [`redact`] first. E-mail addresses, phone numbers and
//! payment card numbers become `[email]`, `[phone]` and `[card]`.
//!
//! Card numbers are 13–19 digits (in groups of any shape) that pass the Luhn check, so order
//! numbers (5–12 digits) and most other long numbers are left as they are. Phone numbers are
//! international (`+` or `00`, 8–15 digits), national ones written in groups (9–15 digits), or
//! a run of 10–11 digits starting with 0. Digits may be ASCII, Arabic-Indic, Devanagari or
//! full-width.
//!
//! Erasing a session on request is an admin endpoint: [`crate::admin::erase`].

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

pub const EMAIL: &str = "[email]";
pub const PHONE: &str = "[phone]";
pub const CARD: &str = "[card]";

static EMAIL_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}")
        .expect("e-mail pattern is valid")
});

/// Digit groups separated by one space, dash or dot: where card numbers are looked for.
static DIGIT_GROUPS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:[ \-.]\d+)*").expect("digit group pattern is valid"));

static PHONE_PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // International: +44 20 7946 0958, +1 (555) 123-4567, 0049 30 1234567.
        r"(?:\+|\b00)\d{1,4}(?:[ .\-]?\(?\d+\)?)+",
        // National, in groups: (555) 123-4567, 06 12 34 56 78, 030 1234567.
        r"|\(?\b\d{2,5}\)?(?:[ .\-]\d{2,5}){1,5}\b",
        // A run of digits that starts with a trunk prefix: 0612345678.
        r"|\b0\d{9,10}\b",
    ))
    .expect("phone pattern is valid")
});

/// A digit's value, for the digits customers type (ASCII, Arabic-Indic, Extended
/// Arabic-Indic, Devanagari, full-width).
fn digit_value(c: char) -> Option<u32> {
    let zero = match c {
        '0'..='9' => '0',
        '\u{0660}'..='\u{0669}' => '\u{0660}',
        '\u{06F0}'..='\u{06F9}' => '\u{06F0}',
        '\u{0966}'..='\u{096F}' => '\u{0966}',
        '\u{FF10}'..='\u{FF19}' => '\u{FF10}',
        _ => return None,
    };
    Some(u32::from(c) - u32::from(zero))
}

/// The digits of `text`, in order (`None` if one is not a digit we know).
fn digits(text: &str) -> Option<Vec<u32>> {
    text.chars()
        .filter(|c| c.is_numeric())
        .map(digit_value)
        .collect()
}

/// The Luhn checksum (ISO/IEC 7812) of payment card numbers.
pub fn luhn_valid(digits: &[u32]) -> bool {
    if digits.len() < 2 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_card(text: &str) -> bool {
    digits(text).is_some_and(|d| (13..=19).contains(&d.len()) && luhn_valid(&d))
}

/// Replaces card numbers inside one run of digit groups: the longest span of whole groups
/// from each group on that is a valid card number.
fn redact_cards_in(run: &str, out: &mut String) {
    // Group boundaries: (start, end) byte offsets of each digit group.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in run.char_indices() {
        match (c.is_numeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                groups.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        groups.push((s, run.len()));
    }
    let mut written = 0;
    let mut i = 0;
    while i < groups.len() {
        let found = (i..groups.len())
            .rev()
            .find(|&j| is_card(&run[groups[i].0..groups[j].1]));
        match found {
            Some(j) => {
                out.push_str(&run[written..groups[i].0]);
                out.push_str(CARD);
                written = groups[j].1;
                i = j + 1;
            }
            None => i += 1,
        }
    }
    out.push_str(&run[written..]);
}

fn redact_cards(text: &str) -> Cow<'_, str> {
    if !DIGIT_GROUPS
        .find_iter(text)
        .any(|m| digits(m.as_str()).is_some_and(|d| d.len() >= 13))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in DIGIT_GROUPS.find_iter(text) {
        out.push_str(&text[last..m.start()]);
        redact_cards_in(m.as_str(), &mut out);
        last = m.end();
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

fn redact_phones(text: &str) -> Cow<'_, str> {
    PHONE_PATTERN.replace_all(text, |caps: &regex::Captures| {
        let found = &caps[0];
        let count = found.chars().filter(|c| c.is_numeric()).count();
        let international = found.starts_with('+') || found.starts_with("00");
        let plausible = if international {
            (8..=15).contains(&count)
        } else {
            (9..=15).contains(&count)
        };
        if plausible {
            PHONE.to_string()
        } else {
            found.to_string()
        }
    })
}

/// `text` with e-mail addresses, phone numbers and card numbers replaced.
pub fn redact(text: &str) -> Cow<'_, str> {
    let cards = redact_cards(text);
    let emails = match EMAIL_PATTERN.replace_all(&cards, EMAIL) {
        Cow::Borrowed(_) => cards,
        Cow::Owned(s) => Cow::Owned(s),
    };
    match redact_phones(&emails) {
        Cow::Borrowed(_) => emails,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// `text` made safe for a log line: personal data redacted, control characters escaped (no
/// forged lines), at most 80 characters.
pub fn for_log(text: &str) -> String {
    let redacted = redact(text);
    let mut out: String = redacted
        .chars()
        .take(80)
        .flat_map(char::escape_debug)
        .collect();
    if redacted.chars().count() > 80 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_redacted() {
        assert_eq!(
            redact("write to ana.lopez+shop@correo.example.es please"),
            "write to [email] please"
        );
        assert_eq!(redact("mi correo: josé@dominio.mx"), "mi correo: [email]");
    }

    #[test]
    fn card_numbers_that_pass_luhn_are_redacted_in_any_grouping() {
        for card in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "3782 822463 10005",
            "5500 0000 0000 0004",
        ] {
            assert_eq!(
                redact(&format!("my card {card} was declined")),
                "my card [card] was declined",
                "{card}"
            );
        }
        assert_eq!(
            redact("card 4111111111111111 order 48213377"),
            "card [card] order 48213377"
        );
        assert_eq!(
            redact("4111 1111 1111 1111 1234"),
            "[card] 1234",
            "a card number followed by more digits"
        );
    }

    #[test]
    fn order_numbers_and_other_numbers_are_kept() {
        for text in [
            "where is order 48213377?",
            "order #55120934 late",
            "status of nw-204981",
            "it cost 1.234,56 € on 2024-05-01 at 12:30",
            // 16 digits that fail the Luhn check: not a card, and too long for a phone.
            "reference 1234 5678 9012 3456",
            "tracking 123456789012",
        ] {
            assert_eq!(redact(text), text, "{text}");
        }
    }

    #[test]
    fn phone_numbers_are_redacted() {
        for (text, expected) in [
            ("call me on +44 20 7946 0958", "call me on [phone]"),
            ("my number is +1 (555) 123-4567.", "my number is [phone]."),
            ("ring 555-123-4567 after six", "ring [phone] after six"),
            ("06 12 34 56 78", "[phone]"),
            ("mi móvil 0612345678", "mi móvil [phone]"),
            ("Tel. 0049 30 1234567", "Tel. [phone]"),
        ] {
            assert_eq!(redact(text), expected, "{text}");
        }
    }

    #[test]
    fn everything_at_once_and_unicode_digits() {
        assert_eq!(
            redact(
                "I'm ana@shop.example, +34 612 345 678, card 4111-1111-1111-1111, order 48213377"
            ),
            "I'm [email], [phone], card [card], order 48213377"
        );
        // Arabic-Indic digits: ٤١١١١١١١١١١١١١١١ is 4111111111111111.
        assert_eq!(redact("بطاقتي ٤١١١١١١١١١١١١١١١"), "بطاقتي [card]");
    }

    #[test]
    fn text_without_personal_data_is_not_copied() {
        assert!(matches!(redact("where is my order?"), Cow::Borrowed(_)));
    }

    #[test]
    fn log_text_is_redacted_escaped_and_short() {
        assert_eq!(for_log("a@b.example\nFAKE LINE"), "[email]\\nFAKE LINE");
        assert_eq!(for_log(&"x".repeat(100)).chars().count(), 81);
    }

    #[test]
    fn luhn_checks_the_check_digit() {
        let d = |s: &str| digits(s).unwrap();
        assert!(luhn_valid(&d("79927398713")));
        assert!(!luhn_valid(&d("79927398710")));
    }
}

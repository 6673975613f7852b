//! The language + intent pipeline (`bot::respond`: detection, arbitration, matching, order
//! numbers, templating) on arbitrary UTF-8, with the demo content and a conversation state
//! chosen by the input's first byte.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use switchboard::bot::{self, ConversationState};
use switchboard::content::Content;
use unic_langid::LanguageIdentifier;

static CONTENT: LazyLock<Content> = LazyLock::new(|| {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    Content::load(&root, &"en".parse().unwrap()).expect("the demo content loads")
});

fuzz_target!(
    // Loading and training the demo content takes seconds: once, before the clock runs.
    init: {
        LazyLock::force(&CONTENT);
    },
    |data: &[u8]| answer(data)
);

fn answer(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let content = &*CONTENT;
    let locales = &content.locales;
    let pick = |n: u8| -> Option<String> {
        (n as usize)
            .checked_sub(1)
            .and_then(|i| locales.get(i))
            .map(LanguageIdentifier::to_string)
    };
    let state = ConversationState {
        // Two bits each: none, or one of the first three locales; then one bit for the
        // fallbacks in a row and one for sending the text as a quick reply's payload too.
        explicit_locale: pick(selector & 3),
        locale: pick((selector >> 2) & 3),
        negotiated: pick((selector >> 4) & 3),
        fallbacks_in_row: u32::from((selector >> 6) & 1),
        history: Vec::new(),
        handoff_requested: false,
    };
    // A quick reply's payload is text the client chose, too.
    let payload = (selector & 0x80 != 0).then_some(text);
    let turn = bot::respond(content, &state, text, payload, 0.5)
        .unwrap_or_else(|e| panic!("no answer to {text:?}: {e}"));
    assert!(locales.contains(&turn.locale), "{}", turn.locale);
    assert!(
        (0.0..=1.0).contains(&turn.confidence),
        "confidence {}",
        turn.confidence
    );
    assert!(!turn.text.trim().is_empty(), "empty answer to {text:?}");
    if let Some(order) = &turn.order {
        assert!(order.chars().any(|c| c.is_ascii_digit()), "{order:?}");
    }
}

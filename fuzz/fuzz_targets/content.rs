//! Content loading (src/content) of arbitrary FTL and TOML, through `Content::from_files`: the
//! same parsing, checks and builds as `Content::load`, without the disk.
//!
//! The input is up to six files separated by 0xFF bytes (a byte UTF-8 never contains): the
//! intent catalogue, the shop's facts, then an FTL file and an examples file for `en` and for
//! `fr`. Bytes that are not UTF-8 become U+FFFD (the loader reports unreadable files itself).
//! A content that loads must answer: a few messages go through `bot::respond`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::bot::{self, ConversationState};
use switchboard::content::Content;
use unic_langid::LanguageIdentifier;

const SLOTS: [&str; 6] = [
    "intents/catalog.toml",
    "locales/shop.toml",
    "locales/en/bot.ftl",
    "intents/en/a.toml",
    "locales/fr/bot.ftl",
    "intents/fr/a.toml",
];

fuzz_target!(|data: &[u8]| {
    let files: Vec<(String, String)> = data
        .split(|b| *b == 0xFF)
        .zip(SLOTS)
        .map(|(bytes, path)| {
            (
                path.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect();
    let en: LanguageIdentifier = "en".parse().unwrap();
    match Content::from_files(files, &en) {
        Err(problems) => {
            assert!(!problems.is_empty());
            for problem in problems {
                assert!(!problem.to_string().is_empty());
            }
        }
        Ok(content) => {
            assert!(content.locales.contains(&en));
            let mut state = ConversationState::default();
            for text in [
                "hello",
                "where is my order 48213377",
                "quiero hablar con una persona",
            ] {
                let turn = bot::respond(&content, &state, text, None, 0.5)
                    .unwrap_or_else(|e| panic!("content that loads fails to answer {text:?}: {e}"));
                assert!(turn.confidence.is_finite());
                state = turn.state;
            }
        }
    }
});

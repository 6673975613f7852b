//! Client frame parsing (src/protocol/) on arbitrary text, as both channels receive it (the
//! WebSocket layer has already refused text that is not UTF-8).
//!
//! Beyond "never panics": every refusal maps to a contract error that encodes as a valid
//! `error` frame; accepted frames hold the contract's validation; `hello.locales` negotiate
//! without panicking.

#![no_main]

use libfuzzer_sys::fuzz_target;
use switchboard::language::negotiate;
use switchboard::protocol::{
    parse_agent_frame, parse_client_frame, AgentFrame, ClientFrame, FrameError, ServerFrame,
    MAX_MESSAGE_ID_CHARS, MAX_NOTE_CHARS,
};
use unic_langid::LanguageIdentifier;

fn refused(error: FrameError) {
    let message = error.to_string();
    assert!(!message.is_empty());
    let encoded = ServerFrame::error(error.code(), message).encode();
    let value: serde_json::Value = serde_json::from_str(&encoded).expect("error frames are JSON");
    assert_eq!(value["type"], "error", "{encoded}");
    assert!(value["code"].is_string(), "{encoded}");
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_client_frame(text) {
        Ok(ClientFrame::Message { id, text, .. }) => {
            let chars = id.chars().count();
            assert!((1..=MAX_MESSAGE_ID_CHARS).contains(&chars), "id {id:?}");
            assert!(!text.trim().is_empty());
        }
        Ok(ClientFrame::Hello { locales, .. }) => {
            let available: Vec<LanguageIdentifier> = ["en", "es", "fr", "de", "ar", "ja", "zh"]
                .iter()
                .map(|t| t.parse().unwrap())
                .collect();
            if let Some(chosen) = negotiate(&locales, &available) {
                assert!(available.contains(&chosen), "{chosen}");
            }
        }
        Ok(_) => {}
        Err(e) => refused(e),
    }
    match parse_agent_frame(text) {
        Ok(AgentFrame::Ready {
            languages,
            capacity,
        }) => assert!(!languages.is_empty() && capacity > 0),
        Ok(AgentFrame::Message { text, .. }) => assert!(!text.trim().is_empty()),
        Ok(AgentFrame::Note { text, .. }) => {
            assert!(!text.trim().is_empty() && text.chars().count() <= MAX_NOTE_CHARS)
        }
        Ok(_) => {}
        Err(e) => refused(e),
    }
});

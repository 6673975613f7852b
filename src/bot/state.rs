//! What the bot remembers of a conversation between messages: owned by the bot's layer, kept
//! by the session store (serialised as it is).

use serde::{Deserialize, Serialize};

/// What the bot must remember between messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationState {
    /// Chosen by the customer with a `locale` frame; sticks for the session.
    pub explicit_locale: Option<String>,
    /// Established by the conversation (reliable detection, or the first guess).
    pub locale: Option<String>,
    /// The best supported match of `hello.locales`.
    pub negotiated: Option<String>,
    /// Fallback answers in a row; the second one offers a human.
    pub fallbacks_in_row: u32,
    /// The last answers (locale, intent, confidence): an agent's context on hand-off.
    #[serde(default)]
    pub history: Vec<TurnNote>,
    /// A hand-off was requested at some point. Until then the conversation is the bot's
    /// alone, so its messages need not ask the hand-off backend who owns it. (A state stored
    /// before this field existed reads as `true`: it is asked, as it always was.)
    #[serde(default = "assume_handed_off")]
    pub handoff_requested: bool,
}

fn assume_handed_off() -> bool {
    true
}

/// What one answer was, for an agent's context. Its strings are shared, so copying a
/// conversation's state (twice per message: the turn's next state, the store's copy) copies
/// pointers, not the last twenty answers' texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnNote {
    pub locale: SharedStr,
    pub intent: Option<SharedStr>,
    pub confidence: f32,
}

/// An immutable string that clones without allocating; (de)serialised as a plain string.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SharedStr(std::sync::Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for SharedStr {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl std::fmt::Display for SharedStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(s.into())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr(s.into())
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharedStr {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<SharedStr, D::Error> {
        String::deserialize(deserializer).map(SharedStr::from)
    }
}

/// Answers remembered in [`ConversationState::history`].
pub const HISTORY: usize = 20;

impl ConversationState {
    pub fn remember(&mut self, note: TurnNote) {
        if self.history.len() >= HISTORY {
            self.history.remove(0);
        }
        self.history.push(note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_stored_before_the_hand_off_flag_still_asks_the_backend() {
        let old: ConversationState = serde_json::from_str(
            r#"{"explicit_locale":null,"locale":"es","negotiated":null,"fallbacks_in_row":0}"#,
        )
        .unwrap();
        assert!(old.handoff_requested);
        assert!(!ConversationState::default().handoff_requested);
        let fresh = serde_json::to_string(&ConversationState::default()).unwrap();
        let back: ConversationState = serde_json::from_str(&fresh).unwrap();
        assert!(!back.handoff_requested);
    }

    #[test]
    fn turn_notes_are_stored_as_plain_strings() {
        let mut state = ConversationState::default();
        state.remember(TurnNote {
            locale: "es".into(),
            intent: Some("order_status".into()),
            confidence: 0.5,
        });
        let json = serde_json::to_string(&state.history).unwrap();
        assert_eq!(
            json,
            r#"[{"locale":"es","intent":"order_status","confidence":0.5}]"#
        );
        let back: Vec<TurnNote> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, state.history);
    }
}

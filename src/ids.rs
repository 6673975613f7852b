//! The identifiers that travel between the layers — a customer's session (which is also the
//! conversation's id), an agent, a queue's locale — as types that are parsed once, where the
//! text comes in (a client's frame, an admin's path, the configuration, a stored record), and
//! cannot be mixed up after that.
//!
//! Each is a string underneath: it serialises as the plain string and reads back through its
//! parser, so the wire, the stored tickets and the notes between nodes are what they were.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use unic_langid::LanguageIdentifier;

/// Why a text is not an id of its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("a session id is 1 to 128 bytes, {0} given")]
    SessionLength(usize),
    #[error("a session id holds only ASCII letters, digits, '-' and '_'")]
    SessionCharacter,
    #[error("an agent id is not empty")]
    AgentEmpty,
    #[error("an agent id holds no control character")]
    AgentControl,
    #[error("{0:?} is not a BCP 47 language tag")]
    Locale(String),
}

/// The string-backed newtype's text, parsing and `Display`. Serde writes each as the plain
/// string and reads it back through its parser (`try_from = "String"`).
macro_rules! string_id {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(text: &str) -> Result<Self, IdError> {
                Self::try_from(text.to_string())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A customer's session: what the session store generates (128 random bits, hex), or what a
/// client presents to resume — ASCII letters, digits, `-` and `_`, 1 to 128 bytes. So it is
/// safe inside a Redis key's hash tag (`sb:s:{<id>}`: no brace) and a queue member (no space).
///
/// A conversation's id is its session's id, not a type of its own: a ticket, a note, the
/// agent's frames and the desk name a conversation by the customer's session, and pass it
/// straight to the session store (an agent's message is appended to that session's
/// transcript). Two types would only add conversions between equal values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SessionId(String);

impl SessionId {
    /// A fresh id: 128 random bits from the OS-seeded CSPRNG, as 32 lowercase hex digits.
    pub fn random() -> SessionId {
        SessionId(random_hex(16))
    }
}

/// `bytes` random bytes from the OS-seeded CSPRNG, as lowercase hex (session ids, resume
/// tokens).
pub fn random_hex(bytes: usize) -> String {
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

impl TryFrom<String> for SessionId {
    type Error = IdError;

    fn try_from(text: String) -> Result<Self, IdError> {
        if !(1..=128).contains(&text.len()) {
            return Err(IdError::SessionLength(text.len()));
        }
        if !text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(IdError::SessionCharacter);
        }
        Ok(SessionId(text))
    }
}

string_id!(SessionId);

/// An agent: the name an agent is configured under (`SWITCHBOARD_AGENTS`), which their token
/// identifies. Any text an operator may write there but an empty one or one with a control
/// character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgentId(String);

impl TryFrom<String> for AgentId {
    type Error = IdError;

    fn try_from(text: String) -> Result<Self, IdError> {
        if text.is_empty() {
            return Err(IdError::AgentEmpty);
        }
        if text.chars().any(char::is_control) {
            return Err(IdError::AgentControl);
        }
        Ok(AgentId(text))
    }
}

string_id!(AgentId);

/// A locale as a hand-off queue, a ticket and the agents' languages name it: a BCP 47 tag in
/// its canonical case (`es`, `pt-BR`).
///
/// Not [`LanguageIdentifier`], which the content and the bot use (and which the edges that
/// negotiate a locale produce; [`From`] turns one into this): a queue's tag is a key, read
/// and written as text (Redis keys and queue members, metric labels, stored tickets), so it
/// keeps its text; and it may carry what a language identifier cannot, such as the private
/// use subtags (`es-x-…`) that keep test and benchmark runs' queues apart on a shared server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Locale(String);

impl TryFrom<String> for Locale {
    type Error = IdError;

    fn try_from(text: String) -> Result<Self, IdError> {
        match icu_locale_core::Locale::try_from_str(&text) {
            Ok(parsed) => Ok(Locale(parsed.to_string())),
            Err(_) => Err(IdError::Locale(text)),
        }
    }
}

impl From<&LanguageIdentifier> for Locale {
    fn from(language: &LanguageIdentifier) -> Locale {
        Locale(language.to_string())
    }
}

impl From<LanguageIdentifier> for Locale {
    fn from(language: LanguageIdentifier) -> Locale {
        Locale::from(&language)
    }
}

string_id!(Locale);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_what_the_store_generates() {
        let fresh = SessionId::random();
        assert_eq!(fresh.as_str().len(), 32);
        assert_eq!(fresh.as_str().parse::<SessionId>(), Ok(fresh.clone()));
        assert_ne!(fresh, SessionId::random());
        for good in ["a", "c0001", "zz-first", "a_b-C9", &"x".repeat(128)] {
            assert_eq!(good.parse::<SessionId>().unwrap().as_str(), good);
        }
        assert_eq!("".parse::<SessionId>(), Err(IdError::SessionLength(0)));
        assert_eq!(
            "x".repeat(129).parse::<SessionId>(),
            Err(IdError::SessionLength(129))
        );
        for bad in ["a b", "{a}", "a:b", "é", "a/b", "a\n"] {
            assert_eq!(bad.parse::<SessionId>(), Err(IdError::SessionCharacter));
        }
    }

    #[test]
    fn agent_ids_are_configured_names() {
        assert_eq!("Ana Pérez".parse::<AgentId>().unwrap(), "Ana Pérez");
        assert_eq!("".parse::<AgentId>(), Err(IdError::AgentEmpty));
        assert_eq!("a\u{0}b".parse::<AgentId>(), Err(IdError::AgentControl));
    }

    #[test]
    fn locales_are_canonical_language_tags() {
        assert_eq!("es".parse::<Locale>().unwrap(), "es");
        assert_eq!("pt-br".parse::<Locale>().unwrap(), "pt-BR");
        assert_eq!("es-x-1a2b3c4d".parse::<Locale>().unwrap(), "es-x-1a2b3c4d");
        let language: LanguageIdentifier = "zh-Hant-TW".parse().unwrap();
        assert_eq!(
            Locale::from(&language),
            "zh-Hant-TW".parse::<Locale>().unwrap()
        );
        for bad in ["", "es MX", "e", "es_", "es!"] {
            assert!(
                matches!(bad.parse::<Locale>(), Err(IdError::Locale(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn ids_are_plain_strings_in_json_and_are_parsed_when_read() {
        let id: SessionId = "abc".parse().unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""abc""#);
        assert_eq!(serde_json::from_str::<SessionId>(r#""abc""#).unwrap(), id);
        assert!(serde_json::from_str::<SessionId>(r#""a b""#).is_err());
        let locale: Locale = serde_json::from_str(r#""es""#).unwrap();
        assert_eq!(serde_json::to_string(&locale).unwrap(), r#""es""#);
        assert!(serde_json::from_str::<AgentId>(r#""""#).is_err());
    }
}

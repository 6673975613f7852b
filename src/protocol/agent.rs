//! Protocol §2, the agent channel (`GET /v1/agent`): the frames an agent's console sends and
//! the frames the gateway sends it, with what agents see of a conversation (its context, the
//! customer's presence, private notes, canned replies).

use serde::{Deserialize, Serialize};

use super::{
    typed_object, AgentRef, ErrorCode, FrameError, From, MessageEvent, MAX_MESSAGE_ID_CHARS,
};

/// A frame from an agent's console, already validated.
#[derive(Debug, Clone, PartialEq)]
pub enum AgentFrame {
    Auth {
        token: String,
    },
    Ready {
        languages: Vec<String>,
        capacity: u32,
    },
    Next,
    Claim {
        conversation: String,
    },
    Message {
        conversation: String,
        text: String,
        /// The console's own id for the message; when given, the gateway answers with an
        /// `ack` carrying the `seq` it was stored as (an addition to v1).
        id: Option<String>,
    },
    Typing {
        conversation: String,
        on: bool,
    },
    Transfer {
        conversation: String,
        locale: Option<String>,
        /// For the agent who takes it next (an addition to v1).
        note: Option<String>,
    },
    Resolve {
        conversation: String,
    },
    /// A private note on an owned conversation (an addition to v1).
    Note {
        conversation: String,
        text: String,
        id: Option<String>,
    },
    /// Which locales have agents online (an addition to v1).
    Coverage,
}

/// Longest private or transfer note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RawAgentFrame {
    Auth {
        token: String,
    },
    Ready {
        languages: Vec<String>,
        #[serde(default = "default_capacity")]
        capacity: u32,
    },
    Next {},
    Claim {
        conversation: String,
    },
    Message {
        conversation: String,
        text: String,
        #[serde(default)]
        id: Option<String>,
    },
    Typing {
        conversation: String,
        on: bool,
    },
    Transfer {
        conversation: String,
        #[serde(default)]
        locale: Option<String>,
        #[serde(default)]
        note: Option<String>,
    },
    Resolve {
        conversation: String,
    },
    Note {
        conversation: String,
        text: String,
        #[serde(default)]
        id: Option<String>,
    },
    Coverage {},
}

fn default_capacity() -> u32 {
    1
}

const AGENT_TYPES: &[&str] = &[
    "auth", "ready", "next", "claim", "message", "typing", "transfer", "resolve", "note",
    "coverage",
];

/// A console's optional id: 1 to [`MAX_MESSAGE_ID_CHARS`] characters.
fn check_id(kind: &str, id: &Option<String>) -> Result<(), FrameError> {
    if id
        .as_ref()
        .is_some_and(|id| id.is_empty() || id.chars().count() > MAX_MESSAGE_ID_CHARS)
    {
        return Err(FrameError::BadFrame(format!(
            "{kind} \"id\" must be 1 to {MAX_MESSAGE_ID_CHARS} characters"
        )));
    }
    Ok(())
}

/// A note's text: not blank, at most [`MAX_NOTE_CHARS`] characters.
fn check_note(kind: &str, text: &str) -> Result<(), FrameError> {
    if text.trim().is_empty() {
        return Err(FrameError::BadFrame(format!(
            "{kind} note must be a non-empty string"
        )));
    }
    if text.chars().count() > MAX_NOTE_CHARS {
        return Err(FrameError::BadFrame(format!(
            "{kind} note is over {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(())
}

/// Parses and validates one text frame from an agent.
pub fn parse_agent_frame(text: &str) -> Result<AgentFrame, FrameError> {
    let value = typed_object(text, AGENT_TYPES)?;
    let kind = value["type"].as_str().unwrap_or_default().to_string();
    let raw: RawAgentFrame = serde_json::from_value(value)
        .map_err(|e| FrameError::BadFrame(format!("invalid \"{kind}\" frame: {e}")))?;
    Ok(match raw {
        RawAgentFrame::Auth { token } => AgentFrame::Auth { token },
        RawAgentFrame::Ready {
            languages,
            capacity,
        } => {
            if languages.is_empty() || capacity == 0 {
                return Err(FrameError::BadFrame(
                    "ready needs at least one language and a capacity of at least 1".into(),
                ));
            }
            AgentFrame::Ready {
                languages,
                capacity,
            }
        }
        RawAgentFrame::Next {} => AgentFrame::Next,
        RawAgentFrame::Claim { conversation } => AgentFrame::Claim { conversation },
        RawAgentFrame::Message {
            conversation,
            text,
            id,
        } => {
            if text.trim().is_empty() {
                return Err(FrameError::BadFrame(
                    "message \"text\" must be a non-empty string".into(),
                ));
            }
            check_id("message", &id)?;
            AgentFrame::Message {
                conversation,
                text,
                id,
            }
        }
        RawAgentFrame::Typing { conversation, on } => AgentFrame::Typing { conversation, on },
        RawAgentFrame::Transfer {
            conversation,
            locale,
            note,
        } => {
            if let Some(note) = &note {
                check_note("transfer", note)?;
            }
            AgentFrame::Transfer {
                conversation,
                locale,
                note,
            }
        }
        RawAgentFrame::Resolve { conversation } => AgentFrame::Resolve { conversation },
        RawAgentFrame::Note {
            conversation,
            text,
            id,
        } => {
            check_note("the", &text)?;
            check_id("note", &id)?;
            AgentFrame::Note {
                conversation,
                text,
                id,
            }
        }
        RawAgentFrame::Coverage {} => AgentFrame::Coverage,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentIdentity {
    pub id: String,
    pub name: String,
}

/// One conversation waiting in a queue the agent can serve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub conversation: String,
    pub locale: String,
    pub waiting_s: u64,
    pub preview: String,
    /// Whether the customer is still there (an addition to v1).
    pub presence: Presence,
}

/// Whether a customer waiting for or talking to an agent is there (an addition to v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Connected, with the chat's tab visible.
    #[default]
    Online,
    /// Connected, with the tab hidden.
    Away,
    /// Not connected.
    Left,
}

/// What kind of private note an agent left on a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Note,
    /// Written when transferring, for the agent who takes it next.
    Transfer,
}

/// A note agents see and customers never do (an addition to v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivateNote {
    pub kind: NoteKind,
    pub author: AgentRef,
    pub text: String,
    pub at: String,
    /// The locale the conversation was transferred from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub from_locale: Option<String>,
}

/// A reply agents pick by name, written in the conversation's locale (an addition to v1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CannedReply {
    pub name: String,
    pub text: String,
    /// The locale `text` is in: the conversation's, or the default where it lacks the reply.
    pub locale: String,
}

/// What the agent is told about a conversation it takes (an addition: the shape of `context`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HandoffContext {
    /// Why it was handed off: `requested`, `intent:<id>`, `fallback`.
    pub reason: String,
    /// Locales the customer's messages were answered in, with how many messages each.
    pub languages: Vec<LanguageCount>,
    /// The intents recognised so far, most recent last.
    pub intents: Vec<IntentSeen>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageCount {
    pub locale: String,
    pub messages: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentSeen {
    pub intent: Option<String>,
    pub confidence: f32,
}

/// A frame the gateway sends to an agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentServerFrame {
    Welcome {
        agent: AgentIdentity,
    },
    Queue {
        waiting: Vec<Waiting>,
    },
    Assigned {
        conversation: String,
        locale: String,
        transcript: Vec<MessageEvent>,
        context: HandoffContext,
        /// Additions to v1: the customer's presence, the private notes so far, the canned
        /// replies in the conversation's locale.
        presence: Presence,
        notes: Vec<PrivateNote>,
        canned: Vec<CannedReply>,
    },
    Message {
        conversation: String,
        seq: u64,
        from: From,
        text: String,
        locale: String,
    },
    Typing {
        conversation: String,
        on: bool,
    },
    Released {
        conversation: String,
        reason: String,
    },
    /// The agent's message `id` is stored as `seq` of the conversation (an addition to v1).
    Ack {
        conversation: String,
        id: String,
        seq: u64,
    },
    /// A private note was added (an addition to v1).
    Note {
        conversation: String,
        note: PrivateNote,
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
    },
    /// The customer of an owned conversation came, went away or left (an addition to v1).
    Presence {
        conversation: String,
        state: Presence,
    },
    /// Agents online per supported locale (an addition to v1).
    Coverage {
        online: std::collections::BTreeMap<String, usize>,
    },
    Error {
        code: ErrorCode,
        message: String,
    },
}

impl AgentServerFrame {
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        AgentServerFrame::Error {
            code,
            message: message.into(),
        }
    }

    pub fn encode(&self) -> String {
        super::encode(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_agent_frames_and_refuses_bad_ones() {
        assert_eq!(
            parse_agent_frame(r#"{"type":"ready","languages":["es"],"capacity":2}"#).unwrap(),
            AgentFrame::Ready {
                languages: vec!["es".into()],
                capacity: 2
            }
        );
        assert_eq!(
            parse_agent_frame(r#"{"type":"next"}"#).unwrap(),
            AgentFrame::Next
        );
        assert_eq!(
            parse_agent_frame(r#"{"type":"transfer","conversation":"c"}"#).unwrap(),
            AgentFrame::Transfer {
                conversation: "c".into(),
                locale: None,
                note: None
            }
        );
        assert_eq!(
            parse_agent_frame(
                r#"{"type":"transfer","conversation":"c","locale":"de","note":"wants German"}"#
            )
            .unwrap(),
            AgentFrame::Transfer {
                conversation: "c".into(),
                locale: Some("de".into()),
                note: Some("wants German".into())
            }
        );
        assert_eq!(
            parse_agent_frame(r#"{"type":"note","conversation":"c","text":"VIP","id":"n1"}"#)
                .unwrap(),
            AgentFrame::Note {
                conversation: "c".into(),
                text: "VIP".into(),
                id: Some("n1".into())
            }
        );
        assert_eq!(
            parse_agent_frame(r#"{"type":"coverage"}"#).unwrap(),
            AgentFrame::Coverage
        );
        for bad in [
            r#"{"type":"note","conversation":"c","text":"  "}"#,
            r#"{"type":"note","conversation":"c","text":"x","id":""}"#,
            r#"{"type":"transfer","conversation":"c","note":" "}"#,
        ] {
            assert!(
                matches!(parse_agent_frame(bad), Err(FrameError::BadFrame(_))),
                "{bad}"
            );
        }
        let long = format!(
            r#"{{"type":"note","conversation":"c","text":"{}"}}"#,
            "x".repeat(MAX_NOTE_CHARS + 1)
        );
        assert!(matches!(
            parse_agent_frame(&long),
            Err(FrameError::BadFrame(_))
        ));
        assert!(matches!(
            parse_agent_frame(r#"{"type":"ready","languages":[],"capacity":1}"#),
            Err(FrameError::BadFrame(_))
        ));
        assert!(matches!(
            parse_agent_frame(r#"{"type":"message","conversation":"c"}"#),
            Err(FrameError::BadFrame(_))
        ));
        assert_eq!(
            parse_agent_frame(r#"{"type":"hello"}"#),
            Err(FrameError::Unsupported("hello".into()))
        );
    }
}

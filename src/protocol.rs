//! The wire contract (`shared/protocol.md`): every JSON frame the gateway reads or writes.
//!
//! This is the only module that knows the wire format. Other modules build these values and
//! hand them to the gateway, which encodes them; nothing else calls `serde_json` on frames.

use serde::{Deserialize, Serialize};

/// The current time as the contract writes timestamps (RFC 3339, UTC).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Longest client message id the contract allows.
pub const MAX_MESSAGE_ID_CHARS: usize = 128;

/// A frame from a customer's widget, already validated.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientFrame {
    Hello {
        locales: Vec<String>,
        resume: Option<Resume>,
    },
    Message {
        id: String,
        text: String,
        /// A suggestion's payload when the customer clicked a quick reply (an addition to v1).
        payload: Option<String>,
    },
    Locale {
        locale: String,
    },
    Handoff {
        reason: Option<String>,
    },
    Typing {
        on: bool,
    },
    /// The tab showing the chat became visible or hidden (an addition to v1).
    Presence {
        visible: bool,
    },
    Close,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Resume {
    pub session: String,
    pub token: String,
    #[serde(default)]
    pub last_seq: u64,
}

/// Why a client frame was refused. Each maps to one contract error code.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FrameError {
    #[error("{0}")]
    BadFrame(String),
    #[error("unknown frame type {0:?}")]
    Unsupported(String),
}

impl FrameError {
    pub fn code(&self) -> ErrorCode {
        match self {
            FrameError::BadFrame(_) => ErrorCode::BadFrame,
            FrameError::Unsupported(_) => ErrorCode::Unsupported,
        }
    }
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RawClientFrame {
    Hello {
        #[serde(default)]
        locales: Option<Vec<String>>,
        #[serde(default)]
        resume: Option<Resume>,
    },
    Message {
        id: String,
        text: String,
        #[serde(default)]
        payload: Option<String>,
    },
    Locale {
        locale: String,
    },
    Handoff {
        #[serde(default)]
        reason: Option<String>,
    },
    Typing {
        on: bool,
    },
    Presence {
        state: Visibility,
    },
    Close {},
}

/// What a `presence` frame says of the customer's tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Visibility {
    Visible,
    Hidden,
}

const CLIENT_TYPES: &[&str] = &[
    "hello", "message", "locale", "handoff", "typing", "presence", "close",
];

/// Parses and validates one text frame from a customer.
/// A JSON object whose `type` is one of `known`.
fn typed_object(text: &str, known: &[&str]) -> Result<serde_json::Value, FrameError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| FrameError::BadFrame(format!("frame is not valid JSON: {e}")))?;
    let Some(object) = value.as_object() else {
        return Err(FrameError::BadFrame("frame must be a JSON object".into()));
    };
    match object.get("type") {
        None => Err(FrameError::BadFrame("frame has no \"type\"".into())),
        Some(serde_json::Value::String(kind)) if known.contains(&kind.as_str()) => Ok(value),
        Some(serde_json::Value::String(kind)) => Err(FrameError::Unsupported(kind.clone())),
        Some(_) => Err(FrameError::BadFrame("\"type\" must be a string".into())),
    }
}

pub fn parse_client_frame(text: &str) -> Result<ClientFrame, FrameError> {
    // A well-formed object is read straight into its frame. Anything else (an array, which
    // serde would take as a tagged sequence; duplicate keys; a wrong or missing field) goes
    // the long way, which says exactly what is wrong.
    let direct = text
        .trim_start()
        .starts_with('{')
        .then(|| serde_json::from_str::<RawClientFrame>(text).ok())
        .flatten();
    let raw = match direct {
        Some(raw) => raw,
        None => {
            let value = typed_object(text, CLIENT_TYPES)?;
            let kind = value["type"].as_str().unwrap_or_default().to_string();
            serde_json::from_value(value)
                .map_err(|e| FrameError::BadFrame(format!("invalid \"{kind}\" frame: {e}")))?
        }
    };
    Ok(match raw {
        RawClientFrame::Hello { locales, resume } => ClientFrame::Hello {
            locales: locales.unwrap_or_default(),
            resume,
        },
        RawClientFrame::Message { id, text, payload } => {
            if id.is_empty() || id.chars().count() > MAX_MESSAGE_ID_CHARS {
                return Err(FrameError::BadFrame(format!(
                    "message \"id\" must be 1 to {MAX_MESSAGE_ID_CHARS} characters"
                )));
            }
            if text.trim().is_empty() {
                return Err(FrameError::BadFrame(
                    "message \"text\" must be a non-empty string".into(),
                ));
            }
            ClientFrame::Message { id, text, payload }
        }
        RawClientFrame::Locale { locale } => ClientFrame::Locale { locale },
        RawClientFrame::Handoff { reason } => ClientFrame::Handoff { reason },
        RawClientFrame::Typing { on } => ClientFrame::Typing { on },
        RawClientFrame::Presence { state } => ClientFrame::Presence {
            visible: state == Visibility::Visible,
        },
        RawClientFrame::Close {} => ClientFrame::Close,
    })
}

/// Contract error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadFrame,
    TooLarge,
    RateLimited,
    Unauthorized,
    SessionExpired,
    Unsupported,
    Internal,
    NotFound,
    Conflict,
}

/// Who wrote a visible message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum From {
    Customer,
    Bot,
    Agent,
    System,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub text: String,
    pub payload: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentRef {
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HandoffState {
    Queued,
    Assigned,
    Unavailable,
    Ended,
}

/// An event a person sees: it carries a `seq` and is replayed on resume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Visible {
    Message(MessageEvent),
    Handoff(HandoffEvent),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageEvent {
    pub seq: u64,
    pub from: From,
    pub text: String,
    pub locale: String,
    pub at: String,
    #[serde(flatten)]
    pub bot: Option<BotFields>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agent: Option<AgentRef>,
}

/// The fields only bot messages carry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BotFields {
    pub in_reply_to: Option<String>,
    pub intent: Option<String>,
    pub confidence: f32,
    pub suggestions: Vec<Suggestion>,
    /// Hash of the content that produced the answer (an addition to v1).
    pub content_version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffEvent {
    pub seq: u64,
    pub state: HandoffState,
    pub text: String,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub position: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub wait_estimate_s: Option<Option<u32>>,
    /// The agent who took (`assigned`) or left (`ended`) the conversation (an addition to v1).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agent: Option<AgentRef>,
}

impl Visible {
    pub fn seq(&self) -> u64 {
        match self {
            Visible::Message(m) => m.seq,
            Visible::Handoff(h) => h.seq,
        }
    }

    pub fn set_seq(&mut self, seq: u64) {
        match self {
            Visible::Message(m) => m.seq = seq,
            Visible::Handoff(h) => h.seq = seq,
        }
    }
}

/// A frame the gateway sends to a customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Welcome {
        session: String,
        token: String,
        locale: String,
        resumed: bool,
        last_seq: u64,
    },
    Ack {
        id: String,
        seq: u64,
    },
    Typing {
        from: From,
        on: bool,
    },
    Error {
        code: ErrorCode,
        message: String,
    },
    #[serde(untagged)]
    Visible(Visible),
}

impl ServerFrame {
    pub fn error(code: ErrorCode, message: impl Into<String>) -> Self {
        ServerFrame::Error {
            code,
            message: message.into(),
        }
    }

    /// The JSON text of this frame.
    pub fn encode(&self) -> String {
        // Serialising these plain structs cannot fail: no maps with non-string keys, no floats
        // that are NaN (confidences are clamped where they are made).
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"error","code":"internal","message":"encode failed: {e}"}}"#)
        })
    }
}

// ---------------------------------------------------------------------------------------
// Agent channel (protocol §2)

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
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"type":"error","code":"internal","message":"encode failed: {e}"}}"#)
        })
    }
}

// ---------------------------------------------------------------------------------------
// HTTP: the widget's UI strings (`GET /v1/widget/strings`, an addition to v1)

/// The widget's own words in one locale, with what it needs to offer a language picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiStrings {
    /// The locale the strings are in (the best match of the request, else the default).
    pub locale: String,
    /// `"ltr"` or `"rtl"`.
    pub dir: String,
    /// Message ids of `locales/<locale>/widget.ftl` without the `widget-` prefix → text.
    pub strings: std::collections::BTreeMap<String, String>,
    /// Every locale the gateway speaks, each named in itself.
    pub locales: Vec<UiLocale>,
    /// Quick replies to offer before the first message.
    pub suggestions: Vec<Suggestion>,
    /// The content version the strings come from.
    pub content_version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UiLocale {
    pub locale: String,
    pub name: String,
    pub dir: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(text: &str) -> String {
        match parse_client_frame(text) {
            Err(FrameError::BadFrame(m)) => m,
            other => panic!("expected bad_frame for {text}, got {other:?}"),
        }
    }

    #[test]
    fn parses_every_client_frame_type() {
        assert_eq!(
            parse_client_frame(r#"{"type":"hello","locales":["es-MX","en"]}"#).unwrap(),
            ClientFrame::Hello {
                locales: vec!["es-MX".into(), "en".into()],
                resume: None
            }
        );
        assert_eq!(
            parse_client_frame(
                r#"{"type":"hello","resume":{"session":"s","token":"t","last_seq":3}}"#
            )
            .unwrap(),
            ClientFrame::Hello {
                locales: vec![],
                resume: Some(Resume {
                    session: "s".into(),
                    token: "t".into(),
                    last_seq: 3
                })
            }
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"message","id":"1","text":"hi","extra":1}"#).unwrap(),
            ClientFrame::Message {
                id: "1".into(),
                text: "hi".into(),
                payload: None
            }
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"close"}"#).unwrap(),
            ClientFrame::Close
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"typing","on":true}"#).unwrap(),
            ClientFrame::Typing { on: true }
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"handoff"}"#).unwrap(),
            ClientFrame::Handoff { reason: None }
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"presence","state":"hidden"}"#).unwrap(),
            ClientFrame::Presence { visible: false }
        );
        assert_eq!(
            parse_client_frame(r#"{"type":"presence","state":"visible"}"#).unwrap(),
            ClientFrame::Presence { visible: true }
        );
        bad(r#"{"type":"presence","state":"gone"}"#);
    }

    #[test]
    fn refuses_malformed_frames_with_a_reason() {
        assert!(bad("not json").contains("not valid JSON"));
        assert!(bad("[1,2]").contains("JSON object"));
        assert!(bad(r#"{"text":"x"}"#).contains("no \"type\""));
        assert!(bad(r#"{"type":5}"#).contains("must be a string"));
        assert!(bad(r#"{"type":"message","id":"1"}"#).contains("text"));
        assert!(bad(r#"{"type":"message","id":"1","text":42}"#).contains("invalid \"message\""));
        assert!(bad(r#"{"type":"message","id":"1","text":"  "}"#).contains("non-empty"));
        let long_id = "x".repeat(129);
        assert!(bad(&format!(
            r#"{{"type":"message","id":"{long_id}","text":"a"}}"#
        ))
        .contains("1 to 128"));
        assert!(bad(r#"{"type":"locale"}"#).contains("locale"));
        // An array shaped like a tagged frame is still not an object.
        assert!(bad(r#"["message","1","hi"]"#).contains("JSON object"));
    }

    #[test]
    fn a_repeated_key_counts_once_its_last_value() {
        assert_eq!(
            parse_client_frame(r#"{"type":"message","id":"1","text":"a","text":"b"}"#).unwrap(),
            ClientFrame::Message {
                id: "1".into(),
                text: "b".into(),
                payload: None
            }
        );
    }

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

    #[test]
    fn unknown_types_are_unsupported_not_malformed() {
        assert_eq!(
            parse_client_frame(r#"{"type":"dance"}"#),
            Err(FrameError::Unsupported("dance".into()))
        );
    }

    #[test]
    fn bot_messages_carry_their_fields_flat() {
        let frame = ServerFrame::Visible(Visible::Message(MessageEvent {
            seq: 2,
            from: From::Bot,
            text: "hola".into(),
            locale: "es".into(),
            at: "2026-01-01T00:00:00Z".into(),
            bot: Some(BotFields {
                in_reply_to: Some("m1".into()),
                intent: None,
                confidence: 0.25,
                suggestions: vec![],
                content_version: "abc".into(),
            }),
            agent: None,
        }));
        let v: serde_json::Value = serde_json::from_str(&frame.encode()).unwrap();
        assert_eq!(v["type"], "message");
        assert_eq!(v["seq"], 2);
        assert_eq!(v["from"], "bot");
        assert_eq!(v["in_reply_to"], "m1");
        assert!(v["intent"].is_null());
        assert_eq!(v["suggestions"], serde_json::json!([]));
    }

    #[test]
    fn customer_messages_have_no_bot_fields() {
        let frame = ServerFrame::Visible(Visible::Message(MessageEvent {
            seq: 1,
            from: From::Customer,
            text: "hi".into(),
            locale: "en".into(),
            at: "2026-01-01T00:00:00Z".into(),
            bot: None,
            agent: None,
        }));
        let v: serde_json::Value = serde_json::from_str(&frame.encode()).unwrap();
        assert!(v.get("in_reply_to").is_none());
        assert!(v.get("agent").is_none());
    }

    #[test]
    fn queued_handoff_may_carry_a_null_estimate() {
        let frame = ServerFrame::Visible(Visible::Handoff(HandoffEvent {
            seq: 4,
            state: HandoffState::Queued,
            text: "..".into(),
            at: "t".into(),
            position: Some(1),
            wait_estimate_s: Some(None),
            agent: None,
        }));
        let v: serde_json::Value = serde_json::from_str(&frame.encode()).unwrap();
        assert_eq!(v["type"], "handoff");
        assert_eq!(v["position"], 1);
        assert!(v["wait_estimate_s"].is_null());
        assert!(v.as_object().unwrap().contains_key("wait_estimate_s"));
    }
}

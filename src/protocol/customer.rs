//! Protocol §1, the customer channel (`GET /v1/chat`): the frames a customer's widget sends
//! and the frames the gateway sends it, with the visible events (`message`, `handoff`) that
//! carry a `seq` and are kept in the session's transcript.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::{
    typed_object, AgentRef, ErrorCode, FrameError, From, Suggestion, MAX_MESSAGE_ID_CHARS,
};

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resume {
    pub session: String,
    pub token: String,
    #[serde(default)]
    pub last_seq: u64,
}

/// A client frame as it is on the wire, read by [`parse_client_frame`] and written by
/// [`ClientFrame::encode`].
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum RawClientFrame {
    Hello {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locales: Option<Vec<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<Resume>,
    },
    Message {
        id: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payload: Option<String>,
    },
    Locale {
        locale: String,
    },
    Handoff {
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Visibility {
    Visible,
    Hidden,
}

impl ClientFrame {
    /// The JSON text of this frame as a client sends it (the load tool's customers speak
    /// through it); [`parse_client_frame`] reads it back as this frame.
    pub fn encode(&self) -> String {
        let raw = match self.clone() {
            ClientFrame::Hello { locales, resume } => RawClientFrame::Hello {
                locales: (!locales.is_empty()).then_some(locales),
                resume,
            },
            ClientFrame::Message { id, text, payload } => {
                RawClientFrame::Message { id, text, payload }
            }
            ClientFrame::Locale { locale } => RawClientFrame::Locale { locale },
            ClientFrame::Handoff { reason } => RawClientFrame::Handoff { reason },
            ClientFrame::Typing { on } => RawClientFrame::Typing { on },
            ClientFrame::Presence { visible } => RawClientFrame::Presence {
                state: if visible {
                    Visibility::Visible
                } else {
                    Visibility::Hidden
                },
            },
            ClientFrame::Close => RawClientFrame::Close {},
        };
        super::encode(&raw)
    }
}

const CLIENT_TYPES: &[&str] = &[
    "hello", "message", "locale", "handoff", "typing", "presence", "close",
];

/// Parses and validates one text frame from a customer.
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
        super::encode(self)
    }
}

/// The `type` of a [`ServerFrame`], as a client reads it; `Other` for a type this build does
/// not know (the contract may add some).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerFrameKind {
    Welcome,
    Ack,
    Message,
    Handoff,
    Typing,
    Error,
    #[serde(other)]
    Other,
}

/// What a client needs of a [`ServerFrame`] to follow a conversation — its type, who wrote it,
/// which client message it answers — read without copying the rest (texts, suggestions,
/// timestamps). The load tool reads every frame it gets through this.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ServerFrameHead<'a> {
    #[serde(rename = "type")]
    pub kind: ServerFrameKind,
    /// `message` and `typing`.
    #[serde(default)]
    pub from: Option<From>,
    /// Bot messages: the client id of the message answered.
    #[serde(default, borrow)]
    pub in_reply_to: Option<Cow<'a, str>>,
}

impl<'a> ServerFrameHead<'a> {
    /// Reads the head of one text frame from the gateway.
    pub fn parse(text: &'a str) -> Result<ServerFrameHead<'a>, FrameError> {
        serde_json::from_str(text)
            .map_err(|e| FrameError::BadFrame(format!("not a server frame: {e}")))
    }
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

    #[test]
    fn client_frames_encode_to_what_parses_back_as_them() {
        let frames = [
            ClientFrame::Hello {
                locales: vec!["es-MX".into(), "en".into()],
                resume: Some(Resume {
                    session: "s".into(),
                    token: "t".into(),
                    last_seq: 3,
                }),
            },
            ClientFrame::Hello {
                locales: vec![],
                resume: None,
            },
            ClientFrame::Message {
                id: "1".into(),
                text: "¿dónde está \"mi\" pedido?".into(),
                payload: None,
            },
            ClientFrame::Message {
                id: "2".into(),
                text: "Shipping".into(),
                payload: Some("shipping".into()),
            },
            ClientFrame::Locale {
                locale: "de".into(),
            },
            ClientFrame::Handoff { reason: None },
            ClientFrame::Handoff {
                reason: Some("angry".into()),
            },
            ClientFrame::Typing { on: true },
            ClientFrame::Presence { visible: false },
            ClientFrame::Presence { visible: true },
            ClientFrame::Close,
        ];
        for frame in frames {
            let text = frame.encode();
            assert_eq!(parse_client_frame(&text), Ok(frame), "{text}");
        }
        // What the load tool sends, as the contract writes it.
        assert_eq!(
            ClientFrame::Hello {
                locales: vec!["en".into()],
                resume: None
            }
            .encode(),
            r#"{"type":"hello","locales":["en"]}"#
        );
        assert_eq!(
            ClientFrame::Message {
                id: "7".into(),
                text: "hi".into(),
                payload: None
            }
            .encode(),
            r#"{"type":"message","id":"7","text":"hi"}"#
        );
        assert_eq!(
            ClientFrame::Presence { visible: false }.encode(),
            r#"{"type":"presence","state":"hidden"}"#
        );
        assert_eq!(ClientFrame::Close.encode(), r#"{"type":"close"}"#);
    }

    #[test]
    fn the_head_of_every_server_frame_reads_back() {
        let head = |frame: ServerFrame| {
            let text = frame.encode();
            let head = ServerFrameHead::parse(&text).unwrap();
            (
                head.kind,
                head.from,
                head.in_reply_to.map(|id| id.into_owned()),
            )
        };
        let welcome = ServerFrame::Welcome {
            session: "s".into(),
            token: "t".into(),
            locale: "en".into(),
            resumed: false,
            last_seq: 0,
        };
        assert_eq!(head(welcome), (ServerFrameKind::Welcome, None, None));
        let ack = ServerFrame::Ack {
            id: "1".into(),
            seq: 1,
        };
        assert_eq!(head(ack), (ServerFrameKind::Ack, None, None));
        let typing = ServerFrame::Typing {
            from: From::Agent,
            on: true,
        };
        assert_eq!(
            head(typing),
            (ServerFrameKind::Typing, Some(From::Agent), None)
        );
        let error = ServerFrame::error(ErrorCode::RateLimited, "slow down");
        assert_eq!(head(error), (ServerFrameKind::Error, None, None));
        let answer = ServerFrame::Visible(Visible::Message(MessageEvent {
            seq: 2,
            from: From::Bot,
            text: "hola".into(),
            locale: "es".into(),
            at: "2026-01-01T00:00:00Z".into(),
            bot: Some(BotFields {
                in_reply_to: Some("m\"1".into()),
                intent: None,
                confidence: 0.25,
                suggestions: vec![Suggestion {
                    text: "a".into(),
                    payload: "b".into(),
                }],
                content_version: "abc".into(),
            }),
            agent: None,
        }));
        assert_eq!(
            head(answer),
            (
                ServerFrameKind::Message,
                Some(From::Bot),
                Some("m\"1".into())
            )
        );
        let handoff = ServerFrame::Visible(Visible::Handoff(HandoffEvent {
            seq: 3,
            state: HandoffState::Queued,
            text: "..".into(),
            at: "t".into(),
            position: Some(1),
            wait_estimate_s: Some(None),
            agent: None,
        }));
        assert_eq!(head(handoff), (ServerFrameKind::Handoff, None, None));
        let later = ServerFrameHead::parse(r#"{"type":"someday","from":"bot"}"#).unwrap();
        assert_eq!(later.kind, ServerFrameKind::Other);
        assert!(ServerFrameHead::parse(r#"{"from":"bot"}"#).is_err());
        assert!(ServerFrameHead::parse("[1]").is_err());
    }
}

//! The wire contract (`shared/protocol.md`, with the additions of `docs/PROTOCOL-ADDITIONS.md`):
//! every JSON frame the gateway reads or writes, and the close codes it ends sockets with.
//!
//! This is the only module that knows the wire format. Other modules build these values and
//! hand them to the gateway, which encodes them; nothing else calls `serde_json` on frames.
//!
//! - [`customer`]: §1, `/v1/chat` — client frames (parsed and validated into [`ClientFrame`])
//!   and server frames ([`ServerFrame`], the [`Visible`] events with their `seq`).
//! - [`agent`]: §2, `/v1/agent` — [`AgentFrame`] and [`AgentServerFrame`].
//! - [`widget`]: the body of `GET /v1/widget/strings` ([`UiStrings`]).
//! - [`close`]: the WebSocket close codes of both channels (named `close::POLICY` etc.).
//! - here: what both channels share — error codes, who wrote a message, timestamps, the
//!   checks every parse starts with.
//!
//! Everything is re-exported here: `crate::protocol::X` names any wire type.

pub mod agent;
pub mod close;
pub mod customer;
pub mod widget;

pub use agent::*;
pub use customer::*;
pub use widget::*;

use serde::{Deserialize, Serialize};

/// The current time as the contract writes timestamps (RFC 3339, UTC).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Longest client message id the contract allows.
pub const MAX_MESSAGE_ID_CHARS: usize = 128;

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

/// The JSON text of a frame (of either channel).
fn encode<T: Serialize>(frame: &T) -> String {
    // Serialising these plain structs cannot fail: no maps with non-string keys, no floats
    // that are NaN (confidences are clamped where they are made).
    serde_json::to_string(frame).unwrap_or_else(|e| {
        format!(r#"{{"type":"error","code":"internal","message":"encode failed: {e}"}}"#)
    })
}

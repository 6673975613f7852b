//! A WebSocket as both channels use it: JSON text frames out, text frames in, binary frames
//! refused, transport errors mapped to the close codes RFC 6455 asks for.

use axum::extract::ws::{CloseFrame, Message, WebSocket};

use crate::ops;
use crate::protocol::{ErrorCode, ServerFrame};

/// Why a connection loop stopped.
pub enum End {
    /// Send a close frame with this code and reason.
    Close(u16, &'static str),
    /// The socket is gone or broken; nothing more to send.
    Gone,
}

pub struct Socket(pub WebSocket);

impl Socket {
    pub async fn send_text(&mut self, text: String) -> Result<(), End> {
        self.0
            .send(Message::Text(text.into()))
            .await
            .map_err(|_| End::Gone)
    }

    /// Sends an `error` frame (the same shape on both channels).
    pub async fn error(&mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), End> {
        let label = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        metrics::counter!(ops::FRAME_ERRORS, "code" => label).increment(1);
        self.send_text(ServerFrame::error(code, message).encode())
            .await
    }

    pub async fn close(&mut self, code: u16, reason: &'static str) {
        let _ = self
            .0
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }

    /// The next text frame; binary frames are answered with `bad_frame` and skipped.
    pub async fn next_text(&mut self) -> Result<String, End> {
        loop {
            match self.0.recv().await {
                None => return Err(End::Gone),
                Some(Err(e)) => {
                    let message = e.to_string().to_lowercase();
                    return Err(if message.contains("utf-8") || message.contains("utf8") {
                        End::Close(1007, "invalid UTF-8")
                    } else if message.contains("too long") || message.contains("size") {
                        End::Close(1009, "frame too large")
                    } else {
                        End::Gone
                    });
                }
                Some(Ok(Message::Text(text))) => return Ok(text.to_string()),
                Some(Ok(Message::Binary(_))) => {
                    self.error(
                        ErrorCode::BadFrame,
                        "binary frames are not supported; send JSON text frames",
                    )
                    .await?;
                }
                Some(Ok(Message::Close(_))) => return Err(End::Gone),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            }
        }
    }
}

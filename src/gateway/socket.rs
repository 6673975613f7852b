//! A WebSocket as both channels use it: JSON text frames out, text frames in, binary frames
//! refused, transport errors mapped to the close codes RFC 6455 asks for.

use std::future::Future;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;

use crate::app::AppState;

use crate::ops;
use crate::protocol::{ErrorCode, ServerFrame};

/// Frames larger than this are refused by the WebSocket layer itself (the socket closes with
/// 1009). Below it, frames over `max_frame_bytes` get a `too_large` error and the connection
/// stays open.
pub fn hard_frame_cap(max_frame_bytes: usize) -> usize {
    max_frame_bytes.saturating_mul(4).max(1 << 20)
}

/// Bytes read from the socket at a time. tungstenite's default (128 KiB) is zero-filled
/// before every read and stays resident for each idle connection; chat frames are a few
/// hundred bytes, and a larger frame reserves its own length when its header arrives.
pub const READ_BUFFER_BYTES: usize = 4 * 1024;

/// The WebSocket settings of both channels (and of the bare reference server of
/// `switchboard-bench`): size caps, and buffers sized for many small frames.
pub fn configure(upgrade: WebSocketUpgrade, max_frame_bytes: usize) -> WebSocketUpgrade {
    let cap = hard_frame_cap(max_frame_bytes);
    upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        // Every send flushes; nothing waits in the write buffer for more frames.
        .write_buffer_size(0)
        .max_message_size(cap)
        .max_frame_size(cap)
}

/// Completes an upgrade with the size caps, running `run` as a connection that shutdown waits
/// for.
pub fn accept<F, Fut>(state: AppState, upgrade: WebSocketUpgrade, run: F) -> Response
where
    F: FnOnce(AppState, WebSocket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    configure(upgrade, state.config.max_frame_bytes).on_upgrade(move |socket| {
        let tracker = state.tasks.clone();
        tracker.track_future(run(state, socket))
    })
}

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

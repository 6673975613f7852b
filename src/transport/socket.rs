//! A WebSocket as both channels use it: JSON text frames out through a bounded queue, text
//! frames in, binary frames refused, transport errors mapped to the close codes RFC 6455 asks
//! for, and the liveness of the peer watched with pings.
//!
//! Outgoing frames go through a queue of `send_queue_frames` to a writer task that owns the
//! sending half. A client that stops reading fills its queue; a send that waits longer than
//! `send_timeout_s` for room ends the connection (`End::Stalled`), so a slow reader holds at
//! most a queue of frames, never more. What it missed is in the session store and replayed
//! when it resumes.

use std::future::Future;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::protocol::{close, ErrorCode, ServerFrame};
use crate::telemetry;

/// What a socket of either channel is allowed: its own settings, taken from [`Config`] once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Frames above this get `too_large` (and 4× it, at least 1 MiB, closes with 1009).
    pub max_frame_bytes: usize,
    /// Outgoing frames queued for a client before a send waits.
    pub send_queue_frames: usize,
    /// How long a send may wait for room before the client counts as not reading.
    pub send_timeout: Duration,
    /// How often the writer pings an otherwise quiet peer.
    pub ping_interval: Duration,
    /// How long a peer may stay silent (pongs included) before it is closed as unresponsive.
    pub pong_timeout: Duration,
}

impl From<&Config> for Settings {
    fn from(config: &Config) -> Settings {
        Settings {
            max_frame_bytes: config.max_frame_bytes,
            send_queue_frames: config.send_queue_frames,
            send_timeout: Duration::from_secs(config.send_timeout_s),
            ping_interval: Duration::from_secs(config.ping_interval_s),
            pong_timeout: Duration::from_secs(config.pong_timeout_s),
        }
    }
}

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

/// Bytes of queued frames gathered before they are written without waiting for a flush.
pub const WRITE_BUFFER_BYTES: usize = 16 * 1024;

/// The WebSocket settings of both channels (and of the bare reference server of
/// `switchboard-bench`): size caps, and buffers sized for many small frames.
pub fn configure(upgrade: WebSocketUpgrade, max_frame_bytes: usize) -> WebSocketUpgrade {
    let cap = hard_frame_cap(max_frame_bytes);
    upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        // Frames wait in the write buffer until a flush (up to this many bytes), so the
        // writer task sends what is queued at once in one write: a message's `ack` and bot
        // reply leave together. A plain `send` still writes at once (it flushes).
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_message_size(cap)
        .max_frame_size(cap)
}

/// Completes an upgrade with the size caps, running `run` as a connection that `tasks` (which
/// shutdown waits for) tracks. `permit` (a place among the connections allowed at once) is
/// held until `run` ends.
pub fn accept<F, Fut>(
    settings: Settings,
    tasks: TaskTracker,
    upgrade: WebSocketUpgrade,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    run: F,
) -> Response
where
    F: FnOnce(Socket) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    configure(upgrade, settings.max_frame_bytes).on_upgrade(move |ws| {
        let socket = Socket::new(ws, &settings);
        tasks.track_future(async move {
            run(socket).await;
            drop(permit);
        })
    })
}

/// Why a connection loop stopped.
pub enum End {
    /// Send a close frame with this code and reason.
    Close(u16, &'static str),
    /// The socket is gone or broken; nothing more to send.
    Gone,
    /// The peer sent a close frame: the WebSocket layer queued the reply (RFC 6455 §5.5.1: a
    /// close is answered with a close), which the writer flushes before the socket ends.
    PeerClosed,
    /// The client does not read what is sent to it: its queue stayed full past the send
    /// timeout. The socket is dropped without a close frame (there is no room for one).
    Stalled,
}

pub struct Socket {
    incoming: SplitStream<WebSocket>,
    outbox: mpsc::Sender<Message>,
    writer: Option<JoinHandle<()>>,
    send_timeout: Duration,
    pong_timeout: Duration,
    /// When the peer last sent anything (a frame, a pong).
    heard: Instant,
}

impl Drop for Socket {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.take() {
            writer.abort();
        }
    }
}

/// Writes queued frames in order, and a ping every `ping_every`. Ends when the queue closes,
/// after a close frame, or when the socket breaks.
async fn write(
    mut sink: SplitSink<WebSocket, Message>,
    mut queue: mpsc::Receiver<Message>,
    ping_every: Duration,
) {
    let mut ping = tokio::time::interval_at(Instant::now() + ping_every, ping_every);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let message = tokio::select! {
            message = queue.recv() => match message {
                Some(message) => message,
                None => break,
            },
            _ = ping.tick() => Message::Ping(Default::default()),
        };
        // Everything queued meanwhile goes out in the same write (one system call for an
        // `ack` and its reply); a close is the last frame.
        let mut last = matches!(message, Message::Close(_));
        let mut failed = sink.feed(message).await.is_err();
        while !last && !failed {
            let Ok(message) = queue.try_recv() else {
                break;
            };
            last = matches!(message, Message::Close(_));
            failed = sink.feed(message).await.is_err();
        }
        if failed || sink.flush().await.is_err() || last {
            break;
        }
    }
    let _ = sink.close().await;
}

impl Socket {
    pub fn new(ws: WebSocket, settings: &Settings) -> Socket {
        let (sink, incoming) = ws.split();
        let (outbox, queue) = mpsc::channel(settings.send_queue_frames.max(1));
        let writer = tokio::spawn(write(sink, queue, settings.ping_interval));
        Socket {
            incoming,
            outbox,
            writer: Some(writer),
            send_timeout: settings.send_timeout,
            pong_timeout: settings.pong_timeout,
            heard: Instant::now(),
        }
    }

    /// Queues a text frame; waits at most the send timeout for room in the queue.
    pub async fn send_text(&mut self, text: String) -> Result<(), End> {
        self.send(Message::Text(text.into())).await
    }

    /// Queues a frame; waits at most the send timeout for room in the queue.
    pub async fn send(&mut self, message: Message) -> Result<(), End> {
        match tokio::time::timeout(self.send_timeout, self.outbox.send(message)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(End::Gone),
            Err(_) => {
                metrics::counter!(telemetry::CONNECTIONS_CLOSED, "reason" => "stalled")
                    .increment(1);
                tracing::info!("closing a connection whose client does not read");
                Err(End::Stalled)
            }
        }
    }

    /// Sends an `error` frame (the same shape on both channels).
    pub async fn error(&mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), End> {
        let label = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        metrics::counter!(telemetry::FRAME_ERRORS, "code" => label).increment(1);
        self.send_text(ServerFrame::error(code, message).encode())
            .await
    }

    /// Sends a close frame after what is queued, and waits (briefly) for the writer to flush
    /// it. A writer that cannot (the client does not read) is stopped.
    pub async fn close(&mut self, code: u16, reason: &'static str) {
        self.close_with(Some(CloseFrame {
            code,
            reason: reason.into(),
        }))
        .await
    }

    /// Queues a close (`None`: only flush the reply to the peer's close) and lets the writer
    /// drain the queue for a short while.
    async fn close_with(&mut self, frame: Option<CloseFrame>) {
        if self.outbox.try_send(Message::Close(frame)).is_ok() {
            if let Some(writer) = self.writer.as_mut() {
                let flush = self.send_timeout.min(Duration::from_secs(2));
                let _ = tokio::time::timeout(flush, writer).await;
            }
        }
        if let Some(writer) = self.writer.take() {
            writer.abort();
        }
    }

    /// Ends the connection as `end` says.
    pub async fn finish(&mut self, end: End) {
        match end {
            End::Close(code, reason) => self.close(code, reason).await,
            End::PeerClosed => self.close_with(None).await,
            End::Gone | End::Stalled => {
                if let Some(writer) = self.writer.take() {
                    writer.abort();
                }
            }
        }
    }

    /// The next text frame; binary frames are answered with `bad_frame` and skipped.
    pub async fn next_text(&mut self) -> Result<String, End> {
        loop {
            match self.next_data().await? {
                Message::Text(text) => return Ok(text.to_string()),
                _ => {
                    self.error(
                        ErrorCode::BadFrame,
                        "binary frames are not supported; send JSON text frames",
                    )
                    .await?
                }
            }
        }
    }

    /// The next data message, text or binary. Pings are answered by the WebSocket layer; a
    /// peer silent for longer than the pong timeout (it answers the writer's pings when alive)
    /// is closed as unresponsive.
    pub async fn next_data(&mut self) -> Result<Message, End> {
        loop {
            let deadline = self.heard + self.pong_timeout;
            let next = tokio::select! {
                next = self.incoming.next() => next,
                _ = tokio::time::sleep_until(deadline) => {
                    metrics::counter!(telemetry::CONNECTIONS_CLOSED, "reason" => "unresponsive").increment(1);
                    return Err(End::Close(close::UNRESPONSIVE, "no answer to pings"));
                }
            };
            self.heard = Instant::now();
            match next {
                None => return Err(End::Gone),
                Some(Err(e)) => return Err(close_for(&e.to_string())),
                Some(Ok(message @ (Message::Text(_) | Message::Binary(_)))) => return Ok(message),
                Some(Ok(Message::Close(_))) => return Err(End::PeerClosed),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            }
        }
    }
}

/// The close frame RFC 6455 asks for when reading failed with this error: 1007 for text that
/// is not UTF-8 (also in a close reason), 1009 past the size cap, 1002 for any other protocol
/// violation (reserved bits or opcodes, bad fragmentation, oversized control frames, invalid
/// close codes). Anything else (an I/O error, a reset) leaves nothing to send.
fn close_for(error: &str) -> End {
    let message = error.to_lowercase();
    if message.contains("utf-8") || message.contains("utf8") {
        End::Close(close::INVALID_PAYLOAD, "invalid UTF-8")
    } else if message.contains("too long") || message.contains("size") {
        End::Close(close::TOO_BIG, "frame too large")
    } else if message.contains("protocol error") && !message.contains("reset") {
        End::Close(close::PROTOCOL_ERROR, "protocol error")
    } else {
        End::Gone
    }
}

//! One customer connection: `hello`, then frames until close, takeover or shutdown.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use unic_langid::LanguageIdentifier;

use crate::app::AppState;
use crate::bot::{self, Turn};
use crate::content::{self, Content};
use crate::language;
use crate::ops;
use crate::protocol::{
    parse_client_frame, BotFields, ClientFrame, ErrorCode, From, HandoffEvent, HandoffState,
    MessageEvent, Resume, ServerFrame, Suggestion, Visible,
};
use crate::session::{ConversationState, Recorded, Session, StoreError};

/// Close codes (RFC 6455 and the 4000–4999 private range).
const CLOSE_NORMAL: u16 = 1000;
const CLOSE_POLICY: u16 = 1008;
const CLOSE_RESTART: u16 = 1012;
const CLOSE_TAKEN_OVER: u16 = 4001;
const CLOSE_IDLE: u16 = 4002;

pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Why the connection loop stopped.
enum End {
    /// Send a close frame with this code and reason.
    Close(u16, &'static str),
    /// The socket is gone or broken; nothing more to send.
    Gone,
}

struct Conn {
    state: AppState,
    socket: WebSocket,
}

impl Conn {
    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        self.socket
            .send(Message::Text(frame.encode().into()))
            .await
            .map_err(|_| End::Gone)
    }

    async fn error(&mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), End> {
        let label = serde_json::to_value(code)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        metrics::counter!(ops::FRAME_ERRORS, "code" => label).increment(1);
        self.send(&ServerFrame::error(code, message)).await
    }

    async fn close(&mut self, code: u16, reason: &'static str) {
        let _ = self
            .socket
            .send(Message::Close(Some(CloseFrame {
                code,
                reason: reason.into(),
            })))
            .await;
    }

    /// The next text frame; binary frames are answered with `bad_frame` and skipped.
    async fn next_text(&mut self) -> Result<String, End> {
        loop {
            match self.socket.recv().await {
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

pub async fn run(state: AppState, socket: WebSocket) {
    metrics::gauge!(ops::CONNECTIONS_ACTIVE).increment(1.0);
    let mut conn = Conn { state, socket };
    if let Err(End::Close(code, reason)) = converse(&mut conn).await {
        conn.close(code, reason).await;
    }
    metrics::gauge!(ops::CONNECTIONS_ACTIVE).decrement(1.0);
}

/// The whole life of a connection. Returns how it should be closed.
async fn converse(conn: &mut Conn) -> Result<(), End> {
    let hello_timeout = Duration::from_secs(conn.state.config.hello_timeout_s);
    let shutdown = conn.state.shutdown.clone();
    let first = tokio::select! {
        first = conn.next_text() => first?,
        _ = tokio::time::sleep(hello_timeout) => {
            conn.error(ErrorCode::BadFrame, "expected a hello frame").await?;
            return Err(End::Close(CLOSE_POLICY, "no hello"));
        }
        _ = shutdown.cancelled() => return Err(End::Close(CLOSE_RESTART, "restarting")),
    };
    let (locales, resume) = match parse_client_frame(&first) {
        Ok(ClientFrame::Hello { locales, resume }) => (locales, resume),
        Ok(_) => {
            conn.error(ErrorCode::BadFrame, "the first frame must be hello")
                .await?;
            return Err(End::Close(CLOSE_POLICY, "first frame must be hello"));
        }
        Err(e) => {
            conn.error(
                ErrorCode::BadFrame,
                format!("the first frame must be hello ({e})"),
            )
            .await?;
            return Err(End::Close(CLOSE_POLICY, "first frame must be hello"));
        }
    };

    let mut session = open_session(conn, &locales, resume).await?;
    let attachment = conn.state.hub.attach(&session.id);
    let result = serve(conn, &mut session, &attachment.kicked).await;
    conn.state.hub.detach(&session.id, attachment.connection);
    result
}

/// Creates or resumes the session and sends `welcome` (and the replay).
async fn open_session(
    conn: &mut Conn,
    locales: &[String],
    resume: Option<Resume>,
) -> Result<Session, End> {
    let content = conn.state.content.load_full();
    let negotiated = language::negotiate(locales, &content.locales).map(|l| l.to_string());
    let store = conn.state.sessions.clone();
    if let Some(resume) = resume {
        match store.resume(&resume.session, &resume.token).await {
            Ok(mut session) => {
                if negotiated.is_some() && negotiated != session.state.negotiated {
                    session.state.negotiated = negotiated;
                    store_call(conn, store.save_state(&session.id, &session.state)).await?;
                }
                let replay =
                    store_call(conn, store.events_after(&session.id, resume.last_seq)).await?;
                let last_seq = replay
                    .last()
                    .map_or(session.last_seq, |e| e.seq().max(session.last_seq));
                conn.send(&ServerFrame::Welcome {
                    session: session.id.clone(),
                    token: session.token.expose().to_string(),
                    locale: bot::current_locale(&content, &session.state).to_string(),
                    resumed: true,
                    last_seq,
                })
                .await?;
                for event in replay {
                    conn.send(&ServerFrame::Visible(event)).await?;
                }
                session.last_seq = last_seq;
                return Ok(session);
            }
            Err(StoreError::BadToken) => {
                tracing::warn!(session = %resume.session, "resume refused: wrong token");
                conn.error(
                    ErrorCode::Unauthorized,
                    "the resume token does not match that session; a new conversation starts",
                )
                .await?;
            }
            Err(StoreError::NotFound) => {
                conn.error(
                    ErrorCode::SessionExpired,
                    "that session has ended or expired; a new conversation starts",
                )
                .await?;
            }
            Err(e @ StoreError::Unavailable(_)) => {
                tracing::error!(error = %e, "session store unavailable on resume");
                conn.error(
                    ErrorCode::Internal,
                    "sessions are unavailable; please retry shortly",
                )
                .await?;
                return Err(End::Close(1011, "session store unavailable"));
            }
        }
    }
    let state = ConversationState {
        negotiated,
        ..Default::default()
    };
    let session = store_call(conn, store.create(state)).await?;
    conn.send(&ServerFrame::Welcome {
        session: session.id.clone(),
        token: session.token.expose().to_string(),
        locale: bot::current_locale(&content, &session.state).to_string(),
        resumed: false,
        last_seq: 0,
    })
    .await?;
    Ok(session)
}

/// Runs a store call; a store failure becomes an `internal` error frame and a close.
async fn store_call<T>(
    conn: &mut Conn,
    call: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Result<T, End> {
    match call.await {
        Ok(v) => Ok(v),
        Err(StoreError::NotFound) => {
            conn.error(
                ErrorCode::SessionExpired,
                "this session has expired; reconnect to start a new one",
            )
            .await?;
            Err(End::Close(CLOSE_NORMAL, "session expired"))
        }
        Err(e) => {
            tracing::error!(error = %e, "session store call failed");
            conn.error(
                ErrorCode::Internal,
                "sessions are unavailable; please retry shortly",
            )
            .await?;
            Err(End::Close(1011, "session store unavailable"))
        }
    }
}

async fn serve(
    conn: &mut Conn,
    session: &mut Session,
    kicked: &tokio_util::sync::CancellationToken,
) -> Result<(), End> {
    let idle = conn.state.config.session_idle_timeout();
    let shutdown = conn.state.shutdown.clone();
    loop {
        let text = tokio::select! {
            text = conn.next_text() => text?,
            _ = kicked.cancelled() => return Err(End::Close(CLOSE_TAKEN_OVER, "session resumed on another connection")),
            _ = shutdown.cancelled() => return Err(End::Close(CLOSE_RESTART, "restarting, please reconnect")),
            _ = tokio::time::sleep(idle) => return Err(End::Close(CLOSE_IDLE, "idle")),
        };
        if text.len() > conn.state.config.max_frame_bytes {
            let limit = conn.state.config.max_frame_bytes;
            conn.error(
                ErrorCode::TooLarge,
                format!(
                    "frame of {} bytes is over the limit of {limit} bytes",
                    text.len()
                ),
            )
            .await?;
            continue;
        }
        match parse_client_frame(&text) {
            Err(e) => conn.error(e.code(), e.to_string()).await?,
            Ok(ClientFrame::Hello { .. }) => {
                conn.error(
                    ErrorCode::BadFrame,
                    "hello was already received on this connection",
                )
                .await?
            }
            Ok(ClientFrame::Message { id, text, payload }) => {
                on_message(conn, session, id, text, payload).await?
            }
            Ok(ClientFrame::Locale { locale }) => on_locale(conn, session, &locale).await?,
            Ok(ClientFrame::Handoff { .. }) => {
                let content = conn.state.content.load_full();
                let locale = bot::current_locale(&content, &session.state);
                handoff_unavailable(conn, session, &content, &locale).await?;
            }
            // Forwarded to the agent once one owns the conversation; nobody to tell yet.
            Ok(ClientFrame::Typing { .. }) => {}
            Ok(ClientFrame::Close) => {
                let store = conn.state.sessions.clone();
                store_call(conn, store.remove(&session.id)).await?;
                return Err(End::Close(CLOSE_NORMAL, "conversation closed"));
            }
        }
    }
}

async fn on_locale(conn: &mut Conn, session: &mut Session, tag: &str) -> Result<(), End> {
    let content = conn.state.content.load_full();
    let Some(locale) = language::negotiate(&[tag.to_string()], &content.locales) else {
        let supported: Vec<String> = content.locales.iter().map(|l| l.to_string()).collect();
        return conn
            .error(
                ErrorCode::Unsupported,
                format!(
                    "locale {tag:?} is not supported; supported: {}",
                    supported.join(", ")
                ),
            )
            .await;
    };
    session.state.explicit_locale = Some(locale.to_string());
    let store = conn.state.sessions.clone();
    store_call(conn, store.save_state(&session.id, &session.state)).await
}

async fn on_message(
    conn: &mut Conn,
    session: &mut Session,
    id: String,
    text: String,
    payload: Option<String>,
) -> Result<(), End> {
    let config = conn.state.config.clone();
    if text.chars().count() > config.max_text_chars {
        return conn
            .error(
                ErrorCode::TooLarge,
                format!(
                    "message text is over the limit of {} characters",
                    config.max_text_chars
                ),
            )
            .await;
    }
    let content: Arc<Content> = conn.state.content.load_full();
    let turn = match bot::respond(
        &content,
        &session.state,
        &text,
        payload.as_deref(),
        config.fallback_threshold,
    ) {
        Ok(turn) => turn,
        Err(e) => {
            tracing::error!(error = %e, "bot could not answer");
            return conn
                .error(ErrorCode::Internal, "the answer could not be produced")
                .await;
        }
    };
    let store = conn.state.sessions.clone();
    let customer = Visible::Message(MessageEvent {
        seq: 0,
        from: From::Customer,
        text,
        locale: turn.locale.to_string(),
        at: now_rfc3339(),
        bot: None,
        agent: None,
    });
    let seq = match store_call(conn, store.record_message(&session.id, &id, customer)).await? {
        Recorded::Duplicate {
            seq,
            answered: true,
        } => {
            return conn.send(&ServerFrame::Ack { id, seq }).await;
        }
        Recorded::Duplicate {
            seq,
            answered: false,
        }
        | Recorded::New { seq } => seq,
    };
    conn.send(&ServerFrame::Ack {
        id: id.clone(),
        seq,
    })
    .await?;
    record_metrics(&turn);
    let reply = bot_message(&turn, &content, id.clone());
    let stored = store_call(conn, store.append(&session.id, reply.clone(), Some(&id))).await?;
    let mut reply = reply;
    reply.set_seq(stored);
    conn.send(&ServerFrame::Visible(reply)).await?;
    session.state = turn.state.clone();
    store_call(conn, store.save_state(&session.id, &session.state)).await?;
    if turn.handoff.is_some() {
        handoff_unavailable(conn, session, &content, &turn.locale).await?;
    }
    Ok(())
}

fn record_metrics(turn: &Turn) {
    let locale = turn.locale.to_string();
    let intent = turn.intent.clone().unwrap_or_else(|| "fallback".into());
    metrics::counter!(ops::CUSTOMER_MESSAGES, "locale" => locale.clone()).increment(1);
    if turn.intent.is_none() {
        metrics::counter!(ops::FALLBACKS, "locale" => locale.clone()).increment(1);
    }
    metrics::counter!(ops::BOT_REPLIES, "locale" => locale, "intent" => intent).increment(1);
    metrics::histogram!(ops::REPLY_SECONDS).record(turn.elapsed.as_secs_f64());
    tracing::debug!(
        locale = %turn.locale,
        reason = turn.reason.as_str(),
        intent = turn.intent.as_deref().unwrap_or("fallback"),
        confidence = turn.confidence,
        "answered"
    );
}

fn bot_message(turn: &Turn, content: &Content, in_reply_to: String) -> Visible {
    Visible::Message(MessageEvent {
        seq: 0,
        from: From::Bot,
        text: turn.text.clone(),
        locale: turn.locale.to_string(),
        at: now_rfc3339(),
        bot: Some(BotFields {
            in_reply_to: Some(in_reply_to),
            intent: turn.intent.clone(),
            confidence: turn.confidence,
            suggestions: turn
                .suggestions
                .iter()
                .map(|s| Suggestion {
                    text: s.text.clone(),
                    payload: s.payload.clone(),
                })
                .collect(),
            content_version: content.version.clone(),
        }),
        agent: None,
    })
}

/// No agent channel serves this node yet, so a hand-off cannot be taken: the customer is told
/// so, in their language, with what happens next.
async fn handoff_unavailable(
    conn: &mut Conn,
    session: &mut Session,
    content: &Content,
    locale: &LanguageIdentifier,
) -> Result<(), End> {
    let text = content
        .templates
        .format(locale, content::HANDOFF_UNAVAILABLE, &[])
        .unwrap_or_default();
    let mut event = Visible::Handoff(HandoffEvent {
        seq: 0,
        state: HandoffState::Unavailable,
        text,
        at: now_rfc3339(),
        position: None,
        wait_estimate_s: None,
    });
    let store = conn.state.sessions.clone();
    let seq = store_call(conn, store.append(&session.id, event.clone(), None)).await?;
    event.set_seq(seq);
    conn.send(&ServerFrame::Visible(event)).await
}

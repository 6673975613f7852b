//! One customer connection: `hello`, then frames until close, takeover or shutdown.
//!
//! Visible events reach the customer only from the session store, in `seq` order (`flush`):
//! the connection's own bot replies, and what the agent's side (maybe another node) stored and
//! announced with a note. So nothing is sent twice or out of order, and what a dropped
//! connection missed is replayed on resume.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};

use crate::bot::ConversationState;
use crate::bot::{self, HandoffReason, Turn};
use crate::content::Content;
use crate::handoff::{Note, Status, Topic};
use crate::ids::{AgentId, Locale, SessionId};
use crate::language;
use crate::protocol::{
    close, now_rfc3339, parse_client_frame, BotFields, ClientFrame, ErrorCode, From, HandoffState,
    MessageEvent, Presence, Resume, ServerFrame, Suggestion, Visible,
};
use crate::session::{Recorded, Session, StoreError};
use crate::state::AppState;
use crate::telemetry;
use crate::transport::limits::{FrameLimiter, Verdict};
use crate::transport::socket::{End, Socket};

struct Conn {
    state: AppState,
    socket: Socket,
}

impl Conn {
    async fn send(&mut self, frame: &ServerFrame) -> Result<(), End> {
        self.socket.send_text(frame.encode()).await
    }

    async fn error(&mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), End> {
        self.socket.error(code, message).await
    }

    async fn next_text(&mut self) -> Result<String, End> {
        self.socket.next_text().await
    }
}

/// A connection's hold on its session.
struct Live {
    session: Session,
    /// Highest `seq` this connection has delivered (or that the customer already had).
    sent: u64,
    /// The queue position last told, to re-send only when it changes.
    told_position: Option<u32>,
    /// The mark of the customer's presence this connection holds (see `Desk::presence`), while
    /// the conversation waits for or talks to a person.
    presence: Option<u64>,
}

pub async fn run(state: AppState, socket: Socket) {
    metrics::gauge!(telemetry::CONNECTIONS_ACTIVE).increment(1.0);
    let mut conn = Conn { state, socket };
    if let Err(end) = converse(&mut conn).await {
        conn.socket.finish(end).await;
    }
    metrics::gauge!(telemetry::CONNECTIONS_ACTIVE).decrement(1.0);
}

/// The whole life of a connection. Returns how it should be closed.
async fn converse(conn: &mut Conn) -> Result<(), End> {
    let hello_timeout = Duration::from_secs(conn.state.config.hello_timeout_s);
    let shutdown = conn.state.shutdown.clone();
    let first = tokio::select! {
        first = conn.next_text() => first?,
        _ = tokio::time::sleep(hello_timeout) => {
            conn.error(ErrorCode::BadFrame, "expected a hello frame").await?;
            return Err(End::Close(close::POLICY, "no hello"));
        }
        _ = shutdown.cancelled() => return Err(End::Close(close::RESTART, "restarting")),
    };
    let (locales, resume) = match parse_client_frame(&first) {
        Ok(ClientFrame::Hello { locales, resume }) => (locales, resume),
        Ok(_) => {
            conn.error(ErrorCode::BadFrame, "the first frame must be hello")
                .await?;
            return Err(End::Close(close::POLICY, "first frame must be hello"));
        }
        Err(e) => {
            conn.error(
                ErrorCode::BadFrame,
                format!("the first frame must be hello ({e})"),
            )
            .await?;
            return Err(End::Close(close::POLICY, "first frame must be hello"));
        }
    };

    // Subscribe before the session is delivered, so no note in between is missed.
    let (session, resumed_from) = open_session(conn, &locales, resume.as_ref()).await?;
    let notifier = conn.state.handoff.notifier();
    let mut own_notes = notifier.subscribe(Topic::Customer(session.id.clone()));
    let attachment = conn.state.hub.attach(&session.id);
    let mut live = Live {
        sent: resumed_from,
        session,
        told_position: None,
        presence: None,
    };
    flush(conn, &mut live).await?;
    if live.session.state.handoff_requested {
        // Waiting for or talking to a person: they are (back) here, and a resumed conversation
        // is told when its place in the queue moves from where it is now.
        live.presence = conn
            .state
            .desk
            .presence(&live.session.id, Presence::Online, None)
            .await;
        if let Ok(Status::Queued { position, .. }) =
            conn.state.handoff.status(&live.session.id).await
        {
            live.told_position = live.told_position.or(Some(position));
        }
    }
    let result = serve(conn, &mut live, &attachment.kicked, &mut own_notes).await;
    conn.state
        .hub
        .detach(&live.session.id, attachment.connection);
    // Taken over on this node: the new connection holds the presence already.
    let taken_over = matches!(result, Err(End::Close(close::TAKEN_OVER, _)));
    if let Some(mine) = live.presence.filter(|_| !taken_over) {
        left(&conn.state, &live.session.id, mine).await;
    }
    result
}

/// The customer's connection ended (tab closed, network lost, idle): unless another connection
/// took the conversation over since (`mine` is no longer the presence's mark), their agent or
/// queue is told they left, and unless they are back within the grace time, their place is
/// released.
async fn left(state: &AppState, session: &SessionId, mine: u64) {
    let Some(mark) = state
        .desk
        .presence(session, Presence::Left, Some(mine))
        .await
    else {
        return;
    };
    let (state, session) = (state.clone(), session.clone());
    let grace = Duration::from_secs(state.config.customer_grace_s);
    tokio::spawn(async move {
        tokio::select! {
            _ = tokio::time::sleep(grace) => {}
            // A node going down leaves the place to the customer's return on another node.
            _ = state.shutdown.cancelled() => return,
        }
        if state.desk.release_if_left(&session, mark).await {
            tracing::info!(session = %crate::privacy::for_log(session.as_str()), "a departed customer's hand-off was released");
        }
    });
}

/// Creates or resumes the session and sends `welcome`. Returns the session and the `seq` the
/// client already has (the replay is the first flush).
async fn open_session(
    conn: &mut Conn,
    locales: &[String],
    resume: Option<&Resume>,
) -> Result<(Session, u64), End> {
    let content = conn.state.content.load_full();
    let negotiated = language::negotiate(locales, &content.locales).map(|l| l.to_string());
    let store = conn.state.sessions.clone();
    if let Some(resume) = resume {
        // An id that cannot be a session's is no session's: it has ended, as far as the
        // client can tell.
        let resumed = match resume.session.parse::<SessionId>() {
            Ok(id) => store.resume(&id, &resume.token).await,
            Err(_) => Err(StoreError::NotFound),
        };
        match resumed {
            Ok(mut session) => {
                if negotiated.is_some() && negotiated != session.state.negotiated {
                    session.state.negotiated = negotiated;
                    store_call(conn, store.save_state(&session.id, &session.state)).await?;
                }
                conn.send(&ServerFrame::Welcome {
                    session: session.id.to_string(),
                    token: session.token.expose().to_string(),
                    locale: bot::current_locale(&content, &session.state).to_string(),
                    resumed: true,
                    last_seq: session.last_seq,
                })
                .await?;
                let already = resume.last_seq.min(session.last_seq);
                return Ok((session, already));
            }
            Err(StoreError::BadToken) => {
                tracing::warn!(session = %crate::privacy::for_log(&resume.session), "resume refused: wrong token");
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
                return Err(End::Close(
                    close::INTERNAL_ERROR,
                    "session store unavailable",
                ));
            }
        }
    }
    let state = ConversationState {
        negotiated,
        ..Default::default()
    };
    let session = store_call(conn, store.create(state)).await?;
    conn.send(&ServerFrame::Welcome {
        session: session.id.to_string(),
        token: session.token.expose().to_string(),
        locale: bot::current_locale(&content, &session.state).to_string(),
        resumed: false,
        last_seq: 0,
    })
    .await?;
    Ok((session, 0))
}

/// Runs a store call; a store failure becomes an error frame and a close.
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
            Err(End::Close(close::NORMAL, "session expired"))
        }
        Err(e) => {
            tracing::error!(error = %e, "session store call failed");
            conn.error(
                ErrorCode::Internal,
                "sessions are unavailable; please retry shortly",
            )
            .await?;
            Err(End::Close(
                close::INTERNAL_ERROR,
                "session store unavailable",
            ))
        }
    }
}

/// How long a re-read of the transcript keeps trying a store that says it is unavailable.
const READ_RETRY_FOR: Duration = Duration::from_secs(15);

/// Runs `read` again while the store says it is unavailable, for up to `retry_for`, pausing
/// 100 ms, 200 ms, … (at most 2 s) between tries. A Redis failover takes seconds, and every
/// live connection re-reads its transcript when the node's notes resume: closing each of them
/// on the first failed read would disconnect every customer of the node at once. For reads
/// only: a write that failed half-way must not be sent twice.
async fn read_retrying<T, F, Fut>(retry_for: Duration, mut read: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let deadline = tokio::time::Instant::now() + retry_for;
    let mut pause = Duration::from_millis(100);
    loop {
        match read().await {
            Err(StoreError::Unavailable(e)) if tokio::time::Instant::now() + pause < deadline => {
                tracing::warn!(error = %e, retry_in_ms = pause.as_millis() as u64, "session store unavailable; reading again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            answer => return answer,
        }
    }
}

/// Sends every stored event the customer does not have yet, in `seq` order.
async fn flush(conn: &mut Conn, live: &mut Live) -> Result<(), End> {
    let store = conn.state.sessions.clone();
    let (id, after) = (&live.session.id, live.sent);
    let read = read_retrying(READ_RETRY_FOR, || store.events_after(id, after));
    let events = store_call(conn, read).await?;
    for event in events {
        let seq = event.seq();
        // Whoever wrote it (this node or an agent's), the customer now knows where they stand:
        // a queue move tells them again only when their place differs from this.
        if let Visible::Handoff(h) = &event {
            live.told_position = match h.state {
                HandoffState::Queued => h.position,
                _ => None,
            };
        }
        conn.send(&ServerFrame::Visible(event)).await?;
        live.sent = seq;
    }
    Ok(())
}

async fn serve(
    conn: &mut Conn,
    live: &mut Live,
    kicked: &tokio_util::sync::CancellationToken,
    own_notes: &mut broadcast::Receiver<Note>,
) -> Result<(), End> {
    let idle = conn.state.config.session_idle_timeout();
    // A child of the node's token: waiting on it takes this connection's lock, not one that
    // every connection of the node takes at every frame.
    let shutdown = conn.state.shutdown.child_token();
    let limiter = FrameLimiter::new(&conn.state.config);
    // The queues' changes, only while this conversation asked for a human: the channel is the
    // node's, and a subscriber is woken by every change of every queue (and takes the
    // channel's lock each time it waits) — for nothing when it waits in no queue.
    let mut queue_notes: Option<broadcast::Receiver<Note>> = None;
    loop {
        if live.session.state.handoff_requested && queue_notes.is_none() {
            queue_notes = Some(conn.state.handoff.notifier().subscribe(Topic::Queues));
            // Asked on this connection: the position told then may have changed before the
            // subscription, so look once. (A resumed conversation is told at the next change,
            // as before: telling it at every reconnection would add to its transcript.)
            if live.told_position.is_some() {
                tell_position(conn, live, None).await?;
            }
        }
        let text = tokio::select! {
            text = conn.next_text() => text?,
            note = own_notes.recv() => {
                on_own_note(conn, live, note).await?;
                continue;
            }
            note = next_note(&mut queue_notes) => {
                on_queue_note(conn, live, note).await?;
                continue;
            }
            _ = kicked.cancelled() => return Err(End::Close(close::TAKEN_OVER, "session resumed on another connection")),
            _ = shutdown.cancelled() => return Err(End::Close(close::RESTART, "restarting, please reconnect")),
            _ = tokio::time::sleep(idle) => return Err(End::Close(close::IDLE, "idle")),
        };
        match limiter.check() {
            Verdict::Allowed => {}
            Verdict::Limited => {
                let config = &conn.state.config;
                let message = format!(
                    "too many frames: at most {} a second ({} at once); this one was not processed",
                    config.rate_limit_per_s, config.rate_limit_burst
                );
                conn.error(ErrorCode::RateLimited, message).await?;
                continue;
            }
            Verdict::Abuse => {
                tracing::info!(session = %live.session.id, "closing a connection that keeps flooding");
                conn.error(
                    ErrorCode::RateLimited,
                    "too many frames after being told to slow down; closing",
                )
                .await?;
                return Err(End::Close(close::POLICY, "rate limit exceeded"));
            }
        }
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
                on_message(conn, live, id, text, payload).await?
            }
            Ok(ClientFrame::Locale { locale }) => on_locale(conn, live, &locale).await?,
            Ok(ClientFrame::Handoff { reason }) => {
                let reason = reason.map_or("requested".to_string(), |r| format!("requested: {r}"));
                request_handoff(conn, live, &reason, "").await?;
            }
            Ok(ClientFrame::Typing { on }) => {
                if let Ok(Status::Assigned { agent, .. }) =
                    conn.state.handoff.status(&live.session.id).await
                {
                    let note = Note::Typing {
                        conversation: live.session.id.clone(),
                        from: From::Customer,
                        on,
                    };
                    let _ = conn
                        .state
                        .handoff
                        .publish(Topic::Agent(agent.id), note)
                        .await;
                }
            }
            Ok(ClientFrame::Presence { visible }) => {
                if let Some(mine) = live.presence {
                    let presence = if visible {
                        Presence::Online
                    } else {
                        Presence::Away
                    };
                    live.presence = conn
                        .state
                        .desk
                        .presence(&live.session.id, presence, Some(mine))
                        .await;
                }
            }
            Ok(ClientFrame::Close) => {
                on_close(conn, live).await?;
                return Err(End::Close(close::NORMAL, "conversation closed"));
            }
        }
    }
}

async fn on_own_note(
    conn: &mut Conn,
    live: &mut Live,
    note: Result<Note, RecvError>,
) -> Result<(), End> {
    match note {
        Ok(Note::Typing { from, on, .. }) => conn.send(&ServerFrame::Typing { from, on }).await,
        // New events, or notes lost while we were slow: re-read the store.
        Ok(_) | Err(RecvError::Lagged(_)) => flush(conn, live).await,
        Err(RecvError::Closed) => Ok(()),
    }
}

/// The next note of `notes`; never, without a subscription.
async fn next_note(notes: &mut Option<broadcast::Receiver<Note>>) -> Result<Note, RecvError> {
    match notes {
        Some(notes) => notes.recv().await,
        None => std::future::pending().await,
    }
}

/// A queue moved: if this customer waits in it and their place changed, tell them.
async fn on_queue_note(
    conn: &mut Conn,
    live: &mut Live,
    note: Result<Note, RecvError>,
) -> Result<(), End> {
    let changed = match note {
        Ok(Note::QueueChanged { locale }) => locale,
        Err(RecvError::Lagged(_)) => None,
        Ok(_) | Err(RecvError::Closed) => return Ok(()),
    };
    tell_position(conn, live, changed).await
}

/// Tells a queued customer their place when it is not the one last told. `changed`: the
/// locale whose queue moved (`None`: any may have).
async fn tell_position(
    conn: &mut Conn,
    live: &mut Live,
    changed: Option<Locale>,
) -> Result<(), End> {
    // A conversation that never asked for a human waits in no queue.
    if !live.session.state.handoff_requested {
        return Ok(());
    }
    let Ok(Status::Queued { locale, position }) = conn.state.handoff.status(&live.session.id).await
    else {
        live.told_position = None;
        return Ok(());
    };
    let elsewhere = changed.is_some_and(|c| c != locale);
    // Nothing told yet (just requeued by an agent's side, whose own event says where they
    // stand): telling now as well would give the customer two notes for one move.
    if elsewhere || live.told_position.is_none_or(|told| told == position) {
        return Ok(());
    }
    live.told_position = Some(position);
    let desk = conn.state.desk.clone();
    let state = live.session.state.clone();
    store_call(
        conn,
        desk.tell_queued(
            &live.session.id,
            &state,
            &locale,
            position,
            crate::content::HANDOFF_QUEUED,
        ),
    )
    .await?;
    flush(conn, live).await
}

async fn on_close(conn: &mut Conn, live: &mut Live) -> Result<(), End> {
    if let Ok(Status::Queued { .. }) = conn.state.handoff.status(&live.session.id).await {
        metrics::counter!(telemetry::HANDOFFS_ABANDONED).increment(1);
    }
    match conn.state.handoff.cancel(&live.session.id).await {
        Ok(Some(agent)) => {
            let note = Note::Released {
                conversation: live.session.id.clone(),
                reason: "customer_closed".into(),
            };
            let _ = conn
                .state
                .handoff
                .publish(Topic::Agent(agent.id), note)
                .await;
        }
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "could not cancel a hand-off on close"),
    }
    let store = conn.state.sessions.clone();
    store_call(conn, store.remove(&live.session.id)).await
}

async fn on_locale(conn: &mut Conn, live: &mut Live, tag: &str) -> Result<(), End> {
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
    live.session.state.explicit_locale = Some(locale.to_string());
    let store = conn.state.sessions.clone();
    store_call(
        conn,
        store.save_state(&live.session.id, &live.session.state),
    )
    .await
}

async fn request_handoff(
    conn: &mut Conn,
    live: &mut Live,
    reason: &str,
    last_message: &str,
) -> Result<(), End> {
    if !live.session.state.handoff_requested {
        // From now on every message asks the backend who owns the conversation (also after
        // a resume on another node).
        live.session.state.handoff_requested = true;
        let store = conn.state.sessions.clone();
        store_call(
            conn,
            store.save_state(&live.session.id, &live.session.state),
        )
        .await?;
    }
    let desk = conn.state.desk.clone();
    let state = live.session.state.clone();
    let outcome = store_call(
        conn,
        desk.request(&live.session.id, &state, reason, last_message),
    )
    .await?;
    if let crate::desk::Outcome::Queued { position } = outcome {
        live.told_position = Some(position);
        if live.presence.is_none() {
            // Waiting for a person from now on: this connection holds the customer's presence.
            let desk = conn.state.desk.clone();
            live.presence = desk
                .presence(&live.session.id, Presence::Online, None)
                .await;
        }
    }
    flush(conn, live).await
}

async fn on_message(
    conn: &mut Conn,
    live: &mut Live,
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
    // Deliver what is pending first, so this message's own event is the next seq and needs no
    // echo (its ack carries the seq).
    flush(conn, live).await?;
    // Only a conversation that asked for a human can be owned by an agent: the others skip
    // the backend (a lock in memory, a round trip to Redis) on every message.
    let mut queued_at = None;
    if live.session.state.handoff_requested {
        match conn.state.handoff.status(&live.session.id).await {
            Ok(Status::Assigned { agent, locale }) => {
                return to_agent(conn, live, id, text, agent.id, locale).await
            }
            Ok(Status::Queued { position, .. }) => queued_at = Some(position),
            _ => {}
        }
    }
    let content: Arc<Content> = conn.state.content.load_full();
    let mut turn = match bot::respond(
        &content,
        &live.session.state,
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
    if let Some(position) = queued_at {
        // Waiting for a person: one bot message still, fit for the situation.
        if !bot::answers_while_queued(&content, turn.intent.as_deref()) {
            turn.text = conn.state.desk.waiting_text(&turn.locale, position);
            turn.suggestions.clear();
        }
        turn.handoff = None;
    }
    let locale = turn.locale.to_string();
    if record(conn, live, &id, &text, &locale).await?.is_none() {
        return Ok(());
    }
    if queued_at.is_some() {
        conn.state
            .desk
            .update_preview(&live.session.id, &text)
            .await;
    }
    record_metrics(&turn, &locale);
    let store = conn.state.sessions.clone();
    let Turn {
        text: reply_text,
        intent,
        confidence,
        suggestions,
        handoff,
        state: next_state,
        ..
    } = turn;
    let reply = Visible::Message(MessageEvent {
        seq: 0,
        from: From::Bot,
        text: reply_text,
        locale,
        at: now_rfc3339(),
        bot: Some(BotFields {
            in_reply_to: Some(id.clone()),
            intent,
            confidence,
            suggestions: suggestions
                .into_iter()
                .map(|s| Suggestion {
                    text: s.text,
                    payload: s.payload,
                })
                .collect(),
            content_version: content.version.clone(),
        }),
        agent: None,
    });
    store_call(conn, store.append(&live.session.id, reply, Some(&id))).await?;
    live.session.state = next_state;
    // Saved with the turn's state, so the hand-off below starts as soon as before.
    live.session.state.handoff_requested |= handoff.is_some();
    store_call(
        conn,
        store.save_state(&live.session.id, &live.session.state),
    )
    .await?;
    flush(conn, live).await?;
    if let Some(reason) = &handoff {
        let reason = match reason {
            HandoffReason::Requested => "requested".to_string(),
            HandoffReason::Intent(intent) => format!("intent:{intent}"),
        };
        request_handoff(conn, live, &reason, &text).await?;
    }
    Ok(())
}

/// Records a customer message and acknowledges it. `None` when it was already answered (the
/// ack was re-sent and nothing else must happen).
async fn record(
    conn: &mut Conn,
    live: &mut Live,
    id: &str,
    text: &str,
    locale: &str,
) -> Result<Option<u64>, End> {
    let customer = Visible::Message(MessageEvent {
        seq: 0,
        from: From::Customer,
        text: text.to_string(),
        locale: locale.to_string(),
        at: now_rfc3339(),
        bot: None,
        agent: None,
    });
    let store = conn.state.sessions.clone();
    let recorded = store_call(conn, store.record_message(&live.session.id, id, customer)).await?;
    let (seq, fresh) = match recorded {
        Recorded::Duplicate {
            seq,
            answered: true,
        } => (seq, false),
        Recorded::Duplicate {
            seq,
            answered: false,
        }
        | Recorded::New { seq } => (seq, true),
    };
    if seq == live.sent + 1 {
        live.sent = seq;
    }
    conn.send(&ServerFrame::Ack {
        id: id.to_string(),
        seq,
    })
    .await?;
    Ok(fresh.then_some(seq))
}

/// While an agent owns the conversation, the customer's messages go to the agent and the bot
/// stays silent.
async fn to_agent(
    conn: &mut Conn,
    live: &mut Live,
    id: String,
    text: String,
    agent: AgentId,
    locale: Locale,
) -> Result<(), End> {
    let Some(seq) = record(conn, live, &id, &text, locale.as_str()).await? else {
        return Ok(());
    };
    // Mark it handled: a re-send after a reconnect is acknowledged, not forwarded again.
    let store = conn.state.sessions.clone();
    store_call(conn, store.mark_answered(&live.session.id, &id)).await?;
    let note = Note::CustomerMessage {
        conversation: live.session.id.clone(),
        seq,
        text,
        locale,
    };
    if let Err(e) = conn.state.handoff.publish(Topic::Agent(agent), note).await {
        // Stored in the transcript: the agent sees it in the conversation on reconnect.
        tracing::warn!(error = %e, "could not forward a customer message to the agent");
    }
    Ok(())
}

fn record_metrics(turn: &Turn, locale: &str) {
    telemetry::record_reply(locale, turn.intent.as_deref(), turn.elapsed);
    tracing::debug!(
        locale,
        reason = turn.decision.reason.as_str(),
        intent = turn.intent.as_deref().unwrap_or("fallback"),
        confidence = turn.confidence,
        "answered"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(start_paused = true)]
    async fn a_read_outlasts_a_store_outage_shorter_than_the_retry_window() {
        let calls = AtomicUsize::new(0);
        let answer = read_retrying(Duration::from_secs(15), || async {
            match calls.fetch_add(1, Ordering::SeqCst) {
                0..=3 => Err(StoreError::Unavailable("failover".into())),
                _ => Ok(7),
            }
        })
        .await;
        assert_eq!(answer, Ok(7));
        assert_eq!(calls.load(Ordering::SeqCst), 5);
    }

    #[tokio::test(start_paused = true)]
    async fn a_read_gives_up_when_the_store_stays_unavailable() {
        let started = tokio::time::Instant::now();
        let calls = AtomicUsize::new(0);
        let answer: Result<(), _> = read_retrying(Duration::from_secs(15), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(StoreError::Unavailable("down".into()))
        })
        .await;
        assert_eq!(answer, Err(StoreError::Unavailable("down".into())));
        let waited = started.elapsed();
        // Tries at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s, then every 2 s up to 13.1 s: the next pause
        // would end past the window.
        assert_eq!(calls.load(Ordering::SeqCst), 11);
        assert_eq!(waited, Duration::from_millis(13_100));
    }

    #[tokio::test(start_paused = true)]
    async fn other_store_errors_are_not_retried() {
        let calls = AtomicUsize::new(0);
        let answer: Result<(), _> = read_retrying(Duration::from_secs(15), || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(StoreError::NotFound)
        })
        .await;
        assert_eq!(answer, Err(StoreError::NotFound));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }
}

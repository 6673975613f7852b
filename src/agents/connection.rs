//! One agent connection: `auth`, then `ready`, then taking and serving conversations.

use std::collections::HashSet;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError};

use crate::content;
use crate::handoff::{now_ms, AgentRef, HandoffError, Note, Status, Ticket, Topic};
use crate::ids::{Locale, SessionId};
use crate::language;
use crate::protocol::{
    close, now_rfc3339, parse_agent_frame, AgentFrame, AgentIdentity, AgentRef as WireAgent,
    AgentServerFrame, ErrorCode, From, MessageEvent, NoteKind, PrivateNote, Visible, Waiting,
};
use crate::session::StoreError;
use crate::state::AppState;
use crate::telemetry;
use crate::transport::socket::{End, Socket};

struct Agent {
    state: AppState,
    socket: Socket,
    me: AgentRef,
    /// Locales and capacity, once `ready`.
    ready: Option<(Vec<Locale>, u32)>,
    /// Conversations this connection has shown as `assigned` (and not seen released).
    shown: HashSet<SessionId>,
    /// A backend call failed: a claim may have been made whose answer was lost. The next look
    /// at what the agent owns shows (and tells the customer of) any conversation not shown.
    unsure: bool,
}

impl Agent {
    /// The locales the agent said it is ready for (none before `ready`).
    fn ready_locales(&self) -> Vec<Locale> {
        self.ready
            .as_ref()
            .map(|(locales, _)| locales.clone())
            .unwrap_or_default()
    }

    async fn send(&mut self, frame: &AgentServerFrame) -> Result<(), End> {
        self.socket.send_text(frame.encode()).await
    }

    /// The conversation is no longer the agent's: forgotten here, and the agent told why.
    async fn released(&mut self, conversation: SessionId, reason: String) -> Result<(), End> {
        self.shown.remove(&conversation);
        self.send(&AgentServerFrame::Released {
            conversation: conversation.into(),
            reason,
        })
        .await
    }

    async fn error(&mut self, code: ErrorCode, message: impl Into<String>) -> Result<(), End> {
        self.socket.error(code, message).await
    }

    /// Reports a backend failure to the agent; the connection stays.
    async fn failed(&mut self, e: HandoffError) -> Result<(), End> {
        match e {
            HandoffError::NotFound => {
                self.error(ErrorCode::NotFound, "no such conversation for you")
                    .await
            }
            HandoffError::Conflict => {
                self.error(
                    ErrorCode::Conflict,
                    "another agent already took that conversation",
                )
                .await
            }
            HandoffError::Unavailable(reason) => {
                self.unsure = true;
                tracing::error!(%reason, "hand-off backend unavailable");
                self.error(
                    ErrorCode::Internal,
                    "the hand-off queue is unavailable; retry shortly",
                )
                .await
            }
        }
    }

    async fn store_failed(&mut self, e: StoreError) -> Result<(), End> {
        match e {
            StoreError::NotFound => {
                self.error(ErrorCode::NotFound, "that conversation has ended")
                    .await
            }
            other => {
                tracing::error!(error = %other, "session store unavailable");
                self.error(
                    ErrorCode::Internal,
                    "sessions are unavailable; retry shortly",
                )
                .await
            }
        }
    }
}

pub async fn run(state: AppState, mut socket: Socket) {
    let timeout = Duration::from_secs(state.config.agent_auth_timeout_s);
    let me = match tokio::time::timeout(timeout, socket.next_text()).await {
        Err(_) => {
            let _ = socket
                .error(ErrorCode::Unauthorized, "send auth first")
                .await;
            socket.close(close::POLICY, "no auth").await;
            return;
        }
        Ok(Err(end)) => return socket.finish(end).await,
        Ok(Ok(text)) => match parse_agent_frame(&text) {
            Ok(AgentFrame::Auth { token }) => {
                match super::authenticate(&state.config.agents, &token) {
                    Some(me) => me,
                    None => {
                        tracing::warn!("agent authentication refused");
                        let _ = socket
                            .error(ErrorCode::Unauthorized, "unknown agent token")
                            .await;
                        socket.close(close::POLICY, "unauthorized").await;
                        return;
                    }
                }
            }
            _ => {
                let _ = socket
                    .error(ErrorCode::Unauthorized, "the first frame must be auth")
                    .await;
                socket.close(close::POLICY, "unauthorized").await;
                return;
            }
        },
    };
    metrics::gauge!(telemetry::AGENTS_CONNECTED).increment(1.0);
    let mut agent = Agent {
        state,
        socket,
        me,
        ready: None,
        shown: HashSet::new(),
        unsure: false,
    };
    let result = serve(&mut agent).await;
    if agent.ready.is_some() {
        gone(&agent.state, &agent.me).await;
    }
    if let Err(end) = result {
        agent.socket.finish(end).await;
    }
    metrics::gauge!(telemetry::AGENTS_CONNECTED).decrement(1.0);
}

/// The agent's connection ended: unless they are back in time, their conversations return to
/// the queue and their customers are told.
async fn gone(state: &AppState, me: &AgentRef) {
    let mark = match state.handoff.agent_gone(&me.id).await {
        Ok(mark) => mark,
        Err(e) => {
            tracing::warn!(error = %e, "could not record an agent leaving");
            return;
        }
    };
    let (state, me) = (state.clone(), me.clone());
    let wait = Duration::from_secs(state.config.agent_reconnect_timeout_s);
    tokio::spawn(async move {
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = state.shutdown.cancelled() => return,
        }
        match state.handoff.requeue_if_gone(&me.id, mark).await {
            Ok(tickets) => {
                for ticket in tickets {
                    if let Err(e) = state
                        .desk
                        .requeued(&ticket.conversation, content::HANDOFF_REQUEUED)
                        .await
                    {
                        tracing::warn!(error = %e, "could not tell a customer about the requeue");
                    }
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not requeue a vanished agent's conversations")
            }
        }
    });
}

async fn serve(agent: &mut Agent) -> Result<(), End> {
    let me = agent.me.clone();
    agent
        .send(&AgentServerFrame::Welcome {
            agent: AgentIdentity {
                id: me.id.to_string(),
                name: me.name.clone(),
            },
        })
        .await?;
    let notifier = agent.state.handoff.notifier();
    let mut own: broadcast::Receiver<Note> = notifier.subscribe(Topic::Agent(me.id.clone()));
    let mut queues: broadcast::Receiver<Note> = notifier.subscribe(Topic::Queues);
    let attachment = agent.state.agent_hub.attach(&me.id);
    let shutdown = agent.state.shutdown.clone();
    // The heartbeat outlives a beat or two missed; past it, other nodes presume this one dead.
    let alive_ms = agent.state.config.agent_reconnect_timeout_s.max(1) * 1000;
    let mut beat = tokio::time::interval(Duration::from_millis(alive_ms / 3));
    let result = loop {
        let text = tokio::select! {
            text = agent.socket.next_text() => match text {
                Ok(text) => text,
                Err(end) => break Err(end),
            },
            note = own.recv() => {
                if let Err(end) = on_note(agent, note).await { break Err(end) }
                continue;
            }
            note = queues.recv() => {
                let relevant = match &note {
                    Ok(Note::QueueChanged { locale }) => agent
                        .ready
                        .as_ref()
                        .is_some_and(|(l, _)| locale.as_ref().is_none_or(|c| l.contains(c))),
                    Err(RecvError::Lagged(_)) => agent.ready.is_some(),
                    _ => false,
                };
                if relevant {
                    if let Err(end) = send_queue(agent).await { break Err(end) }
                }
                continue;
            }
            _ = beat.tick() => {
                if agent.unsure && agent.ready.is_some() {
                    if let Ok(owned) = agent.state.handoff.owned_by(&me.id).await {
                        if let Err(end) = reconcile(agent, owned).await { break Err(end) }
                    }
                }
                if agent.ready.is_some() {
                    if let Err(e) = agent.state.handoff.heartbeat(&me.id, alive_ms).await {
                        tracing::warn!(error = %e, "agent heartbeat not recorded");
                    }
                }
                continue;
            }
            _ = attachment.kicked.cancelled() => break Err(End::Close(close::TAKEN_OVER, "signed in on another connection")),
            _ = shutdown.cancelled() => break Err(End::Close(close::RESTART, "restarting, please reconnect")),
        };
        if let Err(end) = on_frame(agent, &text).await {
            break Err(end);
        }
    };
    agent.state.agent_hub.detach(&me.id, attachment.connection);
    result
}

async fn on_note(agent: &mut Agent, note: Result<Note, RecvError>) -> Result<(), End> {
    match note {
        Ok(Note::CustomerMessage {
            conversation,
            seq,
            text,
            locale,
        }) => {
            agent
                .send(&AgentServerFrame::Message {
                    conversation: conversation.into(),
                    seq,
                    from: From::Customer,
                    text,
                    locale: locale.into(),
                })
                .await
        }
        Ok(Note::Typing {
            conversation, on, ..
        }) => {
            agent
                .send(&AgentServerFrame::Typing {
                    conversation: conversation.into(),
                    on,
                })
                .await
        }
        Ok(Note::Released {
            conversation,
            reason,
        }) => agent.released(conversation, reason).await,
        Ok(Note::Presence {
            conversation,
            state,
        }) => {
            agent
                .send(&AgentServerFrame::Presence {
                    conversation: conversation.into(),
                    state,
                })
                .await
        }
        Ok(Note::Events | Note::QueueChanged { .. }) | Err(RecvError::Closed) => Ok(()),
        Err(RecvError::Lagged(missed)) => {
            tracing::warn!(missed, agent = %agent.me.id, "agent notes lost; resending owned conversations");
            resend_owned(agent).await
        }
    }
}

async fn send_queue(agent: &mut Agent) -> Result<(), End> {
    let Some((locales, _)) = agent.ready.clone() else {
        return Ok(());
    };
    let tickets = match agent.state.handoff.waiting(&locales).await {
        Ok(t) => t,
        Err(e) => return agent.failed(e).await,
    };
    let now = now_ms();
    for locale in &locales {
        let count = tickets.iter().filter(|t| &t.locale == locale).count();
        metrics::gauge!(telemetry::HANDOFF_WAITING, "locale" => locale.to_string())
            .set(count as f64);
    }
    let waiting = tickets
        .into_iter()
        .map(|t| Waiting {
            conversation: t.conversation.into(),
            locale: t.locale.into(),
            waiting_s: now.saturating_sub(t.enqueued_ms) / 1000,
            preview: t.preview,
            presence: t.presence,
        })
        .collect();
    agent.send(&AgentServerFrame::Queue { waiting }).await
}

/// After a reconnect (or lost notes): the conversations this agent still owns, in full.
async fn resend_owned(agent: &mut Agent) -> Result<(), End> {
    let owned = match agent.state.handoff.owned_by(&agent.me.id).await {
        Ok(owned) => owned,
        Err(e) => return agent.failed(e).await,
    };
    for ticket in owned {
        send_assigned(agent, &ticket).await?;
    }
    Ok(())
}

/// After a backend failure: conversations the agent owns but this connection never showed
/// (a claim whose answer was lost) are taken now — the customer is told, the agent gets them.
async fn reconcile(agent: &mut Agent, owned: Vec<Ticket>) -> Result<usize, End> {
    agent.unsure = false;
    let mut delivered = 0;
    for ticket in owned {
        if !agent.shown.contains(&ticket.conversation) {
            tracing::info!(conversation = %ticket.conversation, "a claim whose answer was lost is delivered");
            take(agent, ticket).await?;
            delivered += 1;
        }
    }
    Ok(delivered)
}

async fn send_assigned(agent: &mut Agent, ticket: &Ticket) -> Result<(), End> {
    agent.shown.insert(ticket.conversation.clone());
    let events = match agent
        .state
        .sessions
        .events_after(&ticket.conversation, 0)
        .await
    {
        Ok(events) => events,
        Err(e) => return agent.store_failed(e).await,
    };
    let transcript: Vec<MessageEvent> = events
        .into_iter()
        .filter_map(|e| match e {
            Visible::Message(m) => Some(m),
            Visible::Handoff(_) => None,
        })
        .collect();
    let canned = agent.state.desk.canned(&ticket.locale, &agent.me);
    agent
        .send(&AgentServerFrame::Assigned {
            conversation: ticket.conversation.to_string(),
            locale: ticket.locale.to_string(),
            transcript,
            context: ticket.context.clone(),
            presence: ticket.presence,
            notes: ticket.notes.clone(),
            canned,
        })
        .await
}

/// The conversation's locale if this agent owns it; tells the agent `not_found` otherwise.
async fn owned(agent: &mut Agent, conversation: &SessionId) -> Result<Option<Locale>, End> {
    match agent.state.handoff.status(conversation).await {
        Ok(Status::Assigned {
            agent: owner,
            locale,
        }) if owner.id == agent.me.id => Ok(Some(locale)),
        Ok(_) => {
            agent
                .error(ErrorCode::NotFound, "you do not own that conversation")
                .await?;
            Ok(None)
        }
        Err(e) => {
            agent.failed(e).await?;
            Ok(None)
        }
    }
}

/// Whether the agent may take one more conversation; tells them why not.
async fn has_room(agent: &mut Agent) -> Result<bool, End> {
    let Some((_, capacity)) = agent.ready.clone() else {
        agent
            .error(ErrorCode::BadFrame, "send ready with your languages first")
            .await?;
        return Ok(false);
    };
    let owned = agent.state.handoff.owned_by(&agent.me.id).await;
    if let (true, Ok(owned)) = (agent.unsure, &owned) {
        // A lost claim answers this request: the conversation it took is delivered now.
        if reconcile(agent, owned.clone()).await? > 0 {
            return Ok(false);
        }
    }
    match owned {
        Ok(owned) if owned.len() >= capacity as usize => {
            agent
                .error(
                    ErrorCode::Conflict,
                    format!("you already have {capacity} conversation(s), your capacity"),
                )
                .await?;
            Ok(false)
        }
        Ok(_) => Ok(true),
        Err(e) => {
            agent.failed(e).await?;
            Ok(false)
        }
    }
}

async fn take(agent: &mut Agent, ticket: Ticket) -> Result<(), End> {
    if let Err(e) = agent.state.desk.assigned(&ticket, &agent.me).await {
        tracing::warn!(error = %e, "could not tell the customer about the assignment");
    }
    send_assigned(agent, &ticket).await
}

/// One frame from the agent: size-checked, parsed, and handed to the handler of its type.
async fn on_frame(agent: &mut Agent, text: &str) -> Result<(), End> {
    if text.len() > agent.state.config.max_frame_bytes {
        return agent
            .error(ErrorCode::TooLarge, "frame over the size limit")
            .await;
    }
    let frame = match parse_agent_frame(text) {
        Ok(frame) => frame,
        Err(e) => return agent.error(e.code(), e.to_string()).await,
    };
    match frame {
        AgentFrame::Auth { .. } => agent.error(ErrorCode::BadFrame, "already signed in").await,
        AgentFrame::Ready {
            languages,
            capacity,
        } => on_ready(agent, languages, capacity).await,
        AgentFrame::Next => on_next(agent).await,
        AgentFrame::Claim { conversation } => on_claim(agent, conversation).await,
        AgentFrame::Message {
            conversation,
            text,
            id,
        } => on_message(agent, conversation, text, id).await,
        AgentFrame::Typing { conversation, on } => on_typing(agent, conversation, on).await,
        AgentFrame::Transfer {
            conversation,
            locale,
            note,
        } => on_transfer(agent, conversation, locale, note).await,
        AgentFrame::Note {
            conversation,
            text,
            id,
        } => on_private_note(agent, conversation, text, id).await,
        AgentFrame::Coverage => on_coverage(agent).await,
        AgentFrame::Resolve { conversation } => on_resolve(agent, conversation).await,
    }
}

/// `ready`: the agent serves these languages (those the content supports), this many
/// conversations at once; they get their queue and what they already own.
async fn on_ready(agent: &mut Agent, languages: Vec<String>, capacity: u32) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let content = agent.state.content.load_full();
    let mut locales: Vec<Locale> = languages
        .iter()
        .filter_map(|tag| language::negotiate(std::slice::from_ref(tag), &content.locales))
        .map(Locale::from)
        .collect();
    locales.sort();
    locales.dedup();
    if locales.is_empty() {
        return agent
            .error(
                ErrorCode::Unsupported,
                format!("none of {languages:?} is a supported locale"),
            )
            .await;
    }
    if let Err(e) = backend.agent_ready(&agent.me, &locales).await {
        return agent.failed(e).await;
    }
    let alive_ms = agent.state.config.agent_reconnect_timeout_s.max(1) * 1000;
    if let Err(e) = backend.heartbeat(&agent.me.id, alive_ms).await {
        tracing::warn!(error = %e, "agent heartbeat not recorded");
    }
    agent.ready = Some((locales, capacity));
    send_queue(agent).await?;
    resend_owned(agent).await
}

/// The conversation a frame names; text that cannot be an id names one the agent does not own
/// (and is told so).
async fn named(agent: &mut Agent, conversation: &str) -> Result<Option<SessionId>, End> {
    match conversation.parse() {
        Ok(id) => Ok(Some(id)),
        Err(_) => agent
            .error(ErrorCode::NotFound, "you do not own that conversation")
            .await
            .map(|()| None),
    }
}

/// `next`: the longest-waiting conversation in the agent's languages whose customer is here.
async fn on_next(agent: &mut Agent) -> Result<(), End> {
    if !has_room(agent).await? {
        return Ok(());
    }
    let backend = agent.state.handoff.clone();
    let locales = agent.ready_locales();
    match backend.claim_next(&agent.me, &locales).await {
        Ok(Some(ticket)) => take(agent, ticket).await,
        Ok(None) => {
            agent
                .error(
                    ErrorCode::NotFound,
                    "nobody who is still here is waiting in your languages",
                )
                .await
        }
        Err(e) => agent.failed(e).await,
    }
}

/// `claim`: that conversation, if it waits in one of the agent's languages.
async fn on_claim(agent: &mut Agent, conversation: String) -> Result<(), End> {
    if !has_room(agent).await? {
        return Ok(());
    }
    let Ok(conversation) = conversation.parse::<SessionId>() else {
        return agent.failed(HandoffError::NotFound).await;
    };
    let backend = agent.state.handoff.clone();
    // Routed by language: only conversations waiting in the agent's own queues.
    let serves = agent.ready_locales();
    match backend.status(&conversation).await {
        Ok(Status::Queued { locale, .. }) if !serves.contains(&locale) => {
            return agent
                .error(
                    ErrorCode::NotFound,
                    "that conversation is not waiting in your languages",
                )
                .await;
        }
        Err(e) => return agent.failed(e).await,
        Ok(_) => {}
    }
    match backend.claim(&conversation, &agent.me).await {
        Ok(ticket) => take(agent, ticket).await,
        Err(e) => agent.failed(e).await,
    }
}

/// `message`: to the customer of an owned conversation, stored in its transcript (and
/// acknowledged when the console gave an id).
async fn on_message(
    agent: &mut Agent,
    conversation: String,
    text: String,
    id: Option<String>,
) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    if text.chars().count() > agent.state.config.max_text_chars {
        return agent
            .error(ErrorCode::TooLarge, "message text over the limit")
            .await;
    }
    let Some(conversation) = named(agent, &conversation).await? else {
        return Ok(());
    };
    let Some(locale) = owned(agent, &conversation).await? else {
        return Ok(());
    };
    let event = Visible::Message(MessageEvent {
        seq: 0,
        from: From::Agent,
        text,
        locale: locale.into(),
        at: now_rfc3339(),
        bot: None,
        agent: Some(WireAgent {
            name: agent.me.name.clone(),
        }),
    });
    match agent
        .state
        .sessions
        .append(&conversation, event, None)
        .await
    {
        Ok(seq) => {
            agent.state.desk.wake(&conversation).await;
            match id {
                Some(id) => {
                    agent
                        .send(&AgentServerFrame::Ack {
                            conversation: conversation.into(),
                            id,
                            seq,
                        })
                        .await
                }
                None => Ok(()),
            }
        }
        Err(StoreError::NotFound) => {
            // The session expired (or was erased) while the agent owned it: the
            // hand-off ends too, so it no longer takes a place of the agent's capacity.
            if let Err(e) = backend.cancel(&conversation).await {
                tracing::warn!(error = %e, "an expired conversation stays owned");
            }
            agent.shown.remove(&conversation);
            agent.store_failed(StoreError::NotFound).await?;
            agent
                .send(&AgentServerFrame::Released {
                    conversation: conversation.into(),
                    reason: "expired".into(),
                })
                .await
        }
        Err(e) => agent.store_failed(e).await,
    }
}

/// `typing`: forwarded to the customer of an owned conversation.
async fn on_typing(agent: &mut Agent, conversation: String, on: bool) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let Some(conversation) = named(agent, &conversation).await? else {
        return Ok(());
    };
    if owned(agent, &conversation).await?.is_none() {
        return Ok(());
    }
    let note = Note::Typing {
        conversation: conversation.clone(),
        from: From::Agent,
        on,
    };
    if let Err(e) = backend.publish(Topic::Customer(conversation), note).await {
        tracing::warn!(error = %e, "typing not forwarded");
    }
    Ok(())
}

/// `transfer`: back to the queue of its own or another language someone serves, with a
/// transfer note for the next agent.
async fn on_transfer(
    agent: &mut Agent,
    conversation: String,
    locale: Option<String>,
    note: Option<String>,
) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let Some(conversation) = named(agent, &conversation).await? else {
        return Ok(());
    };
    let Some(current) = owned(agent, &conversation).await? else {
        return Ok(());
    };
    let content = agent.state.content.load_full();
    let target = match locale {
        None => current.clone(),
        Some(tag) => match language::negotiate(std::slice::from_ref(&tag), &content.locales) {
            Some(l) => Locale::from(l),
            None => {
                return agent
                    .error(
                        ErrorCode::Unsupported,
                        format!("locale {tag:?} is not supported"),
                    )
                    .await
            }
        },
    };
    if target != current {
        match backend.agents_online(&target).await {
            Ok(0) => {
                return agent
                    .error(
                        ErrorCode::Conflict,
                        format!(
                            "no agent is online for {target}: the customer would wait for nobody"
                        ),
                    )
                    .await
            }
            Ok(_) => {}
            Err(e) => return agent.failed(e).await,
        }
    }
    let transfer_note = PrivateNote {
        kind: NoteKind::Transfer,
        author: WireAgent {
            name: agent.me.name.clone(),
        },
        text: note.unwrap_or_default(),
        at: now_rfc3339(),
        from_locale: Some(current.into()),
    };
    let me = agent.me.id.clone();
    if let Err(e) = backend
        .amend(&conversation, Some(&me), &|t: &mut Ticket| {
            t.notes.push(transfer_note.clone())
        })
        .await
    {
        return agent.failed(e).await;
    }
    if let Err(e) = backend.transfer(&conversation, &agent.me.id, &target).await {
        return agent.failed(e).await;
    }
    if let Err(e) = agent
        .state
        .desk
        .requeued(&conversation, content::HANDOFF_TRANSFERRED)
        .await
    {
        tracing::warn!(error = %e, "could not tell the customer about the transfer");
    }
    agent.released(conversation, "transferred".into()).await
}

/// `note`: a private note on an owned conversation, echoed to the agent as stored.
async fn on_private_note(
    agent: &mut Agent,
    conversation: String,
    text: String,
    id: Option<String>,
) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let Some(conversation) = named(agent, &conversation).await? else {
        return Ok(());
    };
    let note = PrivateNote {
        kind: NoteKind::Note,
        author: WireAgent {
            name: agent.me.name.clone(),
        },
        text,
        at: now_rfc3339(),
        from_locale: None,
    };
    let me = agent.me.id.clone();
    match backend
        .amend(&conversation, Some(&me), &|t: &mut Ticket| {
            t.notes.push(note.clone())
        })
        .await
    {
        Ok(_) => {
            agent
                .send(&AgentServerFrame::Note {
                    conversation: conversation.into(),
                    note,
                    id,
                })
                .await
        }
        Err(HandoffError::NotFound) => {
            agent
                .error(ErrorCode::NotFound, "you do not own that conversation")
                .await
        }
        Err(e) => agent.failed(e).await,
    }
}

/// `coverage`: how many agents are online for each supported locale.
async fn on_coverage(agent: &mut Agent) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let content = agent.state.content.load_full();
    let mut online = std::collections::BTreeMap::new();
    for locale in &content.locales {
        let locale = Locale::from(locale);
        match backend.agents_online(&locale).await {
            Ok(n) => online.insert(locale.into(), n),
            Err(e) => return agent.failed(e).await,
        };
    }
    agent.send(&AgentServerFrame::Coverage { online }).await
}

/// `resolve`: the hand-off ends and the bot answers the customer again.
async fn on_resolve(agent: &mut Agent, conversation: String) -> Result<(), End> {
    let backend = agent.state.handoff.clone();
    let Ok(conversation) = conversation.parse::<SessionId>() else {
        return agent.failed(HandoffError::NotFound).await;
    };
    if let Err(e) = backend.finish(&conversation, &agent.me.id).await {
        return agent.failed(e).await;
    }
    if let Err(e) = agent.state.desk.ended(&conversation, &agent.me).await {
        tracing::warn!(error = %e, "could not tell the customer the hand-off ended");
    }
    agent.released(conversation, "resolved".into()).await
}

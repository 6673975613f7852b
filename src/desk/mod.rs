//! The hand-off desk, above the storage of [`crate::handoff`]: what happens around the queue — deciding whether a hand-off can be taken,
//! and telling the customer, in their language, where their conversation stands. Used by both
//! the customer's connection and the agent's, possibly on different nodes: it writes the event
//! to the session store and notifies the customer's connection, which delivers it.

use std::sync::Arc;

use arc_swap::ArcSwap;

mod hours;
mod wait;

pub use hours::{Hours, HoursError};
pub use wait::estimate_wait;

use crate::bot;
use crate::bot::ConversationState;
use crate::content::{self, Content};
use crate::handoff::{now_ms, AgentRef, HandoffBackend, Note, Status, Ticket, Topic};
use crate::ids::{Locale, SessionId};
use crate::protocol::{
    AgentRef as WireAgent, CannedReply, HandoffContext, HandoffEvent, HandoffState, IntentSeen,
    LanguageCount, Presence, Visible,
};
use crate::session::{SessionStore, StoreError};
use crate::telemetry;
use crate::templates::{format_time, Arg};

/// Longest preview of the customer's last message an agent sees in the queue.
const PREVIEW_CHARS: usize = 120;

pub struct Desk {
    pub backend: Arc<dyn HandoffBackend>,
    sessions: Arc<dyn SessionStore>,
    content: Arc<ArcSwap<Content>>,
    hours: Option<Hours>,
    require_agent: bool,
}

/// What a hand-off request came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Queued {
        position: u32,
    },
    AlreadyAssigned,
    /// Nobody can take it; the customer was told why.
    Unavailable(&'static str),
}

/// What an agent sees of the customer's last message in the queue: shortened, with personal
/// data redacted (it is kept with the ticket, beyond the transcript).
fn preview(text: &str) -> String {
    let text = crate::privacy::redact(text);
    let mut preview: String = text.chars().take(PREVIEW_CHARS).collect();
    if text.chars().count() > PREVIEW_CHARS {
        preview.push('…');
    }
    preview
}

/// What the agent learns about the conversation. The reason may hold the customer's words
/// (`requested: …`): personal data in it is redacted.
pub fn context(state: &ConversationState, reason: &str) -> HandoffContext {
    let mut languages: Vec<LanguageCount> = Vec::new();
    for turn in &state.history {
        match languages.iter_mut().find(|l| l.locale == *turn.locale) {
            Some(l) => l.messages += 1,
            None => languages.push(LanguageCount {
                locale: turn.locale.to_string(),
                messages: 1,
            }),
        }
    }
    HandoffContext {
        reason: crate::privacy::redact(reason).into_owned(),
        languages,
        intents: state
            .history
            .iter()
            .map(|t| IntentSeen {
                intent: t.intent.as_ref().map(|i| i.to_string()),
                confidence: t.confidence,
            })
            .collect(),
    }
}

impl Desk {
    pub fn new(
        backend: Arc<dyn HandoffBackend>,
        sessions: Arc<dyn SessionStore>,
        content: Arc<ArcSwap<Content>>,
        hours: Option<Hours>,
        require_agent: bool,
    ) -> Desk {
        Desk {
            backend,
            sessions,
            content,
            hours,
            require_agent,
        }
    }

    /// The customer (or the content) asks for a person. The customer is told the outcome.
    pub async fn request(
        &self,
        session: &SessionId,
        state: &ConversationState,
        reason: &str,
        last_message: &str,
    ) -> Result<Outcome, StoreError> {
        metrics::counter!(telemetry::HANDOFFS, "trigger" => reason.split(':').next().unwrap_or(reason).to_string())
            .increment(1);
        let content = self.content.load_full();
        let answer_locale = bot::current_locale(&content, state);
        let locale = Locale::from(&answer_locale);
        match self.backend.status(session).await {
            Ok(Status::Assigned { .. }) => return Ok(Outcome::AlreadyAssigned),
            Ok(Status::Queued { position, .. }) => {
                self.tell_queued(session, state, &locale, position, content::HANDOFF_QUEUED)
                    .await?;
                return Ok(Outcome::Queued { position });
            }
            Ok(Status::Bot) => {}
            Err(e) => {
                tracing::warn!(error = %e, "hand-off backend unavailable");
                self.unavailable(session, state, content::HANDOFF_UNAVAILABLE_ERROR, &[])
                    .await?;
                return Ok(Outcome::Unavailable("backend"));
            }
        }
        if !self.sessions.shared(session) {
            // Begun while the shared store was down: no other node (no agent) can read it.
            self.unavailable(session, state, content::HANDOFF_UNAVAILABLE_ERROR, &[])
                .await?;
            return Ok(Outcome::Unavailable("backend"));
        }
        if let Some(hours) = &self.hours {
            if !hours.is_open(time::OffsetDateTime::now_utc()) {
                let ((oh, om), (ch, cm)) = hours.times();
                let args = [
                    ("opens", Arg::Text(format_time(&answer_locale, oh, om))),
                    (
                        "closes",
                        Arg::Text(format_time(
                            &answer_locale,
                            ch.min(23),
                            if ch == 24 { 59 } else { cm },
                        )),
                    ),
                ];
                self.unavailable(session, state, content::HANDOFF_UNAVAILABLE_CLOSED, &args)
                    .await?;
                return Ok(Outcome::Unavailable("closed"));
            }
        }
        if self.require_agent {
            match self.backend.agents_online(&locale).await {
                Ok(0) => {
                    self.unavailable(session, state, content::HANDOFF_UNAVAILABLE, &[])
                        .await?;
                    return Ok(Outcome::Unavailable("no_agent"));
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "hand-off backend unavailable");
                    self.unavailable(session, state, content::HANDOFF_UNAVAILABLE_ERROR, &[])
                        .await?;
                    return Ok(Outcome::Unavailable("backend"));
                }
            }
        }
        let ticket = Ticket::new(
            session,
            &locale,
            preview(last_message),
            context(state, reason),
        );
        match self.backend.enqueue(ticket).await {
            Ok(Status::Queued { position, .. }) => {
                self.tell_queued(session, state, &locale, position, content::HANDOFF_QUEUED)
                    .await?;
                Ok(Outcome::Queued { position })
            }
            Ok(Status::Assigned { .. }) => Ok(Outcome::AlreadyAssigned),
            Ok(Status::Bot) | Err(_) => {
                self.unavailable(session, state, content::HANDOFF_UNAVAILABLE_ERROR, &[])
                    .await?;
                Ok(Outcome::Unavailable("backend"))
            }
        }
    }

    async fn unavailable(
        &self,
        session: &SessionId,
        state: &ConversationState,
        message: &str,
        args: &[(&str, Arg)],
    ) -> Result<(), StoreError> {
        let text = self.text(state, message, args);
        self.tell(session, HandoffState::Unavailable, text, None, None, None)
            .await
            .map(|_| ())
    }

    fn text(&self, state: &ConversationState, message: &str, args: &[(&str, Arg)]) -> String {
        let content = self.content.load();
        let locale = bot::current_locale(&content, state);
        content
            .templates
            .format(&locale, message, args)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "hand-off text missing");
                String::new()
            })
    }

    /// Tells the customer their place in the queue of `queue_locale`, with the wait estimate.
    pub async fn tell_queued(
        &self,
        session: &SessionId,
        state: &ConversationState,
        queue_locale: &Locale,
        position: u32,
        message: &str,
    ) -> Result<u64, StoreError> {
        let recent = self
            .backend
            .recent_assignments(queue_locale)
            .await
            .unwrap_or_default();
        let wait = estimate_wait(&recent, position);
        let mut args = vec![("position", Arg::Number(f64::from(position)))];
        let message = match (message, wait) {
            (content::HANDOFF_QUEUED, Some(seconds)) => {
                args.push((
                    "minutes",
                    Arg::Number(f64::from(seconds.div_ceil(60).max(1))),
                ));
                content::HANDOFF_QUEUED_WAIT
            }
            _ => message,
        };
        let text = self.text(state, message, &args);
        self.tell(
            session,
            HandoffState::Queued,
            text,
            Some(position),
            Some(wait),
            None,
        )
        .await
    }

    /// Appends a hand-off event to the customer's transcript and wakes their connection.
    async fn tell(
        &self,
        session: &SessionId,
        state: HandoffState,
        text: String,
        position: Option<u32>,
        wait: Option<Option<u32>>,
        agent: Option<&AgentRef>,
    ) -> Result<u64, StoreError> {
        let event = Visible::Handoff(HandoffEvent {
            seq: 0,
            state,
            text,
            at: crate::protocol::now_rfc3339(),
            position,
            wait_estimate_s: if state == HandoffState::Queued {
                wait
            } else {
                None
            },
            agent: agent.map(|a| WireAgent {
                name: a.name.clone(),
            }),
        });
        let seq = self.sessions.append(session, event, None).await?;
        self.wake(session).await;
        Ok(seq)
    }

    /// Tells the customer's connection that new events are stored.
    pub async fn wake(&self, session: &SessionId) {
        if let Err(e) = self
            .backend
            .publish(Topic::Customer(session.clone()), Note::Events)
            .await
        {
            // The events are stored: the customer gets them on their next resume.
            tracing::warn!(error = %e, "could not notify a customer connection");
        }
    }

    /// An agent took the conversation.
    pub async fn assigned(&self, ticket: &Ticket, agent: &AgentRef) -> Result<(), StoreError> {
        let waited = now_ms().saturating_sub(ticket.enqueued_ms) as f64 / 1000.0;
        metrics::histogram!(telemetry::HANDOFF_WAIT_SECONDS, "locale" => ticket.locale.to_string())
            .record(waited);
        let state = self.sessions.state(&ticket.conversation).await?;
        let text = self.text(
            &state,
            content::HANDOFF_ASSIGNED,
            &[("agent", Arg::Text(agent.name.clone()))],
        );
        self.tell(
            &ticket.conversation,
            HandoffState::Assigned,
            text,
            None,
            None,
            Some(agent),
        )
        .await
        .map(|_| ())
    }

    /// The agent resolved the conversation: the bot answers again.
    pub async fn ended(
        &self,
        conversation: &SessionId,
        agent: &AgentRef,
    ) -> Result<(), StoreError> {
        let state = self.sessions.state(conversation).await?;
        let text = self.text(
            &state,
            content::HANDOFF_ENDED,
            &[("agent", Arg::Text(agent.name.clone()))],
        );
        self.tell(
            conversation,
            HandoffState::Ended,
            text,
            None,
            None,
            Some(agent),
        )
        .await
        .map(|_| ())
    }

    /// What the bot says to a customer who writes while waiting in a queue, when the bot has
    /// nothing better to answer: still waiting, at `position`, and that the agent will read it.
    pub fn waiting_text(&self, locale: &unic_langid::LanguageIdentifier, position: u32) -> String {
        self.content
            .load()
            .templates
            .format(
                locale,
                content::HANDOFF_WAITING,
                &[("position", Arg::Number(f64::from(position)))],
            )
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "waiting text missing");
                String::new()
            })
    }

    /// The queue shows the customer's latest words, not the first ones: the consoles showing
    /// that queue are told.
    pub async fn update_preview(&self, session: &SessionId, text: &str) {
        let preview = preview(text);
        match self
            .backend
            .amend(session, None, &|t: &mut Ticket| t.preview = preview.clone())
            .await
        {
            Ok(ticket) => {
                let note = Note::QueueChanged {
                    locale: Some(ticket.locale),
                };
                if let Err(e) = self.backend.publish(Topic::Queues, note).await {
                    tracing::warn!(error = %e, "queue preview change not announced");
                }
            }
            Err(e) => tracing::debug!(error = %e, "queue preview not updated"),
        }
    }

    /// The canned replies (`canned-*` messages) for a conversation in `locale`, written for
    /// `agent`: each in `locale`, or in the default locale where `locale` lacks it.
    pub fn canned(&self, locale: &Locale, agent: &AgentRef) -> Vec<CannedReply> {
        let content = self.content.load();
        let templates = &content.templates;
        let wanted: unic_langid::LanguageIdentifier = locale
            .as_str()
            .parse()
            .unwrap_or_else(|_| content.default_locale.clone());
        let own = templates.message_ids(&wanted);
        let mut ids: Vec<String> = own
            .iter()
            .chain(templates.message_ids(&content.default_locale).iter())
            .filter(|id| id.starts_with(content::CANNED_PREFIX))
            .cloned()
            .collect();
        ids.sort();
        ids.dedup();
        let args = [("agent", Arg::Text(agent.name.clone()))];
        ids.into_iter()
            .filter_map(|id| {
                let written_in = if own.contains(&id) {
                    &wanted
                } else {
                    &content.default_locale
                };
                let text = templates.format(written_in, &id, &args).ok()?;
                Some(CannedReply {
                    name: id[content::CANNED_PREFIX.len()..].to_string(),
                    text,
                    locale: written_in.to_string(),
                })
            })
            .collect()
    }

    /// Records whether the customer of a queued or owned conversation is there, and tells
    /// whoever watches when it changed: its agent, or the consoles showing its queue.
    ///
    /// A connection holds the presence by the mark (a time) of its last change: `mine: None`
    /// takes it (a connection that starts), `Some(mark)` changes it only if nobody took it
    /// since — so the old connection of a conversation resumed on another node, ending late,
    /// never marks a customer who is there as gone. Returns the mark this connection now holds,
    /// or `None` when another connection holds it or nobody waits for a person.
    pub async fn presence(
        &self,
        session: &SessionId,
        presence: Presence,
        mine: Option<u64>,
    ) -> Option<u64> {
        let now = now_ms();
        let before = std::sync::Mutex::new(None);
        let ticket = self
            .backend
            .amend(session, None, &|t: &mut Ticket| {
                let held = mine.is_none_or(|m| m == t.presence_ms);
                *before.lock().unwrap_or_else(|e| e.into_inner()) = Some(t.presence);
                if held && (mine.is_none() || t.presence != presence) {
                    t.presence = presence;
                    t.presence_ms = now;
                }
            })
            .await
            .ok()?;
        let before = before.into_inner().unwrap_or_else(|e| e.into_inner());
        let mark = ticket.presence_ms;
        if mark != now && Some(mark) != mine {
            return None;
        }
        if before == Some(presence) {
            return Some(mark);
        }
        let (topic, note) = match self.backend.status(session).await {
            Ok(Status::Assigned { agent, .. }) => (
                Topic::Agent(agent.id),
                Note::Presence {
                    conversation: session.clone(),
                    state: presence,
                },
            ),
            Ok(Status::Queued { locale, .. }) => (
                Topic::Queues,
                Note::QueueChanged {
                    locale: Some(locale),
                },
            ),
            _ => return Some(mark),
        };
        if let Err(e) = self.backend.publish(topic, note).await {
            tracing::warn!(error = %e, "presence not announced");
        }
        Some(mark)
    }

    /// The customer left at `mark` and has not come back: their conversation leaves the queue,
    /// or its agent (who is told). Returns whether it was released.
    pub async fn release_if_left(&self, session: &SessionId, mark: u64) -> bool {
        let Ok(ticket) = self
            .backend
            .amend(session, None, &|_: &mut Ticket| {})
            .await
        else {
            return false;
        };
        if ticket.presence != Presence::Left || ticket.presence_ms != mark {
            return false;
        }
        if let Ok(Status::Queued { .. }) = self.backend.status(session).await {
            metrics::counter!(telemetry::HANDOFFS_ABANDONED).increment(1);
        }
        match self.backend.cancel(session).await {
            Ok(owner) => {
                if let Some(agent) = owner {
                    let note = Note::Released {
                        conversation: session.clone(),
                        reason: "customer_left".into(),
                    };
                    if let Err(e) = self.backend.publish(Topic::Agent(agent.id), note).await {
                        tracing::warn!(error = %e, "the agent was not told the customer left");
                    }
                }
                // What they read when they come back: the wait is over, and why.
                if let Ok(state) = self.sessions.state(session).await {
                    let text = self.text(&state, content::HANDOFF_LEFT, &[]);
                    if let Err(e) = self
                        .tell(session, HandoffState::Ended, text, None, None, None)
                        .await
                    {
                        tracing::debug!(error = %e, "the departed customer's transcript is gone");
                    }
                }
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "a departed customer's hand-off stays");
                false
            }
        }
    }

    /// The conversation went back to a queue (agent vanished, or transferred).
    pub async fn requeued(
        &self,
        conversation: &SessionId,
        message: &str,
    ) -> Result<(), StoreError> {
        let state = self.sessions.state(conversation).await?;
        if let Ok(Status::Queued { locale, position }) = self.backend.status(conversation).await {
            self.tell_queued(conversation, &state, &locale, position, message)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bot::TurnNote;

    #[test]
    fn context_counts_languages_and_lists_intents() {
        let mut state = ConversationState::default();
        for (locale, intent) in [
            ("es", Some("order_status")),
            ("es", None),
            ("en", Some("human_agent")),
        ] {
            state.remember(TurnNote {
                locale: locale.into(),
                intent: intent.map(Into::into),
                confidence: 0.9,
            });
        }
        let c = context(&state, "requested");
        assert_eq!(c.reason, "requested");
        assert_eq!(c.languages.len(), 2);
        assert_eq!(c.languages[0].messages, 2);
        assert_eq!(c.intents.len(), 3);
        assert_eq!(c.intents[1].intent, None);
    }

    #[test]
    fn what_is_kept_for_the_agent_has_personal_data_redacted() {
        let p = preview("my card 4111 1111 1111 1111 failed, mail me at ana@shop.example");
        assert_eq!(p, "my card [card] failed, mail me at [email]");
        let c = context(
            &ConversationState::default(),
            "requested: call +44 20 7946 0958 about order 48213377",
        );
        assert_eq!(c.reason, "requested: call [phone] about order 48213377");
    }

    #[test]
    fn previews_are_short() {
        assert_eq!(preview("hi"), "hi");
        assert_eq!(preview(&"x".repeat(200)).chars().count(), PREVIEW_CHARS + 1);
    }
}

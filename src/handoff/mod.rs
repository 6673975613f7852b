//! Hand-off of conversations to human agents: a queue per locale, exactly one owner per
//! conversation, agents' presence, and the notifications that carry events between a
//! customer's connection and an agent's (which may be on different nodes).
//!
//! Behind [`HandoffBackend`]: [`MemoryBackend`] (one node, the default); a Redis backend is
//! the seam for several nodes. Both deliver notifications through a node-local [`Notifier`]:
//! connections subscribe there, whatever the backend.

mod memory;
mod notifier;
mod redis;

pub use self::redis::RedisBackend;
pub use memory::{MemoryBackend, RECENT_ASSIGNMENTS};
pub use notifier::{Note, Notifier, Topic};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::ids::{AgentId, Locale, SessionId};
use crate::protocol::{HandoffContext, Presence, PrivateNote};

/// An agent as the backend knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRef {
    pub id: AgentId,
    pub name: String,
}

/// A conversation waiting for, or owned by, an agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// The customer's session id.
    pub conversation: SessionId,
    pub locale: Locale,
    /// Unix milliseconds when it (first) entered a queue: the order of the queue.
    pub enqueued_ms: u64,
    /// The customer's last message, shortened (what an agent sees in the queue).
    pub preview: String,
    pub context: HandoffContext,
    /// Whether the customer is there, and since when (Unix milliseconds; 0: since it was
    /// queued).
    #[serde(default)]
    pub presence: Presence,
    #[serde(default)]
    pub presence_ms: u64,
    /// Agents' private notes, oldest first (a transfer note among them).
    #[serde(default)]
    pub notes: Vec<PrivateNote>,
}

impl Ticket {
    /// A conversation asking for a person now, with its customer there.
    pub fn new(
        conversation: &SessionId,
        locale: &Locale,
        preview: String,
        context: HandoffContext,
    ) -> Ticket {
        Ticket {
            conversation: conversation.clone(),
            locale: locale.clone(),
            enqueued_ms: now_ms(),
            preview,
            context,
            presence: Presence::Online,
            presence_ms: 0,
            notes: Vec::new(),
        }
    }
}

/// A change to a ticket that keeps its place and owner: the preview, the customer's presence,
/// a note. (What orders and routes it — conversation, locale, time — is restored after.)
pub type Amendment<'a> = &'a (dyn Fn(&mut Ticket) + Send + Sync);

/// Where a conversation stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// No hand-off: the bot answers.
    Bot,
    Queued {
        locale: Locale,
        position: u32,
    },
    Assigned {
        agent: AgentRef,
        locale: Locale,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandoffError {
    #[error("no such conversation in the hand-off queues")]
    NotFound,
    #[error("the conversation is already taken by another agent")]
    Conflict,
    #[error("hand-off backend unavailable: {0}")]
    Unavailable(String),
}

/// A completed assignment, for the wait estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assignment {
    pub enqueued_ms: u64,
    pub assigned_ms: u64,
}

/// Applies `change` to `ticket`, keeping what orders and routes it.
fn apply(ticket: &mut Ticket, change: Amendment<'_>) {
    let kept = (
        ticket.conversation.clone(),
        ticket.locale.clone(),
        ticket.enqueued_ms,
    );
    change(ticket);
    (ticket.conversation, ticket.locale, ticket.enqueued_ms) = kept;
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[async_trait]
pub trait HandoffBackend: Send + Sync + 'static {
    /// Puts a conversation in its locale's queue. Idempotent: a conversation already queued or
    /// owned keeps its place. Returns its status afterwards.
    async fn enqueue(&self, ticket: Ticket) -> Result<Status, HandoffError>;
    async fn status(&self, conversation: &SessionId) -> Result<Status, HandoffError>;
    /// The conversations waiting in these locales, longest-waiting first (within a locale, in
    /// the order of its queue).
    async fn waiting(&self, locales: &[Locale]) -> Result<Vec<Ticket>, HandoffError>;
    /// Takes a waiting conversation. `Conflict` if another agent owns it, `NotFound` if it is
    /// in no queue. Atomic: of two agents claiming at once, exactly one gets it.
    async fn claim(
        &self,
        conversation: &SessionId,
        agent: &AgentRef,
    ) -> Result<Ticket, HandoffError>;
    /// Takes the longest-waiting conversation of these locales whose customer has not left
    /// (one whose customer left is taken only by name, with `claim`), if any.
    async fn claim_next(
        &self,
        agent: &AgentRef,
        locales: &[Locale],
    ) -> Result<Option<Ticket>, HandoffError>;
    /// Ends the hand-off of a conversation `agent_id` owns (`NotFound` otherwise).
    async fn finish(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
    ) -> Result<Ticket, HandoffError>;
    /// Puts a conversation `agent_id` owns back in the queue of `locale`, keeping its original
    /// place in time.
    async fn transfer(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
        locale: &Locale,
    ) -> Result<Status, HandoffError>;
    /// The customer ended the conversation: drop it from queues and ownership. Returns the
    /// agent that owned it, if any.
    async fn cancel(&self, conversation: &SessionId) -> Result<Option<AgentRef>, HandoffError>;
    /// Changes the ticket of a queued or owned conversation in place; with `owner`, only one
    /// that agent owns (`NotFound` otherwise). Returns the ticket as changed.
    async fn amend(
        &self,
        conversation: &SessionId,
        owner: Option<&AgentId>,
        change: Amendment<'_>,
    ) -> Result<Ticket, HandoffError>;
    /// The conversations an agent owns.
    async fn owned_by(&self, agent_id: &AgentId) -> Result<Vec<Ticket>, HandoffError>;
    /// The agent is connected and serves these locales.
    async fn agent_ready(&self, agent: &AgentRef, locales: &[Locale]) -> Result<(), HandoffError>;
    /// The agent's connection is gone; returns a mark for [`Self::requeue_if_gone`].
    async fn agent_gone(&self, agent_id: &AgentId) -> Result<u64, HandoffError>;
    /// If the agent has not come back since `mark`, its conversations go back to their queues
    /// (keeping their place in time); returns them.
    async fn requeue_if_gone(
        &self,
        agent_id: &AgentId,
        mark: u64,
    ) -> Result<Vec<Ticket>, HandoffError>;
    /// The agent's connection is alive; without a beat for `ttl_ms` its node is presumed dead.
    async fn heartbeat(&self, agent_id: &AgentId, ttl_ms: u64) -> Result<(), HandoffError>;
    /// Agents marked connected whose heartbeat stopped (their node died) are marked gone and
    /// their conversations go back to the queues; returns those conversations.
    async fn reap(&self) -> Result<Vec<Ticket>, HandoffError>;
    /// How many connected agents serve `locale`.
    async fn agents_online(&self, locale: &Locale) -> Result<usize, HandoffError>;
    /// The most recent assignments in `locale`, oldest first.
    async fn recent_assignments(&self, locale: &Locale) -> Result<Vec<Assignment>, HandoffError>;
    /// Sends a note to whoever subscribed to `topic`, on any node.
    async fn publish(&self, topic: Topic, note: Note) -> Result<(), HandoffError>;
    /// The node-local notifier where this backend delivers notes.
    fn notifier(&self) -> &Notifier;
    /// Whether the backend answers (for `/readyz`).
    async fn ping(&self) -> Result<(), HandoffError>;
    /// A short name for `/readyz` ("memory", "redis").
    fn kind(&self) -> &'static str;
}

/// The behaviour every backend must have; run by each backend's tests.
#[doc(hidden)]
pub mod contract;

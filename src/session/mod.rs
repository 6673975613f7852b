//! Sessions: a customer's conversation that outlives its WebSocket. The store keeps each
//! session's secret resume token, its transcript of visible events (with their `seq`), the
//! client message ids already recorded, and the conversation state the bot needs (the bot's
//! type, [`ConversationState`], stored as it is).
//!
//! Behind the [`SessionStore`] trait: [`MemoryStore`] now; a Redis store comes with the
//! hand-off work. Knows nothing of sockets.

mod fallback;
mod memory;
mod redis;

pub use self::redis::RedisStore;
pub use fallback::Fallback;
pub use memory::MemoryStore;

use async_trait::async_trait;
use subtle::ConstantTimeEq;

use crate::bot::ConversationState;
use crate::ids::{random_hex, SessionId};
use crate::protocol::Visible;

/// A session as the store hands it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: SessionId,
    pub token: Token,
    pub state: ConversationState,
    /// Highest `seq` recorded (0 when there is none).
    pub last_seq: u64,
}

/// The secret a client needs to resume: 256 random bits, hex. Compared in constant time;
/// never printed by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(pub(crate) String);

impl Token {
    pub fn generate() -> Token {
        Token(random_hex(32))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn matches(&self, presented: &str) -> bool {
        self.0.as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(***)")
    }
}

/// The outcome of recording a customer message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// First time this client id is seen: stored as `seq`.
    New { seq: u64 },
    /// Already recorded as `seq`; `answered` tells whether its reply was stored too (if not,
    /// the earlier attempt died before answering and the caller answers now).
    Duplicate { seq: u64, answered: bool },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("session not found or expired")]
    NotFound,
    #[error("resume token does not match")]
    BadToken,
    #[error("session store unavailable: {0}")]
    Unavailable(String),
}

#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Starts a session with a fresh id and token.
    async fn create(&self, state: ConversationState) -> Result<Session, StoreError>;
    /// The session, if it exists and `token` is its token. Counts as activity.
    async fn resume(&self, id: &SessionId, token: &str) -> Result<Session, StoreError>;
    /// Records a customer message under its client id, exactly once. `event`'s `seq` is
    /// assigned by the store.
    async fn record_message(
        &self,
        id: &SessionId,
        client_id: &str,
        event: Visible,
    ) -> Result<Recorded, StoreError>;
    /// Appends a visible event and returns its `seq`. With `in_reply_to`, marks that client
    /// message as answered.
    async fn append(
        &self,
        id: &SessionId,
        event: Visible,
        in_reply_to: Option<&str>,
    ) -> Result<u64, StoreError>;
    /// Marks a recorded client message as handled without appending anything (a message the
    /// agent received: a re-send must not be forwarded twice).
    async fn mark_answered(&self, id: &SessionId, client_id: &str) -> Result<(), StoreError>;
    /// Every event with `seq > after`, in order.
    async fn events_after(&self, id: &SessionId, after: u64) -> Result<Vec<Visible>, StoreError>;
    async fn save_state(&self, id: &SessionId, state: &ConversationState)
        -> Result<(), StoreError>;
    /// The conversation state (no token needed: for the agent's side of a hand-off).
    async fn state(&self, id: &SessionId) -> Result<ConversationState, StoreError>;
    /// Ends a session: it can no longer be resumed.
    async fn remove(&self, id: &SessionId) -> Result<(), StoreError>;
    /// Whether the session is still kept (not counted as activity).
    async fn exists(&self, id: &SessionId) -> Result<bool, StoreError>;
    /// Whether the store answers (for `/readyz`).
    async fn ping(&self) -> Result<(), StoreError>;
    /// Drops sessions idle for longer than the store's timeout; returns how many.
    async fn expire_idle(&self) -> usize;
    /// Whether every node can reach this session (false for a conversation kept on this node
    /// only, begun while the shared store was down): only those can be handed off.
    fn shared(&self, _id: &SessionId) -> bool {
        true
    }
}

/// The behaviour every store must have; run by each store's tests.
#[doc(hidden)]
pub mod contract;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hidden() {
        let (a, b) = (Token::generate(), Token::generate());
        assert_eq!(a.expose().len(), 64);
        assert_ne!(a, b);
        assert!(a.matches(a.expose()));
        assert!(!a.matches(b.expose()));
        assert!(!a.matches(""));
        assert_eq!(format!("{a:?}"), "Token(***)");
    }
}

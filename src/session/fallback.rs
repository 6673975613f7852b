//! Sessions that survive a Redis outage: a conversation that starts while Redis is
//! unreachable lives in this node's memory (it cannot move to another node, and cannot be
//! handed off, but the bot answers it). Sessions created in Redis stay in Redis.

use async_trait::async_trait;

use super::{ConversationState, MemoryStore, Recorded, Session, SessionStore, StoreError};
use crate::ids::SessionId;
use crate::protocol::Visible;

pub struct Fallback<S> {
    primary: S,
    local: MemoryStore,
}

impl<S: SessionStore> Fallback<S> {
    pub fn new(primary: S, local: MemoryStore) -> Self {
        Fallback { primary, local }
    }

    fn store(&self, id: &SessionId) -> &dyn SessionStore {
        if self.local.contains(id) {
            &self.local
        } else {
            &self.primary
        }
    }
}

#[async_trait]
impl<S: SessionStore> SessionStore for Fallback<S> {
    async fn create(&self, state: ConversationState) -> Result<Session, StoreError> {
        match self.primary.create(state.clone()).await {
            Err(StoreError::Unavailable(reason)) => {
                tracing::warn!(%reason, "session store unavailable: this conversation stays on this node");
                self.local.create(state).await
            }
            other => other,
        }
    }

    async fn resume(&self, id: &SessionId, token: &str) -> Result<Session, StoreError> {
        self.store(id).resume(id, token).await
    }

    async fn record_message(
        &self,
        id: &SessionId,
        client_id: &str,
        event: Visible,
    ) -> Result<Recorded, StoreError> {
        self.store(id).record_message(id, client_id, event).await
    }

    async fn append(
        &self,
        id: &SessionId,
        event: Visible,
        in_reply_to: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.store(id).append(id, event, in_reply_to).await
    }

    async fn mark_answered(&self, id: &SessionId, client_id: &str) -> Result<(), StoreError> {
        self.store(id).mark_answered(id, client_id).await
    }

    async fn events_after(&self, id: &SessionId, after: u64) -> Result<Vec<Visible>, StoreError> {
        self.store(id).events_after(id, after).await
    }

    async fn save_state(
        &self,
        id: &SessionId,
        state: &ConversationState,
    ) -> Result<(), StoreError> {
        self.store(id).save_state(id, state).await
    }

    async fn state(&self, id: &SessionId) -> Result<ConversationState, StoreError> {
        self.store(id).state(id).await
    }

    async fn remove(&self, id: &SessionId) -> Result<(), StoreError> {
        self.store(id).remove(id).await
    }

    async fn exists(&self, id: &SessionId) -> Result<bool, StoreError> {
        self.store(id).exists(id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.primary.ping().await
    }

    async fn expire_idle(&self) -> usize {
        self.primary.expire_idle().await + self.local.expire_idle().await
    }

    fn shared(&self, id: &SessionId) -> bool {
        !self.local.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A primary that is always down.
    struct Down;

    #[async_trait]
    impl SessionStore for Down {
        async fn create(&self, _: ConversationState) -> Result<Session, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn resume(&self, _: &SessionId, _: &str) -> Result<Session, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn record_message(
            &self,
            _: &SessionId,
            _: &str,
            _: Visible,
        ) -> Result<Recorded, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn append(
            &self,
            _: &SessionId,
            _: Visible,
            _: Option<&str>,
        ) -> Result<u64, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn mark_answered(&self, _: &SessionId, _: &str) -> Result<(), StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn events_after(&self, _: &SessionId, _: u64) -> Result<Vec<Visible>, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn save_state(&self, _: &SessionId, _: &ConversationState) -> Result<(), StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn state(&self, _: &SessionId) -> Result<ConversationState, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn remove(&self, _: &SessionId) -> Result<(), StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn exists(&self, _: &SessionId) -> Result<bool, StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn ping(&self) -> Result<(), StoreError> {
            Err(StoreError::Unavailable("down".into()))
        }
        async fn expire_idle(&self) -> usize {
            0
        }
    }

    #[tokio::test]
    async fn a_conversation_begun_while_the_primary_is_down_is_not_shared() {
        let store = Fallback::new(Down, MemoryStore::new(Duration::from_secs(60)));
        let local = store.create(ConversationState::default()).await.unwrap();
        assert!(!store.shared(&local.id));
        assert!(store.state(&local.id).await.is_ok());
        assert!(store.shared(&"a-session-in-the-primary".parse().unwrap()));
    }
}

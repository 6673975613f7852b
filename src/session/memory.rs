//! The in-memory session store: one process, gone on restart.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{ConversationState, Recorded, Session, SessionStore, StoreError, Token};
use crate::ids::SessionId;
use crate::protocol::Visible;

struct Entry {
    token: Token,
    state: ConversationState,
    events: Vec<Visible>,
    /// client message id → (seq, answered)
    messages: HashMap<String, (u64, bool)>,
    last_active: Instant,
}

impl Entry {
    fn next_seq(&self) -> u64 {
        self.events.last().map_or(1, |e| e.seq() + 1)
    }

    fn session(&self, id: &SessionId) -> Session {
        Session {
            id: id.clone(),
            token: self.token.clone(),
            state: self.state.clone(),
            last_seq: self.events.last().map_or(0, |e| e.seq()),
        }
    }
}

/// Sessions are spread over this many independently locked maps, so connections of
/// different sessions do not wait for each other.
const SHARDS: usize = 64;

type Shard = Mutex<HashMap<SessionId, Entry>>;

pub struct MemoryStore {
    idle_timeout: Duration,
    shards: Box<[Shard]>,
}

impl MemoryStore {
    pub fn new(idle_timeout: Duration) -> MemoryStore {
        MemoryStore {
            idle_timeout,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    /// The shard of a session id (FNV-1a of the id; ids are random, any stable hash spreads
    /// them).
    fn shard(&self, id: &SessionId) -> std::sync::MutexGuard<'_, HashMap<SessionId, Entry>> {
        let hash = id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        self.shards[(hash % SHARDS as u64) as usize]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Runs `f` on a live session, refreshing its activity; an idle one is dropped.
    fn with<T>(&self, id: &SessionId, f: impl FnOnce(&mut Entry) -> T) -> Result<T, StoreError> {
        let mut sessions = self.shard(id);
        let entry = sessions.get_mut(id).ok_or(StoreError::NotFound)?;
        if entry.last_active.elapsed() > self.idle_timeout {
            sessions.remove(id);
            return Err(StoreError::NotFound);
        }
        entry.last_active = Instant::now();
        Ok(f(entry))
    }

    /// Whether this store holds `id` (live or not yet swept).
    pub fn contains(&self, id: &SessionId) -> bool {
        self.shard(id).contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|s| s.len()).unwrap_or(0))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create(&self, state: ConversationState) -> Result<Session, StoreError> {
        let id = SessionId::random();
        let entry = Entry {
            token: Token::generate(),
            state,
            events: Vec::new(),
            messages: HashMap::new(),
            last_active: Instant::now(),
        };
        let session = entry.session(&id);
        self.shard(&id).insert(id, entry);
        Ok(session)
    }

    async fn resume(&self, id: &SessionId, token: &str) -> Result<Session, StoreError> {
        // Checked before `with`, which refreshes the activity: a wrong token must not keep
        // someone else's session alive.
        let right = {
            let sessions = self.shard(id);
            let entry = sessions.get(id).ok_or(StoreError::NotFound)?;
            entry.token.matches(token)
        };
        if !right {
            return Err(StoreError::BadToken);
        }
        self.with(id, |entry| entry.session(id))
    }

    async fn record_message(
        &self,
        id: &SessionId,
        client_id: &str,
        mut event: Visible,
    ) -> Result<Recorded, StoreError> {
        self.with(id, |entry| {
            if let Some(&(seq, answered)) = entry.messages.get(client_id) {
                return Recorded::Duplicate { seq, answered };
            }
            let seq = entry.next_seq();
            event.set_seq(seq);
            entry.events.push(event);
            entry.messages.insert(client_id.to_string(), (seq, false));
            Recorded::New { seq }
        })
    }

    async fn append(
        &self,
        id: &SessionId,
        mut event: Visible,
        in_reply_to: Option<&str>,
    ) -> Result<u64, StoreError> {
        self.with(id, |entry| {
            let seq = entry.next_seq();
            event.set_seq(seq);
            entry.events.push(event);
            if let Some(answered) = in_reply_to.and_then(|c| entry.messages.get_mut(c)) {
                answered.1 = true;
            }
            seq
        })
    }

    async fn mark_answered(&self, id: &SessionId, client_id: &str) -> Result<(), StoreError> {
        self.with(id, |entry| {
            if let Some(answered) = entry.messages.get_mut(client_id) {
                answered.1 = true;
            }
        })
    }

    async fn events_after(&self, id: &SessionId, after: u64) -> Result<Vec<Visible>, StoreError> {
        self.with(id, |entry| {
            // Events are appended with seq 1, 2, 3...: the one after `after` is at index
            // `after` (searched for only if that ever stops being true).
            let len = entry.events.len();
            let start = match after.min(len as u64) as usize {
                0 => 0,
                i if entry.events[i - 1].seq() == i as u64 => i,
                _ => entry.events.partition_point(|e| e.seq() <= after),
            };
            entry.events[start..].to_vec()
        })
    }

    async fn save_state(
        &self,
        id: &SessionId,
        state: &ConversationState,
    ) -> Result<(), StoreError> {
        self.with(id, |entry| entry.state = state.clone())
    }

    async fn state(&self, id: &SessionId) -> Result<ConversationState, StoreError> {
        self.with(id, |entry| entry.state.clone())
    }

    async fn remove(&self, id: &SessionId) -> Result<(), StoreError> {
        self.shard(id).remove(id);
        Ok(())
    }

    async fn exists(&self, id: &SessionId) -> Result<bool, StoreError> {
        Ok(self
            .shard(id)
            .get(id)
            .is_some_and(|e| e.last_active.elapsed() <= self.idle_timeout))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }

    async fn expire_idle(&self) -> usize {
        let timeout = self.idle_timeout;
        let mut expired = 0;
        for shard in self.shards.iter() {
            let mut sessions = shard.lock().unwrap_or_else(|e| e.into_inner());
            let before = sessions.len();
            sessions.retain(|_, e| e.last_active.elapsed() <= timeout);
            expired += before - sessions.len();
        }
        expired
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{From, MessageEvent};

    fn event(text: &str) -> Visible {
        Visible::Message(MessageEvent {
            seq: 0,
            from: From::Customer,
            text: text.into(),
            locale: "en".into(),
            at: "t".into(),
            bot: None,
            agent: None,
        })
    }

    #[tokio::test]
    async fn memory_store_keeps_the_contract() {
        super::super::contract::run(&MemoryStore::new(Duration::from_secs(60))).await;
    }

    #[tokio::test]
    async fn a_wrong_token_does_not_keep_a_memory_session_alive() {
        let idle = Duration::from_millis(500);
        super::super::contract::idle_timeout(&MemoryStore::new(idle), idle).await;
    }

    #[tokio::test]
    async fn seq_counts_every_visible_event_from_one() {
        let store = MemoryStore::new(Duration::from_secs(60));
        let s = store.create(ConversationState::default()).await.unwrap();
        assert_eq!(s.last_seq, 0);
        assert_eq!(
            store
                .record_message(&s.id, "m1", event("hi"))
                .await
                .unwrap(),
            Recorded::New { seq: 1 }
        );
        assert_eq!(
            store
                .append(&s.id, event("reply"), Some("m1"))
                .await
                .unwrap(),
            2
        );
        let resumed = store.resume(&s.id, s.token.expose()).await.unwrap();
        assert_eq!(resumed.last_seq, 2);
        let after = store.events_after(&s.id, 1).await.unwrap();
        assert_eq!(after.iter().map(|e| e.seq()).collect::<Vec<_>>(), vec![2]);
    }

    #[tokio::test]
    async fn a_client_id_is_recorded_once_and_remembers_its_answer() {
        let store = MemoryStore::new(Duration::from_secs(60));
        let s = store.create(ConversationState::default()).await.unwrap();
        store
            .record_message(&s.id, "m1", event("hi"))
            .await
            .unwrap();
        assert_eq!(
            store
                .record_message(&s.id, "m1", event("hi"))
                .await
                .unwrap(),
            Recorded::Duplicate {
                seq: 1,
                answered: false
            }
        );
        store
            .append(&s.id, event("reply"), Some("m1"))
            .await
            .unwrap();
        assert_eq!(
            store
                .record_message(&s.id, "m1", event("hi"))
                .await
                .unwrap(),
            Recorded::Duplicate {
                seq: 1,
                answered: true
            }
        );
        assert_eq!(store.events_after(&s.id, 0).await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_wrong_token_never_resumes() {
        let store = MemoryStore::new(Duration::from_secs(60));
        let s = store.create(ConversationState::default()).await.unwrap();
        assert_eq!(
            store.resume(&s.id, "guess").await,
            Err(StoreError::BadToken)
        );
        assert_eq!(
            store
                .resume(&"nope".parse().unwrap(), s.token.expose())
                .await,
            Err(StoreError::NotFound)
        );
    }

    #[tokio::test]
    async fn idle_sessions_expire() {
        let store = MemoryStore::new(Duration::from_millis(0));
        let s = store.create(ConversationState::default()).await.unwrap();
        let a = store.create(ConversationState::default()).await.unwrap();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(
            store.resume(&s.id, s.token.expose()).await,
            Err(StoreError::NotFound)
        );
        assert_eq!(store.expire_idle().await, 1);
        assert!(store.is_empty());
        let _ = a;
    }
}

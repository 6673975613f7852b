//! Which connection of this node holds which session (or agent: a hub is keyed by either id).
//! A resume takes a session over: the older connection is told to close.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

pub struct Hub<K> {
    next: AtomicU64,
    holders: Mutex<HashMap<K, (u64, CancellationToken)>>,
}

impl<K> Default for Hub<K> {
    fn default() -> Self {
        Hub {
            next: AtomicU64::new(0),
            holders: Mutex::new(HashMap::new()),
        }
    }
}

/// A connection's hold on a session; `kicked` fires when another connection takes it over.
pub struct Attachment {
    pub connection: u64,
    pub kicked: CancellationToken,
}

impl<K: Hash + Eq + Clone> Hub<K> {
    pub fn attach(&self, session: &K) -> Attachment {
        let connection = self.next.fetch_add(1, Ordering::Relaxed);
        let kicked = CancellationToken::new();
        let previous = self
            .holders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(session.clone(), (connection, kicked.clone()));
        if let Some((_, previous)) = previous {
            previous.cancel();
        }
        Attachment { connection, kicked }
    }

    /// Forgets the hold, unless another connection took the session over meanwhile.
    pub fn detach(&self, session: &K, connection: u64) {
        let mut holders = self.holders.lock().unwrap_or_else(|e| e.into_inner());
        if holders.get(session).is_some_and(|(c, _)| *c == connection) {
            holders.remove(session);
        }
    }

    pub fn len(&self) -> usize {
        self.holders.lock().map(|h| h.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_attachment_kicks_the_old_one_and_detach_keeps_the_new() {
        let hub = Hub::default();
        let s: crate::ids::SessionId = "s".parse().unwrap();
        let first = hub.attach(&s);
        let second = hub.attach(&s);
        assert!(first.kicked.is_cancelled());
        assert!(!second.kicked.is_cancelled());
        hub.detach(&s, first.connection);
        assert_eq!(hub.len(), 1);
        hub.detach(&s, second.connection);
        assert!(hub.is_empty());
    }
}

//! Which connection of this node holds which session. A resume takes a session over: the
//! older connection is told to close.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct Hub {
    next: AtomicU64,
    holders: Mutex<HashMap<String, (u64, CancellationToken)>>,
}

/// A connection's hold on a session; `kicked` fires when another connection takes it over.
pub struct Attachment {
    pub connection: u64,
    pub kicked: CancellationToken,
}

impl Hub {
    pub fn attach(&self, session: &str) -> Attachment {
        let connection = self.next.fetch_add(1, Ordering::Relaxed);
        let kicked = CancellationToken::new();
        let previous = self
            .holders
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(session.to_string(), (connection, kicked.clone()));
        if let Some((_, previous)) = previous {
            previous.cancel();
        }
        Attachment { connection, kicked }
    }

    /// Forgets the hold, unless another connection took the session over meanwhile.
    pub fn detach(&self, session: &str, connection: u64) {
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
        let first = hub.attach("s");
        let second = hub.attach("s");
        assert!(first.kicked.is_cancelled());
        assert!(!second.kicked.is_cancelled());
        hub.detach("s", first.connection);
        assert_eq!(hub.len(), 1);
        hub.detach("s", second.connection);
        assert!(hub.is_empty());
    }
}

//! Node-local fan-out of notes to the connections that subscribed to a topic.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::protocol::From;

/// Who a note is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Topic {
    /// A customer's session: its connection, wherever it is.
    Customer(String),
    /// An agent, wherever connected.
    Agent(String),
    /// Every queue change (subscribers filter by locale).
    Queues,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum Note {
    /// New visible events are stored for this session: deliver them.
    Events,
    /// Someone is typing (agent → customer, customer → agent).
    Typing {
        conversation: String,
        from: From,
        on: bool,
    },
    /// A customer message in a conversation the agent owns.
    CustomerMessage {
        conversation: String,
        seq: u64,
        text: String,
        locale: String,
    },
    /// The agent no longer owns the conversation.
    Released {
        conversation: String,
        reason: String,
    },
    /// A queue changed; an empty locale means "any queue may have" (after lost notes).
    QueueChanged { locale: String },
}

/// Capacity of each topic's channel: a subscriber this far behind loses notes and resyncs
/// (notes are hints to re-read state, never the only copy of anything).
const CHANNEL: usize = 256;

#[derive(Default)]
pub struct Notifier {
    topics: Mutex<HashMap<Topic, broadcast::Sender<Note>>>,
}

impl Notifier {
    pub fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Note> {
        let mut topics = self.topics.lock().unwrap_or_else(|e| e.into_inner());
        topics
            .entry(topic)
            .or_insert_with(|| broadcast::channel(CHANNEL).0)
            .subscribe()
    }

    /// After notes may have been lost (a lost pub/sub connection): every customer connection
    /// re-reads its events and every agent and queue subscriber its queue.
    pub fn resync(&self) {
        let topics: Vec<Topic> = self
            .topics
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        for topic in topics {
            match &topic {
                Topic::Customer(_) => self.deliver(&topic, Note::Events),
                Topic::Agent(_) | Topic::Queues => self.deliver(
                    &topic,
                    Note::QueueChanged {
                        locale: String::new(),
                    },
                ),
            }
        }
    }

    /// Delivers to this node's subscribers; topics nobody listens to are dropped.
    pub fn deliver(&self, topic: &Topic, note: Note) {
        let mut topics = self.topics.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = topics.get(topic) {
            if sender.send(note).is_err() {
                topics.remove(topic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_notes_of_their_topic_only() {
        let n = Notifier::default();
        let mut a = n.subscribe(Topic::Customer("a".into()));
        let mut q = n.subscribe(Topic::Queues);
        n.deliver(&Topic::Customer("a".into()), Note::Events);
        n.deliver(&Topic::Customer("b".into()), Note::Events);
        n.deliver(
            &Topic::Queues,
            Note::QueueChanged {
                locale: "es".into(),
            },
        );
        assert_eq!(a.recv().await.unwrap(), Note::Events);
        assert!(a.try_recv().is_err());
        assert_eq!(
            q.recv().await.unwrap(),
            Note::QueueChanged {
                locale: "es".into()
            }
        );
    }
}

//! Node-local fan-out of notes to the connections that subscribed to a topic.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::ids::{AgentId, Locale, SessionId};
use crate::protocol::From;

/// Who a note is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Topic {
    /// A customer's session: its connection, wherever it is.
    Customer(SessionId),
    /// An agent, wherever connected.
    Agent(AgentId),
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
        conversation: SessionId,
        from: From,
        on: bool,
    },
    /// A customer message in a conversation the agent owns.
    CustomerMessage {
        conversation: SessionId,
        seq: u64,
        text: String,
        locale: Locale,
    },
    /// The agent no longer owns the conversation.
    Released {
        conversation: SessionId,
        reason: String,
    },
    /// The customer of a conversation the agent owns came, went away or left.
    Presence {
        conversation: SessionId,
        state: crate::protocol::Presence,
    },
    /// A queue changed; no locale means "any queue may have" (after lost notes).
    QueueChanged {
        #[serde(with = "any_queue")]
        locale: Option<Locale>,
    },
}

/// A queue change's locale as notes have always carried it: the tag, or `""` for any queue.
mod any_queue {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::ids::Locale;

    pub fn serialize<S: Serializer>(locale: &Option<Locale>, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(locale.as_ref().map_or("", Locale::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Option<Locale>, D::Error> {
        let text = String::deserialize(input)?;
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

/// Capacity of an agent's channel and of the queues' channel: a subscriber this far behind
/// loses notes and resyncs (notes are hints to re-read state, never the only copy of anything).
const CHANNEL: usize = 256;
/// Capacity of a customer's channel. Every customer connection has one for as long as it is
/// open, so it is kept small: a customer gets few notes (new events, typing), and one that
/// lags re-reads its events from the store.
const CUSTOMER_CHANNEL: usize = 8;
/// Topics whose subscribers all left are dropped when the map has grown to twice the topics
/// live at the last sweep (and at least this many): memory follows the open connections.
const SWEEP_FLOOR: usize = 64;

#[derive(Default)]
pub struct Notifier {
    topics: Mutex<Topics>,
}

#[derive(Default)]
struct Topics {
    senders: HashMap<Topic, broadcast::Sender<Note>>,
    sweep_at: usize,
}

impl Notifier {
    fn lock(&self) -> std::sync::MutexGuard<'_, Topics> {
        self.topics.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn subscribe(&self, topic: Topic) -> broadcast::Receiver<Note> {
        let mut topics = self.lock();
        if let Some(sender) = topics.senders.get(&topic) {
            return sender.subscribe();
        }
        if topics.senders.len() >= topics.sweep_at {
            topics.senders.retain(|_, s| s.receiver_count() > 0);
            topics.sweep_at = (topics.senders.len() * 2).max(SWEEP_FLOOR);
        }
        let capacity = match topic {
            Topic::Customer(_) => CUSTOMER_CHANNEL,
            Topic::Agent(_) | Topic::Queues => CHANNEL,
        };
        let (sender, receiver) = broadcast::channel(capacity);
        topics.senders.insert(topic, sender);
        receiver
    }

    /// Topics held (live or not yet swept).
    pub fn topic_count(&self) -> usize {
        self.lock().senders.len()
    }

    /// After notes may have been lost (a lost pub/sub connection): every customer connection
    /// re-reads its events and every agent and queue subscriber its queue.
    pub fn resync(&self) {
        let topics: Vec<Topic> = self.lock().senders.keys().cloned().collect();
        for topic in topics {
            match &topic {
                Topic::Customer(_) => self.deliver(&topic, Note::Events),
                Topic::Agent(_) | Topic::Queues => {
                    self.deliver(&topic, Note::QueueChanged { locale: None })
                }
            }
        }
    }

    /// Delivers to this node's subscribers; topics nobody listens to are dropped.
    pub fn deliver(&self, topic: &Topic, note: Note) {
        let mut topics = self.lock();
        if let Some(sender) = topics.senders.get(topic) {
            if sender.send(note).is_err() {
                topics.senders.remove(topic);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid(id: &str) -> SessionId {
        id.parse().unwrap()
    }

    #[tokio::test]
    async fn subscribers_get_notes_of_their_topic_only() {
        let n = Notifier::default();
        let mut a = n.subscribe(Topic::Customer(sid("a")));
        let mut q = n.subscribe(Topic::Queues);
        n.deliver(&Topic::Customer(sid("a")), Note::Events);
        n.deliver(&Topic::Customer(sid("b")), Note::Events);
        n.deliver(
            &Topic::Queues,
            Note::QueueChanged {
                locale: Some("es".parse().unwrap()),
            },
        );
        assert_eq!(a.recv().await.unwrap(), Note::Events);
        assert!(a.try_recv().is_err());
        assert_eq!(
            q.recv().await.unwrap(),
            Note::QueueChanged {
                locale: Some("es".parse().unwrap())
            }
        );
    }

    #[test]
    fn notes_between_nodes_keep_their_json() {
        let any = Note::QueueChanged { locale: None };
        let es = Note::QueueChanged {
            locale: Some("es".parse().unwrap()),
        };
        for (note, json) in [
            (&any, r#"{"note":"queue_changed","locale":""}"#),
            (&es, r#"{"note":"queue_changed","locale":"es"}"#),
        ] {
            assert_eq!(serde_json::to_string(note).unwrap(), json);
            assert_eq!(&serde_json::from_str::<Note>(json).unwrap(), note);
        }
        let topic = Topic::Customer(sid("a1"));
        let json = r#"{"kind":"customer","id":"a1"}"#;
        assert_eq!(serde_json::to_string(&topic).unwrap(), json);
        assert_eq!(serde_json::from_str::<Topic>(json).unwrap(), topic);
        assert!(serde_json::from_str::<Topic>(r#"{"kind":"customer","id":"a b"}"#).is_err());
    }

    #[tokio::test]
    async fn topics_of_closed_connections_do_not_pile_up() {
        let n = Notifier::default();
        for i in 0..10_000 {
            let receiver = n.subscribe(Topic::Customer(sid(&format!("c{i}"))));
            drop(receiver);
        }
        assert!(n.topic_count() <= SWEEP_FLOOR, "{}", n.topic_count());
        // Live subscribers are never swept.
        let live: Vec<_> = (0..100)
            .map(|i| n.subscribe(Topic::Customer(sid(&format!("live{i}")))))
            .collect();
        for i in 0..1_000 {
            drop(n.subscribe(Topic::Customer(sid(&format!("gone{i}")))));
        }
        n.deliver(&Topic::Customer(sid("live7")), Note::Events);
        let mut live = live;
        assert_eq!(live[7].recv().await.unwrap(), Note::Events);
        assert!(n.topic_count() <= 2 * 100 + 1, "{}", n.topic_count());
    }
}

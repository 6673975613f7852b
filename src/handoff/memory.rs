//! The embedded hand-off backend: one node, everything in memory.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::ids::{AgentId, Locale, SessionId};
use crate::protocol::Presence;

use super::{
    now_ms, AgentRef, Amendment, Assignment, HandoffBackend, HandoffError, Note, Notifier, Status,
    Ticket, Topic,
};

/// Assignments remembered per locale for the wait estimate.
pub const RECENT_ASSIGNMENTS: usize = 20;

struct AgentPresence {
    locales: Vec<Locale>,
    online: bool,
    /// Changes on every connect and disconnect.
    mark: u64,
}

#[derive(Default)]
struct Inner {
    /// locale → tickets, longest-waiting first.
    queues: HashMap<Locale, Vec<Ticket>>,
    /// conversation → (owner, ticket)
    owners: HashMap<SessionId, (AgentRef, Ticket)>,
    agents: HashMap<AgentId, AgentPresence>,
    marks: u64,
    recent: HashMap<Locale, VecDeque<Assignment>>,
}

impl Inner {
    fn status(&self, conversation: &SessionId) -> Status {
        if let Some((agent, ticket)) = self.owners.get(conversation) {
            return Status::Assigned {
                agent: agent.clone(),
                locale: ticket.locale.clone(),
            };
        }
        for (locale, queue) in &self.queues {
            if let Some(i) = queue.iter().position(|t| &t.conversation == conversation) {
                return Status::Queued {
                    locale: locale.clone(),
                    position: i as u32 + 1,
                };
            }
        }
        Status::Bot
    }

    fn insert(&mut self, ticket: Ticket) {
        let queue = self.queues.entry(ticket.locale.clone()).or_default();
        // By time; within one millisecond, in the order they came (two customers asking in
        // the same millisecond keep their order, whatever their random ids).
        let at = queue.partition_point(|t| t.enqueued_ms <= ticket.enqueued_ms);
        queue.insert(at, ticket);
    }

    fn take_queued(&mut self, conversation: &SessionId) -> Option<Ticket> {
        for queue in self.queues.values_mut() {
            if let Some(i) = queue.iter().position(|t| &t.conversation == conversation) {
                return Some(queue.remove(i));
            }
        }
        None
    }

    fn assign(&mut self, ticket: Ticket, agent: &AgentRef) -> Ticket {
        let recent = self.recent.entry(ticket.locale.clone()).or_default();
        recent.push_back(Assignment {
            enqueued_ms: ticket.enqueued_ms,
            assigned_ms: now_ms(),
        });
        while recent.len() > RECENT_ASSIGNMENTS {
            recent.pop_front();
        }
        self.owners
            .insert(ticket.conversation.clone(), (agent.clone(), ticket.clone()));
        ticket
    }
}

#[derive(Default)]
pub struct MemoryBackend {
    inner: Mutex<Inner>,
    notifier: Notifier,
}

impl MemoryBackend {
    pub fn new() -> MemoryBackend {
        MemoryBackend::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn queue_changed(&self, locales: impl IntoIterator<Item = Locale>) {
        for locale in locales {
            self.notifier.deliver(
                &Topic::Queues,
                Note::QueueChanged {
                    locale: Some(locale),
                },
            );
        }
    }
}

#[async_trait]
impl HandoffBackend for MemoryBackend {
    async fn enqueue(&self, ticket: Ticket) -> Result<Status, HandoffError> {
        let locale = ticket.locale.clone();
        let status = {
            let mut inner = self.lock();
            if inner.status(&ticket.conversation) == Status::Bot {
                inner.insert(ticket.clone());
            }
            inner.status(&ticket.conversation)
        };
        self.queue_changed([locale]);
        Ok(status)
    }

    async fn status(&self, conversation: &SessionId) -> Result<Status, HandoffError> {
        Ok(self.lock().status(conversation))
    }

    async fn waiting(&self, locales: &[Locale]) -> Result<Vec<Ticket>, HandoffError> {
        let inner = self.lock();
        let mut waiting: Vec<Ticket> = locales
            .iter()
            .filter_map(|l| inner.queues.get(l))
            .flatten()
            .cloned()
            .collect();
        // Stable: within one millisecond, each queue's own order (its positions).
        waiting.sort_by_key(|t| t.enqueued_ms);
        Ok(waiting)
    }

    async fn claim(
        &self,
        conversation: &SessionId,
        agent: &AgentRef,
    ) -> Result<Ticket, HandoffError> {
        let ticket = {
            let mut inner = self.lock();
            if let Some((owner, ticket)) = inner.owners.get(conversation) {
                return if owner.id == agent.id {
                    Ok(ticket.clone())
                } else {
                    Err(HandoffError::Conflict)
                };
            }
            let ticket = inner
                .take_queued(conversation)
                .ok_or(HandoffError::NotFound)?;
            inner.assign(ticket, agent)
        };
        self.queue_changed([ticket.locale.clone()]);
        Ok(ticket)
    }

    async fn claim_next(
        &self,
        agent: &AgentRef,
        locales: &[Locale],
    ) -> Result<Option<Ticket>, HandoffError> {
        let ticket = {
            let mut inner = self.lock();
            let oldest = locales
                .iter()
                .filter_map(|l| {
                    inner
                        .queues
                        .get(l)
                        .and_then(|q| q.iter().find(|t| t.presence != Presence::Left))
                })
                .min_by(|a, b| {
                    (a.enqueued_ms, &a.conversation).cmp(&(b.enqueued_ms, &b.conversation))
                })
                .map(|t| t.conversation.clone());
            let Some(conversation) = oldest else {
                return Ok(None);
            };
            let ticket = inner
                .take_queued(&conversation)
                .ok_or(HandoffError::NotFound)?;
            inner.assign(ticket, agent)
        };
        self.queue_changed([ticket.locale.clone()]);
        Ok(Some(ticket))
    }

    async fn finish(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
    ) -> Result<Ticket, HandoffError> {
        let mut inner = self.lock();
        match inner.owners.get(conversation) {
            Some((owner, _)) if &owner.id == agent_id => Ok(inner
                .owners
                .remove(conversation)
                .map(|(_, t)| t)
                .ok_or(HandoffError::NotFound)?),
            _ => Err(HandoffError::NotFound),
        }
    }

    async fn transfer(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
        locale: &Locale,
    ) -> Result<Status, HandoffError> {
        let status = {
            let mut inner = self.lock();
            match inner.owners.get(conversation) {
                Some((owner, _)) if &owner.id == agent_id => {}
                _ => return Err(HandoffError::NotFound),
            }
            let (_, mut ticket) = inner
                .owners
                .remove(conversation)
                .ok_or(HandoffError::NotFound)?;
            ticket.locale = locale.clone();
            inner.insert(ticket);
            inner.status(conversation)
        };
        self.queue_changed([locale.clone()]);
        Ok(status)
    }

    async fn cancel(&self, conversation: &SessionId) -> Result<Option<AgentRef>, HandoffError> {
        let (owner, locale) = {
            let mut inner = self.lock();
            let queued = inner.take_queued(conversation).map(|t| t.locale);
            let owner = inner.owners.remove(conversation).map(|(a, _)| a);
            (owner, queued)
        };
        self.queue_changed(locale);
        Ok(owner)
    }

    async fn amend(
        &self,
        conversation: &SessionId,
        owner: Option<&AgentId>,
        change: Amendment<'_>,
    ) -> Result<Ticket, HandoffError> {
        let mut inner = self.lock();
        let ticket = match inner.owners.get_mut(conversation) {
            Some((agent, ticket)) if owner.is_none_or(|id| *id == agent.id) => ticket,
            Some(_) => return Err(HandoffError::NotFound),
            None if owner.is_some() => return Err(HandoffError::NotFound),
            None => inner
                .queues
                .values_mut()
                .flat_map(|q| q.iter_mut())
                .find(|t| &t.conversation == conversation)
                .ok_or(HandoffError::NotFound)?,
        };
        super::apply(ticket, change);
        Ok(ticket.clone())
    }

    async fn owned_by(&self, agent_id: &AgentId) -> Result<Vec<Ticket>, HandoffError> {
        let inner = self.lock();
        let mut owned: Vec<Ticket> = inner
            .owners
            .values()
            .filter(|(a, _)| &a.id == agent_id)
            .map(|(_, t)| t.clone())
            .collect();
        owned.sort_by(|a, b| a.conversation.cmp(&b.conversation));
        Ok(owned)
    }

    async fn agent_ready(&self, agent: &AgentRef, locales: &[Locale]) -> Result<(), HandoffError> {
        let mut inner = self.lock();
        inner.marks += 1;
        let mark = inner.marks;
        inner.agents.insert(
            agent.id.clone(),
            AgentPresence {
                locales: locales.to_vec(),
                online: true,
                mark,
            },
        );
        Ok(())
    }

    async fn agent_gone(&self, agent_id: &AgentId) -> Result<u64, HandoffError> {
        let mut inner = self.lock();
        inner.marks += 1;
        let mark = inner.marks;
        let presence = inner
            .agents
            .entry(agent_id.clone())
            .or_insert(AgentPresence {
                locales: Vec::new(),
                online: false,
                mark,
            });
        presence.online = false;
        presence.mark = mark;
        Ok(mark)
    }

    async fn requeue_if_gone(
        &self,
        agent_id: &AgentId,
        mark: u64,
    ) -> Result<Vec<Ticket>, HandoffError> {
        let requeued = {
            let mut inner = self.lock();
            let gone = inner
                .agents
                .get(agent_id)
                .is_some_and(|p| !p.online && p.mark == mark);
            if !gone {
                return Ok(Vec::new());
            }
            let conversations: Vec<SessionId> = inner
                .owners
                .iter()
                .filter(|(_, (a, _))| &a.id == agent_id)
                .map(|(c, _)| c.clone())
                .collect();
            let mut requeued = Vec::new();
            for conversation in conversations {
                if let Some((_, ticket)) = inner.owners.remove(&conversation) {
                    inner.insert(ticket.clone());
                    requeued.push(ticket);
                }
            }
            requeued
        };
        self.queue_changed(requeued.iter().map(|t| t.locale.clone()));
        Ok(requeued)
    }

    async fn heartbeat(&self, _agent_id: &AgentId, _ttl_ms: u64) -> Result<(), HandoffError> {
        // One node: if it dies, the queue dies with it; nothing to watch.
        Ok(())
    }

    async fn reap(&self) -> Result<Vec<Ticket>, HandoffError> {
        Ok(Vec::new())
    }

    async fn agents_online(&self, locale: &Locale) -> Result<usize, HandoffError> {
        Ok(self
            .lock()
            .agents
            .values()
            .filter(|p| p.online && p.locales.iter().any(|l| l == locale))
            .count())
    }

    async fn recent_assignments(&self, locale: &Locale) -> Result<Vec<Assignment>, HandoffError> {
        Ok(self
            .lock()
            .recent
            .get(locale)
            .map(|r| r.iter().copied().collect())
            .unwrap_or_default())
    }

    async fn publish(&self, topic: Topic, note: Note) -> Result<(), HandoffError> {
        self.notifier.deliver(&topic, note);
        Ok(())
    }

    fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    async fn ping(&self) -> Result<(), HandoffError> {
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "memory"
    }
}

#[cfg(test)]
mod tests {
    use super::super::{HandoffBackend, Status, Ticket};

    #[tokio::test]
    async fn memory_backend_keeps_the_contract() {
        super::super::contract::run(std::sync::Arc::new(super::MemoryBackend::new())).await;
    }

    #[tokio::test]
    async fn customers_queued_in_the_same_millisecond_keep_their_order() {
        let backend = super::MemoryBackend::new();
        for conversation in ["zz-first", "aa-second"] {
            backend
                .enqueue(Ticket {
                    enqueued_ms: 1_000,
                    ..Ticket::new(
                        &conversation.parse().unwrap(),
                        &"es".parse().unwrap(),
                        String::new(),
                        Default::default(),
                    )
                })
                .await
                .unwrap();
        }
        for (conversation, position) in [("zz-first", 1), ("aa-second", 2)] {
            assert_eq!(
                backend
                    .status(&conversation.parse().unwrap())
                    .await
                    .unwrap(),
                Status::Queued {
                    locale: "es".parse().unwrap(),
                    position
                }
            );
        }
    }
}

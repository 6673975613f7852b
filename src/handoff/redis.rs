//! The hand-off backend in Redis, shared by every node. Every key carries the hash tag
//! `{handoff}`, so on a Redis Cluster they all live in one slot, and every script names all of
//! them in `KEYS` (none builds a key name from data): each change of ownership stays one
//! atomic script whatever the topology, and a slot migration makes a script wait (`TRYAGAIN`)
//! instead of running half. The keys:
//!
//! - `sb:{handoff}:tickets` — hash: conversation → ticket (JSON), while queued or owned
//! - `sb:{handoff}:owners` — hash: conversation → the owning agent (JSON)
//! - `sb:{handoff}:queue` — sorted set holding every locale's queue: all scores 0, members
//!   `"<locale> <enqueued ms, 16 digits> <conversation>"` (neither a locale, a language tag,
//!   nor a session id holds a space or anything below `!`), so one locale's queue is a
//!   lexicographic range in time order (ties by conversation id, as in memory), the head is
//!   `ZRANGEBYLEX … LIMIT 0 1` and a position is `ZLEXCOUNT` from the range's start
//! - `sb:{handoff}:recent` — hash: locale → the last assignments, `"enqueued:assigned,…"`
//! - `sb:{handoff}:agents` — hash: agent id → `{online, mark, locales, owned}` (JSON)
//! - `sb:{handoff}:alive` — sorted set: agent id → heartbeat deadline (Redis `TIME`, ms)
//! - `sb:{handoff}:marks` — the counter behind presence marks
//! - `sb:{handoff}:online` — hash: locale → connected agents serving it
//!
//! One slot carries all hand-off coordination: its load is bounded by what human agents can
//! take (the benchmark gives thousands of hand-offs per second against one Redis core), while
//! sessions — the bulk of the traffic — spread over the cluster by session id. Notes travel on
//! the pub/sub channel `sb:notes` to every node (plain pub/sub reaches every node of a
//! cluster), where a listener hands them to the node's [`Notifier`].

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use redis::Script;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::{
    memory::RECENT_ASSIGNMENTS, now_ms, AgentRef, Amendment, Assignment, HandoffBackend,
    HandoffError, Note, Notifier, Status, Ticket, Topic,
};
use crate::ids::{AgentId, Locale, SessionId};
use crate::redis_link::{RedisLink, RedisMode};

const NOTES: &str = "sb:notes";

/// The keys, in the order every script receives them.
const KEYS: [&str; 8] = [
    "sb:{handoff}:tickets",
    "sb:{handoff}:owners",
    "sb:{handoff}:queue",
    "sb:{handoff}:recent",
    "sb:{handoff}:agents",
    "sb:{handoff}:alive",
    "sb:{handoff}:marks",
    "sb:{handoff}:online",
];
const TICKETS: &str = KEYS[0];
const RECENT: &str = KEYS[3];
const ONLINE: &str = KEYS[7];

fn unavailable(e: redis::RedisError) -> HandoffError {
    HandoffError::Unavailable(e.to_string())
}

fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, HandoffError> {
    serde_json::from_str(json).map_err(|e| HandoffError::Unavailable(format!("stored value: {e}")))
}

fn encode<T: Serialize>(value: &T) -> Result<String, HandoffError> {
    serde_json::to_string(value).map_err(|e| HandoffError::Unavailable(format!("encode: {e}")))
}

/// What every script shares: the key names, queue members, agents' records, the status of a
/// conversation, taking one, releasing one and requeueing an agent's.
const COMMON: &str = r"
local TICKETS, OWNERS, QUEUE, RECENT = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local AGENTS, ALIVE, MARKS, ONLINE = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local function member(t)
  return t.locale .. ' ' .. string.format('%016d', t.enqueued_ms) .. ' ' .. t.conversation
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function agent_get(id)
  local raw = redis.call('HGET', AGENTS, id)
  if raw then
    local a = cjson.decode(raw)
    if not a.owned then a.owned = {} end
    if not a.locales then a.locales = {} end
    return a
  end
  return {online = 0, mark = 0, locales = {}, owned = {}}
end
local function agent_put(id, a) redis.call('HSET', AGENTS, id, cjson.encode(a)) end
local function offline(a)
  if a.online == 1 then
    for _, l in ipairs(a.locales) do redis.call('HINCRBY', ONLINE, l, -1) end
  end
  a.online = 0
end
local function online(a, locales)
  offline(a)
  local seen, unique = {}, {}
  for _, l in ipairs(locales) do
    if not seen[l] then seen[l] = true; table.insert(unique, l) end
  end
  a.locales = unique
  a.online = 1
  for _, l in ipairs(unique) do redis.call('HINCRBY', ONLINE, l, 1) end
end
local function without(list, item)
  local kept = {}
  for _, x in ipairs(list) do if x ~= item then table.insert(kept, x) end end
  return kept
end
local function status(conv)
  local t = redis.call('HGET', TICKETS, conv)
  if not t then return {'bot'} end
  local ticket = cjson.decode(t)
  local owner = redis.call('HGET', OWNERS, conv)
  if owner then return {'assigned', owner, ticket.locale} end
  local m = member(ticket)
  if not redis.call('ZSCORE', QUEUE, m) then return {'bot'} end
  return {'queued', ticket.locale, redis.call('ZLEXCOUNT', QUEUE, '[' .. ticket.locale .. ' ', '[' .. m)}
end
local function take(t, agent_json, agent_id, now, keep)
  local ticket = cjson.decode(t)
  redis.call('ZREM', QUEUE, member(ticket))
  redis.call('HSET', OWNERS, ticket.conversation, agent_json)
  local a = agent_get(agent_id)
  a.owned = without(a.owned, ticket.conversation)
  table.insert(a.owned, ticket.conversation)
  agent_put(agent_id, a)
  local recent = {}
  local old = redis.call('HGET', RECENT, ticket.locale)
  if old then for e in string.gmatch(old, '[^,]+') do table.insert(recent, e) end end
  table.insert(recent, string.format('%d:%d', ticket.enqueued_ms, now))
  while #recent > keep do table.remove(recent, 1) end
  redis.call('HSET', RECENT, ticket.locale, table.concat(recent, ','))
  return t
end
-- Ends the agent's ownership of conv; returns the ticket, or false when not theirs.
local function release(conv, agent_id)
  local owner = redis.call('HGET', OWNERS, conv)
  if not owner or cjson.decode(owner).id ~= agent_id then return false end
  redis.call('HDEL', OWNERS, conv)
  local a = agent_get(agent_id)
  a.owned = without(a.owned, conv)
  agent_put(agent_id, a)
  return redis.call('HGET', TICKETS, conv)
end
-- Puts every conversation of agent record a back in its queue, at its original time; appends
-- the tickets to into. The caller stores a.
local function requeue_owned(a, into)
  for _, conv in ipairs(a.owned) do
    local t = redis.call('HGET', TICKETS, conv)
    redis.call('HDEL', OWNERS, conv)
    if t then
      redis.call('ZADD', QUEUE, 0, member(cjson.decode(t)))
      table.insert(into, t)
    end
  end
  a.owned = {}
  return into
end
";

/// ARGV: ticket JSON.
const ENQUEUE: &str = r"
local ticket = cjson.decode(ARGV[1])
local now = status(ticket.conversation)
if now[1] ~= 'bot' then return now end
redis.call('HSET', TICKETS, ticket.conversation, ARGV[1])
redis.call('ZADD', QUEUE, 0, member(ticket))
return status(ticket.conversation)
";

const STATUS: &str = r"return status(ARGV[1])";

/// ARGV: locales. Returns the tickets waiting in their queues.
const WAITING: &str = r"
local found = {}
for _, locale in ipairs(ARGV) do
  for _, m in ipairs(redis.call('ZRANGEBYLEX', QUEUE, '[' .. locale .. ' ', '(' .. locale .. '!')) do
    local t = redis.call('HGET', TICKETS, string.sub(m, #locale + 19))
    if t then table.insert(found, t) end
  end
end
return found
";

/// ARGV: conversation, agent JSON, agent id, now, recent-length.
/// Returns {'ok', ticket} | {'conflict'} | {'notfound'}.
const CLAIM: &str = r"
local conv = ARGV[1]
local owner = redis.call('HGET', OWNERS, conv)
if owner then
  if cjson.decode(owner).id == ARGV[3] then return {'ok', redis.call('HGET', TICKETS, conv)} end
  return {'conflict'}
end
if status(conv)[1] ~= 'queued' then return {'notfound'} end
return {'ok', take(redis.call('HGET', TICKETS, conv), ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))}
";

/// ARGV: agent JSON, agent id, now, recent-length, locales...
/// Returns {'ok', ticket} | {'none'}. Customers who left are passed over.
const CLAIM_NEXT: &str = r"
local best = nil
for i = 5, #ARGV do
  local locale = ARGV[i]
  for _, m in ipairs(redis.call('ZRANGEBYLEX', QUEUE, '[' .. locale .. ' ', '(' .. locale .. '!')) do
    local t = redis.call('HGET', TICKETS, string.sub(m, #locale + 19))
    if t and cjson.decode(t).presence ~= 'left' then
      local rest = string.sub(m, #locale + 2)
      if not best or rest < best then best = rest end
      break
    end
  end
end
if not best then return {'none'} end
local t = redis.call('HGET', TICKETS, string.sub(best, 18))
return {'ok', take(t, ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))}
";

/// ARGV: conversation, agent id.
const FINISH: &str = r"
local t = release(ARGV[1], ARGV[2])
if t then redis.call('HDEL', TICKETS, ARGV[1]) end
return t
";

/// ARGV: conversation, agent id, new ticket JSON.
const TRANSFER: &str = r"
local t = release(ARGV[1], ARGV[2])
if not t then return {'notfound'} end
redis.call('HSET', TICKETS, ARGV[1], ARGV[3])
redis.call('ZADD', QUEUE, 0, member(cjson.decode(ARGV[3])))
return status(ARGV[1])
";

/// ARGV: conversation, the ticket as read, the ticket as changed, owner id or ''.
/// Returns 'ok' | 'notfound' | 'retry' (changed since it was read).
const AMEND: &str = r"
local conv = ARGV[1]
local cur = redis.call('HGET', TICKETS, conv)
if not cur then return 'notfound' end
local owner = redis.call('HGET', OWNERS, conv)
if ARGV[4] ~= '' and (not owner or cjson.decode(owner).id ~= ARGV[4]) then return 'notfound' end
if not owner and status(conv)[1] ~= 'queued' then return 'notfound' end
if cur ~= ARGV[2] then return 'retry' end
redis.call('HSET', TICKETS, conv, ARGV[3])
return 'ok'
";

/// ARGV: conversation. Returns {owner JSON or '', locale or ''}.
const CANCEL: &str = r"
local conv = ARGV[1]
local owner = redis.call('HGET', OWNERS, conv) or ''
local t = redis.call('HGET', TICKETS, conv)
local locale = ''
if owner ~= '' then
  local id = cjson.decode(owner).id
  redis.call('HDEL', OWNERS, conv)
  local a = agent_get(id)
  a.owned = without(a.owned, conv)
  agent_put(id, a)
elseif t then
  local ticket = cjson.decode(t)
  locale = ticket.locale
  redis.call('ZREM', QUEUE, member(ticket))
end
redis.call('HDEL', TICKETS, conv)
return {owner, locale}
";

/// ARGV: agent id. Returns the tickets the agent owns.
const OWNED: &str = r"
local found = {}
for _, conv in ipairs(agent_get(ARGV[1]).owned) do
  local t = redis.call('HGET', TICKETS, conv)
  if t then table.insert(found, t) end
end
return found
";

/// ARGV: agent id, locales JSON, heartbeat ttl ms. Returns the new mark.
const READY: &str = r"
local a = agent_get(ARGV[1])
online(a, cjson.decode(ARGV[2]))
a.mark = redis.call('INCR', MARKS)
agent_put(ARGV[1], a)
redis.call('ZADD', ALIVE, now_ms() + tonumber(ARGV[3]), ARGV[1])
return a.mark
";

/// ARGV: agent id, ttl ms.
const HEARTBEAT: &str = r"
redis.call('ZADD', ALIVE, now_ms() + tonumber(ARGV[2]), ARGV[1])
return 1
";

/// ARGV: agent id. Returns the new mark.
const GONE: &str = r"
local a = agent_get(ARGV[1])
offline(a)
a.mark = redis.call('INCR', MARKS)
agent_put(ARGV[1], a)
return a.mark
";

/// ARGV: agent id, mark. Returns the requeued tickets.
const REQUEUE: &str = r"
local a = agent_get(ARGV[1])
if a.online ~= 0 or a.mark ~= tonumber(ARGV[2]) then return {} end
local requeued = requeue_owned(a, {})
agent_put(ARGV[1], a)
return requeued
";

/// Agents whose heartbeat deadline passed that are marked online or still own conversations
/// (their node died, or shut down before its requeue timer fired): marked gone, their
/// conversations requeued. Returns the requeued tickets.
const REAP: &str = r"
local requeued = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', ALIVE, '-inf', '(' .. now_ms())) do
  local a = agent_get(id)
  if a.online == 1 or #a.owned > 0 then
    offline(a)
    a.mark = redis.call('INCR', MARKS)
    requeue_owned(a, requeued)
    agent_put(id, a)
  end
  redis.call('ZREM', ALIVE, id)
end
return requeued
";

/// How often an amendment is tried again when the ticket changed under it.
const AMEND_TRIES: usize = 8;

/// How long an agent's presence lives without a heartbeat when none was given.
const DEFAULT_ALIVE_MS: u64 = 30_000;

fn script(body: &str) -> Script {
    Script::new(&format!("{COMMON}\n{body}"))
}

pub struct RedisBackend {
    redis: RedisLink,
    notifier: Arc<Notifier>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    topic: Topic,
    note: Note,
}

impl RedisBackend {
    /// Uses `redis` for commands, and listens for notes on a pub/sub connection of it
    /// (reconnecting, and following failovers, until `shutdown`).
    pub fn new(redis: RedisLink, shutdown: CancellationToken) -> RedisBackend {
        let notifier = Arc::new(Notifier::default());
        tokio::spawn(listen(redis.clone(), notifier.clone(), shutdown));
        RedisBackend { redis, notifier }
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        body: &str,
        args: &[String],
    ) -> Result<T, HandoffError> {
        let script = script(body);
        let mut invocation = script.prepare_invoke();
        for key in KEYS {
            invocation.key(key);
        }
        for arg in args {
            invocation.arg(arg);
        }
        let mut redis = self.redis.clone();
        invocation
            .invoke_async(&mut redis)
            .await
            .map_err(unavailable)
    }

    /// One plain command on a hand-off key.
    async fn query<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, HandoffError> {
        let mut redis = self.redis.clone();
        cmd.query_async(&mut redis).await.map_err(unavailable)
    }

    /// The ticket of a claim script's `{'ok', ticket}` answer (announcing its queue moved), or
    /// `None` for any other answer.
    async fn claimed(&self, answer: &[String]) -> Result<Option<Ticket>, HandoffError> {
        match answer {
            [ok, ticket] if ok == "ok" => {
                let ticket: Ticket = decode(ticket)?;
                self.queue_changed(&ticket.locale).await;
                Ok(Some(ticket))
            }
            _ => Ok(None),
        }
    }

    /// Decodes tickets a script put back in their queues, and announces those queues.
    async fn requeued(&self, tickets: &[String]) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<Ticket> = tickets
            .iter()
            .map(|t| decode(t))
            .collect::<Result<_, _>>()?;
        let mut locales: Vec<&Locale> = tickets.iter().map(|t| &t.locale).collect();
        locales.sort_unstable();
        locales.dedup();
        for locale in locales {
            self.queue_changed(locale).await;
        }
        Ok(tickets)
    }

    async fn queue_changed(&self, locale: &Locale) {
        let note = Note::QueueChanged {
            locale: Some(locale.clone()),
        };
        if let Err(e) = self.publish(Topic::Queues, note).await {
            tracing::warn!(error = %e, "queue change not announced");
        }
    }
}

fn status_of(answer: Vec<String>) -> Result<Status, HandoffError> {
    match answer.as_slice() {
        [kind] if kind == "bot" => Ok(Status::Bot),
        [kind, locale, position] if kind == "queued" => Ok(Status::Queued {
            locale: stored_locale(locale)?,
            position: position.parse().unwrap_or(0),
        }),
        [kind, owner, locale] if kind == "assigned" => Ok(Status::Assigned {
            agent: decode(owner)?,
            locale: stored_locale(locale)?,
        }),
        other => Err(HandoffError::Unavailable(format!(
            "unexpected status {other:?}"
        ))),
    }
}

fn stored_locale(text: &str) -> Result<Locale, HandoffError> {
    text.parse()
        .map_err(|e| HandoffError::Unavailable(format!("stored locale: {e}")))
}

/// Receives every node's notes and hands them to this node's subscribers.
async fn listen(redis: RedisLink, notifier: Arc<Notifier>, shutdown: CancellationToken) {
    let mut delay = Duration::from_millis(100);
    loop {
        let connected = async {
            let mut pubsub = redis.pubsub().await?;
            pubsub.subscribe(NOTES).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let pubsub = tokio::select! {
            _ = shutdown.cancelled() => return,
            pubsub = connected => pubsub,
        };
        match pubsub {
            Ok(pubsub) => {
                delay = Duration::from_millis(100);
                // Notes sent while we were away are lost: tell every local subscriber to re-read.
                notifier.resync();
                let mut messages = pubsub.into_on_message();
                loop {
                    let message = tokio::select! {
                        _ = shutdown.cancelled() => return,
                        message = messages.next() => message,
                    };
                    let Some(message) = message else { break };
                    match serde_json::from_slice::<Envelope>(message.get_payload_bytes()) {
                        Ok(envelope) => notifier.deliver(&envelope.topic, envelope.note),
                        Err(e) => tracing::warn!(error = %e, "unreadable note on {NOTES}"),
                    }
                }
                tracing::warn!("lost the Redis pub/sub connection; reconnecting");
            }
            Err(e) => tracing::warn!(error = %e, "cannot subscribe to Redis notes; retrying"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}

#[async_trait]
impl HandoffBackend for RedisBackend {
    async fn enqueue(&self, ticket: Ticket) -> Result<Status, HandoffError> {
        let json = encode(&ticket)?;
        let answer: Vec<String> = self.run(ENQUEUE, &[json]).await?;
        self.queue_changed(&ticket.locale).await;
        status_of(answer)
    }

    async fn status(&self, conversation: &SessionId) -> Result<Status, HandoffError> {
        status_of(self.run(STATUS, &[conversation.to_string()]).await?)
    }

    async fn waiting(&self, locales: &[Locale]) -> Result<Vec<Ticket>, HandoffError> {
        let locales: Vec<String> = locales.iter().map(Locale::to_string).collect();
        let tickets: Vec<String> = self.run(WAITING, &locales).await?;
        let mut waiting: Vec<Ticket> = tickets.iter().filter_map(|t| decode(t).ok()).collect();
        waiting.sort_by(|a, b| {
            (a.enqueued_ms, &a.conversation).cmp(&(b.enqueued_ms, &b.conversation))
        });
        Ok(waiting)
    }

    async fn claim(
        &self,
        conversation: &SessionId,
        agent: &AgentRef,
    ) -> Result<Ticket, HandoffError> {
        let answer: Vec<String> = self
            .run(
                CLAIM,
                &[
                    conversation.to_string(),
                    encode(agent)?,
                    agent.id.to_string(),
                    now_ms().to_string(),
                    RECENT_ASSIGNMENTS.to_string(),
                ],
            )
            .await?;
        match answer.as_slice() {
            [conflict] if conflict == "conflict" => Err(HandoffError::Conflict),
            _ => self.claimed(&answer).await?.ok_or(HandoffError::NotFound),
        }
    }

    async fn claim_next(
        &self,
        agent: &AgentRef,
        locales: &[Locale],
    ) -> Result<Option<Ticket>, HandoffError> {
        let mut args = vec![
            encode(agent)?,
            agent.id.to_string(),
            now_ms().to_string(),
            RECENT_ASSIGNMENTS.to_string(),
        ];
        args.extend(locales.iter().map(Locale::to_string));
        let answer: Vec<String> = self.run(CLAIM_NEXT, &args).await?;
        self.claimed(&answer).await
    }

    async fn finish(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
    ) -> Result<Ticket, HandoffError> {
        let ticket: Option<String> = self
            .run(FINISH, &[conversation.to_string(), agent_id.to_string()])
            .await?;
        decode(&ticket.ok_or(HandoffError::NotFound)?)
    }

    async fn transfer(
        &self,
        conversation: &SessionId,
        agent_id: &AgentId,
        locale: &Locale,
    ) -> Result<Status, HandoffError> {
        let current: Option<String> = self
            .query(redis::cmd("HGET").arg(TICKETS).arg(conversation.as_str()))
            .await?;
        let mut ticket: Ticket = decode(&current.ok_or(HandoffError::NotFound)?)?;
        ticket.locale = locale.clone();
        let answer: Vec<String> = self
            .run(
                TRANSFER,
                &[
                    conversation.to_string(),
                    agent_id.to_string(),
                    encode(&ticket)?,
                ],
            )
            .await?;
        if answer.first().is_some_and(|a| a == "notfound") {
            return Err(HandoffError::NotFound);
        }
        self.queue_changed(locale).await;
        status_of(answer)
    }

    async fn cancel(&self, conversation: &SessionId) -> Result<Option<AgentRef>, HandoffError> {
        let (owner, locale): (String, String) =
            self.run(CANCEL, &[conversation.to_string()]).await?;
        // '' when it waited in no queue.
        if let Ok(locale) = stored_locale(&locale) {
            self.queue_changed(&locale).await;
        }
        if owner.is_empty() {
            Ok(None)
        } else {
            decode(&owner).map(Some)
        }
    }

    async fn amend(
        &self,
        conversation: &SessionId,
        owner: Option<&AgentId>,
        change: Amendment<'_>,
    ) -> Result<Ticket, HandoffError> {
        // Read, change, and write only if nobody wrote in between (else read again).
        for _ in 0..AMEND_TRIES {
            let current: Option<String> = self
                .query(redis::cmd("HGET").arg(TICKETS).arg(conversation.as_str()))
                .await?;
            let read = current.ok_or(HandoffError::NotFound)?;
            let mut ticket: Ticket = decode(&read)?;
            super::apply(&mut ticket, change);
            let args = [
                conversation.to_string(),
                read,
                encode(&ticket)?,
                owner.map(AgentId::to_string).unwrap_or_default(),
            ];
            let answer: String = self.run(AMEND, &args).await?;
            match answer.as_str() {
                "ok" => return Ok(ticket),
                "notfound" => return Err(HandoffError::NotFound),
                _ => continue,
            }
        }
        Err(HandoffError::Unavailable(format!(
            "the ticket kept changing: {AMEND_TRIES} tries to amend it failed"
        )))
    }

    async fn owned_by(&self, agent_id: &AgentId) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<String> = self.run(OWNED, &[agent_id.to_string()]).await?;
        let mut owned: Vec<Ticket> = tickets.iter().filter_map(|t| decode(t).ok()).collect();
        owned.sort_by(|a, b| a.conversation.cmp(&b.conversation));
        Ok(owned)
    }

    async fn agent_ready(&self, agent: &AgentRef, locales: &[Locale]) -> Result<(), HandoffError> {
        let _: i64 = self
            .run(
                READY,
                &[
                    agent.id.to_string(),
                    encode(&locales)?,
                    DEFAULT_ALIVE_MS.to_string(),
                ],
            )
            .await?;
        Ok(())
    }

    async fn heartbeat(&self, agent_id: &AgentId, ttl_ms: u64) -> Result<(), HandoffError> {
        let _: i64 = self
            .run(
                HEARTBEAT,
                &[agent_id.to_string(), ttl_ms.max(1).to_string()],
            )
            .await?;
        Ok(())
    }

    async fn reap(&self) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<String> = self.run(REAP, &[]).await?;
        self.requeued(&tickets).await
    }

    async fn agent_gone(&self, agent_id: &AgentId) -> Result<u64, HandoffError> {
        let mark: i64 = self.run(GONE, &[agent_id.to_string()]).await?;
        Ok(mark as u64)
    }

    async fn requeue_if_gone(
        &self,
        agent_id: &AgentId,
        mark: u64,
    ) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<String> = self
            .run(REQUEUE, &[agent_id.to_string(), mark.to_string()])
            .await?;
        self.requeued(&tickets).await
    }

    async fn agents_online(&self, locale: &Locale) -> Result<usize, HandoffError> {
        let online: Option<i64> = self
            .query(redis::cmd("HGET").arg(ONLINE).arg(locale.as_str()))
            .await?;
        Ok(online.unwrap_or(0).max(0) as usize)
    }

    async fn recent_assignments(&self, locale: &Locale) -> Result<Vec<Assignment>, HandoffError> {
        let raw: Option<String> = self
            .query(redis::cmd("HGET").arg(RECENT).arg(locale.as_str()))
            .await?;
        Ok(raw
            .unwrap_or_default()
            .split(',')
            .filter_map(|r| {
                let (enqueued, assigned) = r.split_once(':')?;
                Some(Assignment {
                    enqueued_ms: enqueued.parse().ok()?,
                    assigned_ms: assigned.parse().ok()?,
                })
            })
            .collect())
    }

    async fn publish(&self, topic: Topic, note: Note) -> Result<(), HandoffError> {
        let payload = encode(&Envelope { topic, note })?;
        self.query::<i64>(redis::cmd("PUBLISH").arg(NOTES).arg(payload))
            .await
            .map(|_| ())
    }

    fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    async fn ping(&self) -> Result<(), HandoffError> {
        self.query::<String>(&redis::cmd("PING")).await.map(|_| ())
    }

    fn kind(&self) -> &'static str {
        match self.redis.mode() {
            RedisMode::Standalone => "redis",
            RedisMode::Sentinel => "redis-sentinel",
            RedisMode::Cluster => "redis-cluster",
        }
    }
}

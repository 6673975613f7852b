//! The hand-off backend in Redis, shared by every node. Keys:
//!
//! - `sb:q:{locale}` — sorted set: waiting conversations, score = enqueue time (ms); the rank is
//!   the position, ties broken by conversation id as in memory
//! - `sb:ticket:{conversation}` — the ticket (JSON) while queued or owned
//! - `sb:owner:{conversation}` — the owning agent (JSON); `sb:owned:{agent}` — set of theirs
//! - `sb:agent:{agent}` — hash: `online`, `mark`, `locales` (JSON); `sb:online:{locale}` — set
//!   of connected agents serving it; `sb:marks` — the counter behind presence marks
//! - `sb:recent:{locale}` — list of `"enqueued_ms:assigned_ms"`, the last assignments
//!
//! Every change of ownership is one Lua script, so two agents claiming at once cannot both
//! win. Notes travel on the pub/sub channel `sb:notes` to every node, where a listener hands
//! them to the node's [`Notifier`].

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use redis::aio::ConnectionManager;
use redis::Script;
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use super::{
    memory::RECENT_ASSIGNMENTS, now_ms, AgentRef, Assignment, HandoffBackend, HandoffError, Note,
    Notifier, Status, Ticket, Topic,
};

const NOTES: &str = "sb:notes";

fn unavailable(e: redis::RedisError) -> HandoffError {
    HandoffError::Unavailable(e.to_string())
}

fn decode<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, HandoffError> {
    serde_json::from_str(json).map_err(|e| HandoffError::Unavailable(format!("stored value: {e}")))
}

fn encode<T: Serialize>(value: &T) -> Result<String, HandoffError> {
    serde_json::to_string(value).map_err(|e| HandoffError::Unavailable(format!("encode: {e}")))
}

/// Position of a queued conversation: {'queued', locale, position}, or {'assigned', owner}, or
/// {'bot'}. Shared by the scripts that answer with a status.
const STATUS_FN: &str = r"
local function status(conv)
  local owner = redis.call('GET', 'sb:owner:' .. conv)
  if owner then return {'assigned', owner, cjson.decode(redis.call('GET', 'sb:ticket:' .. conv)).locale} end
  local t = redis.call('GET', 'sb:ticket:' .. conv)
  if not t then return {'bot'} end
  local locale = cjson.decode(t).locale
  local rank = redis.call('ZRANK', 'sb:q:' .. locale, conv)
  if not rank then return {'bot'} end
  return {'queued', locale, rank + 1}
end
local function take(conv, agent_json, agent_id, now)
  local t = redis.call('GET', 'sb:ticket:' .. conv)
  local ticket = cjson.decode(t)
  redis.call('ZREM', 'sb:q:' .. ticket.locale, conv)
  redis.call('SET', 'sb:owner:' .. conv, agent_json)
  redis.call('SADD', 'sb:owned:' .. agent_id, conv)
  local recent = 'sb:recent:' .. ticket.locale
  redis.call('RPUSH', recent, string.format('%d:%d', ticket.enqueued_ms, now))
  redis.call('LTRIM', recent, -tonumber(ARGV[#ARGV]), -1)
  return t
end
";

/// ARGV: conversation, locale, ticket JSON, enqueue ms.
const ENQUEUE: &str = r"
local conv = ARGV[1]
local now = status(conv)
if now[1] ~= 'bot' then return now end
redis.call('SET', 'sb:ticket:' .. conv, ARGV[3])
redis.call('ZADD', 'sb:q:' .. ARGV[2], ARGV[4], conv)
return status(conv)
";

const STATUS: &str = r"return status(ARGV[1])";

/// ARGV: conversation, agent JSON, agent id, now, recent-length.
/// Returns {'ok', ticket} | {'conflict'} | {'notfound'}.
const CLAIM: &str = r"
local conv = ARGV[1]
local owner = redis.call('GET', 'sb:owner:' .. conv)
if owner then
  if cjson.decode(owner).id == ARGV[3] then return {'ok', redis.call('GET', 'sb:ticket:' .. conv)} end
  return {'conflict'}
end
local now = status(conv)
if now[1] ~= 'queued' then return {'notfound'} end
return {'ok', take(conv, ARGV[2], ARGV[3], tonumber(ARGV[4]))}
";

/// ARGV: agent JSON, agent id, now, locales JSON, recent-length.
/// Returns {'ok', ticket} | {'none'}.
const CLAIM_NEXT: &str = r"
local best, best_score = nil, nil
for _, locale in ipairs(cjson.decode(ARGV[4])) do
  local head = redis.call('ZRANGE', 'sb:q:' .. locale, 0, 0, 'WITHSCORES')
  if head[1] then
    local score = tonumber(head[2])
    if not best or score < best_score or (score == best_score and head[1] < best) then
      best, best_score = head[1], score
    end
  end
end
if not best then return {'none'} end
return {'ok', take(best, ARGV[1], ARGV[2], tonumber(ARGV[3]))}
";

/// Removes ownership if ARGV[2] owns conversation ARGV[1]; returns the ticket, or false.
const OWNED_CHECK: &str = r"
local function release(conv, agent_id)
  local owner = redis.call('GET', 'sb:owner:' .. conv)
  if not owner or cjson.decode(owner).id ~= agent_id then return false end
  redis.call('DEL', 'sb:owner:' .. conv)
  redis.call('SREM', 'sb:owned:' .. agent_id, conv)
  return redis.call('GET', 'sb:ticket:' .. conv)
end
-- Puts every conversation the agent owns back in its queue, at its original time; appends
-- the tickets to `into` and returns it.
local function requeue_owned(agent_id, into)
  for _, conv in ipairs(redis.call('SMEMBERS', 'sb:owned:' .. agent_id)) do
    local t = redis.call('GET', 'sb:ticket:' .. conv)
    redis.call('DEL', 'sb:owner:' .. conv)
    if t then
      local ticket = cjson.decode(t)
      redis.call('ZADD', 'sb:q:' .. ticket.locale, string.format('%d', ticket.enqueued_ms), conv)
      table.insert(into, t)
    end
  end
  redis.call('DEL', 'sb:owned:' .. agent_id)
  return into
end
";

/// ARGV: conversation, agent id.
const FINISH: &str = r"
local t = release(ARGV[1], ARGV[2])
if t then redis.call('DEL', 'sb:ticket:' .. ARGV[1]) end
return t
";

/// ARGV: conversation, agent id, new ticket JSON, locale, enqueue ms.
const TRANSFER: &str = r"
local t = release(ARGV[1], ARGV[2])
if not t then return {'notfound'} end
redis.call('SET', 'sb:ticket:' .. ARGV[1], ARGV[3])
redis.call('ZADD', 'sb:q:' .. ARGV[4], ARGV[5], ARGV[1])
return status(ARGV[1])
";

/// ARGV: conversation. Returns {owner JSON or '', locale or ''}.
const CANCEL: &str = r"
local conv = ARGV[1]
local owner = redis.call('GET', 'sb:owner:' .. conv) or ''
local t = redis.call('GET', 'sb:ticket:' .. conv)
local locale = ''
if owner ~= '' then
  redis.call('DEL', 'sb:owner:' .. conv)
  redis.call('SREM', 'sb:owned:' .. cjson.decode(owner).id, conv)
elseif t then
  locale = cjson.decode(t).locale
  redis.call('ZREM', 'sb:q:' .. locale, conv)
end
redis.call('DEL', 'sb:ticket:' .. conv)
return {owner, locale}
";

/// ARGV: agent id, locales JSON, heartbeat ttl ms. Returns the new mark.
const READY: &str = r"
local key = 'sb:agent:' .. ARGV[1]
redis.call('SADD', 'sb:agents', ARGV[1])
redis.call('SET', 'sb:alive:' .. ARGV[1], 1, 'PX', ARGV[3])
local old = redis.call('HGET', key, 'locales')
if old then for _, l in ipairs(cjson.decode(old)) do redis.call('SREM', 'sb:online:' .. l, ARGV[1]) end end
local mark = redis.call('INCR', 'sb:marks')
redis.call('HSET', key, 'online', 1, 'mark', mark, 'locales', ARGV[2])
for _, l in ipairs(cjson.decode(ARGV[2])) do redis.call('SADD', 'sb:online:' .. l, ARGV[1]) end
return mark
";

/// ARGV: agent id. Returns the new mark.
const GONE: &str = r"
local key = 'sb:agent:' .. ARGV[1]
local old = redis.call('HGET', key, 'locales')
if old then for _, l in ipairs(cjson.decode(old)) do redis.call('SREM', 'sb:online:' .. l, ARGV[1]) end end
local mark = redis.call('INCR', 'sb:marks')
redis.call('HSET', key, 'online', 0, 'mark', mark)
return mark
";

/// ARGV: agent id, mark. Returns the requeued tickets.
const REQUEUE: &str = r"
local key = 'sb:agent:' .. ARGV[1]
local fields = redis.call('HMGET', key, 'online', 'mark')
if fields[1] ~= '0' or fields[2] ~= ARGV[2] then return {} end
return requeue_owned(ARGV[1], {})
";

/// Agents without a live heartbeat that are marked online or still own conversations (their
/// node died, or shut down before its requeue timer fired): marked gone, their conversations
/// requeued. Returns the requeued tickets.
const REAP: &str = r"
local requeued = {}
for _, id in ipairs(redis.call('SMEMBERS', 'sb:agents')) do
  local key = 'sb:agent:' .. id
  local online = redis.call('HGET', key, 'online') == '1'
  local owns = redis.call('SCARD', 'sb:owned:' .. id) > 0
  if (online or owns) and redis.call('EXISTS', 'sb:alive:' .. id) == 0 then
    local old = redis.call('HGET', key, 'locales')
    if old then for _, l in ipairs(cjson.decode(old)) do redis.call('SREM', 'sb:online:' .. l, id) end end
    redis.call('HSET', key, 'online', 0, 'mark', redis.call('INCR', 'sb:marks'))
    requeue_owned(id, requeued)
  end
end
return requeued
";

/// How long an agent's presence lives without a heartbeat when none was given.
const DEFAULT_ALIVE_MS: u64 = 30_000;

fn script(body: &str) -> Script {
    Script::new(&format!("{STATUS_FN}\n{OWNED_CHECK}\n{body}"))
}

pub struct RedisBackend {
    redis: ConnectionManager,
    notifier: Arc<Notifier>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    topic: Topic,
    note: Note,
}

impl RedisBackend {
    /// Uses `redis` for commands, and listens for notes on a pub/sub connection of `client`
    /// (reconnecting until `shutdown`).
    pub fn new(
        client: redis::Client,
        redis: ConnectionManager,
        shutdown: CancellationToken,
    ) -> RedisBackend {
        let notifier = Arc::new(Notifier::default());
        tokio::spawn(listen(client, notifier.clone(), shutdown));
        RedisBackend { redis, notifier }
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        body: &str,
        args: &[String],
    ) -> Result<T, HandoffError> {
        let script = script(body);
        let mut invocation = script.prepare_invoke();
        for arg in args {
            invocation.arg(arg);
        }
        let mut redis = self.redis.clone();
        invocation
            .invoke_async(&mut redis)
            .await
            .map_err(unavailable)
    }

    /// The tickets of these conversations (those that still have one).
    async fn tickets(&self, conversations: &[String]) -> Result<Vec<Ticket>, HandoffError> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = conversations
            .iter()
            .map(|c| format!("sb:ticket:{c}"))
            .collect();
        let mut redis = self.redis.clone();
        let tickets: Vec<Option<String>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        Ok(tickets
            .into_iter()
            .flatten()
            .filter_map(|t| decode::<Ticket>(&t).ok())
            .collect())
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
        let mut locales: Vec<&str> = tickets.iter().map(|t| t.locale.as_str()).collect();
        locales.sort_unstable();
        locales.dedup();
        for locale in locales {
            self.queue_changed(locale).await;
        }
        Ok(tickets)
    }

    async fn queue_changed(&self, locale: &str) {
        let note = Note::QueueChanged {
            locale: locale.to_string(),
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
            locale: locale.clone(),
            position: position.parse().unwrap_or(0),
        }),
        [kind, owner, locale] if kind == "assigned" => Ok(Status::Assigned {
            agent: decode(owner)?,
            locale: locale.clone(),
        }),
        other => Err(HandoffError::Unavailable(format!(
            "unexpected status {other:?}"
        ))),
    }
}

/// Receives every node's notes and hands them to this node's subscribers.
async fn listen(client: redis::Client, notifier: Arc<Notifier>, shutdown: CancellationToken) {
    let mut delay = Duration::from_millis(100);
    loop {
        let connected = async {
            let mut pubsub = client.get_async_pubsub().await?;
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
        let answer: Vec<String> = self
            .run(
                ENQUEUE,
                &[
                    ticket.conversation.clone(),
                    ticket.locale.clone(),
                    json,
                    ticket.enqueued_ms.to_string(),
                ],
            )
            .await?;
        self.queue_changed(&ticket.locale).await;
        status_of(answer)
    }

    async fn status(&self, conversation: &str) -> Result<Status, HandoffError> {
        status_of(self.run(STATUS, &[conversation.to_string()]).await?)
    }

    async fn waiting(&self, locales: &[String]) -> Result<Vec<Ticket>, HandoffError> {
        let mut redis = self.redis.clone();
        let mut pipe = redis::pipe();
        for locale in locales {
            pipe.zrange(format!("sb:q:{locale}"), 0, -1);
        }
        let queues: Vec<Vec<String>> = pipe.query_async(&mut redis).await.map_err(unavailable)?;
        let conversations: Vec<String> = queues.into_iter().flatten().collect();
        let mut waiting = self.tickets(&conversations).await?;
        waiting.sort_by(|a, b| {
            (a.enqueued_ms, &a.conversation).cmp(&(b.enqueued_ms, &b.conversation))
        });
        Ok(waiting)
    }

    async fn claim(&self, conversation: &str, agent: &AgentRef) -> Result<Ticket, HandoffError> {
        let answer: Vec<String> = self
            .run(
                CLAIM,
                &[
                    conversation.to_string(),
                    encode(agent)?,
                    agent.id.clone(),
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
        locales: &[String],
    ) -> Result<Option<Ticket>, HandoffError> {
        let answer: Vec<String> = self
            .run(
                CLAIM_NEXT,
                &[
                    encode(agent)?,
                    agent.id.clone(),
                    now_ms().to_string(),
                    encode(&locales)?,
                    RECENT_ASSIGNMENTS.to_string(),
                ],
            )
            .await?;
        self.claimed(&answer).await
    }

    async fn finish(&self, conversation: &str, agent_id: &str) -> Result<Ticket, HandoffError> {
        let ticket: Option<String> = self
            .run(FINISH, &[conversation.to_string(), agent_id.to_string()])
            .await?;
        decode(&ticket.ok_or(HandoffError::NotFound)?)
    }

    async fn transfer(
        &self,
        conversation: &str,
        agent_id: &str,
        locale: &str,
    ) -> Result<Status, HandoffError> {
        let mut redis = self.redis.clone();
        let current: Option<String> = redis::cmd("GET")
            .arg(format!("sb:ticket:{conversation}"))
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        let mut ticket: Ticket = decode(&current.ok_or(HandoffError::NotFound)?)?;
        ticket.locale = locale.to_string();
        let answer: Vec<String> = self
            .run(
                TRANSFER,
                &[
                    conversation.to_string(),
                    agent_id.to_string(),
                    encode(&ticket)?,
                    locale.to_string(),
                    ticket.enqueued_ms.to_string(),
                ],
            )
            .await?;
        if answer.first().is_some_and(|a| a == "notfound") {
            return Err(HandoffError::NotFound);
        }
        self.queue_changed(locale).await;
        status_of(answer)
    }

    async fn cancel(&self, conversation: &str) -> Result<Option<AgentRef>, HandoffError> {
        let (owner, locale): (String, String) =
            self.run(CANCEL, &[conversation.to_string()]).await?;
        if !locale.is_empty() {
            self.queue_changed(&locale).await;
        }
        if owner.is_empty() {
            Ok(None)
        } else {
            decode(&owner).map(Some)
        }
    }

    async fn owned_by(&self, agent_id: &str) -> Result<Vec<Ticket>, HandoffError> {
        let mut redis = self.redis.clone();
        let conversations: Vec<String> = redis::cmd("SMEMBERS")
            .arg(format!("sb:owned:{agent_id}"))
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        let mut owned = self.tickets(&conversations).await?;
        owned.sort_by(|a, b| a.conversation.cmp(&b.conversation));
        Ok(owned)
    }

    async fn agent_ready(&self, agent: &AgentRef, locales: &[String]) -> Result<(), HandoffError> {
        let _: i64 = self
            .run(
                READY,
                &[
                    agent.id.clone(),
                    encode(&locales)?,
                    DEFAULT_ALIVE_MS.to_string(),
                ],
            )
            .await?;
        Ok(())
    }

    async fn heartbeat(&self, agent_id: &str, ttl_ms: u64) -> Result<(), HandoffError> {
        let mut redis = self.redis.clone();
        redis::cmd("SET")
            .arg(format!("sb:alive:{agent_id}"))
            .arg(1)
            .arg("PX")
            .arg(ttl_ms.max(1))
            .query_async::<()>(&mut redis)
            .await
            .map_err(unavailable)
    }

    async fn reap(&self) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<String> = self.run(REAP, &[]).await?;
        self.requeued(&tickets).await
    }

    async fn agent_gone(&self, agent_id: &str) -> Result<u64, HandoffError> {
        let mark: i64 = self.run(GONE, &[agent_id.to_string()]).await?;
        Ok(mark as u64)
    }

    async fn requeue_if_gone(
        &self,
        agent_id: &str,
        mark: u64,
    ) -> Result<Vec<Ticket>, HandoffError> {
        let tickets: Vec<String> = self
            .run(REQUEUE, &[agent_id.to_string(), mark.to_string()])
            .await?;
        self.requeued(&tickets).await
    }

    async fn agents_online(&self, locale: &str) -> Result<usize, HandoffError> {
        let mut redis = self.redis.clone();
        redis::cmd("SCARD")
            .arg(format!("sb:online:{locale}"))
            .query_async(&mut redis)
            .await
            .map_err(unavailable)
    }

    async fn recent_assignments(&self, locale: &str) -> Result<Vec<Assignment>, HandoffError> {
        let mut redis = self.redis.clone();
        let raw: Vec<String> = redis::cmd("LRANGE")
            .arg(format!("sb:recent:{locale}"))
            .arg(0)
            .arg(-1)
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        Ok(raw
            .iter()
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
        let mut redis = self.redis.clone();
        redis::cmd("PUBLISH")
            .arg(NOTES)
            .arg(payload)
            .query_async::<i64>(&mut redis)
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    async fn ping(&self) -> Result<(), HandoffError> {
        let mut redis = self.redis.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut redis)
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    fn kind(&self) -> &'static str {
        "redis"
    }
}

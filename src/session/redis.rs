//! Sessions in Redis, so a customer can resume on any node. Keys of one session (the braces
//! are a Redis Cluster hash tag: the three keys live in one slot, so each script may touch
//! them all; different sessions spread over the cluster):
//!
//! - `sb:s:{<id>}` — hash: `token`, `state` (JSON)
//! - `sb:s:{<id>}:ev` — list of visible events (JSON); an event's `seq` is its index + 1, so
//!   `RPUSH`'s answer is the new event's `seq` and no separate counter can drift
//! - `sb:s:{<id>}:msg` — hash: client message id → `"<seq>:<answered 0|1>"`
//!
//! Every write renews the idle TTL of all three; Redis expires idle sessions by itself. Every
//! script names the keys it touches in `KEYS`.

use std::time::Duration;

use async_trait::async_trait;
use redis::Script;

use super::{ConversationState, Recorded, Session, SessionStore, StoreError, Token};
use crate::ids::SessionId;
use crate::protocol::Visible;
use crate::redis_link::RedisLink;

pub struct RedisStore {
    redis: RedisLink,
    ttl: Duration,
}

fn unavailable(e: redis::RedisError) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// A session id holds no brace (nor anything but letters, digits, `-` and `_`): the hash tag
/// is the whole id.
fn keys(id: &SessionId) -> [String; 3] {
    [
        format!("sb:s:{{{id}}}"),
        format!("sb:s:{{{id}}}:ev"),
        format!("sb:s:{{{id}}}:msg"),
    ]
}

/// Renews the TTL of the session's keys (KEYS[1..3], ARGV[1] = ms). Shared by the scripts.
const TOUCH: &str = r"
local function touch(ms)
  for i = 1, 3 do
    if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ms) end
  end
end
";

/// Records a customer message once. ARGV: ms, client id, event JSON.
/// Returns {0, seq, answered} for a duplicate, {1, seq} for new, {-1} when no session.
const RECORD: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
touch(ARGV[1])
local known = redis.call('HGET', KEYS[3], ARGV[2])
if known then
  local sep = string.find(known, ':')
  return {0, tonumber(string.sub(known, 1, sep - 1)), tonumber(string.sub(known, sep + 1))}
end
local seq = redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[3], ARGV[2], seq .. ':0')
touch(ARGV[1])
return {1, seq}
";

/// Appends an event. ARGV: ms, event JSON, client id answered (or '').
/// Returns the seq, or -1 when no session.
const APPEND: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = redis.call('RPUSH', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then
  local known = redis.call('HGET', KEYS[3], ARGV[3])
  if known then
    local sep = string.find(known, ':')
    redis.call('HSET', KEYS[3], ARGV[3], string.sub(known, 1, sep - 1) .. ':1')
  end
end
touch(ARGV[1])
return seq
";

/// Marks a client message answered. ARGV: ms, client id. Returns 1, or -1 when no session.
const MARK: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local known = redis.call('HGET', KEYS[3], ARGV[2])
if known then
  local sep = string.find(known, ':')
  redis.call('HSET', KEYS[3], ARGV[2], string.sub(known, 1, sep - 1) .. ':1')
end
touch(ARGV[1])
return 1
";

/// Reads what a resume needs, without renewing the TTL (`RENEW` does, once the token is right).
/// ARGV: ms (unused). Returns {token, state, length} or nil.
const OPEN: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local fields = redis.call('HMGET', KEYS[1], 'token', 'state')
return {fields[1], fields[2], redis.call('LLEN', KEYS[2])}
";

/// Renews a session's idle timeout (after a resume with its token). ARGV: ms. Returns 1, or -1
/// when no session.
const RENEW: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
touch(ARGV[1])
return 1
";

/// Creates a session. ARGV: ms, token, state JSON.
const CREATE: &str = r"
redis.call('HSET', KEYS[1], 'token', ARGV[2], 'state', ARGV[3])
touch(ARGV[1])
return 1
";

/// The events after a seq. ARGV: ms (unused), after. Returns {exists 0|1, {events}}.
const EVENTS: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, {}} end
return {1, redis.call('LRANGE', KEYS[2], tonumber(ARGV[2]), -1)}
";

/// Sets the state. ARGV: ms, state JSON. Returns 1, or -1 when no session.
const SAVE: &str = r"
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
touch(ARGV[1])
return 1
";

fn script(body: &str) -> Script {
    Script::new(&format!("{TOUCH}\n{body}"))
}

impl RedisStore {
    pub fn new(redis: RedisLink, ttl: Duration) -> RedisStore {
        RedisStore { redis, ttl }
    }

    fn ms(&self) -> u64 {
        self.ttl.as_millis() as u64
    }

    async fn run<T: redis::FromRedisValue>(
        &self,
        body: &str,
        id: &SessionId,
        args: &[&str],
    ) -> Result<T, StoreError> {
        let script = script(body);
        let mut invocation = script.prepare_invoke();
        for key in keys(id) {
            invocation.key(key);
        }
        invocation.arg(self.ms());
        for arg in args {
            invocation.arg(*arg);
        }
        let mut redis = self.redis.clone();
        invocation
            .invoke_async(&mut redis)
            .await
            .map_err(unavailable)
    }
}

fn encode(event: &Visible) -> Result<String, StoreError> {
    serde_json::to_string(event).map_err(|e| StoreError::Unavailable(format!("encode: {e}")))
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn create(&self, state: ConversationState) -> Result<Session, StoreError> {
        let id = SessionId::random();
        let token = Token::generate();
        let state_json =
            serde_json::to_string(&state).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let _: i64 = self
            .run(CREATE, &id, &[token.expose(), &state_json])
            .await?;
        Ok(Session {
            id,
            token,
            state,
            last_seq: 0,
        })
    }

    async fn resume(&self, id: &SessionId, token: &str) -> Result<Session, StoreError> {
        let opened: Option<(String, String, u64)> = self.run(OPEN, id, &[]).await?;
        let (stored, state, length) = opened.ok_or(StoreError::NotFound)?;
        let stored = Token(stored);
        if !stored.matches(token) {
            return Err(StoreError::BadToken);
        }
        // Renewed only now: a wrong token must not keep someone else's session alive.
        let renewed: i64 = self.run(RENEW, id, &[]).await?;
        if renewed < 0 {
            return Err(StoreError::NotFound);
        }
        Ok(Session {
            id: id.clone(),
            token: stored,
            state: serde_json::from_str(&state).unwrap_or_default(),
            last_seq: length,
        })
    }

    async fn record_message(
        &self,
        id: &SessionId,
        client_id: &str,
        event: Visible,
    ) -> Result<Recorded, StoreError> {
        let json = encode(&event)?;
        let answer: Vec<i64> = self.run(RECORD, id, &[client_id, &json]).await?;
        match answer.as_slice() {
            [1, seq] => Ok(Recorded::New { seq: *seq as u64 }),
            [0, seq, answered] => Ok(Recorded::Duplicate {
                seq: *seq as u64,
                answered: *answered == 1,
            }),
            _ => Err(StoreError::NotFound),
        }
    }

    async fn append(
        &self,
        id: &SessionId,
        event: Visible,
        in_reply_to: Option<&str>,
    ) -> Result<u64, StoreError> {
        let json = encode(&event)?;
        let seq: i64 = self
            .run(APPEND, id, &[&json, in_reply_to.unwrap_or("")])
            .await?;
        if seq < 0 {
            return Err(StoreError::NotFound);
        }
        Ok(seq as u64)
    }

    async fn mark_answered(&self, id: &SessionId, client_id: &str) -> Result<(), StoreError> {
        let done: i64 = self.run(MARK, id, &[client_id]).await?;
        if done < 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn events_after(&self, id: &SessionId, after: u64) -> Result<Vec<Visible>, StoreError> {
        let (exists, raw): (i64, Vec<String>) = self.run(EVENTS, id, &[&after.to_string()]).await?;
        if exists != 1 {
            return Err(StoreError::NotFound);
        }
        raw.iter()
            .enumerate()
            .map(|(i, json)| {
                let mut event: Visible = serde_json::from_str(json)
                    .map_err(|e| StoreError::Unavailable(format!("stored event: {e}")))?;
                event.set_seq(after + 1 + i as u64);
                Ok(event)
            })
            .collect()
    }

    async fn save_state(
        &self,
        id: &SessionId,
        state: &ConversationState,
    ) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(state).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let done: i64 = self.run(SAVE, id, &[&json]).await?;
        if done < 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    async fn state(&self, id: &SessionId) -> Result<ConversationState, StoreError> {
        let [main, _, _] = keys(id);
        let mut redis = self.redis.clone();
        let state: Option<String> = redis::cmd("HGET")
            .arg(&main)
            .arg("state")
            .query_async(&mut redis)
            .await
            .map_err(unavailable)?;
        let state = state.ok_or(StoreError::NotFound)?;
        serde_json::from_str(&state)
            .map_err(|e| StoreError::Unavailable(format!("stored state: {e}")))
    }

    async fn remove(&self, id: &SessionId) -> Result<(), StoreError> {
        let mut redis = self.redis.clone();
        redis::cmd("DEL")
            .arg(&keys(id)[..])
            .query_async::<()>(&mut redis)
            .await
            .map_err(unavailable)
    }

    async fn exists(&self, id: &SessionId) -> Result<bool, StoreError> {
        let [main, _, _] = keys(id);
        let mut redis = self.redis.clone();
        redis::cmd("EXISTS")
            .arg(&main)
            .query_async::<bool>(&mut redis)
            .await
            .map_err(unavailable)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let mut redis = self.redis.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut redis)
            .await
            .map(|_| ())
            .map_err(unavailable)
    }

    async fn expire_idle(&self) -> usize {
        // Redis expires idle sessions itself (every write renews the TTL).
        0
    }
}

//! Privacy: customers' words and personal data never reach the logs, an operator can erase
//! one session everywhere, transcripts in Redis expire.

use std::time::Duration;

use serde_json::{json, Value};
use switchboard::config::Secret;

use crate::helpers::process::Node;
use crate::helpers::redis_server::RedisServer;
use crate::helpers::{
    agent_ana, agent_at, http, poll_until, spawn_app_on_redis, spawn_app_with, TestApp,
};

const EMAIL: &str = "ana.lopez@example.com";
const CARD: &str = "4111 1111 1111 1111";
const PHONE: &str = "+44 20 7946 0958";

/// Every way a customer's or an agent's words could reach a log line, on the real binary at
/// the default level for dependencies and every level for the gateway's own code.
#[tokio::test]
async fn message_texts_and_personal_data_never_reach_the_logs() {
    let mut node = Node::start(&[
        ("SWITCHBOARD_LOG", "info,switchboard=trace"),
        ("SWITCHBOARD_AGENTS", "Ana:t-ana"),
        ("SWITCHBOARD_ADMIN_TOKEN", "admin-secret"),
        ("SWITCHBOARD_MAX_TEXT_CHARS", "200"),
    ])
    .await;
    let (mut ana, _) = agent_at(node.addr, "t-ana", &["en"], 2).await;
    let mut customer = node.connect().await;
    let welcome = customer.hello(&["en"]).await;
    let secret = format!("MARKER-ONE my mail is {EMAIL}, card {CARD}, phone {PHONE}");
    customer.say("1", &secret).await;
    customer
        .send(json!({"type": "handoff", "reason": format!("MARKER-TWO call {PHONE}")}))
        .await;
    let frame = customer.recv_type("handoff").await;
    assert_eq!(frame["state"], "queued", "{frame}");
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["type"], "assigned", "{assigned}");
    // What is kept for the agent beyond the transcript is redacted.
    assert_eq!(
        assigned["context"]["reason"],
        "requested: MARKER-TWO call [phone]"
    );
    ana.send(json!({"type": "message", "conversation": welcome["session"], "text": format!("MARKER-THREE write to {EMAIL}")}))
        .await;
    customer
        .send(json!({"type": "message", "id": "2", "text": format!("MARKER-FOUR {CARD}")}))
        .await;
    ana.recv_skipping_queue().await;
    for bad in [
        json!({"type": "message", "id": "3", "text": format!("MARKER-FIVE {}", "x".repeat(300))})
            .to_string(),
        json!({"type": "message", "id": "4", "text": 42, "note": "MARKER-SIX"}).to_string(),
        json!({"type": "MARKER-SEVEN"}).to_string(),
        format!("{{not json MARKER-EIGHT {EMAIL}"),
    ] {
        customer.send_text(&bad).await;
    }
    let mut intruder = node.connect().await;
    intruder
        .send(json!({"type": "hello", "resume": {"session": welcome["session"], "token": "MARKER-NINE"}}))
        .await;
    intruder.recv().await;
    let (status, _) = http(
        node.addr,
        "DELETE",
        "/v1/admin/sessions/abc",
        &[("Authorization", "Bearer MARKER-TEN")],
    )
    .await;
    assert_eq!(status, 401);
    node.signal("TERM");
    assert_eq!(node.exited(Duration::from_secs(15)).await, Some(0));

    let logs = node.logs();
    assert!(logs.contains("switchboard listening"), "{logs}");
    assert!(logs.contains("resume refused"), "{logs}");
    for leak in ["MARKER", EMAIL, "4111", "7946", "admin-secret", "t-ana"] {
        assert!(!logs.contains(leak), "{leak:?} in the logs:\n{logs}");
    }
    println!(
        "{} log lines, none with a message text or personal data",
        logs.lines().count()
    );
}

async fn delete(app: &TestApp, session: &str, token: Option<&str>) -> (u16, Value) {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    let (status, body) = http(
        app.addr,
        "DELETE",
        &format!("/v1/admin/sessions/{session}"),
        &headers,
    )
    .await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

async fn keys(url: &str, pattern: &str) -> Vec<String> {
    let client = redis::Client::open(url).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    redis::cmd("KEYS")
        .arg(pattern)
        .query_async(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_operator_erases_one_session_everywhere() {
    let redis = RedisServer::start().await;
    let app = spawn_app_on_redis(&redis.url(), |c| {
        c.agents = agent_ana();
        c.admin_token = Some(Secret::new("admin-secret"));
    })
    .await;
    let mut ana = app.agent("t-ana", &["en"]).await;
    // One customer talks to Ana, one waits, one only talks to the bot.
    let (mut talking, talking_welcome) = app.hello(&["en"]).await;
    talking
        .say("1", &format!("I want a human, mail me at {EMAIL}"))
        .await;
    let queue = ana
        .queue_until(|q| q["waiting"].as_array().is_some_and(|w| !w.is_empty()))
        .await;
    assert_eq!(
        queue["waiting"][0]["preview"],
        "I want a human, mail me at [email]"
    );
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    let (mut waiting, waiting_welcome) = app.hello(&["en"]).await;
    waiting.say("1", "I want to talk to a human").await;
    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| w.len() == 1))
        .await;
    let (_bot, bot_welcome) = app.hello(&["en"]).await;
    let talking_id = talking_welcome["session"].as_str().unwrap();
    let waiting_id = waiting_welcome["session"].as_str().unwrap();
    assert!(!keys(&redis.url(), &format!("*{talking_id}*"))
        .await
        .is_empty());

    assert_eq!(delete(&app, talking_id, None).await.0, 401);
    assert_eq!(delete(&app, talking_id, Some("wrong")).await.0, 401);
    let (status, body) = delete(&app, talking_id, Some("admin-secret")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["erased"]["transcript"], true);
    assert_eq!(body["erased"]["handoff"], "assigned");
    // Ana is told; the customer's connection is closed; nothing is left in Redis.
    let released = ana.recv_skipping_queue().await;
    assert_eq!(released["type"], "released", "{released}");
    assert_eq!(released["reason"], "erased");
    let frame = talking.recv_type("error").await;
    assert_eq!(frame["code"], "session_expired");
    assert_eq!(talking.closed().await, Some(1000));
    assert!(keys(&redis.url(), &format!("*{talking_id}*"))
        .await
        .is_empty());
    let mut again = app.connect().await;
    let refused = again
        .resume(&talking_welcome["session"], &talking_welcome["token"], 0)
        .await;
    assert_eq!(refused["code"], "session_expired");

    // A waiting one leaves the queue.
    let (status, body) = delete(&app, waiting_id, Some("admin-secret")).await;
    assert_eq!(
        (status, body["erased"]["handoff"].as_str()),
        (200, Some("queued"))
    );
    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| w.is_empty()))
        .await;
    assert!(keys(&redis.url(), &format!("*{waiting_id}*"))
        .await
        .is_empty());
    // Twice is harmless; an id that cannot be one is refused; the others are untouched.
    assert_eq!(delete(&app, talking_id, Some("admin-secret")).await.0, 404);
    assert_eq!(delete(&app, "not$an$id", Some("admin-secret")).await.0, 400);
    let mut bot = app.connect().await;
    let resumed = bot
        .resume(&bot_welcome["session"], &bot_welcome["token"], 0)
        .await;
    assert_eq!(resumed["resumed"], true);
}

#[tokio::test]
async fn erasing_works_in_memory_too_and_needs_an_admin_token() {
    let app = spawn_app_with(|c| c.admin_token = Some(Secret::new("admin-secret"))).await;
    let (mut client, welcome) = app.hello(&["en"]).await;
    client.say("1", "how much does shipping cost?").await;
    let id = welcome["session"].as_str().unwrap();
    let (status, body) = delete(&app, id, Some("admin-secret")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["erased"]["handoff"], "none");
    let mut again = app.connect().await;
    let refused = again
        .resume(&welcome["session"], &welcome["token"], 0)
        .await;
    assert_eq!(refused["code"], "session_expired");
    let closed = spawn_app_with(|_| {}).await;
    assert_eq!(delete(&closed, id, Some("admin-secret")).await.0, 403);
}

#[tokio::test]
async fn transcripts_in_redis_live_only_as_long_as_the_idle_ttl() {
    let redis = RedisServer::start().await;
    let app = spawn_app_on_redis(&redis.url(), |c| c.session_idle_timeout_s = 2).await;
    let (mut client, welcome) = app.hello(&["en"]).await;
    client.say("1", &format!("my card is {CARD}")).await;
    let id = welcome["session"].as_str().unwrap();
    let found = keys(&redis.url(), &format!("sb:s:*{id}*")).await;
    assert_eq!(found.len(), 3, "{found:?}");
    let conn = redis::Client::open(redis.url()).unwrap();
    let mut conn = conn.get_multiplexed_async_connection().await.unwrap();
    for key in &found {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!((1..=2000).contains(&ttl), "{key}: {ttl} ms");
    }
    // Redis drops them by itself once the TTL has passed.
    let (every, within) = (Duration::from_millis(100), Duration::from_secs(6));
    let gone = poll_until(every, within, async || {
        keys(&redis.url(), &format!("sb:s:*{id}*")).await.is_empty()
    })
    .await;
    assert!(gone, "the transcript outlived its TTL");
    drop(client);
    let mut again = app.connect().await;
    let refused = again
        .resume(&welcome["session"], &welcome["token"], 0)
        .await;
    assert_eq!(refused["code"], "session_expired");
}

/// A customer who leaves while queued: once their session expires, their hand-off (and the
/// preview of their words kept with it) leaves the queue too.
#[tokio::test]
async fn a_queued_handoff_whose_session_expired_leaves_the_queue() {
    let app = spawn_app_with(|c| {
        c.agents = agent_ana();
        c.session_idle_timeout_s = 1;
        c.agent_reconnect_timeout_s = 2;
    })
    .await;
    let mut ana = app.agent("t-ana", &["en"]).await;
    let (mut customer, _) = app.hello(&["en"]).await;
    customer.say("1", "I want to talk to a human").await;
    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| w.len() == 1))
        .await;
    drop(customer);
    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| w.is_empty()))
        .await;
}

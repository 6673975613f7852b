//! The Redis backends: the same contracts as in memory, several nodes sharing one Redis, and
//! Redis going away.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use switchboard::handoff::{self, HandoffBackend, RedisBackend, Ticket};
use switchboard::protocol::HandoffContext;
use switchboard::redis_link::{RedisLink, RedisMode};
use switchboard::session::{self, RedisStore};
use tokio_util::sync::CancellationToken;

use crate::helpers::redis_server::RedisServer;
use crate::helpers::{agent_ana, http_get, poll_until, spawn_app_on_redis, Polling};

fn link(url: &str) -> RedisLink {
    RedisLink::new(RedisMode::Standalone, &[url.to_string()], "").unwrap()
}

#[tokio::test]
async fn the_redis_backend_keeps_the_handoff_contract() {
    let server = RedisServer::start().await;
    let stop = CancellationToken::new();
    handoff::contract::run(Arc::new(RedisBackend::new(
        link(&server.url()),
        stop.clone(),
    )))
    .await;
    stop.cancel();
}

#[tokio::test]
async fn the_redis_store_keeps_the_session_contract() {
    let server = RedisServer::start().await;
    session::contract::run(&RedisStore::new(
        link(&server.url()),
        Duration::from_secs(60),
    ))
    .await;
}

#[tokio::test]
async fn a_wrong_token_does_not_keep_a_redis_session_alive() {
    let server = RedisServer::start().await;
    let idle = Duration::from_secs(1);
    session::contract::idle_timeout(&RedisStore::new(link(&server.url()), idle), idle).await;
}

#[tokio::test]
async fn a_customer_on_one_node_talks_to_an_agent_on_another_and_resumes_on_a_third() {
    let server = RedisServer::start().await;
    let node_a = spawn_app_on_redis(&server.url(), |c| c.agents = agent_ana()).await;
    let node_b = spawn_app_on_redis(&server.url(), |c| c.agents = agent_ana()).await;
    let node_c = spawn_app_on_redis(&server.url(), |c| c.agents = agent_ana()).await;

    let mut ana = node_b.agent("t-ana", &["de"]).await;
    let (mut customer, welcome) = node_a.hello(&["de"]).await;
    let conversation = welcome["session"].clone();
    let (_, reply, others) = customer
        .say("1", "Ich möchte mit einem Menschen sprechen")
        .await;
    assert_eq!(reply["intent"], "human_agent", "{reply}");
    let queued = customer.handoff_event(others).await;
    assert_eq!(queued["state"], "queued", "{queued}");

    ana.queue_until(|q| q["waiting"].as_array().is_some_and(|w| !w.is_empty()))
        .await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["conversation"], conversation);
    let joined = customer.recv().await;
    assert_eq!(joined["state"], "assigned", "{joined}");

    // Both ways across nodes.
    customer
        .send(json!({"type": "message", "id": "2", "text": "Mein Paket ist kaputt"}))
        .await;
    let ack = customer.recv().await;
    let forwarded = ana.recv_skipping_queue().await;
    assert_eq!(forwarded["text"], "Mein Paket ist kaputt");
    assert_eq!(forwarded["seq"], ack["seq"]);
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Das tut mir leid!"}))
        .await;
    let answer = customer.recv().await;
    assert_eq!(answer["from"], "agent");
    assert_eq!(answer["text"], "Das tut mir leid!");

    // Node A goes away; the agent keeps writing; the customer resumes on node C.
    node_a.shutdown.cancel();
    assert_eq!(customer.closed().await, Some(1012));
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Sind Sie noch da?"}))
        .await;
    let mut again = node_c.resumed(&welcome, &answer["seq"]).await;
    let missed = again.recv().await;
    assert_eq!(missed["text"], "Sind Sie noch da?");
    assert_eq!(missed["seq"], answer["seq"].as_u64().unwrap() + 1);
    // And live again, through node C.
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Gut."}))
        .await;
    assert_eq!(again.recv().await["text"], "Gut.");
    again
        .send(json!({"type": "message", "id": "3", "text": "Ja, danke"}))
        .await;
    again.recv().await; // ack
    assert_eq!(ana.recv_skipping_queue().await["text"], "Ja, danke");
}

#[tokio::test]
async fn when_the_agents_node_dies_the_customer_goes_back_to_the_queue() {
    let server = RedisServer::start().await;
    let fast = |c: &mut switchboard::config::Config| {
        c.agents = agent_ana();
        c.agent_reconnect_timeout_s = 1;
    };
    let customers_node = spawn_app_on_redis(&server.url(), fast).await;
    let agents_node = spawn_app_on_redis(&server.url(), fast).await;
    let mut ana = agents_node.agent("t-ana", &["en"]).await;
    let (mut customer, _) = customers_node.hello(&["en"]).await;
    let (_, _, others) = customer.say("1", "I want to talk to a human").await;
    let queued = customer.handoff_event(others).await;
    assert_eq!(queued["state"], "queued", "{queued}");
    ana.send(json!({"type": "next"})).await;
    assert_eq!(ana.recv_skipping_queue().await["type"], "assigned");
    customer.recv_until(|f| f["state"] == "assigned").await;
    // The agent's node goes away; no timer of its own survives it.
    agents_node.shutdown.cancel();
    agents_node.stopped.await.unwrap().unwrap();
    let requeued = customer.recv_type("handoff").await;
    assert_eq!(requeued["state"], "queued", "{requeued}");
    assert_eq!(requeued["position"], 1);
}

#[tokio::test]
async fn without_redis_the_bot_still_answers_and_readiness_says_why() {
    let mut server = RedisServer::reserved();
    let app = spawn_app_on_redis(&server.url(), |c| {
        c.agents = agent_ana();
        c.handoff_require_agent = false;
    })
    .await;
    let (status, body) = http_get(app.addr, "/readyz").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("unavailable"), "{body}");
    // Customers still get answers from the bot; a hand-off is unavailable, and they are told.
    let (mut customer, _) = app.hello(&["es"]).await;
    let (_, reply, _) = customer.say("1", "¿cuánto cuesta el envío?").await;
    assert_eq!(reply["intent"], "shipping_cost");
    customer.send(json!({"type": "handoff"})).await;
    let unavailable = customer.recv().await;
    assert_eq!(unavailable["state"], "unavailable", "{unavailable}");
    assert!(unavailable["text"]
        .as_str()
        .unwrap()
        .contains("help@northwind.example"));
    // Redis comes back: the gateway reconnects by itself.
    server.launch().await;
    let (every, within) = (Duration::from_millis(100), Duration::from_secs(10));
    let ready = poll_until(every, within, async || {
        http_get(app.addr, "/readyz").await.0 == 200
    })
    .await;
    assert!(ready, "ready again once Redis is back");
    let (mut customer, _) = app.hello(&["en"]).await;
    let (_, reply, _) = customer.say("1", "how much is shipping?").await;
    assert_eq!(reply["intent"], "shipping_cost");
}

/// Retries a backend call through a Redis restart (a plain loop: it runs in spawned tasks,
/// which an async closure's future would keep from being `Send`).
async fn until_ok<T, F, Fut>(mut call: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, handoff::HandoffError>>,
{
    let mut polling = Polling::new(Duration::from_millis(50), Duration::from_secs(10));
    while polling.next().await {
        if let Ok(value) = call().await {
            return value;
        }
    }
    panic!("the backend did not come back");
}

/// Redis is killed (SIGKILL) and restarted twice: while 1,000 hand-offs are being queued, and
/// while four agents take them. None is lost, none is given twice. A claim whose answer was
/// lost in the kill is still the agent's: it is among the conversations the backend says the
/// agent owns (what an agent's console is re-sent when it reconnects or the queue recovers).
#[tokio::test]
async fn no_handoff_is_lost_or_given_twice_across_redis_restarts() {
    let server = Arc::new(tokio::sync::Mutex::new(RedisServer::start().await));
    let url = server.lock().await.url();
    let stop = CancellationToken::new();
    let backend: Arc<dyn HandoffBackend> = Arc::new(RedisBackend::new(link(&url), stop.clone()));
    let total = 1000;
    let base = handoff::now_ms();
    let mut enqueue_errors = 0;
    for n in 0..total {
        if n == total / 2 {
            server.lock().await.restart().await;
        }
        let ticket = Ticket {
            enqueued_ms: base + n as u64,
            ..Ticket::new(
                &format!("c{n:04}").parse().unwrap(),
                &"es".parse().unwrap(),
                String::new(),
                HandoffContext::default(),
            )
        };
        loop {
            match backend.enqueue(ticket.clone()).await {
                Ok(_) => break,
                Err(_) => {
                    enqueue_errors += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }
    // Four agents take everything at once; Redis is killed again after 300 claims.
    let (claims, mut claimed) = tokio::sync::watch::channel(0_usize);
    let restarted = {
        let server = server.clone();
        tokio::spawn(async move {
            claimed
                .wait_for(|&n| n >= 300)
                .await
                .expect("300 claims before the agents are done");
            server.lock().await.restart().await;
        })
    };
    let mut agents = Vec::new();
    for a in 0..4 {
        let (backend, claims) = (backend.clone(), claims.clone());
        agents.push(tokio::spawn(async move {
            let me = handoff::AgentRef {
                id: format!("agent{a}").parse().unwrap(),
                name: format!("Agent {a}"),
            };
            let mut mine = Vec::new();
            let mut failed = 0;
            let locales = ["es".parse::<switchboard::ids::Locale>().unwrap()];
            loop {
                match backend.claim_next(&me, &locales).await {
                    Ok(Some(ticket)) => {
                        mine.push(ticket.conversation.to_string());
                        claims.send_modify(|n| *n += 1);
                    }
                    Ok(None) => break,
                    Err(_) => {
                        failed += 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
            let owned: Vec<String> = until_ok(|| backend.owned_by(&me.id))
                .await
                .into_iter()
                .map(|t| t.conversation.to_string())
                .collect();
            (mine, owned, failed)
        }));
    }
    drop(claims);
    let mut owned_all = Vec::new();
    let mut answered = 0;
    let mut claim_errors = 0;
    for agent in agents {
        let (mine, owned, failed) = agent.await.unwrap();
        let mine_set: HashSet<&String> = mine.iter().collect();
        let owned_set: HashSet<&String> = owned.iter().collect();
        assert!(
            mine_set.is_subset(&owned_set),
            "an agent was told of a conversation it does not own"
        );
        answered += mine.len();
        claim_errors += failed;
        owned_all.extend(owned);
    }
    restarted.await.unwrap();
    let unique: HashSet<&String> = owned_all.iter().collect();
    println!(
        "{total} hand-offs through 2 Redis kills: {} owned by exactly one agent ({answered} claims answered, {} answers lost in a kill and recovered from ownership), {enqueue_errors} enqueue and {claim_errors} claim attempts failed while Redis was down",
        unique.len(),
        owned_all.len() - answered
    );
    assert_eq!(owned_all.len(), total, "every hand-off owned exactly once");
    assert_eq!(unique.len(), total, "no hand-off given twice");
    let es = ["es".parse::<switchboard::ids::Locale>().unwrap()];
    assert!(until_ok(|| backend.waiting(&es)).await.is_empty());
    stop.cancel();
}

#[tokio::test]
async fn the_old_connection_of_a_customer_resumed_on_another_node_ending_late_does_not_make_them_gone(
) {
    let server = RedisServer::start().await;
    let quick = |c: &mut switchboard::config::Config| {
        c.agents = agent_ana();
        c.customer_grace_s = 1;
    };
    let node_a = spawn_app_on_redis(&server.url(), quick).await;
    let node_b = spawn_app_on_redis(&server.url(), quick).await;
    let mut ana = node_b.agent("t-ana", &["de"]).await;
    let (mut old, welcome) = node_a.hello(&["de"]).await;
    let conversation = welcome["session"].clone();
    let (_, _, others) = old.say("1", "Ich möchte mit einem Menschen sprechen").await;
    assert_eq!(old.handoff_event(others).await["state"], "queued");
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_type("assigned").await;
    assert_eq!(assigned["conversation"], conversation);
    // The customer's network moved: they resume on node B while node A's connection lingers.
    let mut new = node_b.resumed(&welcome, &json!(0)).await;
    // Node B serves the conversation (an answered frame: its connection is past its start).
    new.send(json!({"type": "message", "id": "2", "text": "Ich bin jetzt im Mobilnetz"}))
        .await;
    new.recv_until(|f| f["type"] == "ack" && f["id"] == "2")
        .await;
    assert_eq!(
        ana.recv_type("message").await["text"],
        "Ich bin jetzt im Mobilnetz"
    );
    // Node A's connection ends late: the customer, there on node B, is not marked gone. What
    // is checked is an absence over the grace time (1 s), so the test waits that long.
    drop(old);
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    // Ana's next frames: an ack for her message (the conversation is still hers), and never a
    // presence "left" nor a release.
    ana.send(
        json!({"type": "message", "conversation": conversation, "text": "Hallo?", "id": "m1"}),
    )
    .await;
    loop {
        let frame = ana.recv().await;
        assert_ne!(frame["state"], "left", "{frame}");
        assert_ne!(frame["type"], "released", "{frame}");
        if frame["type"] == "ack" {
            break;
        }
    }
}

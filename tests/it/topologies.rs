//! Redis beyond one server: the contracts on a local three-master Redis Cluster, gateways
//! sharing it, and a Sentinel failover under a running gateway.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use switchboard::config::Config;
use switchboard::handoff::{self, RedisBackend};
use switchboard::redis_link::{RedisLink, RedisMode};
use switchboard::session::{self, RedisStore};
use tokio_util::sync::CancellationToken;

use crate::helpers::redis_server::{redis_cli, RedisCluster, SentinelSetup};
use crate::helpers::{agent_ana, eventually, http_get, spawn_app_on_redis, Client, TestApp};

async fn gateway(mode: RedisMode, urls: &[String], configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_on_redis(&urls.join(","), move |c| {
        c.redis_mode = mode;
        c.agents = agent_ana();
        configure(c);
    })
    .await
}

/// Reads frames until one of type `handoff` in `state`.
async fn handoff_state(client: &mut Client, state: &str) -> serde_json::Value {
    client
        .recv_until(|f| f["type"] == "handoff" && f["state"] == state)
        .await
}

#[tokio::test]
async fn the_handoff_and_session_contracts_hold_on_a_three_master_cluster() {
    let cluster = RedisCluster::start().await;
    let link = RedisLink::new(RedisMode::Cluster, &cluster.urls(), "").unwrap();
    let stop = CancellationToken::new();
    let backend = Arc::new(RedisBackend::new(link.clone(), stop.clone()));
    handoff::contract::run(backend).await;
    session::contract::run(&RedisStore::new(link, Duration::from_secs(60))).await;
    stop.cancel();
}

#[tokio::test]
async fn gateways_sharing_a_cluster_relay_across_nodes_and_spread_sessions_over_the_masters() {
    let cluster = RedisCluster::start().await;
    let urls = cluster.urls();
    // Each gateway knows a single (different) node: the rest of the cluster is discovered.
    let node_a = gateway(RedisMode::Cluster, &urls[..1], |_| {}).await;
    let node_b = gateway(RedisMode::Cluster, &urls[1..2], |_| {}).await;
    let (status, body) = http_get(node_a.addr, "/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("redis-cluster"), "{body}");

    let mut ana = node_b.agent("t-ana", &["de"]).await;
    let (mut customer, welcome) = node_a.hello(&["de"]).await;
    customer.send(json!({"type": "handoff"})).await;
    handoff_state(&mut customer, "queued").await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["conversation"], welcome["session"], "{assigned}");
    handoff_state(&mut customer, "assigned").await;

    customer
        .send(json!({"type": "message", "id": "1", "text": "Hallo?"}))
        .await;
    let ack = customer.recv().await;
    let forwarded = ana.recv_skipping_queue().await;
    assert_eq!(forwarded["text"], "Hallo?");
    assert_eq!(forwarded["seq"], ack["seq"]);
    ana.send(json!({"type": "message", "conversation": welcome["session"], "text": "Guten Tag!"}))
        .await;
    let answer = customer.recv().await;
    assert_eq!(answer["text"], "Guten Tag!", "{answer}");

    // The customer resumes on the agent's node and misses nothing.
    drop(customer);
    ana.send(json!({"type": "message", "conversation": welcome["session"], "text": "Noch da?"}))
        .await;
    let mut again = node_b.resumed(&welcome, &answer["seq"]).await;
    assert_eq!(again.recv().await["text"], "Noch da?");

    // Sessions hash by their id: a few dozen land on every master.
    for n in 0..30 {
        let node = if n % 2 == 0 { &node_a } else { &node_b };
        let (mut c, _) = node.hello(&["en"]).await;
        c.say("1", "how much is shipping?").await;
    }
    let counts = cluster.keys_per_node().await;
    assert!(counts.iter().all(|&n| n > 0), "keys per master: {counts:?}");
}

#[tokio::test]
async fn after_a_sentinel_failover_the_queue_and_the_conversation_carry_on() {
    let mut setup = SentinelSetup::start().await;
    let urls = setup.urls();
    // The contracts hold through the sentinels too.
    let link = RedisLink::new(RedisMode::Sentinel, &urls, "mymaster").unwrap();
    let stop = CancellationToken::new();
    handoff::contract::run(Arc::new(RedisBackend::new(link.clone(), stop.clone()))).await;
    session::contract::run(&RedisStore::new(link, Duration::from_secs(60))).await;
    stop.cancel();

    let fast = |c: &mut Config| {
        c.redis_sentinel_master = "mymaster".into();
        c.handoff_require_agent = false;
    };
    let customers_node = gateway(RedisMode::Sentinel, &urls, fast).await;
    let agents_node = gateway(RedisMode::Sentinel, &urls, fast).await;
    let (status, body) = http_get(customers_node.addr, "/readyz").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("redis-sentinel"), "{body}");

    let (mut customer, welcome) = customers_node.hello(&["es"]).await;
    customer.send(json!({"type": "handoff"})).await;
    handoff_state(&mut customer, "queued").await;
    // Replication is asynchronous: let the replica catch up before the master dies.
    let waited = redis_cli(setup.master.port, &["wait", "1", "5000"]).await;
    assert_eq!(waited.trim(), "1", "the replica acknowledged the writes");
    let old_master = setup.master.port;
    setup.master.kill().await;

    let replica = setup.replica.port;
    eventually(30, "the sentinels promote the replica", async || {
        setup.master_port().await == replica
    })
    .await;
    assert_ne!(old_master, replica);
    eventually(30, "both gateways are ready again", async || {
        http_get(customers_node.addr, "/readyz").await.0 == 200
            && http_get(agents_node.addr, "/readyz").await.0 == 200
    })
    .await;

    // The queued conversation survived; the agent on the other node takes it, and messages
    // flow both ways through the new master's pub/sub.
    let mut ana = agents_node.agent("t-ana", &["es"]).await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["conversation"], welcome["session"], "{assigned}");
    handoff_state(&mut customer, "assigned").await;
    ana.send(json!({"type": "message", "conversation": welcome["session"], "text": "¡Hola!"}))
        .await;
    let frame = customer.recv_type("message").await;
    assert_eq!(frame["text"], "¡Hola!", "{frame}");
    customer
        .send(json!({"type": "message", "id": "9", "text": "gracias"}))
        .await;
    assert_eq!(ana.recv_skipping_queue().await["text"], "gracias");
}

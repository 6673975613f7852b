//! Hand-off speed: memory, one Redis, and a local three-master Redis Cluster, in the same run:
//!
//! 1. hand-offs per second through the backend until assignment: N tickets enqueued by 1, 16
//!    and 64 concurrent customers while 4, 8 and 16 agents take them with `claim_next`; next
//!    to `redis-benchmark` on the same redis-server (its ceiling);
//! 2. time from a customer's `handoff` frame to the `queued` event, through a real gateway
//!    over WebSocket (p50/p99);
//! 3. cross-node relay: an agent on gateway B writes to a customer on gateway A (both sharing
//!    Redis); the time from the agent's frame to the customer's `message` event (p50/p99).
//!
//! `cargo run --release -p switchboard-lab --example handoff_bench [N]` — starts its own redis-server and cluster
//! on free ports (needs `redis-server` and `redis-cli` on the PATH).

use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use switchboard::app::Application;
use switchboard::config::{AgentCredential, Config, Secret};
use switchboard::handoff::{self, AgentRef, HandoffBackend, MemoryBackend, RedisBackend, Ticket};
use switchboard::protocol::HandoffContext;
use switchboard::redis_link::{RedisLink, RedisMode};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// Waits for a `redis-server` started with its stdout piped to accept connections, then
/// drains its output in the background.
async fn ready(child: &mut tokio::process::Child) {
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.contains("Ready to accept connections") {
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
}

async fn start_redis() -> (tokio::process::Child, String) {
    let port = free_port();
    let mut child = tokio::process::Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ])
        .args(["--appendonly", "yes", "--appendfsync", "everysec"])
        .arg("--dir")
        .arg(std::env::temp_dir())
        .arg("--appendfilename")
        .arg(format!("bench-{port}.aof"))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("redis-server on the PATH");
    ready(&mut child).await;
    (child, format!("redis://127.0.0.1:{port}/"))
}

/// Three cluster-enabled servers joined with `redis-cli --cluster create`; returns their URLs.
async fn start_cluster() -> (Vec<tokio::process::Child>, Vec<String>) {
    let mut children = Vec::new();
    let mut addrs = Vec::new();
    for _ in 0..3 {
        let (port, bus) = (free_port(), free_port());
        let dir = std::env::temp_dir().join(format!("sb-bench-cluster-{port}"));
        std::fs::create_dir_all(&dir).expect("dir");
        let mut child = tokio::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args([
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                &bus.to_string(),
            ])
            .args(["--cluster-config-file", "nodes.conf", "--save", ""])
            .args(["--appendonly", "yes", "--appendfsync", "everysec"])
            .arg("--dir")
            .arg(&dir)
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("redis-server on the PATH");
        ready(&mut child).await;
        children.push(child);
        addrs.push(format!("127.0.0.1:{port}"));
    }
    let created = tokio::process::Command::new("redis-cli")
        .args(["--cluster", "create"])
        .args(&addrs)
        .args(["--cluster-replicas", "0", "--cluster-yes"])
        .output()
        .await
        .expect("redis-cli on the PATH");
    assert!(created.status.success(), "cluster create failed");
    for addr in &addrs {
        let port = addr.rsplit(':').next().expect("port");
        loop {
            let info = tokio::process::Command::new("redis-cli")
                .args(["-p", port, "cluster", "info"])
                .output()
                .await
                .expect("redis-cli");
            if String::from_utf8_lossy(&info.stdout).contains("cluster_state:ok") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let urls = addrs.iter().map(|a| format!("redis://{a}/")).collect();
    (children, urls)
}

/// `n` hand-offs enqueued by `customers` concurrent customers (each its share, one after
/// another) while `agents` agents take them; hand-offs per second until the last is assigned.
async fn throughput(
    backend: Arc<dyn HandoffBackend>,
    n: usize,
    customers: usize,
    agents: usize,
    label: &'static str,
) -> f64 {
    let base = handoff::now_ms();
    let locale: switchboard::ids::Locale = format!("es-x-{label}-{customers}")
        .parse()
        .expect("a private-use language tag");
    let started = Instant::now();
    let mut producers = Vec::new();
    for c in 0..customers {
        let backend = backend.clone();
        let locale = locale.clone();
        producers.push(tokio::spawn(async move {
            for i in (c..n).step_by(customers) {
                let ticket = Ticket {
                    enqueued_ms: base + i as u64,
                    ..Ticket::new(
                        &format!("{label}-{customers}-{i}").parse().unwrap(),
                        &locale,
                        String::new(),
                        HandoffContext::default(),
                    )
                };
                backend.enqueue(ticket).await.expect("enqueue");
            }
        }));
    }
    let taken = Arc::new(AtomicUsize::new(0));
    let mut takers = Vec::new();
    for a in 0..agents {
        let backend = backend.clone();
        let locales = vec![locale.clone()];
        let taken = taken.clone();
        takers.push(tokio::spawn(async move {
            let me = AgentRef {
                id: format!("bench-{customers}-{a}").parse().unwrap(),
                name: "Bench".into(),
            };
            while taken.load(Ordering::SeqCst) < n {
                match backend.claim_next(&me, &locales).await.expect("claim") {
                    Some(_) => {
                        taken.fetch_add(1, Ordering::SeqCst);
                    }
                    None => tokio::task::yield_now().await,
                }
            }
        }));
    }
    for producer in producers {
        producer.await.expect("producer");
    }
    for agent in takers {
        agent.await.expect("agent");
    }
    let elapsed = started.elapsed().as_secs_f64();
    assert_eq!(
        taken.load(Ordering::SeqCst),
        n,
        "{label}: every hand-off assigned once"
    );
    n as f64 / elapsed
}

/// The same redis-server's own ceiling, by `redis-benchmark` with 16 clients: plain commands,
/// and a trivial script (each hand-off runs two scripts and publishes twice).
fn ceiling(url: &str) {
    let port = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap_or("6379")
        .to_string();
    let runs: [(&str, Vec<&str>); 2] = [
        ("SET/GET", vec!["-t", "set,get"]),
        (
            "EVAL (a script that returns 1)",
            vec!["eval", "return 1", "0"],
        ),
    ];
    println!("redis-benchmark on the same redis-server (-c 16 -n 100000):");
    for (what, args) in runs {
        let output = std::process::Command::new("redis-benchmark")
            .args(["-p", &port, "-q", "-c", "16", "-n", "100000"])
            .args(&args)
            .output();
        match output {
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stdout);
                for line in text.lines().filter(|l| l.contains("requests per second")) {
                    let line = line.rsplit('\r').next().unwrap_or(line).trim();
                    println!("  {what}: {line}");
                }
            }
            Err(e) => println!("  {what}: redis-benchmark did not run ({e})"),
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A gateway on this Redis (none: memory); returns its address.
async fn gateway(redis: Option<(RedisMode, &[String])>, shutdown: &CancellationToken) -> String {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        content: std::path::PathBuf::from("."),
        handoff_require_agent: false,
        watch_content: false,
        agents: vec![AgentCredential {
            name: "Bench".into(),
            token: Secret::new("bench-token"),
        }],
        ..Config::default()
    };
    if let Some((mode, urls)) = redis {
        config.redis_mode = mode;
        config.redis_url = Some(Secret::new(urls.join(",")));
    }
    let app = Application::build(config, shutdown.clone())
        .await
        .expect("run from the repository root: the app builds");
    let addr = app.local_addr().to_string();
    tokio::spawn(app.run_until_stopped());
    addr
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Reads text frames until one contains `needle`.
async fn until(ws: &mut Ws, needle: &str) -> String {
    loop {
        if let Message::Text(text) = ws.next().await.expect("open").expect("frame") {
            if text.contains(needle) {
                return text.to_string();
            }
        }
    }
}

/// An agent on gateway B writes to a customer on gateway A: time from the agent's frame to the
/// customer's `message` event, through the shared Redis (pub/sub note, then the transcript).
async fn relay_latency(mode: RedisMode, urls: &[String], samples: usize) -> (f64, f64) {
    let shutdown = CancellationToken::new();
    let a = gateway(Some((mode, urls)), &shutdown).await;
    let b = gateway(Some((mode, urls)), &shutdown).await;
    let (mut agent, _) = tokio_tungstenite::connect_async(format!("ws://{b}/v1/agent"))
        .await
        .expect("agent connects");
    agent
        .send(Message::text(r#"{"type":"auth","token":"bench-token"}"#))
        .await
        .expect("auth");
    until(&mut agent, "welcome").await;
    agent
        .send(Message::text(
            r#"{"type":"ready","languages":["en"],"capacity":1}"#,
        ))
        .await
        .expect("ready");
    until(&mut agent, "queue").await;
    let (mut customer, _) = tokio_tungstenite::connect_async(format!("ws://{a}/v1/chat"))
        .await
        .expect("customer connects");
    customer
        .send(Message::text(r#"{"type":"hello","locales":["en"]}"#))
        .await
        .expect("hello");
    let welcome: serde_json::Value =
        serde_json::from_str(&until(&mut customer, "welcome").await).expect("json");
    let conversation = welcome["session"].as_str().expect("session").to_string();
    customer
        .send(Message::text(r#"{"type":"handoff"}"#))
        .await
        .expect("handoff");
    until(&mut customer, "\"queued\"").await;
    // `claim`, not `next`: the latency runs before left their customers queued (a customer
    // who disconnects keeps its place for a resume until its session expires).
    let claim = serde_json::json!({"type": "claim", "conversation": conversation});
    agent
        .send(Message::text(claim.to_string()))
        .await
        .expect("claim");
    until(&mut agent, "\"assigned\"").await;
    until(&mut customer, "\"assigned\"").await;
    // The agent's own frames (acks, queue updates) are read off in the background.
    let (mut to_agent, mut from_agent) = agent.split();
    tokio::spawn(async move { while let Some(Ok(_)) = from_agent.next().await {} });
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let text = format!("relay {i}");
        let frame =
            serde_json::json!({"type": "message", "conversation": conversation, "text": text});
        let started = Instant::now();
        to_agent
            .send(Message::text(frame.to_string()))
            .await
            .expect("agent message");
        until(&mut customer, &format!("\"{text}\"")).await;
        times.push(started.elapsed().as_secs_f64() * 1e6);
    }
    shutdown.cancel();
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

async fn handoff_latency(redis: Option<(RedisMode, &[String])>, samples: usize) -> (f64, f64) {
    let shutdown = CancellationToken::new();
    let url = format!("ws://{}/v1/chat", gateway(redis, &shutdown).await);
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let (mut ws, _) = tokio_tungstenite::connect_async(&url)
            .await
            .expect("connect");
        ws.send(Message::text(r#"{"type":"hello","locales":["en"]}"#))
            .await
            .expect("send");
        ws.next().await.expect("welcome").expect("welcome");
        let started = Instant::now();
        ws.send(Message::text(r#"{"type":"handoff"}"#))
            .await
            .expect("send");
        loop {
            let frame = ws.next().await.expect("frame").expect("frame");
            if let Message::Text(text) = frame {
                if text.contains("\"queued\"") {
                    break;
                }
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1e6);
        let _ = ws.send(Message::text(r#"{"type":"close"}"#)).await;
    }
    shutdown.cancel();
    times.sort_by(f64::total_cmp);
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let (_redis, url) = start_redis().await;
    let single = vec![url];
    let (_cluster, cluster) = start_cluster().await;
    let stop = CancellationToken::new();
    let backend = |mode: RedisMode, urls: &[String]| -> Arc<dyn HandoffBackend> {
        let link = RedisLink::new(mode, urls, "").expect("urls");
        Arc::new(RedisBackend::new(link, stop.clone()))
    };
    let memory_backend: Arc<dyn HandoffBackend> = Arc::new(MemoryBackend::new());

    println!("hand-offs enqueued and assigned ({n} each run):");
    println!(
        "| customers at once | agents | memory /s | Redis /s | Redis cluster /s | Redis / memory | cluster / Redis |"
    );
    println!("|---|---|---|---|---|---|---|");
    let redis_backend = backend(RedisMode::Standalone, &single);
    let cluster_backend = backend(RedisMode::Cluster, &cluster);
    for (customers, agents) in [(1, 4), (16, 8), (64, 16)] {
        let memory = throughput(memory_backend.clone(), n, customers, agents, "memory").await;
        let redis = throughput(redis_backend.clone(), n, customers, agents, "redis").await;
        let clustered = throughput(cluster_backend.clone(), n, customers, agents, "cluster").await;
        println!(
            "| {customers} | {agents} | {memory:.0} | {redis:.0} | {clustered:.0} | {:.3} | {:.2} |",
            redis / memory,
            clustered / redis
        );
    }
    ceiling(&single[0]);

    let samples = 500;
    let (m50, m99) = handoff_latency(None, samples).await;
    let (r50, r99) = handoff_latency(Some((RedisMode::Standalone, &single)), samples).await;
    let (c50, c99) = handoff_latency(Some((RedisMode::Cluster, &cluster)), samples).await;
    println!("handoff frame -> queued event over WebSocket ({samples} customers):");
    println!("  memory          p50 {m50:>7.0} µs  p99 {m99:>7.0} µs");
    println!(
        "  redis           p50 {r50:>7.0} µs  p99 {r99:>7.0} µs   (p50 ratio {:.2})",
        r50 / m50
    );
    println!(
        "  redis cluster   p50 {c50:>7.0} µs  p99 {c99:>7.0} µs   (p50 ratio {:.2}, {:.2} of one redis)",
        c50 / m50,
        c50 / r50
    );

    let (s50, s99) = relay_latency(RedisMode::Standalone, &single, samples).await;
    let (k50, k99) = relay_latency(RedisMode::Cluster, &cluster, samples).await;
    println!("agent on node B -> customer on node A ({samples} messages):");
    println!("  redis           p50 {s50:>7.0} µs  p99 {s99:>7.0} µs");
    println!(
        "  redis cluster   p50 {k50:>7.0} µs  p99 {k99:>7.0} µs   (p50 {:.2} of one redis)",
        k50 / s50
    );
    stop.cancel();
    tokio::time::sleep(Duration::from_millis(50)).await;
}

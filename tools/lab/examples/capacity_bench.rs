//! Sizing figures for operators: memory per connection and messages per core of the release
//! binary, with sessions in memory and in Redis, in one run. The baseline is the bot pipeline
//! alone (`bot::respond` on the same texts, in this process, one thread).
//!
//! - memory: the gateway's resident set (and Redis' `used_memory`) before and after N
//!   customers said hello and one message each, divided by N;
//! - messages per core: C customers send M messages each, waiting for each answer; the
//!   gateway's CPU time (user + system, from /proc) over that run; messages / CPU-seconds.
//!
//! `cargo build --release && cargo run --release -p switchboard-lab --example capacity_bench [N] [C] [M]`
//! (Linux; needs target/release/switchboard and redis-server on the PATH.)

use std::process::Stdio;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use switchboard::bot;
use switchboard::bot::ConversationState;
use switchboard::content::Content;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;

/// Two customer messages per locale of the demo content.
const TEXTS: &[(&str, &str)] = &[
    ("en", "how much is shipping?"),
    ("en", "where is my order 48213377"),
    ("de", "Wie lange dauert die Lieferung?"),
    ("de", "Ich möchte meine Bestellung zurückgeben"),
    ("fr", "combien coûte la livraison ?"),
    ("fr", "je voudrais annuler ma commande"),
    ("es", "¿Dónde está mi pedido 48213377?"),
    ("es", "¿puedo pagar con tarjeta?"),
    ("it", "quanto costa la spedizione?"),
    ("it", "vorrei restituire un articolo"),
    ("pt", "quanto custa o frete?"),
    ("pt", "quero cancelar o meu pedido"),
    ("nl", "hoeveel kost de verzending?"),
    ("nl", "waar is mijn bestelling"),
    ("hi", "मेरा ऑर्डर कहाँ है?"),
    ("ru", "сколько стоит доставка?"),
    ("ru", "где мой заказ 48213377"),
    ("tr", "kargo ücreti ne kadar?"),
    ("tr", "siparişimi iptal etmek istiyorum"),
    ("ar", "كم تكلفة الشحن؟"),
    ("ar", "أين طلبي"),
    ("hi", "शिपिंग कितने की है?"),
    ("ja", "送料はいくらですか？"),
    ("ja", "注文をキャンセルしたい"),
    ("zh", "运费是多少？"),
    ("zh", "我的订单在哪里"),
];

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

async fn start_redis() -> (Child, u16) {
    let port = free_port();
    let mut child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("redis-server on the PATH");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if line.contains("Ready to accept connections") {
            break;
        }
    }
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, port)
}

async fn redis_used_memory(port: u16) -> u64 {
    let out = Command::new("redis-cli")
        .args(["-p", &port.to_string(), "info", "memory"])
        .output()
        .await
        .expect("redis-cli");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("used_memory:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("used_memory")
}

async fn start_gateway(redis: Option<u16>) -> (Child, String) {
    let port = free_port();
    let mut cmd = Command::new("target/release/switchboard");
    cmd.arg("serve")
        .env("SWITCHBOARD_LISTEN", format!("127.0.0.1:{port}"))
        .env("SWITCHBOARD_CONTENT", ".")
        .env("SWITCHBOARD_WATCH_CONTENT", "false")
        .env("SWITCHBOARD_LOG", "warn")
        .env_remove("SWITCHBOARD_REDIS_URL");
    if let Some(redis) = redis {
        cmd.env(
            "SWITCHBOARD_REDIS_URL",
            format!("redis://127.0.0.1:{redis}/"),
        );
    }
    let child = cmd
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("run from the repository root after cargo build --release");
    let url = format!("ws://127.0.0.1:{port}/v1/chat");
    for _ in 0..600 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (child, url);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the gateway did not start");
}

fn rss_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        .expect("VmRSS")
        * 1024
}

/// User + system CPU seconds of a process.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc");
    let after = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_text(ws: &mut Ws) -> String {
    loop {
        match ws.next().await.expect("open").expect("frame") {
            Message::Text(t) => return t.to_string(),
            _ => continue,
        }
    }
}

/// Sends one message and waits for the bot's answer.
async fn exchange(ws: &mut Ws, id: usize, text: &str) {
    let frame = serde_json::json!({"type": "message", "id": id.to_string(), "text": text});
    ws.send(Message::text(frame.to_string()))
        .await
        .expect("send");
    loop {
        let t = next_text(ws).await;
        if t.contains("\"from\":\"bot\"") {
            return;
        }
    }
}

async fn customer(url: &str, n: usize) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    let locale = TEXTS[n % TEXTS.len()].0;
    ws.send(Message::text(format!(
        r#"{{"type":"hello","locales":["{locale}"]}}"#
    )))
    .await
    .expect("hello");
    next_text(&mut ws).await;
    ws
}

struct Figures {
    rss_per_connection: f64,
    redis_per_session: Option<f64>,
    messages_per_core: f64,
    rss_idle: u64,
}

async fn measure(redis: Option<u16>, n: usize, c: usize, m: usize) -> Figures {
    let (gateway, url) = start_gateway(redis).await;
    let pid = gateway.id().expect("pid");
    // Warm up allocator and caches with a few exchanges.
    let mut warm = customer(&url, 0).await;
    for i in 0..50 {
        exchange(&mut warm, i, TEXTS[i % TEXTS.len()].1).await;
    }
    drop(warm);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss0 = rss_bytes(pid);
    let redis0 = match redis {
        Some(p) => Some(redis_used_memory(p).await),
        None => None,
    };
    let mut held = Vec::with_capacity(n);
    for i in 0..n {
        let mut ws = customer(&url, i).await;
        exchange(&mut ws, 1, TEXTS[i % TEXTS.len()].1).await;
        held.push(ws);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let rss1 = rss_bytes(pid);
    let redis1 = match redis {
        Some(p) => Some(redis_used_memory(p).await),
        None => None,
    };
    drop(held);

    let cpu0 = cpu_seconds(pid);
    let mut tasks = Vec::new();
    for k in 0..c {
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut ws = customer(&url, k).await;
            for i in 0..m {
                exchange(&mut ws, i, TEXTS[(k + i) % TEXTS.len()].1).await;
            }
        }));
    }
    for t in tasks {
        t.await.expect("customer");
    }
    let cpu = cpu_seconds(pid) - cpu0;
    Figures {
        rss_per_connection: (rss1 as f64 - rss0 as f64) / n as f64,
        redis_per_session: redis0
            .zip(redis1)
            .map(|(a, b)| (b as f64 - a as f64) / n as f64),
        messages_per_core: (c * m) as f64 / cpu,
        rss_idle: rss0,
    }
}

fn pipeline_per_core() -> f64 {
    let content =
        Content::load(std::path::Path::new("."), &"en".parse().expect("en")).expect("content");
    let rounds = 200;
    let started = Instant::now();
    for _ in 0..rounds {
        for (_, text) in TEXTS {
            let state = ConversationState::default();
            let turn = bot::respond(&content, &state, text, None, 0.5);
            std::hint::black_box(turn.is_ok());
        }
    }
    (rounds * TEXTS.len()) as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let n = args.first().copied().unwrap_or(2000);
    let c = args.get(1).copied().unwrap_or(32);
    let m = args.get(2).copied().unwrap_or(200);
    let pipeline = tokio::task::spawn_blocking(pipeline_per_core)
        .await
        .expect("pipeline");
    let memory = measure(None, n, c, m).await;
    let (_redis, port) = start_redis().await;
    let redis = measure(Some(port), n, c, m).await;
    println!("{n} idle customers (hello + one message each); {c} customers x {m} messages:");
    println!("  bot pipeline alone         {pipeline:>8.0} messages per core-second");
    for (name, f) in [
        ("sessions in memory", &memory),
        ("sessions in Redis", &redis),
    ] {
        println!(
            "  {name:<26} {:>8.0} messages per core-second ({:.2} of the pipeline); \
             {:.1} KiB per connection on the node{}; idle RSS {:.0} MiB",
            f.messages_per_core,
            f.messages_per_core / pipeline,
            f.rss_per_connection / 1024.0,
            f.redis_per_session
                .map(|r| format!(", {:.1} KiB per session in Redis", r / 1024.0))
                .unwrap_or_default(),
            f.rss_idle as f64 / 1048576.0,
        );
    }
}

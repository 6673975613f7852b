//! Reload time: a reply edited on disk → the first bot answer with the new text, through the
//! file watcher of a running gateway; for the demo content and for a copy ten times its size.
//! The baseline in the same run is `Content::load` of the same folder (what a reload must do).
//!
//! `cargo run --release -p switchboard-lab --example reload_bench [ROUNDS]` (from the repository root)

use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use switchboard::app::Application;
use switchboard::config::Config;
use switchboard::content::Content;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Nine more example files per locale, each example with a number added: ten times the examples.
fn grow_tenfold(root: &Path) {
    for locale in std::fs::read_dir(root.join("intents"))
        .expect("intents")
        .flatten()
    {
        if !locale.path().is_dir() {
            continue;
        }
        let original = std::fs::read_to_string(locale.path().join("support.toml")).expect("toml");
        let table: toml::Table = toml::from_str(&original).expect("valid");
        for k in 1..10 {
            let mut out = String::new();
            for (intent, value) in &table {
                let examples: Vec<String> = value["examples"]
                    .as_array()
                    .expect("examples")
                    .iter()
                    .map(|e| {
                        toml::Value::String(format!("{} {k}{k}", e.as_str().expect("text")))
                            .to_string()
                    })
                    .collect();
                out.push_str(&format!(
                    "[{intent}]\nexamples = [{}]\n",
                    examples.join(", ")
                ));
            }
            std::fs::write(locale.path().join(format!("more{k}.toml")), out).expect("write");
        }
    }
}

async fn ask(url: &str) -> String {
    let (mut ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connect");
    ws.send(Message::text(r#"{"type":"hello","locales":["en"]}"#))
        .await
        .expect("hello");
    ws.send(Message::text(
        r#"{"type":"message","id":"1","text":"how much does shipping cost?"}"#,
    ))
    .await
    .expect("message");
    loop {
        if let Some(Ok(Message::Text(text))) = ws.next().await {
            if text.contains("\"from\":\"bot\"") {
                return text.to_string();
            }
        }
    }
}

async fn measure(root: &Path, label: &str, rounds: usize) {
    let started = Instant::now();
    let Ok(content) = Content::load(root, &"en".parse().expect("tag")) else {
        eprintln!("{label}: the content does not load; run `switchboard check --content` on it");
        std::process::exit(1);
    };
    let load = started.elapsed();
    let examples: usize = content.examples.values().map(|e| e.pairs().len()).sum();
    let config = Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        content: root.to_path_buf(),
        ..Config::default()
    };
    let shutdown = CancellationToken::new();
    let app = Application::build(config, shutdown.clone())
        .await
        .expect("builds");
    let url = format!("ws://{}/v1/chat", app.local_addr());
    tokio::spawn(app.run_until_stopped());
    let file = root.join("locales/en/replies.ftl");
    let mut times = Vec::new();
    for round in 0..rounds {
        let text = std::fs::read_to_string(&file).expect("ftl");
        let marker = format!("Edited{round}:");
        let edited = text.replacen(
            "reply-shipping-cost = ",
            &format!("reply-shipping-cost = {marker} "),
            1,
        );
        let started = Instant::now();
        std::fs::write(&file, edited).expect("write");
        loop {
            if ask(&url).await.contains(&marker) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        times.push(started.elapsed());
        std::fs::write(&file, text).expect("restore");
        // The restore must be served before the next edit is timed.
        while ask(&url).await.contains(&marker) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    shutdown.cancel();
    times.sort();
    println!(
        "{label:<12} {examples:>6} examples: load {:>6.0} ms; edit saved -> new answer median {:>6.0} ms, max {:>6.0} ms ({rounds} edits)",
        load.as_secs_f64() * 1000.0,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() - 1].as_secs_f64() * 1000.0,
    );
}

#[tokio::main]
async fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let demo = tempfile::tempdir().expect("tmp");
    let big = tempfile::tempdir().expect("tmp");
    for dir in [demo.path(), big.path()] {
        for folder in ["locales", "intents"] {
            copy(Path::new(folder), &dir.join(folder));
        }
    }
    grow_tenfold(big.path());
    measure(demo.path(), "demo", rounds).await;
    measure(big.path(), "demo x10", rounds).await;
}

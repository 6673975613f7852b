use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use super::client::{self, Load, Target};
use switchboard::app::Application;
use switchboard::config::Config;

fn load(connections: usize, rate: Option<f64>, millis: u64) -> Load {
    Load {
        connections,
        rate,
        warmup: Duration::from_millis(50),
        duration: Duration::from_millis(millis),
        timeout: Duration::from_secs(5),
        texts: Arc::new(vec![
            "where is my order 48213377?".into(),
            "¿Cuánto cuesta el envío?".into(),
            "配送にはどのくらいかかりますか".into(),
        ]),
    }
}

async fn bare() -> Target {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(super::bare::serve(listener));
    Target::parse(&format!("ws://{addr}/v1/chat")).unwrap()
}

#[tokio::test]
async fn a_closed_loop_against_the_bare_server_counts_answers_and_no_errors() {
    let target = bare().await;
    let report = client::run(&target, &load(3, None, 300)).await.unwrap();
    assert!(report.answered > 10, "{report:?}");
    assert_eq!(report.errors.total(), 0, "{:?}", report.errors);
    assert_eq!(report.latency.len(), report.answered);
    assert_eq!(report.from_send.len(), report.answered);
    assert!(report.ms(0.99) < 5000.0);
}

#[tokio::test]
async fn a_fixed_rate_against_the_gateway_gets_every_message_answered() {
    let shutdown = CancellationToken::new();
    let config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        watch_content: false,
        // The demo content is the product's, at the workspace root.
        content: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."),
        ..Config::default()
    };
    let app = Application::build(config, shutdown.clone()).await.unwrap();
    let target = Target::parse(&format!("ws://{}/v1/chat", app.local_addr())).unwrap();
    tokio::spawn(app.run_until_stopped());
    // 4 connections at 40 msg/s in all for 0.5 s: 20 messages due in the window.
    let report = client::run(&target, &load(4, Some(40.0), 500))
        .await
        .unwrap();
    shutdown.cancel();
    assert_eq!(report.errors.total(), 0, "{:?}", report.errors);
    assert!((18..=22).contains(&report.sent), "{report:?}");
    assert_eq!(report.answered, report.sent);
    // Every answer is timed twice, and a message is written no earlier than it was due.
    assert_eq!(report.from_send.len(), report.answered);
    assert!(report.from_send.max() <= report.latency.max(), "{report:?}");
    assert!(report.from_send_ms(0.5) <= report.ms(0.5), "{report:?}");
}

#[tokio::test]
async fn unanswered_messages_are_timeouts() {
    // A server that welcomes and then never answers.
    async fn mute(upgrade: WebSocketUpgrade) -> axum::response::Response {
        upgrade.on_upgrade(|mut socket| async move {
            while let Some(Ok(message)) = socket.recv().await {
                if let Message::Text(text) = message {
                    if text.contains("hello") {
                        let welcome = r#"{"type":"welcome","session":"s","token":"t","locale":"en","resumed":false,"last_seq":0}"#;
                        let _ = socket.send(Message::Text(welcome.into())).await;
                    }
                }
            }
        })
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(
        async move { axum::serve(listener, Router::new().route("/v1/chat", get(mute))).await },
    );
    let target = Target::parse(&format!("ws://{addr}/v1/chat")).unwrap();
    let mut spec = load(1, None, 200);
    spec.timeout = Duration::from_millis(100);
    let report = client::run(&target, &spec).await.unwrap();
    assert_eq!(report.answered, 0);
    assert!(report.errors.timeouts >= 1, "{:?}", report.errors);
}

#[tokio::test]
async fn idle_connections_are_weighed_in_the_servers_memory() {
    let target = bare().await;
    let report = client::idle(&target, 20, std::process::id(), Duration::from_millis(10))
        .await
        .unwrap();
    assert_eq!(report.opened, 20);
    assert_eq!(report.failed, 0);
    assert!(report.rss_after_kb > 0);
}

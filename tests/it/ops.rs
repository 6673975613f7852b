//! Health, readiness and metrics over plain HTTP.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::spawn_app;

/// A minimal HTTP/1.1 GET (the suite needs no HTTP client crate for three routes).
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let (status, body) = get(app.addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
    let (status, body) = get(app.addr, "/readyz").await;
    assert_eq!(status, 200);
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["locales"].as_array().unwrap().len(), 13);
    assert_eq!(ready["content_version"].as_str().unwrap().len(), 16);
}

#[tokio::test]
async fn metrics_count_messages_replies_and_fallbacks() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["it"]).await;
    client.say("1", "quanto costa la spedizione?").await;
    client.say("2", "qwzx vbnm").await;
    let (status, body) = get(app.addr, "/metrics").await;
    assert_eq!(status, 200);
    for needle in [
        "switchboard_customer_messages_total{locale=\"it\"}",
        "switchboard_bot_replies_total{",
        "intent=\"shipping_cost\"",
        "switchboard_fallbacks_total{locale=\"it\"}",
        "switchboard_reply_duration_seconds_bucket",
        "switchboard_connections_active",
    ] {
        assert!(body.contains(needle), "missing {needle} in\n{body}");
    }
}

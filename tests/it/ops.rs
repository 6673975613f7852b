//! Health, readiness and metrics over plain HTTP.

use crate::helpers::{http_get as get, spawn_app};

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

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

/// `/readyz` is public (load balancers and probes call it with no token): it says whether the
/// node is ready and why not in a word, never the Redis error (addresses) nor the content's
/// problems (file paths); the admin token shows those.
#[tokio::test]
async fn readiness_shows_errors_and_paths_only_to_the_admin() {
    let away = crate::helpers::redis_server::RedisServer::reserved();
    let app = crate::helpers::spawn_app_on_redis(&away.url(), |c| {
        c.admin_token = Some(switchboard::config::Secret::new("adm"));
    })
    .await;
    let (status, public) = get(app.addr, "/readyz").await;
    assert_eq!(status, 503, "{public}");
    let ready: serde_json::Value = serde_json::from_str(&public).unwrap();
    assert_eq!(ready["sessions"], "unavailable", "{public}");
    assert_eq!(ready["handoff_queue"], "unavailable", "{public}");
    for hidden in [
        "127.0.0.1",
        "refused",
        "warnings",
        "content_errors",
        "locales/",
    ] {
        assert!(
            !public.contains(hidden),
            "{hidden:?} in the public /readyz: {public}"
        );
    }
    let (status, detailed) = crate::helpers::http(
        app.addr,
        "GET",
        "/readyz",
        &[("Authorization", "Bearer adm")],
    )
    .await;
    assert_eq!(status, 503, "{detailed}");
    let ready: serde_json::Value = serde_json::from_str(&detailed).unwrap();
    assert_ne!(
        ready["sessions"], "unavailable",
        "the admin sees the error: {detailed}"
    );
    assert!(ready["content_errors"].is_array(), "{detailed}");
    assert!(ready["warnings"].is_array(), "{detailed}");
}

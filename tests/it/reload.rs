//! Content editors change files; the running gateway serves them, or keeps the old content and
//! says why.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::{http, poll_until, spawn_app_on_a_copy, spawn_app_with};

fn edit(root: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

const SHIPPING_EN: &str = "reply-shipping-cost = Standard delivery costs";

#[tokio::test]
async fn an_edit_is_served_without_a_restart() {
    let (content, app) = spawn_app_on_a_copy(|_| {}).await;
    let root = content.path().to_path_buf();
    let before = app.readyz().await["content_version"].clone();
    let (mut customer, _) = app.hello(&["en"]).await;
    let (_, old, _) = customer.say("1", "how much does shipping cost?").await;
    assert_eq!(old["content_version"], before);

    edit(
        &root,
        "locales/en/replies.ftl",
        SHIPPING_EN,
        "reply-shipping-cost = Shipping is on us this week! Normally it costs",
    );
    let after = app.until_ready(|r| r["content_version"] != before).await;
    let (_, new, _) = customer.say("2", "how much does shipping cost?").await;
    assert!(
        new["text"]
            .as_str()
            .unwrap()
            .starts_with("Shipping is on us"),
        "{new}"
    );
    assert_eq!(new["content_version"], after["content_version"]);
}

#[tokio::test]
async fn broken_content_never_reaches_customers_and_says_where_it_is() {
    let (content, app) =
        spawn_app_on_a_copy(|c| c.admin_token = Some(switchboard::config::Secret::new("adm")))
            .await;
    let root = content.path().to_path_buf();
    let before = app.readyz().await["content_version"].clone();
    edit(
        &root,
        "locales/de/replies.ftl",
        "reply-thanks =",
        "reply-thanks = { $broken",
    );
    let state = app
        .until_ready(|r| {
            r["content_errors"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
        })
        .await;
    assert_eq!(
        state["content_version"], before,
        "the old content keeps serving"
    );
    let errors = state["content_errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().starts_with("locales/de/replies.ftl:")),
        "{errors:?}"
    );
    let (mut customer, _) = app.hello(&["de"]).await;
    let (_, reply, _) = customer.say("1", "Danke schön!").await;
    assert_eq!(reply["intent"], "thanks");
    assert_eq!(reply["content_version"], before);

    let bearer = [("Authorization", "Bearer adm")];
    let (status, body) = http(app.addr, "POST", "/v1/admin/reload", &bearer).await;
    assert_eq!(status, 422, "{body}");
    let refused: Value = serde_json::from_str(&body).unwrap();
    let at_line = refused["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["file"] == "locales/de/replies.ftl")
        .expect("the broken file is named");
    assert!(at_line["line"].as_u64().unwrap() > 0);

    edit(
        &root,
        "locales/de/replies.ftl",
        "reply-thanks = { $broken",
        "reply-thanks =",
    );
    let (status, body) = http(app.addr, "POST", "/v1/admin/reload", &bearer).await;
    assert_eq!(status, 200, "{body}");
    let summary: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(summary["locales"], 13);
    assert_eq!(summary["intents"], 20);
    assert!(app.readyz().await["content_errors"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_admin_endpoint_needs_its_token() {
    let closed = spawn_app_with(|_| {}).await;
    let (status, _) = http(
        closed.addr,
        "POST",
        "/v1/admin/reload",
        &[("Authorization", "Bearer x")],
    )
    .await;
    assert_eq!(
        status, 403,
        "no admin token configured: admin routes refuse all"
    );
    let app =
        spawn_app_with(|c| c.admin_token = Some(switchboard::config::Secret::new("adm"))).await;
    for headers in [
        vec![],
        vec![("Authorization", "Bearer ad")],
        vec![("Authorization", "adm")],
    ] {
        let (status, _) = http(app.addr, "POST", "/v1/admin/reload", &headers).await;
        assert_eq!(status, 401, "{headers:?}");
    }
    let (status, _) = http(
        app.addr,
        "POST",
        "/v1/admin/reload",
        &[("Authorization", "Bearer adm")],
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_storm_of_saves_is_a_handful_of_reloads() {
    let (content, app) = spawn_app_on_a_copy(|_| {}).await;
    let root = content.path().to_path_buf();
    let file = root.join("locales/en/replies.ftl");
    let original = std::fs::read_to_string(&file).unwrap();
    for n in 0..300 {
        let text = original.replacen(
            SHIPPING_EN,
            &format!("reply-shipping-cost = Save {n}. Standard delivery costs"),
            1,
        );
        std::fs::write(&file, text).unwrap();
    }
    let (mut customer, _) = app.hello(&["en"]).await;
    let mut last = String::new();
    let mut attempt = 0;
    poll_until(
        Duration::from_millis(100),
        Duration::from_secs(15),
        async || {
            let (_, reply, _) = customer
                .say(&format!("q{attempt}"), "how much does shipping cost?")
                .await;
            attempt += 1;
            last = reply["text"].as_str().unwrap().to_string();
            last.starts_with("Save 299.")
        },
    )
    .await;
    assert!(
        last.starts_with("Save 299."),
        "the last save is served: {last}"
    );
    let reloads = app.readyz().await["content_reloads"].as_u64().unwrap();
    assert!((1..=10).contains(&reloads), "300 saves, {reloads} reloads");
}

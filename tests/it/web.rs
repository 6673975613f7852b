//! What browsers load: the widget, the console, the demo page, the widget's strings; and the
//! protocol additions the console and the widget use (agent `ack`, the agent on hand-off events).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use serde_json::json;

use crate::helpers::{agent_ana, repo_root, request, spawn_app, spawn_app_with, Response, TestApp};

/// The 13 locales of the demo content.
const LOCALES: &[&str] = &[
    "ar", "de", "en", "es", "fr", "hi", "it", "ja", "nl", "pt", "ru", "tr", "zh",
];

/// One HTTP/1.1 GET with these header lines.
async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    request(app.addr, "GET", path, headers).await
}

fn repo_file(path: &str) -> Vec<u8> {
    std::fs::read(repo_root().join(path)).expect("the file is in the repository")
}

#[tokio::test]
async fn the_widget_console_and_demo_page_are_served_with_their_types_and_validators() {
    let app = spawn_app().await;
    for (path, file, kind) in [
        ("/widget.js", "web/widget.js", "text/javascript"),
        ("/", "web/demo.html", "text/html"),
        ("/agent", "web/agent.html", "text/html"),
        ("/agent/console.js", "web/agent.js", "text/javascript"),
        ("/agent/console.css", "web/agent.css", "text/css"),
        ("/favicon.ico", "web/favicon.svg", "image/svg+xml"),
    ] {
        let response = get(&app, path, &[]).await;
        assert_eq!(response.status, 200, "{path}");
        assert!(
            response.header("content-type").unwrap().starts_with(kind),
            "{path}: {:?}",
            response.headers
        );
        assert_eq!(response.body, repo_file(file), "{path} is {file}, as built");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
        // Revalidation: the same validator gets 304 and no body.
        let etag = response.header("etag").expect("an ETag").to_string();
        let again = get(&app, path, &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status, 304, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(
            get(&app, path, &[("If-None-Match", "\"other\"")])
                .await
                .status,
            200
        );
    }
    let widget = get(&app, "/widget.js", &[]).await;
    assert_eq!(widget.header("cache-control"), Some("public, max-age=300"));
    let demo = String::from_utf8(get(&app, "/", &[]).await.body).unwrap();
    assert!(
        demo.contains(r#"<script src="/widget.js""#),
        "the demo page embeds the widget"
    );
    let console = get(&app, "/agent", &[]).await;
    let csp = console.header("content-security-policy").expect("a CSP");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[tokio::test]
async fn assets_are_gzipped_for_browsers_that_accept_it() {
    let app = spawn_app().await;
    let plain = get(&app, "/widget.js", &[]).await;
    let zipped = get(&app, "/widget.js", &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert!(
        zipped.body.len() * 2 < plain.body.len(),
        "{} gzipped bytes of {}",
        zipped.body.len(),
        plain.body.len()
    );
    // The widget's budget: under 20 KB on the wire.
    assert!(
        zipped.body.len() < 20 * 1024,
        "{} bytes gzipped",
        zipped.body.len()
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(zipped.body.as_slice())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain.body);
}

#[tokio::test]
async fn widget_strings_come_in_the_best_locale_with_every_language_named_in_itself() {
    let app = spawn_app().await;
    let es = get(&app, "/v1/widget/strings?locale=es-MX,en", &[]).await;
    assert_eq!(es.status, 200);
    assert!(es
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let es = es.json();
    assert_eq!(es["locale"], "es");
    assert_eq!(es["dir"], "ltr");
    assert_eq!(es["strings"]["send"], "Enviar");
    assert_eq!(
        es["strings"]["title"], "Northwind",
        "the shop's facts are passed"
    );
    assert!(!es["content_version"].as_str().unwrap().is_empty());
    let suggestions = es["suggestions"].as_array().unwrap();
    assert!(!suggestions.is_empty());
    assert!(suggestions
        .iter()
        .any(|s| s["payload"] == "human_agent" && s["text"] == "Hablar con una persona"));
    let names: BTreeMap<String, (String, String)> = es["locales"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["locale"].as_str().unwrap().to_string(),
                (
                    l["name"].as_str().unwrap().to_string(),
                    l["dir"].as_str().unwrap().to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(names.len(), LOCALES.len());
    assert_eq!(names["ar"], ("العربية".to_string(), "rtl".to_string()));
    assert_eq!(names["ja"], ("日本語".to_string(), "ltr".to_string()));
    assert_eq!(names["de"].0, "Deutsch");

    // Unknown or missing preferences get the default locale; Arabic is right to left.
    for query in ["", "?locale=", "?locale=xx-YY", "?locale=%%%"] {
        let r = get(&app, &format!("/v1/widget/strings{query}"), &[]).await;
        assert_eq!(r.status, 200, "{query}");
        assert_eq!(r.json()["locale"], "en", "{query}");
    }
    let ar = get(&app, "/v1/widget/strings?locale=ar-EG", &[])
        .await
        .json();
    assert_eq!(ar["dir"], "rtl");
    assert_eq!(ar["strings"]["send"], "إرسال");
}

#[tokio::test]
async fn every_locale_translates_every_widget_string() {
    let app = spawn_app().await;
    let en = get(&app, "/v1/widget/strings?locale=en", &[]).await.json();
    let keys: BTreeSet<&str> = en["strings"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(keys.len() >= 30, "{keys:?}");
    for locale in LOCALES.iter().filter(|l| **l != "en") {
        let r = get(&app, &format!("/v1/widget/strings?locale={locale}"), &[])
            .await
            .json();
        assert_eq!(r["locale"], *locale);
        let strings = r["strings"].as_object().unwrap();
        let theirs: BTreeSet<&str> = strings.keys().map(String::as_str).collect();
        assert_eq!(theirs, keys, "{locale} has the same strings as en");
        // The same text as English means an untranslated string, but for the shop's name and
        // words that are the same in both languages.
        let alike = [("fr", "bot")];
        let same: Vec<&str> = keys
            .iter()
            .copied()
            .filter(|k| *k != "title" && !alike.contains(&(*locale, *k)))
            .filter(|k| strings[*k] == en["strings"][*k])
            .collect();
        assert!(same.is_empty(), "{locale} leaves {same:?} in English");
    }
}

#[tokio::test]
async fn widget_strings_are_readable_cross_origin_and_revalidated() {
    let open = spawn_app().await;
    let r = get(
        &open,
        "/v1/widget/strings",
        &[("Origin", "https://shop.example")],
    )
    .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    let etag = r.header("etag").unwrap().to_string();
    assert_eq!(
        get(&open, "/v1/widget/strings", &[("If-None-Match", &etag)])
            .await
            .status,
        304
    );

    let closed = spawn_app_with(|c| {
        c.allowed_origins = Some(vec!["https://shop.example".into()]);
    })
    .await;
    let allowed = get(
        &closed,
        "/v1/widget/strings",
        &[("Origin", "https://shop.example")],
    )
    .await;
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert!(
        allowed.header("vary").is_some_and(|v| v.contains("Origin")),
        "{:?}",
        allowed.headers
    );
    let other = get(
        &closed,
        "/v1/widget/strings",
        &[("Origin", "https://evil.example")],
    )
    .await;
    assert_eq!(other.status, 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
}

async fn desk_with_ana() -> TestApp {
    spawn_app_with(|c| c.agents = agent_ana()).await
}

#[tokio::test]
async fn an_agent_message_with_an_id_is_acknowledged_with_its_seq_and_hand_offs_name_the_agent() {
    let app = desk_with_ana().await;
    let mut ana = app.agent("t-ana", &["es"]).await;
    let (mut customer, welcome) = app.hello(&["es"]).await;
    customer.say("1", "quiero hablar con una persona").await;
    ana.send(json!({"type": "next"})).await;
    let assigned = ana.recv_skipping_queue().await;
    assert_eq!(assigned["type"], "assigned", "{assigned}");
    let conversation = welcome["session"].clone();

    // The customer learns who took the conversation.
    let taken = loop {
        let event = customer.recv_type("handoff").await;
        if event["state"] == "assigned" {
            break event;
        }
    };
    assert_eq!(taken["agent"]["name"], "Ana", "{taken}");

    // Without an id: stored, no ack. With one: an ack naming its seq, which the customer sees.
    ana.send(json!({"type": "message", "conversation": conversation, "text": "Hola"}))
        .await;
    ana.send(json!({"type": "message", "conversation": conversation, "id": "m-2", "text": "¿Qué pedido es?"}))
        .await;
    let ack = ana.recv_skipping_queue().await;
    assert_eq!(
        ack["type"], "ack",
        "no ack for the message without an id: {ack}"
    );
    assert_eq!(ack["id"], "m-2");
    assert_eq!(ack["conversation"], conversation);
    let first = customer.recv_type("message").await;
    let second = customer.recv_type("message").await;
    assert_eq!(first["text"], "Hola");
    assert_eq!(second["text"], "¿Qué pedido es?");
    assert_eq!(ack["seq"], second["seq"]);
    assert_eq!(
        second["seq"].as_u64().unwrap(),
        first["seq"].as_u64().unwrap() + 1
    );

    // A bad id is refused like a bad customer id.
    let long = "x".repeat(129);
    ana.send(json!({"type": "message", "conversation": conversation, "id": long, "text": "x"}))
        .await;
    let refused = ana.recv_skipping_queue().await;
    assert_eq!(refused["type"], "error");
    assert_eq!(refused["code"], "bad_frame");

    // Resolving names the agent too.
    ana.send(json!({"type": "resolve", "conversation": conversation}))
        .await;
    let ended = loop {
        let event = customer.recv_type("handoff").await;
        if event["state"] == "ended" {
            break event;
        }
    };
    assert_eq!(ended["agent"]["name"], "Ana", "{ended}");
}

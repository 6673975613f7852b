//! Every bad input gets the contract's error; the connection survives where it can; the
//! process never falls over.

use serde_json::json;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{spawn_app, spawn_app_with, TestApp};

/// The connection still works: a real question gets a real answer.
async fn still_answers(client: &mut crate::helpers::Client, id: &str) {
    let (_, reply, _) = client.say(id, "how long does delivery take?").await;
    assert_eq!(reply["intent"], "shipping_time");
}

async fn healthy(app: &TestApp) {
    let (mut client, _) = app.hello(&["en"]).await;
    still_answers(&mut client, "health").await;
}

#[tokio::test]
async fn a_first_frame_that_is_not_hello_is_refused_and_closed() {
    let app = spawn_app().await;
    for first in [
        json!({"type": "message", "id": "1", "text": "hi"}).to_string(),
        "not json at all".to_string(),
        json!({"locales": ["en"]}).to_string(),
    ] {
        let mut client = app.connect().await;
        client.send_text(&first).await;
        client.expect_error("bad_frame").await;
        assert_eq!(client.closed().await, Some(1008), "{first}");
    }
    healthy(&app).await;
}

#[tokio::test]
async fn malformed_frames_get_bad_frame_and_the_connection_stays_open() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let long_id = "x".repeat(129);
    let cases = [
        "{not json".to_string(),
        "[]".to_string(),
        "42".to_string(),
        json!({"id": "1", "text": "no type"}).to_string(),
        json!({"type": 7}).to_string(),
        json!({"type": "message", "text": "no id"}).to_string(),
        json!({"type": "message", "id": "1"}).to_string(),
        json!({"type": "message", "id": 1, "text": "id is a number"}).to_string(),
        json!({"type": "message", "id": "1", "text": ["not", "a", "string"]}).to_string(),
        json!({"type": "message", "id": "1", "text": ""}).to_string(),
        json!({"type": "message", "id": long_id, "text": "long id"}).to_string(),
        json!({"type": "locale"}).to_string(),
        json!({"type": "typing", "on": "yes"}).to_string(),
        json!({"type": "hello", "locales": ["en"]}).to_string(),
    ];
    for case in &cases {
        client.send_text(case).await;
        client.expect_error("bad_frame").await;
    }
    still_answers(&mut client, "after").await;
}

#[tokio::test]
async fn unknown_frame_types_are_unsupported() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    client
        .send(json!({"type": "dance", "style": "tango"}))
        .await;
    let error = client.expect_error("unsupported").await;
    assert!(error["message"].as_str().unwrap().contains("dance"));
    still_answers(&mut client, "1").await;
}

#[tokio::test]
async fn binary_frames_are_refused_politely() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    client
        .ws
        .send(Message::binary(vec![1u8, 2, 3]))
        .await
        .unwrap();
    client.expect_error("bad_frame").await;
    still_answers(&mut client, "1").await;
}

#[tokio::test]
async fn frames_over_the_size_limit_get_too_large() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let big = json!({"type": "message", "id": "big", "text": "a".repeat(70 * 1024)});
    client.send(big).await;
    let error = client.expect_error("too_large").await;
    assert!(error["message"].as_str().unwrap().contains("65536"));
    still_answers(&mut client, "1").await;
}

#[tokio::test]
async fn the_frame_limit_is_configurable() {
    let app = spawn_app_with(|c| c.max_frame_bytes = 2048).await;
    let (mut client, _) = app.hello(&["en"]).await;
    client
        .send(json!({"type": "message", "id": "1", "text": "b".repeat(3000)}))
        .await;
    client.expect_error("too_large").await;
    still_answers(&mut client, "2").await;
}

#[tokio::test]
async fn frames_far_over_the_limit_close_the_socket_with_1009() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let huge = "c".repeat(2 << 20);
    let _ = client.ws.send(Message::text(huge)).await;
    let code = client.closed().await;
    assert!(matches!(code, Some(1009) | None), "{code:?}");
    healthy(&app).await;
}

#[tokio::test]
async fn message_texts_over_the_length_limit_get_too_large() {
    let app = spawn_app_with(|c| c.max_text_chars = 50).await;
    let (mut client, _) = app.hello(&["en"]).await;
    client
        .send(json!({"type": "message", "id": "1", "text": "é".repeat(51)}))
        .await;
    client.expect_error("too_large").await;
    still_answers(&mut client, "2").await;
}

#[tokio::test]
async fn invalid_utf8_closes_with_1007() {
    let app = spawn_app().await;
    let (mut client, _) = app.hello(&["en"]).await;
    let frame = Frame::message(vec![0xC3u8, 0x28, 0xFF], OpCode::Data(Data::Text), true);
    client.ws.send(Message::Frame(frame)).await.unwrap();
    let code = client.closed().await;
    assert!(matches!(code, Some(1007) | None), "{code:?}");
    healthy(&app).await;
}

#[tokio::test]
async fn a_client_that_never_says_hello_is_closed() {
    let app = spawn_app_with(|c| c.hello_timeout_s = 1).await;
    let mut client = app.connect().await;
    client.expect_error("bad_frame").await;
    assert_eq!(client.closed().await, Some(1008));
}

#[tokio::test]
async fn disallowed_origins_are_refused_at_the_handshake() {
    let app =
        spawn_app_with(|c| c.allowed_origins = Some(vec!["https://shop.example".into()])).await;
    let request = |origin: &str| {
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                app.ws_url(),
            )
            .unwrap();
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        request
    };
    let refused = tokio_tungstenite::connect_async(request("https://shop.example.evil.test")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected 403, got {other:?}"),
    }
    let allowed = tokio_tungstenite::connect_async(request("https://shop.example")).await;
    assert!(allowed.is_ok());
}

use futures_util::SinkExt;

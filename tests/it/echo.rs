//! The opt-in echo route (`/v1/echo`, for the Autobahn conformance run) and the WebSocket
//! behaviour it shares with `/v1/chat`: closing handshake, close codes, size caps.

use futures_util::SinkExt;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::{spawn_app, spawn_app_with, Client, TestApp};

async fn echo_app() -> TestApp {
    spawn_app_with(|c| c.echo_route = true).await
}

async fn echo_client(app: &TestApp) -> Client {
    Client::connect(&format!("ws://{}/v1/echo", app.addr)).await
}

#[tokio::test]
async fn the_echo_route_is_off_by_default() {
    let app = spawn_app().await;
    let url = format!("ws://{}/v1/echo", app.addr);
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 404)
        }
        other => panic!("expected 404, got {other:?}"),
    }
}

#[tokio::test]
async fn the_echo_route_sends_back_text_and_binary_as_they_came() {
    let app = echo_app().await;
    let mut client = echo_client(&app).await;
    client.ws.send(Message::text("héllo ✓")).await.unwrap();
    assert_eq!(client.next_message().await, Some(Message::text("héllo ✓")));
    client
        .ws
        .send(Message::binary(vec![0u8, 159, 255]))
        .await
        .unwrap();
    assert_eq!(
        client.next_message().await,
        Some(Message::binary(vec![0u8, 159, 255]))
    );
    // A fragmented text message comes back whole.
    for (i, part) in ["frag", "men", "ted"].iter().enumerate() {
        let opcode = if i == 0 {
            OpCode::Data(Data::Text)
        } else {
            OpCode::Data(Data::Continue)
        };
        let frame = Frame::message(part.as_bytes().to_vec(), opcode, i == 2);
        client.ws.send(Message::Frame(frame)).await.unwrap();
    }
    assert_eq!(
        client.next_message().await,
        Some(Message::text("fragmented"))
    );
}

#[tokio::test]
async fn a_ping_gets_its_pong() {
    let app = echo_app().await;
    let mut client = echo_client(&app).await;
    client
        .ws
        .send(Message::Ping("are you there".into()))
        .await
        .unwrap();
    let pong = client.next_raw().await;
    assert_eq!(
        pong.unwrap().unwrap(),
        Message::Pong("are you there".into())
    );
}

/// RFC 6455 §5.5.1: a close is answered with a close, on every route. (The gateway used to
/// drop the socket without the reply: Autobahn rated 127 cases "UNCLEAN".)
#[tokio::test]
async fn a_close_from_the_client_is_answered_with_a_close() {
    let app = echo_app().await;
    let mut echo = echo_client(&app).await;
    let (mut chat, _) = app.hello(&["en"]).await;
    let mut agent_side = Client::connect(&format!("ws://{}/v1/agent", app.addr)).await;
    for client in [&mut echo, &mut chat, &mut agent_side] {
        client.ws.close(None).await.unwrap();
        let reply = client.next_raw().await;
        assert!(
            matches!(reply, Some(Ok(Message::Close(_)))),
            "expected a close frame, got {reply:?}"
        );
    }
}

#[tokio::test]
async fn protocol_violations_close_with_1002() {
    let app = echo_app().await;
    let reserved_bit = {
        let mut frame = Frame::message(b"x".to_vec(), OpCode::Data(Data::Text), true);
        frame.header_mut().rsv1 = true;
        frame
    };
    let stray_continuation = Frame::message(b"x".to_vec(), OpCode::Data(Data::Continue), true);
    let reserved_opcode = Frame::message(b"x".to_vec(), OpCode::Data(Data::Reserved(3)), true);
    for frame in [reserved_bit, stray_continuation, reserved_opcode] {
        let described = format!("{frame:?}");
        let mut client = echo_client(&app).await;
        client.ws.send(Message::Frame(frame)).await.unwrap();
        assert_eq!(client.closed().await, Some(1002), "{described}");
    }
    // The chat route shares the socket: the same violation, the same code.
    let (mut chat, _) = app.hello(&["en"]).await;
    let mut frame = Frame::message(b"x".to_vec(), OpCode::Data(Data::Text), true);
    frame.header_mut().rsv2 = true;
    chat.ws.send(Message::Frame(frame)).await.unwrap();
    assert_eq!(chat.closed().await, Some(1002));
}

#[tokio::test]
async fn invalid_utf8_closes_the_echo_with_1007() {
    let app = echo_app().await;
    let mut client = echo_client(&app).await;
    let frame = Frame::message(
        vec![0xCEu8, 0xBA, 0xE1, 0xBD],
        OpCode::Data(Data::Text),
        true,
    );
    client.ws.send(Message::Frame(frame)).await.unwrap();
    assert_eq!(client.closed().await, Some(1007));
}

#[tokio::test]
async fn the_echo_has_the_same_hard_size_cap_as_the_chat() {
    // max_frame_bytes 64 KiB: the hard cap is 1 MiB (socket::hard_frame_cap).
    let app = echo_app().await;
    let mut client = echo_client(&app).await;
    let at_cap = "a".repeat(1 << 20);
    client.ws.send(Message::text(at_cap.clone())).await.unwrap();
    assert_eq!(client.next_message().await, Some(Message::text(at_cap)));
    let _ = client
        .ws
        .send(Message::text("b".repeat((1 << 20) + 1)))
        .await;
    assert_eq!(client.closed().await, Some(1009));
}

#[tokio::test]
async fn the_echo_checks_origins_like_the_chat() {
    let app = spawn_app_with(|c| {
        c.echo_route = true;
        c.allowed_origins = Some(vec!["https://shop.example".into()]);
    })
    .await;
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}/v1/echo",
            app.addr
        ))
        .unwrap();
    request
        .headers_mut()
        .insert("origin", "https://evil.test".parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected 403, got {other:?}"),
    }
}

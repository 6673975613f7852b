//! The bare reference server: the same stack as the gateway (axum on a default multi-thread
//! tokio runtime, the same WebSocket settings, the same frame codec in `protocol`) speaking the
//! minimal customer protocol — `hello` → `welcome`, `message` → `ack` + a bot `message` with
//! `in_reply_to` — with no logic at all: no sessions, detection, matching or templates. What
//! it sustains is the limit of our stack on a machine; the gateway's figures are quoted as a
//! ratio to it.

use std::net::SocketAddr;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tokio::net::TcpListener;

use switchboard::config::Config;
use switchboard::ids::random_hex;
use switchboard::protocol::{
    now_rfc3339, parse_client_frame, BotFields, ClientFrame, ErrorCode, From, MessageEvent,
    ServerFrame, Visible,
};
use switchboard::transport::configure_websocket;
use switchboard::transport::no_delay;

/// The bot text of every reply: as long as a typical demo answer.
pub const REPLY: &str = "Standard delivery takes 2 to 4 working days and costs 4.95 €; orders over 50 € ship free. You can follow your parcel from the link in your confirmation e-mail.";

/// Serves `/v1/chat` on `listener` until the process ends.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    let router = Router::new().route("/v1/chat", get(chat));
    axum::serve(
        no_delay(listener),
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

async fn chat(upgrade: WebSocketUpgrade) -> Response {
    configure_websocket(upgrade, Config::default().max_frame_bytes).on_upgrade(converse)
}

async fn send(socket: &mut WebSocket, frame: &ServerFrame) -> bool {
    socket
        .send(Message::Text(frame.encode().into()))
        .await
        .is_ok()
}

async fn converse(mut socket: WebSocket) {
    let mut seq = 0u64;
    while let Some(Ok(message)) = socket.recv().await {
        let Message::Text(text) = message else {
            if matches!(message, Message::Close(_)) {
                return;
            }
            continue;
        };
        let sent = match parse_client_frame(&text) {
            Ok(ClientFrame::Hello { .. }) => {
                let welcome = ServerFrame::Welcome {
                    session: random_hex(16),
                    token: random_hex(32),
                    locale: "en".into(),
                    resumed: false,
                    last_seq: seq,
                };
                send(&mut socket, &welcome).await
            }
            Ok(ClientFrame::Message { id, .. }) => {
                seq += 1;
                let ack = ServerFrame::Ack {
                    id: id.clone(),
                    seq,
                };
                seq += 1;
                let reply = ServerFrame::Visible(Visible::Message(MessageEvent {
                    seq,
                    from: From::Bot,
                    text: REPLY.into(),
                    locale: "en".into(),
                    at: now_rfc3339(),
                    bot: Some(BotFields {
                        in_reply_to: Some(id),
                        intent: None,
                        confidence: 0.0,
                        suggestions: Vec::new(),
                        content_version: String::new(),
                    }),
                    agent: None,
                }));
                send(&mut socket, &ack).await && send(&mut socket, &reply).await
            }
            Ok(_) => true,
            Err(e) => {
                send(
                    &mut socket,
                    &ServerFrame::error(ErrorCode::BadFrame, e.to_string()),
                )
                .await
            }
        };
        if !sent {
            return;
        }
    }
}

//! `GET /v1/echo`, opt-in (`echo_route`, `SWITCHBOARD_ECHO_ROUTE`): every text or binary
//! message is sent back as it came. It exists so that a WebSocket conformance suite
//! (Autobahn|Testsuite, `scripts/autobahn.sh`) can drive the same stack as `/v1/chat`: the same
//! admission (origin, per-address rate, connection cap), upgrade, size caps, send queue,
//! error-to-close-code mapping and closing handshake ([`crate::transport::socket`]). It touches no
//! session, content or queue.

use std::net::SocketAddr;

use axum::extract::ws::{Message, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::protocol::close;
use crate::state::AppState;
use crate::transport::socket::{End, Socket};

pub async fn echo(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    match super::admit(&state, peer, &headers) {
        Ok(permit) => state.accept(upgrade, Some(permit), run),
        Err(refusal) => *refusal,
    }
}

async fn run(state: AppState, mut socket: Socket) {
    let end = loop {
        let message = tokio::select! {
            message = socket.next_data() => message,
            _ = state.shutdown.cancelled() => Err(End::Close(close::RESTART, "restarting")),
        };
        let sent = match message {
            Ok(message @ (Message::Text(_) | Message::Binary(_))) => socket.send(message).await,
            Ok(_) => Ok(()),
            Err(end) => Err(end),
        };
        if let Err(end) = sent {
            break end;
        }
    };
    socket.finish(end).await;
}

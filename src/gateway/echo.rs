//! `GET /v1/echo`, opt-in (`echo_route`, `SWITCHBOARD_ECHO_ROUTE`): every text or binary
//! message is sent back as it came. It exists so that a WebSocket conformance suite
//! (Autobahn|Testsuite, `scripts/autobahn.sh`) can drive the same stack as `/v1/chat`: the same
//! origin check, upgrade, size caps, error-to-close-code mapping and closing handshake
//! ([`super::socket`]). It touches no session, content or queue.

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::socket::{self, End, Socket};
use crate::app::AppState;

pub async fn echo(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !super::origin_allowed(state.config.allowed_origins.as_deref(), &headers) {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    socket::accept(state, upgrade, run)
}

async fn run(state: AppState, socket: WebSocket) {
    let mut socket = Socket(socket);
    let end = loop {
        let message = tokio::select! {
            message = socket.next_data() => message,
            _ = state.shutdown.cancelled() => Err(End::Close(1012, "restarting")),
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
    if let End::Close(code, reason) = end {
        socket.close(code, reason).await;
    }
}

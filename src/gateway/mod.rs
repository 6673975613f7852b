//! The customer channel, `GET /v1/chat`: the WebSocket upgrade (origin check, size limits) and
//! one task per connection that runs the conversation of protocol §1.

mod connection;
mod echo;

pub use echo::echo;

use std::net::SocketAddr;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use tokio::sync::OwnedSemaphorePermit;

use crate::state::AppState;

/// Exact match of the `Origin` header against the allowed list. No header (a non-browser
/// client) is allowed: origins protect browsers' users, not the gateway.
pub fn origin_allowed(allowed: Option<&[String]>, headers: &HeaderMap) -> bool {
    let Some(allowed) = allowed else { return true };
    match headers.get(axum::http::header::ORIGIN) {
        None => true,
        Some(origin) => origin
            .to_str()
            .is_ok_and(|o| allowed.iter().any(|a| a.eq_ignore_ascii_case(o))),
    }
}

/// `GET /v1/chat`: refused with 403 from a page of another origin, 429 when the client's
/// address opens connections too fast, 503 when the node holds all the connections it may.
pub async fn chat(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    match admit(&state, peer, &headers) {
        Ok(permit) => state.accept(upgrade, Some(permit), connection::run),
        Err(refusal) => *refusal,
    }
}

/// The checks of every customer-facing WebSocket before its upgrade: the origin, the client
/// address's rate of new connections, and a place among the connections allowed at once.
fn admit(
    state: &AppState,
    peer: SocketAddr,
    headers: &HeaderMap,
) -> Result<OwnedSemaphorePermit, Box<Response>> {
    if !origin_allowed(state.config.allowed_origins.as_deref(), headers) {
        metrics::counter!(crate::telemetry::CONNECTIONS_REFUSED, "reason" => "origin").increment(1);
        return Err(Box::new(
            (StatusCode::FORBIDDEN, "origin not allowed").into_response(),
        ));
    }
    let refuse = |refusal: crate::transport::limits::Refusal| Box::new(refusal.into_response());
    state
        .admission
        .check_address(peer, headers)
        .map_err(refuse)?;
    state.admission.place().map_err(refuse)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_origin(origin: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(axum::http::header::ORIGIN, origin.parse().unwrap());
        h
    }

    #[test]
    fn origins_match_exactly() {
        let allowed = vec!["https://shop.example".to_string()];
        let allowed = Some(allowed.as_slice());
        assert!(origin_allowed(
            allowed,
            &with_origin("https://shop.example")
        ));
        assert!(!origin_allowed(
            allowed,
            &with_origin("https://shop.example.evil.test")
        ));
        assert!(!origin_allowed(
            allowed,
            &with_origin("https://evil.test/https://shop.example")
        ));
        assert!(!origin_allowed(
            allowed,
            &with_origin("http://shop.example")
        ));
        assert!(origin_allowed(allowed, &HeaderMap::new()));
        assert!(origin_allowed(None, &with_origin("https://anything.test")));
    }
}

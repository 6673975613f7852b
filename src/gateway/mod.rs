//! The customer channel, `GET /v1/chat`: the WebSocket upgrade (origin check, size limits) and
//! one task per connection that runs the conversation of protocol §1.

mod connection;
mod hub;
pub(crate) mod socket;

pub use hub::Hub;
pub use socket::{configure as configure_websocket, READ_BUFFER_BYTES};

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;

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

pub async fn chat(
    State(state): State<AppState>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if !origin_allowed(state.config.allowed_origins.as_deref(), &headers) {
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    socket::accept(state, upgrade, connection::run)
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

//! What operators look at: `/healthz`, `/readyz`, `/metrics` (names in [`crate::telemetry`]),
//! and the admin endpoint that reloads content.

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use crate::state::AppState;

pub async fn healthz() -> &'static str {
    "ok"
}

/// `/readyz?degraded=ok`: also 200 (status `degraded`) while the shared Redis is away — the
/// node still answers bot questions, so a load balancer that takes every node out when the
/// shared Redis fails (all nodes at once) should use this form.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReadyQuery {
    degraded: Option<String>,
}

pub async fn readyz(
    State(state): State<AppState>,
    Query(query): Query<ReadyQuery>,
    headers: HeaderMap,
) -> impl IntoResponse {
    let content = state.content.load();
    let store = state.sessions.ping().await;
    let queue = state.handoff.ping().await;
    let shared_ok = store.is_ok() && queue.is_ok();
    let degraded_ok = query.degraded.as_deref() == Some("ok");
    // Anyone may ask (load balancers, probes): they learn whether and, in a word, why not.
    // The errors (Redis addresses) and the content's problems (file paths) are the admin's.
    let admin = state.is_admin(&headers);
    let why = |e: String| if admin { e } else { "unavailable".to_string() };
    let mut body = serde_json::json!({
        "status": match (shared_ok, degraded_ok) {
            (true, _) => "ready",
            (false, true) => "degraded",
            (false, false) => "not_ready",
        },
        "content_version": content.version,
        "locales": content.locales.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
        "sessions": match &store { Ok(()) => "ok".to_string(), Err(e) => why(e.to_string()) },
        "handoff_queue": match &queue { Ok(()) => state.handoff.kind().to_string(), Err(e) => why(e.to_string()) },
        "content_reloads": state.reloader.attempts(),
    });
    if admin {
        body["warnings"] = content.warnings.iter().map(|w| w.to_string()).collect();
        // Newer files that failed to load: the content above keeps serving until they are fixed.
        body["content_errors"] = state
            .reloader
            .errors()
            .iter()
            .map(|e| e.to_string())
            .collect();
    }
    let status = if shared_ok || degraded_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

/// The URL `switchboard probe` checks by default: `/healthz` on the configured listen address
/// (an unspecified address, like `0.0.0.0`, probed on loopback).
pub fn default_probe_url(listen: std::net::SocketAddr) -> String {
    let mut addr = listen;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    format!("http://{addr}/healthz")
}

/// `GET url` (plain `http://host:port/path`) within `timeout`: the status code, or why there
/// is none. What a container health check runs where there is no curl.
pub async fn probe(url: &str, timeout: std::time::Duration) -> Result<u16, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs can be probed"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let target = if authority
        .rsplit_once(':')
        .is_some_and(|(_, p)| !p.ends_with(']'))
    {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(&target)
            .await
            .map_err(|e| format!("{url}: cannot connect: {e}"))?;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| format!("{url}: {e}"))?;
        let mut head = Vec::new();
        let mut buf = [0u8; 256];
        while !head.contains(&b'\n') {
            let n = stream
                .read(&mut buf)
                .await
                .map_err(|e| format!("{url}: {e}"))?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let line = String::from_utf8_lossy(&head);
        line.split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .filter(|_| line.starts_with("HTTP/"))
            .ok_or_else(|| format!("{url}: not an HTTP answer"))
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("{url}: no answer within {timeout:?}"))?
}

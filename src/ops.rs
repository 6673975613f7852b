//! What operators look at: `/healthz`, `/readyz`, `/metrics`, and the names of the metrics.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::app::AppState;

pub const CONNECTIONS_ACTIVE: &str = "switchboard_connections_active";
pub const CUSTOMER_MESSAGES: &str = "switchboard_customer_messages_total";
pub const BOT_REPLIES: &str = "switchboard_bot_replies_total";
pub const FALLBACKS: &str = "switchboard_fallbacks_total";
pub const REPLY_SECONDS: &str = "switchboard_reply_duration_seconds";
pub const FRAME_ERRORS: &str = "switchboard_frame_errors_total";
pub const SESSIONS_EXPIRED: &str = "switchboard_sessions_expired_total";
pub const HANDOFFS: &str = "switchboard_handoffs_total";
pub const HANDOFF_WAIT_SECONDS: &str = "switchboard_handoff_time_to_assign_seconds";
pub const HANDOFFS_ABANDONED: &str = "switchboard_handoffs_abandoned_total";
pub const HANDOFF_WAITING: &str = "switchboard_handoff_waiting";
pub const AGENTS_CONNECTED: &str = "switchboard_agents_connected";
/// Handshakes refused, by `reason`: `origin`, `rate` (per address), `capacity`.
pub const CONNECTIONS_REFUSED: &str = "switchboard_connections_refused_total";
/// Sessions erased on an operator's request.
pub const SESSIONS_ERASED: &str = "switchboard_sessions_erased_total";
/// Frames refused with `rate_limited`.
pub const FRAMES_RATE_LIMITED: &str = "switchboard_frames_rate_limited_total";
/// Connections the gateway closed, by `reason`: `abuse`, `stalled` (does not read),
/// `unresponsive` (no pong).
pub const CONNECTIONS_CLOSED: &str = "switchboard_connections_closed_total";
/// Failed Redis commands and scripts, by topology (`mode`): the shared store is away or
/// failing over.
pub const REDIS_ERRORS: &str = "switchboard_redis_errors_total";

/// Counts one bot answer: the customer message (by locale), the reply (by locale and
/// intent, `fallback` without one), the fallback, and the time the turn took. The labelled
/// handles are looked up once per thread and kept, so an answer costs no label strings and
/// no registry lookup (and no lock shared between threads).
pub fn record_reply(locale: &str, intent: Option<&str>, elapsed: std::time::Duration) {
    struct ByLocale {
        messages: metrics::Counter,
        fallbacks: metrics::Counter,
        replies: HashMap<String, metrics::Counter>,
    }
    thread_local! {
        static BY_LOCALE: RefCell<HashMap<String, ByLocale>> = RefCell::new(HashMap::new());
        static REPLY_TIME: metrics::Histogram = {
            // Handles made before the recorder is installed would count nowhere, for good.
            metrics_handle();
            metrics::histogram!(REPLY_SECONDS)
        };
    }
    BY_LOCALE.with_borrow_mut(|by_locale| {
        if !by_locale.contains_key(locale) {
            metrics_handle();
            let counters = ByLocale {
                messages: metrics::counter!(CUSTOMER_MESSAGES, "locale" => locale.to_string()),
                fallbacks: metrics::counter!(FALLBACKS, "locale" => locale.to_string()),
                replies: HashMap::new(),
            };
            by_locale.insert(locale.to_string(), counters);
        }
        let Some(counters) = by_locale.get_mut(locale) else {
            return;
        };
        counters.messages.increment(1);
        if intent.is_none() {
            counters.fallbacks.increment(1);
        }
        let intent = intent.unwrap_or("fallback");
        match counters.replies.get(intent) {
            Some(replies) => replies.increment(1),
            None => {
                let replies = metrics::counter!(
                    BOT_REPLIES,
                    "locale" => locale.to_string(),
                    "intent" => intent.to_string()
                );
                replies.increment(1);
                counters.replies.insert(intent.to_string(), replies);
            }
        }
    });
    REPLY_TIME.with(|h| h.record(elapsed.as_secs_f64()));
}

/// The process-wide Prometheus recorder (installed once, shared by every app in a process).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full(REPLY_SECONDS.to_string()),
                    &[
                        0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025,
                        0.05, 0.1, 0.25,
                    ],
                )
                .expect("bucket list is not empty")
                // Buckets (not a per-node summary) so that dashboards can add nodes up.
                .set_buckets_for_metric(
                    Matcher::Full(HANDOFF_WAIT_SECONDS.to_string()),
                    &[
                        1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0, 1800.0, 3600.0,
                    ],
                )
                .expect("bucket list is not empty");
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a host process); then ours renders
            // nothing, which /metrics makes visible rather than crashing.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

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
) -> impl IntoResponse {
    let content = state.content.load();
    let store = state.sessions.ping().await;
    let queue = state.handoff.ping().await;
    let shared_ok = store.is_ok() && queue.is_ok();
    let degraded_ok = query.degraded.as_deref() == Some("ok");
    let body = serde_json::json!({
        "status": match (shared_ok, degraded_ok) {
            (true, _) => "ready",
            (false, true) => "degraded",
            (false, false) => "not_ready",
        },
        "content_version": content.version,
        "locales": content.locales.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
        "sessions": match &store { Ok(()) => "ok".to_string(), Err(e) => e.to_string() },
        "handoff_queue": match &queue { Ok(()) => state.handoff.kind().to_string(), Err(e) => e.to_string() },
        "warnings": content.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
        // Newer files that failed to load: the content above keeps serving until they are fixed.
        "content_errors": state.reloader.errors().iter().map(|e| e.to_string()).collect::<Vec<_>>(),
        "content_reloads": state.reloader.attempts(),
    });
    let status = if shared_ok || degraded_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// Why an admin request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminRefusal {
    /// No admin token is configured: 403.
    Disabled,
    /// No bearer token, or the wrong one: 401.
    Unauthorized,
}

impl IntoResponse for AdminRefusal {
    fn into_response(self) -> Response {
        match self {
            AdminRefusal::Disabled => (
                StatusCode::FORBIDDEN,
                Json(
                    serde_json::json!({"error": "admin routes are disabled: set SWITCHBOARD_ADMIN_TOKEN"}),
                ),
            )
                .into_response(),
            AdminRefusal::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                Json(serde_json::json!({"error": "missing or wrong bearer token"})),
            )
                .into_response(),
        }
    }
}

/// The admin bearer token check of every `/v1/admin/*` route: `Authorization: Bearer <token>`
/// compared in constant time with the configured admin token.
pub fn admin_authorized(state: &AppState, headers: &HeaderMap) -> Result<(), AdminRefusal> {
    let Some(expected) = &state.config.admin_token else {
        return Err(AdminRefusal::Disabled);
    };
    let presented = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !expected.matches(presented) {
        tracing::warn!("admin request refused: missing or wrong bearer token");
        return Err(AdminRefusal::Unauthorized);
    }
    Ok(())
}

/// `POST /v1/admin/reload` with `Authorization: Bearer <admin token>`.
pub async fn reload(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = admin_authorized(&state, &headers) {
        return refused.into_response();
    }
    match state.reloader.reload().await {
        Ok(summary) => (StatusCode::OK, Json(serde_json::json!(summary))).into_response(),
        Err(problems) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({
                "error": "the content has errors; the previous content keeps serving",
                "problems": problems,
            })),
        )
            .into_response(),
    }
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

//! The names of the gateway's metrics and the process-wide Prometheus recorder they go to.
//! At the bottom of the crate: storage, hand-off and connections count here; `ops` serves
//! `/metrics` from the same recorder.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

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

//! The one [`AppState`] every handler and connection shares, and how it is built from a
//! [`Config`] and loaded [`Content`]: the session store and hand-off backend (Redis or memory),
//! the desk, the reloader, the connection registries and admission.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::OwnedSemaphorePermit;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::content::{Content, Problem, Reloader};
use crate::desk::Desk;
use crate::handoff::{HandoffBackend, MemoryBackend, RedisBackend};
use crate::ids::{AgentId, SessionId};
use crate::redis_link::RedisLink;
use crate::session::{Fallback, MemoryStore, RedisStore, SessionStore};
use crate::telemetry;
use crate::transport::socket::Socket;
use crate::transport::{self, Admission, Hub};

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// What each WebSocket of either channel is allowed (from `config`).
    pub socket: transport::Settings,
    /// The content answers come from; a reload swaps it whole.
    pub content: Arc<ArcSwap<Content>>,
    pub sessions: Arc<dyn SessionStore>,
    /// Queues, ownership, presence and cross-node notes of hand-offs.
    pub handoff: Arc<dyn HandoffBackend>,
    /// Decides hand-offs and tells customers where they stand.
    pub desk: Arc<Desk>,
    /// Which customer connection of this node holds which session.
    pub hub: Arc<Hub<SessionId>>,
    /// Which agent connection of this node holds which agent.
    pub agent_hub: Arc<Hub<AgentId>>,
    pub metrics: PrometheusHandle,
    /// Fires when the process should stop.
    pub shutdown: CancellationToken,
    /// Every live WebSocket connection, so shutdown can wait for them.
    pub tasks: TaskTracker,
    /// Rebuilds and swaps the content (file watcher, admin endpoint).
    pub reloader: Arc<Reloader>,
    /// Connections at once and per client address (checked at the handshake).
    pub admission: Arc<Admission>,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the content in {root} has {} problem(s):\n{}", .problems.len(), format_problems(.problems))]
    Content {
        root: String,
        problems: Vec<Problem>,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("SWITCHBOARD_REDIS_URL is not a valid Redis URL list for its mode: {0}")]
    RedisUrl(String),
}

fn format_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| format!("  {p}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl AppState {
    /// The admin bearer token check of every `/v1/admin/*` route (a refusal is logged).
    pub fn admin_authorized(&self, headers: &HeaderMap) -> Result<(), AdminRefusal> {
        if self.config.admin_token.is_none() {
            return Err(AdminRefusal::Disabled);
        }
        if !self.is_admin(headers) {
            tracing::warn!("admin request refused: missing or wrong bearer token");
            return Err(AdminRefusal::Unauthorized);
        }
        Ok(())
    }

    /// Whether `headers` carry `Authorization: Bearer <token>` with the configured admin token,
    /// compared in constant time (false when none is configured).
    pub fn is_admin(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.config.admin_token else {
            return false;
        };
        let presented = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        expected.matches(presented)
    }

    /// Completes a WebSocket upgrade as a connection of this node: the socket settings, a task
    /// shutdown waits for, `permit` held until `run` ends.
    pub fn accept<F, Fut>(
        self,
        upgrade: WebSocketUpgrade,
        permit: Option<OwnedSemaphorePermit>,
        run: F,
    ) -> Response
    where
        F: FnOnce(AppState, Socket) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (settings, tasks) = (self.socket, self.tasks.clone());
        transport::socket::accept(settings, tasks, upgrade, permit, move |socket| {
            run(self, socket)
        })
    }

    /// Everything but the listener, from a validated configuration and loaded content. Redis
    /// (when configured) is connected lazily; only a malformed URL list fails here.
    pub fn new(
        config: Config,
        content: Content,
        shutdown: CancellationToken,
    ) -> Result<AppState, StartError> {
        let (sessions, handoff) = backends(&config, &shutdown)?;
        let content = Arc::new(ArcSwap::from_pointee(content));
        let desk = Arc::new(Desk::new(
            handoff.clone(),
            sessions.clone(),
            content.clone(),
            config.handoff_hours(),
            config.handoff_require_agent,
        ));
        let reloader = Arc::new(Reloader::new(
            &config.content,
            config.default_locale(),
            content.clone(),
        ));
        if config.watch_content {
            if let Err(e) = reloader.watch(shutdown.clone()) {
                tracing::warn!(error = %e, "content is not watched; reload with POST /v1/admin/reload");
            }
        }
        let admission = Arc::new(Admission::new(&config));
        let socket = transport::Settings::from(&config);
        Ok(AppState {
            reloader,
            sessions,
            handoff,
            desk,
            config: Arc::new(config),
            socket,
            content,
            hub: Arc::new(Hub::default()),
            agent_hub: Arc::new(Hub::default()),
            metrics: telemetry::metrics_handle(),
            shutdown,
            tasks: TaskTracker::new(),
            admission,
        })
    }
}

type Backends = (Arc<dyn SessionStore>, Arc<dyn HandoffBackend>);

/// The session store and hand-off backend: Redis when `SWITCHBOARD_REDIS_URL` is set (shared
/// by every node), else in memory. Redis is connected lazily: the gateway starts, answers bot
/// questions (conversations begun during an outage stay on this node), reports itself not
/// ready while Redis is away, and reconnects by itself.
fn backends(config: &Config, shutdown: &CancellationToken) -> Result<Backends, StartError> {
    if config.redis_url.is_none() {
        return Ok((
            Arc::new(MemoryStore::new(config.session_idle_timeout())),
            Arc::new(MemoryBackend::new()),
        ));
    }
    let link = RedisLink::new(
        config.redis_mode,
        &config.redis_urls(),
        &config.redis_sentinel_master,
    )
    .map_err(|e| StartError::RedisUrl(e.to_string()))?;
    tracing::info!(mode = %config.redis_mode, "sessions and hand-offs in Redis");
    Ok((
        Arc::new(Fallback::new(
            RedisStore::new(link.clone(), config.session_idle_timeout()),
            MemoryStore::new(config.session_idle_timeout()),
        )),
        Arc::new(RedisBackend::new(link, shutdown.clone())),
    ))
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

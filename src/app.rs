//! Builds the application from a [`Config`]: loads the content, binds the listener, wires the
//! router and the one [`AppState`]; runs until a cancellation token fires, then drains.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::routing::{get, post};
use axum::Router;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower_http::trace::TraceLayer;

use crate::agents;
use crate::config::Config;
use crate::content::{Content, Problem, Reloader};
use crate::gateway::{self, Hub};
use crate::handoff::{Desk, HandoffBackend, MemoryBackend, RedisBackend};
use crate::ops;
use crate::redis_link::RedisLink;
use crate::session::{Fallback, MemoryStore, RedisStore, SessionStore};

/// Everything a request handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    /// The content answers come from; a reload swaps it whole.
    pub content: Arc<ArcSwap<Content>>,
    pub sessions: Arc<dyn SessionStore>,
    /// Queues, ownership, presence and cross-node notes of hand-offs.
    pub handoff: Arc<dyn HandoffBackend>,
    /// Decides hand-offs and tells customers where they stand.
    pub desk: Arc<Desk>,
    /// Which customer connection of this node holds which session.
    pub hub: Arc<Hub>,
    /// Which agent connection of this node holds which agent.
    pub agent_hub: Arc<Hub>,
    pub metrics: PrometheusHandle,
    /// Fires when the process should stop.
    pub shutdown: CancellationToken,
    /// Every live WebSocket connection, so shutdown can wait for them.
    pub tasks: TaskTracker,
    /// Rebuilds and swaps the content (file watcher, admin endpoint).
    pub reloader: Arc<Reloader>,
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

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Loads and validates everything, then binds. Nothing listens if anything is wrong.
    pub async fn build(
        config: Config,
        shutdown: CancellationToken,
    ) -> Result<Application, StartError> {
        let content =
            Content::load(&config.content, &config.default_locale()).map_err(|problems| {
                StartError::Content {
                    root: config.content.display().to_string(),
                    problems,
                }
            })?;
        for warning in &content.warnings {
            tracing::warn!(%warning, "content warning");
        }
        tracing::info!(version = %content.version, locales = content.locales.len(), "content loaded");
        if config.agents.is_empty() {
            tracing::warn!("SWITCHBOARD_AGENTS is empty: no agent can sign in");
        }
        if config.allowed_origins.is_none() {
            tracing::warn!("SWITCHBOARD_ALLOWED_ORIGINS is unset: any web page may open /v1/chat");
        }
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?;
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
        let state = AppState {
            reloader,
            sessions,
            handoff,
            desk,
            config: Arc::new(config),
            content,
            hub: Arc::new(Hub::default()),
            agent_hub: Arc::new(Hub::default()),
            metrics: ops::metrics_handle(),
            shutdown,
            tasks: TaskTracker::new(),
        };
        let router = Router::new()
            .route("/v1/chat", get(gateway::chat))
            .route("/v1/agent", get(agents::agent))
            .route("/healthz", get(ops::healthz))
            .route("/readyz", get(ops::readyz))
            .route("/metrics", get(ops::metrics))
            .route("/v1/admin/reload", post(ops::reload))
            .layer(TraceLayer::new_for_http())
            .with_state(state.clone());
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until the shutdown token fires; then stops accepting, tells every connection to
    /// reconnect (close 1012) and waits up to the grace period for them to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Application {
            listener,
            router,
            state,
        } = self;
        let sweeper = tokio::spawn(sweep_sessions(state.clone()));
        let reaper = tokio::spawn(reap_agents(state.clone()));
        let shutdown = state.shutdown.clone();
        axum::serve(
            no_delay(listener),
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await?;
        state.tasks.close();
        let grace = Duration::from_secs(state.config.shutdown_grace_s);
        if tokio::time::timeout(grace, state.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                left = state.tasks.len(),
                "connections still open after the grace period"
            );
        }
        sweeper.abort();
        reaper.abort();
        Ok(())
    }
}

/// Frames go out as soon as they are written: with Nagle's algorithm a bot reply written right
/// after its `ack` would wait for the client's delayed ACK (up to 40 ms on Linux).
pub fn no_delay(listener: TcpListener) -> axum::serve::TapIo<TcpListener, fn(&mut TcpStream)> {
    use axum::serve::ListenerExt;
    fn set(tcp: &mut TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    }
    listener.tap_io(set as fn(&mut TcpStream))
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

/// Conversations of agents whose node died (no heartbeat) go back to the queue, and their
/// customers are told. Every node runs this; the backend makes each requeue happen once.
async fn reap_agents(state: AppState) {
    let every = Duration::from_secs(state.config.agent_reconnect_timeout_s.max(2) / 2);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
        match state.handoff.reap().await {
            Ok(tickets) => {
                for ticket in tickets {
                    tracing::info!(conversation = %ticket.conversation, "requeued: the agent's node stopped answering");
                    if let Err(e) = state
                        .desk
                        .requeued(&ticket.conversation, crate::content::HANDOFF_REQUEUED)
                        .await
                    {
                        tracing::warn!(error = %e, "could not tell a customer about the requeue");
                    }
                }
            }
            Err(e) => tracing::debug!(error = %e, "agent reaper skipped a round"),
        }
    }
}

async fn sweep_sessions(state: AppState) {
    let every = (state.config.session_idle_timeout() / 2)
        .clamp(Duration::from_secs(1), Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = tokio::time::sleep(every) => {
                let expired = state.sessions.expire_idle().await;
                if expired > 0 {
                    metrics::counter!(ops::SESSIONS_EXPIRED).increment(expired as u64);
                    tracing::debug!(expired, "idle sessions expired");
                }
            }
        }
    }
}

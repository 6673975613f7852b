//! The top of the crate: builds the application from a [`Config`] (loads the content, binds
//! the listener, makes the one [`AppState`]), wires the router of every channel and endpoint,
//! runs the background rounds (session expiry, the agent reaper) and, when a cancellation
//! token fires, drains.

use std::net::SocketAddr;
use std::time::Duration;

use axum::routing::{delete, get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::trace::{DefaultOnFailure, TraceLayer};

use crate::config::Config;
use crate::content::Content;
use crate::ids::Locale;
pub use crate::state::{AppState, StartError};
use crate::transport::no_delay;
use crate::{admin, agents, gateway, ops, telemetry, web};

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
        let state = AppState::new(config, content, shutdown)?;
        let mut router = Router::new();
        if state.config.echo_route {
            tracing::warn!("SWITCHBOARD_ECHO_ROUTE is on: /v1/echo echoes WebSocket messages (conformance testing only)");
            router = router.route("/v1/echo", get(gateway::echo));
        }
        let router = router
            .route("/v1/chat", get(gateway::chat))
            .route("/v1/agent", get(agents::agent))
            .route("/healthz", get(ops::healthz))
            .route("/readyz", get(ops::readyz))
            .route("/metrics", get(ops::metrics))
            .route("/v1/admin/reload", post(admin::reload))
            .route("/v1/admin/sessions/{session}", delete(admin::erase_session))
            .merge(web::routes())
            // A 5xx the gateway answers on purpose (a handshake past the connection cap, `/readyz`
            // while Redis is away) is counted and explained where it is decided; logged at ERROR
            // per response, a flood of refusals would bury what operators must see.
            .layer(
                TraceLayer::new_for_http()
                    .on_failure(DefaultOnFailure::new().level(tracing::Level::DEBUG)),
            )
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
        drop_orphans(&state).await;
    }
}

/// Hand-offs waiting for a session that no longer exists (it expired, idle, while queued) leave
/// the queue: nobody is there to talk to, and their ticket (with its preview) is not kept.
async fn drop_orphans(state: &AppState) {
    let locales: Vec<Locale> = state
        .content
        .load()
        .locales
        .iter()
        .map(Locale::from)
        .collect();
    let Ok(waiting) = state.handoff.waiting(&locales).await else {
        return;
    };
    for ticket in waiting {
        if let Ok(false) = state.sessions.exists(&ticket.conversation).await {
            tracing::info!(conversation = %ticket.conversation, "a queued hand-off whose session expired leaves the queue");
            if let Err(e) = state.handoff.cancel(&ticket.conversation).await {
                tracing::debug!(error = %e, "an orphaned hand-off stays for the next round");
            }
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
                state.admission.forget_idle();
                let expired = state.sessions.expire_idle().await;
                if expired > 0 {
                    metrics::counter!(telemetry::SESSIONS_EXPIRED).increment(expired as u64);
                    tracing::debug!(expired, "idle sessions expired");
                }
            }
        }
    }
}

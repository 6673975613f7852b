//! The admin endpoints, each behind `Authorization: Bearer <admin token>`:
//! `POST /v1/admin/reload` (content) and `DELETE /v1/admin/sessions/{session}`, which removes
//! everything kept about one session — transcript, state, hand-off ticket, queue place and
//! ownership — in memory or in Redis, after a customer's deletion request.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::handoff::{Note, Status, Topic};
use crate::ids::SessionId;
use crate::privacy::for_log;
use crate::session::StoreError;
use crate::state::AppState;
use crate::telemetry;

/// `POST /v1/admin/reload` with `Authorization: Bearer <admin token>`.
pub async fn reload(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(refused) = state.admin_authorized(&headers) {
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

/// What an erasure found and removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erased {
    pub session: SessionId,
    /// The transcript and state existed (and are gone).
    pub transcript: bool,
    /// Where the hand-off stood: `none`, `queued` or `assigned` (now none).
    pub handoff: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum EraseError {
    #[error("storage unavailable, nothing was confirmed erased; retry: {0}")]
    Unavailable(String),
}

/// Removes everything kept about `session`: its hand-off (an owning agent is told the
/// conversation is `released` with reason `erased`), its transcript and state; a connection
/// still holding it is told the session has expired and closed. Idempotent: erasing twice is
/// harmless, and a failed erasure can be retried.
pub async fn erase(state: &AppState, session: &SessionId) -> Result<Erased, EraseError> {
    let unavailable = |e: String| EraseError::Unavailable(e);
    let handoff = match state.handoff.status(session).await {
        Ok(Status::Bot) => "none",
        Ok(Status::Queued { .. }) => "queued",
        Ok(Status::Assigned { .. }) => "assigned",
        Err(e) => return Err(unavailable(e.to_string())),
    };
    if let Some(agent) = state
        .handoff
        .cancel(session)
        .await
        .map_err(|e| unavailable(e.to_string()))?
    {
        let note = Note::Released {
            conversation: session.clone(),
            reason: "erased".into(),
        };
        if let Err(e) = state.handoff.publish(Topic::Agent(agent.id), note).await {
            tracing::warn!(error = %e, "an agent was not told of an erased conversation");
        }
    }
    let transcript = match state.sessions.state(session).await {
        Ok(_) => true,
        Err(StoreError::NotFound) => false,
        Err(e) => return Err(unavailable(e.to_string())),
    };
    state
        .sessions
        .remove(session)
        .await
        .map_err(|e| unavailable(e.to_string()))?;
    // A connection holding the session re-reads it, finds it gone, and closes.
    if let Err(e) = state
        .handoff
        .publish(Topic::Customer(session.clone()), Note::Events)
        .await
    {
        tracing::warn!(error = %e, "a connection of an erased session was not told");
    }
    metrics::counter!(telemetry::SESSIONS_ERASED).increment(1);
    tracing::info!(session = %for_log(session.as_str()), transcript, handoff, "session erased on request");
    Ok(Erased {
        session: session.clone(),
        transcript,
        handoff,
    })
}

/// `DELETE /v1/admin/sessions/{session}` with `Authorization: Bearer <admin token>`: 200 with
/// what was erased, 404 when nothing was kept about that session, 400 for an id that cannot
/// be one, 503 when storage is unavailable (retry: erasing is idempotent).
pub async fn erase_session(
    State(state): State<AppState>,
    Path(session): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = state.admin_authorized(&headers) {
        return refused.into_response();
    }
    // Session ids are what the store generates: letters, digits, `-` and `_`.
    let Ok(session) = session.parse::<SessionId>() else {
        return (
            StatusCode::BAD_REQUEST,
            Json(serde_json::json!({"error": "not a session id"})),
        )
            .into_response();
    };
    match erase(&state, &session).await {
        Ok(erased) if !erased.transcript && erased.handoff == "none" => (
            StatusCode::NOT_FOUND,
            Json(serde_json::json!({"error": "nothing is kept about that session", "erased": erased})),
        )
            .into_response(),
        Ok(erased) => (StatusCode::OK, Json(serde_json::json!({"erased": erased}))).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "erasure failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"error": e.to_string()})),
            )
                .into_response()
        }
    }
}

//! The agent channel, `GET /v1/agent` (protocol §2): authentication, readiness by language,
//! the queue, taking conversations, live messages both ways, transfer and resolve.
//!
//! Agents only ever see the conversations they own: every frame naming a conversation is
//! checked against the owner the hand-off backend records.

mod connection;

use std::net::SocketAddr;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::config::AgentCredential;
use crate::handoff::AgentRef;
use crate::ids::AgentId;
use crate::state::AppState;

/// Finds the agent whose token this is. Every configured token is compared, in constant time,
/// whatever matches: the time taken tells nothing about the tokens. An agent is known by their
/// name (which the configuration's validation checks is an [`AgentId`]).
pub fn authenticate(agents: &[AgentCredential], token: &str) -> Option<AgentRef> {
    let mut found = None;
    for agent in agents {
        if agent.token.matches(token) && found.is_none() {
            found = agent.name.parse::<AgentId>().ok().map(|id| AgentRef {
                id,
                name: agent.name.clone(),
            });
        }
    }
    found
}

/// `GET /v1/agent`: the token comes in the first frame; the handshake is only limited per
/// client address (agents do not take places among customers' connections).
pub async fn agent(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Err(refusal) = state.admission.check_address(peer, &headers) {
        return refusal.into_response();
    }
    state.accept(upgrade, None, connection::run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn tokens_identify_their_agent_only() {
        let agents = vec![
            AgentCredential {
                name: "Ana".into(),
                token: Secret::new("t-ana"),
            },
            AgentCredential {
                name: "Bo".into(),
                token: Secret::new("t-bo"),
            },
        ];
        assert_eq!(
            authenticate(&agents, "t-bo").map(|a| a.name),
            Some("Bo".into())
        );
        assert_eq!(authenticate(&agents, "t-b"), None);
        assert_eq!(authenticate(&agents, ""), None);
        assert_eq!(authenticate(&[], "t-ana"), None);
    }
}

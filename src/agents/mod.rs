//! The agent channel, `GET /v1/agent` (protocol §2): authentication, readiness by language,
//! the queue, taking conversations, live messages both ways, transfer and resolve.
//!
//! Agents only ever see the conversations they own: every frame naming a conversation is
//! checked against the owner the hand-off backend records.

mod connection;

use axum::extract::ws::WebSocketUpgrade;
use axum::extract::State;
use axum::response::Response;
use subtle::ConstantTimeEq;

use crate::app::AppState;
use crate::config::AgentCredential;
use crate::handoff::AgentRef;

/// Finds the agent whose token this is. Every configured token is compared, in constant time,
/// whatever matches: the time taken tells nothing about the tokens.
pub fn authenticate(agents: &[AgentCredential], token: &str) -> Option<AgentRef> {
    let mut found = None;
    for agent in agents {
        let same: bool = agent
            .token
            .expose()
            .as_bytes()
            .ct_eq(token.as_bytes())
            .into();
        if same && found.is_none() {
            found = Some(AgentRef {
                id: agent.name.clone(),
                name: agent.name.clone(),
            });
        }
    }
    found
}

pub async fn agent(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    crate::gateway::socket::accept(state, upgrade, connection::run)
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

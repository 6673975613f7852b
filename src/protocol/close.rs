//! The WebSocket close codes the gateway ends a connection with, on every channel (RFC 6455
//! §7.4 and the private range 4000–4999). The reason sent with each is written where the
//! connection is closed. Clients act on these numbers (the widget and the console on 4001 and
//! 4002, `web/`), so they never change.

/// 1000: the conversation ended normally — the customer sent `close`, or the session expired
/// (`error` `session_expired` first; protocol §1).
pub const NORMAL: u16 = 1000;

/// 1002: the peer broke the WebSocket protocol (reserved bits or opcodes, bad fragmentation,
/// oversized control frames, invalid close codes), RFC 6455 §7.4.1.
pub const PROTOCOL_ERROR: u16 = 1002;

/// 1007: a text frame (or a close reason) that is not UTF-8 (protocol §1: "Invalid UTF-8 in a
/// text frame closes the connection (1007), as RFC 6455 requires").
pub const INVALID_PAYLOAD: u16 = 1007;

/// 1008: a policy was broken — the first frame was not `hello` (protocol §1) or not a valid
/// `auth` in time (§2), or a connection kept flooding after `rate_limited`.
pub const POLICY: u16 = 1008;

/// 1009: a frame over the hard size cap (protocol §1: "the gateway may then close with
/// 1009").
pub const TOO_BIG: u16 = 1009;

/// 1011: the gateway cannot go on — the session store is unavailable (after `error`
/// `internal`).
pub const INTERNAL_ERROR: u16 = 1011;

/// 1012: the node is shutting down; reconnect (and resume) elsewhere.
pub const RESTART: u16 = 1012;

/// 4001: taken over — the session was resumed on another connection (protocol §1: "the older
/// connection of that session is closed"), or the agent signed in on another connection (§2).
pub const TAKEN_OVER: u16 = 4001;

/// 4002: the session was idle for `session_idle_timeout_s` and has ended.
pub const IDLE: u16 = 4002;

/// 4003: the peer answered no ping within `pong_timeout_s`.
pub const UNRESPONSIVE: u16 = 4003;

#[cfg(test)]
mod tests {
    /// The numbers clients act on; a change here breaks them.
    #[test]
    fn the_codes_are_the_contracts() {
        assert_eq!(
            [
                super::NORMAL,
                super::PROTOCOL_ERROR,
                super::INVALID_PAYLOAD,
                super::POLICY,
                super::TOO_BIG,
                super::INTERNAL_ERROR,
                super::RESTART,
                super::TAKEN_OVER,
                super::IDLE,
                super::UNRESPONSIVE,
            ],
            [1000, 1002, 1007, 1008, 1009, 1011, 1012, 4001, 4002, 4003]
        );
    }
}

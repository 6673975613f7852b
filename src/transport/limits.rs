//! What keeps one client from starving the others: at the handshake, a cap on connections at
//! once (a semaphore: 503 past it) and on new connections per client address a minute (429);
//! on a connection, a token bucket of frames (`rate_limited`), and a close when refusals keep
//! coming faster than they are forgiven.
//!
//! Token buckets are `governor`'s (GCRA: one timestamp per bucket, no timer tasks).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Config;
use crate::telemetry;

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

/// Admission at the handshake, shared by every connection of the node.
pub struct Admission {
    connections: Arc<Semaphore>,
    max_connections: usize,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    client_ip_header: Option<HeaderName>,
}

/// Why a handshake was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many connections at once: 503.
    Full,
    /// Too many new connections from this address: 429.
    TooFast,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, reason, text, retry) = match self {
            Refusal::Full => (
                StatusCode::SERVICE_UNAVAILABLE,
                "capacity",
                "the gateway is at its connection limit; retry shortly",
                "5",
            ),
            Refusal::TooFast => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate",
                "too many new connections from your address; retry in a minute",
                "60",
            ),
        };
        metrics::counter!(telemetry::CONNECTIONS_REFUSED, "reason" => reason).increment(1);
        (status, [(axum::http::header::RETRY_AFTER, retry)], text).into_response()
    }
}

/// The key of a client address: IPv4 as is, IPv6 by its /64 (one subscriber's network).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl Admission {
    pub fn new(config: &Config) -> Admission {
        let per_minute = nonzero(config.max_new_connections_per_ip_per_minute);
        Admission {
            connections: Arc::new(Semaphore::new(config.max_connections)),
            max_connections: config.max_connections,
            per_address: RateLimiter::keyed(Quota::per_minute(per_minute)),
            client_ip_header: config
                .client_ip_header
                .as_deref()
                .and_then(|h| HeaderName::from_bytes(h.as_bytes()).ok()),
        }
    }

    /// The client's address, when it is to be limited: from the trusted proxy's header when
    /// one is configured (its last entry: the one the proxy added), else the TCP peer unless it
    /// is loopback (a local proxy or tool, whose clients are not told apart).
    pub fn client_address(&self, peer: SocketAddr, headers: &HeaderMap) -> Option<IpAddr> {
        let Some(header) = &self.client_ip_header else {
            return (!peer.ip().is_loopback()).then_some(peer.ip());
        };
        let from_header = headers
            .get_all(header)
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .and_then(|v| {
                v.parse::<IpAddr>()
                    .ok()
                    .or_else(|| v.parse::<SocketAddr>().ok().map(|a| a.ip()))
            });
        Some(from_header.unwrap_or(peer.ip()))
    }

    /// Counts a new connection from this client; `TooFast` past the per-minute allowance.
    pub fn check_address(&self, peer: SocketAddr, headers: &HeaderMap) -> Result<(), Refusal> {
        match self.client_address(peer, headers) {
            None => Ok(()),
            Some(ip) => self
                .per_address
                .check_key(&address_key(ip))
                .map_err(|_| Refusal::TooFast),
        }
    }

    /// A place among the connections allowed at once, held for the connection's life.
    pub fn place(&self) -> Result<OwnedSemaphorePermit, Refusal> {
        self.connections
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal::Full)
    }

    /// Connections holding a place now.
    pub fn in_use(&self) -> usize {
        self.max_connections - self.connections.available_permits()
    }

    /// Forgets addresses whose allowance is full again (keeps the table small).
    pub fn forget_idle(&self) {
        self.per_address.retain_recent();
        self.per_address.shrink_to_fit();
    }

    /// Addresses remembered now.
    pub fn addresses(&self) -> usize {
        self.per_address.len()
    }
}

/// What the frame limiter says about one incoming frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the rate: refuse this frame (`rate_limited`), keep the connection.
    Limited,
    /// Refusals outpace forgiveness: close the connection.
    Abuse,
}

/// One connection's frame budget: `rate_limit_per_s` sustained, `rate_limit_burst` at once.
/// Each refused frame is a strike; strikes are forgiven at one a second, and a connection
/// that runs past `rate_limit_strikes` is closed.
pub struct FrameLimiter {
    frames: DefaultDirectRateLimiter,
    strikes: DefaultDirectRateLimiter,
}

impl FrameLimiter {
    pub fn new(config: &Config) -> FrameLimiter {
        let frames = Quota::per_second(nonzero(config.rate_limit_per_s))
            .allow_burst(nonzero(config.rate_limit_burst));
        let strikes = Quota::with_period(Duration::from_secs(1))
            .unwrap_or(Quota::per_second(NonZeroU32::MIN))
            .allow_burst(nonzero(config.rate_limit_strikes));
        FrameLimiter {
            frames: RateLimiter::direct(frames),
            strikes: RateLimiter::direct(strikes),
        }
    }

    pub fn check(&self) -> Verdict {
        if self.frames.check().is_ok() {
            return Verdict::Allowed;
        }
        metrics::counter!(telemetry::FRAMES_RATE_LIMITED).increment(1);
        if self.strikes.check().is_ok() {
            Verdict::Limited
        } else {
            metrics::counter!(telemetry::CONNECTIONS_CLOSED, "reason" => "abuse").increment(1);
            Verdict::Abuse
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(f: impl FnOnce(&mut Config)) -> Config {
        let mut c = Config::default();
        f(&mut c);
        c
    }

    #[test]
    fn a_burst_passes_then_frames_are_limited_then_the_connection_is_abusive() {
        let limiter = FrameLimiter::new(&config(|c| {
            c.rate_limit_per_s = 1;
            c.rate_limit_burst = 3;
            c.rate_limit_strikes = 2;
        }));
        let verdicts: Vec<Verdict> = (0..6).map(|_| limiter.check()).collect();
        assert_eq!(
            verdicts,
            [
                Verdict::Allowed,
                Verdict::Allowed,
                Verdict::Allowed,
                Verdict::Limited,
                Verdict::Limited,
                Verdict::Abuse
            ]
        );
    }

    #[test]
    fn the_connection_cap_is_a_semaphore() {
        let admission = Admission::new(&config(|c| c.max_connections = 2));
        let a = admission.place().unwrap();
        let _b = admission.place().unwrap();
        assert_eq!(admission.place().unwrap_err(), Refusal::Full);
        assert_eq!(admission.in_use(), 2);
        drop(a);
        assert!(admission.place().is_ok());
    }

    #[test]
    fn addresses_are_limited_each_on_their_own() {
        let admission = Admission::new(&config(|c| c.max_new_connections_per_ip_per_minute = 2));
        let a: SocketAddr = "203.0.113.7:5000".parse().unwrap();
        let b: SocketAddr = "198.51.100.1:5000".parse().unwrap();
        let none = HeaderMap::new();
        assert!(admission.check_address(a, &none).is_ok());
        assert!(admission.check_address(a, &none).is_ok());
        assert_eq!(admission.check_address(a, &none), Err(Refusal::TooFast));
        assert!(admission.check_address(b, &none).is_ok());
        // One IPv6 subscriber network is one address.
        let c: SocketAddr = "[2001:db8:1:2::1]:1".parse().unwrap();
        let d: SocketAddr = "[2001:db8:1:2::ffff]:1".parse().unwrap();
        assert!(admission.check_address(c, &none).is_ok());
        assert!(admission.check_address(d, &none).is_ok());
        assert_eq!(admission.check_address(c, &none), Err(Refusal::TooFast));
    }

    #[test]
    fn the_proxy_header_is_trusted_only_when_configured() {
        let loopback: SocketAddr = "127.0.0.1:9999".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "10.9.9.9, 203.0.113.7".parse().unwrap());
        let plain = Admission::new(&Config::default());
        assert_eq!(plain.client_address(loopback, &headers), None);
        let remote: SocketAddr = "198.51.100.1:1".parse().unwrap();
        assert_eq!(
            plain.client_address(remote, &headers),
            Some(remote.ip()),
            "a spoofed header is ignored"
        );
        let proxied = Admission::new(&config(|c| {
            c.client_ip_header = Some("X-Forwarded-For".into())
        }));
        assert_eq!(
            proxied.client_address(loopback, &headers),
            Some("203.0.113.7".parse().unwrap()),
            "the proxy's own entry (the last) counts, not what the client wrote before it"
        );
        assert_eq!(
            proxied.client_address(loopback, &HeaderMap::new()),
            Some(loopback.ip())
        );
    }
}

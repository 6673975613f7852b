//! Configuration: a TOML file (`--config`, default `./switchboard.toml` if present), then the
//! `SWITCHBOARD_*` environment variables over it. Validated before any port is bound; secrets
//! are wrapped so they never print.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::desk::Hours;
use crate::ids::AgentId;
use crate::redis_link::RedisMode;

/// A value that must not appear in logs or `Debug` output.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether `presented` is this secret, in constant time: both sides are hashed (SHA-256)
    /// and the digests compared with `subtle`, so neither where they differ nor how long the
    /// secret is shows in the time taken.
    pub fn matches(&self, presented: &str) -> bool {
        use sha2::{Digest, Sha256};
        use subtle::ConstantTimeEq;
        let expected = Sha256::digest(self.0.as_bytes());
        let presented = Sha256::digest(presented.as_bytes());
        expected.as_slice().ct_eq(presented.as_slice()).into()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// An agent allowed on `/v1/agent`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AgentCredential {
    pub name: String,
    pub token: Secret,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `SWITCHBOARD_LISTEN`
    pub listen: SocketAddr,
    /// `SWITCHBOARD_CONTENT`: the folder holding `locales/` and `intents/`.
    pub content: PathBuf,
    /// `SWITCHBOARD_REDIS_URL`: one URL, or several comma-separated (sentinels, cluster nodes).
    pub redis_url: Option<Secret>,
    /// `SWITCHBOARD_REDIS_MODE`: `standalone`, `sentinel` or `cluster`.
    pub redis_mode: RedisMode,
    /// `SWITCHBOARD_REDIS_SENTINEL_MASTER`: the master's name the sentinels know.
    pub redis_sentinel_master: String,
    /// `SWITCHBOARD_AGENTS` (`name:token,...`)
    pub agents: Vec<AgentCredential>,
    /// `SWITCHBOARD_ADMIN_TOKEN`
    pub admin_token: Option<Secret>,
    /// `SWITCHBOARD_ALLOWED_ORIGINS`; `None` allows any origin.
    pub allowed_origins: Option<Vec<String>>,
    /// `SWITCHBOARD_DEFAULT_LOCALE`
    pub default_locale: String,
    /// `SWITCHBOARD_SESSION_IDLE_TIMEOUT_S`: a session nobody touched for this long is gone.
    pub session_idle_timeout_s: u64,
    /// `SWITCHBOARD_MAX_FRAME_BYTES`: larger frames get `too_large`.
    pub max_frame_bytes: usize,
    /// `SWITCHBOARD_MAX_TEXT_CHARS`: longer message texts get `too_large`.
    pub max_text_chars: usize,
    /// `SWITCHBOARD_HELLO_TIMEOUT_S`: time a new connection has to send `hello`.
    pub hello_timeout_s: u64,
    /// `SWITCHBOARD_FALLBACK_THRESHOLD`: below this intent confidence the bot falls back.
    pub fallback_threshold: f32,
    /// `SWITCHBOARD_SHUTDOWN_GRACE_S`: how long shutdown waits for connections to finish.
    pub shutdown_grace_s: u64,
    /// `SWITCHBOARD_HANDOFF_HOURS`: when agents work, like `"mon-fri 08:00-20:00"`; unset:
    /// always. Outside them a hand-off is `unavailable`.
    pub handoff_hours: Option<String>,
    /// `SWITCHBOARD_HANDOFF_UTC_OFFSET_MINUTES`: the time zone of `handoff_hours`.
    pub handoff_utc_offset_minutes: i32,
    /// `SWITCHBOARD_HANDOFF_REQUIRE_AGENT`: a hand-off is `unavailable` when no agent for the
    /// customer's language is connected (else it waits in the queue).
    pub handoff_require_agent: bool,
    /// `SWITCHBOARD_AGENT_RECONNECT_TIMEOUT_S`: how long a disconnected agent keeps its
    /// conversations before they go back to the queue.
    pub agent_reconnect_timeout_s: u64,
    /// `SWITCHBOARD_CUSTOMER_GRACE_S`: how long a customer waiting for or talking to an agent
    /// may be gone (tab closed, network lost) before their place in the queue, or their
    /// agent's attention, is released.
    pub customer_grace_s: u64,
    /// `SWITCHBOARD_AGENT_AUTH_TIMEOUT_S`: time an agent connection has to send `auth`.
    pub agent_auth_timeout_s: u64,
    /// `SWITCHBOARD_WATCH_CONTENT`: reload `locales/` and `intents/` when files change.
    pub watch_content: bool,
    /// `SWITCHBOARD_RATE_LIMIT_PER_S`: frames per second one customer connection may send,
    /// sustained; faster frames get `rate_limited` and are not processed.
    pub rate_limit_per_s: u32,
    /// `SWITCHBOARD_RATE_LIMIT_BURST`: frames one customer connection may send at once.
    pub rate_limit_burst: u32,
    /// `SWITCHBOARD_RATE_LIMIT_STRIKES`: refused frames (forgiven at one a second) after which
    /// the connection is closed (1008).
    pub rate_limit_strikes: u32,
    /// `SWITCHBOARD_MAX_CONNECTIONS`: customer connections at once; more are refused with 503
    /// at the handshake.
    pub max_connections: usize,
    /// `SWITCHBOARD_MAX_NEW_CONNECTIONS_PER_IP_PER_MINUTE`: WebSocket handshakes one client
    /// address may make a minute (a burst of that many, refilled evenly); more get 429.
    pub max_new_connections_per_ip_per_minute: u32,
    /// `SWITCHBOARD_CLIENT_IP_HEADER`: the header a trusted reverse proxy puts the client's
    /// address in (`X-Forwarded-For`: its last entry). Unset: the TCP peer, and loopback peers
    /// (a local proxy, local tools) are not limited per address.
    pub client_ip_header: Option<String>,
    /// `SWITCHBOARD_PING_INTERVAL_S`: the gateway pings every WebSocket this often.
    pub ping_interval_s: u64,
    /// `SWITCHBOARD_PONG_TIMEOUT_S`: a WebSocket that sends nothing, not even a pong, for this
    /// long is dead and closed.
    pub pong_timeout_s: u64,
    /// `SWITCHBOARD_SEND_QUEUE_FRAMES`: frames waiting to be written to one connection.
    pub send_queue_frames: usize,
    /// `SWITCHBOARD_SEND_TIMEOUT_S`: a connection whose send queue stays full this long (its
    /// client does not read) is closed; it resumes with nothing lost.
    pub send_timeout_s: u64,
    /// `SWITCHBOARD_ECHO_ROUTE`: serve `/v1/echo`, a WebSocket echo behind the same stack and
    /// limits as `/v1/chat`, for conformance testing (`scripts/autobahn.sh`). Off by default.
    pub echo_route: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            content: PathBuf::from("."),
            redis_url: None,
            redis_mode: RedisMode::Standalone,
            redis_sentinel_master: "mymaster".into(),
            agents: Vec::new(),
            admin_token: None,
            allowed_origins: None,
            default_locale: "en".into(),
            session_idle_timeout_s: 30 * 60,
            max_frame_bytes: 64 * 1024,
            max_text_chars: 2000,
            hello_timeout_s: 10,
            fallback_threshold: 0.5,
            shutdown_grace_s: 10,
            handoff_hours: None,
            handoff_utc_offset_minutes: 0,
            handoff_require_agent: true,
            agent_reconnect_timeout_s: 30,
            customer_grace_s: 120,
            agent_auth_timeout_s: 5,
            watch_content: true,
            rate_limit_per_s: 5,
            rate_limit_burst: 20,
            rate_limit_strikes: 20,
            max_connections: 10_000,
            max_new_connections_per_ip_per_minute: 120,
            client_ip_header: None,
            ping_interval_s: 20,
            pong_timeout_s: 60,
            send_queue_frames: 64,
            send_timeout_s: 10,
            echo_route: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{name}={value:?}: {message}")]
    Env {
        name: String,
        value: String,
        message: String,
    },
    #[error("{0}")]
    Invalid(String),
}

fn env_error(name: &str, value: &str, message: impl Into<String>) -> ConfigError {
    // Secrets are never echoed back.
    let value = if name.ends_with("TOKEN") || name.ends_with("AGENTS") || name.ends_with("URL") {
        "***".to_string()
    } else {
        value.to_string()
    };
    ConfigError::Env {
        name: name.into(),
        value,
        message: message.into(),
    }
}

fn parse_env<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse::<T>()
        .map_err(|e| env_error(name, value, e.to_string()))
}

fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

impl Config {
    /// The file (when given, or `./switchboard.toml` when it exists), then the environment.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let default_file = Path::new("switchboard.toml");
        let file = file.or_else(|| default_file.exists().then_some(default_file));
        let mut config = match file {
            None => Config::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                toml::from_str(&text).map_err(|e| ConfigError::File {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?
            }
        };
        for (name, value) in env {
            config.apply_env(&name, &value)?;
        }
        config.validate()?;
        Ok(config)
    }

    fn apply_env(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        match name {
            "SWITCHBOARD_LISTEN" => self.listen = parse_env(name, value)?,
            "SWITCHBOARD_CONTENT" => self.content = PathBuf::from(value),
            "SWITCHBOARD_REDIS_URL" => {
                self.redis_url = (!value.is_empty()).then(|| Secret::new(value))
            }
            "SWITCHBOARD_REDIS_MODE" => self.redis_mode = parse_env(name, value)?,
            "SWITCHBOARD_REDIS_SENTINEL_MASTER" => {
                self.redis_sentinel_master = value.trim().to_string()
            }
            "SWITCHBOARD_AGENTS" => {
                self.agents = list(value)
                    .into_iter()
                    .map(|pair| match pair.split_once(':') {
                        Some((n, t)) if !n.trim().is_empty() && !t.trim().is_empty() => {
                            Ok(AgentCredential {
                                name: n.trim().to_string(),
                                token: Secret::new(t.trim()),
                            })
                        }
                        _ => Err(env_error(
                            name,
                            value,
                            "expected comma-separated name:token pairs",
                        )),
                    })
                    .collect::<Result<_, _>>()?
            }
            "SWITCHBOARD_ADMIN_TOKEN" => {
                self.admin_token = (!value.is_empty()).then(|| Secret::new(value))
            }
            "SWITCHBOARD_ALLOWED_ORIGINS" => {
                let origins = list(value);
                self.allowed_origins = (!origins.is_empty()).then_some(origins);
            }
            "SWITCHBOARD_DEFAULT_LOCALE" => self.default_locale = value.trim().to_string(),
            "SWITCHBOARD_SESSION_IDLE_TIMEOUT_S" => {
                self.session_idle_timeout_s = parse_env(name, value)?
            }
            "SWITCHBOARD_MAX_FRAME_BYTES" => self.max_frame_bytes = parse_env(name, value)?,
            "SWITCHBOARD_MAX_TEXT_CHARS" => self.max_text_chars = parse_env(name, value)?,
            "SWITCHBOARD_HELLO_TIMEOUT_S" => self.hello_timeout_s = parse_env(name, value)?,
            "SWITCHBOARD_FALLBACK_THRESHOLD" => self.fallback_threshold = parse_env(name, value)?,
            "SWITCHBOARD_SHUTDOWN_GRACE_S" => self.shutdown_grace_s = parse_env(name, value)?,
            "SWITCHBOARD_HANDOFF_HOURS" => {
                self.handoff_hours = (!value.trim().is_empty()).then(|| value.trim().to_string())
            }
            "SWITCHBOARD_HANDOFF_UTC_OFFSET_MINUTES" => {
                self.handoff_utc_offset_minutes = parse_env(name, value)?
            }
            "SWITCHBOARD_HANDOFF_REQUIRE_AGENT" => {
                self.handoff_require_agent = parse_env(name, value)?
            }
            "SWITCHBOARD_CUSTOMER_GRACE_S" => self.customer_grace_s = parse_env(name, value)?,
            "SWITCHBOARD_AGENT_RECONNECT_TIMEOUT_S" => {
                self.agent_reconnect_timeout_s = parse_env(name, value)?
            }
            "SWITCHBOARD_WATCH_CONTENT" => self.watch_content = parse_env(name, value)?,
            "SWITCHBOARD_AGENT_AUTH_TIMEOUT_S" => {
                self.agent_auth_timeout_s = parse_env(name, value)?
            }
            "SWITCHBOARD_RATE_LIMIT_PER_S" => self.rate_limit_per_s = parse_env(name, value)?,
            "SWITCHBOARD_RATE_LIMIT_BURST" => self.rate_limit_burst = parse_env(name, value)?,
            "SWITCHBOARD_RATE_LIMIT_STRIKES" => self.rate_limit_strikes = parse_env(name, value)?,
            "SWITCHBOARD_MAX_CONNECTIONS" => self.max_connections = parse_env(name, value)?,
            "SWITCHBOARD_MAX_NEW_CONNECTIONS_PER_IP_PER_MINUTE" => {
                self.max_new_connections_per_ip_per_minute = parse_env(name, value)?
            }
            "SWITCHBOARD_CLIENT_IP_HEADER" => {
                self.client_ip_header = (!value.trim().is_empty()).then(|| value.trim().to_string())
            }
            "SWITCHBOARD_PING_INTERVAL_S" => self.ping_interval_s = parse_env(name, value)?,
            "SWITCHBOARD_PONG_TIMEOUT_S" => self.pong_timeout_s = parse_env(name, value)?,
            "SWITCHBOARD_SEND_QUEUE_FRAMES" => self.send_queue_frames = parse_env(name, value)?,
            "SWITCHBOARD_SEND_TIMEOUT_S" => self.send_timeout_s = parse_env(name, value)?,
            "SWITCHBOARD_ECHO_ROUTE" => self.echo_route = parse_env(name, value)?,
            other if other.starts_with("SWITCHBOARD_") && !KNOWN_ELSEWHERE.contains(&other) => {
                return Err(env_error(name, value, "unknown SWITCHBOARD_ variable"));
            }
            _ => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |m: String| Err(ConfigError::Invalid(m));
        if self.default_locale.parse::<LanguageIdentifier>().is_err() {
            return invalid(format!(
                "default_locale {:?} is not a BCP 47 tag",
                self.default_locale
            ));
        }
        if !(0.0..=1.0).contains(&self.fallback_threshold) {
            return invalid(format!(
                "fallback_threshold {} must be between 0 and 1",
                self.fallback_threshold
            ));
        }
        if self.max_frame_bytes < 1024 {
            return invalid("max_frame_bytes must be at least 1024".into());
        }
        if self.max_text_chars == 0 || self.session_idle_timeout_s == 0 || self.hello_timeout_s == 0
        {
            return invalid(
                "max_text_chars, session_idle_timeout_s and hello_timeout_s must be positive"
                    .into(),
            );
        }
        self.validate_limits()?;
        if let Some(hours) = &self.handoff_hours {
            if let Err(e) = Hours::parse(hours, self.handoff_utc_offset_minutes) {
                return invalid(format!("handoff_hours: {e}"));
            }
        }
        if self.redis_mode != RedisMode::Standalone && self.redis_url.is_none() {
            return invalid(format!(
                "redis_mode {} needs SWITCHBOARD_REDIS_URL (the {})",
                self.redis_mode,
                if self.redis_mode == RedisMode::Sentinel {
                    "sentinels"
                } else {
                    "cluster nodes"
                }
            ));
        }
        if self.redis_mode == RedisMode::Sentinel && self.redis_sentinel_master.is_empty() {
            return invalid("redis_sentinel_master must name the master".into());
        }
        if self.redis_mode == RedisMode::Standalone && self.redis_urls().len() > 1 {
            return invalid(
                "several Redis URLs need redis_mode = \"cluster\" or \"sentinel\"".into(),
            );
        }
        for agent in &self.agents {
            if let Err(e) = agent.name.parse::<AgentId>() {
                return invalid(format!("agent name {:?}: {e}", agent.name));
            }
        }
        let mut names: Vec<&str> = self.agents.iter().map(|a| a.name.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|w| w[0] == w[1]) {
            return invalid("agent names must be unique".into());
        }
        if let Some(origins) = &self.allowed_origins {
            for origin in origins {
                if !(origin.starts_with("http://") || origin.starts_with("https://"))
                    || origin.ends_with('/')
                {
                    return invalid(format!(
                        "allowed origin {origin:?} must look like https://shop.example (scheme, host, optional port; no path)"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Every limit must be positive, and a ping must come before the pong deadline.
    fn validate_limits(&self) -> Result<(), ConfigError> {
        let positive = [
            ("rate_limit_per_s", self.rate_limit_per_s as u64),
            ("rate_limit_burst", self.rate_limit_burst as u64),
            ("rate_limit_strikes", self.rate_limit_strikes as u64),
            ("max_connections", self.max_connections as u64),
            (
                "max_new_connections_per_ip_per_minute",
                self.max_new_connections_per_ip_per_minute as u64,
            ),
            ("ping_interval_s", self.ping_interval_s),
            ("pong_timeout_s", self.pong_timeout_s),
            ("send_queue_frames", self.send_queue_frames as u64),
            ("send_timeout_s", self.send_timeout_s),
        ];
        if let Some((name, _)) = positive.iter().find(|(_, v)| *v == 0) {
            return Err(ConfigError::Invalid(format!("{name} must be positive")));
        }
        if self.ping_interval_s >= self.pong_timeout_s {
            return Err(ConfigError::Invalid(format!(
                "ping_interval_s ({}) must be shorter than pong_timeout_s ({}): a live client \
                 answers a ping before the deadline",
                self.ping_interval_s, self.pong_timeout_s
            )));
        }
        if let Some(header) = &self.client_ip_header {
            if axum::http::HeaderName::from_bytes(header.as_bytes()).is_err() {
                return Err(ConfigError::Invalid(format!(
                    "client_ip_header {header:?} is not an HTTP header name"
                )));
            }
        }
        Ok(())
    }

    /// The Redis URLs (`SWITCHBOARD_REDIS_URL` split at commas); empty without Redis.
    pub fn redis_urls(&self) -> Vec<String> {
        self.redis_url
            .as_ref()
            .map(|u| list(u.expose()))
            .unwrap_or_default()
    }

    pub fn default_locale(&self) -> LanguageIdentifier {
        self.default_locale.parse().unwrap_or_default()
    }

    pub fn session_idle_timeout(&self) -> Duration {
        Duration::from_secs(self.session_idle_timeout_s)
    }

    /// The hand-off hours, when configured (validated by [`Config::load`]).
    pub fn handoff_hours(&self) -> Option<Hours> {
        self.handoff_hours
            .as_deref()
            .and_then(|h| Hours::parse(h, self.handoff_utc_offset_minutes).ok())
    }
}

/// `SWITCHBOARD_*` variables read by something other than the configuration.
/// Variables that are not configuration: the log set-up's, and where the tests and benchmarks
/// find the outside data (so a shell that sets it can still run the gateway).
const KNOWN_ELSEWHERE: &[&str] = &[
    "SWITCHBOARD_LOG",
    "SWITCHBOARD_LOG_FORMAT",
    "SWITCHBOARD_SHARED_DATA",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_match_the_contract() {
        let c = Config::load(None, env(&[])).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.content, PathBuf::from("."));
        assert_eq!(c.max_frame_bytes, 65536);
        assert!(c.redis_url.is_none() && c.admin_token.is_none() && c.allowed_origins.is_none());
    }

    #[test]
    fn content_watching_can_be_turned_off_as_the_readme_says() {
        let c = Config::load(None, env(&[("SWITCHBOARD_WATCH_CONTENT", "false")])).unwrap();
        assert!(!c.watch_content);
    }

    #[test]
    fn environment_overrides_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "listen = \"0.0.0.0:9000\"\nmax_text_chars = 10\n").unwrap();
        let c = Config::load(
            Some(&path),
            env(&[
                ("SWITCHBOARD_LISTEN", "127.0.0.1:9001"),
                ("SWITCHBOARD_AGENTS", "ana:t1, bo:t2"),
                (
                    "SWITCHBOARD_ALLOWED_ORIGINS",
                    "https://shop.example,http://localhost:3000",
                ),
                ("PATH", "/bin"),
            ]),
        )
        .unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:9001");
        assert_eq!(c.max_text_chars, 10);
        assert_eq!(c.agents.len(), 2);
        assert_eq!(c.agents[1].name, "bo");
        assert_eq!(c.agents[1].token.expose(), "t2");
        assert_eq!(c.allowed_origins.as_ref().unwrap().len(), 2);
    }

    #[test]
    fn bad_values_are_named_and_secrets_are_not_echoed() {
        let e = Config::load(None, env(&[("SWITCHBOARD_LISTEN", "nowhere")])).unwrap_err();
        assert!(
            e.to_string().contains("SWITCHBOARD_LISTEN=\"nowhere\""),
            "{e}"
        );
        let e = Config::load(None, env(&[("SWITCHBOARD_AGENTS", "ana-secret")])).unwrap_err();
        assert!(!e.to_string().contains("ana-secret"), "{e}");
        let e = Config::load(None, env(&[("SWITCHBOARD_LISTN", "x")])).unwrap_err();
        assert!(e.to_string().contains("unknown"), "{e}");
        let e = Config::load(None, env(&[("SWITCHBOARD_FALLBACK_THRESHOLD", "2")])).unwrap_err();
        assert!(e.to_string().contains("between 0 and 1"), "{e}");
        let e = Config::load(
            None,
            env(&[("SWITCHBOARD_ALLOWED_ORIGINS", "shop.example")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("https://"), "{e}");
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "lisen = \"0.0.0.0:9000\"\n").unwrap();
        let e = Config::load(Some(&path), env(&[])).unwrap_err();
        assert!(e.to_string().contains("lisen"), "{e}");
    }

    #[test]
    fn an_agent_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "[[agents]]\nname = \"\"\ntoken = \"t-nobody\"\n").unwrap();
        let e = Config::load(Some(&path), env(&[])).unwrap_err();
        assert!(e.to_string().contains("agent name \"\""), "{e}");
        assert!(!e.to_string().contains("t-nobody"), "{e}");
    }

    #[test]
    fn the_echo_route_is_opt_in() {
        assert!(!Config::load(None, env(&[])).unwrap().echo_route);
        let on = Config::load(None, env(&[("SWITCHBOARD_ECHO_ROUTE", "true")])).unwrap();
        assert!(on.echo_route);
        let e = Config::load(None, env(&[("SWITCHBOARD_ECHO_ROUTE", "yes")])).unwrap_err();
        assert!(e.to_string().contains("SWITCHBOARD_ECHO_ROUTE"), "{e}");
    }

    #[test]
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(***)");
    }

    #[test]
    fn secrets_match_only_themselves() {
        let secret = Secret::new("s3cret-token");
        assert!(secret.matches("s3cret-token"));
        for wrong in [
            "",
            "s3cret-toke",
            "s3cret-tokenX",
            "S3cret-token",
            "x3cret-token",
            "s3cret-tokeX",
        ] {
            assert!(!secret.matches(wrong), "{wrong:?}");
        }
    }

    /// The time a comparison takes does not depend on where the presented token differs:
    /// with a 64 KiB token, a byte-by-byte comparison that stops at the first difference is
    /// hundreds of times faster for a wrong first byte than for a wrong last byte (the bounds
    /// here are wide, for a loaded machine).
    #[test]
    fn comparing_a_secret_takes_the_same_time_wherever_it_differs() {
        let token = "k".repeat(64 * 1024);
        let secret = Secret::new(token.clone());
        let mut first = token.clone().into_bytes();
        first[0] = b'x';
        let first = String::from_utf8(first).unwrap();
        let mut last = token.into_bytes();
        *last.last_mut().unwrap() = b'x';
        let last = String::from_utf8(last).unwrap();
        let time = |presented: &str| {
            let start = std::time::Instant::now();
            for _ in 0..20 {
                assert!(!secret.matches(std::hint::black_box(presented)));
            }
            start.elapsed()
        };
        // The fastest of many interleaved rounds: what noise (other processes) cannot shorten.
        let (mut a, mut b) = (std::time::Duration::MAX, std::time::Duration::MAX);
        for _ in 0..41 {
            a = a.min(time(&first));
            b = b.min(time(&last));
        }
        let ratio = a.as_secs_f64() / b.as_secs_f64();
        assert!(
            (0.25..4.0).contains(&ratio),
            "fastest time, first byte wrong / last byte wrong = {ratio:.2}"
        );
    }

    #[test]
    fn redis_topologies_are_chosen_explicitly() {
        let c = Config::load(
            None,
            env(&[
                ("SWITCHBOARD_REDIS_URL", "redis://a:7000, redis://b:7001"),
                ("SWITCHBOARD_REDIS_MODE", "cluster"),
            ]),
        )
        .unwrap();
        assert_eq!(c.redis_mode, RedisMode::Cluster);
        assert_eq!(c.redis_urls(), vec!["redis://a:7000", "redis://b:7001"]);
        let file = tempfile::tempdir().unwrap();
        let path = file.path().join("s.toml");
        std::fs::write(
            &path,
            "redis_url = \"redis://s1:26379\"\nredis_mode = \"sentinel\"\nredis_sentinel_master = \"sb\"\n",
        )
        .unwrap();
        let c = Config::load(Some(&path), env(&[])).unwrap();
        assert_eq!(
            (c.redis_mode, c.redis_sentinel_master.as_str()),
            (RedisMode::Sentinel, "sb")
        );
        let e = Config::load(
            None,
            env(&[("SWITCHBOARD_REDIS_URL", "redis://a:1,redis://b:2")]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("cluster"), "{e}");
        let e = Config::load(None, env(&[("SWITCHBOARD_REDIS_MODE", "sentinel")])).unwrap_err();
        assert!(e.to_string().contains("SWITCHBOARD_REDIS_URL"), "{e}");
        let e = Config::load(None, env(&[("SWITCHBOARD_REDIS_MODE", "ring")])).unwrap_err();
        assert!(
            e.to_string().contains("standalone, sentinel or cluster"),
            "{e}"
        );
    }
}

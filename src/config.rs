//! Configuration: a TOML file (`--config`, default `./switchboard.toml` if present), then the
//! `SWITCHBOARD_*` environment variables over it. Validated before any port is bound; secrets
//! are wrapped so they never print.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use unic_langid::LanguageIdentifier;

use crate::handoff::Hours;
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
    /// `SWITCHBOARD_AGENT_AUTH_TIMEOUT_S`: time an agent connection has to send `auth`.
    pub agent_auth_timeout_s: u64,
    /// `SWITCHBOARD_WATCH_CONTENT`: reload `locales/` and `intents/` when files change.
    pub watch_content: bool,
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
            agent_auth_timeout_s: 5,
            watch_content: true,
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
            "SWITCHBOARD_AGENT_RECONNECT_TIMEOUT_S" => {
                self.agent_reconnect_timeout_s = parse_env(name, value)?
            }
            "SWITCHBOARD_WATCH_CONTENT" => self.watch_content = parse_env(name, value)?,
            "SWITCHBOARD_AGENT_AUTH_TIMEOUT_S" => {
                self.agent_auth_timeout_s = parse_env(name, value)?
            }
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
const KNOWN_ELSEWHERE: &[&str] = &["SWITCHBOARD_LOG", "SWITCHBOARD_LOG_FORMAT"];

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
    fn secrets_do_not_print() {
        assert_eq!(format!("{:?}", Secret::new("hunter2")), "Secret(***)");
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

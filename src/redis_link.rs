//! The Redis every node shares — one server, a master watched by Sentinel, or a Cluster — as
//! one cheap-to-clone connection ([`RedisLink`]) that the session store and the hand-off
//! backend run their commands and scripts on, and a way to subscribe to a pub/sub channel
//! that follows failovers ([`RedisLink::pubsub`]).
//!
//! - **standalone**: a reconnecting connection to one server.
//! - **sentinel**: the master's address comes from the sentinels; when a command fails in a
//!   way that says the master moved (connection lost or refused, `READONLY`, `MASTERDOWN`),
//!   the next command asks the sentinels again.
//! - **cluster**: commands go to the node owning their keys' slot (redirections and topology
//!   changes are followed by the client). Every multi-key command and script of this project
//!   names keys of one hash slot only. Plain `PUBLISH` on a cluster reaches every node, so the
//!   subscriber may listen on any of them.
//!
//! Nothing connects at start-up: the gateway starts (and answers bot questions) while Redis is
//! away, and every call tries again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig, PubSub};
use redis::cluster::{ClusterClient, ClusterClientBuilder};
use redis::cluster_async::ClusterConnection;
use redis::sentinel::{SentinelClient, SentinelNodeConnectionInfo, SentinelServerType};
use redis::{
    Client, Cmd, ConnectionInfo, ErrorKind, IntoConnectionInfo, Pipeline, RedisError, RedisFuture,
    RedisResult, ServerErrorKind, Value,
};
use serde::Deserialize;
use tokio::sync::Mutex;

/// How the nodes reach Redis (`SWITCHBOARD_REDIS_MODE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RedisMode {
    /// One server (`redis://host:6379/`).
    #[default]
    Standalone,
    /// The URLs are sentinels; they name the master of `redis_sentinel_master`.
    Sentinel,
    /// The URLs are some nodes of a Redis Cluster (any will do; the rest are discovered).
    Cluster,
}

impl std::str::FromStr for RedisMode {
    type Err = String;

    fn from_str(s: &str) -> Result<RedisMode, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standalone" | "" => Ok(RedisMode::Standalone),
            "sentinel" => Ok(RedisMode::Sentinel),
            "cluster" => Ok(RedisMode::Cluster),
            other => Err(format!(
                "{other:?} is not a Redis mode: use standalone, sentinel or cluster"
            )),
        }
    }
}

impl std::fmt::Display for RedisMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedisMode::Standalone => "standalone",
            RedisMode::Sentinel => "sentinel",
            RedisMode::Cluster => "cluster",
        })
    }
}

/// How long connecting and each answer may take before the call fails (and the gateway
/// reports Redis unavailable rather than hanging a customer).
const TIMEOUT: Duration = Duration::from_secs(2);

fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_connection_timeout(Some(TIMEOUT))
        .set_response_timeout(Some(TIMEOUT))
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_secs(1))
}

/// A connection to the shared Redis, whatever its topology. Clones share the connections.
#[derive(Clone)]
pub struct RedisLink {
    inner: Arc<Inner>,
}

enum Inner {
    Standalone {
        client: Client,
        manager: ConnectionManager,
    },
    Sentinel(SentinelLink),
    Cluster(ClusterLink),
}

struct SentinelLink {
    sentinels: Mutex<SentinelClient>,
    master: Mutex<Option<ConnectionManager>>,
}

struct ClusterLink {
    client: ClusterClient,
    seeds: Vec<ConnectionInfo>,
    connection: Mutex<Option<ClusterConnection>>,
    /// Which seed the next subscriber tries first (rotates past nodes that failed).
    next_seed: AtomicUsize,
}

fn client_error(message: String) -> RedisError {
    RedisError::from((ErrorKind::InvalidClientConfig, "Redis", message))
}

fn timeout_error() -> RedisError {
    RedisError::from(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "Redis did not answer in time",
    ))
}

/// Errors after which the sentinels should be asked where the master is now.
fn master_moved(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || matches!(
            e.kind(),
            ErrorKind::Server(ServerErrorKind::ReadOnly | ServerErrorKind::MasterDown)
        )
}

impl RedisLink {
    /// Parses the URLs for `mode`; connects nothing yet.
    pub fn new(mode: RedisMode, urls: &[String], sentinel_master: &str) -> RedisResult<RedisLink> {
        if urls.is_empty() {
            return Err(client_error("no Redis URL".into()));
        }
        let infos = urls
            .iter()
            .map(|u| u.as_str().into_connection_info())
            .collect::<RedisResult<Vec<ConnectionInfo>>>()?;
        let inner = match mode {
            RedisMode::Standalone => {
                if infos.len() > 1 {
                    return Err(client_error(
                        "several Redis URLs need SWITCHBOARD_REDIS_MODE=cluster or sentinel".into(),
                    ));
                }
                let client = Client::open(infos[0].clone())?;
                let manager =
                    ConnectionManager::new_lazy_with_config(client.clone(), manager_config())?;
                Inner::Standalone { client, manager }
            }
            RedisMode::Sentinel => {
                // The master and its replicas take the database and credentials of the URLs.
                let node = SentinelNodeConnectionInfo::default()
                    .set_redis_connection_info(infos[0].redis_settings().clone());
                let sentinels = SentinelClient::build(
                    infos,
                    sentinel_master.to_string(),
                    Some(node),
                    SentinelServerType::Master,
                )?;
                Inner::Sentinel(SentinelLink {
                    sentinels: Mutex::new(sentinels),
                    master: Mutex::new(None),
                })
            }
            RedisMode::Cluster => {
                let client = ClusterClientBuilder::new(infos.clone())
                    .connection_timeout(TIMEOUT)
                    .response_timeout(TIMEOUT)
                    .retries(2)
                    .build()?;
                Inner::Cluster(ClusterLink {
                    client,
                    seeds: infos,
                    connection: Mutex::new(None),
                    next_seed: AtomicUsize::new(0),
                })
            }
        };
        Ok(RedisLink {
            inner: Arc::new(inner),
        })
    }

    pub fn mode(&self) -> RedisMode {
        match &*self.inner {
            Inner::Standalone { .. } => RedisMode::Standalone,
            Inner::Sentinel(_) => RedisMode::Sentinel,
            Inner::Cluster(_) => RedisMode::Cluster,
        }
    }

    /// A pub/sub connection: to the server, to the current master, or to one node of the
    /// cluster (plain pub/sub reaches every node).
    pub async fn pubsub(&self) -> RedisResult<PubSub> {
        let client = match &*self.inner {
            Inner::Standalone { client, .. } => client.clone(),
            Inner::Sentinel(link) => link.master_client().await?,
            Inner::Cluster(link) => {
                let start = link.next_seed.fetch_add(1, Ordering::Relaxed);
                let mut last = None;
                for i in 0..link.seeds.len() {
                    let seed = link.seeds[(start + i) % link.seeds.len()].clone();
                    match subscriber(Client::open(seed)?).await {
                        Ok(pubsub) => return Ok(pubsub),
                        Err(e) => last = Some(e),
                    }
                }
                return Err(last.unwrap_or_else(|| client_error("no cluster node".into())));
            }
        };
        subscriber(client).await
    }
}

async fn subscriber(client: Client) -> RedisResult<PubSub> {
    tokio::time::timeout(TIMEOUT, client.get_async_pubsub())
        .await
        .map_err(|_| timeout_error())?
}

impl SentinelLink {
    async fn master_client(&self) -> RedisResult<Client> {
        let mut sentinels = self.sentinels.lock().await;
        tokio::time::timeout(TIMEOUT * 2, sentinels.async_get_client())
            .await
            .map_err(|_| timeout_error())?
    }

    async fn connection(&self) -> RedisResult<ConnectionManager> {
        let mut master = self.master.lock().await;
        if let Some(manager) = master.as_ref() {
            return Ok(manager.clone());
        }
        let client = self.master_client().await?;
        let manager = tokio::time::timeout(
            TIMEOUT,
            ConnectionManager::new_with_config(client, manager_config()),
        )
        .await
        .map_err(|_| timeout_error())??;
        *master = Some(manager.clone());
        Ok(manager)
    }

    /// After an answer that says the master may have moved, the next command asks the
    /// sentinels again.
    async fn check<T>(&self, answer: &RedisResult<T>) {
        if answer.as_ref().is_err_and(master_moved) {
            *self.master.lock().await = None;
        }
    }
}

impl ClusterLink {
    async fn connection(&self) -> RedisResult<ClusterConnection> {
        let mut connection = self.connection.lock().await;
        if let Some(c) = connection.as_ref() {
            return Ok(c.clone());
        }
        let c = tokio::time::timeout(TIMEOUT * 2, self.client.get_async_connection())
            .await
            .map_err(|_| timeout_error())??;
        *connection = Some(c.clone());
        Ok(c)
    }
}

impl RedisLink {
    fn counted<T>(&self, answer: RedisResult<T>) -> RedisResult<T> {
        if answer.is_err() {
            metrics::counter!(crate::telemetry::REDIS_ERRORS, "mode" => self.mode().to_string())
                .increment(1);
        }
        answer
    }
}

impl ConnectionLike for RedisLink {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let answer = async {
                match &*self.inner {
                    Inner::Standalone { manager, .. } => {
                        manager.clone().req_packed_command(cmd).await
                    }
                    Inner::Cluster(link) => link.connection().await?.req_packed_command(cmd).await,
                    Inner::Sentinel(link) => {
                        let answer = link.connection().await?.req_packed_command(cmd).await;
                        link.check(&answer).await;
                        answer
                    }
                }
            }
            .await;
            self.counted(answer)
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let answer = async {
                match &*self.inner {
                    Inner::Standalone { manager, .. } => {
                        manager
                            .clone()
                            .req_packed_commands(pipeline, offset, count)
                            .await
                    }
                    Inner::Cluster(link) => {
                        link.connection()
                            .await?
                            .req_packed_commands(pipeline, offset, count)
                            .await
                    }
                    Inner::Sentinel(link) => {
                        let answer = link
                            .connection()
                            .await?
                            .req_packed_commands(pipeline, offset, count)
                            .await;
                        link.check(&answer).await;
                        answer
                    }
                }
            }
            .await;
            self.counted(answer)
        })
    }

    fn get_db(&self) -> i64 {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_parse_and_name_the_choices_when_wrong() {
        assert_eq!("Cluster".parse::<RedisMode>(), Ok(RedisMode::Cluster));
        assert_eq!("sentinel".parse::<RedisMode>(), Ok(RedisMode::Sentinel));
        assert_eq!("".parse::<RedisMode>(), Ok(RedisMode::Standalone));
        let e = "clustered".parse::<RedisMode>().unwrap_err();
        assert!(e.contains("standalone, sentinel or cluster"), "{e}");
    }

    #[tokio::test]
    async fn urls_are_checked_before_anything_connects() {
        let one = vec!["redis://127.0.0.1:1/".to_string()];
        let two = vec![
            "redis://127.0.0.1:1/".to_string(),
            "redis://127.0.0.1:2/".to_string(),
        ];
        assert!(RedisLink::new(RedisMode::Standalone, &one, "m").is_ok());
        let e = RedisLink::new(RedisMode::Standalone, &two, "m")
            .err()
            .expect("two URLs need a mode");
        assert!(e.to_string().contains("SWITCHBOARD_REDIS_MODE"), "{e}");
        assert!(RedisLink::new(RedisMode::Cluster, &two, "m").is_ok());
        assert!(RedisLink::new(RedisMode::Sentinel, &two, "mymaster").is_ok());
        assert!(RedisLink::new(RedisMode::Cluster, &["nonsense".to_string()], "m").is_err());
    }
}

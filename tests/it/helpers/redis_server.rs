//! A private `redis-server` per test, on a free port, with AOF on, that a test can kill and
//! restart.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

use crate::helpers::process::Output;
use crate::helpers::{eventually, free_port, prerequisites};

pub struct RedisServer {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
}

impl RedisServer {
    pub async fn start() -> RedisServer {
        let mut server = RedisServer::reserved();
        server.launch().await;
        server
    }

    /// A port and a folder for a server that is not running yet.
    pub fn reserved() -> RedisServer {
        RedisServer {
            port: free_port(),
            dir: tempfile::tempdir().expect("temp dir"),
            child: None,
        }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Starts the process and waits until it says it accepts connections.
    pub async fn launch(&mut self) {
        self.launch_with(&[]).await
    }

    /// Starts the process with these extra arguments.
    pub async fn launch_with(&mut self, extra: &[&str]) {
        let mut args: Vec<String> = ["--port", &self.port.to_string(), "--bind", "127.0.0.1"]
            .into_iter()
            .chain(extra.iter().copied())
            .chain([
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
            ])
            .map(String::from)
            .collect();
        args.extend(["--dir".to_string(), self.dir.path().display().to_string()]);
        self.child = Some(spawn_server(&args).await);
    }

    /// SIGKILL: no shutdown, no final save (AOF with fsync always keeps what was acknowledged).
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill().await;
        }
    }

    pub async fn restart(&mut self) {
        self.kill().await;
        self.launch().await;
    }
}

/// Starts `redis-server` with `args`, waiting until it accepts connections.
async fn spawn_server(args: &[String]) -> Child {
    let mut child = Command::new(prerequisites::redis_server())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("redis-server starts");
    let output = Output::follow(child.stdout.take().expect("piped stdout"));
    let what = format!("redis-server {args:?} did not start");
    output
        .wait_for(Duration::from_secs(20), &what, |line| {
            // A server says it accepts connections; a sentinel that it monitors its master.
            (line.contains("Ready to accept connections") || line.contains("+monitor master"))
                .then_some(())
        })
        .await;
    child
}

/// Runs `redis-cli` with `args` against port `port`; returns its output.
pub async fn redis_cli(port: u16, args: &[&str]) -> String {
    let out = Command::new(prerequisites::redis_cli())
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .await
        .expect("redis-cli runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A local Redis Cluster of three masters (no replicas), each on a free port with its cluster
/// bus on another free port, created with `redis-cli --cluster create`.
pub struct RedisCluster {
    pub ports: Vec<u16>,
    _dirs: Vec<tempfile::TempDir>,
    _nodes: Vec<Child>,
}

impl RedisCluster {
    pub async fn start() -> RedisCluster {
        let (mut ports, mut dirs, mut nodes) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..3 {
            let (port, bus) = (free_port(), free_port());
            let dir = tempfile::tempdir().expect("temp dir");
            let args: Vec<String> = [
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-port",
                &bus.to_string(),
                "--cluster-config-file",
                "nodes.conf",
                "--cluster-node-timeout",
                "2000",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                &dir.path().display().to_string(),
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            nodes.push(spawn_server(&args).await);
            ports.push(port);
            dirs.push(dir);
        }
        let mut create = Command::new(prerequisites::redis_cli());
        create.args(["--cluster", "create"]);
        for port in &ports {
            create.arg(format!("127.0.0.1:{port}"));
        }
        let out = create
            .args(["--cluster-replicas", "0", "--cluster-yes"])
            .output()
            .await
            .expect("redis-cli --cluster create runs");
        assert!(
            out.status.success(),
            "redis-cli --cluster create failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        for &port in &ports {
            eventually(20, "the cluster agrees", async || {
                let info = redis_cli(port, &["cluster", "info"]).await;
                info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
            })
            .await;
        }
        RedisCluster {
            ports,
            _dirs: dirs,
            _nodes: nodes,
        }
    }

    /// The URLs of every node (what SWITCHBOARD_REDIS_URL lists).
    pub fn urls(&self) -> Vec<String> {
        self.ports
            .iter()
            .map(|p| format!("redis://127.0.0.1:{p}/"))
            .collect()
    }

    /// How many keys each master holds.
    pub async fn keys_per_node(&self) -> Vec<u64> {
        let mut counts = Vec::new();
        for &port in &self.ports {
            let n = redis_cli(port, &["dbsize"]).await;
            counts.push(n.trim().parse().expect("a key count"));
        }
        counts
    }
}

/// A master, one replica and three sentinels (quorum 2) watching them as `mymaster`, on
/// free ports; failover after one second of silence.
pub struct SentinelSetup {
    pub master: RedisServer,
    pub replica: RedisServer,
    pub sentinel_ports: Vec<u16>,
    _dir: tempfile::TempDir,
    _sentinels: Vec<Child>,
}

impl SentinelSetup {
    pub async fn start() -> SentinelSetup {
        let master = RedisServer::start().await;
        let mut replica = RedisServer::reserved();
        replica
            .launch_with(&["--replicaof", "127.0.0.1", &master.port.to_string()])
            .await;
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut sentinel_ports, mut sentinels) = (Vec::new(), Vec::new());
        for n in 0..3 {
            let port = free_port();
            let conf = dir.path().join(format!("sentinel-{n}.conf"));
            std::fs::write(
                &conf,
                format!(
                    "port {port}\nbind 127.0.0.1\ndir {dir}\n\
                     sentinel monitor mymaster 127.0.0.1 {master} 2\n\
                     sentinel down-after-milliseconds mymaster 1000\n\
                     sentinel failover-timeout mymaster 5000\n",
                    dir = dir.path().display(),
                    master = master.port,
                ),
            )
            .expect("sentinel config written");
            sentinels.push(spawn_server(&[conf.display().to_string(), "--sentinel".into()]).await);
            sentinel_ports.push(port);
        }
        // Failover needs the sentinels to know each other and the replica.
        for &port in &sentinel_ports {
            eventually(
                30,
                "the sentinels know each other and the replica",
                async || {
                    let others = redis_cli(port, &["sentinel", "sentinels", "mymaster"]).await;
                    let replicas = redis_cli(port, &["sentinel", "replicas", "mymaster"]).await;
                    others.matches("127.0.0.1").count() >= 2 && replicas.contains("127.0.0.1")
                },
            )
            .await;
        }
        SentinelSetup {
            master,
            replica,
            sentinel_ports,
            _dir: dir,
            _sentinels: sentinels,
        }
    }

    /// The URLs of the sentinels (what SWITCHBOARD_REDIS_URL lists in sentinel mode).
    pub fn urls(&self) -> Vec<String> {
        self.sentinel_ports
            .iter()
            .map(|p| format!("redis://127.0.0.1:{p}/"))
            .collect()
    }

    /// The port of the master the sentinels name now.
    pub async fn master_port(&self) -> u16 {
        let out = redis_cli(
            self.sentinel_ports[0],
            &["sentinel", "get-master-addr-by-name", "mymaster"],
        )
        .await;
        out.lines()
            .nth(1)
            .and_then(|p| p.trim().parse().ok())
            .expect("the sentinels name a master")
    }
}

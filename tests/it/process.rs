//! The gateway as a real child process (the `switchboard` binary Cargo built for these tests):
//! started with environment variables, its JSON logs captured, stopped with real signals.

use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::helpers::{repo_root, Client};

pub struct Node {
    pub addr: SocketAddr,
    child: Child,
    logs: Arc<Mutex<Vec<String>>>,
}

impl Node {
    /// Starts `switchboard serve` on a free port of 127.0.0.1 with the demo content, no file
    /// watching, JSON logs, and these variables; returns once it listens.
    pub async fn start(vars: &[(&str, &str)]) -> Node {
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command
            .arg("serve")
            .current_dir(repo_root())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("SWITCHBOARD_LISTEN", "127.0.0.1:0")
            .env("SWITCHBOARD_WATCH_CONTENT", "false")
            .env("SWITCHBOARD_LOG_FORMAT", "json")
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("the switchboard binary starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (found, listening) = tokio::sync::oneshot::channel();
        let kept = logs.clone();
        tokio::spawn(async move {
            let mut found = Some(found);
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(addr) = listening_addr(&line) {
                    if let Some(found) = found.take() {
                        let _ = found.send(addr);
                    }
                }
                kept.lock().unwrap().push(line);
            }
        });
        let addr = match tokio::time::timeout(Duration::from_secs(60), listening).await {
            Ok(Ok(addr)) => addr,
            _ => panic!(
                "the gateway did not start:\n{}",
                logs.lock().unwrap().join("\n")
            ),
        };
        Node { addr, child, logs }
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1/chat", self.addr)
    }

    pub async fn connect(&self) -> Client {
        Client::connect(&self.ws_url()).await
    }

    /// Sends a real signal (`TERM`, `KILL`…) to the process.
    pub fn signal(&self, name: &str) {
        let pid = self.child.id().expect("the process is running");
        let status = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} {pid}");
    }

    /// Waits for the process to exit; its exit code (None: killed by a signal).
    pub async fn exited(&mut self, within: Duration) -> Option<i32> {
        let status = tokio::time::timeout(within, self.child.wait())
            .await
            .expect("the process exits in time")
            .expect("the process can be waited for");
        status.code()
    }

    /// Everything the process logged so far, one JSON object a line.
    pub fn logs(&self) -> String {
        self.logs.lock().unwrap().join("\n")
    }
}

/// The address in the "switchboard listening" line.
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let json: serde_json::Value = serde_json::from_str(line).ok()?;
    if json["fields"]["message"] != "switchboard listening" {
        return None;
    }
    json["fields"]["addr"].as_str()?.parse().ok()
}

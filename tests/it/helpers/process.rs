//! Child processes: what they write, followed line by line as it comes (`Output`), and the
//! gateway as a real child process (`Node`): started with environment variables, its JSON logs
//! captured, stopped with real signals.

use std::ffi::OsStr;
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;

use crate::helpers::{repo_root, Client};

/// The lines a child writes to one of its pipes, read by a task of their own as they come (so
/// that the child never blocks on a full pipe) and kept.
pub struct Output {
    lines: watch::Receiver<Lines>,
}

#[derive(Default)]
struct Lines {
    kept: Vec<String>,
    ended: bool,
}

impl Output {
    pub fn follow(pipe: impl AsyncRead + Unpin + Send + 'static) -> Output {
        let (sender, lines) = watch::channel(Lines::default());
        tokio::spawn(async move {
            let mut reader = BufReader::new(pipe).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                sender.send_modify(|lines| lines.kept.push(line));
            }
            sender.send_modify(|lines| lines.ended = true);
        });
        Output { lines }
    }

    /// Waits for the first line, written already or to come, of which `found` makes a value,
    /// and returns the value. Fails with `what` and every line so far when the pipe ends or
    /// `within` passes first.
    pub async fn wait_for<T>(
        &self,
        within: Duration,
        what: &str,
        mut found: impl FnMut(&str) -> Option<T>,
    ) -> T {
        let mut lines = self.lines.clone();
        let mut next = 0;
        let waited = tokio::time::timeout(within, async {
            loop {
                {
                    let now = lines.borrow_and_update();
                    if let Some(value) = now.kept[next..].iter().find_map(|l| found(l)) {
                        return Some(value);
                    }
                    next = now.kept.len();
                    if now.ended {
                        return None;
                    }
                }
                if lines.changed().await.is_err() {
                    return None;
                }
            }
        })
        .await;
        match waited {
            Ok(Some(value)) => value,
            _ => panic!("{what}:\n{}", self.text()),
        }
    }

    /// Every line so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.borrow().kept.clone()
    }

    /// Every line so far, one a line.
    pub fn text(&self) -> String {
        self.lines.borrow().kept.join("\n")
    }
}

pub struct Node {
    pub addr: SocketAddr,
    child: Child,
    logs: Output,
}

impl Node {
    /// Starts `switchboard serve` (the binary Cargo built for these tests) on a free port of
    /// 127.0.0.1 with the demo content, no file watching, JSON logs, and these variables;
    /// returns once it listens.
    pub async fn start(vars: &[(&str, &str)]) -> Node {
        let defaults = [
            ("SWITCHBOARD_LISTEN", "127.0.0.1:0"),
            ("SWITCHBOARD_WATCH_CONTENT", "false"),
            ("SWITCHBOARD_LOG_FORMAT", "json"),
        ];
        Node::spawn(
            Path::new(env!("CARGO_BIN_EXE_switchboard")),
            &repo_root(),
            defaults.iter().chain(vars).copied(),
        )
        .await
    }

    /// Starts `program serve` in `dir` with exactly `env` (and PATH; its logs must be JSON);
    /// returns once it listens.
    pub async fn spawn<K, V>(
        program: &Path,
        dir: &Path,
        env: impl IntoIterator<Item = (K, V)>,
    ) -> Node
    where
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        let mut child = Command::new(program)
            .arg("serve")
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .envs(env)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("{} starts: {e}", program.display()));
        let logs = Output::follow(child.stderr.take().expect("piped stderr"));
        let addr = logs
            .wait_for(
                Duration::from_secs(60),
                "the gateway did not start",
                listening_addr,
            )
            .await;
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
        self.logs.text()
    }

    /// The lines the process logged so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.logs.lines()
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

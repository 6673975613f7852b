//! Spawn the application on a free port and talk to it like a widget would.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use switchboard::app::Application;
use switchboard::config::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

/// How long a test waits for a frame the gateway must send.
pub const FRAME_TIMEOUT: Duration = Duration::from_secs(10);

pub struct TestApp {
    pub addr: SocketAddr,
    pub shutdown: CancellationToken,
    pub stopped: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl TestApp {
    pub fn ws_url(&self) -> String {
        format!("ws://{}/v1/chat", self.addr)
    }

    pub async fn connect(&self) -> Client {
        Client::connect(&self.ws_url()).await
    }

    /// An agent signed in with `token` and ready for `languages` (capacity 2). Returns the
    /// client after the first `queue` frame.
    pub async fn agent(&self, token: &str, languages: &[&str]) -> Client {
        let mut agent = Client::connect(&format!("ws://{}/v1/agent", self.addr)).await;
        agent.send(json!({"type": "auth", "token": token})).await;
        let welcome = agent.recv().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        agent
            .send(json!({"type": "ready", "languages": languages, "capacity": 2}))
            .await;
        let queue = agent.recv().await;
        assert_eq!(queue["type"], "queue", "{queue}");
        agent
    }

    /// A client that has said hello with these browser languages.
    pub async fn hello(&self, locales: &[&str]) -> (Client, Value) {
        let mut client = self.connect().await;
        let welcome = client.hello(locales).await;
        (client, welcome)
    }

    /// A client that resumed `welcome`'s session on this node, having seen up to `seen`.
    pub async fn resumed(&self, welcome: &Value, seen: &Value) -> Client {
        let mut client = self.connect().await;
        let seen = seen.as_u64().expect("a seq");
        let resumed = client
            .resume(&welcome["session"], &welcome["token"], seen)
            .await;
        assert_eq!(resumed["resumed"], true, "{resumed}");
        client
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The outside data set: `../shared/data` beside the checkout, or `SWITCHBOARD_SHARED_DATA`;
/// `file` must be in it (a clear failure says where it was looked for).
pub fn shared_data(file: &str) -> PathBuf {
    let data = std::env::var_os("SWITCHBOARD_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("../shared/data"));
    let path = data.join(file);
    assert!(
        path.exists(),
        "{} is missing: the outside data set sits beside the checkout (../shared/data), \
         or set SWITCHBOARD_SHARED_DATA to its folder",
        path.display()
    );
    path
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A gateway using this Redis.
pub async fn spawn_app_on_redis(url: &str, configure: impl FnOnce(&mut Config)) -> TestApp {
    let url = url.to_string();
    spawn_app_with(move |c| {
        c.redis_url = Some(switchboard::config::Secret::new(url));
        configure(c);
    })
    .await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        content: repo_root(),
        // The reload tests turn it on, on a copy of the content.
        watch_content: false,
        ..Config::default()
    };
    configure(&mut config);
    let shutdown = CancellationToken::new();
    let app = Application::build(config, shutdown.clone())
        .await
        .expect("the application builds");
    let addr = app.local_addr();
    let stopped = tokio::spawn(app.run_until_stopped());
    TestApp {
        addr,
        shutdown,
        stopped,
    }
}

pub struct Client {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl Client {
    pub async fn connect(url: &str) -> Client {
        let (ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket handshake");
        Client { ws }
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(&frame.to_string()).await;
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws
            .send(Message::text(text))
            .await
            .expect("send a frame");
    }

    /// The next frame, parsed. Panics if none comes in time or the socket closes.
    pub async fn recv(&mut self) -> Value {
        match self.next_message().await {
            Some(Message::Text(text)) => serde_json::from_str(&text).expect("frames are JSON"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// The next WebSocket message, or `None` when the stream ended.
    pub async fn next_message(&mut self) -> Option<Message> {
        loop {
            let next = tokio::time::timeout(FRAME_TIMEOUT, self.ws.next())
                .await
                .expect("the gateway answers in time");
            match next {
                None => return None,
                Some(Err(_)) => return None,
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(m)) => return Some(m),
            }
        }
    }

    /// Waits for the server to close; returns the close code (None if it just dropped).
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            match self.next_message().await {
                None => return None,
                Some(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Some(_) => continue,
            }
        }
    }

    pub async fn hello(&mut self, locales: &[&str]) -> Value {
        self.send(json!({"type": "hello", "locales": locales}))
            .await;
        let welcome = self.recv().await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        welcome
    }

    /// Sends `hello` resuming `session` (with `token`) after `last_seq`; returns the first
    /// frame that answers it.
    pub async fn resume(&mut self, session: &Value, token: &Value, last_seq: u64) -> Value {
        self.send(json!({
            "type": "hello",
            "resume": {"session": session, "token": token, "last_seq": last_seq},
        }))
        .await;
        self.recv().await
    }

    /// Sends a message and collects frames until both its `ack` and the bot's reply have
    /// come. Returns (ack, reply, every other frame seen meanwhile, in order).
    pub async fn say(&mut self, id: &str, text: &str) -> (Value, Value, Vec<Value>) {
        self.send(json!({"type": "message", "id": id, "text": text}))
            .await;
        self.ack_and_reply(id).await
    }

    pub async fn ack_and_reply(&mut self, id: &str) -> (Value, Value, Vec<Value>) {
        let (mut ack, mut reply, mut others) = (None, None, Vec::new());
        while ack.is_none() || reply.is_none() {
            let frame = self.recv().await;
            if frame["type"] == "ack" && frame["id"] == id {
                ack = Some(frame);
            } else if frame["type"] == "message"
                && frame["from"] == "bot"
                && frame["in_reply_to"] == id
            {
                reply = Some(frame);
            } else {
                others.push(frame);
            }
        }
        (ack.unwrap(), reply.unwrap(), others)
    }

    /// The `handoff` event that came with a reply (`others` of [`Client::say`]), or the next frame
    /// when the reply came first: the contract allows either order.
    pub async fn handoff_event(&mut self, others: Vec<Value>) -> Value {
        match others.into_iter().find(|f| f["type"] == "handoff") {
            Some(event) => event,
            None => self.recv().await,
        }
    }

    /// The next frame that is not a queue update nor a customer's presence (both come
    /// whenever customers come and go; the tests of presence look for them on their own).
    pub async fn recv_skipping_queue(&mut self) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] != "queue" && frame["type"] != "presence" {
                return frame;
            }
        }
    }

    /// The next frame that satisfies `check` (others are skipped).
    pub async fn recv_until(&mut self, check: impl Fn(&Value) -> bool) -> Value {
        loop {
            let frame = self.recv().await;
            if check(&frame) {
                return frame;
            }
        }
    }

    /// The next frame of type `kind` (others are skipped).
    pub async fn recv_type(&mut self, kind: &str) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] == kind {
                return frame;
            }
        }
    }

    /// Waits for a `queue` update that satisfies `check`.
    pub async fn queue_until(&mut self, check: impl Fn(&Value) -> bool) -> Value {
        loop {
            let frame = self.recv().await;
            if frame["type"] == "queue" && check(&frame) {
                return frame;
            }
        }
    }

    /// The next frame, which must be an error with this code.
    pub async fn expect_error(&mut self, code: &str) -> Value {
        let frame = self.recv().await;
        assert_eq!(frame["type"], "error", "{frame}");
        assert_eq!(frame["code"], code, "{frame}");
        assert!(
            frame["message"].as_str().is_some_and(|m| !m.is_empty()),
            "an error explains itself: {frame}"
        );
        frame
    }
}

/// A minimal HTTP/1.1 GET (the suite needs no HTTP client crate for three routes).
/// A minimal HTTP/1.1 request with optional extra header lines; returns (status, body).
pub async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n{extra}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// Copies the demo content (`locales/`, `intents/`) to a fresh folder a test may edit.
pub fn copy_of_content() -> tempfile::TempDir {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let target = to.join(entry.file_name());
            if entry.path().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    for folder in ["locales", "intents"] {
        copy(&repo_root().join(folder), &dir.path().join(folder));
    }
    dir
}

pub async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    http(addr, "GET", path, &[]).await
}

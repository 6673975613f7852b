//! What the tests share, written once: the application on a free port and clients that talk
//! to it like a widget or an agent would, plain HTTP, free ports, polling, the `switchboard`
//! command; what the suite needs from the machine (`prerequisites`, checked when the first test
//! starts); child processes (`process`: their output followed, the gateway as a real process;
//! `redis_server`: private Redis servers, clusters and sentinels).

pub mod prerequisites;
pub mod process;
pub mod redis_server;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use switchboard::app::Application;
use switchboard::config::{AgentCredential, Config, Secret};
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
    /// The configured admin token: `readyz` shows what an operator holding it sees.
    pub admin_token: Option<String>,
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
        agent_at(self.addr, token, languages, 2).await.0
    }

    /// `/readyz`, which must answer 200, as JSON (with the details an admin sees, when the
    /// app has an admin token).
    pub async fn readyz(&self) -> Value {
        let bearer = self.admin_token.as_ref().map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .as_deref()
            .map(|b| vec![("Authorization", b)])
            .unwrap_or_default();
        let (status, body) = http(self.addr, "GET", "/readyz", &headers).await;
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Polls `/readyz` until `check` holds (a reload, seen from outside); returns that state.
    pub async fn until_ready(&self, check: impl Fn(&Value) -> bool) -> Value {
        let within = Duration::from_secs(30);
        let every = Duration::from_millis(100);
        match poll(every, within, async || {
            Some(self.readyz().await).filter(&check)
        })
        .await
        {
            Some(state) => state,
            None => panic!(
                "/readyz did not show what was awaited within {within:?}: {}",
                self.readyz().await
            ),
        }
    }

    /// A Spanish customer who asked for a person (`text`) and is queued: the client, its
    /// welcome and the `queued` event.
    pub async fn queued_customer(&self, id: &str, text: &str) -> (Client, Value, Value) {
        let (mut customer, welcome) = self.hello(&["es"]).await;
        let (_, reply, others) = customer.say(id, text).await;
        assert_eq!(reply["intent"], "human_agent", "{reply}");
        let queued = customer.handoff_event(others).await;
        assert_eq!(queued["type"], "handoff", "{queued}");
        assert_eq!(queued["state"], "queued", "{queued}");
        (customer, welcome, queued)
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

/// The checkout. Every test starts here or in a helper of [`prerequisites`], so the first call
/// of a run checks what the suite needs from the machine.
pub fn repo_root() -> PathBuf {
    prerequisites::check_whole_suite();
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `file` of the outside data set (`../shared/data` beside the checkout, or
/// `SWITCHBOARD_SHARED_DATA`; a clear failure says where it was looked for).
pub fn shared_data(file: &str) -> PathBuf {
    prerequisites::shared_data().join(file)
}

/// A port of 127.0.0.1 nobody listens on (for a server started next).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Agents allowed in, from (name, token) pairs.
pub fn agents(pairs: &[(&str, &str)]) -> Vec<AgentCredential> {
    pairs
        .iter()
        .map(|(name, token)| AgentCredential {
            name: name.to_string(),
            token: Secret::new(*token),
        })
        .collect()
}

/// The agent most tests need: Ana, token `t-ana`.
pub fn agent_ana() -> Vec<AgentCredential> {
    agents(&[("Ana", "t-ana")])
}

/// The `switchboard` binary Cargo built for these tests, to be run in the checkout, with no
/// Redis from the environment (async tests: `tokio::process::Command::from` it).
pub fn switchboard_command() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_switchboard"));
    command
        .current_dir(repo_root())
        .env_remove("SWITCHBOARD_REDIS_URL");
    command
}

/// Polling with a deadline, for what a test cannot await: another process, a file watcher, a
/// timer of the gateway's seen from outside. `while polling.next().await { … }` runs its body
/// at once, then every `every` until `within` has passed.
pub struct Polling {
    every: Duration,
    deadline: tokio::time::Instant,
    first: bool,
}

impl Polling {
    pub fn new(every: Duration, within: Duration) -> Polling {
        Polling {
            every,
            deadline: tokio::time::Instant::now() + within,
            first: true,
        }
    }

    /// Whether to ask again (after waiting `every`, but the first time); false once the time
    /// is up.
    pub async fn next(&mut self) -> bool {
        if std::mem::take(&mut self.first) {
            return true;
        }
        if tokio::time::Instant::now() >= self.deadline {
            return false;
        }
        tokio::time::sleep(self.every).await;
        true
    }
}

/// Asks `check` until it gives a value: at once, then every `every` for up to `within` (see
/// [`Polling`]); `None` if it never did.
pub async fn poll<T>(
    every: Duration,
    within: Duration,
    mut check: impl AsyncFnMut() -> Option<T>,
) -> Option<T> {
    let mut polling = Polling::new(every, within);
    while polling.next().await {
        if let Some(value) = check().await {
            return Some(value);
        }
    }
    None
}

/// [`poll`] for a yes-or-no `check`: whether it held in time.
pub async fn poll_until(
    every: Duration,
    within: Duration,
    mut check: impl AsyncFnMut() -> bool,
) -> bool {
    poll(every, within, async || check().await.then_some(()))
        .await
        .is_some()
}

/// Polls `check` every 50 ms until it holds; fails naming `what` after `secs` seconds.
pub async fn eventually(secs: u64, what: &str, check: impl AsyncFnMut() -> bool) {
    let within = Duration::from_secs(secs);
    let held = poll_until(Duration::from_millis(50), within, check).await;
    assert!(held, "{what}: not within {secs} s");
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A gateway using this Redis (`url`: what `SWITCHBOARD_REDIS_URL` says).
pub async fn spawn_app_on_redis(url: &str, configure: impl FnOnce(&mut Config)) -> TestApp {
    let url = url.to_string();
    spawn_app_with(move |c| {
        c.redis_url = Some(Secret::new(url));
        configure(c);
    })
    .await
}

/// A gateway watching its own copy of the demo content (which the test may edit).
pub async fn spawn_app_on_a_copy(
    configure: impl FnOnce(&mut Config),
) -> (tempfile::TempDir, TestApp) {
    let content = copy_of_content();
    let root = content.path().to_path_buf();
    let app = spawn_app_with(move |c| {
        c.content = root;
        c.watch_content = true;
        configure(c);
    })
    .await;
    (content, app)
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
    let admin_token = config.admin_token.as_ref().map(|t| t.expose().to_string());
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
        admin_token,
    }
}

/// An agent signed in at `addr` with `token`, ready for `languages` with `capacity`: the client
/// and the first `queue` frame.
pub async fn agent_at(
    addr: SocketAddr,
    token: &str,
    languages: &[&str],
    capacity: u32,
) -> (Client, Value) {
    let mut agent = Client::connect(&format!("ws://{addr}/v1/agent")).await;
    agent.send(json!({"type": "auth", "token": token})).await;
    let welcome = agent.recv().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    agent
        .send(json!({"type": "ready", "languages": languages, "capacity": capacity}))
        .await;
    let queue = agent.recv().await;
    assert_eq!(queue["type"], "queue", "{queue}");
    (agent, queue)
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

    /// The next frame if one comes within `within` (`None`: none did).
    pub async fn recv_within(&mut self, within: Duration) -> Option<Value> {
        tokio::time::timeout(within, self.recv()).await.ok()
    }

    /// The next WebSocket message as it came, pings and pongs too (`None`: the stream ended).
    /// Panics if none comes in time.
    pub async fn next_raw(
        &mut self,
    ) -> Option<Result<Message, tokio_tungstenite::tungstenite::Error>> {
        tokio::time::timeout(FRAME_TIMEOUT, self.ws.next())
            .await
            .expect("the gateway answers in time")
    }

    /// The next WebSocket message, or `None` when the stream ended.
    pub async fn next_message(&mut self) -> Option<Message> {
        loop {
            match self.next_raw().await {
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

/// An HTTP response: header names in lower case (a header sent twice, like `Vary`, reads as
/// one comma-separated value), the body de-chunked (not decompressed).
pub struct Response {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A minimal HTTP/1.1 request with extra header lines (the suite needs no HTTP client crate
/// for a few routes).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> Response {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n{extra}Connection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (k, v) in lines.filter_map(|l| l.split_once(':')) {
        let value = v.trim().to_string();
        headers
            .entry(k.trim().to_ascii_lowercase())
            .and_modify(|old| *old = format!("{old}, {value}"))
            .or_insert(value);
    }
    let mut body = raw[split + 4..].to_vec();
    if headers.get("transfer-encoding").map(String::as_str) == Some("chunked") {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size line");
        let size_text = String::from_utf8_lossy(&data[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("a hex chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

/// [`request`]'s status and body as text.
pub async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, String) {
    let response = request(addr, method, path, headers).await;
    let body = String::from_utf8_lossy(&response.body).into_owned();
    (response.status, body)
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

pub async fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    http(addr, "GET", path, &[]).await
}

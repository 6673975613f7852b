//! The load client: N WebSocket customers that say `hello`, then send messages — in a closed
//! loop (each waits for its bot answer before the next) or at a fixed total rate — and time
//! each message from its send (for the fixed rate: from when it was due, so a slow server
//! cannot hide its queueing) to the bot `message` whose `in_reply_to` names it. Or idle
//! customers that only hold their connection, to weigh a connection in the server's memory.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use hdrhistogram::Histogram;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::{sleep_until, timeout};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use switchboard::protocol::{self, ClientFrame, ServerFrameHead, ServerFrameKind};

pub type Ws = WebSocketStream<TcpStream>;

/// Ephemeral ports one source address can use towards one server port, with a margin
/// (Linux's default range is 32768–60999).
pub const PER_SOURCE_ADDRESS: usize = 25_000;
/// Connections opened at once.
const CONNECTING: usize = 256;

/// Where the customers connect.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: String,
    pub addr: SocketAddr,
}

impl Target {
    /// A `ws://host:port/path` URL.
    pub fn parse(url: &str) -> Result<Target, String> {
        let rest = url
            .strip_prefix("ws://")
            .ok_or_else(|| format!("{url:?}: only ws:// URLs are supported"))?;
        let authority = rest.split('/').next().unwrap_or_default();
        let addr = authority
            .to_socket_addrs()
            .map_err(|e| format!("{url:?}: {e}"))?
            .next()
            .ok_or_else(|| format!("{url:?}: no address"))?;
        Ok(Target {
            url: url.to_string(),
            addr,
        })
    }
}

/// What goes wrong, counted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Errors {
    /// Connections that could not be opened or got no `welcome`.
    pub connect: u64,
    /// Messages with no answer within the timeout.
    pub timeouts: u64,
    /// `error` frames received.
    pub error_frames: u64,
    /// Sockets closed by the server (or broken) during the run.
    pub closed: u64,
}

impl Errors {
    pub fn total(&self) -> u64 {
        self.connect + self.timeouts + self.error_frames + self.closed
    }

    fn add(&mut self, other: &Errors) {
        self.connect += other.connect;
        self.timeouts += other.timeouts;
        self.error_frames += other.error_frames;
        self.closed += other.closed;
    }
}

/// How a load run sends.
#[derive(Debug, Clone)]
pub struct Load {
    pub connections: usize,
    /// Messages per second over all connections; `None`: closed loop.
    pub rate: Option<f64>,
    /// Sent but not measured, while the server warms up.
    pub warmup: Duration,
    /// The measured window.
    pub duration: Duration,
    /// A message with no answer after this is a timeout.
    pub timeout: Duration,
    pub texts: Arc<Vec<String>>,
}

/// The figures of one run.
#[derive(Debug, Clone)]
pub struct Report {
    /// Answers received in the measured window.
    pub answered: u64,
    /// Messages due (fixed rate) or sent (closed loop) in the measured window.
    pub sent: u64,
    /// Answers received in all, warm-up included (to weigh the server's CPU time by).
    pub all_answered: u64,
    pub window: Duration,
    /// Latencies in microseconds of the messages of the window: for a fixed rate, from when
    /// each message was due (a late send counts against the run).
    pub latency: Histogram<u64>,
    /// The same, from when each message was actually written to the socket: for a fixed rate,
    /// this leaves out how late the client's timer woke (tokio's timers tick in milliseconds,
    /// so a send is up to ~1 ms late however idle the machine). Equal to `latency` in a closed
    /// loop.
    pub from_send: Histogram<u64>,
    pub errors: Errors,
}

impl Report {
    pub fn per_second(&self) -> f64 {
        self.answered as f64 / self.window.as_secs_f64()
    }

    /// Latency at quantile `q`, in milliseconds.
    pub fn ms(&self, q: f64) -> f64 {
        self.latency.value_at_quantile(q) as f64 / 1000.0
    }

    pub fn max_ms(&self) -> f64 {
        self.latency.max() as f64 / 1000.0
    }

    /// Latency from the actual send at quantile `q`, in milliseconds.
    pub fn from_send_ms(&self, q: f64) -> f64 {
        self.from_send.value_at_quantile(q) as f64 / 1000.0
    }
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 3_600_000_000, 3).expect("valid histogram bounds")
}

/// The source address of the `index`th connection: 127.0.0.1, then .2, ... every
/// [`PER_SOURCE_ADDRESS`] connections (loopback targets only; `None` lets the kernel pick).
fn source_of(target: &Target, index: usize) -> Option<IpAddr> {
    if !target.addr.ip().is_loopback() || !target.addr.is_ipv4() {
        return None;
    }
    let n = 1 + index / PER_SOURCE_ADDRESS;
    Some(IpAddr::V4(Ipv4Addr::new(
        127,
        0,
        (n / 256) as u8,
        (n % 256) as u8,
    )))
}

/// Opens one WebSocket (from `source`, when given) with small buffers, as the gateway's own.
pub async fn connect(target: &Target, source: Option<IpAddr>) -> Result<Ws, String> {
    let socket = match target.addr {
        SocketAddr::V4(_) => TcpSocket::new_v4(),
        SocketAddr::V6(_) => TcpSocket::new_v6(),
    }
    .map_err(|e| e.to_string())?;
    // Closed with a reset, not a FIN: the client closes first, and each closed socket would
    // hold its source port in TIME_WAIT for a minute — after one 15,000-connection idle round
    // the next round (the other server) could not bind enough ports.
    socket.set_zero_linger().map_err(|e| e.to_string())?;
    if let Some(ip) = source {
        socket
            .bind(SocketAddr::new(ip, 0))
            .map_err(|e| format!("bind {ip}: {e}"))?;
    }
    let stream = socket
        .connect(target.addr)
        .await
        .map_err(|e| format!("connect {}: {e}", target.addr))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let config = WebSocketConfig::default()
        .read_buffer_size(4096)
        .write_buffer_size(0);
    let (ws, _) =
        tokio_tungstenite::client_async_with_config(target.url.as_str(), stream, Some(config))
            .await
            .map_err(|e| format!("upgrade: {e}"))?;
    Ok(ws)
}

enum Seen {
    /// The bot answered this message id.
    Answer(String),
    Error,
    Other,
}

/// What a server frame means to the load client: only its head is read ([`ServerFrameHead`]).
fn classify(text: &str) -> Seen {
    match ServerFrameHead::parse(text) {
        Ok(frame) if frame.kind == ServerFrameKind::Error => Seen::Error,
        Ok(frame)
            if frame.kind == ServerFrameKind::Message
                && frame.from == Some(protocol::From::Bot) =>
        {
            frame
                .in_reply_to
                .map_or(Seen::Other, |id| Seen::Answer(id.into_owned()))
        }
        _ => Seen::Other,
    }
}

fn is_welcome(text: &str) -> bool {
    ServerFrameHead::parse(text).is_ok_and(|frame| frame.kind == ServerFrameKind::Welcome)
}

fn message_frame(id: &str, text: &str) -> String {
    ClientFrame::Message {
        id: id.to_string(),
        text: text.to_string(),
        payload: None,
    }
    .encode()
}

fn hello_frame() -> String {
    ClientFrame::Hello {
        locales: vec!["en".into()],
        resume: None,
    }
    .encode()
}

/// Opens a connection and says `hello`; done when `welcome` arrives.
async fn open(target: &Target, source: Option<IpAddr>, wait: Duration) -> Result<Ws, String> {
    let mut ws = connect(target, source).await?;
    ws.send(Message::text(hello_frame()))
        .await
        .map_err(|e| e.to_string())?;
    let welcome = async {
        while let Some(frame) = ws.next().await {
            if let Ok(Message::Text(text)) = frame {
                if is_welcome(&text) {
                    return Ok(());
                }
            } else if frame.is_err() {
                break;
            }
        }
        Err("closed before welcome".to_string())
    };
    timeout(wait, welcome)
        .await
        .map_err(|_| "no welcome in time".to_string())??;
    Ok(ws)
}

/// Opens `n` customer connections, [`CONNECTING`] at a time. Failures are counted, not fatal.
pub async fn open_many(target: &Target, n: usize, wait: Duration) -> (Vec<Ws>, u64, Vec<String>) {
    let limit = Arc::new(Semaphore::new(CONNECTING));
    let mut tasks = Vec::with_capacity(n);
    for index in 0..n {
        let (target, limit) = (target.clone(), limit.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = limit.acquire_owned().await.expect("semaphore open");
            open(&target, source_of(&target, index), wait).await
        }));
    }
    let (mut open, mut failed, mut reasons) = (Vec::with_capacity(n), 0, Vec::new());
    for task in tasks {
        match task.await {
            Ok(Ok(ws)) => open.push(ws),
            Ok(Err(reason)) => {
                failed += 1;
                if reasons.len() < 3 {
                    reasons.push(reason);
                }
            }
            Err(e) => {
                failed += 1;
                reasons.push(e.to_string());
            }
        }
    }
    (open, failed, reasons)
}

struct Window {
    base: Instant,
    start: Instant,
    end: Instant,
}

struct Tally {
    latency: Histogram<u64>,
    from_send: Histogram<u64>,
    answered: u64,
    all_answered: u64,
    sent: u64,
    errors: Errors,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            latency: histogram(),
            from_send: histogram(),
            answered: 0,
            all_answered: 0,
            sent: 0,
            errors: Errors::default(),
        }
    }
}

/// Runs `load` against `target`: connects, warms up, measures, and reports.
pub async fn run(target: &Target, load: &Load) -> Result<Report, String> {
    let (sockets, failed, reasons) = open_many(target, load.connections, load.timeout).await;
    if sockets.is_empty() {
        return Err(format!(
            "no connection to {} could be opened: {}",
            target.url,
            reasons.join("; ")
        ));
    }
    let base = Instant::now() + Duration::from_millis(20);
    let window = Arc::new(Window {
        base,
        start: base + load.warmup,
        end: base + load.warmup + load.duration,
    });
    let connections = sockets.len();
    let mut tasks = Vec::with_capacity(connections);
    for (index, ws) in sockets.into_iter().enumerate() {
        let (window, texts) = (window.clone(), load.texts.clone());
        let wait = load.timeout;
        let task = match load.rate {
            None => tokio::spawn(closed_loop(ws, index, window, texts, wait)),
            Some(rate) => {
                // Connection i sends every `connections / rate` seconds, the connections
                // evenly spread over that interval.
                let interval = Duration::from_secs_f64(connections as f64 / rate);
                let first = window.base + interval.mul_f64(index as f64 / connections as f64);
                tokio::spawn(fixed_rate(ws, index, first, interval, window, texts, wait))
            }
        };
        tasks.push(task);
    }
    let mut total = Tally::new();
    total.errors.connect = failed;
    for task in tasks {
        let tally = task.await.map_err(|e| e.to_string())?;
        total
            .latency
            .add(&tally.latency)
            .map_err(|e| e.to_string())?;
        total
            .from_send
            .add(&tally.from_send)
            .map_err(|e| e.to_string())?;
        total.answered += tally.answered;
        total.all_answered += tally.all_answered;
        total.sent += tally.sent;
        total.errors.add(&tally.errors);
    }
    Ok(Report {
        answered: total.answered,
        sent: total.sent,
        all_answered: total.all_answered,
        window: load.duration,
        latency: total.latency,
        from_send: total.from_send,
        errors: total.errors,
    })
}

fn text_of(texts: &[String], index: usize, k: u64) -> &str {
    &texts[(index.wrapping_mul(7919) + k as usize) % texts.len()]
}

/// Each customer sends, waits for the answer, and sends the next.
async fn closed_loop(
    mut ws: Ws,
    index: usize,
    window: Arc<Window>,
    texts: Arc<Vec<String>>,
    wait: Duration,
) -> Tally {
    let mut tally = Tally::new();
    sleep_until(window.base.into()).await;
    let mut k = 0u64;
    while Instant::now() < window.end {
        let id = k.to_string();
        k += 1;
        let sent_at = Instant::now();
        let measured = sent_at >= window.start;
        if ws
            .send(Message::text(message_frame(&id, text_of(&texts, index, k))))
            .await
            .is_err()
        {
            tally.errors.closed += 1;
            return tally;
        }
        if measured {
            tally.sent += 1;
        }
        let answer = async {
            while let Some(frame) = ws.next().await {
                match frame {
                    Ok(Message::Text(text)) => match classify(&text) {
                        Seen::Answer(to) if to == id => return Ok(true),
                        Seen::Error => return Ok(false),
                        _ => {}
                    },
                    Ok(Message::Close(_)) | Err(_) => break,
                    Ok(_) => {}
                }
            }
            Err(())
        };
        match timeout(wait, answer).await {
            Ok(Ok(true)) => {
                tally.all_answered += 1;
                let done = Instant::now();
                if measured && done <= window.end {
                    tally.answered += 1;
                    let micros = (done - sent_at).as_micros().max(1) as u64;
                    let _ = tally.latency.record(micros);
                    let _ = tally.from_send.record(micros);
                }
            }
            Ok(Ok(false)) => tally.errors.error_frames += 1,
            Ok(Err(())) => {
                tally.errors.closed += 1;
                return tally;
            }
            Err(_) => tally.errors.timeouts += 1,
        }
    }
    tally
}

/// The customer sends on a fixed schedule whatever the answers do; each message's id carries
/// the microsecond it was due and the one it was written, and its latency runs from when it
/// was due (`from_send`: from when it was written).
async fn fixed_rate(
    mut ws: Ws,
    index: usize,
    first: Instant,
    interval: Duration,
    window: Arc<Window>,
    texts: Arc<Vec<String>>,
    wait: Duration,
) -> Tally {
    let mut tally = Tally::new();
    let mut k = 0u64;
    let mut due = first;
    let mut sending = due < window.end;
    // Measured messages sent and not yet answered (or timed out).
    let mut outstanding = 0u64;
    let give_up = window.end + wait;
    loop {
        if !sending && outstanding == 0 {
            break;
        }
        tokio::select! {
            _ = sleep_until(due.into()), if sending => {
                let offset = (due - window.base).as_micros();
                let written = Instant::now().saturating_duration_since(window.base).as_micros();
                let id = format!("{k}.{offset}.{written}");
                k += 1;
                if ws.send(Message::text(message_frame(&id, text_of(&texts, index, k)))).await.is_err() {
                    tally.errors.closed += 1;
                    tally.errors.timeouts += outstanding;
                    return tally;
                }
                if due >= window.start {
                    tally.sent += 1;
                    outstanding += 1;
                }
                due += interval;
                sending = due < window.end;
            }
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(text))) => match classify(&text) {
                    Seen::Answer(id) => {
                        tally.all_answered += 1;
                        let mut parts = id.split('.').skip(1).map(|us| us.parse::<u64>().ok());
                        let (Some(Some(offset)), Some(Some(written))) = (parts.next(), parts.next()) else {
                            continue;
                        };
                        let due_at = window.base + Duration::from_micros(offset);
                        let written_at = window.base + Duration::from_micros(written);
                        if due_at < window.start {
                            continue;
                        }
                        outstanding = outstanding.saturating_sub(1);
                        let now = Instant::now();
                        let latency = now.saturating_duration_since(due_at);
                        if latency > wait {
                            tally.errors.timeouts += 1;
                        } else {
                            tally.answered += 1;
                            let _ = tally.latency.record(latency.as_micros().max(1) as u64);
                            let from_send = now.saturating_duration_since(written_at);
                            let _ = tally.from_send.record(from_send.as_micros().max(1) as u64);
                        }
                    }
                    Seen::Error => tally.errors.error_frames += 1,
                    Seen::Other => {}
                },
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    tally.errors.closed += 1;
                    tally.errors.timeouts += outstanding;
                    return tally;
                }
                Some(Ok(_)) => {}
            },
            _ = sleep_until(give_up.into()), if !sending => {
                tally.errors.timeouts += outstanding;
                break;
            }
        }
    }
    tally
}

/// What holding idle connections costs a server.
#[derive(Debug, Clone)]
pub struct IdleReport {
    pub opened: usize,
    pub failed: u64,
    pub rss_before_kb: u64,
    pub rss_after_kb: u64,
}

impl IdleReport {
    /// Resident memory the server grew by, per open connection.
    pub fn bytes_per_connection(&self) -> f64 {
        (self.rss_after_kb.saturating_sub(self.rss_before_kb) * 1024) as f64
            / self.opened.max(1) as f64
    }
}

/// The resident set of process `pid`, in KiB (Linux: `/proc/PID/status`).
pub fn rss_kb(pid: u32) -> Result<u64, String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("cannot read the memory of process {pid}: {e}"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no VmRSS for process {pid}"))
}

/// CPU time process `pid` has used (user + system), from `/proc/PID/stat`.
pub fn cpu_time(pid: u32) -> Result<Duration, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map_err(|e| format!("cannot read the CPU time of process {pid}: {e}"))?;
    // Fields after the command name (which may hold spaces) start at field 3; utime and
    // stime are fields 14 and 15, in clock ticks.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    let (user, system) = ticks(11)
        .zip(ticks(12))
        .ok_or_else(|| format!("no CPU times for process {pid}"))?;
    Ok(Duration::from_secs_f64(
        (user + system) as f64 / CLOCK_TICKS,
    ))
}

/// `sysconf(_SC_CLK_TCK)`: 100 on every Linux of the last decades.
const CLOCK_TICKS: f64 = 100.0;

/// The soft limit on open files of process `pid` (`self` for this one).
pub fn open_files_limit(pid: &str) -> Option<u64> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Opens `n` customer connections that say `hello` and then hold, and weighs them in server
/// process `pid`'s resident memory (after `settle`, so the server is done with the burst).
pub async fn idle(
    target: &Target,
    n: usize,
    pid: u32,
    settle: Duration,
) -> Result<IdleReport, String> {
    for (who, process) in [
        ("this client", "self".to_string()),
        ("the server", pid.to_string()),
    ] {
        if let Some(limit) = open_files_limit(&process) {
            if (limit as usize) < n + 64 {
                return Err(format!(
                    "{who} may open only {limit} files, fewer than {n} connections need: raise it first (ulimit -n $(ulimit -Hn))"
                ));
            }
        }
    }
    let rss_before_kb = rss_kb(pid)?;
    let (sockets, failed, reasons) = open_many(target, n, Duration::from_secs(30)).await;
    if !reasons.is_empty() {
        eprintln!("some idle connections failed: {}", reasons.join("; "));
    }
    tokio::time::sleep(settle).await;
    let rss_after_kb = rss_kb(pid)?;
    let opened = sockets.len();
    drop(sockets);
    Ok(IdleReport {
        opened,
        failed,
        rss_before_kb,
        rss_after_kb,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_used_some_cpu_time() {
        // The kernel counts in clock ticks (10 ms): burn CPU until at least one is counted,
        // for at most 5 s of wall time (a broken reading stays at zero and fails).
        let start = std::time::Instant::now();
        while cpu_time(std::process::id()).unwrap() == Duration::ZERO {
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no CPU time counted after 5 s of spinning"
            );
            std::hint::black_box((0..200_000u64).fold(0u64, |a, i| a.wrapping_add(i ^ (i >> 3))));
        }
    }

    #[test]
    fn targets_are_ws_urls_with_an_address() {
        let t = Target::parse("ws://127.0.0.1:8080/v1/chat").unwrap();
        assert_eq!(t.addr, "127.0.0.1:8080".parse().unwrap());
        assert!(Target::parse("http://127.0.0.1:8080/").is_err());
    }

    #[test]
    fn sources_move_to_the_next_loopback_address_every_block() {
        let t = Target::parse("ws://127.0.0.1:1/v1/chat").unwrap();
        assert_eq!(source_of(&t, 0), Some("127.0.0.1".parse().unwrap()));
        assert_eq!(
            source_of(&t, PER_SOURCE_ADDRESS),
            Some("127.0.0.2".parse().unwrap())
        );
    }

    #[test]
    fn answers_are_bot_messages_naming_the_message() {
        assert!(matches!(
            classify(r#"{"type":"message","seq":2,"from":"bot","text":"x","in_reply_to":"7.100"}"#),
            Seen::Answer(id) if id == "7.100"
        ));
        assert!(matches!(
            classify(r#"{"type":"message","seq":3,"from":"agent","text":"x"}"#),
            Seen::Other
        ));
        assert!(matches!(
            classify(r#"{"type":"error","code":"rate_limited","message":"slow down"}"#),
            Seen::Error
        ));
        assert!(matches!(
            classify(r#"{"type":"ack","id":"1","seq":1}"#),
            Seen::Other
        ));
    }
}

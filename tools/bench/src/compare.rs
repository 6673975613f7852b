//! The side-by-side run: starts the gateway (`switchboard serve`) and the bare reference
//! server as processes of their own (pinned to CPUs with `taskset` when asked), alternates
//! rounds of the same load against each, and prints every round and the medians, the gateway
//! as a ratio to the bare server.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::client::{self, IdleReport, Load, Report, Target};

/// Which server a figure is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Bare,
    Gateway,
}

impl Server {
    pub fn name(self) -> &'static str {
        match self {
            Server::Bare => "bare",
            Server::Gateway => "gateway",
        }
    }
}

/// How to start the servers.
#[derive(Debug, Clone)]
pub struct Servers {
    /// The `switchboard` binary (default: beside this one).
    pub gateway_bin: PathBuf,
    /// The `switchboard-bench` binary for `bare` (default: this one).
    pub bench_bin: PathBuf,
    /// `taskset -c` CPU list for both servers; `None`: not pinned.
    pub cpus: Option<String>,
    /// Extra `KEY=VALUE` settings for the gateway.
    pub gateway_env: Vec<(String, String)>,
}

impl Servers {
    pub fn beside_this_binary(cpus: Option<String>) -> Result<Servers, String> {
        let me = std::env::current_exe().map_err(|e| e.to_string())?;
        let gateway_bin = me.with_file_name("switchboard");
        if !gateway_bin.exists() {
            return Err(format!(
                "{} is missing: cargo build --release --bins",
                gateway_bin.display()
            ));
        }
        Ok(Servers {
            gateway_bin,
            bench_bin: me,
            cpus,
            gateway_env: Vec::new(),
        })
    }
}

/// A server process, killed on drop.
pub struct Running {
    child: Child,
    pub target: Target,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// Starts `server` and waits until it accepts connections.
pub fn start(servers: &Servers, server: Server) -> Result<Running, String> {
    let port = free_port()?;
    let listen = format!("127.0.0.1:{port}");
    let (program, args): (&PathBuf, Vec<String>) = match server {
        Server::Gateway => (&servers.gateway_bin, vec!["serve".into()]),
        Server::Bare => (
            &servers.bench_bin,
            vec!["bare".into(), "--listen".into(), listen.clone()],
        ),
    };
    let mut command = match &servers.cpus {
        Some(cpus) => {
            let mut c = Command::new("taskset");
            c.args(["-c", cpus]).arg(program);
            c
        }
        None => Command::new(program),
    };
    command
        .args(&args)
        .env("SWITCHBOARD_LISTEN", &listen)
        .env("SWITCHBOARD_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    if server == Server::Gateway {
        command.envs(servers.gateway_env.iter().map(|(k, v)| (k, v)));
    }
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
    let mut running = Running {
        child,
        target: Target::parse(&format!("ws://{listen}/v1/chat"))?,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if std::net::TcpStream::connect(&listen).is_ok() {
            return Ok(running);
        }
        if let Ok(Some(status)) = running.child.try_wait() {
            return Err(format!("the {} server exited: {status}", server.name()));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the {} server did not listen in 60 s",
                server.name()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The machine's load average over 1 minute (`/proc/loadavg`), to print next to figures.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// A round's figures and the server's CPU time per answered message.
pub struct Round {
    pub server: Server,
    pub report: Report,
    pub cpu_per_message: Duration,
}

fn print_round(round: usize, r: &Round) {
    let (server, report) = (r.server, &r.report);
    println!(
        "| {round} | {:<7} | {:>9.0} | {:>6.0} | {:>7.2} | {:>7.2} | {:>7.2} | {:>7.2} | {:>8.2} | {:>6} | {} |",
        server.name(),
        report.per_second(),
        r.cpu_per_message.as_secs_f64() * 1e6,
        report.ms(0.5),
        report.ms(0.9),
        report.ms(0.99),
        report.ms(0.999),
        report.max_ms(),
        report.errors.total(),
        load_average(),
    );
    if report.errors.total() > 0 {
        println!("|   | errors: {:?} |", report.errors);
    }
}

/// Rounds of `load` against both servers (started once, alternating which goes first), with
/// the medians. Returns the reports, bare first, round by round.
pub async fn rounds(servers: &Servers, load: &Load, rounds: usize) -> Result<Vec<Round>, String> {
    let bare = start(servers, Server::Bare)?;
    let gateway = start(servers, Server::Gateway)?;
    println!(
        "| round | server | msg/s | server CPU µs/msg | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | load avg |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut all = Vec::new();
    for round in 1..=rounds {
        let order = if round % 2 == 1 {
            [Server::Bare, Server::Gateway]
        } else {
            [Server::Gateway, Server::Bare]
        };
        for server in order {
            let running = match server {
                Server::Bare => &bare,
                Server::Gateway => &gateway,
            };
            let cpu_before = client::cpu_time(running.pid())?;
            let report = client::run(&running.target, load).await?;
            let cpu = client::cpu_time(running.pid())?.saturating_sub(cpu_before);
            let round_figures = Round {
                server,
                cpu_per_message: cpu / report.all_answered.max(1) as u32,
                report,
            };
            print_round(round, &round_figures);
            all.push(round_figures);
        }
    }
    summarize(&all);
    if load.rate.is_some() {
        summarize_from_send(&all);
    }
    Ok(all)
}

/// The median over `all`'s rounds of `server` of `f`.
fn pick(all: &[Round], server: Server, f: &dyn Fn(&Round) -> f64) -> f64 {
    let mut values: Vec<f64> = all.iter().filter(|r| r.server == server).map(f).collect();
    median(&mut values)
}

fn summarize(all: &[Round]) {
    let pick = |server: Server, f: &dyn Fn(&Round) -> f64| pick(all, server, f);
    println!();
    println!("| medians | msg/s | server CPU µs/msg | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors (sum) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for server in [Server::Bare, Server::Gateway] {
        let errors: u64 = all
            .iter()
            .filter(|r| r.server == server)
            .map(|r| r.report.errors.total())
            .sum();
        println!(
            "| {} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {errors} |",
            server.name(),
            pick(server, &|r| r.report.per_second()),
            pick(server, &|r| r.cpu_per_message.as_secs_f64() * 1e6),
            pick(server, &|r| r.report.ms(0.5)),
            pick(server, &|r| r.report.ms(0.9)),
            pick(server, &|r| r.report.ms(0.99)),
            pick(server, &|r| r.report.ms(0.999)),
            pick(server, &|r| r.report.max_ms()),
        );
    }
    let ratio = |f: &dyn Fn(&Round) -> f64| pick(Server::Gateway, f) / pick(Server::Bare, f);
    println!(
        "| gateway / bare | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | |",
        ratio(&|r| r.report.per_second()),
        ratio(&|r| r.cpu_per_message.as_secs_f64()),
        ratio(&|r| r.report.ms(0.5)),
        ratio(&|r| r.report.ms(0.9)),
        ratio(&|r| r.report.ms(0.99)),
        ratio(&|r| r.report.ms(0.999)),
        ratio(&|r| r.report.max_ms()),
    );
}

/// At a fixed rate, the latencies from when each message was written rather than due: the
/// client's timer wakes up to ~1 ms late, which the due-time figures charge to both servers.
fn summarize_from_send(all: &[Round]) {
    let quantiles = [0.5, 0.9, 0.99, 0.999];
    println!();
    println!("| medians, from the actual send | p50 ms | p90 ms | p99 ms | p99.9 ms |");
    println!("|---|---|---|---|---|");
    for server in [Server::Bare, Server::Gateway] {
        let cells: Vec<String> = quantiles
            .iter()
            .map(|&q| format!("{:.2}", pick(all, server, &|r| r.report.from_send_ms(q))))
            .collect();
        println!("| {} | {} |", server.name(), cells.join(" | "));
    }
    let cells: Vec<String> = quantiles
        .iter()
        .map(|&q| {
            let f = |r: &Round| r.report.from_send_ms(q);
            format!(
                "{:.2}",
                pick(all, Server::Gateway, &f) / pick(all, Server::Bare, &f)
            )
        })
        .collect();
    println!("| gateway / bare | {} |", cells.join(" | "));
}

/// Idle connections held by each server, started fresh for each round.
pub async fn idle(
    servers: &Servers,
    connections: usize,
    rounds: usize,
) -> Result<Vec<(Server, IdleReport)>, String> {
    println!("| round | server | connections | failed | RSS before MiB | RSS after MiB | KB per connection | load avg |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut all = Vec::new();
    for round in 1..=rounds {
        for server in [Server::Bare, Server::Gateway] {
            let running = start(servers, server)?;
            // Let the server finish starting (content, allocator arenas) before weighing.
            tokio::time::sleep(Duration::from_secs(1)).await;
            let report = client::idle(
                &running.target,
                connections,
                running.pid(),
                Duration::from_secs(2),
            )
            .await?;
            println!(
                "| {round} | {:<7} | {} | {} | {:.1} | {:.1} | {:.1} | {} |",
                server.name(),
                report.opened,
                report.failed,
                report.rss_before_kb as f64 / 1024.0,
                report.rss_after_kb as f64 / 1024.0,
                report.bytes_per_connection() / 1000.0,
                load_average(),
            );
            all.push((server, report));
        }
    }
    Ok(all)
}

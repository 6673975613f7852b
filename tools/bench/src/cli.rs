//! `switchboard-bench`: the commands of the load tool.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use super::client::{self, Load, Target};
use super::compare::{self, Servers};
use super::{bare, texts};

#[derive(Parser, Debug)]
#[command(
    name = "switchboard-bench",
    about = "Load tool for the switchboard gateway, and the bare reference server it is compared with"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct LoadArgs {
    /// Customer connections.
    #[arg(long, default_value_t = 100)]
    connections: usize,
    /// Messages per second over all connections; without it, a closed loop (each connection
    /// sends its next message when the answer to the last one arrives).
    #[arg(long)]
    rate: Option<f64>,
    /// Measured seconds.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds sent before measuring.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Seconds after which an unanswered message is a timeout.
    #[arg(long, default_value_t = 5.0)]
    timeout: f64,
    /// TSV of texts to send (the last column; mixed locales). Default: the demo content's
    /// examples of all locales.
    #[arg(long)]
    texts: Option<PathBuf>,
    /// Keep only the TSV lines with a column equal to this (e.g. `sentences`).
    #[arg(long)]
    only: Option<String>,
}

impl LoadArgs {
    fn load(&self) -> Result<Load, String> {
        let texts = match &self.texts {
            Some(path) => texts::from_tsv(path, self.only.as_deref())?,
            None => texts::from_content(std::path::Path::new("."))?,
        };
        Ok(Load {
            connections: self.connections,
            rate: self.rate,
            warmup: Duration::from_secs_f64(self.warmup),
            duration: Duration::from_secs_f64(self.duration),
            timeout: Duration::from_secs_f64(self.timeout),
            texts: Arc::new(texts),
        })
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    /// Messages against both servers (closed loop, or --rate).
    Load,
    /// Idle connections weighed in each server's memory.
    Idle,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The bare reference server: same stack, same protocol, no logic.
    Bare {
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: String,
    },
    /// Load one running server and print its figures.
    Load {
        /// The server's customer channel.
        #[arg(long, default_value = "ws://127.0.0.1:8080/v1/chat")]
        url: String,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// Open and hold idle connections to a running server and weigh them in its memory.
    Idle {
        #[arg(long, default_value = "ws://127.0.0.1:8080/v1/chat")]
        url: String,
        #[arg(long, default_value_t = 1000)]
        connections: usize,
        /// The server's process id (its resident memory is read from /proc).
        #[arg(long)]
        pid: u32,
    },
    /// Start the gateway and the bare server and run the same load against both, in
    /// alternating rounds; prints each round, the medians and the gateway/bare ratios.
    Compare {
        #[arg(long, value_enum, default_value_t = Scenario::Load)]
        scenario: Scenario,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Pin both servers to these CPUs (`taskset -c` list, e.g. `0`).
        #[arg(long)]
        server_cpus: Option<String>,
        /// Idle connections (scenario idle).
        #[arg(long, default_value_t = 15_000)]
        idle_connections: usize,
        /// The gateway binary to run (default: `switchboard` beside this one), e.g. an older
        /// build to compare with.
        #[arg(long)]
        gateway_bin: Option<PathBuf>,
        /// Extra gateway settings, KEY=VALUE (e.g. SWITCHBOARD_MAX_TEXT_CHARS=4000).
        #[arg(long = "gateway-env", value_parser = key_value)]
        gateway_env: Vec<(String, String)>,
        #[command(flatten)]
        load: LoadArgs,
    },
}

fn key_value(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("{s:?} is not KEY=VALUE"))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("switchboard-bench: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(command(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("switchboard-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn command(command: Command) -> Result<(), String> {
    match command {
        Command::Bare { listen } => {
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            eprintln!("bare reference server on ws://{listen}/v1/chat");
            bare::serve(listener).await.map_err(|e| e.to_string())
        }
        Command::Load { url, load } => {
            let target = Target::parse(&url)?;
            let report = client::run(&target, &load.load()?).await?;
            println!(
                "{:.0} msg/s; latency ms p50 {:.2} p90 {:.2} p99 {:.2} p99.9 {:.2} max {:.2} (from the actual send: p50 {:.2} p99 {:.2}); {} answered of {} sent; errors {:?}",
                report.per_second(),
                report.ms(0.5),
                report.ms(0.9),
                report.ms(0.99),
                report.ms(0.999),
                report.max_ms(),
                report.from_send_ms(0.5),
                report.from_send_ms(0.99),
                report.answered,
                report.sent,
                report.errors
            );
            Ok(())
        }
        Command::Idle {
            url,
            connections,
            pid,
        } => {
            let target = Target::parse(&url)?;
            let report = client::idle(&target, connections, pid, Duration::from_secs(2)).await?;
            println!(
                "{} connections held ({} failed): RSS {:.1} → {:.1} MiB, {:.1} KB per connection",
                report.opened,
                report.failed,
                report.rss_before_kb as f64 / 1024.0,
                report.rss_after_kb as f64 / 1024.0,
                report.bytes_per_connection() / 1000.0
            );
            Ok(())
        }
        Command::Compare {
            scenario,
            rounds,
            server_cpus,
            idle_connections,
            gateway_bin,
            gateway_env,
            load,
        } => {
            let mut servers = Servers::beside_this_binary(server_cpus.clone())?;
            servers.gateway_env = gateway_env;
            if let Some(bin) = gateway_bin {
                servers.gateway_bin = bin;
            }
            println!(
                "servers on CPUs {}; {} CPUs here; load average {}",
                server_cpus.as_deref().unwrap_or("any"),
                std::thread::available_parallelism().map_or(0, |n| n.get()),
                compare::load_average()
            );
            match scenario {
                Scenario::Load => {
                    let load = load.load()?;
                    println!(
                        "{} connections, {}, {} texts, {:.0} s measured after {:.0} s warm-up, {rounds} rounds",
                        load.connections,
                        load.rate.map_or("closed loop".to_string(), |r| format!("{r:.0} msg/s in all")),
                        load.texts.len(),
                        load.duration.as_secs_f64(),
                        load.warmup.as_secs_f64(),
                    );
                    compare::rounds(&servers, &load, rounds).await?;
                }
                Scenario::Idle => {
                    compare::idle(&servers, idle_connections, rounds).await?;
                }
            }
            Ok(())
        }
    }
}

//! What an intent store of about 10,000 examples costs: building it (what a reload pays per
//! locale) and matching one message against it, for the gateway's matcher and, in the same
//! run, the classical TF-IDF + linear SVM baseline (`Settings::baseline`, the matcher before
//! the answer-quality work). The store is banking77's train file (10,003 English examples,
//! 77 intents); the messages are CLINC150's validation questions (3,100, none in the store).
//!
//! Match times are also given for long messages: the English sentences of
//! `langid-dev.tsv` (500 news sentences, what the gateway's load test sends). (Until commit
//! 0133fc8 a third row, "gateway before", measured the solver before the build-time work —
//! each class alone with liblinear's shrinking — and `EMBEDDINGS=table` a fourth, the gateway
//! with pretrained embeddings; both options were removed from the matcher.)
//!
//! Build times are medians over the rounds, wall and CPU time of the process (the machine is
//! shared: wall time includes waiting for a core; the gateway trains on several threads); match times are over every message of
//! every round.
//!
//! `cargo run --release -p switchboard-lab --example intent_store_bench [ROUNDS]` (from the repository root;
//! the data is `../shared/data`, or `$SWITCHBOARD_SHARED_DATA`).

use std::path::PathBuf;
use std::time::Instant;

use switchboard::intents::{Matcher, Settings};

fn data_dir() -> PathBuf {
    std::env::var_os("SWITCHBOARD_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}

fn read(name: &str) -> String {
    let path = data_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!(
            "cannot read {}: {e} (set SWITCHBOARD_SHARED_DATA)",
            path.display()
        );
        std::process::exit(1)
    })
}

/// `text,category` with RFC 4180 quoting (a quoted text may hold commas, quotes, newlines).
fn banking77() -> Vec<(String, String)> {
    let csv = read("banking77-train.csv");
    let mut records = Vec::new();
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            ('\n', false) => {
                fields.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut fields));
            }
            ('\r', false) => {}
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !fields.is_empty() {
        fields.push(field);
        records.push(fields);
    }
    records
        .into_iter()
        .skip(1)
        .filter_map(|r| match r.as_slice() {
            [text, intent] => Some((intent.clone(), text.clone())),
            _ => None,
        })
        .collect()
}

/// CPU time of this process (every thread: training uses several), from Linux's
/// `/proc/self/stat` in clock ticks (100 a second); the machine is shared, so wall time
/// includes waiting for a core. `None` elsewhere.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses): utime is the 12th, stime 13th.
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let store = banking77();
    let mut intents: Vec<String> = store.iter().map(|(i, _)| i.clone()).collect();
    intents.sort();
    intents.dedup();
    let messages: Vec<String> = read("clinc150-train-val.tsv")
        .lines()
        .filter(|l| l.starts_with("val\t") || l.starts_with("oos_val\t"))
        .filter_map(|l| l.splitn(3, '\t').nth(2).map(str::to_string))
        .collect();
    let long: Vec<String> = read("langid-dev.tsv")
        .lines()
        .filter(|l| l.starts_with("en\tsentences\t"))
        .filter_map(|l| l.splitn(3, '\t').nth(2).map(str::to_string))
        .collect();
    println!(
        "store: {} examples, {} intents; {} messages, {} long ones (mean {} chars); {rounds} rounds",
        store.len(),
        intents.len(),
        messages.len(),
        long.len(),
        long.iter().map(|t| t.chars().count()).sum::<usize>() / long.len().max(1)
    );
    println!(
        "{:<15} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "matcher", "build s", "build cpu", "match p50", "match p99", "mean µs", "long p50"
    );
    let mut rows = Vec::new();
    let variants = [
        ("baseline", Settings::baseline()),
        ("gateway", Settings::default()),
    ];
    for (name, settings) in variants {
        let (mut builds, mut cpu) = (Vec::new(), Vec::new());
        let mut matcher = None;
        for _ in 0..rounds {
            let (started, cpu_started) = (Instant::now(), process_cpu_seconds());
            matcher = Some(Matcher::build_with(&intents, &store, settings));
            builds.push(started.elapsed().as_secs_f64());
            if let (Some(a), Some(b)) = (cpu_started, process_cpu_seconds()) {
                cpu.push(b - a);
            }
        }
        let matcher = matcher.expect("at least one round");
        // Microseconds per match of each text, `rounds` times over.
        let time_each = |texts: &[String]| -> Vec<f64> {
            let mut times = Vec::new();
            for _ in 0..rounds {
                for text in texts {
                    let started = Instant::now();
                    std::hint::black_box(matcher.classify(text, 0.5));
                    times.push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
            times
        };
        let mut times = time_each(&messages);
        let mut long_times = time_each(&long);
        long_times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        times.sort_by(f64::total_cmp);
        builds.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let median_build = percentile(&builds, 0.5);
        let median_cpu = if cpu.is_empty() {
            f64::NAN
        } else {
            percentile(&cpu, 0.5)
        };
        println!(
            "{name:<15} {median_build:>9.2} {median_cpu:>9.2} {:>9.1} {:>9.1} {mean:>9.1} {:>9.1}",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            percentile(&long_times, 0.5),
        );
        rows.push((median_cpu, percentile(&times, 0.5), median_build));
    }
    println!(
        "gateway / baseline: build CPU {:.3}, build wall {:.3}, match p50 {:.2}",
        rows[1].0 / rows[0].0,
        rows[1].2 / rows[0].2,
        rows[1].1 / rows[0].1
    );
}

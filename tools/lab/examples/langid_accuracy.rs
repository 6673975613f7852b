//! Language accuracy of the gateway's choice for a first message with no other context,
//! next to plain whatlang restricted to the same locales, on a `lang<TAB>kind<TAB>text` file:
//!
//! `cargo run --release -p switchboard-lab --example langid_accuracy -- ../shared/data/langid-dev.tsv [--errors KIND]`
//!
//! `--errors sentences` (or `word-pairs`, `single-words`) lists the gateway's wrong choices.
//! `--content DIR` loads that content instead of the demo's (issue 21: the demo content with
//! `pl`, `sv`, `ko`, `uk` added, as `cargo test --test it -- --ignored write_demo_content_with_four_more_locales`
//! writes it to `target/content-17`).
//!
//! Times are per detection, the best of `--repeat N` runs of each message (5 by default), for
//! both detectors alternately: a busy machine preempts single runs for milliseconds, which
//! would swamp a mean.

use std::collections::BTreeMap;
use std::time::Instant;

use switchboard::language::{detect::whatlang_of, LanguageContext};

use switchboard_lab as common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let errors_of = option("--errors");
    let repeat: usize = option("--repeat").map_or(5, |r| r.parse().expect("--repeat N"));
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "../shared/data/langid-dev.tsv".into());
    let text = common::read_or_exit(&path);
    let (content, plain) = match option("--content") {
        Some(dir) => {
            let content = common::content_or_exit(std::path::Path::new(&dir));
            let allow: Vec<whatlang::Lang> =
                content.locales.iter().filter_map(whatlang_of).collect();
            (content, whatlang::Detector::with_allowlist(allow))
        }
        None => common::demo_content_and_whatlang(),
    };
    let rows: Vec<(&str, &str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect();
    // kind → (n, gateway right, whatlang right)
    let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    // kind → per-detection nanoseconds (gateway, whatlang)
    let mut times: BTreeMap<&str, (Vec<u64>, Vec<u64>)> = BTreeMap::new();
    // The model's pages are faulted in on first use: warm up on a pass over the data.
    for (_, _, sentence) in &rows {
        std::hint::black_box(content.detector.detect(sentence));
    }
    for (lang, kind, sentence) in &rows {
        let (mut gateway_time, mut plain_time) = (u64::MAX, u64::MAX);
        let (mut detection, mut chosen, mut whatlang_choice) = (None, None, None);
        for _ in 0..repeat.max(1) {
            let started = Instant::now();
            let d = content.detector.detect(sentence);
            let c = common::reply_locale(&content, &LanguageContext::default(), sentence, &d);
            gateway_time = gateway_time.min(started.elapsed().as_nanos() as u64);
            let started = Instant::now();
            let w = plain.detect_lang(sentence);
            plain_time = plain_time.min(started.elapsed().as_nanos() as u64);
            (detection, chosen, whatlang_choice) = (Some(d), Some(c), w);
        }
        let (detection, chosen) = (detection.expect("ran"), chosen.expect("ran"));
        let t = times.entry(kind).or_default();
        t.0.push(gateway_time);
        t.1.push(plain_time);
        let expected: unic_langid::LanguageIdentifier = lang.parse().expect("tag in data");
        let entry = by_kind.entry(kind).or_default();
        entry.0 += 1;
        if chosen == expected {
            entry.1 += 1;
        } else if errors_of.as_deref() == Some(*kind) {
            eprintln!("{lang} -> {chosen} ({:?}): {sentence}", detection.verdict);
        }
        if whatlang_choice.is_some() && whatlang_choice == whatlang_of(&expected) {
            entry.2 += 1;
        }
    }
    println!(
        "{:<14} {:>6} {:>9} {:>9}   {:>22}   {:>22}",
        "kind", "n", "gateway", "whatlang", "gateway µs mean / p50", "whatlang µs mean / p50"
    );
    for (kind, (n, gateway, whatlang)) in &by_kind {
        let pct = |k: usize| 100.0 * k as f64 / *n as f64;
        let (g, w) = &times[kind];
        println!(
            "{kind:<14} {n:>6} {:>8.2}% {:>8.2}%   {:>22}   {:>22}",
            pct(*gateway),
            pct(*whatlang),
            mean_p50(g),
            mean_p50(w)
        );
    }
    let g: Vec<u64> = times.values().flat_map(|t| t.0.iter().copied()).collect();
    let w: Vec<u64> = times.values().flat_map(|t| t.1.iter().copied()).collect();
    println!(
        "{:<14} {:>6} {:>9} {:>9}   {:>22}   {:>22}",
        "all",
        rows.len(),
        "",
        "",
        mean_p50(&g),
        mean_p50(&w)
    );
    println!(
        "time ratio gateway / whatlang: mean {:.2}",
        g.iter().sum::<u64>() as f64 / w.iter().sum::<u64>() as f64
    );
    let mut all = g.clone();
    all.sort_unstable();
    let at = |q: f64| all.get(((all.len() as f64 * q) as usize).min(all.len().max(1) - 1));
    println!(
        "gateway per detection: p50 {:.1} µs, p99 {:.1} µs ({} locales loaded)",
        at(0.50).copied().unwrap_or(0) as f64 / 1000.0,
        at(0.99).copied().unwrap_or(0) as f64 / 1000.0,
        content.locales.len()
    );
    // Resident memory after the run (the table's pages count as file-backed: RssFile).
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        for line in status.lines().filter(|l| {
            l.starts_with("VmRSS") || l.starts_with("RssAnon") || l.starts_with("RssFile")
        }) {
            println!("{line}");
        }
    }
}

fn mean_p50(ns: &[u64]) -> String {
    let mut sorted = ns.to_vec();
    sorted.sort_unstable();
    let mean = ns.iter().sum::<u64>() as f64 / ns.len().max(1) as f64 / 1000.0;
    let p50 = sorted.get(sorted.len() / 2).copied().unwrap_or(0) as f64 / 1000.0;
    format!("{mean:.1} / {p50:.1}")
}

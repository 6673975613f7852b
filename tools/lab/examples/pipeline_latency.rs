//! Time of the whole per-message pipeline (detect + decide + match + format) on the demo
//! content's own examples, all 13 locales mixed, each as the first message of a fresh session;
//! next to plain whatlang detection of the same texts in the same process, as a baseline:
//!
//! `cargo run --release -p switchboard-lab --example pipeline_latency [ROUNDS]`

use std::time::Instant;

use switchboard::bot;
use switchboard::bot::ConversationState;
use switchboard::content::Content;

fn percentile(sorted: &[u128], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5);
    let content = Content::load(std::path::Path::new("."), &"en".parse().expect("tag"))
        .unwrap_or_else(|_| {
            eprintln!("run from the repository root: the demo content must load");
            std::process::exit(1)
        });
    let texts: Vec<String> = content
        .examples
        .values()
        .flat_map(|e| e.by_intent.values().flatten().cloned())
        .collect();
    let fresh = ConversationState::default();
    // Warm up caches (ICU data, memoizers) once.
    for text in texts.iter().take(200) {
        let _ = bot::respond(&content, &fresh, text, None, 0.5);
    }
    let (mut pipeline, mut baseline) = (Vec::new(), Vec::new());
    let detector = whatlang::Detector::new();
    for _ in 0..rounds {
        for text in &texts {
            let started = Instant::now();
            let turn = bot::respond(&content, &fresh, text, None, 0.5).expect("content answers");
            pipeline.push(started.elapsed().as_nanos());
            std::hint::black_box(turn);
            let started = Instant::now();
            std::hint::black_box(detector.detect(text));
            baseline.push(started.elapsed().as_nanos());
        }
    }
    pipeline.sort_unstable();
    baseline.sort_unstable();
    println!(
        "{} messages ({} texts x {rounds} rounds)",
        pipeline.len(),
        texts.len()
    );
    println!("{:<22} {:>9} {:>9} {:>9}", "", "p50 µs", "p99 µs", "max µs");
    for (name, v) in [("pipeline", &pipeline), ("whatlang detect only", &baseline)] {
        println!(
            "{name:<22} {:>9.1} {:>9.1} {:>9.1}",
            percentile(v, 0.5),
            percentile(v, 0.99),
            *v.last().unwrap_or(&0) as f64 / 1000.0
        );
    }
    println!(
        "pipeline / whatlang median: {:.2}",
        percentile(&pipeline, 0.5) / percentile(&baseline, 0.5)
    );
}

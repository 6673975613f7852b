//! Intent accuracy of the demo content on its own held-back examples (every fifth example of
//! each intent), per locale:
//!
//! `cargo run --release -p switchboard-lab --example intent_holdout [CONTENT_DIR] [--misses LOCALE]`
//!
//! `--misses` lists that locale's held-back examples whose best intent was wrong. The last
//! column is the top-1 accuracy of the classical baseline (`Settings::baseline`) on the same
//! split, in the same run.

use std::path::PathBuf;

use switchboard_lab as common;

use switchboard::intents::{Matcher, Settings};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses_of = args
        .iter()
        .position(|a| a == "--misses")
        .and_then(|i| args.get(i + 1).cloned());
    let root = args
        .iter()
        .find(|a| !a.starts_with("--") && Some(*a) != misses_of.as_ref())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let content = common::content_or_exit(&root);
    let ids = content.catalog.ids();
    println!("locale  top-1  right@0.5  fallback@0.5  held-back  baseline-top-1");
    let (mut sum, mut baseline_sum, mut n) = (0.0, 0.0, 0);
    // Calibration over all locales: (confidence, was the best intent right) per held-out text.
    let mut judged: Vec<(f32, bool)> = Vec::new();
    for locale in &content.locales {
        let (train, test) = content.examples[locale].hold_out(5);
        let matcher = Matcher::build(&ids, &train);
        let baseline = Matcher::build_with(&ids, &train, Settings::baseline());
        let baseline_top1 = baseline.top1_hits(&test);
        let (mut top1, mut right, mut fallback) = (0, 0, 0);
        for (intent, text) in &test {
            let m = matcher.classify(text, 0.5);
            if m.ranked.first().map(|s| &s.intent) == Some(intent) {
                top1 += 1;
            }
            let best = m.ranked.first().map(|s| &s.intent);
            judged.push((m.confidence, best == Some(intent)));
            if misses_of.as_deref() == Some(&locale.to_string()) && best != Some(intent) {
                eprintln!("{intent:>16} <- {:<16} {text}", m.ranked[0].intent);
            }
            match &m.intent {
                Some(i) if i == intent => right += 1,
                None => fallback += 1,
                Some(_) => {}
            }
        }
        let pct = |k: usize| 100.0 * k as f64 / test.len() as f64;
        sum += pct(top1);
        baseline_sum += pct(baseline_top1);
        n += 1;
        println!(
            "{:<6} {:>5.1}% {:>9.1}% {:>12.1}% {:>10} {:>14.1}%",
            locale.to_string(),
            pct(top1),
            pct(right),
            pct(fallback),
            test.len(),
            pct(baseline_top1)
        );
    }
    println!(
        "mean   {:>5.1}% {:>49.1}%",
        sum / n as f64,
        baseline_sum / n as f64
    );
    println!();
    println!("calibration of the confidence (all locales): bin, texts, mean confidence, accuracy");
    let mut ece = 0.0;
    for bin in 0..5 {
        let (lo, hi) = (bin as f32 * 0.2, (bin + 1) as f32 * 0.2);
        let inside: Vec<&(f32, bool)> = judged
            .iter()
            .filter(|(c, _)| *c >= lo && (*c < hi || (bin == 4 && *c <= 1.0)))
            .collect();
        if inside.is_empty() {
            continue;
        }
        let confidence =
            inside.iter().map(|(c, _)| f64::from(*c)).sum::<f64>() / inside.len() as f64;
        let accuracy =
            inside.iter().filter(|(_, right)| *right).count() as f64 / inside.len() as f64;
        ece += (confidence - accuracy).abs() * inside.len() as f64 / judged.len() as f64;
        println!(
            "{lo:.1}-{hi:.1} {:>6} {:>9.1}% {:>9.1}%",
            inside.len(),
            100.0 * confidence,
            100.0 * accuracy
        );
    }
    println!("expected calibration error: {:.1} points", 100.0 * ece);
}

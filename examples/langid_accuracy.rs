//! Language accuracy of the gateway's choice for a first message with no other context,
//! next to plain whatlang restricted to the same locales, on a `lang<TAB>kind<TAB>text` file:
//!
//! `cargo run --release --example langid_accuracy -- ../shared/data/langid-dev.tsv [--errors KIND]`
//!
//! `--errors sentences` (or `word-pairs`, `single-words`) lists the gateway's wrong choices.

use std::collections::BTreeMap;
use std::time::Instant;

use switchboard::content::Content;
use switchboard::language::{arbitrate, detect::whatlang_of, LanguageContext};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors_of = args
        .iter()
        .position(|a| a == "--errors")
        .and_then(|i| args.get(i + 1).cloned());
    let path = args
        .iter()
        .find(|a| !a.starts_with("--") && Some(*a) != errors_of.as_ref())
        .cloned()
        .unwrap_or_else(|| "../shared/data/langid-dev.tsv".into());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1)
    });
    let content = Content::load(std::path::Path::new("."), &"en".parse().expect("tag"))
        .unwrap_or_else(|_| {
            eprintln!("run from the repository root: the demo content must load");
            std::process::exit(1)
        });
    let allow: Vec<whatlang::Lang> = content.locales.iter().filter_map(whatlang_of).collect();
    let plain = whatlang::Detector::with_allowlist(allow);
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
    let (mut gateway_time, mut plain_time) = (0u128, 0u128);
    for (lang, kind, sentence) in &rows {
        let started = Instant::now();
        let detection = content.detector.detect(sentence);
        let (chosen, _) = arbitrate(
            &LanguageContext::default(),
            &detection,
            &content.default_locale,
        );
        gateway_time += started.elapsed().as_nanos();
        let started = Instant::now();
        let whatlang_choice = plain.detect_lang(sentence);
        plain_time += started.elapsed().as_nanos();
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
        "{:<14} {:>6} {:>10} {:>10}",
        "kind", "n", "gateway", "whatlang"
    );
    for (kind, (n, gateway, whatlang)) in &by_kind {
        let pct = |k: usize| 100.0 * k as f64 / *n as f64;
        println!(
            "{kind:<14} {n:>6} {:>9.1}% {:>9.1}%",
            pct(*gateway),
            pct(*whatlang)
        );
    }
    let n = rows.len() as f64;
    println!(
        "time per message: gateway {:.1} µs, whatlang {:.1} µs (ratio {:.2})",
        gateway_time as f64 / n / 1000.0,
        plain_time as f64 / n / 1000.0,
        gateway_time as f64 / plain_time as f64
    );
}

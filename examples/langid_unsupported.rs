//! Messages in languages the content does NOT support: how often the gateway still answers in
//! the customer's negotiated locale instead of switching to a wrong supported language, on a
//! `lang<TAB>kind<TAB>text` file of other languages' sentences:
//!
//! `cargo run --release --example langid_unsupported -- [examples/data/langid-unsupported.tsv] [--errors]`
//!
//! A message counts as kept when the detector does not call it reliably a supported language:
//! arbitration then answers in the negotiated locale, whichever it is (a weak guess never
//! beats `hello.locales`). Next to it, plain whatlang restricted to the same locales, as a
//! gateway built on it would use it (its reliable answers switch). `--errors` lists the
//! messages the gateway switches.

use std::collections::BTreeMap;
use std::time::Instant;

use switchboard::language::{arbitrate, LanguageContext, Verdict};

#[path = "common/mod.rs"]
mod common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "examples/data/langid-unsupported.tsv".into());
    let text = common::read_or_exit(&path);
    let (content, plain) = common::demo_content_and_whatlang();
    let rows: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let lang = parts.next()?;
            parts.next()?;
            Some((lang, parts.next()?))
        })
        .collect();
    // language → (n, gateway kept, named unsupported, whatlang kept)
    let mut by_lang: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut nanos = 0u128;
    for (lang, sentence) in &rows {
        let started = Instant::now();
        let detection = content.detector.detect(sentence);
        nanos += started.elapsed().as_nanos();
        // The negotiated locale: any supported one the detector did not pick.
        let negotiated = content
            .locales
            .iter()
            .find(|l| !matches!(&detection.verdict, Verdict::Reliable(r) | Verdict::Weak(r) if r == *l))
            .expect("more than one locale");
        let context = LanguageContext {
            negotiated: Some(negotiated),
            ..Default::default()
        };
        let (chosen, _) = arbitrate(&context, &detection, &content.default_locale);
        let entry = by_lang.entry(lang).or_default();
        entry.0 += 1;
        if &chosen == negotiated {
            entry.1 += 1;
        } else if errors {
            eprintln!("{lang} -> {chosen} ({:?}): {sentence}", detection.verdict);
        }
        if matches!(detection.verdict, Verdict::Unsupported(_)) {
            entry.2 += 1;
        }
        if !plain.detect(sentence).is_some_and(|i| i.is_reliable()) {
            entry.3 += 1;
        }
    }
    println!(
        "{:<6} {:>4} {:>8} {:>11} {:>9}",
        "lang", "n", "kept", "named", "whatlang"
    );
    let pct = |k: usize, n: usize| 100.0 * k as f64 / n.max(1) as f64;
    let mut macro_kept = 0.0;
    let mut macro_plain = 0.0;
    for (lang, (n, kept, named, plain_kept)) in &by_lang {
        println!(
            "{lang:<6} {n:>4} {:>7.1}% {:>10.1}% {:>8.1}%",
            pct(*kept, *n),
            pct(*named, *n),
            pct(*plain_kept, *n)
        );
        macro_kept += pct(*kept, *n);
        macro_plain += pct(*plain_kept, *n);
    }
    let total =
        |f: fn(&(usize, usize, usize, usize)) -> usize| -> usize { by_lang.values().map(f).sum() };
    let (n, kept, named, plain_kept) = (
        total(|e| e.0),
        total(|e| e.1),
        total(|e| e.2),
        total(|e| e.3),
    );
    let languages = by_lang.len().max(1) as f64;
    println!(
        "all    {n:>4} {:>7.1}% {:>10.1}% {:>8.1}%   (mean of languages: gateway {:.1}%, whatlang {:.1}%)",
        pct(kept, n),
        pct(named, n),
        pct(plain_kept, n),
        macro_kept / languages,
        macro_plain / languages
    );
    println!(
        "time per detection: {:.1} µs",
        nanos as f64 / rows.len().max(1) as f64 / 1000.0
    );
}

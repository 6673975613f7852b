//! Messages in languages the content does NOT support: how often the gateway still answers in
//! the customer's negotiated locale instead of switching to a wrong supported language, on a
//! `lang<TAB>kind<TAB>text` file of other languages' sentences:
//!
//! `cargo run --release -p switchboard-lab --example langid_unsupported -- [tools/lab/data/langid-unsupported.tsv] [--errors]`
//!
//! A message counts as kept when the gateway's language decision answers in the browser's
//! locale: `kept` with a browser in a supported locale other than the detector's best guess
//! (the hard case: the guess is not the prior), `kept en` with a browser in English (the
//! common case). Next to it, plain whatlang restricted to the same locales, as a gateway
//! built on it would use it (its reliable answers switch). `--errors` lists the messages the
//! gateway switches (first column). `--second-half` reads only the last 20 of each
//! language's 40 sentences: the first 20 fitted the language decision's weights
//! (`examples/language_fit.rs`), so only the second half measures it.

use std::collections::BTreeMap;
use std::time::Instant;

use switchboard::language::{LanguageContext, Verdict};

use switchboard_lab as common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let errors = args.iter().any(|a| a == "--errors");
    let second_half = args.iter().any(|a| a == "--second-half");
    let path = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "tools/lab/data/langid-unsupported.tsv".into());
    let text = common::read_or_exit(&path);
    let (content, plain) = common::demo_content_and_whatlang();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let rows: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let lang = parts.next()?;
            parts.next()?;
            Some((lang, parts.next()?))
        })
        .filter(|(lang, _)| {
            let n = seen.entry(lang).or_default();
            *n += 1;
            !second_half || *n > 20
        })
        .collect();
    // language → (n, gateway kept, named unsupported, whatlang kept, gateway kept with en)
    let mut by_lang: BTreeMap<&str, (usize, usize, usize, usize, usize)> = BTreeMap::new();
    let en: unic_langid::LanguageIdentifier = "en".parse().expect("valid tag");
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
        let chosen = common::reply_locale(&content, &context, sentence, &detection);
        let english = LanguageContext {
            negotiated: Some(&en),
            ..Default::default()
        };
        let entry = by_lang.entry(lang).or_default();
        if common::reply_locale(&content, &english, sentence, &detection) == en {
            entry.4 += 1;
        }
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
        "{:<6} {:>4} {:>8} {:>8} {:>11} {:>9}",
        "lang", "n", "kept", "kept en", "named", "whatlang"
    );
    let pct = |k: usize, n: usize| 100.0 * k as f64 / n.max(1) as f64;
    let mut macro_kept = 0.0;
    let mut macro_plain = 0.0;
    for (lang, (n, kept, named, plain_kept, kept_en)) in &by_lang {
        println!(
            "{lang:<6} {n:>4} {:>7.1}% {:>7.1}% {:>10.1}% {:>8.1}%",
            pct(*kept, *n),
            pct(*kept_en, *n),
            pct(*named, *n),
            pct(*plain_kept, *n)
        );
        macro_kept += pct(*kept, *n);
        macro_plain += pct(*plain_kept, *n);
    }
    let total = |f: fn(&(usize, usize, usize, usize, usize)) -> usize| -> usize {
        by_lang.values().map(f).sum()
    };
    let (n, kept, named, plain_kept, kept_en) = (
        total(|e| e.0),
        total(|e| e.1),
        total(|e| e.2),
        total(|e| e.3),
        total(|e| e.4),
    );
    let languages = by_lang.len().max(1) as f64;
    println!(
        "all    {n:>4} {:>7.1}% {:>7.1}% {:>10.1}% {:>8.1}%   (mean of languages: gateway {:.1}%, whatlang {:.1}%)",
        pct(kept, n),
        pct(kept_en, n),
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

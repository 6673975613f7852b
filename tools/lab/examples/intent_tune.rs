//! Development splits for tuning the intent matcher: every figure here comes from lines of
//! the outside sets' *training* sides only, so choosing settings on them leaves the test sides
//! of `scripts/intent_accuracy.py` untouched (docs/ACCURACY.md, "What was tuned on").
//!
//! - xSID: `xsid/train.tsv`, each locale's every third line (positions 2, 5, 8…) as dev, the
//!   rest training; the figure is the mean over locales of top-1 accuracy.
//! - banking77: `fold0-train.tsv`, every fifth line of each intent as dev; and 10-shot: the
//!   first 10 lines of each intent of `fold0-train.tsv` train, the other lines of that file
//!   are dev.
//! - CLINC150: `clinc150/train.tsv`, every fifth line as in-scope dev, and `oos_train` of
//!   the data file (100 lines) as out-of-scope dev; the figure is the best in-scope accuracy
//!   (a fallback is wrong) rejecting at least 80% of out-of-scope lines, thresholds 0.01 apart.
//!
//! - holdout: the demo content's own held-back examples, as `examples/intent_holdout.rs`
//!   scores them (mean top-1 over locales, and the worst locale).
//!
//! `python3 scripts/intent_eval_data.py && cargo run --release -p switchboard-lab --example intent_tune [SETS]`
//! (SETS: comma-separated of xsid,banking77,shot10,clinc150,holdout, all by default;
//! `VARIANTS=name,name` keeps only those settings; `XSID_LOCALES=1` also prints xSID per
//! locale; the data folder for oos_train
//! is `$SWITCHBOARD_SHARED_DATA` or `../shared/data`).
//!
//! Options measured here and since removed from the matcher (word triples, liblinear's
//! shrinking, class balance, n-grams across words, Snowball stems, the weight of unseen
//! features, pretrained embeddings) are in docs/ACCURACY.md with their figures; the code that
//! had them is commit 0133fc8.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use switchboard::content::Content;
use switchboard::eval::{parse, Sample};
use switchboard::intents::{Matcher, Settings};

fn read(path: &str) -> Vec<Sample> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e} (run scripts/intent_eval_data.py first)");
        std::process::exit(1)
    });
    parse(path, &text).expect("an eval file")
}

fn data_dir() -> PathBuf {
    std::env::var_os("SWITCHBOARD_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"))
}

type Pairs = Vec<(String, String)>;

fn pairs(samples: &[&Sample]) -> Pairs {
    samples
        .iter()
        .filter_map(|s| s.intent.clone().map(|i| (i, s.text.clone())))
        .collect()
}

fn intents_of(train: &Pairs) -> Vec<String> {
    let mut intents: Vec<String> = train.iter().map(|(i, _)| i.clone()).collect();
    intents.sort();
    intents.dedup();
    intents
}

/// A store built from `train`.
fn build(train: &Pairs, settings: Settings) -> Matcher {
    Matcher::build_with(&intents_of(train), train, settings)
}

/// Top-1 accuracy of a store built from `train` on `dev`.
fn top1(train: &Pairs, dev: &Pairs, settings: Settings) -> f64 {
    build(train, settings).top1_hits(dev) as f64 / dev.len() as f64
}

/// Every `k`-th line of each group (by key) from position `k - 1` goes to the second side.
fn split_every<K: Ord>(
    samples: &[Sample],
    key: impl Fn(&Sample) -> K,
    k: usize,
) -> (Vec<&Sample>, Vec<&Sample>) {
    let mut seen: BTreeMap<K, usize> = BTreeMap::new();
    let (mut train, mut dev) = (Vec::new(), Vec::new());
    for s in samples {
        let i = seen.entry(key(s)).or_default();
        if *i % k == k - 1 {
            dev.push(s);
        } else {
            train.push(s);
        }
        *i += 1;
    }
    (train, dev)
}

fn variants() -> Vec<(String, Settings)> {
    let gateway = Settings::default();
    let with = |f: &dyn Fn(&mut Settings)| {
        let mut s = gateway;
        f(&mut s);
        s
    };
    let mut out = vec![
        ("gateway".to_string(), gateway),
        ("baseline".to_string(), Settings::baseline()),
    ];
    // What the default was chosen against (docs/ACCURACY.md): one change at a time.
    out.push((
        "C=1, no centroid".to_string(),
        with(&|s| {
            s.training.c = 1.0;
            s.training.centroid = 0.0;
        }),
    ));
    for c in [1.0f32, 4.0] {
        out.push((format!("C={c}"), with(&|s| s.training.c = c)));
    }
    for w in [0.0f32, 2.0] {
        out.push((format!("centroid {w}"), with(&|s| s.training.centroid = w)));
    }
    for (lo, hi) in [(3usize, 5usize), (2, 3), (1, 4)] {
        out.push((
            format!("chars {lo}-{hi}"),
            with(&|s| {
                s.analyzer.char_min = lo;
                s.analyzer.char_max = hi;
            }),
        ));
    }
    out.push((
        "no word pairs".to_string(),
        with(&|s| s.analyzer.word_bigrams = false),
    ));
    for cjk in [2usize, 4] {
        out.push((format!("cjk 1-{cjk}"), with(&|s| s.analyzer.cjk_max = cjk)));
    }
    for tolerance in [0.3f32, 0.5, 1.0] {
        out.push((
            format!("tol {tolerance}"),
            with(&|s| s.training.tolerance = tolerance),
        ));
    }
    if let Ok(only) = std::env::var("VARIANTS") {
        out.retain(|(name, _)| only.split(',').any(|o| o == name));
    }
    out
}

fn main() {
    let sets: String = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "xsid,banking77,shot10,clinc150,holdout".into());
    let dir = "target/intent-eval";
    for (name, settings) in variants() {
        let started = Instant::now();
        let mut line = format!("{name:<24}");
        let mut per_locale = String::new();
        if sets.contains("xsid") {
            let all = read(&format!("{dir}/xsid/train.tsv"));
            let mut by_locale: BTreeMap<&str, Vec<&Sample>> = BTreeMap::new();
            for s in &all {
                by_locale.entry(&s.locale).or_default().push(s);
            }
            let mut sum = 0.0;
            for (locale, samples) in &by_locale {
                let (train, dev): (Vec<_>, Vec<_>) =
                    samples.iter().enumerate().partition(|(i, _)| i % 3 != 2);
                let train: Vec<&Sample> = train.into_iter().map(|(_, s)| *s).collect();
                let dev: Vec<&Sample> = dev.into_iter().map(|(_, s)| *s).collect();
                let accuracy = top1(&pairs(&train), &pairs(&dev), settings);
                sum += accuracy;
                per_locale += &format!(" {locale} {:.1}", 100.0 * accuracy);
            }
            line += &format!(" xsid {:.2}", 100.0 * sum / by_locale.len() as f64);
        }
        let banking = (sets.contains("banking77") || sets.contains("shot10"))
            .then(|| read(&format!("{dir}/banking77/fold0-train.tsv")));
        if let Some(all) = banking.as_ref().filter(|_| sets.contains("banking77")) {
            let (train, dev) = split_every(all, |s| s.intent.clone(), 5);
            line += &format!(
                " banking {:.2}",
                100.0 * top1(&pairs(&train), &pairs(&dev), settings)
            );
        }
        if let Some(all) = banking.as_ref().filter(|_| sets.contains("shot10")) {
            let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
            let (mut train, mut dev) = (Vec::new(), Vec::new());
            for s in all {
                let i = seen.entry(s.intent.as_deref().unwrap_or("")).or_default();
                if *i < 10 { &mut train } else { &mut dev }.push(s);
                *i += 1;
            }
            line += &format!(
                " shot10 {:.2}",
                100.0 * top1(&pairs(&train), &pairs(&dev), settings)
            );
        }
        if sets.contains("clinc150") {
            let all = read(&format!("{dir}/clinc150/train.tsv"));
            let (train, dev) = split_every(&all, |s| s.intent.clone(), 5);
            let train = pairs(&train);
            let dev = pairs(&dev);
            let oos: Vec<String> =
                std::fs::read_to_string(data_dir().join("clinc150-train-val.tsv"))
                    .expect("clinc150-train-val.tsv")
                    .lines()
                    .filter(|l| l.starts_with("oos_train\t"))
                    .filter_map(|l| l.splitn(3, '\t').nth(2).map(str::to_string))
                    .collect();
            let built = Instant::now();
            let matcher = build(&train, settings);
            let build_s = built.elapsed().as_secs_f64();
            let judged: Vec<(f32, bool)> = dev
                .iter()
                .map(|(intent, text)| {
                    let m = matcher.classify(text, 0.0);
                    (
                        m.confidence,
                        m.ranked.first().map(|s| &s.intent) == Some(intent),
                    )
                })
                .collect();
            let oos_conf: Vec<f32> = oos
                .iter()
                .map(|t| matcher.classify(t, 0.0).confidence)
                .collect();
            let top = judged.iter().filter(|(_, r)| *r).count() as f64 / judged.len() as f64;
            let mut best = 0.0f64;
            for step in 0..=100 {
                let t = step as f32 / 100.0;
                let rejected =
                    oos_conf.iter().filter(|&&c| c < t).count() as f64 / oos_conf.len() as f64;
                let right = judged.iter().filter(|(c, r)| *r && *c >= t).count() as f64
                    / judged.len() as f64;
                if rejected >= 0.8 {
                    best = best.max(right);
                }
            }
            line += &format!(
                " clinc top1 {:.2} @80%oos {:.2} (build {build_s:.2}s)",
                100.0 * top,
                100.0 * best
            );
        }
        if sets.contains("holdout") {
            // The demo content's own held-back examples (every fifth of each intent), as
            // `examples/intent_holdout.rs` scores them: mean top-1 over locales, and the worst.
            let content = Content::load(std::path::Path::new("."), &"en".parse().expect("a tag"))
                .unwrap_or_else(|_| panic!("the demo content loads"));
            let mut scores = Vec::new();
            for locale in &content.locales {
                let (train, test) = content.examples[locale].hold_out(5);
                scores.push((top1(&train, &test, settings), locale.to_string()));
            }
            let mean = scores.iter().map(|(s, _)| s).sum::<f64>() / scores.len() as f64;
            let worst = scores
                .iter()
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("locales");
            line += &format!(
                " holdout {:.2} (worst {} {:.1})",
                100.0 * mean,
                worst.1,
                100.0 * worst.0
            );
        }
        println!("{line}  [{:.0}s]", started.elapsed().as_secs_f64());
        if std::env::var_os("XSID_LOCALES").is_some() && !per_locale.is_empty() {
            println!("{:<24} xsid by locale:{per_locale}", "");
        }
    }
}

//! Fits the language decision's weights (`language::decide::WEIGHTS`) on the project's own
//! data, and prints them with their fit:
//!
//! `cargo run --release -p switchboard-lab --example language_fit [CONTENT_DIR]`
//!
//! The data, none of it from `../shared/data`:
//! - the demo content's held-back examples (every fifth of each intent), judged against stores
//!   built from the other four fifths (a store must not have seen the text it is asked about);
//! - `tools/lab/data/chat-dev.tsv` (short chat messages; its twin `chat-test.tsv` is never read
//!   here: it is only measured);
//! - language-neutral messages written below (brand names, numbers, order ids, loanwords that
//!   every language writes alike), whose right locale is the conversation's;
//! - the bot's own replies (`locales/<locale>/*.ftl`, placeables dropped): whole messages, and
//!   word pairs cut from them — text in each language that the intent stores
//!   have not seen, as most of what customers write is;
//! - the first half (20 of 40) of each unsupported language's sentences in
//!   `tools/lab/data/langid-unsupported.tsv`, whose right locale is the conversation's too
//!   (the second half is only measured, by `examples/langid_unsupported.rs --second-half`).
//!
//! Each text is judged in several sessions: no context; the browser agreeing; the browser in
//! another locale (English, and one more that cycles over the locales); an established session
//! locale that differs, with and without a browser. A text in a language is right in its own
//! locale whatever the context (the contract: a browser never overrides a message a native
//! speaker recognises at once); a neutral text is right in the session's locale, else the
//! browser's. The model is a conditional logit over the candidates of `decide::evidence`,
//! fitted by gradient descent with a little L2; since which two candidates get a match
//! confidence depends on the weights, features and fit alternate until they agree.

use std::path::PathBuf;

use switchboard_lab as common;

use switchboard::bot::Stores;
use switchboard::eval;
use switchboard::intents::Matcher;
use switchboard::language::decide::{evidence, other, weigh, Weights, FEATURES, N, WEIGHTS};
use switchboard::language::LanguageContext;
use unic_langid::LanguageIdentifier;

/// Texts that no language owns: the conversation's locale is the right answer.
const NEUTRAL: &[&str] = &[
    "ok",
    "OK",
    "ok!",
    "okay",
    "ok ok",
    "hotel",
    "taxi",
    "pizza",
    "menu",
    "radio",
    "video",
    "internet",
    "app",
    "wifi",
    "email",
    "sms",
    "pdf",
    "gps",
    "bitcoin",
    "ticket",
    "iphone",
    "iPhone 15 Pro Max",
    "ipad",
    "samsung galaxy s23",
    "nike air max 90",
    "zara",
    "ikea",
    "dhl",
    "ups",
    "fedex",
    "paypal",
    "visa",
    "mastercard",
    "klarna",
    "amazon",
    "netflix",
    "xl",
    "size M",
    "12345",
    "48213377",
    "#55120934",
    "NW-204981",
    "nw-204981?",
    "2x",
    "100€",
    "49,99",
    "https://shop.example.com/p/123",
    "www.northwind.example",
    "😀",
    "👍",
    "🙏🙏",
    "???",
    "!!!",
    "...",
    "hmm",
    "lol",
    "xd",
    "test",
];

struct Sample {
    features: Vec<(LanguageIdentifier, [f32; N])>,
    /// The candidates that give the right reply locale: the label, and "another language"
    /// when keeping the conversation's locale is right.
    right: Vec<LanguageIdentifier>,
}

/// One text to judge: its detection and the stores asked about it.
struct Text<'a> {
    text: &'a str,
    /// `None` for a neutral text.
    locale: Option<LanguageIdentifier>,
}

/// The text of every message and attribute of the Fluent files of `dir`, placeables and
/// selector syntax dropped (a rough reading: training text, not templates).
fn template_texts(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "ftl"))
    {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#')
                || line.contains("->")
                || line.ends_with('}') && line.starts_with('{')
            {
                continue;
            }
            let value = match line.split_once(" = ") {
                Some((_, v)) => v,
                None if line.starts_with('[') || line.starts_with("*[") => {
                    line.split_once(']').map_or("", |(_, v)| v)
                }
                None => line,
            };
            let mut clean = String::new();
            let mut depth = 0;
            for c in value.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ if depth == 0 => clean.push(c),
                    _ => {}
                }
            }
            let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
            if clean.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                out.push(clean);
            }
        }
    }
    out
}

/// Whole texts and word pairs (every `step`-th, so the short texts do not outnumber the long
/// ones). Not single words: many are written alike in several languages ("hotel", "taxi"),
/// and a label would teach the model to switch on them against the contract.
fn with_pieces(texts: &[String], step: usize) -> Vec<String> {
    let mut out: Vec<String> = texts.to_vec();
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
    out.extend(words.windows(2).step_by(step).map(|w| w.join(" ")));
    out
}

/// The first 20 lines of each language of a `lang<TAB>kind<TAB>text` file.
fn first_half_by_language(file: &str) -> Vec<&str> {
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    file.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            let lang = parts.next()?;
            let text = parts.nth(1)?;
            let n = seen.entry(lang).or_default();
            *n += 1;
            (*n <= 20).then_some(text)
        })
        .collect()
}

fn contexts(
    locales: &[LanguageIdentifier],
    own: Option<&LanguageIdentifier>,
    i: usize,
) -> Vec<(Option<LanguageIdentifier>, Option<LanguageIdentifier>)> {
    let en: LanguageIdentifier = "en".parse().expect("valid tag");
    // Another locale than the text's own, cycling over the locales.
    let other = |k: usize| -> LanguageIdentifier {
        let mut j = (i + k) % locales.len();
        while Some(&locales[j]) == own {
            j = (j + 1) % locales.len();
        }
        locales[j].clone()
    };
    let (a, b) = (other(1), other(5));
    let mut out = if own.is_none() {
        // The default locale is right for a text no supported language owns.
        vec![(None, None)]
    } else {
        Vec::new()
    };
    out.extend([
        (None, Some(en.clone())),
        (None, Some(a.clone())),
        (Some(b.clone()), None),
        (Some(b.clone()), Some(a.clone())),
    ]);
    if let Some(own) = own {
        out.push((None, None));
        out.push((None, Some(own.clone())));
        out.push((Some(own.clone()), Some(en.clone())));
    } else {
        out.push((Some(a.clone()), Some(en)));
    }
    out
}

fn build_samples<'a>(
    content: &'a switchboard::content::Content,
    texts: &[Text<'_>],
    store: impl Fn(&LanguageIdentifier) -> Option<&'a Matcher> + Copy,
    weights: &Weights,
) -> Vec<Sample> {
    let mut samples = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let detection = content.detector.detect(t.text);
        if matches!(
            detection.verdict,
            switchboard::language::Verdict::Unsupported(_)
                | switchboard::language::Verdict::Unknown
        ) {
            // decide() keeps the conversation's locale without weighing: nothing to fit.
            continue;
        }
        for (session, hello) in contexts(&content.locales, t.locale.as_ref(), i) {
            let label = t
                .locale
                .clone()
                .or(session.clone())
                .or(hello.clone())
                .unwrap_or_else(|| content.default_locale.clone());
            let ctx = LanguageContext {
                explicit: None,
                session: session.as_ref(),
                negotiated: hello.as_ref(),
            };
            let mut stores = Stores::new(store, t.text, 0.5);
            let features = evidence(&ctx, &detection, &mut stores, (weights, 2));
            let kept = session
                .as_ref()
                .or(hello.as_ref())
                .unwrap_or(&content.default_locale);
            let mut right = vec![label.clone()];
            if *kept == label {
                right.push(other());
            }
            if features.iter().any(|(l, _)| right.contains(l)) {
                samples.push(Sample { features, right });
            }
        }
    }
    samples
}

/// Mean negative log-likelihood and its gradient, plus the share of samples right.
fn loss(samples: &[Sample], w: &Weights, l2: f32) -> (f64, [f64; N], f64) {
    let mut total = 0.0f64;
    let mut grad = [0.0f64; N];
    let mut right = 0usize;
    for s in samples {
        let weighed = weigh(s.features.clone(), w);
        if s.right.contains(&weighed[0].locale) {
            right += 1;
        }
        // −ln of the probability of the right candidates together.
        let p_right: f64 = weighed
            .iter()
            .filter(|c| s.right.contains(&c.locale))
            .map(|c| f64::from(c.probability))
            .sum::<f64>()
            .max(1e-12);
        total -= p_right.ln();
        for c in &weighed {
            let p = f64::from(c.probability);
            let target = if s.right.contains(&c.locale) {
                p / p_right
            } else {
                0.0
            };
            for (g, x) in grad.iter_mut().zip(c.features) {
                *g += (p - target) * f64::from(x);
            }
        }
    }
    let n = samples.len().max(1) as f64;
    for (g, wi) in grad.iter_mut().zip(w) {
        *g = *g / n + f64::from(l2 * wi);
    }
    let reg: f64 = w.iter().map(|x| f64::from(x * x)).sum::<f64>() * f64::from(l2) / 2.0;
    (total / n + reg, grad, right as f64 / n)
}

/// Gradient descent with Adam's step sizes.
fn fit(samples: &[Sample], start: &Weights) -> Weights {
    let mut w = *start;
    let (mut m, mut v) = ([0.0f64; N], [0.0f64; N]);
    let (b1, b2, rate) = (0.9f64, 0.999f64, 0.05f64);
    for step in 1..=1500 {
        let (_, g, _) = loss(samples, &w, 1e-3);
        for i in 0..N {
            m[i] = b1 * m[i] + (1.0 - b1) * g[i];
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            let mh = m[i] / (1.0 - b1.powi(step));
            let vh = v[i] / (1.0 - b2.powi(step));
            w[i] -= (rate * mh / (vh.sqrt() + 1e-8)) as f32;
        }
    }
    w
}

fn main() {
    let root = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let content = common::content_or_exit(&root);
    let ids = content.catalog.ids();
    let mut held_back: Vec<(LanguageIdentifier, String)> = Vec::new();
    let mut stores: std::collections::HashMap<LanguageIdentifier, Matcher> = Default::default();
    for locale in &content.locales {
        let (train, test) = content.examples[locale].hold_out(5);
        stores.insert(locale.clone(), Matcher::build(&ids, &train));
        held_back.extend(test.into_iter().map(|(_, t)| (locale.clone(), t)));
    }
    let chat_path = root.join("tools/lab/data/chat-dev.tsv");
    let chat = std::fs::read_to_string(&chat_path)
        .map_err(|e| e.to_string())
        .and_then(|t| eval::parse(&chat_path.display().to_string(), &t).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
    let chat: Vec<(LanguageIdentifier, String)> = chat
        .into_iter()
        .filter_map(|s| Some((s.locale.parse().ok()?, s.text)))
        .collect();

    let replies: Vec<(LanguageIdentifier, String)> = content
        .locales
        .iter()
        .flat_map(|l| {
            let texts = template_texts(&root.join("locales").join(l.to_string()));
            with_pieces(&texts, 3)
                .into_iter()
                .map(move |t| (l.clone(), t))
        })
        .collect();
    let unsupported_path = root.join("tools/lab/data/langid-unsupported.tsv");
    let unsupported_text = std::fs::read_to_string(&unsupported_path).unwrap_or_else(|e| {
        eprintln!("{}: {e}", unsupported_path.display());
        std::process::exit(1)
    });
    let unsupported = first_half_by_language(&unsupported_text);

    // Held-back examples are asked of the four-fifths stores; chat messages and neutral
    // texts of the content's own (they are in none of its examples).
    let held: Vec<Text> = held_back
        .iter()
        .map(|(l, t)| Text {
            text: t,
            locale: Some(l.clone()),
        })
        .collect();
    let other: Vec<Text> = chat
        .iter()
        .chain(&replies)
        .map(|(l, t)| Text {
            text: t,
            locale: Some(l.clone()),
        })
        .chain(NEUTRAL.iter().map(|t| Text {
            text: t,
            locale: None,
        }))
        .chain(unsupported.iter().map(|t| Text {
            text: t,
            locale: None,
        }))
        .collect();
    let mut weights = WEIGHTS;
    let mut samples = Vec::new();
    for round in 1..=3 {
        samples = build_samples(&content, &held, |l| stores.get(l), &weights);
        samples.extend(build_samples(
            &content,
            &other,
            |l| content.matchers.get(l),
            &weights,
        ));
        let (before, _, right_before) = loss(&samples, &weights, 0.0);
        weights = fit(&samples, &weights);
        let (after, _, right_after) = loss(&samples, &weights, 0.0);
        println!(
            "round {round}: {} sessions; log-loss {before:.4} -> {after:.4}; right {:.2}% -> {:.2}%",
            samples.len(),
            100.0 * right_before,
            100.0 * right_after
        );
    }
    println!("\nweights:");
    for (name, w) in FEATURES.iter().zip(weights) {
        println!("  {name:<22} {w:+.2}");
    }
    println!(
        "\npub const WEIGHTS: Weights = [{}];",
        weights
            .iter()
            .map(|w| format!("{w:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Calibration of the language confidence on the fitted sessions.
    let mut bins = [(0usize, 0.0f64, 0usize); 5];
    for s in &samples {
        let weighed = weigh(s.features.clone(), &weights);
        let p = f64::from(weighed[0].probability);
        let bin = ((p * 5.0) as usize).min(4);
        bins[bin].0 += 1;
        bins[bin].1 += p;
        bins[bin].2 += usize::from(s.right.contains(&weighed[0].locale));
    }
    println!("\nconfidence  sessions  mean confidence  right");
    for (i, (n, sum, right)) in bins.iter().enumerate() {
        if *n > 0 {
            println!(
                "{:.1}-{:.1}  {:>9}  {:>14.1}%  {:>5.1}%",
                i as f64 / 5.0,
                (i + 1) as f64 / 5.0,
                n,
                100.0 * sum / *n as f64,
                100.0 * *right as f64 / *n as f64
            );
        }
    }
}

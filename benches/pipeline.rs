//! Microbenchmarks of the per-message path, on the demo content's own examples (13 locales
//! mixed): detection, matching, formatting, the whole pipeline (`bot::respond`), and frame
//! decode/encode.
//!
//! `cargo bench --bench pipeline` (run from the repository root).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use switchboard::bot;
use switchboard::bot::ConversationState;
use switchboard::content::Content;
use switchboard::language::Verdict;
use switchboard::protocol::{
    parse_client_frame, BotFields, From, MessageEvent, ServerFrame, Suggestion, Visible,
};

/// Every example of every locale, each with the locale its store belongs to.
fn samples(content: &Content) -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = content
        .examples
        .iter()
        .flat_map(|(locale, e)| {
            e.by_intent
                .values()
                .flatten()
                .map(move |t| (locale.to_string(), t.clone()))
        })
        .collect();
    texts.sort();
    // A fixed interleaving of the locales.
    let step = 7919 % texts.len().max(1);
    (0..texts.len())
        .map(|i| texts[(i * step) % texts.len()].clone())
        .collect()
}

fn per_message(c: &mut Criterion) {
    let content = Content::load(Path::new("."), &"en".parse().expect("tag"))
        .unwrap_or_else(|_| panic!("run from the repository root: the demo content must load"));
    let samples = samples(&content);
    let fresh = ConversationState::default();
    let mut group = c.benchmark_group("per_message");

    let mut i = 0;
    group.bench_function("detect", |b| {
        b.iter(|| {
            i = (i + 1) % samples.len();
            black_box(content.detector.detect(&samples[i].1))
        })
    });

    let matchers: Vec<_> = samples
        .iter()
        .map(|(locale, text)| {
            let locale = locale.parse().expect("tag");
            (&content.matchers[&locale], text)
        })
        .collect();
    let mut i = 0;
    group.bench_function("match", |b| {
        b.iter(|| {
            i = (i + 1) % matchers.len();
            let (matcher, text) = matchers[i];
            black_box(matcher.classify(text, 0.5))
        })
    });

    // The replies the pipeline gives, to format them alone.
    let replies: Vec<_> = samples
        .iter()
        .take(500)
        .map(|(_, text)| {
            let turn = bot::respond(&content, &fresh, text, None, 0.5).expect("an answer");
            (turn.locale, turn.message_id)
        })
        .collect();
    let mut i = 0;
    group.bench_function("format", |b| {
        b.iter(|| {
            i = (i + 1) % replies.len();
            let (locale, id) = &replies[i];
            black_box(content.templates.format(locale, id, &[]))
        })
    });

    let mut i = 0;
    group.bench_function("pipeline", |b| {
        b.iter(|| {
            i = (i + 1) % samples.len();
            black_box(bot::respond(&content, &fresh, &samples[i].1, None, 0.5))
        })
    });

    let frames: Vec<String> = samples
        .iter()
        .take(500)
        .enumerate()
        .map(|(n, (_, text))| {
            serde_json::json!({"type": "message", "id": n.to_string(), "text": text}).to_string()
        })
        .collect();
    let mut i = 0;
    group.bench_function("frame_decode", |b| {
        b.iter(|| {
            i = (i + 1) % frames.len();
            black_box(parse_client_frame(&frames[i]))
        })
    });

    let turn = bot::respond(&content, &fresh, "where is my order 48213377?", None, 0.5)
        .expect("an answer");
    let reply = ServerFrame::Visible(Visible::Message(MessageEvent {
        seq: 2,
        from: From::Bot,
        text: turn.text.clone(),
        locale: turn.locale.to_string(),
        at: "2026-11-22T10:00:00Z".into(),
        bot: Some(BotFields {
            in_reply_to: Some("1".into()),
            intent: turn.intent.clone(),
            confidence: turn.confidence,
            suggestions: turn
                .suggestions
                .iter()
                .map(|s| Suggestion {
                    text: s.text.clone(),
                    payload: s.payload.clone(),
                })
                .collect(),
            content_version: content.version.clone(),
        }),
        agent: None,
    }));
    group.bench_function("frame_encode", |b| b.iter(|| black_box(reply.encode())));
    group.finish();

    // Which verdicts the samples get: printed so a change of the mix is visible.
    let reliable = samples
        .iter()
        .filter(|(_, t)| matches!(content.detector.detect(t).verdict, Verdict::Reliable(_)))
        .count();
    eprintln!("{} samples, {reliable} detected reliably", samples.len());
}

criterion_group!(benches, per_message);
criterion_main!(benches);

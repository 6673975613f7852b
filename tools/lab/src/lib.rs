//! The research and evaluation programs around switchboard (`examples/`: accuracy of language
//! identification and intents, the language decision's fit, latency and capacity benchmarks),
//! apart from the product so that its dependency tree holds only what the gateway runs.
//! Figures and commands: docs/ACCURACY.md, docs/BENCHMARKS.md.
//!
//! This library is what the examples share: the data file, the demo content, and whatlang
//! restricted to the demo content's locales (the baseline the language ones compare against).

use switchboard::bot::Stores;
use switchboard::content::Content;
use switchboard::language::detect::whatlang_of;
use switchboard::language::{decide, Detection, LanguageContext};
use unic_langid::LanguageIdentifier;

/// The gateway's reply locale for a first message `text` in context `ctx`: its language
/// decision, with the content's intent stores as evidence.
pub fn reply_locale(
    content: &Content,
    ctx: &LanguageContext<'_>,
    text: &str,
    detection: &Detection,
) -> LanguageIdentifier {
    let mut stores = Stores::new(|l| content.matchers.get(l), text, 0.5);
    decide(ctx, detection, &mut stores, &content.default_locale).locale
}

/// The text of `path`, or a message and exit 1.
pub fn read_or_exit(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1)
    })
}

/// The content of `root`, or every problem found in it and exit 1.
pub fn content_or_exit(root: &std::path::Path) -> Content {
    Content::load(root, &"en".parse().expect("valid tag")).unwrap_or_else(|problems| {
        for p in problems {
            eprintln!("{p}");
        }
        std::process::exit(1)
    })
}

/// The demo content (run from the repository root), and plain whatlang allowed only its
/// locales' languages.
pub fn demo_content_and_whatlang() -> (Content, whatlang::Detector) {
    let content = Content::load(std::path::Path::new("."), &"en".parse().expect("tag"))
        .unwrap_or_else(|_| {
            eprintln!("run from the repository root: the demo content must load");
            std::process::exit(1)
        });
    let allow: Vec<whatlang::Lang> = content.locales.iter().filter_map(whatlang_of).collect();
    (content, whatlang::Detector::with_allowlist(allow))
}

//! Intent accuracy on the demo content's own held-back examples: every fifth example of each
//! intent is kept out of the store and asked afterwards, as a customer would.

use switchboard::content::Content;
use switchboard::intents::Matcher;
use unic_langid::LanguageIdentifier;

use crate::helpers::repo_root;

/// The floor every locale must keep (the figures are printed and in docs/ACCURACY.md).
const FLOOR: f64 = 0.70;

#[test]
fn held_back_examples_are_understood_in_every_locale() {
    let en: LanguageIdentifier = "en".parse().unwrap();
    let content = Content::load(&repo_root(), &en).expect("demo content loads");
    let ids = content.catalog.ids();
    let mut report = Vec::new();
    let mut below = Vec::new();
    for locale in &content.locales {
        let (train, test) = content.examples[locale].hold_out(5);
        let matcher = Matcher::build(&ids, &train);
        let right = test
            .iter()
            .filter(|(intent, text)| matcher.classify(text, 0.0).intent.as_deref() == Some(intent))
            .count();
        let answered_right = test
            .iter()
            .filter(|(intent, text)| matcher.classify(text, 0.5).intent.as_deref() == Some(intent))
            .count();
        let accuracy = right as f64 / test.len() as f64;
        report.push(format!(
            "{locale:<3} {:>5.1}% top-1, {:>5.1}% answered right at threshold 0.5 ({} held back)",
            100.0 * accuracy,
            100.0 * answered_right as f64 / test.len() as f64,
            test.len()
        ));
        if accuracy < FLOOR {
            below.push(locale.to_string());
        }
    }
    println!("{}", report.join("\n"));
    assert!(
        below.is_empty(),
        "below {FLOOR}: {below:?}\n{}",
        report.join("\n")
    );
}

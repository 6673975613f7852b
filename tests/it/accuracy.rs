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

/// A smoke run of the outside benchmark (the full runs are `scripts/intent_accuracy.py`, see
/// docs/ACCURACY.md): xSID's English and German, the same split as the script (duplicates
/// dropped, every third line held out), the gateway's matcher next to the baseline.
#[test]
fn outside_data_xsid_sample_is_matched_at_least_as_well_as_the_baseline() {
    use switchboard::intents::Settings;
    let text = std::fs::read_to_string(crate::helpers::shared_data("xsid-valid.tsv")).unwrap();
    let mut report = Vec::new();
    for locale in ["en", "de"] {
        let mut seen = std::collections::HashSet::new();
        let lines: Vec<(String, String)> = text
            .lines()
            .filter_map(|l| {
                let mut parts = l.splitn(3, '\t');
                let (l, intent, text) = (parts.next()?, parts.next()?, parts.next()?);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                (l == locale && seen.insert(text.clone())).then(|| (intent.to_string(), text))
            })
            .collect();
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (i, line) in lines.into_iter().enumerate() {
            if i % 3 == 2 { &mut test } else { &mut train }.push(line);
        }
        let mut intents: Vec<String> = train.iter().map(|(i, _)| i.clone()).collect();
        intents.sort();
        intents.dedup();
        let top1 = |settings: Settings| {
            let matcher = Matcher::build_with(&intents, &train, settings);
            matcher.top1_hits(&test) as f64 / test.len() as f64
        };
        let (gateway, baseline) = (top1(Settings::default()), top1(Settings::baseline()));
        report.push(format!(
            "{locale}: gateway {:.1}%, baseline {:.1}% ({} test lines)",
            100.0 * gateway,
            100.0 * baseline,
            test.len()
        ));
        assert!(
            gateway >= 0.85 && gateway + 0.02 >= baseline,
            "{}",
            report.join("\n")
        );
    }
    println!("{}", report.join("\n"));
}

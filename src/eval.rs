//! Evaluation of intent and language accuracy on a labelled file (`switchboard eval`).
//!
//! Each line is judged as the first message of a fresh session: its language is the
//! gateway's own choice with no other context, and its intent is matched in the store of its
//! *labelled* locale, so the two are scored independently.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use unic_langid::LanguageIdentifier;

use crate::content::Content;
use crate::intents::Matcher;
use crate::language::{arbitrate, LanguageContext};

/// One labelled line.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub locale: String,
    /// `None` for out of scope (`null` in the file).
    pub intent: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ParseError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// Reads `locale<TAB>intent<TAB>text` lines; `#` lines and blank lines are skipped.
pub fn parse(file: &str, text: &str) -> Result<Vec<Sample>, ParseError> {
    let mut samples = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(locale), Some(intent), Some(text)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ParseError {
                file: file.to_string(),
                line: i + 1,
                message: "expected locale<TAB>intent<TAB>text".into(),
            });
        };
        // Datasets label dialects their own way ("de-muc", "gsw"): any token is a label; the
        // language is right when the gateway's choice is that same tag.
        if locale.is_empty() || locale.contains(char::is_whitespace) {
            return Err(ParseError {
                file: file.to_string(),
                line: i + 1,
                message: format!("{locale:?} is not a locale label"),
            });
        }
        samples.push(Sample {
            locale: locale.to_string(),
            intent: (intent != "null" && !intent.is_empty()).then(|| intent.to_string()),
            text: text.to_string(),
        });
    }
    Ok(samples)
}

/// Figures for one locale or for all; ratios in 0..1, `None` where undefined.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Scores {
    pub n: usize,
    pub intent_accuracy: Option<f64>,
    pub macro_f1: Option<f64>,
    pub language_accuracy: Option<f64>,
    pub oos_precision: Option<f64>,
    pub oos_recall: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confusion {
    pub locale: String,
    pub expected: String,
    pub got: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub overall: Scores,
    pub locales: BTreeMap<String, Scores>,
    /// The most frequent (expected, got) mistakes, most frequent first.
    pub confused: Vec<Confusion>,
}

/// (expected, predicted, language right)
type Judged = (Option<String>, Option<String>, bool);

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn scores(judged: &[Judged]) -> Scores {
    let n = judged.len();
    let right = judged.iter().filter(|(e, p, _)| e == p).count();
    let language = judged.iter().filter(|(_, _, l)| *l).count();
    let predicted_oos = judged.iter().filter(|(_, p, _)| p.is_none()).count();
    let actual_oos = judged.iter().filter(|(e, _, _)| e.is_none()).count();
    let both_oos = judged
        .iter()
        .filter(|(e, p, _)| e.is_none() && p.is_none())
        .count();
    // Macro-F1 over the in-scope intents that occur as labels or predictions.
    let mut per_intent: HashMap<&str, (usize, usize, usize)> = HashMap::new(); // tp, fp, fn
    for (expected, predicted, _) in judged {
        match (expected, predicted) {
            (Some(e), Some(p)) if e == p => per_intent.entry(e).or_default().0 += 1,
            _ => {
                if let Some(p) = predicted {
                    per_intent.entry(p).or_default().1 += 1;
                }
                if let Some(e) = expected {
                    per_intent.entry(e).or_default().2 += 1;
                }
            }
        }
    }
    let f1s: Vec<f64> = per_intent
        .values()
        .map(|&(tp, fp, fn_)| {
            let denominator = 2 * tp + fp + fn_;
            if denominator == 0 {
                0.0
            } else {
                2.0 * tp as f64 / denominator as f64
            }
        })
        .collect();
    Scores {
        n,
        intent_accuracy: ratio(right, n),
        macro_f1: (!f1s.is_empty()).then(|| f1s.iter().sum::<f64>() / f1s.len() as f64),
        language_accuracy: ratio(language, n),
        oos_precision: ratio(both_oos, predicted_oos),
        oos_recall: ratio(both_oos, actual_oos),
    }
}

/// Where intents are matched: the content's stores, or stores built from training lines.
pub enum Stores<'a> {
    Content(&'a Content),
    Trained(HashMap<String, Matcher>),
}

impl Stores<'_> {
    /// One matcher per locale of `train`, over that locale's in-scope intents.
    pub fn train(train: &[Sample]) -> Stores<'static> {
        let mut by_locale: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
        for sample in train {
            if let Some(intent) = &sample.intent {
                by_locale
                    .entry(&sample.locale)
                    .or_default()
                    .push((intent.clone(), sample.text.clone()));
            }
        }
        let matchers = by_locale
            .into_iter()
            .map(|(locale, pairs)| {
                let mut intents: Vec<String> = pairs.iter().map(|(i, _)| i.clone()).collect();
                intents.sort();
                intents.dedup();
                (locale.to_string(), Matcher::build(&intents, &pairs))
            })
            .collect();
        Stores::Trained(matchers)
    }

    fn matcher(&self, locale: &str) -> Option<&Matcher> {
        match self {
            Stores::Content(content) => locale
                .parse::<LanguageIdentifier>()
                .ok()
                .and_then(|l| content.matchers.get(&l)),
            Stores::Trained(matchers) => matchers.get(locale),
        }
    }
}

/// Scores `samples`: intents in `stores` with `threshold`, languages with `content`'s detector.
pub fn evaluate(
    content: &Content,
    stores: &Stores<'_>,
    samples: &[Sample],
    threshold: f32,
) -> Report {
    let mut by_locale: BTreeMap<String, Vec<Judged>> = BTreeMap::new();
    let mut mistakes: HashMap<(String, String, String), usize> = HashMap::new();
    for sample in samples {
        let predicted = stores
            .matcher(&sample.locale)
            .and_then(|m| m.classify(&sample.text, threshold).intent);
        let detection = content.detector.detect(&sample.text);
        let (chosen, _) = arbitrate(
            &LanguageContext::default(),
            &detection,
            &content.default_locale,
        );
        let language_right = chosen.to_string() == sample.locale;
        if predicted != sample.intent {
            let name = |i: &Option<String>| i.clone().unwrap_or_else(|| "null".into());
            *mistakes
                .entry((
                    sample.locale.clone(),
                    name(&sample.intent),
                    name(&predicted),
                ))
                .or_default() += 1;
        }
        by_locale.entry(sample.locale.clone()).or_default().push((
            sample.intent.clone(),
            predicted,
            language_right,
        ));
    }
    let all: Vec<Judged> = by_locale.values().flatten().cloned().collect();
    let mut confused: Vec<Confusion> = mistakes
        .into_iter()
        .map(|((locale, expected, got), count)| Confusion {
            locale,
            expected,
            got,
            count,
        })
        .collect();
    confused.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| (&a.locale, &a.expected, &a.got).cmp(&(&b.locale, &b.expected, &b.got)))
    });
    confused.truncate(10);
    Report {
        overall: scores(&all),
        locales: by_locale
            .iter()
            .map(|(locale, judged)| (locale.clone(), scores(judged)))
            .collect(),
        confused,
    }
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

/// The report as a table for people.
pub fn render_text(report: &Report) -> String {
    let mut out = format!(
        "{:<8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        "locale", "n", "intent", "macro-F1", "language", "oos-P", "oos-R"
    );
    let row = |name: &str, s: &Scores| {
        format!(
            "{:<8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
            name,
            s.n,
            pct(s.intent_accuracy),
            pct(s.macro_f1),
            pct(s.language_accuracy),
            pct(s.oos_precision),
            pct(s.oos_recall)
        )
    };
    for (locale, s) in &report.locales {
        out.push_str(&row(locale, s));
    }
    out.push_str(&row("overall", &report.overall));
    if !report.confused.is_empty() {
        out.push_str("\nmost confused (locale: expected -> got, count)\n");
        for c in &report.confused {
            out.push_str(&format!(
                "  {}: {} -> {} ({})\n",
                c.locale, c.expected, c.got, c.count
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_reports_bad_ones_with_their_number() {
        let samples = parse(
            "f.tsv",
            "# header\nen\tgreeting\thi there\n\nes\tnull\tel tiempo\n",
        )
        .unwrap();
        assert_eq!(samples.len(), 2);
        assert_eq!(samples[1].intent, None);
        let e = parse("f.tsv", "en\tgreeting\thi\nen greeting hi\n").unwrap_err();
        assert_eq!((e.line, e.file.as_str()), (2, "f.tsv"));
        let e = parse("f.tsv", "\tx\ty\n").unwrap_err();
        assert!(e.message.contains("locale label"));
        assert_eq!(
            parse("f.tsv", "de-muc\tx\ty\n").unwrap()[0].locale,
            "de-muc"
        );
    }

    #[test]
    fn scores_count_accuracy_f1_and_out_of_scope() {
        let g = |s: &str| Some(s.to_string());
        let judged: Vec<Judged> = vec![
            (g("a"), g("a"), true),
            (g("a"), g("b"), true),
            (g("b"), g("b"), false),
            (None, None, true),
            (None, g("a"), true),
            (g("b"), None, true),
        ];
        let s = scores(&judged);
        assert_eq!(s.n, 6);
        assert_eq!(s.intent_accuracy, Some(3.0 / 6.0));
        assert_eq!(s.language_accuracy, Some(5.0 / 6.0));
        assert_eq!(s.oos_precision, Some(1.0 / 2.0));
        assert_eq!(s.oos_recall, Some(1.0 / 2.0));
        // a: tp1 fp1 fn1 → 0.5; b: tp1 fp1 fn1 → 0.5
        assert_eq!(s.macro_f1, Some(0.5));
        assert_eq!(scores(&[]).intent_accuracy, None);
    }
}

//! Evaluation of intent and language accuracy on a labelled file (`switchboard eval`).
//!
//! Each line is judged as the first message of a fresh session: its language is the
//! gateway's own choice with only the browser's languages as context ([`Hello`]: none by
//! default), and its intent is matched in the store of its *labelled* locale, so the two are
//! scored independently. The answer a customer would get (the intent matched where the
//! gateway matches it, after its language decision) is scored too: `answer_accuracy`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use unic_langid::LanguageIdentifier;

use crate::bot;
use crate::bot::ConversationState;
use crate::content::Content;
use crate::intents::{Matcher, Settings};
use crate::language::negotiate;

/// The browser's languages (`hello.locales`) every line's session starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hello {
    /// No hint (`--hello none`).
    None,
    /// The browser agrees with the customer: each line's own locale (`--hello same`).
    Same,
    /// These tags for every line (`--hello en` or `--hello en-US,en`).
    Tags(Vec<String>),
}

impl std::str::FromStr for Hello {
    type Err = String;

    fn from_str(s: &str) -> Result<Hello, String> {
        match s.trim() {
            "none" => Ok(Hello::None),
            "same" => Ok(Hello::Same),
            "" => Err("expected none, same or BCP 47 tags (en, es-MX,es)".into()),
            tags => {
                let tags: Vec<String> = tags.split(',').map(|t| t.trim().to_string()).collect();
                match tags
                    .iter()
                    .find(|t| t.parse::<LanguageIdentifier>().is_err())
                {
                    Some(bad) => Err(format!("{bad:?} is not a BCP 47 tag")),
                    None => Ok(Hello::Tags(tags)),
                }
            }
        }
    }
}

impl Hello {
    fn tags(&self, sample: &Sample) -> Vec<String> {
        match self {
            Hello::None => Vec::new(),
            Hello::Same => vec![sample.locale.clone()],
            Hello::Tags(tags) => tags.clone(),
        }
    }
}

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
    /// The answer (intent, or fallback for out of scope) is right, at the threshold.
    pub intent_accuracy: Option<f64>,
    pub macro_f1: Option<f64>,
    pub language_accuracy: Option<f64>,
    /// The answer the customer gets is right: the intent (or the fallback for out of scope)
    /// matched, at the threshold, in the store the gateway matches in after its language
    /// decision, not in the labelled locale's.
    pub answer_accuracy: Option<f64>,
    pub oos_precision: Option<f64>,
    pub oos_recall: Option<f64>,
    /// In-scope lines whose best intent is right, whatever its confidence (the classical
    /// accuracy of a classifier).
    pub top1_accuracy: Option<f64>,
    /// In-scope lines answered with the right intent at the threshold (a fallback is wrong).
    pub in_scope_accuracy: Option<f64>,
    /// Expected calibration error of the confidence as the probability that the best intent
    /// is right (10 bins; out-of-scope lines count as wrong).
    pub ece: Option<f64>,
}

/// What one threshold on the confidence gives on in-scope and out-of-scope lines.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OperatingPoint {
    pub threshold: f32,
    /// In-scope lines answered with the right intent.
    pub in_scope_accuracy: f64,
    /// Out-of-scope lines that fell back.
    pub oos_rejected: f64,
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
    /// The mean over locales of their top-1 accuracy (each locale weighs alike).
    pub mean_top1_accuracy: Option<f64>,
    /// Thresholds 0.05…0.95 when there are out-of-scope lines: the trade-off between
    /// answering in-scope lines and rejecting out-of-scope ones.
    pub operating_points: Vec<OperatingPoint>,
    /// Mean time of one intent match, in microseconds.
    pub match_us: f64,
    /// The most frequent (expected, got) mistakes, most frequent first.
    pub confused: Vec<Confusion>,
}

/// One judged line.
#[derive(Debug, Clone)]
struct Judged {
    expected: Option<String>,
    /// The answer at the threshold.
    predicted: Option<String>,
    /// The best intent, whatever the confidence.
    best: Option<String>,
    confidence: f32,
    language_right: bool,
    /// The answer as the gateway gives it (matched where its language decision matches).
    answered: Option<String>,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Expected calibration error over 10 equal-width bins of `(confidence, right)`.
fn expected_calibration_error(judged: &[(f32, bool)]) -> Option<f64> {
    if judged.is_empty() {
        return None;
    }
    let mut bins = [(0.0f64, 0usize, 0usize); 10]; // confidence sum, right, count
    for &(confidence, right) in judged {
        let bin = ((confidence.clamp(0.0, 1.0) * 10.0) as usize).min(9);
        bins[bin].0 += f64::from(confidence);
        bins[bin].1 += usize::from(right);
        bins[bin].2 += 1;
    }
    let total = judged.len() as f64;
    Some(
        bins.iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|&(sum, right, n)| (sum / n as f64 - right as f64 / n as f64).abs() * n as f64)
            .sum::<f64>()
            / total,
    )
}

fn operating_points(judged: &[Judged]) -> Vec<OperatingPoint> {
    let in_scope: Vec<&Judged> = judged.iter().filter(|j| j.expected.is_some()).collect();
    let out_of_scope: Vec<&Judged> = judged.iter().filter(|j| j.expected.is_none()).collect();
    if in_scope.is_empty() || out_of_scope.is_empty() {
        return Vec::new();
    }
    (1..20)
        .map(|step| {
            let threshold = step as f32 * 0.05;
            let right = in_scope
                .iter()
                .filter(|j| j.confidence >= threshold && j.best == j.expected)
                .count();
            let rejected = out_of_scope
                .iter()
                .filter(|j| j.confidence < threshold || j.best.is_none())
                .count();
            OperatingPoint {
                threshold,
                in_scope_accuracy: right as f64 / in_scope.len() as f64,
                oos_rejected: rejected as f64 / out_of_scope.len() as f64,
            }
        })
        .collect()
}

fn scores(judged: &[Judged]) -> Scores {
    let n = judged.len();
    let right = judged.iter().filter(|j| j.expected == j.predicted).count();
    let language = judged.iter().filter(|j| j.language_right).count();
    let answered = judged.iter().filter(|j| j.answered == j.expected).count();
    let predicted_oos = judged.iter().filter(|j| j.predicted.is_none()).count();
    let actual_oos = judged.iter().filter(|j| j.expected.is_none()).count();
    let both_oos = judged
        .iter()
        .filter(|j| j.expected.is_none() && j.predicted.is_none())
        .count();
    let in_scope = n - actual_oos;
    let best_right = judged
        .iter()
        .filter(|j| j.expected.is_some() && j.best == j.expected)
        .count();
    let answered_right = judged
        .iter()
        .filter(|j| j.expected.is_some() && j.predicted == j.expected)
        .count();
    let calibration: Vec<(f32, bool)> = judged
        .iter()
        .map(|j| (j.confidence, j.expected.is_some() && j.best == j.expected))
        .collect();
    // Macro-F1 over the in-scope intents that occur as labels or predictions.
    let mut per_intent: HashMap<&str, (usize, usize, usize)> = HashMap::new(); // tp, fp, fn
    for Judged {
        expected,
        predicted,
        ..
    } in judged
    {
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
        answer_accuracy: ratio(answered, n),
        oos_precision: ratio(both_oos, predicted_oos),
        oos_recall: ratio(both_oos, actual_oos),
        top1_accuracy: ratio(best_right, in_scope),
        in_scope_accuracy: ratio(answered_right, in_scope),
        ece: expected_calibration_error(&calibration),
    }
}

/// Where intents are matched: the content's stores, or stores built from training lines.
pub enum Stores<'a> {
    Content(&'a Content),
    Trained(HashMap<String, Matcher>),
}

impl Stores<'_> {
    /// One matcher per locale of `train`, over that locale's in-scope intents.
    pub fn train(train: &[Sample], settings: Settings) -> Stores<'static> {
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
                let matcher = Matcher::build_with(&intents, &pairs, settings);
                (locale.to_string(), matcher)
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
    hello: &Hello,
) -> Report {
    let mut by_locale: BTreeMap<String, Vec<Judged>> = BTreeMap::new();
    let mut mistakes: HashMap<(String, String, String), usize> = HashMap::new();
    let mut matching = std::time::Duration::ZERO;
    for sample in samples {
        let started = std::time::Instant::now();
        let matched = stores
            .matcher(&sample.locale)
            .map(|m| m.classify(&sample.text, threshold));
        matching += started.elapsed();
        let (predicted, best, confidence) = match matched {
            Some(m) => (
                m.intent,
                m.ranked.into_iter().next().map(|s| s.intent),
                m.confidence,
            ),
            None => (None, None, 0.0),
        };
        let detection = content.detector.detect(&sample.text);
        let state = ConversationState {
            negotiated: negotiate(&hello.tags(sample), &content.locales).map(|l| l.to_string()),
            ..Default::default()
        };
        let mut evidence =
            bot::Stores::new(|l| stores.matcher(&l.to_string()), &sample.text, threshold);
        let decision = bot::decide_language(content, &state, &detection, &mut evidence);
        let language_right = decision.locale.to_string() == sample.locale;
        let match_locale = decision.written.as_ref().unwrap_or(&decision.locale);
        let answered = evidence
            .matched(match_locale)
            .and_then(|m| m.intent.clone());
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
        by_locale
            .entry(sample.locale.clone())
            .or_default()
            .push(Judged {
                expected: sample.intent.clone(),
                predicted,
                best,
                confidence,
                language_right,
                answered,
            });
    }
    let all: Vec<Judged> = by_locale.values().flatten().cloned().collect();
    let locales: BTreeMap<String, Scores> = by_locale
        .iter()
        .map(|(locale, judged)| (locale.clone(), scores(judged)))
        .collect();
    let top1: Vec<f64> = locales.values().filter_map(|s| s.top1_accuracy).collect();
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
        locales,
        mean_top1_accuracy: (!top1.is_empty())
            .then(|| top1.iter().sum::<f64>() / top1.len() as f64),
        operating_points: operating_points(&all),
        match_us: matching.as_secs_f64() * 1e6 / samples.len().max(1) as f64,
        confused,
    }
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

/// The report as a table for people.
pub fn render_text(report: &Report) -> String {
    let mut out = format!(
        "{:<8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
        "locale", "n", "intent", "top-1", "macro-F1", "language", "answer", "oos-P", "oos-R", "ECE"
    );
    let row = |name: &str, s: &Scores| {
        format!(
            "{:<8} {:>6} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}\n",
            name,
            s.n,
            pct(s.intent_accuracy),
            pct(s.top1_accuracy),
            pct(s.macro_f1),
            pct(s.language_accuracy),
            pct(s.answer_accuracy),
            pct(s.oos_precision),
            pct(s.oos_recall),
            pct(s.ece)
        )
    };
    for (locale, s) in &report.locales {
        out.push_str(&row(locale, s));
    }
    out.push_str(&row("overall", &report.overall));
    if report.locales.len() > 1 {
        out.push_str(&format!(
            "mean top-1 over {} locales: {}\n",
            report.locales.len(),
            pct(report.mean_top1_accuracy)
        ));
    }
    out.push_str(&format!(
        "intent match: {:.1} µs per line\n",
        report.match_us
    ));
    if !report.operating_points.is_empty() {
        out.push_str("\nthreshold  in-scope answered right  out-of-scope rejected\n");
        for p in &report.operating_points {
            out.push_str(&format!(
                "{:>9.2} {:>24} {:>22}\n",
                p.threshold,
                pct(Some(p.in_scope_accuracy)),
                pct(Some(p.oos_rejected))
            ));
        }
    }
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
    fn hello_reads_none_same_or_tags() {
        assert_eq!("none".parse::<Hello>(), Ok(Hello::None));
        assert_eq!("same".parse::<Hello>(), Ok(Hello::Same));
        assert_eq!(
            "es-MX, es".parse::<Hello>(),
            Ok(Hello::Tags(vec!["es-MX".into(), "es".into()]))
        );
        assert!("".parse::<Hello>().is_err());
        assert!("en,not a tag!"
            .parse::<Hello>()
            .unwrap_err()
            .contains("not a tag!"));
    }

    #[test]
    fn scores_count_accuracy_f1_and_out_of_scope() {
        let g = |s: &str| Some(s.to_string());
        let j = |expected, predicted: Option<String>, language_right| Judged {
            expected,
            best: predicted.clone(),
            answered: if language_right {
                predicted.clone()
            } else {
                None
            },
            predicted,
            confidence: 1.0,
            language_right,
        };
        let judged: Vec<Judged> = vec![
            j(g("a"), g("a"), true),
            j(g("a"), g("b"), true),
            j(g("b"), g("b"), false),
            j(None, None, true),
            j(None, g("a"), true),
            j(g("b"), None, true),
        ];
        let s = scores(&judged);
        assert_eq!(s.n, 6);
        assert_eq!(s.intent_accuracy, Some(3.0 / 6.0));
        assert_eq!(s.language_accuracy, Some(5.0 / 6.0));
        // The line answered in the wrong language got no answer: 3 right answers less the
        // one whose language was wrong.
        assert_eq!(s.answer_accuracy, Some(2.0 / 6.0));
        assert_eq!(s.oos_precision, Some(1.0 / 2.0));
        assert_eq!(s.oos_recall, Some(1.0 / 2.0));
        // a: tp1 fp1 fn1 → 0.5; b: tp1 fp1 fn1 → 0.5
        assert_eq!(s.macro_f1, Some(0.5));
        assert_eq!(scores(&[]).intent_accuracy, None);
    }

    fn judged(expected: Option<&str>, best: Option<&str>, confidence: f32) -> Judged {
        let best = best.map(str::to_string);
        Judged {
            expected: expected.map(str::to_string),
            predicted: best.clone().filter(|_| confidence >= 0.5),
            answered: best.clone().filter(|_| confidence >= 0.5),
            best,
            confidence,
            language_right: true,
        }
    }

    #[test]
    fn calibration_error_is_zero_when_confidence_matches_accuracy() {
        // Confidence 0.75 on four lines of which three are right: calibrated.
        let right = [(0.75, true), (0.75, true), (0.75, true), (0.75, false)];
        assert!(expected_calibration_error(&right).unwrap() < 1e-9);
        // Always sure, right half the time: 50 points off.
        let sure = [(1.0, true), (1.0, false)];
        assert!((expected_calibration_error(&sure).unwrap() - 0.5).abs() < 1e-9);
        assert_eq!(expected_calibration_error(&[]), None);
    }

    #[test]
    fn top1_and_in_scope_accuracy_ignore_or_use_the_threshold() {
        let lines = [
            judged(Some("a"), Some("a"), 0.9),
            judged(Some("a"), Some("a"), 0.3), // right intent, but fell back
            judged(Some("b"), Some("a"), 0.8),
            judged(None, Some("a"), 0.2), // out of scope, rejected
        ];
        let s = scores(&lines);
        assert_eq!(s.top1_accuracy, Some(2.0 / 3.0));
        assert_eq!(s.in_scope_accuracy, Some(1.0 / 3.0));
        assert_eq!(s.oos_recall, Some(1.0));
    }

    #[test]
    fn operating_points_trade_answers_for_rejections() {
        let lines = [
            judged(Some("a"), Some("a"), 0.9),
            judged(Some("a"), Some("a"), 0.4),
            judged(None, Some("a"), 0.6),
            judged(None, Some("b"), 0.1),
        ];
        let points = operating_points(&lines);
        assert_eq!(points.len(), 19);
        let at = |t: f32| {
            points
                .iter()
                .find(|p| (p.threshold - t).abs() < 1e-6)
                .unwrap()
        };
        assert_eq!(
            (at(0.05).in_scope_accuracy, at(0.05).oos_rejected),
            (1.0, 0.0)
        );
        assert_eq!(
            (at(0.5).in_scope_accuracy, at(0.5).oos_rejected),
            (0.5, 0.5)
        );
        assert_eq!(
            (at(0.95).in_scope_accuracy, at(0.95).oos_rejected),
            (0.0, 1.0)
        );
        // No out-of-scope lines: no trade-off to show.
        assert!(operating_points(&lines[..2]).is_empty());
    }
}

//! What would hurt customers without breaking the build: variables a message uses that the
//! gateway never passes (error: the customer would read `{$x}`), variables a translation
//! drops, messages only some locales have, examples written twice, and intents the matcher
//! confuses.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use unic_langid::LanguageIdentifier;

use super::{Problem, Severity};
use crate::intents::{features::normalize, Catalog, Examples, Matcher};
use crate::templates::Templates;

/// The variables the gateway passes to `message`, besides every fact of `locales/shop.toml`.
/// (Kept next to the constants the bot and the desk use; the lint test renders every message
/// with exactly these.)
pub fn passed_variables(catalog: &Catalog, message: &str) -> Vec<&'static str> {
    let mut passed = match message {
        super::HANDOFF_QUEUED
        | super::HANDOFF_REQUEUED
        | super::HANDOFF_TRANSFERRED
        | super::HANDOFF_WAITING => {
            vec!["position"]
        }
        super::HANDOFF_QUEUED_WAIT => vec!["position", "minutes"],
        super::HANDOFF_ASSIGNED | super::HANDOFF_ENDED => vec!["agent"],
        super::HANDOFF_UNAVAILABLE_CLOSED => vec!["opens", "closes"],
        canned if canned.starts_with(super::CANNED_PREFIX) => vec!["agent"],
        _ => vec![],
    };
    for def in catalog.intents.values() {
        if def.reply_when.get("order").is_some_and(|m| m == message) {
            passed.push("order");
        }
    }
    passed
}

fn at(
    templates: &Templates,
    locale: &LanguageIdentifier,
    id: &str,
    severity: Severity,
    message: String,
) -> Problem {
    let (file, line) = templates
        .origin(locale, id)
        .map(|(f, l)| (f.to_string(), l))
        .unwrap_or_else(|| (format!("locales/{locale}"), 0));
    Problem {
        severity,
        file,
        line,
        column: usize::from(line > 0),
        message,
    }
}

/// Variable and coverage problems of the messages.
pub fn messages(
    catalog: &Catalog,
    templates: &Templates,
    locales: &[LanguageIdentifier],
    default: &LanguageIdentifier,
    required: &BTreeSet<String>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let facts: BTreeSet<&str> = templates.fact_names().iter().map(String::as_str).collect();
    let default_ids = templates.message_ids(default);
    let mut defined_in: BTreeMap<String, usize> = BTreeMap::new();
    for locale in locales {
        let ids = templates.message_ids(locale);
        for id in &ids {
            *defined_in.entry(id.clone()).or_default() += 1;
            let passed: BTreeSet<&str> = facts
                .iter()
                .copied()
                .chain(passed_variables(catalog, id))
                .collect();
            let used = templates.variables(locale, id).cloned().unwrap_or_default();
            for variable in &used {
                if !passed.contains(variable.as_str()) {
                    problems.push(at(templates, locale, id, Severity::Error, format!(
                        "{id} uses ${variable}, which the gateway never passes to it: customers would read {{${variable}}}"
                    )));
                }
            }
            if locale != default {
                if let Some(reference) = templates.variables(default, id) {
                    for variable in reference.difference(&used) {
                        if passed.contains(variable.as_str()) {
                            problems.push(at(
                                templates,
                                locale,
                                id,
                                Severity::Warning,
                                format!(
                                "{id} does not use ${variable}, which the {default} message uses"
                            ),
                            ));
                        }
                    }
                }
            }
        }
        for id in default_ids.difference(&ids) {
            if !required.contains(id) {
                problems.push(at(
                    templates,
                    locale,
                    id,
                    Severity::Warning,
                    format!("{id} is missing in {locale}: customers get the {default} text"),
                ));
            }
        }
    }
    for (id, count) in defined_in {
        if !default_ids.contains(&id) && count < locales.len() {
            problems.push(Problem {
                severity: Severity::Warning,
                file: "locales".into(),
                line: 0,
                column: 0,
                message: format!(
                    "{id} exists in only {count} of {} locales, not in {default}",
                    locales.len()
                ),
            });
        }
    }
    problems
}

/// Examples written twice in an intent, or in two intents of one locale.
pub fn examples(locale: &LanguageIdentifier, examples: &Examples) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    for (intent, texts) in &examples.by_intent {
        for (i, text) in texts.iter().enumerate() {
            let key = normalize(text)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let place = examples.origin(intent, i);
            let warn = |message: String| Problem {
                severity: Severity::Warning,
                file: place.map_or(format!("intents/{locale}"), |o| o.file.clone()),
                line: place.map_or(0, |o| o.line),
                column: usize::from(place.is_some()),
                message,
            };
            match seen.get(&key) {
                Some((other, _)) if other == intent => problems.push(warn(format!(
                    "{text:?} is already an example of {intent} (case and accents folded): it adds nothing"
                ))),
                Some((other, _)) => problems.push(warn(format!(
                    "{text:?} is an example of both {other} and {intent}: the matcher cannot tell them apart"
                ))),
                None => {
                    seen.insert(key, (intent.clone(), i));
                }
            }
        }
    }
    problems
}

/// One locale's most confused intent pairs, by 5-fold cross-validation of its examples:
/// `(expected, predicted, count)`, most frequent first.
pub fn confusions(
    intents: &[String],
    examples: &Examples,
    top: usize,
) -> Vec<(String, String, usize)> {
    const FOLDS: usize = 5;
    let pairs = examples.pairs();
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for fold in 0..FOLDS {
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (i, pair) in pairs.iter().enumerate() {
            if i % FOLDS == fold {
                test.push(pair.clone());
            } else {
                train.push(pair.clone());
            }
        }
        let matcher = Matcher::build(intents, &train);
        for (expected, text) in test {
            if let Some(best) = matcher.classify(&text, 0.0).ranked.first() {
                if best.intent != expected {
                    *counts.entry((expected, best.intent.clone())).or_default() += 1;
                }
            }
        }
    }
    let mut ranked: Vec<(String, String, usize)> =
        counts.into_iter().map(|((e, p), c)| (e, p, c)).collect();
    ranked.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    ranked.truncate(top);
    ranked
}

//! The language decision: which supported locale a message is written in, and so which one
//! the bot answers in, weighed from all the evidence at once.
//!
//! Each candidate locale gets a score, a weighted sum of [`FEATURES`]: how well its
//! language's n-gram model explains the text (relative to the best, growing with the text's
//! length), whether the text's script or letters rule it out, how many of the message's words
//! its intent store has seen, how confident its store's best match is, and the two priors —
//! the session's established locale and the browser's (`hello.locales`). One more candidate,
//! "another language" (`und`), stands for every language no locale supports: n-grams no
//! supported language explains speak for it, a sure detector against it; when it wins, the
//! conversation keeps its locale. The candidates' probabilities are the softmax of their scores (a conditional logit); the most probable is
//! the answer, its probability the language confidence. [`WEIGHTS`] were fitted by
//! `tools/lab/examples/language_fit.rs` on the project's own data (the demo content's held-back
//! examples, `tools/lab/data/chat-dev.tsv`, the bot's replies, language-neutral messages and
//! half of `tools/lab/data/langid-unsupported.tsv`), each in sessions with and without a
//! browser language and an established locale. Before weighing, an ambiguous short message
//! keeps the conversation's locale, as the contract asks (fewer than 12 letters).
//!
//! An explicit choice (`locale` frame) is final for the reply; the message is still matched
//! in the store of the language it is written in. A text that says nothing (no letters) or
//! that is in a language no locale supports keeps the session's locale, else the browser's,
//! else the default.

use unic_langid::LanguageIdentifier;

use super::detect::{Detection, Fit, Verdict};
use super::{LanguageContext, Reason};

/// What the intent stores say about a message, per locale. Implemented over the matchers by
/// the bot (the language layer knows nothing of intents).
pub trait StoreEvidence {
    /// Share (0..1) of the message's words that `locale`'s store has in its examples; `None`
    /// when the locale has no store or the message no words in a spaced script.
    fn known_words(&mut self, locale: &LanguageIdentifier) -> Option<f32>;
    /// The calibrated confidence (0..1) of `locale`'s store's best intent for the message.
    fn match_confidence(&mut self, locale: &LanguageIdentifier) -> Option<f32>;
}

/// Number of features per candidate.
pub const N: usize = 10;

/// The features' names, in order (what `switchboard try` prints).
pub const FEATURES: [&str; N] = [
    "n-gram fit",
    "other script",
    "ruled out by letters",
    "store's words",
    "store's match",
    "session locale",
    "browser locale",
    "n-grams unexplained",
    "detector sure",
    "another language",
];

/// Indices into a feature vector.
const TEXT: usize = 0;
const OTHER_SCRIPT: usize = 1;
const EXCLUDED: usize = 2;
const WORDS: usize = 3;
const MATCH: usize = 4;
const SESSION: usize = 5;
const HELLO: usize = 6;
/// On [`other`] alone: the share of the text's longest n-grams that no supported language
/// explains times the letters (up to [`MAX_LETTERS`], in eighths: coverage means more the
/// longer the text); 1 when the detector is sure of a supported language (enough letters, nearly all
/// n-grams known, no other language whatlang is sure of: [`Verdict::Reliable`]); a constant.
const UNEXPLAINED: usize = 7;
const SURE: usize = 8;
const BIAS: usize = 9;
/// The features that come from the text alone (the rest weigh the conversation).
const FROM_TEXT: usize = SESSION;

/// Letters beyond this do not add to the n-gram evidence (the detector scores the first
/// 100 letters anyway, and a long text is decided long before).
const MAX_LETTERS: usize = 64;

/// The candidate "a language no locale supports" (`und`, undetermined): when it is the most
/// probable, the conversation keeps its locale.
pub fn other() -> LanguageIdentifier {
    LanguageIdentifier::default()
}

fn is_other(locale: &LanguageIdentifier) -> bool {
    *locale == LanguageIdentifier::default()
}

/// The weight of each feature.
pub type Weights = [f32; N];

/// Fitted by `cargo run --release -p switchboard-lab --example language_fit` (docs/ACCURACY.md, "The language
/// decision").
pub const WEIGHTS: Weights = [
    0.48, -2.95, -3.03, 4.01, 1.71, 1.16, 0.46, 1.93, -1.70, -0.19,
];

/// One candidate locale, weighed.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighed {
    pub locale: LanguageIdentifier,
    pub features: [f32; N],
    pub score: f32,
    pub probability: f32,
}

/// The outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The locale to answer in.
    pub locale: LanguageIdentifier,
    pub reason: Reason,
    /// The locale the message is judged written in, when the text told (its intent is
    /// matched in that store): the most probable candidate.
    pub written: Option<LanguageIdentifier>,
    /// The probability of `written`.
    pub confidence: Option<f32>,
    /// Every candidate weighed, most probable first (empty when the text did not tell).
    pub candidates: Vec<Weighed>,
}

/// The candidates: the locales written in the text's script, and the session's and the
/// browser's whatever their script (so that the priors are weighed against the text).
fn candidates(
    ctx: &LanguageContext<'_>,
    detection: &Detection,
) -> Vec<(LanguageIdentifier, [f32; N])> {
    let letters = detection.letters.min(MAX_LETTERS) as f32;
    let is_prior = |l: &LanguageIdentifier| Some(l) == ctx.session || Some(l) == ctx.negotiated;
    let mut fit: Vec<(LanguageIdentifier, Fit)> = detection
        .fit
        .iter()
        .filter(|(l, f)| *f != Fit::OtherScript || is_prior(l))
        .cloned()
        .collect();
    if detection.fit.is_empty() {
        // A locale only whatlang knows (a script the n-gram model lacks).
        if let Verdict::Reliable(l) | Verdict::Weak(l) = &detection.verdict {
            fit.push((l.clone(), Fit::Scored(0.0)));
        }
    }
    for prior in [ctx.session, ctx.negotiated].into_iter().flatten() {
        if !fit.iter().any(|(l, _)| l == prior) {
            fit.push((prior.clone(), Fit::OtherScript));
        }
    }
    let mut other = [0.0; N];
    let coverage = detection.coverage.unwrap_or(1.0);
    other[UNEXPLAINED] = (1.0 - coverage) * letters / 8.0;
    other[SURE] = f32::from(u8::from(matches!(detection.verdict, Verdict::Reliable(_))));
    other[BIAS] = 1.0;
    fit.into_iter()
        .map(|(locale, f)| {
            let mut x = [0.0; N];
            match f {
                Fit::Scored(t) => x[TEXT] = t * letters.sqrt(),
                Fit::Excluded => x[EXCLUDED] = 1.0,
                Fit::OtherScript => x[OTHER_SCRIPT] = 1.0,
            }
            x[SESSION] = f32::from(u8::from(Some(&locale) == ctx.session));
            x[HELLO] = f32::from(u8::from(Some(&locale) == ctx.negotiated));
            (locale, x)
        })
        .chain(std::iter::once((self::other(), other)))
        .collect()
}

fn dot(w: &Weights, x: &[f32; N], features: std::ops::Range<usize>) -> f32 {
    features.map(|i| w[i] * x[i]).sum()
}

/// The features of every candidate: what [`decide`] weighs and `tools/lab/examples/language_fit.rs`
/// fits. The match confidence is asked of the stores of the `matched` best candidates by
/// the other features (the others keep 0: a third store rarely changes an answer, and each
/// costs a match).
pub fn evidence(
    ctx: &LanguageContext<'_>,
    detection: &Detection,
    stores: &mut impl StoreEvidence,
    (weights, matched): (&Weights, usize),
) -> Vec<(LanguageIdentifier, [f32; N])> {
    let mut found = candidates(ctx, detection);
    for (locale, x) in &mut found {
        if x[OTHER_SCRIPT] == 0.0 && !is_other(locale) {
            x[WORDS] = stores.known_words(locale).unwrap_or(0.0);
        }
    }
    found.sort_by(|a, b| dot(weights, &b.1, 0..N).total_cmp(&dot(weights, &a.1, 0..N)));
    for (locale, x) in found.iter_mut().filter(|(l, _)| !is_other(l)).take(matched) {
        if x[OTHER_SCRIPT] == 0.0 {
            x[MATCH] = stores.match_confidence(locale).unwrap_or(0.0);
        }
    }
    found
}

/// Softmax of the candidates' scores, most probable first.
pub fn weigh(found: Vec<(LanguageIdentifier, [f32; N])>, weights: &Weights) -> Vec<Weighed> {
    let mut weighed: Vec<Weighed> = found
        .into_iter()
        .map(|(locale, features)| Weighed {
            score: dot(weights, &features, 0..N),
            locale,
            features,
            probability: 0.0,
        })
        .collect();
    let top = weighed
        .iter()
        .map(|w| w.score)
        .fold(f32::NEG_INFINITY, f32::max);
    let total: f32 = weighed.iter().map(|w| (w.score - top).exp()).sum();
    for w in &mut weighed {
        w.probability = (w.score - top).exp() / total;
    }
    weighed.sort_by(|a, b| b.score.total_cmp(&a.score));
    weighed
}

/// Short texts (fewer letters than this) in a script several supported languages write can
/// be ambiguous.
const SHORT: usize = 12;

/// The contract's ambiguous short message, which keeps the conversation's locale: in a script
/// several supported languages write, shorter than [`SHORT`] letters, and either the
/// conversation is established in a locale (a short "thanks", "merci" or "ok danke" does not
/// flip a Spanish conversation; a sentence does), or every word of it is one the browser
/// locale's own store knows ("ok"), or it is a single word no store knows ("pizza", "taxi",
/// a brand name). Never when the text's script or letters rule the prior out.
fn ambiguous(
    ctx: &LanguageContext<'_>,
    detection: &Detection,
    stores: &mut impl StoreEvidence,
) -> bool {
    let Some(prior) = ctx.session.or(ctx.negotiated) else {
        return false;
    };
    if detection.letters >= SHORT {
        return false;
    }
    let in_script: Vec<&LanguageIdentifier> = detection
        .fit
        .iter()
        .filter(|(_, f)| *f != Fit::OtherScript)
        .map(|(l, _)| l)
        .collect();
    if in_script.len() < 2
        || !detection
            .fit
            .iter()
            .any(|(l, f)| l == prior && matches!(f, Fit::Scored(_)))
    {
        return false;
    }
    if ctx.session.is_some() || stores.known_words(prior) == Some(1.0) {
        return true;
    }
    detection.words == 1
        && in_script
            .iter()
            .all(|l| stores.known_words(l).is_none_or(|share| share == 0.0))
}

/// The text does not tell (or tells of a language no locale supports): the conversation
/// keeps its locale — the explicit choice, else the session's, else the browser's, else the
/// default.
fn kept(
    ctx: &LanguageContext<'_>,
    default: &LanguageIdentifier,
    candidates: Vec<Weighed>,
) -> Decision {
    let (locale, reason) = if let Some(explicit) = ctx.explicit {
        (explicit, Reason::Explicit)
    } else if let Some(session) = ctx.session {
        (session, Reason::Session)
    } else if let Some(negotiated) = ctx.negotiated {
        (negotiated, Reason::Negotiated)
    } else {
        (default, Reason::Default)
    };
    Decision {
        locale: locale.clone(),
        reason,
        written: None,
        confidence: None,
        candidates,
    }
}

/// The reply locale and the evidence for it (see the module's documentation).
pub fn decide(
    ctx: &LanguageContext<'_>,
    detection: &Detection,
    stores: &mut impl StoreEvidence,
    default: &LanguageIdentifier,
) -> Decision {
    if matches!(
        detection.verdict,
        Verdict::Unsupported(_) | Verdict::Unknown
    ) || ambiguous(ctx, detection, stores)
    {
        return kept(ctx, default, Vec::new());
    }
    let weighed = weigh(evidence(ctx, detection, stores, (&WEIGHTS, 2)), &WEIGHTS);
    let Some(best) = weighed.first().filter(|best| !is_other(&best.locale)) else {
        return kept(ctx, default, weighed);
    };
    let written = best.locale.clone();
    let by_text = weighed
        .iter()
        .filter(|w| !is_other(&w.locale))
        .max_by(|a, b| {
            dot(&WEIGHTS, &a.features, 0..FROM_TEXT).total_cmp(&dot(
                &WEIGHTS,
                &b.features,
                0..FROM_TEXT,
            ))
        })
        .map(|w| &w.locale);
    let reason = if ctx.explicit.is_some() {
        Reason::Explicit
    } else if by_text == Some(&written) {
        Reason::Detected
    } else if ctx.session == Some(&written) {
        Reason::Session
    } else if ctx.negotiated == Some(&written) {
        Reason::Negotiated
    } else {
        Reason::Guessed
    };
    Decision {
        locale: ctx.explicit.cloned().unwrap_or_else(|| written.clone()),
        reason,
        confidence: Some(best.probability),
        written: Some(written),
        candidates: weighed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unic_langid::langid;

    /// Stores that know nothing: the decision rests on the text and the conversation.
    struct NoStores;

    impl StoreEvidence for NoStores {
        fn known_words(&mut self, _: &LanguageIdentifier) -> Option<f32> {
            None
        }
        fn match_confidence(&mut self, _: &LanguageIdentifier) -> Option<f32> {
            None
        }
    }

    fn unknown() -> Detection {
        Detection {
            verdict: Verdict::Unknown,
            script: None,
            candidates: vec![],
            fit: vec![],
            letters: 0,
            words: 0,
            coverage: None,
        }
    }

    #[test]
    fn a_text_that_does_not_tell_keeps_explicit_then_session_then_browser_then_default() {
        let (en, es, fr, de) = (langid!("en"), langid!("es"), langid!("fr"), langid!("de"));
        let decided = |explicit, session, negotiated| {
            let ctx = LanguageContext {
                explicit,
                session,
                negotiated,
            };
            let d = decide(&ctx, &unknown(), &mut NoStores, &en);
            assert_eq!((d.written, d.confidence), (None, None));
            (d.locale, d.reason)
        };
        assert_eq!(
            decided(Some(&fr), Some(&es), Some(&de)),
            (fr.clone(), Reason::Explicit)
        );
        assert_eq!(
            decided(None, Some(&es), Some(&de)),
            (es.clone(), Reason::Session)
        );
        assert_eq!(
            decided(None, None, Some(&de)),
            (de.clone(), Reason::Negotiated)
        );
        assert_eq!(decided(None, None, None), (en.clone(), Reason::Default));
    }

    #[test]
    fn the_text_outweighs_the_browser_and_the_explicit_choice_stays_final() {
        let (en, fr) = (langid!("en"), langid!("fr"));
        // A long text that French explains far better than English.
        let detection = Detection {
            verdict: Verdict::Reliable(fr.clone()),
            script: None,
            candidates: vec![],
            fit: vec![
                (fr.clone(), Fit::Scored(0.0)),
                (en.clone(), Fit::Scored(-1.0)),
            ],
            letters: 40,
            words: 8,
            coverage: Some(0.99),
        };
        let browser = LanguageContext {
            negotiated: Some(&en),
            ..Default::default()
        };
        let d = decide(&browser, &detection, &mut NoStores, &en);
        assert_eq!((d.locale.clone(), d.reason), (fr.clone(), Reason::Detected));
        assert!(d.confidence.is_some_and(|p| p > 0.5), "{d:?}");
        let chosen = LanguageContext {
            explicit: Some(&en),
            ..browser
        };
        let d = decide(&chosen, &detection, &mut NoStores, &en);
        assert_eq!((d.locale, d.reason), (en, Reason::Explicit));
        assert_eq!(d.written, Some(fr));
    }
}

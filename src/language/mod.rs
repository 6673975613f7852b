//! Which language to answer in: detection of a message's language (lingua's n-gram models
//! and orthographic rules, restricted to the locales the content supports; whatlang to tell
//! languages we do not support) and arbitration with the session's context, as the contract
//! orders it: explicit choice > reliable detection > session locale > `hello.locales` > default.
//!
//! Knows nothing of sockets, sessions' storage or Fluent: it takes text and tags, returns tags.

pub mod detect;
pub mod ngrams;
pub mod script;
mod table;

pub use detect::{Detection, Detector, Verdict};

use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

/// Picks the best supported locale for a browser's preference list (`hello.locales`), or `None`
/// when none of them is close to a supported one. Regional variants fall back to their
/// language (`es-MX` → `es`, `zh-TW` → `zh`).
pub fn negotiate(
    requested: &[String],
    available: &[LanguageIdentifier],
) -> Option<LanguageIdentifier> {
    let requested: Vec<LanguageIdentifier> = requested
        .iter()
        .filter_map(|tag| tag.parse::<LanguageIdentifier>().ok())
        .collect();
    negotiate_languages(&requested, available, None, NegotiationStrategy::Filtering)
        .first()
        .map(|l| (*l).clone())
}

/// What the conversation already knows about its language.
#[derive(Debug, Clone, Default)]
pub struct LanguageContext<'a> {
    /// The customer chose it with a `locale` frame: it sticks.
    pub explicit: Option<&'a LanguageIdentifier>,
    /// Established by earlier messages of this session.
    pub session: Option<&'a LanguageIdentifier>,
    /// The best supported match of `hello.locales`.
    pub negotiated: Option<&'a LanguageIdentifier>,
}

/// Why a locale was chosen; `try` prints it and the tests check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Explicit,
    Detected,
    Session,
    Negotiated,
    /// Nothing else known: the detector's best guess among supported languages.
    Guessed,
    Default,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Explicit => "explicit choice",
            Reason::Detected => "reliable detection",
            Reason::Session => "session locale",
            Reason::Negotiated => "negotiated from hello.locales",
            Reason::Guessed => "best guess (no other context)",
            Reason::Default => "default locale",
        }
    }
}

/// The contract's order of precedence. A weak guess is used only when the conversation has
/// nothing else to go on; an unsupported language never picks a supported one.
pub fn arbitrate(
    ctx: &LanguageContext<'_>,
    detection: &Detection,
    default: &LanguageIdentifier,
) -> (LanguageIdentifier, Reason) {
    if let Some(explicit) = ctx.explicit {
        return (explicit.clone(), Reason::Explicit);
    }
    if let Verdict::Reliable(locale) = &detection.verdict {
        return (locale.clone(), Reason::Detected);
    }
    if let Some(session) = ctx.session {
        return (session.clone(), Reason::Session);
    }
    if let Some(negotiated) = ctx.negotiated {
        return (negotiated.clone(), Reason::Negotiated);
    }
    if let Verdict::Weak(locale) = &detection.verdict {
        return (locale.clone(), Reason::Guessed);
    }
    (default.clone(), Reason::Default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unic_langid::langid;

    fn available() -> Vec<LanguageIdentifier> {
        ["en", "es", "fr", "de", "pt", "zh", "ja", "ar"]
            .iter()
            .map(|t| t.parse().unwrap())
            .collect()
    }

    #[test]
    fn regional_variants_negotiate_to_their_language() {
        let tags = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            negotiate(&tags(&["es-MX"]), &available()),
            Some(langid!("es"))
        );
        assert_eq!(
            negotiate(&tags(&["pt-BR", "en"]), &available()),
            Some(langid!("pt"))
        );
        assert_eq!(
            negotiate(&tags(&["zh-TW"]), &available()),
            Some(langid!("zh"))
        );
        assert_eq!(
            negotiate(&tags(&["en-GB"]), &available()),
            Some(langid!("en"))
        );
        assert_eq!(
            negotiate(&tags(&["pl", "de-AT"]), &available()),
            Some(langid!("de"))
        );
        assert_eq!(negotiate(&tags(&["pl", "sv"]), &available()), None);
        assert_eq!(negotiate(&tags(&["not a tag!"]), &available()), None);
    }

    fn detection(verdict: Verdict) -> Detection {
        Detection {
            verdict,
            candidates: vec![],
            script: None,
        }
    }

    #[test]
    fn precedence_is_explicit_then_reliable_then_session_then_negotiated_then_guess() {
        let (en, es, fr, de) = (langid!("en"), langid!("es"), langid!("fr"), langid!("de"));
        let reliable_de = detection(Verdict::Reliable(de.clone()));
        let weak_de = detection(Verdict::Weak(de.clone()));
        let full = LanguageContext {
            explicit: Some(&fr),
            session: Some(&es),
            negotiated: Some(&en),
        };
        assert_eq!(
            arbitrate(&full, &reliable_de, &en),
            (fr.clone(), Reason::Explicit)
        );
        let no_explicit = LanguageContext {
            explicit: None,
            ..full.clone()
        };
        assert_eq!(
            arbitrate(&no_explicit, &reliable_de, &en).1,
            Reason::Detected
        );
        assert_eq!(
            arbitrate(&no_explicit, &weak_de, &en),
            (es.clone(), Reason::Session)
        );
        let only_hello = LanguageContext {
            negotiated: Some(&fr),
            ..Default::default()
        };
        assert_eq!(
            arbitrate(&only_hello, &weak_de, &en),
            (fr, Reason::Negotiated)
        );
        let nothing = LanguageContext::default();
        assert_eq!(arbitrate(&nothing, &weak_de, &en), (de, Reason::Guessed));
        let unsupported = detection(Verdict::Unsupported("Polski"));
        assert_eq!(
            arbitrate(&nothing, &unsupported, &en),
            (en, Reason::Default)
        );
    }
}

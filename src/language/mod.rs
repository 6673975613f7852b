//! Which language to answer in: detection of a message's language (lingua's n-gram models
//! and orthographic rules, restricted to the locales the content supports; whatlang to tell
//! languages we do not support) and the decision (`decide`), which weighs the detector's
//! evidence, the intent stores' and the conversation's (session locale, `hello.locales`)
//! together; an explicit choice is final.
//!
//! Knows nothing of sockets, sessions' storage, Fluent or the intent matcher: it takes text
//! and tags (and asks the stores through [`decide::StoreEvidence`]), returns tags.

pub mod decide;
pub mod detect;
pub mod ngrams;
pub mod script;
mod table;

pub use decide::{decide, Decision, StoreEvidence};
pub use detect::{Detection, Detector, Fit, Verdict};

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
    /// The text's evidence alone picks the locale.
    Detected,
    Session,
    Negotiated,
    /// The most probable candidate, which neither the text nor one prior picks alone.
    Guessed,
    Default,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Explicit => "explicit choice",
            Reason::Detected => "written in it (weighed evidence)",
            Reason::Session => "session locale",
            Reason::Negotiated => "negotiated from hello.locales",
            Reason::Guessed => "most probable (neither the text nor the priors alone)",
            Reason::Default => "default locale",
        }
    }
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
}

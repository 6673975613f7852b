//! Language detection restricted to the supported locales.

use unic_langid::LanguageIdentifier;
use whatlang::{Lang, Script};

/// Fewer letters than this in a Latin-script message are never a reliable signal: "hi",
/// "merci", "danke", "ok super" are too short to switch a conversation's language on.
const MIN_RELIABLE_LATIN_LETTERS: usize = 12;
/// In a script that only one supported language uses (Cyrillic → ru, Devanagari → hi, kana →
/// ja, ...), a couple of letters are enough.
const MIN_RELIABLE_SCRIPT_LETTERS: usize = 2;

/// What the detector concluded about one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A supported language, with enough evidence to switch a conversation to it.
    Reliable(LanguageIdentifier),
    /// A supported language, but only a guess: used when nothing else is known.
    Weak(LanguageIdentifier),
    /// Reliably a language no locale supports (its name in itself): never answer in a
    /// different supported language because of it.
    Unsupported(&'static str),
    /// No letters, or nothing to go on.
    Unknown,
}

/// One line of evidence, for `switchboard try`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub source: &'static str,
    pub language: String,
    pub confidence: f64,
    pub reliable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub verdict: Verdict,
    pub script: Option<Script>,
    pub candidates: Vec<Candidate>,
}

/// A detector for one set of supported locales. Cheap to clone, immutable once built.
#[derive(Debug, Clone)]
pub struct Detector {
    supported: Vec<(Lang, LanguageIdentifier)>,
    restricted: whatlang::Detector,
    unrestricted: whatlang::Detector,
}

impl Detector {
    /// Locales whose language whatlang does not know are ignored here (they can still be
    /// chosen explicitly or negotiated).
    pub fn new(locales: &[LanguageIdentifier]) -> Self {
        let supported: Vec<(Lang, LanguageIdentifier)> = locales
            .iter()
            .filter_map(|l| whatlang_of(l).map(|lang| (lang, l.clone())))
            .collect();
        let allow: Vec<Lang> = supported.iter().map(|(lang, _)| *lang).collect();
        Detector {
            restricted: whatlang::Detector::with_allowlist(allow),
            unrestricted: whatlang::Detector::new(),
            supported,
        }
    }

    fn locale_of(&self, lang: Lang) -> Option<&LanguageIdentifier> {
        self.supported
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, locale)| locale)
    }

    pub fn detect(&self, text: &str) -> Detection {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let mut detection = Detection {
            verdict: Verdict::Unknown,
            script: None,
            candidates: Vec::new(),
        };
        if letters == 0 {
            return detection;
        }
        let all = self.unrestricted.detect(text);
        // When the best of all languages is reliably one of ours, restricting cannot change
        // the verdict: skip the second pass.
        let ours = match &all {
            Some(info) if info.is_reliable() && self.locale_of(info.lang()).is_some() => Some(
                whatlang::Info::new(info.script(), info.lang(), info.confidence()),
            ),
            _ => self.restricted.detect(text),
        };
        for (source, info) in [
            ("whatlang, all languages", &all),
            ("whatlang, supported", &ours),
        ] {
            if let Some(info) = info {
                detection.candidates.push(Candidate {
                    source,
                    language: info.lang().code().to_string(),
                    confidence: info.confidence(),
                    reliable: info.is_reliable(),
                });
            }
        }
        let Some(ours) = ours else {
            // A script none of our languages is written in (Korean, Greek, Hebrew, ...).
            detection.script = whatlang::detect_script(text);
            detection.verdict = match &all {
                Some(info) => Verdict::Unsupported(info.lang().name()),
                None => Verdict::Unknown,
            };
            return detection;
        };
        detection.script = Some(ours.script());
        let Some(locale) = self.locale_of(ours.lang()).cloned() else {
            // A script only unsupported languages use: whatlang names it regardless of the
            // allowlist.
            detection.verdict = Verdict::Unsupported(ours.lang().name());
            return detection;
        };
        // The unrestricted detector is sure it is a language we do not support.
        if let Some(all) = &all {
            if all.is_reliable() && self.locale_of(all.lang()).is_none() {
                detection.verdict = Verdict::Unsupported(all.lang().name());
                return detection;
            }
        }
        let unique_script = self
            .supported
            .iter()
            .filter(|(lang, _)| script_of(*lang) == Some(ours.script()))
            .count()
            == 1;
        let agrees = all.as_ref().map(|a| a.lang()) == Some(ours.lang());
        let kana_or_han = matches!(
            ours.script(),
            Script::Mandarin | Script::Hiragana | Script::Katakana
        );
        let reliable = if unique_script || kana_or_han {
            letters >= MIN_RELIABLE_SCRIPT_LETTERS
        } else {
            letters >= MIN_RELIABLE_LATIN_LETTERS && agrees && ours.is_reliable()
        };
        detection.verdict = if reliable {
            Verdict::Reliable(locale)
        } else {
            // (A reliable unsupported language returned above: what is left is a guess.)
            Verdict::Weak(locale)
        };
        detection
    }
}

/// The whatlang language of a locale's primary language subtag.
pub fn whatlang_of(locale: &LanguageIdentifier) -> Option<Lang> {
    let code = match locale.language.as_str() {
        "en" => "eng",
        "es" => "spa",
        "fr" => "fra",
        "de" => "deu",
        "pt" => "por",
        "it" => "ita",
        "nl" => "nld",
        "ru" => "rus",
        "tr" => "tur",
        "ar" => "ara",
        "hi" => "hin",
        "zh" => "cmn",
        "ja" => "jpn",
        "uk" => "ukr",
        "pl" => "pol",
        "sv" => "swe",
        "da" => "dan",
        "nb" | "no" => "nob",
        "fi" => "fin",
        "cs" => "ces",
        "sk" => "slk",
        "hu" => "hun",
        "ro" => "ron",
        "el" => "ell",
        "bg" => "bul",
        "he" => "heb",
        "ko" => "kor",
        "vi" => "vie",
        "th" => "tha",
        "id" => "ind",
        "fa" => "pes",
        "ur" => "urd",
        "bn" => "ben",
        "ca" => "cat",
        "hr" => "hrv",
        "sr" => "srp",
        "sl" => "slv",
        "lt" => "lit",
        "lv" => "lav",
        "et" => "est",
        "af" => "afr",
        _ => return None,
    };
    Lang::from_code(code)
}

/// The script a supported language is written in, for the languages where one script covers
/// it (enough to tell whether a script singles out one of our locales).
fn script_of(lang: Lang) -> Option<Script> {
    Some(match lang {
        Lang::Rus | Lang::Ukr | Lang::Bul | Lang::Bel | Lang::Srp | Lang::Mkd => Script::Cyrillic,
        Lang::Ara | Lang::Pes | Lang::Urd => Script::Arabic,
        Lang::Hin | Lang::Mar | Lang::Nep => Script::Devanagari,
        Lang::Cmn => Script::Mandarin,
        Lang::Jpn => return None, // kana and kanji: whatlang tells it apart by kana
        Lang::Kor => Script::Hangul,
        Lang::Heb | Lang::Yid => Script::Hebrew,
        Lang::Ell => Script::Greek,
        Lang::Tha => Script::Thai,
        _ => Script::Latin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detector() -> Detector {
        let locales: Vec<LanguageIdentifier> = [
            "en", "es", "fr", "de", "pt", "it", "nl", "ru", "tr", "ar", "hi", "zh", "ja",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        Detector::new(&locales)
    }

    fn verdict(text: &str) -> Verdict {
        detector().detect(text).verdict
    }

    fn reliable(tag: &str) -> Verdict {
        Verdict::Reliable(tag.parse().unwrap())
    }

    #[test]
    fn full_sentences_are_detected_reliably() {
        assert_eq!(
            verdict("¿Dónde está mi pedido? Lo compré hace una semana"),
            reliable("es")
        );
        assert_eq!(
            verdict("Bonjour, je voudrais retourner ma commande s'il vous plaît"),
            reliable("fr")
        );
        assert_eq!(
            verdict("Ich möchte meine Bestellung stornieren, bitte helfen Sie mir"),
            reliable("de")
        );
        assert_eq!(
            verdict("I would like to know where my parcel is right now"),
            reliable("en")
        );
    }

    #[test]
    fn distinctive_scripts_are_reliable_even_when_short() {
        assert_eq!(verdict("привет"), reliable("ru"));
        assert_eq!(verdict("مرحبا"), reliable("ar"));
        assert_eq!(verdict("नमस्ते"), reliable("hi"));
        assert_eq!(verdict("こんにちは"), reliable("ja"));
        assert_eq!(verdict("你好"), reliable("zh"));
    }

    #[test]
    fn short_latin_words_are_never_reliable() {
        for text in [
            "hi",
            "merci",
            "danke",
            "gracias",
            "ok",
            "grazie mille",
            "obrigado",
        ] {
            assert!(
                !matches!(verdict(text), Verdict::Reliable(_)),
                "{text:?} must not be reliable"
            );
        }
    }

    #[test]
    fn unsupported_languages_are_named_not_mistaken() {
        assert_eq!(
            verdict("Dzień dobry, chciałbym zwrócić zamówienie, które przyszło wczoraj"),
            Verdict::Unsupported("Polski")
        );
        assert!(matches!(
            verdict("Hej, jag vill gärna returnera min beställning som kom igår"),
            Verdict::Unsupported(_)
        ));
        assert!(matches!(
            verdict("안녕하세요 주문은 어디에 있나요"),
            Verdict::Unsupported(_)
        ));
    }

    #[test]
    fn text_without_letters_is_unknown() {
        assert_eq!(verdict("12345 ???"), Verdict::Unknown);
        assert_eq!(verdict("👍"), Verdict::Unknown);
    }
}

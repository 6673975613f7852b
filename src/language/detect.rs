//! Language detection restricted to the supported locales.
//!
//! The language a message is written in is chosen by the n-gram model (`ngrams`: lingua's
//! published models, scored with one lookup per n-gram), after lingua's orthographic rules
//! (`script`). How sure we are is a separate question, answered from evidence that a wrong
//! switch of a conversation's language is unlikely: enough letters, a text the chosen
//! language's model explains (most of its n-grams known to it), no letters foreign to every
//! supported language, and no other language that whatlang (which knows 69) is sure of.

use unic_langid::LanguageIdentifier;
use whatlang::Lang;

use super::ngrams::{Mask, Scores, MAX_LANGUAGES, MODEL};
use super::script::{
    main_of, script, script_of_language, Script, Words, LETTER_GROUPS, UNIQUE_LETTERS,
};

/// Fewer letters than this in a Latin-script message are never a reliable signal: "hi",
/// "merci", "danke", "ok super" are too short to switch a conversation's language on.
const MIN_RELIABLE_LATIN_LETTERS: usize = 12;
/// In a script that only one supported language uses (Cyrillic → ru, Devanagari → hi, kana →
/// ja, ...), a couple of letters are enough.
const MIN_RELIABLE_SCRIPT_LETTERS: usize = 2;
/// A reliable detection needs the chosen language's model to know this share of the text's
/// 5-grams (supported sentences: 0.97 or more for nine in ten; sentences of unsupported
/// languages in the same script: mostly 0.3–0.9).
const MIN_RELIABLE_COVERAGE: f32 = 0.95;
/// Below this coverage a text may be in another language: whatlang is asked to name it.
const MAX_UNSUPPORTED_COVERAGE: f32 = 0.85;
/// whatlang reads at most this many characters of a message.
const WHATLANG_CHARS: usize = 100;
/// Letters that no supported language uses (ł, ř, ø, і, پ…), at least this many and this
/// share of the letters, mean another language.
const MIN_FOREIGN_LETTERS: usize = 2;
const MIN_FOREIGN_SHARE: f32 = 0.03;
/// The share of a mostly-Latin text's letters that a script only one supported language
/// writes needs to decide the language (below it, a quoted word or a name).
const MIN_REVEALING_SHARE: f32 = 0.15;
/// A letter a supported language's model gives at least this probability is one of its own.
const OWN_LETTER_LN_P: f32 = -11.5; // ln 1e-5

/// What the detector concluded about one message.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A supported language, with enough evidence to switch a conversation to it.
    Reliable(LanguageIdentifier),
    /// A supported language, but only a guess: used when nothing else is known.
    Weak(LanguageIdentifier),
    /// A language no locale supports (its name in itself when whatlang knows it): never
    /// answer in a different supported language because of it.
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

/// How well one supported locale's language explains the text: the n-gram evidence the
/// language decision (`decide`) weighs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// Scored: the model's score (per letter, in nats) minus the best language's, so 0 for
    /// the best and below 0 for the others.
    Scored(f32),
    /// Written in the text's script, but its letters rule the language out (ñ, ß, kana...).
    Excluded,
    /// Not written in the text's script.
    OtherScript,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    pub verdict: Verdict,
    pub script: Option<Script>,
    pub candidates: Vec<Candidate>,
    /// Per supported locale the model knows, how well its language explains the text (empty
    /// when the text has no letters or is in a script none of them writes).
    pub fit: Vec<(LanguageIdentifier, Fit)>,
    /// The text's letters and words.
    pub letters: usize,
    pub words: usize,
    /// The share of the text's longest n-grams the best-explaining supported language knows
    /// (`None` when not scored): low for a language no locale supports.
    pub coverage: Option<f32>,
}

/// A detector for one set of supported locales. Cheap to clone, immutable once built.
#[derive(Debug, Clone)]
pub struct Detector {
    /// Supported locales by model language index.
    by_index: [Option<LanguageIdentifier>; MAX_LANGUAGES],
    /// Model languages that are supported.
    allowed: Mask,
    /// Supported locales the model lacks but whatlang knows: detected by whatlang alone.
    whatlang_only: Vec<(Lang, LanguageIdentifier)>,
    /// Letters that single out supported languages (lingua's rules), as model masks.
    letter_groups: Vec<(&'static str, Mask)>,
    unique_letters: Vec<(char, usize)>,
    /// A bit per code point of the Basic Multilingual Plane: set for the letters no supported
    /// language writes ([`Detector::foreign_letters`]), worked out once per detector.
    foreign: std::sync::Arc<[u64]>,
    /// Per script ([`Script::index`]): the supported model languages written in it.
    scripts: [Mask; Script::COUNT],
    unrestricted: whatlang::Detector,
}

impl Detector {
    /// Locales whose language neither the n-gram model nor whatlang knows are ignored here
    /// (they can still be chosen explicitly or negotiated).
    pub fn new(locales: &[LanguageIdentifier]) -> Self {
        let model = &*MODEL;
        let mut by_index: [Option<LanguageIdentifier>; MAX_LANGUAGES] =
            std::array::from_fn(|_| None);
        let mut allowed: Mask = 0;
        let mut whatlang_only = Vec::new();
        for locale in locales {
            match model.index_of(locale.language.as_str()) {
                Some(i) if by_index[i].is_none() => {
                    by_index[i] = Some(locale.clone());
                    allowed |= 1 << i;
                }
                Some(_) => {}
                None => {
                    if let Some(lang) = whatlang_of(locale) {
                        whatlang_only.push((lang, locale.clone()));
                    }
                }
            }
        }
        let mask_of = |codes: &[&str]| -> Mask {
            codes
                .iter()
                .filter_map(|c| model.index_of(c))
                .fold(0, |m, i| m | (1 << i))
                & allowed
        };
        let letter_groups: Vec<(&'static str, Mask)> = LETTER_GROUPS
            .iter()
            .map(|(letters, codes)| (*letters, mask_of(codes)))
            .filter(|(_, mask)| *mask != 0)
            .collect();
        let unique_letters: Vec<(char, usize)> = UNIQUE_LETTERS
            .iter()
            .filter_map(|(c, code)| model.index_of(code).map(|i| (*c, i)))
            .filter(|(_, i)| allowed & (1 << i) != 0)
            .collect();
        let mut rule_letters: Vec<char> = letter_groups
            .iter()
            .flat_map(|(letters, _): &(&str, Mask)| letters.chars())
            .chain(unique_letters.iter().map(|(c, _): &(char, usize)| *c))
            .collect();
        rule_letters.sort_unstable();
        rule_letters.dedup();
        let foreign = foreign_letter_bits(&rule_letters, allowed);
        let mut scripts: [Mask; Script::COUNT] = [0; Script::COUNT];
        for (i, code) in model.languages().iter().enumerate() {
            if allowed & (1 << i) != 0 {
                scripts[script_of_language(code).index()] |= 1 << i;
                if code == "ja" {
                    scripts[Script::Han.index()] |= 1 << i;
                }
            }
        }
        Detector {
            by_index,
            allowed,
            scripts,
            whatlang_only,
            letter_groups,
            unique_letters,
            foreign,
            unrestricted: whatlang::Detector::new(),
        }
    }

    fn locale(&self, index: usize) -> Option<&LanguageIdentifier> {
        self.by_index[index].as_ref()
    }

    /// Supported model languages written in `s`.
    fn written_in(&self, s: Script) -> Mask {
        self.scripts[s.index()]
    }

    /// In a text mostly in Latin letters, a script that only one supported language writes
    /// (or Chinese characters and kana) holding a good share of the letters: the text is in
    /// that language, and its Latin words are borrowed (brand names, "Share to Twitter",
    /// HTTP headers pasted before the message).
    fn revealing_script(&self, counts: &[(Script, usize)], main: Script) -> Option<Script> {
        if main != Script::Latin {
            return None;
        }
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        counts
            .iter()
            .copied()
            .filter(|(s, _)| {
                *s != Script::Latin && (self.written_in(*s).count_ones() == 1 || *s == Script::Han)
            })
            .filter(|(_, n)| *n as f32 >= MIN_REVEALING_SHARE * total as f32)
            .max_by_key(|(_, n)| *n)
            .map(|(s, _)| s)
    }

    pub fn detect(&self, text: &str) -> Detection {
        let words = Words::split(text);
        let counts = words.script_counts();
        let main = main_of(&counts);
        let mut detection = Detection {
            verdict: Verdict::Unknown,
            script: main
                .and_then(|main| self.revealing_script(&counts, main))
                .or(main),
            candidates: Vec::new(),
            fit: Vec::new(),
            letters: 0,
            words: 0,
            coverage: None,
        };
        let Some(main) = detection.script else {
            return detection;
        };
        let letters = words.letters();
        detection.letters = letters;
        detection.words = words.len();
        let in_script = self.written_in(main);
        if in_script == 0 {
            // A script none of our model languages is written in (Korean, Greek, ...), or a
            // supported locale only whatlang knows.
            return self.by_whatlang(text, detection);
        }
        let ruled = self.by_rules(&words);
        let mask = ruled.map_or_else(|| self.filter(&words, main), |i| 1 << i);
        // Letters like ğ, ş (or their Latin-1 garbling ý, þ) pointed to one language.
        let spelled = ruled.is_none() && mask.count_ones() == 1 && main == Script::Latin;
        let unique_script = self.written_in(main).count_ones() == 1 || main == Script::Han;
        let enough = letters
            >= if unique_script {
                MIN_RELIABLE_SCRIPT_LETTERS
            } else {
                MIN_RELIABLE_LATIN_LETTERS
            };
        // A language the rules settled is scored alone, so its confidence is 1 and the scores
        // serve only its 5-gram coverage, which Chinese, Japanese, Korean, Hindi and texts too short
        // to be reliable never need: those are not scored.
        let needs_coverage =
            enough && !matches!(main, Script::Han | Script::Hangul | Script::Devanagari);
        let scores = (ruled.is_none() || needs_coverage).then(|| MODEL.score(&words, mask));
        let Some(chosen) = ruled.or_else(|| scores.as_ref().and_then(|s| s.ranked().0)) else {
            return self.by_whatlang(text, detection);
        };
        detection.fit = self.fit(in_script, scores.as_ref(), chosen);
        detection.coverage = scores.as_ref().map(|s| {
            (0..MAX_LANGUAGES)
                .filter(|i| s.score[*i].is_finite())
                .map(|i| s.coverage(i))
                .fold(0.0, f32::max)
        });
        let coverage = scores.as_ref().map_or(0.0, |s| s.coverage(chosen));
        detection.candidates.push(Candidate {
            source: "n-grams (lingua models)",
            language: MODEL.languages()[chosen].clone(),
            confidence: scores.as_ref().map_or(1.0, |s| confidence(s, chosen)),
            reliable: false,
        });
        let locale = self
            .locale(chosen)
            .cloned()
            .expect("the mask holds supported languages only");

        let foreign = self.foreign_letters(&words, main);
        if foreign >= MIN_FOREIGN_LETTERS && foreign as f32 >= MIN_FOREIGN_SHARE * letters as f32 {
            // Letters none of our languages writes: another language. whatlang may name it.
            let other = self.ask_whatlang(text, &mut detection);
            detection.verdict = Verdict::Unsupported(
                other
                    .filter(|info| !self.supports(info.lang()))
                    .map_or("unknown language", |info| info.lang().name()),
            );
            return detection;
        }
        if !enough {
            detection.verdict = Verdict::Weak(locale);
            return detection;
        }
        if matches!(main, Script::Han | Script::Hangul) {
            // Chinese and Japanese: the script and the kana have said it all. Korean too:
            // lingua's Korean model has letters only (no n-grams to cover), and no other
            // language lingua knows writes Hangul.
            detection.candidates[0].reliable = true;
            detection.verdict = Verdict::Reliable(locale);
            return detection;
        }
        if main == Script::Devanagari {
            // lingua's Devanagari n-grams leave out vowel signs, so its coverage says nothing
            // here: Devanagari is Hindi unless whatlang is sure of Marathi or Nepali.
            let other = self.ask_whatlang(text, &mut detection);
            detection.verdict = match other {
                Some(info) if info.is_reliable() && !self.supports(info.lang()) => {
                    Verdict::Unsupported(info.lang().name())
                }
                // A word or two: Hindi. A longer text: Hindi when whatlang is sure of it.
                Some(info) if letters >= MIN_RELIABLE_LATIN_LETTERS && !info.is_reliable() => {
                    Verdict::Weak(locale)
                }
                _ => {
                    detection.candidates[0].reliable = true;
                    Verdict::Reliable(locale)
                }
            };
            return detection;
        }
        if coverage >= MIN_RELIABLE_COVERAGE {
            detection.candidates[0].reliable = true;
            detection.verdict = Verdict::Reliable(locale);
            return detection;
        }
        if spelled || coverage >= MAX_UNSUPPORTED_COVERAGE {
            // Close to one of ours (Dutch and Afrikaans, Spanish and Catalan): a guess.
            detection.verdict = Verdict::Weak(locale);
            return detection;
        }
        // Our languages explain the text badly: it may be another language. whatlang (which
        // knows 69) can say so, and name it.
        let other = self.ask_whatlang(text, &mut detection);
        detection.verdict = match other {
            Some(info) if info.is_reliable() && !self.supports(info.lang()) => {
                Verdict::Unsupported(info.lang().name())
            }
            _ => Verdict::Weak(locale),
        };
        detection
    }

    /// Each supported locale's [`Fit`] to the text, `chosen` being the best language.
    fn fit(
        &self,
        in_script: Mask,
        scores: Option<&Scores>,
        chosen: usize,
    ) -> Vec<(LanguageIdentifier, Fit)> {
        let best = scores.map_or(0.0, |s| s.score[chosen]);
        self.by_index
            .iter()
            .enumerate()
            .filter_map(|(i, locale)| {
                let locale = locale.as_ref()?;
                let score = scores.map_or(f32::NEG_INFINITY, |s| s.score[i]);
                let fit = if in_script & (1 << i) == 0 {
                    Fit::OtherScript
                } else if score.is_finite() {
                    Fit::Scored(score - best)
                } else if i == chosen {
                    Fit::Scored(0.0)
                } else {
                    Fit::Excluded
                };
                Some((locale.clone(), fit))
            })
            .collect()
    }

    /// whatlang over all its languages, on the start of the text (enough to tell a language,
    /// and the cost stays bounded); its answer joins the evidence.
    fn ask_whatlang(&self, text: &str, detection: &mut Detection) -> Option<whatlang::Info> {
        let end = text
            .char_indices()
            .nth(WHATLANG_CHARS)
            .map_or(text.len(), |(i, _)| i);
        let info = self.unrestricted.detect(&text[..end])?;
        detection.candidates.push(Candidate {
            source: "whatlang, all languages",
            language: info.lang().code().to_string(),
            confidence: info.confidence(),
            reliable: info.is_reliable(),
        });
        Some(info)
    }

    /// Whether whatlang's `lang` is one of the supported locales' languages.
    fn supports(&self, lang: Lang) -> bool {
        let code = lang_code(lang);
        self.by_index
            .iter()
            .flatten()
            .any(|l| Some(l.language.as_str()) == code)
            || self.whatlang_only.iter().any(|(l, _)| *l == lang)
    }

    /// Text in a script the model does not cover: whatlang names it, and decides for the
    /// supported locales only it knows.
    fn by_whatlang(&self, text: &str, mut detection: Detection) -> Detection {
        let Some(info) = self.unrestricted.detect(text) else {
            return detection;
        };
        detection.candidates.push(Candidate {
            source: "whatlang, all languages",
            language: info.lang().code().to_string(),
            confidence: info.confidence(),
            reliable: info.is_reliable(),
        });
        detection.verdict = match self.whatlang_only.iter().find(|(l, _)| *l == info.lang()) {
            Some((_, locale)) if info.is_reliable() => Verdict::Reliable(locale.clone()),
            Some((_, locale)) => Verdict::Weak(locale.clone()),
            None => Verdict::Unsupported(info.lang().name()),
        };
        detection
    }

    /// lingua's first rule: a word whose letters belong to one supported language only (its
    /// own script, or a letter like ß) votes for it; a language with most of the votes wins.
    fn by_rules(&self, words: &Words) -> Option<usize> {
        let model = &*MODEL;
        let zh = model.index_of("zh");
        let ja = model.index_of("ja");
        let both =
            |counts: &[u32]| zh.is_some_and(|z| counts[z] > 0) && ja.is_some_and(|j| counts[j] > 0);
        // Per language, words voting for it; the last entry: words voting for none.
        let none = MAX_LANGUAGES;
        let mut votes = [0u32; MAX_LANGUAGES + 1];
        for word in words.iter() {
            let mut counts = [0u32; MAX_LANGUAGES];
            for &c in word {
                let s = script(c);
                let single = self.written_in(s);
                if s == Script::Han {
                    if let Some(zh) = zh {
                        counts[zh] += 1;
                    }
                } else if s != Script::Latin && single.count_ones() == 1 {
                    counts[single.trailing_zeros() as usize] += 1;
                } else if let Some((_, i)) = self.unique_letters.iter().find(|(u, _)| *u == c) {
                    counts[*i] += 1;
                }
            }
            let vote = match top_two(&counts) {
                (None, _) => None,
                (Some(one), None) => Some(one),
                _ if both(&counts) => ja,
                (Some(a), Some(b)) => (counts[a] > counts[b]).then_some(a),
            };
            match vote {
                Some(i) if self.allowed & (1 << i) != 0 => votes[i] += 1,
                _ => votes[none] += 1,
            }
        }
        if (votes[none] as f32) < words.len() as f32 * 0.5 {
            votes[none] = 0;
        }
        match top_two(&votes) {
            (Some(one), None) => (one != none).then_some(one),
            (Some(a), Some(b)) => {
                if [Some(a), Some(b)].contains(&zh) && [Some(a), Some(b)].contains(&ja) {
                    ja
                } else if votes[a] == votes[b] || a == none {
                    None
                } else {
                    Some(a)
                }
            }
            _ => None,
        }
    }

    /// lingua's second rule: the supported languages of the text's main script, narrowed to
    /// those that letters like ñ, ã, ğ point to when at least half the words have them.
    fn filter(&self, words: &Words, main: Script) -> Mask {
        let in_script = self.written_in(main);
        if in_script == 0 {
            return self.allowed;
        }
        let mut votes = [0u32; MAX_LANGUAGES];
        // The rules' letters are all outside ASCII: a word in plain ASCII has none of them.
        for word in words.iter().filter(|w| !w.iter().all(char::is_ascii)) {
            for (letters, mask) in &self.letter_groups {
                let relevant = mask & in_script;
                if relevant == 0 {
                    continue;
                }
                for letter in letters.chars() {
                    if word.contains(&letter) {
                        for (i, v) in votes.iter_mut().enumerate() {
                            if relevant & (1 << i) != 0 {
                                *v += 1;
                            }
                        }
                    }
                }
            }
        }
        let half = words.len() as f32 * 0.5;
        let narrowed = (0..MAX_LANGUAGES)
            .filter(|i| votes[*i] > 0 && votes[*i] as f32 >= half)
            .fold(Mask::MIN, |m, i| m | (1 << i));
        if narrowed != 0 {
            narrowed
        } else {
            in_script
        }
    }

    /// Letters of the main script that no supported language writes: not in any of their
    /// models with a probability of 1e-5 or more, nor in lingua's letter rules.
    fn foreign_letters(&self, words: &Words, main: Script) -> usize {
        if !FOREIGN_SCRIPTS.contains(&main) {
            return 0;
        }
        words
            .chars
            .iter()
            .filter(|c| !c.is_ascii() && script(**c) == main && self.is_foreign(**c))
            .count()
    }

    fn is_foreign(&self, c: char) -> bool {
        let code = c as usize;
        self.foreign
            .get(code / 64)
            .is_some_and(|bits| bits & (1 << (code % 64)) != 0)
    }
}

/// The scripts whose letters [`Detector::foreign_letters`] counts (all in the Basic
/// Multilingual Plane).
const FOREIGN_SCRIPTS: [Script; 4] = [
    Script::Latin,
    Script::Cyrillic,
    Script::Arabic,
    Script::Devanagari,
];

/// The letters of [`FOREIGN_SCRIPTS`] that none of the `allowed` model languages writes: a
/// bit per code point of the Basic Multilingual Plane (8 KiB), so that a detection tests a
/// bit instead of looking each letter up in the model.
fn foreign_letter_bits(rule_letters: &[char], allowed: Mask) -> std::sync::Arc<[u64]> {
    let model = &*MODEL;
    let mut bits = vec![0u64; 0x10000 / 64];
    for code in 0x80..0x10000u32 {
        let Some(c) = char::from_u32(code) else {
            continue;
        };
        if !FOREIGN_SCRIPTS.contains(&script(c)) || !is_letter(c) {
            continue;
        }
        let own = model
            .letter(c)
            .iter()
            .enumerate()
            .any(|(i, ln_p)| allowed & (1 << i) != 0 && *ln_p >= OWN_LETTER_LN_P);
        if !own && rule_letters.binary_search(&c).is_err() {
            bits[code as usize / 64] |= 1 << (code % 64);
        }
    }
    bits.into()
}

/// The indices of the largest and second-largest non-zero counts (ties: the lower index).
fn top_two(counts: &[u32]) -> (Option<usize>, Option<usize>) {
    let (mut first, mut second): (Option<usize>, Option<usize>) = (None, None);
    for (i, c) in counts.iter().enumerate() {
        if *c == 0 {
            continue;
        }
        if first.is_none_or(|f| *c > counts[f]) {
            second = first;
            first = Some(i);
        } else if second.is_none_or(|s| *c > counts[s]) {
            second = Some(i);
        }
    }
    (first, second)
}

/// A letter proper, not a vowel sign or another combining mark (which lingua's models leave
/// out), nor a modifier like the Arabic tatweel.
fn is_letter(c: char) -> bool {
    c.is_alphabetic()
        && !matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}' | '\u{0640}')
}

/// lingua's confidence: the softmax of the languages' scores.
fn confidence(scores: &Scores, chosen: usize) -> f64 {
    let best = scores.score[chosen];
    if best == f32::NEG_INFINITY {
        return 1.0;
    }
    let total: f64 = scores
        .score
        .iter()
        .filter(|s| **s != f32::NEG_INFINITY)
        .map(|s| f64::from(*s - best).exp())
        .sum();
    1.0 / total.max(1.0)
}

/// The ISO 639-1 code of a whatlang language the gateway may support.
fn lang_code(lang: Lang) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(_, l)| *l == lang.code())
        .map(|(c, _)| *c)
}

const CODES: &[(&str, &str)] = &[
    ("en", "eng"),
    ("es", "spa"),
    ("fr", "fra"),
    ("de", "deu"),
    ("pt", "por"),
    ("it", "ita"),
    ("nl", "nld"),
    ("ru", "rus"),
    ("tr", "tur"),
    ("ar", "ara"),
    ("hi", "hin"),
    ("zh", "cmn"),
    ("ja", "jpn"),
    ("uk", "ukr"),
    ("pl", "pol"),
    ("sv", "swe"),
    ("da", "dan"),
    ("nb", "nob"),
    ("no", "nob"),
    ("fi", "fin"),
    ("cs", "ces"),
    ("sk", "slk"),
    ("hu", "hun"),
    ("ro", "ron"),
    ("el", "ell"),
    ("bg", "bul"),
    ("he", "heb"),
    ("ko", "kor"),
    ("vi", "vie"),
    ("th", "tha"),
    ("id", "ind"),
    ("fa", "pes"),
    ("ur", "urd"),
    ("bn", "ben"),
    ("ca", "cat"),
    ("hr", "hrv"),
    ("sr", "srp"),
    ("sl", "slv"),
    ("lt", "lit"),
    ("lv", "lav"),
    ("et", "est"),
    ("af", "afr"),
];

/// How a customer's text can select `locale` (for `switchboard check`): lingua's n-grams know
/// its language, only whatlang does, or neither (then only the browser's `hello.locales` or
/// an explicit choice selects it).
pub fn detected_by(locale: &LanguageIdentifier) -> &'static str {
    if MODEL.index_of(locale.language.as_str()).is_some() {
        "text (n-grams)"
    } else if whatlang_of(locale).is_some() {
        "text (whatlang)"
    } else {
        "browser/explicit only"
    }
}

/// The whatlang language of a locale's primary language subtag.
pub fn whatlang_of(locale: &LanguageIdentifier) -> Option<Lang> {
    let code = CODES
        .iter()
        .find(|(c, _)| *c == locale.language.as_str())?
        .1;
    Lang::from_code(code)
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
    fn added_locales_are_detected_reliably_and_the_thirteen_keep_theirs() {
        let seventeen: Vec<LanguageIdentifier> = [
            "en", "es", "fr", "de", "pt", "it", "nl", "ru", "tr", "ar", "hi", "zh", "ja", "pl",
            "sv", "ko", "uk",
        ]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
        let wide = Detector::new(&seventeen);
        let polish = "Dzień dobry, chciałbym zwrócić zamówienie, bo rozmiar nie pasuje";
        for (text, tag) in [
            (polish, "pl"),
            (
                "Hej, jag vill returnera en tröja som jag köpte förra veckan",
                "sv",
            ),
            ("안녕하세요, 지난주에 산 옷을 반품하고 싶어요", "ko"),
            (
                "Добрий день, я хочу повернути куртку, яку купив минулого тижня",
                "uk",
            ),
            (
                "Добрый день, я хочу вернуть куртку, которую купил на прошлой неделе",
                "ru",
            ),
            (
                "Ich möchte meine Bestellung zurückgeben, sie passt nicht",
                "de",
            ),
        ] {
            assert_eq!(
                wide.detect(text).verdict,
                Verdict::Reliable(tag.parse().unwrap()),
                "{text}"
            );
        }
        // The thirteen alone: Polish is another language.
        assert!(matches!(verdict(polish), Verdict::Unsupported(_)));
    }

    #[test]
    fn every_language_lingua_models_is_detected_from_text() {
        for tag in [
            "pl", "sv", "ko", "uk", "el", "he", "fa", "vi", "id", "sw", "en", "pt-BR",
        ] {
            let locale: LanguageIdentifier = tag.parse().unwrap();
            assert_eq!(detected_by(&locale), "text (n-grams)", "{tag}");
        }
        // Norwegian without Bokmål or Nynorsk: whatlang's.
        assert_eq!(detected_by(&"no".parse().unwrap()), "text (whatlang)");
        assert_eq!(detected_by(&"qu".parse().unwrap()), "browser/explicit only");
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
    fn short_latin_words_still_get_the_right_guess() {
        for (text, tag) in [
            ("gracias", "es"),
            ("obrigado", "pt"),
            ("grazie mille", "it"),
            ("teşekkürler", "tr"),
            ("thank you", "en"),
            ("vielen Dank", "de"),
        ] {
            assert_eq!(verdict(text), Verdict::Weak(tag.parse().unwrap()), "{text}");
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
        // Ukrainian without і, ї, є: not reliably Russian, at least.
        assert!(!matches!(
            verdict("Добрий день, я хочу повернути замовлення, яке прийшло вчора"),
            Verdict::Reliable(_)
        ));
        // One і and one є: the Russian model knows both letters (its corpus quotes
        // Ukrainian), and most of the 5-grams, so this is a guess, never a reliable switch;
        // the session's or the negotiated locale answers it.
        assert!(matches!(
            verdict("Привіт, де моє замовлення? Я його чекаю вже тиждень"),
            Verdict::Weak(_) | Verdict::Unsupported(_)
        ));
        // More letters Russian does not write (ї, і, є): named as another language.
        assert!(matches!(
            verdict("Привіт, де моє замовлення? Я його чекаю вже тиждень. Дякую і їжак"),
            Verdict::Unsupported(_)
        ));
    }

    #[test]
    fn latin_words_around_a_script_only_one_language_writes_are_borrowed() {
        let chosen = |text: &str| match verdict(text) {
            Verdict::Reliable(l) | Verdict::Weak(l) => l.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            chosen("Share to TwitterShare to FacebookShare to Pinterest एक बार अवंतिपुर में साधु कोटिकर्ण आए।"),
            "hi"
        );
        assert_eq!(
            chosen("Tracking number DE123456789 注文はまだ届いていません"),
            "ja"
        );
        // One Hindi word quoted in an English sentence does not make it Hindi.
        assert_eq!(
            chosen("I would like to order the blue kurta, the one called नीला in your catalogue, in size M please"),
            "en"
        );
    }

    #[test]
    fn text_without_letters_is_unknown() {
        assert_eq!(verdict("12345 ???"), Verdict::Unknown);
        assert_eq!(verdict("👍"), Verdict::Unknown);
    }

    #[test]
    fn a_detector_for_fewer_locales_picks_among_them_only() {
        let detector = Detector::new(&["en".parse().unwrap(), "de".parse().unwrap()]);
        let detection = detector.detect("Bonjour, je voudrais retourner ma commande");
        assert!(
            !matches!(detection.verdict, Verdict::Reliable(_)),
            "{detection:?}"
        );
    }
}

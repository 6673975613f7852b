//! Text as the detector sees it: lowercase words, the script of each letter, and the
//! orthographic rules (after lingua's) that settle a language before any n-gram is counted.

/// The writing systems the detector tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    Latin,
    Cyrillic,
    Arabic,
    Devanagari,
    /// Chinese characters (also Japanese kanji).
    Han,
    /// Hiragana and katakana: Japanese only.
    Kana,
    Hangul,
    Greek,
    Hebrew,
    Thai,
    Other,
}

impl Script {
    pub const COUNT: usize = 11;

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Script::Latin => "Latin",
            Script::Cyrillic => "Cyrillic",
            Script::Arabic => "Arabic",
            Script::Devanagari => "Devanagari",
            Script::Han => "Han",
            Script::Kana => "Kana",
            Script::Hangul => "Hangul",
            Script::Greek => "Greek",
            Script::Hebrew => "Hebrew",
            Script::Thai => "Thai",
            Script::Other => "other",
        }
    }
}

pub fn script(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' => Script::Latin,
        '\u{00AA}' | '\u{00BA}' | '\u{00C0}'..='\u{024F}' | '\u{0250}'..='\u{02AF}' => {
            Script::Latin
        }
        '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}' => {
            Script::Latin
        }
        '\u{FB00}'..='\u{FB06}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            Script::Latin
        }
        '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
        '\u{0400}'..='\u{052F}' | '\u{1C80}'..='\u{1C8F}' | '\u{2DE0}'..='\u{2DFF}' => {
            Script::Cyrillic
        }
        '\u{A640}'..='\u{A69F}' => Script::Cyrillic,
        '\u{0590}'..='\u{05FF}' | '\u{FB1D}'..='\u{FB4F}' => Script::Hebrew,
        '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}' => {
            Script::Arabic
        }
        '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' => Script::Arabic,
        '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' => Script::Devanagari,
        '\u{0E00}'..='\u{0E7F}' => Script::Thai,
        '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}' => {
            Script::Hangul
        }
        '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}' => Script::Kana,
        '\u{3005}' | '\u{3007}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => Script::Han,
        '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}' => Script::Han,
        _ => Script::Other,
    }
}

/// The script a language of the n-gram model is written in (by ISO 639-1 code). Japanese is
/// kana and kanji; the detector counts its kana.
pub fn script_of_language(code: &str) -> Script {
    match code {
        "ru" | "uk" | "bg" | "be" | "mk" | "sr" | "kk" | "mn" => Script::Cyrillic,
        "ar" | "fa" | "ur" => Script::Arabic,
        "hi" | "mr" => Script::Devanagari,
        "zh" => Script::Han,
        "ja" => Script::Kana,
        "ko" => Script::Hangul,
        "el" => Script::Greek,
        "he" => Script::Hebrew,
        "th" => Script::Thai,
        _ => Script::Latin,
    }
}

/// Lowercase words, all characters in one buffer: Han and kana characters are words of one
/// character (as in lingua's models), Devanagari words keep their vowel signs, other words
/// are runs of letters.
#[derive(Debug, Default)]
pub struct Words {
    pub chars: Vec<char>,
    pub spans: Vec<(usize, usize)>,
}

impl Words {
    pub fn split(text: &str) -> Words {
        // Decomposed accents ("e" + U+0301) would split words: compose them first.
        if text.chars().any(|c| ('\u{0300}'..='\u{036F}').contains(&c)) {
            use unicode_normalization::UnicodeNormalization;
            return Self::split_composed(&text.nfc().collect::<String>());
        }
        Self::split_composed(text)
    }

    fn split_composed(text: &str) -> Words {
        let mut words = Words::default();
        let mut start = 0;
        let mut in_devanagari = false;
        for c in text.chars().flat_map(char::to_lowercase) {
            let s = script(c);
            if s == Script::Arabic && is_arabic_mark(c) {
                continue; // vowel marks: rare in running text, absent from the models
            }
            let letter = c.is_alphabetic();
            if letter && matches!(s, Script::Han | Script::Kana) {
                start = words.close(start);
                words.chars.push(c);
                start = words.close(start);
                in_devanagari = false;
            } else if s == Script::Devanagari && (letter || is_devanagari_mark(c)) {
                if !in_devanagari {
                    start = words.close(start);
                }
                words.chars.push(c);
                in_devanagari = true;
            } else if letter {
                if in_devanagari {
                    start = words.close(start);
                }
                words.chars.push(c);
                in_devanagari = false;
            } else {
                start = words.close(start);
                in_devanagari = false;
            }
        }
        words.close(start);
        words
    }

    /// Ends the word begun at `start` (if any); returns where the next one begins.
    fn close(&mut self, start: usize) -> usize {
        if self.chars.len() > start {
            self.spans.push((start, self.chars.len()));
        }
        self.chars.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &[char]> {
        self.spans.iter().map(|(a, b)| &self.chars[*a..*b])
    }

    /// The spans of the first words, as long as fewer than `letters` letters come before
    /// them.
    pub fn prefix_spans(&self, letters: usize) -> &[(usize, usize)] {
        let end = self
            .spans
            .iter()
            .position(|(start, _)| *start >= letters)
            .unwrap_or(self.spans.len());
        &self.spans[..end]
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Characters in words.
    pub fn letters(&self) -> usize {
        self.chars.len()
    }

    /// How many letters each script has, in the order the scripts first appear (kana count
    /// as Han: Japanese is kana and kanji together).
    pub fn script_counts(&self) -> Vec<(Script, usize)> {
        let mut counts: Vec<(Script, usize)> = Vec::new();
        for &c in &self.chars {
            let s = match script(c) {
                Script::Kana => Script::Han,
                s => s,
            };
            match counts.iter_mut().find(|(x, _)| *x == s) {
                Some(entry) => entry.1 += 1,
                None => counts.push((s, 1)),
            }
        }
        counts
    }

    /// The script most of the letters are in (ties: the first seen).
    pub fn main_script(&self) -> Option<Script> {
        main_of(&self.script_counts())
    }
}

/// The script with the most letters of `script_counts` (ties: the first seen).
pub fn main_of(counts: &[(Script, usize)]) -> Option<Script> {
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.iter().find(|(_, n)| *n == best).map(|(s, _)| *s)
}

fn is_arabic_mark(c: char) -> bool {
    // (and the tatweel, which only stretches a word)
    matches!(c, '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}')
}

fn is_devanagari_mark(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}' | '\u{0951}'..='\u{0957}' | '\u{0962}'..='\u{0963}')
}

/// Letters that single out languages of the model, after lingua's rules: a word with one of
/// them votes for those languages (Turkish includes the letters its text turns into when
/// decoded as Latin-1). A detector keeps the languages of its content: with the 13 demo
/// locales, the languages added for issue 21 change nothing.
pub const LETTER_GROUPS: &[(&str, &[&str])] = &[
    ("ã", &["pt", "vi"]),
    ("î", &["fr", "ro"]),
    ("ñ", &["es", "eu"]),
    ("ığ", &["tr", "az"]),
    ("ðþ", &["tr", "is", "lv"]),
    ("û", &["fr", "hu", "lv"]),
    ("ş", &["tr", "az", "ro"]),
    ("ì", &["it", "vi", "yo"]),
    ("ë", &["nl", "fr", "sq", "af"]),
    ("èù", &["fr", "it", "vi", "yo"]),
    ("ê", &["fr", "pt", "af", "vi"]),
    ("õ", &["pt", "et", "hu", "vi"]),
    ("ô", &["fr", "pt", "sk", "vi"]),
    ("ёыэ", &["ru", "be", "kk", "mn"]),
    ("щ", &["ru", "bg", "kk", "mn", "uk"]),
    ("ъ", &["ru", "bg", "kk", "mn"]),
    ("ò", &["it", "ca", "lv", "vi", "yo"]),
    ("â", &["fr", "pt", "tr", "lv", "ro", "vi"]),
    ("ý", &["tr", "cs", "is", "sk", "vi"]),
    ("ä", &["de", "et", "fi", "sk", "sv"]),
    ("à", &["fr", "it", "pt", "ca", "vi"]),
    ("ü", &["de", "es", "tr", "az", "ca", "et", "hu"]),
    ("ç", &["fr", "pt", "tr", "sq", "az", "eu", "ca", "lv"]),
    ("ö", &["de", "tr", "az", "et", "fi", "hu", "is", "sv"]),
    (
        "ó",
        &["pt", "es", "ca", "hu", "is", "ga", "pl", "sk", "vi", "yo"],
    ),
    (
        "áíú",
        &["pt", "es", "ca", "cs", "is", "ga", "hu", "sk", "vi", "yo"],
    ),
    (
        "é",
        &[
            "fr", "it", "pt", "es", "ca", "cs", "hu", "is", "ga", "sk", "vi", "yo",
        ],
    ),
    ("ąę", &["lt", "pl"]),
    ("ż", &["pl", "ro"]),
    ("ňť", &["cs", "sk"]),
    ("ă", &["ro", "vi"]),
    ("јљњ", &["mk", "sr"]),
    ("āēī", &["lv", "yo"]),
    ("ẹọ", &["vi", "yo"]),
    ("ū", &["lv", "lt", "yo"]),
    ("ď", &["cs", "ro", "sk"]),
    ("ć", &["bs", "hr", "pl"]),
    ("đ", &["bs", "hr", "vi"]),
    ("і", &["be", "kk", "uk"]),
    ("ø", &["nb", "da", "nn"]),
    ("æ", &["nb", "da", "is", "nn"]),
    ("å", &["nb", "da", "nn", "sv"]),
    ("йьючя", &["ru", "uk", "be", "bg", "kk", "mn"]),
    ("čšž", &["bs", "cs", "hr", "lv", "lt", "sk", "sl"]),
];

/// Letters only one language of the model uses.
pub const UNIQUE_LETTERS: &[(char, &str)] = &[('ß', "de")];

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let w = Words::split(text);
        w.iter().map(|w| w.iter().collect()).collect()
    }

    #[test]
    fn words_are_lowercase_letter_runs() {
        assert_eq!(
            words("Où est MA commande ?"),
            ["où", "est", "ma", "commande"]
        );
        assert_eq!(words("order #4821, please!"), ["order", "please"]);
        assert_eq!(words("l'été"), ["l", "été"]);
        assert_eq!(words("12345 ???"), Vec::<String>::new());
    }

    #[test]
    fn the_letters_of_the_rules_are_all_outside_ascii() {
        // The detector skips plain-ASCII words when it counts them.
        for (letters, _) in LETTER_GROUPS {
            assert!(letters.chars().all(|c| !c.is_ascii()), "{letters}");
        }
        assert!(UNIQUE_LETTERS.iter().all(|(c, _)| !c.is_ascii()));
    }

    #[test]
    fn han_and_kana_are_words_of_one_character() {
        assert_eq!(words("注文はどこ"), ["注", "文", "は", "ど", "こ"]);
        assert_eq!(words("我的包裹"), ["我", "的", "包", "裹"]);
    }

    #[test]
    fn devanagari_words_keep_their_vowel_signs() {
        assert_eq!(words("मेरा ऑर्डर"), ["मेरा", "ऑर्डर"]);
    }

    #[test]
    fn the_main_script_counts_kana_and_kanji_together() {
        assert_eq!(Words::split("注文はどこ").main_script(), Some(Script::Han));
        assert_eq!(
            Words::split("привет, Ivan").main_script(),
            Some(Script::Cyrillic)
        );
        assert_eq!(Words::split("!!!").main_script(), None);
    }
}

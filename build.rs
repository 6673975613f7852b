//! Builds the language-detection n-gram table from lingua's published language models (the
//! `lingua-*-language-model` crates, Apache-2.0): one hash table per n-gram order holding, for
//! every n-gram of lingua's 75 languages, −ln p in each language that has it (the 13 demo
//! languages first, keeping their indices). The gateway
//! embeds the result (`OUT_DIR/ngrams.bin`) and reads it in place: nothing to load at start-up.
//! The layout is `src/language/table.rs`.

use std::io::Write;

use fst::Streamer;

#[path = "src/language/table.rs"]
#[allow(dead_code)]
mod table;

/// Share of a table's bucket bytes that records fill: most records stay in their home
/// bucket, so most lookups read one cache line.
const LOAD: f64 = 0.75;

/// An n-gram's record: its hash and, in language order, (language, −ln p × SCALE) for each
/// language that has it.
type Record = (u64, Vec<u8>);

/// The languages with a model, in table order, by ISO 639-1 code.
fn models() -> Vec<(&'static str, &'static [u8])> {
    macro_rules! fst_of {
        ($dir:expr) => {
            $dir.get_file("ngrams.fst")
                .expect("every lingua model crate has ngrams.fst")
                .contents()
        };
    }
    vec![
        (
            "en",
            fst_of!(&lingua_english_language_model::ENGLISH_MODELS_DIRECTORY),
        ),
        (
            "es",
            fst_of!(&lingua_spanish_language_model::SPANISH_MODELS_DIRECTORY),
        ),
        (
            "fr",
            fst_of!(&lingua_french_language_model::FRENCH_MODELS_DIRECTORY),
        ),
        (
            "de",
            fst_of!(&lingua_german_language_model::GERMAN_MODELS_DIRECTORY),
        ),
        (
            "pt",
            fst_of!(&lingua_portuguese_language_model::PORTUGUESE_MODELS_DIRECTORY),
        ),
        (
            "it",
            fst_of!(&lingua_italian_language_model::ITALIAN_MODELS_DIRECTORY),
        ),
        (
            "nl",
            fst_of!(&lingua_dutch_language_model::DUTCH_MODELS_DIRECTORY),
        ),
        (
            "ru",
            fst_of!(&lingua_russian_language_model::RUSSIAN_MODELS_DIRECTORY),
        ),
        (
            "tr",
            fst_of!(&lingua_turkish_language_model::TURKISH_MODELS_DIRECTORY),
        ),
        (
            "ar",
            fst_of!(&lingua_arabic_language_model::ARABIC_MODELS_DIRECTORY),
        ),
        (
            "hi",
            fst_of!(&lingua_hindi_language_model::HINDI_MODELS_DIRECTORY),
        ),
        (
            "zh",
            fst_of!(&lingua_chinese_language_model::CHINESE_MODELS_DIRECTORY),
        ),
        (
            "ja",
            fst_of!(&lingua_japanese_language_model::JAPANESE_MODELS_DIRECTORY),
        ),
        (
            "af",
            fst_of!(&lingua_afrikaans_language_model::AFRIKAANS_MODELS_DIRECTORY),
        ),
        (
            "sq",
            fst_of!(&lingua_albanian_language_model::ALBANIAN_MODELS_DIRECTORY),
        ),
        (
            "hy",
            fst_of!(&lingua_armenian_language_model::ARMENIAN_MODELS_DIRECTORY),
        ),
        (
            "az",
            fst_of!(&lingua_azerbaijani_language_model::AZERBAIJANI_MODELS_DIRECTORY),
        ),
        (
            "eu",
            fst_of!(&lingua_basque_language_model::BASQUE_MODELS_DIRECTORY),
        ),
        (
            "be",
            fst_of!(&lingua_belarusian_language_model::BELARUSIAN_MODELS_DIRECTORY),
        ),
        (
            "bn",
            fst_of!(&lingua_bengali_language_model::BENGALI_MODELS_DIRECTORY),
        ),
        (
            "nb",
            fst_of!(&lingua_bokmal_language_model::BOKMAL_MODELS_DIRECTORY),
        ),
        (
            "bs",
            fst_of!(&lingua_bosnian_language_model::BOSNIAN_MODELS_DIRECTORY),
        ),
        (
            "bg",
            fst_of!(&lingua_bulgarian_language_model::BULGARIAN_MODELS_DIRECTORY),
        ),
        (
            "ca",
            fst_of!(&lingua_catalan_language_model::CATALAN_MODELS_DIRECTORY),
        ),
        (
            "hr",
            fst_of!(&lingua_croatian_language_model::CROATIAN_MODELS_DIRECTORY),
        ),
        (
            "cs",
            fst_of!(&lingua_czech_language_model::CZECH_MODELS_DIRECTORY),
        ),
        (
            "da",
            fst_of!(&lingua_danish_language_model::DANISH_MODELS_DIRECTORY),
        ),
        (
            "eo",
            fst_of!(&lingua_esperanto_language_model::ESPERANTO_MODELS_DIRECTORY),
        ),
        (
            "et",
            fst_of!(&lingua_estonian_language_model::ESTONIAN_MODELS_DIRECTORY),
        ),
        (
            "fi",
            fst_of!(&lingua_finnish_language_model::FINNISH_MODELS_DIRECTORY),
        ),
        (
            "lg",
            fst_of!(&lingua_ganda_language_model::GANDA_MODELS_DIRECTORY),
        ),
        (
            "ka",
            fst_of!(&lingua_georgian_language_model::GEORGIAN_MODELS_DIRECTORY),
        ),
        (
            "el",
            fst_of!(&lingua_greek_language_model::GREEK_MODELS_DIRECTORY),
        ),
        (
            "gu",
            fst_of!(&lingua_gujarati_language_model::GUJARATI_MODELS_DIRECTORY),
        ),
        (
            "he",
            fst_of!(&lingua_hebrew_language_model::HEBREW_MODELS_DIRECTORY),
        ),
        (
            "hu",
            fst_of!(&lingua_hungarian_language_model::HUNGARIAN_MODELS_DIRECTORY),
        ),
        (
            "is",
            fst_of!(&lingua_icelandic_language_model::ICELANDIC_MODELS_DIRECTORY),
        ),
        (
            "id",
            fst_of!(&lingua_indonesian_language_model::INDONESIAN_MODELS_DIRECTORY),
        ),
        (
            "ga",
            fst_of!(&lingua_irish_language_model::IRISH_MODELS_DIRECTORY),
        ),
        (
            "kk",
            fst_of!(&lingua_kazakh_language_model::KAZAKH_MODELS_DIRECTORY),
        ),
        (
            "ko",
            fst_of!(&lingua_korean_language_model::KOREAN_MODELS_DIRECTORY),
        ),
        (
            "la",
            fst_of!(&lingua_latin_language_model::LATIN_MODELS_DIRECTORY),
        ),
        (
            "lv",
            fst_of!(&lingua_latvian_language_model::LATVIAN_MODELS_DIRECTORY),
        ),
        (
            "lt",
            fst_of!(&lingua_lithuanian_language_model::LITHUANIAN_MODELS_DIRECTORY),
        ),
        (
            "mk",
            fst_of!(&lingua_macedonian_language_model::MACEDONIAN_MODELS_DIRECTORY),
        ),
        (
            "ms",
            fst_of!(&lingua_malay_language_model::MALAY_MODELS_DIRECTORY),
        ),
        (
            "mi",
            fst_of!(&lingua_maori_language_model::MAORI_MODELS_DIRECTORY),
        ),
        (
            "mr",
            fst_of!(&lingua_marathi_language_model::MARATHI_MODELS_DIRECTORY),
        ),
        (
            "mn",
            fst_of!(&lingua_mongolian_language_model::MONGOLIAN_MODELS_DIRECTORY),
        ),
        (
            "nn",
            fst_of!(&lingua_nynorsk_language_model::NYNORSK_MODELS_DIRECTORY),
        ),
        (
            "fa",
            fst_of!(&lingua_persian_language_model::PERSIAN_MODELS_DIRECTORY),
        ),
        (
            "pl",
            fst_of!(&lingua_polish_language_model::POLISH_MODELS_DIRECTORY),
        ),
        (
            "pa",
            fst_of!(&lingua_punjabi_language_model::PUNJABI_MODELS_DIRECTORY),
        ),
        (
            "ro",
            fst_of!(&lingua_romanian_language_model::ROMANIAN_MODELS_DIRECTORY),
        ),
        (
            "sr",
            fst_of!(&lingua_serbian_language_model::SERBIAN_MODELS_DIRECTORY),
        ),
        (
            "sn",
            fst_of!(&lingua_shona_language_model::SHONA_MODELS_DIRECTORY),
        ),
        (
            "sk",
            fst_of!(&lingua_slovak_language_model::SLOVAK_MODELS_DIRECTORY),
        ),
        (
            "sl",
            fst_of!(&lingua_slovene_language_model::SLOVENE_MODELS_DIRECTORY),
        ),
        (
            "so",
            fst_of!(&lingua_somali_language_model::SOMALI_MODELS_DIRECTORY),
        ),
        (
            "st",
            fst_of!(&lingua_sotho_language_model::SOTHO_MODELS_DIRECTORY),
        ),
        (
            "sw",
            fst_of!(&lingua_swahili_language_model::SWAHILI_MODELS_DIRECTORY),
        ),
        (
            "sv",
            fst_of!(&lingua_swedish_language_model::SWEDISH_MODELS_DIRECTORY),
        ),
        (
            "tl",
            fst_of!(&lingua_tagalog_language_model::TAGALOG_MODELS_DIRECTORY),
        ),
        (
            "ta",
            fst_of!(&lingua_tamil_language_model::TAMIL_MODELS_DIRECTORY),
        ),
        (
            "te",
            fst_of!(&lingua_telugu_language_model::TELUGU_MODELS_DIRECTORY),
        ),
        (
            "th",
            fst_of!(&lingua_thai_language_model::THAI_MODELS_DIRECTORY),
        ),
        (
            "ts",
            fst_of!(&lingua_tsonga_language_model::TSONGA_MODELS_DIRECTORY),
        ),
        (
            "tn",
            fst_of!(&lingua_tswana_language_model::TSWANA_MODELS_DIRECTORY),
        ),
        (
            "uk",
            fst_of!(&lingua_ukrainian_language_model::UKRAINIAN_MODELS_DIRECTORY),
        ),
        (
            "ur",
            fst_of!(&lingua_urdu_language_model::URDU_MODELS_DIRECTORY),
        ),
        (
            "vi",
            fst_of!(&lingua_vietnamese_language_model::VIETNAMESE_MODELS_DIRECTORY),
        ),
        (
            "cy",
            fst_of!(&lingua_welsh_language_model::WELSH_MODELS_DIRECTORY),
        ),
        (
            "xh",
            fst_of!(&lingua_xhosa_language_model::XHOSA_MODELS_DIRECTORY),
        ),
        (
            "yo",
            fst_of!(&lingua_yoruba_language_model::YORUBA_MODELS_DIRECTORY),
        ),
        (
            "zu",
            fst_of!(&lingua_zulu_language_model::ZULU_MODELS_DIRECTORY),
        ),
    ]
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/language/table.rs");
    let models = models();
    // Per order: (hash, language, quantised −ln p).
    let mut entries: Vec<Vec<(u64, u8, u8)>> = vec![Vec::new(); table::ORDERS];
    for (language, (_, bytes)) in models.iter().enumerate() {
        let map = fst::Map::new(*bytes).expect("lingua's model is a valid fst map");
        let mut stream = map.stream();
        while let Some((key, value)) = stream.next() {
            let ngram = std::str::from_utf8(key).expect("lingua's n-grams are UTF-8");
            let (mut hash, mut order) = (table::start(), 0);
            for c in ngram.chars() {
                hash = table::step(hash, c);
                order += 1;
            }
            assert!((1..=table::ORDERS).contains(&order), "{ngram:?}");
            let ln_p = f64::from_bits(value) as f32;
            let q = (-ln_p * table::SCALE).round().clamp(0.0, 255.0) as u8;
            entries[order - 1].push((table::finish(hash), language as u8, q));
        }
    }

    let mut header = Vec::new();
    header.extend_from_slice(table::MAGIC);
    header.extend_from_slice(&table::VERSION.to_le_bytes());
    header.extend_from_slice(&(models.len() as u32).to_le_bytes());
    for (code, _) in &models {
        let mut tag = [0u8; 4];
        tag[..code.len()].copy_from_slice(code.as_bytes());
        header.extend_from_slice(&tag);
    }
    let header_len =
        (header.len() + table::ORDERS * table::ORDER_ENTRY).next_multiple_of(table::BUCKET);
    let mut body: Vec<u8> = Vec::new();
    let mut lists: Vec<u8> = Vec::new();
    let mut order_entries = Vec::new();
    for mut order in entries {
        order.sort_unstable();
        // One record per n-gram (the sort put its languages in order).
        let records: Vec<Record> = order
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                (
                    run[0].0,
                    run.iter().flat_map(|(_, l, q)| [*l, *q]).collect(),
                )
            })
            .collect();
        let in_bucket = |pairs: &[u8]| {
            table::RECORD_FIXED
                + if pairs.len() / table::PAIR > table::INLINE {
                    4
                } else {
                    pairs.len()
                }
        };
        let bytes: usize = records.iter().map(|(_, p)| in_bucket(p)).sum();
        let homes = ((bytes as f64 / (LOAD * (table::BUCKET - 1) as f64)).ceil() as u32).max(1);
        let mut placed: Vec<(usize, &Record)> = records
            .iter()
            .map(|r| (table::home(r.0, homes), r))
            .collect();
        placed.sort_by_key(|(home, _)| *home);
        let mut buckets = vec![[0u8; table::BUCKET]; homes as usize];
        let mut used = vec![1usize; homes as usize];
        // Records go in order of their home bucket, each in the first bucket from its home
        // (or from where the previous record went) with room; the buckets it passed overflow.
        let mut cursor = 0;
        for (home, (hash, pairs)) in placed {
            let size = in_bucket(pairs);
            cursor = cursor.max(home);
            while used[cursor] + size > table::BUCKET {
                cursor += 1;
                if cursor == buckets.len() {
                    buckets.push([0; table::BUCKET]);
                    used.push(1);
                }
            }
            for bucket in &mut buckets[home..cursor] {
                bucket[0] |= table::OVERFLOW;
            }
            let at = used[cursor];
            let bucket = &mut buckets[cursor];
            let languages = pairs.len() / table::PAIR;
            let count = if languages > table::INLINE {
                table::OUT_OF_LINE
            } else {
                languages as u32
            };
            let word = table::fingerprint(*hash) | (count << table::LANGUAGES_SHIFT);
            bucket[at..at + 4].copy_from_slice(&word.to_le_bytes());
            if languages > table::INLINE {
                let offset = lists.len() as u32;
                bucket[at + 4..at + 8].copy_from_slice(&offset.to_le_bytes());
                lists.push(languages as u8);
                lists.extend_from_slice(pairs);
            } else {
                bucket[at + 4..at + size].copy_from_slice(pairs);
            }
            bucket[0] += 1;
            assert!(bucket[0] & table::COUNT != 0, "a bucket's count overflowed");
            used[cursor] += size;
        }
        let buckets_at = header_len + body.len();
        order_entries.push([homes, buckets.len() as u32, buckets_at as u32]);
        for bucket in &buckets {
            body.extend_from_slice(bucket);
        }
    }
    let lists_at = (header_len + body.len()) as u32;
    for entry in order_entries {
        for field in entry {
            header.extend_from_slice(&field.to_le_bytes());
        }
        header.extend_from_slice(&lists_at.to_le_bytes());
    }
    header.resize(header_len, 0);
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(out.join("ngrams.bin")).expect("OUT_DIR is writable"),
    );
    file.write_all(&header).expect("write the table");
    file.write_all(&body).expect("write the table");
    file.write_all(&lists).expect("write the table");
}

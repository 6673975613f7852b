//! Builds the language-detection n-gram table from lingua's published language models (the
//! `lingua-*-language-model` crates, Apache-2.0): one hash table per n-gram order holding, for
//! every n-gram of the 13 demo languages, −ln p in each language that has it. The gateway
//! embeds the result (`OUT_DIR/ngrams.bin`) and reads it in place: nothing to load at start-up.
//! The layout is `src/language/table.rs`.

use std::io::Write;

use fst::Streamer;

#[path = "src/language/table.rs"]
#[allow(dead_code)]
mod table;

/// Slots per key: a load of 0.7 keeps probe runs short.
const LOAD: f64 = 0.7;

/// A posting: language (bits 8..14), last of its run (bit 15), quantised −ln p (bits 0..7).
fn posting(language: u8, q: u8, last: bool) -> u16 {
    (u16::from(language) << 8) | u16::from(q) | if last { table::LAST } else { 0 }
}

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
    let header_len = header.len() + table::ORDERS * table::ORDER_ENTRY;
    let mut body: Vec<u8> = Vec::new();
    let mut order_entries = Vec::new();
    for mut order in entries {
        order.sort_unstable();
        let keys = order.chunk_by(|a, b| a.0 == b.0).count();
        let slots = ((keys as f64 / LOAD) as u32).max(8);
        let mut table_slots = vec![(0u32, 0u32); slots as usize];
        let mut postings: Vec<u16> = Vec::new();
        for run in order.chunk_by(|a, b| a.0 == b.0) {
            let hash = run[0].0;
            let value = if let [(_, language, q)] = run {
                table::INLINE | u32::from(posting(*language, *q, false))
            } else {
                let start = postings.len() as u32;
                for (i, (_, language, q)) in run.iter().enumerate() {
                    postings.push(posting(*language, *q, i + 1 == run.len()));
                }
                start
            };
            let mut at = table::home(hash, slots);
            while table_slots[at].0 != 0 {
                at = (at + 1) % slots as usize;
            }
            table_slots[at] = (table::fingerprint(hash), value);
        }
        let slots_at = header_len + body.len();
        for (fp, value) in &table_slots {
            body.extend_from_slice(&fp.to_le_bytes());
            body.extend_from_slice(&value.to_le_bytes());
        }
        let postings_at = header_len + body.len();
        for p in &postings {
            body.extend_from_slice(&p.to_le_bytes());
        }
        order_entries.push([
            slots,
            slots_at as u32,
            postings.len() as u32,
            postings_at as u32,
        ]);
    }
    for entry in order_entries {
        for field in entry {
            header.extend_from_slice(&field.to_le_bytes());
        }
    }
    assert_eq!(header.len(), header_len);
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(out.join("ngrams.bin")).expect("OUT_DIR is writable"),
    );
    file.write_all(&header).expect("write the table");
    file.write_all(&body).expect("write the table");
}

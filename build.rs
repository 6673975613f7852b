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

/// Share of a table's bucket bytes that records fill: most records stay in their home
/// bucket, so most lookups read one cache line.
const LOAD: f64 = 0.75;

/// An n-gram's record: its hash, the languages that have it (a mask), and −ln p × SCALE in
/// each of them, in language order.
type Record = (u64, u16, Vec<u8>);

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
    let header_len =
        (header.len() + table::ORDERS * table::ORDER_ENTRY).next_multiple_of(table::BUCKET);
    let mut body: Vec<u8> = Vec::new();
    let mut order_entries = Vec::new();
    for mut order in entries {
        order.sort_unstable();
        // One record per n-gram (the sort put its languages in order).
        let records: Vec<Record> = order
            .chunk_by(|a, b| a.0 == b.0)
            .map(|run| {
                let mask = run.iter().fold(0u16, |m, (_, l, _)| m | (1 << l));
                (run[0].0, mask, run.iter().map(|(_, _, q)| *q).collect())
            })
            .collect();
        let bytes: usize = records
            .iter()
            .map(|(_, _, q)| table::RECORD_FIXED + q.len())
            .sum();
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
        for (home, (hash, mask, qs)) in placed {
            let size = table::RECORD_FIXED + qs.len();
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
            let word = table::fingerprint(*hash) | ((qs.len() as u32) << table::LANGUAGES_SHIFT);
            bucket[at..at + 4].copy_from_slice(&word.to_le_bytes());
            bucket[at + 4..at + 6].copy_from_slice(&mask.to_le_bytes());
            bucket[at + 6..at + size].copy_from_slice(qs);
            bucket[0] += 1;
            assert!(bucket[0] & table::COUNT != 0, "a bucket's count overflowed");
            used[cursor] += size;
        }
        let buckets_at = header_len + body.len();
        order_entries.push([homes, buckets.len() as u32, buckets_at as u32, 0]);
        for bucket in &buckets {
            body.extend_from_slice(bucket);
        }
    }
    for entry in order_entries {
        for field in entry {
            header.extend_from_slice(&field.to_le_bytes());
        }
    }
    header.resize(header_len, 0);
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(out.join("ngrams.bin")).expect("OUT_DIR is writable"),
    );
    file.write_all(&header).expect("write the table");
    file.write_all(&body).expect("write the table");
}

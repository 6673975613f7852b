//! Content: reads `locales/` and `intents/` from a folder, validates them, and builds the
//! immutable [`Content`] the gateway answers from (templates, one matcher per locale, the
//! language detector), identified by a version hash of every file.
//!
//! The only module that reads content files. A [`Content`] is never modified: a reload builds a
//! new one.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

use unic_langid::LanguageIdentifier;

pub mod lint;
mod reload;

pub use reload::{Reloader, Summary};

use crate::intents::{suggestion_label, Catalog, Examples, Matcher, Settings};
use crate::language::Detector;
use crate::templates::{line_column, Fact, Source, Templates};

/// Messages the bot needs in every locale besides the intents' answers.
pub const FALLBACK: &str = "fallback";
pub const FALLBACK_OFFER_HUMAN: &str = "fallback-offer-human";
pub const HANDOFF_UNAVAILABLE: &str = "handoff-unavailable";
pub const HANDOFF_UNAVAILABLE_CLOSED: &str = "handoff-unavailable-closed";
pub const HANDOFF_UNAVAILABLE_ERROR: &str = "handoff-unavailable-error";
pub const HANDOFF_QUEUED: &str = "handoff-queued";
pub const HANDOFF_QUEUED_WAIT: &str = "handoff-queued-wait";
pub const HANDOFF_ASSIGNED: &str = "handoff-assigned";
pub const HANDOFF_ENDED: &str = "handoff-ended";
pub const HANDOFF_REQUEUED: &str = "handoff-requeued";
pub const HANDOFF_TRANSFERRED: &str = "handoff-transferred";
pub const HANDOFF_WAITING: &str = "handoff-waiting";
pub const HANDOFF_LEFT: &str = "handoff-left";
/// Messages whose id starts with this are canned replies for agents (`canned-refund`: `/refund`).
pub const CANNED_PREFIX: &str = "canned-";
pub const REQUIRED_MESSAGES: &[&str] = &[
    FALLBACK,
    FALLBACK_OFFER_HUMAN,
    HANDOFF_UNAVAILABLE,
    HANDOFF_UNAVAILABLE_CLOSED,
    HANDOFF_UNAVAILABLE_ERROR,
    HANDOFF_QUEUED,
    HANDOFF_QUEUED_WAIT,
    HANDOFF_ASSIGNED,
    HANDOFF_ENDED,
    HANDOFF_REQUEUED,
    HANDOFF_TRANSFERRED,
    HANDOFF_WAITING,
    HANDOFF_LEFT,
];
/// Intents offered under the fallback answer.
pub const FALLBACK_SUGGESTIONS: &[&str] = &[
    "order_status",
    "return_item",
    "shipping_time",
    "human_agent",
];
/// The intent a customer accepts when offered a human.
pub const HUMAN_AGENT: &str = "human_agent";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// Something wrong with the content, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    /// 1-based; 0 when the problem is about a whole file or folder.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {severity}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {severity}: {}", self.file, self.message)
        }
    }
}

fn error(file: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        severity: Severity::Error,
        file: file.into(),
        line: 0,
        column: 0,
        message: message.into(),
    }
}

/// Everything the gateway answers from, for every locale.
pub struct Content {
    /// Hash of every content file: the `content_version` of bot messages.
    pub version: String,
    pub default_locale: LanguageIdentifier,
    /// Sorted, the default first.
    pub locales: Vec<LanguageIdentifier>,
    pub catalog: Catalog,
    pub templates: Templates,
    pub examples: HashMap<LanguageIdentifier, Examples>,
    pub matchers: HashMap<LanguageIdentifier, Matcher>,
    pub detector: Detector,
    /// Warnings found while loading (the content is usable).
    pub warnings: Vec<Problem>,
}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Content")
            .field("version", &self.version)
            .field("locales", &self.locales)
            .finish()
    }
}

/// The raw files of a content folder, read but not yet interpreted.
struct Files {
    /// (path relative to the root, text), in a stable order.
    all: Vec<(String, String)>,
}

impl Files {
    fn read(root: &Path, problems: &mut Vec<Problem>) -> Files {
        let mut all = Vec::new();
        for folder in ["intents", "locales"] {
            collect(root, &root.join(folder), &mut all, problems);
        }
        all.sort();
        Files { all }
    }

    fn get(&self, relative: &str) -> Option<&str> {
        self.all
            .iter()
            .find(|(p, _)| p == relative)
            .map(|(_, t)| t.as_str())
    }

    /// Subfolders of `folder` with the files of `extension` in each.
    fn by_locale(&self, folder: &str, extension: &str) -> BTreeMap<String, Vec<(String, String)>> {
        let mut map: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (path, text) in &self.all {
            let parts: Vec<&str> = path.split('/').collect();
            if parts.len() == 3 && parts[0] == folder && parts[2].ends_with(extension) {
                map.entry(parts[1].to_string())
                    .or_default()
                    .push((path.clone(), text.clone()));
            }
        }
        map
    }

    fn version(&self) -> String {
        // FNV-1a over every path and text: a change detector, not a security hash.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (path, text) in &self.all {
            for b in path.bytes().chain([0]).chain(text.bytes()).chain([0]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        format!("{h:016x}")
    }
}

/// Reads every `.ftl` and `.toml` file below `dir` (paths relative to `root`). Folders are
/// visited once each, so a symlink loop ends; unreadable files and folders (not UTF-8, deleted
/// mid-edit, no permission) are reported, not fatal.
fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>, problems: &mut Vec<Problem>) {
    let mut visited = std::collections::HashSet::new();
    collect_into(root, dir, &[".ftl", ".toml"], out, problems, &mut visited);
}

fn collect_into(
    root: &Path,
    dir: &Path,
    extensions: &[&str],
    out: &mut Vec<(String, String)>,
    problems: &mut Vec<Problem>,
    visited: &mut std::collections::HashSet<std::path::PathBuf>,
) {
    let relative = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    if let Ok(real) = std::fs::canonicalize(dir) {
        if !visited.insert(real) {
            problems.push(Problem {
                severity: Severity::Warning,
                ..error(
                    relative(dir),
                    "folder already read (a symlink loop?): skipped",
                )
            });
            return;
        }
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(error(relative(dir), format!("cannot read folder: {e}")));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_into(root, &path, extensions, out, problems, visited);
        } else if extensions.iter().any(|x| name.ends_with(x)) {
            match std::fs::read_to_string(&path) {
                Ok(text) => out.push((relative(&path), text)),
                Err(e) => problems.push(error(relative(&path), format!("cannot read file: {e}"))),
            }
        }
    }
}

/// Syntax of every `.ftl` file below `dir`, as Fluent's own parser sees it: the number of files
/// read and every error with file, line and column.
pub fn check_ftl_tree(dir: &Path) -> (usize, Vec<Problem>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    let mut visited = std::collections::HashSet::new();
    collect_into(dir, dir, &[".ftl"], &mut files, &mut problems, &mut visited);
    for (name, text) in &files {
        problems.extend(
            crate::templates::syntax_errors(name, text)
                .into_iter()
                .map(|e| Problem {
                    severity: Severity::Error,
                    file: e.file,
                    line: e.line,
                    column: e.column,
                    message: e.message,
                }),
        );
    }
    (files.len(), problems)
}

fn toml_problem(file: &str, text: &str, e: &toml::de::Error) -> Problem {
    let (line, column) = e
        .span()
        .map(|span| line_column(text, span.start))
        .unwrap_or((0, 0));
    Problem {
        severity: Severity::Error,
        file: file.to_string(),
        line,
        column,
        message: e.message().to_string(),
    }
}

impl Content {
    /// Reads and validates the content of `root`. Every problem found is returned, not only
    /// the first; the content is built only when there is no error (warnings are kept in
    /// [`Content::warnings`]).
    pub fn load(root: &Path, default_locale: &LanguageIdentifier) -> Result<Content, Vec<Problem>> {
        let mut problems = Vec::new();
        let files = Files::read(root, &mut problems);
        Content::build(files, default_locale, problems)
    }

    /// [`Content::load`] of files already read: (path relative to the content root, like
    /// `locales/en/main.ftl`, and text). The same checks; the fuzz targets use it.
    pub fn from_files(
        files: Vec<(String, String)>,
        default_locale: &LanguageIdentifier,
    ) -> Result<Content, Vec<Problem>> {
        let mut all = files;
        all.sort();
        Content::build(Files { all }, default_locale, Vec::new())
    }

    fn build(
        files: Files,
        default_locale: &LanguageIdentifier,
        mut problems: Vec<Problem>,
    ) -> Result<Content, Vec<Problem>> {
        let catalog_path = "intents/catalog.toml";
        let catalog = match files.get(catalog_path) {
            None => {
                problems.push(error(
                    catalog_path,
                    "missing: the intent catalogue is required",
                ));
                None
            }
            Some(text) => match Catalog::parse(text) {
                Ok(c) => Some(c),
                Err(e) => {
                    problems.push(toml_problem(catalog_path, text, &e));
                    None
                }
            },
        };
        let facts = read_facts(&files, &mut problems);

        // Locales: one folder per locale under locales/.
        let mut sources = Vec::new();
        let mut locales = Vec::new();
        for (tag, ftl_files) in files.by_locale("locales", ".ftl") {
            let Some(locale) = parse_locale(&tag, "locales", &mut problems) else {
                continue;
            };
            let files = ftl_files
                .into_iter()
                .map(|(name, text)| Source { name, text })
                .collect();
            sources.push((locale.clone(), files));
            locales.push(locale);
        }
        locales.sort_by_key(|l| (l != default_locale, l.to_string()));
        if !locales.contains(default_locale) {
            problems.push(error(
                format!("locales/{default_locale}"),
                "the default locale has no .ftl files",
            ));
        }

        let mut examples: HashMap<LanguageIdentifier, Examples> = HashMap::new();
        for (tag, toml_files) in files.by_locale("intents", ".toml") {
            let Some(locale) = parse_locale(&tag, "intents", &mut problems) else {
                continue;
            };
            let mut merged = Examples::default();
            for (path, text) in toml_files {
                match Examples::parse(&path, &text) {
                    Ok(e) => {
                        check_intent_ids(&path, &text, &e, catalog.as_ref(), &mut problems);
                        merged.merge(e);
                    }
                    Err(e) => problems.push(toml_problem(&path, &text, &e)),
                }
            }
            examples.insert(locale, merged);
        }

        let (templates, template_errors) =
            Templates::build(default_locale.clone(), sources, &facts);
        problems.extend(template_errors.into_iter().map(|e| Problem {
            severity: Severity::Error,
            file: e.file,
            line: e.line,
            column: e.column,
            message: e.message,
        }));
        let Some(catalog) = catalog else {
            problems.sort();
            return Err(problems);
        };
        // Completeness is checked even when a file has errors: every problem, not the first.
        check_completeness(&catalog, &templates, &locales, &examples, &mut problems);
        let required: std::collections::BTreeSet<String> = REQUIRED_MESSAGES
            .iter()
            .map(|m| m.to_string())
            .chain(
                catalog
                    .intents
                    .iter()
                    .map(|(id, def)| def.reply_message(id)),
            )
            .collect();
        problems.extend(lint::messages(
            &catalog,
            &templates,
            &locales,
            default_locale,
            &required,
        ));
        for (locale, e) in &examples {
            problems.extend(lint::examples(locale, e));
        }
        if problems.iter().any(|p| p.severity == Severity::Error) {
            problems.sort();
            return Err(problems);
        }

        let ids = catalog.ids();
        let matchers = examples
            .iter()
            .map(|(locale, e)| {
                (
                    locale.clone(),
                    Matcher::build_with(&ids, &e.pairs(), Settings::default()),
                )
            })
            .collect();
        Ok(Content {
            version: files.version(),
            default_locale: default_locale.clone(),
            detector: Detector::new(&locales),
            locales,
            catalog,
            templates,
            examples,
            matchers,
            warnings: problems,
        })
    }

    pub fn supports(&self, locale: &LanguageIdentifier) -> bool {
        self.locales.contains(locale)
    }
}

fn parse_locale(
    tag: &str,
    folder: &str,
    problems: &mut Vec<Problem>,
) -> Option<LanguageIdentifier> {
    match tag.parse::<LanguageIdentifier>() {
        Ok(l) if l == tag => Some(l),
        Ok(l) => {
            problems.push(error(
                format!("{folder}/{tag}"),
                format!("locale folder should be named {l:?} (canonical BCP 47)"),
            ));
            None
        }
        Err(e) => {
            problems.push(error(
                format!("{folder}/{tag}"),
                format!("not a BCP 47 locale tag: {e}"),
            ));
            None
        }
    }
}

fn read_facts(files: &Files, problems: &mut Vec<Problem>) -> Vec<(String, Fact)> {
    let path = "locales/shop.toml";
    let Some(text) = files.get(path) else {
        return Vec::new();
    };
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            problems.push(toml_problem(path, text, &e));
            return Vec::new();
        }
    };
    let mut facts = Vec::new();
    for (key, value) in table {
        match Fact::from_toml(&value) {
            Some(fact) => facts.push((key, fact)),
            None => problems.push(error(
                path,
                format!("{key}: only numbers and strings can be message variables"),
            )),
        }
    }
    facts
}

fn check_intent_ids(
    path: &str,
    text: &str,
    examples: &Examples,
    catalog: Option<&Catalog>,
    problems: &mut Vec<Problem>,
) {
    let Some(catalog) = catalog else { return };
    for id in examples.by_intent.keys() {
        if !catalog.intents.contains_key(id) {
            let offset = text.find(&format!("[{id}]")).unwrap_or(0);
            let (line, column) = line_column(text, offset);
            problems.push(Problem {
                severity: Severity::Error,
                file: path.to_string(),
                line,
                column,
                message: format!("intent {id:?} is not in intents/catalog.toml"),
            });
        }
    }
}

/// Every locale answers every intent in its own words and can match every intent.
fn check_completeness(
    catalog: &Catalog,
    templates: &Templates,
    locales: &[LanguageIdentifier],
    examples: &HashMap<LanguageIdentifier, Examples>,
    problems: &mut Vec<Problem>,
) {
    let mut needed: Vec<(String, String)> = Vec::new(); // (message id, why)
    for (id, def) in &catalog.intents {
        needed.push((def.reply_message(id), format!("the answer of intent {id}")));
        for message in def.reply_when.values() {
            needed.push((message.clone(), format!("an answer of intent {id}")));
        }
        for suggested in &def.suggestions {
            if !catalog.intents.contains_key(suggested) {
                problems.push(error(
                    "intents/catalog.toml",
                    format!("intent {id} suggests {suggested:?}, which is not an intent"),
                ));
            }
            needed.push((
                suggestion_label(suggested),
                format!("a suggestion of intent {id}"),
            ));
        }
    }
    for message in REQUIRED_MESSAGES {
        needed.push((message.to_string(), "the bot".into()));
    }
    for intent in FALLBACK_SUGGESTIONS {
        needed.push((
            suggestion_label(intent),
            "the fallback's suggestions".into(),
        ));
    }
    needed.sort();
    needed.dedup_by(|a, b| a.0 == b.0);
    for locale in locales {
        for (message, why) in &needed {
            if !templates.has_message(locale, message) {
                problems.push(error(
                    format!("locales/{locale}"),
                    format!("message {message:?} is missing ({why})"),
                ));
            }
        }
        match examples.get(locale) {
            None => problems.push(error(
                format!("intents/{locale}"),
                "no intent examples for this locale",
            )),
            Some(e) => {
                for id in catalog.intents.keys() {
                    if e.by_intent.get(id).is_none_or(|v| v.is_empty()) {
                        problems.push(error(
                            format!("intents/{locale}"),
                            format!("intent {id:?} has no examples"),
                        ));
                    }
                }
            }
        }
    }
    for locale in examples.keys() {
        if !locales.contains(locale) {
            problems.push(error(
                format!("intents/{locale}"),
                "examples for a locale that has no locales/ folder",
            ));
        }
    }
}

#[cfg(test)]
mod tests;

//! Fluent templates: one bundle per locale (`locales/<locale>/*.ftl`), a fallback chain to the
//! default locale, the shop's facts as variables, and numbers and times formatted in the
//! locale's own conventions (ICU4X).
//!
//! Knows nothing of files, sockets or intents: it is given sources and asked for messages.

mod format;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use format::{format_number, format_time};

type Bundle = FluentBundle<Arc<FluentResource>>;

/// A value of `locales/shop.toml`.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Number(f64),
    Text(String),
    /// `"HH:MM"`: formatted in each locale's time format.
    Time {
        hour: u8,
        minute: u8,
    },
}

impl Fact {
    /// Numbers stay numbers; `"HH:MM"` strings are times; other strings are text.
    pub fn from_toml(value: &toml::Value) -> Option<Fact> {
        match value {
            toml::Value::Integer(i) => Some(Fact::Number(*i as f64)),
            toml::Value::Float(f) => Some(Fact::Number(*f)),
            toml::Value::String(s) => Some(parse_time(s).unwrap_or_else(|| Fact::Text(s.clone()))),
            _ => None,
        }
    }
}

fn parse_time(s: &str) -> Option<Fact> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (hour, minute) = (h.parse::<u8>().ok()?, m.parse::<u8>().ok()?);
    (hour < 24 && minute < 60).then_some(Fact::Time { hour, minute })
}

/// One `.ftl` file's source.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// A problem found while building the templates, with its place in the source.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct SourceError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Errors of formatting a message at run time.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormatError {
    #[error("message {id:?} exists in neither {locale} nor the default locale")]
    Missing { locale: String, id: String },
}

/// An argument passed to one message besides the facts.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

pub struct Templates {
    default: LanguageIdentifier,
    bundles: HashMap<LanguageIdentifier, Bundle>,
    /// The facts as arguments, times already formatted for each locale.
    facts: HashMap<LanguageIdentifier, Vec<(String, Arg)>>,
    fact_names: Vec<String>,
    message_counts: HashMap<LanguageIdentifier, usize>,
    /// (locale, message id) → (file, line) where it is defined.
    origins: HashMap<(LanguageIdentifier, String), (String, usize)>,
    /// (locale, message id) → the variables its value uses.
    variables: HashMap<(LanguageIdentifier, String), BTreeSet<String>>,
    /// Locale → message id → its text formatted with the facts alone (what `format` returns
    /// without arguments, fallback included): computed once, as the content is immutable.
    /// Messages that gave Fluent errors are left out (formatted, and logged, on each call).
    fixed: HashMap<LanguageIdentifier, HashMap<String, String>>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("default", &self.default)
            .field("locales", &self.bundles.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Right-to-left languages keep Unicode isolation marks around placeables (so an
/// e-mail address or a number inside Arabic text stays in order); left-to-right ones do not
/// need them and some widgets render them as boxes.
pub fn is_rtl(locale: &LanguageIdentifier) -> bool {
    matches!(
        locale.language.as_str(),
        "ar" | "he" | "fa" | "ur" | "ps" | "yi"
    )
}

impl Templates {
    /// Builds every locale's bundle, with what parses of each file. All syntax errors and
    /// duplicate ids of all files are returned beside it, each with its file, line and column:
    /// the templates are for serving only when that list is empty (checks may still look).
    pub fn build(
        default: LanguageIdentifier,
        sources: Vec<(LanguageIdentifier, Vec<Source>)>,
        facts: &[(String, Fact)],
    ) -> (Templates, Vec<SourceError>) {
        let mut errors = Vec::new();
        let mut bundles = HashMap::new();
        let mut fact_args = HashMap::new();
        let mut message_counts = HashMap::new();
        let mut origins = HashMap::new();
        let mut variables = HashMap::new();
        for (locale, files) in sources {
            let mut bundle: Bundle = FluentBundle::new_concurrent(vec![locale.clone()]);
            bundle.set_use_isolating(is_rtl(&locale));
            bundle.set_formatter(Some(format::fluent_formatter));
            if let Err(e) = bundle.add_builtins() {
                errors.push(SourceError {
                    file: locale.to_string(),
                    line: 0,
                    column: 0,
                    message: format!("cannot add Fluent builtins: {e}"),
                });
            }
            for file in files {
                let resource = match FluentResource::try_new(file.text.clone()) {
                    Ok(r) => r,
                    Err((r, parse_errors)) => {
                        errors.extend(parse_errors.iter().map(|e| parser_error(&file, e)));
                        r
                    }
                };
                let mut messages = 0;
                for entry in resource.entries() {
                    if let fluent_syntax::ast::Entry::Message(m) = entry {
                        messages += 1;
                        let line = definition_line(&file.text, m.id.name);
                        origins.insert(
                            (locale.clone(), m.id.name.to_string()),
                            (file.name.clone(), line),
                        );
                        let mut used = BTreeSet::new();
                        if let Some(pattern) = &m.value {
                            pattern_variables(pattern, &mut used);
                        }
                        variables.insert((locale.clone(), m.id.name.to_string()), used);
                    }
                }
                *message_counts.entry(locale.clone()).or_insert(0) += messages;
                let resource = Arc::new(resource);
                if let Err(overrides) = bundle.add_resource(resource.clone()) {
                    for e in overrides {
                        let message = e.to_string();
                        let at = find_id_offset(&file.text, &message);
                        errors.push(error_at(&file, at..at, &message));
                    }
                }
            }
            fact_args.insert(locale.clone(), facts_for(&locale, facts));
            bundles.insert(locale, bundle);
        }
        if !bundles.contains_key(&default) {
            errors.push(SourceError {
                file: format!("locales/{default}"),
                line: 0,
                column: 0,
                message: "the default locale has no messages".into(),
            });
        }
        let mut templates = Templates {
            default,
            bundles,
            facts: fact_args,
            fact_names: facts.iter().map(|(k, _)| k.clone()).collect(),
            message_counts,
            origins,
            variables,
            fixed: HashMap::new(),
        };
        templates.fixed = templates.format_fixed();
        (templates, errors)
    }

    pub fn default_locale(&self) -> &LanguageIdentifier {
        &self.default
    }

    pub fn locales(&self) -> Vec<LanguageIdentifier> {
        let mut locales: Vec<_> = self.bundles.keys().cloned().collect();
        locales.sort_by_key(|l| l.to_string());
        locales
    }

    pub fn fact_names(&self) -> &[String] {
        &self.fact_names
    }

    /// How many messages `locale`'s own files define.
    pub fn message_count(&self, locale: &LanguageIdentifier) -> usize {
        self.message_counts.get(locale).copied().unwrap_or(0)
    }

    /// The file and line that define `id` for `locale` (or for the default locale it falls
    /// back to).
    pub fn origin(&self, locale: &LanguageIdentifier, id: &str) -> Option<(&str, usize)> {
        [locale, &self.default].into_iter().find_map(|l| {
            self.origins
                .get(&(l.clone(), id.to_string()))
                .map(|(file, line)| (file.as_str(), *line))
        })
    }

    /// The variables `locale`'s own definition of `id` uses (`None` if it has none).
    pub fn variables(&self, locale: &LanguageIdentifier, id: &str) -> Option<&BTreeSet<String>> {
        self.variables.get(&(locale.clone(), id.to_string()))
    }

    /// Every message id `locale`'s own files define.
    pub fn message_ids(&self, locale: &LanguageIdentifier) -> BTreeSet<String> {
        self.origins
            .keys()
            .filter(|(l, _)| l == locale)
            .map(|(_, id)| id.clone())
            .collect()
    }

    /// `locale`'s own messages whose text is the default locale's, to the letter: copies not
    /// translated yet (`switchboard check`).
    pub fn copied_from_default(&self, locale: &LanguageIdentifier) -> usize {
        if *locale == self.default {
            return 0;
        }
        let (Some(own), Some(default)) =
            (self.bundles.get(locale), self.bundles.get(&self.default))
        else {
            return 0;
        };
        self.message_ids(locale)
            .iter()
            .filter(|id| {
                let mine = own.get_message(id).and_then(|m| m.value());
                mine.is_some() && mine == default.get_message(id).and_then(|m| m.value())
            })
            .count()
    }

    /// Whether `locale`'s own files define `id` (no fallback).
    pub fn has_message(&self, locale: &LanguageIdentifier, id: &str) -> bool {
        self.bundles
            .get(locale)
            .is_some_and(|b| b.get_message(id).and_then(|m| m.value()).is_some())
    }

    /// Every locale's messages that need no argument besides the facts, formatted.
    fn format_fixed(&self) -> HashMap<LanguageIdentifier, HashMap<String, String>> {
        let mut fixed: HashMap<LanguageIdentifier, HashMap<String, String>> = HashMap::new();
        for (locale, id) in self.origins.keys() {
            // The default locale's messages are also every other locale's fallback.
            let targets: Vec<&LanguageIdentifier> = if *locale == self.default {
                self.bundles.keys().collect()
            } else {
                vec![locale]
            };
            for target in targets {
                if fixed.get(target).is_some_and(|m| m.contains_key(id)) {
                    continue;
                }
                if let Some(Ok(text)) = self.resolve(target, id, &[]) {
                    fixed
                        .entry(target.clone())
                        .or_default()
                        .insert(id.clone(), text);
                }
            }
        }
        fixed
    }

    /// Formats message `id` in `locale`, falling back to the default locale. Fluent's own
    /// resolution errors (a missing variable) are logged and the best text is returned.
    pub fn format(
        &self,
        locale: &LanguageIdentifier,
        id: &str,
        args: &[(&str, Arg)],
    ) -> Result<String, FormatError> {
        if args.is_empty() {
            if let Some(text) = self.fixed.get(locale).and_then(|m| m.get(id)) {
                return Ok(text.clone());
            }
        }
        match self.resolve(locale, id, args) {
            Some(Ok(text)) => Ok(text),
            Some(Err(Resolved {
                text,
                locale,
                errors,
            })) => {
                tracing::warn!(locale = %locale, id, ?errors, "fluent resolution errors");
                Ok(text)
            }
            None => Err(FormatError::Missing {
                locale: locale.to_string(),
                id: id.to_string(),
            }),
        }
    }

    /// Formats `id` in the first of `locale` and the default locale that defines it; `None`
    /// when neither does. Fluent's resolution errors come back with the best text.
    fn resolve(
        &self,
        locale: &LanguageIdentifier,
        id: &str,
        args: &[(&str, Arg)],
    ) -> Option<Result<String, Resolved>> {
        let chain = [locale, &self.default];
        for candidate in chain {
            let Some(bundle) = self.bundles.get(candidate) else {
                continue;
            };
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let facts = self
                .facts
                .get(candidate)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let mut fluent_args = FluentArgs::with_capacity(facts.len() + args.len());
            let pairs = facts
                .iter()
                .map(|(n, v)| (n.as_str(), v))
                .chain(args.iter().map(|(n, v)| (*n, v)));
            for (name, value) in pairs {
                let value = match value {
                    Arg::Text(s) => FluentValue::from(s.as_str()),
                    Arg::Number(n) => FluentValue::from(*n),
                };
                fluent_args.set(name, value);
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return Some(if errors.is_empty() {
                Ok(text.into_owned())
            } else {
                Err(Resolved {
                    text: text.into_owned(),
                    locale: candidate.clone(),
                    errors,
                })
            });
        }
        None
    }
}

/// A text Fluent resolved with errors (a variable missing), and what they were.
#[derive(Debug)]
struct Resolved {
    text: String,
    locale: LanguageIdentifier,
    errors: Vec<fluent_bundle::FluentError>,
}

/// Every syntax error of one Fluent file, by the full parser (comments included), each at
/// the broken entry with where the parser gave up.
pub fn syntax_errors(name: &str, text: &str) -> Vec<SourceError> {
    let source = Source {
        name: name.to_string(),
        text: text.to_string(),
    };
    match fluent_syntax::parser::parse(text) {
        Ok(_) => Vec::new(),
        Err((_, errors)) => errors.iter().map(|e| parser_error(&source, e)).collect(),
    }
}

fn parser_error(file: &Source, e: &fluent_syntax::parser::ParserError) -> SourceError {
    // Point at the broken entry; say where the parser gave up.
    let (line, column) = line_column(&file.text, e.pos.start);
    let start = e.slice.clone().unwrap_or(e.pos.clone()).start;
    let kind = e.kind.to_string().replace('\n', "\\n").replace('\r', "\\r");
    let message = format!("{kind} (parser stopped at {line}:{column})");
    error_at(file, start..start, &message)
}

fn facts_for(locale: &LanguageIdentifier, facts: &[(String, Fact)]) -> Vec<(String, Arg)> {
    facts
        .iter()
        .map(|(name, fact)| {
            let value = match fact {
                Fact::Number(n) => Arg::Number(*n),
                Fact::Text(s) => Arg::Text(s.clone()),
                Fact::Time { hour, minute } => Arg::Text(format_time(locale, *hour, *minute)),
            };
            (name.clone(), value)
        })
        .collect()
}

fn pattern_variables(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    use fluent_syntax::ast::PatternElement;
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, out);
        }
    }
}

fn expression_variables(
    expression: &fluent_syntax::ast::Expression<&str>,
    out: &mut BTreeSet<String>,
) {
    use fluent_syntax::ast::Expression;
    match expression {
        Expression::Inline(inline) => inline_variables(inline, out),
        Expression::Select { selector, variants } => {
            inline_variables(selector, out);
            for variant in variants {
                pattern_variables(&variant.value, out);
            }
        }
    }
}

fn inline_variables(
    inline: &fluent_syntax::ast::InlineExpression<&str>,
    out: &mut BTreeSet<String>,
) {
    use fluent_syntax::ast::InlineExpression;
    match inline {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            for positional in &arguments.positional {
                inline_variables(positional, out);
            }
            for named in &arguments.named {
                inline_variables(&named.value, out);
            }
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, out),
        _ => {}
    }
}

/// The 1-based line where `id = ...` starts in a Fluent source (0 if not found).
fn definition_line(text: &str, id: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(id)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(0, |i| i + 1)
}

fn find_id_offset(text: &str, message: &str) -> usize {
    // "Attempt to override an existing Message: \"id\"" → the id's second definition.
    let Some(id) = message.split('"').nth(1) else {
        return 0;
    };
    let needle = format!("\n{id} =");
    text.match_indices(&needle)
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap_or(0)
}

fn error_at(file: &Source, pos: Range<usize>, message: &str) -> SourceError {
    let (line, column) = line_column(&file.text, pos.start);
    SourceError {
        file: file.name.clone(),
        line,
        column,
        message: message.to_string(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unic_langid::langid;

    fn source(name: &str, text: &str) -> Source {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    fn templates() -> Templates {
        let built = Templates::build(
            langid!("en"),
            vec![
                (
                    langid!("en"),
                    vec![source(
                        "en/a.ftl",
                        "hello = Hello { $shop }!\nonly-en = English only\n\
                         days = { $n -> \n [one] { $n } day\n *[other] { $n } days\n}\n\
                         price = { NUMBER($p, minimumFractionDigits: 2) } €\nopen = from { $opens }\n",
                    )],
                ),
                (
                    langid!("de"),
                    vec![source(
                        "de/a.ftl",
                        "hello = Hallo { $shop }!\nprice = { NUMBER($p, minimumFractionDigits: 2) } €\n\
                         big = { $n }\nopen = ab { $opens }\n",
                    )],
                ),
                (
                    langid!("ar"),
                    vec![source("ar/a.ftl", "hello = مرحبا { $shop }\n")],
                ),
                (
                    langid!("ru"),
                    vec![source(
                        "ru/a.ftl",
                        "days = { $n -> \n [one] { $n } день\n [few] { $n } дня\n *[many] { $n } дней\n}\n",
                    )],
                ),
            ],
            &[
                ("shop".into(), Fact::Text("Northwind".into())),
                ("opens".into(), Fact::Time { hour: 8, minute: 0 }),
            ],
        );
        assert!(built.1.is_empty(), "{:?}", built.1);
        built.0
    }

    #[test]
    fn formats_with_facts_and_falls_back_to_the_default_locale() {
        let t = templates();
        assert_eq!(
            t.format(&langid!("de"), "hello", &[]).unwrap(),
            "Hallo Northwind!"
        );
        assert_eq!(
            t.format(&langid!("de"), "only-en", &[]).unwrap(),
            "English only"
        );
        assert_eq!(
            t.format(&langid!("pl"), "hello", &[]).unwrap(),
            "Hello Northwind!"
        );
        assert!(matches!(
            t.format(&langid!("de"), "nope", &[]),
            Err(FormatError::Missing { .. })
        ));
        assert!(t.has_message(&langid!("en"), "only-en"));
        assert_eq!(t.origin(&langid!("en"), "only-en"), Some(("en/a.ftl", 2)));
        assert_eq!(t.origin(&langid!("de"), "only-en"), Some(("en/a.ftl", 2)));
        assert_eq!(t.origin(&langid!("de"), "hello"), Some(("de/a.ftl", 1)));
        let vars = |l: &LanguageIdentifier, id: &str| {
            t.variables(l, id)
                .unwrap()
                .iter()
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(vars(&langid!("en"), "days"), vec!["n"]);
        assert_eq!(vars(&langid!("en"), "price"), vec!["p"]);
        assert_eq!(vars(&langid!("en"), "hello"), vec!["shop"]);
        assert!(t.variables(&langid!("de"), "only-en").is_none());
        assert!(!t.has_message(&langid!("de"), "only-en"));
    }

    #[test]
    fn plurals_follow_each_locale() {
        let t = templates();
        let days =
            |l: &LanguageIdentifier, n: f64| t.format(l, "days", &[("n", Arg::Number(n))]).unwrap();
        assert_eq!(days(&langid!("en"), 1.0), "1 day");
        assert_eq!(days(&langid!("en"), 5.0), "5 days");
        assert_eq!(days(&langid!("ru"), 1.0), "1 день");
        assert_eq!(days(&langid!("ru"), 3.0), "3 дня");
        assert_eq!(days(&langid!("ru"), 5.0), "5 дней");
    }

    #[test]
    fn numbers_and_times_use_the_locales_conventions() {
        let t = templates();
        let price =
            |l: &LanguageIdentifier| t.format(l, "price", &[("p", Arg::Number(1234.5))]).unwrap();
        assert_eq!(price(&langid!("en")), "1,234.50 €");
        assert_eq!(price(&langid!("de")), "1.234,50 €");
        assert_eq!(t.format(&langid!("de"), "open", &[]).unwrap(), "ab 08:00");
        assert_eq!(
            t.format(&langid!("en"), "open", &[]).unwrap(),
            "from 8:00\u{202f}AM"
        );
    }

    #[test]
    fn isolation_marks_only_in_right_to_left_locales() {
        let t = templates();
        assert_eq!(
            t.format(&langid!("en"), "hello", &[]).unwrap(),
            "Hello Northwind!"
        );
        assert_eq!(
            t.format(&langid!("ar"), "hello", &[]).unwrap(),
            "مرحبا \u{2068}Northwind\u{2069}"
        );
    }

    #[test]
    fn syntax_errors_and_duplicates_are_reported_with_positions() {
        let errors = Templates::build(
            langid!("en"),
            vec![(
                langid!("en"),
                vec![
                    source("en/a.ftl", "ok = fine\nbroken = { $x\nalso-ok = yes\n"),
                    source("en/b.ftl", "ok = again\n"),
                ],
            )],
            &[],
        )
        .1;
        assert!(
            errors.iter().any(|e| e.file == "en/a.ftl" && e.line == 2),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.file == "en/b.ftl" && e.message.contains("ok")),
            "{errors:?}"
        );
    }

    #[test]
    fn times_are_parsed_from_hh_mm_strings_only() {
        assert_eq!(
            Fact::from_toml(&toml::Value::String("08:30".into())),
            Some(Fact::Time {
                hour: 8,
                minute: 30
            })
        );
        assert_eq!(
            Fact::from_toml(&toml::Value::String("8:30".into())),
            Some(Fact::Text("8:30".into()))
        );
        assert_eq!(
            Fact::from_toml(&toml::Value::String("25:00".into())),
            Some(Fact::Text("25:00".into()))
        );
        assert_eq!(
            Fact::from_toml(&toml::Value::Integer(3)),
            Some(Fact::Number(3.0))
        );
    }
}

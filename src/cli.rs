//! The command line: `serve`, `check`, `try`. `main.rs` only calls [`main`].

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;
use unic_langid::LanguageIdentifier;

use crate::app::Application;
use crate::bot;
use crate::bot::ConversationState;
use crate::config::Config;
use crate::content::{Content, Problem, Severity};
use crate::intents::Settings;
use crate::language::Verdict;

#[derive(Parser, Debug)]
#[command(
    name = "switchboard",
    version,
    about = "A multilingual support chat gateway"
)]
pub struct Cli {
    /// Configuration file (default: ./switchboard.toml when present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the gateway.
    Serve,
    /// Validate the locale and intent files; exit 1 when there is an error.
    Check {
        /// Folder holding locales/ and intents/ (default: the configured content folder).
        #[arg(long, conflicts_with = "ftl")]
        content: Option<PathBuf>,
        /// Instead: check the Fluent syntax of every .ftl file below this folder.
        #[arg(long)]
        ftl: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Intent and language accuracy of a labelled file (locale<TAB>intent<TAB>text).
    Eval {
        /// The labelled file; `intent` is `null` for out of scope.
        file: PathBuf,
        /// Build the intent stores from this file (same format) instead of the content.
        #[arg(long)]
        train: Option<PathBuf>,
        /// The matcher the stores of `--train` are built with: the gateway's, or the classical
        /// TF-IDF + linear SVM baseline it is measured against.
        #[arg(long, value_enum, default_value_t = MatcherKind::Gateway, requires = "train")]
        matcher: MatcherKind,
        /// Confidence below which the bot falls back (default: the configured
        /// `fallback_threshold`).
        #[arg(long)]
        threshold: Option<f32>,
        /// The browser's languages every line's session starts with (`hello.locales`): `none`,
        /// `same` (each line's own locale: the browser agrees) or comma-separated tags.
        #[arg(long, default_value = "none")]
        hello: crate::eval::Hello,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        content: Option<PathBuf>,
    },
    /// Run one message through detection, matching and templating, and explain each step.
    Try {
        /// Answer as if the customer had chosen this locale.
        #[arg(long)]
        locale: Option<String>,
        /// The browser's languages, as in hello.locales (comma-separated).
        #[arg(long, value_delimiter = ',')]
        hello: Vec<String>,
        #[arg(long)]
        content: Option<PathBuf>,
        /// The customer's message.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Exit 0 when a gateway answers 2xx: what a container health check runs (the image has
    /// no curl). Default URL: /healthz on the configured listen address.
    Probe {
        /// `http://host:port/path`
        url: Option<String>,
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = 3)]
        timeout_s: u64,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Which intent matcher `eval --train` builds.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatcherKind {
    /// The matcher the gateway serves with.
    Gateway,
    /// TF-IDF + one-vs-rest linear SVMs, 4-fold Platt calibration (the classical baseline).
    Baseline,
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SWITCHBOARD_LOG")
        .or_else(|_| EnvFilter::try_from_default_env())
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let json =
        std::env::var("SWITCHBOARD_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let config = match Config::load(cli.config.as_deref(), std::env::vars()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("switchboard: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Serve => serve(config),
        Command::Check {
            content,
            ftl,
            format,
        } => match ftl {
            Some(dir) => check_ftl(&dir, format),
            None => {
                let root = content.unwrap_or(config.content.clone());
                check(&root, &config.default_locale(), format)
            }
        },
        Command::Eval {
            file,
            train,
            matcher,
            threshold,
            hello,
            format,
            content,
        } => {
            let root = content.unwrap_or(config.content.clone());
            let settings = match matcher {
                MatcherKind::Gateway => Settings::default(),
                MatcherKind::Baseline => Settings::baseline(),
            };
            let threshold = threshold.unwrap_or(config.fallback_threshold);
            eval(
                &root,
                &config,
                &file,
                train.as_deref(),
                settings,
                (threshold, &hello),
                format,
            )
        }
        Command::Try {
            locale,
            hello,
            content,
            text,
        } => {
            let root = content.unwrap_or(config.content.clone());
            try_message(&root, &config, locale, &hello, &text.join(" "))
        }
        Command::Probe { url, timeout_s } => {
            let url = url.unwrap_or_else(|| crate::ops::default_probe_url(config.listen));
            probe(&url, timeout_s)
        }
    }
}

fn probe(url: &str, timeout_s: u64) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("switchboard: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(crate::ops::probe(
        url,
        std::time::Duration::from_secs(timeout_s),
    )) {
        Ok(code) if (200..300).contains(&code) => ExitCode::SUCCESS,
        Ok(code) => {
            eprintln!("switchboard: {url} answered {code}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("switchboard: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("switchboard: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let shutdown = CancellationToken::new();
        let app = match Application::build(config, shutdown.clone()).await {
            Ok(app) => app,
            Err(e) => {
                eprintln!("switchboard: {e}");
                return ExitCode::FAILURE;
            }
        };
        tracing::info!(addr = %app.local_addr(), "switchboard listening");
        tokio::spawn(async move {
            wait_for_signal().await;
            tracing::info!("shutting down");
            shutdown.cancel();
        });
        match app.run_until_stopped().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("switchboard: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

fn check(root: &std::path::Path, default: &LanguageIdentifier, format: Format) -> ExitCode {
    let (problems, content) = match Content::load(root, default) {
        Ok(content) => (content.warnings.clone(), Some(content)),
        Err(problems) => (problems, None),
    };
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    match format {
        Format::Json => {
            let coverage = content.as_ref().map(coverage_rows);
            let report = serde_json::json!({
                "ok": errors == 0,
                "errors": errors,
                "warnings": problems.len() - errors,
                "problems": problems,
                "version": content.as_ref().map(|c| c.version.clone()),
                "coverage": coverage.map(|rows| rows.into_iter().map(|(l, m, i, e)| serde_json::json!({
                    "locale": l, "messages": m, "intents": i, "examples": e
                })).collect::<Vec<_>>()),
                "capabilities": content.as_ref().map(|c| capability_rows(c).into_iter().map(|r| serde_json::json!({
                    "locale": r.locale, "detected": r.detected, "plural_rules": r.plural_rules,
                    "messages_translated": r.messages, "intents_translated": r.intents,
                    "direction": r.direction,
                })).collect::<Vec<_>>()),
                "confused": content.as_ref().map(|c| confusion_rows(c).into_iter().map(|(l, e, p, n)| serde_json::json!({
                    "locale": l, "expected": e, "predicted": p, "count": n
                })).collect::<Vec<_>>()),
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        Format::Text => {
            for p in &problems {
                println!("{p}");
            }
            if let Some(content) = &content {
                println!(
                    "{:<8} {:>9} {:>8} {:>9}",
                    "locale", "messages", "intents", "examples"
                );
                for (l, m, i, e) in coverage_rows(content) {
                    println!("{l:<8} {m:>9} {i:>8} {e:>9}");
                }
                println!("what the gateway can do in each locale:");
                println!(
                    "{:<8} {:<22} {:<12} {:>9} {:>8} {:<9}",
                    "locale", "chosen by", "plural rules", "messages", "intents", "direction"
                );
                for r in capability_rows(content) {
                    println!(
                        "{:<8} {:<22} {:<12} {:>8.0}% {:>7.0}% {:<9}",
                        r.locale,
                        r.detected,
                        if r.plural_rules { "known" } else { "unknown" },
                        100.0 * r.messages,
                        100.0 * r.intents,
                        r.direction
                    );
                }
                println!(
                    "most confused intents (5-fold cross-validation of each locale's examples):"
                );
                for (locale, expected, predicted, count) in confusion_rows(content) {
                    println!("  {locale:<4} {expected} -> {predicted} ({count})");
                }
                println!("content version {}", content.version);
            }
            println!("{errors} error(s), {} warning(s)", problems.len() - errors);
        }
    }
    exit_for(errors)
}

/// `check`'s exit code: 1 when there is an error, 0 with warnings only.
fn exit_for(errors: usize) -> ExitCode {
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check_ftl(dir: &std::path::Path, format: Format) -> ExitCode {
    let started = std::time::Instant::now();
    let (files, problems) = crate::content::check_ftl_tree(dir);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    match format {
        Format::Json => {
            let report = serde_json::json!({
                "ok": errors == 0, "files": files, "errors": errors, "problems": problems,
            });
            println!(
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        Format::Text => {
            for p in &problems {
                println!("{p}");
            }
            println!(
                "{files} file(s), {errors} error(s), {} warning(s) in {} ms",
                problems.len() - errors,
                started.elapsed().as_millis()
            );
        }
    }
    exit_for(errors)
}

/// The three most confused intent pairs of each locale.
fn confusion_rows(content: &Content) -> Vec<(String, String, String, usize)> {
    let ids = content.catalog.ids();
    content
        .locales
        .iter()
        .filter_map(|l| content.examples.get(l).map(|e| (l, e)))
        .flat_map(|(locale, examples)| {
            crate::content::lint::confusions(&ids, examples, 3)
                .into_iter()
                .map(move |(e, p, n)| (locale.to_string(), e, p, n))
        })
        .collect()
}

fn coverage_rows(content: &Content) -> Vec<(String, usize, usize, usize)> {
    content
        .locales
        .iter()
        .map(|locale| {
            let examples = content.examples.get(locale);
            (
                locale.to_string(),
                content.templates.message_count(locale),
                examples.map_or(0, |e| {
                    e.by_intent.values().filter(|v| !v.is_empty()).count()
                }),
                examples.map_or(0, |e| e.by_intent.values().map(Vec::len).sum()),
            )
        })
        .collect()
}

/// What the gateway can and cannot do for one locale (`check`).
struct Capabilities {
    locale: String,
    /// Whether a customer's text selects it, or only the browser or an explicit choice.
    detected: &'static str,
    /// Fluent's plural categories (CLDR via intl_pluralrules) for its language.
    plural_rules: bool,
    /// Shares of the default locale's messages and of the catalogue's intents it has in its
    /// own words (a message or examples copied from the default locale do not count).
    messages: f64,
    intents: f64,
    direction: &'static str,
}

fn capability_rows(content: &Content) -> Vec<Capabilities> {
    let all_messages = content
        .templates
        .message_count(&content.default_locale)
        .max(1);
    let all_intents = content.catalog.intents.len().max(1);
    content
        .locales
        .iter()
        .map(|locale| {
            let language = LanguageIdentifier::from_parts(locale.language, None, None, &[]);
            // Intents with examples of their own (not the default locale's, copied).
            let default_examples = content.examples.get(&content.default_locale);
            let intents = content.examples.get(locale).map_or(0, |e| {
                e.by_intent
                    .iter()
                    .filter(|(id, v)| {
                        !v.is_empty()
                            && (locale == &content.default_locale
                                || default_examples.and_then(|d| d.by_intent.get(*id)) != Some(*v))
                    })
                    .count()
            });
            let messages = content.templates.message_count(locale)
                - content.templates.copied_from_default(locale);
            Capabilities {
                locale: locale.to_string(),
                detected: crate::language::detect::detected_by(locale),
                plural_rules: intl_pluralrules::PluralRules::create(
                    language,
                    intl_pluralrules::PluralRuleType::CARDINAL,
                )
                .is_ok(),
                messages: (messages as f64 / all_messages as f64).min(1.0),
                intents: (intents as f64 / all_intents as f64).min(1.0),
                direction: if crate::templates::is_rtl(locale) {
                    "rtl"
                } else {
                    "ltr"
                },
            }
        })
        .collect()
}

fn read_samples(path: &std::path::Path) -> Result<Vec<crate::eval::Sample>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::eval::parse(&path.display().to_string(), &text).map_err(|e| e.to_string())
}

fn eval(
    root: &std::path::Path,
    config: &Config,
    file: &std::path::Path,
    train: Option<&std::path::Path>,
    settings: Settings,
    (threshold, hello): (f32, &crate::eval::Hello),
    format: Format,
) -> ExitCode {
    if !(0.0..=1.0).contains(&threshold) {
        eprintln!("switchboard: --threshold must be between 0 and 1, not {threshold}");
        return ExitCode::from(2);
    }
    let content = match Content::load(root, &config.default_locale()) {
        Ok(c) => c,
        Err(problems) => {
            print_problems(&problems);
            eprintln!("switchboard: the content has errors; run `switchboard check`");
            return ExitCode::FAILURE;
        }
    };
    let samples = match read_samples(file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("switchboard: {e}");
            return ExitCode::from(2);
        }
    };
    let stores = match train {
        None => crate::eval::Stores::Content(&content),
        Some(path) => match read_samples(path) {
            Ok(train) => crate::eval::Stores::train(&train, settings),
            Err(e) => {
                eprintln!("switchboard: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let report = crate::eval::evaluate(&content, &stores, &samples, threshold, hello);
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        ),
        Format::Text => print!("{}", crate::eval::render_text(&report)),
    }
    ExitCode::SUCCESS
}

fn print_problems(problems: &[Problem]) {
    for p in problems {
        eprintln!("{p}");
    }
}

/// The language decision's candidates: each feature's value times its weight, the score and
/// the probability.
fn print_decision(decision: &crate::language::Decision) {
    use crate::language::decide::{FEATURES, WEIGHTS};
    if decision.candidates.is_empty() {
        println!("language    the text does not tell: the conversation's locale");
        return;
    }
    println!(
        "language    candidate: evidence (value x weight) ... = score -> probability; weights: {}",
        FEATURES
            .iter()
            .zip(WEIGHTS)
            .map(|(f, w)| format!("{f} {w:+.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for c in &decision.candidates {
        let terms: Vec<String> = FEATURES
            .iter()
            .zip(c.features.iter().zip(WEIGHTS))
            .filter(|(_, (x, _))| **x != 0.0)
            .map(|(name, (x, w))| format!("{name} {x:.2}x{w:+.2}"))
            .collect();
        println!(
            "  {:<6} {} = {:+.2} -> {:.3}",
            c.locale.to_string(),
            if terms.is_empty() {
                "no evidence".to_string()
            } else {
                terms.join(", ")
            },
            c.score,
            c.probability
        );
    }
    if let (Some(written), Some(confidence)) = (&decision.written, decision.confidence) {
        println!("written in  {written} (language confidence {confidence:.3})");
    }
}

fn try_message(
    root: &std::path::Path,
    config: &Config,
    locale: Option<String>,
    hello: &[String],
    text: &str,
) -> ExitCode {
    let content = match Content::load(root, &config.default_locale()) {
        Ok(c) => c,
        Err(problems) => {
            print_problems(&problems);
            eprintln!("switchboard: the content has errors; run `switchboard check`");
            return ExitCode::FAILURE;
        }
    };
    let mut state = ConversationState {
        negotiated: crate::language::negotiate(hello, &content.locales).map(|l| l.to_string()),
        ..Default::default()
    };
    if let Some(tag) = locale {
        match crate::language::negotiate(std::slice::from_ref(&tag), &content.locales) {
            Some(l) => state.explicit_locale = Some(l.to_string()),
            None => {
                eprintln!("switchboard: locale {tag:?} is not supported");
                return ExitCode::FAILURE;
            }
        }
    }
    let turn = match bot::respond(&content, &state, text, None, config.fallback_threshold) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("switchboard: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("message     {text:?}");
    println!(
        "script      {}",
        turn.detection
            .script
            .map_or("-".to_string(), |s| s.name().to_string())
    );
    for c in &turn.detection.candidates {
        println!(
            "detector    {:<24} {} {:.3}{}",
            c.source,
            c.language,
            c.confidence,
            if c.reliable { " (reliable)" } else { "" }
        );
    }
    let verdict = match &turn.detection.verdict {
        Verdict::Reliable(l) => format!("reliable: {l}"),
        Verdict::Weak(l) => format!("weak guess: {l}"),
        Verdict::Unsupported(name) => format!("unsupported language: {name}"),
        Verdict::Unknown => "unknown".to_string(),
    };
    println!("verdict     {verdict}");
    print_decision(&turn.decision);
    println!(
        "locale      {} ({})",
        turn.locale,
        turn.decision.reason.as_str()
    );
    if let Some(m) = &turn.matched {
        for s in &m.ranked {
            println!("intent      {:<16} score {:.3}", s.intent, s.score);
        }
    }
    println!(
        "decision    {} (confidence {:.3}, threshold {:.2})",
        turn.intent.as_deref().unwrap_or("fallback"),
        turn.confidence,
        config.fallback_threshold
    );
    if let Some(order) = &turn.order {
        println!("order       {order}");
    }
    if let (Some(intent), Some(_)) = (&turn.intent, &turn.matched) {
        let match_locale = turn.decision.written.clone().unwrap_or(turn.locale.clone());
        if let (Some(matcher), Some(examples)) = (
            content.matchers.get(&match_locale),
            content.examples.get(&match_locale),
        ) {
            let closest = examples.by_intent.get(intent).and_then(|texts| {
                texts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| (i, t, matcher.similarity(text, t)))
                    .max_by(|a, b| a.2.total_cmp(&b.2))
            });
            if let Some((i, example, similarity)) = closest {
                let at = examples
                    .origin(intent, i)
                    .map(|o| format!("{}:{}", o.file, o.line))
                    .unwrap_or_default();
                println!("example     {example:?} ({at}, similarity {similarity:.2})");
            }
        }
    }
    let defined = content
        .templates
        .origin(&turn.locale, &turn.message_id)
        .map(|(file, line)| format!(" ({file}:{line})"))
        .unwrap_or_default();
    println!("message id  {}{defined}", turn.message_id);
    println!("reply       {}", turn.text);
    for s in &turn.suggestions {
        println!("suggestion  {} [{}]", s.text, s.payload);
    }
    if let Some(h) = &turn.handoff {
        println!("handoff     {h:?}");
    }
    println!("time        {} µs", turn.elapsed.as_micros());
    ExitCode::SUCCESS
}

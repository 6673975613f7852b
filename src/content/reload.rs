//! Live reload: the content is rebuilt off the request path (a blocking thread), validated,
//! and swapped in whole; when the new content has errors the old one keeps serving and the
//! errors are kept for `/readyz` and the admin endpoint.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use serde::Serialize;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use unic_langid::LanguageIdentifier;

use super::{Content, Problem};

/// Saves closer together than this make one reload.
const DEBOUNCE: Duration = Duration::from_millis(250);

/// What a successful reload reports.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub version: String,
    pub locales: usize,
    pub messages: usize,
    pub intents: usize,
    pub examples: usize,
    pub warnings: Vec<String>,
    pub elapsed_ms: u64,
}

pub struct Reloader {
    root: PathBuf,
    default_locale: LanguageIdentifier,
    content: Arc<ArcSwap<Content>>,
    /// The errors of the last reload that failed, until one succeeds.
    failed: Mutex<Vec<Problem>>,
    /// One reload at a time.
    running: tokio::sync::Mutex<()>,
}

impl Reloader {
    pub fn new(
        root: &Path,
        default_locale: LanguageIdentifier,
        content: Arc<ArcSwap<Content>>,
    ) -> Reloader {
        Reloader {
            root: root.to_path_buf(),
            default_locale,
            content,
            failed: Mutex::new(Vec::new()),
            running: tokio::sync::Mutex::new(()),
        }
    }

    /// The errors that keep the newest files from serving (empty when they serve).
    pub fn errors(&self) -> Vec<Problem> {
        self.failed.lock().map(|f| f.clone()).unwrap_or_default()
    }

    /// Builds the content from the files as they are now and swaps it in if it is valid.
    pub async fn reload(&self) -> Result<Summary, Vec<Problem>> {
        let _one_at_a_time = self.running.lock().await;
        let started = Instant::now();
        let (root, default) = (self.root.clone(), self.default_locale.clone());
        let built = tokio::task::spawn_blocking(move || Content::load(&root, &default))
            .await
            .unwrap_or_else(|e| {
                Err(vec![super::error(
                    "content",
                    format!("reload crashed: {e}"),
                )])
            });
        match built {
            Ok(content) => {
                let summary = Summary {
                    version: content.version.clone(),
                    locales: content.locales.len(),
                    messages: content
                        .locales
                        .iter()
                        .map(|l| content.templates.message_count(l))
                        .sum(),
                    intents: content.catalog.intents.len(),
                    examples: content.examples.values().map(|e| e.pairs().len()).sum(),
                    warnings: content.warnings.iter().map(|w| w.to_string()).collect(),
                    elapsed_ms: started.elapsed().as_millis() as u64,
                };
                let previous = self.content.swap(Arc::new(content));
                if let Ok(mut failed) = self.failed.lock() {
                    failed.clear();
                }
                if previous.version != summary.version {
                    tracing::info!(version = %summary.version, ms = summary.elapsed_ms, "content reloaded");
                }
                Ok(summary)
            }
            Err(problems) => {
                for problem in &problems {
                    tracing::error!(%problem, "content reload refused; the previous content keeps serving");
                }
                if let Ok(mut failed) = self.failed.lock() {
                    failed.clone_from(&problems);
                }
                Err(problems)
            }
        }
    }

    /// Watches `locales/` and `intents/` and reloads after changes, until `shutdown`.
    pub fn watch(self: &Arc<Self>, shutdown: CancellationToken) -> Result<(), String> {
        let changed = Arc::new(Notify::new());
        let signal = changed.clone();
        let mut debouncer =
            new_debouncer(DEBOUNCE, move |events: DebounceEventResult| match events {
                Ok(events) if !events.is_empty() => signal.notify_one(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "content watcher error"),
            })
            .map_err(|e| e.to_string())?;
        for folder in ["locales", "intents"] {
            let path = self.root.join(folder);
            debouncer
                .watcher()
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
        let reloader = self.clone();
        tokio::spawn(async move {
            // The debouncer watches for as long as it lives: it lives in this task.
            let _debouncer = debouncer;
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = changed.notified() => {}
                }
                let _ = reloader.reload().await;
            }
        });
        Ok(())
    }
}

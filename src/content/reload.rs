//! Live reload: the content is rebuilt off the request path (a blocking thread), validated,
//! and swapped in whole; when the new content has errors the old one keeps serving and the
//! errors are kept for `/readyz` and the admin endpoint.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use notify::{EventKind, RecursiveMode, Watcher};
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
    /// Reloads attempted since start (for `/readyz`: a storm of saves must not be a storm of
    /// rebuilds).
    attempts: std::sync::atomic::AtomicU64,
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
            attempts: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The errors that keep the newest files from serving (empty when they serve).
    pub fn errors(&self) -> Vec<Problem> {
        self.failed.lock().map(|f| f.clone()).unwrap_or_default()
    }

    pub fn attempts(&self) -> u64 {
        self.attempts.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Builds the content from the files as they are now and swaps it in if it is valid.
    pub async fn reload(&self) -> Result<Summary, Vec<Problem>> {
        let _one_at_a_time = self.running.lock().await;
        self.attempts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
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
    /// Only changes count (a reload reads every file: reads must not trigger reloads), and
    /// changes closer together than [`DEBOUNCE`] make one reload.
    pub fn watch(self: &Arc<Self>, shutdown: CancellationToken) -> Result<(), String> {
        let changed = Arc::new(Notify::new());
        let signal = changed.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => signal.notify_one(),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "content watcher error"),
            })
            .map_err(|e| e.to_string())?;
        for folder in ["locales", "intents"] {
            let path = self.root.join(folder);
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
        let reloader = self.clone();
        tokio::spawn(async move {
            // The watcher watches for as long as it lives: it lives in this task.
            let _watcher = watcher;
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = changed.notified() => {}
                }
                // Quiet for DEBOUNCE before rebuilding: a burst of saves is one reload.
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = changed.notified() => continue,
                        _ = tokio::time::sleep(DEBOUNCE) => break,
                    }
                }
                let _ = reloader.reload().await;
            }
        });
        Ok(())
    }
}

//! The product crate's modules import downward only (ARCHITECTURE.md, "Layers"): every
//! `crate::<module>` path in a file of `src/` must name a module of a lower layer than the
//! file's own top-level module. A cycle between modules cannot come back without breaking this.
//!
//! The graph is printed with `--nocapture`; `SWITCHBOARD_LAYERS_SRC=<dir>` reads another tree
//! (an older checkout's `src`, to compare):
//!
//!     cargo test --test it layers -- --nocapture

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// The layers, bottom first. A module may import any module of a lower layer, none of its own
/// or a higher one.
const LAYERS: &[&[&str]] = &[
    // What knows nothing of the rest: the wire, language, intents, templates, metric names,
    // redaction of personal data, the ids that travel between the layers.
    &[
        "ids",
        "protocol",
        "language",
        "intents",
        "templates",
        "telemetry",
        "privacy",
    ],
    &["content"],
    &["bot", "redis_link"],
    &["session"],
    &["handoff"],
    &["desk"],
    &["config"],
    &["transport"],
    &["state"],
    // The channels and endpoints, each over the one `AppState`.
    &["gateway", "agents", "ops", "admin", "web"],
    // What the commands run: the server with every route, the accuracy evaluation.
    &["app", "eval"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn source_dir() -> PathBuf {
    match std::env::var_os("SWITCHBOARD_LAYERS_SRC") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("the source folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `gateway/connection.rs` → `gateway`; `lib.rs`, `main.rs` and `bin/*` are not modules.
fn top_module(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_string())
}

/// Text without `//` comments (doc comments name other modules freely).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names: `crate::a::…` and `crate::{a::…, b}`.
fn imported_modules(text: &str) -> BTreeSet<String> {
    let path = Regex::new(r"\bcrate::([a-z_][a-z0-9_]*)").expect("a valid pattern");
    let group = Regex::new(r"\bcrate::\{").expect("a valid pattern");
    let text = without_comments(text);
    let mut modules: BTreeSet<String> = path
        .captures_iter(&text)
        .map(|c| c[1].to_string())
        .collect();
    for start in group.find_iter(&text) {
        // The group's items at depth 0, each up to its comma: `c::D`, `e`, `f::{g, h}`.
        let (mut depth, mut items, mut item) = (0, Vec::new(), String::new());
        for ch in text[start.end()..].chars() {
            match ch {
                '}' if depth == 0 => break,
                ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if ch != ',' || depth > 0 {
                item.push(ch);
            }
        }
        items.push(item);
        for item in items {
            let ident: String = item
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !ident.is_empty() {
                modules.insert(ident);
            }
        }
    }
    modules
}

type Graph = BTreeMap<String, BTreeSet<String>>;

fn import_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("a file under src");
        let Some(module) = top_module(relative) else {
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let imports = graph.entry(module.clone()).or_default();
        for imported in imported_modules(&text) {
            if imported != module {
                imports.insert(imported);
            }
        }
    }
    graph
}

fn render(graph: &Graph) -> String {
    graph
        .iter()
        .map(|(module, imports)| {
            let list: Vec<&str> = imports.iter().map(String::as_str).collect();
            format!("  {module:<11} -> {}", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every import that does not go down, and every module with no layer.
fn violations(graph: &Graph) -> Vec<String> {
    let mut problems = Vec::new();
    for (module, imports) in graph {
        let Some(mine) = layer_of(module) else {
            problems.push(format!(
                "`{module}` has no layer: add it to LAYERS in tests/it/layers.rs and to ARCHITECTURE.md"
            ));
            continue;
        };
        for imported in imports {
            if let Some(theirs) = layer_of(imported).filter(|theirs| *theirs >= mine) {
                problems.push(format!(
                    "`{module}` (layer {mine}) imports `{imported}` (layer {theirs}): imports go down only"
                ));
            }
        }
    }
    problems
}

#[test]
fn every_module_imports_only_lower_layers() {
    let src = source_dir();
    let graph = import_graph(&src);
    println!(
        "imports between the top-level modules of {}:\n{}",
        src.display(),
        render(&graph)
    );
    let problems = violations(&graph);
    assert!(
        problems.is_empty(),
        "{}\n\nthe graph:\n{}",
        problems.join("\n"),
        render(&graph)
    );
}

#[test]
fn imports_are_read_from_paths_and_groups_but_not_comments() {
    let text = "use crate::a::B;\nuse crate::{c::D, e, f::{g, h}};\n// crate::z in a comment\nlet x = crate::i::j();\n";
    let found: Vec<String> = imported_modules(text).into_iter().collect();
    assert_eq!(found, ["a", "c", "e", "f", "i"]);
}

#[test]
fn an_import_upward_and_a_module_without_a_layer_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("protocol")).unwrap();
    std::fs::write(
        dir.path().join("protocol/mod.rs"),
        "use crate::app::AppState;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.rs"), "use crate::protocol::X;\n").unwrap();
    std::fs::write(dir.path().join("newcomer.rs"), "use crate::protocol::X;\n").unwrap();
    let problems = violations(&import_graph(dir.path()));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems[0].starts_with("`newcomer` has no layer"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("`protocol` (layer 0) imports `app`"),
        "{problems:?}"
    );
}

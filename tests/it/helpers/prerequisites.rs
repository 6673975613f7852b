//! What the suite needs from the machine besides Rust: `redis-server` and `redis-cli` (the
//! Redis tests start their own servers), `caddy` (the proxy test), a release build no older
//! than the sources (the deploy tests run it as the image does) and the outside data set.
//!
//! A run of the whole suite checks all of it when its first test starts (every test begins with
//! [`crate::helpers::repo_root`] or a helper here) and, when anything is missing, stops at once
//! with one message: what to install, and `./scripts/test.sh` to run instead. A run of some
//! tests (a name filter, `--skip`) is not stopped: a test that needs what is missing fails,
//! saying the same. Nothing is ever skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::SystemTime;

/// Something the suite needs.
#[derive(Clone, Copy)]
enum Need {
    Redis,
    Caddy,
    ReleaseBinary,
    SharedData,
}

const ALL: [Need; 4] = [
    Need::Redis,
    Need::Caddy,
    Need::ReleaseBinary,
    Need::SharedData,
];

/// The files of the outside data set the tests read.
const SHARED_FILES: [&str; 2] = ["ftl", "xsid-valid.tsv"];

/// What is missing, said as scripts/lib/require.sh says it, and whether ./scripts/test.sh
/// provides it.
struct Missing {
    says: String,
    test_sh_provides: bool,
}

/// The checkout (without the check: the check reads it).
fn checkout() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `name` on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// `command` on the PATH, or what require.sh would say: install `hint`'s package.
fn tool(command: &str, hint: &str, why: &str) -> Result<PathBuf, Missing> {
    on_path(command).ok_or_else(|| Missing {
        says: format!("{command} is missing: install it ({hint}); {why}"),
        test_sh_provides: true,
    })
}

fn release_path() -> PathBuf {
    // target/debug/switchboard (what Cargo built for these tests) → target/release/switchboard.
    PathBuf::from(env!("CARGO_BIN_EXE_switchboard"))
        .parent()
        .and_then(Path::parent)
        .expect("target dir")
        .join("release")
        .join("switchboard")
}

fn newest(path: &Path) -> Option<SystemTime> {
    if path.is_dir() {
        std::fs::read_dir(path)
            .ok()?
            .flatten()
            .filter_map(|entry| newest(&entry.path()))
            .max()
    } else {
        path.metadata().and_then(|m| m.modified()).ok()
    }
}

fn shared_folder() -> PathBuf {
    std::env::var_os("SWITCHBOARD_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| checkout().join("../shared/data"))
}

fn check(need: Need) -> Result<PathBuf, Missing> {
    match need {
        Need::Redis => {
            let why = "the Redis tests start their own servers";
            let server = tool(
                "redis-server",
                "Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis",
                why,
            )?;
            tool(
                "redis-cli",
                "Debian/Ubuntu: sudo apt-get install redis-tools; macOS: brew install redis",
                why,
            )?;
            Ok(server)
        }
        Need::Caddy => tool(
            "caddy",
            "Debian/Ubuntu: sudo apt-get install caddy; macOS: brew install caddy",
            "the proxy test runs deploy/Caddyfile",
        ),
        Need::ReleaseBinary => {
            let release = release_path();
            let problem = match release.metadata().and_then(|m| m.modified()) {
                Err(_) => "is missing",
                Ok(built) => {
                    let sources = ["src", "build.rs", "Cargo.toml", "Cargo.lock"]
                        .iter()
                        .filter_map(|p| newest(&checkout().join(p)))
                        .max();
                    if sources.is_some_and(|newest| newest > built) {
                        "is older than the sources"
                    } else {
                        return Ok(release);
                    }
                }
            };
            Err(Missing {
                says: format!(
                    "{} {problem}: run `cargo build --release --locked` first; the deploy tests \
                     run the release binary as the image does",
                    release.display()
                ),
                test_sh_provides: true,
            })
        }
        Need::SharedData => {
            let folder = shared_folder();
            match SHARED_FILES.iter().find(|f| !folder.join(f).exists()) {
                None => Ok(folder),
                Some(file) => Err(Missing {
                    says: format!(
                        "{} is missing: the outside data set sits beside the checkout \
                         (../shared/data), or set SWITCHBOARD_SHARED_DATA to its folder; the \
                         accuracy and `check --ftl` tests read it",
                        folder.join(file).display()
                    ),
                    test_sh_provides: false,
                }),
            }
        }
    }
}

/// The message for what is missing.
fn message(missing: &[Missing]) -> String {
    let mut text = String::from("\nThe integration tests need what this machine lacks:\n");
    for m in missing {
        text.push_str(&format!("  - {}\n", m.says));
    }
    if missing.iter().any(|m| m.test_sh_provides) {
        text.push_str(
            "Run ./scripts/test.sh instead of `cargo test`: it installs what is missing when it \
             can (or says how) and builds the release binary, then runs `cargo test`.\n",
        );
    }
    text
}

/// Whether this run is the whole suite: no name filter, no `--skip` (libtest's arguments).
fn whole_suite() -> bool {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--skip" => return false,
            // Options that take a value.
            "--test-threads" | "--color" | "--format" | "--logfile" | "--shuffle-seed" | "-Z" => {
                args.next();
            }
            option if option.starts_with('-') => {}
            _filter => return false,
        }
    }
    true
}

/// Once a run: when it is the whole suite, checks everything and stops the run at once with
/// one message if anything is missing (written past libtest's capture, so it shows at once).
pub fn check_whole_suite() {
    static CHECKED: LazyLock<()> = LazyLock::new(|| {
        if !whole_suite() {
            return;
        }
        let missing: Vec<Missing> = ALL.iter().filter_map(|n| check(*n).err()).collect();
        if missing.is_empty() {
            return;
        }
        let mut text = message(&missing);
        text.push_str(
            "(A run of some tests is not stopped: `cargo test --test it -- --skip deploy`, for \
             one; a test that needs what is missing fails.)\n\n",
        );
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
        std::process::exit(101);
    });
    LazyLock::force(&CHECKED);
}

fn require(need: Need) -> PathBuf {
    check_whole_suite();
    check(need).unwrap_or_else(|missing| panic!("{}", message(&[missing])))
}

/// `redis-server`.
pub fn redis_server() -> PathBuf {
    require(Need::Redis)
}

/// `redis-cli` (with `redis-server`).
pub fn redis_cli() -> PathBuf {
    require(Need::Redis);
    on_path("redis-cli").expect("checked")
}

/// `caddy`.
pub fn caddy() -> PathBuf {
    require(Need::Caddy)
}

/// target/release/switchboard, built no earlier than the sources were last changed.
pub fn release_binary() -> PathBuf {
    require(Need::ReleaseBinary)
}

/// The outside data set's folder: `../shared/data` beside the checkout, or
/// `SWITCHBOARD_SHARED_DATA`.
pub fn shared_data() -> PathBuf {
    require(Need::SharedData)
}

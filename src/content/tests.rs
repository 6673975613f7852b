use super::*;
use unic_langid::langid;

/// A small content folder written to a temp dir; `edit` changes files before loading.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const CATALOG: &str = "[intents.greeting]\nsuggestions = [\"human_agent\"]\n[intents.human_agent]\nhandoff = \"now\"\n";
const BOT_EN: &str = "fallback = ?\nfallback-offer-human = human?\nhandoff-unavailable = nobody\n\
handoff-unavailable-closed = closed\nhandoff-unavailable-error = broken\nhandoff-queued = { $position }\n\
handoff-queued-wait = { $position } { $minutes }\nhandoff-assigned = { $agent }\nhandoff-ended = bye\n\
handoff-requeued = again\nhandoff-transferred = moved\nhandoff-waiting = still { $position }\nhandoff-left = gone\n\
suggest-human-agent = Person\nsuggest-order-status = Order\nsuggest-return-item = Return\nsuggest-shipping-time = Time\n";
const REPLIES_EN: &str = "reply-greeting = Hello\nreply-human-agent = Connecting\n";
const EXAMPLES_EN: &str = "[greeting]\nexamples = [\"hi\", \"hello\"]\n[human_agent]\nexamples = [\"human\", \"agent\"]\n";

fn valid() -> Vec<(&'static str, &'static str)> {
    vec![
        ("intents/catalog.toml", CATALOG),
        ("intents/en/a.toml", EXAMPLES_EN),
        ("locales/en/bot.ftl", BOT_EN),
        ("locales/en/replies.ftl", REPLIES_EN),
    ]
}

fn load(files: &[(&str, &str)]) -> Result<Content, Vec<Problem>> {
    let dir = folder(files);
    Content::load(dir.path(), &langid!("en"))
}

#[test]
fn a_complete_folder_loads() {
    let content = load(&valid()).unwrap();
    assert_eq!(content.locales, vec![langid!("en")]);
    assert_eq!(content.version.len(), 16);
    assert!(content.matchers.contains_key(&langid!("en")));
}

#[test]
fn the_version_changes_with_any_file() {
    let a = load(&valid()).unwrap().version;
    let mut files = valid();
    files[3] = (
        "locales/en/replies.ftl",
        "reply-greeting = Hi!\nreply-human-agent = Connecting\n",
    );
    let b = load(&files).unwrap().version;
    assert_ne!(a, b);
}

#[test]
fn every_problem_is_reported_with_its_place() {
    let mut files = valid();
    files.push(("locales/de/bot.ftl", "fallback = ?\nbroken = {\n"));
    files.push((
        "intents/de/a.toml",
        "[greeting]\nexamples = [\"hallo\"]\n[weather]\nexamples = [\"regen\"]\n",
    ));
    let problems = load(&files).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter().any(|p| p.starts_with("locales/de/bot.ftl:2:")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|p| p.starts_with("intents/de/a.toml:3:1") && p.contains("\"weather\"")),
        "{text:#?}"
    );
}

#[test]
fn a_locale_missing_answers_or_examples_is_an_error() {
    let mut files = valid();
    files.push(("locales/fr/bot.ftl", BOT_EN));
    files.push(("locales/fr/replies.ftl", "reply-greeting = Bonjour\n"));
    files.push(("intents/fr/a.toml", "[greeting]\nexamples = [\"salut\"]\n"));
    let problems = load(&files).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.contains("locales/fr") && p.contains("reply-human-agent")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|p| p.contains("intents/fr") && p.contains("human_agent")),
        "{text:#?}"
    );
}

#[test]
fn a_broken_catalog_points_at_the_line() {
    let mut files = valid();
    files[0] = (
        "intents/catalog.toml",
        "[intents.greeting]\nhandoff = \"maybe\"\n",
    );
    let problems = load(&files).unwrap_err();
    assert_eq!(problems[0].file, "intents/catalog.toml");
    assert_eq!(problems[0].line, 2, "{problems:?}");
}

#[test]
fn a_missing_folder_is_reported_not_panicked() {
    let dir = tempfile::tempdir().unwrap();
    let problems = Content::load(&dir.path().join("nowhere"), &langid!("en")).unwrap_err();
    assert!(problems
        .iter()
        .any(|p| p.message.contains("cannot read folder")));
}

#[test]
fn the_shipped_demo_content_is_complete() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = Content::load(root, &langid!("en")).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(content.locales.len(), 13);
    assert_eq!(content.catalog.intents.len(), 20);
    for (locale, examples) in &content.examples {
        for (intent, texts) in &examples.by_intent {
            assert!(
                texts.len() >= 15,
                "{locale}/{intent} has {} examples",
                texts.len()
            );
        }
    }
}

#[test]
fn unreadable_files_and_symlink_loops_are_reported_not_fatal() {
    let dir = folder(&valid());
    std::fs::write(
        dir.path().join("locales/en/latin1.ftl"),
        b"caf\xe9 = oops\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("locales/en/empty.ftl"), b"").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        dir.path().join("intents"),
        dir.path().join("intents/en/loop"),
    )
    .unwrap();
    let problems = Content::load(dir.path(), &langid!("en")).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter().any(
            |p| p.starts_with("locales/en/latin1.ftl: error: cannot read file")
                && p.contains("UTF-8")
        ),
        "{text:#?}"
    );
    #[cfg(unix)]
    assert!(text.iter().any(|p| p.contains("symlink loop")), "{text:#?}");
    assert!(
        !text.iter().any(|p| p.contains("empty.ftl")),
        "an empty file is fine: {text:#?}"
    );
}

#[test]
fn a_variable_the_gateway_never_passes_is_an_error_at_its_line() {
    let mut files = valid();
    files[3] = (
        "locales/en/replies.ftl",
        "reply-greeting = Hello { $nmae }\nreply-human-agent = Connecting\n",
    );
    let problems = load(&files).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with("locales/en/replies.ftl:1:1: error:") && p.contains("$nmae")),
        "{text:#?}"
    );
}

#[test]
fn a_canned_reply_may_use_the_agents_name_and_nothing_the_gateway_does_not_pass() {
    let mut files = valid();
    let canned = "canned-hello = Hi, I'm { $agent }.\ncanned-order = Order { $order }?\n";
    files.push(("locales/en/canned.ftl", canned));
    let problems = load(&files).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter()
            .any(|p| p.starts_with("locales/en/canned.ftl:2:1: error:") && p.contains("$order")),
        "{text:#?}"
    );
    assert!(
        !text.iter().any(|p| p.contains("$agent")),
        "$agent is passed to canned replies: {text:#?}"
    );
}

#[test]
fn dropped_variables_missing_messages_and_duplicate_examples_are_warnings() {
    let mut files = valid();
    files[3] = (
        "locales/en/replies.ftl",
        "reply-greeting = Hello\nreply-human-agent = Connecting\nextra = Only English\n",
    );
    let queued_fr = BOT_EN.replace(
        "handoff-queued = { $position }",
        "handoff-queued = En attente",
    );
    files.push(("locales/fr/bot.ftl", &queued_fr));
    files.push((
        "locales/fr/replies.ftl",
        "reply-greeting = Bonjour\nreply-human-agent = Un instant\n",
    ));
    files.push(("intents/fr/a.toml", "[greeting]\nexamples = [\"salut\", \"Salut !\"]\n[human_agent]\nexamples = [\"humain\", \"salut\"]\n"));
    let content = load(&files).unwrap();
    let text: Vec<String> = content.warnings.iter().map(|p| p.to_string()).collect();
    let has = |needle: &str| text.iter().any(|p| p.contains(needle));
    assert!(has("handoff-queued does not use $position"), "{text:#?}");
    assert!(has("extra is missing in fr"), "{text:#?}");
    assert!(
        has("\"Salut !\" is already an example of greeting"),
        "{text:#?}"
    );
    assert!(has("example of both greeting and human_agent"), "{text:#?}");
    assert!(text.iter().all(|p| p.contains("warning")));
}

#[test]
fn cross_validation_names_the_pairs_the_matcher_confuses() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let content = Content::load(root, &langid!("en")).unwrap();
    let pairs = lint::confusions(&content.catalog.ids(), &content.examples[&langid!("en")], 3);
    assert_eq!(pairs.len(), 3);
    assert!(pairs[0].2 >= pairs[2].2);
    assert!(pairs.iter().all(|(e, p, _)| e != p));
}

#[test]
fn locale_folders_must_be_canonical_tags() {
    let mut files = valid();
    files.push(("locales/EN_us/bot.ftl", BOT_EN));
    files.push(("locales/not a tag/bot.ftl", BOT_EN));
    let problems = load(&files).unwrap_err();
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.iter().any(|p| p.starts_with("locales/EN_us: error:")),
        "{text:#?}"
    );
    assert!(
        text.iter()
            .any(|p| p.starts_with("locales/not a tag: error: not a BCP 47")),
        "{text:#?}"
    );
}

#[test]
fn files_in_memory_load_like_the_same_files_on_disk() {
    let owned = |files: &[(&str, &str)]| -> Vec<(String, String)> {
        // Reversed: the order files are given in does not matter.
        files
            .iter()
            .rev()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };
    let files = valid();
    let on_disk = load(&files).unwrap();
    let in_memory = Content::from_files(owned(&files), &langid!("en")).unwrap();
    assert_eq!(on_disk.version, in_memory.version);
    assert_eq!(on_disk.locales, in_memory.locales);

    let mut broken = valid();
    broken[1] = ("intents/en/a.toml", "[greeting\nexamples = 3\n");
    broken[3] = ("locales/en/replies.ftl", "reply-greeting = { $\n");
    let problems = load(&broken).unwrap_err();
    assert!(problems.len() >= 2, "{problems:#?}");
    assert_eq!(
        problems,
        Content::from_files(owned(&broken), &langid!("en")).unwrap_err()
    );
}

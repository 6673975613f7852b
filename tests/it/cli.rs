//! The command line, run as a user would.

use crate::helpers::{copy_of_content, switchboard_command};

fn switchboard(args: &[&str]) -> (i32, String, String) {
    let output = switchboard_command()
        .args(args)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_passes_the_demo_content_with_a_coverage_table() {
    let (code, out, _) = switchboard(&["check"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 error(s)"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("ja ") && l.contains(" 20 ")),
        "{out}"
    );
}

#[test]
fn check_fails_with_the_place_of_every_problem() {
    let content = copy_of_content();
    let root = content.path();
    std::fs::write(root.join("locales/fr/extra.ftl"), "ok = fine\nbroken = {\n").unwrap();
    std::fs::remove_file(root.join("locales/it/handoff.ftl")).unwrap();
    let (code, out, _) = switchboard(&["check", "--content", root.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("locales/fr/extra.ftl:2:1: error:"), "{out}");
    assert!(
        out.contains("locales/it: error: message \"handoff-queued\" is missing"),
        "{out}"
    );
    let (code, out, _) = switchboard(&[
        "check",
        "--content",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["ok"], false);
    assert!(report["errors"].as_u64().unwrap() >= 2);
}

#[test]
fn try_explains_each_step() {
    let (code, out, _) = switchboard(&["try", "¿Dónde", "está", "mi", "pedido", "48213377?"]);
    assert_eq!(code, 0, "{out}");
    for needle in [
        "verdict",
        "locale      es",
        "order_status",
        "order       48213377",
        "reply",
        "µs",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
    let (code, _, err) = switchboard(&["try", "--locale", "pl", "hello"]);
    assert_eq!(code, 1);
    assert!(err.contains("not supported"), "{err}");
}

#[test]
fn eval_scores_a_labelled_file() {
    let dir = tempfile::tempdir().unwrap();
    let test = dir.path().join("test.tsv");
    std::fs::write(
        &test,
        "# locale\tintent\ttext\n\
         en\tshipping_cost\thow much do you charge for delivery to Spain\n\
         es\treturn_item\tquiero devolver estas botas que me quedan grandes\n\
         en\tnull\twhat is the boiling point of mercury\n",
    )
    .unwrap();
    let (code, out, err) = switchboard(&["eval", test.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    for field in [
        "n",
        "intent_accuracy",
        "language_accuracy",
        "oos_precision",
        "oos_recall",
    ] {
        assert!(
            report["overall"].get(field).is_some(),
            "{field} in {report}"
        );
    }
    assert_eq!(report["overall"]["n"], 3);
    assert_eq!(report["locales"]["es"]["intent_accuracy"], 1.0);

    // With --train, the stores come from the training file.
    let train = dir.path().join("train.tsv");
    std::fs::write(
        &train,
        "en\tweather\tis it going to rain\nen\tweather\twhat is the forecast\nen\tweather\twill it be sunny tomorrow\n\
         en\talarm\twake me up at seven\nen\talarm\tset an alarm for 6 am\nen\talarm\talarm at noon please\n\
         en\tweather\thow cold is it outside\nen\talarm\tremind me with an alarm at 8\n",
    )
    .unwrap();
    std::fs::write(
        &test,
        "en\tweather\twill it rain today\nen\talarm\tset an alarm for 7\n",
    )
    .unwrap();
    let (code, out, _) = switchboard(&[
        "eval",
        test.to_str().unwrap(),
        "--train",
        train.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("overall") && l.contains("100.0%")),
        "{out}"
    );

    std::fs::write(&test, "en greeting without tabs\n").unwrap();
    let (code, _, err) = switchboard(&["eval", test.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":1: expected locale<TAB>intent<TAB>text"),
        "{err}"
    );
}

fn shared_ftl() -> std::path::PathBuf {
    crate::helpers::shared_data("ftl")
}

#[test]
fn check_ftl_finds_every_error_fluent_finds_and_none_in_real_files() {
    let dir = shared_ftl();
    let (code, out, _) =
        switchboard(&["check", "--ftl", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "the syntax fixtures are broken on purpose");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["files"].as_u64().unwrap() > 1000);
    let problems = report["problems"].as_array().unwrap();
    let mut per_file: std::collections::HashMap<String, usize> = Default::default();
    for p in problems {
        let file = p["file"].as_str().unwrap().to_string();
        assert!(
            p["line"].as_u64().unwrap() >= 1 && p["column"].as_u64().unwrap() >= 1,
            "{p}"
        );
        assert!(
            file.starts_with("fluent-rs-fixtures/fluent-syntax/"),
            "the real Mozilla files parse: {p}"
        );
        *per_file.entry(file).or_default() += 1;
    }
    // Each Junk entry of a fixture's expected AST is one error, reported with its place.
    let fixtures = dir.join("fluent-rs-fixtures/fluent-syntax/tests/fixtures");
    let mut compared = 0;
    for entry in std::fs::read_dir(&fixtures).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|x| x == "ftl") {
            let Ok(expected) = std::fs::read_to_string(path.with_extension("json")) else {
                continue;
            };
            let junk = expected.matches("\"Junk\"").count();
            let name = format!(
                "fluent-rs-fixtures/fluent-syntax/tests/fixtures/{}",
                path.file_name().unwrap().to_string_lossy()
            );
            assert_eq!(per_file.get(&name).copied().unwrap_or(0), junk, "{name}");
            compared += 1;
        }
    }
    assert!(compared > 30, "{compared} fixtures compared");
}

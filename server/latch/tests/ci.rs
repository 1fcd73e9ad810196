//! Latch in CI: baselines, exit codes, `--format github`, the SARIF a dashboard reads
//! (validated with Microsoft's SARIF multitool), and the pre-commit hook's entry.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn latch() -> Command {
    let mut c = Command::cargo_bin("latch").unwrap();
    c.current_dir(repo());
    c
}

/// A fresh folder under the system temp dir, for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latch-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
  ]
}
"#;

fn codes(dir: &Path, extra: &[&str]) -> (Vec<String>, i32) {
    let out = latch()
        .args(["check", "--format", "json"])
        .args(extra)
        .arg(dir)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    (codes, out.status.code().unwrap())
}

#[test]
fn a_baseline_survives_inserted_lines_and_catches_a_new_finding() {
    let dir = scratch("baseline");
    let ws = dir.join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::write(ws.join("p.json"), POLICY).unwrap();
    let baseline = dir.join("baseline.json");
    let out = latch()
        .args(["check", "--write-baseline"])
        .arg(&baseline)
        .arg(&ws)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "writing a baseline accepts today's findings"
    );
    let recorded: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["findings"].as_array().unwrap().len(), 1);
    assert_eq!(recorded["findings"][0]["code"], "policy/invalid-effect");

    let with_baseline = ["--baseline", baseline.to_str().unwrap()];
    assert_eq!(codes(&ws, &with_baseline), (vec![], 0));

    // Lines inserted above the finding: still recognised.
    let moved = POLICY.replacen("{\n", "{\n\n\n\n", 1).replace(
        "  \"Statement\": [\n",
        "  \"Statement\": [\n    {\"Sid\": \"List\", \"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\", \"Resource\": \"arn:aws:s3:::b\"},\n",
    );
    std::fs::write(ws.join("p.json"), &moved).unwrap();
    assert_eq!(codes(&ws, &with_baseline), (vec![], 0));

    // A new finding in another statement is reported.
    let new = moved.replace(
        "\"Effect\": \"Allow\", \"Action\": \"s3:ListBucket\"",
        "\"Effect\": \"alow\", \"Action\": \"s3:ListBucket\"",
    );
    std::fs::write(ws.join("p.json"), &new).unwrap();
    assert_eq!(
        codes(&ws, &with_baseline),
        (vec!["policy/invalid-effect".to_string()], 1)
    );
    // And the same code twice where the baseline had it once.
    std::fs::write(ws.join("q.json"), POLICY).unwrap();
    let (c, _) = codes(&ws, &with_baseline);
    assert_eq!(c.len(), 2);

    latch()
        .args(["check", "--baseline"])
        .arg(dir.join("missing.json"))
        .arg(&ws)
        .assert()
        .code(2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_zero_and_the_severity_threshold() {
    let dir = scratch("exit");
    std::fs::write(dir.join("p.json"), POLICY).unwrap();
    std::fs::write(
        dir.join("latch.toml"),
        "[check.severity]\n\"policy/invalid-effect\" = \"warning\"\n",
    )
    .unwrap();
    // A warning: exit 0 by default, 1 from `--fail-on warning`.
    latch().arg("check").arg(&dir).assert().code(0);
    latch()
        .args(["check", "--fail-on", "warning"])
        .arg(&dir)
        .assert()
        .code(1);
    latch()
        .args(["check", "--fail-on", "hint", "--exit-zero"])
        .arg(&dir)
        .assert()
        .code(0);
    std::fs::remove_file(dir.join("latch.toml")).unwrap();
    latch().arg("check").arg(&dir).assert().code(1);
    latch()
        .args(["check", "--exit-zero"])
        .arg(&dir)
        .assert()
        .code(0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn github_format_is_one_annotation_per_finding() {
    let out = latch()
        .args([
            "check",
            "--format",
            "github",
            "examples/pasted-policy",
            "examples/cross-account-kms",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn sarif_carries_related_locations_fixes_fingerprints_and_help() {
    let out = latch()
        .args([
            "check",
            "--format",
            "sarif",
            "examples/cross-account-kms",
            "examples/pasted-policy",
        ])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    let related = results
        .iter()
        .find(|r| r["relatedLocations"].is_array())
        .expect("a cross-file finding with related locations");
    let loc = &related["relatedLocations"][0]["physicalLocation"];
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with("examples/")
    );
    assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    let fixed = results
        .iter()
        .find(|r| r["ruleId"] == "policy/invalid-effect")
        .unwrap();
    let change = &fixed["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["artifactLocation"]["uri"],
        "examples/pasted-policy/home-folder-policy.json"
    );
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "\"Deny\""
    );
    assert_eq!(change["replacements"][0]["deletedRegion"]["startLine"], 26);
    for r in results {
        let fp = r["partialFingerprints"]["latchFingerprint/v1"]
            .as_str()
            .unwrap();
        assert_eq!(fp.len(), 16);
        let rule = &run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
    }
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let help = rule["help"]["markdown"].as_str().unwrap();
        assert!(help.starts_with(&format!("## `{}`", rule["id"].as_str().unwrap())));
        assert!(rule.get("helpUri").is_none(), "no invented web addresses");
    }
    // The same fingerprints as the baseline.
    let dir = scratch("fingerprints");
    let baseline = dir.join("b.json");
    latch()
        .args(["check", "--write-baseline"])
        .arg(&baseline)
        .args(["examples/cross-account-kms", "examples/pasted-policy"])
        .assert()
        .code(0);
    let b: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    let mut from_baseline: Vec<&str> = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    let mut from_sarif: Vec<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["latchFingerprint/v1"]
                .as_str()
                .unwrap()
        })
        .collect();
    from_baseline.sort_unstable();
    from_sarif.sort_unstable();
    assert_eq!(from_baseline, from_sarif);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The multitool installed by `scripts/sarif/fetch.sh` (which `tests/run.sh` runs).
fn multitool() -> Option<PathBuf> {
    let bin = repo().join("build/sarif/node_modules/.bin/sarif-multitool");
    if bin.exists() {
        return Some(bin);
    }
    let msg =
        "the SARIF multitool is not installed: run scripts/sarif/fetch.sh (tests/run.sh does)";
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{msg}");
    }
    eprintln!("skipped: {msg}");
    None
}

/// The errors the multitool reports for a SARIF file (`file(line,col): error CODE: ...`).
fn validation_errors(tool: &Path, file: &Path) -> Vec<String> {
    let out = StdCommand::new(tool)
        .arg("validate")
        .arg(file)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("Analysis completed successfully"),
        "the validator did not run: {text}"
    );
    text.lines()
        .filter(|l| l.contains(": error "))
        .map(str::to_string)
        .collect()
}

#[test]
fn sarif_of_every_example_validates() {
    let Some(tool) = multitool() else { return };
    let dir = scratch("sarif");
    // The validator finds errors when there are some: a run without its tool.
    let broken = dir.join("broken.sarif");
    std::fs::write(
        &broken,
        r#"{"version": "2.1.0", "runs": [{"results": []}]}"#,
    )
    .unwrap();
    assert!(!validation_errors(&tool, &broken).is_empty());

    let mut examples: Vec<PathBuf> = std::fs::read_dir(repo().join("examples"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    examples.sort();
    assert!(examples.len() >= 5);
    for ex in examples {
        let name = ex.file_name().unwrap().to_string_lossy().into_owned();
        let out = latch()
            .args(["check", "--format", "sarif"])
            .arg(format!("examples/{name}"))
            .output()
            .unwrap();
        let file = dir.join(format!("{name}.sarif"));
        std::fs::write(&file, &out.stdout).unwrap();
        let errors = validation_errors(&tool, &file);
        assert!(errors.is_empty(), "{name}: {errors:#?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `entry:` of the hook in `.pre-commit-hooks.yaml`.
fn hook_entry() -> String {
    let yaml = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    assert!(yaml.contains("- id: latch"));
    yaml.lines()
        .find_map(|l| l.trim().strip_prefix("entry:"))
        .unwrap()
        .trim()
        .to_string()
}

#[test]
fn the_pre_commit_hook_entry_checks_the_files_it_is_given() {
    let entry = hook_entry();
    let bin = assert_cmd::cargo::cargo_bin("latch");
    let run = |files: &[&str]| {
        StdCommand::new(repo().join(&entry))
            .env("LATCH_BIN", &bin)
            .current_dir(repo())
            .args(files)
            .output()
            .unwrap()
    };
    let bad = run(&["examples/pasted-policy/home-folder-policy.json"]);
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8(bad.stdout).unwrap();
    assert!(text.contains("error[policy/invalid-effect]"), "{text}");
    let clean = run(&["server/latch/tests/fixtures/clean/reader.json"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
}

#[test]
fn the_action_runs_latch_check_with_sarif() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    assert!(action.contains("using: composite"));
    assert!(action.contains("cargo install --locked"));
    assert!(action.contains("check --format sarif"));
}

#[test]
fn explain_config_documents_the_check_table() {
    let out = latch().args(["explain", "config"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for key in [
        "select",
        "ignore",
        "exclude",
        "[check.severity]",
        "[[check.override]]",
        "[[check.allow]]",
        "latch:ignore",
        "--baseline",
    ] {
        assert!(text.contains(key), "{key}");
    }
}

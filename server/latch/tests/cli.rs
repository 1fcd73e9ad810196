//! The command line as users run it: `latch check` on the bundled examples (human and JSON
//! output, exit codes, `--fix`) and `latch explain`.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::{Path, PathBuf};

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

fn json_findings(args: &[&str]) -> (Value, i32) {
    let out = latch()
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    (
        serde_json::from_slice(&out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn pasted_policy_reports_effect_comma_and_quote_at_exact_positions() {
    let (report, code) = json_findings(&["examples/pasted-policy"]);
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    let findings = report["findings"].as_array().unwrap();
    let at = |code: &str| -> (u64, u64, Vec<String>) {
        let f = findings
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("no {code}"));
        assert_eq!(f["path"], "examples/pasted-policy/home-folder-policy.json");
        let titles = f["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["title"].as_str().unwrap().to_string())
            .collect();
        (
            f["range"]["start"]["line"].as_u64().unwrap(),
            f["range"]["start"]["column"].as_u64().unwrap(),
            titles,
        )
    };
    assert_eq!(
        at("policy/invalid-effect"),
        (26, 17, vec!["change to `Deny`".to_string()])
    );
    assert_eq!(
        at("syntax/missing-comma"),
        (28, 7, vec!["insert the missing `,`".to_string()])
    );
    // The `”` after 12 Japanese characters and an emoji: columns count characters.
    assert_eq!(
        at("syntax/typographic-quote"),
        (5, 28, vec!["replace it with `\"`".to_string()])
    );
    // The policy and the `latch.toml` that makes the folder a workspace of its own.
    assert_eq!(report["summary"]["files"], 2);
    assert_eq!(
        report["summary"]["errors"].as_u64().unwrap() as usize,
        findings.len()
    );
}

#[test]
fn human_output_shows_the_line_and_a_caret() {
    let out = latch()
        .args(["check", "examples/pasted-policy"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!(text);
}

#[test]
fn fix_applies_safe_fixes_and_leaves_the_rest() {
    let dir = std::env::temp_dir().join(format!("latch-cli-fix-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = repo().join("examples/pasted-policy/home-folder-policy.json");
    std::fs::copy(&src, dir.join("p.json")).unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(["check", "--fix", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    // The Japanese Sid has no mechanical fix, and the Version change is left to a person.
    assert!(
        codes
            .iter()
            .all(|c| *c == "policy/invalid-sid" || *c == "policy/legacy-version-variables"),
        "{codes:?}"
    );
    let fixed = std::fs::read_to_string(dir.join("p.json")).unwrap();
    assert!(fixed.contains("\"Effect\": \"Deny\""));
    assert!(fixed.contains("📁\","));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_codes() {
    latch().args(["check", "does/not/exist"]).assert().code(2);
    latch()
        .args(["check", "--format", "yaml", "."])
        .assert()
        .code(2);
    latch()
        .args(["check", "server/latch/tests/fixtures/clean"])
        .assert()
        .code(0);
}

#[test]
fn sarif_output_is_valid_shape() {
    let out = latch()
        .args(["check", "--format", "sarif", "examples/pasted-policy"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let quote = results
        .iter()
        .find(|r| r["ruleId"] == "syntax/typographic-quote")
        .unwrap();
    // SARIF columns are UTF-16 code units: the emoji counts twice.
    assert_eq!(
        quote["locations"][0]["physicalLocation"]["region"]["startColumn"],
        29
    );
}

#[test]
fn explain_prints_the_check_documentation() {
    let out = latch()
        .args(["explain", "policy/invalid-effect"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("## `policy/invalid-effect`"));
    assert!(text.contains("### Why it matters"));
    latch().args(["explain", "policy/nope"]).assert().code(2);
}

#[test]
fn garbage_files_do_not_crash_the_check() {
    let dir = std::env::temp_dir().join(format!("latch-cli-garbage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("binary.json"), [0xff, 0xfe, 0x00, b'{', 0x80]).unwrap();
    std::fs::write(dir.join("deep.json"), "[".repeat(100_000)).unwrap();
    std::fs::write(dir.join("lone.json"), "{").unwrap();
    std::fs::write(dir.join("empty.json"), "").unwrap();
    std::fs::write(dir.join("good.json"), "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"deny\", \"Action\": \"*\", \"Resource\": \"*\"}}").unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"syntax/invalid-utf8"));
    assert!(
        codes.contains(&"policy/invalid-effect"),
        "the rest of the workspace is still analysed: {codes:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A policy file `latch.toml` names whose text does not look like a policy yet (half
/// typed: `Statment`, a missing comma) is still reported at its path and line, in JSON and
/// in the human output.
#[test]
fn a_declared_policy_that_does_not_look_like_one_keeps_its_path_and_line() {
    let dir = std::env::temp_dir().join(format!("latch-cli-declared-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("keys")).unwrap();
    std::fs::write(
        dir.join("latch.toml"),
        "[[key]]\narn = \"arn:aws:kms:us-east-1:111122223333:key/k\"\npolicy = \"keys/key.json\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("keys/key.json"),
        "{\n  \"Id\": \"k\u{e9}y\",\n  \"Statment\": [\n    {\"Effect\": \"Allow\" \"Action\": \"kms:*\"}\n  ]\n}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "--format", "json", "."])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = located(&report);
    let at =
        |code: &str, line: u64, column: u64| ("keys/key.json".into(), code.into(), line, column);
    assert!(
        found.contains(&at("syntax/missing-comma", 4, 24)),
        "{found:?}"
    );
    assert!(
        found.contains(&at("policy/unknown-element", 3, 3)),
        "{found:?}"
    );
    assert!(found.iter().all(|(path, ..)| !path.is_empty()), "{found:?}");
    let human = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "."])
        .output()
        .unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("--> keys/key.json:4:24"), "{text}");
    assert!(!text.contains("--> :"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn why_over_terraform_resolves_references_and_points_at_tf_lines() {
    let args = [
        "why",
        "--principal",
        "arn:aws:sts::111122223333:assumed-role/ReportReader/s1",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::example-analytics-exports/reports/q3.csv",
        "tests/fixtures/scenarios/access__kms-key/cross-account-tf",
    ];
    let out = latch().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "implicitly denied: exit 1");
    // The role's account comes from `aws.analytics` in `[providers]`; the key ARN from
    // `aws_kms_key.exports`, referenced by the bucket's encryption configuration.
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
    let json = latch()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["decision"], "implicit_deny");
    assert_eq!(v["dependent"][0]["action"], "kms:Decrypt");
    assert_eq!(v["dependent"][0]["decision"], "implicit_deny");
}

/// The scenario fixtures through the binary: every fixture variant's `latch check --format
/// json` has each expected finding at its file, line and column, with the listed fixes;
/// `ok` variants have none of their row's code.
#[test]
fn every_scenario_fixture_through_latch_check_json() {
    let root = repo().join("tests/fixtures/scenarios");
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut rows: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    rows.sort();
    for row in rows {
        let code = row
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace("__", "/");
        let mut variants: Vec<_> = std::fs::read_dir(&row)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        variants.sort();
        for variant in variants {
            let Ok(expected) = std::fs::read_to_string(variant.join("expected.json")) else {
                continue;
            };
            let expected: Value = serde_json::from_str(&expected).unwrap();
            let out = Command::cargo_bin("latch")
                .unwrap()
                .args(["check", "--format", "json"])
                .arg(&variant)
                .output()
                .unwrap();
            let report: Value = serde_json::from_slice(&out.stdout).unwrap();
            let findings = report["findings"].as_array().unwrap();
            let prefix = variant.to_string_lossy().replace('\\', "/");
            let name = variant.strip_prefix(&root).unwrap().display().to_string();
            let wanted = expected["findings"].as_array().cloned().unwrap_or_default();
            if wanted.is_empty() && findings.iter().any(|f| f["code"] == code.as_str()) {
                failures.push(format!("{name}: unexpected `{code}`"));
            }
            for w in wanted {
                let path = format!("{prefix}/{}", w["path"].as_str().unwrap());
                let hit = findings.iter().find(|f| {
                    f["code"] == w["code"]
                        && f["path"] == path.as_str()
                        && f["range"]["start"]["line"] == w["line"]
                        && f["range"]["start"]["column"] == w["column"]
                });
                let Some(hit) = hit else {
                    failures.push(format!(
                        "{name}: no `{}` at {}:{}:{}",
                        w["code"], w["path"], w["line"], w["column"]
                    ));
                    continue;
                };
                let titles: Vec<&str> = hit["fixes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["title"].as_str().unwrap())
                    .collect();
                for part in w["fix_titles_contain"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                {
                    let part = part.as_str().unwrap();
                    if !titles.iter().any(|t| t.contains(part)) {
                        failures.push(format!("{name}: no fix title with `{part}` in {titles:?}"));
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 54, "only {checked} variants found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `latch why` on a folder without `latch.toml`: the account comes from the provider's
/// `assume_role`, and the data-perimeter Deny makes the answer depend on the caller's
/// organization, which the request states or the workspace does not know.
#[test]
fn why_without_a_manifest_says_what_the_decision_depends_on() {
    let args = [
        "why",
        "--principal",
        "arn:aws:iam::444455556666:role/Reader",
        "--action",
        "s3:GetObject",
        "--resource",
        "arn:aws:s3:::example-org-data/a.csv",
        "tests/fixtures/why-open",
    ];
    let out = latch().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
    let json = latch()
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["decision"], "depends");
    assert_eq!(
        v["conditions"],
        serde_json::json!(["`aws:PrincipalOrgID` is `o-a1b2c3d4e5`"])
    );
    let stated = latch()
        .args(args)
        .args([
            "--context",
            "aws:PrincipalOrgID=o-a1b2c3d4e5",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&stated.stdout).unwrap();
    assert_eq!(v["decision"], "allow");
    let other = latch()
        .args(args)
        .args([
            "--context",
            "aws:PrincipalOrgID=o-zzzzzzzzzz",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&other.stdout).unwrap();
    assert_eq!(v["decision"], "explicit_deny");
}

/// Every finding of a report as `(path, code, line, column)`.
fn located(report: &Value) -> Vec<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
                f["range"]["start"]["line"].as_u64().unwrap(),
                f["range"]["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn wrapped_policies_are_read_with_exact_positions_and_counted() {
    let dir = "server/latch/tests/fixtures/wrapped";
    let (report, code) = json_findings(&[dir]);
    assert_eq!(code, 1);
    let at = |file: &str, code: &str, line: u64, column: u64| {
        (format!("{dir}/{file}"), code.to_string(), line, column)
    };
    assert_eq!(
        located(&report),
        vec![
            at(
                "bucket-policy-not-json.json",
                "syntax/wrapped-policy",
                2,
                15
            ),
            // After a CJK Sid inside the escaped string: columns count characters.
            at("get-bucket-policy.json", "policy/invalid-effect", 2, 88),
            // The `\u00e9` escape is one character of the Sid, six bytes of the file.
            at("get-key-policy.json", "policy/invalid-sid", 2, 120),
            at("get-key-policy.json", "policy/invalid-effect", 2, 153),
            // URL-encoded: `%E5%A0%B1%E5%91%8A` is the Sid `報告`.
            at(
                "get-policy-version-encoded.json",
                "policy/invalid-sid",
                3,
                96
            ),
            at(
                "get-policy-version-encoded.json",
                "policy/invalid-effect",
                3,
                138
            ),
            at("get-policy-version.json", "policy/invalid-effect", 7, 31),
            at("get-role-policy.json", "policy/invalid-effect", 8, 27),
            // A trust policy, as `get-role` says: a statement needs a principal.
            at("get-role.json", "policy/missing-principal", 10, 17),
            at("policy-document.json", "policy/invalid-effect", 6, 27),
        ]
    );
    let text = |f: &str| std::fs::read_to_string(repo().join(dir).join(f)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let bucket = findings
        .iter()
        .find(|f| f["path"] == format!("{dir}/get-bucket-policy.json"))
        .unwrap();
    let [start, end] = [0, 1].map(|i| bucket["byte_range"][i].as_u64().unwrap() as usize);
    assert_eq!(&text("get-bucket-policy.json")[start..end], r#"\"allow\""#);
    let sid = findings
        .iter()
        .find(|f| f["path"] == format!("{dir}/get-key-policy.json"))
        .unwrap();
    let [start, end] = [0, 1].map(|i| sid["byte_range"][i].as_u64().unwrap() as usize);
    assert_eq!(&text("get-key-policy.json")[start..end], r#"\"caf\u00e9\""#);
    // Inside a URL-encoded string no fix is offered; inside an escaped one it is escaped.
    let fixes_of = |file: &str, code: &str| -> Vec<String> {
        findings
            .iter()
            .find(|f| f["path"] == format!("{dir}/{file}") && f["code"] == code)
            .unwrap()["fixes"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| x["edits"].as_array().unwrap().clone())
            .map(|e| e["new_text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        fixes_of("get-policy-version-encoded.json", "policy/invalid-effect"),
        Vec::<String>::new()
    );
    assert_eq!(
        fixes_of("get-bucket-policy.json", "policy/invalid-effect"),
        vec![r#"\"Allow\""#.to_string()]
    );
    // 8 policy files and the folder's `latch.toml`.
    assert_eq!(report["summary"]["files"], 9);
    assert_eq!(report["summary"]["policies"], 7);
    assert_eq!(report["summary"]["skipped"], 1);
    assert_eq!(report["summary"]["errors"], 9);
    assert_eq!(report["summary"]["warnings"], 1);

    let out = latch().args(["check", dir]).output().unwrap();
    let human = String::from_utf8(out.stdout).unwrap();
    assert!(
        human.ends_with("checked 7 policies in 9 files; 1 file skipped (not policies)\n"),
        "{human}"
    );
}

#[test]
fn fixes_inside_an_escaped_policy_string_keep_the_file_valid() {
    let dir = std::env::temp_dir().join(format!("latch-cli-wrapped-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = repo().join("server/latch/tests/fixtures/wrapped");
    for f in ["get-bucket-policy.json", "get-key-policy.json"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(["check", "--fix", "--format", "json"])
        .arg(&dir)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"policy/invalid-effect"), "{codes:?}");
    for f in ["get-bucket-policy.json", "get-key-policy.json"] {
        let fixed = std::fs::read_to_string(dir.join(f)).unwrap();
        let host: Value = serde_json::from_str(&fixed).unwrap();
        let inner: Value = serde_json::from_str(host["Policy"].as_str().unwrap()).unwrap();
        assert_eq!(inner["Statement"][0]["Effect"], "Allow", "{f}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A registry module that `terraform init` downloaded: the call is followed in the copy
/// `.terraform/modules/modules.json` names; the finding in that downloaded file names the
/// call and offers no edit of it.
#[test]
fn registry_modules_are_followed_through_terraform_init() {
    let (report, code) = json_findings(&["tests/fixtures/terraform/registry-module"]);
    assert_eq!(code, 1);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report:#}");
    let f = &findings[0];
    assert_eq!(f["code"], "access/kms-key");
    assert_eq!(
        f["path"],
        "tests/fixtures/terraform/registry-module/.terraform/modules/exports/main.tf"
    );
    assert_eq!(f["range"]["start"]["line"], 46);
    assert!(f["fixes"].as_array().unwrap().is_empty());
    assert!(
        f["related"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["message"] == "made by the call `module.exports`"
                && r["path"] == "tests/fixtures/terraform/registry-module/main.tf"),
        "{f:#}"
    );
}

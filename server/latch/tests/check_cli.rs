//! The terminal side of `latch check` and `latch explain` (issue 16): usage errors for a
//! missing path or a folder with nothing to check, `--diff` and the `--fix` listing,
//! colour (`--color`, `NO_COLOR`), the summary line, and codes found by their last part.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn latch() -> Command {
    let mut c = Command::cargo_bin("latch").unwrap();
    c.current_dir(repo());
    c.env_remove("NO_COLOR");
    c
}

/// Exit code, stdout, stderr.
fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A fresh temporary folder holding a copy of the pasted policy (3 safe fixes; the
/// `Version` fix over its policy variables is not safe).
fn pasted_copy(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latch-check-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        repo().join("examples/pasted-policy/home-folder-policy.json"),
        dir.join("p.json"),
    )
    .unwrap();
    dir
}

#[test]
fn a_missing_path_is_a_usage_error() {
    let (code, out, err) = run(latch().args(["check", "does/not/exist"]));
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert_eq!(err, "error: `does/not/exist` does not exist\n");
}

#[test]
fn a_folder_without_policies_is_a_usage_error() {
    let dir = std::env::temp_dir().join(format!("latch-check-cli-empty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (code, out, err) = run(latch().arg("check").arg(&dir));
    assert_eq!(code, 2, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("holds no policy, Terraform file or `latch.toml`"),
        "{err}"
    );
    // JSON that is not a policy does not count either.
    std::fs::write(dir.join("package.json"), "{\"name\": \"x\"}").unwrap();
    let (code, _, _) = run(latch().arg("check").arg(&dir));
    assert_eq!(code, 2);
    // One policy is enough.
    std::fs::write(
        dir.join("p.json"),
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}",
    )
    .unwrap();
    let (code, out, _) = run(latch().arg("check").arg(&dir));
    assert_eq!(code, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_shows_the_safe_fixes_and_writes_nothing() {
    let dir = pasted_copy("diff");
    let before = std::fs::read_to_string(dir.join("p.json")).unwrap();
    let (code, out, err) = run(latch().args(["check", "--diff"]).arg(&dir));
    assert_eq!(code, 1, "a diff: exit 1");
    assert_eq!(std::fs::read_to_string(dir.join("p.json")).unwrap(), before);
    let shown = dir.join("p.json").to_string_lossy().replace('\\', "/");
    // An absolute path is printed as it is; a relative one as `a/PATH`, `b/PATH`.
    assert!(
        out.starts_with(&format!("--- {shown}\n+++ {shown}\n@@ ")),
        "{out}"
    );
    assert!(out.contains("\n-      \"Effect\": \"deny\",\n"), "{out}");
    assert!(out.contains("\n+      \"Effect\": \"Deny\",\n"), "{out}");
    assert!(
        out.contains("\n+      \"Sid\": \"ホームフォルダの読み書き📁\",\n"),
        "{out}"
    );
    assert!(!out.contains("error["), "no findings report: {out}");
    assert!(
        err.contains(&format!("would fix {shown}: change to `Deny`\n")),
        "{err}"
    );
    // The diff is the one `--fix` writes.
    let fixed_dir = pasted_copy("diff-fixed");
    run(latch().args(["check", "--fix"]).arg(&fixed_dir));
    let fixed = std::fs::read_to_string(fixed_dir.join("p.json")).unwrap();
    let removed: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .map(|l| &l[1..])
        .collect();
    for l in removed {
        assert!(
            fixed.lines().any(|f| f == l),
            "`{l}` is not in the fixed file"
        );
    }
    // Nothing left to fix: no diff, exit 0.
    let (code, out, _) = run(latch().args(["check", "--diff"]).arg(&fixed_dir));
    assert_eq!((code, out.as_str()), (0, ""));
    let (code, out, _) = run(latch().args(["check", "--diff", "examples/pasted-policy"]));
    assert_eq!(code, 1);
    assert!(
        out.starts_with(
            "--- a/examples/pasted-policy/home-folder-policy.json\n+++ b/examples/pasted-policy/home-folder-policy.json\n"
        ),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&fixed_dir);
}

#[test]
fn fix_lists_what_it_changed() {
    let dir = pasted_copy("fix");
    let (_, out, _) = run(latch().args(["check", "--fix"]).arg(&dir));
    let shown = dir.join("p.json").to_string_lossy().replace('\\', "/");
    for title in [
        "replace it with `\"`",
        "change to `Deny`",
        "insert the missing `,`",
    ] {
        assert!(
            out.contains(&format!("fixed {shown}: {title}\n")),
            "{title}: {out}"
        );
    }
    let listed = out.lines().filter(|l| l.starts_with("fixed ")).count();
    assert!(
        out.contains(&format!("applied {listed} fixes in 1 file\n")),
        "{out}"
    );
    // Machine formats keep standard output for the report: the list goes to stderr.
    let dir = pasted_copy("fix-json");
    let (_, out, err) = run(latch()
        .args(["check", "--fix", "--format", "json"])
        .arg(&dir));
    serde_json::from_str::<serde_json::Value>(&out).unwrap();
    assert!(
        err.contains("fixed ") && err.contains(": change to `Deny`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const RED_ERROR: &str = "\x1b[1;31merror\x1b[0m[\x1b[1mpolicy/invalid-effect\x1b[0m]: ";

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let args = ["check", "examples/pasted-policy"];
    // Not a terminal (a pipe): no colour by default.
    let (_, out, _) = run(latch().args(args));
    assert!(!out.contains('\x1b'), "{out}");
    assert!(out.contains("error[policy/invalid-effect]: "));
    let (_, out, _) = run(latch().args(args).arg("--color=always"));
    assert!(out.contains(RED_ERROR), "{out}");
    // Only the severity word and the code are coloured.
    assert_eq!(
        out.matches('\x1b').count(),
        4 * out.matches("]: ").count(),
        "{out}"
    );
    // `--color always` wins over `NO_COLOR`; `never` and `NO_COLOR` turn it off.
    let (_, out, _) = run(latch()
        .args(args)
        .arg("--color=always")
        .env("NO_COLOR", "1"));
    assert!(out.contains(RED_ERROR));
    let (_, out, _) = run(latch().args(args).arg("--color=never"));
    assert!(!out.contains('\x1b'));
    let (_, out, _) = run(latch().args(args).arg("--color=auto").env("NO_COLOR", "1"));
    assert!(!out.contains('\x1b'));
    // Machine formats are never coloured.
    let (_, out, _) = run(latch()
        .args(args)
        .args(["--color=always", "--format", "json"]));
    assert!(!out.contains('\x1b'));
}

#[test]
fn colour_rule() {
    use latch::check::ColorChoice;
    let one = Some(std::ffi::OsStr::new("1"));
    let empty = Some(std::ffi::OsStr::new(""));
    assert!(ColorChoice::Auto.enabled(true, None));
    assert!(
        ColorChoice::Auto.enabled(true, empty),
        "an empty NO_COLOR is unset"
    );
    assert!(!ColorChoice::Auto.enabled(true, one));
    assert!(!ColorChoice::Auto.enabled(false, None));
    assert!(ColorChoice::Always.enabled(false, one));
    assert!(!ColorChoice::Never.enabled(true, None));
}

#[test]
fn summary_counts_files_with_findings_of_files_read() {
    let (_, out, _) = run(latch().args(["check", "server/latch/tests/fixtures/wrapped"]));
    // 8 files with findings of 10 read (the `latch.toml` that makes the folder a workspace
    // included): the file that holds no policy (skipped) has one too.
    assert!(
        out.ends_with(
            "found 9 errors, 1 warning in 8 of 10 files (6 fixable with `latch check --fix`)\nchecked 7 policies in 9 files; 1 file skipped (not policies)\n"
        ),
        "{out}"
    );
    let (_, out, _) = run(latch().args(["check", "examples/pasted-policy"]));
    assert!(
        out.contains("found 6 errors in 1 of 2 files (3 fixable"),
        "{out}"
    );
}

#[test]
fn related_places_are_path_line_column_tokens() {
    let (_, out, _) = run(latch().args(["check", "tests/fixtures/why"]));
    let mut places = 0;
    for note in out
        .lines()
        .filter(|l| l.trim_start().starts_with("= note: "))
    {
        let rest = note.trim_start().trim_start_matches("= note: ");
        let place = rest.split(": ").next().unwrap();
        // A note in words (another Deny, a near miss) is not a place.
        if place.contains(' ') || place.matches(':').count() < 2 {
            continue;
        }
        places += 1;
        let mut parts = place.rsplitn(3, ':');
        let col = parts.next().unwrap();
        let line = parts.next().unwrap();
        let path = parts.next().unwrap();
        assert!(
            col.parse::<u32>().is_ok() && line.parse::<u32>().is_ok(),
            "{note}"
        );
        assert!(repo().join(path).is_file(), "{note}");
    }
    assert!(places > 0, "{out}");
}

#[test]
fn explain_finds_a_code_by_its_last_part() {
    let (code, out, _) = run(latch().args(["explain", "kms-key"]));
    assert_eq!(code, 0);
    assert!(out.starts_with("## `access/kms-key`"), "{out}");
    let (code, out, err) = run(latch().args(["explain", "requester-pays"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("`access/requester-pays`") && err.contains("`cloudfront/requester-pays`"),
        "{err}"
    );
    let (code, _, _) = run(latch().args(["explain", "no-such-check"]));
    assert_eq!(code, 2);
}

/// A finding is a short headline; the reason, notes and the engine's trace are fields of
/// their own in JSON and SARIF, and `--format concise` prints one line per finding
/// (issue 16).
#[test]
fn json_and_sarif_keep_the_trace_out_of_the_message() {
    let (_, out, _) = run(latch().args([
        "check",
        "examples/explicit-deny-mfa-scp",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let mfa = findings.iter().find(|f| f["code"] == "access/mfa").unwrap();
    let message = mfa["message"].as_str().unwrap();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.chars().count() <= 120, "{message}");
    assert!(
        mfa["why"]
            .as_str()
            .unwrap()
            .contains("`aws:MultiFactorAuthPresent` is absent from the request"),
        "{mfa}"
    );
    assert!(
        mfa["trace"]
            .as_str()
            .unwrap()
            .starts_with("decision: explicit deny\n"),
        "{mfa}"
    );
    assert!(mfa["notes"].is_array() && mfa["help"].is_string(), "{mfa}");
    let (_, out, _) = run(latch().args([
        "check",
        "examples/explicit-deny-mfa-scp",
        "--format",
        "sarif",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let mfa = results
        .iter()
        .find(|r| r["ruleId"] == "access/mfa")
        .unwrap();
    let text = mfa["message"]["text"].as_str().unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("why: "), "{text}");
    assert!(
        mfa["properties"]["trace"]
            .as_str()
            .unwrap()
            .starts_with("decision: explicit deny"),
        "{mfa}"
    );
}

#[test]
fn concise_is_one_line_per_finding_and_verbose_adds_the_trace() {
    let (code, out, _) = run(latch().args([
        "check",
        "examples/explicit-deny-mfa-scp",
        "--format",
        "concise",
        "--color",
        "never",
    ]));
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "examples/explicit-deny-mfa-scp/iam/force-mfa.json:4:5: error[access/mfa] Deny `DenyAllExceptListedIfNoMFA` blocks user/tester: "
        )),
        "{out}"
    );
    let (_, human, _) = run(latch().args([
        "check",
        "examples/explicit-deny-mfa-scp",
        "--color",
        "never",
    ]));
    assert!(!human.contains("decision:"), "{human}");
    assert!(human.contains("(`-v` lists them)"), "{human}");
    let (_, verbose, _) = run(latch().args([
        "check",
        "examples/explicit-deny-mfa-scp",
        "--color",
        "never",
        "-v",
    ]));
    assert!(verbose.contains("= trace:"), "{verbose}");
    assert!(verbose.contains("decision: explicit deny"), "{verbose}");
    assert!(!verbose.contains("`-v` lists"), "{verbose}");
}

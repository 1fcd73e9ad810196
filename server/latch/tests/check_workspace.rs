//! Files and subfolders given to `latch check` are analysed within their workspace (issue
//! 16, item 5): the root is found upward (`latch.toml`, else the version-control root,
//! else the folder), the whole workspace is read, and the findings, the counts, `--fix`
//! and `--diff` are limited to what was given.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `latch check --format json ARGS` run in `cwd`: the exit code and the report.
fn check_json(cwd: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(cwd)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// Each finding as `code path:line:column message`, with related places and fix titles,
/// paths made relative to the workspace by removing `prefix`; sorted.
fn lines(report: &Value, prefix: &str) -> Vec<String> {
    let strip = |p: &Value| {
        let p = p.as_str().unwrap();
        p.strip_prefix(prefix).unwrap_or(p).to_string()
    };
    let mut out: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let related: Vec<String> = f["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| format!("{}:{}", strip(&r["path"]), r["range"]["start"]["line"]))
                .collect();
            let fixes: Vec<&str> = f["fixes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["title"].as_str().unwrap())
                .collect();
            format!(
                "{} {}:{}:{} {} related {related:?} fixes {fixes:?}",
                f["code"].as_str().unwrap(),
                strip(&f["path"]),
                f["range"]["start"]["line"],
                f["range"]["start"]["column"],
                f["message"].as_str().unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The lines of the folder run whose place starts with `start` (workspace-relative).
fn starting(all: &[String], start: &str) -> Vec<String> {
    all.iter()
        .filter(|l| l.split(' ').nth(1).unwrap().starts_with(start))
        .cloned()
        .collect()
}

/// The lines of the folder run that are about `file` (workspace-relative).
fn of_file(all: &[String], file: &str) -> Vec<String> {
    starting(all, &format!("{file}:"))
}

const EXAMPLE: &str = "examples/cross-account-kms";

/// The folder run of the example, workspace-relative.
fn folder_run() -> Vec<String> {
    let (_, report) = check_json(&repo(), &[EXAMPLE]);
    lines(&report, &format!("{EXAMPLE}/"))
}

#[test]
fn a_file_gets_the_findings_the_folder_run_gives_it() {
    let all = folder_run();
    let wanted = of_file(&all, "s3/bucket-policy.json");
    // The example's bucket policy has cross-document findings: they need the other files.
    assert!(
        wanted.iter().any(|l| l.starts_with("access/")),
        "no cross-document finding on the bucket policy: {all:#?}"
    );
    let (code, report) = check_json(&repo().join(EXAMPLE), &["s3/bucket-policy.json"]);
    assert_eq!(code, 1);
    assert_eq!(lines(&report, ""), wanted);
    // The counts are those of the file given, not of the workspace read.
    assert_eq!(report["summary"]["files"], 1, "{}", report["summary"]);
    // The same from the repository's root, and with an absolute path.
    let (_, report) = check_json(&repo(), &[&format!("{EXAMPLE}/s3/bucket-policy.json")]);
    assert_eq!(lines(&report, &format!("{EXAMPLE}/")), wanted);
    let abs = std::fs::canonicalize(repo().join(EXAMPLE)).unwrap();
    let file = abs.join("s3/bucket-policy.json");
    let (_, report) = check_json(Path::new("/"), &[file.to_str().unwrap()]);
    let prefix = format!("{}/", abs.display());
    assert_eq!(lines(&report, &prefix), wanted);
}

#[test]
fn a_subfolder_or_a_run_inside_it_gets_the_same_findings() {
    let all = folder_run();
    let wanted = starting(&all, "s3/");
    assert!(!wanted.is_empty());
    let (_, report) = check_json(&repo().join(EXAMPLE), &["s3"]);
    assert_eq!(lines(&report, ""), wanted);
    // `latch check` with no argument, inside the subfolder: the root is one folder up, and
    // places are printed from the current folder.
    let (_, report) = check_json(&repo().join(EXAMPLE).join("s3"), &[]);
    assert_eq!(lines(&report, "../"), wanted);
    assert!(
        report["findings"][0]["path"]
            .as_str()
            .unwrap()
            .starts_with("../s3/"),
        "{}",
        report["findings"][0]["path"]
    );
}

#[test]
fn arguments_from_several_workspaces_are_each_read_in_their_own() {
    let other = "examples/explicit-deny-mfa-scp";
    let (_, report) = check_json(&repo(), &[other]);
    let mfa = of_file(&lines(&report, &format!("{other}/")), "iam/force-mfa.json");
    assert!(!mfa.is_empty());
    let kms = of_file(&folder_run(), "s3/bucket-policy.json");
    let (_, report) = check_json(
        &repo(),
        &[
            &format!("{EXAMPLE}/s3/bucket-policy.json"),
            &format!("{other}/iam/force-mfa.json"),
        ],
    );
    let both = lines(&report, "examples/");
    let mut wanted: Vec<String> = kms
        .iter()
        .map(|l| l.replacen(' ', " cross-account-kms/", 1))
        .chain(
            mfa.iter()
                .map(|l| l.replacen(' ', " explicit-deny-mfa-scp/", 1)),
        )
        .collect();
    wanted.sort();
    // Related places keep their own prefix; compare the findings' own places and messages.
    let head = |v: &[String]| -> Vec<String> {
        v.iter()
            .map(|l| l.split(" related ").next().unwrap().to_string())
            .collect()
    };
    assert_eq!(head(&both), head(&wanted));
}

/// A fresh temporary folder.
fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latch-ws-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const BROKEN: &str = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"deny\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}\n";

#[test]
fn a_file_outside_any_workspace_is_read_with_its_folder() {
    let dir = temp("outside");
    std::fs::write(dir.join("a.json"), BROKEN).unwrap();
    std::fs::write(dir.join("b.json"), BROKEN).unwrap();
    let (code, report) = check_json(&dir, &["a.json"]);
    assert_eq!(code, 1);
    let paths: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.json"], "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Copies the files of `from` into `to`, folders included, leaving out `latch.toml`.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else if e.file_name() != "latch.toml" {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn the_version_control_root_is_the_workspace_without_a_manifest() {
    // A Terraform module whose `main.tf` findings need `iam.tf`, in a repository.
    let dir = temp("git");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    copy_tree(
        &repo().join("tests/fixtures/terraform/datalake"),
        &dir.join("infra"),
    );
    let (_, whole) = check_json(&dir, &[]);
    let all = lines(&whole, "");
    let wanted = of_file(&all, "infra/main.tf");
    assert!(
        wanted.iter().any(|l| l.contains("infra/iam.tf")),
        "no finding of main.tf rests on iam.tf: {all:#?}"
    );
    let (_, report) = check_json(&dir.join("infra"), &["main.tf"]);
    assert_eq!(lines(&report, "../"), wanted);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fix_and_diff_touch_only_the_files_given() {
    let dir = temp("fix");
    std::fs::write(dir.join("latch.toml"), "").unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.json"), BROKEN).unwrap();
    std::fs::write(dir.join("sub/b.json"), BROKEN).unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(dir.join("sub"))
        .args(["check", "--diff", "b.json"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(diff.contains("+++ b/../sub/b.json"), "{diff}");
    assert!(!diff.contains("a.json"), "{diff}");
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "--fix", "sub"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("fixed sub/b.json"), "{text}");
    assert_eq!(std::fs::read_to_string(dir.join("a.json")).unwrap(), BROKEN);
    assert!(
        std::fs::read_to_string(dir.join("sub/b.json"))
            .unwrap()
            .contains("\"Deny\"")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_subfolder_is_still_a_usage_error() {
    let dir = temp("empty-sub");
    std::fs::write(dir.join("latch.toml"), "").unwrap();
    std::fs::write(dir.join("a.json"), BROKEN).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(&dir)
        .args(["check", "docs"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`docs` holds no policy"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

//! `latch conformance` through the built binary.

use assert_cmd::Command;

fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_repository_cases_all_pass() {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .arg("conformance")
        .arg(root().join("tests/conformance"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let last = stdout.lines().last().unwrap_or_default().to_string();
    assert!(out.status.success(), "{stdout}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 115, "{last}");
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
}

#[test]
fn a_failing_case_is_reported_with_exit_1() {
    let dir = std::env::temp_dir().join(format!("latch-conf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.json");
    std::fs::write(
        &file,
        r#"[{"name":"wrong-001","request":{"principal":"anonymous","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"},"expect":"allow"}]"#,
    )
    .unwrap();
    let out = Command::cargo_bin("latch")
        .unwrap()
        .arg("conformance")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout.contains("FAIL wrong-001: expected allow, got implicit_deny"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(["conformance", "/no/such/path"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::cargo_bin("latch")
        .unwrap()
        .arg("conformance")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

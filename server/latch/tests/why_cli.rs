//! `latch why` through the built binary, on `tests/fixtures/why`.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use assert_cmd::Command;

fn fixture() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/why")
}

const JANE: &str = "arn:aws:iam::111122223333:user/Jane";
const OBJECT: &str = "arn:aws:s3:::example-reports/q3.csv";

fn why(extra: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args([
            "why",
            "--principal",
            JANE,
            "--action",
            "s3:GetObject",
            "--resource",
            OBJECT,
        ])
        .args(extra)
        .arg(fixture())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn denied_from_the_internet_names_the_deny_statement_and_its_line() {
    let (code, out) = why(&[]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("why_denied_from_internet", out);
    assert!(out.contains(
        "explicitly denied by statement `OnlyFromEndpoint` of the bucket policy (s3/bucket.json:12): `aws:SourceVpce` is absent from the request and `StringNotEquals` is true for a missing key"
    ));
}

#[test]
fn allowed_through_the_endpoint_with_the_kms_check() {
    let (code, out) = why(&["--context", "aws:SourceVpce=vpce-1a2b3c4d"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("why_allowed_through_endpoint", out);
}

#[test]
fn json_output_has_decision_trace_and_dependent() {
    let (code, out) = why(&["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["decision"], "explicit_deny");
    let trace = v["trace"].as_array().unwrap();
    let bucket = trace
        .iter()
        .find(|p| p["policy"] == "s3/bucket.json")
        .unwrap();
    let deny = &bucket["statements"][1];
    assert_eq!(deny["sid"], "OnlyFromEndpoint");
    assert_eq!(deny["deciding"], true);
    assert_eq!(deny["line"], 12);
    let dep = &v["dependent"][0];
    assert_eq!(dep["action"], "kms:Decrypt");
    assert_eq!(dep["decision"], "allow");
    assert_eq!(v["http"]["status"], 403);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _) = why(&["--context", "no-equals-sign"]);
    assert_eq!(code, 2);
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args([
            "why",
            "--principal",
            JANE,
            "--action",
            "s3:GetObject",
            "--resource",
            OBJECT,
        ])
        .arg("/no/such/folder")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

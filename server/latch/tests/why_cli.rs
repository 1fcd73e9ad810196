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
    assert_eq!(code, 1, "denied: exit 1");
    insta::assert_snapshot!("why_denied_from_internet", out);
    assert!(out.contains(
        "explicitly denied by statement `OnlyFromEndpoint` of the bucket policy (s3/bucket.json:12): `aws:SourceVpce` is absent from the request and `StringNotEquals` (`vpce-1a2b3c4d`) is true for a missing key"
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
    assert_eq!(code, 1);
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

/// `latch why ARGS fixture`: exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .arg("why")
        .args(args)
        .arg(fixture())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn request(principal: &str, action: &str, resource: &str) -> (i32, String, String) {
    run(&[
        "--principal",
        principal,
        "--action",
        action,
        "--resource",
        resource,
    ])
}

#[test]
fn exit_codes_follow_the_decision() {
    // Allowed through the endpoint: 0.
    let (code, _) = why(&["--context", "aws:SourceVpce=vpce-1a2b3c4d"]);
    assert_eq!(code, 0);
    // Explicitly denied (the endpoint Deny): 1.
    let (code, out) = why(&["--format", "json"]);
    assert_eq!(code, 1);
    assert!(out.contains("\"explicit_deny\""), "{out}");
    // Implicitly denied (no statement allows `s3:PutObject`): 1.
    let (code, out, _) = run(&[
        "--principal",
        JANE,
        "--action",
        "s3:DeleteBucket",
        "--resource",
        "arn:aws:s3:::example-reports",
        "--context",
        "aws:SourceVpce=vpce-1a2b3c4d",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["decision"], "implicit_deny");
}

#[test]
fn principals_that_are_not_callers_are_bad_input() {
    for bad in [
        "Jane",
        "111122223333",
        "arn:aws:iam::111122223333:group/Readers",
        "arn:aws:iam::1111:user/Jane",
        "arn:aws:iam::111122223333:user/*",
        "arn:aws:sts::111122223333:assumed-role/Deployer",
        "arn:aws:s3:::example-reports",
    ] {
        let (code, out, err) = request(bad, "s3:GetObject", OBJECT);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(out.is_empty(), "{bad}: nothing is evaluated: {out}");
        assert!(err.starts_with("error: `--principal "), "{bad}: {err}");
    }
    let (_, _, err) = request("111122223333", "s3:GetObject", OBJECT);
    assert!(err.contains("`arn:aws:iam::111122223333:root`"), "{err}");
    for good in [
        "anonymous",
        "s3.amazonaws.com",
        "arn:aws:iam::111122223333:root",
        "arn:aws:iam::111122223333:role/Reader",
        "arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-4821",
        "arn:aws-cn:iam::111122223333:user/Jane",
    ] {
        let (code, _, err) = request(good, "s3:GetObject", OBJECT);
        assert_ne!(code, 2, "{good}: {err}");
    }
}

#[test]
fn resources_must_be_arns_or_a_star() {
    let (code, out, err) = request(JANE, "s3:GetObject", "example-reports");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("`--resource example-reports` is not an ARN")
            && err.contains("did you mean `arn:aws:s3:::example-reports`"),
        "{err}"
    );
    let (code, _, err) = request(JANE, "s3:GetObject", "arn:aws:s3");
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = request(JANE, "s3:ListAllMyBuckets", "*");
    assert_ne!(code, 2, "{err}");
}

#[test]
fn every_bad_flag_is_reported_at_once() {
    let (code, out, err) = request("Jane", "s3:GetObjct", "example-reports");
    assert_eq!(code, 2);
    assert!(out.is_empty());
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    assert!(lines[0].starts_with("error: `--principal Jane` is not an ARN"));
    assert!(lines[1].starts_with("error: unknown action `s3:GetObjct`"));
    assert!(lines[2].starts_with("error: `--resource example-reports` is not an ARN"));
}

#[test]
fn unknown_actions_get_the_catalogue_suggestion() {
    let (code, out, err) = request(JANE, "s3:GetObjct", OBJECT);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("unknown action `s3:GetObjct`") && err.contains("did you mean `s3:GetObject`"),
        "{err}"
    );
    let (code, _, err) = request(JANE, "s4:GetObject", OBJECT);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `s3:GetObject`"), "{err}");
    let (code, _, err) = request(JANE, "GetObject", OBJECT);
    assert_eq!(code, 2);
    assert!(err.contains("write `service:Name`"), "{err}");
    let (code, _, err) = request(JANE, "s3:Get*", OBJECT);
    assert_eq!(code, 2);
    assert!(err.contains("is a pattern"), "{err}");
}

#[test]
fn a_caller_the_workspace_does_not_describe_is_said_to_be_unknown() {
    let stranger = "arn:aws:iam::999988887777:role/Stranger";
    let (code, out, err) = request(stranger, "s3:GetObject", OBJECT);
    assert_ne!(code, 2, "a note, not an error: {err}");
    assert!(!out.is_empty());
    assert!(
        err.contains(&format!("the workspace does not describe `{stranger}`")),
        "{err}"
    );
    // Jane is in `latch.toml`: no note.
    let (_, _, err) = request(JANE, "s3:GetObject", OBJECT);
    assert!(!err.contains("does not describe"), "{err}");
    // Neither for anonymous callers nor services, which have no policies of their own.
    let (_, _, err) = request("anonymous", "s3:GetObject", OBJECT);
    assert!(!err.contains("does not describe"), "{err}");
}

#[test]
fn help_documents_the_exit_status() {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .args(["why", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Exit status: 0 when the request is allowed"),
        "{help}"
    );
    assert!(help.contains("1 when it is denied"), "{help}");
    assert!(help.contains("2 on bad input"), "{help}");
}

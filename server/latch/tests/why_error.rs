//! `latch why --error`: access denied errors as AWS prints them (IAM user guide, "Access
//! denied error message examples"; the CLI and SDK wrappers; S3's bare `Access Denied`;
//! CloudTrail records; `aws sts decode-authorization-message`), each run through the
//! built binary against `tests/fixtures/denied`, asserting the request read, whether the
//! workspace agrees with AWS, and the deciding file and line.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

const JANE: &str = "arn:aws:iam::111122223333:user/Jane";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-4821";
const DEPLOYER: &str = "arn:aws:iam::111122223333:role/Deployer";
const KEY: &str = "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-0000-1111-2222-333344445555";

/// `latch why --format json ARGS fixtures/denied`, with `stdin`; exit code, stdout, stderr.
fn why(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .arg("why")
        .args(args)
        .arg(fixtures().join("denied"))
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn error_file(name: &str) -> String {
    format!("@{}", fixtures().join("denied-errors").join(name).display())
}

struct Case {
    name: &'static str,
    /// `--error` and any other flags.
    args: Vec<String>,
    stdin: &'static str,
    principal: &'static str,
    action: &'static str,
    resource: &'static str,
    aws_decision: Option<&'static str>,
    aws_policy_type: Option<&'static str>,
    decision: &'static str,
    agrees: bool,
    /// `(path, line)` of every deciding statement or policy, in order.
    deciding: &'static [(&'static str, u64)],
}

fn jane(rest: &str) -> String {
    format!("User: {JANE} is not authorized to perform: {rest}")
}

fn session(rest: &str) -> String {
    format!("User: {SESSION} is not authorized to perform: {rest}")
}

fn msg(text: String) -> Vec<String> {
    vec!["--error".into(), text]
}

#[allow(clippy::too_many_lines, reason = "a table of cases")]
fn cases() -> Vec<Case> {
    let reports = "arn:aws:s3:::example-reports";
    vec![
        Case {
            name: "identity-based policy, implicit",
            args: msg(jane(
                "s3:GetObject on resource: \"arn:aws:s3:::other-bucket/a.txt\" because no identity-based policy allows the s3:GetObject action",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::other-bucket/a.txt",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("iam/jane.json", 1)],
        },
        Case {
            name: "identity-based policy, explicit, in the CLI wrapper",
            args: msg(format!(
                "An error occurred (AccessDenied) when calling the DeleteObject operation: {}",
                jane("s3:DeleteObject on resource: \"arn:aws:s3:::example-reports/q3.csv\" with an explicit deny in an identity-based policy")
            )),
            stdin: "",
            principal: JANE,
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/jane.json", 17)],
        },
        Case {
            name: "identity-based policy, explicit, with the policy ARN of the enhanced message",
            args: msg(session(
                "iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob with an explicit deny in an identity-based policy: arn:aws:iam::111122223333:policy/deployer",
            )),
            stdin: "",
            principal: SESSION,
            action: "iam:CreateUser",
            resource: "arn:aws:iam::111122223333:user/bob",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/deployer.json", 11)],
        },
        Case {
            name: "resource-based policy, implicit (cross-account, the bucket policy grants nothing)",
            args: msg(jane(
                "s3:PutObject on resource: \"arn:aws:s3:::example-reports/new.csv\" because no resource-based policy allows the s3:PutObject action",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:PutObject",
            resource: "arn:aws:s3:::example-reports/new.csv",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 1)],
        },
        Case {
            name: "resource-based policy, explicit",
            args: msg(jane(
                "s3:GetObject on resource: \"arn:aws:s3:::example-reports/restricted/salaries.csv\" with an explicit deny in a resource-based policy",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/restricted/salaries.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 19)],
        },
        Case {
            name: "session policy, implicit",
            args: msg(session(
                "ec2:RunInstances on resource: arn:aws:ec2:us-east-1:111122223333:instance/* because no session policy allows the ec2:RunInstances action",
            )),
            stdin: "",
            principal: SESSION,
            action: "ec2:RunInstances",
            resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("session"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("iam/session.json", 1)],
        },
        Case {
            name: "session policy, explicit (AWS's own spelling `sessions policy`)",
            args: msg(session(
                "sns:DeleteTopic on resource: arn:aws:sns:us-east-1:111122223333:alerts with an explicit deny in a sessions policy",
            )),
            stdin: "",
            principal: SESSION,
            action: "sns:DeleteTopic",
            resource: "arn:aws:sns:us-east-1:111122223333:alerts",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("session"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/session.json", 11)],
        },
        Case {
            name: "service control policy, explicit, no resource in the message",
            args: msg(session(
                "organizations:LeaveOrganization with an explicit deny in a service control policy",
            )),
            stdin: "",
            principal: SESSION,
            action: "organizations:LeaveOrganization",
            resource: "*",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("scp"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("org/guardrails.json", 11)],
        },
        Case {
            name: "service control policy: AWS says explicit for a level that only fails to allow",
            args: msg(session(
                "redshift:CreateCluster on resource: arn:aws:redshift:us-east-1:111122223333:cluster:analytics with an explicit deny in a service control policy",
            )),
            stdin: "",
            principal: SESSION,
            action: "redshift:CreateCluster",
            resource: "arn:aws:redshift:us-east-1:111122223333:cluster:analytics",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("scp"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("org/guardrails.json", 1)],
        },
        Case {
            name: "service control policy, implicit",
            args: msg(session(
                "redshift:CreateCluster on resource: arn:aws:redshift:us-east-1:111122223333:cluster:analytics because no service control policy allows the redshift:CreateCluster action",
            )),
            stdin: "",
            principal: SESSION,
            action: "redshift:CreateCluster",
            resource: "arn:aws:redshift:us-east-1:111122223333:cluster:analytics",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("scp"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("org/guardrails.json", 1)],
        },
        Case {
            name: "resource control policy, explicit",
            args: msg(jane(
                "s3:DeleteBucket on resource: \"arn:aws:s3:::example-reports\" with an explicit deny in a resource control policy",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:DeleteBucket",
            resource: reports,
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("rcp"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("org/rcp-data.json", 12)],
        },
        Case {
            name: "resource control policy, implicit",
            args: msg(jane(
                "s3:PutObjectRetention on resource: \"arn:aws:s3:::example-reports/q3.csv\" because no resource control policy allows the s3:PutObjectRetention action",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:PutObjectRetention",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("rcp"),
            // `RCPFullAWSAccess` is attached to every level and cannot be detached, so the
            // workspace's RCP levels always allow: the message and the code disagree.
            decision: "allow",
            agrees: false,
            deciding: &[],
        },
        Case {
            name: "VPC endpoint policy, implicit (the endpoint from `--context`)",
            args: vec![
                "--context".into(),
                "aws:SourceVpce=vpce-1a2b3c4d".into(),
                "--error".into(),
                jane("s3:GetObjectTagging on resource: \"arn:aws:s3:::example-reports/q3.csv\" because no VPC endpoint policy allows the s3:GetObjectTagging action"),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:GetObjectTagging",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("vpc_endpoint"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("vpce/s3.json", 1)],
        },
        Case {
            name: "VPC endpoint policy, explicit",
            args: vec![
                "--context".into(),
                "aws:SourceVpce=vpce-1a2b3c4d".into(),
                "--error".into(),
                jane("s3:PutObjectTagging on resource: \"arn:aws:s3:::example-reports/q3.csv\" with an explicit deny in a VPC endpoint policy"),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:PutObjectTagging",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("vpc_endpoint"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("vpce/s3.json", 12)],
        },
        Case {
            name: "permissions boundary, implicit, an action without resource types",
            args: msg(format!(
                "An error occurred (AccessDeniedException) when calling the ListTables operation:\n{}",
                session("dynamodb:ListTables because no permissions boundary allows the dynamodb:ListTables action")
            )),
            stdin: "",
            principal: SESSION,
            action: "dynamodb:ListTables",
            resource: "*",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("boundary"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("iam/boundary.json", 1)],
        },
        Case {
            name: "permissions boundary, explicit",
            args: msg(session(
                "s3:PutBucketPolicy on resource: \"arn:aws:s3:::app-artifacts\" with an explicit deny in a permissions boundary",
            )),
            stdin: "",
            principal: SESSION,
            action: "s3:PutBucketPolicy",
            resource: "arn:aws:s3:::app-artifacts",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("boundary"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/boundary.json", 11)],
        },
        Case {
            name: "KMS AccessDeniedException",
            args: msg(format!(
                "An error occurred (AccessDeniedException) when calling the Decrypt operation: {}",
                jane(&format!("kms:Decrypt on resource: {KEY} because no resource-based policy allows the kms:Decrypt action"))
            )),
            stdin: "",
            principal: JANE,
            action: "kms:Decrypt",
            resource: KEY,
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("kms/key.json", 1)],
        },
        Case {
            name: "the older form without a reason",
            args: msg(jane("s3:DeleteObject on resource: arn:aws:s3:::example-reports/q3.csv")),
            stdin: "",
            principal: JANE,
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/jane.json", 17)],
        },
        Case {
            name: "Go SDK wrapper",
            args: msg(format!(
                "operation error S3: PutObject, https response error StatusCode: 403, RequestID: 7H3QXAMPLE8KQ2ZP, HostID: EXAMPLEid2/EXAMPLE=, api error AccessDenied: {}",
                jane("s3:PutObject on resource: \"arn:aws:s3:::example-reports/new.csv\" because no resource-based policy allows the s3:PutObject action")
            )),
            stdin: "",
            principal: JANE,
            action: "s3:PutObject",
            resource: "arn:aws:s3:::example-reports/new.csv",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 1)],
        },
        Case {
            name: "noise around the message, Terraform's box and line breaks, from standard input",
            args: vec!["--error".into(), "-".into()],
            stdin: "$ terraform apply\naws_s3_object.report: Creating...\n╷\n│ Error: deleting S3 Object (example-reports/q3.csv): operation error S3: DeleteObject, https response error StatusCode: 403,\n│ RequestID: 7H3QXAMPLE8KQ2ZP, api error AccessDenied: User: arn:aws:iam::111122223333:user/Jane\n│ is not authorized to perform: s3:DeleteObject on resource:\n│ \"arn:aws:s3:::example-reports/q3.csv\" with an explicit deny in an identity-based policy\n│\n│   with aws_s3_object.report,\n│   on main.tf line 12, in resource \"aws_s3_object\" \"report\":\n│   12: resource \"aws_s3_object\" \"report\" {\n╵\n",
            principal: JANE,
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/jane.json", 17)],
        },
        Case {
            name: "S3's XML error body",
            args: msg(format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>{}</Message><RequestId>DJX492JDVT32GKK7</RequestId></Error>",
                jane("s3:GetObject on resource: &quot;arn:aws:s3:::example-reports/restricted/a.csv&quot; with an explicit deny in a resource-based policy")
            )),
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/restricted/a.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 19)],
        },
        Case {
            name: "bare S3 Access Denied: the action from the operation, the rest from flags",
            args: vec![
                "--principal".into(),
                JANE.into(),
                "--resource".into(),
                "arn:aws:s3:::example-reports/restricted/x.csv".into(),
                "--error".into(),
                "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied".into(),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/restricted/x.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 19)],
        },
        Case {
            name: "bare S3 403 on HeadObject: the action is s3:GetObject",
            args: vec![
                "--principal".into(),
                JANE.into(),
                "--resource".into(),
                "arn:aws:s3:::example-reports/restricted/x.csv".into(),
                "--error".into(),
                "An error occurred (403) when calling the HeadObject operation: Forbidden".into(),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/restricted/x.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 19)],
        },
        Case {
            name: "CloudTrail record, one event",
            args: vec!["--error".into(), error_file("cloudtrail-restricted.json")],
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/restricted/salaries.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("s3/bucket.json", 19)],
        },
        Case {
            name: "CloudTrail Records file, --event 3 (through the VPC endpoint)",
            args: vec![
                "--event".into(),
                "3".into(),
                "--error".into(),
                error_file("cloudtrail-records.json"),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:PutObjectTagging",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("vpce/s3.json", 12)],
        },
        Case {
            name: "CloudTrail Records file, --event 2",
            args: vec![
                "--event".into(),
                "2".into(),
                "--error".into(),
                error_file("cloudtrail-records.json"),
            ],
            stdin: "",
            principal: JANE,
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: None,
            aws_policy_type: None,
            decision: "explicit_deny",
            agrees: true,
            deciding: &[("iam/jane.json", 17)],
        },
        Case {
            name: "CloudTrail KMS record of an assumed-role session",
            args: vec!["--error".into(), error_file("cloudtrail-kms.json")],
            stdin: "",
            principal: SESSION,
            action: "kms:Decrypt",
            resource: KEY,
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("resource"),
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("kms/key.json", 1)],
        },
        Case {
            name: "CloudTrail KMS record naming the key by its ID only",
            args: vec!["--error".into(), error_file("cloudtrail-kms-key-id.json")],
            stdin: "",
            principal: SESSION,
            action: "kms:Decrypt",
            resource: KEY,
            aws_decision: None,
            aws_policy_type: None,
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("kms/key.json", 1)],
        },
        Case {
            name: "decoded authorization message",
            args: vec!["--error".into(), error_file("decoded.json")],
            stdin: "",
            principal: SESSION,
            action: "ec2:RunInstances",
            resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: None,
            decision: "implicit_deny",
            agrees: true,
            deciding: &[("iam/session.json", 1)],
        },
        // The workspace does not explain these.
        Case {
            name: "AWS denies what the workspace allows",
            args: msg(jane(
                "s3:GetObject on resource: \"arn:aws:s3:::example-reports/q3.csv\" with an explicit deny in an identity-based policy",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:GetObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "allow",
            agrees: false,
            deciding: &[],
        },
        Case {
            name: "AWS finds no Allow where the workspace has a Deny",
            args: msg(jane(
                "s3:DeleteObject on resource: \"arn:aws:s3:::example-reports/q3.csv\" because no identity-based policy allows the s3:DeleteObject action",
            )),
            stdin: "",
            principal: JANE,
            action: "s3:DeleteObject",
            resource: "arn:aws:s3:::example-reports/q3.csv",
            aws_decision: Some("implicit_deny"),
            aws_policy_type: Some("identity"),
            decision: "explicit_deny",
            agrees: false,
            deciding: &[("iam/jane.json", 17)],
        },
        Case {
            name: "AWS names a permissions boundary where the workspace's identity policy denies",
            args: msg(session(
                "iam:CreateUser on resource: arn:aws:iam::111122223333:user/bob with an explicit deny in a permissions boundary",
            )),
            stdin: "",
            principal: SESSION,
            action: "iam:CreateUser",
            resource: "arn:aws:iam::111122223333:user/bob",
            aws_decision: Some("explicit_deny"),
            aws_policy_type: Some("boundary"),
            decision: "explicit_deny",
            agrees: false,
            deciding: &[("iam/deployer.json", 11)],
        },
    ]
}

#[test]
fn real_format_messages_against_the_fixture_workspace() {
    let cases = cases();
    assert!(cases.len() >= 20);
    for c in &cases {
        let mut args: Vec<&str> = vec!["--format", "json"];
        args.extend(c.args.iter().map(String::as_str));
        let (code, out, err) = why(&args, c.stdin);
        // The exit status follows the workspace's decision: 0 allow, 1 deny.
        let want = if c.decision == "allow" { 0 } else { 1 };
        assert_eq!(code, want, "{}: {err}", c.name);
        let v: Value = serde_json::from_str(&out).unwrap();
        let r = &v["request"];
        assert_eq!(r["principal"], c.principal, "{}", c.name);
        assert_eq!(r["action"], c.action, "{}", c.name);
        assert_eq!(r["resource"], c.resource, "{}", c.name);
        assert_eq!(v["aws"]["decision"].as_str(), c.aws_decision, "{}", c.name);
        assert_eq!(
            v["aws"]["policy_type"].as_str(),
            c.aws_policy_type,
            "{}",
            c.name
        );
        assert_eq!(v["decision"], c.decision, "{}", c.name);
        assert_eq!(v["agrees"], c.agrees, "{}: {}", c.name, v["notes"]);
        let deciding: Vec<(String, u64)> = v["deciding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["path"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
            .collect();
        let expected: Vec<(String, u64)> = c
            .deciding
            .iter()
            .map(|(p, l)| (p.to_string(), *l))
            .collect();
        assert_eq!(deciding, expected, "{}", c.name);
        if !c.agrees {
            assert!(
                !v["notes"].as_array().unwrap().is_empty(),
                "{}: a disagreement comes with its likely reasons",
                c.name
            );
        }
    }
}

#[test]
fn an_assumed_role_session_maps_to_its_role() {
    let (code, out, _) = why(
        &[
            "--format",
            "json",
            "--error",
            &error_file("cloudtrail-kms.json"),
        ],
        "",
    );
    assert_eq!(code, 1, "the key policy denies");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["request"]["principal_in_workspace"], DEPLOYER);
    assert_eq!(
        v["request"]["context"]["aws:MultiFactorAuthPresent"][0],
        "false"
    );
    assert_eq!(v["request"]["context"]["aws:SourceIp"][0], "198.51.100.7");
    assert_eq!(v["aws"]["format"], "cloudtrail");
    assert_eq!(v["aws"]["operation"], "Decrypt");
    let deny = &v["deciding"][0];
    assert_eq!(deny["column"], 1);
    assert_eq!(deny["policy"], "key policy");
    assert_eq!(deny["statement"], Value::Null);
}

#[test]
fn cloudtrail_context_comes_from_the_record() {
    let (_, out, _) = why(
        &[
            "--format",
            "json",
            "--event",
            "3",
            "--error",
            &error_file("cloudtrail-records.json"),
        ],
        "",
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    let ctx = &v["request"]["context"];
    assert_eq!(ctx["aws:SourceVpce"][0], "vpce-1a2b3c4d");
    assert_eq!(ctx["aws:RequestedRegion"][0], "us-east-1");
    assert_eq!(v["deciding"][0]["statement"], "NoTagging");
}

#[test]
fn flags_override_what_the_error_says() {
    let (code, out, _) = why(
        &[
            "--format",
            "json",
            "--resource",
            "arn:aws:s3:::example-reports/q3.csv",
            "--error",
            &jane(
                "s3:GetObject on resource: \"arn:aws:s3:::example-reports/restricted/a.csv\" with an explicit deny in a resource-based policy",
            ),
        ],
        "",
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["request"]["resource"],
        "arn:aws:s3:::example-reports/q3.csv"
    );
    assert_eq!(v["decision"], "allow");
    assert_eq!(v["agrees"], false);
}

#[test]
fn human_output_compares_then_traces() {
    let (code, out, _) = why(&["--error", &error_file("cloudtrail-restricted.json")], "");
    assert_eq!(code, 1, "an explicit deny");
    assert!(out.starts_with("read: `s3:GetObject` by `arn:aws:iam::111122223333:user/Jane` on `arn:aws:s3:::example-reports/restricted/salaries.csv` (operation `GetObject`)\n"), "{out}");
    assert!(out.contains("workspace: explicit deny — agrees\n"), "{out}");
    assert!(
        out.contains("  decided by statement `RestrictedPrefix` of the bucket policy at s3/bucket.json:19:14\n"),
        "{out}"
    );
    assert!(out.contains("decision: explicit deny\n"), "{out}");
}

#[test]
fn missing_facts_are_asked_for_not_guessed() {
    let (code, _, err) = why(
        &[
            "--error",
            "An error occurred (AccessDenied) when calling the GetObject operation: Access Denied",
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("does not name the caller; give it with `--principal ARN` and the object or bucket with `--resource ARN`"),
        "{err}"
    );
    let (code, _, err) = why(&["--principal", JANE, "--error", "Access Denied"], "");
    assert_eq!(code, 2);
    assert!(err.contains("give it with `--action`"), "{err}");
    let (code, _, err) = why(&["--error", &error_file("cloudtrail-records.json")], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("2 records are access denied errors: 2 (`DeleteObject`), 3 (`PutObjectTagging`); pick one with `--event N`"),
        "{err}"
    );
    let (code, _, err) = why(
        &[
            "--event",
            "9",
            "--error",
            &error_file("cloudtrail-records.json"),
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(err.contains("the file has 3 record(s)"), "{err}");
    let (code, _, err) = why(
        &[
            "--event",
            "1",
            "--error",
            &error_file("cloudtrail-records.json"),
        ],
        "",
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("the CloudTrail record of `GetObject` has no `errorCode`: AWS allowed it"),
        "{err}"
    );
    let (code, _, err) = why(&["--action", "s3:GetObject"], "");
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "give `--principal`, `--resource`, or paste the access denied error with `--error`"
        ),
        "{err}"
    );
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let truncated = std::fs::read_to_string(
        fixtures()
            .join("denied-errors")
            .join("cloudtrail-restricted.json"),
    )
    .unwrap();
    let truncated = &truncated[..truncated.len() / 2];
    let cases: [(&str, &str); 5] = [
        ("", "the error is empty"),
        (
            "\u{0}\u{1}\u{2}PK\u{3}\u{4}",
            "the error is binary data, not text",
        ),
        (truncated, "the JSON ends early"),
        (
            "エラー: RunInstances オペレーションを呼び出すときにエラーが発生 (AccessDenied) しました: ユーザー: arn:aws:iam::111122223333:user/tester は実行する権限がありません",
            "the message is not in English",
        ),
        (
            "the build failed with exit code 1",
            "no access denied error found in the text",
        ),
    ];
    for (input, expected) in cases {
        let (code, out, err) = why(&["--error", "-"], input);
        assert_eq!(code, 2, "{input:?}: {out}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(expected), "{input:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // Not UTF-8 at all, through a file.
    let dir = std::env::temp_dir().join(format!("latch-why-error-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("binary.bin");
    std::fs::write(&file, [0xff_u8, 0xfe, 0x00, 0x41]).unwrap();
    let (code, _, err) = why(&["--error", &format!("@{}", file.display())], "");
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8"), "{err}");
    let (code, _, err) = why(&["--error", "@/no/such/file.json"], "");
    assert_eq!(code, 2);
    assert!(err.contains("cannot read `/no/such/file.json`"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

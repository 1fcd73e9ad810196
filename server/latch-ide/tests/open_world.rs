//! The simulation over an open world: what the workspace does not state is unknown, never
//! absent. Each test is a small workspace (files split on `//- path` lines) and asserts
//! the findings of the `access/*` codes: code, file, 1-based line, severity, and words of
//! the message.

use latch_ide::workspace::workspace_from_fixture;
use latch_syntax::finding::Severity;

/// `(code, path, line, severity, message)` of every `access/*` finding.
fn access_findings(fixture: &str) -> Vec<(String, String, usize, Severity, String)> {
    let ws = workspace_from_fixture(fixture);
    let analysis = ws.analyze();
    let mut out = Vec::new();
    for (path, findings) in &analysis.findings {
        let text = ws.text(path).unwrap_or_default();
        for f in findings {
            if !f.code.starts_with("access/") {
                continue;
            }
            let line = text[..f.range.start.min(text.len())].matches('\n').count() + 1;
            out.push((
                f.code.to_string(),
                path.to_string(),
                line,
                f.severity,
                // Every part a reader sees: the headline, the reason, the notes, the help.
                std::iter::once(f.message.clone())
                    .chain(f.why.clone())
                    .chain(f.notes.iter().cloned())
                    .chain(f.help.clone())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ));
        }
    }
    out
}

const PERIMETER_BUCKET: &str = r#"//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadForReports",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:role/ReportReader"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-org-data/*"
    },
    {
      "Sid": "DenyOutsideOrg",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::example-org-data", "arn:aws:s3:::example-org-data/*"],
      "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    }
  ]
}
//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-org-data/*"}
  ]
}
"#;

const PERIMETER_MANIFEST: &str = r#"//- latch.toml
[accounts]
storage = "444455556666"

[[principal]]
arn = "arn:aws:iam::444455556666:role/ReportReader"
policies = ["iam/report-reader.json"]

[[bucket]]
name = "example-org-data"
account = "storage"
policy = "s3/bucket-policy.json"
"#;

#[test]
fn the_data_perimeter_deny_depends_on_the_organization_when_it_is_unknown() {
    let found = access_findings(&format!("{PERIMETER_MANIFEST}{PERIMETER_BUCKET}"));
    assert_eq!(found.len(), 1, "{found:#?}");
    let (code, path, line, severity, message) = &found[0];
    assert_eq!(
        (code.as_str(), path.as_str(), *line, *severity),
        (
            "access/explicit-deny",
            "s3/bucket-policy.json",
            11,
            Severity::Warning
        )
    );
    assert!(
        message.contains("allowed only if `aws:PrincipalOrgID` is `o-a1b2c3d4e5`"),
        "{message}"
    );
    assert!(
        message.contains("`[organization]` in `latch.toml` settles it"),
        "{message}"
    );
}

#[test]
fn organization_settles_the_data_perimeter() {
    let member = format!(
        "{PERIMETER_MANIFEST}\n[organization]\nid = \"o-a1b2c3d4e5\"\naccounts = [\"storage\"]\n{PERIMETER_BUCKET}"
    );
    assert_eq!(access_findings(&member), Vec::new());
    let other_org =
        format!("{PERIMETER_MANIFEST}\n[organization]\nid = \"o-zzzzzzzzzz\"\n{PERIMETER_BUCKET}");
    let found = access_findings(&other_org);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "access/explicit-deny");
    assert_eq!(found[0].3, Severity::Error);
}

const TWO_ACCOUNTS: &str = r#"//- latch.toml
[accounts]
app = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/app"
policies = ["iam/app.json"]

[[bucket]]
name = "example-app-data"
account = "app"
"#;

const APP_POLICY: &str = r#"//- iam/app.json
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-app-data/*"}
  ]
}
"#;

#[test]
fn a_deny_list_scp_keeps_full_aws_access() {
    let fixture = format!(
        r#"{TWO_ACCOUNTS}
[[scp]]
policy = "org/deny-leave.json"
level = "root"
{APP_POLICY}//- org/deny-leave.json
{{
  "Version": "2012-10-17",
  "Statement": [
    {{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}}
  ]
}}
"#
    );
    assert_eq!(access_findings(&fixture), Vec::new());
    // Declared an allow list, the level allows nothing the request needs.
    let allow_list = fixture.replace("level = \"root\"", "level = \"root\"\nallow_list = true");
    let found = access_findings(&allow_list);
    assert!(
        found
            .iter()
            .any(|f| f.0 == "access/scp" && f.3 == Severity::Error),
        "{found:#?}"
    );
}

#[test]
fn rcps_as_organizations_write_them_allow_everything_they_do_not_deny() {
    let fixture = format!(
        r#"{TWO_ACCOUNTS}
[[rcp]]
policy = "org/secure-transport.json"
level = "root"
{APP_POLICY}//- org/secure-transport.json
{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "EnforceSecureTransport",
      "Effect": "Deny",
      "Principal": "*",
      "Action": ["s3:*", "kms:*"],
      "Resource": "*",
      "Condition": {{"BoolIfExists": {{"aws:SecureTransport": "false"}}}}
    }}
  ]
}}
"#
    );
    // Only Deny statements, and every SDK, CLI and console request is TLS.
    assert_eq!(access_findings(&fixture), Vec::new());
}

const PARTNER: &str = r#"//- latch.toml
[accounts]
storage = "444455556666"

[[bucket]]
name = "example-shared-exports"
account = "storage"
policy = "s3/bucket-policy.json"
kms_key = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"

[[key]]
arn = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
policy = "kms/key-policy.json"
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PartnerRead",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:role/PartnerReader"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-exports/*"
    }
  ]
}
"#;

const KEY_OWN_ACCOUNT: &str = r#"//- kms/key-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "EnableIAM",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
"#;

#[test]
fn a_partner_outside_the_workspace_blocked_by_the_key_policy_is_an_error() {
    let found = access_findings(&format!("{PARTNER}{KEY_OWN_ACCOUNT}"));
    let kms: Vec<_> = found.iter().filter(|f| f.0 == "access/kms-key").collect();
    assert_eq!(kms.len(), 1, "{found:#?}");
    assert_eq!(
        (kms[0].1.as_str(), kms[0].2, kms[0].3),
        ("s3/bucket-policy.json", 4, Severity::Error)
    );
    assert!(kms[0].4.contains("kms:Decrypt"), "{}", kms[0].4);
    assert!(
        !found
            .iter()
            .any(|f| f.3 == Severity::Error && f.0 != "access/kms-key"),
        "{found:#?}"
    );
}

#[test]
fn a_partner_that_nothing_in_the_workspace_blocks_gets_no_error() {
    let key = KEY_OWN_ACCOUNT.replace(
        r#""Resource": "*"
    }"#,
        r#""Resource": "*"
    },
    {
      "Sid": "PartnerDecrypt",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:role/PartnerReader"},
      "Action": "kms:Decrypt",
      "Resource": "*"
    }"#,
    );
    let found = access_findings(&format!("{PARTNER}{key}"));
    assert!(found.iter().all(|f| f.3 == Severity::Info), "{found:#?}");
    assert!(
        found.iter().any(|f| f
            .4
            .contains("allowed only if the caller's own identity policies")),
        "{found:#?}"
    );
}

#[test]
fn the_mfa_deny_is_a_warning_that_names_mfa() {
    let fixture = r#"//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:user/tester"
policies = ["iam/tester.json", "iam/force-mfa.json"]

[[bucket]]
name = "example-app-artifacts"
account = "app"
//- iam/tester.json
{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-app-artifacts/*"}]}
//- iam/force-mfa.json
{"Version": "2012-10-17", "Statement": [{"Sid": "DenyWithoutMFA", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
"#;
    let found = access_findings(fixture);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].3),
        ("access/mfa", Severity::Warning)
    );
    assert!(
        found[0]
            .4
            .contains("allowed only if `aws:MultiFactorAuthPresent` is not `false`"),
        "{}",
        found[0].4
    );
}

/// The region a request goes to is the one the bucket's provider states: a region
/// guardrail is then settled, not an unknown.
#[test]
fn the_provider_region_settles_a_region_guardrail() {
    let tf = |region: &str| {
        format!(
            r#"//- main.tf
provider "aws" {{
  region = "{region}"
  assume_role {{
    role_arn = "arn:aws:iam::111122223333:role/deploy"
  }}
}}

resource "aws_s3_bucket" "data" {{
  bucket = "example-regional-data"
}}

resource "aws_iam_role" "app" {{
  name               = "app"
  assume_role_policy = jsonencode({{ Version = "2012-10-17", Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}] }})
}}

resource "aws_iam_role_policy" "app" {{
  name = "read"
  role = aws_iam_role.app.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{ Sid = "Read", Effect = "Allow", Action = "s3:GetObject", Resource = "${{aws_s3_bucket.data.arn}}/*" }},
      {{ Sid = "OnlyEU", Effect = "Deny", Action = "*", Resource = "*", Condition = {{ StringNotEquals = {{ "aws:RequestedRegion" = ["eu-west-1"] }} }} }},
    ]
  }})
}}
"#
        )
    };
    let us = access_findings(&tf("us-east-1"));
    assert_eq!(us.len(), 1, "{us:#?}");
    assert_eq!(
        (us[0].0.as_str(), us[0].3),
        ("access/explicit-deny", Severity::Error)
    );
    assert_eq!(access_findings(&tf("eu-west-1")), Vec::new());
}

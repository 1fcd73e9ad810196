//! `access/external` in words: what the message says of the principal let in, the zone of
//! trust, and the conditions that limit the grant. Where it is reported (and where not)
//! is checked by the scenario fixtures `tests/fixtures/scenarios/access__external/`.

use latch_ide::workspace::workspace_from_fixture;
use latch_syntax::finding::Severity;

fn external(fixture: &str) -> Vec<(Severity, String)> {
    let ws = workspace_from_fixture(fixture);
    ws.analyze()
        .all()
        .filter(|f| f.code == "access/external")
        .map(|f| (f.severity, f.headline_and_why()))
        .collect()
}

fn bucket(manifest_extra: &str, statement: &str) -> String {
    format!(
        r#"//- latch.toml
[accounts]
storage = "444455556666"
{manifest_extra}
[[bucket]]
name = "example-shared"
account = "storage"
policy = "s3/policy.json"
//- s3/policy.json
{{"Version": "2012-10-17", "Statement": [{statement}]}}
"#
    )
}

const ORG_READ: &str = r#"{"Sid": "OrgRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}"#;

#[test]
fn public_access_is_information_naming_everyone_and_the_zone() {
    let got = external(&bucket(
        "",
        r#"{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}"#,
    ));
    assert_eq!(
        got,
        vec![(
            Severity::Info,
            "statement `Public` lets everyone (`*`) into the bucket `example-shared` (`s3:GetObject`)\nwhy: outside the zone of trust: the accounts of the workspace, `444455556666`".to_string()
        )]
    );
}

#[test]
fn an_organization_condition_is_named_without_organization_and_silences_with_it() {
    let got = external(&bucket("", ORG_READ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].1.ends_with(
            "limited only where `aws:PrincipalOrgID` is `o-a1b2c3d4e5` (`[organization]` in `latch.toml` does not describe it)"
        ),
        "{}",
        got[0].1
    );
    let with_org = bucket(
        "[organization]\nid = \"o-a1b2c3d4e5\"\naccounts = [\"444455556666\"]\n",
        ORG_READ,
    );
    assert_eq!(external(&with_org), Vec::new());
}

#[test]
fn a_vpc_endpoint_condition_limits_only_to_endpoints_the_workspace_describes() {
    let st = r#"{"Sid": "ThroughEndpoint", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}"#;
    let got = external(&bucket("", st));
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(
        got[0].1.contains(
            "`aws:SourceVpce` is `vpce-1a2b3c4d` (an endpoint the workspace does not describe)"
        ),
        "{}",
        got[0].1
    );
    let declared = format!(
        "{}//- vpce/policy.json\n{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"s3:*\", \"Resource\": \"*\"}}]}}\n",
        bucket(
            "[[vpc_endpoint]]\nid = \"vpce-1a2b3c4d\"\npolicy = \"vpce/policy.json\"\n",
            st
        )
    );
    assert_eq!(external(&declared), Vec::new());
}

#[test]
fn a_key_policy_grant_to_another_account_names_the_key() {
    let key = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let got = external(&format!(
        r#"//- latch.toml
[[key]]
arn = "{key}"
policy = "kms/key.json"
//- kms/key.json
{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Owner", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::444455556666:root"}}, "Action": "kms:*", "Resource": "*"}},
  {{"Sid": "Partner", "Effect": "Allow", "Principal": {{"AWS": "999988887777"}}, "Action": "kms:Decrypt", "Resource": "*"}},
  {{"Sid": "CallerAccount", "Effect": "Allow", "Principal": {{"AWS": "*"}}, "Action": "kms:Decrypt", "Resource": "*",
    "Condition": {{"StringEquals": {{"kms:CallerAccount": "444455556666"}}}}}}
]}}
"#
    ));
    assert_eq!(
        got,
        vec![(
            Severity::Info,
            format!(
                "statement `Partner` lets the account `999988887777` into the key `{key}` (`kms:Decrypt`)\nwhy: outside the zone of trust: the accounts of the workspace, `444455556666`"
            )
        )]
    );
}

#[test]
fn the_severity_is_configurable() {
    let got = external(&bucket(
        "\n[check.severity]\n\"access/external\" = \"warning\"\n",
        r#"{"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}"#,
    ));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, Severity::Warning);
}

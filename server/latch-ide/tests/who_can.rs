//! Who can reach a resource, and what a principal reaches: small workspaces (files split
//! on `//- path` lines) where the answer is known, principal by principal.

use latch_ide::access::{
    ActionSet, WhoDecision, access_summaries, access_summary, can_what, who_can,
};
use latch_ide::workspace::workspace_from_fixture;

const KEY: &str = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/// A bucket of account 444455556666 encrypted with SSE-KMS. Its policy lets in a reader
/// of the workspace, a partner outside it, and an auditor the key policy leaves out.
fn sse_kms_bucket() -> String {
    format!(
        r#"//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/Reader"
policies = ["iam/reader.json"]

[[principal]]
arn = "arn:aws:iam::111122223333:role/Auditor"
policies = ["iam/reader.json"]

[[principal]]
arn = "arn:aws:iam::111122223333:role/Builder"
policies = ["iam/builder.json"]

[[bucket]]
name = "example-shared"
account = "storage"
policy = "s3/policy.json"
kms_key = "{KEY}"
block_public_access = true

[[key]]
arn = "{KEY}"
policy = "kms/key.json"
//- iam/reader.json
{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}},
  {{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{KEY}"}}
]}}
//- iam/builder.json
{{"Version": "2012-10-17", "Statement": [
  {{"Effect": "Allow", "Action": "ec2:DescribeInstances", "Resource": "*"}}
]}}
//- s3/policy.json
{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Workspace", "Effect": "Allow",
    "Principal": {{"AWS": ["arn:aws:iam::111122223333:role/Reader", "arn:aws:iam::111122223333:role/Auditor"]}},
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}},
  {{"Sid": "Partner", "Effect": "Allow",
    "Principal": {{"AWS": "arn:aws:iam::999988887777:role/Partner"}},
    "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}}
]}}
//- kms/key.json
{{"Version": "2012-10-17", "Statement": [
  {{"Sid": "Owner", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::444455556666:root"}}, "Action": "kms:*", "Resource": "*"}},
  {{"Sid": "Readers", "Effect": "Allow",
    "Principal": {{"AWS": ["arn:aws:iam::111122223333:role/Reader", "arn:aws:iam::999988887777:role/Partner"]}},
    "Action": "kms:Decrypt", "Resource": "*"}}
]}}
"#
    )
}

fn decisions(
    ws: &latch_ide::workspace::Workspace,
    actions: &[&str],
    resource: &str,
) -> Vec<(String, &'static str)> {
    let actions: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
    who_can(ws, &actions, resource)
        .into_iter()
        .map(|p| (p.principal, p.decision.as_str()))
        .collect()
}

#[test]
fn a_partner_depends_and_a_principal_the_key_policy_leaves_out_is_denied() {
    let ws = workspace_from_fixture(&sse_kms_bucket());
    let got = decisions(&ws, &["s3:GetObject"], "arn:aws:s3:::example-shared/*");
    assert_eq!(
        got,
        vec![
            ("arn:aws:iam::111122223333:role/Reader".to_string(), "allow"),
            (
                "arn:aws:iam::999988887777:role/Partner".to_string(),
                "depends"
            ),
            ("arn:aws:iam::111122223333:role/Auditor".to_string(), "deny"),
        ]
    );
    let all = who_can(
        &ws,
        &["s3:GetObject".into()],
        "arn:aws:s3:::example-shared/*",
    );
    // The partner's own policies decide: the condition says so.
    let partner = &all[1];
    assert_eq!(
        partner.conditions,
        vec!["the caller's own identity policies (not in the workspace) allow `s3:GetObject`"]
    );
    // The reader is allowed by the bucket policy, its identity policy and the key policy.
    let paths: Vec<&str> = all[0].deciding.iter().map(|l| &*l.path).collect();
    assert!(paths.contains(&"s3/policy.json"), "{paths:?}");
    assert!(paths.contains(&"kms/key.json"), "{paths:?}");
    assert!(paths.contains(&"iam/reader.json"), "{paths:?}");
    // The auditor's `kms:Decrypt` is what fails.
    assert_eq!(all[2].decision, WhoDecision::Denied);
    // The builder has nothing to do with the bucket: not listed.
    assert!(!all.iter().any(|p| p.principal.ends_with("Builder")));
}

#[test]
fn the_lens_summary_counts_readers_writers_and_outsiders() {
    let ws = workspace_from_fixture(&sse_kms_bucket());
    let s = access_summary(&ws, "arn:aws:s3:::example-shared");
    assert_eq!(s.read, 2, "{s:?}");
    assert_eq!(s.write, 0, "{s:?}");
    assert_eq!(
        s.external,
        vec![(
            "arn:aws:iam::999988887777:role/Partner".to_string(),
            WhoDecision::Depends
        )]
    );
    // The key: the reader and the partner may decrypt; the owner account's root may do
    // everything; only the partner is outside.
    let k = access_summary(&ws, KEY);
    assert_eq!((k.read, k.write), (3, 1), "{k:?}");
    assert_eq!(k.external.len(), 1, "{k:?}");
    let all = access_summaries(&ws);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0], ("arn:aws:s3:::example-shared".to_string(), s));
}

#[test]
fn can_what_names_each_resource_and_its_allowed_actions() {
    let ws = workspace_from_fixture(&sse_kms_bucket());
    let got = can_what(
        &ws,
        "arn:aws:iam::111122223333:role/Auditor",
        &[ActionSet::S3Read, ActionSet::KmsUse],
        false,
    );
    // The auditor may not read (the key policy leaves it out) and may not use the key.
    assert!(got.is_empty(), "{got:?}");
    let got = can_what(
        &ws,
        "arn:aws:iam::111122223333:role/Auditor",
        &[ActionSet::S3Read],
        true,
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].resource, "arn:aws:s3:::example-shared");
    assert_eq!(got[0].actions[0].decision, WhoDecision::Denied);
}

/// The bucket `example-shared` of account 444455556666 with the bucket policy `policy`.
fn bucket_with_policy(policy: &str) -> latch_ide::workspace::Workspace {
    workspace_from_fixture(&format!(
        r#"//- latch.toml
[accounts]
storage = "444455556666"

[[bucket]]
name = "example-shared"
account = "storage"
policy = "s3/policy.json"
//- s3/policy.json
{policy}"#
    ))
}

#[test]
fn deciding_columns_count_characters_not_bytes() {
    // Two statements on one line, the first with a CJK and emoji Sid: the second's column
    // counts Unicode scalar values.
    let ws = bucket_with_policy(
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "読み取り🙂", "Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*"}, {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:role/Partner"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}]}
"#,
    );
    let all = who_can(
        &ws,
        &["s3:GetObject".into()],
        "arn:aws:s3:::example-shared/*",
    );
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].decision, WhoDecision::Depends);
    let text = ws.text("s3/policy.json").expect("policy");
    let start = text.find(r#"{"Sid": "Partner""#).expect("statement");
    assert_eq!(all[0].deciding.len(), 1);
    assert_eq!(all[0].deciding[0].span.start, start);
    let column = text[..start].chars().count() + 1;
    assert!(column < start + 1, "the line has multi-byte characters");
    assert_eq!(all[0].deciding[0].line_column(&ws), (1, column));
}

#[test]
fn another_account_named_whole_depends_on_its_own_policies() {
    let ws = bucket_with_policy(
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"},
  {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "999988887777"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-shared/*"}
]}
"#,
    );
    let all = who_can(
        &ws,
        &["s3:GetObject".into()],
        "arn:aws:s3:::example-shared/*",
    );
    let got: Vec<(&str, WhoDecision)> = all
        .iter()
        .map(|p| (p.principal.as_str(), p.decision))
        .collect();
    assert_eq!(
        got,
        vec![
            ("arn:aws:iam::444455556666:root", WhoDecision::Allow),
            ("arn:aws:iam::999988887777:root", WhoDecision::Depends),
        ]
    );
    assert_eq!(
        all[1].conditions,
        vec![
            "the identity policies of the caller in `999988887777` (not in the workspace) allow `s3:GetObject`"
        ]
    );
}

//! Tests of the catalogue checks: each fires on its documented example and is silent on
//! the preferred form, safe fixes repair what they report, and the policies of the seed
//! articles (valid policies, in `tests/fixtures/seeds`) raise nothing.

use latch_syntax::finding::apply_edits;
use latch_syntax::policy::parse_policy;
use latch_syntax::{Edit, Finding};

use super::*;

fn run(check: CatalogCheck, text: &str) -> Vec<Finding> {
    let parsed = parse_policy(text);
    let mut out = Vec::new();
    check(&parsed.policy, &mut out);
    out
}

fn render(text: &str, findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        s.push_str(&format!(
            "{} {}: `{}`: {}\n",
            f.severity.as_str(),
            f.code,
            &text[f.range.range()],
            f.message
        ));
        for r in &f.related {
            s.push_str(&format!(
                "  related `{}`: {}\n",
                &text[r.range.range()],
                r.message
            ));
        }
        for fix in &f.fixes {
            s.push_str(&format!(
                "  fix ({}): {}\n",
                if fix.safe { "safe" } else { "unsafe" },
                fix.title
            ));
        }
    }
    s
}

#[test]
fn each_check_fires_on_its_example_and_not_on_prefer() {
    for (doc, check) in catalog_checks() {
        let bad = run(check, doc.example);
        assert!(
            bad.iter().any(|f| f.code == doc.code),
            "{} is silent on its example",
            doc.code
        );
        assert!(
            bad.iter()
                .all(|f| f.code == doc.code && f.severity == doc.severity)
        );
        let good = run(check, doc.prefer);
        assert!(good.is_empty(), "{} fires on prefer: {good:?}", doc.code);
        assert!(doc.code.starts_with("catalog/"));
    }
}

#[test]
fn examples_render() {
    let mut all = String::new();
    for (doc, check) in catalog_checks() {
        all.push_str(&format!("## {}\n", doc.code));
        all.push_str(&render(doc.example, &run(check, doc.example)));
    }
    insta::assert_snapshot!(all);
}

#[test]
fn fixes_repair_the_examples() {
    for (doc, check) in catalog_checks() {
        let bad = run(check, doc.example);
        let edits: Vec<&Edit> = bad
            .iter()
            .filter_map(|f| f.fixes.first())
            .flat_map(|f| &f.edits)
            .collect();
        if edits.is_empty() {
            continue;
        }
        let (fixed, skipped) = apply_edits(doc.example, &edits);
        assert_eq!(skipped, 0);
        // Every finding that had a fix is gone; those without one remain.
        let after = run(check, &fixed);
        let unfixable = bad.iter().filter(|f| f.fixes.is_empty()).count();
        assert_eq!(
            after.len(),
            unfixable,
            "{}: {after:?} after fixing:\n{fixed}",
            doc.code
        );
    }
}

#[test]
fn silent_on_the_seed_policies() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let parsed = parse_policy(&text);
        assert!(parsed.findings.is_empty(), "{path:?} is not a valid policy");
        let mut out = Vec::new();
        check_all(&parsed.policy, &mut out);
        assert!(out.is_empty(), "{path:?}:\n{}", render(&text, &out));
        count += 1;
    }
    assert!(count >= 19, "only {count} seed policies found");
}

#[test]
fn terraform_values_are_not_names() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": ["s3:${var.action}", "${local.svc}:Get*"], "Resource": "${aws_s3_bucket.b.arn}", "Condition": {"StringEquals": {"${var.key}": "x", "s3:prefix": "a"}}}}"#;
    let mut out = Vec::new();
    check_all(&parse_policy(text).policy, &mut out);
    assert!(out.is_empty(), "{}", render(text, &out));
}

#[test]
fn unknown_action_details() {
    let text = r#"{"Statement": {"Effect": "Allow", "Action": ["s3:getobject", "S3:List*", "nosuchservice:Get", "iam:PassRoles", "*", "s3:*"], "Resource": "*"}}"#;
    let out = run(unknown_action::check, text);
    insta::assert_snapshot!(render(text, &out));
}

#[test]
fn mismatch_details() {
    let text = r#"{"Statement": [
        {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:GetBucketPolicy", "s3:PutObject"], "Resource": "arn:aws:s3:::b"},
        {"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::b"},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:*:111122223333:key/*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b", "*"]},
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${aws:username}"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/path/to/r"}
    ]}"#;
    let out = run(action_resource_mismatch::check, text);
    insta::assert_snapshot!(render(text, &out));
}

#[test]
fn condition_key_details() {
    let text = r#"{"Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Resource": "*", "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*"}, "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub": "system:serviceaccount:a:b", "sts:ExternalId": "x", "saml:aud": "y"}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"saml:aud": "y", "ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:111122223333:instance/i-1", "aws:SourceVpcId": "v", "s3:nosuchkey": "x"}}},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestTag/Team": "a", "s3:ExistingObjectTag/secret": "x", "kms:ViaService": "s3.us-east-1.amazonaws.com"}}},
        {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "x", "aws:sourcevpce": "vpce-1"}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01"}, "Bool": {"aws:MultiFactorAuthAge": "true"}, "NumericLessThan": {"aws:EpochTime": "1"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "StringLike": {"aws:SourceIp": "10.*"}}},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "a", "aws:SourceVpce": "v"}, "ForAnyValue:StringNotEquals": {"aws:SourceVpce": "v"}}}
    ]}"#;
    let mut out = Vec::new();
    for check in [
        unknown_condition_key::check as CatalogCheck,
        operator_type_mismatch::check,
        set_operator_on_single_valued_key::check,
    ] {
        out.extend(run(check, text));
    }
    insta::assert_snapshot!(render(text, &out));
}

/// Runs every catalogue check on each `.json` policy of a fixture or folder and renders
/// what they report.
fn findings_in(files: &[(String, String)]) -> String {
    let mut out = String::new();
    for (path, text) in files {
        if !path.ends_with(".json") {
            continue;
        }
        let parsed = parse_policy(text);
        let mut found = Vec::new();
        check_all(&parsed.policy, &mut found);
        if !found.is_empty() {
            out.push_str(&format!("{path}:\n{}", render(text, &found)));
        }
    }
    out
}

#[test]
fn silent_on_the_preferred_form_of_every_other_check() {
    let mut out = String::new();
    for doc in crate::checks::registry() {
        if crate::checks::is_generated(doc.prefer) {
            continue;
        }
        let report = findings_in(&crate::workspace::parse_fixture(doc.prefer));
        if !report.is_empty() {
            out.push_str(&format!("{}:\n{report}", doc.code));
        }
    }
    assert!(out.is_empty(), "{out}");
}

#[test]
fn silent_on_the_examples_folder() {
    fn walk(dir: &std::path::Path, files: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, files);
            } else if let Ok(text) = std::fs::read_to_string(&p) {
                files.push((p.display().to_string(), text));
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    assert!(files.len() > 10);
    let report = findings_in(&files);
    assert!(report.is_empty(), "{report}");
}

/// The catalogue checks on a policy written as Terraform: every inline policy the
/// extractor finds (exactly one is expected).
fn run_tf(check: CatalogCheck, tf: &str) -> Vec<Finding> {
    let found = crate::tf_fixture::policies(tf);
    assert_eq!(found.len(), 1, "expected one policy in:\n{tf}");
    let mut out = Vec::new();
    for p in &found {
        check(&p.policy, &mut out);
    }
    out
}

#[test]
fn each_check_fires_on_its_example_in_terraform() {
    use crate::tf_fixture::{FORMS, to_terraform};
    for (doc, check) in catalog_checks() {
        for form in FORMS {
            let (Some(bad), Some(good)) = (
                to_terraform(doc.example, form),
                to_terraform(doc.prefer, form),
            ) else {
                panic!("{}: cannot write the example as {form:?}", doc.code);
            };
            let found = run_tf(check, &bad);
            assert!(
                found.iter().any(|f| f.code == doc.code),
                "{} silent as {form:?}:\n{bad}",
                doc.code
            );
            // The range is the offending text in the `.tf` file.
            for f in &found {
                let text = bad.get(f.range.range()).unwrap_or("");
                assert!(
                    !text.is_empty() && !text.contains('\n'),
                    "{}: range {text:?}",
                    doc.code
                );
            }
            let silent = run_tf(check, &good);
            assert!(
                silent.is_empty(),
                "{} fires on prefer as {form:?}: {silent:?}\n{good}",
                doc.code
            );
        }
    }
}

#[test]
fn silent_on_the_seed_policies_in_terraform() {
    use crate::tf_fixture::{FORMS, to_terraform};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    let mut count = 0;
    for path in entries {
        let json = std::fs::read_to_string(&path).unwrap_or_default();
        for form in FORMS {
            let Some(tf) = to_terraform(&json, form) else {
                panic!("{path:?}: cannot write as {form:?}");
            };
            let found = crate::tf_fixture::policies(&tf);
            assert_eq!(found.len(), 1, "{path:?} as {form:?}:\n{tf}");
            for p in &found {
                let mut out = Vec::new();
                check_all(&p.policy, &mut out);
                assert!(
                    out.is_empty(),
                    "{path:?} as {form:?}:\n{}",
                    render(&tf, &out)
                );
            }
            count += 1;
        }
    }
    assert!(count >= 57, "only {count} policies");
}

/// Service-specific tag keys are templates (`secretsmanager:ResourceTag/${TagKey}`), not
/// the literal `tag-key` the package writes, so any tag key is known.
#[test]
fn service_tag_keys_match_any_tag_key() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": {"StringEquals": {"secretsmanager:ResourceTag/Project": "x", "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "rds"}}}]}"#;
    assert_eq!(render(text, &run(unknown_condition_key::check, text)), "");
    let typo = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*", "Condition": {"StringEquals": {"secretsmanager:ResourceTagz/Project": "x"}}}]}"#;
    assert_eq!(run(unknown_condition_key::check, typo).len(), 1);
}

/// Elastic Load Balancing and Elastic Load Balancing V2 share the prefix
/// `elasticloadbalancing`; both define `AddTags`. The statement of the AWS Load Balancer
/// Controller's policy that tags target groups and load balancers matches.
#[test]
fn services_that_share_a_prefix_keep_every_resource_type() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"], "Resource": ["arn:aws:elasticloadbalancing:*:*:targetgroup/*/*", "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*/*", "arn:aws:elasticloadbalancing:*:*:loadbalancer/app/*/*"]}, {"Effect": "Allow", "Action": "elasticloadbalancing:AddTags", "Resource": "arn:aws:elasticloadbalancing:*:*:loadbalancer/classic-name"}]}"#;
    assert_eq!(
        render(text, &run(action_resource_mismatch::check, text)),
        ""
    );
    // Still reported: an ELB action on a resource of another service.
    let wrong = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "elasticloadbalancing:AddTags", "Resource": "arn:aws:s3:::bucket"}]}"#;
    assert_eq!(run(action_resource_mismatch::check, wrong).len(), 1);
}

/// An action the catalogue lists without resource types, on an ARN of its own service's
/// resource types (as AWS's own managed policies write it), is a gap of the catalogue; on
/// another service's ARN it is still reported.
#[test]
fn actions_without_resource_types_on_their_own_service_are_not_reported() {
    let own = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ram:CreateResourceShare", "s3:GetAccessPoint"], "Resource": ["arn:aws:ram:*:*:resource-share/*", "arn:aws:s3:*:*:accesspoint/*"]}]}"#;
    assert_eq!(render(own, &run(action_resource_mismatch::check, own)), "");
    let other = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ram:CreateResourceShare", "Resource": "arn:aws:ec2:*:*:transit-gateway/*"}]}"#;
    assert_eq!(run(action_resource_mismatch::check, other).len(), 1);
}

//! Completion snapshots at JSON positions: each case marks the cursor with `|`, and the
//! snapshot lists the first items (label, kind, detail, insertion and the text replaced)
//! with the total count.

use std::fmt::Write;

use latch_syntax::json::parse;

use super::*;

/// Completes at the `|` in `marked` and renders the first `limit` items.
pub(crate) fn render(marked: &str, limit: usize) -> String {
    let offset = marked.find('|').unwrap_or(0);
    let text = marked.replacen('|', "", 1);
    let Some(tree) = parse(&text).value else {
        return "no tree".into();
    };
    let items = complete(&text, &tree, offset);
    let mut out = format!("{} items\n", items.len());
    for it in items.iter().take(limit) {
        let _ = writeln!(
            out,
            "{} | {:?} | {} | insert {:?} over {:?}{}",
            it.label,
            it.kind,
            it.detail.as_deref().unwrap_or("-"),
            it.insert_text,
            &text[it.range.range()],
            it.snippet
                .as_ref()
                .map(|s| format!(" | snippet {s:?}"))
                .unwrap_or_default()
        );
    }
    out
}

fn statement(body: &str) -> String {
    format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {body}\n  ]\n}}")
}

#[test]
fn element_names() {
    insta::assert_snapshot!(render(&statement(r#"{"Effect": "Allow", "|"}"#), 20));
    insta::assert_snapshot!(
        "element_names_bare",
        render(
            &statement(r#"{"Effect": "Allow", "Action": "s3:GetObject", |}"#),
            20
        )
    );
    insta::assert_snapshot!(
        "policy_keys",
        render(r#"{"Version": "2012-10-17", "|"}"#, 20)
    );
}

#[test]
fn effect_and_version() {
    insta::assert_snapshot!(render(&statement(r#"{"Effect": "|"}"#), 20));
    insta::assert_snapshot!("effect_bare", render(&statement(r#"{"Effect": |}"#), 20));
    insta::assert_snapshot!("version", render(r#"{"Version": "|"}"#, 20));
}

#[test]
fn services() {
    insta::assert_snapshot!(render(
        &statement(r#"{"Effect": "Allow", "Action": "|"}"#),
        12
    ));
    insta::assert_snapshot!(
        "services_dyn",
        render(&statement(r#"{"Effect": "Allow", "Action": "dyn|"}"#), 12)
    );
}

#[test]
fn actions() {
    insta::assert_snapshot!(render(
        &statement(r#"{"Effect": "Allow", "Action": ["s3:GetObj|"]}"#),
        12
    ));
    // With a bucket ARN, bucket actions come first.
    insta::assert_snapshot!(
        "actions_for_bucket",
        render(
            &statement(
                r#"{"Effect": "Allow", "Action": ["s3:List|"], "Resource": "arn:aws:s3:::reports"}"#
            ),
            8
        )
    );
    insta::assert_snapshot!(
        "actions_empty",
        render(&statement(r#"{"Effect": "Allow", "Action": ["kms:|"]}"#), 6)
    );
}

#[test]
fn resources() {
    insta::assert_snapshot!(render(
        &statement(
            r#"{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["|"]}"#
        ),
        10
    ));
}

#[test]
fn operators() {
    insta::assert_snapshot!(render(
        &statement(r#"{"Effect": "Allow", "Condition": {"|"}}"#),
        12
    ));
    insta::assert_snapshot!(
        "operators_date",
        render(
            &statement(r#"{"Effect": "Allow", "Condition": {"Date|": {}}}"#),
            12
        )
    );
}

#[test]
fn condition_keys() {
    insta::assert_snapshot!(render(
        &statement(
            r#"{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b", "Condition": {"StringLike": {"|"}}}"#
        ),
        15
    ));
    insta::assert_snapshot!(
        "condition_keys_bool",
        render(
            &statement(
                r#"{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:|"}}}"#
            ),
            8
        )
    );
    insta::assert_snapshot!(
        "condition_keys_tags",
        render(
            &statement(
                r#"{"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:Req|"}}}"#
            ),
            8
        )
    );
}

#[test]
fn principals_and_values() {
    insta::assert_snapshot!(render(
        &statement(r#"{"Effect": "Allow", "Principal": {"|"}}"#),
        10
    ));
    insta::assert_snapshot!(
        "principal_service",
        render(
            &statement(r#"{"Effect": "Allow", "Principal": {"Service": "cl|"}}"#),
            10
        )
    );
    insta::assert_snapshot!(
        "principal_aws",
        render(
            &statement(r#"{"Effect": "Allow", "Principal": {"AWS": ["|"]}}"#),
            10
        )
    );
    insta::assert_snapshot!(
        "acl_values",
        render(
            &statement(
                r#"{"Effect": "Deny", "Action": "s3:PutObject", "Condition": {"StringNotEquals": {"s3:x-amz-acl": "b|"}}}"#
            ),
            10
        )
    );
    insta::assert_snapshot!(
        "bool_values",
        render(
            &statement(
                r#"{"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "|"}}}"#
            ),
            10
        )
    );
}

#[test]
fn nothing_outside_the_policy() {
    assert_eq!(render(r#"|{"Version": "2012-10-17"}"#, 5), "0 items\n");
    assert_eq!(
        render(r#"{"Version": "2012-10-17", "Statement": [|]}"#, 5),
        "0 items\n"
    );
}

#[test]
fn action_items_carry_documentation() {
    let text = statement(r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#);
    let offset = text.find("GetObject").unwrap_or(0) + 3;
    let tree = parse(&text).value;
    let items = tree
        .map(|t| complete(&text, &t, offset))
        .unwrap_or_default();
    let first = items
        .first()
        .and_then(|i| i.documentation.clone())
        .unwrap_or_default();
    insta::assert_snapshot!(first);
}

proptest::proptest! {
    #[test]
    fn never_panics(body in "[{}\\[\\]\":, a-zA-Z0-9*é😀\\\\]{0,60}", offset in 0usize..200) {
        let text = statement(&body);
        if let Some(tree) = parse(&text).value {
            let _ = complete(&text, &tree, offset);
            let _ = crate::hover::hover(&text, &tree, offset);
        }
    }
}

/// Moves every span of `v` by `delta`: what the Terraform extractor does for JSON in a
/// heredoc, whose spans must point into the `.tf` file.
fn shifted(v: &latch_syntax::json::Value, delta: usize) -> latch_syntax::json::Value {
    use latch_syntax::json::{Member, Value, ValueKind};
    let kind = match &v.kind {
        ValueKind::Array(items) => {
            ValueKind::Array(items.iter().map(|i| shifted(i, delta)).collect())
        }
        ValueKind::Object(members) => ValueKind::Object(
            members
                .iter()
                .map(|m| Member {
                    key: m.key.clone(),
                    key_span: m.key_span.shift(delta),
                    value: shifted(&m.value, delta),
                })
                .collect(),
        ),
        k => k.clone(),
    };
    Value::new(kind, v.span.shift(delta))
}

/// A policy in a Terraform heredoc: the tree's spans point into the `.tf` text, and
/// completion and hover answer in `.tf` offsets.
#[test]
fn heredoc_positions() {
    let tf = "resource \"aws_iam_policy\" \"reader\" {\n  name   = \"reader\"\n  policy = <<EOF\n{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\n    \"Effect\": \"Allow\",\n    \"Action\": [\"s3:GetObj\", \"s3:ListBucket\"],\n    \"Resource\": \"arn:aws:s3:::reports/*\",\n    \"Condition\": {\"StringEquals\": {\"aws:SourceVpce\": \"vpce-1\"}}\n  }]\n}\nEOF\n}\n";
    let start = tf.find("<<EOF\n").map_or(0, |i| i + 6);
    let end = tf.find("\nEOF").unwrap_or(tf.len());
    let Some(tree) = parse(&tf[start..end]).value.map(|t| shifted(&t, start)) else {
        panic!("no tree");
    };
    let complete_at = |marker: &str| {
        let offset = tf.find(marker).map_or(0, |i| i + marker.len());
        let items = complete(tf, &tree, offset);
        items
            .iter()
            .take(3)
            .map(|i| format!("{} over {:?}", i.label, &tf[i.range.range()]))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let hover_at = |marker: &str| {
        let offset = tf.find(marker).map_or(0, |i| i + marker.len());
        crate::hover::hover(tf, &tree, offset)
            .map(|h| format!("{:?}\n{}", &tf[h.range.range()], h.markdown))
            .unwrap_or_default()
    };
    insta::assert_snapshot!(format!(
        "{}\n---\n{}\n---\n{}\n---\n{}",
        complete_at("\"s3:GetObj"),
        complete_at("\"aws:Source"),
        hover_at("\"arn:aws:s3:::rep"),
        hover_at("\"s3:List")
    ));
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(48))]

    /// Completion, hover and the catalogue checks on well-formed statements with arbitrary
    /// names: nothing panics, and every range stays inside the text.
    #[test]
    fn arbitrary_names(
        a in "[a-zA-Z0-9:*?$\\{\\}/-]{0,16}",
        r in "[a-zA-Z0-9:*?$\\{\\}/é-]{0,24}",
        op in "(ForAllValues:|ForAnyValue:)?[A-Za-z]{0,14}(IfExists)?",
        k in "[a-zA-Z0-9:*$\\{\\}/<>-]{0,20}",
        offsets in proptest::collection::vec(0usize..220, 6),
    ) {
        let body = format!(
            r#"{{"Effect": "Allow", "Action": ["{a}", "s3:{a}"], "Resource": ["{r}", "arn:aws:s3:::{r}"], "Condition": {{"{op}": {{"{k}": "v"}}}}}}"#
        );
        let text = statement(&body);
        let parsed = latch_syntax::policy::parse_policy(&text);
        let mut found = Vec::new();
        crate::checks::catalog::check_all(&parsed.policy, &mut found);
        for f in &found {
            proptest::prop_assert!(f.range.end <= text.len());
        }
        if let Some(tree) = parsed.tree {
            for o in offsets {
                for it in complete(&text, &tree, o) {
                    proptest::prop_assert!(it.range.start <= it.range.end && it.range.end <= text.len());
                }
                if let Some(h) = crate::hover::hover(&text, &tree, o) {
                    proptest::prop_assert!(h.range.end <= text.len());
                }
            }
        }
    }
}

/// Completes and hovers at the `|` in the Terraform text `marked`, on the tree the
/// Terraform extractor builds, and renders the first items and the hover.
fn render_tf(marked: &str, limit: usize) -> String {
    let offset = marked.find('|').unwrap_or(0);
    let tf = marked.replacen('|', "", 1);
    let policies = crate::tf_fixture::policies(&tf);
    let Some(policy) = policies.first() else {
        return "no policy".into();
    };
    let items = complete(&tf, &policy.tree, offset);
    let mut out = format!("{} items\n", items.len());
    for it in items.iter().take(limit) {
        let _ = writeln!(
            out,
            "{} | {:?} | insert {:?} over {:?}",
            it.label,
            it.kind,
            it.insert_text,
            &tf[it.range.range()]
        );
    }
    match crate::hover::hover(&tf, &policy.tree, offset) {
        Some(h) => {
            let first = h.markdown.lines().next().unwrap_or("");
            let _ = writeln!(out, "hover over {:?}: {first}", &tf[h.range.range()]);
        }
        None => out.push_str("no hover\n"),
    }
    out
}

#[test]
fn jsonencode_positions() {
    let tf = |body: &str| {
        format!(
            "resource \"aws_s3_bucket_policy\" \"b\" {{\n  bucket = \"reports\"\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n{body}\n    }}]\n  }})\n}}\n"
        )
    };
    insta::assert_snapshot!(
        "jsonencode_action",
        render_tf(
            &tf(
                "      Effect = \"Allow\"\n      Principal = \"*\"\n      Action = [\"s3:GetObj|\"]\n      Resource = \"arn:aws:s3:::reports/*\""
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "jsonencode_key",
        render_tf(
            &tf(
                "      Effect = \"Deny\"\n      Principal = \"*\"\n      Action = \"s3:*\"\n      Resource = \"*\"\n      Condition = {\n        Bool = { \"aws:Secure|\" = \"false\" }\n      }"
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "jsonencode_resource",
        render_tf(
            &tf(
                "      Effect = \"Allow\"\n      Principal = \"*\"\n      Action = \"s3:ListBucket\"\n      Resource = \"|\""
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "jsonencode_new_member",
        render_tf(
            &tf(
                "      Effect = \"Allow\"\n      Principal = \"*\"\n      Action = \"s3:ListBucket\"\n      |"
            ),
            3
        )
    );
    insta::assert_snapshot!(
        "jsonencode_hover_arn",
        render_tf(
            &tf(
                "      Effect = \"Allow\"\n      Principal = \"*\"\n      Action = \"s3:ListBucket\"\n      Resource = \"arn:aws:s3:::rep|orts/*\""
            ),
            0
        )
    );
}

#[test]
fn policy_document_positions() {
    let tf = |body: &str| {
        format!(
            "data \"aws_iam_policy_document\" \"d\" {{\n  statement {{\n{body}\n  }}\n}}\n\nresource \"aws_iam_policy\" \"p\" {{\n  policy = data.aws_iam_policy_document.d.json\n}}\n"
        )
    };
    insta::assert_snapshot!(
        "document_action",
        render_tf(
            &tf("    actions   = [\"kms:Decr|\"]\n    resources = [\"*\"]"),
            4
        )
    );
    insta::assert_snapshot!(
        "document_condition_key",
        render_tf(
            &tf(
                "    actions   = [\"s3:ListBucket\"]\n    resources = [\"arn:aws:s3:::reports\"]\n    condition {\n      test     = \"StringLike\"\n      variable = \"s3:pre|\"\n      values   = [\"home/\"]\n    }"
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "document_operator",
        render_tf(
            &tf(
                "    actions   = [\"s3:ListBucket\"]\n    resources = [\"arn:aws:s3:::reports\"]\n    condition {\n      test     = \"StringL|\"\n      variable = \"s3:prefix\"\n      values   = [\"home/\"]\n    }"
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "document_principal",
        render_tf(
            &tf(
                "    actions   = [\"sts:AssumeRole\"]\n    principals {\n      type        = \"Service\"\n      identifiers = [\"lam|\"]\n    }"
            ),
            4
        )
    );
    insta::assert_snapshot!(
        "document_block_keyword",
        render_tf(
            &tf("    act|ions   = [\"s3:GetObject\"]\n    resources = [\"*\"]"),
            4
        )
    );
    insta::assert_snapshot!(
        "document_new_attribute",
        render_tf(
            &tf("    actions   = [\"s3:GetObject\"]\n    |\n    resources = [\"*\"]"),
            4
        )
    );
    insta::assert_snapshot!(
        "document_hover_wildcard",
        render_tf(
            &tf("    actions   = [\"s3:Get*|\"]\n    resources = [\"*\"]"),
            0
        )
    );
}

//! Unit tests of the Terraform module: edits in each policy syntax (applied and read
//! back), syntax errors, unknown values and plans.

use crate::finding::apply_edits;
use crate::json;
use crate::terraform::*;

fn module(text: &str) -> Module {
    analyze_module(
        &[("m/main.tf", text)],
        &ProviderAccounts::new([("aws", "444455556666")]),
    )
}

fn first_policy(m: &Module) -> &ExtractedPolicy {
    &m.policies[0]
}

fn value(json_text: &str) -> json::Value {
    json::parse(json_text).value.unwrap()
}

/// Applies one edit and returns the new text.
fn apply(text: &str, edit: crate::finding::Edit) -> String {
    let (out, skipped) = apply_edits(text, &[&edit]);
    assert_eq!(skipped, 0);
    out
}

const JSONENCODE: &str = r#"resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::b/*"
      },
    ]
  })
}
"#;

#[test]
fn jsonencode_member_is_an_hcl_item_with_the_neighbours_indent() {
    let m = module(JSONENCODE);
    let p = first_policy(&m);
    let i = p.inline().unwrap();
    let st = crate::policy::build::statement_objects(&i.tree)[0];
    let cond = value(r#"{"Bool": {"aws:SecureTransport": "true"}}"#);
    let out = apply(
        JSONENCODE,
        edit::insert_member(JSONENCODE, p, st, "Condition", &cond).unwrap(),
    );
    assert!(
        out.contains(
            "        Resource  = \"arn:aws:s3:::b/*\"\n        Condition = {\n          Bool = {\n            \"aws:SecureTransport\" = \"true\"\n          }\n        }\n      },"
        ),
        "{out}"
    );
    let again = module(&out);
    let c = first_policy(&again).inline().unwrap().policy.statements[0]
        .condition
        .clone()
        .unwrap();
    assert_eq!(c.clauses[0].key.value, "aws:SecureTransport");
    assert!(again.findings.is_empty(), "{:?}", again.findings);
}

#[test]
fn scalar_becomes_a_list_and_policy_variables_stay_escaped() {
    let m = module(JSONENCODE);
    let p = first_policy(&m);
    let i = p.inline().unwrap();
    let st = crate::policy::build::statement_objects(&i.tree)[0];
    let resource = st.get("Resource").unwrap();
    let out = apply(
        JSONENCODE,
        edit::append_element(
            JSONENCODE,
            p,
            resource,
            &value(r#""arn:aws:s3:::b/${aws:username}""#),
        )
        .unwrap(),
    );
    assert!(
        out.contains(r#"Resource  = ["arn:aws:s3:::b/*", "arn:aws:s3:::b/$${aws:username}"]"#),
        "{out}"
    );
    let again = module(&out);
    let r = &first_policy(&again).inline().unwrap().policy.statements[0]
        .resource
        .clone()
        .unwrap();
    assert_eq!(r.values[1].value, "arn:aws:s3:::b/${aws:username}");
}

const HEREDOC: &str = "resource \"aws_iam_policy\" \"p\" {\n  name   = \"p\"\n  policy = <<-EOT\n    {\n      \"Version\": \"2012-10-17\",\n      \"Statement\": [\n        {\n          \"Effect\": \"Allow\",\n          \"Action\": \"s3:GetObject\",\n          \"Resource\": \"*\"\n        }\n      ]\n    }\n  EOT\n}\n";

#[test]
fn heredoc_edits_are_json() {
    let m = module(HEREDOC);
    let p = first_policy(&m);
    assert_eq!(p.syntax, PolicySyntax::Heredoc);
    let i = p.inline().unwrap();
    let st = crate::policy::build::statement_objects(&i.tree)[0];
    let out = apply(
        HEREDOC,
        edit::insert_member(HEREDOC, p, st, "Sid", &value(r#""ReadObjects""#)).unwrap(),
    );
    assert!(
        out.contains(
            "          \"Resource\": \"*\",\n          \"Sid\": \"ReadObjects\"\n        }"
        ),
        "{out}"
    );
    let stmt = value(r#"{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}"#);
    let out2 = apply(HEREDOC, edit::append_statement(HEREDOC, p, &stmt).unwrap());
    let again = module(&out2);
    let pol = &first_policy(&again).inline().unwrap().policy;
    assert_eq!(pol.statements.len(), 2);
    assert_eq!(
        pol.statements[1].effect(),
        Some(crate::policy::Effect::Deny)
    );
    assert!(again.findings.is_empty(), "{:?}\n{out2}", again.findings);
}

const DOCUMENT: &str = r#"data "aws_iam_policy_document" "d" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}

resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
"#;

#[test]
fn policy_document_edits_are_attributes_and_blocks() {
    let m = module(DOCUMENT);
    let p = first_policy(&m);
    assert_eq!(p.syntax, PolicySyntax::PolicyDocument);
    let i = p.inline().unwrap();
    let st = crate::policy::build::statement_objects(&i.tree)[0];

    let cond = value(r#"{"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}}"#);
    let out = apply(
        DOCUMENT,
        edit::insert_member(DOCUMENT, p, st, "Condition", &cond).unwrap(),
    );
    assert!(
        out.contains(
            "    resources = [\"arn:aws:s3:::b/*\"]\n    condition {\n      test     = \"StringEquals\"\n      variable = \"aws:SourceVpce\"\n      values   = [\"vpce-1a2b3c4d\"]\n    }\n  }\n"
        ),
        "{out}"
    );
    let again = module(&out);
    let c = &first_policy(&again).inline().unwrap().policy.statements[0];
    assert_eq!(
        c.condition.as_ref().unwrap().clauses[0].operator.value,
        "StringEquals"
    );

    let actions = st.get("Action").unwrap();
    let out = apply(
        DOCUMENT,
        edit::append_element(DOCUMENT, p, actions, &value(r#""s3:ListBucket""#)).unwrap(),
    );
    assert!(
        out.contains(r#"actions   = ["s3:GetObject", "s3:ListBucket"]"#),
        "{out}"
    );

    let stmt = value(
        r#"{"Sid": "DenyHttp", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#,
    );
    let out = apply(
        DOCUMENT,
        edit::append_statement(DOCUMENT, p, &stmt).unwrap(),
    );
    let again = module(&out);
    assert!(again.findings.is_empty(), "{:?}\n{out}", again.findings);
    let pol = &first_policy(&again).inline().unwrap().policy;
    assert_eq!(pol.statements.len(), 2);
    assert_eq!(pol.statements[1].sid.as_ref().unwrap().value, "DenyHttp");
    assert_eq!(
        pol.statements[1].principal.as_ref().unwrap().value,
        crate::policy::PrincipalValue::Star
    );
    assert!(
        out.contains("\n\n  statement {\n    sid = \"DenyHttp\"\n"),
        "{out}"
    );
}

#[test]
fn quoted_json_edits_are_escaped() {
    let text = "resource \"aws_iam_role_policy\" \"p\" {\n  role   = \"r\"\n  policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:*\\\", \\\"Resource\\\": \\\"*\\\"}]}\"\n}\n";
    let m = module(text);
    assert!(m.findings.is_empty(), "{:?}", m.findings);
    let p = first_policy(&m);
    assert_eq!(p.syntax, PolicySyntax::QuotedJson);
    let st = crate::policy::build::statement_objects(&p.inline().unwrap().tree)[0];
    let out = apply(
        text,
        edit::insert_member(text, p, st, "Sid", &value(r#""All""#)).unwrap(),
    );
    assert!(
        out.contains(r#"\"Resource\": \"*\", \"Sid\": \"All\"}"#),
        "{out}"
    );
    let again = module(&out);
    assert_eq!(
        first_policy(&again).inline().unwrap().policy.statements[0]
            .sid
            .as_ref()
            .unwrap()
            .value,
        "All"
    );
}

#[test]
fn a_broken_block_is_one_finding_and_the_rest_still_counts() {
    let text = format!(
        "resource \"aws_iam_policy\" \"broken\" {{\n  policy = jsonencode({{\n    Version = \n}}\n\n{JSONENCODE}"
    );
    let m = module(&text);
    assert_eq!(m.findings.len(), 1, "{:?}", m.findings);
    let f = &m.findings[0];
    assert_eq!(f.code, "terraform/syntax");
    assert_eq!(&*f.path, "m/main.tf");
    assert_eq!(
        f.message,
        "invalid HCL in `resource \"aws_iam_policy\" \"broken\"`: a value is missing or malformed; latch skips this block until it parses"
    );
    assert_eq!(&text[f.range.range()], "Version =");
    assert!(!f.message.ends_with('.'));
    let line = text[..f.range.start].matches('\n').count() + 1;
    assert!(line <= 4, "{line}");
    assert_eq!(m.policies.len(), 1);
    assert_eq!(m.policies[0].owner, "aws_s3_bucket_policy.p");
}

#[test]
fn json_errors_inside_a_heredoc_land_in_the_tf_file() {
    let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = <<EOF\n{\"Statement\": [{\"Effect\": \"Allow\" \"Action\": \"s3:*\", \"Resource\": \"*\"}]}\nEOF\n}\n";
    let m = module(text);
    let f = m
        .findings
        .iter()
        .find(|f| f.code.starts_with("syntax/"))
        .unwrap_or_else(|| panic!("{:?}", m.findings));
    // The missing comma is between `"Allow"` and `"Action"` on line 3.
    assert_eq!(text[..f.range.start].matches('\n').count() + 1, 3);
    assert_eq!(&text[f.range.range()], "\"Action\"");
    let fixed = apply(text, f.fixes[0].edits[0].clone());
    assert!(module(&fixed).findings.is_empty());
}

#[test]
fn unknown_values_and_their_reasons() {
    let text = r#"
variable "partner" {}
variable "env" { default = "prod" }
locals { env = "prod" }
resource "aws_iam_role" "r" {
  name = "app-${local.env}"
  path = "/svc/"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${var.partner}:root" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = var.env == "prod" ? "a" : "b" } }
    }]
  })
}
resource "aws_iam_role_policy" "p" {
  role   = aws_iam_role.r.name
  policy = var.partner
}
"#;
    let m = module(text);
    let role = m.resource("aws_iam_role.r").unwrap();
    assert_eq!(
        role.arn.as_ref().unwrap().value,
        TfValue::String("arn:aws:iam::444455556666:role/svc/app-prod".to_string())
    );
    let trust = m.policies[0].inline().unwrap();
    let texts: Vec<_> = trust.symbols.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "arn:aws:iam::${var.partner}:root",
            "${var.env == \"prod\" ? \"a\" : \"b\"}"
        ]
    );
    let principal = &trust.policy.statements[0].principal.as_ref().unwrap();
    assert!(trust.is_symbolic(principal.span));
    assert!(!trust.is_symbolic(trust.policy.statements[0].action.as_ref().unwrap().span));
    let PolicySource::Unknown { symbol, .. } = &m.policies[1].source else {
        panic!("{:?}", m.policies[1].source)
    };
    assert_eq!(symbol.text, "${var.partner}");
    assert_eq!(m.policies[1].syntax, PolicySyntax::Unknown);
}

#[test]
fn plan_values_feed_the_same_model() {
    let plan = r#"{
  "format_version": "1.2",
  "planned_values": {
    "root_module": {
      "resources": [
        {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
         "provider_name": "registry.terraform.io/hashicorp/aws",
         "values": {"bucket": "logs", "arn": "arn:aws:s3:::logs"}}
      ],
      "child_modules": [
        {"address": "module.kms", "resources": [
          {"address": "module.kms.aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "values": {"policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}]}"}}
        ]}
      ]
    }
  }
}"#;
    let m = analyze_plan(
        "plan.json",
        plan,
        &ProviderAccounts::new([("aws", "444455556666")]),
    );
    assert!(m.findings.is_empty(), "{:?}", m.findings);
    let b = m.resource("aws_s3_bucket.b").unwrap();
    assert_eq!(b.get_str("bucket"), Some("logs"));
    assert_eq!(b.account.as_deref(), Some("444455556666"));
    assert_eq!(
        b.arn.as_ref().unwrap().value,
        TfValue::String("arn:aws:s3:::logs".to_string())
    );
    let p = &m.policies[0];
    assert_eq!(p.address(), "module.kms.aws_kms_key.k.policy");
    assert_eq!(p.kind, Some(crate::policy::PolicyKind::KeyPolicy));
    let i = p.inline().unwrap();
    let a = &i.policy.statements[0].action.as_ref().unwrap().values[0];
    assert_eq!(a.value, "kms:*");
    assert_eq!(&plan[a.span.range()], "\\\"kms:*\\\"");

    let not_plan = analyze_plan("x.json", "{}", &ProviderAccounts::default());
    assert_eq!(not_plan.findings[0].code, "terraform/not-a-plan");
}

#[test]
fn pinned_values_replace_unknowns() {
    let text = r#"
resource "aws_kms_key" "k" {}
resource "aws_iam_role_policy" "p" {
  role   = "r"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.k.arn }]
  })
}
resource "aws_s3_bucket_server_side_encryption_configuration" "c" {
  bucket = "b"
  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.k.key_id
    }
  }
}
"#;
    let arn = "arn:aws:kms:eu-west-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let providers = ProviderAccounts::new([("aws", "444455556666")]).pin("aws_kms_key.k.arn", arn);
    let m = analyze_module(&[("main.tf", text)], &providers);
    let p = m.policies[0].inline().unwrap();
    assert!(p.symbols.is_empty());
    assert_eq!(
        p.policy.statements[0].resource.as_ref().unwrap().values[0].value,
        arn
    );
    let c = m
        .resource("aws_s3_bucket_server_side_encryption_configuration.c")
        .unwrap();
    let by_default = &c.body.blocks[0].body.blocks[0];
    assert_eq!(
        by_default.body.get("kms_master_key_id"),
        Some(&TfValue::String(
            "1234abcd-12ab-34cd-56ef-1234567890ab".to_string()
        ))
    );
    assert_eq!(
        m.resource("aws_kms_key.k")
            .unwrap()
            .arn
            .as_ref()
            .unwrap()
            .value,
        TfValue::String(arn.to_string())
    );
}

#[test]
fn dynamic_statements_are_read_once_and_flagged() {
    let text = r#"
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = var.readers
    content {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::b/*"]
      principals {
        type        = "AWS"
        identifiers = [statement.value]
      }
    }
  }
}
variable "readers" { default = ["arn:aws:iam::111122223333:root"] }
"#;
    let m = module(text);
    let p = m.policies[0].inline().unwrap();
    assert_eq!(m.policies[0].kind, None);
    assert_eq!(p.policy.statements.len(), 1);
    let reasons: Vec<_> = p.symbols.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons[0].contains("dynamic"), "{reasons:?}");
    assert_eq!(p.symbols[1].text, "${statement.value}");
}

#[test]
fn computed_object_keys_are_evaluated() {
    let text = r#"
locals { svc = "s3" }
resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "s3:GetObject"
      Resource  = "*"
      Condition = { StringEquals = { "${local.svc}:prefix" = "home/" } }
    }]
  })
}
"#;
    let m = module(text);
    let st = &m.policies[0].inline().unwrap().policy.statements[0];
    let clause = &st.condition.as_ref().unwrap().clauses[0];
    assert_eq!(clause.key.value, "s3:prefix");
    assert_eq!(&text[clause.key.span.range()], "\"${local.svc}:prefix\"");
}

#[test]
fn plan_values_replace_symbols_in_the_configuration() {
    let plan = r#"{"planned_values": {"root_module": {"resources": [
      {"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k",
       "provider_name": "registry.terraform.io/hashicorp/aws",
       "values": {"arn": "arn:aws:kms:eu-west-1:444455556666:key/abcd", "key_id": "abcd"}}
    ]}}}"#;
    let text = r#"
resource "aws_kms_key" "k" {}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.k.arn }] })
}
"#;
    let providers = ProviderAccounts::new([("aws", "444455556666")]);
    let plan = analyze_plan("plan.json", plan, &providers);
    let m = analyze_module(&[("main.tf", text)], &providers.pin_plan(&plan));
    let p = m.policies[0].inline().unwrap();
    let r = &p.policy.statements[0].resource.as_ref().unwrap().values[0];
    assert_eq!(r.value, "arn:aws:kms:eu-west-1:444455556666:key/abcd");
    assert_eq!(&text[r.span.range()], "aws_kms_key.k.arn");
    assert!(p.symbols.is_empty());
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    for depth in [200, 5_000] {
        let text = format!(
            "locals {{\n  x = {}1{}\n}}\nresource \"aws_iam_policy\" \"p\" {{\n  policy = jsonencode({{ Statement = local.x }})\n}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let m = module(&text);
        assert_eq!(m.policies.len(), 1);
    }
}

#[test]
fn locals_are_evaluated_once_and_cycles_stay_unknown() {
    let mut text = String::from("locals {\n  l0 = \"arn:aws:s3:::b\"\n");
    for i in 1..40 {
        text.push_str(&format!("  l{i} = [local.l{}, local.l{}]\n", i - 1, i - 1));
    }
    text.push_str("  a = local.b\n  b = local.a\n}\n");
    let m = module(&text);
    let index_files = &m.files;
    let providers = ProviderAccounts::default();
    let index = resolve::Index::new(index_files, &providers, "");
    let e = ast::Expr::new(
        ast::ExprKind::Reference(vec!["local".into(), "a".into()]),
        crate::Span::default(),
    );
    let TfValue::Symbolic(s) = index.eval(0, &e).value else {
        panic!("a cycle cannot be known")
    };
    assert!(s.reason.contains("refers to itself"), "{}", s.reason);
    let e = ast::Expr::new(
        ast::ExprKind::Reference(vec!["local".into(), "l39".into()]),
        crate::Span::default(),
    );
    assert!(matches!(index.eval(0, &e).value, TfValue::List(_)));
}

#[test]
fn jsonencode_of_a_local_object_keeps_the_local_spans() {
    let locals = r#"locals {
  read = {
    Effect   = "Allow"
    Action   = "s3:GetObject"
    Resource = "arn:aws:s3:::b/*"
  }
  policy = {
    Version   = "2012-10-17"
    Statement = [local.read]
  }
}
"#;
    let main = r#"resource "aws_iam_policy" "p" {
  name   = "p"
  policy = jsonencode(local.policy)
}
"#;
    let m = analyze_module(
        &[("m/main.tf", main), ("m/locals.tf", locals)],
        &ProviderAccounts::default(),
    );
    let p = m.policies[0].inline().unwrap();
    assert_eq!(m.policies[0].syntax, PolicySyntax::Jsonencode);
    assert_eq!(&*p.path, "m/locals.tf");
    let a = &p.policy.statements[0].action.as_ref().unwrap().values[0];
    assert_eq!(&locals[a.span.range()], "\"s3:GetObject\"");
    assert_eq!(&*m.policies[0].path, "m/main.tf");
    assert!(locals[p.text_span.range()].starts_with("{\n    Version"));
    assert_eq!(p.references[0].value, "local.read");
}

#[test]
fn a_list_from_another_file_grows_by_concatenation() {
    let main = r#"data "aws_iam_policy_document" "d" {
  statement {
    actions   = local.read_actions
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = local.tls
    }
  }
}
"#;
    let locals = "locals {\n  read_actions = [\"s3:GetObject\"]\n  tls = [\"true\"]\n}\n";
    let m = analyze_module(
        &[("main.tf", main), ("locals.tf", locals)],
        &ProviderAccounts::default(),
    );
    let p = &m.policies[0];
    let st = crate::policy::build::statement_objects(&p.inline().unwrap().tree)[0];
    let edit = edit::append_element(
        main,
        p,
        st.get("Action").unwrap(),
        &value(r#""s3:ListBucket""#),
    )
    .unwrap();
    let out = apply(main, edit);
    assert!(
        out.contains(r#"actions   = concat(local.read_actions, ["s3:ListBucket"])"#),
        "{out}"
    );
    let again = analyze_module(
        &[("main.tf", &out), ("locals.tf", locals)],
        &ProviderAccounts::default(),
    );
    let actions = &again.policies[0].inline().unwrap().policy.statements[0]
        .action
        .clone()
        .unwrap();
    assert_eq!(actions.values.len(), 2);
}

#[test]
fn repeated_resources_and_module_outputs() {
    let text = r#"
resource "aws_iam_role" "r" {
  for_each = toset(["a", "b"])
  name     = "reader-${each.key}"
}
resource "aws_s3_bucket" "b" {
  count  = 1
  bucket = "logs"
}
data "aws_iam_policy_document" "d" {
  count = 1
  statement {
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.b[0].arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.r["a"].arn, module.other.role_arn]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b[0].id
  policy = data.aws_iam_policy_document.d[0].json
}
"#;
    let m = module(text);
    let p = m
        .policies
        .iter()
        .find(|p| p.owner == "aws_s3_bucket_policy.p")
        .unwrap();
    assert_eq!(p.syntax, PolicySyntax::PolicyDocument);
    let i = p.inline().unwrap();
    assert_eq!(
        i.policy.statements[0].resource.as_ref().unwrap().values[0].value,
        "arn:aws:s3:::logs/*"
    );
    let reasons: Vec<_> = i.symbols.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("each.key"), "{reasons:?}");
    assert!(reasons[1].contains("module `other`"), "{reasons:?}");
}

#[test]
fn terraform_json_strings_use_json_escapes() {
    let text = r#"{"resource": {"aws_iam_policy": {"p": {"name": "p",
  "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b\/home\/$${aws:username}\/*\"}]}"}}}}"#;
    let m = analyze_module(&[("main.tf.json", text)], &ProviderAccounts::default());
    assert!(m.findings.is_empty(), "{:?}", m.findings);
    let r = &m.policies[0].inline().unwrap().policy.statements[0]
        .resource
        .clone()
        .unwrap()
        .values[0];
    assert_eq!(r.value, "arn:aws:s3:::b/home/${aws:username}/*");
    assert!(text[r.span.range()].starts_with("\\\"arn:aws:s3:::b\\/home"));
}

#[test]
fn statements_merged_from_another_file_are_not_edited_here() {
    let base = r#"data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Base"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
"#;
    let main = r#"data "aws_iam_policy_document" "d" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Own"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.d.json
}
"#;
    let m = analyze_module(
        &[("main.tf", main), ("base.tf", base)],
        &ProviderAccounts::default(),
    );
    let p = m
        .policies
        .iter()
        .find(|p| p.owner == "aws_iam_policy.p")
        .unwrap();
    let sts = crate::policy::build::statement_objects(&p.inline().unwrap().tree);
    let extra = value(r#""s3:ListBucket""#);
    assert!(edit::append_element(main, p, sts[0].get("Action").unwrap(), &extra).is_none());
    let e = edit::append_element(main, p, sts[1].get("Action").unwrap(), &extra).unwrap();
    assert!(apply(main, e).contains(r#"actions   = ["s3:PutObject", "s3:ListBucket"]"#));
    // A copy of a node is not a node of the tree: nothing says where its text is.
    let copy = sts[1].clone();
    assert!(edit::insert_member(main, p, &copy, "Condition", &extra).is_none());
    assert!(
        edit::insert_member(
            main,
            p,
            sts[1],
            "Condition",
            &value(r#"{"Bool": {"aws:SecureTransport": "true"}}"#)
        )
        .is_some()
    );
}

#[test]
fn a_variable_default_is_not_the_value_but_a_tfvars_value_is() {
    let main = "variable \"env\" { default = \"prod\" }\nvariable \"doc\" { default = \"\" }\nresource \"aws_iam_role\" \"r\" {\n  name = \"app-${var.env}\"\n  assume_role_policy = var.doc\n}\n";
    let providers = ProviderAccounts::new([("aws", "444455556666")]);
    let m = analyze_module(&[("m/main.tf", main)], &providers);
    let arn = &m
        .resource("aws_iam_role.r")
        .unwrap()
        .arn
        .as_ref()
        .unwrap()
        .value;
    assert!(!arn.is_known(), "{arn:?}");
    // The variable's default `""` is never read as the policy document.
    assert_eq!(m.policies[0].syntax, PolicySyntax::Unknown);
    let m = analyze_module(
        &[
            ("m/main.tf", main),
            ("m/terraform.tfvars", "env = \"test\"\n"),
        ],
        &providers,
    );
    assert_eq!(
        m.resource("aws_iam_role.r")
            .unwrap()
            .arn
            .as_ref()
            .unwrap()
            .value,
        TfValue::String("arn:aws:iam::444455556666:role/app-test".to_string())
    );
}

#[test]
fn unknown_source_documents_may_add_statements_and_overrides_replace_by_sid() {
    let text = r#"data "aws_iam_policy_document" "a" {
  statement {
    sid       = "One"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "b" {
  statement {
    sid       = "One"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "c" {
  source_policy_documents   = compact([var.extra, data.aws_iam_policy_document.a.json])
  override_policy_documents = [data.aws_iam_policy_document.b.json]
}
resource "aws_iam_policy" "p" {
  name   = "p"
  policy = data.aws_iam_policy_document.c.json
}
"#;
    let m = module(text);
    let p = m.policies[0].inline().unwrap();
    assert_eq!(p.policy.statements.len(), 1);
    let action = p.policy.statements[0].action.as_ref().unwrap();
    // The override's statement, at its own place.
    assert_eq!(&text[action.span.range()], "[\"s3:PutObject\"]");
    // `var.extra` may add statements: the statement list is not known to be complete.
    let statements = p.tree.get("Statement").unwrap();
    assert!(p.is_symbolic(statements.span));
}

#[test]
fn statements_of_concat_and_conditionals_keep_their_ranges() {
    let text = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Statement = concat([{ Effect = \"Allow\" }], var.x ? [{ Effect = \"Deny\" }] : [])\n  })\n}\n";
    let m = module(text);
    let p = m.policies[0].inline().unwrap();
    let effects: Vec<&str> = p
        .policy
        .statements
        .iter()
        .map(|s| &text[s.effect.as_ref().unwrap().span.range()])
        .collect();
    assert_eq!(effects, vec!["\"Allow\"", "\"Deny\""]);
}

#[test]
fn merge_and_for_expressions_keep_the_ranges_of_their_pieces() {
    let text = "resource \"aws_iam_policy\" \"p\" {\n  name = \"p\"\n  policy = jsonencode({\n    Statement = [for s in var.list : merge({ Effect = \"Deny\" }, var.y ? { Sid = \"X\" } : {})]\n  })\n}\n";
    let m = module(text);
    let p = m.policies[0].inline().unwrap();
    assert_eq!(p.policy.statements.len(), 1);
    let st = &p.policy.statements[0];
    assert_eq!(&text[st.effect.as_ref().unwrap().span.range()], "\"Deny\"");
    let sid = st.sid.as_ref().unwrap();
    assert_eq!(&text[sid.span.range()], "\"X\"");
    // The `Sid` comes from a branch that may not be taken: its key is possibly absent.
    let key = text.find("Sid").unwrap();
    assert!(p.is_symbolic(crate::span::Span::new(key, key + 3)));
}

#[test]
fn count_zero_resources_are_absent_and_unknown_counts_maybe_present() {
    let text = "resource \"aws_iam_policy\" \"a\" {\n  count = 0\n  name = \"a\"\n  policy = jsonencode({ Statement = [] })\n}\nresource \"aws_iam_policy\" \"b\" {\n  count = var.n\n  name = \"b\"\n  policy = jsonencode({ Statement = [] })\n}\n";
    let m = module(text);
    let owners: Vec<&str> = m.policies.iter().map(|p| p.owner.as_str()).collect();
    assert_eq!(owners, vec!["aws_iam_policy.b"]);
    assert!(m.resource("aws_iam_policy.a").is_none());
}

/// Found by the `terraform` fuzz target: a `.tf.json` cut off inside a policy string whose
/// last character is several bytes. The string has no closing quote, so its text runs to
/// the end of the file; every range stays on a character boundary.
#[test]
fn an_unterminated_policy_string_in_tf_json_keeps_ranges_on_characters() {
    let text =
        "{\"resource\": {\"aws_iam_policy\": {\"p\": {\"policy\": \"{\\\"Statement\\\": \u{904}";
    let m = analyze_module(&[("main.tf.json", text)], &ProviderAccounts::default());
    assert!(!m.findings.is_empty());
    assert_ranges_on_characters(text, &m.findings);
}

/// Every range of `findings` in `text` (their own, their related locations' and their
/// fixes' edits in the same file) lies inside `text` on character boundaries.
fn assert_ranges_on_characters(text: &str, findings: &[crate::finding::Finding]) {
    let on_chars = |r: crate::span::Span| {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    };
    for f in findings {
        assert!(on_chars(f.range), "{text}\n{f:?}");
        let related = f.related.iter().filter(|r| r.path.is_none());
        let edits = f
            .fixes
            .iter()
            .flat_map(|x| &x.edits)
            .filter(|e| e.path.is_none());
        for r in related.map(|r| r.range).chain(edits.map(|e| e.range)) {
            assert!(on_chars(r), "{text}\n{r:?} of {f:?}");
        }
    }
}

/// Found by the `terraform` fuzz target: a `.tf.json` cut off in a policy string whose
/// JSON has an interpolation in a string and ends on a two-byte character. The JSON
/// finding at the end mapped back onto the first byte of that character; every range now
/// widens to whole characters of the file, wherever the decoded bytes came from.
#[test]
fn template_findings_stay_on_characters_whatever_the_decoded_bytes_map_to() {
    let texts = [
        "{\"resource\": {\"aws_iam_policy\": {\"p\": {\"policy\": \"{\\\"A\\\": \\\"${x}/\u{3e3}\u{742}",
        "{\"resource\": {\"aws_iam_policy\": {\"p\": {\"policy\": \"{\\\"A\\\": \\\"${x}/日",
        "{\"resource\": {\"aws_iam_policy\": {\"p\": {\"policy\": \"{\\\"A\\\": \\\"${x}/😀",
    ];
    for text in texts {
        let m = analyze_module(&[("main.tf.json", text)], &ProviderAccounts::default());
        assert!(!m.findings.is_empty(), "{text}");
        assert_ranges_on_characters(text, &m.findings);
    }
}

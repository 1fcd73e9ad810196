use super::*;
use crate::workspace::workspace_from_fixture;

/// The byte span of the `n`-th (from 0) occurrence of `needle` in `text`.
fn nth(text: &str, needle: &str, n: usize) -> Span {
    let mut from = 0;
    for _ in 0..n {
        from += text[from..].find(needle).unwrap() + needle.len();
    }
    let at = from + text[from..].find(needle).unwrap();
    Span::new(at, at + needle.len())
}

fn at(text: &str, needle: &str) -> Span {
    nth(text, needle, 0)
}

const WS: &str = r#"//- latch.toml
[accounts]
storage = "444455556666"
partner = "999988887777"

[providers]
aws = "storage"

[[principal]]
arn = "arn:aws:iam::999988887777:role/Partner"
policies = ["iam/partner.json"]

[[key]]
arn = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
policy = "kms/key.json"

[[expect]]
principal = "arn:aws:iam::999988887777:role/Partner"
action = "s3:GetObject"
resource = "arn:aws:s3:::reports-bucket/q3.csv"
//- iam/partner.json
{"Version": "2012-10-17", "Statement": [
  {"Sid": "読み取り😀", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports-bucket/*"},
  {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
  {"Sid": "Everything", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::*"}
]}
//- kms/key.json
{"Version": "2012-10-17", "Statement": [{"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999988887777:role/Partner"}, "Action": "kms:Decrypt", "Resource": "*"}]}
//- main.tf
resource "aws_s3_bucket" "reports" {
  bucket = "reports-bucket"
}

resource "aws_iam_role" "reader" {
  name               = "Reader"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "Assume"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_s3_bucket_policy" "reports" {
  bucket = aws_s3_bucket.reports.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PartnerRead"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::999988887777:role/Partner" }
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.reports.arn}/*"
    }]
  })
}
"#;

fn ws() -> Workspace {
    workspace_from_fixture(WS)
}

#[test]
fn json_symbols_are_the_policy_and_its_statements_with_exact_ranges() {
    let ws = ws();
    let text = ws.text("iam/partner.json").unwrap();
    let symbols = document_symbols(&ws, "iam/partner.json");
    assert_eq!(symbols.len(), 1);
    let p = &symbols[0];
    assert_eq!(p.name, "identity policy");
    assert_eq!(p.kind, SymbolKind::Policy);
    assert_eq!(p.range, Span::new(0, text.trim_end().len()));
    let names: Vec<&str> = p.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["読み取り😀", "#2", "Everything"]);
    let first = &p.children[0];
    // The Sid's string, quotes included, in bytes (CJK and emoji are multi-byte).
    assert_eq!(first.selection, at(text, "\"読み取り😀\""));
    assert_eq!(first.range.start, at(text, "{\"Sid\": \"読").start);
    assert_eq!(&text[first.range.end - 1..first.range.end], "}");
    assert_eq!(first.detail.as_deref(), Some("Allow s3:GetObject"));
    // A statement without a Sid selects the whole statement.
    assert_eq!(p.children[1].selection, p.children[1].range);
}

#[test]
fn terraform_symbols_are_the_policy_blocks_with_their_statements() {
    let ws = ws();
    let text = ws.text("main.tf").unwrap();
    let symbols = document_symbols(&ws, "main.tf");
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "aws_s3_bucket.reports",
            "aws_iam_role.reader",
            "data.aws_iam_policy_document.trust",
            "aws_s3_bucket_policy.reports"
        ]
    );
    let bucket = &symbols[0];
    assert_eq!(bucket.kind, SymbolKind::Resource);
    assert_eq!(bucket.detail.as_deref(), Some("reports-bucket"));
    assert_eq!(bucket.range.start, 0);
    assert_eq!(&text[bucket.range.end - 1..bucket.range.end], "}");
    assert_eq!(
        &text[bucket.selection.range()],
        "\"aws_s3_bucket\" \"reports\""
    );
    let doc = &symbols[2];
    assert_eq!(doc.kind, SymbolKind::DataSource);
    assert_eq!(doc.children.len(), 1, "{doc:?}");
    assert_eq!(doc.children[0].name, "Assume");
    assert_eq!(doc.children[0].selection, at(text, "\"Assume\""));
    let policy = &symbols[3];
    assert_eq!(policy.children.len(), 1);
    let attr = &policy.children[0];
    assert_eq!(attr.name, "policy");
    assert_eq!(attr.detail.as_deref(), Some("resource policy"));
    assert_eq!(attr.children[0].name, "PartnerRead");
    assert_eq!(attr.children[0].selection, at(text, "\"PartnerRead\""));
}

#[test]
fn manifest_symbols_are_its_entries() {
    let ws = ws();
    let text = ws.text("latch.toml").unwrap();
    let symbols = document_symbols(&ws, "latch.toml");
    let names: Vec<&str> = symbols.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "accounts",
            "providers",
            "arn:aws:iam::999988887777:role/Partner",
            "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn:aws:iam::999988887777:role/Partner s3:GetObject arn:aws:s3:::reports-bucket/q3.csv",
        ]
    );
    let accounts = &symbols[0];
    assert_eq!(accounts.selection, at(text, "[accounts]"));
    assert_eq!(
        &text[accounts.range.range()],
        "[accounts]\nstorage = \"444455556666\"\npartner = \"999988887777\""
    );
    assert_eq!(accounts.children[1].name, "partner");
    assert_eq!(accounts.children[1].detail.as_deref(), Some("999988887777"));
    assert_eq!(symbols[2].kind, SymbolKind::Principal);
    assert_eq!(
        symbols[2].selection,
        at(text, "\"arn:aws:iam::999988887777:role/Partner\"")
    );
    assert_eq!(symbols[4].detail.as_deref(), Some("expect allow"));
    assert_eq!(&text[symbols[4].selection.range()], "[[expect]]");
}

#[test]
fn definition_from_a_manifest_path_opens_the_file() {
    let ws = ws();
    let text = ws.text("latch.toml").unwrap();
    let span = at(text, "\"kms/key.json\"");
    let (origin, targets) = definition(&ws, "latch.toml", span.start + 3).unwrap();
    assert_eq!(origin, span);
    assert_eq!(targets, vec![Target::file(Arc::from("kms/key.json"))]);
    // A provider's account name: its `[accounts]` entry.
    let (_, targets) =
        definition(&ws, "latch.toml", at(text, "aws = \"storage\"").end - 3).unwrap();
    assert_eq!(targets[0].selection, at(text, "storage"));
}

#[test]
fn definition_from_terraform_references() {
    let ws = ws();
    let text = ws.text("main.tf").unwrap();
    let reference = at(text, "data.aws_iam_policy_document.trust.json");
    let (origin, targets) = definition(&ws, "main.tf", reference.start + 8).unwrap();
    assert_eq!(origin, reference);
    assert_eq!(targets.len(), 1);
    assert_eq!(
        &text[targets[0].range.start..targets[0].range.start + 40],
        "data \"aws_iam_policy_document\" \"trust\" {"
    );
    let bucket_ref = nth(text, "aws_s3_bucket.reports", 0);
    let (_, targets) = definition(&ws, "main.tf", bucket_ref.start + 2).unwrap();
    assert_eq!(targets[0].range.start, 0, "{targets:?}");
    // Inside an interpolation.
    let interp = at(text, "aws_s3_bucket.reports.arn");
    let (origin, targets) = definition(&ws, "main.tf", interp.end - 1).unwrap();
    assert_eq!(origin, interp);
    assert_eq!(targets[0].range.start, 0);
}

#[test]
fn definition_from_an_arn_in_a_policy_goes_to_its_declarations() {
    let ws = ws();
    // The partner role in the key policy: its `[[principal]]` entry.
    let key = ws.text("kms/key.json").unwrap();
    let span = at(key, "\"arn:aws:iam::999988887777:role/Partner\"");
    let (origin, targets) = definition(&ws, "kms/key.json", span.start + 5).unwrap();
    assert_eq!(origin, span);
    let manifest = ws.text("latch.toml").unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(&*targets[0].path, "latch.toml");
    assert_eq!(&manifest[targets[0].range.range()][..13], "[[principal]]");
    // A bucket pattern: the Terraform bucket.
    let partner = ws.text("iam/partner.json").unwrap();
    let span = at(partner, "\"arn:aws:s3:::reports-bucket/*\"");
    let (_, targets) = definition(&ws, "iam/partner.json", span.start + 5).unwrap();
    assert_eq!(&*targets[0].path, "main.tf");
    assert_eq!(targets[0].range.start, 0);
    // The key ARN: the `[[key]]` entry.
    let span = at(partner, "\"arn:aws:kms:");
    let (_, targets) = definition(&ws, "iam/partner.json", span.start + 5).unwrap();
    assert_eq!(&manifest[targets[0].range.range()][..7], "[[key]]");
    // `arn:aws:s3:::*` names no bucket in particular.
    let span = at(partner, "\"arn:aws:s3:::*\"");
    assert!(definition(&ws, "iam/partner.json", span.start + 5).is_none());
}

#[test]
fn references_to_a_bucket_and_a_principal_are_workspace_wide() {
    let ws = ws();
    let text = ws.text("main.tf").unwrap();
    // From the bucket's block header.
    let refs = references(&ws, "main.tf", 12, false).unwrap();
    let partner = ws.text("iam/partner.json").unwrap();
    let manifest = ws.text("latch.toml").unwrap();
    let got: Vec<(&str, Span)> = refs.iter().map(|t| (&*t.path, t.range)).collect();
    assert_eq!(
        got,
        vec![
            (
                "iam/partner.json",
                at(partner, "\"arn:aws:s3:::reports-bucket/*\"")
            ),
            (
                "latch.toml",
                at(manifest, "\"arn:aws:s3:::reports-bucket/q3.csv\"")
            ),
            ("main.tf", at(text, "\"${aws_s3_bucket.reports.arn}/*\"")),
        ]
    );
    // With the declaration, which comes first.
    let refs = references(&ws, "main.tf", 12, true).unwrap();
    assert_eq!(refs[0].range.start, 0);
    assert_eq!(refs.len(), 4);
    // The partner role, from its mention in the key policy: the manifest entry's ARN is
    // its declaration, the mentions are the key policy, the bucket policy and the intent.
    let key = ws.text("kms/key.json").unwrap();
    let span = at(key, "\"arn:aws:iam::999988887777:role/Partner\"");
    let refs = references(&ws, "kms/key.json", span.start + 3, false).unwrap();
    let files: Vec<&str> = refs.iter().map(|t| &*t.path).collect();
    assert_eq!(files, ["kms/key.json", "latch.toml", "main.tf"]);
}

#[test]
fn workspace_symbols_filter_by_substring() {
    let ws = ws();
    let found = workspace_symbols(&ws, "partner");
    let names: Vec<(&str, &str)> = found.iter().map(|s| (s.name.as_str(), &*s.path)).collect();
    assert!(names.contains(&("partner", "latch.toml")), "{names:?}");
    assert!(names.contains(&("PartnerRead", "main.tf")), "{names:?}");
    assert!(names.contains(&("Partner", "kms/key.json")), "{names:?}");
    let read = found.iter().find(|s| s.name == "PartnerRead").unwrap();
    assert_eq!(read.container.as_deref(), Some("policy"));
    assert!(
        workspace_symbols(&ws, "読み")
            .iter()
            .any(|s| s.name == "読み取り😀")
    );
    assert!(workspace_symbols(&ws, "no such thing").is_empty());
}

#[test]
fn references_and_definitions_never_panic_at_any_offset() {
    let ws = ws();
    for path in ["latch.toml", "main.tf", "iam/partner.json", "kms/key.json"] {
        let len = ws.text(path).unwrap().len();
        for offset in 0..=len + 2 {
            let _ = definition(&ws, path, offset);
            let _ = references(&ws, path, offset, true);
        }
    }
}

#[test]
fn tf_reference_under_the_cursor() {
    let t = "x = aws_s3_bucket.b[0].arn\ny = \"${data.aws_iam_policy_document.d.json}\"\nz = \"aws_s3_bucket\"";
    assert_eq!(
        tf_reference_at(t, 6),
        Some((Span::new(4, 26), "aws_s3_bucket.b.arn".to_string()))
    );
    let d = t.find("data.").unwrap();
    assert_eq!(
        tf_reference_at(t, d + 3).map(|r| r.1),
        Some("data.aws_iam_policy_document.d.json".to_string())
    );
    assert_eq!(tf_reference_at(t, t.len() - 3), None);
    assert_eq!(tf_reference_at("", 0), None);
}

#[test]
fn definition_of_module_outputs_variables_and_locals() {
    let ws = workspace_from_fixture(
        r#"//- main.tf
module "store" {
  source = "./modules/store"
  name   = "store-bucket"
}

resource "aws_iam_policy" "p" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${module.store.bucket_arn}/*" }] })
}
//- modules/store/main.tf
resource "aws_s3_bucket" "b" {
  bucket = var.name
  tags   = { team = local.team }
}

variable "name" {
  type = string
}

locals {
  team = "storage"
}

output "bucket_arn" {
  value = aws_s3_bucket.b.arn
}
"#,
    );
    let main = ws.text("main.tf").unwrap();
    let child = ws.text("modules/store/main.tf").unwrap();
    let r = at(main, "module.store.bucket_arn");
    let (origin, targets) = definition(&ws, "main.tf", r.start + 9).unwrap();
    assert_eq!(origin, r);
    assert_eq!(&*targets[0].path, "modules/store/main.tf");
    assert_eq!(
        targets[0].range.start,
        at(child, "output \"bucket_arn\"").start
    );
    assert_eq!(&child[targets[0].selection.range()], "\"bucket_arn\"");
    let (_, targets) = definition(
        &ws,
        "modules/store/main.tf",
        at(child, "var.name").start + 5,
    )
    .unwrap();
    assert_eq!(targets[0].range.start, at(child, "variable \"name\"").start);
    let (_, targets) = definition(
        &ws,
        "modules/store/main.tf",
        at(child, "local.team").end - 1,
    )
    .unwrap();
    assert_eq!(targets[0].range, at(child, "team = \"storage\""));
    assert_eq!(
        targets[0].selection,
        Span::new(targets[0].range.start, targets[0].range.start + 4)
    );
    // The instance knows the bucket's name: the policy's ARN names it.
    let v = at(main, "\"${module.store.bucket_arn}/*\"");
    let (_, entities) = entities_at(&ws, "main.tf", v.start + 1).unwrap();
    assert_eq!(entities, vec![Entity::Bucket("store-bucket".into())]);
}

//! The workspace simulation on a generated workspace of 1,000 files: 300 principals with
//! their identity policies, 200 buckets with bucket policies (half of them SSE-KMS), 50
//! KMS keys with key policies, SCPs at two levels, in JSON described by `latch.toml`, plus
//! Terraform modules. Prints the cold analysis time and the re-analysis time after a
//! one-file edit (the editor's case).
//!
//! Run: `cargo bench -p latch-ide --bench workspace`.

use std::time::Instant;

use latch_ide::workspace::Workspace;

const STORAGE: &str = "444455556666";
const CALLER: &str = "111122223333";

fn key_arn(k: usize) -> String {
    format!("arn:aws:kms:us-east-1:{STORAGE}:key/0000aaaa-0000-0000-0000-{k:012}")
}

fn files() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut toml = format!("[accounts]\nstorage = \"{STORAGE}\"\ncaller = \"{CALLER}\"\n\n");
    for p in 0..300 {
        let b = p % 200;
        out.push((
            format!("iam/role-{p}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject"],
      "Resource": "arn:aws:s3:::bucket-{b}/data/*"
    }},
    {{
      "Sid": "Key",
      "Effect": "Allow",
      "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
      "Resource": "{}"
    }}
  ]
}}
"#,
                key_arn(b % 50)
            ),
        ));
        toml.push_str(&format!(
            "[[principal]]\narn = \"arn:aws:iam::{CALLER}:role/role-{p}\"\npolicies = [\"iam/role-{p}.json\"]\n\n"
        ));
    }
    for b in 0..200 {
        out.push((
            format!("s3/bucket-{b}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Grant",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{CALLER}:role/role-{b}"}},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket-{b}/data/*"
    }},
    {{
      "Sid": "TlsOnly",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "arn:aws:s3:::bucket-{b}/*",
      "Condition": {{"Bool": {{"aws:SecureTransport": "false"}}}}
    }}
  ]
}}
"#
            ),
        ));
        toml.push_str(&format!(
            "[[bucket]]\nname = \"bucket-{b}\"\naccount = \"storage\"\npolicy = \"s3/bucket-{b}.json\"\n"
        ));
        if b % 2 == 0 {
            toml.push_str(&format!("kms_key = \"{}\"\n", key_arn(b % 50)));
        }
        toml.push('\n');
    }
    for k in 0..50 {
        // A third of the keys do not let the caller account in: those reads fail.
        let caller = if k % 3 == 0 { "999988887777" } else { CALLER };
        out.push((
            format!("kms/key-{k}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "Root",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{STORAGE}:root"}},
      "Action": "kms:*",
      "Resource": "*"
    }},
    {{
      "Sid": "Callers",
      "Effect": "Allow",
      "Principal": {{"AWS": "arn:aws:iam::{caller}:root"}},
      "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
      "Resource": "*"
    }}
  ]
}}
"#
            ),
        ));
        toml.push_str(&format!(
            "[[key]]\narn = \"{}\"\npolicy = \"kms/key-{k}.json\"\n\n",
            key_arn(k)
        ));
    }
    out.push((
        "org/full.json".into(),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#.into(),
    ));
    out.push((
        "org/deny-leave.json".into(),
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}"#.into(),
    ));
    toml.push_str("[[scp]]\npolicy = \"org/full.json\"\nlevel = \"root\"\n\n[[scp]]\npolicy = \"org/deny-leave.json\"\nlevel = \"ou\"\naccounts = [\"caller\"]\n\n");
    // Terraform: modules of roles with inline policies on their own buckets.
    for m in 0..448 {
        out.push((
            format!("tf/m{}/main.tf", m / 2),
            format!(
                r#"resource "aws_s3_bucket" "b{m}" {{
  bucket = "tf-bucket-{m}"
}}

resource "aws_iam_role" "r{m}" {{
  name = "tf-role-{m}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "ec2.amazonaws.com" }} }}]
  }})
}}

resource "aws_iam_role_policy" "r{m}" {{
  role = aws_iam_role.r{m}.id
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "s3:GetObject", Resource = "${{aws_s3_bucket.b{m}.arn}}/*" }}]
  }})
}}
"#
            ),
        ));
    }
    // Two files per module folder share one path above; make them distinct.
    for (i, f) in out.iter_mut().enumerate() {
        if f.0.starts_with("tf/") && i % 2 == 1 {
            f.0 = f.0.replace("main.tf", "extra.tf");
        }
    }
    out.push(("latch.toml".into(), toml));
    out
}

fn main() {
    let files = files();
    let count = files.len();
    let start = Instant::now();
    let mut ws = Workspace::new();
    for (p, t) in &files {
        ws.set_file(p, t.as_bytes());
    }
    let analysis = ws.analyze();
    let cold = start.elapsed();
    let findings = analysis.all().count();
    let mut edits = Vec::new();
    for i in 0..10 {
        let text = files[0].1.replace("\"Read\"", &format!("\"Read{i}\""));
        let t = Instant::now();
        ws.set_file(&files[0].0, text.as_bytes());
        let _ = ws.analyze();
        edits.push(t.elapsed());
    }
    edits.sort();
    println!(
        "{count} files, {findings} findings: cold {:.1} ms, one-file edit median {:.1} ms",
        cold.as_secs_f64() * 1e3,
        edits[edits.len() / 2].as_secs_f64() * 1e3
    );
}

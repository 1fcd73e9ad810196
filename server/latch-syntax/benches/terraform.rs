//! Terraform parse + extract throughput over a generated corpus: 1,000 `.tf` files in 100
//! modules of 10 files, each file with a bucket and its `jsonencode` policy, a role with a
//! heredoc trust policy and a quoted-JSON inline policy, and an `aws_iam_policy_document`.
//! Run with `cargo bench -p latch-syntax --bench terraform`.

use divan::Bencher;
use divan::counter::BytesCount;
use latch_syntax::terraform::{ProviderAccounts, analyze_module};

fn main() {
    divan::main();
}

fn file(m: usize, f: usize) -> String {
    let n = m * 10 + f;
    format!(
        r#"# generated file {n}
resource "aws_s3_bucket" "b{f}" {{
  bucket = "corp-data-{n}"
}}

resource "aws_s3_bucket_policy" "b{f}" {{
  bucket = aws_s3_bucket.b{f}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{
        Sid       = "DenyInsecure"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.b{f}.arn, "${{aws_s3_bucket.b{f}.arn}}/*"]
        Condition = {{ Bool = {{ "aws:SecureTransport" = "false" }} }}
      }},
      {{
        Sid       = "AllowReader"
        Effect    = "Allow"
        Principal = {{ AWS = aws_iam_role.r{f}.arn }}
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource  = [aws_s3_bucket.b{f}.arn, "${{aws_s3_bucket.b{f}.arn}}/*"]
      }},
    ]
  }})
}}

resource "aws_iam_role" "r{f}" {{
  name               = "reader-{n}"
  assume_role_policy = <<-EOT
    {{
      "Version": "2012-10-17",
      "Statement": [{{
        "Effect": "Allow",
        "Principal": {{"AWS": "arn:aws:iam::111122223333:root"}},
        "Action": "sts:AssumeRole",
        "Condition": {{"StringEquals": {{"sts:ExternalId": "ext-{n}"}}}}
      }}]
    }}
  EOT
}}

resource "aws_iam_role_policy" "r{f}" {{
  role   = aws_iam_role.r{f}.id
  policy = "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"kms:Decrypt\", \"Resource\": \"*\"}}]}}"
}}

data "aws_iam_policy_document" "d{f}" {{
  statement {{
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["${{aws_s3_bucket.b{f}.arn}}/incoming/*"]
    principals {{
      type        = "AWS"
      identifiers = [aws_iam_role.r{f}.arn]
    }}
    condition {{
      test     = "StringEquals"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }}
  }}
}}

resource "aws_iam_policy" "p{f}" {{
  name   = "writer-{n}"
  policy = data.aws_iam_policy_document.d{f}.json
}}
"#
    )
}

fn corpus() -> Vec<Vec<(String, String)>> {
    (0..100)
        .map(|m| {
            (0..10)
                .map(|f| (format!("mod{m}/f{f}.tf"), file(m, f)))
                .collect()
        })
        .collect()
}

#[divan::bench(sample_count = 10)]
fn parse_and_extract_1000_files(bencher: Bencher) {
    let modules = corpus();
    let bytes: usize = modules
        .iter()
        .flat_map(|m| m.iter().map(|(_, t)| t.len()))
        .sum();
    let providers = ProviderAccounts::new([("aws", "444455556666")]);
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let mut policies = 0;
        for m in &modules {
            let refs: Vec<(&str, &str)> = m.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
            policies += analyze_module(&refs, &providers).policies.len();
        }
        divan::black_box(policies)
    });
}

/// hcl-edit parsing alone (block splitting included), to show where the time goes.
#[divan::bench(sample_count = 10)]
fn parse_only_1000_files(bencher: Bencher) {
    let modules = corpus();
    let bytes: usize = modules
        .iter()
        .flat_map(|m| m.iter().map(|(_, t)| t.len()))
        .sum();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let mut blocks = 0;
        for m in &modules {
            for (p, t) in m {
                blocks += latch_syntax::terraform::syntax::parse_file(p, t)
                    .blocks
                    .len();
            }
        }
        divan::black_box(blocks)
    });
}

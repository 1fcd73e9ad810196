//! Benchmarks of the catalogue's load time and of completion and hover latency on typical
//! positions. Run with `cargo bench -p latch-ide --bench completion`.

use latch_ide::{completion, hover};
use latch_syntax::json::parse;

fn main() {
    divan::main();
}

/// Decoding the embedded catalogue (what the first completion or check pays once).
#[divan::bench]
fn catalog_load() -> usize {
    divan::black_box(latch_syntax::catalog::decode_embedded())
        .services
        .len()
}

/// Decoding the index and the actions of every service (what `"Action": "*"` pays once).
#[divan::bench]
fn catalog_load_all_actions() -> usize {
    let c = latch_syntax::catalog::decode_embedded();
    c.services.iter().map(|s| s.actions().len()).sum()
}

/// Decoding the index and the actions of `s3` (a typical first completion).
#[divan::bench]
fn catalog_load_with_s3() -> usize {
    let c = latch_syntax::catalog::decode_embedded();
    c.service("s3").map_or(0, |s| s.actions().len())
}

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Read",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket", "s3:Get"],
      "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
      "Condition": {
        "StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5", "s3:" : "x" }
      }
    },
    {
      "Effect": "Deny",
      "Action": "ec2:*",
      "Resource": "",
      "Condition": { "Bool": { "aws:" : "false" } }
    }
  ]
}"#;

fn at(marker: &str, delta: isize) -> usize {
    let i = POLICY.find(marker).unwrap_or(0) as isize + marker.len() as isize + delta;
    i.max(0) as usize
}

fn bench_complete(bencher: divan::Bencher, offset: usize) {
    let tree = parse(POLICY).value;
    // Warm the shared catalogue so the measurement is the completion alone.
    let _ = latch_syntax::catalog::catalog();
    bencher.bench(|| {
        tree.as_ref()
            .map(|t| completion::complete(POLICY, t, offset).len())
    });
}

#[divan::bench]
fn complete_service_prefix(bencher: divan::Bencher) {
    bench_complete(bencher, at("\"Action\": [\"", 0));
}

#[divan::bench]
fn complete_s3_action(bencher: divan::Bencher) {
    bench_complete(bencher, at("\"s3:Get", -1));
}

#[divan::bench]
fn complete_condition_key_s3(bencher: divan::Bencher) {
    bench_complete(bencher, at("\"s3:\" :", -3));
}

#[divan::bench]
fn complete_condition_key_ec2_wildcard(bencher: divan::Bencher) {
    bench_complete(bencher, at("{ \"aws:", -1));
}

#[divan::bench]
fn complete_resource_ec2_wildcard(bencher: divan::Bencher) {
    bench_complete(bencher, at("\"Resource\": \"", 0));
}

#[divan::bench]
fn hover_action(bencher: divan::Bencher) {
    let tree = parse(POLICY).value;
    let offset = at("\"s3:GetObj", 0);
    let _ = latch_syntax::catalog::catalog();
    bencher.bench(|| tree.as_ref().and_then(|t| hover::hover(POLICY, t, offset)));
}

/// The six catalogue checks on the policy above (parsed once).
#[divan::bench]
fn catalog_checks(bencher: divan::Bencher) {
    let parsed = latch_syntax::policy::parse_policy(POLICY);
    let _ = latch_syntax::catalog::catalog();
    bencher.bench(|| {
        let mut out = Vec::new();
        latch_ide::checks::catalog::check_all(&parsed.policy, &mut out);
        out.len()
    });
}

//! Parse + validate throughput on a generated corpus of 1,000 policies, the work an editor
//! does on every keystroke and `latch check` does per file. Prints MB/s.
//!
//! Run: `cargo bench -p latch-ide --bench check`.

use latch_ide::workspace::Workspace;

/// A realistic policy: several statements, conditions, Japanese Sids in some.
fn policy(i: usize) -> String {
    let sid = if i.is_multiple_of(3) {
        format!("読み取り{i}")
    } else {
        format!("Read{i}")
    };
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "{sid}",
      "Effect": "Allow",
      "Principal": {{"AWS": ["arn:aws:iam::111122223333:role/reader-{i}", "444455556666"]}},
      "Action": ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::bucket-{i}", "arn:aws:s3:::bucket-{i}/*"],
      "Condition": {{"StringEquals": {{"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, "Bool": {{"aws:SecureTransport": "true"}}}}
    }},
    {{
      "Sid": "DenyOutsideVpce{i}",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::bucket-{i}", "arn:aws:s3:::bucket-{i}/*"],
      "Condition": {{"StringNotEquals": {{"aws:SourceVpce": ["vpce-1a2b3c4d", "vpce-5e6f7a8b"]}}}}
    }},
    {{
      "Effect": "Allow",
      "Principal": {{"Service": "cloudfront.amazonaws.com"}},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::bucket-{i}/public/*",
      "Condition": {{"ArnLike": {{"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E{i}"}}}}
    }}
  ]
}}
"#
    )
}

fn corpus() -> Vec<(String, String)> {
    (0..1000)
        .map(|i| (format!("policies/p{i}.json"), policy(i)))
        .collect()
}

fn main() {
    let files = corpus();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    // Report MB/s directly, measured over repeated runs, before divan's own table.
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        let mut ws = Workspace::new();
        for (p, t) in &files {
            ws.set_file(p, t.as_bytes());
        }
        std::hint::black_box(ws.analyze());
    }
    let secs = start.elapsed().as_secs_f64() / f64::from(runs);
    println!(
        "parse + validate: {} policies, {:.2} MB in {:.2} ms per run = {:.1} MB/s",
        files.len(),
        bytes as f64 / 1e6,
        secs * 1e3,
        bytes as f64 / 1e6 / secs
    );
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn parse_and_validate_1000_policies(bencher: divan::Bencher) {
    let files = corpus();
    bencher
        .counter(divan::counter::BytesCount::new(
            files.iter().map(|(_, t)| t.len()).sum::<usize>(),
        ))
        .bench(|| {
            let mut ws = Workspace::new();
            for (p, t) in &files {
                ws.set_file(p, t.as_bytes());
            }
            ws.analyze()
        });
}

#[divan::bench(sample_count = 200)]
fn reanalyze_after_one_edit(bencher: divan::Bencher) {
    let files = corpus();
    let mut ws = Workspace::new();
    for (p, t) in &files {
        ws.set_file(p, t.as_bytes());
    }
    let mut n = 0usize;
    bencher.bench_local(|| {
        n += 1;
        ws.set_file("policies/p7.json", policy(7 + n).as_bytes());
        ws.analyze()
    });
}

//! The analysis of generated workspaces, the way `latch check` and the language server run
//! it: files read lean (as from disk), then cold analysis, then re-analysis after one-file
//! edits, the way the language server re-analyses on every keystroke (the edited file is
//! an open buffer).
//!
//! - 1,000 files (Terraform and JSON; 300 principals, 200 buckets, 50 keys, SCPs) under one
//!   `latch.toml`: cold analysis, an edit of an identity policy, peak RSS.
//! - 10,000 files: the same 1,000 ten times over, each copy a sub-workspace `wsN/` with its
//!   own `latch.toml`: cold analysis, edits in one sub-workspace (a bucket policy, an
//!   identity policy, a `.tf` file), peak RSS of that phase (the kernel's high-water mark
//!   is reset in between) and RSS with the workspace held.
//! - A Terraform root of 50 calls of one local module (each call an instance: a bucket,
//!   its KMS key and its policy, read through the module's outputs), without
//!   `latch.toml`; the edit changes the module's own file, which every instance reads.
//!
//! Then who-can for one bucket of the 1,000-file workspace (target: under 50 ms).
//! Run: `cargo bench -p latch-ide --bench workspace`. `LATCH_BENCH_ONLY=1000|10000|modules`
//! runs one part (`whocan` the who-can figures). `LATCH_BENCH_DUMP=dir` writes the workspace (`LATCH_BENCH_FILES=1000` or
//! `10000`, default 1000) to `dir` and exits: the folder `latch check` and the LSP
//! benchmark (`scripts/bench/lsp.py`) read.

use std::fmt::Write as _;
use std::time::Instant;

use latch_ide::workspace::Workspace;

const STORAGE: &str = "444455556666";
const ANALYTICS: &str = "111122223333";

fn key_arn(k: usize) -> String {
    format!("arn:aws:kms:us-east-1:{STORAGE}:key/0000aaaa-bbbb-cccc-dddd-{k:012}")
}

fn role_arn(p: usize) -> String {
    format!("arn:aws:iam::{ANALYTICS}:role/reader-{p}")
}

/// The files of the workspace: (path, text).
pub fn generate() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut toml = format!(
        "[accounts]\nstorage = \"{STORAGE}\"\nanalytics = \"{ANALYTICS}\"\n\n[providers]\naws = \"storage\"\n\n"
    );
    for p in 0..300 {
        let b = p % 200;
        files.push((
            format!("iam/reader-{p}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{"Sid": "ReadBucket", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bucket-{b}", "arn:aws:s3:::bucket-{b}/*"]}},
    {{"Sid": "UseKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "{}"}}
  ]
}}
"#,
                key_arn(b % 50)
            ),
        ));
        let _ = write!(
            toml,
            "[[principal]]\narn = \"{}\"\npolicies = [\"iam/reader-{p}.json\"]\n\n",
            role_arn(p)
        );
    }
    for b in 0..200 {
        let readers: Vec<String> = (0..300)
            .filter(|p| p % 200 == b)
            .map(|p| format!("\"{}\"", role_arn(p)))
            .collect();
        files.push((
            format!("s3/bucket-{b}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{"Sid": "CrossAccountRead", "Effect": "Allow", "Principal": {{"AWS": [{}]}}, "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::bucket-{b}", "arn:aws:s3:::bucket-{b}/*"]}},
    {{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::bucket-{b}", "arn:aws:s3:::bucket-{b}/*"], "Condition": {{"Bool": {{"aws:SecureTransport": "false"}}}}}}
  ]
}}
"#,
                readers.join(", ")
            ),
        ));
        let _ = write!(
            toml,
            "[[bucket]]\nname = \"bucket-{b}\"\naccount = \"storage\"\npolicy = \"s3/bucket-{b}.json\"\nkms_key = \"{}\"\nobject_ownership = \"BucketOwnerEnforced\"\n\n",
            key_arn(b % 50)
        );
    }
    for k in 0..50 {
        files.push((
            format!("kms/key-{k}.json"),
            format!(
                r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{"Sid": "EnableIAMPolicies", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{STORAGE}:root"}}, "Action": "kms:*", "Resource": "*"}},
    {{"Sid": "AllowReaders", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::{ANALYTICS}:root"}}, "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}}
  ]
}}
"#
            ),
        ));
        let _ = write!(
            toml,
            "[[key]]\narn = \"{}\"\npolicy = \"kms/key-{k}.json\"\n\n",
            key_arn(k)
        );
    }
    for (i, level) in ["root", "ou-data", "account"].iter().enumerate() {
        files.push((
            format!("org/scp-{i}.json"),
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "AllowAll", "Effect": "Allow", "Action": "*", "Resource": "*"}, {"Sid": "DenyLeave", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}]}
"#
            .to_string(),
        ));
        let _ = write!(
            toml,
            "[[scp]]\npolicy = \"org/scp-{i}.json\"\nlevel = \"{level}\"\n\n"
        );
    }
    // Terraform: the rest of the 1,000 files, ten per module folder.
    let tf = 1000 - files.len() - 1;
    for t in 0..tf {
        files.push((
            format!("terraform/m{}/app-{t}.tf", t / 10),
            format!(
                r#"resource "aws_iam_role" "app_{t}" {{
  name = "app-{t}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{ Effect = "Allow", Principal = {{ Service = "lambda.amazonaws.com" }}, Action = "sts:AssumeRole" }}]
  }})
}}

resource "aws_iam_role_policy" "app_{t}" {{
  role = aws_iam_role.app_{t}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid      = "WriteReports"
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = "arn:aws:s3:::app-bucket-{t}/reports/*"
    }}]
  }})
}}

resource "aws_s3_bucket" "app_{t}" {{
  bucket = "app-bucket-{t}"
}}
"#
            ),
        ));
    }
    files.push(("latch.toml".to_string(), toml));
    files
}

/// A root calling `./modules/bucket` 50 times, and the module.
fn generate_modules() -> Vec<(String, String)> {
    let mut main = String::from(
        "provider \"aws\" {\n  region = \"us-east-1\"\n  assume_role {\n    role_arn = \"arn:aws:iam::444455556666:role/deploy\"\n  }\n}\n\n",
    );
    for i in 0..50 {
        main.push_str(&format!(
            "module \"b{i}\" {{\n  source     = \"./modules/bucket\"\n  name       = \"bench-bucket-{i}\"\n  reader_arn = aws_iam_role.r{i}.arn\n}}\n\n\
             resource \"aws_iam_role\" \"r{i}\" {{\n  name = \"reader-{i}\"\n  assume_role_policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = \"sts:AssumeRole\", Principal = {{ Service = \"ec2.amazonaws.com\" }} }}] }})\n}}\n\n\
             resource \"aws_iam_role_policy\" \"r{i}\" {{\n  name = \"read\"\n  role = aws_iam_role.r{i}.id\n  policy = jsonencode({{ Version = \"2012-10-17\", Statement = [{{ Effect = \"Allow\", Action = \"s3:GetObject\", Resource = \"${{module.b{i}.bucket_arn}}/*\" }}] }})\n}}\n\n"
        ));
    }
    let module = r#"variable "name" {}
variable "reader_arn" {}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_kms_key" "this" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Root", Effect = "Allow", Principal = { AWS = "arn:aws:iam::444455556666:root" }, Action = "kms:*", Resource = "*" }]
  })
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Read", Effect = "Allow", Principal = { AWS = var.reader_arn }, Action = "s3:GetObject", Resource = "${aws_s3_bucket.this.arn}/*" }]
  })
}

output "bucket_arn" {
  value = aws_s3_bucket.this.arn
}
"#;
    vec![
        ("main.tf".to_string(), main),
        ("modules/bucket/main.tf".to_string(), module.to_string()),
    ]
}

/// The 1,000 files ten times over, each copy a sub-workspace `wsN/` with its own
/// `latch.toml`.
fn generate_split(copies: usize) -> Vec<(String, String)> {
    let one = generate();
    let mut out = Vec::with_capacity(one.len() * copies);
    for c in 0..copies {
        for (p, t) in &one {
            out.push((format!("ws{c}/{p}"), t.clone()));
        }
    }
    out
}

fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or_else(|| "?".to_string(), |k| format!("{}", k / 1024))
}

/// Resets the kernel's peak RSS of this process (Linux 4.0+), so each phase reports its own.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn median_best(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2] * 1e3, v[0] * 1e3)
}

/// A workspace of `files` read as from disk (lean), analysed cold `runs` times: the last
/// workspace, the findings count, and the times.
fn cold(files: &[(String, String)], runs: usize) -> (Workspace, usize, Vec<f64>) {
    let mut times = Vec::new();
    let mut ws = Workspace::new();
    let mut findings = 0;
    for _ in 0..runs {
        drop(std::mem::take(&mut ws));
        let start = Instant::now();
        let mut w = Workspace::new();
        for (p, t) in files {
            w.set_file_lean(p, t.as_bytes());
        }
        let a = w.analyze();
        times.push(start.elapsed().as_secs_f64());
        findings = a.all().count();
        ws = w;
    }
    (ws, findings, times)
}

/// `n` edits of the file at `path` (an open buffer), each followed by an analysis.
fn edits(
    ws: &mut Workspace,
    path: &str,
    text: &str,
    n: usize,
    edit: &dyn Fn(&str, usize) -> String,
) -> Vec<f64> {
    let mut times = Vec::new();
    for k in 0..n {
        let edited = edit(text, k);
        let start = Instant::now();
        ws.set_file(path, edited.as_bytes());
        std::hint::black_box(ws.analyze());
        times.push(start.elapsed().as_secs_f64());
    }
    times
}

fn sid_edit(text: &str, k: usize) -> String {
    text.replacen("Sid\": \"", &format!("Sid\": \"Edit{k}"), 1)
}

fn tf_edit(text: &str, k: usize) -> String {
    text.replacen("Sid      = \"", &format!("Sid      = \"Edit{k}"), 1)
}

fn find<'a>(files: &'a [(String, String)], path: &str) -> &'a (String, String) {
    files
        .iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("{path} is generated"))
}

fn bench_1000() {
    let files = generate();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    reset_peak();
    let (mut ws, findings, times) = cold(&files, 5);
    let (cm, cb) = median_best(times);
    let (path, text) = find(&files, "iam/reader-7.json");
    let (em, eb) = median_best(edits(&mut ws, path, text, 30, &sid_edit));
    println!(
        "1,000 files ({:.2} MB, {findings} findings): cold {cm:.1} ms (best {cb:.1}); \
         one-file edit {em:.2} ms (best {eb:.2}); peak RSS {} MB",
        bytes as f64 / 1e6,
        mb(status_kb("VmHWM:")),
    );
}

fn bench_10000() {
    let files = generate_split(10);
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    reset_peak();
    let base = status_kb("VmRSS:");
    // Where the memory goes: the files read (texts and summaries), then the analysis's
    // caches (modules, policy entries, decisions).
    let mut read = Workspace::new();
    for (p, t) in &files {
        read.set_file_lean(p, t.as_bytes());
    }
    let after_read = status_kb("VmRSS:");
    read.analyze();
    let after_analysis = status_kb("VmRSS:");
    drop(read);
    println!(
        "10,000 files: {} MB for the files read, {} MB more once analysed",
        mb(after_read.zip(base).map(|(a, b)| a.saturating_sub(b))),
        mb(after_analysis
            .zip(after_read)
            .map(|(a, b)| a.saturating_sub(b))),
    );
    let (mut ws, findings, times) = cold(&files, 3);
    let held = status_kb("VmRSS:");
    let (cm, cb) = median_best(times);
    println!(
        "10,000 files in 10 sub-workspaces ({:.2} MB, {findings} findings): cold {cm:.1} ms \
         (best {cb:.1}); peak RSS {} MB; workspace held: {} MB above the start",
        bytes as f64 / 1e6,
        mb(status_kb("VmHWM:")),
        mb(held.zip(base).map(|(h, b)| h.saturating_sub(b))),
    );
    for (label, path, edit) in [
        (
            "bucket policy",
            "ws3/s3/bucket-17.json",
            &sid_edit as &dyn Fn(&str, usize) -> String,
        ),
        ("identity policy", "ws3/iam/reader-7.json", &sid_edit),
        (".tf file", "ws3/terraform/m5/app-55.tf", &tf_edit),
    ] {
        let (_, text) = find(&files, path);
        let (em, eb) = median_best(edits(&mut ws, path, text, 30, edit));
        println!("  one-file edit in ws3 ({label}): median {em:.2} ms (best {eb:.2})");
    }
}

fn bench_modules() {
    let modules = generate_modules();
    let (mut ws, n, times) = cold(&modules, 5);
    let (cm, cb) = median_best(times);
    let (path, text) = &modules[1];
    let (em, eb) = median_best(edits(&mut ws, path, text, 20, &|t, n| {
        t.replace("Sid = \"Read\"", &format!("Sid = \"Read{n}\""))
    }));
    println!(
        "modules: 50 calls of one local module, {n} findings; cold analysis median {cm:.1} ms \
         (best {cb:.1} ms); edit of the module's file median {em:.2} ms (best {eb:.2} ms)"
    );
}

fn main() {
    if let Some(dir) = std::env::var_os("LATCH_BENCH_DUMP") {
        let files = match std::env::var("LATCH_BENCH_FILES").as_deref() {
            Ok("10000") => generate_split(10),
            _ => generate(),
        };
        let dir = std::path::PathBuf::from(dir);
        for (p, t) in &files {
            let path = dir.join(p);
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(path, t);
        }
        println!("wrote {} files to {}", files.len(), dir.display());
        return;
    }
    let only = std::env::var("LATCH_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "1000" {
        bench_1000();
    }
    if only.is_empty() || only == "10000" {
        bench_10000();
    }
    if only.is_empty() || only == "whocan" {
        bench_who_can();
    }
    if only.is_empty() || only == "modules" {
        bench_modules();
    }
}

/// Who can read one bucket of the 1,000-file workspace: in the editor (the workspace
/// analysed, its policy entries cached), and as `latch who-can` runs (a fresh workspace,
/// nothing analysed yet). Target: under 50 ms.
fn bench_who_can() {
    let files = generate();
    let mut ws = Workspace::new();
    for (p, t) in &files {
        ws.set_file(p, t.as_bytes());
    }
    std::hint::black_box(ws.analyze());
    let actions = vec!["s3:GetObject".to_string()];
    let bucket = "arn:aws:s3:::bucket-7/*";
    let mut warm = Vec::new();
    let mut listed = 0;
    for _ in 0..20 {
        let start = Instant::now();
        let who = latch_ide::access::who_can(&ws, &actions, bucket);
        warm.push(start.elapsed().as_secs_f64());
        listed = who.len();
    }
    let mut fresh = Vec::new();
    for _ in 0..5 {
        let mut w = Workspace::new();
        for (p, t) in &files {
            w.set_file(p, t.as_bytes());
        }
        let start = Instant::now();
        std::hint::black_box(latch_ide::access::who_can(&w, &actions, bucket));
        fresh.push(start.elapsed().as_secs_f64());
    }
    let mut summary = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        std::hint::black_box(latch_ide::access::access_summary(
            &ws,
            "arn:aws:s3:::bucket-7",
        ));
        summary.push(start.elapsed().as_secs_f64());
    }
    for v in [&mut warm, &mut fresh, &mut summary] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "who-can `s3:GetObject` on one bucket ({listed} principals listed, 300 candidates): \
         analysed workspace median {:.2} ms (best {:.2} ms); fresh workspace median {:.1} ms \
         (best {:.1} ms); lens summary (read, write, external) median {:.2} ms",
        warm[warm.len() / 2] * 1e3,
        warm[0] * 1e3,
        fresh[fresh.len() / 2] * 1e3,
        fresh[0] * 1e3,
        summary[summary.len() / 2] * 1e3,
    );
}

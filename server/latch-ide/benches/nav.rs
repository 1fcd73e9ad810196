//! Navigation and the who-can lenses on the generated 1,000-file workspace of the
//! `workspace` bench (300 principals, 200 buckets, 50 keys, Terraform folders): each
//! request as the language server answers it, after the analysis that warms the caches
//! (lean files, as the server loads them from disk). Prints the median of a few runs.
//!
//! Run: `cargo bench -p latch-ide --bench nav`.

use std::time::{Duration, Instant};

use latch_ide::workspace::Workspace;

#[path = "workspace.rs"]
#[allow(dead_code, reason = "only the generator is used here")]
mod generated;

fn median(mut f: impl FnMut()) -> Duration {
    let mut runs: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    runs.sort();
    runs[2]
}

fn main() {
    let mut ws = Workspace::new();
    for (p, t) in generated::generate() {
        ws.set_file_lean(&p, t.as_bytes());
    }
    let _ = ws.analyze();
    let bucket_policy = "s3/bucket-7.json";
    let text = ws.text(bucket_policy).unwrap_or_default().to_string();
    let arn = text.find("arn:aws:s3:::bucket-7/*").unwrap_or(0) + 3;
    let tf = "terraform/m3/app-31.tf";
    let report = |name: &str, d: Duration, n: usize| {
        println!(
            "{name:<44} {:>8.2} ms  ({n} results)",
            d.as_secs_f64() * 1e3
        );
    };
    let mut n = 0;
    let d = median(|| n = latch_ide::nav::document_symbols(&ws, tf).len());
    report("document symbols (Terraform file)", d, n);
    let d = median(|| n = latch_ide::nav::document_symbols(&ws, "latch.toml").len());
    report("document symbols (latch.toml, 555 entries)", d, n);
    let d =
        median(|| n = latch_ide::nav::definition(&ws, bucket_policy, arn).map_or(0, |d| d.1.len()));
    report("definition (bucket ARN in a policy)", d, n);
    let d = median(|| {
        n = latch_ide::nav::references(&ws, bucket_policy, arn, true).map_or(0, |r| r.len())
    });
    report("references (a bucket, workspace-wide)", d, n);
    let d = median(|| n = latch_ide::nav::workspace_symbols(&ws, "bucket-7").len());
    report("workspace symbols (`bucket-7`)", d, n);
    let d = median(|| n = latch_ide::who_lens::access_lenses(&ws, bucket_policy).len());
    report("lenses (a bucket policy file)", d, n);
    let d = median(|| n = latch_ide::who_lens::access_lenses(&ws, tf).len());
    report("lenses (a Terraform file: role and bucket)", d, n);
    // A large manifest's lenses go unresolved; the client resolves the ones it shows.
    let d = median(|| n = latch_ide::who_lens::lens_places(&ws, "latch.toml").len());
    report("lens places (latch.toml, unresolved)", d, n);
    let d = median(|| n = latch_ide::who_lens::lens_title(&ws, "arn:aws:s3:::bucket-7").len());
    report("one lens title (a bucket)", d, n);
    let role = "arn:aws:iam::111122223333:role/reader-7";
    let d = median(|| n = latch_ide::who_lens::lens_title(&ws, role).len());
    report("one lens title (a role)", d, n);
    let d = median(|| {
        n = latch_ide::ide::hover(&ws, bucket_policy, arn).map_or(0, |h| h.markdown.len())
    });
    report("hover with the who-can table (bytes)", d, n);
}

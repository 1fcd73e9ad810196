//! Local Terraform modules followed per call: `tests/fixtures/terraform/modules` calls
//! `./modules/bucket` twice, without `latch.toml`; the caller reads each bucket through
//! the module's `bucket_arn` output.

use std::path::Path;

mod common;

#[test]
fn each_call_is_an_instance_with_its_inputs_and_outputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/terraform/modules");
    let ws = common::load_dir(&dir, |_| true);
    let analysis = ws.analyze();
    let mut found: Vec<(String, String, usize, Vec<String>)> = Vec::new();
    for (path, findings) in &analysis.findings {
        let text = ws.text(path).unwrap_or_default();
        for f in findings {
            if !f.code.starts_with("access/") {
                continue;
            }
            let line = text[..f.range.start].matches('\n').count() + 1;
            found.push((
                f.code.to_string(),
                path.to_string(),
                line,
                f.related.iter().map(|r| r.message.clone()).collect(),
            ));
        }
    }
    found.sort();
    // The exports instance: the bucket policy (in the module's file) grants the reader of
    // the other account, whose key policy does not: the grant has no effect. The finding
    // names the call and points at it.
    let kms = found
        .iter()
        .find(|f| f.0 == "access/kms-key")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!((kms.1.as_str(), kms.2), ("modules/bucket/main.tf", 46));
    assert!(
        kms.3
            .iter()
            .any(|m| m == "made by the call `module.exports`"),
        "{kms:?}"
    );
    assert!(
        !kms.3.iter().any(|m| m.contains("module.archive")),
        "{kms:?}"
    );
    // The archive instance grants someone else: the caller's Allow, whose resource is
    // `module.archive.bucket_arn`, is reported in the caller's file.
    let grant = found
        .iter()
        .find(|f| f.0 == "access/resource-grant-missing")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!((grant.1.as_str(), grant.2), ("main.tf", 52));
    assert_eq!(found.len(), 2, "{found:#?}");
}

/// `Workspace::drop_terraform_syntax` (what `latch check` sets) changes no finding: every
/// Terraform fixture and example, with module calls, provider regions and quick fixes,
/// gives the same analysis with and without the folders' syntax trees.
#[test]
fn dropping_terraform_syntax_changes_no_finding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut dirs = Vec::new();
    for parent in [
        "tests/fixtures/terraform",
        "tests/fixtures/who-can",
        "examples",
    ] {
        for e in std::fs::read_dir(root.join(parent))
            .into_iter()
            .flatten()
            .flatten()
        {
            if e.path().is_dir() {
                dirs.push(e.path());
            }
        }
    }
    let mut with_tf = 0;
    let mut findings = 0;
    for dir in dirs {
        let full = common::load_dir(&dir, |_| true);
        if !full.paths().any(|p| p.ends_with(".tf")) {
            continue;
        }
        with_tf += 1;
        // Not a clone: clones share the caches. The same files, from the start.
        let mut lean = latch_ide::workspace::Workspace::new();
        for p in full.paths() {
            lean.set_file(p, full.text(p).unwrap_or_default().as_bytes());
        }
        lean.drop_terraform_syntax();
        let expected = common::render(&full.analyze());
        findings += expected.len();
        assert_eq!(
            expected,
            common::render(&lean.analyze()),
            "{}",
            dir.display()
        );
    }
    assert!(with_tf >= 5, "only {with_tf} Terraform workspaces");
    assert!(findings >= 20, "only {findings} findings to compare");
}

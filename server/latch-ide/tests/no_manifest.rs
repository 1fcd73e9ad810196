//! Every example workspace read without its `latch.toml`, as a new user's repository
//! would be: the cross-document findings that rest only on what the files say are kept
//! (as warnings where the manifest would have settled a fact), and none appears that the
//! manifest run does not have.

use std::path::Path;

use latch_ide::workspace::Workspace;

mod common;

fn load(dir: &Path, with_manifest: bool) -> Workspace {
    common::load_dir(dir, |rel| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        (with_manifest || name != "latch.toml") && name != "expected.json"
    })
}

/// `severity code path:line` of every cross-document finding, sorted.
fn cross_document(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for (path, findings) in &ws.analyze().findings {
        let text = ws.text(path).unwrap_or_default();
        for f in findings {
            if !(f.code.starts_with("access/")
                || f.code.starts_with("cloudfront/")
                || f.code.starts_with("s3/"))
            {
                continue;
            }
            let line = text[..f.range.start.min(text.len())].matches('\n').count() + 1;
            out.push(format!("{} {} {path}:{line}", f.severity.as_str(), f.code));
        }
    }
    out.sort();
    out
}

#[test]
fn examples_without_their_manifest() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut names: Vec<String> = std::fs::read_dir(&examples)
        .expect("examples folder")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    let mut report = String::new();
    for name in &names {
        let dir = examples.join(name);
        let with = cross_document(&load(&dir, true));
        let without = cross_document(&load(&dir, false));
        // Nothing appears without the manifest at a place the manifest run leaves alone.
        for f in &without {
            let place = f.split_once(' ').map_or("", |(_, rest)| rest);
            assert!(
                with.iter().any(|w| w.ends_with(place)),
                "{name}: `{f}` appears only without latch.toml; with it: {with:#?}"
            );
        }
        report.push_str(&format!("{name}:\n"));
        for f in &without {
            report.push_str(&format!("  {f}\n"));
        }
    }
    // The Terraform halves of the examples keep their findings: the accounts come from
    // the provider blocks (`assume_role`) or stand-ins.
    assert!(
        report.contains("access/kms-key terraform/storage.tf:90"),
        "{report}"
    );
    assert!(
        report.contains("access/identity-missing terraform/storage.tf:75"),
        "{report}"
    );
    assert!(
        report.contains("access/object-ownership terraform/storage.tf:102"),
        "{report}"
    );
    insta::assert_snapshot!(report);
}

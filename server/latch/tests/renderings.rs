//! Snapshots of how every fixture finding reads (issue 16): `latch check`'s human output
//! (the default, and `-v` for the examples), `--format concise`, and the LSP diagnostic
//! (its message and related information), for every scenario variant
//! (`tests/fixtures/scenarios/ROW/VARIANT`, one snapshot per row) and every example.

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn check(dir: &str, args: &[&str]) -> String {
    let out = Command::cargo_bin("latch")
        .unwrap()
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .args(["check", dir, "--color", "never"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Each finding as the language server sends it: the place, the message, the related
/// places and their messages.
fn lsp(dir: &str) -> String {
    let loaded = latch::loader::load(&repo().join(dir)).unwrap();
    let analysis = loaded.workspace.analyze();
    let mut out = String::new();
    for (path, findings) in &analysis.findings {
        let text = loaded.workspace.text(path).unwrap_or_default();
        for f in findings {
            let line = text[..f.range.start.min(text.len())].matches('\n').count() + 1;
            let _ = writeln!(out, "{path}:{line} {} {}", f.severity.as_str(), f.code);
            for l in latch::lsp::lsp_message(f).lines() {
                let _ = writeln!(out, "  | {l}");
            }
            for r in &f.related {
                let rp = r.path.as_deref().unwrap_or(path);
                let rt = loaded.workspace.text(rp).unwrap_or_default();
                let rl = rt[..r.range.start.min(rt.len())].matches('\n').count() + 1;
                let _ = writeln!(out, "  related {rp}:{rl}: {}", r.message);
            }
        }
    }
    out
}

fn renderings(dirs: &[String], verbose: bool) -> String {
    let mut out = String::new();
    for dir in dirs {
        let _ = writeln!(out, "======== {dir}\n---- human");
        out.push_str(&check(dir, &[]));
        if verbose {
            let _ = writeln!(out, "---- human -v");
            out.push_str(&check(dir, &["-v"]));
        }
        let _ = writeln!(out, "---- concise");
        out.push_str(&check(dir, &["--format", "concise"]));
        let _ = writeln!(out, "---- lsp");
        out.push_str(&lsp(dir));
    }
    out
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(repo())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn every_scenario_finding_reads_well() {
    let mut rows = 0;
    for row in subfolders(&repo().join("tests/fixtures/scenarios")) {
        let variants: Vec<String> = subfolders(&row).iter().map(|v| rel(v)).collect();
        let name = row.file_name().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(name, renderings(&variants, false));
        rows += 1;
    }
    assert!(rows >= 20, "{rows}");
}

#[test]
fn every_example_finding_reads_well() {
    for e in subfolders(&repo().join("examples")) {
        let name = format!("example-{}", e.file_name().unwrap().to_string_lossy());
        insta::assert_snapshot!(name, renderings(&[rel(&e)], true));
    }
}

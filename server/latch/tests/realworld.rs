//! Real Terraform written by others (`../shared/realworld`, beside the clone): `latch
//! check` on every module root, `modules/*`, `examples/*` and `wrappers/*` folder reports
//! no error, and exactly the warnings listed with their reasons in
//! `tests/realworld/expected.txt`. And for every fix Latch offers there and on the repo's
//! own fixtures and examples, applying its edits leaves a file that still parses in its own
//! syntax (HCL with no new `terraform/syntax` finding, JSON with no new syntax finding).

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use latch::loader::load;
use latch_syntax::terraform::syntax::parse_file;
use latch_syntax::{Finding, Severity};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn realworld() -> Option<PathBuf> {
    let p = repo().join("../shared/realworld");
    p.is_dir().then_some(p)
}

/// Every folder `latch check` is run on: each module root and its `modules/*`,
/// `examples/*`, `wrappers/*`.
fn folders(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut modules: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    modules.sort();
    for m in modules {
        out.push(m.clone());
        for sub in ["modules", "examples", "wrappers"] {
            let Ok(entries) = std::fs::read_dir(m.join(sub)) else {
                continue;
            };
            let mut dirs: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect();
            dirs.sort();
            out.extend(dirs);
        }
    }
    out
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// `latch check <folder>` as findings with their file text, paths relative to `base`.
fn check(folder: &Path, base: &Path) -> Vec<(String, Finding, String)> {
    let loaded = load(folder).unwrap();
    let analysis = loaded.workspace.analyze();
    let mut out = Vec::new();
    for f in analysis.all() {
        let text = loaded.workspace.text(&f.path).unwrap_or("").to_string();
        let abs = folder.join(&*f.path);
        let rel = abs
            .strip_prefix(base)
            .unwrap_or(&abs)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel, f.clone(), text));
    }
    out
}

fn syntax_errors(path: &str, text: &str) -> usize {
    if path.ends_with(".tf") || path.ends_with(".tf.json") || path.ends_with(".tfvars") {
        parse_file(path, text)
            .findings
            .iter()
            .filter(|f| f.code == "terraform/syntax" || f.code.starts_with("syntax/"))
            .count()
    } else {
        latch_syntax::json::parse(text).findings.len()
    }
}

/// Applies each fix of each finding and checks the edited files still parse.
fn assert_fixes_keep_files_parsing(folder: &Path) {
    let loaded = load(folder).unwrap();
    let ws = &loaded.workspace;
    let analysis = ws.analyze();
    for f in analysis.all() {
        for fix in &f.fixes {
            let mut edited: BTreeMap<String, String> = BTreeMap::new();
            let mut edits: Vec<_> = fix.edits.iter().collect();
            edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
            for e in edits {
                let path = e.path.as_deref().unwrap_or(&f.path).to_string();
                let text = edited
                    .entry(path.clone())
                    .or_insert_with(|| ws.text(&path).unwrap_or("").to_string());
                assert!(
                    e.range.end <= text.len() && text.is_char_boundary(e.range.start),
                    "{}: fix `{}` of {} edits outside the text",
                    folder.join(&path).display(),
                    fix.title,
                    f.code
                );
                text.replace_range(e.range.range(), &e.new_text);
            }
            for (path, text) in &edited {
                let before = syntax_errors(path, ws.text(path).unwrap_or(""));
                let after = syntax_errors(path, text);
                assert!(
                    after <= before,
                    "{}: fix `{}` of {} at {:?} breaks the file's syntax",
                    folder.join(path).display(),
                    fix.title,
                    f.code,
                    f.range
                );
            }
        }
    }
}

#[test]
fn realworld_modules_match_their_expected_findings() {
    let Some(root) = realworld() else {
        eprintln!("../shared/realworld is not beside the clone; skipped");
        return;
    };
    let mut actual: BTreeSet<String> = BTreeSet::new();
    let mut errors = Vec::new();
    for folder in folders(&root) {
        for (rel, f, text) in check(&folder, &root) {
            let (line, col) = line_col(&text, f.range.start);
            let entry = format!("{rel}:{line}:{col} {}", f.code);
            if f.severity == Severity::Error {
                errors.push(format!("{entry} {}", f.message));
            }
            actual.insert(entry);
        }
    }
    assert!(
        errors.is_empty(),
        "error-level findings:\n{}",
        errors.join("\n")
    );
    let expected_text =
        std::fs::read_to_string(repo().join("tests/realworld/expected.txt")).unwrap();
    let expected: BTreeSet<String> = expected_text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let loc = parts.next().unwrap_or("");
            let code = parts.next().unwrap_or("");
            assert!(
                parts.next().is_some_and(|r| !r.trim().is_empty()),
                "expected.txt: `{l}` has no reason"
            );
            format!("{loc} {code}")
        })
        .collect();
    let missing: Vec<_> = expected.difference(&actual).collect();
    let extra: Vec<_> = actual.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "listed but not found: {missing:#?}\nfound but not listed: {extra:#?}"
    );
}

#[test]
fn realworld_fixes_keep_files_parsing() {
    let Some(root) = realworld() else {
        eprintln!("../shared/realworld is not beside the clone; skipped");
        return;
    };
    for folder in folders(&root) {
        assert_fixes_keep_files_parsing(&folder);
    }
}

#[test]
fn fixture_and_example_fixes_keep_files_parsing() {
    for base in ["tests/fixtures", "examples", "server/latch/tests/fixtures"] {
        let dir = repo().join(base);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            if e.path().is_dir() {
                assert_fixes_keep_files_parsing(&e.path());
            }
        }
    }
}

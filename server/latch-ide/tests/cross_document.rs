//! What the language server computes on every keystroke (`Workspace::file_analysis`) and
//! what it carries from the last whole analysis (`is_cross_document`) add up to the whole
//! analysis, on every fixture and example: a new check that reads other documents under a
//! code `is_cross_document` does not know would flicker in the editor and fail here.

use std::path::{Path, PathBuf};

use latch_ide::workspace::is_cross_document;

mod common;

fn workspaces() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut stack = vec![root.join("tests/fixtures"), root.join("examples")];
    while let Some(d) = stack.pop() {
        let entries: Vec<PathBuf> = std::fs::read_dir(&d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        if entries.iter().any(|p| p.ends_with("latch.toml")) {
            out.push(d);
            continue;
        }
        stack.extend(entries.into_iter().filter(|p| p.is_dir()));
    }
    out.sort();
    out
}

#[test]
fn file_analysis_and_carried_findings_make_the_whole_analysis() {
    let dirs = workspaces();
    assert!(dirs.len() >= 20, "only {} workspaces", dirs.len());
    let mut cross = 0;
    for dir in dirs {
        let ws = common::load_dir(&dir, |_| true);
        let whole = ws.analyze();
        for (path, findings) in &whole.findings {
            let own = ws.file_analysis(path, &[]);
            for f in findings {
                if own.contains(f) {
                    continue;
                }
                cross += 1;
                assert!(
                    is_cross_document(f.code),
                    "{}: `{}` in {path} rests on other documents but is not carried",
                    dir.display(),
                    f.code
                );
            }
        }
    }
    assert!(cross >= 20, "only {cross} cross-document findings seen");
}

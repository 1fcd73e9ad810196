//! The acceptance fixtures of the cross-document checks (`tests/fixtures/scenarios/`):
//! every variant is a workspace folder read from disk; its findings of sections A and B
//! must be those of `expected.json` (code, path, 1-based line and column), with the listed
//! fix titles; `ok` variants have no finding of their row's code; and where
//! `after_fix_clean` is set, applying the first matching fix clears the finding without
//! raising a new one.

use std::path::{Path, PathBuf};

use latch_ide::workspace::Workspace;
use latch_syntax::finding::{Finding, apply_edits};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/scenarios")
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, base, out);
        } else if let Ok(bytes) = std::fs::read(&p) {
            let rel = p
                .strip_prefix(base)
                .expect("under base")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, bytes));
        }
    }
}

fn load(dir: &Path) -> Workspace {
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    let mut ws = Workspace::new();
    for (p, b) in files {
        if p == "expected.json" {
            continue;
        }
        ws.set_file(&p, &b);
    }
    ws
}

fn in_scope(code: &str) -> bool {
    code.starts_with("access/") || code.starts_with("cloudfront/") || code == "s3/list-bucket-404"
}

/// (line, column), 1-based, columns in Unicode scalar values.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn keyed(ws: &Workspace, f: &Finding) -> (String, String, usize, usize) {
    let (l, c) = position(ws.text(&f.path).unwrap_or(""), f.range.start);
    (f.code.to_string(), f.path.to_string(), l, c)
}

fn findings(ws: &Workspace, row: &str) -> Vec<Finding> {
    ws.analyze()
        .all()
        .filter(|f| in_scope(f.code))
        .filter(|f| f.code != "s3/list-bucket-404" || row == "s3/list-bucket-404" || row.is_empty())
        // Information on every grant to another account or to everyone (a public website
        // bucket's is intended): checked by its own tests, not in every other row's.
        .filter(|f| f.code != "access/external" || row == "access/external" || row.is_empty())
        .cloned()
        .collect()
}

fn apply(ws: &mut Workspace, f: &Finding, title_part: &str) -> Result<(), String> {
    let fix = f
        .fixes
        .iter()
        .find(|x| x.title.to_lowercase().contains(&title_part.to_lowercase()))
        .ok_or_else(|| format!("no fix titled like `{title_part}`"))?;
    let mut paths: Vec<String> = fix
        .edits
        .iter()
        .map(|e| e.path.as_deref().unwrap_or(&f.path).to_string())
        .collect();
    paths.sort();
    paths.dedup();
    for p in paths {
        let edits: Vec<_> = fix
            .edits
            .iter()
            .filter(|e| e.path.as_deref().unwrap_or(&f.path) == p)
            .collect();
        let text = ws.text(&p).ok_or("edit in an unknown file")?.to_string();
        let (new, skipped) = apply_edits(&text, &edits);
        if skipped > 0 {
            return Err(format!("{skipped} edits skipped in {p}"));
        }
        ws.set_file(&p, new.as_bytes());
    }
    Ok(())
}

/// Checks one variant; the error says what differs.
fn check(row: &str, dir: &Path) -> Result<(), String> {
    let expected: serde_json_lite::Expected = serde_json_lite::read(&dir.join("expected.json"))?;
    let mut ws = load(dir);
    // Folders with their own `latch.toml` are workspaces of their own, checked on their own.
    let subs: Vec<String> = ws
        .paths()
        .filter(|p| p.ends_with("/latch.toml"))
        .map(|p| p.trim_end_matches("latch.toml").to_string())
        .collect();
    let got: Vec<Finding> = findings(&ws, row)
        .into_iter()
        .filter(|f| !subs.iter().any(|s| f.path.starts_with(s.as_str())))
        .collect();
    if std::env::var("LATCH_SCENARIO_DEBUG").is_ok_and(|d| dir.ends_with(d)) {
        for f in &got {
            eprintln!(
                "{:?}\n{}\nrelated: {:?}",
                keyed(&ws, f),
                f.message,
                f.related
            );
            for x in &f.fixes {
                eprintln!("fix {:?}: {:?}", x.title, x.edits);
            }
        }
    }
    let variant = dir
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if variant.starts_with("ok") {
        let bad: Vec<_> = got
            .iter()
            .filter(|f| f.code == row)
            .map(|f| keyed(&ws, f))
            .collect();
        return if bad.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected findings: {bad:?}"))
        };
    }
    let mut actual: Vec<_> = got.iter().map(|f| keyed(&ws, f)).collect();
    let mut wanted: Vec<_> = expected
        .findings
        .iter()
        .map(|e| (e.code.clone(), e.path.clone(), e.line, e.column))
        .collect();
    actual.sort();
    wanted.sort();
    if actual != wanted {
        let msgs: Vec<String> = got
            .iter()
            .map(|f| format!("{}: {}", f.code, f.message.lines().next().unwrap_or("")))
            .collect();
        return Err(format!(
            "expected {wanted:?}\n    got {actual:?}\n    {}",
            msgs.join("\n    ")
        ));
    }
    for e in &expected.findings {
        let f = got
            .iter()
            .find(|f| keyed(&ws, f) == (e.code.clone(), e.path.clone(), e.line, e.column))
            .ok_or("vanished")?;
        for t in &e.fix_titles {
            if !f
                .fixes
                .iter()
                .any(|x| x.title.to_lowercase().contains(&t.to_lowercase()))
            {
                let titles: Vec<_> = f.fixes.iter().map(|x| x.title.clone()).collect();
                return Err(format!(
                    "{}: no fix title contains `{t}` (titles: {titles:?})",
                    e.code
                ));
            }
        }
    }
    if expected.after_fix_clean {
        let broken = |ws: &Workspace| -> Vec<String> {
            ws.analyze()
                .all()
                .filter(|f| {
                    f.code.starts_with("syntax/")
                        || f.code.starts_with("terraform/")
                        || f.code.starts_with("manifest/")
                })
                .map(|f| format!("{} {}: {}", f.code, f.path, f.message))
                .collect()
        };
        let broken_before = broken(&ws);
        for e in &expected.findings {
            let f = got
                .iter()
                .find(|f| keyed(&ws, f) == (e.code.clone(), e.path.clone(), e.line, e.column))
                .ok_or("vanished")?
                .clone();
            let first = e.fix_titles.first().cloned().unwrap_or_default();
            apply(&mut ws, &f, &first)?;
        }
        let broken_after: Vec<String> = broken(&ws)
            .into_iter()
            .filter(|b| !broken_before.contains(b))
            .collect();
        if !broken_after.is_empty() {
            return Err(format!("the fix breaks the syntax: {broken_after:?}"));
        }
        let after = findings(&ws, row);
        let before: Vec<_> = got.iter().map(|f| (f.code, f.message.clone())).collect();
        let left: Vec<_> = after
            .iter()
            .filter(|f| f.code == row || !before.iter().any(|(c, _)| *c == f.code))
            .map(|f| {
                (
                    keyed(&ws, f),
                    f.message.lines().next().unwrap_or("").to_string(),
                )
            })
            .collect();
        if !left.is_empty() {
            return Err(format!("after the fix: {left:?}"));
        }
    }
    Ok(())
}

#[test]
fn every_scenario_variant() {
    let mut rows: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    rows.sort();
    let mut failures = Vec::new();
    let mut passed = 0;
    for row_dir in rows {
        let row = row_dir
            .file_name()
            .map(|s| s.to_string_lossy().replace("__", "/"))
            .unwrap_or_default();
        let mut variants: Vec<PathBuf> = std::fs::read_dir(&row_dir)
            .expect("row")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        variants.sort();
        for v in variants {
            match check(&row, &v) {
                Ok(()) => passed += 1,
                Err(e) => failures.push(format!(
                    "{}/{}: {e}",
                    row,
                    v.file_name()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default()
                )),
            }
        }
    }
    eprintln!("{passed} variants pass, {} fail", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn examples_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Every seed example (and its Terraform sub-workspace) reports what its `expected.json`
/// lists.
#[test]
fn every_seed_example() {
    let mut dirs: Vec<PathBuf> = Vec::new();
    for e in std::fs::read_dir(examples_root())
        .expect("examples")
        .flatten()
    {
        let p = e.path();
        if p.join("expected.json").exists() {
            dirs.push(p.clone());
        }
        if p.join("terraform/expected.json").exists() {
            dirs.push(p.join("terraform"));
        }
    }
    dirs.sort();
    let mut failures = Vec::new();
    for d in &dirs {
        if let Err(e) = check("", d) {
            failures.push(format!("{}: {e}", d.display()));
        }
    }
    eprintln!(
        "{} examples pass, {} fail",
        dirs.len() - failures.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Hover text on every Deny statement of the seed examples.
#[test]
fn deny_hovers_of_the_seed_examples() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(examples_root())
        .expect("examples")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("latch.toml").exists())
        .collect();
    dirs.sort();
    let mut seen = 0;
    for d in dirs {
        let ws = load(&d);
        let name = d
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let paths: Vec<String> = ws.paths().map(|p| p.to_string()).collect();
        for p in paths {
            let Some(summary) = ws.summary(&p) else {
                continue;
            };
            for doc in &summary.policies {
                for st in &doc.policy.statements {
                    let Some(effect) = &st.effect else { continue };
                    if effect.value != latch_syntax::policy::Effect::Deny {
                        continue;
                    }
                    let h = latch_ide::statement_hover::hover(&ws, &p, effect.span.start + 1)
                        .expect("a hover on a Deny");
                    seen += 1;
                    let snap = format!("{name}__{}__{}", p.replace('/', "_"), st.label(0));
                    insta::assert_snapshot!(snap, h.markdown);
                }
            }
        }
    }
    assert!(seen >= 3, "only {seen} Deny statements in the examples");
}

/// A reader for `expected.json` on the project's own JSON parser (no serde here).
mod serde_json_lite {
    use std::path::Path;

    pub struct ExpectedFinding {
        pub code: String,
        pub path: String,
        pub line: usize,
        pub column: usize,
        pub fix_titles: Vec<String>,
    }

    pub struct Expected {
        pub findings: Vec<ExpectedFinding>,
        pub after_fix_clean: bool,
    }

    pub fn read(path: &Path) -> Result<Expected, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let v = latch_syntax::json::parse(&text)
            .value
            .ok_or("expected.json is not JSON")?;
        let mut findings = Vec::new();
        for f in v.get("findings").and_then(|f| f.as_array()).unwrap_or(&[]) {
            let s = |k: &str| f.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            let n = |k: &str| {
                f.get(k)
                    .and_then(|x| x.scalar_text())
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0)
            };
            findings.push(ExpectedFinding {
                code: s("code"),
                path: s("path"),
                line: n("line"),
                column: n("column"),
                fix_titles: f
                    .get("fix_titles_contain")
                    .and_then(|x| x.as_array())
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
            });
        }
        let after_fix_clean = v
            .get("after_fix_clean")
            .and_then(|x| x.scalar_text())
            .is_some_and(|t| t == "true");
        Ok(Expected {
            findings,
            after_fix_clean,
        })
    }
}

/// A cached decision never outlives an edit: fixing, then undoing the fix, brings the
/// finding back.
#[test]
fn findings_follow_edits_back_and_forth() {
    let dir = root().join("access__kms-key/cross-account-json");
    let mut ws = load(&dir);
    let count = |ws: &Workspace| {
        ws.analyze()
            .all()
            .filter(|f| f.code == "access/kms-key")
            .count()
    };
    assert_eq!(count(&ws), 1);
    let original = ws
        .text("kms/key-policy.json")
        .expect("key policy")
        .to_string();
    let f = findings(&ws, "access/kms-key")
        .into_iter()
        .find(|f| f.code == "access/kms-key")
        .expect("finding");
    apply(&mut ws, &f, "key policy").expect("fix applies");
    assert_eq!(count(&ws), 0);
    ws.set_file("kms/key-policy.json", original.as_bytes());
    assert_eq!(count(&ws), 1);
    // An edit elsewhere that changes nothing keeps the finding.
    let bucket = ws
        .text("s3/bucket-policy.json")
        .expect("bucket")
        .to_string();
    ws.set_file("s3/bucket-policy.json", format!("{bucket}\n").as_bytes());
    assert_eq!(count(&ws), 1);
}

/// The hover on a grant says whom it lets through and where it has no effect.
#[test]
fn allow_hover_says_whom_it_lets_through() {
    let dir = root().join("access__kms-key/cross-account-json");
    let ws = load(&dir);
    let text = ws
        .text("s3/bucket-policy.json")
        .expect("bucket policy")
        .to_string();
    let at = text.find("\"Allow\"").expect("an Allow") + 1;
    let h = latch_ide::statement_hover::hover(&ws, "s3/bucket-policy.json", at).expect("hover");
    insta::assert_snapshot!(h.markdown);
}

/// Nothing panics on half-written files: every file of every variant cut at several
/// places (character boundaries), the workspace analysed and every statement hovered.
#[test]
fn truncated_files_never_panic() {
    let mut rows: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    rows.sort();
    let mut runs = 0;
    for row in rows {
        let Ok(variants) = std::fs::read_dir(&row) else {
            continue;
        };
        for v in variants.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
            let ws = load(&v);
            let paths: Vec<String> = ws.paths().map(|p| p.to_string()).collect();
            for p in &paths {
                let text = ws.text(p).unwrap_or("").to_string();
                let step = (text.len() / 5).max(1);
                for cut in (step..text.len()).step_by(step) {
                    let mut cut = cut;
                    while !text.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    let mut w = load(&v);
                    w.set_file(p, &text.as_bytes()[..cut]);
                    let _ = w.analyze();
                    for offset in (0..cut).step_by(211) {
                        let _ = latch_ide::statement_hover::hover(&w, p, offset);
                    }
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 100, "{runs}");
}

/// Every variant folder under the fixtures, and every example workspace.
fn every_workspace() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for row in std::fs::read_dir(root()).into_iter().flatten().flatten() {
        for v in std::fs::read_dir(row.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if v.path().is_dir() {
                out.push(v.path());
            }
        }
    }
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for e in std::fs::read_dir(examples).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            out.push(e.path());
        }
    }
    out.sort();
    out
}

/// `(code, path, first line of the message)` of every error of the cross-document checks.
fn errors(ws: &Workspace) -> Vec<(String, String, String)> {
    findings(ws, "")
        .iter()
        .filter(|f| f.severity == latch_syntax::Severity::Error)
        .map(|f| {
            (
                f.code.to_string(),
                f.path.to_string(),
                f.message.lines().next().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_fix_clears_its_finding_and_raises_no_new_error() {
    let mut checked = 0;
    for dir in every_workspace() {
        let ws = load(&dir);
        let before = errors(&ws);
        for f in findings(&ws, "") {
            for fix in &f.fixes {
                let mut after = load(&dir);
                apply(&mut after, &f, &fix.title)
                    .unwrap_or_else(|e| panic!("{}: `{}`: {e}", dir.display(), fix.title));
                let head = f.message.lines().next().unwrap_or_default();
                let now = findings(&after, "");
                assert!(
                    !now.iter().any(|g| g.code == f.code
                        && g.path == f.path
                        && g.message.lines().next() == Some(head)),
                    "{}: the fix `{}` leaves `{}` as it was: {head}",
                    dir.display(),
                    fix.title,
                    f.code
                );
                for e in errors(&after) {
                    assert!(
                        before.iter().any(|b| b.0 == e.0 && b.1 == e.1),
                        "{}: the fix `{}` raises a new error `{}` in {}: {}",
                        dir.display(),
                        fix.title,
                        e.0,
                        e.1,
                        e.2
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 30, "only {checked} fixes were checked");
}

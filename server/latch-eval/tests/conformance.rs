//! Runs every access case in `tests/conformance/cases` through the library.

use std::path::PathBuf;

use latch_eval::conformance::{load_cases, prepare, run_case};
use latch_eval::render;

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/cases")
}

#[test]
fn every_case_passes() {
    let mut files: Vec<_> = std::fs::read_dir(cases_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failed) = (0, Vec::new());
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let cases = load_cases(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for case in &cases {
            let r = run_case(case).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            if r.passed() {
                passed += 1;
            } else {
                let p = prepare(case).unwrap();
                let why = render::one_line(&r.decision, &p.request, &|r, s| {
                    format!("{}@{}", r.label, s.start)
                });
                failed.push(format!("{}: {} ({why})", r.name, r.mismatches.join("; ")));
            }
        }
    }
    assert!(
        failed.is_empty(),
        "{} passed, {} failed:\n{}",
        passed,
        failed.len(),
        failed.join("\n")
    );
    assert!(passed >= 115, "only {passed} cases found");
}

#[test]
fn unknown_members_are_errors_and_null_is_absent() {
    let typo = r#"[{"name":"x","request":{"principal":"anonymous","action":"s3:GetObject","resource":"*"},"expect":"allow","expcet_extra":null}]"#;
    assert!(load_cases(typo).unwrap_err().contains("expcet_extra"));
    let nulls = r#"[{"name":"x","policies":{"resource":null,"identity":null},"request":{"principal":"anonymous","action":"s3:GetObject","resource":"*","context":null},"s3":null,"expect":"implicit_deny"}]"#;
    let cases = load_cases(nulls).unwrap();
    assert!(run_case(&cases[0]).unwrap().passed());
}

//! Every check's documented example must trigger it and its preferred form must not, and
//! what the docs say of its fix must be what the code does. `docs/checks.md` is generated
//! by the `latch` crate's `check_docs` test (it shows `latch check`'s real output):
//! `LATCH_BLESS=1 cargo test -p latch --test check_docs`.

use latch_ide::checks::{FixAvailability, fix_safety, is_generated, registry, render_doc};
use latch_ide::workspace::workspace_from_fixture;

fn codes(fixture: &str) -> Vec<&'static str> {
    workspace_from_fixture(fixture)
        .analyze()
        .all()
        .map(|f| f.code)
        .collect()
}

#[test]
fn examples_trigger_their_check_and_preferred_forms_do_not() {
    let mut failures = Vec::new();
    for doc in registry() {
        if !is_generated(doc.example) && !codes(doc.example).contains(&doc.code) {
            failures.push(format!(
                "{}: the example does not trigger it (got {:?})",
                doc.code,
                codes(doc.example)
            ));
        }
        if codes(doc.prefer).contains(&doc.code) {
            failures.push(format!("{}: the preferred form triggers it", doc.code));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = std::collections::HashSet::new();
    for doc in registry() {
        assert!(seen.insert(doc.code), "duplicate code {}", doc.code);
        let (area, name) = doc.code.split_once('/').expect("area/name");
        assert!(
            !area.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{}",
            doc.code
        );
        assert!(
            !doc.summary.ends_with('.'),
            "{}: summary ends with a period",
            doc.code
        );
    }
}

/// The `Fix:` line of `docs/checks.md` is true of the code: a check documented without a
/// fix has none on its example, one documented with a fix always has one there.
#[test]
fn documented_fixes_are_the_fixes_of_the_examples() {
    let mut failures = Vec::new();
    for doc in registry() {
        if is_generated(doc.example) {
            continue;
        }
        let findings: Vec<_> = workspace_from_fixture(doc.example)
            .analyze()
            .all()
            .filter(|f| f.code == doc.code)
            .cloned()
            .collect();
        let with_fix = findings.iter().filter(|f| !f.fixes.is_empty()).count();
        match doc.fix {
            FixAvailability::None if with_fix > 0 => failures.push(format!(
                "{}: documented without a fix, but its example gets one",
                doc.code
            )),
            FixAvailability::Always if with_fix < findings.len() => failures.push(format!(
                "{}: documented with a fix, but {} of its {} findings on the example have none",
                doc.code,
                findings.len() - with_fix,
                findings.len()
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The safety the docs state is read from the fixes: the `Version` fix over policy
/// variables is offered but not safe, the lower-case effect's fix is safe.
#[test]
fn fix_safety_is_read_from_the_code() {
    let doc = |code| registry().into_iter().find(|d| d.code == code).unwrap();
    let legacy = fix_safety(doc("policy/legacy-version-variables")).unwrap();
    assert!(!legacy.safe && legacy.not_safe, "{legacy:?}");
    let effect = fix_safety(doc("policy/invalid-effect")).unwrap();
    assert!(effect.safe && !effect.not_safe, "{effect:?}");
    assert!(render_doc(doc("policy/legacy-version-variables")).contains("Fix: not safe"));
    assert!(
        render_doc(doc("policy/invalid-effect")).contains("safe (`latch check --fix` applies it)")
    );
}

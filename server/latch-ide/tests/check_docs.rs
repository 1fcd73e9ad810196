//! Every check's documented example must trigger it and its preferred form must not, and
//! `docs/checks.md` must be what the registry generates.

use latch_ide::checks::{is_generated, registry, render_markdown};
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

#[test]
fn checks_md_is_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
    let expected = render_markdown();
    if std::env::var_os("LATCH_BLESS").is_some() {
        std::fs::write(path, &expected).expect("write docs/checks.md");
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/checks.md is stale: run `LATCH_BLESS=1 cargo test -p latch-ide --test check_docs` and commit it"
    );
}

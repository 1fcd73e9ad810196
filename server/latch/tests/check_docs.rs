//! `docs/checks.md` is what the check registry generates, with each check's real output
//! on its example as `latch check` prints it and whether its fix is safe (read from the
//! fixes). Regenerate it with `LATCH_BLESS=1 cargo test -p latch --test check_docs`.

use latch::explain::checks_markdown;

#[test]
fn checks_md_is_fresh() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/checks.md");
    let expected = checks_markdown();
    if std::env::var_os("LATCH_BLESS").is_some() {
        std::fs::write(path, &expected).expect("write docs/checks.md");
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/checks.md is stale: run `LATCH_BLESS=1 cargo test -p latch --test check_docs` and commit it"
    );
}

/// Every check whose example is a fixture shows what `latch check` prints on it, and
/// every check says whether its fix is safe.
#[test]
fn every_check_shows_its_output_and_its_fix() {
    let md = checks_markdown();
    for doc in latch_ide::checks::registry() {
        let at = md
            .find(&format!("## `{}`\n", doc.code))
            .unwrap_or_else(|| panic!("{} is missing", doc.code));
        let section = &md[at..];
        let section = &section[..section[3..].find("\n## `").map_or(section.len(), |e| e + 3)];
        assert!(section.contains(". Fix: "), "{}", doc.code);
        if !latch_ide::checks::is_generated(doc.example) {
            let output = section
                .split_once("`latch check` prints:\n\n```text\n")
                .and_then(|(_, rest)| rest.split_once("\n```"))
                .map(|(block, _)| block);
            assert!(
                output.is_some_and(|b| b.contains(doc.code)),
                "{}: no output of `latch check` on its example",
                doc.code
            );
        }
    }
}

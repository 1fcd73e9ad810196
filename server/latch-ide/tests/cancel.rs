//! An analysis gives way to newer edits inside one sub-workspace, not only between
//! sub-workspaces: `analyze_until` asks whether to give up every few intents, and the
//! run that gave up leaves nothing wrong behind for the next one.

use std::cell::Cell;
use std::path::Path;

use common::render;
use latch_ide::workspace::Workspace;

mod common;

/// `examples/cross-account-kms` with 30 more principals that read the bucket through the
/// same identity policy: one sub-workspace with many intents.
fn many_intents() -> Workspace {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cross-account-kms");
    let mut ws = common::load_dir(&dir, |_| true);
    let mut manifest = ws.text("latch.toml").unwrap_or_default().to_string();
    assert!(!manifest.is_empty());
    for i in 0..30 {
        manifest.push_str(&format!(
            "\n[[principal]]\narn = \"arn:aws:iam::111122223333:role/Reader{i}\"\npolicies = [\"iam/report-reader.json\"]\n"
        ));
    }
    ws.set_file("latch.toml", manifest.as_bytes());
    ws
}

#[test]
fn one_sub_workspace_gives_way_between_intents_and_the_next_run_is_whole() {
    let expected = render(&many_intents().analyze());
    assert!(
        expected.iter().any(|f| f.contains("access/")),
        "{expected:#?}"
    );

    // How often a whole run asks: once before the sub-workspace, then every few intents.
    let ws = many_intents();
    let asked = Cell::new(0);
    let whole = ws.analyze_until(&|| {
        asked.set(asked.get() + 1);
        false
    });
    assert_eq!(whole.as_ref().map(render), Some(expected.clone()));
    assert!(asked.get() >= 3, "asked {} times", asked.get());

    // Give up at each of those questions in turn; the next whole run equals a fresh one.
    for stop_at in 1..=asked.get() {
        let ws = many_intents();
        let n = Cell::new(0);
        let given_up = ws.analyze_until(&|| {
            n.set(n.get() + 1);
            n.get() == stop_at
        });
        assert!(given_up.is_none(), "not given up at question {stop_at}");
        assert_eq!(
            render(&ws.analyze()),
            expected,
            "after giving up at {stop_at}"
        );
    }
}

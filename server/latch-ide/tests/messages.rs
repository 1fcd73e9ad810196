//! Every message is checked against its decision (issue 16), over every fixture: the
//! scenario variants (`tests/fixtures/scenarios`), the examples (`examples/`) and the seed
//! policies (`server/latch-ide/tests/fixtures/seeds`).
//!
//! - A headline is one line of at most 160 characters.
//! - No headline, reason or note says "allowed" for a denied request (an uncertain
//!   decision says "allowed only if ..."), and a trace whose decision is a deny does not
//!   open with "allowed".
//! - A finding on a Deny statement ("Deny `S` blocks ...") gives that statement as its
//!   reason, with the conditions that held, and its trace shows it applying; another
//!   deciding Deny is a note, never the reason.

mod common;

use std::path::{Path, PathBuf};

use latch_ide::workspace::Workspace;
use latch_syntax::finding::Finding;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every fixture workspace: (name, workspace).
fn every_workspace() -> Vec<(String, Workspace)> {
    let mut dirs = Vec::new();
    let scenarios = repo().join("tests/fixtures/scenarios");
    for row in std::fs::read_dir(&scenarios)
        .into_iter()
        .flatten()
        .flatten()
    {
        for v in std::fs::read_dir(row.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if v.path().is_dir() {
                dirs.push(v.path());
            }
        }
    }
    for e in std::fs::read_dir(repo().join("examples"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if e.path().is_dir() {
            dirs.push(e.path());
        }
    }
    dirs.sort();
    let mut out: Vec<(String, Workspace)> = dirs
        .into_iter()
        .map(|d| {
            let name = d
                .strip_prefix(repo())
                .unwrap_or(&d)
                .to_string_lossy()
                .replace('\\', "/");
            (name, common::load_dir(&d, |p| p != "expected.json"))
        })
        .collect();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let name = f.file_name().map(|n| n.to_string_lossy().to_string());
        let Some(name) = name else { continue };
        let mut ws = Workspace::new();
        ws.set_file(&name, &bytes);
        out.push((format!("seeds/{name}"), ws));
    }
    // Every check's documented example and preferred form.
    for doc in latch_ide::checks::registry() {
        for (part, fixture) in [("example", doc.example), ("prefer", doc.prefer)] {
            if latch_ide::checks::is_generated(fixture) {
                continue;
            }
            out.push((
                format!("docs/{}/{part}", doc.code),
                latch_ide::workspace::workspace_from_fixture(fixture),
            ));
        }
    }
    out
}

fn findings(ws: &Workspace) -> Vec<Finding> {
    ws.analyze().all().cloned().collect()
}

#[test]
fn every_headline_is_one_line_of_at_most_160_characters() {
    let mut checked = 0;
    let mut too_long = Vec::new();
    for (name, ws) in every_workspace() {
        for f in findings(&ws) {
            let n = f.message.chars().count();
            assert!(
                !f.message.contains('\n'),
                "{name}: {} has a headline of several lines: {}",
                f.code,
                f.message
            );
            if n > 160 {
                too_long.push(format!("{name}: {} ({n}): {}", f.code, f.message));
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} findings");
    assert!(too_long.is_empty(), "{}", too_long.join("\n"));
}

/// The text with the uncertain "allowed only if ..." wording taken out.
fn without_only_if(s: &str) -> String {
    s.replace("allowed only if", "")
}

#[test]
fn no_message_says_allowed_for_a_denied_request() {
    let mut checked = 0;
    for (name, ws) in every_workspace() {
        for f in findings(&ws) {
            let Some(trace) = &f.trace else { continue };
            let mut lines = trace.lines();
            let decision = lines.next().unwrap_or_default();
            if !decision.starts_with("decision:") || decision.starts_with("decision: allow") {
                continue;
            }
            // `access/object-ownership` is about whom the upload's objects belong to,
            // not its decision; it names none.
            let said = std::iter::once(f.message.as_str())
                .chain(f.why.as_deref())
                .chain(f.notes.iter().map(String::as_str));
            for text in said {
                assert!(
                    !without_only_if(text).contains("allowed"),
                    "{name}: {} says allowed for a denied request: {text}",
                    f.code
                );
            }
            let reason = lines.next().unwrap_or_default();
            let reason = reason
                .split_once(" itself: ")
                .filter(|(a, _)| a.starts_with('`'))
                .map_or(reason, |(_, r)| r);
            // The request itself may be allowed when a dependent request is not: the
            // decision line then says so first.
            if reason.starts_with("allowed") {
                assert!(
                    decision.contains(" it makes on "),
                    "{name}: {} trace reads {decision:?} then {reason:?}",
                    f.code
                );
            }
            if f.why
                .as_deref()
                .is_some_and(|w| w.starts_with("implicitly denied"))
            {
                assert!(
                    decision.starts_with("decision: implicit deny"),
                    "{name}: {} says implicitly denied under {decision:?}",
                    f.code
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} findings with a denied trace");
}

/// The `Sid` a headline opens with: "Deny `S` ...".
fn deny_sid(headline: &str) -> Option<&str> {
    let rest = headline.strip_prefix("Deny `")?;
    rest.split_once('`').map(|(s, _)| s)
}

#[test]
fn a_deny_finding_gives_its_own_statement_as_the_reason() {
    let mut checked = 0;
    for (name, ws) in every_workspace() {
        for f in findings(&ws) {
            let Some(sid) = deny_sid(&f.message) else {
                continue;
            };
            let why = f.why.as_deref().unwrap_or_default();
            let own = format!("explicitly denied by statement `{sid}`");
            assert!(
                why.contains(&own),
                "{name}: {} on `{sid}` gives another reason: {why}",
                f.code
            );
            // No other statement is the reason.
            let others = why.matches("explicitly denied by statement `").count();
            assert_eq!(
                others, 1,
                "{name}: {} cites several statements: {why}",
                f.code
            );
            let trace = f.trace.as_deref().unwrap_or_default();
            assert!(
                trace.contains(&format!("Deny statement `{sid}` applies")),
                "{name}: {} trace does not show `{sid}` applying:\n{trace}",
                f.code
            );
            // The trace leads with it among the deciding Denies.
            assert!(
                trace.lines().any(|l| l.trim_start().starts_with(&own)),
                "{name}: {} trace does not lead with `{sid}`:\n{trace}",
                f.code
            );
            // The finding is on that statement.
            let text = ws.text(&f.path).unwrap_or_default();
            let at = text.get(f.range.start..).unwrap_or_default();
            let statement: String = at.chars().take(400).collect();
            assert!(
                statement.contains(sid),
                "{name}: {} names `{sid}` but is not on it",
                f.code
            );
            // Every other deciding Deny is a note.
            for line in trace.lines().take(2) {
                for (i, _) in line.match_indices("also by statement `") {
                    let other = line[i + "also by statement `".len()..]
                        .split('`')
                        .next()
                        .unwrap_or_default();
                    if other == sid {
                        continue;
                    }
                    assert!(
                        f.notes
                            .iter()
                            .any(|n| n.contains(&format!("statement `{other}`"))),
                        "{name}: {} does not note the other Deny `{other}`: {:?}",
                        f.code,
                        f.notes
                    );
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} findings on Deny statements");
}

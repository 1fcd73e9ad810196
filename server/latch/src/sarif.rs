//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Columns are 1-based UTF-16
//! code units, SARIF's default `columnKind`. Each result carries its related locations
//! (the other side of a cross-file finding), the fixes Latch offers as artifact changes,
//! and a `partialFingerprints` entry (the same fingerprint as `--baseline`) so that a
//! dashboard follows a finding across pushes that move lines. The message is the headline
//! and the reason; `properties` carries `why`, `help`, `notes` and the engine's `trace`. Each rule's `help` is the
//! check's documentation, as `latch explain` prints it.

use latch_syntax::{Edit, Finding, Fix, Related, Severity, Span};
use serde_json::json;

use crate::line_index::{Encoding, LineIndex};

/// The key of Latch's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "latchFingerprint/v1";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A place in a file: the path as printed, the file's text, and what is there.
pub type Placed<'a, T> = (String, &'a str, &'a T);

/// One result to write, with the paths (as printed) and texts of every file it touches.
pub struct Item<'a> {
    pub path: String,
    pub text: &'a str,
    pub finding: &'a Finding,
    pub fingerprint: String,
    pub related: Vec<Placed<'a, Related>>,
    pub fixes: Vec<(&'a Fix, Vec<Placed<'a, Edit>>)>,
}

fn region(text: &str, span: Span) -> serde_json::Value {
    let index = LineIndex::new(text);
    let (sl, sc) = index.position(text, span.start, Encoding::Utf16);
    let (el, ec) = index.position(text, span.end, Encoding::Utf16);
    json!({"startLine": sl + 1, "startColumn": sc + 1, "endLine": el + 1, "endColumn": ec + 1})
}

fn result(item: &Item<'_>, rule_index: usize) -> serde_json::Value {
    let f = item.finding;
    let related: Vec<_> = item
        .related
        .iter()
        .enumerate()
        .map(|(i, (path, text, r))| {
            json!({
                "id": i,
                "message": {"text": r.message},
                "physicalLocation": {"artifactLocation": {"uri": path}, "region": region(text, r.range)}
            })
        })
        .collect();
    let fixes: Vec<_> = item
        .fixes
        .iter()
        .map(|(fix, edits)| {
            // One artifact change per file, its replacements in order.
            let mut changes: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
            for (path, text, e) in edits {
                let replacement = json!({
                    "deletedRegion": region(text, e.range),
                    "insertedContent": {"text": e.new_text}
                });
                match changes.iter_mut().find(|(p, _)| p == path) {
                    Some((_, r)) => r.push(replacement),
                    None => changes.push((path.clone(), vec![replacement])),
                }
            }
            json!({
                "description": {"text": fix.title},
                "artifactChanges": changes
                    .into_iter()
                    .map(|(path, replacements)| json!({"artifactLocation": {"uri": path}, "replacements": replacements}))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut r = json!({
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.headline_and_why()},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": item.path},
            "region": region(item.text, f.range)
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: item.fingerprint},
    });
    if !related.is_empty() {
        r["relatedLocations"] = json!(related);
    }
    // The parts of a finding beyond its headline, as Latch's own properties.
    let mut props = serde_json::Map::new();
    if let Some(w) = &f.why {
        props.insert("why".into(), json!(w));
    }
    if let Some(h) = &f.help {
        props.insert("help".into(), json!(h));
    }
    if !f.notes.is_empty() {
        props.insert("notes".into(), json!(f.notes));
    }
    if let Some(t) = &f.trace {
        props.insert("trace".into(), json!(t));
    }
    if !props.is_empty() {
        r["properties"] = serde_json::Value::Object(props);
    }
    if !fixes.is_empty() {
        r["fixes"] = json!(fixes);
    }
    r
}

/// The rule of a code: its summary, and its documentation as help.
fn rule(code: &str) -> serde_json::Value {
    match latch_ide::checks::find(code) {
        Some(doc) => {
            let markdown = crate::explain::check_doc(doc);
            json!({
                "id": code,
                "shortDescription": {"text": doc.summary},
                "fullDescription": {"text": doc.what.split_whitespace().collect::<Vec<_>>().join(" ")},
                "help": {"text": markdown, "markdown": markdown},
                "defaultConfiguration": {"level": level(doc.severity)}
            })
        }
        None => json!({"id": code, "shortDescription": {"text": code}}),
    }
}

/// A SARIF log with one run.
pub fn report(items: &[Item<'_>]) -> serde_json::Value {
    let mut codes: Vec<&str> = items.iter().map(|i| i.finding.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes.iter().map(|c| rule(c)).collect();
    let results: Vec<_> = items
        .iter()
        .map(|item| {
            let idx = codes.binary_search(&item.finding.code).unwrap_or_default();
            result(item, idx)
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "latch",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "columnKind": "utf16CodeUnits",
            "results": results
        }]
    })
}

//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. Columns are 1-based UTF-16
//! code units, SARIF's default `columnKind`.

use latch_syntax::{Finding, Severity};
use serde_json::json;

use crate::line_index::{Encoding, LineIndex};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A SARIF log with one run. `items` are (path to print, file text, finding).
pub fn report(items: &[(String, &str, &Finding)]) -> serde_json::Value {
    let mut codes: Vec<&str> = items.iter().map(|(_, _, f)| f.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let rules: Vec<_> = codes
        .iter()
        .map(|code| {
            let summary = latch_ide::checks::find(code).map_or("", |d| d.summary);
            json!({"id": code, "shortDescription": {"text": summary}, "helpUri": format!("https://github.com/latch-dev/latch/blob/main/docs/checks.md#{}", code.replace('/', ""))})
        })
        .collect();
    let results: Vec<_> = items
        .iter()
        .map(|(path, text, f)| {
            let index = LineIndex::new(text);
            let (sl, sc) = index.position(text, f.range.start, Encoding::Utf16);
            let (el, ec) = index.position(text, f.range.end, Encoding::Utf16);
            json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path},
                    "region": {"startLine": sl + 1, "startColumn": sc + 1, "endLine": el + 1, "endColumn": ec + 1}
                }}]
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "latch", "version": env!("CARGO_PKG_VERSION"), "rules": rules}}, "results": results}]
    })
}

//! The checks. One file per check code, each with a [`CheckDoc`] whose example and
//! preferred form a test runs; [`registry`] lists them all and `docs/checks.md` is
//! generated from it.

pub mod access;
pub mod catalog;
pub mod cloudfront;
pub mod latch;

use latch_syntax::Severity;

pub mod manifest;
pub mod policy;
pub mod s3;
pub mod syntax;
pub mod terraform;

/// How a check's findings are repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// The documentation of one check, in the fixed sections of `docs/checks.md`.
///
/// `example` and `prefer` are workspace fixtures: either one policy document, or several
/// files each introduced by a line `//- path` (as in rust-analyzer's fixtures). The
/// check must report its code on `example` and stay silent on `prefer`.
#[derive(Clone, Copy, Debug)]
pub struct CheckDoc {
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what is wrong, as a reader would say it.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub prefer: &'static str,
    pub fix: FixAvailability,
}

/// Every check, in the order of `docs/checks.md`.
pub fn registry() -> Vec<&'static CheckDoc> {
    let mut all = syntax::docs();
    all.extend(terraform::docs());
    all.extend(manifest::docs());
    all.extend(policy::checks().into_iter().map(|(doc, _)| doc));
    all.extend(catalog::catalog_checks().into_iter().map(|(doc, _)| doc));
    all.extend(access::docs());
    all.extend(cloudfront::docs());
    all.extend(s3::docs());
    all.extend(latch::docs());
    all
}

/// Looks a check up by its code.
pub fn find(code: &str) -> Option<&'static CheckDoc> {
    registry().into_iter().find(|d| d.code == code)
}

/// Whether a doc example is prose describing generated input (tested by the check's own
/// unit tests) rather than a fixture.
pub fn is_generated(example: &str) -> bool {
    example.starts_with("//- generated")
}

fn fence(fixture: &str, out: &mut String) {
    if is_generated(fixture) {
        out.push_str(fixture.trim_start_matches("//- generated").trim());
        out.push_str("\n\n");
        return;
    }
    for (path, text) in crate::workspace::parse_fixture(fixture) {
        let lang = if path.ends_with(".toml") {
            "toml"
        } else if path.ends_with(".tf") {
            "hcl"
        } else {
            "json"
        };
        out.push_str(&format!(
            "`{path}`:\n\n```{lang}\n{}\n```\n\n",
            text.trim_end()
        ));
    }
}

/// One check's documentation in Markdown (what `latch explain` prints).
pub fn render_doc(doc: &CheckDoc) -> String {
    let mut out = format!("## `{}`\n\n{}.\n\n", doc.code, capitalize(doc.summary));
    let fix = match doc.fix {
        FixAvailability::None => "no automatic fix",
        FixAvailability::Sometimes => "a fix when the repair is mechanical",
        FixAvailability::Always => "a fix",
    };
    out.push_str(&format!(
        "Severity: {}. Fix: {fix}.\n\n",
        doc.severity.as_str()
    ));
    out.push_str(&format!(
        "### What it does\n\n{}\n\n### Why it matters\n\n{}\n\n### Example\n\n",
        squash(doc.what),
        squash(doc.why)
    ));
    fence(doc.example, &mut out);
    out.push_str("### Prefer\n\n");
    fence(doc.prefer, &mut out);
    out
}

fn capitalize(s: &str) -> String {
    let mut cs = s.chars();
    cs.next()
        .map(|c| c.to_uppercase().collect::<String>() + cs.as_str())
        .unwrap_or_default()
}

/// Joins the continuation lines of a doc string.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `docs/checks.md`: every check's documentation, generated from the registry.
pub fn render_markdown() -> String {
    let mut out = String::from(
        "# Checks\n\n<!-- Generated from the check registry by `cargo test -p latch-ide --test check_docs`; \
         run it with LATCH_BLESS=1 to update. Do not edit by hand. -->\n\n| code | severity | summary |\n|---|---|---|\n",
    );
    let docs = registry();
    for d in &docs {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            d.code,
            d.code.replace('/', "").to_ascii_lowercase(),
            d.severity.as_str(),
            d.summary.replace('|', "\\|")
        ));
    }
    out.push('\n');
    for d in docs {
        out.push_str(&render_doc(d));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

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

/// Whether the fixes a check's example gets are safe: read from the fixes its findings
/// carry on the example (the code decides, not the documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixSafety {
    /// Some finding of the example has a safe fix (`latch check --fix` applies it).
    pub safe: bool,
    /// Some finding of the example has a fix that is not safe (offered, never applied by
    /// `--fix`).
    pub not_safe: bool,
}

/// The safety of the fixes the check's example gets; `None` for a generated example.
pub fn fix_safety(doc: &CheckDoc) -> Option<FixSafety> {
    if is_generated(doc.example) {
        return None;
    }
    let mut s = FixSafety::default();
    for f in crate::workspace::workspace_from_fixture(doc.example)
        .analyze()
        .all()
        .filter(|f| f.code == doc.code)
    {
        for fix in &f.fixes {
            if fix.safe {
                s.safe = true;
            } else {
                s.not_safe = true;
            }
        }
    }
    Some(s)
}

/// The `Fix:` line of a check: whether there is one, and whether `--fix` applies it.
fn fix_line(doc: &CheckDoc) -> String {
    let when = match doc.fix {
        FixAvailability::None => return "none".to_string(),
        FixAvailability::Sometimes => "when the repair is mechanical, ",
        FixAvailability::Always => "",
    };
    let safety = fix_safety(doc).unwrap_or_default();
    let kind = match (safety.safe, safety.not_safe) {
        (true, false) => "safe (`latch check --fix` applies it)",
        (false, true) => {
            "not safe (it may change what the policy means): the editor offers it as a quick fix, `latch check --fix` does not apply it"
        }
        (true, true) => {
            "safe (`latch check --fix` applies it), or not safe where it may change what the policy means (offered by the editor, not applied by `--fix`)"
        }
        // Only `Sometimes` gets here (a test holds `Always` examples to a fix).
        (false, false) => return "when the repair is mechanical (not on this example)".into(),
    };
    format!("{when}{kind}")
}

/// One check's documentation in Markdown.
pub fn render_doc(doc: &CheckDoc) -> String {
    render_doc_with(doc, None)
}

/// One check's documentation in Markdown, with `output`, the check's findings on its
/// example as `latch check` prints them (what `latch explain` and `docs/checks.md` show;
/// the rendering lives in the `latch` crate).
pub fn render_doc_with(doc: &CheckDoc, output: Option<&str>) -> String {
    let mut out = format!("## `{}`\n\n{}.\n\n", doc.code, capitalize(doc.summary));
    out.push_str(&format!(
        "Severity: {}. Fix: {}.\n\n",
        doc.severity.as_str(),
        fix_line(doc)
    ));
    out.push_str(&format!(
        "### What it does\n\n{}\n\n### Why it matters\n\n{}\n\n### Example\n\n",
        squash(doc.what),
        squash(doc.why)
    ));
    fence(doc.example, &mut out);
    if let Some(text) = output.filter(|t| !t.trim().is_empty()) {
        out.push_str("`latch check` prints:\n\n```text\n");
        out.push_str(text.trim_end());
        out.push_str("\n```\n\n");
    }
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

/// `docs/checks.md`: every check's documentation, generated from the registry, each with
/// `output(doc)` (its findings on its example, rendered by the `latch` crate).
pub fn render_markdown(output: impl Fn(&CheckDoc) -> Option<String>) -> String {
    let mut out = String::from(
        "# Checks\n\n<!-- Generated from the check registry by `LATCH_BLESS=1 cargo test -p latch --test check_docs`. \
         Do not edit by hand. -->\n\nEach check says whether its fix is safe (`latch check --fix` applies only safe fixes; \
         the editor offers every fix as a quick fix, the safe one preferred) and shows what `latch check` prints on its example.\n\n\
         | code | severity | summary |\n|---|---|---|\n",
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
        out.push_str(&render_doc_with(d, output(d).as_deref()));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

//! The `[check]` table of `latch.toml`: which codes are reported, at which severity, in
//! which files, and the findings a team has accepted (`[[check.allow]]`). Read here into
//! plain data with spans; `latch-ide`'s `suppress` module applies it to the findings.
//!
//! ```toml
//! [check]
//! select = ["policy/*", "access/*"]    # codes or prefixes reported (default: all)
//! ignore = ["catalog/unknown-action"]  # codes or prefixes not reported
//! exclude = ["vendor/**"]              # files (globs) whose findings are not reported
//!
//! [check.severity]                     # code or prefix -> error|warning|info|hint
//! "access/mfa" = "error"
//!
//! [[check.override]]                   # for the files matching `paths`
//! paths = ["legacy/**/*.json"]
//! ignore = ["policy/*"]
//! severity = { "catalog/*" = "info" }
//!
//! [[check.allow]]                      # one accepted finding in a JSON policy
//! code = "policy/public-principal"
//! file = "s3/website.json"
//! statement = "PublicRead"             # the Sid, or the index from 0
//! reason = "the website bucket is public by design"
//! ```

use toml_edit::{Item, TableLike, Value};

use super::{Reader, span_of, unknown};
use crate::finding::{Finding, Severity};
use crate::span::{Span, Spanned};

/// The `statement` of an allow entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementRef {
    Sid(String),
    /// The position in the `Statement` array, from 0.
    Index(usize),
}

/// `[[check.allow]]`: one accepted finding.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AllowDecl {
    pub code: Option<Spanned<String>>,
    /// Relative to the manifest's folder.
    pub file: Option<Spanned<String>>,
    /// `None`: every finding of `code` in `file`.
    pub statement: Option<Spanned<StatementRef>>,
    pub reason: Option<Spanned<String>>,
    /// The whole entry, header included.
    pub span: Span,
}

/// `[[check.override]]`: rules for the files matching `paths`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct OverrideDecl {
    /// Globs relative to the manifest's folder.
    pub paths: Vec<Spanned<String>>,
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Vec<Spanned<String>>,
    pub severity: Vec<(Spanned<String>, Spanned<Severity>)>,
    pub span: Span,
}

/// The `[check]` table.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct CheckConfig {
    /// `None`: every code.
    pub select: Option<Vec<Spanned<String>>>,
    pub ignore: Vec<Spanned<String>>,
    /// Code or prefix pattern and the severity its findings get.
    pub severity: Vec<(Spanned<String>, Spanned<Severity>)>,
    /// Globs relative to the manifest's folder.
    pub exclude: Vec<Spanned<String>>,
    pub overrides: Vec<OverrideDecl>,
    pub allow: Vec<AllowDecl>,
}

impl CheckConfig {
    pub fn is_empty(&self) -> bool {
        *self == CheckConfig::default()
    }

    /// Every code pattern the table names, for validation against the known codes.
    pub fn patterns(&self) -> Vec<&Spanned<String>> {
        let mut out: Vec<&Spanned<String>> = Vec::new();
        out.extend(self.select.iter().flatten());
        out.extend(&self.ignore);
        out.extend(self.severity.iter().map(|(p, _)| p));
        for o in &self.overrides {
            out.extend(o.select.iter().flatten());
            out.extend(&o.ignore);
            out.extend(o.severity.iter().map(|(p, _)| p));
        }
        out
    }
}

pub(super) const CHECK_KEYS: &[&str] = &[
    "select", "ignore", "severity", "exclude", "override", "allow",
];
const OVERRIDE_KEYS: &[&str] = &["paths", "select", "ignore", "severity"];
const ALLOW_KEYS: &[&str] = &["code", "file", "statement", "reason"];

fn parse_severity(s: &str) -> Option<Severity> {
    match s {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        "hint" => Some(Severity::Hint),
        _ => None,
    }
}

fn severities(
    r: &mut Reader<'_>,
    key: &str,
    item: &Item,
) -> Vec<(Spanned<String>, Spanned<Severity>)> {
    let mut out = Vec::new();
    let Some(t) = item.as_table_like() else {
        r.wrong_type(key, item, "a table of codes and severities");
        return out;
    };
    for (k, v) in t.iter() {
        let kspan = t
            .get_key_value(k)
            .map_or(Span::default(), |(kk, _)| span_of(kk.span()));
        let Some(s) = r.string(k, v) else { continue };
        match parse_severity(&s.value) {
            Some(level) => out.push((
                Spanned::new(k.to_string(), kspan),
                Spanned::new(level, s.span),
            )),
            None => r.findings.push(Finding::error(
                "manifest/invalid-value",
                s.span,
                format!(
                    "`{}` is not a severity; expected `error`, `warning`, `info` or `hint`",
                    s.value
                ),
            )),
        }
    }
    out
}

fn statement_ref(r: &mut Reader<'_>, item: &Item) -> Option<Spanned<StatementRef>> {
    let span = span_of(item.span());
    match item {
        Item::Value(Value::String(s)) => {
            Some(Spanned::new(StatementRef::Sid(s.value().clone()), span))
        }
        Item::Value(Value::Integer(i)) => match usize::try_from(*i.value()) {
            Ok(n) => Some(Spanned::new(StatementRef::Index(n), span)),
            Err(_) => {
                r.findings.push(Finding::error(
                    "manifest/invalid-value",
                    span,
                    format!(
                        "`{}` is not a statement index; the first statement is 0",
                        i.value()
                    ),
                ));
                None
            }
        },
        other => {
            r.wrong_type(
                "statement",
                other,
                "a statement `Sid` (a string) or index (an integer)",
            );
            None
        }
    }
}

/// Reads the `[check]` table.
pub(super) fn parse(r: &mut Reader<'_>, item: &Item) -> CheckConfig {
    let mut c = CheckConfig::default();
    let Some(t) = item.as_table_like() else {
        r.wrong_type("check", item, "a table");
        return c;
    };
    for (k, v) in t.iter() {
        match k {
            "select" => c.select = Some(r.strings(k, v)),
            "ignore" => c.ignore = r.strings(k, v),
            "exclude" => c.exclude = r.strings(k, v),
            "severity" => c.severity = severities(r, k, v),
            "override" => {
                for (ot, span) in r.entries("check.override", v) {
                    c.overrides.push(parse_override(r, ot, span));
                }
            }
            "allow" => {
                for (at, span) in r.entries("check.allow", v) {
                    c.allow.push(parse_allow(r, at, span));
                }
            }
            _ => unknown(r, "check", t, k, CHECK_KEYS),
        }
    }
    c
}

fn header(span: Span, name: &str) -> Span {
    Span::new(span.start, span.start + name.len().min(span.len()))
}

fn parse_override(r: &mut Reader<'_>, t: &dyn TableLike, span: Span) -> OverrideDecl {
    let mut o = OverrideDecl {
        span,
        ..OverrideDecl::default()
    };
    for (k, v) in t.iter() {
        match k {
            "paths" => o.paths = r.strings(k, v),
            "select" => o.select = Some(r.strings(k, v)),
            "ignore" => o.ignore = r.strings(k, v),
            "severity" => o.severity = severities(r, k, v),
            _ => unknown(r, "check.override", t, k, OVERRIDE_KEYS),
        }
    }
    if o.paths.is_empty() {
        r.findings.push(Finding::error(
            "manifest/missing-key",
            header(span, "[[check.override]]"),
            "this `[[check.override]]` entry has no `paths`",
        ));
    }
    o
}

fn parse_allow(r: &mut Reader<'_>, t: &dyn TableLike, span: Span) -> AllowDecl {
    let mut a = AllowDecl {
        span,
        ..AllowDecl::default()
    };
    for (k, v) in t.iter() {
        match k {
            "code" => a.code = r.string(k, v),
            "file" => a.file = r.string(k, v),
            "statement" => a.statement = statement_ref(r, v),
            "reason" => a.reason = r.string(k, v),
            _ => unknown(r, "check.allow", t, k, ALLOW_KEYS),
        }
    }
    // A missing `reason` is reported by the workspace (`latch/suppression-without-reason`),
    // with the comments that lack one.
    for (what, missing) in [("code", a.code.is_none()), ("file", a.file.is_none())] {
        if missing {
            r.findings.push(Finding::error(
                "manifest/missing-key",
                header(span, "[[check.allow]]"),
                format!("this `[[check.allow]]` entry has no `{what}`"),
            ));
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use crate::manifest::parse_manifest;

    use super::*;

    fn at(text: &str, span: Span) -> &str {
        &text[span.range()]
    }

    #[test]
    fn reads_every_key_with_spans() {
        let text = r#"
[check]
select = ["policy/*", "access/mfa"]
ignore = ["catalog/*"]
exclude = ["vendor/**"]

[check.severity]
"access/mfa" = "error"

[[check.override]]
paths = ["legacy/**"]
select = ["policy/*"]
ignore = ["policy/version"]
severity = { "policy/*" = "info" }

[[check.allow]]
code = "policy/public-principal"
file = "s3/site.json"
statement = "PublicRead"
reason = "public by design"

[[check.allow]]
code = "policy/public-principal"
file = "s3/other.json"
statement = 2
"#;
        let p = parse_manifest(text);
        assert!(p.findings.is_empty(), "{:?}", p.findings);
        let c = &p.manifest.check;
        let select: Vec<&str> = c
            .select
            .iter()
            .flatten()
            .map(|s| s.value.as_str())
            .collect();
        assert_eq!(select, ["policy/*", "access/mfa"]);
        assert_eq!(at(text, c.ignore[0].span), "\"catalog/*\"");
        assert_eq!(c.exclude[0].value, "vendor/**");
        assert_eq!(c.severity[0].0.value, "access/mfa");
        assert_eq!(c.severity[0].1.value, Severity::Error);
        assert_eq!(at(text, c.severity[0].0.span), "\"access/mfa\"");
        let o = &c.overrides[0];
        assert_eq!(o.paths[0].value, "legacy/**");
        assert_eq!(o.select.as_ref().map(Vec::len), Some(1));
        assert_eq!(o.ignore[0].value, "policy/version");
        assert_eq!(o.severity[0].1.value, Severity::Info);
        assert!(at(text, o.span).starts_with("[[check.override]]"));
        let a = &c.allow[0];
        assert_eq!(
            a.statement.as_ref().map(|s| s.value.clone()),
            Some(StatementRef::Sid("PublicRead".into()))
        );
        assert_eq!(
            a.reason.as_ref().map(|r| r.value.as_str()),
            Some("public by design")
        );
        assert!(at(text, a.span).starts_with("[[check.allow]]"));
        assert!(at(text, a.span).ends_with("reason = \"public by design\""));
        let b = &c.allow[1];
        assert_eq!(
            b.statement.as_ref().map(|s| s.value.clone()),
            Some(StatementRef::Index(2))
        );
        assert!(b.reason.is_none());
        assert_eq!(c.patterns().len(), 7);
    }

    #[test]
    fn mistakes_are_findings() {
        let text = r#"[check]
selct = ["policy/*"]
severity = { "policy/*" = "fatal" }

[[check.override]]
ignore = ["x"]

[[check.allow]]
statement = -1
reason = "r"
"#;
        let p = parse_manifest(text);
        let got: Vec<(&str, &str)> = p
            .findings
            .iter()
            .map(|f| (f.code, &text[f.range.range()]))
            .collect();
        assert_eq!(
            got,
            vec![
                ("manifest/unknown-key", "selct"),
                ("manifest/invalid-value", "\"fatal\""),
                ("manifest/missing-key", "[[check.override]]"),
                ("manifest/missing-key", "[[check.allow]]"),
                ("manifest/missing-key", "[[check.allow]]"),
                ("manifest/invalid-value", "-1"),
            ]
        );
    }
}

//! What a team decided about the findings: the `[check]` table of `latch.toml` (select,
//! ignore, severity, excluded paths, per-path overrides), `# latch:ignore` comments in
//! Terraform, and `[[check.allow]]` entries for JSON policies. Applied by
//! [`crate::workspace::Workspace::analyze`] as the last stage, after every finding is
//! produced, so the CLI and the language server report the same thing; also the
//! fingerprints that baselines and SARIF use, and the "ignore this finding" fix.
//!
//! Order, per finding: a file under an `exclude` glob reports nothing; a code that the
//! `select`/`ignore` lists (top level, then each override whose `paths` match, later ones
//! winning) leave out is dropped; the severity table re-levels it; then a comment or an
//! allow entry that names it suppresses it. A suppression without a reason is reported
//! (`latch/suppression-without-reason`), and one that suppresses nothing too
//! (`latch/unused-suppression`); both go through `select`/`ignore`/`severity` like any
//! other code, but never through suppressions.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use latch_syntax::json::Value;
use latch_syntax::manifest::check::{AllowDecl, CheckConfig, StatementRef};
use latch_syntax::{Edit, Finding, Fix, Severity, Span, Spanned};

use crate::workspace::{Workspace, join_path};

/// What `latch explain config` prints: the `[check]` table and the suppressions.
pub const CONFIG_DOC: &str = r#"## `[check]` in `latch.toml`

Which findings are reported, at which severity, and the findings a team has accepted.
It applies to the files of the manifest's folder; paths and globs are relative to it.

```toml
[check]
select = ["policy/*", "access/*"]     # codes or patterns (`*` = any text); omit = every code
ignore = ["catalog/unknown-action"]   # codes or patterns not reported
exclude = ["vendor/**"]               # globs: files whose findings are not reported

[check.severity]                      # code or pattern -> error | warning | info | hint
"access/mfa" = "error"

[[check.override]]                    # for the files matching `paths`, in order
paths = ["legacy/**/*.json"]
ignore = ["policy/*"]                 # also `select` and `severity`
severity = { "catalog/*" = "info" }

[[check.allow]]                       # one accepted finding in a JSON policy
code = "policy/public-principal"
file = "s3/website.json"
statement = "PublicRead"              # the Sid, or the index from 0; omit = the whole file
reason = "the website bucket is public by design"
```

Where `select` and `ignore` both match, the pattern with more literal characters wins;
overrides win over the top level, later ones over earlier ones. A glob without `/`
matches a name at any depth, `**` any folders, and a folder covers its contents.

### Suppressions in Terraform

```hcl
# latch:ignore policy/public-principal,s3/list-bucket-404 the site is public by design
resource "aws_s3_bucket_policy" "site" {
  ...
}
```

A `# latch:ignore CODE[,CODE] reason` comment (`//` and `/* */` too) on the line above
covers that line, at the end of a line its own line, and above a block or as the first
line inside one the whole block. A suppression without a reason is reported
(`latch/suppression-without-reason`); one that suppresses nothing too
(`latch/unused-suppression`).

### In CI

`latch check --write-baseline FILE` records today's findings; `--baseline FILE` reports
only the others. `--fail-on LEVEL` sets the lowest severity that fails (default `error`),
`--exit-zero` never fails. `--format github` prints workflow annotations, `--format sarif`
a SARIF log for code scanning.
"#;

pub const UNUSED: &str = "latch/unused-suppression";
pub const NO_REASON: &str = "latch/suppression-without-reason";

/// Whether a code pattern (`policy/invalid-effect`, `catalog/*`, `*`) matches a code.
pub fn code_matches(pattern: &str, code: &str) -> bool {
    wildcard(pattern.as_bytes(), code.as_bytes())
}

/// `*` matches any run of characters, `?` one.
fn wildcard(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// How specific a code pattern is: the more literal characters, the more it wins.
fn specificity(pattern: &str) -> usize {
    pattern.bytes().filter(|&c| c != b'*' && c != b'?').count()
}

/// Whether a path glob matches a `/`-separated relative path. `**` matches any number of
/// folders, `*` and `?` stay within one name; a glob without `/` matches a name at any
/// depth (as in `.gitignore`); a glob naming a folder matches everything under it.
pub fn path_matches(glob: &str, path: &str) -> bool {
    let glob = glob.trim_start_matches("./").trim_end_matches('/');
    let owned;
    let glob = if glob.contains('/') {
        glob
    } else {
        owned = format!("**/{glob}");
        &owned
    };
    let g: Vec<&str> = glob.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    // A folder glob covers its contents.
    (1..=p.len()).any(|n| segments(&g, &p[..n]))
}

fn segments(g: &[&str], p: &[&str]) -> bool {
    match g.split_first() {
        None => p.is_empty(),
        Some((&"**", rest)) => (0..=p.len()).any(|i| segments(rest, &p[i..])),
        Some((first, rest)) => p.split_first().is_some_and(|(name, prest)| {
            wildcard(first.as_bytes(), name.as_bytes()) && segments(rest, prest)
        }),
    }
}

/// The decision of the `[check]` table for one finding: dropped, or kept at a severity.
fn configured(config: &CheckConfig, rel: &str, code: &str, severity: Severity) -> Option<Severity> {
    // (specificity, selected) of the best select/ignore match so far; later layers win ties.
    let mut verdict: Option<(usize, bool)> = None;
    let mut level: Option<(usize, Severity)> = None;
    let mut layer = |select: Option<&Vec<Spanned<String>>>,
                     ignore: &[Spanned<String>],
                     sev: &[(Spanned<String>, Spanned<Severity>)]| {
        let mut best: Option<(usize, bool)> = None;
        if let Some(select) = select {
            // A layer with `select` starts from nothing selected.
            best = Some((0, false));
            for p in select.iter().filter(|p| code_matches(p, code)) {
                let s = specificity(p) + 1;
                if best.is_none_or(|(b, _)| s >= b) {
                    best = Some((s, true));
                }
            }
        }
        for p in ignore.iter().filter(|p| code_matches(p, code)) {
            let s = specificity(p) + 1;
            if best.is_none_or(|(b, _)| s >= b) {
                best = Some((s, false));
            }
        }
        if best.is_some() {
            verdict = best;
        }
        let mut lbest: Option<(usize, Severity)> = None;
        for (p, s) in sev.iter().filter(|(p, _)| code_matches(p, code)) {
            let sp = specificity(p);
            if lbest.is_none_or(|(b, _)| sp >= b) {
                lbest = Some((sp, s.value));
            }
        }
        if lbest.is_some() {
            level = lbest;
        }
    };
    layer(config.select.as_ref(), &config.ignore, &config.severity);
    for o in &config.overrides {
        if o.paths.iter().any(|g| path_matches(g, rel)) {
            layer(o.select.as_ref(), &o.ignore, &o.severity);
        }
    }
    match verdict {
        Some((_, false)) => None,
        _ => Some(level.map_or(severity, |(_, s)| s)),
    }
}

/// A `latch:ignore` comment in a Terraform file.
#[derive(Clone, Debug, PartialEq)]
pub struct IgnoreComment {
    /// The comment, markers included.
    pub span: Span,
    /// The codes (or patterns) it names, with their ranges.
    pub codes: Vec<Spanned<String>>,
    pub reason: Option<String>,
    /// The text it covers: the next line, or the whole block it heads or opens.
    pub scope: Span,
}

/// The comments and the brace pairs of HCL text, from a small lexer that knows strings
/// (with `${}` templates), heredocs and the three comment forms.
struct Lexed {
    comments: Vec<Span>,
    /// (open, close) byte offsets of every `{ }` pair outside strings.
    braces: Vec<(usize, usize)>,
}

fn lex_hcl(text: &str) -> Lexed {
    let b = text.as_bytes();
    let mut comments = Vec::new();
    let mut braces = Vec::new();
    // `Some(pos)`: a brace; `None`: a template interpolation inside a string.
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        if in_string {
            match b[i] {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(None);
                    in_string = false;
                    i += 2;
                }
                b'\n' => {
                    // An unterminated string ends at the line's end.
                    in_string = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match b[i] {
            b'#' => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                comments.push(Span::new(i, end));
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(b.len(), |n| i + n);
                comments.push(Span::new(i, end));
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
                comments.push(Span::new(i, end));
                i = end;
            }
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                i = skip_heredoc(text, i).unwrap_or(i + 2);
            }
            b'{' => {
                stack.push(Some(i));
                i += 1;
            }
            b'}' => {
                match stack.pop() {
                    Some(Some(open)) => braces.push((open, i)),
                    Some(None) => in_string = true,
                    None => {}
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Lexed { comments, braces }
}

/// The offset after a heredoc that starts at `at` (`<<EOF` or `<<-EOF`), if it is one.
fn skip_heredoc(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at + 2..)?;
    let rest_trim = rest.strip_prefix('-').unwrap_or(rest);
    let ident: String = rest_trim
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if ident.is_empty() {
        return None;
    }
    let line_end = at + text[at..].find('\n')?;
    let mut pos = line_end + 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
        if text[pos..end].trim() == ident {
            return Some(end);
        }
        pos = end + 1;
    }
    Some(text.len())
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |n| n + 1)
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |n| at + n)
}

/// The body of a comment without its markers.
fn comment_body(text: &str, span: Span) -> (&str, usize) {
    let raw = &text[span.range()];
    if let Some(b) = raw.strip_prefix("/*") {
        (b.strip_suffix("*/").unwrap_or(b), span.start + 2)
    } else if let Some(b) = raw.strip_prefix("//") {
        (b, span.start + 2)
    } else {
        (raw.strip_prefix('#').unwrap_or(raw), span.start + 1)
    }
}

/// Every `latch:ignore` comment of HCL text, with what it covers.
pub fn ignore_comments(text: &str) -> Vec<IgnoreComment> {
    if !text.contains("latch:ignore") {
        return Vec::new();
    }
    let lexed = lex_hcl(text);
    let mut out = Vec::new();
    for &span in &lexed.comments {
        let (body, body_at) = comment_body(text, span);
        let lead = body.len() - body.trim_start().len();
        let Some(after) = body.trim_start().strip_prefix("latch:ignore") else {
            continue;
        };
        if !(after.is_empty() || after.starts_with(char::is_whitespace)) {
            continue;
        }
        let mut at = body_at + lead + "latch:ignore".len();
        let mut rest = after;
        // The codes: comma-separated, spaces allowed after a comma.
        let mut codes = Vec::new();
        loop {
            let trimmed = rest.trim_start();
            at += rest.len() - trimmed.len();
            rest = trimmed;
            let len = rest
                .find(|c: char| c.is_whitespace() || c == ',')
                .unwrap_or(rest.len());
            if len > 0 {
                codes.push(Spanned::new(
                    rest[..len].to_string(),
                    Span::new(at, at + len),
                ));
            }
            at += len;
            rest = &rest[len..];
            if let Some(r) = rest.strip_prefix(',') {
                at += 1;
                rest = r;
                continue;
            }
            break;
        }
        let reason = rest
            .trim()
            .trim_start_matches("--")
            .trim_start_matches(':')
            .trim();
        let reason = (!reason.is_empty()).then(|| reason.to_string());
        let scope = comment_scope(text, span, &lexed);
        out.push(IgnoreComment {
            span,
            codes,
            reason,
            scope,
        });
    }
    out
}

/// What a comment covers: its own line when code precedes it there; else the whole block
/// it is the first line of; else the next line that is not a comment, or the whole block
/// that line opens.
fn comment_scope(text: &str, span: Span, lexed: &Lexed) -> Span {
    let ls = line_start(text, span.start);
    if !text[ls..span.start].trim().is_empty() {
        return Span::new(ls, line_end(text, span.start));
    }
    // The first line inside a block: the block.
    let before = text[..ls].trim_end();
    if before.ends_with('{') {
        let open = before.len() - 1;
        if let Some(&(o, c)) = lexed.braces.iter().find(|(o, _)| *o == open) {
            return Span::new(line_start(text, o), c + 1);
        }
    }
    // The next line that holds code.
    let mut start = line_end(text, span.end) + 1;
    while start < text.len() {
        let end = line_end(text, start);
        let line = &text[start..end];
        let code_at = start + (line.len() - line.trim_start().len());
        if line.trim().is_empty() {
            start = end + 1;
            continue;
        }
        if let Some(c) = lexed.comments.iter().find(|c| c.start == code_at) {
            start = line_end(text, c.end.min(text.len())) + 1;
            continue;
        }
        // A block opened on this line and closed after it: the whole block.
        let block = lexed
            .braces
            .iter()
            .filter(|(o, c)| *o >= start && *o < end && *c > end)
            .min_by_key(|(o, _)| *o);
        return match block {
            Some(&(_, c)) => Span::new(start, c + 1),
            None => Span::new(start, end),
        };
    }
    Span::empty(span.end)
}

/// A statement of a policy in a file: where it is and what identifies it.
#[derive(Clone, Debug)]
pub struct StatementLoc {
    pub index: usize,
    pub sid: Option<String>,
    pub span: Span,
    /// The statement as compact JSON, for a content hash that survives reformatting.
    pub content: String,
}

fn statements_of_tree(tree: &Value, out: &mut Vec<StatementLoc>) {
    let Some(st) = tree.get("Statement") else {
        return;
    };
    let list: Vec<&Value> = match st.as_array() {
        Some(a) => a.iter().collect(),
        None => vec![st],
    };
    for (index, s) in list.into_iter().enumerate() {
        let sid = s.get("Sid").and_then(Value::as_str).map(str::to_string);
        out.push(StatementLoc {
            index,
            // The content identifies a statement only when it has no `Sid`.
            content: if sid.is_some() {
                String::new()
            } else {
                s.to_compact_json()
            },
            sid,
            span: s.span,
        });
    }
}

/// Every statement of every policy held in `path`; `modules` are the workspace's
/// Terraform modules, for the policies embedded in Terraform files.
fn statements_with(
    ws: &Workspace,
    modules: &[Arc<crate::workspace::ModuleAnalysis>],
    path: &str,
) -> Vec<StatementLoc> {
    let mut out = Vec::new();
    if let Some(summary) = ws.summary(path) {
        for doc in &summary.policies {
            statements_of_tree(&doc.tree, &mut out);
        }
    }
    if path.ends_with(".tf") || path.ends_with(".tf.json") {
        for m in modules {
            if m.is_stale(path) {
                continue;
            }
            for p in &m.module.policies {
                if let Some(inline) = p.inline() {
                    if &*inline.path == path {
                        statements_of_tree(&inline.tree, &mut out);
                    }
                }
            }
        }
    }
    out
}

/// Every statement of every policy held in `path`.
pub fn statements(ws: &Workspace, path: &str) -> Vec<StatementLoc> {
    let modules = if path.ends_with(".tf") || path.ends_with(".tf.json") {
        ws.modules()
    } else {
        Vec::new()
    };
    statements_with(ws, &modules, path)
}

/// The innermost statement that holds `offset`.
fn statement_at(statements: &[StatementLoc], offset: usize) -> Option<&StatementLoc> {
    statements
        .iter()
        .filter(|s| s.span.touches(offset))
        .min_by_key(|s| s.span.len())
}

/// FNV-1a, 64 bits: stable across runs and platforms, unlike the standard hasher.
fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain(std::iter::once(&0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Fingerprints of findings, for baselines and SARIF `partialFingerprints`. They read the
/// code, the file, the statement (its `Sid`, else a hash of its content) or, outside a
/// statement, the text of the finding's range, and the finding's headline (which names the
/// request for the cross-document checks): never a line or an offset, so moving code does
/// not change them.
pub struct Fingerprinter<'a> {
    ws: &'a Workspace,
    statements: HashMap<Arc<str>, Vec<StatementLoc>>,
    modules: Option<Vec<Arc<crate::workspace::ModuleAnalysis>>>,
}

impl<'a> Fingerprinter<'a> {
    pub fn new(ws: &'a Workspace) -> Fingerprinter<'a> {
        Fingerprinter {
            ws,
            statements: HashMap::new(),
            modules: None,
        }
    }

    pub fn of(&mut self, f: &Finding) -> String {
        let ws = self.ws;
        let modules = &mut self.modules;
        let stmts = self.statements.entry(f.path.clone()).or_insert_with(|| {
            let is_tf = f.path.ends_with(".tf") || f.path.ends_with(".tf.json");
            let modules: &[Arc<crate::workspace::ModuleAnalysis>] = if is_tf {
                modules.get_or_insert_with(|| ws.modules())
            } else {
                &[]
            };
            statements_with(ws, modules, &f.path)
        });
        let anchor = match statement_at(stmts, f.range.start) {
            Some(StatementLoc { sid: Some(sid), .. }) => format!("sid:{sid}"),
            Some(s) => format!("statement:{:016x}", fnv(&[&s.content])),
            None => {
                let text = ws
                    .text(&f.path)
                    .and_then(|t| t.get(f.range.range()))
                    .unwrap_or("");
                let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
                format!("text:{:016x}", fnv(&[&squashed]))
            }
        };
        let headline = without_line_refs(f.headline());
        format!("{:016x}", fnv(&[f.code, &f.path, &anchor, &headline]))
    }
}

/// A headline without the line numbers of the places it cites (`(s3/policy.json:30)`
/// becomes `(s3/policy.json)`), so that moving the other side of a cross-file finding
/// keeps its fingerprint.
pub fn without_line_refs(headline: &str) -> String {
    let mut out = String::with_capacity(headline.len());
    let mut rest = headline;
    while let Some(i) = rest.find(':') {
        let after = &rest[i + 1..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push_str(&rest[..i]);
            rest = &after[digits..];
        } else {
            out.push_str(&rest[..=i]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// A suppression and whether it was used, per code it names.
struct Source {
    /// File the suppression is written in.
    path: Arc<str>,
    span: Span,
    codes: Vec<Spanned<String>>,
    used: Vec<bool>,
    reason: bool,
    what: &'static str,
    /// The text to delete to remove it.
    removal: Span,
}

/// An allow entry (its index among the suppressions) and the statements of its file.
type AllowTarget<'m> = (usize, &'m AllowDecl, Vec<StatementLoc>);

/// Applies the `[check]` tables, comments and allow entries to the findings of every file.
/// With `only`, `by_path` holds that one file's findings and only its comments are read
/// (the language server's per-keystroke pass, [`Workspace::file_analysis`]).
pub fn apply(
    ws: &Workspace,
    by_path: &mut BTreeMap<Arc<str>, Vec<Finding>>,
    stale: &[Arc<str>],
    only: Option<&str>,
) {
    let manifests = ws.manifests();
    let configured_any = manifests.iter().any(|(_, _, m)| !m.check.is_empty());
    let mut sources: Vec<Source> = Vec::new();
    // Comments in Terraform files.
    let mut comments: HashMap<Arc<str>, Vec<(usize, IgnoreComment)>> = HashMap::new();
    for path in ws.paths() {
        if !(path.ends_with(".tf")) || stale.contains(path) || only.is_some_and(|o| o != &**path) {
            continue;
        }
        let Some(text) = ws.text(path) else { continue };
        for c in ignore_comments(text) {
            let idx = sources.len();
            let ls = line_start(text, c.span.start);
            let own_line = text[ls..c.span.start].trim().is_empty()
                && text[c.span.end..line_end(text, c.span.end)]
                    .trim()
                    .is_empty();
            let removal = if own_line {
                Span::new(ls, (line_end(text, c.span.end) + 1).min(text.len()))
            } else {
                let before = text[..c.span.start].trim_end_matches([' ', '\t']).len();
                Span::new(before, c.span.end)
            };
            sources.push(Source {
                path: path.clone(),
                span: c.span,
                used: vec![false; c.codes.len()],
                codes: c.codes.clone(),
                reason: c.reason.is_some(),
                what: "comment",
                removal,
            });
            comments.entry(path.clone()).or_default().push((idx, c));
        }
    }
    // Allow entries, by the file they name.
    let mut allows: HashMap<String, Vec<AllowTarget<'_>>> = HashMap::new();
    for (dir, mpath, m) in &manifests {
        let mtext = ws.text(mpath).unwrap_or("");
        for a in &m.check.allow {
            let (Some(code), Some(file)) = (&a.code, &a.file) else {
                continue;
            };
            let idx = sources.len();
            let removal = Span::new(
                a.span.start,
                (line_end(mtext, a.span.end.min(mtext.len())) + 1).min(mtext.len()),
            );
            sources.push(Source {
                path: (*mpath).clone(),
                span: a.span,
                codes: vec![code.clone()],
                used: vec![false],
                reason: a
                    .reason
                    .as_ref()
                    .is_some_and(|r| !r.value.trim().is_empty()),
                what: "allow entry",
                removal,
            });
            let target = join_path(dir, &file.value);
            let stmts = statements(ws, &target);
            allows.entry(target).or_default().push((idx, a, stmts));
        }
    }
    if !configured_any && sources.is_empty() {
        return;
    }
    let known: Vec<&'static str> = crate::checks::registry().iter().map(|d| d.code).collect();
    for (path, findings) in by_path.iter_mut() {
        let governing = ws.manifest_for(path);
        let rel = governing.map_or(path.to_string(), |(dir, _, _)| {
            if dir.is_empty() {
                path.to_string()
            } else {
                path.strip_prefix(&format!("{dir}/"))
                    .unwrap_or(path)
                    .to_string()
            }
        });
        let config = governing.map(|(_, _, m)| &m.check);
        if let Some(c) = config {
            if c.exclude.iter().any(|g| path_matches(g, &rel)) && !path.ends_with("latch.toml") {
                findings.clear();
                continue;
            }
        }
        let file_comments = comments.get(path);
        let file_allows = allows.get(&**path);
        findings.retain_mut(|f| {
            if let Some(c) = config {
                match configured(c, &rel, f.code, f.severity) {
                    Some(s) => f.severity = s,
                    None => return false,
                }
            }
            let mut suppressed = false;
            for (idx, c) in file_comments.into_iter().flatten() {
                if !c.scope.touches(f.range.start) {
                    continue;
                }
                for (k, code) in c.codes.iter().enumerate() {
                    if code_matches(code, f.code) {
                        sources[*idx].used[k] = true;
                        suppressed = true;
                    }
                }
            }
            for (idx, a, stmts) in file_allows.into_iter().flatten() {
                if !a.code.as_ref().is_some_and(|c| code_matches(c, f.code)) {
                    continue;
                }
                let in_statement = match &a.statement {
                    None => true,
                    Some(want) => {
                        statement_at(stmts, f.range.start).is_some_and(|s| match &want.value {
                            StatementRef::Sid(sid) => s.sid.as_deref() == Some(sid.as_str()),
                            StatementRef::Index(i) => s.index == *i,
                        })
                    }
                };
                if in_statement {
                    sources[*idx].used[0] = true;
                    suppressed = true;
                }
            }
            !suppressed
        });
    }
    // What the suppressions themselves say.
    let mut extra: Vec<Finding> = Vec::new();
    for s in &sources {
        if !s.reason {
            let mut f = Finding::warning(
                NO_REASON,
                s.span,
                format!(
                    "this `latch:ignore` {} gives no reason; say why the finding is accepted",
                    s.what
                ),
            );
            if s.what == "allow entry" {
                f.message = "this `[[check.allow]]` entry gives no `reason`; say why the finding is accepted".into();
            }
            f.path = s.path.clone();
            extra.push(f);
        }
        if s.codes.is_empty() {
            let mut f =
                Finding::warning(UNUSED, s.span, "this `latch:ignore` comment names no code");
            f.path = s.path.clone();
            f.fixes.push(Fix::safe(
                "remove the comment",
                vec![Edit::delete(s.removal)],
            ));
            extra.push(f);
            continue;
        }
        let all_unused = s.used.iter().all(|u| !u);
        for (code, used) in s.codes.iter().zip(&s.used) {
            if *used {
                continue;
            }
            let exists = known.iter().any(|k| code_matches(code, k));
            let message = if !exists {
                format!(
                    "`{}` is not a Latch check code, so this suppresses nothing",
                    code.value
                )
            } else if s.what == "comment" {
                format!(
                    "no `{}` finding here: this suppression suppresses nothing",
                    code.value
                )
            } else {
                format!(
                    "no `{}` finding matches this `[[check.allow]]` entry: it suppresses nothing",
                    code.value
                )
            };
            let span = if s.what == "comment" {
                code.span
            } else {
                s.span
            };
            let mut f = Finding::warning(UNUSED, span, message);
            f.path = s.path.clone();
            if all_unused {
                let title = if s.what == "comment" {
                    "remove the comment"
                } else {
                    "remove the entry"
                };
                f.fixes
                    .push(Fix::safe(title, vec![Edit::delete(s.removal)]));
            }
            extra.push(f);
        }
    }
    // Config patterns that name no code.
    for (_, mpath, m) in &manifests {
        for p in m.check.patterns() {
            if !known.iter().any(|k| code_matches(p, k)) {
                let mut f = Finding::warning(
                    "manifest/invalid-value",
                    p.span,
                    format!("`{}` matches no Latch check code", p.value),
                );
                f.path = (*mpath).clone();
                extra.push(f);
            }
        }
    }
    for mut f in extra {
        let governing = ws.manifest_for(&f.path);
        if let Some((dir, _, m)) = governing {
            let rel = if dir.is_empty() {
                f.path.to_string()
            } else {
                f.path
                    .strip_prefix(&format!("{dir}/"))
                    .unwrap_or(&f.path)
                    .to_string()
            };
            match configured(&m.check, &rel, f.code, f.severity) {
                Some(s) => f.severity = s,
                None => continue,
            }
        }
        by_path.entry(f.path.clone()).or_default().push(f);
    }
}

/// The edit that makes a finding ignored where it is: a `# latch:ignore` comment above its
/// line in a Terraform file, or a `[[check.allow]]` entry in the governing `latch.toml`
/// for other files (a new `latch.toml` at the workspace root when none governs the file).
/// The reason is left for the user to write (until then the suppression is reported as
/// having none). `None` for the codes suppressions do not apply to.
pub fn ignore_fix(ws: &Workspace, f: &Finding) -> Option<Fix> {
    if f.code.starts_with("latch/") || f.path.ends_with("latch.toml") {
        return None;
    }
    let text = ws.text(&f.path)?;
    if f.path.ends_with(".tf") {
        let start = line_start(text, f.range.start.min(text.len()));
        let indent: String = text[start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        return Some(Fix::unsafe_(
            format!("ignore `{}` on this line (latch:ignore comment)", f.code),
            vec![Edit::insert(
                start,
                format!("{indent}# latch:ignore {} \n", f.code),
            )],
        ));
    }
    // The governing manifest, or a new `latch.toml` at the workspace root (the edit then
    // names a file the workspace does not have: the editor creates it).
    let (dir, mpath, mtext): (&str, Arc<str>, &str) = match ws.manifest_for(&f.path) {
        Some((dir, mpath, _)) => (dir, mpath.clone(), ws.text(mpath)?),
        None if ws.text("latch.toml").is_none() => ("", Arc::from("latch.toml"), ""),
        None => return None,
    };
    let rel = if dir.is_empty() {
        f.path.to_string()
    } else {
        f.path.strip_prefix(&format!("{dir}/"))?.to_string()
    };
    let stmts = statements(ws, &f.path);
    let statement = match statement_at(&stmts, f.range.start) {
        Some(StatementLoc { sid: Some(sid), .. }) => {
            format!("statement = {}\n", latch_syntax::json::json_string(sid))
        }
        Some(s) => format!("statement = {}\n", s.index),
        None => String::new(),
    };
    let sep = if mtext.is_empty() || mtext.ends_with("\n\n") {
        ""
    } else if mtext.ends_with('\n') {
        "\n"
    } else {
        "\n\n"
    };
    let entry = format!(
        "{sep}[[check.allow]]\ncode = \"{}\"\nfile = {}\n{statement}reason = \"\"\n",
        f.code,
        latch_syntax::json::json_string(&rel)
    );
    Some(Fix::unsafe_(
        format!(
            "ignore `{}` in this statement (`[[check.allow]]` in latch.toml)",
            f.code
        ),
        vec![Edit::insert(mtext.len(), entry).in_file(mpath)],
    ))
}

#[cfg(test)]
mod tests;

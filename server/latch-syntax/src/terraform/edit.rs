//! Text edits on an extracted policy, written in the policy's own syntax: an HCL object
//! item inside `jsonencode`, JSON inside a heredoc or a file, escaped JSON inside a quoted
//! string, or an attribute or `statement {}` block of an `aws_iam_policy_document`.
//! Fixes never re-print a tree: they insert text next to what is there, with the
//! indentation of the neighbouring lines.
//!
//! The `object`, `list` and `statement` arguments are nodes of the policy's
//! [`InlinePolicy::tree`](crate::terraform::InlinePolicy); values to insert are
//! [`Value`]s (spans ignored), for example from [`crate::json::parse`]. Every edit applies
//! to the file that holds the policy text (`InlinePolicy::path`), whose text is `text`.
//! Nodes must be taken from the policy's own tree (they are found by identity); a node
//! inside a statement merged from another file's document gives `None`.

use crate::finding::Edit;
use crate::json::{Value, ValueKind, json_string};
use crate::span::Span;
use crate::terraform::extract::{ExtractedPolicy, InlinePolicy, PolicySyntax};

/// Adds `key: value` as the last member of `object`, a statement or another object of the
/// policy tree.
pub fn insert_member(
    text: &str,
    policy: &ExtractedPolicy,
    object: &Value,
    key: &str,
    value: &Value,
) -> Option<Edit> {
    let inline = policy.inline()?;
    let members = object.as_object()?;
    let owner = own_statement(inline, object)?;
    if policy.syntax == PolicySyntax::PolicyDocument {
        let statement = owner?;
        return insert_into_block(
            text,
            statement.span,
            &document_member(key, value, statement, object),
        );
    }
    let style = Style::of(policy.syntax)?;
    // An object that is a reference (`Condition = local.tls`) has no text to insert into.
    if !text.get(object.span.range())?.starts_with('{') {
        return None;
    }
    let item = style.member(key, value, 0);
    match members.last() {
        Some(last) => {
            let at = last.value.span.end;
            let multiline = text.get(object.span.start..at)?.contains('\n');
            if multiline && style != Style::Quoted {
                let indent = line_indent(text, last.key_span.start);
                let item = reindent(&style.member(key, value, 0), &indent);
                Some(Edit::insert(
                    at,
                    format!("{}\n{indent}{item}", style.separator()),
                ))
            } else {
                Some(Edit::insert(at, format!("{} {item}", style.separator())))
            }
        }
        None => Some(Edit::insert(object.span.start + 1, format!(" {item} "))),
    }
}

/// Adds `element` at the end of `list`. A single value that is not a list becomes a list
/// of the two.
pub fn append_element(
    text: &str,
    policy: &ExtractedPolicy,
    list: &Value,
    element: &Value,
) -> Option<Edit> {
    own_statement(policy.inline()?, list)?;
    let style = Style::of(policy.syntax).unwrap_or(Style::Hcl);
    let rendered = style.value(element, 0);
    let old = text.get(list.span.range())?;
    match &list.kind {
        ValueKind::Array(_) if !old.starts_with('[') => match style {
            // A list from a reference grows by concatenation in HCL.
            Style::Hcl => Some(Edit::replace(
                list.span,
                format!("concat({old}, [{rendered}])"),
            )),
            Style::Json | Style::Quoted => None,
        },
        ValueKind::Array(items) => match items.last() {
            Some(last) => Some(Edit::insert(last.span.end, format!(", {rendered}"))),
            None => Some(Edit::insert(list.span.start + 1, rendered)),
        },
        _ => Some(Edit::replace(list.span, format!("[{old}, {rendered}]"))),
    }
}

/// Adds `statement` (a JSON statement object) after the policy's last statement.
pub fn append_statement(text: &str, policy: &ExtractedPolicy, statement: &Value) -> Option<Edit> {
    let inline = policy.inline()?;
    if policy.syntax == PolicySyntax::PolicyDocument {
        let block = inline.text_span;
        let own_path = &inline.path;
        let last = inline
            .policy
            .statements
            .iter()
            .zip(&inline.statement_paths)
            .filter(|(_, p)| *p == own_path)
            .map(|(s, _)| s.span)
            .rfind(|s| block.start <= s.start && s.end <= block.end);
        let indent = match last {
            Some(s) => line_indent(text, s.start),
            None => format!("{}  ", line_indent(text, block.start)),
        };
        let body = document_statement(statement);
        let rendered = reindent(&format!("statement {{\n{body}}}"), &indent);
        return match last {
            Some(s) => Some(Edit::insert(s.end, format!("\n\n{indent}{rendered}"))),
            None => insert_into_block(text, block, &format!("statement {{\n{body}}}")),
        };
    }
    let style = Style::of(policy.syntax)?;
    let statements = inline.tree.get("Statement")?;
    match &statements.kind {
        ValueKind::Array(items) => {
            let rendered = style.value(statement, 0);
            match items.last() {
                Some(last) => {
                    let multiline = text.get(statements.span.range())?.contains('\n');
                    if multiline && style != Style::Quoted {
                        let indent = line_indent(text, last.span.start);
                        Some(Edit::insert(
                            last.span.end,
                            format!(",\n{indent}{}", reindent(&rendered, &indent)),
                        ))
                    } else {
                        Some(Edit::insert(last.span.end, format!(", {rendered}")))
                    }
                }
                None => Some(Edit::insert(statements.span.start + 1, rendered)),
            }
        }
        ValueKind::Object(_) => {
            let old = text.get(statements.span.range())?;
            let rendered = style.value(statement, 0);
            Some(Edit::replace(
                statements.span,
                format!("[{old}, {rendered}]"),
            ))
        }
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// JSON text (heredoc, file).
    Json,
    /// JSON inside a quoted HCL string: compact and escaped.
    Quoted,
    /// HCL object syntax inside `jsonencode`.
    Hcl,
}

impl Style {
    fn of(syntax: PolicySyntax) -> Option<Style> {
        match syntax {
            PolicySyntax::Heredoc | PolicySyntax::File => Some(Style::Json),
            PolicySyntax::QuotedJson => Some(Style::Quoted),
            PolicySyntax::Jsonencode => Some(Style::Hcl),
            PolicySyntax::PolicyDocument | PolicySyntax::Unknown => None,
        }
    }

    fn separator(self) -> &'static str {
        match self {
            Style::Hcl => "",
            Style::Json | Style::Quoted => ",",
        }
    }

    fn member(self, key: &str, value: &Value, depth: usize) -> String {
        match self {
            Style::Json => format!("{}: {}", json_string(key), self.value(value, depth)),
            Style::Quoted => escape_quoted(&format!(
                "{}: {}",
                json_string(key),
                value.to_compact_json()
            )),
            Style::Hcl => format!("{} = {}", hcl_key(key), self.value(value, depth)),
        }
    }

    /// Objects on several lines (indented by two spaces per level, relative to the line
    /// they start on), everything else on one.
    fn value(self, v: &Value, depth: usize) -> String {
        match (&v.kind, self) {
            (_, Style::Quoted) => escape_quoted(&v.to_compact_json()),
            (ValueKind::String(s), Style::Hcl) => hcl_string(s),
            (ValueKind::String(s), Style::Json) => escape_template(&json_string(s)),
            (ValueKind::Array(items), _) => {
                let parts: Vec<String> = items.iter().map(|i| self.value(i, depth)).collect();
                format!("[{}]", parts.join(", "))
            }
            (ValueKind::Object(members), _) if members.is_empty() => "{}".to_string(),
            (ValueKind::Object(members), _) => {
                let pad = "  ".repeat(depth + 1);
                let sep = if self == Style::Json { ",\n" } else { "\n" };
                let body: Vec<String> = members
                    .iter()
                    .map(|m| format!("{pad}{}", self.member(&m.key, &m.value, depth + 1)))
                    .collect();
                format!("{{\n{}\n{}}}", body.join(sep), "  ".repeat(depth))
            }
            _ => v.to_compact_json(),
        }
    }
}

/// A key in HCL object syntax: bare when it is an identifier, quoted otherwise.
fn hcl_key(key: &str) -> String {
    let ident = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        key.to_string()
    } else {
        hcl_string(key)
    }
}

/// A quoted HCL string: JSON escapes, and `${`/`%{` doubled so IAM policy variables stay
/// literal.
fn hcl_string(s: &str) -> String {
    escape_template(&json_string(s))
}

fn escape_template(s: &str) -> String {
    s.replace("${", "$${").replace("%{", "%%{")
}

fn escape_quoted(json: &str) -> String {
    escape_template(&json.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The whitespace at the start of the line holding `offset`.
fn line_indent(text: &str, offset: usize) -> String {
    let start = text
        .get(..offset)
        .map_or(0, |t| t.rfind('\n').map_or(0, |p| p + 1));
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// Indents every line after the first by `indent`.
fn reindent(s: &str, indent: &str) -> String {
    s.replace('\n', &format!("\n{indent}"))
}

/// Inserts `content` (lines relative to the block's inner indentation) before the
/// closing brace of the block at `block`.
fn insert_into_block(text: &str, block: Span, content: &str) -> Option<Edit> {
    let close = block.end.checked_sub(1)?;
    if text.get(close..block.end) != Some("}") {
        return None;
    }
    let outer = line_indent(text, block.start);
    let inner = format!("{outer}  ");
    let line_start = text.get(..close)?.rfind('\n').map_or(0, |p| p + 1);
    let only_space_before = text.get(line_start..close)?.trim().is_empty();
    let body = reindent(content.trim_end(), &inner);
    if only_space_before {
        Some(Edit::insert(line_start, format!("{inner}{body}\n")))
    } else {
        Some(Edit::insert(close, format!("\n{inner}{body}\n{outer}")))
    }
}

/// The statement that holds `node` (found by identity, not by span, because statements
/// merged from another file have spans in that file): `Some(Some(statement))`, or
/// `Some(None)` for a node outside every statement; `None` when the statement's text is in
/// another file, where an edit on this file's text cannot go.
fn own_statement<'t>(inline: &'t InlinePolicy, node: &Value) -> Option<Option<&'t Value>> {
    for (i, st) in crate::policy::build::statement_objects(&inline.tree)
        .into_iter()
        .enumerate()
    {
        if holds(st, node) {
            let same_file = inline
                .statement_paths
                .get(i)
                .is_none_or(|p| *p == inline.path);
            return same_file.then_some(Some(st));
        }
    }
    Some(None)
}

fn holds(haystack: &Value, needle: &Value) -> bool {
    if std::ptr::eq(haystack, needle) {
        return true;
    }
    match &haystack.kind {
        ValueKind::Array(items) => items.iter().any(|i| holds(i, needle)),
        ValueKind::Object(members) => members.iter().any(|m| holds(&m.value, needle)),
        _ => false,
    }
}

/// A statement member as `aws_iam_policy_document` content. `object` is where the caller
/// wanted the member: the statement, its `Principal` map, its `Condition` or an operator.
fn document_member(key: &str, value: &Value, statement: &Value, object: &Value) -> String {
    if object.span != statement.span {
        // Inside `Principal`/`Condition`: a new principals or condition block.
        let condition = statement.get("Condition");
        if condition.is_some_and(|c| c.span == object.span) {
            return condition_blocks(key, value);
        }
        if let Some(op) = condition
            .and_then(Value::as_object)
            .and_then(|ops| ops.iter().find(|m| m.value.span == object.span))
        {
            return condition_block(&op.key, key, value);
        }
        return principals_block("principals", key, value);
    }
    document_statement(&Value::new(
        ValueKind::Object(vec![crate::json::Member {
            key: key.into(),
            key_span: Span::default(),
            value: value.clone(),
        }]),
        Span::default(),
    ))
    .lines()
    .map(|l| l.strip_prefix("  ").unwrap_or(l))
    .collect::<Vec<_>>()
    .join("\n")
}

fn list(v: &Value) -> String {
    match &v.kind {
        ValueKind::Array(_) => Style::Hcl.value(v, 0),
        _ => format!("[{}]", Style::Hcl.value(v, 0)),
    }
}

/// The content of a `statement {}` block for a JSON statement, two-space indented lines.
fn document_statement(st: &Value) -> String {
    let mut out = String::new();
    for m in st.as_object().unwrap_or(&[]) {
        let line = match m.key.as_str() {
            "Sid" => format!("sid = {}", Style::Hcl.value(&m.value, 0)),
            "Effect" => format!("effect = {}", Style::Hcl.value(&m.value, 0)),
            "Action" => format!("actions = {}", list(&m.value)),
            "NotAction" => format!("not_actions = {}", list(&m.value)),
            "Resource" => format!("resources = {}", list(&m.value)),
            "NotResource" => format!("not_resources = {}", list(&m.value)),
            "Principal" | "NotPrincipal" => {
                let name = if m.key == "Principal" {
                    "principals"
                } else {
                    "not_principals"
                };
                match &m.value.kind {
                    ValueKind::Object(entries) => entries
                        .iter()
                        .map(|e| principals_block(name, &e.key, &e.value))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    _ => principals_block(name, "*", &m.value),
                }
            }
            "Condition" => condition_blocks_all(&m.value),
            _ => continue,
        };
        for l in line.lines() {
            out.push_str("  ");
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn principals_block(name: &str, ty: &str, ids: &Value) -> String {
    format!(
        "{name} {{\n  type        = {}\n  identifiers = {}\n}}",
        hcl_string(ty),
        list(ids)
    )
}

fn condition_block(test: &str, variable: &str, values: &Value) -> String {
    format!(
        "condition {{\n  test     = {}\n  variable = {}\n  values   = {}\n}}",
        hcl_string(test),
        hcl_string(variable),
        list(values)
    )
}

/// `"StringEquals": {"k": v}` inserted into `Condition`: one block per key.
fn condition_blocks(test: &str, keys: &Value) -> String {
    keys.as_object()
        .unwrap_or(&[])
        .iter()
        .map(|k| condition_block(test, &k.key, &k.value))
        .collect::<Vec<_>>()
        .join("\n")
}

fn condition_blocks_all(condition: &Value) -> String {
    condition
        .as_object()
        .unwrap_or(&[])
        .iter()
        .map(|op| condition_blocks(&op.key, &op.value))
        .collect::<Vec<_>>()
        .join("\n")
}

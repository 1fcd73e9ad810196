//! Edits that fixes make, in the syntax of the file they touch (JSON, `jsonencode`, a
//! heredoc, `aws_iam_policy_document`), and the small helpers findings share.

use crate::access::prelude::*;

/// Whether some identity-policy Allow applies in a trace.
pub(crate) fn identity_allows(t: &Trace) -> bool {
    t.policies.iter().any(|p| {
        p.layer == Layer::Identity
            && p.statements.iter().any(|s| {
                s.outcome.is_match()
                    && p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow)
            })
    })
}

pub(crate) fn trace_suffix(trace: &str) -> String {
    format!("\n\n{}", trace.trim_end())
}

pub(crate) fn not_action_list(st: &Statement) -> String {
    match &st.action {
        Some(a) if a.negated => {
            let list: Vec<String> = a.values.iter().map(|v| format!("`{}`", v.value)).collect();
            format!(" (everything except {})", list.join(", "))
        }
        _ => String::new(),
    }
}

/// The place of a statement of a trace, through the index.
pub(crate) fn stmt_loc(ix: &Index, t: &Trace, r: StmtRef) -> Option<Loc> {
    let p = t.policy(r)?;
    let e = ix.entry_of(&p.policy)?;
    e.statement_loc(r.statement)
}

pub(crate) fn first_allow(p: &PolicyEntry) -> Option<Loc> {
    let i = p
        .policy
        .statements
        .iter()
        .position(|s| s.effect() == Some(Effect::Allow))
        .unwrap_or(0);
    p.statement_loc(i)
}

/// `bucket/*` for an object, the bucket ARN for a bucket, the resource otherwise.
pub(crate) fn resource_pattern(resource: &str) -> String {
    match resource.strip_prefix("arn:aws:s3:::") {
        Some(rest) if rest.contains('/') => {
            format!("arn:aws:s3:::{}/*", rest.split('/').next().unwrap_or(rest))
        }
        _ => resource.to_string(),
    }
}

pub(crate) fn sid_word(s: &str) -> String {
    let last = s.rsplit([':', '/']).next().unwrap_or(s);
    last.chars().filter(char::is_ascii_alphanumeric).collect()
}

pub(crate) fn allow_stmt(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Sid": "Allow{}", "Effect": "Allow", "Action": {}, "Resource": {}}}"#,
        sid_word(action),
        json_string(action),
        json_string(resource)
    )
}

/// Appends a statement (JSON text) to a policy, in its own syntax.
pub fn append_fix(ws: &Workspace, p: &PolicyEntry, statement: &str, title: &str) -> Vec<Fix> {
    let Some(value) = latch_syntax::json::parse(statement).value else {
        return Vec::new();
    };
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let edit = match &p.origin {
        PolicyOrigin::Terraform { .. } => p
            .terraform()
            .and_then(|tp| tf_edit::append_statement(text, tp, &value)),
        PolicyOrigin::File => json_append_statement(text, &p.tree, &value),
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(title, vec![e.in_file(p.path.clone())])],
        None => Vec::new(),
    }
}

/// Adds an action to statement `i`'s `Action`.
/// Adds member `key` with JSON `value` to statement `i` of a policy, in its own syntax.
pub(crate) fn add_member_fix(
    ws: &Workspace,
    p: &PolicyEntry,
    i: usize,
    key: &str,
    value: &str,
    title: &str,
) -> Vec<Fix> {
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let Some(value) = latch_syntax::json::parse(value).value else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&p.tree).and_then(|s| s.get(i).copied()) else {
        return Vec::new();
    };
    let edit = match &p.origin {
        // The Terraform editor finds the statement by identity in its own tree.
        PolicyOrigin::Terraform { .. } => p.terraform().and_then(|tp| {
            let inline = tp.inline()?;
            let st = statements_of(&inline.tree)?.get(i).copied()?;
            tf_edit::insert_member(text, tp, st, key, &value)
        }),
        PolicyOrigin::File => match st_value.as_object().and_then(|m| m.last()) {
            Some(last) => {
                let indent = line_indent(text, last.key_span.start);
                Some(Edit::insert(
                    last.value.span.end,
                    format!(
                        ",\n{indent}{}: {}",
                        json_string(key),
                        pretty(&value, &indent, "  ")
                    ),
                ))
            }
            None => None,
        },
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(title, vec![e.in_file(p.path.clone())])],
        None => Vec::new(),
    }
}

pub(crate) fn add_action_fix(ws: &Workspace, p: &PolicyEntry, i: usize, action: &str) -> Vec<Fix> {
    let Some(text) = ws.text(&p.path) else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&p.tree).and_then(|s| s.get(i).copied()) else {
        return Vec::new();
    };
    let Some(list) = st_value.get("Action") else {
        return Vec::new();
    };
    let element = Value::new(ValueKind::String(action.into()), Span::empty(0));
    let edit = match &p.origin {
        PolicyOrigin::Terraform { .. } => p
            .terraform()
            .and_then(|tp| tf_edit::append_element(text, tp, list, &element)),
        PolicyOrigin::File => {
            let old = text.get(list.span.range()).unwrap_or_default();
            match &list.kind {
                ValueKind::Array(items) => match items.last() {
                    Some(last) => {
                        let multiline = old.contains('\n');
                        if multiline {
                            let indent = line_indent(text, last.span.start);
                            Some(Edit::insert(
                                last.span.end,
                                format!(",\n{indent}{}", json_string(action)),
                            ))
                        } else {
                            Some(Edit::insert(
                                last.span.end,
                                format!(", {}", json_string(action)),
                            ))
                        }
                    }
                    None => Some(Edit::insert(list.span.start + 1, json_string(action))),
                },
                _ => Some(Edit::replace(
                    list.span,
                    format!("[{old}, {}]", json_string(action)),
                )),
            }
        }
    };
    match edit {
        Some(e) => vec![Fix::unsafe_(
            format!("add `{action}` to this statement"),
            vec![e.in_file(p.path.clone())],
        )],
        None => Vec::new(),
    }
}

pub(crate) fn statements_of(tree: &Value) -> Option<Vec<&Value>> {
    let s = tree.get("Statement")?;
    match &s.kind {
        ValueKind::Array(items) => Some(items.iter().collect()),
        ValueKind::Object(_) => Some(vec![s]),
        _ => None,
    }
}

pub(crate) fn line_indent(text: &str, offset: usize) -> String {
    let start = text
        .get(..offset)
        .map_or(0, |t| t.rfind('\n').map_or(0, |p| p + 1));
    text.get(start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// JSON with objects on several lines, indented by `unit` per level.
pub(crate) fn pretty(v: &Value, indent: &str, unit: &str) -> String {
    match &v.kind {
        ValueKind::Object(members) if !members.is_empty() => {
            let inner = format!("{indent}{unit}");
            let body: Vec<String> = members
                .iter()
                .map(|m| {
                    format!(
                        "{inner}{}: {}",
                        json_string(&m.key),
                        pretty(&m.value, &inner, unit)
                    )
                })
                .collect();
            format!("{{\n{}\n{indent}}}", body.join(",\n"))
        }
        ValueKind::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| pretty(i, indent, unit)).collect();
            format!("[{}]", parts.join(", "))
        }
        _ => v.to_compact_json(),
    }
}

/// Appends `statement` after the last statement of a JSON policy file.
pub(crate) fn json_append_statement(text: &str, tree: &Value, statement: &Value) -> Option<Edit> {
    let s = tree.get("Statement")?;
    match &s.kind {
        ValueKind::Array(items) => match items.last() {
            Some(last) => {
                let indent = line_indent(text, last.span.start);
                let multiline = text.get(s.span.range())?.contains('\n');
                if multiline {
                    let unit = unit_of(text, last, &indent);
                    Some(Edit::insert(
                        last.span.end,
                        format!(",\n{indent}{}", pretty(statement, &indent, &unit)),
                    ))
                } else {
                    Some(Edit::insert(
                        last.span.end,
                        format!(", {}", statement.to_compact_json()),
                    ))
                }
            }
            None => Some(Edit::insert(s.span.start + 1, statement.to_compact_json())),
        },
        ValueKind::Object(_) => {
            let old = text.get(s.span.range())?;
            Some(Edit::replace(
                s.span,
                format!("[{old}, {}]", statement.to_compact_json()),
            ))
        }
        _ => None,
    }
}

/// The indentation step of a JSON file: the difference between a statement's line and
/// its first member's line.
pub(crate) fn unit_of(text: &str, statement: &Value, indent: &str) -> String {
    statement
        .as_object()
        .and_then(|m| m.first())
        .map(|m| line_indent(text, m.key_span.start))
        .and_then(|i| i.strip_prefix(indent).map(str::to_string))
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "  ".to_string())
}

/// The lines that hold `span`, newline included.
pub(crate) fn whole_line(text: &str, span: Span) -> Span {
    let start = text
        .get(..span.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = text
        .get(span.end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| span.end + i + 1);
    Span::new(start, end)
}

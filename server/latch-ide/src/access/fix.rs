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

/// The place of a statement of a trace, through the index.
pub(crate) fn stmt_loc(ix: &Index, t: &Trace, r: StmtRef) -> Option<Loc> {
    let p = t.policy(r)?;
    let e = ix.entry_of(&p.policy)?;
    e.statement_loc(r.statement)
}

pub(crate) fn first_allow(p: &PolicyEntry) -> Option<Loc> {
    let i = p
        .policy()
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
        PolicyOrigin::File => p
            .tree(ws)
            .and_then(|tree| json_append_statement(text, &tree, &value)),
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
    let Some(tree) = p.tree(ws) else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&tree).and_then(|s| s.get(i).copied()) else {
        return Vec::new();
    };
    let edit = match &p.origin {
        // The Terraform editor finds the statement by identity in its own tree, which
        // is the one `tree` borrows.
        PolicyOrigin::Terraform { .. } => p
            .terraform()
            .and_then(|tp| tf_edit::insert_member(text, tp, st_value, key, &value)),
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
    let Some(tree) = p.tree(ws) else {
        return Vec::new();
    };
    let Some(st_value) = statements_of(&tree).and_then(|s| s.get(i).copied()) else {
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

/// "Allow `Sid`", or "Allow #2" for a statement without a `Sid`.
pub(crate) fn statement_words(st: &Statement, index: usize) -> String {
    let effect = st.effect().map_or("statement", |e| e.as_str());
    match &st.sid {
        Some(s) if !s.value.is_empty() => format!("{effect} `{}`", s.value),
        _ => format!("{effect} #{}", index + 1),
    }
}

/// The value that corrects `pattern` to name `wanted` when it nearly does: a bucket name
/// one or two edits from the request's (`example-analytics-export` for
/// `example-analytics-exports`), keeping the rest of the pattern (`/*`), or a literal
/// without wildcards as close to the whole value.
pub(crate) fn corrected(pattern: &str, wanted: &str) -> Option<String> {
    use latch_syntax::catalog::suggest::{edit_distance, max_distance};
    let near = |a: &str, b: &str| {
        let limit = max_distance(b).min(2);
        let d = edit_distance(a, b, limit);
        a != b && d >= 1 && d <= limit && a.len() >= 4
    };
    if let (Some(p), Some(w)) = (
        pattern.strip_prefix("arn:aws:s3:::"),
        wanted.strip_prefix("arn:aws:s3:::"),
    ) {
        let (pb, prest) = p.split_once('/').map_or((p, None), |(b, r)| (b, Some(r)));
        let wb = w.split('/').next().unwrap_or(w);
        if pb.contains(['*', '?']) || !near(pb, wb) {
            return None;
        }
        return Some(match prest {
            Some(r) => format!("arn:aws:s3:::{wb}/{r}"),
            None => format!("arn:aws:s3:::{wb}"),
        });
    }
    if pattern.contains(['*', '?']) || !near(pattern, wanted) {
        return None;
    }
    Some(wanted.to_string())
}

/// A fix that corrects the patterns of an Allow in `layers` that fails on its `Resource`
/// or `Principal` only because a value nearly names the request (a typo): every value of
/// that element with the same near miss is edited where it is written, instead of a new
/// statement being added. Only literal text is edited (a value written through a
/// reference or an escape gets no fix).
pub(crate) fn near_miss_fix(
    ws: &Workspace,
    ix: &Index,
    t: &Trace,
    req: &Request,
    layers: &[Layer],
) -> Option<(Fix, String)> {
    use latch_eval::StatementOutcome;
    use latch_eval::trace::Failure;
    for p in &t.policies {
        if !layers.contains(&p.layer) || p.not_applicable.is_some() {
            continue;
        }
        let Some(entry) = ix.entry_of(&p.policy) else {
            continue;
        };
        let Some(text) = ws.text(&entry.path) else {
            continue;
        };
        for s in &p.statements {
            let StatementOutcome::Failed(f) = &s.outcome else {
                continue;
            };
            let Some(st) = p.statement(s.index) else {
                continue;
            };
            if st.effect() != Some(Effect::Allow) {
                continue;
            }
            let (values, wanted, element): (
                Vec<&latch_syntax::span::Spanned<latch_syntax::Str>>,
                &str,
                &str,
            ) = match f {
                Failure::Resource => match &st.resource {
                    Some(r) if !r.negated => {
                        (r.values.iter().collect(), req.resource.as_str(), "Resource")
                    }
                    _ => continue,
                },
                Failure::Principal => match &st.principal {
                    Some(pr) if !pr.negated => match &pr.value {
                        PrincipalValue::Map(entries) => (
                            entries.iter().flat_map(|e| e.values.iter()).collect(),
                            req.principal.arn(),
                            "Principal",
                        ),
                        PrincipalValue::Star => continue,
                    },
                    _ => continue,
                },
                _ => continue,
            };
            let mut edits = Vec::new();
            let mut changes: Vec<(String, String)> = Vec::new();
            for v in values {
                let Some(fixed) = corrected(&v.value, wanted) else {
                    continue;
                };
                let written = text.get(v.span.range()).unwrap_or_default();
                let new_text = if written == json_string(&v.value) {
                    json_string(&fixed)
                } else if written == v.value {
                    fixed.clone()
                } else {
                    continue;
                };
                edits.push(Edit::replace(v.span, new_text).in_file(entry.path.clone()));
                changes.push((v.value.to_string(), fixed));
            }
            let Some((old, new)) = changes.first() else {
                continue;
            };
            // Name the part that changes: the bucket, or the whole value.
            let (old_word, new_word) = match (
                old.strip_prefix("arn:aws:s3:::"),
                new.strip_prefix("arn:aws:s3:::"),
            ) {
                (Some(o), Some(n)) => (
                    o.split('/').next().unwrap_or(o).to_string(),
                    n.split('/').next().unwrap_or(n).to_string(),
                ),
                _ => (old.clone(), new.clone()),
            };

            let note = format!(
                "`{element}` of {} in `{}` names `{old_word}`, a near miss of the request's `{new_word}`",
                statement_words(st, s.index),
                entry.label,
            );
            return Some((
                Fix::unsafe_(
                    format!(
                        "correct `{old_word}` to `{new_word}` in `{element}` of {} in the {} `{}`",
                        statement_words(st, s.index),
                        entry.kind.name(),
                        entry.label
                    ),
                    edits,
                ),
                note,
            ));
        }
    }
    None
}

//! `data "aws_iam_policy_document"`: synthesizes the JSON document Terraform would render,
//! with every key and value spanned at the HCL attribute, list element or block it came
//! from, and merges `source_policy_documents` and `override_policy_documents` as the AWS
//! provider does.

use std::sync::Arc;

use crate::json::{Member, Value, ValueKind};
use crate::span::Span;
use crate::terraform::ast::*;
use crate::terraform::convert::{SymbolUse, TreeBuilder};
use crate::terraform::resolve::{Index, TfValue};
use crate::text::Str;

/// A synthesized document.
#[derive(Clone, Debug)]
pub struct Document {
    /// The JSON tree; spans are in the data source's file, except statements merged in
    /// from other documents (see `statement_files`).
    pub tree: Value,
    /// The file (index in the module) of each statement, in order.
    pub statement_files: Vec<usize>,
    pub symbols: Vec<SymbolUse>,
    /// Where statements only known when Terraform runs may join (an unknown source or
    /// override document).
    pub more: Vec<Span>,
}

/// The document of the `aws_iam_policy_document` block `b`, written in file `file`.
pub fn synthesize(index: &Index<'_>, file: usize, b: &Block, depth: usize) -> Document {
    let mut tb = TreeBuilder::new(index, file, depth + 1);
    let default_span = b.labels.get(1).map_or(b.ident.span, |l| l.span);
    let mut merged: Vec<(Value, usize)> = Vec::new();
    let mut replaced: Vec<(Span, usize)> = Vec::new();
    let mut symbols = Vec::new();

    // Statements of the source documents first, then this document's own statements,
    // which replace source statements with the same Sid, then the override documents,
    // which replace statements with the same Sid again.
    // A document that is only known when Terraform runs may add statements: then the
    // result "possibly has more statements" and is never called empty.
    let mut more: Vec<Span> = Vec::new();
    let include = |attr: &str,
                   merged: &mut Vec<(Value, usize)>,
                   replaced: &mut Vec<(Span, usize)>,
                   symbols: &mut Vec<SymbolUse>,
                   more: &mut Vec<Span>| {
        for name in [attr, legacy_name(attr)] {
            let Some(a) = b.attr(name) else { continue };
            let mut items: Vec<&Expr> = Vec::new();
            document_items(index, file, &a.value, &mut items);
            for item in items {
                match referenced_document(index, item) {
                    Some((f, doc)) if depth < 8 => {
                        if index.absent(f, doc) {
                            continue;
                        }
                        let d = synthesize(index, f, doc, depth + 1);
                        symbols.extend(d.symbols);
                        more.extend(d.more);
                        let statements = statement_values(&d.tree);
                        for (st, sf) in statements.into_iter().zip(d.statement_files) {
                            merge(merged, replaced, st, sf);
                        }
                    }
                    _ => {
                        more.push(item.span);
                        symbols.push(SymbolUse {
                            path: index.files.get(file).map_or_else(|| Arc::from(""), |f| f.path.clone()),
                            span: item.span,
                            text: index.source(file, item),
                            reason: format!(
                                "latch only follows `data.aws_iam_policy_document` references in `{name}`"
                            ),
                        });
                    }
                }
            }
        }
    };
    include(
        "source_policy_documents",
        &mut merged,
        &mut replaced,
        &mut symbols,
        &mut more,
    );

    for st in b.blocks.iter() {
        let statement = match st.ident.value.as_str() {
            "statement" => tb_statement(&mut tb, st, None),
            "dynamic" if st.label(0) == "statement" => {
                let Some(content) = st.blocks_named("content").next() else {
                    continue;
                };
                if dynamic_is_empty(index, file, st) {
                    continue;
                }
                tb.symbols.push(SymbolUse {
                    path: tb_path(index, file),
                    span: st.span,
                    text: "dynamic \"statement\"".to_string(),
                    reason: "a `dynamic` block makes one statement per element of `for_each`; latch reads its `content` once".to_string(),
                });
                tb_statement(&mut tb, content, Some(st))
            }
            _ => continue,
        };
        merge(&mut merged, &mut replaced, statement, file);
    }

    include(
        "override_policy_documents",
        &mut merged,
        &mut replaced,
        &mut symbols,
        &mut more,
    );

    let mut members = Vec::new();
    let version = match b.attr("version") {
        Some(a) => Member {
            key: Str::from_static("Version"),
            key_span: a.key.span,
            value: tb.value(&a.value),
        },
        None => Member {
            key: Str::from_static("Version"),
            key_span: default_span,
            value: Value::new(
                ValueKind::String(Str::from_static("2012-10-17")),
                default_span,
            ),
        },
    };
    members.push(version);
    if let Some(a) = b.attr("policy_id") {
        members.push(Member {
            key: Str::from_static("Id"),
            key_span: a.key.span,
            value: tb.value(&a.value),
        });
    }
    let statement_span = merged
        .iter()
        .filter(|(_, f)| *f == file)
        .map(|(v, _)| v.span)
        .reduce(Span::cover)
        .unwrap_or(default_span);
    if !more.is_empty() {
        let path = tb_path(index, file);
        symbols.push(SymbolUse {
            path,
            span: statement_span,
            text: "...".to_string(),
            reason: "more statements may come from documents known when Terraform runs".to_string(),
        });
    }
    let statement_files = merged.iter().map(|(_, f)| *f).collect();
    members.push(Member {
        key: Str::from_static("Statement"),
        key_span: statement_span,
        value: Value::new(
            ValueKind::Array(merged.into_iter().map(|(v, _)| v).collect()),
            statement_span,
        ),
    });
    symbols.append(&mut tb.symbols);
    // Unknowns inside statements that a later document replaced no longer matter.
    symbols.retain(|s| {
        !replaced.iter().any(|(span, f)| {
            tb_path(index, *f) == s.path && span.start <= s.span.start && s.span.end <= span.end
        })
    });
    Document {
        tree: Value::new(ValueKind::Object(members), b.span),
        statement_files,
        symbols,
        more,
    }
}

/// The documents named in `source_policy_documents`: list elements, `concat`/`compact`
/// arguments and both branches of a conditional whose condition is unknown (`""` and
/// `null` add nothing).
fn document_items<'e>(index: &Index<'_>, file: usize, e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::List(items) => items
            .iter()
            .for_each(|i| document_items(index, file, i, out)),
        ExprKind::Call { name, args }
            if matches!(name.as_str(), "concat" | "compact" | "flatten" | "tolist") =>
        {
            args.iter()
                .for_each(|i| document_items(index, file, i, out))
        }
        ExprKind::Conditional { cond, then, other } => match index.eval(file, cond).value {
            TfValue::Bool(true) => document_items(index, file, then, out),
            TfValue::Bool(false) => document_items(index, file, other, out),
            _ => {
                document_items(index, file, then, out);
                document_items(index, file, other, out);
            }
        },
        ExprKind::Null => {}
        ExprKind::String(s) if s.is_empty() => {}
        _ => out.push(e),
    }
}

/// A `dynamic` block whose `for_each` is known to be empty makes nothing.
fn dynamic_is_empty(index: &Index<'_>, file: usize, d: &Block) -> bool {
    d.attr("for_each").is_some_and(|a| {
        matches!(index.eval(file, &a.value).value,
            TfValue::List(ref items) if items.is_empty())
            || matches!(index.eval(file, &a.value).value,
            TfValue::Object(ref items) if items.is_empty())
            || matches!(index.eval(file, &a.value).value, TfValue::Null)
    })
}

fn tb_path(index: &Index<'_>, file: usize) -> Arc<str> {
    index
        .files
        .get(file)
        .map_or_else(|| Arc::from(""), |f| f.path.clone())
}

fn legacy_name(attr: &str) -> &'static str {
    match attr {
        "source_policy_documents" => "source_json",
        _ => "override_json",
    }
}

/// The documents a document merges in (`source_policy_documents`,
/// `override_policy_documents` and their legacy forms), as `data.aws_iam_policy_document.x`.
pub fn merged_documents(b: &Block) -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "source_policy_documents",
        "override_policy_documents",
        "source_json",
        "override_json",
    ] {
        if let Some(a) = b.attr(name) {
            for r in a.value.references() {
                let parts: Vec<&str> = r.value.split('.').collect();
                if let ["data", "aws_iam_policy_document", n, ..] = parts.as_slice() {
                    out.push(format!("data.aws_iam_policy_document.{n}"));
                }
            }
        }
    }
    out
}

/// `data.aws_iam_policy_document.x.json`, and the block it names.
pub fn referenced_document<'a>(index: &Index<'a>, e: &Expr) -> Option<(usize, &'a Block)> {
    let ExprKind::Reference(parts) = &e.kind else {
        return None;
    };
    // `data.aws_iam_policy_document.d[0].json` with `count`: the instance key goes.
    let parts: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|(i, p)| !(*i == 3 && parts.len() == 5 && *p != "json"))
        .map(|(_, p)| p.as_str())
        .collect();
    match parts.as_slice() {
        [data, ty, name, json]
            if *data == "data"
                && *ty == "aws_iam_policy_document"
                && (*json == "json" || *json == "minified_json") =>
        {
            let r = index.resources.get(&format!("data.{ty}.{name}"))?;
            Some((r.file, r.item))
        }
        _ => None,
    }
}

fn statement_values(tree: &Value) -> Vec<Value> {
    match tree.get("Statement") {
        Some(Value {
            kind: ValueKind::Array(items),
            ..
        }) => items.clone(),
        Some(
            v @ Value {
                kind: ValueKind::Object(_),
                ..
            },
        ) => vec![v.clone()],
        _ => Vec::new(),
    }
}

/// Adds a statement; one with a non-empty Sid replaces an earlier one with the same Sid.
fn merge(
    merged: &mut Vec<(Value, usize)>,
    replaced: &mut Vec<(Span, usize)>,
    st: Value,
    file: usize,
) {
    let sid = st
        .get("Sid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if !sid.is_empty() {
        if let Some(slot) = merged
            .iter_mut()
            .find(|(v, _)| v.get("Sid").and_then(Value::as_str) == Some(sid.as_str()))
        {
            replaced.push((slot.0.span, slot.1));
            *slot = (st, file);
            return;
        }
    }
    merged.push((st, file));
}

/// One statement block as a JSON statement object.
fn tb_statement(tb: &mut TreeBuilder<'_, '_>, st: &Block, dynamic: Option<&Block>) -> Value {
    let span = dynamic.map_or(st.span, |d| d.span);
    let mut members = Vec::new();
    // A provider argument that is null is absent; one that may be null (an unknown
    // value, `lookup(x, "k", null)`) may be absent.
    let attr =
        |tb: &mut TreeBuilder<'_, '_>, hcl: &str, json: &'static str, members: &mut Vec<Member>| {
            if let Some(a) = st.attr(hcl) {
                let before = tb.symbols.len();
                let value = tb.value(&a.value);
                if matches!(value.kind, ValueKind::Null) {
                    return;
                }
                if tb.symbols[before..].iter().any(|s| s.span == a.value.span) {
                    tb.maybe_absent(a.key.span, json);
                }
                members.push(Member {
                    key: Str::from_static(json),
                    key_span: a.key.span,
                    value,
                });
            }
        };
    attr(tb, "sid", "Sid", &mut members);
    if st
        .attr("effect")
        .is_some_and(|a| !matches!(a.value.kind, ExprKind::Null))
    {
        attr(tb, "effect", "Effect", &mut members);
    } else {
        // The provider's default.
        members.push(Member {
            key: Str::from_static("Effect"),
            key_span: st.ident.span,
            value: Value::new(ValueKind::String(Str::from_static("Allow")), st.ident.span),
        });
    }
    for (blocks, json) in [
        ("principals", "Principal"),
        ("not_principals", "NotPrincipal"),
    ] {
        if let Some(m) = principals(tb, st, blocks, json) {
            members.push(m);
        }
    }
    attr(tb, "actions", "Action", &mut members);
    attr(tb, "not_actions", "NotAction", &mut members);
    attr(tb, "resources", "Resource", &mut members);
    attr(tb, "not_resources", "NotResource", &mut members);
    if let Some(m) = conditions(tb, st) {
        members.push(m);
    }
    Value::new(ValueKind::Object(members), span)
}

/// The nested blocks `name` of a statement: written ones, and the `content` of each
/// `dynamic "name"` block (read once) whose `for_each` is not known to be empty.
/// `maybe`: every such block is a `dynamic` one whose `for_each` is unknown, so the
/// element may be absent.
fn nested<'b>(tb: &TreeBuilder<'_, '_>, st: &'b Block, name: &str) -> (Vec<&'b Block>, bool) {
    let maybe = !st.blocks.iter().any(|b| b.ident.value == name);
    (nested_blocks(tb, st, name), maybe)
}

fn nested_blocks<'b>(tb: &TreeBuilder<'_, '_>, st: &'b Block, name: &str) -> Vec<&'b Block> {
    st.blocks
        .iter()
        .filter_map(|b| {
            if b.ident.value == name {
                Some(b)
            } else if b.ident.value == "dynamic" && b.label(0) == name {
                if dynamic_is_empty(tb.index, tb.file, b) {
                    None
                } else {
                    b.blocks_named("content").next()
                }
            } else {
                None
            }
        })
        .collect()
}

/// `principals { type = "AWS" identifiers = [...] }` blocks: one map entry per type, with
/// the identifiers of every block of that type; `type = "*"` is `"Principal": "*"`.
fn principals(
    tb: &mut TreeBuilder<'_, '_>,
    st: &Block,
    name: &str,
    json: &'static str,
) -> Option<Member> {
    let (blocks, maybe) = nested(tb, st, name);
    let first = blocks.first()?;
    if maybe {
        tb.maybe_absent(first.ident.span, json);
    }
    let span = blocks
        .iter()
        .map(|b| b.span)
        .reduce(Span::cover)
        .unwrap_or(first.span);
    let mut entries: Vec<Member> = Vec::new();
    for b in &blocks {
        let (ty, ty_span) = match b.attr("type") {
            Some(a) => {
                let v = tb.value(&a.value);
                (v.as_str().unwrap_or("").to_string(), a.value.span)
            }
            None => (String::new(), b.ident.span),
        };
        let ids = match b.attr("identifiers") {
            Some(a) => tb.value(&a.value),
            None => Value::new(ValueKind::Array(Vec::new()), b.span),
        };
        if ty == "*" {
            return Some(Member {
                key: Str::from_static(json),
                key_span: first.ident.span,
                value: Value::new(ValueKind::String(Str::from_static("*")), ids.span),
            });
        }
        let ids_items = match ids.kind {
            ValueKind::Array(items) => items,
            _ => vec![ids.clone()],
        };
        match entries.iter_mut().find(|e| e.key == ty) {
            Some(e) => {
                if let ValueKind::Array(items) = &mut e.value.kind {
                    items.extend(ids_items);
                }
            }
            None => entries.push(Member {
                key: ty.into(),
                key_span: ty_span,
                value: Value::new(ValueKind::Array(ids_items), ids.span),
            }),
        }
    }
    Some(Member {
        key: Str::from_static(json),
        key_span: first.ident.span,
        value: Value::new(ValueKind::Object(entries), span),
    })
}

/// `condition { test variable values }` blocks, grouped by operator as in the rendered JSON.
fn conditions(tb: &mut TreeBuilder<'_, '_>, st: &Block) -> Option<Member> {
    let (blocks, maybe) = nested(tb, st, "condition");
    let first = blocks.first()?;
    if maybe {
        tb.maybe_absent(first.ident.span, "Condition");
    }
    let span = blocks
        .iter()
        .map(|b| b.span)
        .reduce(Span::cover)
        .unwrap_or(first.span);
    let mut operators: Vec<Member> = Vec::new();
    for b in &blocks {
        let text_of = |tb: &mut TreeBuilder<'_, '_>, key: &str| match b.attr(key) {
            Some(a) => {
                let v = tb.value(&a.value);
                (v.as_str().unwrap_or("").to_string(), a.value.span)
            }
            None => (String::new(), b.ident.span),
        };
        let (test, test_span) = text_of(tb, "test");
        let (variable, variable_span) = text_of(tb, "variable");
        let values = match b.attr("values") {
            Some(a) => tb.value(&a.value),
            None => Value::new(ValueKind::Array(Vec::new()), b.span),
        };
        let member = Member {
            key: variable.into(),
            key_span: variable_span,
            value: values,
        };
        match operators.iter_mut().find(|o| o.key == test) {
            Some(o) => {
                if let ValueKind::Object(ms) = &mut o.value.kind {
                    ms.push(member);
                    o.value.span = o.value.span.cover(b.span);
                }
            }
            None => operators.push(Member {
                key: test.into(),
                key_span: test_span,
                value: Value::new(ValueKind::Object(vec![member]), b.span),
            }),
        }
    }
    Some(Member {
        key: Str::from_static("Condition"),
        key_span: first.ident.span,
        value: Value::new(ValueKind::Object(operators), span),
    })
}

//! Tolerant parsing of `.tf` and `.tf.json` files into [`Block`]s.
//!
//! hcl-edit stops at the first error and returns nothing, so a `.tf` file is first split
//! into its top-level blocks ([`scan::split_top_level`]) and each block is parsed on its
//! own; a broken block becomes one `terraform/syntax` finding and the others are kept.
//! `.tf.json` files go through the tolerant JSON parser and Terraform's JSON syntax rules
//! (labels as nested object keys, `${...}` templates inside strings).

use std::sync::Arc;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::structure::{BlockLabel, Body, Structure};
use hcl_edit::template::{Directive, Element};

use crate::finding::Finding;
use crate::json::{self, Value, ValueKind};
use crate::span::{Span, Spanned};
use crate::terraform::ast::*;
use crate::terraform::scan;

/// The code of a Terraform syntax error.
pub const SYNTAX: &str = "terraform/syntax";

/// One parsed Terraform file: its top-level blocks (those that parsed) and its findings.
#[derive(Clone, Debug)]
pub struct TfFile {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub blocks: Vec<Block>,
    pub findings: Vec<Finding>,
}

/// The identifier of the one block that holds the values of a `.tfvars` file.
pub const TFVARS: &str = "tfvars";

/// Whether Terraform reads this file's values on its own: `terraform.tfvars`,
/// `terraform.tfvars.json` or `*.auto.tfvars(.json)` in the module folder.
pub fn is_tfvars(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name.strip_suffix(".json").unwrap_or(name);
    name == "terraform.tfvars" || name.ends_with(".auto.tfvars")
}

/// Parses a `.tf`, `.tf.json` or `.tfvars` file (chosen by the path's extension). Never
/// fails. A `.tfvars` file becomes one block named [`TFVARS`] whose attributes are its
/// values.
pub fn parse_file(path: &str, text: &str) -> TfFile {
    let path: Arc<str> = Arc::from(path);
    let (blocks, mut findings) = if is_tfvars(&path) {
        parse_tfvars(text, path.ends_with(".json"))
    } else if path.ends_with(".json") {
        parse_tf_json(text)
    } else {
        parse_tf(text)
    };
    for f in &mut findings {
        f.path = path.clone();
    }
    TfFile {
        path,
        text: Arc::from(text),
        blocks,
        findings,
    }
}

fn parse_tfvars(text: &str, json: bool) -> (Vec<Block>, Vec<Finding>) {
    let whole = Span::new(0, text.len());
    let (attributes, findings) = if json {
        let parsed = json::parse(text);
        let jx = JsonCx { text };
        let attrs = parsed.value.map(|v| jx.body(&v).0).unwrap_or_default();
        (attrs, parsed.findings)
    } else {
        match hcl_edit::parser::parse_body(text) {
            Ok(body) => {
                let cx = Cx {
                    text,
                    offset: 0,
                    map: None,
                };
                (cx.body(&body, whole).0, Vec::new())
            }
            Err(e) => (Vec::new(), vec![syntax_finding(text, whole, &e)]),
        }
    };
    let block = Block {
        ident: Spanned::new(TFVARS.to_string(), Span::empty(0)),
        labels: Vec::new(),
        attributes,
        blocks: Vec::new(),
        span: whole,
    };
    (vec![block], findings)
}

/// Parses HCL text block by block.
pub fn parse_tf(text: &str) -> (Vec<Block>, Vec<Finding>) {
    let mut blocks = Vec::new();
    let mut findings = Vec::new();
    for chunk in scan::split_top_level(text) {
        let Some(src) = text.get(chunk.range()) else {
            continue;
        };
        match hcl_edit::parser::parse_body(src) {
            Ok(body) => {
                let cx = Cx {
                    text,
                    offset: chunk.start,
                    map: None,
                };
                let (_, mut bs) = cx.body(&body, chunk);
                blocks.append(&mut bs);
            }
            Err(e) => findings.push(syntax_finding(text, chunk, &e)),
        }
    }
    (blocks, findings)
}

/// A finding for an hcl-edit error in the chunk at `chunk`. The range runs from the
/// reported place to the end of its line, because hcl-edit often reports the start of the
/// construct that failed rather than the exact token; an error at the end of a line (a
/// missing value) covers that line's text instead.
fn syntax_finding(text: &str, chunk: Span, e: &hcl_edit::parser::Error) -> Finding {
    let mut start = Span::empty(chunk.start + e.location().offset())
        .on_chars(text)
        .start;
    let line_start = text[..start].rfind('\n').map_or(0, |p| p + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |p| start + p);
    if text[start..line_end].trim().is_empty() {
        let content = &text[line_start..line_end];
        let lead = content.len() - content.trim_start().len();
        if !content.trim().is_empty() {
            start = line_start + lead;
        }
    }
    let end = if line_end > start {
        start + text[start..line_end].trim_end().len().max(1)
    } else {
        (start + 1).min(text.len())
    };
    let Span { start, end } = Span::new(start, end).on_chars(text);
    let header = text
        .get(chunk.range())
        .and_then(|c| c.lines().next())
        .map(|l| l.trim_end_matches('{').trim())
        .unwrap_or("");
    Finding::error(
        SYNTAX,
        Span::new(start, end),
        format!(
            "invalid HCL in `{header}`: {}; latch skips this block until it parses",
            explain(e.message())
        ),
    )
}

/// hcl-edit's message in fewer words where the cause is known.
fn explain(message: &str) -> String {
    if message.contains("redefined object key") {
        return "an object has the same key twice".to_string();
    }
    if message.contains("redefined attribute") {
        return "a block has the same attribute twice".to_string();
    }
    if message.contains("heredoc end delimiter") {
        return "the heredoc is not closed".to_string();
    }
    if message.starts_with("invalid expression") {
        return "a value is missing or malformed".to_string();
    }
    let mut m = message.trim_end_matches('.').to_string();
    if let Some(first) = m.get(..1) {
        m = first.to_lowercase() + &m[1..];
    }
    m
}

/// Converts hcl-edit nodes, adding the chunk offset to every span.
struct Cx<'a> {
    text: &'a str,
    offset: usize,
    /// For text that was decoded before parsing (a JSON string holding a template): the
    /// file offset of every decoded byte, plus one past the end.
    map: Option<&'a [usize]>,
}

impl Cx<'_> {
    fn span(&self, r: Option<std::ops::Range<usize>>, fallback: Span) -> Span {
        if let (Some(map), Some(r)) = (self.map, r.as_ref()) {
            return match (map.get(r.start), map.get(r.end)) {
                (Some(&a), Some(&b)) if a <= b => Span::new(a, b),
                _ => fallback,
            };
        }
        match r {
            Some(r) if r.end + self.offset <= self.text.len() => {
                Span::new(r.start + self.offset, r.end + self.offset)
            }
            _ => fallback,
        }
    }

    fn body(&self, body: &Body, fallback: Span) -> (Vec<Attribute>, Vec<Block>) {
        let mut attrs = Vec::new();
        let mut blocks = Vec::new();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let span = self.span(a.span(), fallback);
                    attrs.push(Attribute {
                        key: Spanned::new(
                            a.key.as_str().to_string(),
                            self.span(a.key.span(), span),
                        ),
                        value: self.expr(&a.value, span),
                        span,
                    });
                }
                Structure::Block(b) => {
                    let span = self.span(b.span(), fallback);
                    let labels = b
                        .labels
                        .iter()
                        .map(|l| {
                            let text = match l {
                                BlockLabel::Ident(i) => i.as_str().to_string(),
                                BlockLabel::String(s) => s.value().clone(),
                            };
                            Spanned::new(text, self.span(l.span(), span))
                        })
                        .collect();
                    let (attributes, nested) = self.body(&b.body, span);
                    blocks.push(Block {
                        ident: Spanned::new(
                            b.ident.as_str().to_string(),
                            self.span(b.ident.span(), span),
                        ),
                        labels,
                        attributes,
                        blocks: nested,
                        span,
                    });
                }
            }
        }
        (attrs, blocks)
    }

    fn expr(&self, e: &Expression, fallback: Span) -> Expr {
        let span = self.span(e.span(), fallback);
        let kind = match e {
            Expression::Null(_) => ExprKind::Null,
            Expression::Bool(b) => ExprKind::Bool(*b.value()),
            Expression::Number(n) => ExprKind::Number(
                self.text
                    .get(span.range())
                    .map_or_else(|| n.value().to_string(), |s| s.trim().to_string()),
            ),
            Expression::String(s) => ExprKind::String(s.value().clone()),
            Expression::Array(a) => ExprKind::List(a.iter().map(|i| self.expr(i, span)).collect()),
            Expression::Object(o) => ExprKind::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key_span = self.span(k.span(), span);
                        let (text, style, key_expr) = match k {
                            ObjectKey::Ident(i) => (i.as_str().to_string(), KeyStyle::Ident, None),
                            ObjectKey::Expression(Expression::String(s)) => {
                                (s.value().clone(), KeyStyle::Quoted, None)
                            }
                            ObjectKey::Expression(Expression::Variable(v)) => {
                                (v.as_str().to_string(), KeyStyle::Ident, None)
                            }
                            ObjectKey::Expression(other) => (
                                self.text.get(key_span.range()).unwrap_or("").to_string(),
                                KeyStyle::Expression,
                                Some(Box::new(self.expr(other, key_span))),
                            ),
                        };
                        ObjectItem {
                            key: Spanned::new(text, key_span),
                            style,
                            key_expr,
                            value: self.expr(v.expr(), span),
                        }
                    })
                    .collect(),
            ),
            Expression::StringTemplate(t) => {
                let parts = self.template(t, span);
                return unwrap_single_interpolation(
                    Template {
                        heredoc: None,
                        parts,
                    },
                    span,
                );
            }
            Expression::HeredocTemplate(h) => {
                let tspan = self.span(h.template.span(), span);
                ExprKind::Template(Template {
                    heredoc: Some((h.delimiter.as_str().to_string(), h.indent().is_some())),
                    parts: self.template(&h.template, tspan),
                })
            }
            Expression::Parenthesis(p) => return self.expr(p.inner(), span),
            Expression::Variable(v) => ExprKind::Reference(vec![v.as_str().to_string()]),
            Expression::FuncCall(f) => {
                let mut name = String::new();
                for ns in &f.name.namespace {
                    name.push_str(ns.as_str());
                    name.push_str("::");
                }
                name.push_str(f.name.name.as_str());
                ExprKind::Call {
                    name,
                    args: f.args.iter().map(|a| self.expr(a, span)).collect(),
                }
            }
            Expression::Traversal(t) => traversal(t).map_or(ExprKind::Other, ExprKind::Reference),
            Expression::Conditional(c) => ExprKind::Conditional {
                cond: Box::new(self.expr(&c.cond_expr, span)),
                then: Box::new(self.expr(&c.true_expr, span)),
                other: Box::new(self.expr(&c.false_expr, span)),
            },
            Expression::ForExpr(f) => {
                let mut vars: Vec<String> = f
                    .intro
                    .key_var
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect();
                vars.push(f.intro.value_var.as_str().to_string());
                ExprKind::For {
                    vars,
                    collection: Box::new(self.expr(&f.intro.collection_expr, span)),
                    body: Box::new(self.expr(&f.value_expr, span)),
                    object: f.key_expr.is_some(),
                }
            }
            _ => ExprKind::Other,
        };
        Expr::new(kind, span)
    }

    fn template(&self, t: &hcl_edit::template::Template, fallback: Span) -> Vec<TemplatePart> {
        t.iter()
            .map(|el| {
                let span = self.span(el.span(), fallback);
                match el {
                    Element::Literal(l) => TemplatePart::Literal {
                        value: l.value().clone(),
                        span,
                    },
                    Element::Interpolation(i) => TemplatePart::Interpolation {
                        expr: self.expr(&i.expr, span),
                        span,
                    },
                    Element::Directive(d) => {
                        let span = match d.as_ref() {
                            Directive::If(x) => self.span(x.span(), span),
                            Directive::For(x) => self.span(x.span(), span),
                        };
                        TemplatePart::Directive { span }
                    }
                }
            })
            .collect()
    }
}

/// The parts of a whole file read as a Terraform template (`templatefile`), spans in
/// `text`; `None` if it is not a valid template.
pub fn template_parts(text: &str) -> Option<Vec<TemplatePart>> {
    let t = hcl_edit::parser::parse_template(text).ok()?;
    let cx = Cx {
        text,
        offset: 0,
        map: None,
    };
    Some(cx.template(&t, Span::new(0, text.len())))
}

/// `"${x}"` means `x` itself (not its string form) in Terraform.
fn unwrap_single_interpolation(t: Template, span: Span) -> Expr {
    if t.heredoc.is_none() && t.parts.len() == 1 {
        if let Some(TemplatePart::Interpolation { expr, .. }) = t.parts.first() {
            return expr.clone();
        }
    }
    Expr::new(ExprKind::Template(t), span)
}

/// The path of a traversal that starts at a name and only uses attributes, literal indexes
/// and splats.
fn traversal(t: &hcl_edit::expr::Traversal) -> Option<Vec<String>> {
    let mut parts = match &t.expr {
        Expression::Variable(v) => vec![v.as_str().to_string()],
        _ => return None,
    };
    for op in &t.operators {
        match op.value() {
            TraversalOperator::GetAttr(i) => parts.push(i.as_str().to_string()),
            TraversalOperator::LegacyIndex(n) => parts.push(n.value().to_string()),
            TraversalOperator::Index(Expression::Number(n)) => parts.push(n.value().to_string()),
            TraversalOperator::Index(Expression::String(s)) => parts.push(s.value().clone()),
            TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                parts.push("*".to_string())
            }
            TraversalOperator::Index(_) => return None,
        }
    }
    Some(parts)
}

// ---------------------------------------------------------------------------------------
// Terraform JSON syntax

/// Nested block names in Terraform JSON syntax: an object (or array of objects) under one
/// of these keys is a block, anything else is an attribute.
const JSON_BLOCK_NAMES: &[&str] = &[
    "statement",
    "principals",
    "not_principals",
    "condition",
    "inline_policy",
    "rule",
    "apply_server_side_encryption_by_default",
    "index_document",
    "error_document",
    "redirect_all_requests_to",
    "routing_rule",
    "origin",
    "s3_origin_config",
    "default_cache_behavior",
    "ordered_cache_behavior",
    "viewer_certificate",
    "restrictions",
    "geo_restriction",
    "access_control_policy",
    "grant",
    "grantee",
    "owner",
    "constraints",
    "lifecycle",
    "dns_options",
    "dynamic",
    "content",
];

/// How many labels a top-level block type has in Terraform JSON syntax.
fn json_label_count(ident: &str) -> usize {
    match ident {
        "resource" | "data" => 2,
        "variable" | "output" | "module" | "provider" => 1,
        _ => 0,
    }
}

/// Parses Terraform JSON syntax.
pub fn parse_tf_json(text: &str) -> (Vec<Block>, Vec<Finding>) {
    let parsed = json::parse(text);
    let mut findings: Vec<Finding> = parsed.findings;
    let mut blocks = Vec::new();
    let Some(root) = parsed.value else {
        return (blocks, findings);
    };
    let Some(members) = root.as_object() else {
        findings.push(Finding::error(
            SYNTAX,
            root.span,
            "a Terraform JSON file must hold an object",
        ));
        return (blocks, findings);
    };
    let jx = JsonCx { text };
    for m in members {
        let ident = Spanned::new(m.key.to_string(), m.key_span);
        let n = json_label_count(&m.key);
        // `locals` may be one object or an array of objects, like every block.
        for v in each_object(&m.value) {
            jx.labelled(&ident, n, Vec::new(), v, &mut blocks);
        }
    }
    (blocks, findings)
}

fn each_object(v: &Value) -> Vec<&Value> {
    match &v.kind {
        ValueKind::Array(items) => items.iter().filter(|i| i.as_object().is_some()).collect(),
        ValueKind::Object(_) => vec![v],
        _ => Vec::new(),
    }
}

struct JsonCx<'a> {
    text: &'a str,
}

impl JsonCx<'_> {
    /// Descends `remaining` label levels, then builds the block body.
    fn labelled(
        &self,
        ident: &Spanned<String>,
        remaining: usize,
        labels: Vec<Spanned<String>>,
        v: &Value,
        out: &mut Vec<Block>,
    ) {
        if remaining == 0 {
            let (attributes, blocks) = self.body(v);
            out.push(Block {
                ident: ident.clone(),
                labels,
                attributes,
                blocks,
                span: ident.span.cover(v.span),
            });
            return;
        }
        for m in v.as_object().unwrap_or(&[]) {
            let mut labels = labels.clone();
            labels.push(Spanned::new(m.key.to_string(), m.key_span));
            for inner in each_object(&m.value) {
                self.labelled(ident, remaining - 1, labels.clone(), inner, out);
            }
        }
    }

    fn body(&self, v: &Value) -> (Vec<Attribute>, Vec<Block>) {
        let mut attrs = Vec::new();
        let mut blocks = Vec::new();
        for m in v.as_object().unwrap_or(&[]) {
            let key = Spanned::new(m.key.to_string(), m.key_span);
            let is_block =
                JSON_BLOCK_NAMES.contains(&m.key.as_str()) && !each_object(&m.value).is_empty();
            if is_block {
                let n = usize::from(m.key == "dynamic");
                for inner in each_object(&m.value) {
                    self.labelled(&key, n, Vec::new(), inner, &mut blocks);
                }
            } else {
                attrs.push(Attribute {
                    key,
                    value: self.expr(&m.value),
                    span: m.span(),
                });
            }
        }
        (attrs, blocks)
    }

    fn expr(&self, v: &Value) -> Expr {
        let kind = match &v.kind {
            ValueKind::Null | ValueKind::Missing => ExprKind::Null,
            ValueKind::Bool(b) => ExprKind::Bool(*b),
            ValueKind::Number(n) => ExprKind::Number(n.to_string()),
            ValueKind::String(s) if s.contains("${") || s.contains("%{") => {
                return self.json_template(v, s);
            }
            ValueKind::String(s) => ExprKind::String(s.to_string()),
            ValueKind::Array(items) => ExprKind::List(items.iter().map(|i| self.expr(i)).collect()),
            ValueKind::Object(members) => ExprKind::Object(
                members
                    .iter()
                    .map(|m| ObjectItem {
                        key: Spanned::new(m.key.to_string(), m.key_span),
                        style: KeyStyle::Quoted,
                        key_expr: None,
                        value: self.expr(&m.value),
                    })
                    .collect(),
            ),
        };
        Expr::new(kind, v.span)
    }

    /// A JSON string holding a Terraform template. The raw string is decoded with a map
    /// from each decoded byte back to the file, so the template's spans land on the raw
    /// text even when the string has escapes.
    fn json_template(&self, v: &Value, s: &str) -> Expr {
        let inner = v.inner_span();
        let (decoded, map) = match self.text.get(inner.range()) {
            Some(raw) => {
                let mut decoded = String::new();
                let mut map = Vec::new();
                crate::terraform::convert::decode(
                    raw,
                    inner.start,
                    crate::terraform::convert::Escapes::Json,
                    &mut decoded,
                    &mut map,
                );
                map.push(inner.end);
                (decoded, Some(map))
            }
            None => (s.to_string(), None),
        };
        let Ok(t) = hcl_edit::parser::parse_template(&decoded) else {
            return Expr::new(ExprKind::String(s.to_string()), v.span);
        };
        let cx = Cx {
            text: "",
            offset: 0,
            map: map.as_deref(),
        };
        let parts = cx.template(&t, v.span);
        unwrap_single_interpolation(
            Template {
                heredoc: None,
                parts,
            },
            v.span,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_block_does_not_hide_the_others() {
        let text = "resource \"a\" \"x\" {\n  v = \n}\n\nresource \"b\" \"y\" {\n  w = \"ok\"\n}\n";
        let (blocks, findings) = parse_tf(text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label(0), "b");
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, SYNTAX);
        let line = text[..findings[0].range.start].matches('\n').count() + 1;
        assert!(line <= 3, "{findings:?}");
    }

    #[test]
    fn spans_are_in_file_coordinates() {
        let text = "# c\n\nlocals {\n  a = \"x${var.y}z\"\n  b = [1, true, null]\n}\n";
        let (blocks, findings) = parse_tf(text);
        assert!(findings.is_empty());
        let a = blocks[0].attr("a").unwrap();
        assert_eq!(&text[a.key.span.range()], "a");
        assert_eq!(&text[a.value.span.range()], "\"x${var.y}z\"");
        let ExprKind::Template(t) = &a.value.kind else {
            panic!("{a:?}")
        };
        assert_eq!(&text[t.parts[1].span().range()], "${var.y}");
        let b = blocks[0].attr("b").unwrap();
        let ExprKind::List(items) = &b.value.kind else {
            panic!()
        };
        assert_eq!(&text[items[1].span.range()], "true");
    }

    #[test]
    fn terraform_json_blocks_and_templates() {
        let text = r#"{"resource": {"aws_s3_bucket_policy": {"p": {"bucket": "${aws_s3_bucket.b.id}", "policy": "x"}}}}"#;
        let (blocks, findings) = parse_tf_json(text);
        assert!(findings.is_empty());
        assert_eq!(blocks[0].ident.value, "resource");
        assert_eq!(blocks[0].label(0), "aws_s3_bucket_policy");
        assert_eq!(blocks[0].label(1), "p");
        let bucket = blocks[0].attr("bucket").unwrap();
        assert_eq!(
            bucket.value.reference_text().as_deref(),
            Some("aws_s3_bucket.b.id")
        );
        assert_eq!(&text[bucket.value.span.range()], "aws_s3_bucket.b.id");
    }
}

//! Turns Terraform expressions into JSON trees whose spans are byte ranges in the `.tf`
//! file, so that the policy builder and the validators report at the right place.
//!
//! - [`TreeBuilder::value`] converts HCL values (`jsonencode({...})` arguments, attributes of
//!   an `aws_iam_policy_document`): objects, lists and literals map one to one; references
//!   and templates are resolved through the [`Index`] and unknown parts become strings that
//!   keep their `${...}` text, each recorded as a [`SymbolUse`].
//! - [`template_json`] parses JSON written as Terraform text (a heredoc or a quoted string):
//!   the text is decoded with a byte map back to the file, interpolations are replaced by
//!   placeholders before parsing and by their values after, and every span is mapped back.

use std::sync::Arc;

use crate::finding::Finding;
use crate::json::{self, Member, Value, ValueKind};
use crate::span::{Span, Spanned};
use crate::terraform::ast::*;
use crate::terraform::resolve::{Index, TfValue, to_json};

/// A value inside a policy that stays unknown, where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SymbolUse {
    pub path: Arc<str>,
    pub span: Span,
    /// What stands in the policy text, e.g. `${var.partner_account}`.
    pub text: String,
    pub reason: String,
}

/// Converts expressions of one file into JSON trees.
pub struct TreeBuilder<'i, 'a> {
    pub index: &'i Index<'a>,
    pub file: usize,
    pub depth: usize,
    pub symbols: Vec<SymbolUse>,
}

impl<'i, 'a> TreeBuilder<'i, 'a> {
    pub fn new(index: &'i Index<'a>, file: usize, depth: usize) -> Self {
        TreeBuilder {
            index,
            file,
            depth,
            symbols: Vec::new(),
        }
    }

    fn path(&self) -> Arc<str> {
        self.index
            .files
            .get(self.file)
            .map_or_else(|| Arc::from(""), |f| f.path.clone())
    }

    /// The JSON value of `e`, spans in this builder's file.
    pub fn value(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Null => Value::new(ValueKind::Null, e.span),
            ExprKind::Bool(b) => Value::new(ValueKind::Bool(*b), e.span),
            ExprKind::Number(n) => Value::new(ValueKind::Number(n.as_str().into()), e.span),
            ExprKind::String(s) => Value::new(ValueKind::String(s.as_str().into()), e.span),
            ExprKind::List(items) => Value::new(
                ValueKind::Array(items.iter().map(|i| self.value(i)).collect()),
                e.span,
            ),
            ExprKind::Object(items) => Value::new(
                ValueKind::Object(
                    items
                        .iter()
                        .map(|i| {
                            let key = match &i.key_expr {
                                Some(k) => {
                                    let k = self.index.eval_at(self.file, k, self.depth);
                                    self.note(&k.value, i.key.span);
                                    k.value.string_text().unwrap_or_else(|| i.key.value.clone())
                                }
                                None => i.key.value.clone(),
                            };
                            Member {
                                key: key.into(),
                                key_span: i.key.span,
                                value: self.value(&i.value),
                            }
                        })
                        .collect(),
                ),
                e.span,
            ),
            ExprKind::Conditional { .. } | ExprKind::For { .. } | ExprKind::Call { .. }
                if self.depth < 16 && self.structural(e).is_some() =>
            {
                self.structural_value(e)
            }
            ExprKind::Reference(parts) if self.depth < 16 => {
                // A local written in this same file keeps the spans of its own text.
                match self.same_file_local(parts) {
                    Some(local) => {
                        self.depth += 1;
                        let v = self.value(local);
                        self.depth -= 1;
                        v
                    }
                    None => {
                        let v = self.index.eval_at(self.file, e, self.depth);
                        self.from_tf(&v)
                    }
                }
            }
            _ => {
                let v = self.index.eval_at(self.file, e, self.depth);
                self.from_tf(&v)
            }
        }
    }

    /// Whether `e` is a list or object that Terraform builds from pieces written in the
    /// module (`concat`, `flatten`, `compact`, `merge`, a conditional, a `for`
    /// expression), so that each piece keeps its own spans.
    fn structural(&self, e: &Expr) -> Option<()> {
        match &e.kind {
            ExprKind::Conditional { cond, then, other } => {
                match self.index.eval_at(self.file, cond, self.depth).value {
                    TfValue::Bool(true) => self.structural_or_literal(then),
                    TfValue::Bool(false) => self.structural_or_literal(other),
                    _ => {
                        let a = self.structural_or_literal(then).is_some() || is_empty(then);
                        let b = self.structural_or_literal(other).is_some() || is_empty(other);
                        (a && b && !(is_empty(then) && is_empty(other))).then_some(())
                    }
                }
            }
            ExprKind::For { object: false, .. } => Some(()),
            ExprKind::Call { name, args } => match name.as_str() {
                "concat" | "flatten" | "compact" | "merge" | "tolist" | "toset" => args
                    .iter()
                    .any(|a| self.structural_or_literal(a).is_some())
                    .then_some(()),
                _ => None,
            },
            _ => None,
        }
    }

    fn structural_or_literal(&self, e: &Expr) -> Option<()> {
        match &e.kind {
            ExprKind::List(_) | ExprKind::Object(_) => Some(()),
            ExprKind::Reference(parts) => self.same_file_local(parts).map(|_| ()),
            _ => self.structural(e),
        }
    }

    /// The value of an expression [`Self::structural`] accepts. Pieces that are only
    /// known when Terraform runs stay symbolic where they are written; with an unknown
    /// condition both branches are read, each possibly present.
    fn structural_value(&mut self, e: &Expr) -> Value {
        match &e.kind {
            ExprKind::Conditional { cond, then, other } => {
                match self.index.eval_at(self.file, cond, self.depth).value {
                    TfValue::Bool(true) => self.value(then),
                    TfValue::Bool(false) => self.value(other),
                    _ => {
                        let a = self.value(then);
                        let b = self.value(other);
                        self.either(a, b, e.span)
                    }
                }
            }
            ExprKind::For { body, .. } => {
                // One element per element of the collection: the body is read once.
                let item = self.value(body);
                Value::new(ValueKind::Array(vec![item]), e.span)
            }
            ExprKind::Call { name, args } => {
                let parts: Vec<Value> = args.iter().map(|a| self.value(a)).collect();
                match name.as_str() {
                    "merge" => {
                        let mut members: Vec<Member> = Vec::new();
                        for p in parts {
                            match p.kind {
                                ValueKind::Object(ms) => {
                                    for m in ms {
                                        members.retain(|o| o.key != m.key);
                                        members.push(m);
                                    }
                                }
                                ValueKind::Null => {}
                                _ => self.maybe_more(p.span),
                            }
                        }
                        Value::new(ValueKind::Object(members), e.span)
                    }
                    _ => {
                        let mut items = Vec::new();
                        for p in parts {
                            match p.kind {
                                ValueKind::Array(xs) if name == "flatten" => {
                                    flatten_into(xs, &mut items)
                                }
                                ValueKind::Array(xs) => items.extend(xs),
                                ValueKind::Null if name == "compact" => {}
                                _ if name == "flatten" || name == "compact" => items.push(p),
                                _ => self.maybe_more(p.span),
                            }
                        }
                        if name == "compact" {
                            items.retain(|i| {
                                !matches!(&i.kind, ValueKind::Null)
                                    && !matches!(&i.kind, ValueKind::String(s) if s.is_empty())
                            });
                        }
                        Value::new(ValueKind::Array(items), e.span)
                    }
                }
            }
            _ => self.value(e),
        }
    }

    /// Both branches of a conditional whose condition is unknown: lists join, objects
    /// merge with every member possibly absent.
    fn either(&mut self, a: Value, b: Value, span: Span) -> Value {
        match (a.kind, b.kind) {
            (ValueKind::Array(mut x), ValueKind::Array(y)) => {
                x.extend(y);
                Value::new(ValueKind::Array(x), span)
            }
            (ValueKind::Array(x), _) | (_, ValueKind::Array(x)) => {
                Value::new(ValueKind::Array(x), span)
            }
            (ValueKind::Object(mut x), other) => {
                if let ValueKind::Object(y) = other {
                    for m in y {
                        if !x.iter().any(|o| o.key == m.key) {
                            x.push(m);
                        }
                    }
                }
                for m in &x {
                    self.maybe_absent(m.key_span, &m.key);
                }
                Value::new(ValueKind::Object(x), span)
            }
            (_, ValueKind::Object(y)) => {
                for m in &y {
                    self.maybe_absent(m.key_span, &m.key);
                }
                Value::new(ValueKind::Object(y), span)
            }
            (k, _) => Value::new(k, span),
        }
    }

    /// Records that the member whose key is at `span` may be left out (a null argument, a
    /// branch that may not be taken): checks stay silent about its presence.
    pub fn maybe_absent(&mut self, span: Span, key: &str) {
        self.symbols.push(SymbolUse {
            path: self.path(),
            span,
            text: key.to_string(),
            reason: format!("`{key}` may be null or left out when Terraform runs"),
        });
    }

    /// Records that a list or object may hold more than what is written (a piece only
    /// known when Terraform runs).
    pub fn maybe_more(&mut self, span: Span) {
        if !self.symbols.iter().any(|s| s.span == span) {
            self.symbols.push(SymbolUse {
                path: self.path(),
                span,
                text: "...".to_string(),
                reason: "more elements may come from values known when Terraform runs".to_string(),
            });
        }
    }

    /// The expression of `local.<name>` when it is an object or list written in this
    /// builder's file.
    fn same_file_local(&self, parts: &[String]) -> Option<&'a Expr> {
        let [root, name] = parts else {
            return None;
        };
        if root != "local" {
            return None;
        }
        let l = self.index.locals.get(name)?;
        let e = &l.item.value;
        (l.file == self.file && matches!(e.kind, ExprKind::Object(_) | ExprKind::List(_)))
            .then_some(e)
    }

    fn note(&mut self, v: &TfValue, span: Span) {
        if let TfValue::Symbolic(s) = v {
            self.symbols.push(SymbolUse {
                path: self.path(),
                span,
                text: s.text.clone(),
                reason: s.reason.clone(),
            });
        }
    }

    /// A resolved value as JSON; unknowns become their symbol text and are recorded.
    pub fn from_tf(&mut self, v: &Spanned<TfValue>) -> Value {
        let kind = match &v.value {
            TfValue::Null => ValueKind::Null,
            TfValue::Bool(b) => ValueKind::Bool(*b),
            TfValue::Number(n) => ValueKind::Number(n.as_str().into()),
            TfValue::String(s) => ValueKind::String(s.as_str().into()),
            TfValue::List(items) => {
                ValueKind::Array(items.iter().map(|i| self.from_tf(i)).collect())
            }
            TfValue::Object(items) => ValueKind::Object(
                items
                    .iter()
                    .map(|(k, val)| Member {
                        key: k.value.as_str().into(),
                        key_span: k.span,
                        value: self.from_tf(val),
                    })
                    .collect(),
            ),
            TfValue::Symbolic(s) => {
                self.note(&v.value, v.span);
                ValueKind::String(s.text.as_str().into())
            }
        };
        Value::new(kind, v.span)
    }
}

/// `[]`, `{}`, `null` or `""`: a branch that adds nothing.
fn is_empty(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::List(items) => items.is_empty(),
        ExprKind::Object(items) => items.is_empty(),
        ExprKind::Null => true,
        ExprKind::String(s) => s.is_empty(),
        _ => false,
    }
}

fn flatten_into(items: Vec<Value>, out: &mut Vec<Value>) {
    for i in items {
        match i.kind {
            ValueKind::Array(xs) => flatten_into(xs, out),
            _ => out.push(i),
        }
    }
}

/// How the literal parts of a template are decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escapes {
    /// Heredoc and template files: only `$${` and `%%{`.
    Heredoc,
    /// A quoted HCL string: `\"`, `\\`, `\n`, `\uNNNN`, ... too.
    Quoted,
    /// A JSON string (a policy inside Terraform plan JSON).
    Json,
    /// A string in Terraform JSON syntax: JSON escapes, and `$${`/`%%{`.
    TfJson,
}

/// One interpolation or directive replaced by a placeholder.
struct Hole {
    /// Where its placeholder starts in the decoded text.
    at: usize,
    span: Span,
    value: Spanned<TfValue>,
}

/// The result of [`template_json`].
pub struct TemplateJson {
    pub tree: Option<Value>,
    pub findings: Vec<Finding>,
    pub symbols: Vec<SymbolUse>,
}

/// Marks an interpolation inside the decoded JSON text. JSON strings may hold DEL as is,
/// and it does not occur in real policies.
const HOLE: char = '\u{7f}';

/// Parses the template `parts` (literal spans index `text`, the file's text) as JSON and
/// maps every span back into the file. `eval` gives each interpolation's value.
pub fn template_json(
    text: &str,
    path: &Arc<str>,
    parts: &[TemplatePart],
    escapes: Escapes,
    eval: &mut dyn FnMut(&Expr) -> Spanned<TfValue>,
) -> TemplateJson {
    let mut decoded = String::new();
    let mut map: Vec<usize> = Vec::new();
    let mut holes: Vec<Hole> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut end_of_text = 0;
    for part in parts {
        let span = part.span();
        end_of_text = end_of_text.max(span.end);
        match part {
            TemplatePart::Literal { value, span } => {
                let before = decoded.len();
                match text.get(span.range()) {
                    Some(raw) => decode(raw, span.start, escapes, &mut decoded, &mut map),
                    None => {
                        // No raw text (a JSON string with escapes): use the value, every
                        // byte at the literal's start.
                        decoded.push_str(value);
                        map.extend(std::iter::repeat_n(span.start, value.len()));
                    }
                }
                track_strings(&decoded[before..], &mut in_string, &mut escaped);
            }
            TemplatePart::Interpolation { expr, span } => {
                let value = eval(expr);
                let inline_json = !in_string
                    && value.value.is_known()
                    && matches!(value.value, TfValue::List(_) | TfValue::Object(_));
                if inline_json {
                    let rendered = to_json(&value.value);
                    for k in 0..rendered.len() {
                        map.push(span.start + k.min(span.len().saturating_sub(1)));
                    }
                    decoded.push_str(&rendered);
                    continue;
                }
                push_hole(&mut decoded, &mut map, &mut holes, in_string, *span, value);
            }
            TemplatePart::Directive { span } => {
                let value = Spanned::new(
                    TfValue::Symbolic(crate::terraform::resolve::Symbol {
                        text: text.get(span.range()).unwrap_or("%{...}").to_string(),
                        reason: "template directives are not evaluated by latch".to_string(),
                    }),
                    *span,
                );
                if in_string {
                    push_hole(&mut decoded, &mut map, &mut holes, true, *span, value);
                } else {
                    for k in 0..span.len() {
                        decoded.push(' ');
                        map.push(span.start + k);
                    }
                }
            }
        }
    }
    map.push(end_of_text);

    let parsed = json::parse(&decoded);
    let mut symbols = Vec::new();
    let tree = parsed.value.map(|mut t| {
        fill_holes(&mut t, &holes, path, &mut symbols);
        remap_value(&mut t, &map, text);
        t
    });
    let findings = parsed
        .findings
        .into_iter()
        .map(|f| remap_finding(f, &map, text, escapes))
        .collect();
    TemplateJson {
        tree,
        findings,
        symbols,
    }
}

fn push_hole(
    decoded: &mut String,
    map: &mut Vec<usize>,
    holes: &mut Vec<Hole>,
    in_string: bool,
    span: Span,
    value: Spanned<TfValue>,
) {
    if in_string {
        holes.push(Hole {
            at: decoded.len(),
            span,
            value,
        });
        decoded.push(HOLE);
        map.push(span.start);
    } else {
        decoded.push('"');
        map.push(span.start);
        holes.push(Hole {
            at: decoded.len(),
            span,
            value,
        });
        decoded.push(HOLE);
        map.push(span.start + 1);
        decoded.push('"');
        map.push(span.end.saturating_sub(1).max(span.start));
    }
}

/// Follows JSON string state over `s` so placeholders know whether they sit in a string.
fn track_strings(s: &str, in_string: &mut bool, escaped: &mut bool) {
    for c in s.chars() {
        if *escaped {
            *escaped = false;
        } else if *in_string && c == '\\' {
            *escaped = true;
        } else if c == '"' {
            *in_string = !*in_string;
        }
    }
}

/// Decodes one raw literal, recording for every output byte the file offset of the raw
/// character it came from.
pub(crate) fn decode(
    raw: &str,
    base: usize,
    escapes: Escapes,
    out: &mut String,
    map: &mut Vec<usize>,
) {
    let mut push = |s: &str, at: usize, out: &mut String| {
        out.push_str(s);
        map.extend(std::iter::repeat_n(base + at, s.len()));
    };
    let json_escapes = matches!(escapes, Escapes::Json | Escapes::TfJson);
    let mut it = raw.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let rest = &raw[i..];
        if (rest.starts_with("$${") || rest.starts_with("%%{")) && escapes != Escapes::Json {
            push(&rest[1..3], i, out);
            it.next();
            it.next();
            continue;
        }
        if c == '\\' && escapes != Escapes::Heredoc {
            let Some((_, e)) = it.next() else {
                push("\\", i, out);
                continue;
            };
            let simple = match e {
                'n' => Some('\n'),
                'r' => Some('\r'),
                't' => Some('\t'),
                '"' => Some('"'),
                '\\' => Some('\\'),
                '/' if json_escapes => Some('/'),
                'b' if json_escapes => Some('\u{8}'),
                'f' if json_escapes => Some('\u{c}'),
                _ => None,
            };
            if let Some(ch) = simple {
                push(ch.encode_utf8(&mut [0; 4]), i, out);
                continue;
            }
            let digits = match e {
                'u' => 4,
                'U' if escapes == Escapes::Quoted => 8,
                _ => 0,
            };
            let hex: String = (0..digits)
                .filter_map(|_| it.next().map(|(_, h)| h))
                .collect();
            match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                Some(ch) if hex.len() == digits && digits > 0 => {
                    push(ch.encode_utf8(&mut [0; 4]), i, out)
                }
                _ => {
                    let mut kept = String::from('\\');
                    kept.push(e);
                    kept.push_str(&hex);
                    push(&kept, i, out);
                }
            }
            continue;
        }
        push(c.encode_utf8(&mut [0; 4]), i, out);
    }
}

/// Replaces placeholders in strings and keys by the interpolated values.
fn fill_holes(v: &mut Value, holes: &[Hole], path: &Arc<str>, symbols: &mut Vec<SymbolUse>) {
    let span = v.span;
    match &mut v.kind {
        ValueKind::String(s) if s.contains(HOLE) => {
            *s = fill(s, span, holes, path, symbols).into();
        }
        ValueKind::Array(items) => items
            .iter_mut()
            .for_each(|i| fill_holes(i, holes, path, symbols)),
        ValueKind::Object(members) => {
            for m in members {
                if m.key.contains(HOLE) {
                    m.key = fill(&m.key, m.key_span, holes, path, symbols).into();
                }
                fill_holes(&mut m.value, holes, path, symbols);
            }
        }
        _ => {}
    }
}

fn fill(
    s: &str,
    span: Span,
    holes: &[Hole],
    path: &Arc<str>,
    symbols: &mut Vec<SymbolUse>,
) -> String {
    let mut mine = holes
        .iter()
        .filter(|h| h.at >= span.start && h.at < span.end);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c != HOLE {
            out.push(c);
            continue;
        }
        let Some(h) = mine.next() else {
            continue;
        };
        match &h.value.value {
            TfValue::Symbolic(sym) => {
                out.push_str(&sym.text);
                symbols.push(SymbolUse {
                    path: path.clone(),
                    span: h.span,
                    text: sym.text.clone(),
                    reason: sym.reason.clone(),
                });
            }
            other => match other.string_text() {
                Some(t) => out.push_str(&t),
                None => {
                    let t = to_json(other);
                    out.push_str(&t);
                }
            },
        }
    }
    out
}

/// Maps a span of the decoded text back into the file `text`, on whole characters (a
/// decoded byte can map into an interpolation, a directive or a multi-byte character).
pub(crate) fn remap(span: Span, map: &[usize], text: &str) -> Span {
    let at = |i: usize| map.get(i).or(map.last()).copied().unwrap_or(0);
    let start = at(span.start);
    // The end maps through the last byte of the range, so a range that ends at a
    // placeholder still ends inside the interpolation.
    let end = if span.end > span.start {
        let last = at(span.end - 1);
        at(span.end).max(last + 1)
    } else {
        start
    };
    Span::new(start, end.max(start)).on_chars(text)
}

pub(crate) fn remap_value(v: &mut Value, map: &[usize], text: &str) {
    v.span = remap(v.span, map, text);
    match &mut v.kind {
        ValueKind::Array(items) => items.iter_mut().for_each(|i| remap_value(i, map, text)),
        ValueKind::Object(members) => {
            for m in members {
                m.key_span = remap(m.key_span, map, text);
                remap_value(&mut m.value, map, text);
            }
        }
        _ => {}
    }
}

/// Moves a JSON finding into the file. Fix text for a quoted string is escaped the way
/// the string needs it.
fn remap_finding(mut f: Finding, map: &[usize], text: &str, escapes: Escapes) -> Finding {
    f.range = remap(f.range, map, text);
    for r in &mut f.related {
        if r.path.is_none() {
            r.range = remap(r.range, map, text);
        }
    }
    for fix in &mut f.fixes {
        for e in &mut fix.edits {
            if e.path.is_none() {
                e.range = remap(e.range, map, text);
                if escapes != Escapes::Heredoc {
                    e.new_text = e.new_text.replace('\\', "\\\\").replace('"', "\\\"");
                }
            }
        }
    }
    f
}

//! Our own small, owned syntax tree for Terraform, built from hcl-edit's tree (for `.tf`)
//! or from a JSON tree (for `.tf.json`). Every node keeps its byte range in the file; the
//! rest of the Terraform code never sees hcl-edit types, so the two inputs look alike.

use crate::span::{Span, Spanned};

/// A block: `resource "aws_s3_bucket" "b" { ... }`, `statement { ... }`, `locals { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// `resource`, `data`, `statement`, ...
    pub ident: Spanned<String>,
    pub labels: Vec<Spanned<String>>,
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<Block>,
    /// From the identifier to the closing brace.
    pub span: Span,
}

impl Block {
    /// The attribute named `key`, if any.
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key.value == key)
    }

    /// Nested blocks named `ident`, in source order.
    pub fn blocks_named<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.ident.value == ident)
    }

    /// The label at `index` as text, or an empty string.
    pub fn label(&self, index: usize) -> &str {
        self.labels.get(index).map_or("", |l| l.value.as_str())
    }
}

/// `key = value` inside a block.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub key: Spanned<String>,
    pub value: Expr,
    /// From the key to the end of the value.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// The number as written.
    Number(String),
    /// A quoted string without interpolation, unescaped.
    String(String),
    /// A quoted string with `${...}`/`%{...}`, or a heredoc.
    Template(Template),
    List(Vec<Expr>),
    Object(Vec<ObjectItem>),
    /// `aws_s3_bucket.b.arn`, `var.x`, `local.y[0]`: the root name and each attribute or
    /// literal index, in order (`["aws_s3_bucket", "b", "arn"]`).
    Reference(Vec<String>),
    /// `jsonencode(...)`, `file(...)`: the name and the arguments.
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// `cond ? a : b`.
    Conditional {
        cond: Box<Expr>,
        then: Box<Expr>,
        other: Box<Expr>,
    },
    /// `[for k, v in coll : body if cond]` (`object: false`) or `{for ... : k => v}`
    /// (`object: true`): the iterator names, the collection and the body.
    For {
        vars: Vec<String>,
        collection: Box<Expr>,
        body: Box<Expr>,
        object: bool,
    },
    /// Anything else (operators, splats): only its text is known, from the span.
    Other,
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The reference path as `a.b.c`, for a reference.
    pub fn reference_text(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Reference(parts) => Some(parts.join(".")),
            _ => None,
        }
    }

    /// Every reference inside this expression, in source order, as `a.b.c` with its span.
    pub fn references(&self) -> Vec<Spanned<String>> {
        let mut out = Vec::new();
        self.collect_references(&mut out);
        out
    }

    fn collect_references(&self, out: &mut Vec<Spanned<String>>) {
        match &self.kind {
            ExprKind::Reference(parts) => out.push(Spanned::new(parts.join("."), self.span)),
            ExprKind::Template(t) => {
                for p in &t.parts {
                    if let TemplatePart::Interpolation { expr, .. } = p {
                        expr.collect_references(out);
                    }
                }
            }
            ExprKind::List(items) => items.iter().for_each(|i| i.collect_references(out)),
            ExprKind::Object(items) => items.iter().for_each(|i| i.value.collect_references(out)),
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.collect_references(out)),
            ExprKind::Conditional { cond, then, other } => {
                cond.collect_references(out);
                then.collect_references(out);
                other.collect_references(out);
            }
            ExprKind::For {
                collection, body, ..
            } => {
                collection.collect_references(out);
                body.collect_references(out);
            }
            _ => {}
        }
    }
}

/// A template: the parts of a quoted string with interpolations, or of a heredoc.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// `Some` for a heredoc: its delimiter and whether it is indented (`<<-`).
    pub heredoc: Option<(String, bool)>,
    pub parts: Vec<TemplatePart>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TemplatePart {
    /// Literal text. `value` is unescaped (and dedented in a `<<-` heredoc); `span` covers
    /// the raw text in the file.
    Literal { value: String, span: Span },
    /// `${ expr }`; `span` covers the `${` to the `}`.
    Interpolation { expr: Expr, span: Span },
    /// `%{ if }...%{ endif }` or `%{ for }`: kept as text only.
    Directive { span: Span },
}

impl TemplatePart {
    pub fn span(&self) -> Span {
        match self {
            TemplatePart::Literal { span, .. }
            | TemplatePart::Interpolation { span, .. }
            | TemplatePart::Directive { span } => *span,
        }
    }
}

/// How an object key was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStyle {
    /// `Effect = ...`
    Ident,
    /// `"aws:SourceIp" = ...`
    Quoted,
    /// `(var.key) = ...`: the key is the expression's text.
    Expression,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ObjectItem {
    /// The key's text (unquoted); its span includes quotes.
    pub key: Spanned<String>,
    pub style: KeyStyle,
    /// The key's expression, for [`KeyStyle::Expression`] (`"${var.prefix}:tag" = ...`).
    pub key_expr: Option<Box<Expr>>,
    pub value: Expr,
}

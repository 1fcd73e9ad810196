//! Finds every policy in a module: the attributes that hold one (by resource type), the
//! policy kind each implies, and the policy text in whatever form it is written.

use std::sync::Arc;

use crate::finding::Finding;
use crate::json::{self, Value};
use crate::policy::{Policy, PolicyKind, policy_from_value};
use crate::span::{Span, Spanned};
use crate::terraform::ast::*;
use crate::terraform::convert::{Escapes, SymbolUse, TreeBuilder, template_json};
use crate::terraform::document::{merged_documents, referenced_document, synthesize};
use crate::terraform::resolve::{Index, Symbol, TfValue};

/// How a policy's text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicySyntax {
    /// `jsonencode({ Version = "2012-10-17", ... })`: HCL object syntax.
    Jsonencode,
    /// `<<POLICY ... POLICY` or `<<-EOT`: JSON text.
    Heredoc,
    /// `"{\"Version\": ...}"`: JSON in a quoted string (also policies in plan JSON).
    QuotedJson,
    /// `data "aws_iam_policy_document"` blocks.
    PolicyDocument,
    /// `file("x.json")` or `templatefile("x.json.tpl", {...})`.
    File,
    /// Something latch cannot read (a variable without a default, a function result).
    Unknown,
}

/// One policy of the module.
#[derive(Clone, Debug)]
pub struct ExtractedPolicy {
    /// The file that holds the owning attribute.
    pub path: Arc<str>,
    /// The owner's address: `aws_s3_bucket_policy.b`, `data.aws_iam_policy_document.d`.
    pub owner: String,
    /// The attribute: `policy`, `assume_role_policy`, `content`, `inline_policy.policy`,
    /// `json` (a document nobody uses).
    pub attribute: String,
    /// The whole attribute, `policy = ...`.
    pub attribute_span: Span,
    /// What the owner makes of it; `None` for a document not used by any resource.
    pub kind: Option<PolicyKind>,
    pub syntax: PolicySyntax,
    pub source: PolicySource,
    /// For a managed policy (`aws_iam_policy`): the roles and users whose
    /// `permissions_boundary` refers to it, where it acts as a
    /// [`PolicyKind::Boundary`] rather than an identity policy.
    pub boundary_for: Vec<String>,
}

impl ExtractedPolicy {
    /// `aws_s3_bucket_policy.b.policy`.
    pub fn address(&self) -> String {
        format!("{}.{}", self.owner, self.attribute)
    }

    pub fn inline(&self) -> Option<&InlinePolicy> {
        match &self.source {
            PolicySource::Inline(p) => Some(&**p),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub enum PolicySource {
    /// The text is in the module: its JSON tree and model, spans in `path`.
    Inline(Box<InlinePolicy>),
    /// The text is in another file of the workspace, which the caller loads
    /// ([`crate::terraform::policy_from_file`]).
    File {
        /// Workspace-relative, normalized.
        path: String,
        /// The `file(...)` call.
        span: Span,
        /// `templatefile`'s variables, resolved as far as possible.
        vars: Option<Vec<(String, Spanned<TfValue>)>>,
    },
    /// The value cannot be known.
    Unknown { span: Span, symbol: Symbol },
}

/// A policy whose text is in the module.
#[derive(Clone, Debug)]
pub struct InlinePolicy {
    /// The file that holds the text (a `local` or a document may be in another file than
    /// the attribute).
    pub path: Arc<str>,
    /// The policy text: the `jsonencode(...)` call, the heredoc body, the quoted string, the
    /// `data` block.
    pub text_span: Span,
    pub tree: Value,
    pub policy: Policy,
    /// JSON syntax and shape findings, with ranges in `path`.
    pub findings: Vec<Finding>,
    /// Values in the policy that stay unknown.
    pub symbols: Vec<SymbolUse>,
    /// Every reference written in the policy text (`aws_s3_bucket.b.arn`, `var.x`), known
    /// or not, with its span in `path`: for hovers and links.
    pub references: Vec<Spanned<String>>,
    /// The file of each statement of `policy`; differs from `path` only for statements
    /// merged in from another file's `source_policy_documents`/`override_policy_documents`.
    pub statement_paths: Vec<Arc<str>>,
    /// The `data.aws_iam_policy_document.x` this text came from, if any.
    pub document: Option<String>,
}

impl InlinePolicy {
    /// Whether the value at `span` (a string of the tree) holds an unknown: validators
    /// should not report a `${var.effect}` as a misspelled effect, and the engine should
    /// say what its decision depends on.
    pub fn is_symbolic(&self, span: Span) -> bool {
        self.symbols.iter().any(|s| {
            (s.path == self.path || self.statement_paths.contains(&s.path))
                && span.start <= s.span.start
                && s.span.end <= span.end
        })
    }

    /// The file that holds the text at `span`: `path`, or the file of a statement merged
    /// in from another file's document whose span holds it.
    pub fn path_at(&self, span: Span) -> Arc<str> {
        let statements = crate::policy::build::statement_objects(&self.tree);
        for (st, p) in statements.iter().zip(&self.statement_paths) {
            if *p != self.path && st.span.start <= span.start && span.end <= st.span.end {
                return p.clone();
            }
        }
        self.path.clone()
    }
}

/// The policy attributes of a resource type, with the kind each implies.
pub fn policy_attributes(resource_type: &str) -> &'static [(&'static str, PolicyKind)] {
    use PolicyKind::*;
    match resource_type {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => &[("policy", Identity)],
        "aws_iam_role" => &[("assume_role_policy", Trust)],
        "aws_s3_bucket_policy"
        | "aws_s3_bucket"
        | "aws_sqs_queue_policy"
        | "aws_sqs_queue"
        | "aws_sns_topic_policy"
        | "aws_sns_topic"
        | "aws_ecr_repository_policy"
        | "aws_secretsmanager_secret_policy"
        | "aws_s3_access_point"
        | "aws_s3control_access_point_policy" => &[("policy", Resource)],
        "aws_kms_key" | "aws_kms_key_policy" => &[("policy", KeyPolicy)],
        "aws_vpc_endpoint" | "aws_vpc_endpoint_policy" => &[("policy", VpcEndpoint)],
        "aws_organizations_policy" => &[("content", Scp)],
        _ => &[],
    }
}

/// The kind of an `aws_organizations_policy` from its `type`; `None` for policy types that
/// are not authorization policies (tag, backup, AI opt-out policies).
fn organizations_kind(index: &Index<'_>, file: usize, b: &Block) -> Option<PolicyKind> {
    let ty = match b.attr("type") {
        Some(a) => index.eval(file, &a.value).value,
        None => return Some(PolicyKind::Scp),
    };
    match ty.as_str() {
        Some("SERVICE_CONTROL_POLICY") => Some(PolicyKind::Scp),
        Some("RESOURCE_CONTROL_POLICY") => Some(PolicyKind::Rcp),
        Some(_) => None,
        // Unknown type: treat as the default rather than drop a possible deny.
        None => Some(PolicyKind::Scp),
    }
}

/// Every policy of the module, in file and block order.
pub fn extract_policies(index: &Index<'_>) -> Vec<ExtractedPolicy> {
    let mut out = Vec::new();
    let mut used_documents: Vec<String> = Vec::new();
    for (fi, f) in index.files.iter().enumerate() {
        for b in &f.blocks {
            if b.ident.value != "resource" || b.labels.len() != 2 || index.absent(fi, b) {
                continue;
            }
            let ty = b.label(0);
            let owner = format!("{ty}.{}", b.label(1));
            for (attr, kind) in policy_attributes(ty) {
                let Some(a) = b.attr(attr) else { continue };
                let kind = if ty == "aws_organizations_policy" {
                    match organizations_kind(index, fi, b) {
                        Some(k) => k,
                        None => continue,
                    }
                } else {
                    *kind
                };
                let p = extract_one(index, fi, &owner, attr, a, Some(kind));
                if let Some(d) = p.inline().and_then(|i| i.document.clone()) {
                    used_documents.push(d);
                }
                out.push(p);
            }
            if ty == "aws_iam_role" {
                for ib in b.blocks_named("inline_policy") {
                    if let Some(a) = ib.attr("policy") {
                        let p = extract_one(
                            index,
                            fi,
                            &owner,
                            "inline_policy.policy",
                            a,
                            Some(PolicyKind::Identity),
                        );
                        if let Some(d) = p.inline().and_then(|i| i.document.clone()) {
                            used_documents.push(d);
                        }
                        out.push(p);
                    }
                }
            }
        }
    }
    for f in index.files {
        for b in &f.blocks {
            if b.ident.value == "data" && b.label(0) == "aws_iam_policy_document" {
                used_documents.extend(merged_documents(b));
            }
            // A document passed to a module input: AWS receives what that module makes
            // of it (it may `replace()` placeholders), and latch does not follow modules.
            if b.ident.value == "module" {
                for a in &b.attributes {
                    for r in a.value.references() {
                        let parts: Vec<&str> = r.value.split('.').collect();
                        if let ["data", "aws_iam_policy_document", n, ..] = parts.as_slice() {
                            used_documents.push(format!("data.aws_iam_policy_document.{n}"));
                        }
                    }
                }
            }
        }
    }
    link_boundaries(index, &mut out);
    // Documents nobody in the module uses are still checked, without a kind.
    for (fi, f) in index.files.iter().enumerate() {
        for b in &f.blocks {
            if b.ident.value == "data" && b.label(0) == "aws_iam_policy_document" {
                let owner = format!("data.aws_iam_policy_document.{}", b.label(1));
                if used_documents.contains(&owner) || index.absent(fi, b) {
                    continue;
                }
                let d = synthesize(index, fi, b, 0);
                out.push(ExtractedPolicy {
                    path: f.path.clone(),
                    owner: owner.clone(),
                    attribute: "json".to_string(),
                    attribute_span: b.span,
                    kind: None,
                    syntax: PolicySyntax::PolicyDocument,
                    source: PolicySource::Inline(Box::new(inline(
                        index,
                        fi,
                        b.span,
                        d.tree,
                        Vec::new(),
                        d.symbols,
                        Some(&d.statement_files),
                        Some(owner),
                    ))),
                    boundary_for: Vec::new(),
                });
            }
        }
    }
    out
}

/// Records which roles and users use each managed policy as their permissions boundary.
fn link_boundaries(index: &Index<'_>, policies: &mut [ExtractedPolicy]) {
    for f in index.files {
        for b in &f.blocks {
            let ty = b.label(0);
            if b.ident.value != "resource" || !matches!(ty, "aws_iam_role" | "aws_iam_user") {
                continue;
            }
            let Some(a) = b.attr("permissions_boundary") else {
                continue;
            };
            let principal = format!("{ty}.{}", b.label(1));
            for r in a.value.references() {
                let parts: Vec<&str> = r.value.split('.').collect();
                if let ["aws_iam_policy", name, "arn" | "id"] = parts.as_slice() {
                    let owner = format!("aws_iam_policy.{name}");
                    for p in policies.iter_mut().filter(|p| p.owner == owner) {
                        p.boundary_for.push(principal.clone());
                    }
                }
            }
        }
    }
}

fn extract_one(
    index: &Index<'_>,
    file: usize,
    owner: &str,
    attribute: &str,
    a: &Attribute,
    kind: Option<PolicyKind>,
) -> ExtractedPolicy {
    let (syntax, source) = policy_text(index, file, &a.value, 0);
    ExtractedPolicy {
        path: index
            .files
            .get(file)
            .map_or_else(|| Arc::from(""), |f| f.path.clone()),
        owner: owner.to_string(),
        attribute: attribute.to_string(),
        attribute_span: a.span,
        kind,
        syntax,
        source,
        boundary_for: Vec::new(),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a private constructor with one call per policy form"
)]
fn inline(
    index: &Index<'_>,
    file: usize,
    text_span: Span,
    tree: Value,
    mut findings: Vec<Finding>,
    symbols: Vec<SymbolUse>,
    statement_files: Option<&[usize]>,
    document: Option<String>,
) -> InlinePolicy {
    let path = index
        .files
        .get(file)
        .map_or_else(|| Arc::from(""), |f| f.path.clone());
    let (policy, mut shape) = policy_from_value(&tree);
    findings.append(&mut shape);
    for f in &mut findings {
        f.path = path.clone();
    }
    let statement_paths = match statement_files {
        Some(files) => files
            .iter()
            .map(|i| {
                index
                    .files
                    .get(*i)
                    .map_or_else(|| path.clone(), |f| f.path.clone())
            })
            .collect(),
        None => vec![path.clone(); policy.statements.len()],
    };
    let references = index
        .files
        .get(file)
        .map(|f| references_within(&f.blocks, text_span))
        .unwrap_or_default();
    InlinePolicy {
        path,
        text_span,
        tree,
        policy,
        findings,
        symbols,
        references,
        statement_paths,
        document,
    }
}

/// The references written inside `span`, in source order.
fn references_within(blocks: &[Block], span: Span) -> Vec<Spanned<String>> {
    let mut out = Vec::new();
    for b in blocks {
        if b.span.end <= span.start || span.end <= b.span.start {
            continue;
        }
        for a in &b.attributes {
            out.extend(
                a.value
                    .references()
                    .into_iter()
                    .filter(|r| span.start <= r.span.start && r.span.end <= span.end),
            );
        }
        out.extend(references_within(&b.blocks, span));
    }
    out.sort_by_key(|r| r.span.start);
    out
}

/// The policy an expression holds, following references to locals, variable defaults,
/// documents and other resources' attributes.
fn policy_text(
    index: &Index<'_>,
    file: usize,
    e: &Expr,
    depth: usize,
) -> (PolicySyntax, PolicySource) {
    let Some(f) = index.files.get(file) else {
        return unknown(index, file, e);
    };
    if depth > 8 {
        return unknown(index, file, e);
    }
    match &e.kind {
        ExprKind::Conditional { cond, then, other } => {
            // `cond ? policy : ""`: the empty branch sends no policy at all (the owner's
            // `count` follows the same condition in real modules).
            let branch = match index.eval(file, cond).value {
                TfValue::Bool(true) => Some(&**then),
                TfValue::Bool(false) => Some(&**other),
                _ if no_policy(other) => Some(&**then),
                _ if no_policy(then) => Some(&**other),
                _ => None,
            };
            match branch {
                Some(b) => policy_text(index, file, b, depth + 1),
                None => unknown(index, file, e),
            }
        }
        ExprKind::Call { name, args } if name == "replace" && args.len() == 3 => {
            // `replace(rendered_policy, "_PLACEHOLDER_", value)` over the policy text.
            let Some(sub) = args[1]
                .as_str()
                .filter(|s| !s.is_empty() && !s.starts_with('/'))
            else {
                return unknown(index, file, e);
            };
            match policy_text(index, file, &args[0], depth + 1) {
                (syntax, PolicySource::Inline(mut p)) => {
                    let rep = index.eval(file, &args[2]);
                    replace_in(&mut p, sub, &rep, index.source(file, &args[2]));
                    (syntax, PolicySource::Inline(p))
                }
                _ => unknown(index, file, e),
            }
        }
        ExprKind::Call { name, args } if name == "jsonencode" && args.len() == 1 => {
            // `jsonencode(local.policy)`: the text is the local's object, wherever it is.
            let (file, arg, text_span) = match local_literal(index, &args[0]) {
                Some((f, target)) => (f, target, target.span),
                None => (file, &args[0], e.span),
            };
            let mut tb = TreeBuilder::new(index, file, 0);
            let tree = tb.value(arg);
            let p = inline(
                index,
                file,
                text_span,
                tree,
                Vec::new(),
                tb.symbols,
                None,
                None,
            );
            (PolicySyntax::Jsonencode, PolicySource::Inline(Box::new(p)))
        }
        ExprKind::Call { name, args }
            if (name == "file" && args.len() == 1)
                || (name == "templatefile" && args.len() == 2) =>
        {
            let target = index.eval(file, &args[0]).value;
            let Some(rel) = target.as_str() else {
                return unknown(index, file, e);
            };
            let vars = (name == "templatefile").then(|| {
                match args.get(1).map(|v| index.eval(file, v).value) {
                    Some(TfValue::Object(items)) => {
                        items.into_iter().map(|(k, v)| (k.value, v)).collect()
                    }
                    _ => Vec::new(),
                }
            });
            (
                PolicySyntax::File,
                PolicySource::File {
                    path: normalize_path(&index.module_dir, rel),
                    span: e.span,
                    vars,
                },
            )
        }
        ExprKind::Template(t) => {
            let (syntax, escapes) = if t.heredoc.is_some() {
                (PolicySyntax::Heredoc, Escapes::Heredoc)
            } else {
                (PolicySyntax::QuotedJson, quoted_escapes(&f.path))
            };
            let text_span = t
                .parts
                .iter()
                .map(TemplatePart::span)
                .reduce(Span::cover)
                .unwrap_or(e.span);
            text_policy(index, file, &f.text, &t.parts, escapes, text_span, syntax)
        }
        ExprKind::String(s) => {
            // Inside the quotes; an unterminated string (JSON read with recovery) has no
            // closing quote to leave out, and its last character may be several bytes.
            let raw = f.text.get(e.span.range()).unwrap_or("");
            let closed = raw.len() >= 2 && raw.ends_with('"');
            let inner = if raw.starts_with('"') {
                Span::new(e.span.start + 1, e.span.end - usize::from(closed))
            } else {
                e.span
            };
            let parts = [TemplatePart::Literal {
                value: s.clone(),
                span: inner,
            }];
            text_policy(
                index,
                file,
                &f.text,
                &parts,
                quoted_escapes(&f.path),
                inner,
                PolicySyntax::QuotedJson,
            )
        }
        ExprKind::Reference(parts) => {
            if let Some((df, doc)) = referenced_document(index, e) {
                let d = synthesize(index, df, doc, depth + 1);
                let owner = format!("data.aws_iam_policy_document.{}", doc.label(1));
                let p = inline(
                    index,
                    df,
                    doc.span,
                    d.tree,
                    Vec::new(),
                    d.symbols,
                    Some(&d.statement_files),
                    Some(owner),
                );
                return (
                    PolicySyntax::PolicyDocument,
                    PolicySource::Inline(Box::new(p)),
                );
            }
            let p: Vec<&str> = parts.iter().map(String::as_str).collect();
            let target = match p.as_slice() {
                ["local", name] => index.locals.get(*name).map(|l| (l.file, &l.item.value)),
                // A module input is never itself read as a policy document (its default
                // is not the value); one set in a `.tfvars` file is.
                ["var", name] => index.tfvars.get(*name).map(|a| (a.file, &a.item.value)),
                [ty, name, attr] if ty.contains('_') => index
                    .resources
                    .get(&format!("{ty}.{name}"))
                    .and_then(|r| r.item.attr(attr).map(|a| (r.file, &a.value))),
                _ => None,
            };
            match target {
                Some((tf, te)) => policy_text(index, tf, te, depth + 1),
                None => unknown(index, file, e),
            }
        }
        _ => unknown(index, file, e),
    }
}

/// How a quoted string is escaped: HCL in `.tf`, JSON in `.tf.json` (both with `$${`).
fn quoted_escapes(path: &str) -> Escapes {
    if path.ends_with(".json") {
        Escapes::TfJson
    } else {
        Escapes::Quoted
    }
}

/// `local.x` whose value is an object written in the module.
fn local_literal<'a>(index: &Index<'a>, e: &Expr) -> Option<(usize, &'a Expr)> {
    let ExprKind::Reference(parts) = &e.kind else {
        return None;
    };
    let (file, target) = match parts.as_slice() {
        [root, name] if root == "local" => {
            let l = index.locals.get(name)?;
            (l.file, &l.item.value)
        }
        _ => return None,
    };
    matches!(target.kind, ExprKind::Object(_)).then_some((file, target))
}

/// `""` or `null`: no policy.
fn no_policy(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Null) || matches!(&e.kind, ExprKind::String(s) if s.is_empty())
}

/// Applies `replace(policy, sub, rep)` to every string and key of an extracted policy:
/// a known replacement is substituted; an unknown one leaves the string symbolic.
fn replace_in(p: &mut InlinePolicy, sub: &str, rep: &Spanned<TfValue>, rep_text: String) {
    fn walk(
        v: &mut Value,
        sub: &str,
        rep: &TfValue,
        rep_text: &str,
        path: &Arc<str>,
        symbols: &mut Vec<SymbolUse>,
    ) {
        let span = v.span;
        match &mut v.kind {
            json::ValueKind::String(s) if s.contains(sub) => match rep {
                TfValue::Symbolic(_) | TfValue::Null => {
                    *s = s.replace(sub, &format!("${{{rep_text}}}")).into();
                    symbols.push(SymbolUse {
                        path: path.clone(),
                        span,
                        text: s.to_string(),
                        reason: format!(
                            "`{sub}` is replaced by `{rep_text}`, only known when Terraform runs"
                        ),
                    });
                }
                other => {
                    if let Some(t) = other.string_text() {
                        *s = s.replace(sub, &t).into();
                    }
                }
            },
            json::ValueKind::Array(items) => items
                .iter_mut()
                .for_each(|i| walk(i, sub, rep, rep_text, path, symbols)),
            json::ValueKind::Object(members) => {
                for m in members {
                    walk(&mut m.value, sub, rep, rep_text, path, symbols);
                }
            }
            _ => {}
        }
    }
    let path = p.path.clone();
    walk(
        &mut p.tree,
        sub,
        &rep.value,
        &rep_text,
        &path,
        &mut p.symbols,
    );
    // Re-read the model from the rewritten tree; the text's own findings stay.
    p.policy = policy_from_value(&p.tree).0;
}

fn text_policy(
    index: &Index<'_>,
    file: usize,
    text: &str,
    parts: &[TemplatePart],
    escapes: Escapes,
    text_span: Span,
    syntax: PolicySyntax,
) -> (PolicySyntax, PolicySource) {
    let path = index
        .files
        .get(file)
        .map_or_else(|| Arc::from(""), |f| f.path.clone());
    let mut eval = |x: &Expr| index.eval(file, x);
    let tj = template_json(text, &path, parts, escapes, &mut eval);
    let tree = tj
        .tree
        .unwrap_or_else(|| Value::new(json::ValueKind::Object(Vec::new()), text_span));
    let p = inline(
        index,
        file,
        text_span,
        tree,
        tj.findings,
        tj.symbols,
        None,
        None,
    );
    (syntax, PolicySource::Inline(Box::new(p)))
}

fn unknown(index: &Index<'_>, file: usize, e: &Expr) -> (PolicySyntax, PolicySource) {
    let symbol = match index.eval(file, e).value {
        TfValue::Symbolic(s) => s,
        _ => Symbol {
            text: index.source(file, e),
            reason: "this value is not a policy document latch can read".to_string(),
        },
    };
    (
        PolicySyntax::Unknown,
        PolicySource::Unknown {
            span: e.span,
            symbol,
        },
    )
}

/// `dir` joined with `rel`, with `.` and `..` resolved; `rel` may already start with
/// `dir` (from `${path.module}/x.json`).
pub fn normalize_path(dir: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/')
        || dir.is_empty()
        || dir == "."
        || rel.starts_with(&format!("{dir}/"))
    {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    };
    let mut out: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            p => out.push(p),
        }
    }
    out.join("/")
}

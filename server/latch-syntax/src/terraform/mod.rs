//! Terraform: policies and resources from `.tf`, `.tf.json` and plan JSON, with exact
//! byte ranges in the file that holds each piece of text, and references resolved across
//! the files of one module folder. Pure: text in, models and findings out.
//!
//! Public API (everything else is reachable but is plumbing):
//! - [`analyze_module`]`(files, providers) -> Module`: all `(path, text)` files of one
//!   module folder (`.tf` and `.tf.json`; paths workspace-relative). Gives the
//!   [`Module`]: `resources` ([`TfResource`]: address, type, provider and account, span,
//!   ARN when it follows from the configuration, attributes evaluated as [`TfValue`] with
//!   their references), `policies` ([`ExtractedPolicy`]: owner address and attribute, kind
//!   implied by the resource type, [`PolicySyntax`], and a [`PolicySource`]: an inline
//!   JSON tree + [`Policy`](crate::policy::Policy) with spans in the `.tf` file, a
//!   workspace file to load, or an unknown value), and `findings` (`terraform/syntax` per
//!   broken top-level block, JSON syntax and shape errors inside policy texts).
//! - [`analyze_plan`]`(path, text, providers) -> Module`: the same from
//!   `terraform show -json` output (`planned_values`), all values known.
//! - [`policy_from_file`]`(path, text, vars)`: the policy of a `file()`/`templatefile()`
//!   target once the caller has read it.
//! - [`ProviderAccounts`]: `latch.toml` `[providers]` resolved to account ids, the
//!   partition, and values pinned from outside (`.pin("aws_kms_key.k.arn", arn)`,
//!   `.pin("aws_vpc_endpoint.s3.id", "vpce-1a2b3c4d")`, or every known value of a plan
//!   with `.pin_plan(&plan_module)`) that turn unknowns into values.
//! - [`edit`]: `insert_member`, `append_element`, `append_statement`: text edits that
//!   add to an extracted policy in its own syntax (HCL object item, JSON, escaped JSON,
//!   or an attribute / `statement {}` / `principals {}` / `condition {}` block).
//! - [`InlinePolicy::is_symbolic`]`(span)`: whether a value holds an unknown (validators
//!   should not call `${var.effect}` a misspelled effect; the engine should say "allowed if
//!   `var.partner_account` is ...").
//! - [`ExtractedPolicy::boundary_for`]: the roles and users that use a managed policy as
//!   their permissions boundary.
//!
//! Invariants: parsing never fails (a broken block is one finding; the other blocks are
//! kept); every span is a byte range into the file named next to it; values that cannot be
//! known before `terraform apply` are [`TfValue::Symbolic`] (in policy text they keep their
//! `${...}` text and are listed in [`InlinePolicy::symbols`]) and are never guessed.
//! ARNs of resources Terraform creates are synthesized from names, the provider's account
//! and the partition (`aws` unless [`ProviderAccounts::partition`] says otherwise).
//! A document (`data "aws_iam_policy_document"`) used by a resource appears as that
//! resource's policy (syntax `PolicyDocument`, spans in the data block); a document no
//! resource uses appears on its own with `kind: None`. When several resources use one
//! document, its findings appear once per use: deduplicate by `(path, range, code)`.
//! A policy whose text is an object or list written in a local keeps the local's spans
//! (the text lives there; `InlinePolicy::path` says which file). Statements merged from
//! `source_policy_documents` keep their own file in `InlinePolicy::statement_paths`.
//! `dynamic "statement"` blocks are read once, with a symbol saying so; module outputs
//! and resources of child modules are not followed.
//!
//! Evaluation (as Terraform does, or unknown): `var.x` is unknown unless the folder's
//! `terraform.tfvars`/`*.auto.tfvars` (passed to [`analyze_module`] like any other file)
//! sets it; a `default` is never the value and a variable is never read as a policy. A
//! null provider argument is absent; one that may be null is recorded as a symbol on its
//! key ("possibly absent"). `concat`/`flatten`/`compact`/`merge`, conditionals and `for`
//! expressions keep each piece's spans (unknown condition: both branches, possibly
//! present). `count = 0`/empty `for_each` ([`resolve::Index::absent`]) removes a resource
//! and its policies. Unknown source/override documents add a "possibly more statements"
//! symbol over `Statement`. `replace()` over a rendered policy substitutes placeholders.
//! A `templatefile()` target is read by the caller with [`policy_from_file`] and the
//! call's variables, never as written.
//! [`non_literal_spans`] lists the text a fix must never edit.

pub mod ast;
pub mod convert;
pub mod document;
pub mod edit;
pub mod extract;
pub mod plan;
pub mod providers;
pub mod resolve;
pub mod resources;
pub mod scan;
pub mod syntax;

use std::sync::Arc;

pub use convert::SymbolUse;
pub use extract::{ExtractedPolicy, InlinePolicy, PolicySource, PolicySyntax};
pub use plan::analyze_plan;
pub use resolve::{ProviderAccounts, Symbol, TfValue};
pub use resources::{NestedBlock, ResourceAttr, ResourceBody, ResourceMode, TfResource};
pub use syntax::TfFile;

use crate::finding::Finding;
use crate::json::{self, Value, ValueKind};
use crate::policy::policy_from_value;
use crate::span::{Span, Spanned};
use ast::{Expr, ExprKind};
use convert::{Escapes, template_json};

/// Everything latch reads from one module folder (or one plan).
#[derive(Clone, Debug, Default)]
pub struct Module {
    /// The parsed files, in input order (empty for a plan).
    pub files: Vec<TfFile>,
    pub resources: Vec<TfResource>,
    pub policies: Vec<ExtractedPolicy>,
    /// Syntax findings of the files and of the policy texts in them, each once, with
    /// their paths set.
    pub findings: Vec<Finding>,
    /// The region each AWS provider configuration states as literal text, by
    /// configuration name ([`providers::regions`]): kept here so that `files` may be
    /// dropped once the module is analysed ([`Module::drop_syntax`]).
    pub regions: std::collections::BTreeMap<String, String>,
}

impl Module {
    /// Drops the files' syntax trees, the largest part of a module: for a one-shot check,
    /// once nothing will read them again (no module call, no navigation). `resources`,
    /// `policies`, `findings` and `regions` stay.
    pub fn drop_syntax(&mut self) {
        self.files = Vec::new();
    }

    /// Whether a file of the module has a `module` block (a call whose analysis reads
    /// the caller's syntax).
    pub fn has_module_calls(&self) -> bool {
        self.files
            .iter()
            .any(|f| f.blocks.iter().any(|b| b.ident.value == "module"))
    }

    /// The resource or data source at `address`.
    pub fn resource(&self, address: &str) -> Option<&TfResource> {
        self.resources.iter().find(|r| r.address == address)
    }
}

/// Analyzes the `.tf` and `.tf.json` files of one module folder. Paths are
/// workspace-relative; the folder is taken from the first path.
pub fn analyze_module(files: &[(&str, &str)], providers: &ProviderAccounts) -> Module {
    let parsed: Vec<TfFile> = files
        .iter()
        .map(|(path, text)| syntax::parse_file(path, text))
        .collect();
    let module_dir = files
        .first()
        .map(|(p, _)| p.rsplit_once('/').map_or("", |(dir, _)| dir))
        .unwrap_or("");
    let (resources, policies) = {
        let index = resolve::Index::new(&parsed, providers, module_dir);
        (
            resources::resources(&index),
            extract::extract_policies(&index),
        )
    };
    let mut findings: Vec<Finding> = parsed.iter().flat_map(|f| f.findings.clone()).collect();
    for p in &policies {
        if let Some(i) = p.inline() {
            for f in &i.findings {
                if i.is_symbolic(f.range) {
                    continue;
                }
                if !findings
                    .iter()
                    .any(|g| g.path == f.path && g.range == f.range && g.code == f.code)
                {
                    findings.push(f.clone());
                }
            }
        }
    }
    let mut module = Module {
        files: parsed,
        resources,
        policies,
        findings,
        regions: Default::default(),
    };
    module.regions = providers::regions(&module);
    module
}

/// The spans of `file` whose text is not what AWS receives as written: references,
/// function calls (other than `jsonencode`), conditionals, `for` expressions,
/// interpolations and directives, and whole `variable` blocks (a default is not the
/// value). A fix must not edit inside one of them.
pub fn non_literal_spans(file: &TfFile) -> Vec<Span> {
    fn expr(e: &Expr, out: &mut Vec<Span>) {
        match &e.kind {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::String(_) => {}
            ExprKind::List(items) => items.iter().for_each(|i| expr(i, out)),
            ExprKind::Object(items) => items.iter().for_each(|i| {
                if let Some(k) = &i.key_expr {
                    out.push(k.span);
                }
                expr(&i.value, out)
            }),
            ExprKind::Template(t) => {
                for p in &t.parts {
                    match p {
                        ast::TemplatePart::Literal { .. } => {}
                        ast::TemplatePart::Interpolation { span, .. }
                        | ast::TemplatePart::Directive { span } => out.push(*span),
                    }
                }
            }
            ExprKind::Call { name, args } if name == "jsonencode" => {
                args.iter().for_each(|a| expr(a, out))
            }
            _ => out.push(e.span),
        }
    }
    fn block(b: &ast::Block, out: &mut Vec<Span>) {
        if b.ident.value == "variable" {
            out.push(b.span);
            return;
        }
        for a in &b.attributes {
            expr(&a.value, out);
        }
        b.blocks.iter().for_each(|x| block(x, out));
    }
    let mut out = Vec::new();
    file.blocks.iter().for_each(|b| block(b, &mut out));
    out
}

/// The policy in a file named by `file()` (`vars: None`) or `templatefile()` (`vars`: the
/// template's variables from [`PolicySource::File`]). Spans are in `text`; template
/// interpolations become their variable's value, or stay symbolic.
pub fn policy_from_file(
    path: &str,
    text: &str,
    vars: Option<&[(String, Spanned<TfValue>)]>,
) -> InlinePolicy {
    let path: Arc<str> = Arc::from(path);
    let whole = Span::new(0, text.len());
    let (tree, mut findings, symbols) = match vars.and_then(|_| syntax::template_parts(text)) {
        Some(parts) => {
            let vars = vars.unwrap_or(&[]);
            let mut eval = |e: &Expr| -> Spanned<TfValue> {
                let value = match &e.kind {
                    ExprKind::Reference(parts) => {
                        match vars.iter().find(|(k, _)| Some(k) == parts.first()) {
                            Some((_, v)) if parts.len() == 1 => v.value.clone(),
                            _ => TfValue::Symbolic(Symbol {
                                text: format!("${{{}}}", parts.join(".")),
                                reason: "this template variable is not passed to `templatefile`"
                                    .to_string(),
                            }),
                        }
                    }
                    _ => TfValue::Symbolic(Symbol {
                        text: format!("${{{}}}", text.get(e.span.range()).unwrap_or("...")),
                        reason: "latch does not evaluate expressions in templates".to_string(),
                    }),
                };
                Spanned::new(value, e.span)
            };
            let tj = template_json(text, &path, &parts, Escapes::Heredoc, &mut eval);
            (tj.tree, tj.findings, tj.symbols)
        }
        None => {
            let p = json::parse(text);
            (p.value, p.findings, Vec::new())
        }
    };
    let tree = tree.unwrap_or_else(|| Value::new(ValueKind::Object(Vec::new()), whole));
    let (policy, mut shape) = policy_from_value(&tree);
    findings.append(&mut shape);
    for f in &mut findings {
        f.path = path.clone();
    }
    InlinePolicy {
        statement_paths: vec![path.clone(); policy.statements.len()],
        path,
        text_span: whole,
        tree,
        policy,
        findings,
        symbols,
        references: Vec::new(),
        document: None,
    }
}

#[cfg(test)]
mod tests;

//! The resource model: every `resource` and `data` block of a module (or every resource of
//! a plan) with its attributes evaluated as far as they can be known, the references each
//! attribute makes, and the ARN and account where they follow from the configuration.

use std::sync::Arc;

use crate::span::{Span, Spanned};
use crate::terraform::ast::*;
use crate::terraform::resolve::{Index, TfValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceMode {
    /// `resource "..." "..."`
    Managed,
    /// `data "..." "..."`
    Data,
}

/// One resource or data source.
#[derive(Clone, Debug, PartialEq)]
pub struct TfResource {
    /// `aws_s3_bucket.b`, `data.aws_iam_policy_document.d`, `module.m.aws_iam_role.r`
    /// (plans only).
    pub address: String,
    pub mode: ResourceMode,
    /// `aws_s3_bucket`
    pub resource_type: String,
    /// `b`
    pub name: String,
    /// Provider configuration: `aws`, `aws.prod`.
    pub provider: String,
    /// The provider's account from `[providers]`, if known.
    pub account: Option<String>,
    pub path: Arc<str>,
    /// The whole block (or the resource's object in a plan).
    pub span: Span,
    /// The type and name labels (or the address in a plan), for a hover or a link.
    pub name_span: Span,
    /// The resource's ARN when it follows from the configuration (buckets, IAM users,
    /// roles, groups and managed policies) or is in the plan; symbolic otherwise.
    pub arn: Option<Spanned<TfValue>>,
    pub body: ResourceBody,
}

impl TfResource {
    /// The value of the top-level attribute `key`.
    pub fn get(&self, key: &str) -> Option<&TfValue> {
        self.body.get(key)
    }

    /// The string value of the top-level attribute `key`, if known.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(TfValue::as_str)
    }

    /// The top-level attribute `key`.
    pub fn attr(&self, key: &str) -> Option<&ResourceAttr> {
        self.body.attributes.iter().find(|a| a.key.value == key)
    }
}

/// Attributes and nested blocks.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResourceBody {
    pub attributes: Vec<ResourceAttr>,
    pub blocks: Vec<NestedBlock>,
}

impl ResourceBody {
    pub fn get(&self, key: &str) -> Option<&TfValue> {
        self.attributes
            .iter()
            .find(|a| a.key.value == key)
            .map(|a| &a.value.value)
    }

    /// Nested blocks named `ident`.
    pub fn blocks_named<'a>(
        &'a self,
        ident: &'a str,
    ) -> impl Iterator<Item = &'a NestedBlock> + 'a {
        self.blocks.iter().filter(move |b| b.ident.value == ident)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResourceAttr {
    pub key: Spanned<String>,
    /// The evaluated value; its span is the value expression.
    pub value: Spanned<TfValue>,
    /// Every reference in the expression (`aws_s3_bucket.b.id`), for links between
    /// resources (`bucket = aws_s3_bucket.b.id` attaches a policy to a bucket).
    pub references: Vec<Spanned<String>>,
    /// `key = value`
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub ident: Spanned<String>,
    pub labels: Vec<Spanned<String>>,
    pub body: ResourceBody,
    pub span: Span,
}

/// Types whose ARN follows from their configuration.
const ARN_TYPES: &[&str] = &[
    "aws_s3_bucket",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_group",
    "aws_iam_policy",
    "aws_kms_key",
];

/// The resource model of every block of the module's files.
pub fn resources(index: &Index<'_>) -> Vec<TfResource> {
    let mut out = Vec::new();
    for (fi, f) in index.files.iter().enumerate() {
        for b in &f.blocks {
            let mode = match b.ident.value.as_str() {
                "resource" => ResourceMode::Managed,
                "data" => ResourceMode::Data,
                _ => continue,
            };
            // `count = 0` or an empty `for_each`: Terraform creates nothing.
            if b.labels.len() != 2 || index.absent(fi, b) {
                continue;
            }
            let ty = b.label(0).to_string();
            let name = b.label(1).to_string();
            let address = match mode {
                ResourceMode::Managed => format!("{ty}.{name}"),
                ResourceMode::Data => format!("data.{ty}.{name}"),
            };
            let provider = Index::provider_of(b);
            let account = index.providers.account(&provider).map(str::to_string);
            let name_span = b.labels[0].span.cover(b.labels[1].span);
            let arn =
                (mode == ResourceMode::Managed && ARN_TYPES.contains(&ty.as_str())).then(|| {
                    let r = Expr::new(
                        ExprKind::Reference(vec![ty.clone(), name.clone(), "arn".to_string()]),
                        name_span,
                    );
                    index.eval(fi, &r)
                });
            out.push(TfResource {
                address,
                mode,
                resource_type: ty,
                name,
                provider,
                account,
                path: f.path.clone(),
                span: b.span,
                name_span,
                arn,
                body: body(index, fi, b),
            });
        }
    }
    out
}

fn body(index: &Index<'_>, file: usize, b: &Block) -> ResourceBody {
    ResourceBody {
        attributes: b
            .attributes
            .iter()
            .map(|a| ResourceAttr {
                key: a.key.clone(),
                value: index.eval(file, &a.value),
                references: a.value.references(),
                span: a.span,
            })
            .collect(),
        blocks: b
            .blocks
            .iter()
            .map(|nb| NestedBlock {
                ident: nb.ident.clone(),
                labels: nb.labels.clone(),
                body: body(index, file, nb),
                span: nb.span,
            })
            .collect(),
    }
}

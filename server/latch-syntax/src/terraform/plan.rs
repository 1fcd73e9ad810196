//! Terraform plan JSON (`terraform show -json plan.out`): the resources of
//! `planned_values` (root and child modules) as the same resource model, with the values
//! Terraform knows, and their policies (JSON strings) with spans into the plan file.

use std::sync::Arc;

use crate::finding::Finding;
use crate::json::{self, Value, ValueKind};
use crate::policy::{PolicyKind, policy_from_value};
use crate::span::Spanned;
use crate::terraform::Module;
use crate::terraform::ast::TemplatePart;
use crate::terraform::convert::{Escapes, template_json};
use crate::terraform::extract::{
    ExtractedPolicy, InlinePolicy, PolicySource, PolicySyntax, policy_attributes,
};
use crate::terraform::resolve::{ProviderAccounts, Symbol, TfValue};
use crate::terraform::resources::{ResourceAttr, ResourceBody, ResourceMode, TfResource};

/// Reads a plan. A file that is not a plan gives an empty module and one finding.
pub fn analyze_plan(path: &str, text: &str, providers: &ProviderAccounts) -> Module {
    let path: Arc<str> = Arc::from(path);
    let parsed = json::parse(text);
    let mut module = Module {
        findings: parsed.findings,
        ..Module::default()
    };
    let root = parsed
        .value
        .as_ref()
        .and_then(|v| v.get("planned_values"))
        .and_then(|v| v.get("root_module"));
    match root {
        Some(root) => walk_module(root, &path, text, providers, &mut module),
        None => module.findings.push(Finding::warning(
            "terraform/not-a-plan",
            parsed
                .value
                .as_ref()
                .map_or(crate::span::Span::new(0, 0), |v| v.span),
            "this JSON file has no `planned_values.root_module`; it is not a Terraform plan",
        )),
    }
    for f in &mut module.findings {
        f.path = path.clone();
    }
    module
}

fn walk_module(
    m: &Value,
    path: &Arc<str>,
    text: &str,
    providers: &ProviderAccounts,
    out: &mut Module,
) {
    for r in m.get("resources").and_then(Value::as_array).unwrap_or(&[]) {
        resource(r, path, text, providers, out);
    }
    for child in m
        .get("child_modules")
        .and_then(Value::as_array)
        .unwrap_or(&[])
    {
        walk_module(child, path, text, providers, out);
    }
}

fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn resource(
    r: &Value,
    path: &Arc<str>,
    text: &str,
    providers: &ProviderAccounts,
    out: &mut Module,
) {
    let ty = str_of(r, "type").to_string();
    let address = str_of(r, "address").to_string();
    let mode = if str_of(r, "mode") == "data" {
        ResourceMode::Data
    } else {
        ResourceMode::Managed
    };
    // The plan names the provider by its source address; the configuration's alias is
    // not in `planned_values`, so the default configuration is assumed.
    let provider_name = str_of(r, "provider_name");
    let provider = provider_name
        .rsplit('/')
        .next()
        .unwrap_or("aws")
        .to_string();
    let name_span = r.get("address").map_or(r.span, |a| a.span);
    let values = r.get("values");
    let attributes: Vec<ResourceAttr> = values
        .and_then(Value::as_object)
        .unwrap_or(&[])
        .iter()
        .map(|m| ResourceAttr {
            key: Spanned::new(m.key.to_string(), m.key_span),
            value: from_json(&m.value),
            references: Vec::new(),
            span: m.span(),
        })
        .collect();
    let arn = attributes
        .iter()
        .find(|a| a.key.value == "arn")
        .map(|a| a.value.clone());
    if mode == ResourceMode::Managed {
        for (attr, kind) in policy_attributes(&ty) {
            let Some(v) = values.and_then(|v| v.get(attr)) else {
                continue;
            };
            let kind = if ty == "aws_organizations_policy" {
                match values.map(|v| str_of(v, "type")) {
                    Some("RESOURCE_CONTROL_POLICY") => PolicyKind::Rcp,
                    Some("SERVICE_CONTROL_POLICY" | "") | None => PolicyKind::Scp,
                    Some(_) => continue,
                }
            } else {
                *kind
            };
            let attribute_span = values
                .and_then(Value::as_object)
                .and_then(|ms| ms.iter().find(|m| m.key == *attr))
                .map_or(v.span, |m| m.span());
            out.policies.push(plan_policy(
                path,
                text,
                &address,
                attr,
                attribute_span,
                kind,
                v,
            ));
        }
    }
    out.resources.push(TfResource {
        address: address.clone(),
        mode,
        name: str_of(r, "name").to_string(),
        resource_type: ty,
        account: providers.account(&provider).map(str::to_string),
        provider,
        path: path.clone(),
        span: r.span,
        name_span,
        arn,
        body: ResourceBody {
            attributes,
            blocks: Vec::new(),
        },
    });
}

fn plan_policy(
    path: &Arc<str>,
    text: &str,
    address: &str,
    attr: &str,
    attribute_span: crate::span::Span,
    kind: PolicyKind,
    v: &Value,
) -> ExtractedPolicy {
    let source = match &v.kind {
        ValueKind::String(s) => {
            let inner = v.inner_span();
            let parts = [TemplatePart::Literal {
                value: s.to_string(),
                span: inner,
            }];
            let mut eval = |_: &crate::terraform::ast::Expr| Spanned::new(TfValue::Null, inner);
            let tj = template_json(text, path, &parts, Escapes::Json, &mut eval);
            let tree = tj
                .tree
                .unwrap_or_else(|| Value::new(ValueKind::Object(Vec::new()), inner));
            let (policy, mut shape) = policy_from_value(&tree);
            let mut findings = tj.findings;
            findings.append(&mut shape);
            for f in &mut findings {
                f.path = path.clone();
            }
            let statement_paths = vec![path.clone(); policy.statements.len()];
            PolicySource::Inline(Box::new(InlinePolicy {
                path: path.clone(),
                text_span: inner,
                tree,
                policy,
                findings,
                symbols: Vec::new(),
                references: Vec::new(),
                statement_paths,
                document: None,
            }))
        }
        _ => PolicySource::Unknown {
            span: v.span,
            symbol: Symbol {
                text: format!("{address}.{attr}"),
                reason: "the plan does not know this policy yet".to_string(),
            },
        },
    };
    ExtractedPolicy {
        path: path.clone(),
        owner: address.to_string(),
        attribute: attr.to_string(),
        attribute_span,
        kind: Some(kind),
        syntax: PolicySyntax::QuotedJson,
        source,
        boundary_for: Vec::new(),
    }
}

/// A plan value: everything in `planned_values` is known.
fn from_json(v: &Value) -> Spanned<TfValue> {
    let value = match &v.kind {
        ValueKind::Null | ValueKind::Missing => TfValue::Null,
        ValueKind::Bool(b) => TfValue::Bool(*b),
        ValueKind::Number(n) => TfValue::Number(n.to_string()),
        ValueKind::String(s) => TfValue::String(s.to_string()),
        ValueKind::Array(items) => TfValue::List(items.iter().map(from_json).collect()),
        ValueKind::Object(members) => TfValue::Object(
            members
                .iter()
                .map(|m| {
                    (
                        Spanned::new(m.key.to_string(), m.key_span),
                        from_json(&m.value),
                    )
                })
                .collect(),
        ),
    };
    Spanned::new(value, v.span)
}

//! Catalogue hovers: on an action (description, access level, resource types, condition
//! keys, dependent actions), on an action wildcard (what it expands to and how many), on a
//! condition key (type, who sets it, single or multivalued, what an absent key does to
//! the clause's operator), on a condition operator, and on an ARN (the resource types it
//! names, and which of the statement's actions apply to it). Markdown out; every hover
//! ends with the catalogue's version and date.

use latch_syntax::Span;
use latch_syntax::catalog::{self, ActionLookup, Catalog, pattern};
use latch_syntax::json::Value;

use crate::checks::catalog::action_resource_mismatch::action_fits_arn;
use crate::completion::{footer, statement_actions};
use crate::operators::{Operator, SetPrefix};
use crate::position::{Place, locate};

/// A hover: the range it is about (a whole string literal or key) and its markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    pub range: Span,
    pub markdown: String,
}

/// How many action names a wildcard hover lists before "and N more".
const LISTED: usize = 25;

/// When a global key is in the request, where AWS documents it (see
/// `docs/aws-rules.md` §10). Keys not listed may be absent from some requests.
const PRESENCE: &[(&str, &str)] = &[
    ("aws:CurrentTime", "always present"),
    ("aws:EpochTime", "always present"),
    ("aws:SecureTransport", "always present"),
    (
        "aws:PrincipalAccount",
        "always present (`anonymous` for unsigned requests)",
    ),
    ("aws:userid", "always present"),
    ("aws:PrincipalIsAWSService", "always present"),
    ("aws:RequestedRegion", "always present"),
    (
        "aws:SourceIp",
        "present except for requests through a VPC endpoint",
    ),
    (
        "aws:PrincipalArn",
        "present for signed requests; absent for anonymous callers",
    ),
    ("aws:username", "present for IAM users only"),
    (
        "aws:SourceVpce",
        "present only for requests through a VPC endpoint",
    ),
    (
        "aws:SourceVpc",
        "present only for requests through a VPC endpoint",
    ),
    (
        "aws:MultiFactorAuthPresent",
        "present only with temporary credentials; absent for long-term access keys, so use `BoolIfExists`",
    ),
    ("aws:MultiFactorAuthAge", "present only when MFA was used"),
    (
        "aws:TokenIssueTime",
        "present only with temporary credentials",
    ),
    (
        "aws:PrincipalOrgID",
        "present when the principal belongs to an organization",
    ),
    (
        "aws:PrincipalOrgPaths",
        "present when the principal belongs to an organization",
    ),
    ("aws:TagKeys", "present when the request passes tags"),
    (
        "aws:SourceArn",
        "present when a service acts on behalf of a resource",
    ),
    (
        "aws:SourceAccount",
        "present when a service acts on behalf of a resource",
    ),
    (
        "aws:referer",
        "present only when a browser sends it, and easily forged: never a security control",
    ),
];

/// The hover at `offset` in `text`, whose policy tree is `tree`.
pub fn hover(text: &str, tree: &Value, offset: usize) -> Option<Hover> {
    let located = locate(text, tree, offset)?;
    let token = &located.token;
    if token.span.is_empty() {
        return None;
    }
    let value = text.get(token.span.range()).map(|s| s.trim_matches('"'))?;
    let cat = catalog::catalog();
    let markdown = match &located.place {
        Place::Action { .. } => action_markdown(cat, value)?,
        Place::ConditionKey { operator, .. } => key_markdown(cat, value, Some(operator)),
        Place::ConditionOperator { .. } => operator_markdown(value)?,
        Place::Resource { statement, .. } => arn_markdown(cat, value, Some(statement))?,
        Place::PrincipalValue { kind: "AWS", .. } => arn_markdown(cat, value, None)?,
        Place::PrincipalValue {
            kind: "Service", ..
        } => service_principal_markdown(cat, value)?,
        _ => return None,
    };
    Some(Hover {
        range: token.span,
        markdown,
    })
}

/// The hover text of an action or action wildcard as written in a policy.
pub fn action_markdown(cat: &Catalog, value: &str) -> Option<String> {
    if value == "*" {
        return Some(format!(
            "**`*`**: every action of every service ({} actions in {} services){}",
            cat.action_count(),
            cat.services.len(),
            footer()
        ));
    }
    if pattern::is_wildcard(value) {
        return Some(wildcard_markdown(cat, value));
    }
    let mut md = String::new();
    match cat.action(value) {
        ActionLookup::Found(service, a) => {
            md.push_str(&format!(
                "**`{}:{}`** · {} · {}\n\n{}\n",
                service.prefix,
                a.name,
                a.access.as_str(),
                service.name,
                a.description()
            ));
            let rts: Vec<String> = a
                .resource_types()
                .map(|r| {
                    let arn = service.resource_type(r.name).map_or("", |t| t.arn);
                    format!(
                        "- `{}`{}: `{arn}`",
                        r.name,
                        if r.required { " (required)" } else { "" }
                    )
                })
                .collect();
            if rts.is_empty() {
                md.push_str("\nResource types: none; the statement needs `\"Resource\": \"*\"`\n");
            } else {
                md.push_str(&format!("\nResource types:\n{}\n", rts.join("\n")));
            }
            let keys = a.all_condition_keys(service);
            if keys.is_empty() {
                md.push_str("\nCondition keys: global keys only\n");
            } else {
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                md.push_str(&format!("\nCondition keys: {}\n", keys.join(", ")));
            }
            let deps = a.all_dependent_actions();
            if deps.is_empty() {
                md.push_str("\nDependent actions: none listed\n");
            } else {
                let deps: Vec<String> = deps.iter().map(|k| format!("`{k}`")).collect();
                md.push_str(&format!("\nDependent actions: {}\n", deps.join(", ")));
            }
        }
        ActionLookup::UnknownAction(service) => {
            md.push_str(&format!(
                "**`{value}`**: {} has no such action",
                service.name
            ));
            if let Some((s, _)) = cat.suggest_action(value) {
                md.push_str(&format!("; did you mean `{s}`?"));
            }
            md.push('\n');
        }
        ActionLookup::UnknownService => {
            md.push_str(&format!("**`{value}`**: unknown service prefix"));
            if let Some((s, _)) = cat.suggest_action(value) {
                md.push_str(&format!("; did you mean `{s}`?"));
            }
            md.push('\n');
        }
        ActionLookup::Malformed => return None,
    }
    md.push_str(&footer());
    Some(md)
}

fn wildcard_markdown(cat: &Catalog, value: &str) -> String {
    let actions = cat.expand(value);
    let mut md = format!(
        "**`{value}`** matches **{}** action{}",
        actions.len(),
        if actions.len() == 1 { "" } else { "s" }
    );
    let services: Vec<&str> = {
        let mut s: Vec<&str> = actions.iter().map(|a| a.service).collect();
        s.dedup();
        s
    };
    match services.as_slice() {
        [] => md.push_str(" (a typo, or an action newer than the catalogue)"),
        [one] => {
            if let Some(s) = cat.service(one) {
                md.push_str(&format!(" of {}", s.name));
            }
        }
        many => md.push_str(&format!(" in {} services", many.len())),
    }
    md.push('\n');
    if !actions.is_empty() {
        let mut levels: Vec<(catalog::AccessLevel, usize)> = Vec::new();
        for a in &actions {
            match levels.iter_mut().find(|(l, _)| *l == a.access) {
                Some(e) => e.1 += 1,
                None => levels.push((a.access, 1)),
            }
        }
        levels.sort();
        let levels: Vec<String> = levels
            .iter()
            .map(|(l, n)| format!("{} {n}", l.as_str()))
            .collect();
        md.push_str(&format!("\nBy access level: {}\n\n", levels.join(", ")));
        for a in actions.iter().take(LISTED) {
            md.push_str(&format!(
                "- `{}:{}` ({})\n",
                a.service,
                a.name,
                a.access.as_str()
            ));
        }
        if actions.len() > LISTED {
            md.push_str(&format!("- and {} more\n", actions.len() - LISTED));
        }
    }
    md.push_str(&footer());
    md
}

/// The hover text of a condition key as written in a policy, explaining an absent key for
/// `operator` when given.
pub fn key_markdown(cat: &Catalog, key: &str, operator: Option<&str>) -> String {
    let defs = cat.condition_key(key);
    let mut md = String::new();
    let Some(first) = defs.first() else {
        md.push_str(&format!("**`{key}`**: not in the AWS catalogue"));
        md.push_str(&footer());
        return md;
    };
    let global = defs.iter().find(|k| k.is_global());
    let shown = if first.name.eq_ignore_ascii_case(key) {
        format!("**`{}`**", first.name)
    } else {
        format!("**`{key}`** (`{}`)", first.name)
    };
    md.push_str(&format!("{shown} · {}", first.key_type.name()));
    if let Some(g) = global {
        md.push_str(&format!(" · global key ({})", g.category));
    }
    md.push('\n');
    if let Some(d) = defs.iter().map(|k| k.description).find(|d| !d.is_empty()) {
        md.push_str(&format!("\n{d}\n"));
    }
    let setters = cat.services_setting_key(key);
    if global.is_some() {
        md.push_str("\nSet by: AWS for requests to any service, when the request has it\n");
    } else if !setters.is_empty() {
        let list: Vec<String> = setters.iter().map(|s| format!("`{s}`")).collect();
        md.push_str(&format!("\nSet by: requests to {}\n", list.join(", ")));
    }
    if defs.iter().any(|k| k.key_type.multivalued) {
        md.push_str(
            "\nMultivalued: compare it with `ForAnyValue:` (some value matches) or \
             `ForAllValues:` (every value matches, and true when there are none)\n",
        );
    } else {
        md.push_str("\nSingle-valued: use plain operators, not `ForAllValues:`/`ForAnyValue:`\n");
    }
    let presence = PRESENCE
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, p)| *p);
    match presence {
        Some(p) => md.push_str(&format!("\nPresence: {p}\n")),
        None => md.push_str("\nPresence: may be absent from some requests\n"),
    }
    md.push_str(
        "\nWhen absent: positive operators are false; negated operators (`StringNotEquals`, \
         `ArnNotLike`, `NotIpAddress`, ...) are true; `...IfExists` operators are true; \
         `Null: \"true\"` matches\n",
    );
    if let Some(op) = operator.and_then(Operator::parse) {
        if presence.is_none_or(|p| !p.starts_with("always")) {
            md.push_str(&format!(
                "\nHere, if absent, `{}` is {}\n",
                op.name(),
                op.when_absent()
            ));
            if op.set == Some(SetPrefix::ForAllValues) {
                md.push_str("\nWith Allow, that grants access to requests without the key\n");
            }
        }
    }
    md.push_str(&footer());
    md
}

fn operator_markdown(value: &str) -> Option<String> {
    let op = Operator::parse(value)?;
    let mut md = format!("**`{}`** {}\n", op.name(), op.family.compares());
    if op.negated {
        md.push_str("\nNegated: with several values, it matches when the request's value equals none of them\n");
    }
    match op.set {
        Some(SetPrefix::ForAllValues) => md.push_str("\n`ForAllValues:`: every value of the request must match one of the policy's values\n"),
        Some(SetPrefix::ForAnyValue) => md.push_str("\n`ForAnyValue:`: at least one value of the request must match one of the policy's values\n"),
        None => {}
    }
    md.push_str(&format!("\nWhen the key is absent: {}\n", op.when_absent()));
    Some(md)
}

/// The hover text of a service principal such as `cloudfront.amazonaws.com`: the service
/// whose prefix it starts with, when there is one.
fn service_principal_markdown(cat: &Catalog, value: &str) -> Option<String> {
    let prefix = value.strip_suffix(".amazonaws.com")?;
    let name = cat.service(prefix).map_or("an AWS service", |s| s.name);
    Some(format!(
        "**`{value}`**: the service principal of {name}; it matches requests that service \
         makes on its own behalf (pair it with `aws:SourceArn` or `aws:SourceAccount` to \
         limit them to your resources){}",
        footer()
    ))
}

/// The hover text of an ARN: the resource types it names, and for a statement's resource
/// which of the statement's actions apply to it.
pub fn arn_markdown(cat: &Catalog, value: &str, statement: Option<&Value>) -> Option<String> {
    if value == "*" {
        return Some(format!("**`*`**: every resource{}", footer()));
    }
    pattern::arn_fields(value)?;
    let types = cat.resource_types_for_arn(value);
    let mut md = format!("**`{value}`**\n");
    if types.is_empty() {
        md.push_str("\nMatches no resource type of the AWS catalogue\n");
    } else {
        md.push_str("\nResource type:\n");
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for t in types.iter().take(8) {
            if seen.contains(&(t.service, t.name)) {
                continue;
            }
            seen.push((t.service, t.name));
            let name = cat.service(t.service).map_or(t.service, |s| s.name);
            md.push_str(&format!("- `{}` of {name}: `{}`\n", t.name, t.arn));
        }
    }
    if let Some(statement) = statement {
        let acts = statement_actions(cat, statement);
        if !acts.is_empty() && acts.len() <= 200 {
            let (fit, misfit): (Vec<_>, Vec<_>) =
                acts.iter().partition(|a| action_fits_arn(cat, a, value));
            let names = |v: &[&&catalog::Action]| -> String {
                let mut out: Vec<String> = v
                    .iter()
                    .take(10)
                    .map(|a| format!("`{}:{}`", a.service, a.name))
                    .collect();
                if v.len() > 10 {
                    out.push(format!("and {} more", v.len() - 10));
                }
                out.join(", ")
            };
            if !fit.is_empty() {
                md.push_str(&format!("\nApplies to: {}\n", names(&fit)));
            }
            if !misfit.is_empty() {
                md.push_str(&format!("\nDoes not apply to: {}\n", names(&misfit)));
            }
        }
    }
    md.push_str(&footer());
    Some(md)
}

#[cfg(test)]
mod tests;

//! Intents: the requests a workspace means to allow. Declared ones come from `[[expect]]`
//! entries of `latch.toml`; inferred ones from Allow statements, so that a workspace with
//! no manifest still gets findings: an Allow of a bucket policy that names a principal of
//! the workspace (or everyone) implies that principal means to make those requests, and
//! an Allow of an identity policy that names a workspace bucket implies the same.
//!
//! Each intent is one concrete request: a representative object key stands for `bucket/*`,
//! and the context carries what the implying Allow's own conditions require, so that an
//! inferred intent never fails on its own conditions.

use std::sync::Arc;

use latch_syntax::manifest::ExpectedDecision;
use latch_syntax::policy::{Effect, PolicyKind, PrincipalType, PrincipalValue, Statement};

use crate::index::{Index, PolicyEntry};

/// Where an intent comes from.
#[derive(Clone, Debug)]
pub enum IntentSource {
    /// Implied by statement `statement` of `policy`.
    Statement {
        policy: Arc<PolicyEntry>,
        statement: usize,
    },
    /// Declared by `[[expect]]` entry `index` of the index.
    Expect(usize),
}

#[derive(Clone, Debug)]
pub struct Intent {
    /// A principal ARN, or `anonymous`.
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub context: Vec<(String, Vec<String>)>,
    pub expect: ExpectedDecision,
    pub source: IntentSource,
}

impl Intent {
    /// The request in words: "`role/X` calling `s3:GetObject` on `arn:...`".
    pub fn describe(&self) -> String {
        let who = if self.principal == "anonymous" {
            "an anonymous caller".to_string()
        } else {
            format!("`{}`", self.principal)
        };
        let mut s = format!("{who} calling `{}` on `{}`", self.action, self.resource);
        if !self.context.is_empty() {
            let ctx: Vec<String> = self
                .context
                .iter()
                .map(|(k, v)| format!("`{k}` = `{}`", v.join(", ")))
                .collect();
            s.push_str(&format!(" with {}", ctx.join(", ")));
        }
        s
    }
}

/// A concrete resource for a resource pattern: wildcards become a representative key.
pub fn representative(pattern: &str) -> String {
    let mut out = String::new();
    let mut last_star = false;
    for c in pattern.chars() {
        match c {
            '*' => {
                if !last_star {
                    if out.ends_with('/') {
                        out.push_str("example-object");
                    } else {
                        out.push_str("example");
                    }
                }
                last_star = true;
                continue;
            }
            '?' => out.push('x'),
            c => out.push(c),
        }
        last_star = false;
    }
    out
}

/// Operators whose values, put in the request, make the clause true.
fn satisfiable(operator: &str) -> bool {
    let op = operator
        .trim_start_matches("ForAnyValue:")
        .trim_start_matches("ForAllValues:");
    let op = op.strip_suffix("IfExists").unwrap_or(op);
    matches!(
        op,
        "StringEquals"
            | "StringEqualsIgnoreCase"
            | "StringLike"
            | "ArnEquals"
            | "ArnLike"
            | "Bool"
            | "IpAddress"
            | "NumericEquals"
            | "DateEquals"
    )
}

/// The context an Allow's own conditions require. Keys a request cannot have together stay
/// absent: through a VPC endpoint the request has no `aws:SourceIp`.
pub fn context_for(st: &Statement) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let Some(cond) = &st.condition else {
        return out;
    };
    for c in &cond.clauses {
        if !satisfiable(&c.operator.value) {
            continue;
        }
        let Some(v) = c.values.first() else { continue };
        let value = if c.operator.value.starts_with("IpAddress") {
            v.value.split('/').next().unwrap_or(&v.value).to_string()
        } else {
            representative(&v.value)
        };
        if out
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(&c.key.value))
        {
            continue;
        }
        out.push((c.key.value.to_string(), vec![value]));
    }
    let through_endpoint = out.iter().any(|(k, _)| {
        k.eq_ignore_ascii_case("aws:SourceVpce") || k.eq_ignore_ascii_case("aws:SourceVpc")
    });
    if through_endpoint {
        out.retain(|(k, _)| !k.eq_ignore_ascii_case("aws:SourceIp"));
    }
    out
}

fn concrete_actions(st: &Statement) -> Vec<String> {
    match &st.action {
        Some(a) if !a.negated => a
            .values
            .iter()
            .filter(|v| !v.value.contains(['*', '?']) && v.value.contains(':'))
            .map(|v| v.value.to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Every intent of the index: declared first, then inferred.
pub fn intents(ix: &Index) -> Vec<Intent> {
    let mut out = Vec::new();
    for (i, e) in ix.expects.iter().enumerate() {
        for a in &e.actions {
            out.push(Intent {
                principal: e.principal.clone(),
                action: a.clone(),
                resource: e.resource.clone(),
                context: e.context.clone(),
                expect: e.decision,
                source: IntentSource::Expect(i),
            });
        }
    }
    // Bucket policies naming a workspace principal or everyone.
    for b in &ix.buckets {
        let Some(p) = &b.policy else { continue };
        for (si, st) in p.policy().statements.iter().enumerate() {
            if st.effect() != Some(Effect::Allow) {
                continue;
            }
            let Some(pr) = &st.principal else { continue };
            if pr.negated {
                continue;
            }
            let mut who: Vec<String> = Vec::new();
            match &pr.value {
                PrincipalValue::Star => who.push("anonymous".into()),
                PrincipalValue::Map(entries) => {
                    for e in entries {
                        if e.kind.value != PrincipalType::Aws {
                            continue;
                        }
                        for v in &e.values {
                            if v.value == "*" {
                                who.push("anonymous".into());
                            } else if ix.principal(&v.value).is_some()
                                || super::is_principal_arn(&v.value)
                            {
                                who.push(v.value.to_string());
                            }
                        }
                    }
                }
            }
            let resources = bucket_resources(st, &b.name);
            push_all(&mut out, &who, st, &resources, p, si);
        }
    }
    // Identity policies naming a workspace bucket.
    let names: std::collections::HashSet<&str> =
        ix.buckets.iter().map(|b| b.name.as_str()).collect();
    for pr in &ix.principals {
        for p in &pr.identity {
            if p.kind != PolicyKind::Identity {
                continue;
            }
            for (si, st) in p.policy().statements.iter().enumerate() {
                if st.effect() != Some(Effect::Allow) {
                    continue;
                }
                let resources = workspace_bucket_resources(st, &names);
                push_all(
                    &mut out,
                    std::slice::from_ref(&pr.arn),
                    st,
                    &resources,
                    p,
                    si,
                );
            }
        }
    }
    out
}

fn push_all(
    out: &mut Vec<Intent>,
    who: &[String],
    st: &Statement,
    resources: &[String],
    p: &Arc<PolicyEntry>,
    si: usize,
) {
    let actions = concrete_actions(st);
    let context = context_for(st);
    for w in who {
        for a in &actions {
            if !a.to_ascii_lowercase().starts_with("s3:") {
                continue;
            }
            for r in resources {
                let object = r.contains('/');
                let object_action = !a.to_ascii_lowercase().contains("bucket");
                if object != object_action {
                    continue;
                }
                out.push(Intent {
                    principal: w.clone(),
                    action: a.clone(),
                    resource: r.clone(),
                    context: context.clone(),
                    expect: ExpectedDecision::Allow,
                    source: IntentSource::Statement {
                        policy: p.clone(),
                        statement: si,
                    },
                });
            }
        }
    }
}

/// The representative resources of a statement that fall in bucket `name`.
fn bucket_resources(st: &Statement, name: &str) -> Vec<String> {
    let Some(res) = &st.resource else {
        return Vec::new();
    };
    if res.negated {
        return Vec::new();
    }
    let arn = format!("arn:aws:s3:::{name}");
    res.values
        .iter()
        .filter(|v| v.value == arn || v.value.starts_with(&format!("{arn}/")))
        .map(|v| representative(&v.value))
        .collect()
}

/// The representative resources of a statement that fall in a workspace bucket.
fn workspace_bucket_resources(
    st: &Statement,
    names: &std::collections::HashSet<&str>,
) -> Vec<String> {
    let Some(res) = &st.resource else {
        return Vec::new();
    };
    if res.negated {
        return Vec::new();
    }
    res.values
        .iter()
        .filter(|v| {
            v.value
                .strip_prefix("arn:aws:s3:::")
                .map(|r| r.split('/').next().unwrap_or(r))
                .is_some_and(|n| names.contains(n))
        })
        .map(|v| representative(&v.value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use latch_syntax::policy::parse_policy;

    #[test]
    fn representative_objects_stand_for_wildcards() {
        assert_eq!(
            representative("arn:aws:s3:::b/reports/*"),
            "arn:aws:s3:::b/reports/example-object"
        );
        assert_eq!(
            representative("arn:aws:s3:::b/*.csv"),
            "arn:aws:s3:::b/example-object.csv"
        );
        assert_eq!(representative("arn:aws:s3:::b/a?c"), "arn:aws:s3:::b/axc");
        assert_eq!(representative("arn:aws:s3:::b"), "arn:aws:s3:::b");
    }

    #[test]
    fn an_allow_carries_the_context_its_conditions_need_except_incompatible_keys() {
        let p = parse_policy(
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
              "StringEquals": {"aws:SourceVpce": "vpce-1"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"},
              "StringLike": {"aws:Referer": "secret-*"}, "StringNotEquals": {"s3:x-amz-acl": "public-read"}}}]}"#,
        );
        let ctx = context_for(&p.policy.statements[0]);
        assert_eq!(
            ctx,
            vec![
                ("aws:SourceVpce".to_string(), vec!["vpce-1".to_string()]),
                (
                    "aws:Referer".to_string(),
                    vec!["secret-example".to_string()]
                ),
            ]
        );
        let p = parse_policy(
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {
              "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}"#,
        );
        assert_eq!(
            context_for(&p.policy.statements[0]),
            vec![("aws:SourceIp".to_string(), vec!["203.0.113.0".to_string()])]
        );
    }
}

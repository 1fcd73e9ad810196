//! `access/external`: a resource-policy statement lets a principal outside the zone of
//! trust in, as IAM Access Analyzer's external-access findings define it, but offline and
//! before deployment. Each Allow statement of a bucket policy, key policy, trust policy or
//! other resource policy is read on its own:
//!
//! - public: `Principal` `*` (or `{"AWS": "*"}`, or an Allow with `NotPrincipal`) without
//!   a condition that limits it to the zone;
//! - another account: an account, role or user ARN whose account is outside the zone;
//! - a federated principal whose identity provider is in another account, or a service
//!   principal whose `aws:SourceAccount`/`aws:SourceArn`/`aws:SourceOrgID` names another
//!   account or organization (it acts for that account).
//!
//! The zone of trust is `[organization]` of `latch.toml` (its id and accounts) with the
//! workspace's own accounts, else the accounts of the workspace (`[accounts]`, principals,
//! buckets, keys; a Terraform provider's stand-in account is the workspace's own). While
//! some account of the workspace is not stated (a stand-in, or none at all), an account
//! id may be that very account: only public grants are reported then. A
//! condition that limits who gets in (`aws:PrincipalOrgID`, `aws:PrincipalAccount`,
//! `aws:PrincipalArn`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`,
//! `aws:SourceVpce`, `kms:CallerAccount`) to the zone silences the statement; one that
//! limits it elsewhere is named in the message. A value the workspace cannot know (a
//! Terraform input, a computed attribute) says nothing: the statement is left alone. A
//! public statement of a bucket whose Block Public Access restricts public policies has
//! no effect and is not reported.
//!
//! Information by default (sharing is often intended); `[check.severity]` in `latch.toml`
//! raises it.

use latch_eval::arn::is_account_id;
use latch_syntax::Severity;
use latch_syntax::policy::{ConditionClause, PrincipalType};

use crate::access::Zone;
use crate::access::prelude::*;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/external",
    severity: Severity::Info,
    summary: "a resource policy lets a principal outside the zone of trust in",
    what: r#"Reads each Allow statement of a bucket policy, key policy, trust policy or other resource policy and reports the ones that let in everyone, another account, or a federated or service principal acting for another account. The zone of trust is the organization of `[organization]` in `latch.toml` with the workspace's accounts, else the accounts of the workspace. Conditions that limit who gets in (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceOrgID`, `aws:SourceVpce`, `kms:CallerAccount` ...) are taken into account and named."#,
    why: r#"IAM Access Analyzer reports these grants after deployment; reviewing them before the merge shows who outside your accounts can reach the data. Sharing is often intended: the finding is information unless `[check.severity]` raises it."#,
    example: r#"//- latch.toml
[accounts]
storage = "444455556666"

[[bucket]]
name = "example-shared"
account = "storage"
policy = "s3/policy.json"
//- s3/policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Partner",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::999988887777:role/Partner"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared/*"
    }
  ]
}
"#,
    prefer: r#"//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[bucket]]
name = "example-shared"
account = "storage"
policy = "s3/policy.json"
//- s3/policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Analytics",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/Reader"},
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared/*"
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

/// Condition keys that limit who gets in, and what their values name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Limit {
    Account,
    Arn,
    Organization,
    Endpoint,
}

fn limit_of(key: &str) -> Option<Limit> {
    match key.to_ascii_lowercase().as_str() {
        "aws:principalaccount"
        | "aws:sourceaccount"
        | "kms:calleraccount"
        | "aws:resourceaccount" => Some(Limit::Account),
        "aws:principalarn" | "aws:sourcearn" | "aws:sourceowner" => Some(Limit::Arn),
        "aws:principalorgid" | "aws:sourceorgid" => Some(Limit::Organization),
        "aws:sourcevpce" => Some(Limit::Endpoint),
        _ => None,
    }
}

/// What one limiting clause says about the zone.
enum Verdict {
    /// Only principals of the zone get through.
    Inside,
    /// Principals outside get through, limited to what the words say.
    Outside(String),
    /// The clause does not limit (a negated operator), or its values are unknown.
    Nothing,
    Unknown,
}

fn account_of_value(limit: Limit, v: &str) -> Option<String> {
    match limit {
        Limit::Account => Some(v.to_string()),
        Limit::Arn => {
            // `arn:aws:s3:::bucket` names no account: nothing is known.
            let acct = v.split(':').nth(4)?;
            is_account_id(acct).then(|| acct.to_string())
        }
        _ => None,
    }
}

fn clause_verdict(ix: &Index, zone: &Zone, c: &ConditionClause) -> Verdict {
    let Some(limit) = limit_of(&c.key.value) else {
        return Verdict::Nothing;
    };
    let op = c
        .operator
        .value
        .trim_start_matches("ForAnyValue:")
        .trim_start_matches("ForAllValues:");
    // Only an operator that admits the listed values limits; `...IfExists` lets a
    // request without the key through.
    let positive = matches!(
        op,
        "StringEquals" | "StringLike" | "StringEqualsIgnoreCase" | "ArnEquals" | "ArnLike"
    );
    if !positive {
        return Verdict::Nothing;
    }
    let values: Vec<&str> = c.values.iter().map(|v| v.value.as_str()).collect();
    if values.is_empty() || values.iter().any(|v| v.contains("${")) {
        return Verdict::Unknown;
    }
    let key = &c.key.value;
    let outside: Vec<&str> = match limit {
        Limit::Account | Limit::Arn => {
            let mut out = Vec::new();
            for v in &values {
                match account_of_value(limit, v) {
                    Some(a) if a.contains(['*', '?']) => return Verdict::Unknown,
                    Some(a) => match zone.outside(&a) {
                        Some(false) => {}
                        Some(true) => out.push(*v),
                        None => return Verdict::Unknown,
                    },
                    None => return Verdict::Unknown,
                }
            }
            out
        }
        Limit::Organization => values
            .iter()
            .filter(|v| zone.organization.as_deref() != Some(**v))
            .copied()
            .collect(),
        Limit::Endpoint => values
            .iter()
            .filter(|v| !ix.endpoints.iter().any(|e| e.id.as_deref() == Some(**v)))
            .copied()
            .collect(),
    };
    if outside.is_empty() {
        return Verdict::Inside;
    }
    let what = match limit {
        Limit::Organization if zone.organization.is_none() => {
            " (`[organization]` in `latch.toml` does not describe it)"
        }
        Limit::Organization => " (another organization than `[organization]`)",
        Limit::Endpoint => " (an endpoint the workspace does not describe)",
        _ => "",
    };
    Verdict::Outside(format!("`{key}` is `{}`{what}", outside.join("`, `")))
}

/// Whether the statement's conditions keep it in the zone (`None`), leave it unknown
/// (`Some(None)`), or the words of the limits that let principals outside in.
fn limits(ix: &Index, zone: &Zone, st: &Statement) -> Option<Option<Vec<String>>> {
    let mut words = Vec::new();
    let Some(cond) = &st.condition else {
        return Some(Some(words));
    };
    let mut unknown = false;
    for c in &cond.clauses {
        match clause_verdict(ix, zone, c) {
            Verdict::Inside => return None,
            Verdict::Outside(w) => words.push(w),
            Verdict::Unknown => unknown = true,
            Verdict::Nothing => {}
        }
    }
    if unknown {
        return Some(None);
    }
    Some(Some(words))
}

/// The principals of a statement outside the zone, in words.
fn outsiders(zone: &Zone, st: &Statement) -> Vec<String> {
    let Some(pr) = &st.principal else {
        return Vec::new();
    };
    if pr.negated {
        return vec!["everyone (`NotPrincipal`)".to_string()];
    }
    let mut out = Vec::new();
    match &pr.value {
        PrincipalValue::Star => out.push("everyone (`*`)".to_string()),
        PrincipalValue::Map(entries) => {
            for e in entries {
                for v in &e.values {
                    let v = v.value.trim();
                    if v.contains("${") || v.is_empty() {
                        continue;
                    }
                    let account = if is_account_id(v) {
                        Some(v)
                    } else {
                        v.split(':').nth(4).filter(|a| is_account_id(a))
                    };
                    match e.kind.value {
                        PrincipalType::Aws if v == "*" => out.push("everyone (`*`)".to_string()),
                        PrincipalType::Aws => {
                            if let Some(a) = account.filter(|a| zone.outside(a) == Some(true)) {
                                if v == a || v.ends_with(":root") {
                                    out.push(format!("the account `{a}`"));
                                } else {
                                    out.push(format!("`{v}` of the account `{a}`"));
                                }
                            }
                        }
                        PrincipalType::Federated => {
                            if let Some(a) = account.filter(|a| zone.outside(a) == Some(true)) {
                                out.push(format!(
                                    "the identity provider `{v}` of the account `{a}`"
                                ));
                            }
                        }
                        // A service acts for whoever its conditions name: see `service_for`.
                        PrincipalType::Service | PrincipalType::CanonicalUser => {}
                    }
                }
            }
        }
    }
    out
}

/// The service principals of the statement, when the statement's `aws:SourceAccount` or
/// the like names an account or organization outside the zone.
fn services(st: &Statement) -> Vec<String> {
    let Some(PrincipalValue::Map(entries)) = st.principal.as_ref().map(|p| &p.value) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter(|e| e.kind.value == PrincipalType::Service)
        .flat_map(|e| e.values.iter().map(|v| v.value.to_string()))
        .filter(|v| !v.contains("${"))
        .collect()
}

/// What the policy `e` governs, in words: "the bucket `x`", "the key `arn`".
fn governs(ix: &Index, e: &Arc<PolicyEntry>) -> String {
    let same = |p: &Option<Arc<PolicyEntry>>| p.as_ref().is_some_and(|p| Arc::ptr_eq(p, e));
    if let Some(b) = ix.buckets.iter().find(|b| same(&b.policy)) {
        return format!("the bucket `{}`", b.name);
    }
    if let Some(k) = ix.keys.iter().find(|k| same(&k.policy)) {
        return format!("the key `{}`", k.arn);
    }
    format!("the {} `{}`", e.kind.name(), e.label)
}

/// Whether Block Public Access keeps a public statement of `e` from taking effect.
fn public_blocked(ix: &Index, e: &Arc<PolicyEntry>) -> bool {
    ix.buckets.iter().any(|b| {
        b.policy.as_ref().is_some_and(|p| Arc::ptr_eq(p, e))
            && b.block_public_access
                .as_ref()
                .is_some_and(|s| s.value.restrict_public_buckets || s.value.block_public_policy)
    })
}

/// Every `access/external` finding of the index.
pub(crate) fn report(ix: &Index) -> Vec<Draft> {
    let zone = Zone::of(ix);
    let mut out = Vec::new();
    for e in &ix.policies {
        if !matches!(
            e.kind,
            latch_syntax::policy::PolicyKind::Resource
                | latch_syntax::policy::PolicyKind::KeyPolicy
                | latch_syntax::policy::PolicyKind::Trust
        ) {
            continue;
        }
        for (i, st) in e.policy().statements.iter().enumerate() {
            if st.effect() != Some(Effect::Allow) {
                continue;
            }
            let Some(loc) = e.statement_loc(i) else {
                continue;
            };
            let Some(limited) = limits(ix, &zone, st) else {
                continue;
            };
            // A limit whose values are unknown may keep everyone out: say nothing.
            let Some(words) = limited else { continue };
            let mut who = outsiders(&zone, st);
            if who.iter().any(|w| w.starts_with("everyone")) && public_blocked(ix, e) {
                who.retain(|w| !w.starts_with("everyone"));
            }
            // A service acts for another account only when a condition names one.
            if !words.is_empty() {
                for s in services(st) {
                    who.push(format!("the service `{s}`"));
                }
            }
            if who.is_empty() {
                continue;
            }
            let actions = st
                .action
                .as_ref()
                .filter(|a| !a.negated)
                .map(|a| {
                    a.values
                        .iter()
                        .map(|v| format!("`{}`", v.value))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| "actions".to_string());
            let limit = if words.is_empty() {
                String::new()
            } else {
                format!("; limited only where {}", words.join(" and "))
            };
            out.push(
                Draft::plain(
                    DOC.code,
                    Severity::Info,
                    loc,
                    format!(
                        "statement `{}` lets {} into {} ({actions})",
                        st.label(i),
                        who.join(", "),
                        governs(ix, e),
                    ),
                )
                .why(format!(
                    "outside the zone of trust: {}{limit}",
                    zone.describe()
                )),
            );
        }
    }
    out
}

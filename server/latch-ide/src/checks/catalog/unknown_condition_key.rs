//! `catalog/unknown-condition-key`: a condition key that is neither global nor set in
//! requests to the services of its statement's actions, such as `aws:SourceVpcId` (no such
//! key) or `s3:prefix` in a statement about `dynamodb` actions.

use latch_syntax::catalog::{self, Service};
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Fix, Severity};

use super::{Scope, as_of, replace_string, statement_scope};
use crate::checks::{CheckDoc, FixAvailability};

pub const CODE: &str = "catalog/unknown-condition-key";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "the condition key is not set in requests to the statement's services",
    what: "Reports a condition key that is not a global key and that no service named in the \
           statement's `Action` documents (or that the AWS catalogue does not know at all), \
           and offers the closest known key.",
    why: "A key that is absent from the request makes a positive operator false and a \
          negated operator true: an Allow with a misspelt key never applies (403 Access \
          Denied), and a Deny with a negated operator on it applies to every request.",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::reports",
      "Condition": {
        "StringEquals": { "aws:SourceVpcId": "vpc-1a2b3c4d" },
        "StringLike": { "dynamodb:LeadingKeys": "reports/*" }
      }
    }
  ]
}"#,
    prefer: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::reports",
      "Condition": {
        "StringEquals": { "aws:SourceVpc": "vpc-1a2b3c4d" },
        "StringLike": { "s3:prefix": "reports/*" }
      }
    }
  ]
}"#,
    fix: FixAvailability::Sometimes,
};

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    let cat = catalog::catalog();
    for stmt in &policy.statements {
        let Some(condition) = &stmt.condition else {
            continue;
        };
        let scope = statement_scope(stmt);
        for clause in &condition.clauses {
            let key = &clause.key;
            if key.value.is_empty() || key.value.contains("${") {
                continue;
            }
            let defs = cat.condition_key(&key.value);
            if defs.iter().any(|k| k.is_global()) {
                continue;
            }
            // Identity-provider keys (`accounts.google.com:aud`,
            // `oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub`) are open-ended: any OIDC
            // provider can be the prefix, and the catalogue lists only some of their claims.
            let prefix = key.value.split_once(':').map_or("", |(p, _)| p);
            if defs.is_empty()
                && !prefix.eq_ignore_ascii_case("aws")
                && cat.service(prefix).is_none()
            {
                continue;
            }
            let services: &[&Service] = match &scope {
                Scope::Any => &[],
                Scope::Services(s) => s,
            };
            if !defs.is_empty() {
                if matches!(scope, Scope::Any) || services.is_empty() {
                    continue;
                }
                if services
                    .iter()
                    .any(|s| cat.key_applies_to_service(&key.value, s))
                {
                    continue;
                }
                let setters = cat.services_setting_key(&key.value);
                let prefixes: Vec<&str> = services.iter().map(|s| s.prefix).collect();
                out.push(Finding::warning(
                    CODE,
                    key.span,
                    format!(
                        "`{}` is not set in requests to {} (it belongs to {}), so it is absent \
                         for this statement's actions",
                        key.value,
                        super::list(&prefixes),
                        super::list(&setters)
                    ),
                ));
                continue;
            }
            let mut finding = Finding::warning(
                CODE,
                key.span,
                format!("unknown condition key `{}` ({})", key.value, as_of()),
            );
            if let Some(best) = suggestion(&key.value, services) {
                finding
                    .message
                    .push_str(&format!(", did you mean `{best}`"));
                finding = finding.with_fix(Fix::unsafe_(
                    format!("replace with `{best}`"),
                    vec![replace_string(key, &best)],
                ));
            }
            out.push(finding);
        }
    }
}

/// The closest global key, or key of one of `services` (of any service when empty).
fn suggestion(key: &str, services: &[&Service]) -> Option<String> {
    let cat = catalog::catalog();
    let candidates = cat.all_keys().filter(|k| {
        !k.is_template()
            && (k.is_global()
                || services.is_empty()
                || services.iter().any(|s| k.service == Some(s.prefix)))
    });
    catalog::suggest::closest(key, candidates.map(|k| k.name))
        .first()
        .map(|(name, _)| name.to_string())
}

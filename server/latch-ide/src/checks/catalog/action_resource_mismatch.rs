//! `catalog/action-resource-mismatch`: an action that applies to none of its statement's
//! resources, such as `s3:GetObject` with only a bucket ARN or `s3:ListBucket` with only
//! object ARNs. The action's resource types come from the AWS catalogue; whether an ARN
//! pattern can name a resource of a type is decided by matching it against the type's ARN
//! template, counting wildcards and policy variables as matching anything, so the check
//! only reports actions that can never match.

use latch_syntax::catalog::{self, AccessLevel, Action, Catalog, pattern};
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Related, Severity, Spanned};

use super::list;
use crate::checks::{CheckDoc, FixAvailability};

pub const CODE: &str = "catalog/action-resource-mismatch";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "the action does not apply to any resource of the statement",
    what: "Reports an action whose resource types (from the AWS catalogue) match none of \
           the ARNs in the statement's `Resource`, for example `s3:GetObject` (objects) \
           with only `arn:aws:s3:::bucket`, or `s3:ListBucket` (buckets) with only \
           `arn:aws:s3:::bucket/*`. An action that supports no resource-level permissions \
           needs `\"Resource\": \"*\"`; it is not reported on an ARN of its own service's \
           resource types, where the catalogue often lacks the types AWS authorizes against.",
    why: "AWS matches the request's resource against `Resource`: a bucket ARN never matches \
          an object request, so the statement grants nothing for that action and the \
          request gets 403 Access Denied. This is the most common S3 policy mistake.",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": "arn:aws:s3:::reports"
    }
  ]
}"#,
    prefer: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]
    }
  ]
}"#,
    fix: FixAvailability::None,
};

/// Whether `action` can apply to a resource named by the ARN pattern `arn`.
pub fn action_fits_arn(cat: &Catalog, action: &Action, arn: &str) -> bool {
    let Some(service) = cat.service(action.service) else {
        return true;
    };
    action.resource_types().any(|rt| {
        service
            .resource_type(rt.name)
            .is_none_or(|t| t.matches_arn(arn) != Some(false))
    })
}

/// Whether `arn` names a resource of a type that `action`'s own service defines. The
/// catalogue lists no resource type for many actions that do authorize against their
/// service's resources (`ram:CreateResourceShare` on a `resource-share`,
/// `s3:GetAccessPoint` on an `accesspoint`): 586 statements of the AWS managed policies
/// grant such actions on their own service's ARNs. For an action the catalogue lists
/// without resource types, such an ARN is a gap of the catalogue, not a mistake, except
/// for List actions, which act on the account (`s3:ListAllMyBuckets` on a bucket ARN is
/// the mistake it looks like).
fn names_own_resource(cat: &Catalog, action: &Action, arn: &str) -> bool {
    if action.access == AccessLevel::List {
        return false;
    }
    let Some(fields) = pattern::arn_fields(arn) else {
        return false;
    };
    if !fields[2].eq_ignore_ascii_case(action.service) {
        return false;
    }
    cat.service(action.service).is_some_and(|s| {
        s.resource_types
            .iter()
            .any(|t| t.matches_arn(arn) == Some(true))
    })
}

fn resource_names(action: &Action) -> Vec<&'static str> {
    action.resource_types().map(|r| r.name).collect()
}

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    let cat = catalog::catalog();
    for stmt in &policy.statements {
        let (Some(actions), Some(resources)) = (&stmt.action, &stmt.resource) else {
            continue;
        };
        if actions.negated || resources.negated || resources.values.is_empty() {
            continue;
        }
        // Anything that is not an ARN (`*`, a Terraform reference left symbolic) could be
        // any resource.
        let arns: Vec<&Spanned<latch_syntax::Str>> = resources.values.iter().collect();
        if arns.iter().any(|r| pattern::arn_fields(&r.value).is_none()) {
            continue;
        }
        for v in &actions.values {
            let expanded = cat.expand(&v.value);
            if expanded.is_empty() {
                continue;
            }
            let fits = expanded.iter().any(|a| {
                if a.has_resource_types() {
                    arns.iter().any(|r| action_fits_arn(cat, a, &r.value))
                } else {
                    arns.iter().any(|r| names_own_resource(cat, a, &r.value))
                }
            });
            if fits {
                continue;
            }
            let message = match expanded.as_slice() {
                [a] if !a.has_resource_types() => format!(
                    "`{}` supports no resource-level permissions, so it only matches \
                     `\"Resource\": \"*\"`, not the ARNs of this statement",
                    v.value
                ),
                [a] => {
                    let names = resource_names(a);
                    // The shortest template is the plainest example (`object`, not the
                    // access point form).
                    let example = cat
                        .service(a.service)
                        .and_then(|s| {
                            names
                                .iter()
                                .filter_map(|n| s.resource_type(n))
                                .min_by_key(|t| t.arn.len())
                        })
                        .map(|t| format!(" such as `{}`", t.arn.replace("${Partition}", "aws")))
                        .unwrap_or_default();
                    format!(
                        "`{}` applies to {} resources{example}, and no resource of this \
                         statement is one",
                        v.value,
                        list(&names)
                    )
                }
                _ => format!(
                    "none of the {} actions matched by `{}` applies to a resource of this \
                     statement",
                    expanded.len(),
                    v.value
                ),
            };
            let mut finding = Finding::warning(CODE, v.span, message);
            for r in &arns {
                let types = cat.resource_types_for_arn(&r.value);
                let mut names: Vec<&str> = types.iter().map(|t| t.name).collect();
                names.dedup();
                let what = match (types.first(), names.len()) {
                    (None, _) => "a resource of no known type".to_string(),
                    (Some(t), 1) => format!("a `{}` resource of `{}`", t.name, t.service),
                    (Some(_), _) => format!("a {} resource", names.join(" or ")),
                };
                finding = finding.with_related(Related {
                    path: None,
                    range: r.span,
                    message: format!("`{}` is {what}", r.value),
                });
            }
            out.push(finding);
        }
    }
}

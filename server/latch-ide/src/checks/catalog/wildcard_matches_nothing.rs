//! `catalog/wildcard-matches-nothing`: an `Action` or `NotAction` pattern with `*` or `?`
//! that matches no action in the AWS catalogue, such as `s3:Gett*`.

use latch_syntax::catalog::{self, pattern};
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Severity};

use super::as_of;
use crate::checks::{CheckDoc, FixAvailability};

pub const CODE: &str = "catalog/wildcard-matches-nothing";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "the action wildcard matches no action",
    what: "Reports an `Action` or `NotAction` pattern with `*` or `?` that matches no action \
           of the AWS catalogue.",
    why: "A pattern that matches nothing makes its statement grant or deny nothing, usually \
          because of a typo (`s3:Gett*`) or a service prefix spelt as the console shows it \
          (`S3Console:*`). The request it was meant for gets 403 Access Denied.",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:Gett*",
      "Resource": "arn:aws:s3:::reports/*"
    }
  ]
}"#,
    prefer: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:Get*",
      "Resource": "arn:aws:s3:::reports/*"
    }
  ]
}"#,
    fix: FixAvailability::None,
};

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    let cat = catalog::catalog();
    for stmt in &policy.statements {
        let Some(actions) = &stmt.action else {
            continue;
        };
        for v in &actions.values {
            let Some((prefix, name)) = v.value.split_once(':') else {
                continue;
            };
            // `${...}` is a value Terraform fills in later.
            if !pattern::is_wildcard(&v.value)
                || prefix.is_empty()
                || name.is_empty()
                || v.value.contains("${")
            {
                continue;
            }
            // An unknown, wildcard-free prefix is `catalog/unknown-action`'s to report.
            let service = cat.service(prefix);
            if !pattern::is_wildcard(prefix) && service.is_none() {
                continue;
            }
            if cat.expand_count(&v.value) > 0 {
                continue;
            }
            let whose = match service {
                Some(s) => s.name.to_string(),
                None => "any service".to_string(),
            };
            out.push(Finding::warning(
                CODE,
                v.span,
                format!("`{}` matches no action of {whose} ({})", v.value, as_of()),
            ));
        }
    }
}

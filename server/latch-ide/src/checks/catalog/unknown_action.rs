//! `catalog/unknown-action`: an `Action` or `NotAction` names a service prefix or an action
//! the AWS catalogue does not know, such as `s3:GetObjects` or `dyanmodb:PutItem`. Offers
//! the closest known name as a fix, marked safe when it is the only candidate.

use latch_syntax::catalog::{self, pattern};
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Fix, Severity};

use super::{as_of, replace_string};
use crate::checks::{CheckDoc, FixAvailability};

pub const CODE: &str = "catalog/unknown-action";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "the action or its service prefix is not in the AWS catalogue",
    what: "Reports an `Action` or `NotAction` entry whose service prefix or action name is \
           not in latch's AWS catalogue, and offers the closest known name.",
    why: "AWS accepts a policy with a misspelt action and then never matches it: the \
          statement silently grants (or denies) nothing, and the request it was written for \
          gets 403 Access Denied (or is not blocked). The catalogue is a snapshot, so an \
          action released after its date is reported too; `latch --version` shows the date.",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObjects", "dyanmodb:PutItem"],
      "Resource": "*"
    }
  ]
}"#,
    prefer: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject", "dynamodb:PutItem"],
      "Resource": "*"
    }
  ]
}"#,
    fix: FixAvailability::Sometimes,
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
            // `${...}` is a value Terraform fills in later (IAM has no variables in
            // actions), so the name is not known yet.
            if prefix.is_empty()
                || name.is_empty()
                || pattern::is_wildcard(prefix)
                || v.value.contains("${")
            {
                continue;
            }
            let message = match cat.service(prefix) {
                None => format!(
                    "unknown service prefix `{prefix}` in `{}` ({})",
                    v.value,
                    as_of()
                ),
                Some(service) => {
                    if pattern::is_wildcard(name) || service.action(name).is_some() {
                        continue;
                    }
                    format!(
                        "unknown action `{}`: {} has no action `{name}` ({})",
                        v.value,
                        service.name,
                        as_of()
                    )
                }
            };
            let mut finding = Finding::new(CODE, Severity::Warning, v.span, message);
            if let Some((fixed, unique)) = cat.suggest_action(&v.value) {
                let title = format!("replace with `{fixed}`");
                let edits = vec![replace_string(v, &fixed)];
                finding
                    .message
                    .push_str(&format!(", did you mean `{fixed}`"));
                finding = finding.with_fix(if unique {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                });
            }
            out.push(finding);
        }
    }
}

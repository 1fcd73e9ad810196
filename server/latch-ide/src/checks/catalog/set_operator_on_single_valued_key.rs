//! `catalog/set-operator-on-single-valued-key`: `ForAllValues:` or `ForAnyValue:` on a key
//! that has one value per request, such as `aws:PrincipalOrgID`.

use latch_syntax::catalog;
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Fix, Severity};

use super::replace_string;

use crate::checks::{CheckDoc, FixAvailability};
use crate::operators::{Operator, SetPrefix};

pub const CODE: &str = "catalog/set-operator-on-single-valued-key";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "a set operator is used on a single-valued condition key",
    what: "Reports `ForAllValues:` or `ForAnyValue:` on a condition key that the AWS \
           catalogue documents as single-valued (not `ArrayOf...`).",
    why: "Set operators are for multivalued keys. On a single-valued key `ForAllValues:` is \
          also true when the key is absent, so an Allow with it applies to requests that do \
          not carry the key at all; and a Deny with `ForAnyValue:` and a negated operator \
          never applies to such requests. Write the plain operator.",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {
        "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" }
      }
    }
  ]
}"#,
    prefer: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {
        "StringEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" }
      }
    }
  ]
}"#,
    fix: FixAvailability::Always,
};

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    let cat = catalog::catalog();
    for stmt in &policy.statements {
        let Some(condition) = &stmt.condition else {
            continue;
        };
        for clause in &condition.clauses {
            let Some(op) = Operator::parse(&clause.operator.value) else {
                continue;
            };
            let Some(set) = op.set else {
                continue;
            };
            let defs = cat.condition_key(&clause.key.value);
            if defs.is_empty() || defs.iter().any(|k| k.key_type.multivalued) {
                continue;
            }
            let plain = Operator { set: None, ..op }.name();
            let absent = match set {
                SetPrefix::ForAllValues => {
                    "; with it the condition is also true when the key is absent"
                }
                SetPrefix::ForAnyValue => "",
            };
            // Dropping `ForAnyValue:` from a positive operator changes nothing; any other
            // change alters what happens to requests without the key.
            let safe = set == SetPrefix::ForAnyValue && !op.negated;
            let title = format!("replace with `{plain}`");
            let span = clause.operator.span;
            let edits = vec![replace_string(&clause.operator, &plain)];
            out.push(
                Finding::warning(
                    CODE,
                    span,
                    format!(
                        "`{}` is for multivalued keys, but `{}` has one value{absent}",
                        set.as_str(),
                        clause.key.value
                    ),
                )
                .with_fix(if safe {
                    Fix::safe(title, edits)
                } else {
                    Fix::unsafe_(title, edits)
                }),
            );
        }
    }
}

//! `catalog/operator-type-mismatch`: a condition operator that compares another type of
//! value than the key holds, such as a Date key under `StringEquals` or an IP key under
//! `StringLike`. Only clear mismatches are reported (see `Family::fits`).

use latch_syntax::catalog::{self, ValueType};
use latch_syntax::policy::Policy;
use latch_syntax::{Finding, Fix, Severity};

use super::replace_string;
use crate::checks::{CheckDoc, FixAvailability};
use crate::operators::{Family, Operator};

pub const CODE: &str = "catalog/operator-type-mismatch";

pub const DOC: CheckDoc = CheckDoc {
    code: CODE,
    severity: Severity::Warning,
    summary: "the condition operator does not fit the key's type",
    what: "Reports a condition whose operator compares a different type of value than the \
           key holds, according to the AWS catalogue: a Date key under a String operator, a \
           Bool key under a Numeric operator, an IP address key under `StringLike`, ...",
    why: "AWS compares the request's value as the operator's type. A date compared as a \
          string only matches the exact same text, so a time window written with \
          `StringLessThan`-like intent never matches and the request gets 403 Access Denied \
          (or a Deny never applies).",
    example: r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {
        "StringEquals": { "aws:CurrentTime": "2026-12-31T00:00:00Z" }
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
        "DateLessThan": { "aws:CurrentTime": "2026-12-31T00:00:00Z" }
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
        for clause in &condition.clauses {
            let Some(op) = Operator::parse(&clause.operator.value) else {
                continue;
            };
            let defs = cat.condition_key(&clause.key.value);
            let Some(first) = defs.first() else {
                continue;
            };
            // Report only when no definition of the key fits the operator.
            if defs.iter().any(|k| op.family.fits(k.key_type.value)) {
                continue;
            }
            let ty = first.key_type.value;
            let mut finding = Finding::warning(
                CODE,
                clause.operator.span,
                format!(
                    "`{}` {}, but `{}` holds {} values",
                    clause.operator.value,
                    op.family.compares(),
                    clause.key.value,
                    ty.as_str()
                ),
            )
            .with_related(latch_syntax::Related {
                path: None,
                range: clause.key.span,
                message: format!(
                    "`{}` is of type {}",
                    clause.key.value,
                    first.key_type.name()
                ),
            });
            if let Some(replacement) = replacement(&op, ty) {
                finding.message.push_str(&format!("; use `{replacement}`"));
                finding = finding.with_fix(Fix::unsafe_(
                    format!("replace with `{replacement}`"),
                    vec![replace_string(&clause.operator, &replacement)],
                ));
            }
            out.push(finding);
        }
    }
}

/// The operator of the key's family that means the same as an equality test, keeping the
/// set prefix and `IfExists`.
fn replacement(op: &Operator, ty: ValueType) -> Option<String> {
    let family = Family::for_type(ty)?;
    let equals = matches!(
        op.base,
        "StringEquals" | "NumericEquals" | "DateEquals" | "ArnEquals" | "Bool" | "IpAddress"
    );
    let not_equals = matches!(
        op.base,
        "StringNotEquals" | "NumericNotEquals" | "DateNotEquals" | "ArnNotEquals" | "NotIpAddress"
    );
    let base = match (family, equals, not_equals) {
        (Family::Date, true, _) => "DateEquals",
        (Family::Date, _, true) => "DateNotEquals",
        (Family::Numeric, true, _) => "NumericEquals",
        (Family::Numeric, _, true) => "NumericNotEquals",
        (Family::IpAddress, true, _) => "IpAddress",
        (Family::IpAddress, _, true) => "NotIpAddress",
        (Family::Bool, true, _) => "Bool",
        (Family::Arn, true, _) => "ArnEquals",
        (Family::Arn, _, true) => "ArnNotEquals",
        (Family::String, true, _) => "StringEquals",
        (Family::String, _, true) => "StringNotEquals",
        _ => return None,
    };
    let fixed = Operator {
        base,
        family,
        ..*op
    };
    Some(fixed.name())
}

//! `policy/unknown-condition-operator`: a condition operator IAM does not know.

use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};
use crate::text::did_you_mean;

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/unknown-condition-operator",
    severity: Severity::Error,
    summary: "a condition operator that does not exist",
    what: "Reports condition operators that are not IAM operators, with `IfExists` and the \
           `ForAllValues:`/`ForAnyValue:` prefixes taken into account, and offers the closest one.",
    why: "AWS rejects the policy. Operator names are case-sensitive: `stringEquals` and `StringEqual` are \
          both wrong.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEqual": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#,
    fix: FixAvailability::Sometimes,
};

/// The base operators, without `IfExists` or a set prefix.
pub const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

/// Whether `op` is a valid operator as written.
pub fn is_valid(op: &str) -> bool {
    let base = op
        .strip_prefix("ForAllValues:")
        .or_else(|| op.strip_prefix("ForAnyValue:"))
        .unwrap_or(op);
    if base == "Null" {
        return !op.contains(':');
    }
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    base != "Null" && OPERATORS.contains(&base)
}

/// Every valid spelling, for suggestions.
fn all_spellings() -> Vec<String> {
    let mut out = Vec::new();
    for op in OPERATORS {
        for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
            if *op == "Null" && !prefix.is_empty() {
                continue;
            }
            out.push(format!("{prefix}{op}"));
            if *op != "Null" {
                out.push(format!("{prefix}{op}IfExists"));
            }
        }
    }
    out
}

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let mut seen = Vec::new();
    let mut spellings: Option<Vec<String>> = None;
    for clause in ctx
        .policy
        .statements
        .iter()
        .filter_map(|s| s.condition.as_ref())
        .flat_map(|c| c.clauses.iter())
    {
        let op = &clause.operator;
        if is_valid(&op.value) || seen.contains(&op.span) {
            continue;
        }
        seen.push(op.span);
        let mut f = Finding::new(
            DOC.code,
            DOC.severity,
            op.span,
            format!("unknown condition operator `{}`", op.value),
        );
        if let Some(s) = did_you_mean(
            &op.value,
            spellings
                .get_or_insert_with(all_spellings)
                .iter()
                .map(String::as_str),
        ) {
            f.message = format!(
                "unknown condition operator `{}`; did you mean `{s}`?",
                op.value
            );
            f.fixes.push(Fix::safe(
                format!("change to `{s}`"),
                vec![Edit::replace(op.span, latch_syntax::json::json_string(s))],
            ));
        }
        out.push(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity() {
        for ok in [
            "StringEquals",
            "ForAnyValue:StringLikeIfExists",
            "Null",
            "NotIpAddressIfExists",
            "ArnLike",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "stringEquals",
            "StringEqual",
            "NullIfExists",
            "ForAllValues:Null",
            "ForSomeValues:StringLike",
            "IfExists",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}

//! `policy/missing-principal`: a statement of a resource-based policy that names nobody.

use latch_syntax::{Finding, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/missing-principal",
    severity: Severity::Error,
    summary: "a resource-policy statement without `Principal`",
    what: "Reports a statement of a bucket, key, trust, endpoint or other resource-based policy that has \
           neither `Principal` nor `NotPrincipal`.",
    why: "A resource policy must say whom it applies to. AWS rejects such a statement when the policy is \
          written, and Latch treats it as matching no one.",
    example: r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    if !ctx.kind.has_principal() {
        return;
    }
    for (i, obj) in ctx.statements.iter().enumerate() {
        if member(obj, "Principal").is_none() && member(obj, "NotPrincipal").is_none() {
            let label = ctx
                .policy
                .statements
                .get(i)
                .map_or_else(|| format!("#{}", i + 1), |s| s.label(i));
            out.push(Finding::new(
                DOC.code,
                DOC.severity,
                super::statement_head(obj),
                format!(
                    "statement `{label}` of this {} names no `Principal`, so it applies to no one",
                    ctx.kind.name()
                ),
            ));
        }
    }
}

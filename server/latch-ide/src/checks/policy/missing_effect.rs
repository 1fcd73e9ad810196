//! `policy/missing-effect`: a statement without `Effect`.

use latch_syntax::{Finding, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/missing-effect",
    severity: Severity::Error,
    summary: "a statement without `Effect`",
    what: "Reports a statement that has no `Effect` element.",
    why: "Every statement must say whether it allows or denies; AWS rejects the policy otherwise.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for (i, obj) in ctx.statements.iter().enumerate() {
        if member(obj, "Effect").is_none() {
            let label = ctx
                .policy
                .statements
                .get(i)
                .map_or_else(|| format!("#{}", i + 1), |s| s.label(i));
            out.push(Finding::new(
                DOC.code,
                DOC.severity,
                super::statement_head(obj),
                format!("statement `{label}` has no `Effect`"),
            ));
        }
    }
}

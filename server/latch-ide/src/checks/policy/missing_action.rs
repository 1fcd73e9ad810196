//! `policy/missing-action`: a statement with neither `Action` nor `NotAction`.

use latch_syntax::{Finding, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/missing-action",
    severity: Severity::Error,
    summary: "a statement without `Action` or `NotAction`",
    what: "Reports a statement that names no actions.",
    why: "A statement must say which actions it covers; AWS rejects the policy otherwise.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for (i, obj) in ctx.statements.iter().enumerate() {
        if member(obj, "Action").is_none() && member(obj, "NotAction").is_none() {
            let label = ctx
                .policy
                .statements
                .get(i)
                .map_or_else(|| format!("#{}", i + 1), |s| s.label(i));
            out.push(Finding::new(
                DOC.code,
                DOC.severity,
                super::statement_head(obj),
                format!("statement `{label}` has no `Action` or `NotAction`"),
            ));
        }
    }
}

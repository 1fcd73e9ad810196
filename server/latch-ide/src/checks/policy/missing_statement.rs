//! `policy/missing-statement`: a policy document without a `Statement` element.

use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/missing-statement",
    severity: Severity::Error,
    summary: "the policy has no `Statement`",
    what: "Reports a policy document that has no `Statement` element, or an empty one.",
    why: "A policy without statements grants and denies nothing; AWS rejects it when it is attached. It is \
          usually a sign that the statements were nested under the wrong key.",
    example: r#"{"Version": "2012-10-17", "Statements": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    if ctx.tree.as_object().is_none() {
        return;
    }
    match ctx.policy.statement_span {
        None => out.push(Finding::new(
            DOC.code,
            DOC.severity,
            open_brace(ctx),
            "the policy has no `Statement` element",
        )),
        Some(span) if ctx.policy.statements.is_empty() => out.push(Finding::new(
            DOC.code,
            DOC.severity,
            span,
            "`Statement` is empty: this policy grants and denies nothing",
        )),
        Some(_) => {}
    }
}

fn open_brace(ctx: &PolicyCtx<'_>) -> latch_syntax::Span {
    latch_syntax::Span::new(
        ctx.tree.span.start,
        (ctx.tree.span.start + 1).min(ctx.tree.span.end),
    )
}

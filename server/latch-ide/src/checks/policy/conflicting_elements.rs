//! `policy/conflicting-elements`: a statement with both `Action` and `NotAction` (or the
//! Resource or Principal pairs).

use latch_syntax::{Finding, Related, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/conflicting-elements",
    severity: Severity::Error,
    summary: "both `Action` and `NotAction` (or `Resource`/`NotResource`, `Principal`/`NotPrincipal`)",
    what: "Reports a statement that has an element and its negated form together.",
    why: "A statement has exactly one of each pair; AWS rejects the policy otherwise.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:DeleteBucket", "Resource": "*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for obj in &ctx.statements {
        for (a, b) in [
            ("Action", "NotAction"),
            ("Resource", "NotResource"),
            ("Principal", "NotPrincipal"),
        ] {
            if let (Some(ma), Some(mb)) = (member(obj, a), member(obj, b)) {
                out.push(
                    Finding::new(
                        DOC.code,
                        DOC.severity,
                        mb.key_span,
                        format!("a statement cannot have both `{a}` and `{b}`"),
                    )
                    .with_related(Related {
                        path: None,
                        range: ma.key_span,
                        message: format!("`{a}` is here"),
                    }),
                );
            }
        }
    }
}

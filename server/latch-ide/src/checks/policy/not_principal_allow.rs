//! `policy/not-principal-allow`: `NotPrincipal` with `"Effect": "Allow"`.

use latch_syntax::policy::Effect;
use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/not-principal-allow",
    severity: Severity::Warning,
    summary: "`NotPrincipal` with `Allow` grants everyone else",
    what: "Reports statements that combine `NotPrincipal` with `\"Effect\": \"Allow\"`.",
    why: "This grants access to every principal except the listed ones, anonymous users included. AWS now \
          documents the combination as unsupported; use `Principal` with conditions instead.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/Bob"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for st in &ctx.policy.statements {
        if let (Some(Effect::Allow), Some(p)) = (st.effect(), &st.principal) {
            if p.negated {
                out.push(Finding::new(
                    DOC.code,
                    DOC.severity,
                    p.key_span,
                    "`NotPrincipal` with `Allow` grants access to everyone not listed, anonymous users included",
                ));
            }
        }
    }
}

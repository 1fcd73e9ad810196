//! `policy/duplicate-sid`: two statements with the same `Sid`.

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Related, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/duplicate-sid",
    severity: Severity::Error,
    summary: "two statements share a `Sid`",
    what: "Reports a `Sid` used by an earlier statement of the same policy. It is an error in IAM \
           policies, boundaries, session policies, SCPs and RCPs, and a warning elsewhere.",
    why: "IAM requires Sids to be unique within a policy and rejects duplicates. Elsewhere duplicates make \
          explanations and Terraform overrides ambiguous.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "Read", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    let severity = match ctx.kind {
        PolicyKind::Identity
        | PolicyKind::Boundary
        | PolicyKind::Session
        | PolicyKind::Scp
        | PolicyKind::Rcp => Severity::Error,
        _ => Severity::Warning,
    };
    let sids: Vec<_> = ctx
        .policy
        .statements
        .iter()
        .filter_map(|s| s.sid.as_ref())
        .filter(|s| !s.value.is_empty())
        .collect();
    for (i, sid) in sids.iter().enumerate() {
        if let Some(first) = sids[..i].iter().find(|p| p.value == sid.value) {
            out.push(
                Finding::new(
                    DOC.code,
                    severity,
                    sid.span,
                    format!("`Sid` `{}` is already used by another statement", sid.value),
                )
                .with_related(Related {
                    path: None,
                    range: first.span,
                    message: "first used here".into(),
                }),
            );
        }
    }
}

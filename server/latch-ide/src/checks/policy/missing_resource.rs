//! `policy/missing-resource`: a statement with neither `Resource` nor `NotResource`, where
//! the policy kind requires one.

use latch_syntax::policy::PolicyKind;
use latch_syntax::{Finding, Severity};

use super::{PolicyCtx, member};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/missing-resource",
    severity: Severity::Error,
    summary: "a statement without `Resource` or `NotResource`",
    what: "Reports a statement that names no resources, in policies that require one: identity policies, \
           boundaries, session policies, SCPs, RCPs, bucket and endpoint policies. Trust policies and key \
           policies may omit it.",
    why: "AWS rejects the policy. In a key policy or trust policy the resource is implied.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    if matches!(ctx.kind, PolicyKind::KeyPolicy | PolicyKind::Trust) {
        return;
    }
    for (i, obj) in ctx.statements.iter().enumerate() {
        if member(obj, "Resource").is_none() && member(obj, "NotResource").is_none() {
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
                    "statement `{label}` has no `Resource` or `NotResource`, which {} requires",
                    ctx.kind.a_name()
                ),
            ));
        }
    }
}

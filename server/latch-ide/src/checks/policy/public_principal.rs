//! `policy/public-principal`: an Allow to `"*"` with no condition.

use latch_syntax::policy::{Effect, PolicyKind, PrincipalType, PrincipalValue};
use latch_syntax::{Finding, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/public-principal",
    severity: Severity::Warning,
    summary: "`\"Principal\": \"*\"` without a condition makes the resource public",
    what: "Reports Allow statements whose principal is everyone (`\"*\"` or `{\"AWS\": \"*\"}`) and that \
           carry no `Condition` to narrow it.",
    why: "Anyone on the internet, unauthenticated, gets the listed actions. Sometimes that is the point (a \
          public website bucket); usually the grant should be scoped with `aws:PrincipalOrgID`, \
          `aws:SourceVpce`, `aws:SourceArn` or a named principal.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#,
    fix: FixAvailability::None,
};

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    // Endpoint policies and RCPs never grant: they only filter what other policies allow,
    // and gateway endpoints and RCPs require `"Principal": "*"`.
    if matches!(ctx.kind, PolicyKind::VpcEndpoint | PolicyKind::Rcp) {
        return;
    }
    for st in &ctx.policy.statements {
        let Some(p) = &st.principal else { continue };
        if st.effect() != Some(Effect::Allow)
            || p.negated
            || st.condition.as_ref().is_some_and(|c| !c.clauses.is_empty())
        {
            continue;
        }
        let everyone = match &p.value {
            PrincipalValue::Star => true,
            PrincipalValue::Map(entries) => entries.iter().any(|e| {
                e.kind.value == PrincipalType::Aws && e.values.iter().any(|v| v.value == "*")
            }),
        };
        if everyone {
            out.push(Finding::new(
                DOC.code,
                DOC.severity,
                p.span,
                "this statement allows everyone, including anonymous users; scope it with a condition or a named principal",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::checks::policy::test_util::codes_as;
    use latch_syntax::policy::PolicyKind;

    #[test]
    fn endpoint_policies_and_rcps_are_not_public_grants() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(codes_as(text, PolicyKind::Resource).contains(&"policy/public-principal"));
        assert!(!codes_as(text, PolicyKind::VpcEndpoint).contains(&"policy/public-principal"));
        assert!(!codes_as(text, PolicyKind::Rcp).contains(&"policy/public-principal"));
    }
}

//! `policy/set-operator-single-valued`: `ForAllValues:` or `ForAnyValue:` on a global
//! condition key that always has one value.

use latch_syntax::{Edit, Finding, Fix, Severity};

use super::PolicyCtx;
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "policy/set-operator-single-valued",
    severity: Severity::Warning,
    summary: "`ForAllValues`/`ForAnyValue` on a single-valued key",
    what: "Reports set operators on global condition keys that carry a single value, such as \
           `aws:SourceIp` or `aws:PrincipalArn`.",
    why: "`ForAllValues:` is true when the key is absent, so an Allow with it grants requests that lack \
          the key entirely; with a Deny it never fires for them. Use the plain operator.",
    example: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#,
    prefer: r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}"#,
    fix: FixAvailability::Always,
};

/// Global keys documented as single-valued. Service keys are left to the catalogue.
const SINGLE_VALUED: &[&str] = &[
    "aws:currenttime",
    "aws:epochtime",
    "aws:multifactorauthage",
    "aws:multifactorauthpresent",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalisawsservice",
    "aws:principalorgid",
    "aws:principaltype",
    "aws:referer",
    "aws:requestedregion",
    "aws:securetransport",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:tokenissuetime",
    "aws:useragent",
    "aws:userid",
    "aws:username",
    "aws:viaawsservice",
    "aws:vpcsourceip",
    "s3:x-amz-acl",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-server-side-encryption-aws-kms-key-id",
    "kms:viaservice",
    "kms:calleraccount",
];

pub fn check(ctx: &PolicyCtx<'_>, out: &mut Vec<Finding>) {
    for clause in ctx
        .policy
        .statements
        .iter()
        .filter_map(|s| s.condition.as_ref())
        .flat_map(|c| c.clauses.iter())
    {
        let op = &clause.operator.value;
        let Some((prefix, base)) = op.split_once(':') else {
            continue;
        };
        if prefix != "ForAllValues" && prefix != "ForAnyValue" {
            continue;
        }
        if !SINGLE_VALUED.contains(&clause.key.value.to_ascii_lowercase().as_str()) {
            continue;
        }
        out.push(
            Finding::new(
                DOC.code,
                DOC.severity,
                clause.operator.span,
                format!(
                    "`{prefix}:` on `{}`, which has a single value; use `{base}`",
                    clause.key.value
                ),
            )
            .with_fix(Fix::unsafe_(
                format!("change to `{base}`"),
                vec![Edit::replace(
                    clause.operator.span,
                    latch_syntax::json::json_string(base),
                )],
            )),
        );
    }
}

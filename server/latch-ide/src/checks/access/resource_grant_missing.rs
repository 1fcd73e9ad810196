//! `access/resource-grant-missing`: a cross-account request that the caller's own policies
//! allow and the bucket policy does not grant. The decision comes from the workspace
//! simulation (`crate::access`); this file turns it into the finding, with the fix that
//! adds the grant to the bucket policy in its own syntax, and holds the documentation,
//! whose example and preferred form are workspace fixtures that the docs test runs.

use latch_eval::{Layer, StatementOutcome};
use latch_syntax::Severity;
use latch_syntax::json::json_string;
use latch_syntax::policy::Effect;

use crate::access::{Ctx, Draft, append_fix, resource_pattern, sid_word};
use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/resource-grant-missing",
    severity: Severity::Error,
    summary: "a cross-account request the bucket policy does not grant",
    what: r#"Simulates the requests each identity Allow on a workspace bucket implies (and the declared `[[expect]]` entries) and reports those of a caller in another account that the bucket's policy does not grant: there is no bucket policy, or it grants someone else. Reported on the identity Allow, with the bucket policy as related information."#,
    why: r#"Across accounts both sides must allow: the caller's identity policy and the resource policy of the bucket's account. An identity Allow alone is an implicit deny, and S3 answers 403."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/cross-account-json/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/ok/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/ok/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__resource-grant-missing/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Sometimes,
};

/// The finding for a request blocked because the resource side does not grant it.
pub(crate) fn report(ctx: &Ctx<'_>) -> Option<Draft> {
    let bucket = ctx.ix.bucket_of(&ctx.intent.resource)?;
    // A grant that names the caller but is set aside (an object another account owns) is
    // `access/object-ownership`'s business, not a missing grant.
    let t = &ctx.decision.trace;
    let granted = t.policies.iter().any(|p| {
        p.layer == Layer::Resource
            && p.statements.iter().any(|s| {
                p.statement(s.index).and_then(|st| st.effect()) == Some(Effect::Allow)
                    && matches!(
                        s.outcome,
                        StatementOutcome::Matched { .. } | StatementOutcome::Ignored(_)
                    )
            })
    });
    if granted {
        return None;
    }
    let caller = ctx.intent.principal.clone();
    let action = &ctx.intent.action;
    let resource = resource_pattern(&ctx.intent.resource);
    // The grant names the caller's ARN: a role's sessions are covered by it. A fix is
    // offered only where the bucket policy exists; creating one would mean choosing its
    // name and file for the user.
    let (near, near_notes) = ctx.near_miss(&[Layer::Resource]);
    let fixes = match &bucket.policy {
        Some(_) if !near.is_empty() => near,
        Some(bp) => {
            let stmt = format!(
                r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": {{"AWS": {}}}, "Action": {}, "Resource": {}}}"#,
                sid_word(&caller),
                json_string(&caller),
                json_string(action),
                json_string(&resource)
            );
            append_fix(
                ctx.ws,
                bp,
                &stmt,
                &format!("grant `{caller}` `{action}` on `{resource}` in the bucket policy"),
            )
        }
        None => Vec::new(),
    };
    let what = match &bucket.policy {
        Some(_) => format!(
            "the bucket policy of `{}` (another account) does not grant",
            bucket.name
        ),
        None => format!(
            "bucket `{}` (another account) has no bucket policy to grant",
            bucket.name
        ),
    };
    let mut d = ctx.draft(
        "access/resource-grant-missing",
        ctx.src.clone(),
        &what,
        fixes,
    );
    d.notes.extend(near_notes);
    if let Some(bp) = &bucket.policy {
        d.related.push((
            crate::index::Loc {
                path: bp.path.clone(),
                span: bp.policy().span,
            },
            "the bucket policy".into(),
        ));
    }
    Some(d)
}

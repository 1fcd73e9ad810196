//! `access/object-ownership`: another account's uploads stay owned by it. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/object-ownership",
    severity: Severity::Error,
    summary: "another account's uploads stay owned by it",
    what: r#"Reports a grant that lets another account upload into a bucket whose Object Ownership is not BucketOwnerEnforced and whose policy does not require `bucket-owner-full-control`."#,
    why: r#"Bucket-policy grants reach only objects the bucket owner owns: the owner's own readers get 403 on what the other account uploaded."#,
    example: concat!(
        "//- iam/etl-writer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/cross-account-json/iam/etl-writer.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/etl-writer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/ok/iam/etl-writer.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/ok/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__object-ownership/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Always,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    /// Cross-account uploads into a bucket where the writer keeps ownership.
    pub(crate) fn ownership(&self, bucket: Option<&BucketInfo>) -> Option<Draft> {
        let b = bucket?;
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        if !matches!(self.intent.source, IntentSource::Statement { ref policy, .. } if policy.kind.has_principal())
        {
            return None;
        }
        let caller = self.req.principal.account()?;
        if b.account.as_deref() == Some(caller) {
            return None;
        }
        let own = b.ownership.as_ref();
        if own.is_none_or(|o| o.value == ObjectOwnership::BucketOwnerEnforced) {
            return None;
        }
        if requires_full_control(b) {
            return None;
        }
        if let IntentSource::Statement { policy, statement } = &self.intent.source {
            let required = policy
                .policy()
                .statements
                .get(*statement)
                .is_some_and(requires_full_control_in);
            if required {
                return None;
            }
        }
        let mut fixes = Vec::new();
        fixes.extend(ownership_fix(b));
        // As AWS's own example does, the condition goes on the writer's grant: the
        // writer's upload then carries the header and is allowed, and an upload without
        // it is not granted. A bucket-wide Deny would also block the writer's own
        // uploads that are not written with the header yet.
        if let IntentSource::Statement { policy, statement } = &self.intent.source {
            let has_condition = policy
                .policy()
                .statements
                .get(*statement)
                .is_some_and(|st| st.condition.is_some());
            // An upload the workspace declares without the header would then be refused:
            // that one must change first, so the grant is not narrowed under it.
            let declared_without_header = self.ix.expects.iter().any(|e| {
                e.principal == self.intent.principal
                    && e.decision == ExpectedDecision::Allow
                    && bucket_name(&e.resource) == b.name
                    && e.actions
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case("s3:PutObject"))
                    && !e
                        .context
                        .iter()
                        .any(|(k, _)| k.eq_ignore_ascii_case("s3:x-amz-acl"))
            });
            if !has_condition && !declared_without_header {
                fixes.extend(add_member_fix(
                    self.ws,
                    policy,
                    *statement,
                    "Condition",
                    r#"{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}"#,
                    "require bucket-owner-full-control in this grant",
                ));
            }
        }
        // The upload's own decision is not the point (it may well be allowed): the
        // reason is the bucket's setting.
        let setting = own.map_or("ObjectWriter".to_string(), |o| format!("{:?}", o.value));
        let mut d = self.draft_because(
            "access/object-ownership",
            self.src.clone(),
            "",
            format!(
                "Object Ownership is `{setting}`, not BucketOwnerEnforced, and the bucket does not require `bucket-owner-full-control`, so bucket-policy grants do not reach those objects"
            ),
            fixes,
        );
        // The headline says it all; what the upload's decision turns on is not the point.
        d.requests.clear();
        d.notes.clear();
        d.help = None;
        d.what = format!(
            "{} lets account `{caller}` keep owning the objects it uploads",
            self.grant()
        );
        if let Some(o) = own.and_then(|o| o.loc.clone()) {
            d.related.push((o, "the Object Ownership setting".into()));
        }
        Some(d)
    }
}

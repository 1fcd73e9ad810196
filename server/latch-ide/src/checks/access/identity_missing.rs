//! `access/identity-missing`: a grant that no identity policy completes. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/identity-missing",
    severity: Severity::Error,
    summary: "a grant that no identity policy completes",
    what: r#"Simulates the requests the workspace means to allow (declared `[[expect]]` entries, and the requests each bucket-policy grant or identity Allow implies) and reports those that no identity policy of the caller allows: a cross-account grant that the other account's role or user does not complete, or a same-account caller with neither an identity nor a resource grant."#,
    why: r#"Cross-account access needs both the resource policy and the caller's own identity policy; either alone is an implicit deny, and AWS answers 403."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/cross-account-json/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/ok/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/ok/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__identity-missing/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Always,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn partner_identity(&self) -> Option<Draft> {
        let src = self.src.clone();
        let mut d = self.draft(
            "access/identity-missing",
            src,
            &format!(
                "{} needs an Allow in the caller's own account for",
                self.grant()
            ),
            Vec::new(),
        );
        d.severity = Severity::Info;
        Some(d)
    }

    pub(crate) fn identity_missing(&self) -> Option<Draft> {
        let src = self.src.clone();
        {
            if let Some(d) = self.condition_and() {
                return Some(d);
            }
            if let Some(d) = self.bucket_acl() {
                return Some(d);
            }
            // An Allow that nearly names the request (a typo) is corrected where it is.
            let (mut fixes, notes) = self.near_miss(&[Layer::Identity]);
            if fixes.is_empty() {
                fixes = self.identity_fix(
                    &self.intent.action,
                    &resource_pattern(&self.intent.resource),
                );
            }
            let mut d = self.draft("access/identity-missing", src, &self.no_effect(), fixes);
            d.notes.extend(notes);
            Some(d)
        }
        // A request on the key itself (a declared `kms:Decrypt`, say).
    }
}

//! `access/identity-missing`: a grant that no identity policy completes. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

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

//! `access/explicit-deny`: an explicit Deny blocks a request the workspace means to make. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/explicit-deny",
    severity: Severity::Error,
    summary: "an explicit Deny blocks a request the workspace means to make",
    what: r#"Reports the Deny statement (bucket, identity, boundary or session policy) that wins over the Allows for an intended request, with each of its conditions evaluated."#,
    why: r#"An explicit Deny anywhere overrides every Allow; the grant elsewhere has no effect."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/latch.toml"),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::None,
};

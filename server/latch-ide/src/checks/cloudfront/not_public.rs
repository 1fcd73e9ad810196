//! `cloudfront/not-public`: a website-endpoint origin is not publicly readable. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/not-public",
    severity: Severity::Error,
    summary: "a website-endpoint origin is not publicly readable",
    what: r#"Evaluates an anonymous `s3:GetObject` on a website bucket, as the website endpoint sends it, and reports the bucket-policy grant that does not reach it."#,
    why: r#"The website endpoint supports only public content; a grant to an origin access identity has no effect there."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__not-public/oai-only-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__not-public/oai-only-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__not-public/ok/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__not-public/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Always,
};

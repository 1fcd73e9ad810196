//! `access/object-ownership`: another account's uploads stay owned by it. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

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

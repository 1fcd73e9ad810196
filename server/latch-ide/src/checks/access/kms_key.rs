//! `access/kms-key`: the caller cannot use the KMS key of SSE-KMS objects. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/kms-key",
    severity: Severity::Error,
    summary: "the caller cannot use the KMS key of SSE-KMS objects",
    what: r#"Follows each S3 request on an SSE-KMS bucket to the KMS request it implies (`kms:Decrypt` for reads, `kms:GenerateDataKey` for writes) and evaluates it against the key policy and the caller's policies. The finding sits on the grant that has no effect, with the key policy as related location."#,
    why: r#"The key policy is primary: IAM policies count only where it delegates to the account, and across accounts both the key policy and the caller's identity policy must allow. Without the key the object read or write answers 403."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/iam/report-reader.json"
        ),
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/iam/report-reader.json"
        ),
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__kms-key/ok/latch.toml"),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Always,
};

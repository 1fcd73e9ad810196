//! `access/scp`: a service control policy denies or does not allow the request. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/scp",
    severity: Severity::Error,
    summary: "a service control policy denies or does not allow the request",
    what: r#"Evaluates every SCP level (root, OU, account) that applies to the caller's account: a Deny anywhere wins and every level must allow."#,
    why: r#"SCPs cap what every principal of the account can do, whatever its own policies say."#,
    example: concat!(
        "//- iam/data-engineer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/iam/data-engineer.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__scp/deny-json/latch.toml"),
        "//- org/deny-s3.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/org/deny-s3.json"
        ),
        "//- org/full-aws-access.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/org/full-aws-access.json"
        ),
    ),
    prefer: concat!(
        "//- iam/data-engineer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/ok/iam/data-engineer.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__scp/ok/latch.toml"),
        "//- org/full-aws-access.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/ok/org/full-aws-access.json"
        ),
    ),
    fix: FixAvailability::None,
};

//! `access/vpce-policy`: the VPC endpoint policy does not allow a request sent through it. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/vpce-policy",
    severity: Severity::Error,
    summary: "the VPC endpoint policy does not allow a request sent through it",
    what: r#"Evaluates requests whose context names a VPC endpoint (`aws:SourceVpce`) against that endpoint's policy."#,
    why: r#"A request through a gateway or interface endpoint needs the endpoint policy to allow it, on top of the identity and bucket policies."#,
    example: concat!(
        "//- iam/etl-worker.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/iam/etl-worker.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/latch.toml"
        ),
        "//- vpce/s3-gateway.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/vpce/s3-gateway.json"
        ),
    ),
    prefer: concat!(
        "//- iam/etl-worker.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/iam/etl-worker.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/latch.toml"),
        "//- vpce/s3-gateway.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/vpce/s3-gateway.json"
        ),
    ),
    fix: FixAvailability::Always,
};

//! `access/condition-and`: the ANDed conditions of an Allow can never hold together. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/condition-and",
    severity: Severity::Error,
    summary: "the ANDed conditions of an Allow can never hold together",
    what: r#"Reports an Allow that names the request but whose condition operators and keys, which are ANDed, cannot all be true for it (for example `aws:SourceVpce` and `aws:SourceIp`: through an endpoint the request has no source IP)."#,
    why: r#"A statement read as "office or VPC" grants nothing, and the request is an implicit deny."#,
    example: concat!(
        "//- iam/report-viewer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__condition-and/vpce-and-ip-json/iam/report-viewer.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__condition-and/vpce-and-ip-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/report-viewer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReportsFromOfficeOrVpc",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-internal-reports/*",
      "Condition": {
        "StringEquals": {
          "aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"
        }
      }
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/ReportViewer"
policies = ["iam/report-viewer.json"]

[[bucket]]
name = "example-internal-reports"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
"#,
    fix: FixAvailability::None,
};

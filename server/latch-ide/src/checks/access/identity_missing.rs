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
    example: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "QueryWithAthena",
      "Effect": "Allow",
      "Action": [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults"
      ],
      "Resource": "*"
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/ReportReader"
policies = ["iam/report-reader.json"]

[[bucket]]
name = "example-shared-reports"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowReportReaderRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-reports/*"
    }
  ]
}
"#,
    prefer: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "QueryWithAthena",
      "Effect": "Allow",
      "Action": [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults"
      ],
      "Resource": "*"
    },
    {
      "Sid": "ReadSharedReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-reports/*"
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/ReportReader"
policies = ["iam/report-reader.json"]

[[bucket]]
name = "example-shared-reports"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowReportReaderRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-reports/*"
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

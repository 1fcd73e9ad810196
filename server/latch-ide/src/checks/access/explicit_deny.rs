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
    example: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSharedReports",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ]
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
  "Id": "SharedReportsPolicy",
  "Statement": [
    {
      "Sid": "AllowReportReaderRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ]
    },
    {
      "Sid": "DenyAllButListedPrincipals",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ],
      "Condition": {
        "ArnNotLike": {
          "aws:PrincipalArn": [
            "arn:aws:iam::444455556666:role/ReportPublisher",
            "arn:aws:iam::444455556666:role/Admin*"
          ]
        }
      }
    }
  ]
}
"#,
    prefer: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSharedReports",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ]
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
  "Id": "SharedReportsPolicy",
  "Statement": [
    {
      "Sid": "AllowReportReaderRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ]
    },
    {
      "Sid": "DenyAllButListedPrincipals",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::example-shared-reports",
        "arn:aws:s3:::example-shared-reports/*"
      ],
      "Condition": {
        "ArnNotLike": {
          "aws:PrincipalArn": [
            "arn:aws:iam::444455556666:role/ReportPublisher",
            "arn:aws:iam::444455556666:role/Admin*",
            "arn:aws:iam::111122223333:role/ReportReader"
          ]
        }
      }
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

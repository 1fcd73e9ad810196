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
    example: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadExportedReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
    },
    {
      "Sid": "DecryptExportedReports",
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
    }
  ]
}
//- kms/key-policy.json
{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::444455556666:root"
      },
      "Action": "kms:*",
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
name = "example-analytics-exports"
account = "storage"
policy = "s3/bucket-policy.json"
kms_key = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[key]]
arn = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
policy = "kms/key-policy.json"
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
      "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
    }
  ]
}
"#,
    prefer: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadExportedReports",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
    },
    {
      "Sid": "DecryptExportedReports",
      "Effect": "Allow",
      "Action": "kms:Decrypt",
      "Resource": "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
    }
  ]
}
//- kms/key-policy.json
{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::444455556666:root"
      },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow ReportReader to decrypt",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": "kms:Decrypt",
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
name = "example-analytics-exports"
account = "storage"
policy = "s3/bucket-policy.json"
kms_key = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[key]]
arn = "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
policy = "kms/key-policy.json"
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
      "Resource": "arn:aws:s3:::example-analytics-exports/reports/*"
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

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
    example: r#"//- iam/etl-writer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UploadRawEvents",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/raw/*"
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/EtlWriter"
policies = ["iam/etl-writer.json"]

[[bucket]]
name = "example-analytics-exports"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "ObjectWriter"
block_public_access = true
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowEtlWriterUpload",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/EtlWriter"
      },
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/raw/*"
    },
    {
      "Sid": "AllowAnalystsRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::444455556666:role/Analyst"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/*"
    }
  ]
}
"#,
    prefer: r#"//- iam/etl-writer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UploadRawEvents",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/raw/*"
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/EtlWriter"
policies = ["iam/etl-writer.json"]

[[bucket]]
name = "example-analytics-exports"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowEtlWriterUpload",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/EtlWriter"
      },
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/raw/*"
    },
    {
      "Sid": "AllowAnalystsRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::444455556666:role/Analyst"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-analytics-exports/*"
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

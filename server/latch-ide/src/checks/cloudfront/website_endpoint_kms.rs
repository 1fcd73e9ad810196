//! `cloudfront/website-endpoint-kms`: a website-endpoint origin serves SSE-KMS objects. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/website-endpoint-kms",
    severity: Severity::Error,
    summary: "a website-endpoint origin serves SSE-KMS objects",
    what: r#"Reports the KMS setting of a bucket that is served through its S3 website endpoint."#,
    why: r#"The website endpoint does not support SSE-KMS: every object read answers 403."#,
    example: concat!(
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__website-endpoint-kms/json/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__website-endpoint-kms/json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__website-endpoint-kms/json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- kms/key-policy.json
{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::123456789012:root"
      },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
//- latch.toml
[accounts]
web = "123456789012"

[[bucket]]
name = "example-corp-www"
account = "web"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = false
requester_pays = false
website = true

[[key]]
arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
policy = "kms/key-policy.json"
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PublicReadGetObject",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-corp-www/*"
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

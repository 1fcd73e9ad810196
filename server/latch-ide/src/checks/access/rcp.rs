//! `access/rcp`: a resource control policy denies the request. The decision comes from the workspace simulation
//! (`crate::access`); the Deny that decides is reported by `explicit_deny.rs`, and this file
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/rcp",
    severity: Severity::Error,
    summary: "a resource control policy denies the request",
    what: r#"Evaluates every RCP level that applies to the resource's account."#,
    why: r#"RCPs cap what any caller can do on the account's resources, whatever the bucket policy grants."#,
    example: concat!(
        "//- iam/partner-ingest.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__rcp/deny-json/iam/partner-ingest.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__rcp/deny-json/latch.toml"),
        "//- org/rcp-data-perimeter.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__rcp/deny-json/org/rcp-data-perimeter.json"
        ),
        "//- org/rcp-full-aws-access.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__rcp/deny-json/org/rcp-full-aws-access.json"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__rcp/deny-json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- iam/partner-ingest.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSharedDatasets",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-datasets/*"
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/PartnerIngest"
policies = ["iam/partner-ingest.json"]

[[bucket]]
name = "example-shared-datasets"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[rcp]]
policy = "org/rcp-full-aws-access.json"
level = "root"
accounts = ["storage"]

[[rcp]]
policy = "org/rcp-full-aws-access.json"
level = "root"
accounts = ["storage"]
//- org/rcp-data-perimeter.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyUntrustedAccounts",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": "*",
      "Condition": {
        "StringNotEqualsIfExists": {
          "aws:PrincipalAccount": [
            "444455556666",
            "123456789012"
          ]
        },
        "BoolIfExists": {
          "aws:PrincipalIsAWSService": "false"
        }
      }
    }
  ]
}
//- org/rcp-full-aws-access.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "RCPFullAWSAccess",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowPartnerRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/PartnerIngest"
      },
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-shared-datasets/*"
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

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
    example: r#"//- iam/etl-worker.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "WriteLanding",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-etl-landing/*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/EtlWorker"
policies = ["iam/etl-worker.json"]

[[bucket]]
name = "example-etl-landing"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[vpc_endpoint]]
id = "vpce-0a1b2c3d4e5f67890"
policy = "vpce/s3-gateway.json"

# The ETL instances reach S3 through the gateway endpoint of their VPC.
[[expect]]
principal = "arn:aws:iam::123456789012:role/EtlWorker"
action = "s3:PutObject"
resource = "arn:aws:s3:::example-etl-landing/incoming/2024-10-01/orders.csv"
context = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890", "aws:SourceVpc" = "vpc-0f1e2d3c4b5a69788" }
decision = "allow"
//- vpce/s3-gateway.json
{
  "Version": "2012-10-17",
  "Id": "Policy1234567890123",
  "Statement": [
    {
      "Sid": "AllowTeamBuckets",
      "Effect": "Allow",
      "Principal": "*",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-etl-staging",
        "arn:aws:s3:::example-etl-staging/*"
      ]
    }
  ]
}
"#,
    prefer: r#"//- iam/etl-worker.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "WriteLanding",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-etl-landing/*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/EtlWorker"
policies = ["iam/etl-worker.json"]

[[bucket]]
name = "example-etl-landing"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[vpc_endpoint]]
id = "vpce-0a1b2c3d4e5f67890"
policy = "vpce/s3-gateway.json"

# The ETL instances reach S3 through the gateway endpoint of their VPC.
[[expect]]
principal = "arn:aws:iam::123456789012:role/EtlWorker"
action = "s3:PutObject"
resource = "arn:aws:s3:::example-etl-landing/incoming/2024-10-01/orders.csv"
context = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890", "aws:SourceVpc" = "vpc-0f1e2d3c4b5a69788" }
decision = "allow"
//- vpce/s3-gateway.json
{
  "Version": "2012-10-17",
  "Id": "Policy1234567890123",
  "Statement": [
    {
      "Sid": "AllowTeamBuckets",
      "Effect": "Allow",
      "Principal": "*",
      "Action": [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-etl-staging",
        "arn:aws:s3:::example-etl-staging/*",
        "arn:aws:s3:::example-etl-landing",
        "arn:aws:s3:::example-etl-landing/*"
      ]
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

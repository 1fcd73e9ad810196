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
    example: r#"//- iam/data-engineer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "CuratedReadWrite",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-data-curated/*"
    }
  ]
}
//- latch.toml
[accounts]
data = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/DataEngineer"
policies = ["iam/data-engineer.json"]

[[bucket]]
name = "example-data-curated"
account = "data"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[scp]]
policy = "org/full-aws-access.json"
level = "root"

[[scp]]
policy = "org/full-aws-access.json"
level = "ou-data-platform"
accounts = ["data"]

[[scp]]
policy = "org/deny-s3.json"
level = "ou-data-platform"
accounts = ["data"]

[[scp]]
policy = "org/full-aws-access.json"
level = "account"
accounts = ["data"]
//- org/deny-s3.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyS3",
      "Effect": "Deny",
      "Action": "S3:*",
      "Resource": "*"
    }
  ]
}
//- org/full-aws-access.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "FullAWSAccess",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
"#,
    prefer: r#"//- iam/data-engineer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "CuratedReadWrite",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-data-curated/*"
    }
  ]
}
//- latch.toml
[accounts]
data = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/DataEngineer"
policies = ["iam/data-engineer.json"]

[[bucket]]
name = "example-data-curated"
account = "data"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[scp]]
policy = "org/full-aws-access.json"
level = "root"

[[scp]]
policy = "org/full-aws-access.json"
level = "ou-data-platform"
accounts = ["data"]

[[scp]]
policy = "org/full-aws-access.json"
level = "account"
accounts = ["data"]
//- org/full-aws-access.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "FullAWSAccess",
      "Effect": "Allow",
      "Action": "*",
      "Resource": "*"
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

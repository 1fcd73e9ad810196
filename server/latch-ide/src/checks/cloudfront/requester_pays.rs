//! `cloudfront/requester-pays`: a website-endpoint bucket has Requester Pays. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/requester-pays",
    severity: Severity::Error,
    summary: "a website-endpoint bucket has Requester Pays",
    what: r#"Reports the Requester Pays setting of a bucket served through its website endpoint."#,
    why: r#"Anonymous requests, which are all a website endpoint receives, are impossible with Requester Pays."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__requester-pays/website-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__requester-pays/website-json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- latch.toml
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
    fix: FixAvailability::None,
};

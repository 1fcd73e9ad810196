//! `cloudfront/block-public-access`: Block Public Access is on for a website-endpoint bucket. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/block-public-access",
    severity: Severity::Error,
    summary: "Block Public Access is on for a website-endpoint bucket",
    what: r#"Reports the Block Public Access setting of a bucket that is served through its website endpoint."#,
    why: r#"With BlockPublicPolicy or RestrictPublicBuckets the public read the website endpoint needs is refused (a deliberate choice: explain, no fix)."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__block-public-access/bucket-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__block-public-access/bucket-json/s3/bucket-policy.json"
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

//! `s3/list-bucket-404`: a missing object answers 403 rather than 404. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "s3/list-bucket-404",
    severity: Severity::Hint,
    summary: "a missing object answers 403 rather than 404",
    what: r#"Hints at a public `s3:GetObject` grant without `s3:ListBucket`."#,
    why: r#"Without `s3:ListBucket` S3 answers a request for a missing key with 403 AccessDenied, which looks like a permissions problem; granting `s3:ListBucket` to everyone would list every key, a security risk."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/s3__list-bucket-404/website-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/s3__list-bucket-404/website-json/s3/bucket-policy.json"
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
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::example-corp-www", "arn:aws:s3:::example-corp-www/*"]
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

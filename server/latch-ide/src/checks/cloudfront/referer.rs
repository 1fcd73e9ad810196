//! `cloudfront/referer`: a Referer restriction written as a Deny only. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/referer",
    severity: Severity::Error,
    summary: "a Referer restriction written as a Deny only",
    what: r#"Reports a Deny on `aws:Referer` in the policy of a website bucket that has no public Allow."#,
    why: r#"A Deny never grants: even requests with the secret Referer get 403 until an Allow with the same condition exists."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__referer/deny-only-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__referer/deny-only-json/s3/bucket-policy.json"
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
  "Id": "http referer policy example",
  "Statement": [
    {
      "Sid": "DenyRequestsWithoutCloudFrontSecret",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-corp-www/*",
      "Condition": {
        "StringNotLike": {
          "aws:Referer": "MY_SECRET_TOKEN_CONFIGURED_ON_CLOUDFRONT_ORIGIN_CUSTOM_HEADER"
        }
      }
    },
    {
      "Sid": "AllowGetWithSecretReferer",
      "Effect": "Allow",
      "Principal": "*",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-corp-www/*",
      "Condition": {
        "StringLike": {
          "aws:Referer": "MY_SECRET_TOKEN_CONFIGURED_ON_CLOUDFRONT_ORIGIN_CUSTOM_HEADER"
        }
      }
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

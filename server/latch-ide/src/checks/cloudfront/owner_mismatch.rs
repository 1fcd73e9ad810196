//! `cloudfront/owner-mismatch`: public read does not reach objects another account uploaded. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "cloudfront/owner-mismatch",
    severity: Severity::Error,
    summary: "public read does not reach objects another account uploaded",
    what: r#"Reports the Object Ownership setting of a website bucket that another account writes to while ACLs decide ownership."#,
    why: r#"Public read by bucket policy reaches only objects the bucket owner owns."#,
    example: concat!(
        "//- iam/site-deploy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__owner-mismatch/cross-account-writer-json/iam/site-deploy.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__owner-mismatch/cross-account-writer-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/cloudfront__owner-mismatch/cross-account-writer-json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- iam/site-deploy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UploadSite",
      "Effect": "Allow",
      "Action": [
        "s3:PutObject",
        "s3:PutObjectAcl"
      ],
      "Resource": "arn:aws:s3:::example-corp-www/*"
    }
  ]
}
//- latch.toml
[accounts]
web = "123456789012"
ci = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/SiteDeploy"
policies = ["iam/site-deploy.json"]

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
    },
    {
      "Sid": "AllowSiteDeployUpload",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/SiteDeploy"
      },
      "Action": [
        "s3:PutObject",
        "s3:PutObjectAcl"
      ],
      "Resource": "arn:aws:s3:::example-corp-www/*",
      "Condition": {
        "StringEquals": {
          "s3:x-amz-acl": "bucket-owner-full-control"
        }
      }
    }
  ]
}
"#,
    fix: FixAvailability::Always,
};

//! `access/put-acl`: an upload that sets an ACL lacks s3:PutObjectAcl. The finding comes from the workspace simulation
//! (`crate::access`); this file holds its documentation, whose example and preferred form
//! are workspace fixtures that the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/put-acl",
    severity: Severity::Error,
    summary: "an upload that sets an ACL lacks s3:PutObjectAcl",
    what: r#"Reports the Allow of `s3:PutObject` for a declared upload that sends `x-amz-acl` when `s3:PutObjectAcl` is not allowed."#,
    why: r#"An upload that sets an ACL needs both actions, or S3 answers 403."#,
    example: concat!(
        "//- iam/console-uploader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__put-acl/acl-upload-json/iam/console-uploader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__put-acl/acl-upload-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/console-uploader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ListUploads",
      "Effect": "Allow",
      "Action": [
        "s3:ListBucket",
        "s3:GetBucketLocation"
      ],
      "Resource": "arn:aws:s3:::example-shared-uploads"
    },
    {
      "Sid": "UploadFiles",
      "Effect": "Allow",
      "Action": ["s3:PutObject", "s3:PutObjectAcl"],
      "Resource": "arn:aws:s3:::example-shared-uploads/*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/ConsoleUploader"
policies = ["iam/console-uploader.json"]

[[bucket]]
name = "example-shared-uploads"
account = "app"
object_ownership = "BucketOwnerPreferred"
block_public_access = true

# An upload from the console that sets an ACL under "Permissions".
[[expect]]
principal = "arn:aws:iam::123456789012:role/ConsoleUploader"
action = "s3:PutObject"
resource = "arn:aws:s3:::example-shared-uploads/partners/contract.pdf"
context = { "s3:x-amz-acl" = "bucket-owner-full-control" }
decision = "allow"
"#,
    fix: FixAvailability::Always,
};

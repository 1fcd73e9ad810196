//! `access/encryption-header`: a bucket-policy Deny requires SSE-KMS headers the upload does not send. The decision comes from the workspace simulation
//! (`crate::access`); the Deny that decides is reported by `explicit_deny.rs`, and this file
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/encryption-header",
    severity: Severity::Error,
    summary: "a bucket-policy Deny requires SSE-KMS headers the upload does not send",
    what: r#"Reports a Deny whose condition is on `s3:x-amz-server-side-encryption*` when it blocks an intended upload."#,
    why: r#"Bucket default encryption does not add the headers to the request, so an upload relying on it is denied."#,
    example: concat!(
        "//- iam/finance-uploader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__encryption-header/kms-key-id-json/iam/finance-uploader.json"
        ),
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__encryption-header/kms-key-id-json/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__encryption-header/kms-key-id-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__encryption-header/kms-key-id-json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- iam/finance-uploader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "UploadInvoices",
      "Effect": "Allow",
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::example-finance-uploads/*"
    },
    {
      "Sid": "UseUploadKey",
      "Effect": "Allow",
      "Action": [
        "kms:GenerateDataKey",
        "kms:Encrypt"
      ],
      "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  ]
}
//- kms/key-policy.json
{
  "Version": "2012-10-17",
  "Id": "key-default-1",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:root"
      },
      "Action": "kms:*",
      "Resource": "*"
    }
  ]
}
//- latch.toml
[accounts]
finance = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/FinanceUploader"
policies = ["iam/finance-uploader.json"]

[[bucket]]
name = "example-finance-uploads"
account = "finance"
kms_key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
object_ownership = "BucketOwnerEnforced"
block_public_access = true

[[key]]
arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
policy = "kms/key-policy.json"
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ExampleStmt",
      "Effect": "Deny",
      "Principal": "*",
      "Action": [
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-finance-uploads/*",
      "Condition": {
        "StringNotLikeIfExists": {
          "s3:x-amz-server-side-encryption-aws-kms-key-id": "arn:aws:kms:us-east-1:111122223333:key/*"
        }
      }
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

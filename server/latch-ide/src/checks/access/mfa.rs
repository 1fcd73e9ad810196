//! `access/mfa`: a Deny on requests without MFA blocks the request. The decision comes from the workspace simulation
//! (`crate::access`); the Deny that decides is reported by `explicit_deny.rs`, and this file
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/mfa",
    severity: Severity::Error,
    summary: "a Deny on requests without MFA blocks the request",
    what: r#"Reports a Deny whose condition is on `aws:MultiFactorAuthPresent` (typically `BoolIfExists` ... `false`) when it blocks an intended request, with its `NotAction` list."#,
    why: r#"Calls with long-term access keys carry no MFA key, so `BoolIfExists` makes the Deny apply to every CLI call."#,
    example: concat!(
        "//- iam/force-mfa.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__mfa/force-mfa-json/iam/force-mfa.json"
        ),
        "//- iam/tester.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__mfa/force-mfa-json/iam/tester.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__mfa/force-mfa-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/force-mfa.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyAllExceptListedIfNoMFA",
      "Effect": "Deny",
      "NotAction": [
        "iam:CreateVirtualMFADevice",
        "iam:EnableMFADevice",
        "iam:GetUser",
        "iam:ListMFADevices",
        "iam:ListVirtualMFADevices",
        "iam:ResyncMFADevice",
        "sts:GetSessionToken"
      ],
      "Resource": "*",
      "Condition": {
        "BoolIfExists": {
          "aws:MultiFactorAuthPresent": "false"
        }
      }
    }
  ]
}
//- iam/tester.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadWriteArtifacts",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-app-artifacts/*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:user/tester"
policies = ["iam/tester.json"]

[[bucket]]
name = "example-app-artifacts"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
"#,
    fix: FixAvailability::None,
};

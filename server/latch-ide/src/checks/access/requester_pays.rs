//! `access/requester-pays`: a Requester Pays bucket refuses the request. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/requester-pays",
    severity: Severity::Error,
    summary: "a Requester Pays bucket refuses the request",
    what: r#"Reports grants to other accounts or to everyone on a bucket with Requester Pays: anonymous requests are refused and other accounts must send `x-amz-request-payer` (context `s3:RequestPayer` in an `[[expect]]`)."#,
    why: r#"The grant has no effect unless the caller agrees to pay for the request."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__requester-pays/cross-account-json/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__requester-pays/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__requester-pays/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: r#"//- iam/report-reader.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadDatasets",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-public-datasets",
        "arn:aws:s3:::example-public-datasets/*"
      ]
    }
  ]
}
//- latch.toml
[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/ReportReader"
policies = ["iam/report-reader.json"]

[[bucket]]
name = "example-public-datasets"
account = "storage"
policy = "s3/bucket-policy.json"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
requester_pays = false
//- s3/bucket-policy.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowAnalyticsRead",
      "Effect": "Allow",
      "Principal": {
        "AWS": "arn:aws:iam::111122223333:role/ReportReader"
      },
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": [
        "arn:aws:s3:::example-public-datasets",
        "arn:aws:s3:::example-public-datasets/*"
      ]
    }
  ]
}
"#,
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn requester_pays(&self) -> Option<Draft> {
        let src = self.src.clone();
        let d = self.draft("access/requester-pays", src, &self.no_effect(), Vec::new());
        Some(if d.help.is_none() {
            d.help("the bucket has Requester Pays: other accounts must send `x-amz-request-payer: requester` (context `s3:RequestPayer`); anonymous requests are refused")
        } else {
            d
        })
    }
}

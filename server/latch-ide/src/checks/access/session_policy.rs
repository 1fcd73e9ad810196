//! `access/session-policy`: the session policy does not allow what the role's policies grant. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/session-policy",
    severity: Severity::Error,
    summary: "the session policy does not allow what the role's policies grant",
    what: r#"Reports a role's identity Allow whose request the session policy passed at AssumeRole does not allow."#,
    why: r#"A session's permissions are the intersection of the role's policies and the session policy."#,
    example: concat!(
        "//- iam/data-pipeline.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__session-policy/session-json/iam/data-pipeline.json"
        ),
        "//- iam/session-read-only.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__session-policy/session-json/iam/session-read-only.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__session-policy/session-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/data-pipeline.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "WriteEtlOutput",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-etl-output/*"
    }
  ]
}
//- iam/session-read-only.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadEtlOutput",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-etl-output/*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:sts::123456789012:assumed-role/DataPipeline/etl-nightly"
policies = ["iam/data-pipeline.json"]

[[bucket]]
name = "example-etl-output"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
"#,
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn session_not_allowed(&self) -> Option<Draft> {
        let src = self.src.clone();
        Some(self.draft("access/session-policy", src, &self.no_effect(), Vec::new()))
    }
}

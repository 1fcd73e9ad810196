//! `access/permissions-boundary`: the permissions boundary does not allow what the identity policy grants. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/permissions-boundary",
    severity: Severity::Error,
    summary: "the permissions boundary does not allow what the identity policy grants",
    what: r#"Reports an identity Allow whose request the caller's permissions boundary does not allow."#,
    why: r#"The effective permissions are the intersection of the identity policies and the boundary."#,
    example: concat!(
        "//- iam/app-deployer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__permissions-boundary/boundary-json/iam/app-deployer.json"
        ),
        "//- iam/developer-boundary.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__permissions-boundary/boundary-json/iam/developer-boundary.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__permissions-boundary/boundary-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/app-deployer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "PublishReleases",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "arn:aws:s3:::example-app-releases/*"
    }
  ]
}
//- iam/developer-boundary.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadOnlyS3",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:ListBucket"
      ],
      "Resource": "*"
    },
    {
      "Sid": "Observability",
      "Effect": "Allow",
      "Action": [
        "logs:*",
        "cloudwatch:*"
      ],
      "Resource": "*"
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/AppDeployer"
policies = ["iam/app-deployer.json"]

[[bucket]]
name = "example-app-releases"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
"#,
    fix: FixAvailability::Always,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn boundary_not_allowed(&self) -> Option<Draft> {
        let src = self.src.clone();
        let pr = self.ix.principal(&self.intent.principal)?;
        let boundary = pr.boundary.as_ref()?;
        let stmt = allow_stmt(
            &self.intent.action,
            &resource_pattern(&self.intent.resource),
        );
        let (near, near_notes) = self.near_miss(&[Layer::Boundary]);
        let fixes = if near.is_empty() {
            append_fix(
                self.ws,
                boundary,
                &stmt,
                &format!("add `{}` to the permissions boundary", self.intent.action),
            )
        } else {
            near
        };
        let mut d = self.draft("access/permissions-boundary", src, &self.no_effect(), fixes);
        d.notes.extend(near_notes);
        Some(d)
    }
}

//! `access/put-acl`: an upload that sets an ACL lacks s3:PutObjectAcl. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

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

use crate::access::prelude::*;

impl Ctx<'_> {
    /// An upload that sets an ACL also needs `s3:PutObjectAcl`.
    pub(crate) fn put_acl(&self, set: &PolicySet) -> Option<Draft> {
        if !matches!(self.intent.source, IntentSource::Expect(_)) {
            return None;
        }
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        self.req.context.values("s3:x-amz-acl")?;
        let acl_req = Request::new(
            self.req.principal.clone(),
            "s3:PutObjectAcl",
            &self.req.resource,
            self.req.context.clone(),
        );
        let acl = evaluate(set, &acl_req);
        if acl.outcome.is_allow() {
            return None;
        }
        // The Allow that lets the upload through is the one to extend: the caller's own
        // first, then the bucket's.
        let t = &self.decision.trace;
        let r = [Layer::Identity, Layer::Resource]
            .iter()
            .find_map(|layer| {
                t.policies.iter().enumerate().find_map(|(pi, p)| {
                    if p.layer != *layer || p.not_applicable.is_some() {
                        return None;
                    }
                    p.statements
                        .iter()
                        .find(|s| {
                            s.outcome.is_match()
                                && p.statement(s.index).and_then(Statement::effect)
                                    == Some(Effect::Allow)
                        })
                        .map(|s| StmtRef {
                            policy: pi,
                            statement: s.index,
                        })
                })
            })?;
        let r = &r;
        let loc = stmt_loc(self.ix, t, *r)?;
        let entry = self.ix.entry_of(&t.policy(*r)?.policy)?.clone();
        let fixes = add_action_fix(self.ws, &entry, r.statement, "s3:PutObjectAcl");
        let locate = self.locate();
        let l: Locate<'_> = &locate;
        let mut d = self.draft_because(
            "access/put-acl",
            loc,
            "uploads that set an ACL also need `s3:PutObjectAcl`, which is denied for",
            format!(
                "`s3:PutObjectAcl` is {}",
                render::one_line(&acl, &acl_req, l)
            ),
            fixes,
        );
        d.severity = Severity::Error;
        d.trace = Some(render::explain(&acl, &acl_req, l));
        d.related
            .push((self.src.clone(), "the declared intent".into()));
        Some(d)
    }
}

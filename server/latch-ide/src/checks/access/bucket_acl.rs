//! `access/bucket-acl`: the bucket ACL does not let the writer upload. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/bucket-acl",
    severity: Severity::Error,
    summary: "the bucket ACL does not let the writer upload",
    what: r#"Reports a declared upload by another account that no policy grants, on a bucket whose ACL is set."#,
    why: r#"Without a bucket-policy grant, only the bucket ACL could allow the write, and a private ACL gives WRITE to the owner only."#,
    example: concat!(
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__bucket-acl/root-writer-json/latch.toml"
        ),
    ),
    prefer: r#"//- latch.toml
[accounts]
storage = "444455556666"
partner = "111122223333"

[[bucket]]
name = "example-partner-dropbox"
account = "storage"
object_ownership = "ObjectWriter"
block_public_access = true
# Canned ACL of the bucket: only the owner has FULL_CONTROL.
acl = "private"

# The partner uploads from the console signed in as its root user.
[[expect]]
principal = "arn:aws:iam::444455556666:root"
action = "s3:PutObject"
resource = "arn:aws:s3:::example-partner-dropbox/inbound/2024-10-01.csv"
decision = "allow"
"#,
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn bucket_acl(&self) -> Option<Draft> {
        let b = self.ix.bucket_of(&self.intent.resource)?;
        let acl = b.acl.as_ref()?;
        if !self.intent.action.eq_ignore_ascii_case("s3:PutObject") {
            return None;
        }
        let loc = acl.loc.clone()?;
        let mut d = self.draft_because(
            "access/bucket-acl",
            loc,
            &format!("the bucket ACL `{}` does not let", acl.value),
            format!(
                "the bucket ACL `{}` does not give the caller's account `WRITE`, and no policy grants the upload",
                acl.value
            ),
            Vec::new(),
        );
        d.related.push((self.src.clone(), "the intent".into()));
        Some(d)
    }
}

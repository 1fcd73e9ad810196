//! `access/explicit-deny`: an explicit Deny blocks a request the workspace means to make. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/explicit-deny",
    severity: Severity::Error,
    summary: "an explicit Deny blocks a request the workspace means to make",
    what: r#"Reports the Deny statement (bucket, identity, boundary or session policy) that wins over the Allows for an intended request, with each of its conditions evaluated."#,
    why: r#"An explicit Deny anywhere overrides every Allow; the grant elsewhere has no effect."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/bucket-deny-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/iam/report-reader.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/latch.toml"),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__explicit-deny/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn explicit(&self, t: &Trace, r: StmtRef) -> Option<Draft> {
        let p = t.policy(r)?;
        let st = p.statement(r.statement)?;
        let loc = stmt_loc(self.ix, t, r)?;
        let keys: Vec<String> = st
            .condition
            .as_ref()
            .map(|c| {
                c.clauses
                    .iter()
                    .map(|c| c.key.value.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default();
        let (code, what) = match p.layer {
            Layer::Scp { .. } => (
                "access/scp",
                "a service control policy denies this".to_string(),
            ),
            Layer::Rcp { .. } => (
                "access/rcp",
                "a resource control policy denies this".to_string(),
            ),
            _ if keys.iter().any(|k| k == "aws:multifactorauthpresent") => (
                "access/mfa",
                format!(
                    "this Deny applies to requests without MFA{}",
                    not_action_list(st)
                ),
            ),
            _ if keys
                .iter()
                .any(|k| k.starts_with("s3:x-amz-server-side-encryption")) =>
            {
                // Name only the headers this Deny tests.
                let key_id = keys
                    .iter()
                    .any(|k| k == "s3:x-amz-server-side-encryption-aws-kms-key-id");
                let algorithm = st
                    .condition
                    .as_ref()
                    .and_then(|c| {
                        c.clauses.iter().find(|c| {
                            c.key
                                .value
                                .eq_ignore_ascii_case("s3:x-amz-server-side-encryption")
                        })
                    })
                    .and_then(|c| c.values.first())
                    .map(|v| v.value.clone());
                let what = match (algorithm, key_id) {
                    (Some(alg), true) => format!(
                        "this Deny requires the upload to send `x-amz-server-side-encryption: {alg}` and `x-amz-server-side-encryption-aws-kms-key-id` naming the key; bucket default encryption does not add them"
                    ),
                    (None, true) => "this Deny requires the upload to send `x-amz-server-side-encryption-aws-kms-key-id` naming the key; bucket default encryption does not add it".to_string(),
                    (Some(alg), false) => format!(
                        "this Deny requires the upload to send `x-amz-server-side-encryption: {alg}`; bucket default encryption does not add it"
                    ),
                    (None, false) => "this Deny requires the upload to send the `x-amz-server-side-encryption` header; bucket default encryption does not add it".to_string(),
                };
                ("access/encryption-header", what)
            }
            _ => (
                "access/explicit-deny",
                format!("this Deny of the {} wins", p.layer.name()),
            ),
        };
        let mut draft = self.draft(code, loc, &what, Vec::new());
        draft
            .related
            .push((self.src.clone(), "the intent this Deny blocks".to_string()));
        Some(draft)
    }
}

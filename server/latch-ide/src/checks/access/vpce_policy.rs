//! `access/vpce-policy`: the VPC endpoint policy does not allow a request sent through it. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/vpce-policy",
    severity: Severity::Error,
    summary: "the VPC endpoint policy does not allow a request sent through it",
    what: r#"Evaluates requests whose context names a VPC endpoint (`aws:SourceVpce`) against that endpoint's policy."#,
    why: r#"A request through a gateway or interface endpoint needs the endpoint policy to allow it, on top of the identity and bucket policies."#,
    example: concat!(
        "//- iam/etl-worker.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/iam/etl-worker.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/latch.toml"
        ),
        "//- vpce/s3-gateway.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/endpoint-json/vpce/s3-gateway.json"
        ),
    ),
    prefer: concat!(
        "//- iam/etl-worker.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/iam/etl-worker.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/latch.toml"),
        "//- vpce/s3-gateway.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__vpce-policy/ok/vpce/s3-gateway.json"
        ),
    ),
    fix: FixAvailability::Always,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn vpce_policy(&self) -> Option<Draft> {
        let src = self.src.clone();
        let e = self.ix.endpoints.iter().find(|e| {
            e.id.as_deref().is_none_or(|id| {
                self.req
                    .context
                    .values("aws:SourceVpce")
                    .is_some_and(|v| v.iter().any(|x| x == id))
            })
        })?;
        let loc = first_allow(&e.policy)?;
        let stmt = format!(
            r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": "*", "Action": {}, "Resource": {}}}"#,
            sid_word(&self.intent.action),
            json_string(&self.intent.action),
            json_string(&resource_pattern(&self.intent.resource))
        );
        let (near, near_notes) = self.near_miss(&[Layer::VpcEndpoint]);
        let fixes = if !near.is_empty() {
            near
        } else {
            append_fix(
                self.ws,
                &e.policy,
                &stmt,
                &format!(
                    "add `{}` on `{}` to the endpoint policy",
                    self.intent.action,
                    resource_pattern(&self.intent.resource)
                ),
            )
        };
        let mut d = self.draft(
            "access/vpce-policy",
            loc,
            "the VPC endpoint policy does not allow",
            fixes,
        );
        d.notes.extend(near_notes);
        d.related.push((src, "the intent it blocks".into()));
        Some(d)
    }
}

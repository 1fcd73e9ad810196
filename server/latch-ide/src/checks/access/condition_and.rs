//! `access/condition-and`: the ANDed conditions of an Allow can never hold together. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/condition-and",
    severity: Severity::Error,
    summary: "the ANDed conditions of an Allow can never hold together",
    what: r#"Reports an Allow that names the request but whose condition operators and keys, which are ANDed, cannot all be true for it (for example `aws:SourceVpce` and `aws:SourceIp`: through an endpoint the request has no source IP)."#,
    why: r#"A statement read as "office or VPC" grants nothing, and the request is an implicit deny."#,
    example: concat!(
        "//- iam/report-viewer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__condition-and/vpce-and-ip-json/iam/report-viewer.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__condition-and/vpce-and-ip-json/latch.toml"
        ),
    ),
    prefer: r#"//- iam/report-viewer.json
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadReportsFromOfficeOrVpc",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::example-internal-reports/*",
      "Condition": {
        "StringEquals": {
          "aws:SourceVpce": "vpce-0a1b2c3d4e5f67890"
        }
      }
    }
  ]
}
//- latch.toml
[accounts]
app = "123456789012"

[[principal]]
arn = "arn:aws:iam::123456789012:role/ReportViewer"
policies = ["iam/report-viewer.json"]

[[bucket]]
name = "example-internal-reports"
account = "app"
object_ownership = "BucketOwnerEnforced"
block_public_access = true
"#,
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    /// An Allow that names the request but whose ANDed conditions fail.
    pub(crate) fn condition_and(&self) -> Option<Draft> {
        let t = &self.decision.trace;
        for (pi, p) in t.policies.iter().enumerate() {
            if !matches!(p.layer, Layer::Identity | Layer::Resource) || p.not_applicable.is_some() {
                continue;
            }
            for s in &p.statements {
                let latch_eval::StatementOutcome::Failed(latch_eval::trace::Failure::Condition {
                    ..
                }) = &s.outcome
                else {
                    continue;
                };
                let Some(st) = p.statement(s.index) else {
                    continue;
                };
                if st.effect() != Some(Effect::Allow) {
                    continue;
                }
                let clauses = st.condition.as_ref().map_or(0, |c| c.clauses.len());
                if clauses < 2 {
                    continue;
                }
                let r = StmtRef {
                    policy: pi,
                    statement: s.index,
                };
                let loc = stmt_loc(self.ix, t, r)?;
                let latch_eval::StatementOutcome::Failed(f) = &s.outcome else {
                    continue;
                };
                let mut d = self.draft_because(
                    "access/condition-and",
                    loc,
                    &format!(
                        "the ANDed conditions of {} cannot all hold for",
                        statement_words(st, s.index)
                    ),
                    render::failure_text(st, f, Some(self.req)),
                    Vec::new(),
                );
                if d.help.is_none() {
                    d.help = Some("the conditions of one statement must all hold; put alternatives in separate statements".into());
                }
                d.related.push((self.src.clone(), "the intent".into()));
                return Some(d);
            }
        }
        None
    }
}

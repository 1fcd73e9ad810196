//! `access/scp`: a service control policy denies or does not allow the request. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/scp",
    severity: Severity::Error,
    summary: "a service control policy denies or does not allow the request",
    what: r#"Evaluates every SCP level (root, OU, account) that applies to the caller's account: a Deny anywhere wins and every level must allow."#,
    why: r#"SCPs cap what every principal of the account can do, whatever its own policies say."#,
    example: concat!(
        "//- iam/data-engineer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/iam/data-engineer.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__scp/deny-json/latch.toml"),
        "//- org/deny-s3.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/org/deny-s3.json"
        ),
        "//- org/full-aws-access.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/deny-json/org/full-aws-access.json"
        ),
    ),
    prefer: concat!(
        "//- iam/data-engineer.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/ok/iam/data-engineer.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__scp/ok/latch.toml"),
        "//- org/full-aws-access.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__scp/ok/org/full-aws-access.json"
        ),
    ),
    fix: FixAvailability::None,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn org_level_not_allowed(&self, b: &Blocker, level: &usize) -> Option<Draft> {
        let src = self.src.clone();
        let (code, firsts, name, layer) = match b {
            Blocker::Scp { .. } => (
                "access/scp",
                self.scp_first,
                "service control policies",
                Layer::Scp { level: *level },
            ),
            _ => (
                "access/rcp",
                self.rcp_first,
                "resource control policies",
                Layer::Rcp { level: *level },
            ),
        };
        let p = firsts.get(*level)?;
        let loc = first_allow(p)?;
        let level_name = self
            .decision
            .trace
            .policies
            .iter()
            .find(|p| p.layer == layer)
            .and_then(|p| p.level_name.as_deref())
            .map_or_else(
                || format!("level {}", level + 1),
                |n| format!("level `{n}`"),
            );
        let mut d = self.draft(
            code,
            loc,
            &format!("the {name} at {level_name} do not allow"),
            Vec::new(),
        );
        d.related.push((src, "the intent it blocks".into()));
        Some(d)
    }
}

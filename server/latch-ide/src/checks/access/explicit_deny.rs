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
        let name = statement_words(st, r.statement);
        let (code, what, help) = match p.layer {
            Layer::Scp { .. } => (
                "access/scp",
                format!("{name} ({}) blocks", org_level("SCP", p)),
                None,
            ),
            Layer::Rcp { .. } => (
                "access/rcp",
                format!("{name} ({}) blocks", org_level("RCP", p)),
                None,
            ),
            _ if keys.iter().any(|k| k == "aws:multifactorauthpresent") => (
                "access/mfa",
                format!("{name} blocks"),
                Some(format!(
                    "call with MFA session credentials (`aws sts get-session-token --serial-number ... --token-code ...`){}",
                    if st.action.as_ref().is_some_and(|a| a.negated) {
                        ", or list the action in `NotAction` if it needs no MFA"
                    } else {
                        ""
                    }
                )),
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
                let help = match (algorithm, key_id) {
                    (Some(alg), true) => format!(
                        "send `x-amz-server-side-encryption: {alg}` and `x-amz-server-side-encryption-aws-kms-key-id` naming the key with the upload; bucket default encryption does not add them"
                    ),
                    (None, true) => "send `x-amz-server-side-encryption-aws-kms-key-id` naming the key with the upload; bucket default encryption does not add it".to_string(),
                    (Some(alg), false) => format!(
                        "send `x-amz-server-side-encryption: {alg}` with the upload; bucket default encryption does not add it"
                    ),
                    (None, false) => "send the `x-amz-server-side-encryption` header with the upload; bucket default encryption does not add it".to_string(),
                };
                (
                    "access/encryption-header",
                    format!("{name} blocks"),
                    Some(help),
                )
            }
            _ => ("access/explicit-deny", format!("{name} blocks"), None),
        };
        let mut draft = self.draft_because(code, loc, &what, self.because_of(t, r), Vec::new());
        if let Some(h) = help {
            if draft.help.is_none() {
                draft.help = Some(h);
            }
        }
        draft.notes.extend(self.also_denied(Some((t, r))));
        // The trace names this Deny first among those that decide.
        if std::ptr::eq(t, &self.decision.trace) {
            let locate = self.locate();
            let l: Locate<'_> = &locate;
            let mut trace = render::explain_led_by(self.decision, self.req, l, Some(r));
            self.mark_stand_ins(&mut trace);
            draft.trace = Some(trace);
        }
        draft
            .related
            .push((self.src.clone(), "the intent this Deny blocks".to_string()));
        Some(draft)
    }
}

/// "SCP level `root`", or "SCP level 2" when the workspace gives the level no name.
fn org_level(kind: &str, p: &latch_eval::trace::PolicyTrace) -> String {
    let level = match p.layer {
        Layer::Scp { level } | Layer::Rcp { level } => level + 1,
        _ => 0,
    };
    match &p.level_name {
        Some(n) => format!("{kind} level `{n}`"),
        None => format!("{kind} level {level}"),
    }
}

//! `access/kms-key`: the caller cannot use the KMS key of SSE-KMS objects. The decision comes from the workspace simulation
//! (`crate::access`); this file turns it into the finding (the `impl Ctx` below) and
//! holds the documentation, whose example and preferred form are workspace fixtures that
//! the docs test runs.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "access/kms-key",
    severity: Severity::Error,
    summary: "the caller cannot use the KMS key of SSE-KMS objects",
    what: r#"Follows each S3 request on an SSE-KMS bucket to the KMS request it implies (`kms:Decrypt` for reads, `kms:GenerateDataKey` for writes) and evaluates it against the key policy and the caller's policies. The finding sits on the grant that has no effect, with the key policy as related location."#,
    why: r#"The key policy is primary: IAM policies count only where it delegates to the account, and across accounts both the key policy and the caller's identity policy must allow. Without the key the object read or write answers 403."#,
    example: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/iam/report-reader.json"
        ),
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/latch.toml"
        ),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/cross-account-json/s3/bucket-policy.json"
        ),
    ),
    prefer: concat!(
        "//- iam/report-reader.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/iam/report-reader.json"
        ),
        "//- kms/key-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/kms/key-policy.json"
        ),
        "//- latch.toml\n",
        include_str!("../../../../../tests/fixtures/scenarios/access__kms-key/ok/latch.toml"),
        "//- s3/bucket-policy.json\n",
        include_str!(
            "../../../../../tests/fixtures/scenarios/access__kms-key/ok/s3/bucket-policy.json"
        ),
    ),
    fix: FixAvailability::Always,
};

use crate::access::prelude::*;

impl Ctx<'_> {
    pub(crate) fn kms(&self, dep: &latch_eval::DependentDecision) -> Option<Draft> {
        let identity_side = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::IdentityRequired | Blocker::DelegationWithoutIdentityAllow)
        );
        if identity_side && self.identity_unknown() {
            return None;
        }
        let mut fixes = Vec::new();
        let key_policy = self.ix.key(&dep.resource).and_then(|k| k.policy.clone());
        let identity_missing = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::IdentityRequired | Blocker::DelegationWithoutIdentityAllow)
        );
        let key_missing = matches!(
            dep.trace.basis,
            Basis::Blocked(Blocker::KeyPolicy | Blocker::KeyPolicyUnknown | Blocker::NoAllow)
        );
        let caller = self
            .ix
            .principal(&self.intent.principal)
            .map_or(self.intent.principal.clone(), |p| p.arn.clone());
        let actions: Vec<&str> = if dep.action == "kms:GenerateDataKey" {
            vec!["kms:GenerateDataKey", "kms:Encrypt"]
        } else {
            vec![dep.action.as_str()]
        };
        let key_fix = |fixes: &mut Vec<Fix>| {
            if let Some(kp) = &key_policy {
                let stmt = format!(
                    r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": {{"AWS": {}}}, "Action": [{}], "Resource": "*"}}"#,
                    sid_word(&caller),
                    json_string(&caller),
                    actions
                        .iter()
                        .map(|a| json_string(a))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                fixes.extend(append_fix(
                    self.ws,
                    kp,
                    &stmt,
                    &format!("add a key policy statement allowing `{caller}` to use the key"),
                ));
            }
        };
        // Whether the key policy already grants the caller: then only the identity side
        // needs an edit.
        let key_grants = dep.trace.policies.iter().any(|p| {
            p.layer == Layer::Resource
                && p.statements.iter().any(|s| {
                    s.outcome.is_match()
                        && p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow)
                })
        });
        if identity_missing {
            fixes.extend(self.identity_fix(&dep.action, &dep.resource));
            if !key_grants {
                key_fix(&mut fixes);
            }
        } else {
            key_fix(&mut fixes);
            if key_missing && !self.same_account(&dep.resource) && !identity_allows(&dep.trace) {
                fixes.extend(self.identity_fix(&dep.action, &dep.resource));
            }
        }
        let key = match self.ix.key(&dep.resource) {
            Some(k) if k.stand_in => {
                // `key/NAME`, or `key/CALL.NAME` for a key a module call makes.
                let id = k.arn.rsplit('/').next().unwrap_or_default();
                let address = match id.split_once('.') {
                    Some((call, name)) => format!("module.{call}.aws_kms_key.{name}"),
                    None => format!("aws_kms_key.{id}"),
                };
                format!("the key `{address}` (its ARN is known after apply)")
            }
            _ => format!("the key `{}`", dep.resource),
        };
        let mut d = self.draft_because(
            "access/kms-key",
            self.src.clone(),
            &self.no_effect(),
            format!("the objects are SSE-KMS with {key}, and {}", self.because()),
            fixes,
        );
        if let Some(kp) = &key_policy {
            d.related.push((
                Loc {
                    path: kp.path.clone(),
                    span: kp.policy().span,
                },
                "the key policy".into(),
            ));
        }
        Some(d)
    }
}

impl Ctx<'_> {
    pub(crate) fn kms_on_key(&self, b: &Blocker) -> Option<Draft> {
        let src = self.src.clone();
        let caller = self.intent.principal.clone();
        let fixes = match self
            .ix
            .key(&self.intent.resource)
            .and_then(|k| k.policy.clone())
        {
            Some(kp) if !matches!(b, Blocker::DelegationWithoutIdentityAllow) => {
                let stmt = format!(
                    r#"{{"Sid": "Allow{}", "Effect": "Allow", "Principal": {{"AWS": {}}}, "Action": {}, "Resource": "*"}}"#,
                    sid_word(&caller),
                    json_string(&caller),
                    json_string(&self.intent.action)
                );
                append_fix(
                    self.ws,
                    &kp,
                    &stmt,
                    &format!("add a key policy statement allowing `{caller}` to use the key"),
                )
            }
            _ => self.identity_fix(&self.intent.action, &self.intent.resource),
        };
        Some(self.draft("access/kms-key", src, &self.no_effect(), fixes))
    }
}

//! Access cases (`tests/conformance/README.md`): loading with strict field checking
//! (unknown members are errors, `null` is the same as absent), building the policy set
//! and request of a case, and checking the decision against the expectation. Pure: the
//! caller reads the files.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::{Arc, OnceLock};

use latch_syntax::policy::{PolicyKind, policy_only};
use serde::Deserialize;
use serde_json::Value;

use crate::compile::{CompiledPolicy, PolicyRef};
use crate::decide::{PolicySet, VpcEndpoint, evaluate};
use crate::request::{Context, PrincipalId, Request};
use crate::s3::{AclGrant, AclPermission, BlockPublicAccess, Grantee, ObjectOwnership, S3Facts};
use crate::trace::{Decision, Outcome};

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub policies: Option<CasePolicies>,
    pub request: CaseRequest,
    #[serde(default)]
    pub s3: Option<CaseS3>,
    pub expect: String,
    #[serde(default)]
    pub expect_extra: Option<ExpectExtra>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePolicies {
    #[serde(default)]
    pub identity: Option<Vec<Value>>,
    #[serde(default)]
    pub resource: Option<Value>,
    #[serde(default)]
    pub resource_account: Option<String>,
    #[serde(default)]
    pub scp: Option<Vec<Vec<Value>>>,
    #[serde(default)]
    pub rcp: Option<Vec<Vec<Value>>>,
    #[serde(default)]
    pub boundary: Option<Value>,
    #[serde(default)]
    pub session: Option<Value>,
    #[serde(default)]
    pub vpce: Option<Value>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    pub principal: String,
    pub action: String,
    pub resource: String,
    #[serde(default)]
    pub context: Option<BTreeMap<String, Value>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CaseS3 {
    #[serde(default)]
    pub bucket_owner_account: Option<String>,
    #[serde(default)]
    pub object_owner_account: Option<String>,
    #[serde(default)]
    pub object_ownership: Option<String>,
    #[serde(default)]
    pub object_acl: Option<Vec<CaseGrant>>,
    #[serde(default)]
    pub block_public_access: Option<CaseBpa>,
    #[serde(default)]
    pub requester_pays: Option<bool>,
    #[serde(default)]
    pub request_payer_header: Option<bool>,
    #[serde(default)]
    pub object_exists: Option<bool>,
    #[serde(default)]
    pub object_encryption: Option<CaseEncryption>,
    #[serde(default)]
    pub kms_key_policy: Option<Value>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseGrant {
    pub grantee: CaseGrantee,
    pub permission: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseGrantee {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub account: Option<String>,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub uri: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseBpa {
    #[serde(default, rename = "BlockPublicAcls")]
    pub block_public_acls: Option<bool>,
    #[serde(default, rename = "IgnorePublicAcls")]
    pub ignore_public_acls: Option<bool>,
    #[serde(default, rename = "BlockPublicPolicy")]
    pub block_public_policy: Option<bool>,
    #[serde(default, rename = "RestrictPublicBuckets")]
    pub restrict_public_buckets: Option<bool>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CaseEncryption {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub kms_key_arn: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExpectExtra {
    #[serde(default)]
    pub http_status: Option<u16>,
    #[serde(default)]
    pub s3_error_code: Option<String>,
    #[serde(default)]
    pub dependent_checks: Option<Vec<DependentCheck>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DependentCheck {
    pub action: String,
    pub resource: String,
    pub decision: String,
}

/// Reads a JSON array of cases. The error names the problem and its line.
pub fn load_cases(text: &str) -> Result<Vec<Case>, String> {
    serde_json::from_str(text).map_err(|e| format!("{e}"))
}

/// A case ready to evaluate: compiled policies and the request.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub set: PolicySet,
    pub request: Request,
    pub expect: Outcome,
}

/// Turns a policy of a case (a JSON value) into a compiled policy.
pub type Compile<'a> = &'a mut dyn FnMut(&str, PolicyKind, &Value) -> Arc<CompiledPolicy>;

/// The default [`Compile`]: serializes the value and parses the text as a policy.
pub fn compile_value(label: &str, kind: PolicyKind, v: &Value) -> Arc<CompiledPolicy> {
    compile_text(label, kind, &policy_text(v))
}

/// The text of a policy given as a JSON value.
pub fn policy_text(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Parses and compiles a policy text: only the model is built (no JSON tree, no
/// findings).
pub fn compile_text(label: &str, kind: PolicyKind, text: &str) -> Arc<CompiledPolicy> {
    Arc::new(CompiledPolicy::from_policy(
        PolicyRef::new(shared_label(label), kind),
        policy_only(text),
    ))
}

/// The label as a shared string: the labels most cases use are made once and shared.
fn shared_label(label: &str) -> Arc<str> {
    static COMMON: OnceLock<Vec<Arc<str>>> = OnceLock::new();
    let common = COMMON.get_or_init(|| {
        [
            "identity[0]",
            "identity[1]",
            "identity[2]",
            "resource",
            "boundary",
            "session",
            "vpce",
            "s3.kmsKeyPolicy",
            "scp[0][0]",
            "scp[1][0]",
            "scp[2][0]",
            "rcp[0][0]",
            "rcp[1][0]",
        ]
        .map(Arc::from)
        .to_vec()
    });
    match common.iter().find(|l| ***l == *label) {
        Some(l) => Arc::clone(l),
        None => Arc::from(label),
    }
}

fn context_values(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(context_values).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

/// The kind of the resource policy of a case: a key policy for KMS keys, a trust policy
/// for `sts:AssumeRole*` on a role, else a resource policy.
fn resource_kind(req: &Request) -> PolicyKind {
    let parts = crate::arn::split_arn(&req.resource);
    match parts {
        Some(p) if p.service == "kms" => PolicyKind::KeyPolicy,
        Some(p)
            if p.service == "iam"
                && p.resource.starts_with("role/")
                && req.action_lower.starts_with("sts:assumerole") =>
        {
            PolicyKind::Trust
        }
        _ => PolicyKind::Resource,
    }
}

/// The bytes of a [`Label`] written on the stack.
const LABEL_BUF: usize = 32;

/// A policy's label such as `scp[1][0]`, written on the stack.
#[derive(Default)]
struct Label {
    buf: [u8; LABEL_BUF],
    long: String,
}

impl Label {
    fn write<'a>(&'a mut self, name: &str, indexes: &[usize]) -> &'a str {
        const IDENTITY: [&str; 4] = ["identity[0]", "identity[1]", "identity[2]", "identity[3]"];
        if let ("identity", [i]) = (name, indexes) {
            if let Some(l) = IDENTITY.get(*i) {
                return l;
            }
        }
        let mut rest: &mut [u8] = &mut self.buf;
        let ok =
            write!(rest, "{name}").is_ok() && indexes.iter().all(|i| write!(rest, "[{i}]").is_ok());
        let n = LABEL_BUF - rest.len();
        match self.buf.get(..n).map(std::str::from_utf8) {
            Some(Ok(s)) if ok => s,
            _ => {
                self.long = name.to_string();
                for i in indexes {
                    self.long.push_str(&format!("[{i}]"));
                }
                &self.long
            }
        }
    }
}

/// Builds the policy set and request of a case.
pub fn prepare(case: &Case) -> Result<Prepared, String> {
    prepare_with(case, &mut compile_value)
}

/// Like [`prepare`], with the caller's way of compiling each policy (benchmarks use it to
/// parse pre-serialized texts).
pub fn prepare_with(case: &Case, compile_value: Compile<'_>) -> Result<Prepared, String> {
    let expect = Outcome::parse(&case.expect)
        .ok_or_else(|| format!("unknown expectation `{}`", case.expect))?;
    let mut context = Context::new();
    for (k, v) in case.request.context.iter().flatten() {
        context.insert(k, context_values(v));
    }
    let request = Request::new(
        PrincipalId::parse(&case.request.principal),
        &case.request.action,
        &case.request.resource,
        context,
    );
    let mut label = Label::default();
    let none = CasePolicies::default();
    let p = case.policies.as_ref().unwrap_or(&none);
    let mut set = PolicySet {
        scp_names: Vec::new(),
        rcp_names: Vec::new(),
        identity: p
            .identity
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| compile_value(label.write("identity", &[i]), PolicyKind::Identity, v))
            .collect(),
        resource: p
            .resource
            .as_ref()
            .map(|v| compile_value("resource", resource_kind(&request), v)),
        resource_account: p.resource_account.clone(),
        scp: p
            .scp
            .iter()
            .flatten()
            .enumerate()
            .map(|(l, ps)| {
                ps.iter()
                    .enumerate()
                    .map(|(i, v)| compile_value(label.write("scp", &[l, i]), PolicyKind::Scp, v))
                    .collect()
            })
            .collect(),
        rcp: p
            .rcp
            .iter()
            .flatten()
            .enumerate()
            .map(|(l, ps)| {
                ps.iter()
                    .enumerate()
                    .map(|(i, v)| compile_value(label.write("rcp", &[l, i]), PolicyKind::Rcp, v))
                    .collect()
            })
            .collect(),
        boundary: p
            .boundary
            .as_ref()
            .map(|v| compile_value("boundary", PolicyKind::Boundary, v)),
        session: p
            .session
            .as_ref()
            .map(|v| compile_value("session", PolicyKind::Session, v)),
        vpc_endpoints: p
            .vpce
            .as_ref()
            .map(|v| VpcEndpoint {
                id: None,
                policy: compile_value("vpce", PolicyKind::VpcEndpoint, v),
            })
            .into_iter()
            .collect(),
        s3: None,
        identity_unknown: false,
    };
    if let Some(s) = &case.s3 {
        let mut acl = Vec::new();
        for g in s.object_acl.iter().flatten() {
            let grantee = match g.grantee.kind.as_str() {
                "CanonicalUser" => match (&g.grantee.account, &g.grantee.id) {
                    (Some(a), _) => Grantee::Account(a.clone()),
                    (None, Some(id)) => Grantee::CanonicalId(id.clone()),
                    (None, None) => {
                        return Err("a `CanonicalUser` grantee needs `account` or `id`".into());
                    }
                },
                "Group" => Grantee::group(g.grantee.uri.as_deref().unwrap_or_default()),
                other => return Err(format!("unknown grantee type `{other}`")),
            };
            let permission = AclPermission::parse(&g.permission)
                .ok_or_else(|| format!("unknown ACL permission `{}`", g.permission))?;
            acl.push(AclGrant {
                grantee,
                permission,
            });
        }
        let ownership = match &s.object_ownership {
            Some(o) => Some(
                ObjectOwnership::parse(o)
                    .ok_or_else(|| format!("unknown object ownership `{o}`"))?,
            ),
            None => None,
        };
        let bpa = s.block_public_access.clone().unwrap_or_default();
        let kms_key = match &s.object_encryption {
            Some(e) if e.kind == "SSE-KMS" || e.kind == "aws:kms" => e.kms_key_arn.clone(),
            _ => None,
        };
        set.s3 = Some(S3Facts {
            bucket_owner: s.bucket_owner_account.clone(),
            object_owner: s.object_owner_account.clone(),
            object_ownership: ownership,
            object_acl: acl,
            block_public_access: BlockPublicAccess {
                block_public_acls: bpa.block_public_acls.unwrap_or(false),
                ignore_public_acls: bpa.ignore_public_acls.unwrap_or(false),
                block_public_policy: bpa.block_public_policy.unwrap_or(false),
                restrict_public_buckets: bpa.restrict_public_buckets.unwrap_or(false),
            },
            requester_pays: s.requester_pays.unwrap_or(false),
            request_payer_header: s.request_payer_header.unwrap_or(false),
            object_exists: s.object_exists,
            kms_key,
            kms_key_policy: s
                .kms_key_policy
                .as_ref()
                .map(|v| compile_value("s3.kmsKeyPolicy", PolicyKind::KeyPolicy, v)),
        });
    }
    Ok(Prepared {
        set,
        request,
        expect,
    })
}

/// The result of one case.
#[derive(Clone, Debug)]
pub struct CaseResult {
    pub name: String,
    pub expected: Outcome,
    pub decision: Decision,
    /// Every way the decision differs from the expectation; empty when the case passes.
    pub mismatches: Vec<String>,
}

impl CaseResult {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Compares a decision with the case's expectation.
pub fn check(case: &Case, expected: Outcome, decision: &Decision) -> Vec<String> {
    let mut out = Vec::new();
    if decision.outcome != expected {
        out.push(format!(
            "expected `{}`, got `{}`",
            expected.as_str(),
            decision.outcome.as_str()
        ));
    }
    let Some(extra) = &case.expect_extra else {
        return out;
    };
    if let Some(status) = extra.http_status {
        let got = decision.http.as_ref().map(|h| h.status);
        if got != Some(status) {
            out.push(format!(
                "expected http status {status}, got {}",
                got.map_or("none".to_string(), |s| s.to_string())
            ));
        }
    }
    if let Some(code) = &extra.s3_error_code {
        let got = decision.http.as_ref().and_then(|h| h.code);
        if got != Some(code.as_str()) {
            out.push(format!(
                "expected s3 error `{code}`, got `{}`",
                got.unwrap_or("none")
            ));
        }
    }
    if let Some(deps) = &extra.dependent_checks {
        if deps.len() != decision.dependent.len() {
            out.push(format!(
                "expected {} dependent checks, got {}",
                deps.len(),
                decision.dependent.len()
            ));
        }
        for (want, got) in deps.iter().zip(&decision.dependent) {
            let want_outcome = Outcome::parse(&want.decision);
            if want.action != got.action
                || want.resource != got.resource
                || want_outcome != Some(got.outcome)
            {
                out.push(format!(
                    "expected dependent `{}` on `{}` to be `{}`, got `{}` on `{}`: `{}`",
                    want.action,
                    want.resource,
                    want.decision,
                    got.action,
                    got.resource,
                    got.outcome.as_str()
                ));
            }
        }
    }
    out
}

/// Runs one case.
pub fn run_case(case: &Case) -> Result<CaseResult, String> {
    let prepared = prepare(case)?;
    let decision = evaluate(&prepared.set, &prepared.request);
    let mismatches = check(case, prepared.expect, &decision);
    Ok(CaseResult {
        name: case.name.clone(),
        expected: prepared.expect,
        decision,
        mismatches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_the_policy_whatever_the_index() {
        let mut l = Label::default();
        assert_eq!(l.write("identity", &[0]), "identity[0]");
        assert_eq!(l.write("scp", &[12, 3]), "scp[12][3]");
        let big = l.write("rcp", &[usize::MAX, usize::MAX]).to_string();
        assert_eq!(big, format!("rcp[{}][{}]", usize::MAX, usize::MAX));
    }
}

//! From a manifest and a request to the policy set the engine evaluates: which identity
//! policies, boundary and session policy the caller has (its `[[principal]]`), which
//! bucket or key the resource is (`[[bucket]]`, `[[key]]`) with its policy, owner and S3
//! facts, which SCP and RCP levels apply to the caller's and the resource's accounts, and
//! the VPC endpoints. Pure: the caller supplies a lookup from a manifest-relative policy
//! reference to its parsed policy (a JSON file today, a Terraform-aware index later).

use std::sync::Arc;

use latch_eval::{
    BlockPublicAccess, CompiledPolicy, ObjectOwnership, PolicyRef, PolicySet, PrincipalId, Request,
    S3Facts, VpcEndpoint,
};
use latch_eval::{Context, Outcome};
use latch_syntax::finding::Finding;
use latch_syntax::manifest::{ExpectDecl, ExpectedDecision, Manifest, OrgPolicyDecl};
use latch_syntax::policy::{ParsedPolicy, PolicyKind};
use latch_syntax::span::Spanned;

/// The assembled set, and the references the lookup could not resolve (findings on the
/// manifest, at the reference).
#[derive(Clone, Debug, Default)]
pub struct Scenario {
    pub set: PolicySet,
    pub unresolved: Vec<Finding>,
}

struct Builder<F> {
    lookup: F,
    unresolved: Vec<Finding>,
}

impl<'p, F> Builder<F>
where
    F: Fn(&str) -> Option<&'p ParsedPolicy>,
{
    fn compile(&mut self, r: &Spanned<String>, kind: PolicyKind) -> Option<Arc<CompiledPolicy>> {
        match (self.lookup)(&r.value) {
            Some(p) => Some(Arc::new(CompiledPolicy::new(
                PolicyRef::new(r.value.as_str(), kind),
                &p.policy,
            ))),
            None => {
                self.unresolved.push(Finding::error(
                    "manifest/unresolved-policy",
                    r.span,
                    format!("no policy found at `{}`", r.value),
                ));
                None
            }
        }
    }

    /// Org policies grouped by level, in order of first appearance, for one account.
    fn levels(
        &mut self,
        decls: &[OrgPolicyDecl],
        account: Option<&str>,
        kind: PolicyKind,
    ) -> Vec<Vec<Arc<CompiledPolicy>>> {
        let Some(account) = account else {
            return Vec::new();
        };
        let mut names: Vec<String> = Vec::new();
        let mut levels: Vec<Vec<Arc<CompiledPolicy>>> = Vec::new();
        for d in decls {
            let applies = d.accounts.is_empty() || d.account_ids.iter().any(|a| a == account);
            if !applies {
                continue;
            }
            let level = d
                .level
                .as_ref()
                .map_or_else(|| "root".to_string(), |l| l.value.clone());
            let i = match names.iter().position(|n| *n == level) {
                Some(i) => i,
                None => {
                    names.push(level);
                    levels.push(Vec::new());
                    levels.len() - 1
                }
            };
            if let Some(p) = d.policy.as_ref().and_then(|r| self.compile(r, kind)) {
                levels[i].push(p);
            }
        }
        levels
    }
}

/// Whether a `[[principal]]` ARN describes the caller: the same ARN, or the role of a
/// role session.
fn describes(decl: &str, caller: &PrincipalId) -> bool {
    if decl == caller.arn() {
        return true;
    }
    match (PrincipalId::parse(decl), caller) {
        (
            PrincipalId::Role { account, name, .. },
            PrincipalId::AssumedRole {
                account: a, role, ..
            },
        ) => account == *a && name == *role,
        _ => false,
    }
}

/// Assembles the policy set for `request` from `manifest`. `lookup` maps a policy
/// reference as written in the manifest to its parsed policy.
pub fn assemble<'p>(
    manifest: &Manifest,
    request: &Request,
    lookup: impl Fn(&str) -> Option<&'p ParsedPolicy>,
) -> Scenario {
    let mut b = Builder {
        lookup,
        unresolved: Vec::new(),
    };
    let mut set = PolicySet::default();
    let caller = &request.principal;

    // The caller's own policies.
    if let Some(p) = manifest
        .principals
        .iter()
        .find(|p| p.arn.as_ref().is_some_and(|a| describes(&a.value, caller)))
    {
        set.identity = p
            .policies
            .iter()
            .filter_map(|r| b.compile(r, PolicyKind::Identity))
            .collect();
        set.boundary = p
            .boundary
            .as_ref()
            .and_then(|r| b.compile(r, PolicyKind::Boundary));
        set.session = p
            .session_policy
            .as_ref()
            .and_then(|r| b.compile(r, PolicyKind::Session));
    }

    // The resource: a bucket or object, or a KMS key.
    let bucket_name = request
        .resource
        .strip_prefix("arn:aws:s3:::")
        .map(|r| r.split('/').next().unwrap_or(r));
    let bucket = bucket_name.and_then(|n| {
        manifest
            .buckets
            .iter()
            .find(|b| b.name.as_ref().is_some_and(|x| x.value == n))
    });
    if let Some(bk) = bucket {
        set.resource = bk
            .policy
            .as_ref()
            .and_then(|r| b.compile(r, PolicyKind::Resource));
        set.resource_account = bk.account_id.clone();
        let kms_key = bk.kms_key.as_ref().map(|k| k.value.clone());
        let kms_key_policy = kms_key.as_ref().and_then(|k| {
            let decl = manifest
                .keys
                .iter()
                .find(|d| d.arn.as_ref().is_some_and(|a| a.value == *k))?;
            decl.policy
                .as_ref()
                .and_then(|r| b.compile(r, PolicyKind::KeyPolicy))
        });
        let bpa = bk
            .block_public_access
            .as_ref()
            .map(|s| s.value)
            .unwrap_or_default();
        let payer = request
            .context
            .values("x-amz-request-payer")
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("requester"));
        set.s3 = Some(S3Facts {
            bucket_owner: bk.account_id.clone(),
            object_owner: None,
            object_ownership: bk
                .object_ownership
                .as_ref()
                .and_then(|o| ObjectOwnership::parse(&o.value))
                // New buckets enforce bucket-owner ownership (§8.2).
                .or(Some(ObjectOwnership::BucketOwnerEnforced)),
            object_acl: Vec::new(),
            block_public_access: BlockPublicAccess {
                block_public_acls: bpa.block_public_acls,
                ignore_public_acls: bpa.ignore_public_acls,
                block_public_policy: bpa.block_public_policy,
                restrict_public_buckets: bpa.restrict_public_buckets,
            },
            requester_pays: bk.requester_pays.as_ref().is_some_and(|r| r.value),
            request_payer_header: payer,
            object_exists: None,
            kms_key,
            kms_key_policy,
        });
    } else if let Some(key) = manifest
        .keys
        .iter()
        .find(|k| k.arn.as_ref().is_some_and(|a| a.value == request.resource))
    {
        set.resource = key
            .policy
            .as_ref()
            .and_then(|r| b.compile(r, PolicyKind::KeyPolicy));
    }

    // Organization policies: SCPs follow the caller's account, RCPs the resource's.
    let resource_account = set
        .resource_account
        .clone()
        .or_else(|| request.resource_arn_account().map(str::to_string))
        .or_else(|| caller.account().map(str::to_string));
    set.scp = b.levels(&manifest.scps, caller.account(), PolicyKind::Scp);
    set.rcp = b.levels(&manifest.rcps, resource_account.as_deref(), PolicyKind::Rcp);

    set.vpc_endpoints = manifest
        .vpc_endpoints
        .iter()
        .filter_map(|e| {
            let policy = e
                .policy
                .as_ref()
                .and_then(|r| b.compile(r, PolicyKind::VpcEndpoint))?;
            Some(VpcEndpoint {
                id: e.id.as_ref().map(|i| i.value.clone()),
                policy,
            })
        })
        .collect();

    Scenario {
        set,
        unresolved: b.unresolved,
    }
}

/// The requests an `[[expect]]` entry stands for: one per action, each with the span of
/// its action in the manifest. Empty when the entry lacks a principal or resource.
pub fn expect_requests(e: &ExpectDecl) -> Vec<(Spanned<String>, Request)> {
    let (Some(principal), Some(resource)) = (&e.principal, &e.resource) else {
        return Vec::new();
    };
    let mut context = Context::new();
    for (k, vs) in &e.context {
        context.insert(&k.value, vs.iter().map(|v| v.value.clone()).collect());
    }
    e.actions
        .iter()
        .map(|a| {
            let req = Request::new(
                PrincipalId::parse(&principal.value),
                &a.value,
                &resource.value,
                context.clone(),
            );
            (a.clone(), req)
        })
        .collect()
}

/// Whether an outcome is what an `[[expect]]` entry asks for (`deny` accepts both kinds).
pub fn meets(expected: ExpectedDecision, outcome: Outcome) -> bool {
    match expected {
        ExpectedDecision::Allow => outcome == Outcome::Allow,
        ExpectedDecision::Deny => outcome != Outcome::Allow,
        ExpectedDecision::ExplicitDeny => outcome == Outcome::ExplicitDeny,
        ExpectedDecision::ImplicitDeny => outcome == Outcome::ImplicitDeny,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latch_eval::evaluate;
    use latch_syntax::manifest::parse_manifest;
    use latch_syntax::policy::parse_policy;
    use std::collections::HashMap;

    const MANIFEST: &str = r#"[accounts]
storage = "444455556666"
analytics = "111122223333"

[[principal]]
arn = "arn:aws:iam::111122223333:role/Reader"
policies = ["iam/reader.json"]

[[bucket]]
name = "exports"
account = "storage"
policy = "s3/bucket.json"

[[scp]]
policy = "org/full.json"
level = "root"

[[scp]]
policy = "org/no-s3.json"
level = "ou"
accounts = ["analytics"]
"#;

    fn files() -> HashMap<&'static str, ParsedPolicy> {
        let mut m = HashMap::new();
        m.insert(
            "iam/reader.json",
            parse_policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#),
        );
        m.insert(
            "s3/bucket.json",
            parse_policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::exports/*"}]}"#),
        );
        m.insert(
            "org/full.json",
            parse_policy(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#),
        );
        m.insert(
            "org/no-s3.json",
            parse_policy(r#"{"Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":"*"}]}"#),
        );
        m
    }

    fn request(principal: &str) -> Request {
        Request::new(
            PrincipalId::parse(principal),
            "s3:GetObject",
            "arn:aws:s3:::exports/a.csv",
            Context::new(),
        )
    }

    #[test]
    fn a_role_session_gets_its_role_policies_and_its_account_scps() {
        let m = parse_manifest(MANIFEST).manifest;
        let f = files();
        let req = request("arn:aws:sts::111122223333:assumed-role/Reader/s");
        let s = assemble(&m, &req, |p| f.get(p));
        assert!(s.unresolved.is_empty());
        assert_eq!(s.set.identity.len(), 1);
        assert_eq!(s.set.resource_account.as_deref(), Some("444455556666"));
        assert_eq!(s.set.scp.len(), 2);
        // The OU level allows only EC2, so the SCPs block the read.
        let d = evaluate(&s.set, &req);
        assert_eq!(d.outcome, Outcome::ImplicitDeny);
    }

    #[test]
    fn unresolved_references_are_reported_at_the_reference() {
        let m = parse_manifest(MANIFEST).manifest;
        let f = files();
        let req = request("arn:aws:iam::111122223333:role/Reader");
        let s = assemble(&m, &req, |p| {
            if p == "s3/bucket.json" {
                None
            } else {
                f.get(p)
            }
        });
        assert_eq!(s.unresolved.len(), 1);
        let span = s.unresolved[0].range;
        assert_eq!(&MANIFEST[span.range()], "\"s3/bucket.json\"");
    }

    #[test]
    fn expect_entries_become_one_request_per_action() {
        let text = format!(
            "{MANIFEST}\n[[expect]]\nprincipal = \"arn:aws:iam::111122223333:role/Reader\"\naction = [\"s3:GetObject\", \"s3:PutObject\"]\nresource = \"arn:aws:s3:::exports/a.csv\"\ncontext = {{ \"aws:SourceVpce\" = \"vpce-1\" }}\ndecision = \"deny\"\n"
        );
        let m = parse_manifest(&text).manifest;
        let reqs = expect_requests(&m.expects[0]);
        assert_eq!(reqs.len(), 2);
        assert_eq!(&text[reqs[1].0.span.range()], "\"s3:PutObject\"");
        assert_eq!(
            reqs[0].1.context.values("aws:sourcevpce").unwrap(),
            ["vpce-1"]
        );
        let f = files();
        let s = assemble(&m, &reqs[0].1, |p| f.get(p));
        let d = evaluate(&s.set, &reqs[0].1);
        assert!(meets(ExpectedDecision::Deny, d.outcome));
        assert!(!meets(ExpectedDecision::Allow, d.outcome));
    }
}

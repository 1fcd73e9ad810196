//! The run over the engine: for each intent, the policies and S3 facts that apply
//! ([`policy_set`]), the open decision, and the findings its checks draw from it, reused
//! while the policies and settings it rests on are the same.

use crate::access::prelude::*;

/// The policy set that applies to `req`, and the SCP/RCP level names in order.
pub fn policy_set(
    ix: &Index,
    req: &Request,
) -> (PolicySet, Vec<Arc<PolicyEntry>>, Vec<Arc<PolicyEntry>>) {
    let mut set = PolicySet::default();
    let caller = &req.principal;
    match ix.principal(caller.arn()) {
        Some(p) => {
            set.identity = p.identity.iter().map(|e| e.compiled.clone()).collect();
            set.boundary = p.boundary.as_ref().map(|e| e.compiled.clone());
            set.session = p.session.as_ref().map(|e| e.compiled.clone());
            set.identity_unknown = p.identity_unknown;
        }
        // A principal the workspace does not describe (a partner's role): its own
        // policies are not here, so they are neither an allow nor a deny.
        None => {
            set.identity_unknown =
                !matches!(caller, PrincipalId::Anonymous | PrincipalId::Service(_));
        }
    }
    if let Some(b) = ix.bucket_of(&req.resource) {
        set.resource = b.policy.as_ref().map(|e| e.compiled.clone());
        set.resource_account = b.account.clone();
        // Only a key whose policy the workspace holds takes part: for another key (an AWS
        // managed key, one of another workspace, a Terraform key without `policy`) the
        // dependent request cannot be decided, and no finding may rest on it.
        let kms_key_policy = b
            .kms_key
            .as_ref()
            .and_then(|k| ix.key(&k.value))
            .and_then(|k| k.policy.as_ref())
            .map(|e| e.compiled.clone());
        let kms_key = kms_key_policy
            .as_ref()
            .and(b.kms_key.as_ref().map(|k| k.value.clone()));
        let payer = req
            .context
            .values("x-amz-request-payer")
            .or_else(|| req.context.values("s3:RequestPayer"))
            .and_then(|v| v.first())
            .is_some_and(|v| v.eq_ignore_ascii_case("requester"));
        set.s3 = Some(S3Facts {
            bucket_owner: b.account.clone(),
            object_owner: None,
            object_ownership: Some(
                b.ownership
                    .as_ref()
                    .map_or(ObjectOwnership::BucketOwnerEnforced, |o| o.value),
            ),
            object_acl: Vec::new(),
            block_public_access: b
                .block_public_access
                .as_ref()
                .map(|s| s.value)
                .unwrap_or_default(),
            requester_pays: b.requester_pays(),
            request_payer_header: payer,
            object_exists: None,
            kms_key,
            kms_key_policy,
        });
    } else if let Some(k) = ix.key(&req.resource) {
        set.resource = k.policy.as_ref().map(|e| e.compiled.clone());
    }
    let resource_account = set
        .resource_account
        .clone()
        .or_else(|| req.resource_arn_account().map(str::to_string))
        .or_else(|| caller.account().map(str::to_string));
    let (scp, scp_first, scp_names) = levels(&ix.scps, caller.account(), true);
    let (rcp, rcp_first, rcp_names) = levels(&ix.rcps, resource_account.as_deref(), false);
    set.scp = scp;
    set.rcp = rcp;
    set.scp_names = scp_names;
    set.rcp_names = rcp_names;
    set.vpc_endpoints = ix
        .endpoints
        .iter()
        .map(|e| VpcEndpoint {
            id: e.id.clone(),
            policy: e.policy.compiled.clone(),
        })
        .collect();
    (set, scp_first, rcp_first)
}

/// The policies of each level, the policy a message points at in each, and the levels'
/// names.
pub(crate) type Levels = (
    Vec<Vec<Arc<CompiledPolicy>>>,
    Vec<Arc<PolicyEntry>>,
    Vec<String>,
);

/// Org policies grouped by level for one account, and the first policy of each level.
pub(crate) fn levels(
    decls: &[index::OrgPolicy],
    account: Option<&str>,
    implied_full_access: bool,
) -> Levels {
    let Some(account) = account else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let mut allow_lists: Vec<usize> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    let mut levels: Vec<Vec<Arc<CompiledPolicy>>> = Vec::new();
    let mut entries: Vec<Vec<Arc<PolicyEntry>>> = Vec::new();
    for d in decls {
        if !(d.accounts.is_empty() || d.accounts.iter().any(|a| a == account)) {
            continue;
        }
        let i = match names.iter().position(|n| *n == d.level) {
            Some(i) => i,
            None => {
                names.push(&d.level);
                levels.push(Vec::new());
                entries.push(Vec::new());
                levels.len() - 1
            }
        };
        levels[i].push(d.policy.compiled.clone());
        entries[i].push(d.policy.clone());
        if d.allow_list {
            allow_lists.push(i);
        }
    }
    // AWS attaches `FullAWSAccess` to every root, OU and account: a level whose listed
    // policies allow nothing is a deny list that still has it, unless `latch.toml` says
    // the level is an allow list (docs/aws-rules.md §3.1). Only SCP levels: RCP levels always
    // allow in the engine (`RCPFullAWSAccess` cannot be detached).
    if implied_full_access {
        for (i, level) in levels.iter_mut().enumerate() {
            let any_allow = entries[i].iter().any(|p| {
                p.policy()
                    .statements
                    .iter()
                    .any(|s| s.effect() == Some(Effect::Allow))
            });
            if !any_allow && !allow_lists.contains(&i) {
                level.push(full_aws_access());
            }
        }
    }
    // The policy a fix or a message points at: the one of the level that allows least.
    let first = entries
        .into_iter()
        .filter_map(|e| {
            e.iter()
                .find(|p| !allows_everything(p))
                .or(e.first())
                .cloned()
        })
        .collect();
    let names = names.into_iter().map(str::to_string).collect();
    (levels, first, names)
}

/// AWS's managed `FullAWSAccess` SCP, compiled once.
pub(crate) fn full_aws_access() -> Arc<CompiledPolicy> {
    static POLICY: std::sync::OnceLock<Arc<CompiledPolicy>> = std::sync::OnceLock::new();
    POLICY
        .get_or_init(|| {
            latch_eval::compile_text(
                "FullAWSAccess (attached by AWS to every level unless it is an allow list)",
                latch_syntax::policy::PolicyKind::Scp,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            )
        })
        .clone()
}

pub(crate) fn allows_everything(p: &PolicyEntry) -> bool {
    p.policy().statements.iter().any(|s| {
        s.effect() == Some(Effect::Allow)
            && s.action
                .as_ref()
                .is_some_and(|a| !a.negated && a.values.iter().any(|v| v.value == "*"))
    })
}

/// Where a failing intent is reported: the statement that implies it; for a declared
/// intent, the grant of the decision that has no effect (a resource-policy Allow, else an
/// identity Allow), and only when there is none the `[[expect]]` header.
pub(crate) fn source_loc(ix: &Index, intent: &Intent, d: &Decision) -> Option<Loc> {
    match &intent.source {
        IntentSource::Statement { policy, statement } => policy.statement_loc(*statement),
        IntentSource::Expect(i) => {
            let t = &d.trace;
            for layer in [Layer::Resource, Layer::Identity] {
                for (pi, p) in t.policies.iter().enumerate() {
                    if p.layer != layer || p.not_applicable.is_some() {
                        continue;
                    }
                    for s in &p.statements {
                        let allow =
                            p.statement(s.index).and_then(Statement::effect) == Some(Effect::Allow);
                        if allow && s.outcome.is_match() {
                            let r = StmtRef {
                                policy: pi,
                                statement: s.index,
                            };
                            if let Some(loc) = stmt_loc(ix, t, r) {
                                return Some(loc);
                            }
                        }
                    }
                }
            }
            ix.expects.get(*i).map(|e| e.loc.clone())
        }
    }
}

/// The policies a decision rests on, and the S3 settings, to tell whether a cached
/// decision still holds.
pub(crate) fn fingerprint(set: &PolicySet) -> (Vec<Arc<CompiledPolicy>>, String) {
    let mut ps: Vec<Arc<CompiledPolicy>> = Vec::new();
    ps.extend(set.identity.iter().cloned());
    ps.extend(set.resource.iter().cloned());
    ps.extend(set.boundary.iter().cloned());
    ps.extend(set.session.iter().cloned());
    for l in set.scp.iter().chain(set.rcp.iter()) {
        ps.extend(l.iter().cloned());
    }
    ps.extend(set.vpc_endpoints.iter().map(|e| e.policy.clone()));
    let mut facts = format!(
        "{:?}|{}|{}",
        set.resource_account,
        set.scp.len(),
        set.rcp.len()
    );
    if let Some(s3) = &set.s3 {
        ps.extend(s3.kms_key_policy.iter().cloned());
        facts.push_str(&format!(
            "|{:?}|{:?}|{:?}|{}|{}|{:?}",
            s3.bucket_owner,
            s3.object_ownership,
            s3.block_public_access,
            s3.requester_pays,
            s3.request_payer_header,
            s3.kms_key
        ));
    }
    (ps, facts)
}

pub(crate) fn same_policies(a: &[Arc<CompiledPolicy>], b: &[Arc<CompiledPolicy>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

/// How many intents [`simulate`] evaluates between two questions whether to give up.
const CANCEL_EVERY: usize = 16;

pub(crate) fn simulate(
    ws: &Workspace,
    ix: &Index,
    manifest_rev: u64,
    old: &DecisionCache,
    new: &mut DecisionCache,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Draft>> {
    let mut out = Vec::new();
    let all = intents(ix);
    // One request implied by both a bucket-policy grant and an identity Allow is reported
    // on the grant: that is the statement a reader of the bucket policy is looking at.
    let from_resource: std::collections::HashSet<(String, String, String)> = all
        .iter()
        .filter(|i| matches!(&i.source, IntentSource::Statement { policy, .. } if policy.kind.has_principal()))
        .map(|i| (i.principal.clone(), i.action.to_ascii_lowercase(), bucket_name(&i.resource)))
        .collect();
    for (n, intent) in all.iter().enumerate() {
        // Asked every few intents: a large sub-workspace gives way to newer edits.
        if n % CANCEL_EVERY == CANCEL_EVERY - 1 && cancelled() {
            return None;
        }
        if let IntentSource::Statement { policy, .. } = &intent.source {
            if !policy.kind.has_principal()
                && from_resource.contains(&(
                    intent.principal.clone(),
                    intent.action.to_ascii_lowercase(),
                    bucket_name(&intent.resource),
                ))
            {
                continue;
            }
        }
        let bucket = ix.bucket_of(&intent.resource);
        // Anonymous reads of a website bucket that no Deny stops are the CloudFront
        // checks' business.
        let website_anonymous =
            intent.principal == "anonymous" && bucket.is_some_and(BucketInfo::is_website);
        let req = request_of(ix, intent);
        let (set, scp_first, rcp_first) = policy_set(ix, &req);
        let source = match &intent.source {
            IntentSource::Statement { policy, statement } => {
                format!("{:p}#{statement}", Arc::as_ptr(policy))
            }
            IntentSource::Expect(i) => format!("expect{manifest_rev}#{i}"),
        };
        let settings = bucket.map(|b| {
            format!(
                "{:?}{:?}{:?}{:?}",
                b.ownership.as_ref().map(|o| &o.loc),
                b.acl,
                b.decl,
                b.requester_pays.as_ref().map(|o| &o.loc)
            )
        });
        let key = format!(
            "{}|{}|{}|{:?}|{:?}|{source}|{manifest_rev}|{settings:?}",
            intent.principal, intent.action, intent.resource, intent.context, intent.expect
        );
        let (mut ps, facts) = fingerprint(&set);
        if let IntentSource::Statement { policy, .. } = &intent.source {
            ps.push(policy.compiled.clone());
        }
        if let Some((old_ps, old_facts, drafts)) = old.get(&key).or_else(|| new.get(&key)) {
            if same_policies(old_ps, &ps) && *old_facts == facts {
                out.extend(drafts.iter().cloned());
                new.insert(key, (ps, facts, drafts.clone()));
                continue;
            }
        }
        let open = evaluate_open(&set, &req);
        let d = &open.decision;
        if website_anonymous && d.outcome != Outcome::ExplicitDeny {
            new.insert(key, (ps, facts, Vec::new()));
            continue;
        }
        let Some(src) = source_loc(ix, intent, d) else {
            continue;
        };
        let depends = (open.certainty == Certainty::Depends).then(|| Depends {
            conditions: latch_eval::open::unknowns_in_words(d, &open.unknowns, &intent.action),
            keys: latch_eval::open::unknown_keys(d, &open.unknowns),
            identity: open.unknowns.contains(&latch_eval::Unknown::Identity),
        });
        let ctx = Ctx {
            ws,
            ix,
            intent,
            req: &req,
            decision: d,
            src: &src,
            scp_first: &scp_first,
            rcp_first: &rcp_first,
            depends: depends.as_ref(),
        };
        let mut drafts: Vec<Draft> = Vec::new();
        drafts.extend(ctx.ownership(bucket));
        if intent.expect == ExpectedDecision::Allow {
            drafts.extend(ctx.put_acl(&set));
            if !d.outcome.is_allow() {
                drafts.extend(ctx.denied());
            }
        }
        if let Some(note) = facts::accounts_uncertain(&req, set.resource_account.as_deref()) {
            // The caller's and the resource's accounts were taken to differ, but one is
            // a stand-in: the same finding could vanish if they are one account.
            for d in &mut drafts {
                d.severity = d.severity.max(Severity::Warning);
                d.notes.push(note.clone());
            }
        }
        out.extend(drafts.iter().cloned());
        new.insert(key, (ps, facts, drafts));
    }
    for b in &ix.buckets {
        out.extend(bucket_checks(ws, ix, b));
    }
    out.extend(crate::checks::access::external::report(ix));
    for dist in &ix.distributions {
        if let Some((value, loc, value_span)) = &dist.default_root_object {
            let clean = value.trim().trim_start_matches('/').to_string();
            if clean != *value && !clean.is_empty() {
                out.push(
                    Draft::plain(
                        "cloudfront/default-root-object",
                        Severity::Warning,
                        loc.clone(),
                        format!("CloudFront requests `/{value}` for the root and S3 answers 403"),
                    )
                    .why("the default root object must be an object name without a leading `/` or spaces")
                    .fixes(vec![Fix::safe(
                        format!("strip the default root object to `{clean}`"),
                        vec![Edit::replace(*value_span, json_string(&clean)).in_file(loc.path.clone())],
                    )]),
                );
            }
        }
    }
    Some(out)
}

pub(crate) fn bucket_name(resource: &str) -> String {
    resource
        .strip_prefix("arn:aws:s3:::")
        .map(|r| r.split('/').next().unwrap_or(r).to_string())
        .unwrap_or_else(|| resource.to_string())
}

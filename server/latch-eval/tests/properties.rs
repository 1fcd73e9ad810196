//! Properties of the decision that hold for any policies: the outcome does not depend on
//! the order of statements or of policies; adding a Deny never turns a denial into an
//! allow; adding an Allow never turns an allow into a denial; a statement whose condition
//! fails never decides (it counts exactly as if it were absent).

#![expect(clippy::unwrap_used, reason = "helpers of a test file")]

use std::sync::Arc;

use latch_eval::{
    CompiledPolicy, Context, Outcome, PolicySet, PrincipalId, Request, StatementOutcome,
    compile_text, evaluate,
};
use latch_syntax::policy::PolicyKind;
use proptest::prelude::*;
use serde_json::{Value, json};

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:*",
    "s3:Put*",
    "*",
    "kms:Decrypt",
    "iam:Get*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::other/*",
    "arn:aws:kms:us-east-1:111122223333:key/k",
];
const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:user/bob",
    "arn:aws:sts::111122223333:assumed-role/app/s1",
    "anonymous",
];

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}))),
        Just(Some(
            json!({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}})
        )),
        Just(Some(json!({"Bool": {"aws:SecureTransport": "true"}}))),
        Just(Some(json!({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))),
        Just(Some(
            json!({"ForAnyValue:StringLike": {"aws:TagKeys": ["team*"]}})
        )),
    ]
}

fn principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        Just(json!({"AWS": "111122223333"})),
        Just(json!({"AWS": "arn:aws:iam::111122223333:user/alice"})),
        Just(json!({"AWS": "arn:aws:iam::444455556666:root"})),
        Just(json!({"AWS": "arn:aws:iam::111122223333:role/app"})),
    ]
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        condition(),
        principal(),
    )
        .prop_map(move |(allow, not_action, action, resource, cond, p)| {
            let mut st = json!({
                "Effect": if allow { "Allow" } else { "Deny" },
                (if not_action { "NotAction" } else { "Action" }): action,
                "Resource": resource,
            });
            if let Some(c) = cond {
                st["Condition"] = c;
            }
            if with_principal {
                st["Principal"] = p;
            }
            st
        })
}

fn policy(with_principal: bool) -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(with_principal), 0..4)
}

/// A policy set as statement lists, so tests can rearrange them before compiling.
#[derive(Clone, Debug)]
struct Spec {
    identity: Vec<Vec<Value>>,
    resource: Option<Vec<Value>>,
    boundary: Option<Vec<Value>>,
    scp: Vec<Vec<Vec<Value>>>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(policy(false), 0..3),
        prop::option::of(policy(true)),
        prop::option::of(policy(false)),
        prop::collection::vec(prop::collection::vec(policy(false), 1..3), 0..3),
    )
        .prop_map(|(identity, resource, boundary, scp)| Spec {
            identity,
            resource,
            boundary,
            scp,
        })
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop::sample::select(PRINCIPALS),
        prop::sample::select(&["s3:GetObject", "s3:PutObject", "kms:Decrypt", "iam:GetUser"][..]),
        prop::sample::select(&["arn:aws:s3:::b/k", "arn:aws:s3:::b", "arn:aws:s3:::other/k"][..]),
        prop::option::of(Just("vpce-1")),
        prop::option::of(prop::sample::select(&["true", "false"][..])),
        prop::option::of(prop::sample::select(&["10.1.2.3", "203.0.113.9"][..])),
        prop::collection::vec(prop::sample::select(&["team", "teamx", "cost"][..]), 0..3),
    )
        .prop_map(|(p, action, resource, vpce, tls, ip, tags)| {
            let mut c = Context::new();
            if let Some(v) = vpce {
                c.insert("aws:SourceVpce", vec![v.into()]);
            }
            if let Some(t) = tls {
                c.insert("aws:SecureTransport", vec![t.into()]);
            }
            if let Some(i) = ip {
                c.insert("aws:SourceIp", vec![i.into()]);
            }
            if !tags.is_empty() {
                c.insert("aws:TagKeys", tags.iter().map(|t| t.to_string()).collect());
            }
            Request::new(PrincipalId::parse(p), action, resource, c)
        })
}

fn compile(label: &str, kind: PolicyKind, statements: &[Value]) -> Arc<CompiledPolicy> {
    let doc = json!({"Version": "2012-10-17", "Statement": statements});
    compile_text(label, kind, &serde_json::to_string(&doc).unwrap())
}

fn build(s: &Spec) -> PolicySet {
    PolicySet {
        identity: s
            .identity
            .iter()
            .enumerate()
            .map(|(i, p)| compile(&format!("identity{i}"), PolicyKind::Identity, p))
            .collect(),
        resource: s
            .resource
            .as_ref()
            .map(|p| compile("resource", PolicyKind::Resource, p)),
        resource_account: Some("111122223333".into()),
        boundary: s
            .boundary
            .as_ref()
            .map(|p| compile("boundary", PolicyKind::Boundary, p)),
        scp: s
            .scp
            .iter()
            .map(|level| {
                level
                    .iter()
                    .map(|p| compile("scp", PolicyKind::Scp, p))
                    .collect()
            })
            .collect(),
        ..PolicySet::default()
    }
}

fn outcome(s: &Spec, r: &Request) -> Outcome {
    evaluate(&build(s), r).outcome
}

/// Every policy list of a spec, to pick one to modify.
fn lists(s: &mut Spec) -> Vec<&mut Vec<Value>> {
    let mut out: Vec<&mut Vec<Value>> = s.identity.iter_mut().collect();
    out.extend(s.resource.iter_mut());
    out.extend(s.boundary.iter_mut());
    out.extend(s.scp.iter_mut().flatten());
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn statement_order_does_not_matter(s in spec(), r in request(), seed in any::<u64>()) {
        let before = outcome(&s, &r);
        let mut t = s.clone();
        for (i, list) in lists(&mut t).into_iter().enumerate() {
            let k = (seed as usize).wrapping_add(i) % (list.len().max(1));
            list.rotate_left(k);
            list.reverse();
        }
        prop_assert_eq!(before, outcome(&t, &r));
    }

    #[test]
    fn policy_order_does_not_matter(s in spec(), r in request()) {
        let before = outcome(&s, &r);
        let mut t = s.clone();
        t.identity.reverse();
        for level in &mut t.scp {
            level.reverse();
        }
        prop_assert_eq!(before, outcome(&t, &r));
    }

    #[test]
    fn adding_a_deny_never_allows(s in spec(), r in request(), st in statement(true), pick in any::<usize>()) {
        let before = outcome(&s, &r);
        let mut t = s.clone();
        let mut ls = lists(&mut t);
        prop_assume!(!ls.is_empty());
        let n = ls.len();
        let mut deny = st;
        deny["Effect"] = json!("Deny");
        let target = &mut ls[pick % n];
        // Statements of policies without principals must not carry one.
        let has_principal = target.first().is_some_and(|x| x.get("Principal").is_some());
        if !has_principal {
            if let Some(o) = deny.as_object_mut() {
                o.remove("Principal");
            }
        }
        target.push(deny);
        let after = outcome(&t, &r);
        if before != Outcome::Allow {
            prop_assert_ne!(after, Outcome::Allow);
        }
        if before == Outcome::ExplicitDeny {
            prop_assert_eq!(after, Outcome::ExplicitDeny);
        }
    }

    #[test]
    fn adding_an_allow_never_denies(s in spec(), r in request(), st in statement(true), pick in any::<usize>()) {
        let before = outcome(&s, &r);
        let mut t = s.clone();
        let mut ls = lists(&mut t);
        prop_assume!(!ls.is_empty());
        let n = ls.len();
        let mut allow = st;
        allow["Effect"] = json!("Allow");
        let target = &mut ls[pick % n];
        let has_principal = target.first().is_some_and(|x| x.get("Principal").is_some());
        if !has_principal {
            if let Some(o) = allow.as_object_mut() {
                o.remove("Principal");
            }
        }
        target.push(allow);
        if before == Outcome::Allow {
            prop_assert_eq!(outcome(&t, &r), Outcome::Allow);
        }
    }

    #[test]
    fn a_statement_with_a_failing_condition_never_decides(s in spec(), r in request(), pick in any::<usize>(), at in any::<usize>()) {
        // Every deciding statement matched.
        let d = evaluate(&build(&s), &r);
        for sref in d.trace.deciding() {
            let p = &d.trace.policies[sref.policy];
            let st = p.statements.iter().find(|x| x.index == sref.statement).unwrap();
            let matched = matches!(st.outcome, StatementOutcome::Matched { .. });
            prop_assert!(matched);
        }
        // A statement whose condition cannot hold counts as absent.
        let mut without = s.clone();
        let mut with = s.clone();
        let mut lw = lists(&mut without);
        let mut lf = lists(&mut with);
        prop_assume!(!lw.is_empty());
        let n = lw.len();
        let (a, b) = (&mut lw[pick % n], &mut lf[pick % n]);
        prop_assume!(!a.is_empty());
        let i = at % a.len();
        a.remove(i);
        let cond = b[i].get("Condition").cloned().unwrap_or_else(|| json!({}));
        let mut cond = cond;
        cond["StringEquals"]["latch:never-present"] = json!("x");
        b[i]["Condition"] = cond;
        prop_assert_eq!(outcome(&without, &r), outcome(&with, &r));
    }
}

fn wild_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9:/*?${}',. -]{0,24}",
        Just("${".to_string()),
        Just("${aws:username, 'x".to_string()),
        Just("arn:aws:s3:::${aws:username}/${*}".to_string()),
        Just("é*?ü".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("::1/129".to_string()),
    ]
}

fn wild_statement() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(&["Allow", "Deny", "allow", ""][..]),
        wild_string(),
        wild_string(),
        prop::sample::select(
            &[
                "StringLike",
                "ForAllValues:StringNotEqualsIgnoreCase",
                "ForAnyValue:ArnLikeIfExists",
                "NumericLessThan",
                "DateGreaterThanIfExists",
                "IpAddress",
                "NotIpAddress",
                "BinaryEquals",
                "Null",
                "Bool",
                "NoSuchOperator",
            ][..],
        ),
        wild_string(),
        prop::collection::vec(wild_string(), 0..3),
        any::<bool>(),
    )
        .prop_map(|(effect, action, resource, op, key, values, negate)| {
            let mut st = json!({
                "Effect": effect,
                (if negate { "NotAction" } else { "Action" }): action,
                (if negate { "NotResource" } else { "Resource" }): resource,
                "Condition": {op: {key: values}},
            });
            st[if negate { "NotPrincipal" } else { "Principal" }] = json!({"AWS": "*"});
            st
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever the policies and the request say, the engine answers without panicking,
    /// and renders its answer.
    #[test]
    fn nothing_panics(
        sts in prop::collection::vec(wild_statement(), 0..4),
        principal in wild_string(),
        action in wild_string(),
        resource in wild_string(),
        ctx in prop::collection::vec((wild_string(), prop::collection::vec(wild_string(), 0..3)), 0..4),
        version in prop::sample::select(&["2012-10-17", "2008-10-17"][..]),
    ) {
        let doc = json!({"Version": version, "Statement": sts}).to_string();
        let set = PolicySet {
            identity: vec![compile_text("i", PolicyKind::Identity, &doc)],
            resource: Some(compile_text("r", PolicyKind::Resource, &doc)),
            session: Some(compile_text("s", PolicyKind::Session, &doc)),
            vpc_endpoints: vec![latch_eval::VpcEndpoint { id: None, policy: compile_text("v", PolicyKind::VpcEndpoint, &doc) }],
            s3: Some(latch_eval::S3Facts { kms_key: Some(resource.clone()), object_exists: Some(false), ..Default::default() }),
            ..PolicySet::default()
        };
        let mut c = Context::new();
        for (k, vs) in &ctx {
            c.insert(k, vs.clone());
        }
        let r = Request::new(PrincipalId::parse(&principal), &action, &resource, c);
        let d = evaluate(&set, &r);
        let text = latch_eval::render::explain(&d, &r, &|p, s| format!("{}:{}", p.label, s.start));
        prop_assert!(text.starts_with("decision: "));
    }
}

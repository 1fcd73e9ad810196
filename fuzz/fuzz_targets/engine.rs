//! The access engine: a policy compiled from any text, as each kind of policy, decides a
//! fixed set of requests (with context keys of every condition type and S3 facts with a
//! KMS key), and the decision renders. Nothing panics.
#![no_main]

use latch_eval::{
    Context, PolicySet, PrincipalId, Request, S3Facts, VpcEndpoint, compile_text, evaluate,
    evaluate_open, render,
};
use latch_syntax::policy::PolicyKind;
use libfuzzer_sys::fuzz_target;

fn context() -> Context {
    let mut c = Context::new();
    for (k, v) in [
        ("aws:SourceVpce", "vpce-1a2b3c4d"),
        ("aws:SourceIp", "10.1.2.3"),
        ("aws:SecureTransport", "true"),
        ("aws:CurrentTime", "2026-01-01T00:00:00Z"),
        ("aws:MultiFactorAuthAge", "300"),
        ("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
        ("s3:x-amz-server-side-encryption", "aws:kms"),
        ("aws:username", "jane"),
    ] {
        c.insert(k, vec![v.to_string()]);
    }
    c.insert("aws:TagKeys", vec!["team".to_string(), "env".to_string()]);
    c
}

fuzz_target!(|text: &str| {
    let policy = |kind| compile_text("fuzzed.json", kind, text);
    let set = PolicySet {
        identity: vec![policy(PolicyKind::Identity)],
        resource: Some(policy(PolicyKind::Resource)),
        resource_account: Some("444455556666".to_string()),
        scp: vec![vec![policy(PolicyKind::Scp)]],
        rcp: vec![vec![policy(PolicyKind::Rcp)]],
        scp_names: vec!["root".to_string()],
        rcp_names: vec!["root".to_string()],
        boundary: Some(policy(PolicyKind::Boundary)),
        session: Some(policy(PolicyKind::Session)),
        vpc_endpoints: vec![VpcEndpoint {
            id: Some("vpce-1a2b3c4d".to_string()),
            policy: policy(PolicyKind::VpcEndpoint),
        }],
        s3: Some(S3Facts {
            bucket_owner: Some("444455556666".to_string()),
            kms_key: Some(
                "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd"
                    .to_string(),
            ),
            kms_key_policy: Some(policy(PolicyKind::KeyPolicy)),
            ..S3Facts::default()
        }),
        identity_unknown: false,
    };
    let locate = |r: &latch_eval::PolicyRef, s: latch_syntax::Span| format!("{r:?}:{}", s.start);
    for (principal, action, resource) in [
        (
            "arn:aws:iam::111122223333:user/jane",
            "s3:GetObject",
            "arn:aws:s3:::example-bucket/reports/q3.csv",
        ),
        (
            "arn:aws:sts::111122223333:assumed-role/App/s1",
            "s3:PutObject",
            "arn:aws:s3:::example-bucket/raw/e.parquet",
        ),
        (
            "arn:aws:iam::444455556666:root",
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:444455556666:key/111aa2bb-333c-4d44-5555-a111bb2c33dd",
        ),
    ] {
        let req = Request::new(PrincipalId::parse(principal), action, resource, context());
        let d = evaluate(&set, &req);
        let _ = render::explain(&d, &req, &locate);
        let open = evaluate_open(
            &PolicySet {
                identity_unknown: true,
                ..set.clone()
            },
            &req,
        );
        let _ = render::explain(&open.decision, &req, &locate);
    }
});

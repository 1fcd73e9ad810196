//! Code lenses on `[[expect]]` entries: does the declared request get the declared
//! decision, and which statement decides it. Rendered from the engine's trace, never
//! re-derived.

use std::sync::Arc;

use latch_eval::render;
use latch_eval::{Outcome, PolicyRef, Request, evaluate};
use latch_syntax::Span;
use latch_syntax::manifest::ExpectedDecision;

use crate::access;
use crate::index;
use crate::intents::{IntentSource, intents};
use crate::workspace::Workspace;

/// Whether an outcome is what an `[[expect]]` entry asks for (`deny` accepts both kinds).
pub fn meets(expected: ExpectedDecision, outcome: Outcome) -> bool {
    match expected {
        ExpectedDecision::Allow => outcome == Outcome::Allow,
        ExpectedDecision::Deny => outcome != Outcome::Allow,
        ExpectedDecision::ExplicitDeny => outcome == Outcome::ExplicitDeny,
        ExpectedDecision::ImplicitDeny => outcome == Outcome::ImplicitDeny,
    }
}

/// One lens: where it goes (the `[[expect]]` header) and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectLens {
    pub path: Arc<str>,
    pub range: Span,
    pub passed: bool,
    pub title: String,
}

/// The decision for one request across every policy of the sub-workspace at `root`: the
/// engine behind `latch why`, over JSON and Terraform alike.
pub fn decide(ws: &Workspace, root: &str, req: &Request) -> latch_eval::Decision {
    let ix = access::index_at(ws, root);
    let (set, _, _) = access::policy_set(&ix, req);
    evaluate(&set, req)
}

/// The decision for a request the user states (`latch why`): its context is as given,
/// the facts of the world it cannot state (the organization, tags) are unknown unless
/// `[organization]` settles them, and so is the identity side of a caller the workspace
/// does not describe. Allow, deny, or "depends" with what it turns on.
pub fn decide_open(
    ws: &Workspace,
    root: &str,
    req: &Request,
) -> (Request, latch_eval::OpenDecision) {
    let ix = access::index_at(ws, root);
    let mut ctx = req.context.clone();
    access::facts::settle_organization(&ix, &req.principal, &req.resource, &mut ctx);
    if ctx.unknown == latch_eval::Unknowns::None {
        ctx.unknown = access::facts::world_facts();
    }
    let req = Request {
        context: ctx,
        ..req.clone()
    };
    let (set, _, _) = access::policy_set(&ix, &req);
    let open = latch_eval::evaluate_open(&set, &req);
    (req, open)
}

/// Whether the sub-workspace at `root` describes the caller `arn` (a role for its
/// sessions too): when it does not, the caller's own policies are unknown to `latch why`.
pub fn knows_principal(ws: &Workspace, root: &str, arn: &str) -> bool {
    access::index_at(ws, root).principal(arn).is_some()
}

/// Every `[[expect]]` result of the workspace, one lens per entry and action.
pub fn expect_lenses(ws: &Workspace) -> Vec<ExpectLens> {
    let mut out = Vec::new();
    for root in &index::roots(ws) {
        let manifest = if root.is_empty() {
            "latch.toml".to_string()
        } else {
            format!("{root}/latch.toml")
        };
        if ws.path_key(&manifest).is_none() {
            continue;
        }
        let ix = access::index_at(ws, root);
        for intent in intents(&ix) {
            let IntentSource::Expect(i) = intent.source else {
                continue;
            };
            let Some(expect) = ix.expects.get(i) else {
                continue;
            };
            let req = access::request_of(&ix, &intent);
            let (set, _, _) = access::policy_set(&ix, &req);
            let d = evaluate(&set, &req);
            let passed = meets(intent.expect, d.outcome);
            let locate = |r: &PolicyRef, s: Span| {
                format!("{}:{}", r.label, access::line_of(ws, &r.label, s.start))
            };
            let because = render::one_line(&d, &req, &locate);
            let mark = if passed { "✓" } else { "✗" };
            let title = format!(
                "{mark} `{}`: {} — {because}",
                intent.action,
                d.outcome.as_str().replace('_', " ")
            );
            out.push(ExpectLens {
                path: expect.loc.path.clone(),
                range: expect.loc.span,
                passed,
                title,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::workspace_from_fixture;

    #[test]
    fn deny_accepts_both_kinds_of_denial() {
        assert!(meets(ExpectedDecision::Deny, Outcome::ImplicitDeny));
        assert!(meets(ExpectedDecision::Deny, Outcome::ExplicitDeny));
        assert!(!meets(ExpectedDecision::Deny, Outcome::Allow));
        assert!(!meets(
            ExpectedDecision::ExplicitDeny,
            Outcome::ImplicitDeny
        ));
    }

    #[test]
    fn passing_and_failing_expectations() {
        let ws = workspace_from_fixture(
            r#"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = ["iam/jane.json"]

[[expect]]
principal = "arn:aws:iam::111122223333:user/Jane"
action = ["s3:GetObject", "s3:PutObject"]
resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/reports/q3.csv"
decision = "allow"
//- iam/jane.json
{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::DOC-EXAMPLE-BUCKET/*"}]}
"#,
        );
        let lenses = expect_lenses(&ws);
        assert_eq!(lenses.len(), 2, "{lenses:?}");
        assert!(
            lenses[0].passed && lenses[0].title.starts_with("✓ `s3:GetObject`: allow"),
            "{}",
            lenses[0].title
        );
        assert!(
            lenses[0].title.contains("iam/jane.json:1"),
            "{}",
            lenses[0].title
        );
        assert!(
            !lenses[1].passed
                && lenses[1]
                    .title
                    .starts_with("✗ `s3:PutObject`: implicit deny"),
            "{}",
            lenses[1].title
        );
        assert_eq!(&*lenses[0].path, "latch.toml");
    }
}

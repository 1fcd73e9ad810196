//! Decisions over an open world: some facts the decision needs are not known (a context
//! key such as the caller's organization or source IP, the identity policies of a caller
//! outside the workspace), and the answer is allow, deny, or "depends on" those facts.
//!
//! AWS's decision is monotone: an Allow that matches more can only allow more, a Deny that
//! matches more can only deny more (the property tests check it). So two evaluations bound
//! every possible answer: one settles each unknown clause against the request
//! ([`Lean::Deny`]: unknown clauses hold in Deny statements and fail in Allow statements,
//! an unknown identity side allows nothing), the other in its favour ([`Lean::Allow`]).
//! Allowed the first way means allowed whatever the unknowns are; denied the second way
//! means denied whatever they are; anything else depends on them, and the unknown clauses
//! of the first evaluation name what it depends on.
//!
//! The two bounds settle each clause on its own, even where two clauses test the same
//! key: the answer may then say "depends" where a closer look would find it certain, never
//! the other way round.

use std::sync::Arc;

use latch_syntax::policy::{Effect, PolicyKind};

use crate::compile::CompiledPolicy;
use crate::condition::ClauseWhy;
use crate::decide::{PolicySet, compile_text, evaluate};
use crate::request::{Lean, Request};
use crate::trace::{Decision, Failure, Layer, StatementOutcome, StmtRef, Trace};

/// The label of the stand-in for identity policies the workspace does not hold.
pub const UNKNOWN_IDENTITY: &str = "the caller's own identity policies (not in the workspace)";

/// How sure a decision is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Certainty {
    /// Allowed whatever the unknowns are.
    Allowed,
    /// Denied whatever the unknowns are.
    Denied,
    /// Allowed for some values of the unknowns and denied for others.
    Depends,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Allowed => "allow",
            Certainty::Denied => "deny",
            Certainty::Depends => "depends",
        }
    }
}

/// One fact a decision turns on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// A condition clause whose key the workspace cannot know.
    Clause {
        /// Where the clause is: a statement of the evaluation's trace.
        at: StmtRef,
        /// The index of the clause in the statement's condition block.
        clause: usize,
        /// The statement's effect: a Deny that may apply, or an Allow that may.
        effect: Effect,
        /// The dependent request (`kms:Decrypt` ...) the clause belongs to, if not the
        /// request itself.
        dependent: Option<usize>,
    },
    /// The caller's identity policies are not in the workspace.
    Identity,
}

/// A decision with its certainty.
#[derive(Clone, Debug)]
pub struct OpenDecision {
    pub certainty: Certainty,
    /// The evaluation to report: for `Denied`, the one with every unknown in the request's
    /// favour (each Deny and missing grant in it happens whatever the unknowns are); for
    /// `Allowed` and `Depends`, the one with every unknown against it (its denials are the
    /// ones that may happen).
    pub decision: Decision,
    /// What a `Depends` decision turns on, found in `decision`'s traces.
    pub unknowns: Vec<Unknown>,
}

fn allow_all() -> Arc<CompiledPolicy> {
    compile_text(
        UNKNOWN_IDENTITY,
        PolicyKind::Identity,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
}

fn with_lean(req: &Request, lean: Lean) -> Request {
    let mut r = req.clone();
    r.context.lean = lean;
    r
}

/// Every unknown clause that took part in `trace`: Denies that applied because of one,
/// Allows that failed on one.
fn unknowns_of(trace: &Trace, dependent: Option<usize>, out: &mut Vec<Unknown>) {
    for (pi, p) in trace.policies.iter().enumerate() {
        for s in &p.statements {
            let Some(st) = p.policy.statements.get(s.index) else {
                continue;
            };
            let Some(effect) = st.effect else { continue };
            let at = StmtRef {
                policy: pi,
                statement: s.index,
            };
            match &s.outcome {
                StatementOutcome::Matched { assumed_keys, .. } if *assumed_keys != 0 => {
                    for clause in 0..64 {
                        if assumed_keys & (1 << clause) != 0 {
                            out.push(Unknown::Clause {
                                at,
                                clause,
                                effect,
                                dependent,
                            });
                        }
                    }
                }
                StatementOutcome::Failed(Failure::Condition {
                    clause,
                    why: ClauseWhy::Unknown,
                    ..
                }) => out.push(Unknown::Clause {
                    at,
                    clause: *clause,
                    effect,
                    dependent,
                }),
                _ => {}
            }
        }
    }
}

fn unknowns_of_decision(d: &Decision, identity_unknown: bool) -> Vec<Unknown> {
    let mut out = Vec::new();
    unknowns_of(&d.trace, None, &mut out);
    for (i, dep) in d.dependent.iter().enumerate() {
        unknowns_of(&dep.trace, Some(i), &mut out);
    }
    if identity_unknown {
        out.push(Unknown::Identity);
    }
    out
}

/// Decides `req` when `set.identity_unknown` or the context's
/// [`Unknowns`](crate::request::Unknowns) leave facts open.
pub fn evaluate_open(set: &PolicySet, req: &Request) -> OpenDecision {
    let worst = evaluate(set, &with_lean(req, Lean::Deny));
    if worst.outcome.is_allow() {
        return OpenDecision {
            certainty: Certainty::Allowed,
            decision: worst,
            unknowns: Vec::new(),
        };
    }
    let unknowns = unknowns_of_decision(&worst, set.identity_unknown);
    if unknowns.is_empty() {
        return OpenDecision {
            certainty: Certainty::Denied,
            decision: worst,
            unknowns,
        };
    }
    let mut best_set = set.clone();
    if set.identity_unknown {
        best_set.identity.push(allow_all());
    }
    let best = evaluate(&best_set, &with_lean(req, Lean::Allow));
    if best.outcome.is_allow() {
        OpenDecision {
            certainty: Certainty::Depends,
            decision: worst,
            unknowns,
        }
    } else {
        OpenDecision {
            certainty: Certainty::Denied,
            decision: best,
            unknowns: Vec::new(),
        }
    }
}

/// Whether a trace's identity layer is the stand-in for policies outside the workspace.
pub fn is_unknown_identity(trace: &Trace, r: StmtRef) -> bool {
    trace.policy(r).is_some_and(|p| {
        p.layer == Layer::Identity && &*p.policy.reference.label == UNKNOWN_IDENTITY
    })
}

/// An unknown clause in words, from the side of the request: what must be true of the
/// request for it to get through. "`aws:PrincipalOrgID` is `o-a1b2c3d4e5`" for the Deny
/// `StringNotEqualsIfExists aws:PrincipalOrgID o-a1b2c3d4e5`.
pub fn clause_words(effect: Effect, operator: &str, key: &str, values: &[String]) -> String {
    let vals = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(" or ");
    let base = operator
        .trim_start_matches("ForAnyValue:")
        .trim_start_matches("ForAllValues:");
    let base = base.strip_suffix("IfExists").unwrap_or(base);
    // What the clause tests, said positively, and whether it is negated.
    let (test, negated) = match base {
        "StringEquals"
        | "StringEqualsIgnoreCase"
        | "ArnEquals"
        | "NumericEquals"
        | "DateEquals"
        | "BinaryEquals" => (format!("`{key}` is {vals}"), false),
        "StringNotEquals"
        | "StringNotEqualsIgnoreCase"
        | "ArnNotEquals"
        | "NumericNotEquals"
        | "DateNotEquals" => (format!("`{key}` is {vals}"), true),
        "StringLike" | "ArnLike" => (format!("`{key}` matches {vals}"), false),
        "StringNotLike" | "ArnNotLike" => (format!("`{key}` matches {vals}"), true),
        "IpAddress" => (format!("`{key}` is in {vals}"), false),
        "NotIpAddress" => (format!("`{key}` is in {vals}"), true),
        "Bool" => (format!("`{key}` is {vals}"), false),
        "Null" => {
            let absent = values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            (format!("`{key}` is absent"), !absent)
        }
        _ => (format!("`{operator}` on `{key}` ({vals}) holds"), false),
    };
    // A Deny's clause must fail for the request to pass; an Allow's must hold.
    let must_hold = (effect == Effect::Allow) != negated;
    if must_hold {
        test
    } else if let Some(rest) = test.strip_suffix(" holds") {
        format!("{rest} does not hold")
    } else {
        test.replacen(" is ", " is not ", 1)
            .replacen(" matches ", " does not match ", 1)
    }
}

/// The condition clause an unknown names, in the trace it belongs to.
fn clause_of(
    d: &Decision,
    at: StmtRef,
    clause: usize,
    dependent: Option<usize>,
) -> Option<&latch_syntax::policy::ConditionClause> {
    let trace = match dependent {
        Some(i) => &d.dependent.get(i)?.trace,
        None => &d.trace,
    };
    trace
        .policy(at)?
        .statement(at.statement)?
        .condition
        .as_ref()?
        .clauses
        .get(clause)
}

/// Each unknown of a `Depends` decision in words ("the request's `aws:PrincipalOrgID` is
/// `o-a1b2c3d4e5`"), without repeats: the decision is an allow only if each holds. For a
/// Deny clause the words say what makes the Deny not apply; for an Allow, what makes it
/// apply.
pub fn unknowns_in_words(d: &Decision, unknowns: &[Unknown], action: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in unknowns {
        let words = match u {
            Unknown::Identity => format!(
                "the caller's own identity policies (not in the workspace) allow `{action}`"
            ),
            Unknown::Clause {
                at,
                clause,
                effect,
                dependent,
            } => {
                let Some(c) = clause_of(d, *at, *clause, *dependent) else {
                    continue;
                };
                let values: Vec<String> = c.values.iter().map(|v| v.value.to_string()).collect();
                clause_words(*effect, &c.operator.value, &c.key.value, &values)
            }
        };
        if !out.contains(&words) {
            out.push(words);
        }
    }
    out
}

/// The context keys a decision's unknown clauses test, lower-cased, without repeats.
pub fn unknown_keys(d: &Decision, unknowns: &[Unknown]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in unknowns {
        let Unknown::Clause {
            at,
            clause,
            dependent,
            ..
        } = u
        else {
            continue;
        };
        if let Some(c) = clause_of(d, *at, *clause, *dependent) {
            let k = c.key.value.to_ascii_lowercase();
            if !out.contains(&k) {
                out.push(k);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{Context, PrincipalId, Unknowns};

    fn set(identity: &str, resource: Option<&str>) -> PolicySet {
        PolicySet {
            identity: vec![compile_text("id.json", PolicyKind::Identity, identity)],
            resource: resource.map(|r| compile_text("bucket.json", PolicyKind::Resource, r)),
            resource_account: Some("111122223333".into()),
            ..PolicySet::default()
        }
    }

    fn request(unknown: Unknowns) -> Request {
        let mut ctx = Context::new();
        ctx.unknown = unknown;
        Request::new(
            PrincipalId::parse("arn:aws:iam::111122223333:role/reader"),
            "s3:GetObject",
            "arn:aws:s3:::data/a.csv",
            ctx,
        )
    }

    const ALLOW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
    const PERIMETER: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Perimeter","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}"#;

    #[test]
    fn a_deny_on_an_unknown_key_makes_the_decision_depend_on_it() {
        let s = set(ALLOW, Some(PERIMETER));
        let open = evaluate_open(&s, &request(Unknowns::AllExcept(&[])));
        assert_eq!(open.certainty, Certainty::Depends);
        assert_eq!(open.decision.outcome, crate::Outcome::ExplicitDeny);
        assert_eq!(
            unknowns_in_words(&open.decision, &open.unknowns, "s3:GetObject"),
            vec!["`aws:PrincipalOrgID` is `o-a1b2c3d4e5`".to_string()]
        );
    }

    #[test]
    fn a_closed_world_keeps_the_literal_decision() {
        let s = set(ALLOW, Some(PERIMETER));
        let open = evaluate_open(&s, &request(Unknowns::None));
        // The key is absent, `IfExists` makes the clause true: the Deny applies.
        assert_eq!(open.certainty, Certainty::Denied);
    }

    #[test]
    fn a_known_value_settles_it() {
        let s = set(ALLOW, Some(PERIMETER));
        let mut req = request(Unknowns::AllExcept(&[]));
        req.context
            .insert("aws:PrincipalOrgID", vec!["o-a1b2c3d4e5".into()]);
        assert_eq!(evaluate_open(&s, &req).certainty, Certainty::Allowed);
        req.context
            .insert("aws:PrincipalOrgID", vec!["o-zzzzzzzzzz".into()]);
        assert_eq!(evaluate_open(&s, &req).certainty, Certainty::Denied);
    }

    #[test]
    fn an_allow_on_an_unknown_key_is_allowed_only_if_it_holds() {
        let allow_if = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}"#;
        let s = set(allow_if, None);
        let open = evaluate_open(&s, &request(Unknowns::AllExcept(&[])));
        assert_eq!(open.certainty, Certainty::Depends);
        assert_eq!(
            unknowns_in_words(&open.decision, &open.unknowns, "s3:GetObject"),
            vec!["`aws:SourceIp` is in `203.0.113.0/24`".to_string()]
        );
    }

    #[test]
    fn an_unknown_identity_side_is_bounded_both_ways() {
        let key_policy_denies = PolicySet {
            resource: Some(compile_text(
                "bucket.json",
                PolicyKind::Resource,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:role/partner"},"Action":"s3:GetObject","Resource":"*"}]}"#,
            )),
            resource_account: Some("111122223333".into()),
            identity_unknown: true,
            ..PolicySet::default()
        };
        let req = |who: &str| {
            Request::new(
                PrincipalId::parse(who),
                "s3:GetObject",
                "arn:aws:s3:::data/a.csv",
                Context::new(),
            )
        };
        // Granted by the bucket policy: only the partner's own policies can refuse it.
        let granted = evaluate_open(
            &key_policy_denies,
            &req("arn:aws:iam::999988887777:role/partner"),
        );
        assert_eq!(granted.certainty, Certainty::Depends);
        assert_eq!(granted.unknowns, vec![Unknown::Identity]);
        // Not granted: denied whatever the caller's own policies say.
        let other = evaluate_open(
            &key_policy_denies,
            &req("arn:aws:iam::999988887777:role/other"),
        );
        assert_eq!(other.certainty, Certainty::Denied);
    }

    #[test]
    fn words_for_common_operators() {
        let w = |e, op: &str, k: &str, v: &[&str]| {
            clause_words(
                e,
                op,
                k,
                &v.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            w(
                Effect::Deny,
                "BoolIfExists",
                "aws:MultiFactorAuthPresent",
                &["false"]
            ),
            "`aws:MultiFactorAuthPresent` is not `false`"
        );
        assert_eq!(
            w(
                Effect::Deny,
                "StringNotEquals",
                "aws:SourceVpce",
                &["vpce-1"]
            ),
            "`aws:SourceVpce` is `vpce-1`"
        );
        assert_eq!(
            w(Effect::Allow, "StringLike", "s3:prefix", &["home/*"]),
            "`s3:prefix` matches `home/*`"
        );
        assert_eq!(
            w(Effect::Deny, "Null", "aws:SourceIp", &["true"]),
            "`aws:SourceIp` is not absent"
        );
    }
}

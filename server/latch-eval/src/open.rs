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
    trace
        .policy(r)
        .is_some_and(|p| p.layer == Layer::Identity && &*p.policy.reference.label == UNKNOWN_IDENTITY)
}

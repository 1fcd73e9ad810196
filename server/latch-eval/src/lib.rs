//! The access engine: decides offline what AWS would answer to one request, and why.
//!
//! # Using it
//!
//! 1. Compile each policy once: [`CompiledPolicy::new`]`(`[`PolicyRef`]`, &policy)`. The
//!    reference carries a label the caller chooses (a file path, a Terraform address) and
//!    the policy's [`PolicyKind`](latch_syntax::policy::PolicyKind).
//! 2. Describe the request: [`Request::new`]`(`[`PrincipalId::parse`]`(arn), action,
//!    resource, `[`Context`]`)`. Context keys are case-insensitive and hold one or more
//!    values; keys AWS derives from the caller are added when missing.
//! 3. Gather what applies in a [`PolicySet`] (identity policies, resource policy and its
//!    account, SCP and RCP levels, boundary, session policy, VPC endpoints, [`S3Facts`]
//!    with the key policy of an SSE-KMS object) and call [`evaluate`].
//! 4. Read the [`Decision`]: `outcome` (`Allow`, `ExplicitDeny`, `ImplicitDeny`, dependent
//!    checks included), `trace` (every policy and statement considered, the first failing
//!    element of each, the [`Basis`] of the decision), `dependent` (the KMS requests an
//!    SSE-KMS object implies) and `http` (S3's 403/404 answer).
//! 5. Render it with [`render::explain`], giving a closure that maps a policy reference
//!    and a byte span to `path:line`; the engine never touches files.
//!
//! The semantics follow `docs/aws-rules.md`; the choices where AWS is ambiguous are in
//! `docs/semantics.md`. [`conformance`] loads and runs the JSON access cases.

pub mod arn;
pub mod compile;
pub mod condition;
pub mod conformance;
pub mod decide;
pub mod glob;
pub mod open;
pub mod render;
pub mod request;
pub mod s3;
pub mod text;
pub mod trace;

pub use compile::{CompiledPolicy, PolicyRef};
pub use decide::{PolicySet, VpcEndpoint, compile_text, decide, evaluate};
pub use open::{Certainty, OpenDecision, Unknown, evaluate_open};
pub use request::{Context, Lean, Part, PrincipalId, Request, Unknowns};
pub use s3::{AclGrant, AclPermission, BlockPublicAccess, Grantee, ObjectOwnership, S3Facts};
pub use trace::{
    Basis, Blocker, Decision, DependentDecision, GrantKind, HttpAnswer, Layer, Outcome,
    PolicyTrace, Refs, StatementOutcome, Statements, StmtRef, Trace,
};

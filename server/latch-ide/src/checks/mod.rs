//! The checks. One file per check code, each with a [`CheckDoc`] whose example and
//! preferred form a test runs; [`registry`] lists them all and `docs/checks.md` is
//! generated from it.

use latch_syntax::Severity;

pub mod policy;

/// How a check's findings are repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// The documentation of one check, in the fixed sections of `docs/checks.md`.
///
/// `example` and `prefer` are workspace fixtures: either one policy document, or several
/// files each introduced by a line `//- path` (as in rust-analyzer's fixtures). The
/// check must report its code on `example` and stay silent on `prefer`.
#[derive(Clone, Copy, Debug)]
pub struct CheckDoc {
    pub code: &'static str,
    pub severity: Severity,
    /// One line: what is wrong, as a reader would say it.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    pub example: &'static str,
    pub prefer: &'static str,
    pub fix: FixAvailability,
}

/// Every check, in the order of `docs/checks.md`.
pub fn registry() -> Vec<&'static CheckDoc> {
    policy::checks().into_iter().map(|(doc, _)| doc).collect()
}

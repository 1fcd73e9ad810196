//! The checks that need the AWS catalogue (`latch_syntax::catalog`): unknown actions and
//! condition keys, wildcards that match nothing, actions that fit no resource of their
//! statement, operators that do not fit a key's type, and set operators on single-valued
//! keys. One file per check code; [`catalog_checks`] lists them with their documentation.
//!
//! All are warnings: the catalogue is a snapshot, and AWS adds actions and keys every week,
//! so a name the snapshot does not know is suspicious, not certainly wrong.

pub mod action_resource_mismatch;
pub mod operator_type_mismatch;
pub mod set_operator_on_single_valued_key;
pub mod unknown_action;
pub mod unknown_condition_key;
pub mod wildcard_matches_nothing;

use latch_syntax::catalog::{self, Service, pattern};
use latch_syntax::policy::{Policy, Statement};
use latch_syntax::{Finding, Span};

use crate::checks::CheckDoc;

/// The signature every catalogue check has.
pub type CatalogCheck = fn(&Policy, &mut Vec<Finding>);

/// Every catalogue check with its documentation, in the order of `docs/checks.md`.
pub fn catalog_checks() -> Vec<(&'static CheckDoc, CatalogCheck)> {
    vec![
        (&unknown_action::DOC, unknown_action::check as CatalogCheck),
        (
            &wildcard_matches_nothing::DOC,
            wildcard_matches_nothing::check,
        ),
        (
            &action_resource_mismatch::DOC,
            action_resource_mismatch::check,
        ),
        (&unknown_condition_key::DOC, unknown_condition_key::check),
        (&operator_type_mismatch::DOC, operator_type_mismatch::check),
        (
            &set_operator_on_single_valued_key::DOC,
            set_operator_on_single_valued_key::check,
        ),
    ]
}

/// Runs every catalogue check on `policy`.
pub fn check_all(policy: &Policy, out: &mut Vec<Finding>) {
    for (_, check) in catalog_checks() {
        check(policy, out);
    }
}

/// The edit that replaces the string literal `s` with the text `new`. When the literal
/// is plain (straight quotes, no escapes: the span is the value plus two bytes), only the
/// text between the quotes changes; otherwise (typographic quotes, escapes) the whole
/// literal is replaced with a fresh JSON string, which also repairs its quotes.
pub(crate) fn replace_string(
    s: &latch_syntax::Spanned<latch_syntax::Str>,
    new: &str,
) -> latch_syntax::Edit {
    if s.span.len() == s.value.len() + 2 {
        latch_syntax::Edit::replace(Span::new(s.span.start + 1, s.span.end - 1), new)
    } else {
        latch_syntax::Edit::replace(s.span, latch_syntax::json::json_string(new))
    }
}

/// `(catalogue of 2026-09-26)`, for messages about names the catalogue does not know.
pub(crate) fn as_of() -> String {
    format!("AWS catalogue of {}", catalog::catalog().date)
}

/// Which services a statement's requests can belong to.
pub(crate) enum Scope {
    /// `NotAction`, `"*"`, a wildcard service, or no `Action` at all.
    Any,
    /// The known services named in `Action` (unknown ones are left out).
    Services(Vec<&'static Service>),
}

pub(crate) fn statement_scope(stmt: &Statement) -> Scope {
    let Some(actions) = &stmt.action else {
        return Scope::Any;
    };
    if actions.negated {
        return Scope::Any;
    }
    let cat = catalog::catalog();
    let mut services: Vec<&'static Service> = Vec::new();
    for v in &actions.values {
        let Some((prefix, _)) = v.value.split_once(':') else {
            if v.value == "*" {
                return Scope::Any;
            }
            continue;
        };
        // A wildcard, or a value Terraform fills in later, can be any service.
        if pattern::is_wildcard(prefix) || v.value.contains("${") {
            return Scope::Any;
        }
        if let Some(s) = cat.service(prefix) {
            if !services.iter().any(|x| x.prefix == s.prefix) {
                services.push(s);
            }
        }
    }
    Scope::Services(services)
}

/// Backticked names joined with commas, for messages.
pub(crate) fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;

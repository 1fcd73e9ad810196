//! Documentation of the codes about suppressions themselves (`latch:ignore` comments and
//! `[[check.allow]]` entries). `crate::suppress` reports them.

use super::CheckDoc;

pub mod suppression_without_reason;
pub mod unused_suppression;

/// Every `latch/*` code with its documentation.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![&suppression_without_reason::DOC, &unused_suppression::DOC]
}

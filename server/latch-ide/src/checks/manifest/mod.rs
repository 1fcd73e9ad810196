//! Documentation of the `latch.toml` findings.

use super::CheckDoc;

pub mod invalid_account_id;
pub mod invalid_arn;
pub mod invalid_value;
pub mod invalid_value_type;
pub mod missing_key;
pub mod missing_policy;
pub mod syntax;
pub mod unknown_account;
pub mod unknown_key;

/// Every manifest code with its documentation.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![
        &syntax::DOC,
        &unknown_key::DOC,
        &invalid_value_type::DOC,
        &invalid_value::DOC,
        &missing_key::DOC,
        &unknown_account::DOC,
        &invalid_account_id::DOC,
        &invalid_arn::DOC,
        &missing_policy::DOC,
    ]
}

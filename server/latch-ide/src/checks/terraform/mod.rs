//! Documentation of the Terraform reading findings. `latch_syntax::terraform` reports
//! them; each file here documents one code.

use super::CheckDoc;

pub mod not_a_plan;
pub mod syntax;

/// Every Terraform code with its documentation.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![&syntax::DOC, &not_a_plan::DOC]
}

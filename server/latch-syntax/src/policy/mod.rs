//! IAM policy documents: the model ([`model`]) and its construction from a JSON tree
//! ([`build`]).

pub mod build;
pub mod model;

pub use build::{ParsedPolicy, parse_policy, policy_from_value};
pub use model::*;

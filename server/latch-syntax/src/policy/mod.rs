//! IAM policy documents: the model ([`model`]) and its construction from a JSON tree
//! ([`build`]), or straight from plain text for the engine ([`direct`]).

pub mod build;
pub mod direct;
pub mod model;

pub use build::{ParsedPolicy, parse_policy, policy_from_value};
pub use direct::policy_only;
pub use model::*;

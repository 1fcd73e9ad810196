//! Text in, spanned models out. Nothing here does I/O and nothing here fails: every parser
//! returns its model together with the findings that describe what was wrong with the text.
//!
//! - [`span`]: byte ranges and values that carry one without counting it for equality.
//! - [`text`]: [`Str`], the string type of the JSON tree and the policy model: a range of
//!   the parsed text, shared, not a copy.
//! - [`finding`]: the one report type used by every layer (code, severity, range, fixes).
//! - [`json`]: a tolerant JSON parser that keeps every key and value range and repairs the
//!   mistakes people make when they paste policies from web pages.
//! - [`policy`]: the IAM policy document model built from a JSON tree.
//! - [`terraform`]: policies and resources from `.tf`, `.tf.json` and plan JSON, with
//!   ranges in the Terraform files and references resolved across a module.
//! - [`catalog`]: the embedded AWS catalogue of services, actions, resource types and
//!   condition keys.

pub mod catalog;
pub mod finding;
pub mod json;
pub mod manifest;
pub mod policy;
pub mod span;
pub mod terraform;
pub mod text;

pub use finding::{Edit, Finding, Fix, Related, Severity};
/// The small vector of [`policy::Values`], for the crates above that keep short lists inline
/// the same way.
pub use smallvec;
pub use span::{Span, Spanned};
pub use text::Str;

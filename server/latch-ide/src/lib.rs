//! The workspace: per-file summaries, the merged index, the checks, fixes and hovers. Pure:
//! text in, findings out, in byte ranges and plain structs. The `latch` binary turns these
//! into terminal output and LSP messages.

pub mod access;
pub use access::{index, intents};
pub mod checks;
pub mod completion;
pub mod denied;
pub mod hover;
pub mod ide;
pub mod lenses;
mod modules;
pub mod nav;
pub mod operators;
pub mod position;
pub mod statement_hover;
pub mod suppress;
pub mod text;
#[cfg(test)]
mod tf_fixture;
pub mod who_lens;
pub mod workspace;
pub mod wrapped;

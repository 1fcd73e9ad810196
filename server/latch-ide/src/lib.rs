//! The workspace: per-file summaries, the merged index, the checks, fixes and hovers. Pure:
//! text in, findings out, in byte ranges and plain structs. The `latch` binary turns these
//! into terminal output and LSP messages.

pub mod access;
pub mod checks;
pub mod completion;
pub mod hover;
pub mod ide;
pub mod index;
pub mod intents;
pub mod lenses;
pub mod operators;
pub mod position;
pub mod statement_hover;
pub mod text;
#[cfg(test)]
mod tf_fixture;
pub mod workspace;
pub mod wrapped;

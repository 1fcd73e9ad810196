//! A JSON parser that never fails. See [`parse`].

pub mod embedded;
pub(crate) mod fast;
mod lexer;
mod parser;
pub mod tree;

pub use parser::MAX_DEPTH;
pub use tree::{Member, Value, ValueKind, json_string};

use crate::finding::Finding;

/// The result of parsing: the tree (absent only for an empty document) and every
/// problem found, sorted by position.
#[derive(Clone, Debug)]
pub struct ParsedJson {
    pub value: Option<Value>,
    pub findings: Vec<Finding>,
}

impl ParsedJson {
    pub fn has_errors(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// Parses `text` as JSON, recovering from errors. Every key and value keeps its byte range;
/// duplicate keys are kept (and reported).
pub fn parse(text: &str) -> ParsedJson {
    // One copy of the text, shared by every key and value that needs no decoding.
    let src: std::sync::Arc<str> = std::sync::Arc::from(text);
    // Plain, valid JSON (nearly every document) takes the fast path; anything else,
    // including anything the fast path is not sure of, the recovering parser.
    if let Some(value) = fast::parse_plain(text, &src) {
        return ParsedJson {
            value: Some(value),
            findings: Vec::new(),
        };
    }
    let (value, findings) = parser::Parser::new(text, src).parse_document();
    ParsedJson { value, findings }
}

#[cfg(test)]
pub(crate) mod tests;

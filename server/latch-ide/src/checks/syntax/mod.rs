//! Documentation of the JSON syntax findings. The parser (`latch_syntax::json`) reports
//! them; each file here documents one code.

use super::CheckDoc;

pub mod comment;
pub mod duplicate_key;
pub mod empty_document;
pub mod file_too_large;
pub mod invalid_literal;
pub mod invalid_number;
pub mod invalid_string;
pub mod invalid_utf8;
pub mod missing_colon;
pub mod missing_comma;
pub mod missing_value;
pub mod non_ascii_punctuation;
pub mod too_deep;
pub mod trailing_comma;
pub mod typographic_quote;
pub mod unclosed_bracket;
pub mod unexpected_token;
pub mod unquoted_string;
pub mod unterminated_string;
pub mod wrapped_policy;

/// Every syntax code with its documentation.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![
        &empty_document::DOC,
        &unexpected_token::DOC,
        &missing_value::DOC,
        &invalid_literal::DOC,
        &unquoted_string::DOC,
        &too_deep::DOC,
        &unclosed_bracket::DOC,
        &missing_comma::DOC,
        &trailing_comma::DOC,
        &missing_colon::DOC,
        &duplicate_key::DOC,
        &comment::DOC,
        &non_ascii_punctuation::DOC,
        &invalid_number::DOC,
        &invalid_string::DOC,
        &typographic_quote::DOC,
        &unterminated_string::DOC,
        &invalid_utf8::DOC,
        &file_too_large::DOC,
        &wrapped_policy::DOC,
    ]
}

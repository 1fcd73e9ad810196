//! `syntax/invalid-literal`: `True`, `NULL` and other literals JSON does not have. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/invalid-literal",
    severity: Severity::Error,
    summary: r###"`True`, `NULL` and other literals JSON does not have"###,
    what: r###"Reports `true`, `false` and `null` written with the wrong case, as Python or YAML would print them."###,
    why: r###"JSON literals are lower case; AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": False}}}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}}]}"###,
    fix: FixAvailability::Always,
};

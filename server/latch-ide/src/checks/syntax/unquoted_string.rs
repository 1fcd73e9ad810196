//! `syntax/unquoted-string`: a key or value without quotes. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/unquoted-string",
    severity: Severity::Error,
    summary: r###"a key or value without quotes"###,
    what: r###"Reports bare words used as keys or string values, as in JavaScript objects or HCL."###,
    why: r###"JSON strings must be quoted; AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{Effect: "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};

//! `syntax/trailing-comma`: a `,` before a closing bracket, or two in a row. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/trailing-comma",
    severity: Severity::Error,
    summary: r###"a `,` before a closing bracket, or two in a row"###,
    what: r###"Reports a comma after the last member or item, and repeated commas."###,
    why: r###"Strict JSON has no trailing commas; AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket",], "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};

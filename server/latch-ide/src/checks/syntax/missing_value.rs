//! `syntax/missing-value`: a key without a value. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/missing-value",
    severity: Severity::Error,
    summary: r###"a key without a value"###,
    what: r###"Reports a key followed by `:` and then nothing, or a comma where a value belongs."###,
    why: r###"The document cannot be read as JSON; AWS rejects it."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": , "Action": "s3:GetObject", "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};

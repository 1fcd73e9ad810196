//! `syntax/typographic-quote`: a `“ ” ‘ ’` or `'` quote delimiting a string. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/typographic-quote",
    severity: Severity::Error,
    summary: r###"a `“ ” ‘ ’` or `'` quote delimiting a string"###,
    what: r###"Reports typographic quotes and single quotes used as string delimiters, as word processors and web pages produce them. An apostrophe inside a string is left alone."###,
    why: r###"JSON strings need straight double quotes; AWS rejects the document. The AWS troubleshooting articles themselves carry `”`."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject”, "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};

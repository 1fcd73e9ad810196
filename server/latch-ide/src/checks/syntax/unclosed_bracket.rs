//! `syntax/unclosed-bracket`: a `{` or `[` that is never closed. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/unclosed-bracket",
    severity: Severity::Error,
    summary: r###"a `{` or `[` that is never closed"###,
    what: r###"Reports an object or array whose closing bracket is missing, and inserts it where the content ends."###,
    why: r###"The document cannot be read as JSON; AWS rejects it. The rest of the document is still analysed."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};

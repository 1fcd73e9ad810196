//! `syntax/unterminated-string`: a string without its closing quote. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/unterminated-string",
    severity: Severity::Error,
    summary: r###"a string without its closing quote"###,
    what: r###"Reports a string that runs to the end of the line. The fix closes it at the end of the line; check that this is what you meant."###,
    why: r###"AWS rejects the document; the rest of the file is still analysed as if the string ended at the line end."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 "Action": "s3:GetObject,
 "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
 "Action": "s3:GetObject",
 "Resource": "*"}]}"###,
    fix: FixAvailability::Sometimes,
};

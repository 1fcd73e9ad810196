//! `syntax/invalid-string`: an invalid escape or a raw control character in a string. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/invalid-string",
    severity: Severity::Error,
    summary: r###"an invalid escape or a raw control character in a string"###,
    what: r###"Reports backslash escapes JSON does not define (`\\d`) and tabs or other control characters written raw inside a string."###,
    why: r###"AWS rejects the document."###,
    example: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/\d*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/d*"}]}"###,
    fix: FixAvailability::Sometimes,
};

//! `syntax/non-ascii-punctuation`: full-width `：` or `，`, or a non-breaking space, between tokens. The JSON parser in `latch_syntax::json` reports it; this file
//! holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/non-ascii-punctuation",
    severity: Severity::Error,
    summary: r###"full-width `：` or `，`, or a non-breaking space, between tokens"###,
    what: r###"Reports full-width colons and commas typed with a Japanese input method, and non-breaking or ideographic spaces copied from web pages."###,
    why: r###"They look like JSON punctuation but are not; AWS rejects the document."###,
    example: r###"{"Version"："2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::Always,
};

//! `syntax/invalid-utf8`: the file is not UTF-8 text. Reported while reading (see `latch_syntax` and the
//! workspace); this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/invalid-utf8",
    severity: Severity::Error,
    summary: r###"the file is not UTF-8 text"###,
    what: r###"Reports a file whose bytes are not valid UTF-8, at the first invalid byte. The file is not analysed further; the rest of the workspace is."###,
    why: r###"AWS policy documents are UTF-8. Files saved as Shift_JIS or Latin-1 from old editors look fine on screen but cannot be sent to AWS as they are."###,
    example: "//- generated\na file with the bytes `{\"Sid\": \"\\xff\\xfe\"}`",
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};

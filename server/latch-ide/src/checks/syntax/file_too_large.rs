//! `syntax/file-too-large`: a file too large to be a policy is skipped. Reported while reading (see `latch_syntax` and the
//! workspace); this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "syntax/file-too-large",
    severity: Severity::Warning,
    summary: r###"a file too large to be a policy is skipped"###,
    what: r###"Reports files larger than 4 MiB, which Latch does not read."###,
    why: r###"The largest policy AWS accepts is a 32 KB key policy; a file this large is generated data, and reading it would slow the editor down for nothing."###,
    example: "//- generated\na 5 MiB JSON file",
    prefer: r###"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"###,
    fix: FixAvailability::None,
};

//! `manifest/invalid-arn`: a malformed ARN in `latch.toml`. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/invalid-arn",
    severity: Severity::Error,
    summary: r###"a malformed ARN in `latch.toml`"###,
    what: r###"Reports principal, key and resource ARNs in `latch.toml` that do not have the six ARN fields."###,
    why: r###"The entry cannot match any request or policy."###,
    example: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::user/Jane"
"###,
    prefer: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
"###,
    fix: FixAvailability::None,
};

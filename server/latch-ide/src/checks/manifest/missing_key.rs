//! `manifest/missing-key`: a `latch.toml` entry without a key it needs. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/missing-key",
    severity: Severity::Error,
    summary: r###"a `latch.toml` entry without a key it needs"###,
    what: r###"Reports entries that lack a required key: a `[[principal]]` without `arn`, a `[[bucket]]` without `name`, an `[[expect]]` without `principal`, `action`, `resource` or `decision`."###,
    why: r###"The entry cannot be used, so what it describes is not simulated."###,
    example: r###"//- latch.toml
[[expect]]
principal = "arn:aws:iam::111122223333:user/Jane"
action = "s3:GetObject"
decision = "allow"
"###,
    prefer: r###"//- latch.toml
[[expect]]
principal = "arn:aws:iam::111122223333:user/Jane"
action = "s3:GetObject"
resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/reports/q3.csv"
decision = "allow"
"###,
    fix: FixAvailability::None,
};

//! `manifest/unknown-key`: a key `latch.toml` does not define. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/unknown-key",
    severity: Severity::Warning,
    summary: r###"a key `latch.toml` does not define"###,
    what: r###"Reports tables and keys that are not part of the `latch.toml` schema (see `docs/design.md`), usually a misspelling."###,
    why: r###"An ignored key is a silent misconfiguration: a `polices = [...]` list attaches nothing."###,
    example: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
polices = []
"###,
    prefer: r###"//- latch.toml
[[principal]]
arn = "arn:aws:iam::111122223333:user/Jane"
policies = []
"###,
    fix: FixAvailability::None,
};

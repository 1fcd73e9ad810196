//! `manifest/unknown-account`: an account name `[accounts]` does not define. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/unknown-account",
    severity: Severity::Error,
    summary: r###"an account name `[accounts]` does not define"###,
    what: r###"Reports account references (in `[providers]`, `[[bucket]]`, `[[scp]]`) that are neither a 12-digit id nor a name from `[accounts]`."###,
    why: r###"Resources in an unknown account cannot be placed, so same-account and cross-account rules cannot be told apart."###,
    example: r###"//- latch.toml
[accounts]
storage = "444455556666"

[[bucket]]
name = "DOC-EXAMPLE-BUCKET"
account = "storge"
"###,
    prefer: r###"//- latch.toml
[accounts]
storage = "444455556666"

[[bucket]]
name = "DOC-EXAMPLE-BUCKET"
account = "storage"
"###,
    fix: FixAvailability::None,
};

//! `manifest/invalid-account-id`: an account id that is not 12 digits. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/invalid-account-id",
    severity: Severity::Error,
    summary: r###"an account id that is not 12 digits"###,
    what: r###"Reports `[accounts]` entries whose id is not exactly 12 digits."###,
    why: r###"ARNs built from a wrong id match nothing, so every decision involving the account is wrong."###,
    example: r###"//- latch.toml
[accounts]
storage = "44445555666"
"###,
    prefer: r###"//- latch.toml
[accounts]
storage = "444455556666"
"###,
    fix: FixAvailability::None,
};

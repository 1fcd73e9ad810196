//! `manifest/syntax`: `latch.toml` is not valid TOML. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/syntax",
    severity: Severity::Error,
    summary: r###"`latch.toml` is not valid TOML"###,
    what: r###"Reports TOML syntax errors in `latch.toml`, at the place the TOML parser stopped."###,
    why: r###"Nothing in the manifest can be read until it parses: accounts, principals and intents fall back to what Latch infers from the policies."###,
    example: r###"//- latch.toml
[accounts
storage = "444455556666"
"###,
    prefer: r###"//- latch.toml
[accounts]
storage = "444455556666"
"###,
    fix: FixAvailability::None,
};

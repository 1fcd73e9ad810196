//! `manifest/invalid-value`: a `latch.toml` value outside its allowed set. Reported while reading `latch.toml` (`latch_syntax::manifest`)
//! or when the workspace resolves its references; this file holds its documentation.

use latch_syntax::Severity;

use crate::checks::{CheckDoc, FixAvailability};

pub const DOC: CheckDoc = CheckDoc {
    code: "manifest/invalid-value",
    severity: Severity::Error,
    summary: r###"a `latch.toml` value outside its allowed set"###,
    what: r###"Reports values that are not among the allowed ones, such as an `object_ownership` other than `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`, or a `decision` other than `allow` or `deny`."###,
    why: r###"The setting is ignored, so the simulation uses AWS's default instead of what you meant."###,
    example: r###"//- latch.toml
[[bucket]]
name = "DOC-EXAMPLE-BUCKET"
account = "444455556666"
object_ownership = "Enforced"
"###,
    prefer: r###"//- latch.toml
[[bucket]]
name = "DOC-EXAMPLE-BUCKET"
account = "444455556666"
object_ownership = "BucketOwnerEnforced"
"###,
    fix: FixAvailability::None,
};

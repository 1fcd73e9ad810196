//! The checks of S3 answers: one file per code,
//! each with its documentation; the findings come from `crate::access`.

pub mod list_bucket_404;

use crate::checks::CheckDoc;

/// Every check of this area.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![&list_bucket_404::DOC]
}

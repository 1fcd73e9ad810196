//! The checks of CloudFront with an S3 origin: one file per code,
//! each with its documentation; the findings come from `crate::access`.

pub mod block_public_access;
pub mod default_root_object;
pub mod not_public;
pub mod owner_mismatch;
pub mod referer;
pub mod requester_pays;
pub mod website_endpoint_kms;

use crate::checks::CheckDoc;

/// Every check of this area.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![
        &website_endpoint_kms::DOC,
        &not_public::DOC,
        &block_public_access::DOC,
        &owner_mismatch::DOC,
        &referer::DOC,
        &default_root_object::DOC,
        &requester_pays::DOC,
    ]
}

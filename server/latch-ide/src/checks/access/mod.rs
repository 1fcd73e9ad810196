//! The checks of cross-document access: one file per code,
//! each with its documentation; the findings come from `crate::access` (a check whose
//! decision-to-finding logic lives here exports a `report` function it calls).

pub mod bucket_acl;
pub mod condition_and;
pub mod encryption_header;
pub mod explicit_deny;
pub mod external;
pub mod identity_missing;
pub mod kms_key;
pub mod mfa;
pub mod object_ownership;
pub mod permissions_boundary;
pub mod put_acl;
pub mod rcp;
pub mod requester_pays;
pub mod resource_grant_missing;
pub mod scp;
pub mod session_policy;
pub mod vpce_policy;

use crate::checks::CheckDoc;

/// Every check of this area.
pub fn docs() -> Vec<&'static CheckDoc> {
    vec![
        &identity_missing::DOC,
        &resource_grant_missing::DOC,
        &kms_key::DOC,
        &explicit_deny::DOC,
        &vpce_policy::DOC,
        &scp::DOC,
        &rcp::DOC,
        &permissions_boundary::DOC,
        &session_policy::DOC,
        &object_ownership::DOC,
        &requester_pays::DOC,
        &mfa::DOC,
        &condition_and::DOC,
        &put_acl::DOC,
        &encryption_header::DOC,
        &bucket_acl::DOC,
        &external::DOC,
    ]
}

//! Attribute values about an object's life and use: Revocation Reason, Usage Limits,
//! Rotate Name.

use crate::{RevocationReasonCode, RotateNameType, UsageLimitsUnit};

kmip_struct! {
    /// Revocation Reason (KMIP 1.4 §3.31, KMIP 2.0 §4). Also the Revoke request field.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct RevocationReason {
        /// Why the object was revoked.
        req revocation_reason_code: RevocationReasonCode = REVOCATION_REASON_CODE,
        /// Free text.
        opt revocation_message: String = REVOCATION_MESSAGE,
    }
}

kmip_struct! {
    /// Usage Limits (KMIP 1.4 §3.21, KMIP 2.0 §4): how much the key may still be used.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct UsageLimits {
        /// The total allowed.
        req usage_limits_total: i64 = USAGE_LIMITS_TOTAL,
        /// What is left; set by the server. The 2.x table marks it required, but clients
        /// leave it out when they set the attribute (OASIS test cases, 1.x and 2.x).
        opt usage_limits_count: i64 = USAGE_LIMITS_COUNT,
        /// What is counted (bytes or objects).
        req usage_limits_unit: UsageLimitsUnit = USAGE_LIMITS_UNIT,
    }
}

kmip_struct! {
    /// Rotate Name (KMIP 2.1): the name a key rotation is known by.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct RotateName {
        /// The name.
        req rotate_name_value: String = ROTATE_NAME_VALUE,
        /// How to interpret it (uninterpreted text, URI).
        req rotate_name_type: RotateNameType = ROTATE_NAME_TYPE,
    }
}

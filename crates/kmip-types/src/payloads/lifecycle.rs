//! Operations on one object's life cycle and usage: Activate, Revoke, Destroy, Archive,
//! Recover, Obtain Lease, Get Usage Allocation and Check (KMIP 1.4 §4.10, §4.17–4.23,
//! KMIP 2.0 §6.1).

use crate::UniqueId;
use crate::attributes::RevocationReason;
use crate::{CryptographicUsageMask, DateTime, Interval};

kmip_struct! {
    /// A request that only names an object, or the ID Placeholder when the identifier is
    /// absent.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IdRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
    }
}

kmip_struct! {
    /// A response that only names the object acted on.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct IdResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
    }
}

/// Activate request: the object becomes Active.
pub type ActivateRequest = IdRequest;
/// Activate response.
pub type ActivateResponse = IdResponse;
/// Destroy request: the object's key material is destroyed.
pub type DestroyRequest = IdRequest;
/// Destroy response.
pub type DestroyResponse = IdResponse;
/// Archive request: the object is moved to off-line storage.
pub type ArchiveRequest = IdRequest;
/// Archive response.
pub type ArchiveResponse = IdResponse;
/// Recover request: an archived object is brought back on-line.
pub type RecoverRequest = IdRequest;
/// Recover response.
pub type RecoverResponse = IdResponse;
/// Obtain Lease request: the client may use the object for the lease time.
pub type ObtainLeaseRequest = IdRequest;
/// Get Usage Allocation response.
pub type GetUsageAllocationResponse = IdResponse;
/// Revoke response.
pub type RevokeResponse = IdResponse;

kmip_struct! {
    /// Revoke request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct RevokeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Why it is revoked.
        req revocation_reason: RevocationReason = REVOCATION_REASON,
        /// When the compromise happened, for a compromise.
        opt compromise_occurrence_date: DateTime = COMPROMISE_OCCURRENCE_DATE,
    }
}

kmip_struct! {
    /// Obtain Lease response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ObtainLeaseResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// How long the client may use the object.
        req lease_time: Interval = LEASE_TIME,
        /// The object's Last Change Date, to tell whether a cached copy is current.
        req last_change_date: DateTime = LAST_CHANGE_DATE,
    }
}

kmip_struct! {
    /// Get Usage Allocation request: the client reserves uses of a key's Usage Limits.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct GetUsageAllocationRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// How many uses.
        req usage_limits_count: i64 = USAGE_LIMITS_COUNT,
    }
}

kmip_struct! {
    /// Check request: whether the object could be used this way; the response has the same
    /// fields and repeats the ones that fail the check.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CheckRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Uses the client wants.
        opt usage_limits_count: i64 = USAGE_LIMITS_COUNT,
        /// Operations the client wants.
        opt cryptographic_usage_mask: CryptographicUsageMask = CRYPTOGRAPHIC_USAGE_MASK,
        /// Lease the client wants.
        opt lease_time: Interval = LEASE_TIME,
    }
}

kmip_struct! {
    /// Check response: the request's fields that failed the check.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CheckResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The requested uses, when the object does not allow them.
        opt usage_limits_count: i64 = USAGE_LIMITS_COUNT,
        /// The requested operations, when the object does not allow them.
        opt cryptographic_usage_mask: CryptographicUsageMask = CRYPTOGRAPHIC_USAGE_MASK,
        /// The requested lease, when the server does not grant it.
        opt lease_time: Interval = LEASE_TIME,
    }
}

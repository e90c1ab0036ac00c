//! KMIP errors: a Result Reason and a message. The one mapping from the store's errors.

use kmip_types::{KmipVersion, ResultReason};
use kms_store::StoreError;

/// A failed batch item.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{reason:?}: {message}")]
pub struct KmipError {
    /// Result Reason.
    pub reason: ResultReason,
    /// Result Message: names fields and rules, never values or key material.
    pub message: String,
}

impl KmipError {
    /// An error.
    pub fn new(reason: ResultReason, message: impl Into<String>) -> KmipError {
        KmipError {
            reason,
            message: message.into(),
        }
    }

    /// The error for `e` in a message of `version`: lifecycle violations are Permission
    /// Denied in KMIP 1.x (as the OASIS test cases expect) and Wrong Key Lifecycle State
    /// in 2.x.
    pub fn from_store(e: StoreError, version: KmipVersion) -> KmipError {
        use ResultReason as R;
        use StoreError as S;
        let message = e.to_string();
        let reason = match e {
            S::NotFound | S::Destroyed | S::AttributeNotFound(_) => R::ITEM_NOT_FOUND,
            S::PermissionDenied(_) | S::ReadOnlyAttribute(_) => R::PERMISSION_DENIED,
            S::WrongState { .. } if version.is_2x() => R::WRONG_KEY_LIFECYCLE_STATE,
            S::WrongState { .. } => R::PERMISSION_DENIED,
            S::Archived => R::OBJECT_ARCHIVED,
            S::InvalidField(_) => R::INVALID_FIELD,
            S::MissingData(_) => R::MISSING_DATA,
            S::IncompleteRequest(_) | S::RepeatedAttributeName(_) => R::INVALID_MESSAGE,
            S::IndexOutOfBounds { .. } => R::INDEX_OUT_OF_BOUNDS,
            S::NotSupported(_) => R::FEATURE_NOT_SUPPORTED,
            S::KeyFormatNotSupported(_) => R::KEY_FORMAT_TYPE_NOT_SUPPORTED,
            S::UsageNotAllowed(_) => R::PERMISSION_DENIED,
            S::UsageLimitExceeded if version.is_2x() => R::USAGE_LIMIT_EXCEEDED,
            S::UsageLimitExceeded => R::PERMISSION_DENIED,
            S::KeyValueNotPresent => R::KEY_VALUE_NOT_PRESENT,
            S::Sensitive => R::SENSITIVE,
            S::NotExtractable => R::NOT_EXTRACTABLE,
            S::CryptoFailure => R::CRYPTOGRAPHIC_FAILURE,
            S::AlreadyExists => R::OBJECT_ALREADY_EXISTS,
            S::Conflict | S::Corrupt(_) | S::Backend(_) | S::MasterKey(_) => R::GENERAL_FAILURE,
            _ => R::GENERAL_FAILURE,
        };
        KmipError { reason, message }
    }
}

//! The crate's errors. Every failure of a decrypt, unwrap or verify is the one opaque
//! [`CryptoError::Failed`]: which check failed is never told (no padding or tag oracle).

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Authentication, decryption, unwrapping or verification failed. Deliberately says
    /// nothing more.
    #[error("cryptographic operation failed")]
    Failed,
    /// A key, IV, tag or parameter of the wrong size or form for the algorithm.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What was invalid ("key", "iv", "modulus", "curve point", ...).
        what: &'static str,
        /// Why, without any secret value.
        reason: &'static str,
    },
    /// An algorithm, size or combination this crate does not offer.
    #[error("unsupported: {0}")]
    Unsupported(&'static str),
    /// A key encoding (PKCS#1, PKCS#8, SEC1, SPKI, raw) that does not parse or does not
    /// match what was asked for.
    #[error("malformed {0} key encoding")]
    Encoding(&'static str),
    /// The system random number generator failed.
    #[error("the system random number generator failed")]
    Rng,
}

/// Shorthand for results of this crate.
pub type Result<T> = core::result::Result<T, CryptoError>;

//! The crate's errors: one enum for every parse, validation and token failure, and the
//! [`CryptoError`] a backend returns.
//!
//! No message ever carries key material or attacker-chosen values longer than a member
//! name. Signature and decryption failures are single opaque variants
//! ([`Error::InvalidSignature`], [`Error::DecryptionFailed`]): which check failed is never
//! told.

use std::borrow::Cow;

use crate::alg::KeyType;

/// A member, parameter or claim name as reported in an error: a known name, or a name read
/// from the input, cut to `MAX_NAME_IN_ERROR` (64) characters.
pub type Name = Cow<'static, str>;

/// Names read from the input are cut to this many characters in error messages.
pub const MAX_NAME_IN_ERROR: usize = 64;

/// A name from the input, shortened for an error message.
pub(crate) fn input_name(name: &str) -> Name {
    match name.char_indices().nth(MAX_NAME_IN_ERROR) {
        Some((cut, _)) => Cow::Owned(format!("{}...", name.get(..cut).unwrap_or_default())),
        None => Cow::Owned(name.to_owned()),
    }
}

/// What went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not JSON (position of the first error; the offending text is not echoed).
    #[error("malformed JSON at line {line}, column {column}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The JSON value is not an object.
    #[error("expected a JSON object")]
    NotAnObject,
    /// A member appears twice in one object (RFC 7515 §5.2, RFC 7519 §4).
    #[error("duplicate member `{0}`")]
    DuplicateMember(Name),
    /// A member this crate does not know, refused by the parse options.
    #[error("unknown member `{0}`")]
    UnknownMember(Name),
    /// A required member is absent.
    #[error("missing member `{0}`")]
    MissingMember(Name),
    /// A member holds the wrong JSON type.
    #[error("member `{member}` must be {expected}")]
    WrongType {
        /// The member.
        member: Name,
        /// What it must be ("a string", "an array of strings", ...).
        expected: &'static str,
    },
    /// A member that must be base64url is not: padding, the standard alphabet, whitespace
    /// or non-canonical trailing bits.
    #[error("member `{0}` is not unpadded base64url")]
    Base64(Name),
    /// A member's value is out of range, of the wrong length, or otherwise invalid.
    #[error("member `{member}`: {reason}")]
    InvalidValue {
        /// The member.
        member: Name,
        /// Why, without the value.
        reason: &'static str,
    },
    /// A key parameter that belongs to another key type (`k` on an RSA key, ...).
    #[error("member `{member}` is not a parameter of kty `{kty}`")]
    MemberNotAllowed {
        /// The member.
        member: Name,
        /// The key's type.
        kty: KeyType,
    },
    /// A value this crate does not implement: an unknown `kty`, `crv`, `alg`, `enc`, key
    /// operation, or a feature such as multi-prime RSA or JWE compression.
    #[error("unsupported {what} `{value}`")]
    Unsupported {
        /// What kind of value.
        what: &'static str,
        /// The value (a name, never key material).
        value: Name,
    },
    /// Members that are each valid but contradict each other (RFC 7517 §4.3, RFC 7518 §6).
    #[error("inconsistent key: {0}")]
    Inconsistent(&'static str),
    /// Plain serialization of a key that holds private members; use
    /// [`Jwk::expose_private`](crate::Jwk::expose_private) when that is intended.
    #[error("the key holds private members: serialize them with `expose_private`")]
    PrivateMembers,
    /// [`Jwk::to_public`](crate::Jwk::to_public) on a symmetric key.
    #[error("a symmetric key has no public part")]
    NoPublicKey,
    /// JSON serialization failed (it does not for the types of this crate; kept so that no
    /// path panics).
    #[error("JSON serialization failed")]
    Serialization,
    /// `alg: none` (RFC 7518 §3.6) is refused everywhere.
    #[error("`alg: none` is never accepted")]
    AlgNone,
    /// A token longer than the parse limit.
    #[error("token longer than the limit of {limit} bytes")]
    TooLong {
        /// The limit that applied.
        limit: usize,
    },
    /// A compact serialization with the wrong number of parts or an undecodable part.
    #[error("malformed compact serialization: {0}")]
    Malformed(&'static str),
    /// A `crit` header parameter names an extension this recipient does not understand, or
    /// is malformed (RFC 7515 §4.1.11).
    #[error("critical header parameter `{0}` is not understood")]
    Critical(Name),
    /// The token's `alg` is not the algorithm the caller expects for the key.
    #[error("algorithm `{0}` is not allowed here")]
    AlgorithmNotAllowed(Name),
    /// The JWS signature does not verify. Deliberately says nothing more.
    #[error("invalid signature")]
    InvalidSignature,
    /// JWE decryption failed, for whatever reason. Deliberately says nothing more.
    #[error("decryption failed")]
    DecryptionFailed,
    /// A JWT claim is missing, malformed or not valid now (RFC 7519 §4.1).
    #[error("claim `{claim}`: {reason}")]
    Claim {
        /// The claim.
        claim: Name,
        /// Why.
        reason: &'static str,
    },
    /// A key of a JWK Set (RFC 7517 §5) failed to parse.
    #[error("key {index} of the set: {source}")]
    SetMember {
        /// Its position in `keys`.
        index: usize,
        /// Why.
        source: Box<Error>,
    },
    /// The crypto backend failed (signing, encrypting, the RNG) or refused the key.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// What a crypto backend reports. Implementations map their own errors onto these; a
/// verification or decryption failure of any kind is [`CryptoError::Failed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// Verification or decryption failed. Deliberately says nothing more.
    #[error("cryptographic operation failed")]
    Failed,
    /// The key cannot be used for this algorithm (wrong type, size or curve, no private
    /// part, not permitted by its usage).
    #[error("key not usable: {0}")]
    Key(&'static str),
    /// The backend does not implement this algorithm.
    #[error("unsupported by the backend: {0}")]
    Unsupported(&'static str),
    /// The random number generator failed.
    #[error("the random number generator failed")]
    Rng,
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_input_names_are_cut() {
        let long = "x".repeat(200);
        let name = input_name(&long);
        assert_eq!(name.chars().count(), MAX_NAME_IN_ERROR + 3);
        assert_eq!(input_name("kid"), "kid");
    }

    #[test]
    fn cutting_respects_char_boundaries() {
        let long = "é".repeat(100);
        assert!(input_name(&long).ends_with("é..."));
    }
}

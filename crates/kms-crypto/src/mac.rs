//! HMAC (RFC 2104, FIPS 198-1) over the hashes of [`crate::hash`].
//!
//! ring computes HMAC with SHA-1, SHA-256, SHA-384 and SHA-512; the `hmac` crate (over
//! `sha2`) computes HMAC with SHA-224, SHA-512/224 and SHA-512/256, which ring lacks.
//! Tags are always compared in constant time, and every verification failure is the one
//! opaque [`CryptoError::Failed`].

use core::fmt;

use hmac::{Hmac, KeyInit as _, Mac as _};

use crate::hash::HashAlgorithm;
use crate::secret::ct_eq;
use crate::{CryptoError, Result, Secret, rng};

/// The shortest HMAC key the strict policy accepts, in bits (NIST SP 800-131A Rev. 2
/// disallows HMAC keys shorter than 112 bits).
pub const STRICT_MIN_KEY_BITS: usize = 112;

/// An HMAC key bound to its hash function. Zeroized on drop, not `Clone`, redacted in
/// `Debug`.
pub struct HmacKey {
    algorithm: HashAlgorithm,
    key: Secret,
}

impl HmacKey {
    /// A fresh key of `algorithm.output_len()` bytes from the system CSPRNG.
    ///
    /// The output length, not the block length: RFC 2104 §3 calls keys shorter than the
    /// output length "strongly discouraged" and says longer ones would not significantly
    /// increase the strength. ring's own `hmac::Key::generate` makes the same choice.
    pub fn generate(algorithm: HashAlgorithm) -> Result<Self> {
        Ok(HmacKey {
            algorithm,
            key: rng::random_bytes(algorithm.output_len())?,
        })
    }

    /// Takes `key` as an HMAC key for `algorithm`. Any non-empty length is accepted, as
    /// RFC 2104 allows (keys longer than the block are hashed first); apply
    /// [`HmacKey::check_strict_policy`] to refuse short keys.
    pub fn from_secret(algorithm: HashAlgorithm, key: Secret) -> Result<Self> {
        if key.is_empty() {
            return Err(CryptoError::Invalid {
                what: "key",
                reason: "an HMAC key must not be empty",
            });
        }
        Ok(HmacKey { algorithm, key })
    }

    /// Copies `bytes` into a new HMAC key for `algorithm` (see [`HmacKey::from_secret`]).
    pub fn from_slice(algorithm: HashAlgorithm, bytes: &[u8]) -> Result<Self> {
        HmacKey::from_secret(algorithm, Secret::from_slice(bytes))
    }

    /// The hash function this key is for.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// Key length in bytes.
    pub fn key_len(&self) -> usize {
        self.key.len()
    }

    /// The key bytes (for export or wrapping; handle with care).
    pub fn expose(&self) -> &[u8] {
        self.key.expose()
    }

    /// Consumes the key, giving back its bytes as a [`Secret`].
    pub fn into_secret(self) -> Secret {
        self.key
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        HmacKey {
            algorithm: self.algorithm,
            key: self.key.duplicate(),
        }
    }

    /// The strict (FIPS-style) policy: refuses keys shorter than
    /// [`STRICT_MIN_KEY_BITS`] (RELIABILITY check 22). HMAC-SHA-1 itself stays allowed:
    /// SP 800-131A still approves it for MACs, unlike SHA-1 signatures.
    pub fn check_strict_policy(&self) -> Result<()> {
        if self.key.len() * 8 < STRICT_MIN_KEY_BITS {
            return Err(CryptoError::Invalid {
                what: "key",
                reason: "HMAC key shorter than 112 bits is refused by the strict policy",
            });
        }
        Ok(())
    }

    /// The MAC of `data`: `algorithm().output_len()` bytes.
    pub fn sign(&self, data: &[u8]) -> Result<Vec<u8>> {
        let key = self.key.expose();
        match Backend::of(self.algorithm) {
            Backend::Ring(alg) => Ok(ring::hmac::sign(&ring::hmac::Key::new(alg, key), data)
                .as_ref()
                .to_vec()),
            Backend::Sha224 => rust_crypto_sign::<sha2::Sha224>(key, data),
            Backend::Sha512_224 => rust_crypto_sign::<sha2::Sha512_224>(key, data),
            Backend::Sha512_256 => rust_crypto_sign::<sha2::Sha512_256>(key, data),
        }
    }

    /// Checks a full-length tag in constant time. A tag of any other length fails; use
    /// [`HmacKey::verify_truncated`] to accept truncated tags.
    pub fn verify(&self, data: &[u8], tag: &[u8]) -> Result<()> {
        let key = self.key.expose();
        let ok = match Backend::of(self.algorithm) {
            Backend::Ring(alg) => {
                ring::hmac::verify(&ring::hmac::Key::new(alg, key), data, tag).is_ok()
            }
            Backend::Sha224 => rust_crypto_verify::<sha2::Sha224>(key, data, tag),
            Backend::Sha512_224 => rust_crypto_verify::<sha2::Sha512_224>(key, data, tag),
            Backend::Sha512_256 => rust_crypto_verify::<sha2::Sha512_256>(key, data, tag),
        };
        if ok { Ok(()) } else { Err(CryptoError::Failed) }
    }

    /// Checks a tag truncated to its leftmost bytes (RFC 2104 §5), in constant time. The
    /// tag must be at least [`min_truncated_len`] bytes (half the output and at least 80
    /// bits, as RFC 2104 §5 recommends) and at most the full output. Only for protocols
    /// that define truncated tags: a caller that expects full tags calls
    /// [`HmacKey::verify`], so that a shortened tag cannot pass.
    pub fn verify_truncated(&self, data: &[u8], tag: &[u8]) -> Result<()> {
        if tag.len() < min_truncated_len(self.algorithm) {
            return Err(CryptoError::Failed);
        }
        let full = self.sign(data).map_err(|_| CryptoError::Failed)?;
        match full.get(..tag.len()) {
            Some(prefix) if ct_eq(prefix, tag) => Ok(()),
            _ => Err(CryptoError::Failed),
        }
    }
}

impl fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("algorithm", &self.algorithm)
            .field("key", &format_args!("[redacted {} bytes]", self.key.len()))
            .finish()
    }
}

/// The shortest truncated tag [`HmacKey::verify_truncated`] accepts for `algorithm`, in
/// bytes: half the output length, and never less than 10 bytes (80 bits), per RFC 2104 §5.
pub fn min_truncated_len(algorithm: HashAlgorithm) -> usize {
    (algorithm.output_len() / 2).max(10)
}

/// Which library computes HMAC with a given hash.
enum Backend {
    Ring(ring::hmac::Algorithm),
    Sha224,
    Sha512_224,
    Sha512_256,
}

impl Backend {
    fn of(algorithm: HashAlgorithm) -> Backend {
        match algorithm {
            HashAlgorithm::Sha1 => Backend::Ring(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY),
            HashAlgorithm::Sha256 => Backend::Ring(ring::hmac::HMAC_SHA256),
            HashAlgorithm::Sha384 => Backend::Ring(ring::hmac::HMAC_SHA384),
            HashAlgorithm::Sha512 => Backend::Ring(ring::hmac::HMAC_SHA512),
            HashAlgorithm::Sha224 => Backend::Sha224,
            HashAlgorithm::Sha512_224 => Backend::Sha512_224,
            HashAlgorithm::Sha512_256 => Backend::Sha512_256,
        }
    }
}

/// A RustCrypto HMAC keyed with `key` that has absorbed `data`. HMAC takes keys of any
/// length, so the error branch is never taken in practice.
fn rust_crypto_mac<D: hmac::EagerHash>(key: &[u8], data: &[u8]) -> Result<Hmac<D>> {
    let mut mac = Hmac::<D>::new_from_slice(key).map_err(|_| CryptoError::Invalid {
        what: "key",
        reason: "HMAC key rejected",
    })?;
    mac.update(data);
    Ok(mac)
}

fn rust_crypto_sign<D: hmac::EagerHash>(key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
    Ok(rust_crypto_mac::<D>(key, data)?
        .finalize()
        .into_bytes()
        .to_vec())
}

fn rust_crypto_verify<D: hmac::EagerHash>(key: &[u8], data: &[u8], tag: &[u8]) -> bool {
    rust_crypto_mac::<D>(key, data).is_ok_and(|mac| mac.verify_slice(tag).is_ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// RFC 4231 test case 2 (key "Jefe"), and the same for SHA-1 from RFC 2202 §3.
    #[test]
    fn matches_rfc_4231_and_2202_test_case_2() {
        let data = b"what do ya want for nothing?";
        let cases = [
            (
                HashAlgorithm::Sha1,
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            ),
            (
                HashAlgorithm::Sha224,
                "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44",
            ),
            (
                HashAlgorithm::Sha256,
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ),
        ];
        for (alg, expected) in cases {
            let key = HmacKey::from_slice(alg, b"Jefe").unwrap();
            let tag = key.sign(data).unwrap();
            assert_eq!(hex::encode(&tag), expected, "{alg:?}");
            assert_eq!(key.verify(data, &tag), Ok(()));
        }
    }

    #[test]
    fn generated_keys_have_the_output_length() {
        for alg in HashAlgorithm::ALL {
            let key = HmacKey::generate(alg).unwrap();
            assert_eq!(key.key_len(), alg.output_len());
            assert_eq!(key.algorithm(), alg);
            assert_eq!(key.check_strict_policy(), Ok(()));
            let tag = key.sign(b"m").unwrap();
            assert_eq!(tag.len(), alg.output_len());
            assert_eq!(key.verify(b"m", &tag), Ok(()));
            assert_eq!(key.verify(b"n", &tag), Err(CryptoError::Failed));
        }
    }

    #[test]
    fn strict_policy_refuses_keys_under_112_bits() {
        let short = HmacKey::from_slice(HashAlgorithm::Sha256, &[1; 13]).unwrap();
        assert!(matches!(
            short.check_strict_policy(),
            Err(CryptoError::Invalid { what: "key", .. })
        ));
        let enough = HmacKey::from_slice(HashAlgorithm::Sha256, &[1; 14]).unwrap();
        assert_eq!(enough.check_strict_policy(), Ok(()));
    }

    #[test]
    fn rejects_an_empty_key() {
        assert!(HmacKey::from_slice(HashAlgorithm::Sha256, b"").is_err());
    }

    #[test]
    fn verify_refuses_truncated_tags() {
        for alg in HashAlgorithm::ALL {
            let key = HmacKey::from_slice(alg, b"0123456789abcdef").unwrap();
            let tag = key.sign(b"m").unwrap();
            let half = &tag[..min_truncated_len(alg)];
            assert_eq!(key.verify(b"m", half), Err(CryptoError::Failed));
            assert_eq!(key.verify_truncated(b"m", half), Ok(()));
            assert_eq!(key.verify_truncated(b"m", &tag), Ok(()));
            let too_short = &tag[..min_truncated_len(alg) - 1];
            assert_eq!(
                key.verify_truncated(b"m", too_short),
                Err(CryptoError::Failed)
            );
            let mut longer = tag.clone();
            longer.push(0);
            assert_eq!(
                key.verify_truncated(b"m", &longer),
                Err(CryptoError::Failed)
            );
            assert_eq!(key.verify(b"m", &longer), Err(CryptoError::Failed));
        }
    }

    #[test]
    fn truncation_floor_is_half_and_80_bits() {
        assert_eq!(min_truncated_len(HashAlgorithm::Sha1), 10);
        assert_eq!(min_truncated_len(HashAlgorithm::Sha224), 14);
        assert_eq!(min_truncated_len(HashAlgorithm::Sha512), 32);
    }

    #[test]
    fn debug_is_redacted() {
        let key = HmacKey::from_slice(HashAlgorithm::Sha256, b"super secret").unwrap();
        assert_eq!(
            format!("{key:?}"),
            "HmacKey { algorithm: Sha256, key: [redacted 12 bytes] }"
        );
    }
}

//! The crypto this crate needs and does not do: the traits a backend implements.
//!
//! The crate serializes, parses and checks; signing, verifying, AEAD and randomness are
//! delegated. A backend implements the traits for each key type it has: the key is a type
//! parameter, so one backend can implement [`JwsSigner<EcPrivateKey>`] and
//! [`JwsSigner<HmacKey>`] side by side, and a key handle (an id into an HSM, a
//! reference into a key store) works as well as key material. A backend that takes JWKs
//! implements them for [`Jwk`](crate::Jwk) and can use
//! [`Jwk::check_jws`](crate::Jwk::check_jws) and
//! [`Jwk::check_jwe_dir`](crate::Jwk::check_jwe_dir).
//!
//! ```
//! use jwk::{CryptoError, JwsAlgorithm, JwsHeader, JwsSigner};
//!
//! // A crypto crate's own typed keys.
//! struct EcPrivateKey { /* ... */ }
//! struct HmacKey(Vec<u8>);
//!
//! struct Backend;
//!
//! impl JwsSigner<EcPrivateKey> for Backend {
//!     fn sign(&self, alg: JwsAlgorithm, key: &EcPrivateKey, input: &[u8])
//!         -> Result<Vec<u8>, CryptoError> {
//!         // ECDSA over `input` with the hash of `alg`, then DER -> r || s.
//!         # let _ = (alg, key, input);
//!         Err(CryptoError::Unsupported("sketch"))
//!     }
//! }
//!
//! impl JwsSigner<HmacKey> for Backend {
//!     fn sign(&self, alg: JwsAlgorithm, key: &HmacKey, input: &[u8])
//!         -> Result<Vec<u8>, CryptoError> {
//!         # let _ = (alg, key, input);
//!         Err(CryptoError::Unsupported("sketch"))
//!     }
//! }
//!
//! // The key's type picks the implementation.
//! let header = JwsHeader::builder(JwsAlgorithm::Hs256).build()?;
//! let signed = jwk::jws::sign(&Backend, &HmacKey(vec![0; 32]), &header, b"payload");
//! assert!(signed.is_err());
//! # Ok::<(), jwk::Error>(())
//! ```
//!
//! [`JwsSigner<EcPrivateKey>`]: JwsSigner
//! [`JwsSigner<HmacKey>`]: JwsSigner

use crate::alg::{ContentEncryption, GCM_IV_LEN, GCM_TAG_LEN, JwsAlgorithm};
use crate::error::CryptoError;
use crate::secret::SecretBytes;

/// Computes JWS signatures and MACs (RFC 7515 §5.1 step 5, RFC 7518 §3).
pub trait JwsSigner<K: ?Sized> {
    /// Signs `signing_input` (`ASCII(BASE64URL(header) '.' BASE64URL(payload))`) with `key`
    /// under `alg`, hashing it as the algorithm says.
    ///
    /// - HS*: the full HMAC output.
    /// - RS*: RSASSA-PKCS1-v1_5 (RFC 7518 §3.3).
    /// - PS*: RSASSA-PSS, MGF1 with the same hash, salt as long as the hash (§3.5).
    /// - ES*: ECDSA as the fixed-size `r ‖ s` (§3.4), *not* DER: converting is the
    ///   backend's job. The crate checks the length of the result.
    ///
    /// A key that does not fit `alg` is [`CryptoError::Key`].
    fn sign(
        &self,
        alg: JwsAlgorithm,
        key: &K,
        signing_input: &[u8],
    ) -> Result<Vec<u8>, CryptoError>;
}

/// Verifies JWS signatures and MACs (RFC 7515 §5.2 step 8).
pub trait JwsVerifier<K: ?Sized> {
    /// Verifies `signature` over `signing_input` under `alg`. A signature that does not
    /// verify, for any reason, is [`CryptoError::Failed`]. HMACs must be compared in
    /// constant time. ES* signatures arrive as `r ‖ s` of the exact size (checked by the
    /// crate). The crate has already checked that `alg` is the one the caller expects.
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &K,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError>;
}

/// The output of an AEAD encryption: ciphertext and tag apart, as JWE carries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The ciphertext, as long as the plaintext (GCM).
    pub ciphertext: Vec<u8>,
    /// The 128-bit authentication tag.
    pub tag: [u8; GCM_TAG_LEN],
}

impl Sealed {
    /// Splits the `ciphertext ‖ tag` that most AEAD libraries return.
    pub fn from_combined(mut combined: Vec<u8>) -> Result<Self, CryptoError> {
        let at = combined
            .len()
            .checked_sub(GCM_TAG_LEN)
            .ok_or(CryptoError::Failed)?;
        let tag = combined
            .get(at..)
            .and_then(|t| <[u8; GCM_TAG_LEN]>::try_from(t).ok())
            .ok_or(CryptoError::Failed)?;
        combined.truncate(at);
        Ok(Sealed {
            ciphertext: combined,
            tag,
        })
    }
}

/// Encrypts JWE content with the content-encryption key (RFC 7516 §5.1 steps 9-15).
pub trait JweEncryptor<K: ?Sized> {
    /// Fills `dest` from a cryptographically secure RNG: the crate draws every IV here.
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), CryptoError>;

    /// AES-GCM encryption of `plaintext` under `key` with the 96-bit `iv` and `aad`
    /// (which is `ASCII(BASE64URL(protected header))`, RFC 7516 §5.1 step 14). A key whose
    /// size does not match `enc` is [`CryptoError::Key`].
    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &K,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, CryptoError>;
}

/// Decrypts JWE content (RFC 7516 §5.2 steps 14-16).
pub trait JweDecryptor<K: ?Sized> {
    /// AES-GCM decryption. Any failure (tag, key size, anything) may be reported however
    /// the backend likes: the crate turns every one into the single
    /// [`Error::DecryptionFailed`](crate::Error::DecryptionFailed).
    fn decrypt(
        &self,
        enc: ContentEncryption,
        key: &K,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; GCM_TAG_LEN],
    ) -> Result<SecretBytes, CryptoError>;
}

impl<K: ?Sized, T: JwsSigner<K> + ?Sized> JwsSigner<K> for &T {
    fn sign(&self, alg: JwsAlgorithm, key: &K, input: &[u8]) -> Result<Vec<u8>, CryptoError> {
        (**self).sign(alg, key, input)
    }
}

impl<K: ?Sized, T: JwsVerifier<K> + ?Sized> JwsVerifier<K> for &T {
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &K,
        input: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        (**self).verify(alg, key, input, signature)
    }
}

impl<K: ?Sized, T: JweEncryptor<K> + ?Sized> JweEncryptor<K> for &T {
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), CryptoError> {
        (**self).fill_random(dest)
    }

    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &K,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, CryptoError> {
        (**self).encrypt(enc, key, iv, aad, plaintext)
    }
}

impl<K: ?Sized, T: JweDecryptor<K> + ?Sized> JweDecryptor<K> for &T {
    fn decrypt(
        &self,
        enc: ContentEncryption,
        key: &K,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; GCM_TAG_LEN],
    ) -> Result<SecretBytes, CryptoError> {
        (**self).decrypt(enc, key, iv, aad, ciphertext, tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_combined_output() {
        let mut combined = vec![1, 2, 3];
        combined.extend_from_slice(&[9; 16]);
        let sealed = Sealed::from_combined(combined).unwrap();
        assert_eq!(sealed.ciphertext, [1, 2, 3]);
        assert_eq!(sealed.tag, [9; 16]);
        assert_eq!(Sealed::from_combined(vec![0; 15]), Err(CryptoError::Failed));
    }
}

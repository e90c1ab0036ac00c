//! Compact JWE with `alg: dir` and AES-GCM (RFC 7516 §7.1, RFC 7518 §4.5, §5.3): the
//! format of OVHcloud KMS ciphertexts and data keys.
//!
//! `header..iv.ciphertext.tag`: the encrypted-key part is empty, the IV is 96 bits drawn
//! from the backend's RNG, the tag 128 bits, and the AAD is `ASCII(BASE64URL(protected
//! header))` (RFC 7516 §5.1 step 14).

use crate::alg::{GCM_IV_LEN, GCM_TAG_LEN};
use crate::b64;
use crate::crypto::{JweDecryptor, JweEncryptor};
use crate::error::{CryptoError, Error, Result};
use crate::header::{JweHeader, TokenPolicy};
use crate::secret::SecretBytes;

/// Encrypts `plaintext` under `key` (the content-encryption key itself) and returns the
/// compact JWE.
pub fn encrypt<K, B>(backend: &B, key: &K, header: &JweHeader, plaintext: &[u8]) -> Result<String>
where
    K: ?Sized,
    B: JweEncryptor<K> + ?Sized,
{
    let mut iv = [0u8; GCM_IV_LEN];
    backend.fill_random(&mut iv)?;
    let aad = header.encoded().as_bytes();
    let sealed = backend.encrypt(header.enc(), key, &iv, aad, plaintext)?;
    if sealed.ciphertext.len() != plaintext.len() {
        // GCM does not expand: a tag left in the ciphertext is a backend bug.
        return Err(Error::Crypto(CryptoError::Failed));
    }
    let mut token = String::with_capacity(
        header.encoded().len()
            + 4
            + b64::encoded_len(GCM_IV_LEN)
            + b64::encoded_len(sealed.ciphertext.len())
            + b64::encoded_len(GCM_TAG_LEN),
    );
    token.push_str(header.encoded());
    token.push_str("..");
    token.push_str(&b64::encode(&iv));
    token.push('.');
    token.push_str(&b64::encode(&sealed.ciphertext));
    token.push('.');
    token.push_str(&b64::encode(&sealed.tag));
    Ok(token)
}

/// A parsed compact JWE: the header is checked, the rest is kept as text until
/// [`CompactJwe::decrypt`], where any problem with it is the one opaque
/// [`Error::DecryptionFailed`].
#[derive(Debug, Clone)]
pub struct CompactJwe {
    header: JweHeader,
    encrypted_key: String,
    iv: String,
    ciphertext: String,
    tag: String,
}

impl CompactJwe {
    /// Checks the length limit, the five parts and the protected header (see
    /// [`JweHeader::parse`]).
    pub fn parse(token: &str, policy: &TokenPolicy) -> Result<Self> {
        policy.check_len(token)?;
        let mut parts = token.split('.');
        let (Some(header), Some(encrypted_key), Some(iv), Some(ciphertext), Some(tag), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(Error::Malformed("a compact JWE has five parts"));
        };
        Ok(CompactJwe {
            header: JweHeader::parse(header, policy)?,
            encrypted_key: encrypted_key.to_owned(),
            iv: iv.to_owned(),
            ciphertext: ciphertext.to_owned(),
            tag: tag.to_owned(),
        })
    }

    /// The protected header: pick the key by `kid` (and private members such as
    /// `x-key-ver`) here, before decrypting.
    pub fn header(&self) -> &JweHeader {
        &self.header
    }

    /// Decrypts with `key`. Every failure — a non-empty encrypted key, an IV or tag of the
    /// wrong size, bad base64url, a wrong key, a modified header or ciphertext — is
    /// [`Error::DecryptionFailed`].
    pub fn decrypt<K, B>(&self, backend: &B, key: &K) -> Result<SecretBytes>
    where
        K: ?Sized,
        B: JweDecryptor<K> + ?Sized,
    {
        self.try_decrypt(backend, key)
            .ok_or(Error::DecryptionFailed)
    }

    fn try_decrypt<K, B>(&self, backend: &B, key: &K) -> Option<SecretBytes>
    where
        K: ?Sized,
        B: JweDecryptor<K> + ?Sized,
    {
        if !self.encrypted_key.is_empty() {
            return None;
        }
        let iv = <[u8; GCM_IV_LEN]>::try_from(b64::decode(&self.iv)?).ok()?;
        let tag = <[u8; GCM_TAG_LEN]>::try_from(b64::decode(&self.tag)?).ok()?;
        let ciphertext = b64::decode(&self.ciphertext)?;
        let aad = self.header.encoded().as_bytes();
        backend
            .decrypt(self.header.enc(), key, &iv, aad, &ciphertext, &tag)
            .ok()
    }
}

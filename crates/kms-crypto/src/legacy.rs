//! AES-CBC and AES-ECB, on the `cbc` and `ecb` crates. Legacy: neither mode authenticates
//! anything, ECB leaks equal blocks, and CBC is malleable. They exist only because the
//! KMIP symmetric-cipher test cases require them (CS-BC-M-1 to CS-BC-M-14: ECB without
//! padding, ECB and CBC with PKCS#5 padding, caller and random IVs). New code uses
//! [`crate::aead`].
//!
//! Padding is PKCS#7 (PKCS#5 in KMIP's words) or none. Every decryption failure — wrong
//! length, bad padding — is the one opaque [`CryptoError::Failed`], so no error tells a
//! padding failure apart from another; the padding check of the `block-padding` crate is
//! not constant-time, so CBC decryption must still not be offered to unauthenticated
//! callers as an oracle.

use aes::cipher::block_padding::{NoPadding, Padding as BlockPadding, Pkcs7};
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use aes::{Aes128, Aes192, Aes256};
use zeroize::Zeroizing;

use crate::symmetric::{AesKey, AesKeySize};
use crate::{CryptoError, Result, Secret, rng};

/// The AES block length, which is also the CBC IV length.
pub const BLOCK_LEN: usize = 16;

/// How the plaintext is padded to whole blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Padding {
    /// No padding: the plaintext must be a multiple of [`BLOCK_LEN`] bytes.
    None,
    /// PKCS#7 (RFC 5652 §6.3), called PKCS5 in KMIP: always adds 1 to 16 bytes.
    Pkcs7,
}

/// A CBC encryption under a random IV: the IV and the ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbcCiphertext {
    /// The random IV; it must travel with the ciphertext.
    pub iv: [u8; BLOCK_LEN],
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
}

/// AES-CBC encryption under a fresh random IV (KMIP Random IV).
pub fn cbc_encrypt(key: &AesKey, padding: Padding, plaintext: &[u8]) -> Result<CbcCiphertext> {
    let iv = rng::random_array::<BLOCK_LEN>()?;
    let ciphertext = cbc_encrypt_with_caller_iv(key, &iv, padding, plaintext)?;
    Ok(CbcCiphertext { iv, ciphertext })
}

/// AES-CBC encryption under an IV chosen by the caller, who must make it unpredictable
/// (SP 800-38A Appendix C); prefer [`cbc_encrypt`].
pub fn cbc_encrypt_with_caller_iv(
    key: &AesKey,
    iv: &[u8],
    padding: Padding,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    if iv.len() != BLOCK_LEN {
        return Err(CryptoError::Invalid {
            what: "iv",
            reason: "an AES-CBC IV is 16 bytes",
        });
    }
    let k = key.expose();
    match key.size() {
        AesKeySize::Aes128 => encrypt_padded(
            cbc::Encryptor::<Aes128>::new_from_slices(k, iv),
            padding,
            plaintext,
        ),
        AesKeySize::Aes192 => encrypt_padded(
            cbc::Encryptor::<Aes192>::new_from_slices(k, iv),
            padding,
            plaintext,
        ),
        AesKeySize::Aes256 => encrypt_padded(
            cbc::Encryptor::<Aes256>::new_from_slices(k, iv),
            padding,
            plaintext,
        ),
    }
}

/// AES-CBC decryption. Returns [`CryptoError::Failed`] for any failure.
pub fn cbc_decrypt(key: &AesKey, iv: &[u8], padding: Padding, ciphertext: &[u8]) -> Result<Secret> {
    let k = key.expose();
    match key.size() {
        AesKeySize::Aes128 => decrypt_padded(
            cbc::Decryptor::<Aes128>::new_from_slices(k, iv),
            padding,
            ciphertext,
        ),
        AesKeySize::Aes192 => decrypt_padded(
            cbc::Decryptor::<Aes192>::new_from_slices(k, iv),
            padding,
            ciphertext,
        ),
        AesKeySize::Aes256 => decrypt_padded(
            cbc::Decryptor::<Aes256>::new_from_slices(k, iv),
            padding,
            ciphertext,
        ),
    }
}

/// AES-ECB encryption.
pub fn ecb_encrypt(key: &AesKey, padding: Padding, plaintext: &[u8]) -> Result<Vec<u8>> {
    let k = key.expose();
    match key.size() {
        AesKeySize::Aes128 => encrypt_padded(
            ecb::Encryptor::<Aes128>::new_from_slice(k),
            padding,
            plaintext,
        ),
        AesKeySize::Aes192 => encrypt_padded(
            ecb::Encryptor::<Aes192>::new_from_slice(k),
            padding,
            plaintext,
        ),
        AesKeySize::Aes256 => encrypt_padded(
            ecb::Encryptor::<Aes256>::new_from_slice(k),
            padding,
            plaintext,
        ),
    }
}

/// AES-ECB decryption. Returns [`CryptoError::Failed`] for any failure.
pub fn ecb_decrypt(key: &AesKey, padding: Padding, ciphertext: &[u8]) -> Result<Secret> {
    let k = key.expose();
    match key.size() {
        AesKeySize::Aes128 => decrypt_padded(
            ecb::Decryptor::<Aes128>::new_from_slice(k),
            padding,
            ciphertext,
        ),
        AesKeySize::Aes192 => decrypt_padded(
            ecb::Decryptor::<Aes192>::new_from_slice(k),
            padding,
            ciphertext,
        ),
        AesKeySize::Aes256 => decrypt_padded(
            ecb::Decryptor::<Aes256>::new_from_slice(k),
            padding,
            ciphertext,
        ),
    }
}

fn encrypt_padded<M, E>(
    mode: core::result::Result<M, E>,
    padding: Padding,
    plaintext: &[u8],
) -> Result<Vec<u8>>
where
    M: BlockModeEncrypt,
{
    let mode = mode.map_err(|_| CryptoError::Invalid {
        what: "key",
        reason: "AES key or IV rejected",
    })?;
    if padding == Padding::None && !plaintext.len().is_multiple_of(BLOCK_LEN) {
        return Err(CryptoError::Invalid {
            what: "plaintext",
            reason: "without padding, the plaintext must be a multiple of 16 bytes",
        });
    }
    // Room for the padding; the plaintext part of the buffer is encrypted in place.
    let mut buf = Zeroizing::new(vec![0u8; plaintext.len() + BLOCK_LEN]);
    buf.get_mut(..plaintext.len())
        .ok_or(CryptoError::Failed)?
        .copy_from_slice(plaintext);
    let len = match padding {
        Padding::None => mode.encrypt_padded::<NoPadding>(&mut buf, plaintext.len()),
        Padding::Pkcs7 => mode.encrypt_padded::<Pkcs7>(&mut buf, plaintext.len()),
    }
    .map(<[u8]>::len)
    .map_err(|_| CryptoError::Invalid {
        what: "plaintext",
        reason: "cannot be padded",
    })?;
    buf.truncate(len);
    Ok(core::mem::take(&mut *buf))
}

fn decrypt_padded<M, E>(
    mode: core::result::Result<M, E>,
    padding: Padding,
    ciphertext: &[u8],
) -> Result<Secret>
where
    M: BlockModeDecrypt,
{
    let mode = mode.map_err(|_| CryptoError::Failed)?;
    if ciphertext.is_empty() && padding == Padding::Pkcs7 {
        return Err(CryptoError::Failed);
    }
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let len = unpad(mode, padding, &mut buf).ok_or(CryptoError::Failed)?;
    buf.truncate(len);
    Ok(Secret::new(core::mem::take(&mut *buf)))
}

fn unpad<M: BlockModeDecrypt>(mode: M, padding: Padding, buf: &mut [u8]) -> Option<usize> {
    fn with<P: BlockPadding, M: BlockModeDecrypt>(mode: M, buf: &mut [u8]) -> Option<usize> {
        mode.decrypt_padded::<P>(buf).ok().map(<[u8]>::len)
    }
    match padding {
        Padding::None => with::<NoPadding, M>(mode, buf),
        Padding::Pkcs7 => with::<Pkcs7, M>(mode, buf),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn key() -> AesKey {
        AesKey::generate(AesKeySize::Aes128).unwrap()
    }

    #[test]
    fn no_padding_requires_whole_blocks() {
        let key = key();
        assert!(matches!(
            ecb_encrypt(&key, Padding::None, &[0; 17]),
            Err(CryptoError::Invalid {
                what: "plaintext",
                ..
            })
        ));
        assert!(cbc_encrypt(&key, Padding::None, &[0; 15]).is_err());
        assert_eq!(
            ecb_decrypt(&key, Padding::None, &[0; 17]).err(),
            Some(CryptoError::Failed)
        );
        assert_eq!(
            ecb_encrypt(&key, Padding::None, &[]).unwrap(),
            Vec::<u8>::new()
        );
    }

    #[test]
    fn pkcs7_always_adds_a_block_part() {
        let key = key();
        assert_eq!(ecb_encrypt(&key, Padding::Pkcs7, &[]).unwrap().len(), 16);
        assert_eq!(
            ecb_encrypt(&key, Padding::Pkcs7, &[0; 16]).unwrap().len(),
            32
        );
        assert_eq!(
            ecb_decrypt(&key, Padding::Pkcs7, &[]).err(),
            Some(CryptoError::Failed)
        );
    }

    #[test]
    fn bad_padding_is_the_same_error_as_a_bad_length() {
        let key = key();
        // A block of 0x42 bytes ends in 0x42, which is no PKCS#7 padding.
        let garbage = ecb_encrypt(&key, Padding::None, &[0x42; 16]).unwrap();
        let plain = ecb_decrypt(&key, Padding::None, &garbage).unwrap();
        assert_eq!(plain.expose(), &[0x42; 16]);
        assert_eq!(
            ecb_decrypt(&key, Padding::Pkcs7, &garbage).err(),
            Some(CryptoError::Failed)
        );
        assert_eq!(
            cbc_decrypt(&key, &[0; 16], Padding::Pkcs7, &[0; 15]).err(),
            Some(CryptoError::Failed)
        );
    }

    #[test]
    fn cbc_iv_must_be_one_block() {
        let key = key();
        assert!(matches!(
            cbc_encrypt_with_caller_iv(&key, &[0; 12], Padding::Pkcs7, b"x"),
            Err(CryptoError::Invalid { what: "iv", .. })
        ));
        assert_eq!(
            cbc_decrypt(&key, &[0; 12], Padding::Pkcs7, &[0; 16]).err(),
            Some(CryptoError::Failed)
        );
    }
}

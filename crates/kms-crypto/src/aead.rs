//! AES-GCM (NIST SP 800-38D) with 128-, 192- and 256-bit keys.
//!
//! [`encrypt`] is the default: it draws a fresh random 96-bit IV for every message and
//! returns it with the ciphertext, so callers cannot reuse an IV by accident. With random
//! IVs a key must not encrypt more than 2^32 messages (SP 800-38D §8.3); counting them is
//! the store's job (RELIABILITY check 21). [`encrypt_with_caller_iv`] exists for protocols
//! where the peer sends the IV (KMIP IV/Counter/Nonce); its name says who is responsible
//! for never repeating it.
//!
//! ring computes AES-128-GCM and AES-256-GCM with 96-bit IVs and 16-byte tags; the
//! `aes-gcm` crate computes the rest: AES-192, IVs of 8, 16 and 60 bytes (the KMIP
//! CS-BC-M-GCM-2 cases use 8-, 12- and 60-byte IVs, taken from the GCM specification's
//! test cases) and tags of 12 to 15 bytes.
//!
//! Decryption checks the tag in constant time before releasing any plaintext, and every
//! failure (wrong key, IV, AAD, ciphertext or tag, unsupported IV length, bad tag length)
//! is the one opaque [`CryptoError::Failed`].

use aes::{Aes128, Aes192, Aes256};
use aes_gcm::aead::array::Array;
use aes_gcm::aead::consts::{U8, U12, U13, U14, U15, U16, U60};
use aes_gcm::{AeadInOut, AesGcm, KeyInit};
use zeroize::Zeroizing;

use crate::symmetric::{AesKey, AesKeySize};
use crate::{CryptoError, Result, Secret, rng};

/// Length of the random IV that [`encrypt`] draws: 96 bits, the length SP 800-38D §5.2.1.1
/// recommends.
pub const IV_LEN: usize = 12;

/// The IV lengths, in bytes, that [`encrypt_with_caller_iv`] and [`decrypt`] accept.
pub const SUPPORTED_IV_LENS: [usize; 4] = [8, 12, 16, 60];

/// Length of the authentication tag. SP 800-38D §5.2.1.2 allows 12 to 16 bytes for
/// general use; shorter tags (4 or 8 bytes) are not offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TagLength {
    /// 96 bits.
    Bytes12,
    /// 104 bits.
    Bytes13,
    /// 112 bits.
    Bytes14,
    /// 120 bits.
    Bytes15,
    /// 128 bits, the default.
    #[default]
    Bytes16,
}

impl TagLength {
    /// The tag length for `len` bytes (KMIP Tag Length); 12 to 16.
    pub fn from_bytes(len: usize) -> Result<Self> {
        match len {
            12 => Ok(TagLength::Bytes12),
            13 => Ok(TagLength::Bytes13),
            14 => Ok(TagLength::Bytes14),
            15 => Ok(TagLength::Bytes15),
            16 => Ok(TagLength::Bytes16),
            _ => Err(CryptoError::Unsupported(
                "AES-GCM tag length other than 12 to 16 bytes",
            )),
        }
    }

    /// Length in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            TagLength::Bytes12 => 12,
            TagLength::Bytes13 => 13,
            TagLength::Bytes14 => 14,
            TagLength::Bytes15 => 15,
            TagLength::Bytes16 => 16,
        }
    }
}

/// The result of an encryption: the IV it used, the ciphertext (as long as the plaintext)
/// and the tag. Nothing here is secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// `ciphertext ‖ tag ‖ iv` in one allocation: encryption makes one buffer, as a bare
    /// ring call does, and [`into_parts`](Sealed::into_parts) keeps the ciphertext in
    /// place.
    buf: Vec<u8>,
    iv_len: usize,
    tag_len: usize,
}

impl Sealed {
    /// Length of the ciphertext.
    fn ciphertext_len(&self) -> usize {
        self.buf.len().saturating_sub(self.tag_len + self.iv_len)
    }

    /// The IV; it must be sent or stored with the ciphertext.
    pub fn iv(&self) -> &[u8] {
        let start = self.buf.len().saturating_sub(self.iv_len);
        self.buf.get(start..).unwrap_or_default()
    }

    /// The ciphertext without the tag.
    pub fn ciphertext(&self) -> &[u8] {
        self.buf.get(..self.ciphertext_len()).unwrap_or_default()
    }

    /// The authentication tag.
    pub fn tag(&self) -> &[u8] {
        let start = self.ciphertext_len();
        self.buf
            .get(start..start + self.tag_len)
            .unwrap_or_default()
    }

    /// Ciphertext followed by the tag, the layout of ring, RFC 5116 and JWE.
    pub fn ciphertext_and_tag(&self) -> Vec<u8> {
        let end = self.buf.len().saturating_sub(self.iv_len);
        self.buf.get(..end).unwrap_or_default().to_vec()
    }

    /// The parts: `(iv, ciphertext, tag)`.
    pub fn into_parts(self) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
        let Sealed {
            buf: mut ciphertext,
            iv_len,
            tag_len,
        } = self;
        let iv = ciphertext.split_off(ciphertext.len().saturating_sub(iv_len));
        let tag = ciphertext.split_off(ciphertext.len().saturating_sub(tag_len));
        (iv, ciphertext, tag)
    }
}

impl core::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Sealed")
            .field("iv", &self.iv())
            .field("ciphertext", &self.ciphertext())
            .field("tag", &self.tag())
            .finish()
    }
}

/// Encrypts `plaintext` and authenticates it with `aad` under a fresh random 96-bit IV and
/// a 16-byte tag. This is the function to use unless a protocol dictates otherwise.
pub fn encrypt(key: &AesKey, aad: &[u8], plaintext: &[u8]) -> Result<Sealed> {
    encrypt_with_tag_length(key, TagLength::Bytes16, aad, plaintext)
}

/// Like [`encrypt`] (fresh random 96-bit IV) with a shorter tag, for protocols that ask
/// for one (KMIP Tag Length).
pub fn encrypt_with_tag_length(
    key: &AesKey,
    tag_length: TagLength,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Sealed> {
    let iv = rng::random_array::<IV_LEN>()?;
    seal(key, &iv, tag_length, aad, plaintext)
}

/// Encrypts under an IV chosen by the caller, who guarantees that this IV is never used
/// again with this key: a repeated IV reveals the XOR of the two plaintexts and lets
/// anyone forge tags. Use [`encrypt`] unless the IV comes from a peer or a protocol.
/// The IV must be one of [`SUPPORTED_IV_LENS`] bytes long.
pub fn encrypt_with_caller_iv(
    key: &AesKey,
    iv: &[u8],
    tag_length: TagLength,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Sealed> {
    seal(key, iv, tag_length, aad, plaintext)
}

/// Checks and decrypts. `tag` must be 12 to 16 bytes; its length is the tag length.
/// Returns the plaintext, or [`CryptoError::Failed`] for any failure.
pub fn decrypt(
    key: &AesKey,
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Result<Secret> {
    open(key, iv, aad, ciphertext, tag).map_err(|_| CryptoError::Failed)
}

/// Like [`decrypt`] for a ciphertext followed by its tag of `tag_length` bytes.
pub fn decrypt_ciphertext_and_tag(
    key: &AesKey,
    iv: &[u8],
    aad: &[u8],
    ciphertext_and_tag: &[u8],
    tag_length: TagLength,
) -> Result<Secret> {
    let split = ciphertext_and_tag
        .len()
        .checked_sub(tag_length.bytes())
        .ok_or(CryptoError::Failed)?;
    let (ciphertext, tag) = ciphertext_and_tag
        .split_at_checked(split)
        .ok_or(CryptoError::Failed)?;
    decrypt(key, iv, aad, ciphertext, tag)
}

/// The IV lengths this module accepts, as a closed set for the RustCrypto dispatch.
#[derive(Clone, Copy)]
enum IvLength {
    Bytes8,
    Bytes12,
    Bytes16,
    Bytes60,
}

impl IvLength {
    fn of(iv: &[u8]) -> Result<Self> {
        match iv.len() {
            8 => Ok(IvLength::Bytes8),
            12 => Ok(IvLength::Bytes12),
            16 => Ok(IvLength::Bytes16),
            60 => Ok(IvLength::Bytes60),
            _ => Err(CryptoError::Invalid {
                what: "iv",
                reason: "AES-GCM IV must be 8, 12, 16 or 60 bytes",
            }),
        }
    }
}

/// ring's prepared key, when ring can serve the request: AES-128 or AES-256 with a 96-bit
/// IV and a full tag.
fn ring_key(
    key: &AesKey,
    iv: IvLength,
    tag_length: TagLength,
) -> Result<Option<&ring::aead::LessSafeKey>> {
    match (iv, tag_length) {
        (IvLength::Bytes12, TagLength::Bytes16) => key.ring_gcm(),
        _ => Ok(None),
    }
}

// Expands to a call of `$f::<AesGcm<Aes, IvSize, TagSize>>$args` for the key size, IV
// length and tag length at hand: one monomorphic instance per supported combination.
macro_rules! dispatch {
    ($f:ident, $size:expr, $iv:expr, $tag:expr, $args:tt) => {
        match $size {
            AesKeySize::Aes128 => dispatch!(@iv $f, Aes128, $iv, $tag, $args),
            AesKeySize::Aes192 => dispatch!(@iv $f, Aes192, $iv, $tag, $args),
            AesKeySize::Aes256 => dispatch!(@iv $f, Aes256, $iv, $tag, $args),
        }
    };
    (@iv $f:ident, $aes:ty, $iv:expr, $tag:expr, $args:tt) => {
        match $iv {
            IvLength::Bytes8 => dispatch!(@tag $f, $aes, U8, $tag, $args),
            IvLength::Bytes12 => dispatch!(@tag $f, $aes, U12, $tag, $args),
            IvLength::Bytes16 => dispatch!(@tag $f, $aes, U16, $tag, $args),
            IvLength::Bytes60 => dispatch!(@tag $f, $aes, U60, $tag, $args),
        }
    };
    (@tag $f:ident, $aes:ty, $n:ty, $tag:expr, $args:tt) => {
        match $tag {
            TagLength::Bytes12 => $f::<AesGcm<$aes, $n, U12>> $args,
            TagLength::Bytes13 => $f::<AesGcm<$aes, $n, U13>> $args,
            TagLength::Bytes14 => $f::<AesGcm<$aes, $n, U14>> $args,
            TagLength::Bytes15 => $f::<AesGcm<$aes, $n, U15>> $args,
            TagLength::Bytes16 => $f::<AesGcm<$aes, $n, U16>> $args,
        }
    };
}

fn seal(
    key: &AesKey,
    iv: &[u8],
    tag_length: TagLength,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Sealed> {
    let iv_length = IvLength::of(iv)?;
    let tag_len = tag_length.bytes();
    // The whole `Sealed` buffer, encrypted in place: it holds plaintext until then, so it
    // is wiped if encryption fails.
    let mut buf = Zeroizing::new(Vec::with_capacity(plaintext.len() + tag_len + iv.len()));
    buf.extend_from_slice(plaintext);
    buf.resize(plaintext.len() + tag_len, 0);
    let (text, tag) = buf
        .split_at_mut_checked(plaintext.len())
        .ok_or(CryptoError::Failed)?;
    match ring_key(key, iv_length, tag_length)? {
        Some(ring) => ring_seal(ring, iv, aad, text, tag)?,
        None => dispatch!(
            rust_crypto_seal,
            key.size(),
            iv_length,
            tag_length,
            (key.expose(), iv, aad, text, tag)
        )?,
    }
    buf.extend_from_slice(iv);
    Ok(Sealed {
        buf: core::mem::take(&mut *buf),
        iv_len: iv.len(),
        tag_len,
    })
}

/// Copies a computed tag into its place in the output.
fn put_tag(out: &mut [u8], tag: &[u8]) -> Result<()> {
    if out.len() != tag.len() {
        return Err(CryptoError::Failed);
    }
    out.copy_from_slice(tag);
    Ok(())
}

fn open(key: &AesKey, iv: &[u8], aad: &[u8], ciphertext: &[u8], tag: &[u8]) -> Result<Secret> {
    let iv_length = IvLength::of(iv)?;
    let tag_length = TagLength::from_bytes(tag.len())?;
    // Decrypted in place inside the Secret it is returned in, wiped on drop on every path.
    let mut plaintext = Secret::from_slice(ciphertext);
    let buf = plaintext.expose_mut();
    match ring_key(key, iv_length, tag_length)? {
        Some(ring) => ring_open(ring, iv, aad, buf, tag)?,
        None => dispatch!(
            rust_crypto_open,
            key.size(),
            iv_length,
            tag_length,
            (key.expose(), iv, aad, buf, tag)
        )?,
    }
    Ok(plaintext)
}

fn ring_seal(
    key: &ring::aead::LessSafeKey,
    iv: &[u8],
    aad: &[u8],
    buf: &mut [u8],
    tag_out: &mut [u8],
) -> Result<()> {
    let nonce = ring::aead::Nonce::try_assume_unique_for_key(iv).map_err(|_| invalid_iv())?;
    let tag = key
        .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), buf)
        .map_err(|_| too_long())?;
    put_tag(tag_out, tag.as_ref())
}

fn ring_open(
    key: &ring::aead::LessSafeKey,
    iv: &[u8],
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8],
) -> Result<()> {
    let nonce = ring::aead::Nonce::try_assume_unique_for_key(iv).map_err(|_| invalid_iv())?;
    let tag = ring::aead::Tag::try_from(tag).map_err(|_| CryptoError::Failed)?;
    key.open_in_place_separate_tag(nonce, ring::aead::Aad::from(aad), tag, buf, 0..)
        .map_err(|_| CryptoError::Failed)?;
    Ok(())
}

fn rust_crypto_seal<C>(
    key: &[u8],
    iv: &[u8],
    aad: &[u8],
    buf: &mut [u8],
    tag_out: &mut [u8],
) -> Result<()>
where
    C: AeadInOut + KeyInit,
{
    let cipher = C::new_from_slice(key).map_err(|_| CryptoError::Invalid {
        what: "key",
        reason: "AES-GCM key rejected",
    })?;
    let nonce = Array::try_from(iv).map_err(|_| invalid_iv())?;
    let tag = cipher
        .encrypt_inout_detached(&nonce, aad, buf.into())
        .map_err(|_| too_long())?;
    put_tag(tag_out, &tag)
}

fn rust_crypto_open<C>(key: &[u8], iv: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<()>
where
    C: AeadInOut + KeyInit,
{
    let cipher = C::new_from_slice(key).map_err(|_| CryptoError::Failed)?;
    let nonce = Array::try_from(iv).map_err(|_| CryptoError::Failed)?;
    let tag = Array::try_from(tag).map_err(|_| CryptoError::Failed)?;
    cipher
        .decrypt_inout_detached(&nonce, aad, buf.into(), &tag)
        .map_err(|_| CryptoError::Failed)
}

fn invalid_iv() -> CryptoError {
    CryptoError::Invalid {
        what: "iv",
        reason: "AES-GCM IV must be 8, 12, 16 or 60 bytes",
    }
}

fn too_long() -> CryptoError {
    CryptoError::Invalid {
        what: "plaintext",
        reason: "too long for AES-GCM",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn key(size: AesKeySize) -> AesKey {
        AesKey::generate(size).unwrap()
    }

    #[test]
    fn ring_and_rust_crypto_agree() {
        for size in [AesKeySize::Aes128, AesKeySize::Aes256] {
            let key = key(size);
            let ring = ring_key(&key, IvLength::Bytes12, TagLength::Bytes16)
                .unwrap()
                .unwrap();
            let (iv, aad) = ([9u8; 12], b"aad");
            let mut by_ring = b"some plaintext".to_vec();
            let mut by_rust_crypto = by_ring.clone();
            let (mut ring_tag, mut rc_tag) = ([0u8; 16], [1u8; 16]);
            ring_seal(ring, &iv, aad, &mut by_ring, &mut ring_tag).unwrap();
            dispatch!(
                rust_crypto_seal,
                size,
                IvLength::Bytes12,
                TagLength::Bytes16,
                (key.expose(), &iv, aad, &mut by_rust_crypto, &mut rc_tag)
            )
            .unwrap();
            assert_eq!(by_ring, by_rust_crypto);
            assert_eq!(ring_tag, rc_tag);
        }
    }

    #[test]
    fn ring_serves_only_aes_128_and_256_with_96_bit_iv_and_full_tag() {
        let k192 = key(AesKeySize::Aes192);
        let k128 = key(AesKeySize::Aes128);
        let serves = |key, iv, tag| ring_key(key, iv, tag).unwrap().is_some();
        assert!(!serves(&k192, IvLength::Bytes12, TagLength::Bytes16));
        assert!(!serves(&k128, IvLength::Bytes8, TagLength::Bytes16));
        assert!(!serves(&k128, IvLength::Bytes12, TagLength::Bytes12));
        assert!(serves(&k128, IvLength::Bytes12, TagLength::Bytes16));
    }

    #[test]
    fn rejects_unsupported_iv_lengths_on_encrypt() {
        let key = key(AesKeySize::Aes256);
        for len in [0, 1, 7, 11, 13, 32, 64] {
            assert!(matches!(
                encrypt_with_caller_iv(&key, &vec![0; len], TagLength::Bytes16, b"", b"x"),
                Err(CryptoError::Invalid { what: "iv", .. })
            ));
        }
    }

    #[test]
    fn sealed_parts_agree_with_into_parts() {
        let key = key(AesKeySize::Aes192);
        for (iv_len, tag_length) in [
            (8, TagLength::Bytes12),
            (12, TagLength::Bytes16),
            (60, TagLength::Bytes13),
        ] {
            for pt_len in [0, 1, 33] {
                let iv = vec![3; iv_len];
                let sealed =
                    encrypt_with_caller_iv(&key, &iv, tag_length, b"a", &vec![5; pt_len]).unwrap();
                assert_eq!(sealed.iv(), iv);
                assert_eq!(sealed.ciphertext().len(), pt_len);
                assert_eq!(sealed.tag().len(), tag_length.bytes());
                assert_eq!(
                    sealed.ciphertext_and_tag(),
                    [sealed.ciphertext(), sealed.tag()].concat()
                );
                let (iv, ciphertext, tag) = sealed.clone().into_parts();
                assert_eq!(iv, sealed.iv());
                assert_eq!(ciphertext, sealed.ciphertext());
                assert_eq!(tag, sealed.tag());
            }
        }
    }

    #[test]
    fn every_decrypt_failure_is_the_same_error() {
        let key = key(AesKeySize::Aes128);
        let sealed = encrypt(&key, b"aad", b"plaintext").unwrap();
        let (iv, ct, tag) = (sealed.iv(), sealed.ciphertext(), sealed.tag());
        let failures = [
            decrypt(&key, &iv[..11], b"aad", ct, tag),
            decrypt(&key, iv, b"aad", ct, &tag[..11]),
            decrypt(&key, iv, b"aad", ct, &[]),
            decrypt(&key, iv, b"aad", ct, &[tag, &[0]].concat()),
            decrypt(&key, iv, b"aae", ct, tag),
            decrypt(&key, iv, b"aad", &ct[1..], tag),
            decrypt_ciphertext_and_tag(&key, iv, b"aad", &[1, 2, 3], TagLength::Bytes16),
        ];
        for failure in failures {
            assert_eq!(failure.err(), Some(CryptoError::Failed));
        }
    }

    #[test]
    fn tag_length_is_12_to_16_bytes() {
        for n in 12..=16 {
            assert_eq!(TagLength::from_bytes(n).map(TagLength::bytes), Ok(n));
        }
        for n in [0, 4, 8, 11, 17, 32] {
            assert!(matches!(
                TagLength::from_bytes(n),
                Err(CryptoError::Unsupported(_))
            ));
        }
        assert_eq!(TagLength::default(), TagLength::Bytes16);
    }

    #[test]
    fn empty_plaintext_still_gets_a_tag() {
        let key = key(AesKeySize::Aes192);
        let sealed = encrypt(&key, b"only aad", b"").unwrap();
        assert!(sealed.ciphertext().is_empty());
        assert_eq!(sealed.tag().len(), 16);
        let opened = decrypt(&key, sealed.iv(), b"only aad", b"", sealed.tag()).unwrap();
        assert!(opened.is_empty());
    }
}

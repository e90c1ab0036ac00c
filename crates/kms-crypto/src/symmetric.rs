//! AES keys: a length-checked newtype over [`Secret`], so that no function taking an
//! [`AesKey`] has to re-check its size, and that keeps its key schedules once computed.

use core::fmt;
use std::sync::OnceLock;

use aes::cipher::KeyInit as _;

use crate::{CryptoError, Result, Secret, rng};

/// The three AES key sizes (FIPS 197).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AesKeySize {
    /// 128-bit key.
    Aes128,
    /// 192-bit key.
    Aes192,
    /// 256-bit key.
    Aes256,
}

impl AesKeySize {
    /// Key length in bits.
    pub const fn bits(self) -> u32 {
        match self {
            AesKeySize::Aes128 => 128,
            AesKeySize::Aes192 => 192,
            AesKeySize::Aes256 => 256,
        }
    }

    /// Key length in bytes.
    pub const fn bytes(self) -> usize {
        match self {
            AesKeySize::Aes128 => 16,
            AesKeySize::Aes192 => 24,
            AesKeySize::Aes256 => 32,
        }
    }

    /// The size for a KMIP Cryptographic Length (bits); anything but 128, 192 or 256 is
    /// refused (e.g. the AES-64 of RELIABILITY check 22).
    pub fn from_bits(bits: u32) -> Result<Self> {
        match bits {
            128 => Ok(AesKeySize::Aes128),
            192 => Ok(AesKeySize::Aes192),
            256 => Ok(AesKeySize::Aes256),
            _ => Err(CryptoError::Unsupported(
                "AES key length other than 128, 192 or 256 bits",
            )),
        }
    }

    fn from_len(len: usize) -> Result<Self> {
        match len {
            16 => Ok(AesKeySize::Aes128),
            24 => Ok(AesKeySize::Aes192),
            32 => Ok(AesKeySize::Aes256),
            _ => Err(CryptoError::Invalid {
                what: "key",
                reason: "an AES key is 16, 24 or 32 bytes",
            }),
        }
    }
}

/// An AES key of 128, 192 or 256 bits. Zeroized on drop, not `Clone`, redacted in `Debug`.
///
/// The key schedules that AES-GCM and AES key wrap need are computed on first use and kept
/// with the key: expanding the key again for every call cost more than sealing a short
/// message. The AES block cipher's schedule (key wrap) is wiped on drop; ring's AES-GCM
/// key (round keys and GHASH key, AES-128 and AES-256 only) is not, as ring does not wipe
/// its keys.
pub struct AesKey {
    size: AesKeySize,
    key: Secret,
    gcm: OnceLock<Option<Box<ring::aead::LessSafeKey>>>,
    block: OnceLock<Box<BlockCipher>>,
}

/// The AES block cipher with its expanded key, for the modes built on RustCrypto.
pub(crate) enum BlockCipher {
    Aes128(aes::Aes128),
    Aes192(aes::Aes192),
    Aes256(aes::Aes256),
}

/// Evaluates `$body` with `$c` bound to the cipher inside a [`BlockCipher`] (a reference
/// to `aes::Aes128`, `Aes192` or `Aes256`): one monomorphic copy per key size.
macro_rules! with_block_cipher {
    ($cipher:expr, $c:ident => $body:expr) => {
        match $cipher {
            $crate::symmetric::BlockCipher::Aes128($c) => $body,
            $crate::symmetric::BlockCipher::Aes192($c) => $body,
            $crate::symmetric::BlockCipher::Aes256($c) => $body,
        }
    };
}
pub(crate) use with_block_cipher;

fn schedule_failed() -> CryptoError {
    CryptoError::Invalid {
        what: "key",
        reason: "AES key rejected",
    }
}

impl AesKey {
    /// A fresh key from the system CSPRNG.
    pub fn generate(size: AesKeySize) -> Result<Self> {
        Ok(AesKey::new(size, rng::random_bytes(size.bytes())?))
    }

    fn new(size: AesKeySize, key: Secret) -> Self {
        AesKey {
            size,
            key,
            gcm: OnceLock::new(),
            block: OnceLock::new(),
        }
    }

    /// Takes `key` as an AES key; it must be 16, 24 or 32 bytes.
    pub fn from_secret(key: Secret) -> Result<Self> {
        let size = AesKeySize::from_len(key.len())?;
        Ok(AesKey::new(size, key))
    }

    /// Copies `bytes` into a new AES key; they must be 16, 24 or 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let size = AesKeySize::from_len(bytes.len())?;
        Ok(AesKey::new(size, Secret::from_slice(bytes)))
    }

    /// The key size.
    pub fn size(&self) -> AesKeySize {
        self.size
    }

    /// The key bytes (for export or wrapping; handle with care).
    pub fn expose(&self) -> &[u8] {
        self.key.expose()
    }

    /// Consumes the key, giving back its bytes as a [`Secret`].
    pub fn into_secret(self) -> Secret {
        self.key
    }

    /// An explicit copy (its key schedules are computed again when used).
    pub fn duplicate(&self) -> Self {
        AesKey::new(self.size, self.key.duplicate())
    }

    /// ring's AES-GCM key, for AES-128 and AES-256 (ring has no AES-192); `None` for
    /// AES-192.
    #[inline]
    pub(crate) fn ring_gcm(&self) -> Result<Option<&ring::aead::LessSafeKey>> {
        match self.gcm.get() {
            Some(prepared) => Ok(prepared.as_deref()),
            None => self.init_ring_gcm(),
        }
    }

    #[cold]
    fn init_ring_gcm(&self) -> Result<Option<&ring::aead::LessSafeKey>> {
        let alg = match self.size {
            AesKeySize::Aes128 => &ring::aead::AES_128_GCM,
            AesKeySize::Aes256 => &ring::aead::AES_256_GCM,
            AesKeySize::Aes192 => return Ok(self.gcm.get_or_init(|| None).as_deref()),
        };
        let unbound =
            ring::aead::UnboundKey::new(alg, self.expose()).map_err(|_| schedule_failed())?;
        let prepared = Box::new(ring::aead::LessSafeKey::new(unbound));
        // Another thread may have won the race; either schedule is the same.
        Ok(self.gcm.get_or_init(|| Some(prepared)).as_deref())
    }

    /// The AES block cipher with this key.
    #[inline]
    pub(crate) fn block_cipher(&self) -> Result<&BlockCipher> {
        match self.block.get() {
            Some(cipher) => Ok(cipher),
            None => self.init_block_cipher(),
        }
    }

    #[cold]
    fn init_block_cipher(&self) -> Result<&BlockCipher> {
        let key = self.expose();
        let cipher = match self.size {
            AesKeySize::Aes128 => aes::Aes128::new_from_slice(key).map(BlockCipher::Aes128),
            AesKeySize::Aes192 => aes::Aes192::new_from_slice(key).map(BlockCipher::Aes192),
            AesKeySize::Aes256 => aes::Aes256::new_from_slice(key).map(BlockCipher::Aes256),
        }
        .map_err(|_| schedule_failed())?;
        Ok(self.block.get_or_init(|| Box::new(cipher)))
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AesKey")
            .field("size", &self.size)
            .field("key", &"[redacted]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn generates_each_size() {
        for size in [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256] {
            let key = AesKey::generate(size);
            assert_eq!(key.as_ref().map(|k| k.expose().len()), Ok(size.bytes()));
            assert_eq!(key.map(|k| k.size()), Ok(size));
            assert_eq!(size.bits() as usize, size.bytes() * 8);
            assert_eq!(AesKeySize::from_bits(size.bits()), Ok(size));
        }
    }

    #[test]
    fn rejects_other_lengths_on_import() {
        for len in [0, 8, 15, 17, 23, 31, 33, 64] {
            assert!(matches!(
                AesKey::from_slice(&vec![0; len]),
                Err(CryptoError::Invalid { what: "key", .. })
            ));
            assert!(AesKey::from_secret(Secret::new(vec![0; len])).is_err());
        }
    }

    #[test]
    fn rejects_aes_64() {
        assert!(matches!(
            AesKeySize::from_bits(64),
            Err(CryptoError::Unsupported(_))
        ));
    }

    #[test]
    fn key_schedules_are_kept_and_match_the_size() {
        for size in [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256] {
            let key = AesKey::generate(size).unwrap();
            let cipher = key.block_cipher().unwrap();
            assert!(
                core::ptr::eq(cipher, key.block_cipher().unwrap()),
                "computed once"
            );
            let cipher_size = match cipher {
                BlockCipher::Aes128(_) => AesKeySize::Aes128,
                BlockCipher::Aes192(_) => AesKeySize::Aes192,
                BlockCipher::Aes256(_) => AesKeySize::Aes256,
            };
            assert_eq!(cipher_size, size);
            let gcm = key.ring_gcm().unwrap();
            assert_eq!(gcm.is_some(), size != AesKeySize::Aes192);
            assert!(
                key.duplicate().block.get().is_none(),
                "a copy starts afresh"
            );
        }
    }

    #[test]
    fn debug_is_redacted() {
        let key = AesKey::from_slice(&[0x41; 16]);
        assert_eq!(
            format!("{key:?}"),
            "Ok(AesKey { size: Aes128, key: \"[redacted]\" })"
        );
    }

    #[test]
    fn duplicate_and_into_secret_keep_the_bytes() {
        let key = AesKey::from_slice(&[7; 32]);
        let copy = key.as_ref().map(AesKey::duplicate);
        assert_eq!(
            copy.map(AesKey::into_secret).map(|s| s.ct_eq(&[7; 32])),
            Ok(true)
        );
    }
}

//! AES keys: a length-checked newtype over [`Secret`], so that no function taking an
//! [`AesKey`] has to re-check its size.

use core::fmt;

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
pub struct AesKey {
    size: AesKeySize,
    key: Secret,
}

impl AesKey {
    /// A fresh key from the system CSPRNG.
    pub fn generate(size: AesKeySize) -> Result<Self> {
        Ok(AesKey {
            size,
            key: rng::random_bytes(size.bytes())?,
        })
    }

    /// Takes `key` as an AES key; it must be 16, 24 or 32 bytes.
    pub fn from_secret(key: Secret) -> Result<Self> {
        let size = AesKeySize::from_len(key.len())?;
        Ok(AesKey { size, key })
    }

    /// Copies `bytes` into a new AES key; they must be 16, 24 or 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        let size = AesKeySize::from_len(bytes.len())?;
        Ok(AesKey {
            size,
            key: Secret::from_slice(bytes),
        })
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

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        AesKey {
            size: self.size,
            key: self.key.duplicate(),
        }
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

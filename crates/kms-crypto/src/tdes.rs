//! Triple DES keys (TDEA, NIST SP 800-67): a length-checked newtype over [`Secret`].
//!
//! Legacy: SP 800-131A disallows Triple DES encryption after 2023, and the two-key variant
//! since 2015. The KMS keeps and uses such keys only because KMIP clients still manage
//! them (the OASIS symmetric-key profiles create, register and use DES3 keys); the modes
//! are those of [`crate::legacy`].

use core::fmt;

use crate::{CryptoError, Result, Secret, rng};

/// The two Triple DES keying options (SP 800-67 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TdesKeySize {
    /// Keying option 2: K1, K2 and K3 = K1, 16 bytes (112 key bits).
    TwoKey,
    /// Keying option 1: three keys, 24 bytes (168 key bits).
    ThreeKey,
}

impl TdesKeySize {
    /// The key length in bytes, parity bits included.
    pub const fn bytes(self) -> usize {
        match self {
            TdesKeySize::TwoKey => 16,
            TdesKeySize::ThreeKey => 24,
        }
    }

    /// The key bits, parity bits excluded: 112 or 168 (what KMIP calls the Cryptographic
    /// Length of a DES3 key).
    pub const fn bits(self) -> u32 {
        match self {
            TdesKeySize::TwoKey => 112,
            TdesKeySize::ThreeKey => 168,
        }
    }

    fn from_len(len: usize) -> Result<Self> {
        match len {
            16 => Ok(TdesKeySize::TwoKey),
            24 => Ok(TdesKeySize::ThreeKey),
            _ => Err(CryptoError::Invalid {
                what: "key",
                reason: "a Triple DES key is 16 or 24 bytes",
            }),
        }
    }
}

/// A Triple DES key of two or three DES keys. Zeroized on drop, not `Clone`, redacted in
/// `Debug`.
///
/// Imported keys are taken as they are: DES ignores the parity bits, and the weak-key
/// checks of SP 800-67 §3.3.2 are the key owner's business (the OASIS test cases encrypt
/// under `01…01`, the weakest key there is).
pub struct TdesKey {
    size: TdesKeySize,
    key: Secret,
}

impl TdesKey {
    /// A fresh key from the system CSPRNG, each byte with odd parity (FIPS 46-3 §3).
    pub fn generate(size: TdesKeySize) -> Result<Self> {
        let mut key = rng::random_bytes(size.bytes())?;
        set_odd_parity(key.expose_mut());
        Ok(TdesKey { size, key })
    }

    /// Takes `key` as a Triple DES key; it must be 16 or 24 bytes.
    pub fn from_secret(key: Secret) -> Result<Self> {
        let size = TdesKeySize::from_len(key.len())?;
        Ok(TdesKey { size, key })
    }

    /// Copies `bytes` into a new Triple DES key; they must be 16 or 24 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        TdesKey::from_secret(Secret::from_slice(bytes))
    }

    /// The keying option.
    pub fn size(&self) -> TdesKeySize {
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
        TdesKey {
            size: self.size,
            key: self.key.duplicate(),
        }
    }
}

impl fmt::Debug for TdesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TdesKey")
            .field("size", &self.size)
            .field("key", &"[redacted]")
            .finish()
    }
}

/// Sets the low bit of each byte so that the byte has an odd number of ones: the parity
/// DES keys carry (FIPS 46-3 §3), which clients and HSMs may check on import.
pub fn set_odd_parity(key: &mut [u8]) {
    for byte in key {
        let high = *byte & 0xFE;
        *byte = if high.count_ones() % 2 == 0 {
            high | 1
        } else {
            high
        };
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn generated_keys_have_odd_parity_in_each_byte() {
        for size in [TdesKeySize::TwoKey, TdesKeySize::ThreeKey] {
            let key = TdesKey::generate(size).unwrap();
            assert_eq!(key.expose().len(), size.bytes());
            assert!(key.expose().iter().all(|b| b.count_ones() % 2 == 1));
            assert_eq!(key.size(), size);
        }
        let a = TdesKey::generate(TdesKeySize::ThreeKey).unwrap();
        let b = TdesKey::generate(TdesKeySize::ThreeKey).unwrap();
        assert_ne!(a.expose(), b.expose(), "fresh randomness");
    }

    #[test]
    fn odd_parity_keeps_the_key_bits() {
        let mut key = [0x00, 0x01, 0xFE, 0xFF, 0x13, 0x34];
        set_odd_parity(&mut key);
        assert_eq!(key, [0x01, 0x01, 0xFE, 0xFE, 0x13, 0x34]);
    }

    #[test]
    fn accepts_two_and_three_key_lengths_only() {
        assert_eq!(
            TdesKey::from_slice(&[1; 16]).unwrap().size(),
            TdesKeySize::TwoKey
        );
        assert_eq!(
            TdesKey::from_slice(&[1; 24]).unwrap().size(),
            TdesKeySize::ThreeKey
        );
        for len in [0, 7, 8, 15, 17, 23, 25, 32] {
            assert!(matches!(
                TdesKey::from_slice(&vec![0; len]),
                Err(CryptoError::Invalid { what: "key", .. })
            ));
        }
    }

    #[test]
    fn debug_is_redacted() {
        let key = TdesKey::from_slice(&[0x41; 24]).unwrap();
        assert_eq!(
            format!("{key:?}"),
            "TdesKey { size: ThreeKey, key: \"[redacted]\" }"
        );
    }
}

//! AES key wrap, with and without padding, on the `aes-kw` crate.
//!
//! - [`wrap`] / [`unwrap`]: RFC 3394 (NIST SP 800-38F KW; KMIP "NIST Key Wrap"). The key
//!   data is a multiple of 8 bytes and at least 16: KW is defined for two or more
//!   64-bit semiblocks.
//! - [`wrap_with_padding`] / [`unwrap_with_padding`]: RFC 5649 (SP 800-38F KWP), for key
//!   data of any length from 1 byte.
//!
//! Any key size can wrap any key. Every unwrap failure (integrity check, wrong length,
//! wrong key) is the one opaque [`CryptoError::Failed`], and the unwrapped key is a
//! [`Secret`].

use aes::cipher::common::InnerInit as _;
use aes_kw::{AesKw, AesKwp};

use crate::symmetric::{AesKey, with_block_cipher};
use crate::{CryptoError, Result, Secret};

/// Length of the integrity check value that wrapping adds, in bytes.
pub const OVERHEAD: usize = 8;

/// Shortest RFC 3394 key data: two 64-bit semiblocks.
const KW_MIN_LEN: usize = 16;

/// Longest RFC 5649 key data: the message length indicator is 32 bits.
const KWP_MAX_LEN: usize = u32::MAX as usize;

/// Wraps `key_data` under `kek` (RFC 3394). `key_data` must be a multiple of 8 bytes and
/// at least 16; use [`wrap_with_padding`] for other lengths.
pub fn wrap(kek: &AesKey, key_data: &[u8]) -> Result<Vec<u8>> {
    if key_data.len() < KW_MIN_LEN || !key_data.len().is_multiple_of(8) {
        return Err(CryptoError::Invalid {
            what: "key data",
            reason: "RFC 3394 wraps a multiple of 8 bytes, at least 16",
        });
    }
    let mut out = vec![0u8; key_data.len() + OVERHEAD];
    let done = with_block_cipher!(kek.block_cipher()?, c => {
        AesKw::inner_init(c).wrap_key(key_data, &mut out).is_ok()
    });
    if done { Ok(out) } else { Err(wrap_failed()) }
}

/// Unwraps an RFC 3394 wrapped key. Returns [`CryptoError::Failed`] for any failure.
pub fn unwrap(kek: &AesKey, wrapped: &[u8]) -> Result<Secret> {
    if wrapped.len() < KW_MIN_LEN + OVERHEAD || !wrapped.len().is_multiple_of(8) {
        return Err(CryptoError::Failed);
    }
    // Unwrapped into the Secret it is returned in, wiped on drop on every path.
    let mut key = Secret::new(vec![0u8; wrapped.len() - OVERHEAD]);
    let out = key.expose_mut();
    let done = with_block_cipher!(kek.block_cipher()?, c => {
        AesKw::inner_init(c).unwrap_key(wrapped, out).is_ok()
    });
    if done {
        Ok(key)
    } else {
        Err(CryptoError::Failed)
    }
}

/// Wraps `key_data` under `kek` with padding (RFC 5649). `key_data` may be 1 byte up to
/// 2^32 - 1 bytes long.
pub fn wrap_with_padding(kek: &AesKey, key_data: &[u8]) -> Result<Vec<u8>> {
    if key_data.is_empty() || key_data.len() > KWP_MAX_LEN {
        return Err(CryptoError::Invalid {
            what: "key data",
            reason: "RFC 5649 wraps 1 to 2^32 - 1 bytes",
        });
    }
    let mut out = vec![0u8; key_data.len().div_ceil(8) * 8 + OVERHEAD];
    let len = with_block_cipher!(kek.block_cipher()?, c => {
        AesKwp::inner_init(c).wrap_key(key_data, &mut out).map(<[u8]>::len)
    })
    .map_err(|_| wrap_failed())?;
    out.truncate(len);
    Ok(out)
}

/// Unwraps an RFC 5649 wrapped key. Returns [`CryptoError::Failed`] for any failure.
pub fn unwrap_with_padding(kek: &AesKey, wrapped: &[u8]) -> Result<Secret> {
    // One AES block at least: a wrapped key of 1 to 8 bytes.
    if wrapped.len() < 2 * OVERHEAD || !wrapped.len().is_multiple_of(8) {
        return Err(CryptoError::Failed);
    }
    // Unwrapped into the Secret it is returned in, wiped on drop on every path.
    let mut key = Secret::new(vec![0u8; wrapped.len() - OVERHEAD]);
    let out = key.expose_mut();
    let len = with_block_cipher!(kek.block_cipher()?, c => {
        AesKwp::inner_init(c).unwrap_key(wrapped, out).map(<[u8]>::len)
    })
    .map_err(|_| CryptoError::Failed)?;
    // RFC 5649 never yields an empty key; refuse one rather than hand it out.
    if len == 0 {
        return Err(CryptoError::Failed);
    }
    key.truncate(len);
    Ok(key)
}

fn wrap_failed() -> CryptoError {
    CryptoError::Invalid {
        what: "key data",
        reason: "cannot be wrapped",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::symmetric::AesKeySize;

    fn kek() -> AesKey {
        AesKey::generate(AesKeySize::Aes256).unwrap()
    }

    #[test]
    fn kw_refuses_short_or_unaligned_key_data() {
        let kek = kek();
        for len in [0, 1, 8, 15, 17, 23] {
            assert!(matches!(
                wrap(&kek, &vec![1; len]),
                Err(CryptoError::Invalid { .. })
            ));
        }
    }

    #[test]
    fn kw_refuses_to_unwrap_a_bare_integrity_check_value() {
        // The RFC 3394 default IV alone would "unwrap" to an empty key.
        let kek = kek();
        assert_eq!(unwrap(&kek, &[0xa6; 8]).err(), Some(CryptoError::Failed));
        assert_eq!(unwrap(&kek, &[0xa6; 16]).err(), Some(CryptoError::Failed));
    }

    #[test]
    fn kwp_refuses_empty_key_data() {
        let kek = kek();
        assert!(wrap_with_padding(&kek, b"").is_err());
        // An 8-byte input that claims zero length never unwraps.
        assert_eq!(
            unwrap_with_padding(&kek, &[0xa6, 0x59, 0x59, 0xa6, 0, 0, 0, 0]).err(),
            Some(CryptoError::Failed)
        );
    }

    #[test]
    fn unwrap_with_another_kek_fails() {
        let (a, b) = (kek(), kek());
        let wrapped = wrap(&a, &[7; 32]).unwrap();
        assert_eq!(unwrap(&b, &wrapped).err(), Some(CryptoError::Failed));
        let wrapped = wrap_with_padding(&a, &[7; 5]).unwrap();
        assert_eq!(
            unwrap_with_padding(&b, &wrapped).err(),
            Some(CryptoError::Failed)
        );
    }

    #[test]
    fn every_kek_size_wraps_every_key_size() {
        for kek_size in [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256] {
            let kek = AesKey::generate(kek_size).unwrap();
            for key_size in [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256] {
                let key = AesKey::generate(key_size).unwrap();
                let wrapped = wrap(&kek, key.expose()).unwrap();
                assert!(unwrap(&kek, &wrapped).unwrap().ct_eq(key.expose()));
                let wrapped = wrap_with_padding(&kek, key.expose()).unwrap();
                assert!(
                    unwrap_with_padding(&kek, &wrapped)
                        .unwrap()
                        .ct_eq(key.expose())
                );
            }
        }
    }
}

//! CBC and ECB with AES or Triple DES keys, on the `cbc`, `ecb`, `aes` and `des` crates. Legacy: neither mode authenticates
//! anything, ECB leaks equal blocks, and CBC is malleable. They exist only because the
//! KMIP symmetric-cipher test cases require them (CS-BC-M-1 to CS-BC-M-14: ECB without
//! padding, ECB and CBC with PKCS#5 padding, caller and random IVs; CS-BC-M-4-12-3DES:
//! Triple DES ECB). New code uses [`crate::aead`].
//!
//! Padding is PKCS#7 (PKCS#5 in KMIP's words) or none. Every decryption failure — wrong
//! length, bad padding — is the one opaque [`CryptoError::Failed`], so no error tells a
//! padding failure apart from another; the padding check of the `block-padding` crate is
//! not constant-time, so CBC decryption must still not be offered to unauthenticated
//! callers as an oracle.

use aes::cipher::block_padding::{NoPadding, Padding as BlockPadding, Pkcs7};
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use zeroize::Zeroizing;

use crate::symmetric::AesKey;
use crate::tdes::TdesKey;
use crate::{CryptoError, Result, Secret, rng};

/// The AES block length, which is also the AES-CBC IV length.
pub const BLOCK_LEN: usize = 16;

/// The DES block length, which is also the Triple DES CBC IV length.
pub const DES_BLOCK_LEN: usize = 8;

/// How the plaintext is padded to whole blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Padding {
    /// No padding: the plaintext must be a multiple of the block length.
    None,
    /// PKCS#7 (RFC 5652 §6.3), called PKCS5 in KMIP: always adds 1 to one block of bytes.
    Pkcs7,
}

/// A key for the modes of this module: an [`AesKey`] or a [`TdesKey`].
pub trait BlockKey: sealed::Sealed {
    /// The cipher's block length, which is also its CBC IV length: 16 bytes for AES, 8
    /// for Triple DES.
    fn block_len(&self) -> usize;
}

impl BlockKey for AesKey {
    fn block_len(&self) -> usize {
        BLOCK_LEN
    }
}

impl BlockKey for TdesKey {
    fn block_len(&self) -> usize {
        DES_BLOCK_LEN
    }
}

mod sealed {
    /// The block cipher and key bytes of a [`super::BlockKey`]. No `Debug`: it holds
    /// the key.
    #[allow(missing_debug_implementations)]
    pub enum Cipher<'a> {
        Aes128(&'a [u8]),
        Aes192(&'a [u8]),
        Aes256(&'a [u8]),
        TdesEde2(&'a [u8]),
        TdesEde3(&'a [u8]),
    }

    pub trait Sealed {
        fn cipher(&self) -> Cipher<'_>;
    }

    impl Sealed for crate::symmetric::AesKey {
        fn cipher(&self) -> Cipher<'_> {
            use crate::symmetric::AesKeySize;
            match self.size() {
                AesKeySize::Aes128 => Cipher::Aes128(self.expose()),
                AesKeySize::Aes192 => Cipher::Aes192(self.expose()),
                AesKeySize::Aes256 => Cipher::Aes256(self.expose()),
            }
        }
    }

    impl Sealed for crate::tdes::TdesKey {
        fn cipher(&self) -> Cipher<'_> {
            use crate::tdes::TdesKeySize;
            match self.size() {
                TdesKeySize::TwoKey => Cipher::TdesEde2(self.expose()),
                TdesKeySize::ThreeKey => Cipher::TdesEde3(self.expose()),
            }
        }
    }
}

/// Evaluates `$body` with the type `$c` naming the block cipher of `$key` and `$k` bound
/// to its key bytes: one monomorphic copy per cipher.
macro_rules! per_cipher {
    ($key:expr, ($c:ident, $k:ident) => $body:expr) => {
        match sealed::Sealed::cipher($key) {
            sealed::Cipher::Aes128($k) => {
                type $c = aes::Aes128;
                $body
            }
            sealed::Cipher::Aes192($k) => {
                type $c = aes::Aes192;
                $body
            }
            sealed::Cipher::Aes256($k) => {
                type $c = aes::Aes256;
                $body
            }
            sealed::Cipher::TdesEde2($k) => {
                type $c = des::TdesEde2;
                $body
            }
            sealed::Cipher::TdesEde3($k) => {
                type $c = des::TdesEde3;
                $body
            }
        }
    };
}

/// A CBC encryption under a random IV: the IV and the ciphertext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CbcCiphertext {
    /// The random IV, one block long; it must travel with the ciphertext.
    pub iv: Vec<u8>,
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
}

/// CBC encryption under a fresh random IV (KMIP Random IV).
pub fn cbc_encrypt<K: BlockKey>(
    key: &K,
    padding: Padding,
    plaintext: &[u8],
) -> Result<CbcCiphertext> {
    let mut iv = vec![0; key.block_len()];
    rng::fill(&mut iv)?;
    let ciphertext = cbc_encrypt_with_caller_iv(key, &iv, padding, plaintext)?;
    Ok(CbcCiphertext { iv, ciphertext })
}

/// CBC encryption under an IV chosen by the caller, who must make it unpredictable
/// (SP 800-38A Appendix C); prefer [`cbc_encrypt`].
pub fn cbc_encrypt_with_caller_iv<K: BlockKey>(
    key: &K,
    iv: &[u8],
    padding: Padding,
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let block_len = key.block_len();
    if iv.len() != block_len {
        return Err(CryptoError::Invalid {
            what: "iv",
            reason: "a CBC IV is one block: 16 bytes for AES, 8 for Triple DES",
        });
    }
    per_cipher!(key, (C, k) => encrypt_padded(
        cbc::Encryptor::<C>::new_from_slices(k, iv),
        block_len,
        padding,
        plaintext,
    ))
}

/// CBC decryption. Returns [`CryptoError::Failed`] for any failure.
pub fn cbc_decrypt<K: BlockKey>(
    key: &K,
    iv: &[u8],
    padding: Padding,
    ciphertext: &[u8],
) -> Result<Secret> {
    per_cipher!(key, (C, k) => decrypt_padded(
        cbc::Decryptor::<C>::new_from_slices(k, iv),
        padding,
        ciphertext,
    ))
}

/// ECB encryption.
pub fn ecb_encrypt<K: BlockKey>(key: &K, padding: Padding, plaintext: &[u8]) -> Result<Vec<u8>> {
    let block_len = key.block_len();
    per_cipher!(key, (C, k) => encrypt_padded(
        ecb::Encryptor::<C>::new_from_slice(k),
        block_len,
        padding,
        plaintext,
    ))
}

/// ECB decryption. Returns [`CryptoError::Failed`] for any failure.
pub fn ecb_decrypt<K: BlockKey>(key: &K, padding: Padding, ciphertext: &[u8]) -> Result<Secret> {
    per_cipher!(key, (C, k) => decrypt_padded(
        ecb::Decryptor::<C>::new_from_slice(k),
        padding,
        ciphertext,
    ))
}

fn encrypt_padded<M, E>(
    mode: core::result::Result<M, E>,
    block_len: usize,
    padding: Padding,
    plaintext: &[u8],
) -> Result<Vec<u8>>
where
    M: BlockModeEncrypt,
{
    let mode = mode.map_err(|_| CryptoError::Invalid {
        what: "key",
        reason: "key or IV rejected",
    })?;
    if padding == Padding::None && !plaintext.len().is_multiple_of(block_len) {
        return Err(CryptoError::Invalid {
            what: "plaintext",
            reason: "without padding, the plaintext must be a multiple of the block length",
        });
    }
    // Room for the padding; the plaintext part of the buffer is encrypted in place.
    let mut buf = Zeroizing::new(vec![0u8; plaintext.len() + block_len]);
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
    use crate::symmetric::AesKeySize;
    use crate::tdes::TdesKeySize;

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

    fn h(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// NIST SP 800-67 Rev. 1, Appendix B: K1, K2, K3 and "The qufck brown fox jump".
    const SP800_67_KEY: &str = "0123456789abcdef23456789abcdef01456789abcdef0123";
    const SP800_67_PLAIN: &str = "54686520717566636b2062726f776e20666f78206a756d70";

    #[test]
    fn triple_des_ecb_matches_sp800_67() {
        let key = TdesKey::from_slice(&h(SP800_67_KEY)).unwrap();
        let ct = ecb_encrypt(&key, Padding::None, &h(SP800_67_PLAIN)).unwrap();
        assert_eq!(ct, h("a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900"));
        let back = ecb_decrypt(&key, Padding::None, &ct).unwrap();
        assert_eq!(back.expose(), h(SP800_67_PLAIN));
    }

    #[test]
    fn triple_des_with_one_key_thrice_is_single_des() {
        // The FIPS 46 worked example (key 133457799BBCDFF1): E(K, D(K, E(K, m))) = E(K, m).
        let key = TdesKey::from_slice(&h("133457799bbcdff1").repeat(3)).unwrap();
        let ct = ecb_encrypt(&key, Padding::None, &h("0123456789abcdef")).unwrap();
        assert_eq!(ct, h("85e813540f0ab405"));
    }

    #[test]
    fn two_key_triple_des_reuses_the_first_key_as_the_third() {
        // Cross-checked with OpenSSL's des-ede.
        let key = TdesKey::from_slice(&h(&SP800_67_KEY[..32])).unwrap();
        assert_eq!(key.size(), TdesKeySize::TwoKey);
        let ct = ecb_encrypt(&key, Padding::None, &h(SP800_67_PLAIN)).unwrap();
        assert_eq!(ct, h("c44862f70cf2fbdc9077d0909fa91b884cabd61fc58e0cbb"));
        let three =
            TdesKey::from_slice(&h(&[&SP800_67_KEY[..32], &SP800_67_KEY[..16]].concat())).unwrap();
        assert_eq!(
            ecb_encrypt(&three, Padding::None, &h(SP800_67_PLAIN)).unwrap(),
            ct
        );
    }

    #[test]
    fn triple_des_cbc_pads_to_eight_byte_blocks() {
        // Cross-checked with OpenSSL's des-ede3-cbc.
        let key = TdesKey::from_slice(&h(SP800_67_KEY)).unwrap();
        let iv = h("f69f2445df4f9b17");
        let ct = cbc_encrypt_with_caller_iv(&key, &iv, Padding::Pkcs7, &h(SP800_67_PLAIN)).unwrap();
        assert_eq!(
            ct,
            h("a5c282bad0de3774becd2e04386b589fb5057d8552fc4336af45148b1b044b00")
        );
        let back = cbc_decrypt(&key, &iv, Padding::Pkcs7, &ct).unwrap();
        assert_eq!(back.expose(), h(SP800_67_PLAIN));
        let random = cbc_encrypt(&key, Padding::Pkcs7, b"x").unwrap();
        assert_eq!((random.iv.len(), random.ciphertext.len()), (8, 8));
        assert!(matches!(
            cbc_encrypt_with_caller_iv(&key, &[0; 16], Padding::Pkcs7, b"x"),
            Err(CryptoError::Invalid { what: "iv", .. })
        ));
        assert!(matches!(
            ecb_encrypt(&key, Padding::None, &[0; 12]),
            Err(CryptoError::Invalid {
                what: "plaintext",
                ..
            })
        ));
        assert_eq!(
            ecb_encrypt(&key, Padding::Pkcs7, &[0; 8]).unwrap().len(),
            16
        );
    }
}

//! Encrypt and Decrypt (KMIP 1.4 §4.29, §4.30) with an AES, Triple DES or RSA key.

use kmip_types::{BlockCipherMode, CryptographicAlgorithm, CryptographicParameters, PaddingMethod};
use kms_crypto::aead::{self, TagLength};
use kms_crypto::legacy::{self, BlockKey, Padding};
use kms_crypto::{AesKey, KeyType, PrivateKey, PublicKey, Secret, keywrap, rng};

use super::algorithms::{self, invalid};
use super::crypto_error;
use super::usable::UsableKey;
use crate::error::{Result, StoreError};

/// What [`encrypt`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptOutput {
    /// The ciphertext, without the tag.
    pub data: Vec<u8>,
    /// The IV the server generated, which the client needs to decrypt; `None` when the
    /// client gave the IV or the mode has none.
    pub iv_counter_nonce: Option<Vec<u8>>,
    /// The Authenticated Encryption Tag of GCM; `None` for the other modes.
    pub tag: Option<Vec<u8>>,
}

impl EncryptOutput {
    fn without_iv_or_tag(data: Vec<u8>) -> Self {
        EncryptOutput {
            data,
            iv_counter_nonce: None,
            tag: None,
        }
    }
}

/// Encrypts `data` with `key` under `params`. `iv_counter_nonce` is the client's IV,
/// `aad` the Authenticated Encryption Additional Data (GCM only).
///
/// Defaults when a parameter is absent:
/// - AES: Block Cipher Mode GCM; for GCM a 16-byte tag and, with no IV/Counter/Nonce, a
///   fresh random 96-bit IV (returned to the client); for CBC and ECB Padding Method
///   None (CS-BC-M-1 encrypts one block into one block), for CBC a fresh random IV when
///   none is given (returned to the client).
/// - Triple DES: Block Cipher Mode CBC; padding and IVs as for AES CBC and ECB, with
///   8-byte blocks and IVs.
/// - RSA: Padding Method OAEP, with SHA-1 unless a Hashing Algorithm is given; MGF1
///   with the Mask Generator Hashing Algorithm, the same hash when absent; the P Source
///   as the label.
///
/// Offered: AES-GCM, AES-CBC and AES-ECB (Padding None or PKCS5), AES key wrap (NIST Key
/// Wrap, RFC 3394; AES Key Wrap Padding, RFC 5649), Triple DES CBC and ECB (CS-BC-M-4-12-3DES),
/// RSA-OAEP. Not offered
/// ([`StoreError::NotSupported`]): other modes and paddings, RSA PKCS#1 v1.5 (the crypto
/// core has no such encryption, and its decryption is for authenticated key transport
/// only), encryption with EC keys, keys of algorithms the store only keeps (SKIPJACK,
/// DES, ...: refused by [`usable_key`](super::usable_key)).
///
/// Refused: an HMAC key or a private key ([`StoreError::InvalidField`]: encrypt with the
/// public key), a Cryptographic Algorithm that does not name the key's, an IV where the
/// mode takes none or together with Random IV, additional data outside GCM.
pub fn encrypt(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
    iv_counter_nonce: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<EncryptOutput> {
    let default = CryptographicParameters::default();
    let params = params.unwrap_or(&default);
    match key {
        UsableKey::Aes(k) => {
            check_algorithm(params, CryptographicAlgorithm::AES)?;
            aes_encrypt(k, params, data, iv_counter_nonce, aad)
        }
        UsableKey::Tdes(k) => {
            check_algorithm(params, CryptographicAlgorithm::DES3)?;
            no_iv_with_random_iv(params, iv_counter_nonce)?;
            match params.block_cipher_mode.unwrap_or(BlockCipherMode::CBC) {
                mode @ (BlockCipherMode::CBC | BlockCipherMode::ECB) => {
                    block_mode_encrypt(k, mode, params, data, iv_counter_nonce, aad)
                }
                other => Err(algorithms::not_supported(
                    "Block Cipher Mode for Triple DES",
                    other,
                )),
            }
        }
        UsableKey::Public(k) => {
            no_iv_or_aad(iv_counter_nonce, aad)?;
            rsa_encrypt(k, params, data).map(EncryptOutput::without_iv_or_tag)
        }
        UsableKey::Private(_) | UsableKey::Hmac(_) => Err(StoreError::InvalidField(format!(
            "Encrypt needs an AES or Triple DES key or a public key, not {}",
            key.describe()
        ))),
    }
}

/// Decrypts `data` with `key` under `params`: the counterpart of [`encrypt`], with the
/// same defaults. `tag` is the Authenticated Encryption Tag (GCM, 12 to 16 bytes; a
/// Tag Length, when given, must be its length).
///
/// A missing IV (CBC, GCM) or tag (GCM) is [`StoreError::IncompleteRequest`]. Every failure
/// of the decryption itself (wrong tag, bad padding, wrong key) is the one opaque
/// [`StoreError::CryptoFailure`].
pub fn decrypt(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
    iv_counter_nonce: Option<&[u8]>,
    aad: Option<&[u8]>,
    tag: Option<&[u8]>,
) -> Result<Secret> {
    let default = CryptographicParameters::default();
    let params = params.unwrap_or(&default);
    match key {
        UsableKey::Aes(k) => {
            check_algorithm(params, CryptographicAlgorithm::AES)?;
            aes_decrypt(k, params, data, iv_counter_nonce, aad, tag)
        }
        UsableKey::Tdes(k) => {
            check_algorithm(params, CryptographicAlgorithm::DES3)?;
            if tag.is_some() {
                return Err(invalid("Authenticated Encryption Tag", "only for GCM"));
            }
            match params.block_cipher_mode.unwrap_or(BlockCipherMode::CBC) {
                mode @ (BlockCipherMode::CBC | BlockCipherMode::ECB) => {
                    block_mode_decrypt(k, mode, params, data, iv_counter_nonce, aad)
                }
                other => Err(algorithms::not_supported(
                    "Block Cipher Mode for Triple DES",
                    other,
                )),
            }
        }
        UsableKey::Private(k) => {
            no_iv_or_aad(iv_counter_nonce, aad)?;
            rsa_decrypt(k, params, data)
        }
        UsableKey::Public(_) | UsableKey::Hmac(_) => Err(StoreError::InvalidField(format!(
            "Decrypt needs an AES or Triple DES key or a private key, not {}",
            key.describe()
        ))),
    }
}

/// A Cryptographic Algorithm in the parameters must be the key's.
pub(super) fn check_algorithm(
    params: &CryptographicParameters,
    expected: CryptographicAlgorithm,
) -> Result<()> {
    match params.cryptographic_algorithm {
        Some(algorithm) if algorithm != expected => {
            Err(invalid("Cryptographic Algorithm", "does not match the key"))
        }
        _ => Ok(()),
    }
}

pub(super) fn no_iv_or_aad(iv: Option<&[u8]>, aad: Option<&[u8]>) -> Result<()> {
    if iv.is_some() {
        return Err(invalid("IV/Counter/Nonce", "this mode takes none"));
    }
    no_aad(aad)
}

pub(super) fn no_aad(aad: Option<&[u8]>) -> Result<()> {
    match aad {
        Some(_) => Err(invalid(
            "Authenticated Encryption Additional Data",
            "only for GCM",
        )),
        None => Ok(()),
    }
}

fn aes_encrypt(
    key: &AesKey,
    params: &CryptographicParameters,
    data: &[u8],
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<EncryptOutput> {
    no_iv_with_random_iv(params, iv)?;
    match params.block_cipher_mode.unwrap_or(BlockCipherMode::GCM) {
        BlockCipherMode::GCM => gcm_encrypt(key, params, data, iv, aad),
        mode @ (BlockCipherMode::CBC | BlockCipherMode::ECB) => {
            block_mode_encrypt(key, mode, params, data, iv, aad)
        }
        mode @ (BlockCipherMode::NIST_KEY_WRAP | BlockCipherMode::AES_KEY_WRAP_PADDING) => {
            no_iv_or_aad(iv, aad)?;
            key_wrap(key, mode, data).map(EncryptOutput::without_iv_or_tag)
        }
        other => Err(algorithms::not_supported("Block Cipher Mode", other)),
    }
}

fn aes_decrypt(
    key: &AesKey,
    params: &CryptographicParameters,
    data: &[u8],
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
    tag: Option<&[u8]>,
) -> Result<Secret> {
    let mode = params.block_cipher_mode.unwrap_or(BlockCipherMode::GCM);
    if mode != BlockCipherMode::GCM && tag.is_some() {
        return Err(invalid("Authenticated Encryption Tag", "only for GCM"));
    }
    match mode {
        BlockCipherMode::GCM => {
            no_padding(params)?;
            let iv =
                iv.ok_or_else(|| StoreError::IncompleteRequest("IV/Counter/Nonce".to_owned()))?;
            let tag = tag.ok_or_else(|| {
                StoreError::IncompleteRequest("Authenticated Encryption Tag".to_owned())
            })?;
            let tag_length = params.tag_length.map(usize::try_from);
            if tag_length.is_some_and(|expected| expected != Ok(tag.len())) {
                return Err(invalid(
                    "Tag Length",
                    "differs from the Authenticated Encryption Tag",
                ));
            }
            aead::decrypt(key, iv, aad.unwrap_or_default(), data, tag).map_err(crypto_error)
        }
        mode @ (BlockCipherMode::CBC | BlockCipherMode::ECB) => {
            block_mode_decrypt(key, mode, params, data, iv, aad)
        }
        mode @ (BlockCipherMode::NIST_KEY_WRAP | BlockCipherMode::AES_KEY_WRAP_PADDING) => {
            no_iv_or_aad(iv, aad)?;
            key_unwrap(key, mode, data)
        }
        other => Err(algorithms::not_supported("Block Cipher Mode", other)),
    }
}

/// An IV from the client together with Random IV is contradictory.
pub(super) fn no_iv_with_random_iv(
    params: &CryptographicParameters,
    iv: Option<&[u8]>,
) -> Result<()> {
    if iv.is_some() && params.random_iv == Some(true) {
        return Err(invalid("IV/Counter/Nonce", "not with Random IV"));
    }
    Ok(())
}

/// CBC or ECB encryption with an AES or Triple DES key. CBC without a client IV draws a
/// random one and returns it.
fn block_mode_encrypt<K: BlockKey>(
    key: &K,
    mode: BlockCipherMode,
    params: &CryptographicParameters,
    data: &[u8],
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<EncryptOutput> {
    let padding = block_padding(params)?;
    if mode == BlockCipherMode::ECB {
        no_iv_or_aad(iv, aad)?;
        return legacy::ecb_encrypt(key, padding, data)
            .map(EncryptOutput::without_iv_or_tag)
            .map_err(crypto_error);
    }
    no_aad(aad)?;
    match iv {
        Some(iv) => legacy::cbc_encrypt_with_caller_iv(key, iv, padding, data)
            .map(EncryptOutput::without_iv_or_tag),
        None => legacy::cbc_encrypt(key, padding, data).map(|c| EncryptOutput {
            data: c.ciphertext,
            iv_counter_nonce: Some(c.iv),
            tag: None,
        }),
    }
    .map_err(crypto_error)
}

/// CBC or ECB decryption with an AES or Triple DES key; CBC needs the IV.
fn block_mode_decrypt<K: BlockKey>(
    key: &K,
    mode: BlockCipherMode,
    params: &CryptographicParameters,
    data: &[u8],
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<Secret> {
    let padding = block_padding(params)?;
    if mode == BlockCipherMode::ECB {
        no_iv_or_aad(iv, aad)?;
        return legacy::ecb_decrypt(key, padding, data).map_err(crypto_error);
    }
    no_aad(aad)?;
    let iv = iv.ok_or_else(|| StoreError::IncompleteRequest("IV/Counter/Nonce".to_owned()))?;
    legacy::cbc_decrypt(key, iv, padding, data).map_err(crypto_error)
}

fn gcm_encrypt(
    key: &AesKey,
    params: &CryptographicParameters,
    data: &[u8],
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<EncryptOutput> {
    no_padding(params)?;
    let tag_length = match params.tag_length {
        None => TagLength::Bytes16,
        Some(len) => usize::try_from(len)
            .ok()
            .and_then(|len| TagLength::from_bytes(len).ok())
            .ok_or_else(|| invalid("Tag Length", "an AES-GCM tag is 12 to 16 bytes"))?,
    };
    let aad = aad.unwrap_or_default();
    let (sealed, generated) = match (iv, params.iv_length) {
        (Some(iv), _) => (
            aead::encrypt_with_caller_iv(key, iv, tag_length, aad, data),
            false,
        ),
        (None, None | Some(96)) => (
            aead::encrypt_with_tag_length(key, tag_length, aad, data),
            true,
        ),
        (None, Some(bits)) => {
            let len = usize::try_from(bits)
                .ok()
                .filter(|b| b.is_multiple_of(8))
                .map(|b| b / 8)
                .filter(|len| aead::SUPPORTED_IV_LENS.contains(len))
                .ok_or_else(|| invalid("IV Length", "AES-GCM IVs are 64, 96, 128 or 480 bits"))?;
            let iv = rng::random_bytes(len).map_err(crypto_error)?;
            (
                aead::encrypt_with_caller_iv(key, iv.expose(), tag_length, aad, data),
                true,
            )
        }
    };
    let (iv, ciphertext, tag) = sealed.map_err(crypto_error)?.into_parts();
    Ok(EncryptOutput {
        data: ciphertext,
        iv_counter_nonce: generated.then_some(iv),
        tag: Some(tag),
    })
}

/// GCM and key wrap take no Padding Method (None is accepted).
fn no_padding(params: &CryptographicParameters) -> Result<()> {
    match params.padding_method {
        None | Some(PaddingMethod::NONE) => Ok(()),
        Some(other) => Err(algorithms::not_supported(
            "Padding Method for this mode",
            other,
        )),
    }
}

/// The padding of CBC and ECB: None (the default) or PKCS5.
pub(super) fn block_padding(params: &CryptographicParameters) -> Result<Padding> {
    match params.padding_method {
        None | Some(PaddingMethod::NONE) => Ok(Padding::None),
        Some(PaddingMethod::PKCS5) => Ok(Padding::Pkcs7),
        Some(other) => Err(algorithms::not_supported("Padding Method", other)),
    }
}

/// AES key wrap of `data`: RFC 3394 for NIST Key Wrap, RFC 5649 for AES Key Wrap
/// Padding.
pub(crate) fn key_wrap(key: &AesKey, mode: BlockCipherMode, data: &[u8]) -> Result<Vec<u8>> {
    match mode {
        BlockCipherMode::NIST_KEY_WRAP => keywrap::wrap(key, data),
        BlockCipherMode::AES_KEY_WRAP_PADDING => keywrap::wrap_with_padding(key, data),
        other => {
            return Err(algorithms::not_supported(
                "Block Cipher Mode for key wrapping",
                other,
            ));
        }
    }
    .map_err(crypto_error)
}

/// The inverse of [`key_wrap`]; any failure is [`StoreError::CryptoFailure`].
pub(crate) fn key_unwrap(key: &AesKey, mode: BlockCipherMode, data: &[u8]) -> Result<Secret> {
    match mode {
        BlockCipherMode::NIST_KEY_WRAP => keywrap::unwrap(key, data),
        BlockCipherMode::AES_KEY_WRAP_PADDING => keywrap::unwrap_with_padding(key, data),
        other => {
            return Err(algorithms::not_supported(
                "Block Cipher Mode for key wrapping",
                other,
            ));
        }
    }
    .map_err(crypto_error)
}

/// RSA encryption under `params`: OAEP only.
pub(crate) fn rsa_encrypt(
    key: &PublicKey,
    params: &CryptographicParameters,
    data: &[u8],
) -> Result<Vec<u8>> {
    check_rsa(key.key_type(), params)?;
    let oaep = algorithms::oaep(params)?;
    key.encrypt_oaep_with_mgf(oaep.hash, oaep.mgf_hash, oaep.label, data)
        .map_err(crypto_error)
}

/// RSA decryption under `params`: OAEP only; any failure is
/// [`StoreError::CryptoFailure`].
pub(crate) fn rsa_decrypt(
    key: &PrivateKey,
    params: &CryptographicParameters,
    data: &[u8],
) -> Result<Secret> {
    check_rsa(key.key_type(), params)?;
    let oaep = algorithms::oaep(params)?;
    key.decrypt_oaep_with_mgf(oaep.hash, oaep.mgf_hash, oaep.label, data)
        .map_err(crypto_error)
}

/// The key must be RSA and the padding OAEP (or absent).
fn check_rsa(key_type: KeyType, params: &CryptographicParameters) -> Result<()> {
    if !matches!(key_type, KeyType::Rsa { .. }) {
        return Err(StoreError::NotSupported(
            "encryption with an EC key".to_owned(),
        ));
    }
    check_algorithm(params, CryptographicAlgorithm::RSA)?;
    match params.padding_method {
        None | Some(PaddingMethod::OAEP) => Ok(()),
        Some(other) => Err(algorithms::not_supported(
            "Padding Method for RSA encryption",
            other,
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::HashingAlgorithm;

    use super::*;
    use crate::material::testing::{ec_pair, hex, rsa_pair, symmetric, usable};

    const KEY: &str = "0123456789abcdef0123456789abcdef";
    const PLAINTEXT: &str = "010203040506070809101112131415160102030405060708091011121314151601";

    fn aes(hex_key: &str) -> UsableKey {
        usable(&symmetric(&hex(hex_key), CryptographicAlgorithm::AES))
    }

    fn with(mode: BlockCipherMode, padding: Option<PaddingMethod>) -> CryptographicParameters {
        CryptographicParameters {
            block_cipher_mode: Some(mode),
            padding_method: padding,
            ..CryptographicParameters::default()
        }
    }

    #[test]
    fn gcm_matches_the_cs_bc_m_gcm_1_vector() {
        let key = aes("00000000000000000000000000000000");
        let params = CryptographicParameters {
            tag_length: Some(16),
            ..with(BlockCipherMode::GCM, None)
        };
        let iv = hex("000000000000000000000000");
        let out = encrypt(&key, Some(&params), &[0; 16], Some(&iv), None).unwrap();
        assert_eq!(out.data, hex("0388dace60b6a392f328c2b971b2fe78"));
        assert_eq!(out.tag, Some(hex("ab6e47d42cec13bdf53a67b21257bddf")));
        assert_eq!(out.iv_counter_nonce, None, "the client chose the IV");
        let tag = hex("ab6e47d42cec13bdf53a67b21257bddf");
        let plain = decrypt(&key, Some(&params), &out.data, Some(&iv), None, Some(&tag)).unwrap();
        assert_eq!(plain.expose(), [0; 16]);
        // A 12-byte tag is the first 12 bytes of the full one.
        let short = CryptographicParameters {
            tag_length: Some(12),
            ..params.clone()
        };
        let tag12 = hex("ab6e47d42cec13bdf53a67b2");
        assert!(decrypt(&key, Some(&short), &out.data, Some(&iv), None, Some(&tag12)).is_ok());
        let bad_tag = hex("006e47d42cec13bdf53a67b21257bddf");
        assert!(matches!(
            decrypt(
                &key,
                Some(&params),
                &out.data,
                Some(&iv),
                None,
                Some(&bad_tag)
            ),
            Err(StoreError::CryptoFailure)
        ));
        let bad_iv = hex("ff0000000000000000000000");
        assert!(matches!(
            decrypt(
                &key,
                Some(&params),
                &out.data,
                Some(&bad_iv),
                None,
                Some(&tag)
            ),
            Err(StoreError::CryptoFailure)
        ));
        let one_byte = CryptographicParameters {
            tag_length: Some(1),
            ..params.clone()
        };
        assert!(matches!(
            encrypt(&key, Some(&one_byte), &[0; 16], Some(&iv), None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            decrypt(&key, Some(&short), &out.data, Some(&iv), None, Some(&tag)),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn gcm_is_the_default_with_a_random_iv_and_aad() {
        let key = aes(KEY);
        let out = encrypt(&key, None, b"secret", None, Some(b"header")).unwrap();
        let iv = out.iv_counter_nonce.clone().unwrap();
        assert_eq!(iv.len(), 12);
        let tag = out.tag.clone().unwrap();
        assert_eq!(tag.len(), 16);
        let plain = decrypt(
            &key,
            None,
            &out.data,
            Some(&iv),
            Some(b"header"),
            Some(&tag),
        )
        .unwrap();
        assert_eq!(plain.expose(), b"secret");
        assert!(matches!(
            decrypt(&key, None, &out.data, Some(&iv), Some(b"other"), Some(&tag)),
            Err(StoreError::CryptoFailure)
        ));
        assert!(matches!(
            decrypt(&key, None, &out.data, None, None, Some(&tag)),
            Err(StoreError::IncompleteRequest(_))
        ));
        assert!(matches!(
            decrypt(&key, None, &out.data, Some(&iv), None, None),
            Err(StoreError::IncompleteRequest(_))
        ));
        let long_iv = CryptographicParameters {
            iv_length: Some(128),
            ..CryptographicParameters::default()
        };
        let out = encrypt(&key, Some(&long_iv), b"secret", None, None).unwrap();
        assert_eq!(out.iv_counter_nonce.as_ref().map(Vec::len), Some(16));
    }

    #[test]
    fn cbc_matches_the_cs_bc_m_12_vector_and_makes_random_ivs() {
        let key = aes(KEY);
        let params = with(BlockCipherMode::CBC, Some(PaddingMethod::PKCS5));
        let iv = hex("FF020304050607080910111213141516");
        let ciphertext = hex(
            "e768203ba72b6e157daaad34b1e791d8e88457dc147942f01bfaff7b28a3cdde2203d4d5a4c7928ba9e9cc78b66a6546",
        );
        let out = encrypt(&key, Some(&params), &hex(PLAINTEXT), Some(&iv), None).unwrap();
        assert_eq!(out, EncryptOutput::without_iv_or_tag(ciphertext.clone()));
        let plain = decrypt(&key, Some(&params), &ciphertext, Some(&iv), None, None).unwrap();
        assert_eq!(plain.expose(), hex(PLAINTEXT));
        // CS-BC-M-11..13: no IV to decrypt is an incomplete request (Invalid Message).
        assert!(matches!(
            decrypt(&key, Some(&params), &ciphertext, None, None, None),
            Err(StoreError::IncompleteRequest(_))
        ));
        // CS-BC-M-13: Random IV, returned with the ciphertext.
        let random = CryptographicParameters {
            random_iv: Some(true),
            ..params.clone()
        };
        let out = encrypt(&key, Some(&random), &hex(PLAINTEXT), None, None).unwrap();
        let iv = out.iv_counter_nonce.unwrap();
        let plain = decrypt(&key, Some(&random), &out.data, Some(&iv), None, None).unwrap();
        assert_eq!(plain.expose(), hex(PLAINTEXT));
        // Without padding the data must be whole blocks.
        let unpadded = with(BlockCipherMode::CBC, None);
        assert!(encrypt(&key, Some(&unpadded), &[1; 32], Some(&iv), None).is_ok());
        assert!(matches!(
            encrypt(&key, Some(&unpadded), &[1; 33], Some(&iv), None),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn ecb_matches_the_cs_bc_m_8_vector() {
        let key = aes(KEY);
        let params = with(BlockCipherMode::ECB, Some(PaddingMethod::PKCS5));
        let ciphertext = hex("d9bcce11b0b437b90239552df3a360c90efb6bfed93b4d1ea2123ba4db075ff6");
        let data = hex("01020304050607080910111213141516");
        let out = encrypt(&key, Some(&params), &data, None, None).unwrap();
        assert_eq!(out, EncryptOutput::without_iv_or_tag(ciphertext.clone()));
        let plain = decrypt(&key, Some(&params), &ciphertext, None, None, None).unwrap();
        assert_eq!(plain.expose(), data);
        let unpadded = with(BlockCipherMode::ECB, None);
        let out = encrypt(&key, Some(&unpadded), &data, None, None).unwrap();
        assert_eq!(out.data, hex("d9bcce11b0b437b90239552df3a360c9"));
        assert!(matches!(
            encrypt(&key, Some(&params), &data, Some(&[0; 16]), None),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn key_wrap_modes_round_trip_through_encrypt() {
        let key = aes(KEY);
        for (mode, len) in [
            (BlockCipherMode::NIST_KEY_WRAP, 32),
            (BlockCipherMode::AES_KEY_WRAP_PADDING, 21),
        ] {
            let params = with(mode, None);
            let out = encrypt(&key, Some(&params), &vec![4; len], None, None).unwrap();
            let plain = decrypt(&key, Some(&params), &out.data, None, None, None).unwrap();
            assert_eq!(plain.expose(), vec![4; len]);
        }
    }

    #[test]
    fn triple_des_ecb_matches_the_cs_bc_m_4_12_3des_vector() {
        let key = usable(&symmetric(&[1; 24], CryptographicAlgorithm::DES3));
        let params = with(BlockCipherMode::ECB, None);
        let plain = hex("010203040506070809101112131415161718192021222324");
        let out = encrypt(&key, Some(&params), &plain, None, None).unwrap();
        assert_eq!(
            out.data,
            hex("cead373db80eabf87477d921e6d5a5d116c10e3814ebe004")
        );
        assert_eq!((out.iv_counter_nonce, out.tag), (None, None));
        let back = decrypt(&key, Some(&params), &out.data, None, None, None).unwrap();
        assert_eq!(back.expose(), plain);
    }

    #[test]
    fn triple_des_cbc_defaults_to_a_random_eight_byte_iv() {
        let key = usable(&symmetric(
            &hex("0123456789abcdef23456789abcdef01"),
            CryptographicAlgorithm::DES3,
        ));
        let pkcs5 = with(BlockCipherMode::CBC, Some(PaddingMethod::PKCS5));
        let out = encrypt(&key, Some(&pkcs5), b"seven b", None, None).unwrap();
        let iv = out.iv_counter_nonce.unwrap();
        assert_eq!((iv.len(), out.data.len()), (8, 8));
        let back = decrypt(&key, Some(&pkcs5), &out.data, Some(&iv), None, None).unwrap();
        assert_eq!(back.expose(), b"seven b");
        let default = encrypt(&key, None, &[0; 16], None, None).unwrap();
        assert_eq!(default.iv_counter_nonce.map(|iv| iv.len()), Some(8));
        assert!(matches!(
            decrypt(&key, Some(&pkcs5), &out.data, None, None, None),
            Err(StoreError::IncompleteRequest(_))
        ));
        for mode in [BlockCipherMode::GCM, BlockCipherMode::NIST_KEY_WRAP] {
            assert!(matches!(
                encrypt(&key, Some(&with(mode, None)), &[0; 16], None, None),
                Err(StoreError::NotSupported(_))
            ));
        }
        let aes_params = CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::AES),
            ..with(BlockCipherMode::ECB, None)
        };
        assert!(matches!(
            encrypt(&key, Some(&aes_params), &[0; 8], None, None),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn rsa_oaep_round_trips_with_each_hash() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        for hash in [
            None,
            Some(HashingAlgorithm::SHA_1),
            Some(HashingAlgorithm::SHA_256),
            Some(HashingAlgorithm::SHA_512),
        ] {
            let params = CryptographicParameters {
                cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
                padding_method: Some(PaddingMethod::OAEP),
                hashing_algorithm: hash,
                mask_generator_hashing_algorithm: hash,
                ..CryptographicParameters::default()
            };
            let out = encrypt(&public, Some(&params), b"key transport", None, None).unwrap();
            assert_eq!(out.data.len(), 256);
            let plain = decrypt(&private, Some(&params), &out.data, None, None, None).unwrap();
            assert_eq!(plain.expose(), b"key transport");
        }
        // SHA-1 is the default: a ciphertext made with it opens without parameters.
        let sha1 = CryptographicParameters {
            hashing_algorithm: Some(HashingAlgorithm::SHA_1),
            ..CryptographicParameters::default()
        };
        let out = encrypt(&public, Some(&sha1), b"x", None, None).unwrap();
        assert_eq!(
            decrypt(&private, None, &out.data, None, None, None)
                .unwrap()
                .expose(),
            b"x"
        );
        let sha256 = CryptographicParameters {
            hashing_algorithm: Some(HashingAlgorithm::SHA_256),
            ..CryptographicParameters::default()
        };
        assert!(matches!(
            decrypt(&private, Some(&sha256), &out.data, None, None, None),
            Err(StoreError::CryptoFailure)
        ));
    }

    #[test]
    fn oaep_takes_a_separate_mask_generator_hash() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        let mixed = CryptographicParameters {
            padding_method: Some(PaddingMethod::OAEP),
            hashing_algorithm: Some(HashingAlgorithm::SHA_384),
            mask_generator_hashing_algorithm: Some(HashingAlgorithm::SHA_256),
            ..CryptographicParameters::default()
        };
        let out = encrypt(&public, Some(&mixed), b"key", None, None).unwrap();
        let plain = decrypt(&private, Some(&mixed), &out.data, None, None, None).unwrap();
        assert_eq!(plain.expose(), b"key");
        let same = CryptographicParameters {
            mask_generator_hashing_algorithm: None,
            ..mixed.clone()
        };
        assert!(matches!(
            decrypt(&private, Some(&same), &out.data, None, None, None),
            Err(StoreError::CryptoFailure)
        ));
    }

    #[test]
    fn refuses_rsa_paddings_it_does_not_offer() {
        let (_, public) = rsa_pair();
        let public = usable(&public);
        let mgf_md5 = CryptographicParameters {
            padding_method: Some(PaddingMethod::OAEP),
            hashing_algorithm: Some(HashingAlgorithm::SHA_256),
            mask_generator_hashing_algorithm: Some(HashingAlgorithm::MD5),
            ..CryptographicParameters::default()
        };
        let pkcs1 = CryptographicParameters {
            padding_method: Some(PaddingMethod::PKCS1_V1_5),
            ..CryptographicParameters::default()
        };
        for params in [mgf_md5, pkcs1] {
            assert!(matches!(
                encrypt(&public, Some(&params), b"x", None, None),
                Err(StoreError::NotSupported(_))
            ));
        }
    }

    #[test]
    fn refuses_keys_that_cannot_do_the_operation() {
        let hmac = usable(&symmetric(&[1; 32], CryptographicAlgorithm::HMACSHA256));
        let (rsa_private, rsa_public) = rsa_pair();
        let (rsa_private, rsa_public) = (usable(&rsa_private), usable(&rsa_public));
        let (_, ec_public) = ec_pair(kmip_types::RecommendedCurve::P_256);
        assert!(matches!(
            encrypt(&hmac, None, b"x", None, None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            encrypt(&rsa_private, None, b"x", None, None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            decrypt(&rsa_public, None, b"x", None, None, None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            decrypt(&hmac, None, b"x", None, None, None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            encrypt(&usable(&ec_public), None, b"x", None, None),
            Err(StoreError::NotSupported(_))
        ));
        let rsa_params = CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
            ..CryptographicParameters::default()
        };
        assert!(matches!(
            encrypt(&aes(KEY), Some(&rsa_params), b"x", None, None),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            encrypt(
                &aes(KEY),
                Some(&with(BlockCipherMode::CTR, None)),
                b"x",
                None,
                None
            ),
            Err(StoreError::NotSupported(_))
        ));
        assert!(matches!(
            encrypt(
                &aes(KEY),
                Some(&with(BlockCipherMode::ECB, None)),
                &[0; 16],
                None,
                Some(b"aad")
            ),
            Err(StoreError::InvalidField(_))
        ));
    }
}

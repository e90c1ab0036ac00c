//! Key wrapping (KMIP 1.4 §2.1.5–2.1.6): Get with a Key Wrapping Specification
//! ([`wrap`]), Register of a wrapped key ([`unwrap`]).
//!
//! Only the Encrypt wrapping method is offered, with an AES key (NIST Key Wrap, RFC 3394,
//! the default; AES Key Wrap Padding, RFC 5649) or an RSA public key (OAEP, SHA-1 unless
//! the Cryptographic Parameters name another hash).

use kmip_types::objects::EncryptionKeyInformation;
use kmip_types::{
    BlockCipherMode, CryptographicParameters, EncodingOption, KeyBlock, KeyMaterial, KeyValue,
    KeyWrappingData, KeyWrappingSpecification, Object, SecretBytes, UniqueId, WrappingMethod,
};
use kms_crypto::Secret;
use zeroize::Zeroizing;

use super::algorithms::{self, invalid};
use super::cipher::{key_unwrap, key_wrap, rsa_decrypt, rsa_encrypt};
use super::ttlv::{decode_key_value, encode_key_value, looks_like_key_value};
use super::usable::{UsableKey, key_material, symmetric_bytes};
use super::{key_block, secret_bytes, with_key_block};
use crate::error::{Result, StoreError};

/// `object` with its Key Value wrapped as `spec` asks, under `wrapping_key`, whose
/// identifier `wrapping_key_id` goes into the Encryption Key Information of the Key
/// Wrapping Data (the specification may name it by a KMIP 2.x reference that the caller
/// resolved).
///
/// The key block keeps its format, algorithm and length; its Key Wrapping Data repeats
/// the specification's Cryptographic Parameters and Encoding Option.
///
/// What is wrapped, by Encoding Option, as the OASIS test cases show:
/// - No Encoding: the Key Material bytes; the result keeps a Key Value structure whose
///   Key Material is the wrapped bytes (TC-WRAP-3-14 registers and gets
///   `00112233…eeff` wrapped as `1fa68b0a…2cfe5`, the RFC 3394 §4.1 vector).
/// - absent: the Key Material bytes too, the result being a Key Value Byte String
///   (TC_142 of KMIP 1.1/1.2 wraps the same key into the same 24 bytes; AX-M-2-14 shows
///   the Byte String form). A transparent Key Material, which has no bytes of its own, is
///   TTLV-encoded instead.
/// - TTLV Encoding: the TTLV encoding of the Key Value structure, its Key Material only
///   (KMIP 1.4 §2.1.5), as a Key Value Byte String.
///
/// Attributes named in the specification are not wrapped along (TC_142 asks for the
/// Cryptographic Usage Mask and expects the bare key).
///
/// Refused: other wrapping methods and a MAC/Signature Key Information
/// ([`StoreError::NotSupported`]); a missing Encryption Key Information
/// ([`StoreError::MissingData`]); No Encoding of a transparent key; a wrapping key that
/// cannot encrypt (an HMAC key, a private key) and key data RFC 3394 cannot wrap (not a
/// multiple of 8 bytes: ask for AES Key Wrap Padding) ([`StoreError::InvalidField`]);
/// a key block that is already wrapped or has no Key Value.
pub fn wrap(
    object: &Object,
    spec: &KeyWrappingSpecification,
    wrapping_key: &UsableKey,
    wrapping_key_id: &str,
) -> Result<Object> {
    let info = encryption_key_information(
        spec.wrapping_method,
        spec.encryption_key_information.as_ref(),
        spec.mac_signature_key_information.is_some(),
    )?;
    let params = info.cryptographic_parameters.clone().unwrap_or_default();
    let block = key_block(object)?;
    let material = key_material(block)?;
    let encoded: Zeroizing<Vec<u8>>;
    let (plaintext, keep_structure): (&[u8], bool) = match (spec.encoding_option, material) {
        (Some(EncodingOption::NO_ENCODING), KeyMaterial::Bytes(bytes)) => (bytes.expose(), true),
        (Some(EncodingOption::NO_ENCODING), _) => {
            return Err(invalid(
                "Encoding Option",
                "No Encoding cannot wrap a transparent key structure",
            ));
        }
        (None, KeyMaterial::Bytes(bytes)) => (bytes.expose(), false),
        (None | Some(EncodingOption::TTLV_ENCODING), material) => {
            encoded = encode_key_value(material)?;
            (&encoded, false)
        }
        (Some(other), _) => return Err(algorithms::not_supported("Encoding Option", other)),
    };
    let wrapped = SecretBytes::new(encrypt_key(wrapping_key, &params, plaintext)?);
    let key_value = if keep_structure {
        KeyValue::Structure {
            key_material: KeyMaterial::Bytes(wrapped),
            attributes: None,
        }
    } else {
        KeyValue::Bytes(wrapped)
    };
    let wrapped_block = KeyBlock {
        key_format_type: block.key_format_type,
        key_compression_type: block.key_compression_type,
        key_value: Some(key_value),
        cryptographic_algorithm: block.cryptographic_algorithm,
        cryptographic_length: block.cryptographic_length,
        key_wrapping_data: Some(KeyWrappingData {
            wrapping_method: WrappingMethod::ENCRYPT,
            encryption_key_information: Some(EncryptionKeyInformation {
                unique_identifier: UniqueId::from(wrapping_key_id),
                cryptographic_parameters: info.cryptographic_parameters.clone(),
            }),
            mac_signature_key_information: None,
            mac_signature: None,
            iv_counter_nonce: None,
            encoding_option: spec.encoding_option,
        }),
    };
    with_key_block(object, wrapped_block)
}

/// `object` with its Key Value unwrapped by `unwrapping_key` (an AES key or an RSA
/// private key), as described by its Key Wrapping Data: the inverse of [`wrap`], for
/// Register of a wrapped key. The caller finds the key that the Encryption Key
/// Information names.
///
/// With the Encoding Option absent and a Key Value Byte String, the unwrapped bytes are
/// read as a TTLV Key Value when they parse as one (what KMIP 1.4 §2.1.6 prescribes),
/// else as the bare Key Material (what the test cases do). A Symmetric Key without a
/// Cryptographic Length gets the length of its unwrapped key (TC-WRAP-3-14 returns 128).
///
/// An unwrapping failure (wrong key, altered bytes) is the opaque
/// [`StoreError::CryptoFailure`]; a key block that is not wrapped is
/// [`StoreError::InvalidField`].
pub fn unwrap(object: &Object, unwrapping_key: &UsableKey) -> Result<Object> {
    let block = key_block(object)?;
    let data = block
        .key_wrapping_data
        .as_ref()
        .ok_or_else(|| invalid("Key Wrapping Data", "the key block is not wrapped"))?;
    let info = encryption_key_information(
        data.wrapping_method,
        data.encryption_key_information.as_ref(),
        data.mac_signature_key_information.is_some() || data.mac_signature.is_some(),
    )?;
    let params = info.cryptographic_parameters.clone().unwrap_or_default();
    let (wrapped, in_structure) = match &block.key_value {
        Some(KeyValue::Bytes(bytes)) => (bytes, false),
        Some(KeyValue::Structure {
            key_material: KeyMaterial::Bytes(bytes),
            ..
        }) => (bytes, true),
        Some(KeyValue::Structure { .. }) => {
            return Err(invalid(
                "Key Material",
                "a wrapped Key Material is a Byte String",
            ));
        }
        None => return Err(StoreError::KeyValueNotPresent),
    };
    let plaintext = decrypt_key(unwrapping_key, &params, wrapped.expose())?;
    let format = block.key_format_type;
    let key_value = match (data.encoding_option, in_structure) {
        (Some(EncodingOption::TTLV_ENCODING), _) => decode_key_value(plaintext.expose(), format)?,
        (Some(EncodingOption::NO_ENCODING), _) | (None, true) => raw_key_value(plaintext, block)?,
        (None, false) if looks_like_key_value(plaintext.expose()) => {
            match decode_key_value(plaintext.expose(), format) {
                Ok(value) => value,
                Err(_) => raw_key_value(plaintext, block)?,
            }
        }
        (None, false) => raw_key_value(plaintext, block)?,
        (Some(other), _) => return Err(algorithms::not_supported("Encoding Option", other)),
    };
    let mut unwrapped = KeyBlock {
        key_format_type: format,
        key_compression_type: block.key_compression_type,
        key_value: Some(key_value),
        cryptographic_algorithm: block.cryptographic_algorithm,
        cryptographic_length: block.cryptographic_length,
        key_wrapping_data: None,
    };
    if unwrapped.cryptographic_length.is_none() && matches!(object, Object::SymmetricKey(_)) {
        let bits = key_material(&unwrapped)
            .and_then(|m| symmetric_bytes(format, m))
            .map(|bytes| bytes.len().saturating_mul(8))?;
        unwrapped.cryptographic_length = i32::try_from(bits).ok();
    }
    with_key_block(object, unwrapped)
}

/// The Encryption Key Information of an Encrypt wrapping, the only method offered.
fn encryption_key_information(
    method: WrappingMethod,
    info: Option<&EncryptionKeyInformation>,
    mac_or_signature: bool,
) -> Result<&EncryptionKeyInformation> {
    if method != WrappingMethod::ENCRYPT {
        return Err(algorithms::not_supported("Wrapping Method", method));
    }
    if mac_or_signature {
        return Err(StoreError::NotSupported(
            "MAC/Signature Key Information with the Encrypt wrapping method".to_owned(),
        ));
    }
    info.ok_or_else(|| StoreError::MissingData("Encryption Key Information".to_owned()))
}

/// Unwrapped bytes as the Key Material of `block`'s format, which must be one written as
/// bytes.
fn raw_key_value(plaintext: Secret, block: &KeyBlock) -> Result<KeyValue> {
    let key_material = KeyMaterial::Bytes(secret_bytes(plaintext));
    if !key_material.matches_format(block.key_format_type) {
        return Err(invalid(
            "Key Format Type",
            "a transparent key is wrapped with TTLV Encoding",
        ));
    }
    Ok(KeyValue::Structure {
        key_material,
        attributes: None,
    })
}

fn encrypt_key(key: &UsableKey, params: &CryptographicParameters, data: &[u8]) -> Result<Vec<u8>> {
    match key {
        UsableKey::Aes(kek) => key_wrap(kek, wrap_mode(params)?, data),
        UsableKey::Public(k) => rsa_encrypt(k, params, data),
        UsableKey::Private(_) | UsableKey::Tdes(_) | UsableKey::Hmac(_) => {
            Err(StoreError::InvalidField(format!(
                "the wrapping key must be an AES key or a public key, not {}",
                key.describe()
            )))
        }
    }
}

fn decrypt_key(key: &UsableKey, params: &CryptographicParameters, data: &[u8]) -> Result<Secret> {
    match key {
        UsableKey::Aes(kek) => key_unwrap(kek, wrap_mode(params)?, data),
        UsableKey::Private(k) => rsa_decrypt(k, params, data),
        UsableKey::Public(_) | UsableKey::Tdes(_) | UsableKey::Hmac(_) => {
            Err(StoreError::InvalidField(format!(
                "the unwrapping key must be an AES key or a private key, not {}",
                key.describe()
            )))
        }
    }
}

/// The AES key wrap mode: NIST Key Wrap unless AES Key Wrap Padding is asked for.
fn wrap_mode(params: &CryptographicParameters) -> Result<BlockCipherMode> {
    match params.block_cipher_mode {
        None => Ok(BlockCipherMode::NIST_KEY_WRAP),
        Some(mode @ (BlockCipherMode::NIST_KEY_WRAP | BlockCipherMode::AES_KEY_WRAP_PADDING)) => {
            Ok(mode)
        }
        Some(other) => Err(algorithms::not_supported(
            "Block Cipher Mode for key wrapping",
            other,
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_ttlv::KmipVersion;
    use kmip_types::objects::MacSignatureKeyInformation;
    use kmip_types::{CryptographicAlgorithm, HashingAlgorithm, KeyFormatType, PaddingMethod};

    use super::*;
    use crate::material::testing::{hex, rsa_pair, symmetric, usable};
    use crate::material::{convert, usable_key};

    /// RFC 3394 §4.1: 128 bits of key data wrapped with a 128-bit KEK; also the keys of
    /// TC-WRAP-3-14.
    const KEK: &str = "000102030405060708090a0b0c0d0e0f";
    const KEY_DATA: &str = "00112233445566778899aabbccddeeff";
    const WRAPPED: &str = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";

    fn spec(
        params: Option<CryptographicParameters>,
        encoding_option: Option<EncodingOption>,
    ) -> KeyWrappingSpecification {
        KeyWrappingSpecification {
            wrapping_method: WrappingMethod::ENCRYPT,
            encryption_key_information: Some(EncryptionKeyInformation {
                unique_identifier: UniqueId::from("kek-placeholder"),
                cryptographic_parameters: params,
            }),
            mac_signature_key_information: None,
            attribute_names: Vec::new(),
            encoding_option,
        }
    }

    fn mode(mode: BlockCipherMode) -> Option<CryptographicParameters> {
        Some(CryptographicParameters {
            block_cipher_mode: Some(mode),
            ..CryptographicParameters::default()
        })
    }

    fn kek() -> UsableKey {
        usable(&symmetric(&hex(KEK), CryptographicAlgorithm::AES))
    }

    fn wrapped_bytes(object: &Object) -> Vec<u8> {
        match &object.key_block().unwrap().key_value {
            Some(KeyValue::Bytes(b)) => b.expose().to_vec(),
            Some(KeyValue::Structure {
                key_material: KeyMaterial::Bytes(b),
                ..
            }) => b.expose().to_vec(),
            other => panic!("not wrapped bytes: {other:?}"),
        }
    }

    /// The object survives KMIP 1.4 and 2.0 encoding and decoding unchanged.
    fn survives_ttlv(object: &Object) {
        for version in [KmipVersion::V1_4, KmipVersion::V2_0] {
            let item = object.to_item(version).unwrap();
            assert_eq!(Object::from_item(item, version).unwrap(), *object);
        }
    }

    #[test]
    fn rfc3394_vector_with_no_encoding_as_tc_wrap_3_expects() {
        let key = symmetric(&hex(KEY_DATA), CryptographicAlgorithm::AES);
        let spec = spec(
            mode(BlockCipherMode::NIST_KEY_WRAP),
            Some(EncodingOption::NO_ENCODING),
        );
        let wrapped = wrap(&key, &spec, &kek(), "kek-1").unwrap();
        let block = wrapped.key_block().unwrap();
        assert!(matches!(
            &block.key_value,
            Some(KeyValue::Structure { key_material: KeyMaterial::Bytes(b), attributes: None })
                if b.expose() == hex(WRAPPED)
        ));
        assert_eq!(block.key_format_type, KeyFormatType::RAW);
        assert_eq!(
            block.cryptographic_algorithm,
            Some(CryptographicAlgorithm::AES)
        );
        assert_eq!(block.cryptographic_length, Some(128));
        let data = block.key_wrapping_data.as_ref().unwrap();
        assert_eq!(data.wrapping_method, WrappingMethod::ENCRYPT);
        assert_eq!(data.encoding_option, Some(EncodingOption::NO_ENCODING));
        let info = data.encryption_key_information.as_ref().unwrap();
        assert_eq!(info.unique_identifier, UniqueId::from("kek-1"));
        assert_eq!(
            info.cryptographic_parameters,
            mode(BlockCipherMode::NIST_KEY_WRAP)
        );
        survives_ttlv(&wrapped);
        assert_eq!(unwrap(&wrapped, &kek()).unwrap(), key);
    }

    #[test]
    fn without_encoding_option_the_key_value_is_the_wrapped_key_bytes() {
        // TC_142 (KMIP 1.1/1.2): the same 24 bytes, as a Key Value Byte String.
        let key = symmetric(&hex(KEY_DATA), CryptographicAlgorithm::AES);
        let wrapped = wrap(&key, &spec(None, None), &kek(), "kek-1").unwrap();
        let block = wrapped.key_block().unwrap();
        assert!(matches!(&block.key_value, Some(KeyValue::Bytes(b)) if b.expose() == hex(WRAPPED)));
        assert_eq!(
            block.key_wrapping_data.as_ref().unwrap().encoding_option,
            None
        );
        survives_ttlv(&wrapped);
        assert_eq!(unwrap(&wrapped, &kek()).unwrap(), key);
    }

    #[test]
    fn ttlv_encoding_wraps_the_key_value_structure() {
        let key = symmetric(&[0x42; 32], CryptographicAlgorithm::AES);
        let wrapped = wrap(
            &key,
            &spec(None, Some(EncodingOption::TTLV_ENCODING)),
            &kek(),
            "kek-1",
        )
        .unwrap();
        // Key Value (8) + Key Material header (8) + 32 bytes, plus the 8-byte check.
        let bytes = wrapped_bytes(&wrapped);
        assert_eq!(bytes.len(), 56);
        let UsableKey::Aes(kek_key) = kek() else {
            panic!()
        };
        let plain = kms_crypto::keywrap::unwrap(&kek_key, &bytes).unwrap();
        assert_eq!(plain.expose().get(..8), Some(&hex("4200450100000028")[..]));
        survives_ttlv(&wrapped);
        assert_eq!(unwrap(&wrapped, &kek()).unwrap(), key);
    }

    #[test]
    fn unwraps_a_spec_conforming_ttlv_key_value_sent_without_encoding_option() {
        let key = symmetric(&[0x17; 16], CryptographicAlgorithm::AES);
        let mut wrapped = wrap(
            &key,
            &spec(None, Some(EncodingOption::TTLV_ENCODING)),
            &kek(),
            "kek-1",
        )
        .unwrap();
        let Object::SymmetricKey(k) = &mut wrapped else {
            panic!("not a symmetric key");
        };
        k.key_block
            .key_wrapping_data
            .as_mut()
            .unwrap()
            .encoding_option = None;
        assert_eq!(unwrap(&wrapped, &kek()).unwrap(), key);
    }

    #[test]
    fn transparent_keys_are_ttlv_encoded_and_come_back() {
        let (private, _) = rsa_pair();
        let transparent = convert(&private, KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY).unwrap();
        for encoding in [None, Some(EncodingOption::TTLV_ENCODING)] {
            let wrapped = wrap(&transparent, &spec(None, encoding), &kek(), "kek-1").unwrap();
            survives_ttlv(&wrapped);
            assert_eq!(unwrap(&wrapped, &kek()).unwrap(), transparent);
        }
        assert!(matches!(
            wrap(
                &transparent,
                &spec(None, Some(EncodingOption::NO_ENCODING)),
                &kek(),
                "kek-1"
            ),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn keys_of_any_length_wrap_with_padding() {
        let hmac = symmetric(&[3; 20], CryptographicAlgorithm::HMACSHA1);
        let padded = spec(
            mode(BlockCipherMode::AES_KEY_WRAP_PADDING),
            Some(EncodingOption::NO_ENCODING),
        );
        let wrapped = wrap(&hmac, &padded, &kek(), "kek-1").unwrap();
        assert_eq!(wrapped_bytes(&wrapped).len(), 32);
        assert_eq!(unwrap(&wrapped, &kek()).unwrap(), hmac);
        let unpadded = spec(
            mode(BlockCipherMode::NIST_KEY_WRAP),
            Some(EncodingOption::NO_ENCODING),
        );
        assert!(matches!(
            wrap(&hmac, &unpadded, &kek(), "kek-1"),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn rsa_oaep_wraps_under_a_public_key() {
        let (private, public) = rsa_pair();
        let key = symmetric(&[0x5a; 32], CryptographicAlgorithm::AES);
        for hash in [None, Some(HashingAlgorithm::SHA_256)] {
            let params = CryptographicParameters {
                padding_method: Some(PaddingMethod::OAEP),
                hashing_algorithm: hash,
                ..CryptographicParameters::default()
            };
            let wrapped = wrap(
                &key,
                &spec(Some(params), Some(EncodingOption::NO_ENCODING)),
                &usable(&public),
                "rsa-kek",
            )
            .unwrap();
            assert_eq!(wrapped_bytes(&wrapped).len(), 256);
            assert_eq!(unwrap(&wrapped, &usable(&private)).unwrap(), key);
        }
        assert!(matches!(
            wrap(&key, &spec(None, None), &usable(&private), "rsa-kek"),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn fills_in_the_length_of_an_unwrapped_symmetric_key() {
        // TC-WRAP-3-14 registers the wrapped key without a length and gets 128 back.
        let mut wrapped = wrap(
            &symmetric(&hex(KEY_DATA), CryptographicAlgorithm::AES),
            &spec(None, Some(EncodingOption::NO_ENCODING)),
            &kek(),
            "kek-1",
        )
        .unwrap();
        if let Object::SymmetricKey(k) = &mut wrapped {
            k.key_block.cryptographic_length = None;
        }
        let unwrapped = unwrap(&wrapped, &kek()).unwrap();
        assert_eq!(
            unwrapped.key_block().unwrap().cryptographic_length,
            Some(128)
        );
        usable_key(&unwrapped).unwrap();
    }

    #[test]
    fn a_wrong_key_or_altered_bytes_fail_opaquely() {
        let key = symmetric(&hex(KEY_DATA), CryptographicAlgorithm::AES);
        let wrapped = wrap(&key, &spec(None, None), &kek(), "kek-1").unwrap();
        let other = usable(&symmetric(&[9; 16], CryptographicAlgorithm::AES));
        assert!(matches!(
            unwrap(&wrapped, &other),
            Err(StoreError::CryptoFailure)
        ));
        let mut altered = wrapped.duplicate();
        if let Object::SymmetricKey(k) = &mut altered {
            let mut bytes = wrapped_bytes(&wrapped);
            bytes[0] ^= 1;
            k.key_block.key_value = Some(KeyValue::Bytes(SecretBytes::new(bytes)));
        }
        assert!(matches!(
            unwrap(&altered, &kek()),
            Err(StoreError::CryptoFailure)
        ));
    }

    #[test]
    fn refuses_what_it_does_not_offer() {
        let key = symmetric(&hex(KEY_DATA), CryptographicAlgorithm::AES);
        let mut mac = spec(None, None);
        mac.wrapping_method = WrappingMethod::MAC_SIGN;
        assert!(matches!(
            wrap(&key, &mac, &kek(), "k"),
            Err(StoreError::NotSupported(_))
        ));
        let mut both = spec(None, None);
        both.mac_signature_key_information = Some(MacSignatureKeyInformation {
            unique_identifier: UniqueId::from("mac"),
            cryptographic_parameters: None,
        });
        assert!(matches!(
            wrap(&key, &both, &kek(), "k"),
            Err(StoreError::NotSupported(_))
        ));
        let mut none = spec(None, None);
        none.encryption_key_information = None;
        assert!(matches!(
            wrap(&key, &none, &kek(), "k"),
            Err(StoreError::MissingData(_))
        ));
        let gcm = spec(mode(BlockCipherMode::GCM), None);
        assert!(matches!(
            wrap(&key, &gcm, &kek(), "k"),
            Err(StoreError::NotSupported(_))
        ));
        let hmac = usable(&symmetric(&[1; 32], CryptographicAlgorithm::HMACSHA256));
        assert!(matches!(
            wrap(&key, &spec(None, None), &hmac, "k"),
            Err(StoreError::InvalidField(_))
        ));
        let wrapped = wrap(&key, &spec(None, None), &kek(), "k").unwrap();
        assert!(matches!(
            wrap(&wrapped, &spec(None, None), &kek(), "k"),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            unwrap(&key, &kek()),
            Err(StoreError::InvalidField(_))
        ));
    }
}

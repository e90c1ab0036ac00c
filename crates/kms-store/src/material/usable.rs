//! A KMIP key object as a key that computes: [`UsableKey`] and [`usable_key`].

use kmip_ttlv::BigInteger;
use kmip_types::objects::{TransparentRsaPrivateKey, TransparentRsaPublicKey};
use kmip_types::{CryptographicAlgorithm, KeyBlock, KeyFormatType, KeyMaterial, KeyValue, Object};
use kmip_types::{SecretBigInteger, SecretBytes};
use kms_crypto::{
    AesKey, EcCurve, HmacKey, KeyType, PrivateKey, PrivateKeyFormat, PublicKey, PublicKeyFormat,
    RsaPrivateComponents, RsaPublicComponents, Secret, TdesKey,
};

use super::algorithms::{self, invalid};
use super::{crypto_error, key_block, wrapped_refused};
use crate::error::{Result, StoreError};

/// A key ready to compute, taken from a KMIP object by [`usable_key`].
///
/// Every variant holds its secret in a zeroizing type and prints `[redacted]`.
#[derive(Debug)]
pub enum UsableKey {
    /// A Symmetric Key with Cryptographic Algorithm AES.
    Aes(AesKey),
    /// A Symmetric Key with Cryptographic Algorithm DES3 (two- or three-key Triple DES).
    Tdes(TdesKey),
    /// A Symmetric Key with Cryptographic Algorithm HMAC-SHA1, -SHA224, -SHA256, -SHA384
    /// or -SHA512.
    Hmac(HmacKey),
    /// An RSA or EC (P-256, P-384, P-521, secp256k1) Private Key.
    Private(PrivateKey),
    /// An RSA or EC Public Key.
    Public(PublicKey),
}

impl UsableKey {
    /// What the key is, for error messages.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            UsableKey::Aes(_) => "an AES key",
            UsableKey::Tdes(_) => "a Triple DES key",
            UsableKey::Hmac(_) => "an HMAC key",
            UsableKey::Private(_) => "a private key",
            UsableKey::Public(_) => "a public key",
        }
    }
}

/// The key held by a Symmetric Key, Private Key or Public Key object.
///
/// Accepted key formats (KMIP 1.4 §2.1.3, §2.1.7):
/// - Symmetric Key: Raw or Transparent Symmetric Key; the key block's Cryptographic
///   Algorithm (AES, DES3 or HMAC-SHA*) says what the key is.
/// - Private Key: PKCS#1 (RSA), PKCS#8 (RSA or EC), ECPrivateKey (SEC 1), Transparent RSA
///   Private Key (with the Public and Private Exponents), Transparent EC, ECDSA, ECDH and
///   ECMQV Private Keys.
/// - Public Key: PKCS#1 (RSA), X.509 (SubjectPublicKeyInfo, RSA or EC), Transparent RSA
///   Public Key, Transparent EC, ECDSA, ECDH and ECMQV Public Keys, and Raw for an EC
///   point (its length says the curve).
///
/// Refused: a wrapped key block (Key Wrapping Data present: [`StoreError::InvalidField`];
/// unwrap it with [`unwrap`](super::unwrap) first), an absent Key Value
/// ([`StoreError::KeyValueNotPresent`]), any other format
/// ([`StoreError::KeyFormatNotSupported`]), other algorithms and curves
/// ([`StoreError::NotSupported`]), a key that fails the crypto core's import checks, and
/// a private or public key whose Cryptographic Algorithm does not name its type
/// ([`StoreError::InvalidField`]). The Cryptographic Length is not checked here: that is
/// the registering caller's job.
pub fn usable_key(object: &Object) -> Result<UsableKey> {
    let block = key_block(object)?;
    let material = key_material(block)?;
    match object {
        Object::SymmetricKey(_) => symmetric(block, material),
        Object::PrivateKey(_) => {
            let key = private_key(block.key_format_type, material)?;
            check_algorithm(block, key.key_type())?;
            Ok(UsableKey::Private(key))
        }
        Object::PublicKey(_) => {
            let key = public_key(block.key_format_type, material)?;
            check_algorithm(block, key.key_type())?;
            Ok(UsableKey::Public(key))
        }
        other => Err(StoreError::NotSupported(format!(
            "cryptographic operations with a {:?}",
            other.object_type()
        ))),
    }
}

/// The key material of an unwrapped key block.
pub(crate) fn key_material(block: &KeyBlock) -> Result<&KeyMaterial> {
    if block.is_wrapped() {
        return Err(wrapped_refused());
    }
    match &block.key_value {
        Some(KeyValue::Structure { key_material, .. }) => Ok(key_material),
        Some(KeyValue::Bytes(_)) => Err(StoreError::KeyFormatNotSupported(
            "a Key Value Byte String without Key Wrapping Data".to_owned(),
        )),
        None => Err(StoreError::KeyValueNotPresent),
    }
}

/// The bytes of a symmetric key: Raw or Transparent Symmetric Key.
pub(crate) fn symmetric_bytes(
    format: KeyFormatType,
    material: &KeyMaterial,
) -> Result<&SecretBytes> {
    match (format, material) {
        (KeyFormatType::RAW, KeyMaterial::Bytes(bytes)) => Ok(bytes),
        (KeyFormatType::TRANSPARENT_SYMMETRIC_KEY, KeyMaterial::TransparentSymmetricKey(k)) => {
            Ok(&k.key)
        }
        (format, _) => Err(StoreError::KeyFormatNotSupported(format!(
            "{format:?} for a symmetric key"
        ))),
    }
}

fn symmetric(block: &KeyBlock, material: &KeyMaterial) -> Result<UsableKey> {
    let bytes = symmetric_bytes(block.key_format_type, material)?.expose();
    let algorithm = block
        .cryptographic_algorithm
        .ok_or_else(|| StoreError::MissingData("Cryptographic Algorithm".to_owned()))?;
    if algorithm == CryptographicAlgorithm::AES {
        return AesKey::from_slice(bytes)
            .map(UsableKey::Aes)
            .map_err(crypto_error);
    }
    if algorithm == CryptographicAlgorithm::DES3 {
        return TdesKey::from_slice(bytes)
            .map(UsableKey::Tdes)
            .map_err(crypto_error);
    }
    match algorithms::hmac_hash(algorithm) {
        Some(hash) => HmacKey::from_slice(hash, bytes)
            .map(UsableKey::Hmac)
            .map_err(crypto_error),
        None => Err(algorithms::not_supported(
            "Cryptographic Algorithm",
            algorithm,
        )),
    }
}

/// A private key from its KMIP key material.
pub(crate) fn private_key(format: KeyFormatType, material: &KeyMaterial) -> Result<PrivateKey> {
    match material {
        KeyMaterial::Bytes(der) => {
            let der_format = match format {
                KeyFormatType::PKCS_1 => PrivateKeyFormat::Pkcs1,
                KeyFormatType::PKCS_8 => PrivateKeyFormat::Pkcs8,
                KeyFormatType::EC_PRIVATE_KEY => PrivateKeyFormat::Sec1,
                other => {
                    return Err(StoreError::KeyFormatNotSupported(format!(
                        "{other:?} for a private key"
                    )));
                }
            };
            PrivateKey::from_der(der_format, der.expose()).map_err(crypto_error)
        }
        KeyMaterial::TransparentRsaPrivateKey(k) => {
            PrivateKey::from_rsa_components(&rsa_private_components(k)?).map_err(crypto_error)
        }
        KeyMaterial::TransparentEcPrivateKey(k)
        | KeyMaterial::TransparentEcdsaPrivateKey(k)
        | KeyMaterial::TransparentEcdhPrivateKey(k)
        | KeyMaterial::TransparentEcmqvPrivateKey(k) => {
            let curve = algorithms::curve(k.recommended_curve)?;
            PrivateKey::from_ec_scalar(curve, unsigned(k.d.expose(), "D")?).map_err(crypto_error)
        }
        _ => Err(StoreError::KeyFormatNotSupported(format!(
            "{format:?} for a private key"
        ))),
    }
}

/// A public key from its KMIP key material.
pub(crate) fn public_key(format: KeyFormatType, material: &KeyMaterial) -> Result<PublicKey> {
    match material {
        KeyMaterial::Bytes(bytes) => match format {
            KeyFormatType::PKCS_1 => PublicKey::from_der(PublicKeyFormat::Pkcs1, bytes.expose()),
            KeyFormatType::X_509 => PublicKey::from_der(PublicKeyFormat::Spki, bytes.expose()),
            KeyFormatType::RAW => {
                let point = bytes.expose();
                PublicKey::from_ec_point(curve_of_point(point)?, point)
            }
            other => {
                return Err(StoreError::KeyFormatNotSupported(format!(
                    "{other:?} for a public key"
                )));
            }
        }
        .map_err(crypto_error),
        KeyMaterial::TransparentRsaPublicKey(k) => {
            PublicKey::from_rsa_components(&rsa_public_components(k)?).map_err(crypto_error)
        }
        KeyMaterial::TransparentEcPublicKey(k)
        | KeyMaterial::TransparentEcdsaPublicKey(k)
        | KeyMaterial::TransparentEcdhPublicKey(k)
        | KeyMaterial::TransparentEcmqvPublicKey(k) => {
            let curve = algorithms::curve(k.recommended_curve)?;
            PublicKey::from_ec_point(curve, &k.q_string).map_err(crypto_error)
        }
        _ => Err(StoreError::KeyFormatNotSupported(format!(
            "{format:?} for a public key"
        ))),
    }
}

/// The curve of a SEC 1 point, from its length (uncompressed `04‖x‖y` or compressed
/// `02/03‖x`): a Raw point names no curve, so this is the NIST curve of that size (a
/// secp256k1 point is then not on P-256 and refused, never taken for another curve).
fn curve_of_point(point: &[u8]) -> Result<EcCurve> {
    EcCurve::NIST
        .into_iter()
        .find(|c| point.len() == 1 + 2 * c.scalar_len() || point.len() == 1 + c.scalar_len())
        .ok_or_else(|| invalid("Key Material", "not an EC point on P-256, P-384 or P-521"))
}

/// The Cryptographic Algorithm of an asymmetric key block, when present, must name the
/// key's type: RSA for RSA keys, EC (or ECDSA, ECDH, ECMQV) for EC keys.
fn check_algorithm(block: &KeyBlock, key_type: KeyType) -> Result<()> {
    let Some(algorithm) = block.cryptographic_algorithm else {
        return Ok(());
    };
    let fits = match key_type {
        KeyType::Rsa { .. } => algorithm == CryptographicAlgorithm::RSA,
        KeyType::Ec(_) => algorithms::is_ec(algorithm),
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(invalid(
            "Cryptographic Algorithm",
            "does not match the key material",
        ))
    }
}

/// The magnitude of a non-negative Big Integer.
fn unsigned<'a>(value: &'a BigInteger, field: &str) -> Result<&'a [u8]> {
    value
        .to_unsigned_be()
        .ok_or_else(|| invalid(field, "negative"))
}

fn required_secret(value: Option<&SecretBigInteger>, field: &str) -> Result<Secret> {
    let value = value.ok_or_else(|| StoreError::MissingData(field.to_owned()))?;
    Ok(Secret::from_slice(unsigned(value.expose(), field)?))
}

fn optional_secret(value: Option<&SecretBigInteger>, field: &str) -> Result<Option<Secret>> {
    value
        .map(|v| unsigned(v.expose(), field).map(Secret::from_slice))
        .transpose()
}

fn rsa_private_components(k: &TransparentRsaPrivateKey) -> Result<RsaPrivateComponents> {
    let e = k
        .public_exponent
        .as_ref()
        .ok_or_else(|| StoreError::MissingData("Public Exponent".to_owned()))?;
    Ok(RsaPrivateComponents {
        n: unsigned(&k.modulus, "Modulus")?.to_vec(),
        e: unsigned(e, "Public Exponent")?.to_vec(),
        d: required_secret(k.private_exponent.as_ref(), "Private Exponent")?,
        p: optional_secret(k.p.as_ref(), "P")?,
        q: optional_secret(k.q.as_ref(), "Q")?,
        dp: optional_secret(k.prime_exponent_p.as_ref(), "Prime Exponent P")?,
        dq: optional_secret(k.prime_exponent_q.as_ref(), "Prime Exponent Q")?,
        qi: optional_secret(k.crt_coefficient.as_ref(), "CRT Coefficient")?,
    })
}

fn rsa_public_components(k: &TransparentRsaPublicKey) -> Result<RsaPublicComponents> {
    Ok(RsaPublicComponents {
        n: unsigned(&k.modulus, "Modulus")?.to_vec(),
        e: unsigned(&k.public_exponent, "Public Exponent")?.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::objects::{
        PrivateKey as PrivateKeyObject, PublicKey as PublicKeyObject, SecretData, SymmetricKey,
        TransparentEcPublicKey, TransparentSymmetricKey,
    };
    use kmip_types::{KeyWrappingData, RecommendedCurve, SecretDataType, WrappingMethod};
    use kms_crypto::{HashAlgorithm, PointFormat};

    use super::*;
    use crate::material::testing::{ec_pair, hex, rsa_pair, symmetric};

    fn block(
        format: KeyFormatType,
        material: KeyMaterial,
        alg: CryptographicAlgorithm,
    ) -> KeyBlock {
        KeyBlock::new(format, material, Some(alg), None)
    }

    #[test]
    fn raw_and_transparent_symmetric_keys_become_aes_or_hmac_keys() {
        let aes = usable_key(&symmetric(&[7; 24], CryptographicAlgorithm::AES)).unwrap();
        assert!(matches!(aes, UsableKey::Aes(k) if k.expose() == [7; 24]));
        let transparent = Object::SymmetricKey(SymmetricKey {
            key_block: block(
                KeyFormatType::TRANSPARENT_SYMMETRIC_KEY,
                KeyMaterial::TransparentSymmetricKey(TransparentSymmetricKey {
                    key: SecretBytes::new(vec![9; 32]),
                }),
                CryptographicAlgorithm::HMACSHA384,
            ),
        });
        let hmac = usable_key(&transparent).unwrap();
        assert!(
            matches!(hmac, UsableKey::Hmac(k) if k.algorithm() == HashAlgorithm::Sha384 && k.key_len() == 32)
        );
    }

    #[test]
    fn refuses_symmetric_keys_it_cannot_use() {
        let skipjack = symmetric(&[1; 10], CryptographicAlgorithm::SKIPJACK);
        assert!(matches!(
            usable_key(&skipjack),
            Err(StoreError::NotSupported(_))
        ));
        let des3 = usable_key(&symmetric(&[1; 24], CryptographicAlgorithm::DES3)).unwrap();
        assert!(matches!(des3, UsableKey::Tdes(k) if k.expose() == [1; 24]));
        let des3_short = symmetric(&[1; 8], CryptographicAlgorithm::DES3);
        assert!(matches!(
            usable_key(&des3_short),
            Err(StoreError::InvalidField(_))
        ));
        let aes_64 = symmetric(&[1; 8], CryptographicAlgorithm::AES);
        assert!(matches!(
            usable_key(&aes_64),
            Err(StoreError::InvalidField(_))
        ));
        let mut no_algorithm = symmetric(&[1; 16], CryptographicAlgorithm::AES);
        if let Object::SymmetricKey(k) = &mut no_algorithm {
            k.key_block.cryptographic_algorithm = None;
        }
        assert!(matches!(
            usable_key(&no_algorithm),
            Err(StoreError::MissingData(_))
        ));
        let pkcs8 = Object::SymmetricKey(SymmetricKey {
            key_block: block(
                KeyFormatType::PKCS_8,
                KeyMaterial::Bytes(SecretBytes::new(vec![1; 16])),
                CryptographicAlgorithm::AES,
            ),
        });
        assert!(matches!(
            usable_key(&pkcs8),
            Err(StoreError::KeyFormatNotSupported(_))
        ));
    }

    #[test]
    fn refuses_wrapped_and_absent_key_values() {
        let mut wrapped = symmetric(&[1; 24], CryptographicAlgorithm::AES);
        if let Object::SymmetricKey(k) = &mut wrapped {
            k.key_block.key_wrapping_data = Some(KeyWrappingData {
                wrapping_method: WrappingMethod::ENCRYPT,
                encryption_key_information: None,
                mac_signature_key_information: None,
                mac_signature: None,
                iv_counter_nonce: None,
                encoding_option: None,
            });
        }
        match usable_key(&wrapped) {
            Err(StoreError::InvalidField(message)) => assert!(message.contains("wrapped")),
            other => panic!("expected a refusal, got {other:?}"),
        }
        let mut absent = symmetric(&[1; 16], CryptographicAlgorithm::AES);
        if let Object::SymmetricKey(k) = &mut absent {
            k.key_block.key_value = None;
        }
        assert!(matches!(
            usable_key(&absent),
            Err(StoreError::KeyValueNotPresent)
        ));
    }

    #[test]
    fn refuses_objects_without_keys_for_crypto() {
        let secret = Object::SecretData(SecretData {
            secret_data_type: SecretDataType::PASSWORD,
            key_block: KeyBlock::new(
                KeyFormatType::OPAQUE,
                KeyMaterial::Bytes(SecretBytes::new(b"hunter2".to_vec())),
                None,
                None,
            ),
        });
        assert!(matches!(
            usable_key(&secret),
            Err(StoreError::NotSupported(_))
        ));
    }

    #[test]
    fn generated_key_pairs_are_usable_and_match() {
        let (private, public) = rsa_pair();
        let (UsableKey::Private(private), UsableKey::Public(public)) =
            (usable_key(&private).unwrap(), usable_key(&public).unwrap())
        else {
            panic!("wrong key kinds");
        };
        assert_eq!(private.public_key(), public);
        assert_eq!(public.key_type(), KeyType::Rsa { bits: 2048 });
    }

    #[test]
    fn reads_ec_points_raw_and_transparent() {
        let (_, public) = ec_pair(RecommendedCurve::P_384);
        let UsableKey::Public(key) = usable_key(&public).unwrap() else {
            panic!("not a public key");
        };
        for point in [PointFormat::Uncompressed, PointFormat::Compressed] {
            let q = key.ec_point(point).unwrap();
            let raw = Object::PublicKey(PublicKeyObject {
                key_block: block(
                    KeyFormatType::RAW,
                    KeyMaterial::Bytes(SecretBytes::new(q.clone())),
                    CryptographicAlgorithm::EC,
                ),
            });
            assert!(matches!(usable_key(&raw).unwrap(), UsableKey::Public(k) if k == key));
            let transparent = Object::PublicKey(PublicKeyObject {
                key_block: block(
                    KeyFormatType::TRANSPARENT_ECDSA_PUBLIC_KEY,
                    KeyMaterial::TransparentEcdsaPublicKey(TransparentEcPublicKey {
                        recommended_curve: RecommendedCurve::P_384,
                        q_string: q,
                    }),
                    CryptographicAlgorithm::ECDSA,
                ),
            });
            assert!(matches!(usable_key(&transparent).unwrap(), UsableKey::Public(k) if k == key));
        }
    }

    #[test]
    fn refuses_an_algorithm_that_does_not_name_the_key() {
        let (private, _) = rsa_pair();
        let Object::PrivateKey(mut object) = private else {
            panic!("not a private key");
        };
        object.key_block.cryptographic_algorithm = Some(CryptographicAlgorithm::EC);
        assert!(matches!(
            usable_key(&Object::PrivateKey(object)),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn takes_the_secp256k1_key_of_the_oasis_ecc_cases_on_its_named_curve() {
        // TC-ECC-1-14 registers this SEC 1 key; its parameters name secp256k1
        // (1.3.132.0.10), and a 256-bit length must not turn it into a P-256 key.
        let key = Object::PrivateKey(PrivateKeyObject {
            key_block: block(
                KeyFormatType::EC_PRIVATE_KEY,
                KeyMaterial::Bytes(SecretBytes::new(hex(
                    "30740201010420db4d128c30ca309e62c4019758c00ba244dd64d9bf52a31078866b8a00c19c68a00706052b8104000aa14403420004dab5d3c253113db414abfc1c0ebf5a02559e656aa1c8b0aa8d870aa0324cda4899925ea1e6dbc259a6c7825cf46592ac7594cc40bd604b728d88b636f317d366",
                ))),
                CryptographicAlgorithm::EC,
            ),
        });
        let UsableKey::Private(private) = usable_key(&key).unwrap() else {
            panic!("not a private key")
        };
        assert_eq!(private.key_type(), KeyType::Ec(EcCurve::Secp256k1));
        // Its point, given Raw, names no curve: it is read as P-256 and refused.
        let point = private
            .public_key()
            .ec_point(kms_crypto::PointFormat::Uncompressed)
            .unwrap();
        let raw = Object::PublicKey(kmip_types::objects::PublicKey {
            key_block: block(
                KeyFormatType::RAW,
                KeyMaterial::Bytes(SecretBytes::new(point)),
                CryptographicAlgorithm::EC,
            ),
        });
        assert!(matches!(usable_key(&raw), Err(StoreError::InvalidField(_))));
    }

    #[test]
    fn errors_and_debug_never_show_key_bytes() {
        let key = usable_key(&symmetric(&[0xAB; 16], CryptographicAlgorithm::AES)).unwrap();
        let debug = format!("{key:?}");
        assert!(
            debug.contains("redacted") && !debug.contains("171"),
            "{debug}"
        );
        let err = usable_key(&symmetric(&[0xAB; 15], CryptographicAlgorithm::AES)).unwrap_err();
        assert!(!err.to_string().contains("171"));
    }
}

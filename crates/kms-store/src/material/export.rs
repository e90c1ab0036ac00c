//! Key material out: a key in the Key Format Type a client asks for (KMIP 1.4 §4.11, Get
//! with Key Format Type), and the encoders key generation shares.

use kmip_ttlv::BigInteger;
use kmip_types::objects::{
    TransparentEcPrivateKey, TransparentEcPublicKey, TransparentRsaPrivateKey,
    TransparentRsaPublicKey, TransparentSymmetricKey,
};
use kmip_types::{KeyBlock, KeyFormatType, KeyMaterial, KeyValue, Object};
use kmip_types::{SecretBigInteger, SecretBytes};
use kms_crypto::{
    KeyType, PointFormat, PrivateKey, PrivateKeyFormat, PublicKey, PublicKeyFormat, Secret,
};

use super::usable::{key_material, private_key, public_key, symmetric_bytes};
use super::{algorithms, crypto_error, key_block, secret_bytes, with_key_block};
use crate::error::{Result, StoreError};

/// `object` with its key in `format` (Get with Key Format Type).
///
/// - Symmetric Key: Raw ↔ Transparent Symmetric Key, whatever the algorithm.
/// - RSA Private Key: PKCS#1 ↔ PKCS#8 ↔ Transparent RSA Private Key (every component).
/// - EC Private Key: PKCS#8 ↔ ECPrivateKey (SEC 1) ↔ Transparent EC (and the KMIP 1.x
///   ECDSA, ECDH, ECMQV) Private Key.
/// - RSA Public Key: PKCS#1 ↔ X.509 (SubjectPublicKeyInfo) ↔ Transparent RSA Public Key.
/// - EC Public Key: X.509 ↔ Transparent EC (ECDSA, ECDH, ECMQV) Public Key ↔ Raw (the
///   uncompressed point).
///
/// The key block keeps its Cryptographic Algorithm and Length and the Key Value's
/// attributes; EC points come out uncompressed (no Key Compression Type). Asking for
/// the format the key is already in returns a copy. Any other conversion, or an object
/// of another type, is [`StoreError::KeyFormatNotSupported`]; a wrapped key block is
/// refused ([`StoreError::InvalidField`]).
pub fn convert(object: &Object, format: KeyFormatType) -> Result<Object> {
    let block = key_block(object)?;
    let material = key_material(block)?;
    if block.key_format_type == format {
        return Ok(object.duplicate());
    }
    let converted = match object {
        Object::SymmetricKey(_) => symmetric_material(
            symmetric_bytes(block.key_format_type, material)?.duplicate(),
            format,
        )?,
        Object::PrivateKey(_) => {
            private_material(&private_key(block.key_format_type, material)?, format)?
        }
        Object::PublicKey(_) => {
            public_material(&public_key(block.key_format_type, material)?, format)?
        }
        other => {
            return Err(StoreError::KeyFormatNotSupported(format!(
                "{format:?} for a {:?}",
                other.object_type()
            )));
        }
    };
    let attributes = match &block.key_value {
        Some(KeyValue::Structure { attributes, .. }) => attributes.clone(),
        _ => None,
    };
    let converted = KeyBlock {
        key_format_type: format,
        key_compression_type: None,
        key_value: Some(KeyValue::Structure {
            key_material: converted,
            attributes,
        }),
        cryptographic_algorithm: block.cryptographic_algorithm,
        cryptographic_length: block.cryptographic_length,
        key_wrapping_data: None,
    };
    with_key_block(object, converted)
}

fn unsupported(format: KeyFormatType, what: &str) -> StoreError {
    StoreError::KeyFormatNotSupported(format!("{format:?} for {what}"))
}

/// Symmetric key bytes as the key material of `format`: Raw or Transparent Symmetric Key.
pub(crate) fn symmetric_material(bytes: SecretBytes, format: KeyFormatType) -> Result<KeyMaterial> {
    match format {
        KeyFormatType::RAW => Ok(KeyMaterial::Bytes(bytes)),
        KeyFormatType::TRANSPARENT_SYMMETRIC_KEY => Ok(KeyMaterial::TransparentSymmetricKey(
            TransparentSymmetricKey { key: bytes },
        )),
        other => Err(unsupported(other, "a symmetric key")),
    }
}

/// A private key as the key material of `format`.
pub(crate) fn private_material(key: &PrivateKey, format: KeyFormatType) -> Result<KeyMaterial> {
    let key_type = key.key_type();
    let rsa = matches!(key_type, KeyType::Rsa { .. });
    let ec = matches!(key_type, KeyType::Ec(_));
    let der = |f: PrivateKeyFormat| -> Result<KeyMaterial> {
        let der = key.to_der(f).map_err(crypto_error)?;
        Ok(KeyMaterial::Bytes(secret_bytes(der)))
    };
    match format {
        KeyFormatType::PKCS_1 if rsa => der(PrivateKeyFormat::Pkcs1),
        KeyFormatType::PKCS_8 if rsa || ec => der(PrivateKeyFormat::Pkcs8),
        KeyFormatType::EC_PRIVATE_KEY if ec => der(PrivateKeyFormat::Sec1),
        KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY if rsa => {
            let c = key.rsa_components().map_err(crypto_error)?;
            Ok(KeyMaterial::TransparentRsaPrivateKey(
                TransparentRsaPrivateKey {
                    modulus: BigInteger::from_unsigned_be(&c.n),
                    private_exponent: Some(secret_integer(&c.d)),
                    public_exponent: Some(BigInteger::from_unsigned_be(&c.e)),
                    p: c.p.as_ref().map(secret_integer),
                    q: c.q.as_ref().map(secret_integer),
                    prime_exponent_p: c.dp.as_ref().map(secret_integer),
                    prime_exponent_q: c.dq.as_ref().map(secret_integer),
                    crt_coefficient: c.qi.as_ref().map(secret_integer),
                },
            ))
        }
        KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY
        | KeyFormatType::TRANSPARENT_ECDSA_PRIVATE_KEY
        | KeyFormatType::TRANSPARENT_ECDH_PRIVATE_KEY
        | KeyFormatType::TRANSPARENT_ECMQV_PRIVATE_KEY => {
            let KeyType::Ec(curve) = key_type else {
                return Err(unsupported(format, "an RSA private key"));
            };
            let transparent = TransparentEcPrivateKey {
                recommended_curve: algorithms::recommended_curve(curve)?,
                d: secret_integer(&key.ec_scalar().map_err(crypto_error)?),
            };
            Ok(match format {
                KeyFormatType::TRANSPARENT_ECDSA_PRIVATE_KEY => {
                    KeyMaterial::TransparentEcdsaPrivateKey(transparent)
                }
                KeyFormatType::TRANSPARENT_ECDH_PRIVATE_KEY => {
                    KeyMaterial::TransparentEcdhPrivateKey(transparent)
                }
                KeyFormatType::TRANSPARENT_ECMQV_PRIVATE_KEY => {
                    KeyMaterial::TransparentEcmqvPrivateKey(transparent)
                }
                _ => KeyMaterial::TransparentEcPrivateKey(transparent),
            })
        }
        other => Err(unsupported(
            other,
            if rsa {
                "an RSA private key"
            } else {
                "an EC private key"
            },
        )),
    }
}

/// A public key as the key material of `format`.
pub(crate) fn public_material(key: &PublicKey, format: KeyFormatType) -> Result<KeyMaterial> {
    let key_type = key.key_type();
    let rsa = matches!(key_type, KeyType::Rsa { .. });
    let ec = matches!(key_type, KeyType::Ec(_));
    let der = |f: PublicKeyFormat| -> Result<KeyMaterial> {
        let der = key.to_der(f).map_err(crypto_error)?;
        Ok(KeyMaterial::Bytes(SecretBytes::new(der)))
    };
    match format {
        KeyFormatType::PKCS_1 if rsa => der(PublicKeyFormat::Pkcs1),
        KeyFormatType::X_509 if rsa || ec => der(PublicKeyFormat::Spki),
        KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY if rsa => {
            let c = key.rsa_components().map_err(crypto_error)?;
            Ok(KeyMaterial::TransparentRsaPublicKey(
                TransparentRsaPublicKey {
                    modulus: BigInteger::from_unsigned_be(&c.n),
                    public_exponent: BigInteger::from_unsigned_be(&c.e),
                },
            ))
        }
        KeyFormatType::RAW if ec => {
            let point = key
                .ec_point(PointFormat::Uncompressed)
                .map_err(crypto_error)?;
            Ok(KeyMaterial::Bytes(SecretBytes::new(point)))
        }
        KeyFormatType::TRANSPARENT_EC_PUBLIC_KEY
        | KeyFormatType::TRANSPARENT_ECDSA_PUBLIC_KEY
        | KeyFormatType::TRANSPARENT_ECDH_PUBLIC_KEY
        | KeyFormatType::TRANSPARENT_ECMQV_PUBLIC_KEY => {
            let KeyType::Ec(curve) = key_type else {
                return Err(unsupported(format, "an RSA public key"));
            };
            let transparent = TransparentEcPublicKey {
                recommended_curve: algorithms::recommended_curve(curve)?,
                q_string: key
                    .ec_point(PointFormat::Uncompressed)
                    .map_err(crypto_error)?,
            };
            Ok(match format {
                KeyFormatType::TRANSPARENT_ECDSA_PUBLIC_KEY => {
                    KeyMaterial::TransparentEcdsaPublicKey(transparent)
                }
                KeyFormatType::TRANSPARENT_ECDH_PUBLIC_KEY => {
                    KeyMaterial::TransparentEcdhPublicKey(transparent)
                }
                KeyFormatType::TRANSPARENT_ECMQV_PUBLIC_KEY => {
                    KeyMaterial::TransparentEcmqvPublicKey(transparent)
                }
                _ => KeyMaterial::TransparentEcPublicKey(transparent),
            })
        }
        other => Err(unsupported(
            other,
            if rsa {
                "an RSA public key"
            } else {
                "an EC public key"
            },
        )),
    }
}

/// A secret big-endian magnitude as a KMIP Big Integer that is wiped on drop.
fn secret_integer(value: &Secret) -> SecretBigInteger {
    SecretBigInteger::new(BigInteger::from_unsigned_be(value.expose()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::{CryptographicAlgorithm, RecommendedCurve};

    use super::*;
    use crate::material::testing::{ec_pair, rsa_pair, symmetric};
    use crate::material::{UsableKey, usable_key};

    fn format_of(object: &Object) -> KeyFormatType {
        object.key_block().unwrap().key_format_type
    }

    /// Converts through `formats` in turn and back to the first, checking each step
    /// keeps the key, its algorithm and length, and the last gives back the first bytes.
    fn round_trip(object: &Object, formats: &[KeyFormatType]) {
        let original = object.key_block().unwrap();
        let usable = usable_key(object).is_ok();
        let mut current = object.duplicate();
        for &format in formats.iter().chain([&original.key_format_type]) {
            let next = convert(&current, format).unwrap();
            let block = next.key_block().unwrap();
            assert_eq!(block.key_format_type, format);
            assert_eq!(
                block.cryptographic_algorithm,
                original.cryptographic_algorithm
            );
            assert_eq!(block.cryptographic_length, original.cryptographic_length);
            assert!(
                block.key_material().unwrap().matches_format(format),
                "{format:?}"
            );
            if usable {
                usable_key(&next).unwrap();
            }
            current = next;
        }
        assert_eq!(current, *object, "back to the first format, byte for byte");
    }

    #[test]
    fn symmetric_raw_and_transparent_round_trip() {
        round_trip(
            &symmetric(&[5; 32], CryptographicAlgorithm::AES),
            &[KeyFormatType::TRANSPARENT_SYMMETRIC_KEY],
        );
        // Any algorithm: the bytes are not interpreted.
        round_trip(
            &symmetric(&[5; 24], CryptographicAlgorithm::DES3),
            &[KeyFormatType::TRANSPARENT_SYMMETRIC_KEY],
        );
    }

    #[test]
    fn rsa_private_key_formats_round_trip() {
        let (private, _) = rsa_pair();
        round_trip(
            &private,
            &[
                KeyFormatType::PKCS_8,
                KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY,
                KeyFormatType::PKCS_1,
                KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY,
                KeyFormatType::PKCS_8,
            ],
        );
    }

    #[test]
    fn rsa_public_key_formats_round_trip() {
        let (_, public) = rsa_pair();
        round_trip(
            &public,
            &[
                KeyFormatType::X_509,
                KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY,
                KeyFormatType::PKCS_1,
                KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY,
                KeyFormatType::X_509,
            ],
        );
    }

    #[test]
    fn ec_private_key_formats_round_trip() {
        for curve in [
            RecommendedCurve::P_256,
            RecommendedCurve::P_384,
            RecommendedCurve::P_521,
        ] {
            let (private, _) = ec_pair(curve);
            assert_eq!(format_of(&private), KeyFormatType::EC_PRIVATE_KEY);
            round_trip(
                &private,
                &[
                    KeyFormatType::PKCS_8,
                    KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY,
                    KeyFormatType::TRANSPARENT_ECDSA_PRIVATE_KEY,
                    KeyFormatType::TRANSPARENT_ECDH_PRIVATE_KEY,
                    KeyFormatType::TRANSPARENT_ECMQV_PRIVATE_KEY,
                    KeyFormatType::PKCS_8,
                ],
            );
        }
    }

    #[test]
    fn ec_public_key_formats_round_trip() {
        for curve in [RecommendedCurve::P_256, RecommendedCurve::P_521] {
            let (_, public) = ec_pair(curve);
            assert_eq!(format_of(&public), KeyFormatType::X_509);
            round_trip(
                &public,
                &[
                    KeyFormatType::TRANSPARENT_EC_PUBLIC_KEY,
                    KeyFormatType::RAW,
                    KeyFormatType::TRANSPARENT_ECDSA_PUBLIC_KEY,
                    KeyFormatType::TRANSPARENT_ECDH_PUBLIC_KEY,
                    KeyFormatType::TRANSPARENT_ECMQV_PUBLIC_KEY,
                ],
            );
        }
    }

    #[test]
    fn transparent_rsa_private_key_carries_every_component() {
        let (private, _) = rsa_pair();
        let converted = convert(&private, KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY).unwrap();
        let Some(KeyMaterial::TransparentRsaPrivateKey(k)) =
            converted.key_block().unwrap().key_material()
        else {
            panic!("not a transparent RSA private key");
        };
        assert!(k.private_exponent.is_some() && k.public_exponent.is_some());
        assert!(k.p.is_some() && k.q.is_some() && k.crt_coefficient.is_some());
        assert!(k.prime_exponent_p.is_some() && k.prime_exponent_q.is_some());
        assert_eq!(k.modulus.to_unsigned_be().map(<[u8]>::len), Some(256));
    }

    #[test]
    fn the_same_format_is_a_copy() {
        let (private, _) = rsa_pair();
        assert_eq!(convert(&private, KeyFormatType::PKCS_1).unwrap(), private);
    }

    #[test]
    fn refuses_formats_that_cannot_hold_the_key() {
        let (rsa_private, rsa_public) = rsa_pair();
        let (ec_private, ec_public) = ec_pair(RecommendedCurve::P_256);
        let aes = symmetric(&[1; 16], CryptographicAlgorithm::AES);
        let refused = [
            (&rsa_private, KeyFormatType::EC_PRIVATE_KEY),
            (&rsa_private, KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY),
            (&rsa_private, KeyFormatType::X_509),
            (&rsa_private, KeyFormatType::RAW),
            (&ec_private, KeyFormatType::PKCS_1),
            (&ec_private, KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY),
            (&rsa_public, KeyFormatType::PKCS_8),
            (&rsa_public, KeyFormatType::RAW),
            (&rsa_public, KeyFormatType::TRANSPARENT_EC_PUBLIC_KEY),
            (&ec_public, KeyFormatType::PKCS_1),
            (&ec_public, KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY),
            (&aes, KeyFormatType::PKCS_1),
            (&aes, KeyFormatType::OPAQUE),
        ];
        for (object, format) in refused {
            assert!(
                matches!(
                    convert(object, format),
                    Err(StoreError::KeyFormatNotSupported(_))
                ),
                "{:?} to {format:?}",
                object.object_type()
            );
        }
    }

    #[test]
    fn converted_keys_are_the_same_key() {
        let (ec_private, ec_public) = ec_pair(RecommendedCurve::P_384);
        let pkcs8 = convert(&ec_private, KeyFormatType::PKCS_8).unwrap();
        let (UsableKey::Private(a), UsableKey::Public(b)) =
            (usable_key(&pkcs8).unwrap(), usable_key(&ec_public).unwrap())
        else {
            panic!("wrong key kinds");
        };
        assert_eq!(a.public_key(), b);
    }
}

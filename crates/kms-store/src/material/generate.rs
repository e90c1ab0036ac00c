//! New keys as KMIP objects (KMIP 1.4 §4.1 Create, §4.2 Create Key Pair).

use kmip_types::objects::{PrivateKey as PrivateKeyObject, PublicKey as PublicKeyObject};
use kmip_types::objects::{SecretData, SymmetricKey};
use kmip_types::{
    CryptographicAlgorithm, KeyBlock, KeyFormatType, KeyMaterial, Object, RecommendedCurve,
    SecretDataType,
};
use kms_crypto::{
    AesKey, EcCurve, KeySpec, KeyType, PrivateKey, PublicKey, RsaKeySize, Secret, rng, tdes,
};

use super::algorithms::{self, invalid};
use super::export::{private_material, public_material, symmetric_material};
use super::symmetric_lengths;
use super::{crypto_error, secret_bytes};
use crate::error::{Result, StoreError};

/// A new Symmetric Key of `algorithm` and `length_bits`, from the system CSPRNG, in Raw
/// format with its Cryptographic Algorithm and Length set.
///
/// The lengths each algorithm allows are those of [`symmetric_lengths`]: AES 128, 192 or
/// 256 bits; DES 56 or 64; Triple DES 112 (two keys) or 168 (three keys); SKIPJACK 80;
/// HMAC-SHA* a multiple of 8 bits from 112 to the hash's block size; and a few more
/// ciphers the store keeps keys for without computing with them. DES and Triple DES keys
/// get odd parity in each byte, as DES keys carry.
///
/// Another length is [`StoreError::InvalidField`]; another algorithm
/// [`StoreError::NotSupported`].
pub fn generate_symmetric(algorithm: CryptographicAlgorithm, length_bits: i32) -> Result<Object> {
    let (len, parity) = symmetric_lengths::new_key_len(algorithm, length_bits)?;
    let mut bytes = rng::random_bytes(len)
        .map_err(crypto_error)?
        .into_zeroizing();
    if parity {
        tdes::set_odd_parity(&mut bytes);
    }
    let key = Secret::new(core::mem::take(&mut *bytes));
    let material = symmetric_material(secret_bytes(key), KeyFormatType::RAW)?;
    Ok(Object::SymmetricKey(SymmetricKey {
        key_block: KeyBlock::new(
            KeyFormatType::RAW,
            material,
            Some(algorithm),
            Some(length_bits),
        ),
    }))
}

/// New Secret Data of `length_bits` random bits (KMIP 1.4 §4.1 creates Secret Data too),
/// in Opaque format. Its type is Password, as the OASIS TC-CREATE-SD-1 case reads back.
pub fn generate_secret_data(length_bits: i32) -> Result<Object> {
    let bits = usize::try_from(length_bits).unwrap_or(0);
    if bits == 0 || bits > MAX_SECRET_DATA_BITS || !bits.is_multiple_of(8) {
        return Err(invalid(
            "Cryptographic Length",
            "Secret Data is a multiple of 8 bits, at most 4096",
        ));
    }
    let secret = rng::random_bytes(bits / 8).map_err(crypto_error)?;
    Ok(Object::SecretData(SecretData {
        secret_data_type: SecretDataType::PASSWORD,
        key_block: KeyBlock::new(
            KeyFormatType::OPAQUE,
            KeyMaterial::Bytes(secret_bytes(secret)),
            None,
            None,
        ),
    }))
}

/// The largest Secret Data Create makes.
const MAX_SECRET_DATA_BITS: usize = 4096;

/// A new key pair: `(private key, public key)` objects.
///
/// The formats are those the OASIS test cases get back:
///
/// - RSA: `length_bits` 2048, 3072 or 4096 (required), e = 65537; both halves in PKCS#1
///   (AKLC-M-1/2/3-14: the Digest of a created RSA private key is over Key Format Type
///   PKCS_1; the CS-AC cases register and return RSA keys in PKCS_1).
/// - EC, ECDSA, ECDH: P-256, P-384 or P-521, named by `curve` or by `length_bits` (256,
///   384, 521), which must agree when both are given; private key as ECPrivateKey
///   (SEC 1), public key as X.509 SubjectPublicKeyInfo, Cryptographic Length the curve's
///   size (TC-ECC-1/2/3-14, TC-ECDSA-SIGN-1-14 and CS-AC-M-3-ECC-13 register and get
///   every EC key pair in those two formats).
///
/// Both key blocks carry `algorithm` as given. A length or curve that does not fit is
/// [`StoreError::InvalidField`], a missing one [`StoreError::MissingData`]; other
/// algorithms and curves are [`StoreError::NotSupported`].
pub fn generate_key_pair(
    algorithm: CryptographicAlgorithm,
    length_bits: Option<i32>,
    curve: Option<RecommendedCurve>,
) -> Result<(Object, Object)> {
    let spec = if algorithm == CryptographicAlgorithm::RSA {
        if curve.is_some() {
            return Err(invalid("Recommended Curve", "not for an RSA key"));
        }
        let bits = length_bits
            .ok_or_else(|| StoreError::MissingData("Cryptographic Length".to_owned()))?;
        let size = u32::try_from(bits)
            .ok()
            .and_then(|b| RsaKeySize::try_from(b).ok())
            .ok_or_else(|| {
                invalid(
                    "Cryptographic Length",
                    "an RSA key is 2048, 3072 or 4096 bits",
                )
            })?;
        KeySpec::Rsa(size)
    } else if matches!(
        algorithm,
        CryptographicAlgorithm::EC | CryptographicAlgorithm::ECDSA | CryptographicAlgorithm::ECDH
    ) {
        KeySpec::Ec(ec_curve(length_bits, curve)?)
    } else {
        return Err(algorithms::not_supported(
            "Cryptographic Algorithm",
            algorithm,
        ));
    };
    let key = PrivateKey::generate(spec).map_err(crypto_error)?;
    key_pair_objects(&key, algorithm)
}

/// The formats keys are kept in: PKCS#1 for RSA private and public keys, ECPrivateKey
/// (SEC 1) for EC private keys, SubjectPublicKeyInfo for EC public keys; and the
/// Cryptographic Length (modulus bits, or the curve's size).
fn formats(key_type: KeyType) -> Result<(KeyFormatType, KeyFormatType, i32)> {
    match key_type {
        KeyType::Rsa { bits } => Ok((
            KeyFormatType::PKCS_1,
            KeyFormatType::PKCS_1,
            i32::try_from(bits).unwrap_or(i32::MAX),
        )),
        KeyType::Ec(curve) => Ok((
            KeyFormatType::EC_PRIVATE_KEY,
            KeyFormatType::X_509,
            i32::try_from(curve.bits()).unwrap_or(i32::MAX),
        )),
        _ => Err(StoreError::NotSupported("this key type".to_owned())),
    }
}

/// The Private Key and Public Key objects of an existing key pair (generated here, or
/// imported by a frontend), in the formats keys are kept in, both labelled `algorithm`.
pub fn key_pair_objects(
    key: &PrivateKey,
    algorithm: CryptographicAlgorithm,
) -> Result<(Object, Object)> {
    let (private_format, _, length) = formats(key.key_type())?;
    let private = KeyBlock::new(
        private_format,
        private_material(key, private_format)?,
        Some(algorithm),
        Some(length),
    );
    Ok((
        Object::PrivateKey(PrivateKeyObject { key_block: private }),
        public_key_object(&key.public_key(), algorithm)?,
    ))
}

/// The Public Key object of a public key, in the format keys are kept in.
pub fn public_key_object(key: &PublicKey, algorithm: CryptographicAlgorithm) -> Result<Object> {
    let (_, public_format, length) = formats(key.key_type())?;
    let public = KeyBlock::new(
        public_format,
        public_material(key, public_format)?,
        Some(algorithm),
        Some(length),
    );
    Ok(Object::PublicKey(PublicKeyObject { key_block: public }))
}

/// The Symmetric Key object of an AES key, in Raw format.
pub fn aes_key_object(key: AesKey) -> Object {
    let bits = i32::try_from(key.size().bits()).unwrap_or(i32::MAX);
    Object::SymmetricKey(SymmetricKey {
        key_block: KeyBlock::new(
            KeyFormatType::RAW,
            kmip_types::KeyMaterial::Bytes(secret_bytes(key.into_secret())),
            Some(CryptographicAlgorithm::AES),
            Some(bits),
        ),
    })
}

/// The curve named by a Recommended Curve, or else by a Cryptographic Length.
fn ec_curve(length_bits: Option<i32>, curve: Option<RecommendedCurve>) -> Result<EcCurve> {
    match (curve, length_bits) {
        (Some(named), length) => {
            let curve = algorithms::curve(named)?;
            match length {
                Some(bits) if i64::from(bits) != i64::from(curve.bits()) => Err(invalid(
                    "Cryptographic Length",
                    "does not match the Recommended Curve",
                )),
                _ => Ok(curve),
            }
        }
        (None, Some(bits)) => algorithms::curve_of_length(bits),
        (None, None) => Err(StoreError::MissingData("Recommended Curve".to_owned())),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kms_crypto::KeyType;

    use super::*;
    use crate::material::testing::rsa_pair;
    use crate::material::{UsableKey, usable_key};

    fn block(object: &Object) -> &KeyBlock {
        object.key_block().unwrap()
    }

    #[test]
    fn generates_aes_keys_of_each_size_in_raw_format() {
        for bits in [128, 192, 256] {
            let key = generate_symmetric(CryptographicAlgorithm::AES, bits).unwrap();
            let b = block(&key);
            assert_eq!(b.key_format_type, KeyFormatType::RAW);
            assert_eq!(b.cryptographic_algorithm, Some(CryptographicAlgorithm::AES));
            assert_eq!(b.cryptographic_length, Some(bits));
            assert!(
                matches!(usable_key(&key).unwrap(), UsableKey::Aes(k) if k.size().bits() == bits as u32)
            );
        }
        let a = generate_symmetric(CryptographicAlgorithm::AES, 256).unwrap();
        let b = generate_symmetric(CryptographicAlgorithm::AES, 256).unwrap();
        assert_ne!(a, b, "fresh randomness");
    }

    #[test]
    fn generates_hmac_keys_within_sensible_lengths() {
        let key = generate_symmetric(CryptographicAlgorithm::HMACSHA256, 256).unwrap();
        assert!(matches!(usable_key(&key).unwrap(), UsableKey::Hmac(k) if k.key_len() == 32));
        let long = generate_symmetric(CryptographicAlgorithm::HMACSHA512, 1024).unwrap();
        assert!(matches!(usable_key(&long).unwrap(), UsableKey::Hmac(k) if k.key_len() == 128));
        for (algorithm, bits) in [
            (CryptographicAlgorithm::HMACSHA256, 104),
            (CryptographicAlgorithm::HMACSHA256, 1024),
            (CryptographicAlgorithm::HMACSHA1, 161),
            (CryptographicAlgorithm::HMACSHA1, -8),
        ] {
            assert!(matches!(
                generate_symmetric(algorithm, bits),
                Err(StoreError::InvalidField(_))
            ));
        }
    }

    #[test]
    fn refuses_other_symmetric_algorithms_and_lengths() {
        for (algorithm, bits) in [
            (CryptographicAlgorithm::AES, 64),
            (CryptographicAlgorithm::DES3, 128),
        ] {
            assert!(matches!(
                generate_symmetric(algorithm, bits),
                Err(StoreError::InvalidField(_))
            ));
        }
        for algorithm in [CryptographicAlgorithm::RSA, CryptographicAlgorithm::MARS] {
            assert!(matches!(
                generate_symmetric(algorithm, 128),
                Err(StoreError::NotSupported(_))
            ));
        }
    }

    #[test]
    fn generates_triple_des_keys_with_odd_parity() {
        for (bits, len) in [(168, 24), (112, 16)] {
            let key = generate_symmetric(CryptographicAlgorithm::DES3, bits).unwrap();
            assert_eq!(block(&key).cryptographic_length, Some(bits));
            let UsableKey::Tdes(k) = usable_key(&key).unwrap() else {
                panic!("not a Triple DES key");
            };
            assert_eq!(k.expose().len(), len);
            assert!(k.expose().iter().all(|b| b.count_ones() % 2 == 1));
        }
    }

    #[test]
    fn generates_skipjack_keys_it_only_stores() {
        let key = generate_symmetric(CryptographicAlgorithm::SKIPJACK, 80).unwrap();
        let b = block(&key);
        assert_eq!(b.cryptographic_length, Some(80));
        let material = crate::material::usable::key_material(b).unwrap();
        let bytes = crate::material::usable::symmetric_bytes(b.key_format_type, material).unwrap();
        assert_eq!(bytes.expose().len(), 10);
        assert!(matches!(usable_key(&key), Err(StoreError::NotSupported(_))));
    }

    #[test]
    fn rsa_pairs_are_pkcs1_as_the_aklc_cases_expect() {
        let (private, public) = rsa_pair();
        for (object, object_type) in [
            (&private, kmip_types::ObjectType::PRIVATE_KEY),
            (&public, kmip_types::ObjectType::PUBLIC_KEY),
        ] {
            assert_eq!(object.object_type(), object_type);
            let b = block(object);
            assert_eq!(b.key_format_type, KeyFormatType::PKCS_1);
            assert_eq!(b.cryptographic_algorithm, Some(CryptographicAlgorithm::RSA));
            assert_eq!(b.cryptographic_length, Some(2048));
        }
        let (UsableKey::Private(private), UsableKey::Public(public)) =
            (usable_key(&private).unwrap(), usable_key(&public).unwrap())
        else {
            panic!("wrong key kinds");
        };
        assert_eq!(private.public_key(), public);
    }

    #[test]
    fn ec_pairs_are_sec1_and_spki_on_the_named_curve() {
        for (length, curve, bits) in [
            (None, Some(RecommendedCurve::P_256), 256),
            (Some(384), None, 384),
            (Some(521), Some(RecommendedCurve::P_521), 521),
        ] {
            let (private, public) =
                generate_key_pair(CryptographicAlgorithm::ECDSA, length, curve).unwrap();
            assert_eq!(
                block(&private).key_format_type,
                KeyFormatType::EC_PRIVATE_KEY
            );
            assert_eq!(block(&public).key_format_type, KeyFormatType::X_509);
            assert_eq!(block(&private).cryptographic_length, Some(bits));
            assert_eq!(
                block(&public).cryptographic_algorithm,
                Some(CryptographicAlgorithm::ECDSA)
            );
            let UsableKey::Private(key) = usable_key(&private).unwrap() else {
                panic!("not a private key");
            };
            assert!(matches!(key.key_type(), KeyType::Ec(c) if c.bits() as i32 == bits));
        }
    }

    #[test]
    fn a_named_secp256k1_curve_is_kept_and_a_bare_256_bits_is_p256() {
        for (length, curve, expected) in [
            (None, Some(RecommendedCurve::SECP256_K1), EcCurve::Secp256k1),
            (
                Some(256),
                Some(RecommendedCurve::SECP256_K1),
                EcCurve::Secp256k1,
            ),
            (Some(256), None, EcCurve::P256),
        ] {
            let (private, public) =
                generate_key_pair(CryptographicAlgorithm::EC, length, curve).unwrap();
            assert_eq!(block(&private).cryptographic_length, Some(256));
            for object in [&private, &public] {
                let key_type = match usable_key(object).unwrap() {
                    UsableKey::Private(k) => k.key_type(),
                    UsableKey::Public(k) => k.key_type(),
                    other => panic!("{other:?}"),
                };
                assert_eq!(key_type, KeyType::Ec(expected), "{length:?} {curve:?}");
            }
        }
    }

    #[test]
    fn refuses_key_pairs_it_cannot_make() {
        let refusals = [
            (CryptographicAlgorithm::RSA, Some(1024), None),
            (CryptographicAlgorithm::RSA, None, None),
            (
                CryptographicAlgorithm::RSA,
                Some(2048),
                Some(RecommendedCurve::P_256),
            ),
            (
                CryptographicAlgorithm::EC,
                Some(384),
                Some(RecommendedCurve::P_256),
            ),
            (CryptographicAlgorithm::EC, None, None),
            (
                CryptographicAlgorithm::EC,
                Some(384),
                Some(RecommendedCurve::SECP256_K1),
            ),
            (
                CryptographicAlgorithm::EC,
                None,
                Some(RecommendedCurve::SECP224_K1),
            ),
            (CryptographicAlgorithm::EC, Some(224), None),
            (CryptographicAlgorithm::DSA, Some(2048), None),
        ];
        for (algorithm, length, curve) in refusals {
            let result = generate_key_pair(algorithm, length, curve);
            assert!(
                matches!(
                    result,
                    Err(StoreError::InvalidField(_)
                        | StoreError::MissingData(_)
                        | StoreError::NotSupported(_))
                ),
                "{algorithm:?} {length:?} {curve:?}"
            );
        }
        assert!(matches!(
            generate_key_pair(CryptographicAlgorithm::EC, None, None),
            Err(StoreError::MissingData(_))
        ));
    }
}

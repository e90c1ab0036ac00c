//! Sign and Signature Verify (KMIP 1.4 §4.31, §4.32) with RSA and EC keys.

use kmip_types::{
    CryptographicAlgorithm, CryptographicParameters, DigitalSignatureAlgorithm, HashingAlgorithm,
    MaskGenerator, PaddingMethod,
};
use kms_crypto::{
    CryptoError, EcCurve, HashAlgorithm, KeyType, Message, PublicKey, SignatureAlgorithm,
    SignatureFormat,
};

use super::algorithms::{self, invalid};
use super::crypto_error;
use super::usable::UsableKey;
use crate::error::{Result, StoreError};

/// Signs `data` (a digest of it computed by the client when `is_digest`, KMIP 1.4
/// Digested Data) with a private key.
///
/// The signature algorithm comes from the Cryptographic Parameters:
/// - a Digital Signature Algorithm, when given, decides (SHA-256/384/512 with RSA
///   Encryption: PKCS#1 v1.5; RSASSA-PSS with the Hashing Algorithm; ECDSA with
///   SHA-256/384/512);
/// - else the key type with the Padding Method (RSA: PKCS1 v1.5, the default, or PSS) and
///   the Hashing Algorithm.
///
/// Defaults: SHA-256 for RSA; for ECDSA the hash of the key's curve (SHA-256 on P-256
/// and secp256k1, SHA-384 on P-384, SHA-512 on P-521), the only one the crypto core pairs
/// with it. PSS
/// uses MGF1 with the same hash (a different Mask Generator Hashing Algorithm is
/// [`StoreError::NotSupported`]) and a salt of the Salt Length in bytes, as long as the
/// hash when absent; a salt longer than the key allows is [`StoreError::InvalidField`].
///
/// ECDSA signatures are DER `Ecdsa-Sig-Value`s, as in the KMIP test cases
/// (TC-ECDSA-SIGN-1-14 verifies `3044…`).
///
/// Refused: any key but a private key, and parameters that do not fit its type
/// ([`StoreError::InvalidField`]); MD5 and SHA-1 (never used for new signatures),
/// SHA-224 and hash/curve pairs the crypto core does not offer
/// ([`StoreError::NotSupported`]); a digest of the wrong length.
pub fn sign(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
    is_digest: bool,
) -> Result<Vec<u8>> {
    let UsableKey::Private(private) = key else {
        return Err(StoreError::InvalidField(format!(
            "Sign needs a private key, not {}",
            key.describe()
        )));
    };
    match choose(params, private.key_type())? {
        Choice::Algorithm(algorithm) => {
            private.sign(algorithm, message(data, is_digest), SignatureFormat::Der)
        }
        Choice::CurveEcdsa => private.sign_ecdsa(message(data, is_digest), SignatureFormat::Der),
        Choice::Pss {
            algorithm,
            salt: Some(salt),
        } if salt != algorithm.hash().output_len() => {
            private.sign_pss(algorithm.hash(), salt, message(data, is_digest))
        }
        Choice::Pss { algorithm, .. } => {
            private.sign(algorithm, message(data, is_digest), SignatureFormat::Der)
        }
        Choice::Legacy(hash) => return Err(algorithms::not_supported("signatures with", hash)),
    }
    .map_err(crypto_error)
}

/// Verifies `signature` over `data` (or over a digest, when `is_digest`) with a public
/// key, or with the public half of a private key.
///
/// `Ok(false)` when the signature does not verify, malformed signatures included, and
/// also when the parameters name MD2, MD4, MD5 or SHA-1: a signature over a broken hash
/// is never reported valid (CS-AC-M-3-14 expects Invalid for PSS with SHA-1). A PSS
/// signature is checked against the Salt Length when one is given, and else whatever its
/// salt's length (CS-AC-M-2-14 verifies a signature with a 222-byte salt and no Salt
/// Length). The refusals of [`sign`] apply otherwise.
pub fn verify(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
    is_digest: bool,
    signature: &[u8],
) -> Result<bool> {
    let from_private;
    let public: &PublicKey = match key {
        UsableKey::Public(k) => k,
        UsableKey::Private(k) => {
            from_private = k.public_key();
            &from_private
        }
        UsableKey::Aes(_) | UsableKey::Tdes(_) | UsableKey::Hmac(_) => {
            return Err(StoreError::InvalidField(format!(
                "Signature Verify needs a public or private key, not {}",
                key.describe()
            )));
        }
    };
    let message = message(data, is_digest);
    let outcome = match choose(params, public.key_type())? {
        Choice::Algorithm(algorithm) => {
            public.verify(algorithm, message, signature, SignatureFormat::Der)
        }
        Choice::CurveEcdsa => public.verify_ecdsa(message, signature, SignatureFormat::Der),
        Choice::Pss {
            algorithm,
            salt: Some(salt),
        } if salt == algorithm.hash().output_len() => {
            public.verify(algorithm, message, signature, SignatureFormat::Der)
        }
        Choice::Pss { algorithm, salt } => {
            public.verify_pss(algorithm.hash(), salt, message, signature)
        }
        Choice::Legacy(_) => return Ok(false),
    };
    match outcome {
        Ok(()) => Ok(true),
        Err(CryptoError::Failed) => Ok(false),
        Err(e) => Err(crypto_error(e)),
    }
}

fn message(data: &[u8], is_digest: bool) -> Message<'_> {
    if is_digest {
        Message::Digest(data)
    } else {
        Message::Data(data)
    }
}

/// The outcome of reading the parameters.
enum Choice {
    /// An algorithm the crypto core computes.
    Algorithm(SignatureAlgorithm),
    /// ECDSA with the hash of the key's curve, on a curve no [`SignatureAlgorithm`]
    /// names (secp256k1 with SHA-256).
    CurveEcdsa,
    /// RSASSA-PSS with the hash of `algorithm` (PS256, PS384 or PS512) and a salt of
    /// `salt` bytes; `None` when the request gives no Salt Length: signatures then take
    /// the hash's length, verification accepts any.
    Pss {
        algorithm: SignatureAlgorithm,
        salt: Option<usize>,
    },
    /// A well-formed request over a hash no signature here trusts.
    Legacy(HashingAlgorithm),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scheme {
    Pkcs1v15,
    Pss,
    Ecdsa,
}

/// The signature algorithm for a key of `key_type` under `params`.
fn choose(params: Option<&CryptographicParameters>, key_type: KeyType) -> Result<Choice> {
    let default = CryptographicParameters::default();
    let params = params.unwrap_or(&default);
    let curve = match key_type {
        KeyType::Rsa { .. } => None,
        KeyType::Ec(curve) => Some(curve),
        _ => {
            return Err(StoreError::NotSupported(
                "signatures with this key".to_owned(),
            ));
        }
    };
    if let Some(algorithm) = params.cryptographic_algorithm {
        let fits = match curve {
            None => algorithm == CryptographicAlgorithm::RSA,
            Some(_) => algorithms::is_ec(algorithm),
        };
        if !fits {
            return Err(invalid("Cryptographic Algorithm", "does not match the key"));
        }
    }
    let (scheme, hash) = match params.digital_signature_algorithm {
        Some(dsa) => {
            let (scheme, hash) = digital_signature_algorithm(dsa, params.hashing_algorithm)?;
            if params.hashing_algorithm.is_some_and(|h| h != hash) {
                return Err(invalid(
                    "Hashing Algorithm",
                    "differs from the Digital Signature Algorithm's",
                ));
            }
            (scheme, hash)
        }
        None => {
            let scheme = match (curve, params.padding_method) {
                (Some(_), None | Some(PaddingMethod::NONE)) => Scheme::Ecdsa,
                (Some(_), Some(other)) => {
                    return Err(algorithms::not_supported("Padding Method for ECDSA", other));
                }
                (None, None | Some(PaddingMethod::PKCS1_V1_5)) => Scheme::Pkcs1v15,
                (None, Some(PaddingMethod::PSS)) => Scheme::Pss,
                (None, Some(other)) => {
                    return Err(algorithms::not_supported(
                        "Padding Method for signatures",
                        other,
                    ));
                }
            };
            let hash = params
                .hashing_algorithm
                .unwrap_or_else(|| default_hash(curve));
            (scheme, hash)
        }
    };
    if (scheme == Scheme::Ecdsa) != curve.is_some() {
        return Err(invalid(
            "Digital Signature Algorithm",
            "does not match the key",
        ));
    }
    if matches!(
        hash,
        HashingAlgorithm::MD2
            | HashingAlgorithm::MD4
            | HashingAlgorithm::MD5
            | HashingAlgorithm::SHA_1
    ) {
        return Ok(Choice::Legacy(hash));
    }
    // secp256k1 has no JOSE algorithm: ECDSA with its own hash, through the crypto
    // core's curve-hash ECDSA.
    if curve == Some(EcCurve::Secp256k1) {
        return if algorithms::hash(hash)? == EcCurve::Secp256k1.hash() {
            Ok(Choice::CurveEcdsa)
        } else {
            Err(StoreError::NotSupported(format!(
                "ECDSA on secp256k1 with {hash:?}"
            )))
        };
    }
    let algorithm = algorithm(scheme, hash, curve)?;
    if scheme == Scheme::Pss {
        let salt = pss_salt(params, algorithm.hash())?;
        return Ok(Choice::Pss { algorithm, salt });
    }
    Ok(Choice::Algorithm(algorithm))
}

fn default_hash(curve: Option<EcCurve>) -> HashingAlgorithm {
    match curve.map(EcCurve::hash) {
        Some(HashAlgorithm::Sha384) => HashingAlgorithm::SHA_384,
        Some(HashAlgorithm::Sha512) => HashingAlgorithm::SHA_512,
        _ => HashingAlgorithm::SHA_256,
    }
}

/// The scheme and hash a Digital Signature Algorithm names; RSASSA-PSS takes its hash
/// from the Hashing Algorithm (SHA-256 when absent).
fn digital_signature_algorithm(
    dsa: DigitalSignatureAlgorithm,
    hashing: Option<HashingAlgorithm>,
) -> Result<(Scheme, HashingAlgorithm)> {
    Ok(match dsa {
        DigitalSignatureAlgorithm::MD2_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::MD2)
        }
        DigitalSignatureAlgorithm::MD5_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::MD5)
        }
        DigitalSignatureAlgorithm::SHA_1_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::SHA_1)
        }
        DigitalSignatureAlgorithm::SHA_224_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::SHA_224)
        }
        DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::SHA_256)
        }
        DigitalSignatureAlgorithm::SHA_384_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::SHA_384)
        }
        DigitalSignatureAlgorithm::SHA_512_WITH_RSA_ENCRYPTION => {
            (Scheme::Pkcs1v15, HashingAlgorithm::SHA_512)
        }
        DigitalSignatureAlgorithm::RSASSAPSS => {
            (Scheme::Pss, hashing.unwrap_or(HashingAlgorithm::SHA_256))
        }
        DigitalSignatureAlgorithm::ECDSA_WITH_SHA_1 => (Scheme::Ecdsa, HashingAlgorithm::SHA_1),
        DigitalSignatureAlgorithm::ECDSA_WITH_SHA224 => (Scheme::Ecdsa, HashingAlgorithm::SHA_224),
        DigitalSignatureAlgorithm::ECDSA_WITH_SHA256 => (Scheme::Ecdsa, HashingAlgorithm::SHA_256),
        DigitalSignatureAlgorithm::ECDSA_WITH_SHA384 => (Scheme::Ecdsa, HashingAlgorithm::SHA_384),
        DigitalSignatureAlgorithm::ECDSA_WITH_SHA512 => (Scheme::Ecdsa, HashingAlgorithm::SHA_512),
        other => {
            return Err(algorithms::not_supported(
                "Digital Signature Algorithm",
                other,
            ));
        }
    })
}

/// PSS here is MGF1 with the signature's hash; the salt is the Salt Length in bytes, or
/// `None` when absent.
fn pss_salt(params: &CryptographicParameters, hash: HashAlgorithm) -> Result<Option<usize>> {
    if params
        .mask_generator
        .is_some_and(|g| g != MaskGenerator::MGF1)
    {
        return Err(StoreError::NotSupported(
            "PSS with a mask generator other than MGF1".to_owned(),
        ));
    }
    if params
        .mask_generator_hashing_algorithm
        .map(algorithms::hash)
        .transpose()?
        .is_some_and(|h| h != hash)
    {
        return Err(StoreError::NotSupported(
            "PSS with a Mask Generator Hashing Algorithm other than the Hashing Algorithm"
                .to_owned(),
        ));
    }
    let Some(salt) = params.salt_length else {
        return Ok(None);
    };
    let salt = usize::try_from(salt).map_err(|_| invalid("Salt Length", "negative"))?;
    // Read in bytes, as the OASIS test cases use it (CS-AC-M-1-14 asks for 222, the
    // longest a 2048-bit key allows with SHA-256); 8 × the hash's length is the hash's
    // length counted in bits, as KMIP 1.4 §3.6 words it and the REST frontend sends it.
    Ok(Some(if salt == 8 * hash.output_len() {
        hash.output_len()
    } else {
        salt
    }))
}

/// The crypto core's algorithm for a scheme, hash and curve.
fn algorithm(
    scheme: Scheme,
    hash: HashingAlgorithm,
    curve: Option<EcCurve>,
) -> Result<SignatureAlgorithm> {
    let found = match (scheme, hash, curve) {
        (Scheme::Pkcs1v15, HashingAlgorithm::SHA_256, _) => Some(SignatureAlgorithm::Rs256),
        (Scheme::Pkcs1v15, HashingAlgorithm::SHA_384, _) => Some(SignatureAlgorithm::Rs384),
        (Scheme::Pkcs1v15, HashingAlgorithm::SHA_512, _) => Some(SignatureAlgorithm::Rs512),
        (Scheme::Pss, HashingAlgorithm::SHA_256, _) => Some(SignatureAlgorithm::Ps256),
        (Scheme::Pss, HashingAlgorithm::SHA_384, _) => Some(SignatureAlgorithm::Ps384),
        (Scheme::Pss, HashingAlgorithm::SHA_512, _) => Some(SignatureAlgorithm::Ps512),
        (Scheme::Ecdsa, HashingAlgorithm::SHA_256, Some(EcCurve::P256)) => {
            Some(SignatureAlgorithm::Es256)
        }
        (Scheme::Ecdsa, HashingAlgorithm::SHA_384, Some(EcCurve::P384)) => {
            Some(SignatureAlgorithm::Es384)
        }
        (Scheme::Ecdsa, HashingAlgorithm::SHA_512, Some(EcCurve::P521)) => {
            Some(SignatureAlgorithm::Es512)
        }
        _ => None,
    };
    found.ok_or_else(|| match curve {
        Some(curve) => {
            StoreError::NotSupported(format!("ECDSA on {} with {hash:?}", curve.jose_name()))
        }
        None => algorithms::not_supported("RSA signatures with", hash),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::RecommendedCurve;
    use kms_crypto::HashAlgorithm;

    use super::*;
    use crate::material::testing::{ec_pair, rsa_pair, symmetric, usable};

    const DATA: &[u8] = b"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x10\x11\x12\x13\x14\x15\x16";

    fn rsa(
        padding: Option<PaddingMethod>,
        hash: Option<HashingAlgorithm>,
    ) -> CryptographicParameters {
        CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
            padding_method: padding,
            hashing_algorithm: hash,
            ..CryptographicParameters::default()
        }
    }

    fn dsa(algorithm: DigitalSignatureAlgorithm) -> CryptographicParameters {
        CryptographicParameters {
            digital_signature_algorithm: Some(algorithm),
            ..CryptographicParameters::default()
        }
    }

    fn tampered(signature: &[u8]) -> Vec<u8> {
        let mut bad = signature.to_vec();
        if let Some(last) = bad.last_mut() {
            *last ^= 0x01;
        }
        bad
    }

    #[test]
    fn rsa_signatures_verify_and_tampering_is_caught() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        let cases = [
            None,
            Some(rsa(None, None)),
            Some(rsa(
                Some(PaddingMethod::PKCS1_V1_5),
                Some(HashingAlgorithm::SHA_384),
            )),
            // CS-AC-M-1-14 to 3: PSS with SHA-256.
            Some(rsa(
                Some(PaddingMethod::PSS),
                Some(HashingAlgorithm::SHA_256),
            )),
            Some(rsa(
                Some(PaddingMethod::PSS),
                Some(HashingAlgorithm::SHA_512),
            )),
            Some(dsa(DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION)),
            Some(dsa(DigitalSignatureAlgorithm::RSASSAPSS)),
        ];
        for params in &cases {
            let params = params.as_ref();
            let signature = sign(&private, params, DATA, false).unwrap();
            assert_eq!(signature.len(), 256);
            assert!(verify(&public, params, DATA, false, &signature).unwrap());
            assert!(verify(&private, params, DATA, false, &signature).unwrap());
            assert!(!verify(&public, params, DATA, false, &tampered(&signature)).unwrap());
            assert!(!verify(&public, params, b"other data", false, &signature).unwrap());
        }
        // PKCS#1 v1.5 is deterministic: the default is RSASSA-PKCS1-v1_5 with SHA-256.
        let a = sign(&private, None, DATA, false).unwrap();
        let b = sign(
            &private,
            Some(&dsa(DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION)),
            DATA,
            false,
        )
        .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_digest_signs_like_its_data() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        let digest = kms_crypto::hash::digest(HashAlgorithm::Sha256, DATA);
        let from_digest = sign(&private, None, digest.as_bytes(), true).unwrap();
        assert_eq!(from_digest, sign(&private, None, DATA, false).unwrap());
        assert!(verify(&public, None, DATA, false, &from_digest).unwrap());
        assert!(verify(&public, None, digest.as_bytes(), true, &from_digest).unwrap());
        assert!(matches!(
            sign(&private, None, &[0; 20], true),
            Err(StoreError::InvalidField(_))
        ));
    }

    #[test]
    fn ecdsa_signatures_are_der_and_verify() {
        for (curve, explicit) in [
            (
                RecommendedCurve::P_256,
                DigitalSignatureAlgorithm::ECDSA_WITH_SHA256,
            ),
            (
                RecommendedCurve::P_384,
                DigitalSignatureAlgorithm::ECDSA_WITH_SHA384,
            ),
            (
                RecommendedCurve::P_521,
                DigitalSignatureAlgorithm::ECDSA_WITH_SHA512,
            ),
        ] {
            let (private, public) = ec_pair(curve);
            let (private, public) = (usable(&private), usable(&public));
            // TC-ECDSA-SIGN-1-14: Cryptographic Algorithm ECDSA and a Hashing Algorithm.
            let by_hash = CryptographicParameters {
                cryptographic_algorithm: Some(CryptographicAlgorithm::ECDSA),
                ..CryptographicParameters::default()
            };
            for params in [None, Some(by_hash), Some(dsa(explicit))] {
                let signature = sign(&private, params.as_ref(), DATA, false).unwrap();
                assert_eq!(signature.first(), Some(&0x30), "DER SEQUENCE");
                assert!(verify(&public, params.as_ref(), DATA, false, &signature).unwrap());
                assert!(
                    !verify(&public, params.as_ref(), DATA, false, &tampered(&signature)).unwrap()
                );
                assert!(!verify(&public, params.as_ref(), DATA, false, b"not DER").unwrap());
            }
        }
    }

    #[test]
    fn legacy_hashes_never_sign_and_never_verify() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        let signature = sign(
            &private,
            Some(&rsa(Some(PaddingMethod::PSS), None)),
            DATA,
            false,
        )
        .unwrap();
        // CS-AC-M-3-14 verifies a PSS SHA-256 signature as PSS SHA-1 and expects Invalid.
        let sha1 = rsa(Some(PaddingMethod::PSS), Some(HashingAlgorithm::SHA_1));
        assert!(!verify(&public, Some(&sha1), DATA, false, &signature).unwrap());
        assert!(matches!(
            sign(&private, Some(&sha1), DATA, false),
            Err(StoreError::NotSupported(_))
        ));
        let md5 = dsa(DigitalSignatureAlgorithm::MD5_WITH_RSA_ENCRYPTION);
        assert!(!verify(&public, Some(&md5), DATA, false, &signature).unwrap());
        let sha224 = rsa(None, Some(HashingAlgorithm::SHA_224));
        assert!(matches!(
            verify(&public, Some(&sha224), DATA, false, &signature),
            Err(StoreError::NotSupported(_))
        ));
    }

    #[test]
    fn refuses_keys_and_parameters_that_do_not_fit() {
        let (rsa_private, rsa_public) = rsa_pair();
        let (rsa_private, rsa_public) = (usable(&rsa_private), usable(&rsa_public));
        let (ec_private, _) = ec_pair(RecommendedCurve::P_256);
        let ec_private = usable(&ec_private);
        let hmac = usable(&symmetric(&[1; 32], CryptographicAlgorithm::HMACSHA256));
        assert!(matches!(
            sign(&rsa_public, None, DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            sign(&hmac, None, DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            verify(&hmac, None, DATA, false, &[0; 32]),
            Err(StoreError::InvalidField(_))
        ));
        let ecdsa = dsa(DigitalSignatureAlgorithm::ECDSA_WITH_SHA256);
        assert!(matches!(
            sign(&rsa_private, Some(&ecdsa), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        let pkcs1 = dsa(DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION);
        assert!(matches!(
            sign(&ec_private, Some(&pkcs1), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        assert!(matches!(
            sign(&ec_private, Some(&rsa(None, None)), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        let p256_sha384 = dsa(DigitalSignatureAlgorithm::ECDSA_WITH_SHA384);
        assert!(matches!(
            sign(&ec_private, Some(&p256_sha384), DATA, false),
            Err(StoreError::NotSupported(_))
        ));
        let conflicting = CryptographicParameters {
            hashing_algorithm: Some(HashingAlgorithm::SHA_512),
            ..pkcs1.clone()
        };
        assert!(matches!(
            sign(&rsa_private, Some(&conflicting), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        let too_long_salt = CryptographicParameters {
            salt_length: Some(223),
            ..rsa(Some(PaddingMethod::PSS), Some(HashingAlgorithm::SHA_256))
        };
        assert!(matches!(
            sign(&rsa_private, Some(&too_long_salt), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
        let salt_bytes = CryptographicParameters {
            salt_length: Some(32),
            ..rsa(Some(PaddingMethod::PSS), Some(HashingAlgorithm::SHA_256))
        };
        assert!(sign(&rsa_private, Some(&salt_bytes), DATA, false).is_ok());
    }

    #[test]
    fn pss_takes_the_salt_length_asked_and_verifies_any_when_none_is_given() {
        let (private, public) = rsa_pair();
        let (private, public) = (usable(&private), usable(&public));
        let pss = rsa(Some(PaddingMethod::PSS), Some(HashingAlgorithm::SHA_256));
        for salt in [0, 20, 222] {
            let with_salt = CryptographicParameters {
                salt_length: Some(salt),
                ..pss.clone()
            };
            let sig = sign(&private, Some(&with_salt), DATA, false).unwrap();
            assert!(verify(&public, Some(&with_salt), DATA, false, &sig).unwrap());
            assert!(
                verify(&public, Some(&pss), DATA, false, &sig).unwrap(),
                "salt {salt}"
            );
            let other = CryptographicParameters {
                salt_length: Some(32),
                ..pss.clone()
            };
            assert!(!verify(&public, Some(&other), DATA, false, &sig).unwrap());
            assert!(!verify(&public, Some(&pss), b"other data", false, &sig).unwrap());
        }
        // 256 is SHA-256's length in bits: the salt is the hash's length.
        let bits = CryptographicParameters {
            salt_length: Some(256),
            ..pss.clone()
        };
        let sig = sign(&private, Some(&bits), DATA, false).unwrap();
        let bytes = CryptographicParameters {
            salt_length: Some(32),
            ..pss.clone()
        };
        assert!(verify(&public, Some(&bytes), DATA, false, &sig).unwrap());
        let negative = CryptographicParameters {
            salt_length: Some(-1),
            ..pss.clone()
        };
        assert!(matches!(
            sign(&private, Some(&negative), DATA, false),
            Err(StoreError::InvalidField(_))
        ));
    }
}

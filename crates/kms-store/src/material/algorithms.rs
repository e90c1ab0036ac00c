//! KMIP algorithms to crypto-core ones: hashes, HMAC algorithms, curves, RSA-OAEP
//! parameters; and the error messages that name a KMIP field.

use kmip_ttlv::dictionary::KmipEnum;
use kmip_types::{
    CryptographicAlgorithm, CryptographicParameters, HashingAlgorithm, MaskGenerator,
    RecommendedCurve,
};
use kms_crypto::{EcCurve, HashAlgorithm};

use crate::error::{Result, StoreError};

/// The crypto core's hash for a KMIP Hashing Algorithm; MD*, RIPEMD, SHA-3 and the rest
/// are not offered.
pub fn hash(algorithm: HashingAlgorithm) -> Result<HashAlgorithm> {
    Ok(match algorithm {
        HashingAlgorithm::SHA_1 => HashAlgorithm::Sha1,
        HashingAlgorithm::SHA_224 => HashAlgorithm::Sha224,
        HashingAlgorithm::SHA_256 => HashAlgorithm::Sha256,
        HashingAlgorithm::SHA_384 => HashAlgorithm::Sha384,
        HashingAlgorithm::SHA_512 => HashAlgorithm::Sha512,
        HashingAlgorithm::SHA_512_224 => HashAlgorithm::Sha512_224,
        HashingAlgorithm::SHA_512_256 => HashAlgorithm::Sha512_256,
        other => return Err(not_supported("Hashing Algorithm", other)),
    })
}

/// The hash of an HMAC Cryptographic Algorithm, `None` for any other algorithm.
pub(crate) fn hmac_hash(algorithm: CryptographicAlgorithm) -> Option<HashAlgorithm> {
    match algorithm {
        CryptographicAlgorithm::HMACSHA1 => Some(HashAlgorithm::Sha1),
        CryptographicAlgorithm::HMACSHA224 => Some(HashAlgorithm::Sha224),
        CryptographicAlgorithm::HMACSHA256 => Some(HashAlgorithm::Sha256),
        CryptographicAlgorithm::HMACSHA384 => Some(HashAlgorithm::Sha384),
        CryptographicAlgorithm::HMACSHA512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

/// True for the algorithms an EC key may carry: EC (KMIP 1.2), and the KMIP 1.0 ECDSA,
/// ECDH and ECMQV, which name the same keys by their use.
pub(crate) fn is_ec(algorithm: CryptographicAlgorithm) -> bool {
    matches!(
        algorithm,
        CryptographicAlgorithm::EC
            | CryptographicAlgorithm::ECDSA
            | CryptographicAlgorithm::ECDH
            | CryptographicAlgorithm::ECMQV
    )
}

/// The crypto core's curve for a KMIP Recommended Curve: the NIST prime curves P-256,
/// P-384 and P-521, and secp256k1.
pub(crate) fn curve(curve: RecommendedCurve) -> Result<EcCurve> {
    match curve {
        RecommendedCurve::P_256 => Ok(EcCurve::P256),
        RecommendedCurve::P_384 => Ok(EcCurve::P384),
        RecommendedCurve::P_521 => Ok(EcCurve::P521),
        RecommendedCurve::SECP256_K1 => Ok(EcCurve::Secp256k1),
        other => Err(not_supported("Recommended Curve", other)),
    }
}

/// The KMIP Recommended Curve of a crypto-core curve.
pub(crate) fn recommended_curve(curve: EcCurve) -> Result<RecommendedCurve> {
    match curve {
        EcCurve::P256 => Ok(RecommendedCurve::P_256),
        EcCurve::P384 => Ok(RecommendedCurve::P_384),
        EcCurve::P521 => Ok(RecommendedCurve::P_521),
        EcCurve::Secp256k1 => Ok(RecommendedCurve::SECP256_K1),
        other => Err(StoreError::NotSupported(format!("curve {other:?}"))),
    }
}

/// The curve whose size is `bits` (an EC key's Cryptographic Length) when nothing names
/// it: a NIST curve, so 256 bits is P-256 (secp256k1 must be named by its Recommended
/// Curve).
pub(crate) fn curve_of_length(bits: i32) -> Result<EcCurve> {
    u32::try_from(bits)
        .ok()
        .and_then(EcCurve::nist_of_bits)
        .ok_or_else(|| {
            StoreError::NotSupported(format!(
                "EC key of {bits} bits (P-256, P-384 and P-521 are offered)"
            ))
        })
}

/// "`field` `value` not supported", the value by its KMIP name: a value KMIP defines
/// that this server does not offer. A value KMIP does not define at all (an unknown
/// enumeration value the codec passed through) is an invalid field instead.
pub(crate) fn not_supported<T: KmipEnum + core::fmt::Debug>(field: &str, value: T) -> StoreError {
    match value.info() {
        Some(_) => StoreError::NotSupported(format!("{field} {value:?}")),
        None => StoreError::InvalidField(format!("{field} {value:?}: not a KMIP value")),
    }
}

/// "`field`: `reason`" as an invalid field.
pub(crate) fn invalid(field: &str, reason: &str) -> StoreError {
    StoreError::InvalidField(format!("{field}: {reason}"))
}

/// RSA-OAEP under `params` (KMIP 1.4 §3.6).
pub(crate) struct Oaep<'a> {
    /// The Hashing Algorithm, for the label: SHA-1 when absent (RFC 8017 §A.2.1's
    /// default, and what most KMIP clients send).
    pub hash: HashAlgorithm,
    /// The Mask Generator Hashing Algorithm, for MGF1: the Hashing Algorithm's when
    /// absent (CS-AC-M-OAEP-7-14 to -10-14 send a different one).
    pub mgf_hash: HashAlgorithm,
    /// The P Source as the label, empty when absent.
    pub label: &'a [u8],
}

/// The OAEP parameters of `params`; a Mask Generator other than MGF1 is
/// [`StoreError::NotSupported`].
pub(crate) fn oaep(params: &CryptographicParameters) -> Result<Oaep<'_>> {
    let hash_algorithm = params
        .hashing_algorithm
        .map(hash)
        .transpose()?
        .unwrap_or(HashAlgorithm::Sha1);
    if let Some(generator) = params.mask_generator.filter(|g| *g != MaskGenerator::MGF1) {
        return Err(not_supported("Mask Generator", generator));
    }
    let mgf_hash = params
        .mask_generator_hashing_algorithm
        .map(hash)
        .transpose()?
        .unwrap_or(hash_algorithm);
    Ok(Oaep {
        hash: hash_algorithm,
        mgf_hash,
        label: params.p_source.as_deref().unwrap_or_default(),
    })
}

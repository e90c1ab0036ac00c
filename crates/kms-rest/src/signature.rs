//! Signatures as the REST API shows them (docs/kms-rest.md, "Formats"; RFC 7518 §3.1):
//! the KMIP Cryptographic Parameters of each JOSE algorithm, ECDSA as `r‖s` on the wire
//! and DER in the store, and compact JWS/JWT (RFC 7515 §7.1, RFC 7519 §3) built from the
//! store's signature.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwk::jws::CompactJws;
use jwk::{JwsAlgorithm, JwsHeader, TokenPolicy};
use kmip_types::{
    CryptographicAlgorithm, CryptographicParameters, DigitalSignatureAlgorithm, HashingAlgorithm,
    MaskGenerator, PaddingMethod,
};
use kms_crypto::signature::{ecdsa_der_to_raw, ecdsa_raw_to_der};
use kms_crypto::{HashAlgorithm, SignatureAlgorithm};
use kms_store::ObjectId;

use crate::error::ApiError;

/// The largest message (or JWS payload) signed or verified: 4096 bytes, the API's
/// limit (5,464 base64 characters).
pub(crate) const MAX_MESSAGE_LEN: usize = 4096;
/// The longest compact JWS accepted by Verify: a header, a payload of
/// [`MAX_MESSAGE_LEN`] bytes and an RSA-4096 signature fit with room to spare.
const MAX_COMPACT_LEN: usize = 8 * 1024;

/// The KMIP Cryptographic Parameters of a JOSE algorithm: the Digital Signature
/// Algorithm and its hash, PKCS#1 v1.5 or PSS (MGF1 with the same hash, a salt as long
/// as the hash) for RSA. The store refuses an algorithm that does not fit the key:
/// ECDSA on another curve, RSA with an EC key, and the reverse.
pub(crate) fn parameters(alg: SignatureAlgorithm) -> CryptographicParameters {
    let hash = hashing_algorithm(alg.hash());
    let base = CryptographicParameters {
        hashing_algorithm: Some(hash),
        ..CryptographicParameters::default()
    };
    match alg {
        SignatureAlgorithm::Es256 | SignatureAlgorithm::Es384 | SignatureAlgorithm::Es512 => {
            CryptographicParameters {
                cryptographic_algorithm: Some(CryptographicAlgorithm::EC),
                digital_signature_algorithm: Some(match alg {
                    SignatureAlgorithm::Es384 => DigitalSignatureAlgorithm::ECDSA_WITH_SHA384,
                    SignatureAlgorithm::Es512 => DigitalSignatureAlgorithm::ECDSA_WITH_SHA512,
                    _ => DigitalSignatureAlgorithm::ECDSA_WITH_SHA256,
                }),
                ..base
            }
        }
        SignatureAlgorithm::Ps256 | SignatureAlgorithm::Ps384 | SignatureAlgorithm::Ps512 => {
            let salt_bits = i32::try_from(alg.hash().output_len() * 8).unwrap_or(i32::MAX);
            CryptographicParameters {
                cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
                digital_signature_algorithm: Some(DigitalSignatureAlgorithm::RSASSAPSS),
                padding_method: Some(PaddingMethod::PSS),
                mask_generator: Some(MaskGenerator::MGF1),
                mask_generator_hashing_algorithm: Some(hash),
                // KMIP 1.4 §3.6 counts the Salt Length in bits.
                salt_length: Some(salt_bits),
                ..base
            }
        }
        _ => CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
            digital_signature_algorithm: Some(match alg {
                SignatureAlgorithm::Rs384 => DigitalSignatureAlgorithm::SHA_384_WITH_RSA_ENCRYPTION,
                SignatureAlgorithm::Rs512 => DigitalSignatureAlgorithm::SHA_512_WITH_RSA_ENCRYPTION,
                _ => DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION,
            }),
            padding_method: Some(PaddingMethod::PKCS1_V1_5),
            ..base
        },
    }
}

fn hashing_algorithm(hash: HashAlgorithm) -> HashingAlgorithm {
    match hash {
        HashAlgorithm::Sha384 => HashingAlgorithm::SHA_384,
        HashAlgorithm::Sha512 => HashingAlgorithm::SHA_512,
        _ => HashingAlgorithm::SHA_256,
    }
}

/// A digest given with `isdigest` must be as long as the algorithm's hash.
pub(crate) fn check_digest(alg: SignatureAlgorithm, digest: &[u8]) -> Result<(), ApiError> {
    let expected = alg.hash().output_len();
    if digest.len() == expected {
        Ok(())
    } else {
        Err(ApiError::bad_argument(format!(
            "message: {alg} with isdigest takes a {expected}-byte digest"
        )))
    }
}

/// The wire form of the store's signature: ECDSA DER as `r‖s` (RFC 7518 §3.4), RSA
/// unchanged.
pub(crate) fn to_wire(alg: SignatureAlgorithm, signature: Vec<u8>) -> Result<Vec<u8>, ApiError> {
    match alg.curve() {
        Some(curve) => ecdsa_der_to_raw(curve, &signature).map_err(|_| ApiError::internal()),
        None => Ok(signature),
    }
}

/// The store's form of a wire signature: ECDSA `r‖s` as DER. A raw ECDSA signature of
/// the wrong length or out of range becomes an empty one, which verifies as false while
/// the store still checks the algorithm against the key (a wrong algorithm is an error,
/// not a false).
pub(crate) fn from_wire(alg: SignatureAlgorithm, signature: &[u8]) -> Vec<u8> {
    match alg.curve() {
        Some(curve) => ecdsa_raw_to_der(curve, signature).unwrap_or_default(),
        None => signature.to_vec(),
    }
}

/// The algorithm named by the API and by JOSE: the same nine names.
pub(crate) fn algorithm(name: &str) -> Result<SignatureAlgorithm, ApiError> {
    name.parse()
        .map_err(|_| ApiError::bad_request("alg: not a supported signature algorithm"))
}

fn jose(alg: SignatureAlgorithm) -> Result<JwsAlgorithm, ApiError> {
    JwsAlgorithm::from_name(alg.jose_name()).ok_or_else(ApiError::internal)
}

/// The JWS signing input `BASE64URL(header) "." BASE64URL(payload)` for service key
/// `kid`: header `{"alg":…,"kid":…}`, with `"typ":"JWT"` for a JWT.
pub(crate) fn signing_input(
    alg: SignatureAlgorithm,
    kid: &ObjectId,
    jwt: bool,
    payload: &[u8],
) -> Result<String, ApiError> {
    let mut builder = JwsHeader::builder(jose(alg)?).kid(kid.as_str());
    if jwt {
        builder = builder.typ("JWT");
    }
    let header = builder.build().map_err(|_| ApiError::internal())?;
    let mut input = header.encoded().to_owned();
    input.push('.');
    URL_SAFE_NO_PAD.encode_string(payload, &mut input);
    Ok(input)
}

/// The compact JWS: the signing input, `"."`, the base64url wire signature.
pub(crate) fn compact(mut signing_input: String, signature: &[u8]) -> String {
    signing_input.push('.');
    URL_SAFE_NO_PAD.encode_string(signature, &mut signing_input);
    signing_input
}

/// A compact JWS (or JWT) given to Verify.
#[derive(Debug)]
pub(crate) struct Compact {
    /// The header's `alg`.
    pub(crate) alg: SignatureAlgorithm,
    /// The header part (base64url text), as signed.
    pub(crate) header: String,
    /// The payload part (base64url text), empty for detached content.
    pub(crate) payload: String,
    /// The signature octets (ECDSA `r‖s`).
    pub(crate) signature: Vec<u8>,
}

impl Compact {
    /// Parses a compact JWS: three parts, a valid protected header whose `alg` is one of
    /// the nine (HMAC and `none` are refused; critical members are not understood),
    /// canonical base64url. Malformed tokens are a 400, not a `false`.
    pub(crate) fn parse(token: &str) -> Result<Compact, ApiError> {
        let policy = TokenPolicy::new().max_len(MAX_COMPACT_LEN);
        let jws = CompactJws::parse(token, &policy)
            .map_err(|_| ApiError::bad_request("signature: not a compact JWS"))?;
        let alg = algorithm(jws.header().alg().name())?;
        let mut parts = token.split('.');
        let (Some(header), Some(payload)) = (parts.next(), parts.next()) else {
            return Err(ApiError::bad_request("signature: not a compact JWS"));
        };
        if jws.unverified_payload().len() > MAX_MESSAGE_LEN {
            return Err(ApiError::bad_request("signature: payload over 4096 bytes"));
        }
        Ok(Compact {
            alg,
            header: header.to_owned(),
            payload: payload.to_owned(),
            signature: jws.signature().to_vec(),
        })
    }

    /// The signing input over `payload` (base64url text).
    pub(crate) fn signing_input(&self, payload: &str) -> String {
        format!("{}.{payload}", self.header)
    }
}

/// The base64url text of `bytes`.
pub(crate) fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn pss_uses_the_hash_everywhere_and_a_salt_of_its_length() {
        let p = parameters(SignatureAlgorithm::Ps384);
        assert_eq!(p.hashing_algorithm, Some(HashingAlgorithm::SHA_384));
        assert_eq!(
            p.mask_generator_hashing_algorithm,
            Some(HashingAlgorithm::SHA_384)
        );
        assert_eq!(p.salt_length, Some(384));
        assert_eq!(p.padding_method, Some(PaddingMethod::PSS));
    }

    #[test]
    fn digest_length_is_the_hash_length() {
        assert!(check_digest(SignatureAlgorithm::Es512, &[0; 64]).is_ok());
        assert!(check_digest(SignatureAlgorithm::Es512, &[0; 32]).is_err());
    }

    #[test]
    fn malformed_raw_ecdsa_becomes_an_empty_der() {
        assert!(from_wire(SignatureAlgorithm::Es256, &[1; 63]).is_empty());
        assert_eq!(from_wire(SignatureAlgorithm::Rs256, &[1; 3]), vec![1; 3]);
    }

    #[test]
    fn compact_parsing_refuses_hmac_none_and_garbage() {
        let hs = format!("{}.e30.AAAA", base64url(br#"{"alg":"HS256"}"#));
        assert!(Compact::parse(&hs).is_err());
        let none = format!("{}.e30.", base64url(br#"{"alg":"none"}"#));
        assert!(Compact::parse(&none).is_err());
        assert!(Compact::parse("a.b").is_err());
        let es = format!("{}.e30.AAAA", base64url(br#"{"alg":"ES256","kid":"k"}"#));
        let c = Compact::parse(&es).unwrap();
        assert_eq!(c.alg, SignatureAlgorithm::Es256);
        assert_eq!(c.payload, "e30");
        assert_eq!(c.signature, vec![0, 0, 0]);
    }
}

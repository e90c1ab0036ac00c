//! Signature algorithms (RFC 7518 §3.1), what is signed, and the two encodings of an
//! ECDSA signature.
//!
//! Signing and verifying are methods of [`PrivateKey`](crate::PrivateKey) and
//! [`PublicKey`](crate::PublicKey). A verification that fails for any reason — wrong
//! signature, malformed encoding, wrong length — is the one opaque
//! [`CryptoError::Failed`]; asking for an algorithm the key cannot do (ES256 with an RSA
//! key or a P-384 key) is [`CryptoError::Invalid`], because that is the caller's mistake,
//! not the signature's.

use core::fmt;
use core::str::FromStr;

use crate::ec::{self, EcCurve};
use crate::hash::HashAlgorithm;
use crate::{CryptoError, Result};

/// A signature algorithm, named as in JOSE (RFC 7518 §3.1) and the OVHcloud API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignatureAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256, MGF1 with SHA-256 and a 32-byte salt (RFC 8017 §8.1).
    Ps256,
    /// RSASSA-PSS with SHA-384, MGF1 with SHA-384 and a 48-byte salt.
    Ps384,
    /// RSASSA-PSS with SHA-512, MGF1 with SHA-512 and a 64-byte salt.
    Ps512,
    /// ECDSA on P-256 with SHA-256 (FIPS 186-5 §6).
    Es256,
    /// ECDSA on P-384 with SHA-384.
    Es384,
    /// ECDSA on P-521 with SHA-512.
    Es512,
}

/// The family of a [`SignatureAlgorithm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Scheme {
    Pkcs1v15,
    Pss,
    Ecdsa(EcCurve),
}

impl SignatureAlgorithm {
    /// Every algorithm, in a fixed order.
    pub const ALL: [SignatureAlgorithm; 9] = [
        SignatureAlgorithm::Rs256,
        SignatureAlgorithm::Rs384,
        SignatureAlgorithm::Rs512,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::Ps384,
        SignatureAlgorithm::Ps512,
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Es512,
    ];

    /// The JOSE `alg` name: `"RS256"`, `"PS384"`, `"ES512"`, ...
    pub const fn jose_name(self) -> &'static str {
        match self {
            SignatureAlgorithm::Rs256 => "RS256",
            SignatureAlgorithm::Rs384 => "RS384",
            SignatureAlgorithm::Rs512 => "RS512",
            SignatureAlgorithm::Ps256 => "PS256",
            SignatureAlgorithm::Ps384 => "PS384",
            SignatureAlgorithm::Ps512 => "PS512",
            SignatureAlgorithm::Es256 => "ES256",
            SignatureAlgorithm::Es384 => "ES384",
            SignatureAlgorithm::Es512 => "ES512",
        }
    }

    /// The hash applied to the message (and, for PSS, in MGF1).
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            SignatureAlgorithm::Rs256 | SignatureAlgorithm::Ps256 | SignatureAlgorithm::Es256 => {
                HashAlgorithm::Sha256
            }
            SignatureAlgorithm::Rs384 | SignatureAlgorithm::Ps384 | SignatureAlgorithm::Es384 => {
                HashAlgorithm::Sha384
            }
            SignatureAlgorithm::Rs512 | SignatureAlgorithm::Ps512 | SignatureAlgorithm::Es512 => {
                HashAlgorithm::Sha512
            }
        }
    }

    /// The curve an ECDSA algorithm is bound to; `None` for the RSA algorithms.
    pub const fn curve(self) -> Option<EcCurve> {
        match self.scheme() {
            Scheme::Ecdsa(curve) => Some(curve),
            Scheme::Pkcs1v15 | Scheme::Pss => None,
        }
    }

    /// True for the RSA algorithms (RS* and PS*).
    pub const fn is_rsa(self) -> bool {
        matches!(self.scheme(), Scheme::Pkcs1v15 | Scheme::Pss)
    }

    pub(crate) const fn scheme(self) -> Scheme {
        match self {
            SignatureAlgorithm::Rs256 | SignatureAlgorithm::Rs384 | SignatureAlgorithm::Rs512 => {
                Scheme::Pkcs1v15
            }
            SignatureAlgorithm::Ps256 | SignatureAlgorithm::Ps384 | SignatureAlgorithm::Ps512 => {
                Scheme::Pss
            }
            SignatureAlgorithm::Es256 => Scheme::Ecdsa(EcCurve::P256),
            SignatureAlgorithm::Es384 => Scheme::Ecdsa(EcCurve::P384),
            SignatureAlgorithm::Es512 => Scheme::Ecdsa(EcCurve::P521),
        }
    }

    /// Checks that a precomputed digest has this algorithm's hash length.
    pub(crate) fn check_message(self, message: Message<'_>) -> Result<()> {
        match message {
            Message::Digest(d) if d.len() != self.hash().output_len() => {
                Err(CryptoError::Invalid {
                    what: "digest",
                    reason: "length differs from the algorithm's hash output",
                })
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.jose_name())
    }
}

impl FromStr for SignatureAlgorithm {
    type Err = CryptoError;

    /// Parses a JOSE `alg` name (case-sensitive, as JOSE is).
    fn from_str(name: &str) -> Result<Self> {
        SignatureAlgorithm::ALL
            .into_iter()
            .find(|a| a.jose_name() == name)
            .ok_or(CryptoError::Unsupported("signature algorithm"))
    }
}

/// What is signed or verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// The message itself; it is hashed with the algorithm's hash.
    Data(&'a [u8]),
    /// The hash of the message, computed by the caller with the algorithm's hash (the
    /// OVHcloud API's `isdigest`). Its length must be that hash's output length.
    Digest(&'a [u8]),
}

/// How a signature is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignatureFormat {
    /// For ECDSA, `r‖s` with each half the curve's scalar length: IEEE P1363, JOSE
    /// (RFC 7518 §3.4), the OVHcloud API. For RSA, the signature octets.
    #[default]
    Raw,
    /// For ECDSA, the DER `Ecdsa-Sig-Value` of X.509 (RFC 3279 §2.2.3) and KMIP. RSA
    /// signatures have a single encoding, so for RSA this is the same as `Raw`.
    Der,
}

/// Converts a raw `r‖s` ECDSA signature into DER.
///
/// Fails with [`CryptoError::Invalid`] if `raw` is not two scalars of the curve's length,
/// or either is zero or not below the group order.
pub fn ecdsa_raw_to_der(curve: EcCurve, raw: &[u8]) -> Result<Vec<u8>> {
    ec::raw_to_der(curve, raw)
}

/// Converts a DER ECDSA signature into raw `r‖s` (each half left-padded to the curve's
/// scalar length).
///
/// The parser is strict DER: BER lengths, superfluous or missing leading zeros, trailing
/// bytes, and values of zero or above the group order are all [`CryptoError::Invalid`].
pub fn ecdsa_der_to_raw(curve: EcCurve, der: &[u8]) -> Result<Vec<u8>> {
    ec::der_to_raw(curve, der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecdsa_algorithms_are_bound_to_one_curve() {
        assert_eq!(SignatureAlgorithm::Es256.curve(), Some(EcCurve::P256));
        assert_eq!(SignatureAlgorithm::Es384.curve(), Some(EcCurve::P384));
        assert_eq!(SignatureAlgorithm::Es512.curve(), Some(EcCurve::P521));
        for alg in SignatureAlgorithm::ALL {
            assert_eq!(alg.is_rsa(), alg.curve().is_none());
        }
    }

    #[test]
    fn digests_must_have_the_hash_length() {
        let alg = SignatureAlgorithm::Ps384;
        assert!(alg.check_message(Message::Digest(&[0; 48])).is_ok());
        assert!(alg.check_message(Message::Digest(&[0; 32])).is_err());
        assert!(alg.check_message(Message::Data(&[0; 3])).is_ok());
    }
}

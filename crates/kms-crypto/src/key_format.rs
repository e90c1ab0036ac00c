//! Encodings of asymmetric keys, in and out: PKCS#8, PKCS#1, SEC 1, SubjectPublicKeyInfo
//! (DER or PEM), raw EC scalars and points, and the RSA components of the KMIP
//! transparent key structures.
//!
//! Every import validates (see [`rsa`](crate::rsa) for the RSA policy; EC scalars must be
//! in `[1, n−1]` and points on the curve), and an algorithm inside an encoding that the
//! caller did not expect (an EC key in PKCS#1, a P-384 point given as P-256) is refused.

use ::pkcs8::ObjectIdentifier;
use ::pkcs8::der::Decode as _;
use ::pkcs8::der::pem::{self, LineEnding};
use zeroize::Zeroizing;

use crate::ec::{self, EC_PUBLIC_KEY_OID, EcCurve, EcPrivate, EcPublic};
use crate::keys::{PrivateInner, PrivateKey, PublicInner, PublicKey};
use crate::rsa::{RsaPrivate, RsaPrivateComponents, RsaPublic, RsaPublicComponents};
use crate::{CryptoError, Result, Secret};

/// The rsaEncryption algorithm identifier (RFC 8017 §A.1).
const RSA_ENCRYPTION_OID: ObjectIdentifier = ::pkcs1::ALGORITHM_OID;

/// DER encodings of a private key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrivateKeyFormat {
    /// PKCS#8 `PrivateKeyInfo` (RFC 5208), RSA or EC; PEM label `PRIVATE KEY`.
    Pkcs8,
    /// PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2), RSA only; PEM label `RSA PRIVATE KEY`.
    Pkcs1,
    /// SEC 1 `ECPrivateKey` (RFC 5915) naming its curve, EC only; PEM label
    /// `EC PRIVATE KEY`.
    Sec1,
}

impl PrivateKeyFormat {
    fn pem_label(self) -> &'static str {
        match self {
            PrivateKeyFormat::Pkcs8 => "PRIVATE KEY",
            PrivateKeyFormat::Pkcs1 => "RSA PRIVATE KEY",
            PrivateKeyFormat::Sec1 => "EC PRIVATE KEY",
        }
    }
}

/// DER encodings of a public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicKeyFormat {
    /// X.509 `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), RSA or EC; PEM label `PUBLIC KEY`.
    Spki,
    /// PKCS#1 `RSAPublicKey` (RFC 8017 §A.1.1), RSA only; PEM label `RSA PUBLIC KEY`.
    Pkcs1,
}

impl PublicKeyFormat {
    fn pem_label(self) -> &'static str {
        match self {
            PublicKeyFormat::Spki => "PUBLIC KEY",
            PublicKeyFormat::Pkcs1 => "RSA PUBLIC KEY",
        }
    }
}

fn wrong_type(reason: &'static str) -> CryptoError {
    CryptoError::Invalid {
        what: "key",
        reason,
    }
}

/// An RSA algorithm identifier's parameters must be NULL (RFC 8017 §A.1); some encoders
/// omit them, which is tolerated.
fn check_rsa_parameters(algorithm: &::spki::AlgorithmIdentifierRef<'_>) -> Result<()> {
    match &algorithm.parameters {
        None => Ok(()),
        Some(p) if p.is_null() => Ok(()),
        Some(_) => Err(CryptoError::Encoding("RSA algorithm parameters")),
    }
}

impl PrivateKey {
    /// Imports a DER private key in `format`.
    pub fn from_der(format: PrivateKeyFormat, der: &[u8]) -> Result<PrivateKey> {
        Ok(PrivateKey(match format {
            PrivateKeyFormat::Pkcs8 => {
                let info = ::pkcs8::PrivateKeyInfoRef::from_der(der)
                    .map_err(|_| CryptoError::Encoding("PKCS#8"))?;
                match info.algorithm.oid {
                    RSA_ENCRYPTION_OID => {
                        check_rsa_parameters(&info.algorithm)?;
                        PrivateInner::Rsa(Box::new(RsaPrivate::from_pkcs1_der(
                            info.private_key.as_bytes(),
                        )?))
                    }
                    EC_PUBLIC_KEY_OID => {
                        let curve = ec::curve_of_algorithm(&info.algorithm)?;
                        PrivateInner::Ec(Box::new(EcPrivate::from_pkcs8_der(curve, der)?))
                    }
                    _ => return Err(CryptoError::Unsupported("PKCS#8 key algorithm")),
                }
            }
            PrivateKeyFormat::Pkcs1 => {
                PrivateInner::Rsa(Box::new(RsaPrivate::from_pkcs1_der(der)?))
            }
            PrivateKeyFormat::Sec1 => PrivateInner::Ec(Box::new(EcPrivate::from_sec1_der(der)?)),
        }))
    }

    /// Exports the key as DER in `format`; PKCS#1 of an EC key or SEC 1 of an RSA key is
    /// [`CryptoError::Invalid`].
    pub fn to_der(&self, format: PrivateKeyFormat) -> Result<Secret> {
        match (&self.0, format) {
            (PrivateInner::Rsa(k), PrivateKeyFormat::Pkcs8) => k.to_pkcs8_der(),
            (PrivateInner::Rsa(k), PrivateKeyFormat::Pkcs1) => k.to_pkcs1_der(),
            (PrivateInner::Ec(k), PrivateKeyFormat::Pkcs8) => k.to_pkcs8_der(),
            (PrivateInner::Ec(k), PrivateKeyFormat::Sec1) => k.to_sec1_der(),
            (PrivateInner::Rsa(_), PrivateKeyFormat::Sec1) => {
                Err(wrong_type("SEC 1 holds EC keys only"))
            }
            (PrivateInner::Ec(_), PrivateKeyFormat::Pkcs1) => {
                Err(wrong_type("PKCS#1 holds RSA keys only"))
            }
        }
    }

    /// Imports a PEM private key; the label says the format (`PRIVATE KEY`,
    /// `RSA PRIVATE KEY`, `EC PRIVATE KEY`). Encrypted PKCS#8 is not supported.
    pub fn from_pem(text: &str) -> Result<PrivateKey> {
        let (label, der) =
            pem::decode_vec(text.as_bytes()).map_err(|_| CryptoError::Encoding("PEM"))?;
        let der = Zeroizing::new(der);
        let format = [
            PrivateKeyFormat::Pkcs8,
            PrivateKeyFormat::Pkcs1,
            PrivateKeyFormat::Sec1,
        ]
        .into_iter()
        .find(|f| f.pem_label() == label)
        .ok_or(CryptoError::Unsupported("PEM label for a private key"))?;
        PrivateKey::from_der(format, &der)
    }

    /// Exports the key as PEM in `format` (LF line endings).
    pub fn to_pem(&self, format: PrivateKeyFormat) -> Result<Zeroizing<String>> {
        let der = self.to_der(format)?;
        pem::encode_string(format.pem_label(), LineEnding::LF, der.expose())
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Encoding("PEM"))
    }

    /// Imports an EC private key from its big-endian scalar (KMIP Transparent EC Private
    /// Key, JWK `d`). A scalar shorter than the curve's length is left-padded: big-integer
    /// encoders drop leading zeros.
    pub fn from_ec_scalar(curve: EcCurve, scalar: &[u8]) -> Result<PrivateKey> {
        Ok(PrivateKey(PrivateInner::Ec(Box::new(
            EcPrivate::from_scalar(curve, scalar)?,
        ))))
    }

    /// The big-endian private scalar of an EC key, `curve.scalar_len()` bytes.
    pub fn ec_scalar(&self) -> Result<Secret> {
        match &self.0 {
            PrivateInner::Ec(k) => Ok(k.scalar()),
            PrivateInner::Rsa(_) => Err(wrong_type("not an EC key")),
        }
    }

    /// Imports an RSA private key from its components (see [`RsaPrivateComponents`]).
    pub fn from_rsa_components(components: &RsaPrivateComponents) -> Result<PrivateKey> {
        Ok(PrivateKey(PrivateInner::Rsa(Box::new(
            RsaPrivate::from_components(components)?,
        ))))
    }

    /// The components of an RSA key, all present.
    pub fn rsa_components(&self) -> Result<RsaPrivateComponents> {
        match &self.0 {
            PrivateInner::Rsa(k) => k.components(),
            PrivateInner::Ec(_) => Err(wrong_type("not an RSA key")),
        }
    }
}

impl PublicKey {
    /// Imports a DER public key in `format` (strict RSA policy: 2048 bits and more).
    pub fn from_der(format: PublicKeyFormat, der: &[u8]) -> Result<PublicKey> {
        PublicKey::import_der(format, der, false)
    }

    /// Like [`from_der`](PublicKey::from_der), but also admits RSA keys of 1024 to 2047
    /// bits, which can then only verify signatures (legacy data; KMIP clients that still
    /// register such keys). Gate it behind an explicit legacy setting.
    pub fn from_legacy_rsa_der(format: PublicKeyFormat, der: &[u8]) -> Result<PublicKey> {
        PublicKey::import_der(format, der, true)
    }

    fn import_der(format: PublicKeyFormat, der: &[u8], legacy: bool) -> Result<PublicKey> {
        Ok(PublicKey(match format {
            PublicKeyFormat::Spki => {
                let spki = ::spki::SubjectPublicKeyInfoRef::from_der(der)
                    .map_err(|_| CryptoError::Encoding("SubjectPublicKeyInfo"))?;
                let key = spki
                    .subject_public_key
                    .as_bytes()
                    .ok_or(CryptoError::Encoding("SubjectPublicKeyInfo"))?;
                match spki.algorithm.oid {
                    RSA_ENCRYPTION_OID => {
                        check_rsa_parameters(&spki.algorithm)?;
                        PublicInner::Rsa(Box::new(RsaPublic::from_pkcs1_der(key, legacy)?))
                    }
                    EC_PUBLIC_KEY_OID => {
                        let curve = ec::curve_of_algorithm(&spki.algorithm)?;
                        PublicInner::Ec(EcPublic::from_point(curve, key)?)
                    }
                    _ => return Err(CryptoError::Unsupported("public key algorithm")),
                }
            }
            PublicKeyFormat::Pkcs1 => {
                PublicInner::Rsa(Box::new(RsaPublic::from_pkcs1_der(der, legacy)?))
            }
        }))
    }

    /// Exports the key as DER in `format`; PKCS#1 of an EC key is
    /// [`CryptoError::Invalid`].
    pub fn to_der(&self, format: PublicKeyFormat) -> Result<Vec<u8>> {
        match (&self.0, format) {
            (PublicInner::Rsa(k), PublicKeyFormat::Spki) => k.to_spki_der(),
            (PublicInner::Rsa(k), PublicKeyFormat::Pkcs1) => k.to_pkcs1_der(),
            (PublicInner::Ec(k), PublicKeyFormat::Spki) => k.to_spki_der(),
            (PublicInner::Ec(_), PublicKeyFormat::Pkcs1) => {
                Err(wrong_type("PKCS#1 holds RSA keys only"))
            }
        }
    }

    /// Imports a PEM public key; the label says the format (`PUBLIC KEY`,
    /// `RSA PUBLIC KEY`).
    pub fn from_pem(text: &str) -> Result<PublicKey> {
        let (label, der) =
            pem::decode_vec(text.as_bytes()).map_err(|_| CryptoError::Encoding("PEM"))?;
        let format = [PublicKeyFormat::Spki, PublicKeyFormat::Pkcs1]
            .into_iter()
            .find(|f| f.pem_label() == label)
            .ok_or(CryptoError::Unsupported("PEM label for a public key"))?;
        PublicKey::from_der(format, &der)
    }

    /// Exports the key as PEM in `format` (LF line endings).
    pub fn to_pem(&self, format: PublicKeyFormat) -> Result<String> {
        let der = self.to_der(format)?;
        pem::encode_string(format.pem_label(), LineEnding::LF, &der)
            .map_err(|_| CryptoError::Encoding("PEM"))
    }

    /// Imports an EC public key from a SEC 1 point (uncompressed or compressed; KMIP
    /// Transparent EC Public Key `Q`), checked to be on `curve`.
    pub fn from_ec_point(curve: EcCurve, point: &[u8]) -> Result<PublicKey> {
        Ok(PublicKey(PublicInner::Ec(EcPublic::from_point(
            curve, point,
        )?)))
    }

    /// Imports an RSA public key from `n` and `e` (strict policy).
    pub fn from_rsa_components(components: &RsaPublicComponents) -> Result<PublicKey> {
        Ok(PublicKey(PublicInner::Rsa(Box::new(
            RsaPublic::from_components(components, false)?,
        ))))
    }

    /// The `n` and `e` of an RSA key.
    pub fn rsa_components(&self) -> Result<RsaPublicComponents> {
        match &self.0 {
            PublicInner::Rsa(k) => Ok(k.components()),
            PublicInner::Ec(_) => Err(wrong_type("not an RSA key")),
        }
    }
}

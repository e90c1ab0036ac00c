//! Elliptic-curve keys on the NIST prime curves P-256, P-384 and P-521 (FIPS 186-5 §6,
//! SEC 2 §2.4) and on secp256k1 (SEC 2 §2.4.1).
//!
//! ring generates P-256 and P-384 keys and signs and verifies messages on them; it has no
//! P-521 and no secp256k1, and it cannot sign a digest computed elsewhere, so
//! `p256`/`p384`/`p521`/`k256` do those. The private scalar is held in a `SecretKey`
//! (P-256, P-384) or `SigningKey` (P-521, secp256k1) of those crates, which wipe it on
//! drop; ring's key pair (kept so that signing does not re-parse the key) has no such
//! wipe.
//!
//! A P-256 or P-384 key keeps the public key ring computed rather than a RustCrypto
//! `SigningKey`, which would compute it again (a second scalar multiplication, in slower
//! arithmetic than ring's): a digest is signed from the scalar with the same RFC 6979
//! function `SigningKey` calls.

use ::pkcs8::der::Decode as _;
use ::pkcs8::{
    DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, ObjectIdentifier,
};
use ecdsa::hazmat::sign_prehashed_rfc6979;
use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, EcdsaKeyPair};
use zeroize::Zeroizing;

use crate::hash::HashAlgorithm;
use crate::signature::{Message, SignatureFormat};
use crate::{CryptoError, Result, Secret};

/// A NIST prime curve, or secp256k1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EcCurve {
    /// P-256 (secp256r1, prime256v1).
    P256,
    /// P-384 (secp384r1).
    P384,
    /// P-521 (secp521r1).
    P521,
    /// secp256k1 (SEC 2 §2.4.1), the Koblitz curve of Bitcoin. Not a NIST curve, and
    /// not offered by JOSE signatures or the OVHcloud API: its keys have no JWK here.
    Secp256k1,
}

impl EcCurve {
    /// Every curve, in a fixed order.
    pub const ALL: [EcCurve; 4] = [
        EcCurve::P256,
        EcCurve::P384,
        EcCurve::P521,
        EcCurve::Secp256k1,
    ];

    /// The NIST curves, the ones JOSE signatures (ES256, ES384, ES512) and the OVHcloud
    /// API name. A curve known only by its size is one of these: 256 bits means P-256,
    /// never secp256k1.
    pub const NIST: [EcCurve; 3] = [EcCurve::P256, EcCurve::P384, EcCurve::P521];

    /// The curve's name in JOSE (RFC 7518 §6.2.1.1, RFC 8812 §3.1) and, for the NIST
    /// curves, the OVHcloud API: `"P-256"`, ..., `"secp256k1"`.
    pub const fn jose_name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
            EcCurve::Secp256k1 => "secp256k1",
        }
    }

    /// The curve of a key known only by its size in bits: a NIST curve (see
    /// [`EcCurve::NIST`]), as a size never names secp256k1.
    pub fn nist_of_bits(bits: u32) -> Option<EcCurve> {
        EcCurve::NIST.into_iter().find(|c| c.bits() == bits)
    }

    /// The curve with that JOSE name.
    pub fn from_jose_name(name: &str) -> Option<EcCurve> {
        EcCurve::ALL.into_iter().find(|c| c.jose_name() == name)
    }

    /// Size of the field and of the group order in bits (the KMIP Cryptographic Length of
    /// an EC key).
    pub const fn bits(self) -> u32 {
        match self {
            EcCurve::P256 => 256,
            EcCurve::P384 => 384,
            EcCurve::P521 => 521,
            EcCurve::Secp256k1 => 256,
        }
    }

    /// The hash ECDSA pairs with the curve: SHA-256 on P-256 and secp256k1 (as ES256 and
    /// ES256K, RFC 8812 §3.2), SHA-384 on P-384, SHA-512 on P-521.
    pub const fn hash(self) -> HashAlgorithm {
        match self {
            EcCurve::P256 | EcCurve::Secp256k1 => HashAlgorithm::Sha256,
            EcCurve::P384 => HashAlgorithm::Sha384,
            EcCurve::P521 => HashAlgorithm::Sha512,
        }
    }

    /// Length in bytes of a private scalar, of a coordinate and of each half of a raw
    /// `r‖s` signature.
    pub const fn scalar_len(self) -> usize {
        match self {
            EcCurve::P256 => 32,
            EcCurve::P384 => 48,
            EcCurve::P521 => 66,
            EcCurve::Secp256k1 => 32,
        }
    }

    /// The named-curve object identifier (RFC 5480 §2.1.1.1).
    pub(crate) fn oid(self) -> ObjectIdentifier {
        match self {
            EcCurve::P256 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
            EcCurve::P384 => ObjectIdentifier::new_unwrap("1.3.132.0.34"),
            EcCurve::P521 => ObjectIdentifier::new_unwrap("1.3.132.0.35"),
            EcCurve::Secp256k1 => ObjectIdentifier::new_unwrap("1.3.132.0.10"),
        }
    }

    /// The curve named by `oid`.
    pub(crate) fn from_oid(oid: ObjectIdentifier) -> Result<EcCurve> {
        EcCurve::ALL
            .into_iter()
            .find(|c| c.oid() == oid)
            .ok_or(CryptoError::Unsupported("elliptic curve"))
    }
}

/// How an EC public point is encoded (SEC 1 v2 §2.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PointFormat {
    /// `04 ‖ x ‖ y`.
    Uncompressed,
    /// `02`/`03 ‖ x`.
    Compressed,
}

/// The id-ecPublicKey algorithm identifier (RFC 5480 §2.1.1).
pub(crate) const EC_PUBLIC_KEY_OID: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// An EC private key, with the ring key pair used for signing messages.
pub(crate) enum EcPrivate {
    P256 {
        secret: p256::SecretKey,
        public: p256::ecdsa::VerifyingKey,
        ring: EcdsaKeyPair,
    },
    P384 {
        secret: p384::SecretKey,
        public: p384::ecdsa::VerifyingKey,
        ring: EcdsaKeyPair,
    },
    P521 {
        key: p521::ecdsa::SigningKey,
    },
    Secp256k1 {
        key: k256::ecdsa::SigningKey,
    },
}

/// An EC public key: a point checked to be on the curve and not the identity.
#[derive(Clone)]
pub(crate) struct EcPublic {
    key: EcVerifyingKey,
    /// The uncompressed point, as ring takes it.
    point: Vec<u8>,
}

#[derive(Clone)]
enum EcVerifyingKey {
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    P521(p521::ecdsa::VerifyingKey),
    Secp256k1(k256::ecdsa::VerifyingKey),
}

fn invalid_scalar() -> CryptoError {
    CryptoError::Invalid {
        what: "EC private key",
        reason: "scalar is zero or not below the group order",
    }
}

fn invalid_point() -> CryptoError {
    CryptoError::Invalid {
        what: "EC public key",
        reason: "not a point on the curve",
    }
}

fn rejected(_: ring::error::KeyRejected) -> CryptoError {
    CryptoError::Invalid {
        what: "EC private key",
        reason: "rejected by ring",
    }
}

/// Left-pads a big-endian scalar to the curve's length: big-integer encoders (JWK in
/// some SDKs, KMIP Big Integers) drop or add leading zeros.
fn fixed_scalar(curve: EcCurve, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    let len = curve.scalar_len();
    let significant = bytes
        .iter()
        .position(|&b| b != 0)
        .and_then(|start| bytes.get(start..))
        .unwrap_or(&[]);
    if significant.len() > len {
        return Err(invalid_scalar());
    }
    let mut out = Zeroizing::new(vec![0u8; len - significant.len()]);
    out.extend_from_slice(significant);
    Ok(out)
}

fn ring_key_pair(
    alg: &'static ring_sig::EcdsaSigningAlgorithm,
    scalar: &[u8],
    point: &[u8],
) -> Result<EcdsaKeyPair> {
    EcdsaKeyPair::from_private_key_and_public_key(alg, scalar, point, &SystemRandom::new())
        .map_err(rejected)
}

impl EcPrivate {
    /// A new random key: ring for P-256 and P-384, `p521` for P-521, `k256` for
    /// secp256k1.
    pub(crate) fn generate(curve: EcCurve) -> Result<EcPrivate> {
        use p521::elliptic_curve::Generate as _;
        let rng = SystemRandom::new();
        match curve {
            EcCurve::P256 | EcCurve::P384 => {
                let alg = match curve {
                    EcCurve::P256 => &ring_sig::ECDSA_P256_SHA256_FIXED_SIGNING,
                    _ => &ring_sig::ECDSA_P384_SHA384_FIXED_SIGNING,
                };
                let pkcs8 =
                    EcdsaKeyPair::generate_pkcs8(alg, &rng).map_err(|_| CryptoError::Rng)?;
                EcPrivate::from_ring_pkcs8(curve, alg, pkcs8.as_ref())
            }
            EcCurve::P521 => {
                let key = p521::ecdsa::SigningKey::try_generate_from_rng(&mut getrandom::SysRng)
                    .map_err(|_| CryptoError::Rng)?;
                Ok(EcPrivate::P521 { key })
            }
            EcCurve::Secp256k1 => {
                let key = k256::ecdsa::SigningKey::try_generate_from_rng(&mut getrandom::SysRng)
                    .map_err(|_| CryptoError::Rng)?;
                Ok(EcPrivate::Secp256k1 { key })
            }
        }
    }

    /// The PKCS#8 document ring generated: ring parses it (checking that its public key
    /// is the scalar's), and the scalar and that public key are taken as they are.
    fn from_ring_pkcs8(
        curve: EcCurve,
        alg: &'static ring_sig::EcdsaSigningAlgorithm,
        der: &[u8],
    ) -> Result<EcPrivate> {
        let ring = EcdsaKeyPair::from_pkcs8(alg, der, &SystemRandom::new()).map_err(rejected)?;
        let info = ::pkcs8::PrivateKeyInfoRef::from_der(der)
            .map_err(|_| CryptoError::Encoding("PKCS#8"))?;
        let inner = ::sec1::EcPrivateKey::from_der(info.private_key.as_bytes())
            .map_err(|_| CryptoError::Encoding("PKCS#8 EC"))?;
        let point = inner
            .public_key
            .ok_or(CryptoError::Encoding("PKCS#8 EC without its public key"))?;
        match curve {
            EcCurve::P256 => Ok(EcPrivate::P256 {
                secret: p256::SecretKey::from_slice(inner.private_key)
                    .map_err(|_| invalid_scalar())?,
                public: p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map_err(|_| invalid_point())?,
                ring,
            }),
            EcCurve::P384 => Ok(EcPrivate::P384 {
                secret: p384::SecretKey::from_slice(inner.private_key)
                    .map_err(|_| invalid_scalar())?,
                public: p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map_err(|_| invalid_point())?,
                ring,
            }),
            EcCurve::P521 | EcCurve::Secp256k1 => {
                Err(CryptoError::Unsupported("this curve with ring"))
            }
        }
    }

    /// From the big-endian private scalar (shorter input is left-padded with zeros).
    pub(crate) fn from_scalar(curve: EcCurve, scalar: &[u8]) -> Result<EcPrivate> {
        let scalar = fixed_scalar(curve, scalar)?;
        match curve {
            EcCurve::P256 => {
                let secret = p256::SecretKey::from_slice(&scalar).map_err(|_| invalid_scalar())?;
                let public = p256::ecdsa::VerifyingKey::from(secret.public_key());
                let ring = ring_key_pair(
                    &ring_sig::ECDSA_P256_SHA256_FIXED_SIGNING,
                    &scalar,
                    public.to_sec1_point(false).as_bytes(),
                )?;
                Ok(EcPrivate::P256 {
                    secret,
                    public,
                    ring,
                })
            }
            EcCurve::P384 => {
                let secret = p384::SecretKey::from_slice(&scalar).map_err(|_| invalid_scalar())?;
                let public = p384::ecdsa::VerifyingKey::from(secret.public_key());
                let ring = ring_key_pair(
                    &ring_sig::ECDSA_P384_SHA384_FIXED_SIGNING,
                    &scalar,
                    public.to_sec1_point(false).as_bytes(),
                )?;
                Ok(EcPrivate::P384 {
                    secret,
                    public,
                    ring,
                })
            }
            EcCurve::P521 => {
                let key =
                    p521::ecdsa::SigningKey::from_slice(&scalar).map_err(|_| invalid_scalar())?;
                Ok(EcPrivate::P521 { key })
            }
            EcCurve::Secp256k1 => {
                let key =
                    k256::ecdsa::SigningKey::from_slice(&scalar).map_err(|_| invalid_scalar())?;
                Ok(EcPrivate::Secp256k1 { key })
            }
        }
    }

    /// From a PKCS#8 `PrivateKeyInfo` (RFC 5208/5958) whose algorithm was found to be
    /// id-ecPublicKey on `curve`.
    pub(crate) fn from_pkcs8_der(curve: EcCurve, der: &[u8]) -> Result<EcPrivate> {
        let scalar = match curve {
            EcCurve::P256 => p256::SecretKey::from_pkcs8_der(der).map(|k| k.to_bytes().to_vec()),
            EcCurve::P384 => p384::SecretKey::from_pkcs8_der(der).map(|k| k.to_bytes().to_vec()),
            EcCurve::P521 => p521::SecretKey::from_pkcs8_der(der).map(|k| k.to_bytes().to_vec()),
            EcCurve::Secp256k1 => {
                k256::SecretKey::from_pkcs8_der(der).map(|k| k.to_bytes().to_vec())
            }
        }
        .map_err(|_| CryptoError::Encoding("PKCS#8 EC"))?;
        let scalar = Zeroizing::new(scalar);
        let key = EcPrivate::from_scalar(curve, &scalar)?;
        // The optional public key inside must be the one the scalar gives.
        let info = ::pkcs8::PrivateKeyInfoRef::from_der(der)
            .map_err(|_| CryptoError::Encoding("PKCS#8"))?;
        let inner = ::sec1::EcPrivateKey::from_der(info.private_key.as_bytes())
            .map_err(|_| CryptoError::Encoding("PKCS#8 EC"))?;
        key.check_embedded_public(inner.public_key)?;
        Ok(key)
    }

    /// From a SEC 1 `ECPrivateKey` (RFC 5915) that names its curve.
    pub(crate) fn from_sec1_der(der: &[u8]) -> Result<EcPrivate> {
        let parsed =
            ::sec1::EcPrivateKey::from_der(der).map_err(|_| CryptoError::Encoding("SEC1"))?;
        let oid = parsed
            .parameters
            .and_then(|p| p.named_curve())
            .ok_or(CryptoError::Encoding("SEC1 without a named curve"))?;
        let curve = EcCurve::from_oid(oid)?;
        let key = EcPrivate::from_scalar(curve, parsed.private_key)?;
        key.check_embedded_public(parsed.public_key)?;
        Ok(key)
    }

    fn check_embedded_public(&self, embedded: Option<&[u8]>) -> Result<()> {
        let Some(embedded) = embedded else {
            return Ok(());
        };
        let public = self.public();
        let matches = EcPublic::from_point(self.curve(), embedded)
            .map(|p| p.point == public.point)
            .unwrap_or(false);
        if matches {
            Ok(())
        } else {
            Err(CryptoError::Invalid {
                what: "EC private key",
                reason: "embedded public key does not match the private scalar",
            })
        }
    }

    pub(crate) fn curve(&self) -> EcCurve {
        match self {
            EcPrivate::P256 { .. } => EcCurve::P256,
            EcPrivate::P384 { .. } => EcCurve::P384,
            EcPrivate::P521 { .. } => EcCurve::P521,
            EcPrivate::Secp256k1 { .. } => EcCurve::Secp256k1,
        }
    }

    /// The big-endian private scalar, `curve().scalar_len()` bytes.
    pub(crate) fn scalar(&self) -> Secret {
        match self {
            EcPrivate::P256 { secret, .. } => Secret::from_slice(&secret.to_bytes()),
            EcPrivate::P384 { secret, .. } => Secret::from_slice(&secret.to_bytes()),
            EcPrivate::P521 { key } => Secret::from_slice(&key.to_bytes()),
            EcPrivate::Secp256k1 { key } => Secret::from_slice(&key.to_bytes()),
        }
    }

    pub(crate) fn public(&self) -> EcPublic {
        let key = match self {
            EcPrivate::P256 { public, .. } => EcVerifyingKey::P256(*public),
            EcPrivate::P384 { public, .. } => EcVerifyingKey::P384(*public),
            EcPrivate::P521 { key } => EcVerifyingKey::P521(*key.verifying_key()),
            EcPrivate::Secp256k1 { key } => EcVerifyingKey::Secp256k1(*key.verifying_key()),
        };
        EcPublic::from_verifying_key(key)
    }

    /// PKCS#8 v1 with the curve named and the public key included.
    pub(crate) fn to_pkcs8_der(&self) -> Result<Secret> {
        let doc = match self {
            EcPrivate::P256 { secret, .. } => secret.to_pkcs8_der(),
            EcPrivate::P384 { secret, .. } => secret.to_pkcs8_der(),
            EcPrivate::P521 { key } => {
                p521::SecretKey::from(key.as_nonzero_scalar()).to_pkcs8_der()
            }
            EcPrivate::Secp256k1 { key } => {
                k256::SecretKey::from(key.as_nonzero_scalar()).to_pkcs8_der()
            }
        }
        .map_err(|_| CryptoError::Encoding("PKCS#8 EC"))?;
        Ok(Secret::from_slice(doc.as_bytes()))
    }

    /// SEC 1 `ECPrivateKey` with the curve named and the public key included.
    pub(crate) fn to_sec1_der(&self) -> Result<Secret> {
        let mut der = match self {
            EcPrivate::P256 { secret, .. } => secret.to_sec1_der(),
            EcPrivate::P384 { secret, .. } => secret.to_sec1_der(),
            EcPrivate::P521 { key } => p521::SecretKey::from(key.as_nonzero_scalar()).to_sec1_der(),
            EcPrivate::Secp256k1 { key } => {
                k256::SecretKey::from(key.as_nonzero_scalar()).to_sec1_der()
            }
        }
        .map_err(|_| CryptoError::Encoding("SEC1"))?;
        Ok(Secret::new(core::mem::take(&mut *der)))
    }

    /// ECDSA with the curve's own hash (SHA-256 for secp256k1); `message` was checked
    /// against that hash.
    pub(crate) fn sign(&self, message: Message<'_>, format: SignatureFormat) -> Result<Vec<u8>> {
        use p256::ecdsa::signature::Signer as _;
        use p256::ecdsa::signature::hazmat::PrehashSigner as _;
        let failed = |_| CryptoError::Failed;
        let raw: Vec<u8> = match (self, message) {
            (EcPrivate::P256 { ring, .. } | EcPrivate::P384 { ring, .. }, Message::Data(data)) => {
                ring.sign(&SystemRandom::new(), data)
                    .map_err(|_| CryptoError::Failed)?
                    .as_ref()
                    .to_vec()
            }
            // What `SigningKey::sign_prehash` does, from the scalar alone.
            (EcPrivate::P256 { secret, .. }, Message::Digest(digest)) => {
                let d = Zeroizing::new(secret.to_nonzero_scalar());
                let (sig, _) =
                    sign_prehashed_rfc6979::<p256::NistP256, sha2::Sha256>(&d, digest, &[]);
                sig.to_vec()
            }
            (EcPrivate::P384 { secret, .. }, Message::Digest(digest)) => {
                let d = Zeroizing::new(secret.to_nonzero_scalar());
                let (sig, _) =
                    sign_prehashed_rfc6979::<p384::NistP384, sha2::Sha384>(&d, digest, &[]);
                sig.to_vec()
            }
            (EcPrivate::P521 { key }, Message::Data(data)) => {
                let sig: p521::ecdsa::Signature = key.try_sign(data).map_err(failed)?;
                sig.to_vec()
            }
            (EcPrivate::P521 { key }, Message::Digest(digest)) => {
                let sig: p521::ecdsa::Signature = key.sign_prehash(digest).map_err(failed)?;
                sig.to_vec()
            }
            // k256 signs in low-S form (as Bitcoin requires), still a plain ECDSA signature.
            (EcPrivate::Secp256k1 { key }, Message::Data(data)) => {
                let sig: k256::ecdsa::Signature = key.try_sign(data).map_err(failed)?;
                sig.to_vec()
            }
            (EcPrivate::Secp256k1 { key }, Message::Digest(digest)) => {
                let sig: k256::ecdsa::Signature = key.sign_prehash(digest).map_err(failed)?;
                sig.to_vec()
            }
        };
        match format {
            SignatureFormat::Raw => Ok(raw),
            SignatureFormat::Der => raw_to_der(self.curve(), &raw),
        }
    }
}

impl EcPublic {
    /// From a SEC 1 encoded point, compressed or not; it must be on `curve` and not the
    /// point at infinity.
    pub(crate) fn from_point(curve: EcCurve, point: &[u8]) -> Result<EcPublic> {
        let key = match curve {
            EcCurve::P256 => {
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifyingKey::P256)
            }
            EcCurve::P384 => {
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifyingKey::P384)
            }
            EcCurve::P521 => {
                p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifyingKey::P521)
            }
            EcCurve::Secp256k1 => {
                k256::ecdsa::VerifyingKey::from_sec1_bytes(point).map(EcVerifyingKey::Secp256k1)
            }
        }
        .map_err(|_| invalid_point())?;
        Ok(EcPublic::from_verifying_key(key))
    }

    fn from_verifying_key(key: EcVerifyingKey) -> EcPublic {
        let point = match &key {
            EcVerifyingKey::P256(k) => k.to_sec1_point(false).as_bytes().to_vec(),
            EcVerifyingKey::P384(k) => k.to_sec1_point(false).as_bytes().to_vec(),
            EcVerifyingKey::P521(k) => k.to_sec1_point(false).as_bytes().to_vec(),
            EcVerifyingKey::Secp256k1(k) => k.to_sec1_point(false).as_bytes().to_vec(),
        };
        EcPublic { key, point }
    }

    pub(crate) fn curve(&self) -> EcCurve {
        match self.key {
            EcVerifyingKey::P256(_) => EcCurve::P256,
            EcVerifyingKey::P384(_) => EcCurve::P384,
            EcVerifyingKey::P521(_) => EcCurve::P521,
            EcVerifyingKey::Secp256k1(_) => EcCurve::Secp256k1,
        }
    }

    pub(crate) fn point(&self, format: PointFormat) -> Vec<u8> {
        match format {
            PointFormat::Uncompressed => self.point.clone(),
            PointFormat::Compressed => match &self.key {
                EcVerifyingKey::P256(k) => k.to_sec1_point(true).as_bytes().to_vec(),
                EcVerifyingKey::P384(k) => k.to_sec1_point(true).as_bytes().to_vec(),
                EcVerifyingKey::P521(k) => k.to_sec1_point(true).as_bytes().to_vec(),
                EcVerifyingKey::Secp256k1(k) => k.to_sec1_point(true).as_bytes().to_vec(),
            },
        }
    }

    pub(crate) fn to_spki_der(&self) -> Result<Vec<u8>> {
        match &self.key {
            EcVerifyingKey::P256(k) => k.to_public_key_der(),
            EcVerifyingKey::P384(k) => k.to_public_key_der(),
            EcVerifyingKey::P521(k) => k.to_public_key_der(),
            EcVerifyingKey::Secp256k1(k) => k.to_public_key_der(),
        }
        .map(|doc| doc.as_bytes().to_vec())
        .map_err(|_| CryptoError::Encoding("SubjectPublicKeyInfo"))
    }

    /// ECDSA verification; every failure, including a malformed signature, is `Failed`.
    pub(crate) fn verify(
        &self,
        message: Message<'_>,
        signature: &[u8],
        format: SignatureFormat,
    ) -> Result<()> {
        use p256::ecdsa::signature::Verifier as _;
        use p256::ecdsa::signature::hazmat::PrehashVerifier as _;
        let curve = self.curve();
        // DER is converted by the strict RustCrypto parser (no BER, no padding, no
        // trailing bytes); the raw form must be exactly two scalars long.
        let raw = match format {
            SignatureFormat::Raw if signature.len() == 2 * curve.scalar_len() => signature.to_vec(),
            SignatureFormat::Raw => return Err(CryptoError::Failed),
            SignatureFormat::Der => {
                der_to_raw(curve, signature).map_err(|_| CryptoError::Failed)?
            }
        };
        let ok = match (&self.key, message) {
            (EcVerifyingKey::P256(_), Message::Data(data)) => {
                ring_sig::UnparsedPublicKey::new(&ring_sig::ECDSA_P256_SHA256_FIXED, &self.point)
                    .verify(data, &raw)
                    .is_ok()
            }
            (EcVerifyingKey::P384(_), Message::Data(data)) => {
                ring_sig::UnparsedPublicKey::new(&ring_sig::ECDSA_P384_SHA384_FIXED, &self.point)
                    .verify(data, &raw)
                    .is_ok()
            }
            (EcVerifyingKey::P256(k), Message::Digest(digest)) => {
                p256::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify_prehash(digest, &sig).is_ok())
            }
            (EcVerifyingKey::P384(k), Message::Digest(digest)) => {
                p384::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify_prehash(digest, &sig).is_ok())
            }
            (EcVerifyingKey::P521(k), Message::Data(data)) => {
                p521::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify(data, &sig).is_ok())
            }
            (EcVerifyingKey::P521(k), Message::Digest(digest)) => {
                p521::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify_prehash(digest, &sig).is_ok())
            }
            // k256 accepts only low-S signatures (Bitcoin's rule); ECDSA (SEC 1 §4.1.4)
            // accepts s and n − s alike, and signers other than k256 produce both.
            (EcVerifyingKey::Secp256k1(k), Message::Data(data)) => {
                k256::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify(data, &sig.normalize_s()).is_ok())
            }
            (EcVerifyingKey::Secp256k1(k), Message::Digest(digest)) => {
                k256::ecdsa::Signature::from_slice(&raw)
                    .is_ok_and(|sig| k.verify_prehash(digest, &sig.normalize_s()).is_ok())
            }
        };
        if ok { Ok(()) } else { Err(CryptoError::Failed) }
    }
}

fn bad_signature() -> CryptoError {
    CryptoError::Invalid {
        what: "ECDSA signature",
        reason: "not a signature encoding for this curve",
    }
}

/// `r‖s` → DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3).
pub(crate) fn raw_to_der(curve: EcCurve, raw: &[u8]) -> Result<Vec<u8>> {
    match curve {
        EcCurve::P256 => p256::ecdsa::Signature::from_slice(raw).map(|s| s.to_der().to_bytes()),
        EcCurve::P384 => p384::ecdsa::Signature::from_slice(raw).map(|s| s.to_der().to_bytes()),
        EcCurve::P521 => p521::ecdsa::Signature::from_slice(raw).map(|s| s.to_der().to_bytes()),
        EcCurve::Secp256k1 => {
            k256::ecdsa::Signature::from_slice(raw).map(|s| s.to_der().to_bytes())
        }
    }
    .map(Into::into)
    .map_err(|_| bad_signature())
}

/// DER `Ecdsa-Sig-Value` → `r‖s`, each half left-padded to the curve's scalar length.
pub(crate) fn der_to_raw(curve: EcCurve, der: &[u8]) -> Result<Vec<u8>> {
    match curve {
        EcCurve::P256 => p256::ecdsa::Signature::from_der(der).map(|s| s.to_vec()),
        EcCurve::P384 => p384::ecdsa::Signature::from_der(der).map(|s| s.to_vec()),
        EcCurve::P521 => p521::ecdsa::Signature::from_der(der).map(|s| s.to_vec()),
        EcCurve::Secp256k1 => k256::ecdsa::Signature::from_der(der).map(|s| s.to_vec()),
    }
    .map_err(|_| bad_signature())
}

/// The curve named in the parameters of an id-ecPublicKey algorithm identifier.
pub(crate) fn curve_of_algorithm(
    algorithm: &::spki::AlgorithmIdentifierRef<'_>,
) -> Result<EcCurve> {
    let oid = algorithm
        .parameters_oid()
        .map_err(|_| CryptoError::Encoding("EC algorithm parameters"))?;
    EcCurve::from_oid(oid)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn short_scalars_are_left_padded() {
        let padded = fixed_scalar(EcCurve::P256, &[0, 0, 5]).unwrap();
        assert_eq!(padded.len(), 32);
        assert_eq!(padded.last(), Some(&5));
        assert!(padded.iter().take(31).all(|&b| b == 0));
    }

    #[test]
    fn scalars_longer_than_the_curve_are_rejected() {
        assert!(fixed_scalar(EcCurve::P384, &[1; 49]).is_err());
        // Leading zeros do not count.
        let mut long = vec![0; 10];
        long.extend_from_slice(&[1; 66]);
        assert_eq!(fixed_scalar(EcCurve::P521, &long).unwrap().len(), 66);
    }

    #[test]
    fn digests_are_signed_as_signing_key_signs_them() {
        use p256::ecdsa::signature::hazmat::PrehashSigner as _;
        for curve in [EcCurve::P256, EcCurve::P384] {
            let key = EcPrivate::generate(curve).unwrap();
            let digest = vec![0x5c; curve.scalar_len()];
            let ours = key
                .sign(Message::Digest(&digest), SignatureFormat::Raw)
                .unwrap();
            let scalar = key.scalar();
            let theirs = match curve {
                EcCurve::P256 => {
                    let sk = p256::ecdsa::SigningKey::from_slice(scalar.expose()).unwrap();
                    let sig: p256::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
                    sig.to_vec()
                }
                _ => {
                    let sk = p384::ecdsa::SigningKey::from_slice(scalar.expose()).unwrap();
                    let sig: p384::ecdsa::Signature = sk.sign_prehash(&digest).unwrap();
                    sig.to_vec()
                }
            };
            assert_eq!(ours, theirs, "{curve:?}");
            // The kept public key is the scalar's.
            let recomputed = EcPrivate::from_scalar(curve, scalar.expose()).unwrap();
            assert!(recomputed.public().point == key.public().point);
        }
    }

    #[test]
    fn curve_oids_name_their_curve() {
        for curve in EcCurve::ALL {
            assert_eq!(EcCurve::from_oid(curve.oid()).unwrap(), curve);
        }
        assert!(EcCurve::from_oid(EC_PUBLIC_KEY_OID).is_err());
    }

    #[test]
    fn raw_signatures_of_the_wrong_length_do_not_convert() {
        for curve in EcCurve::ALL {
            let n = curve.scalar_len();
            assert!(raw_to_der(curve, &vec![1; 2 * n - 1]).is_err());
            assert!(raw_to_der(curve, &vec![1; 2 * n + 1]).is_err());
            // r = 0 is not a signature.
            let mut zero_r = vec![0; n];
            zero_r.extend(vec![1; n]);
            assert!(raw_to_der(curve, &zero_r).is_err());
        }
    }
}

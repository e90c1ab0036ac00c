//! Asymmetric keys: [`PrivateKey`] and [`PublicKey`], RSA or EC, and what they do —
//! generate, sign, verify, encrypt and decrypt. Encodings in and out are in
//! [`key_format`](crate::key_format).

use core::fmt;

use crate::ec::{EcCurve, EcPrivate, EcPublic, PointFormat};
use crate::hash::HashAlgorithm;
use crate::rsa::{RsaKeySize, RsaPrivate, RsaPublic};
use crate::signature::{Message, Scheme, SignatureAlgorithm, SignatureFormat};
use crate::{CryptoError, Result, Secret};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeySpec {
    /// An RSA key with e = 65537.
    Rsa(RsaKeySize),
    /// An EC key on a NIST curve or secp256k1.
    Ec(EcCurve),
}

/// What a key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// RSA, with the modulus length in bits.
    Rsa {
        /// Modulus length in bits.
        bits: u32,
    },
    /// EC on this curve.
    Ec(EcCurve),
}

/// An RSA or EC private key.
///
/// Not `Clone` (use [`duplicate`](PrivateKey::duplicate)); `Debug` shows only the key
/// type. The private values are wiped on drop in the RustCrypto copy; ring, which signs
/// messages with a key pair parsed once at import, does not wipe its own copy.
pub struct PrivateKey(pub(crate) PrivateInner);

pub(crate) enum PrivateInner {
    Rsa(Box<RsaPrivate>),
    Ec(Box<EcPrivate>),
}

/// An RSA or EC public key, validated at import (modulus size and exponent, point on the
/// curve).
#[derive(Clone)]
pub struct PublicKey(pub(crate) PublicInner);

#[derive(Clone)]
pub(crate) enum PublicInner {
    Rsa(Box<RsaPublic>),
    Ec(EcPublic),
}

fn check_algorithm(key: KeyType, alg: SignatureAlgorithm) -> Result<()> {
    match (alg.scheme(), key) {
        (Scheme::Pkcs1v15 | Scheme::Pss, KeyType::Rsa { .. }) => Ok(()),
        (Scheme::Ecdsa(curve), KeyType::Ec(key_curve)) if curve == key_curve => Ok(()),
        (Scheme::Ecdsa(_), KeyType::Ec(_)) => Err(CryptoError::Invalid {
            what: "key",
            reason: "the key's curve is not the algorithm's curve",
        }),
        _ => Err(CryptoError::Invalid {
            what: "key",
            reason: "the key type does not match the signature algorithm",
        }),
    }
}

fn not_ec() -> CryptoError {
    CryptoError::Invalid {
        what: "key",
        reason: "not an EC key",
    }
}

/// A digest signed with ECDSA must be as long as the curve's hash.
fn check_ecdsa_message(curve: EcCurve, message: Message<'_>) -> Result<()> {
    match message {
        Message::Digest(d) if d.len() != curve.hash().output_len() => Err(CryptoError::Invalid {
            what: "digest",
            reason: "length differs from the curve's hash output",
        }),
        _ => Ok(()),
    }
}

fn not_rsa() -> CryptoError {
    CryptoError::Invalid {
        what: "key",
        reason: "not an RSA key",
    }
}

impl PrivateKey {
    /// Generates a key: RSA with the `rsa` crate (ring cannot), P-256 and P-384 with ring,
    /// P-521 with `p521`, secp256k1 with `k256`. RSA sizes other than 2048/3072/4096
    /// cannot be expressed.
    pub fn generate(spec: KeySpec) -> Result<PrivateKey> {
        Ok(PrivateKey(match spec {
            KeySpec::Rsa(size) => PrivateInner::Rsa(Box::new(RsaPrivate::generate(size)?)),
            KeySpec::Ec(curve) => PrivateInner::Ec(Box::new(EcPrivate::generate(curve)?)),
        }))
    }

    /// The key's type and size.
    pub fn key_type(&self) -> KeyType {
        match &self.0 {
            PrivateInner::Rsa(k) => KeyType::Rsa {
                bits: rsa_bits(k.public()),
            },
            PrivateInner::Ec(k) => KeyType::Ec(k.curve()),
        }
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(match &self.0 {
            PrivateInner::Rsa(k) => PublicInner::Rsa(Box::new(k.public().clone())),
            PrivateInner::Ec(k) => PublicInner::Ec(k.public()),
        })
    }

    /// An explicit copy (re-imported, so it is validated again).
    pub fn duplicate(&self) -> Result<PrivateKey> {
        Ok(PrivateKey(match &self.0 {
            PrivateInner::Rsa(k) => PrivateInner::Rsa(Box::new(RsaPrivate::from_pkcs1_der(
                k.to_pkcs1_der()?.expose(),
            )?)),
            PrivateInner::Ec(k) => PrivateInner::Ec(Box::new(EcPrivate::from_scalar(
                k.curve(),
                k.scalar().expose(),
            )?)),
        }))
    }

    /// Signs `message` with `alg`.
    ///
    /// The algorithm must fit the key (RS*/PS* for RSA, ES256 for P-256, ES384 for P-384,
    /// ES512 for P-521; none for secp256k1, which signs with
    /// [`sign_ecdsa`](PrivateKey::sign_ecdsa)), else [`CryptoError::Invalid`]; so must a
    /// digest's length.
    /// Messages are signed by ring (RSA, P-256, P-384); digests, and anything on P-521,
    /// by RustCrypto (deterministic RFC 6979 nonces for ECDSA).
    pub fn sign(
        &self,
        alg: SignatureAlgorithm,
        message: Message<'_>,
        format: SignatureFormat,
    ) -> Result<Vec<u8>> {
        check_algorithm(self.key_type(), alg)?;
        alg.check_message(message)?;
        match &self.0 {
            PrivateInner::Rsa(k) => k.sign(alg, message),
            PrivateInner::Ec(k) => k.sign(message, format),
        }
    }

    /// ECDSA with the hash of the key's curve ([`EcCurve::hash`]), for every curve,
    /// secp256k1 included, which no [`SignatureAlgorithm`] names. An RSA key, or a digest
    /// of the wrong length, is [`CryptoError::Invalid`].
    pub fn sign_ecdsa(&self, message: Message<'_>, format: SignatureFormat) -> Result<Vec<u8>> {
        let PrivateInner::Ec(k) = &self.0 else {
            return Err(not_ec());
        };
        check_ecdsa_message(k.curve(), message)?;
        k.sign(message, format)
    }

    /// RSAES-OAEP decryption (RFC 8017 §7.1.2) with `hash` for both the label hash and
    /// MGF1; `label` is empty when there is none. Every decryption failure is
    /// [`CryptoError::Failed`].
    ///
    /// `hash` is SHA-1, SHA-256, SHA-384 or SHA-512; OAEP's security does not rest on
    /// SHA-1's collision resistance, and SHA-1 is what most KMIP clients send.
    pub fn decrypt_oaep(
        &self,
        hash: HashAlgorithm,
        label: &[u8],
        ciphertext: &[u8],
    ) -> Result<Secret> {
        self.decrypt_oaep_with_mgf(hash, hash, label, ciphertext)
    }

    /// RSAES-OAEP decryption with `hash` for the label hash and MGF1 with `mgf_hash`
    /// (RFC 8017 §B.2.1 lets the two differ; KMIP's Mask Generator Hashing Algorithm).
    /// Both are SHA-1, SHA-256, SHA-384 or SHA-512. See [`PrivateKey::decrypt_oaep`].
    pub fn decrypt_oaep_with_mgf(
        &self,
        hash: HashAlgorithm,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        ciphertext: &[u8],
    ) -> Result<Secret> {
        match &self.0 {
            PrivateInner::Rsa(k) => k.decrypt_oaep(hash, mgf_hash, label, ciphertext),
            PrivateInner::Ec(_) => Err(not_rsa()),
        }
    }

    /// RSASSA-PSS signature (RFC 8017 §8.1) with `hash` (SHA-256, SHA-384 or SHA-512),
    /// MGF1 with the same hash, and a salt of `salt_len` bytes, from 0 up to the longest
    /// the modulus allows (emLen − hLen − 2). [`PrivateKey::sign`] with PS256 … PS512 is
    /// the usual case, a salt as long as the hash; this one is for clients that ask for
    /// another length. A salt too long, or a digest of the wrong length, is
    /// [`CryptoError::Invalid`]; an EC key is refused.
    pub fn sign_pss(
        &self,
        hash: HashAlgorithm,
        salt_len: usize,
        message: Message<'_>,
    ) -> Result<Vec<u8>> {
        let PrivateInner::Rsa(k) = &self.0 else {
            return Err(not_rsa());
        };
        match message {
            Message::Data(data) => {
                k.sign_pss(hash, salt_len, crate::hash::digest(hash, data).as_bytes())
            }
            Message::Digest(digest) => k.sign_pss(hash, salt_len, digest),
        }
    }

    /// RSAES-PKCS1-v1_5 decryption (RFC 8017 §7.2.2), for legacy key transport only.
    ///
    /// This padding is open to Bleichenbacher's attack (1998) and its descendants
    /// (ROBOT 2017, Marvin 2023): any observable difference between good and bad padding
    /// — an error, a timing — lets an attacker decrypt. So this uses implicit rejection
    /// (draft-irtf-cfrg-rsa-guidance §7): a ciphertext with bad padding does **not** fail
    /// but yields a pseudo-random message derived from the key and the ciphertext. Only a
    /// ciphertext of the wrong length is [`CryptoError::Failed`]. The caller must
    /// authenticate what comes out (an unwrapped key must then fail to authenticate its
    /// data), check its expected length without branching differently on it, and must
    /// never report padding errors. The `rsa` crate's big-integer arithmetic is
    /// constant-time (crypto-bigint), with blinding. Prefer OAEP.
    pub fn decrypt_pkcs1v15(&self, ciphertext: &[u8]) -> Result<Secret> {
        match &self.0 {
            PrivateInner::Rsa(k) => k.decrypt_pkcs1v15(ciphertext),
            PrivateInner::Ec(_) => Err(not_rsa()),
        }
    }
}

fn rsa_bits(key: &RsaPublic) -> u32 {
    u32::try_from(key.bits()).unwrap_or(u32::MAX)
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({:?}, [redacted])", self.key_type())
    }
}

impl PublicKey {
    /// The key's type and size.
    pub fn key_type(&self) -> KeyType {
        match &self.0 {
            PublicInner::Rsa(k) => KeyType::Rsa { bits: rsa_bits(k) },
            PublicInner::Ec(k) => KeyType::Ec(k.curve()),
        }
    }

    /// True for an RSA key under 2048 bits admitted by
    /// [`from_legacy_rsa_der`](PublicKey::from_legacy_rsa_der): it can only verify.
    pub fn is_legacy(&self) -> bool {
        matches!(&self.0, PublicInner::Rsa(k) if k.bits() < crate::rsa::MIN_BITS)
    }

    /// Verifies `signature` over `message` with `alg`.
    ///
    /// An algorithm that does not fit the key, or a digest of the wrong length, is
    /// [`CryptoError::Invalid`]; every other failure, a malformed signature included, is
    /// [`CryptoError::Failed`].
    pub fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: Message<'_>,
        signature: &[u8],
        format: SignatureFormat,
    ) -> Result<()> {
        check_algorithm(self.key_type(), alg)?;
        alg.check_message(message)?;
        match &self.0 {
            PublicInner::Rsa(k) => k.verify(alg, message, signature),
            PublicInner::Ec(k) => k.verify(message, signature, format),
        }
    }

    /// Verifies an ECDSA signature made with the hash of the key's curve; see
    /// [`PrivateKey::sign_ecdsa`]. An RSA key, or a digest of the wrong length, is
    /// [`CryptoError::Invalid`]; every other failure is [`CryptoError::Failed`].
    pub fn verify_ecdsa(
        &self,
        message: Message<'_>,
        signature: &[u8],
        format: SignatureFormat,
    ) -> Result<()> {
        let PublicInner::Ec(k) = &self.0 else {
            return Err(not_ec());
        };
        check_ecdsa_message(k.curve(), message)?;
        k.verify(message, signature, format)
    }

    /// RSAES-OAEP encryption (RFC 8017 §7.1.1) with `hash` for the label hash and MGF1;
    /// `label` is empty when there is none. See [`PrivateKey::decrypt_oaep`].
    pub fn encrypt_oaep(
        &self,
        hash: HashAlgorithm,
        label: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        self.encrypt_oaep_with_mgf(hash, hash, label, plaintext)
    }

    /// RSAES-OAEP encryption with `hash` for the label hash and MGF1 with `mgf_hash`.
    /// See [`PrivateKey::decrypt_oaep_with_mgf`].
    pub fn encrypt_oaep_with_mgf(
        &self,
        hash: HashAlgorithm,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        match &self.0 {
            PublicInner::Rsa(k) => k.encrypt_oaep(hash, mgf_hash, label, plaintext),
            PublicInner::Ec(_) => Err(not_rsa()),
        }
    }

    /// Verifies an RSASSA-PSS signature with `hash` (SHA-256, SHA-384 or SHA-512), MGF1
    /// with the same hash, and a salt of `salt_len` bytes, or of any length when `None`
    /// (the length is read off the encoded message, RFC 8017 §9.1.2). See
    /// [`PrivateKey::sign_pss`]. A digest of the wrong length is [`CryptoError::Invalid`];
    /// every other failure is [`CryptoError::Failed`].
    pub fn verify_pss(
        &self,
        hash: HashAlgorithm,
        salt_len: Option<usize>,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<()> {
        let PublicInner::Rsa(k) = &self.0 else {
            return Err(not_rsa());
        };
        match message {
            Message::Data(data) => k.verify_pss(
                hash,
                salt_len,
                crate::hash::digest(hash, data).as_bytes(),
                signature,
            ),
            Message::Digest(digest) => k.verify_pss(hash, salt_len, digest, signature),
        }
    }

    /// The SEC 1 encoded point of an EC key.
    pub fn ec_point(&self, format: PointFormat) -> Result<Vec<u8>> {
        match &self.0 {
            PublicInner::Ec(k) => Ok(k.point(format)),
            PublicInner::Rsa(_) => Err(CryptoError::Invalid {
                what: "key",
                reason: "not an EC key",
            }),
        }
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (PublicInner::Rsa(a), PublicInner::Rsa(b)) => a.components() == b.components(),
            (PublicInner::Ec(a), PublicInner::Ec(b)) => {
                a.curve() == b.curve()
                    && a.point(PointFormat::Uncompressed) == b.point(PointFormat::Uncompressed)
            }
            _ => false,
        }
    }
}

impl Eq for PublicKey {}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({:?})", self.key_type())
    }
}

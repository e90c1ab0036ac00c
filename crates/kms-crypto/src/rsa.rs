//! RSA keys (RFC 8017): generation, components, validation, signatures and decryption.
//!
//! ring signs and verifies messages (PKCS#1 v1.5 and PSS) but cannot generate an RSA key,
//! sign or verify a digest computed elsewhere, or decrypt; the `rsa` crate does those.
//! Every private key is parsed by both and kept in both: the `rsa` crate's copy is wiped
//! on drop, ring's key pair (kept so that signing does not re-parse the key) is not.
//!
//! # Key policy
//!
//! - Generation: 2048, 3072 or 4096 bits, e = 65537 ([`RsaKeySize`]).
//! - Private keys imported: a two-prime modulus of 2048 to 4096 bits in steps of 512
//!   (the keys ring signs with), 2^16 < e < 2^33 and odd (FIPS 186-5 §A.1.1 asks e > 2^16), p·q = n,
//!   d·e ≡ 1 mod (p−1) and mod (q−1), and CRT values consistent with them (both the `rsa`
//!   crate's `validate` and ring's checks).
//! - Public keys imported: 2048 to 8192 bits, 3 ≤ e < 2^33 and odd.
//! - Legacy: [`PublicKey::from_legacy_rsa_der`](crate::PublicKey::from_legacy_rsa_der)
//!   also admits 1024 to 2047-bit public keys. They verify only: encrypting to them is
//!   refused, and no private key of that size can be imported or generated.

use ::pkcs1::der::{Decode as _, Encode as _};
use ::pkcs1::{DecodeRsaPrivateKey as _, DecodeRsaPublicKey as _, EncodeRsaPrivateKey as _};
use ::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _};
use ::rsa::Oaep;
use ::rsa::traits::PublicKeyParts as _;
use ring::rand::SystemRandom;
use ring::signature::{self as ring_sig, RsaKeyPair};
use zeroize::Zeroizing;

use crate::hash::HashAlgorithm;
use crate::signature::{Message, Scheme, SignatureAlgorithm};
use crate::{CryptoError, Result, Secret};

/// Smallest modulus of a key that signs, decrypts or is encrypted to.
pub(crate) const MIN_BITS: usize = 2048;
/// Smallest modulus of a legacy verify-only public key.
pub(crate) const MIN_LEGACY_BITS: usize = 1024;
/// Largest private modulus (ring's limit for signing keys).
pub(crate) const MAX_PRIVATE_BITS: usize = 4096;
/// Largest public modulus (ring's and the `rsa` crate's limit for verification).
pub(crate) const MAX_PUBLIC_BITS: usize = 8192;

/// Sizes of RSA key this crate generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RsaKeySize {
    /// 2048 bits (≈112-bit security, NIST SP 800-57 Part 1 Table 2).
    Rsa2048,
    /// 3072 bits (≈128-bit security).
    Rsa3072,
    /// 4096 bits.
    Rsa4096,
}

impl RsaKeySize {
    /// The modulus length in bits.
    pub const fn bits(self) -> u32 {
        match self {
            RsaKeySize::Rsa2048 => 2048,
            RsaKeySize::Rsa3072 => 3072,
            RsaKeySize::Rsa4096 => 4096,
        }
    }
}

impl TryFrom<u32> for RsaKeySize {
    type Error = CryptoError;

    /// 2048, 3072 or 4096; any other length is [`CryptoError::Unsupported`].
    fn try_from(bits: u32) -> Result<Self> {
        match bits {
            2048 => Ok(RsaKeySize::Rsa2048),
            3072 => Ok(RsaKeySize::Rsa3072),
            4096 => Ok(RsaKeySize::Rsa4096),
            _ => Err(CryptoError::Unsupported(
                "RSA key size (2048, 3072 or 4096 bits)",
            )),
        }
    }
}

/// The public components of an RSA key, as big-endian unsigned integers (KMIP
/// Transparent RSA Public Key, JWK `n`/`e`). Leading zeros are accepted on input and not
/// produced on output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicComponents {
    /// Modulus.
    pub n: Vec<u8>,
    /// Public exponent.
    pub e: Vec<u8>,
}

/// The components of an RSA private key, as big-endian unsigned integers (KMIP
/// Transparent RSA Private Key, JWK RSA private members).
///
/// On export every field is present. On import `n`, `e` and `d` are required; `p` and `q`
/// come together (without them the primes are recovered from `n`, `e`, `d`, NIST
/// SP 800-56B Appendix C.2); `dp`, `dq` and `qi` come together with the primes and must
/// agree with them.
#[derive(Debug, Default)]
pub struct RsaPrivateComponents {
    /// Modulus.
    pub n: Vec<u8>,
    /// Public exponent.
    pub e: Vec<u8>,
    /// Private exponent.
    pub d: Secret,
    /// First prime factor.
    pub p: Option<Secret>,
    /// Second prime factor.
    pub q: Option<Secret>,
    /// `d mod (p − 1)`.
    pub dp: Option<Secret>,
    /// `d mod (q − 1)`.
    pub dq: Option<Secret>,
    /// `q⁻¹ mod p`.
    pub qi: Option<Secret>,
}

fn invalid(reason: &'static str) -> CryptoError {
    CryptoError::Invalid {
        what: "RSA key",
        reason,
    }
}

fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or(&[])
}

/// Length in bits of a big-endian unsigned integer.
fn bit_len(bytes: &[u8]) -> usize {
    let bytes = trim(bytes);
    match bytes.first() {
        Some(&top) => bytes.len() * 8 - top.leading_zeros() as usize,
        None => 0,
    }
}

/// Private moduli: 2048 to 4096 bits in steps of 512, the keys ring signs with.
fn check_private_size(bits: usize) -> Result<()> {
    if (MIN_BITS..=MAX_PRIVATE_BITS).contains(&bits) && bits.is_multiple_of(512) {
        Ok(())
    } else {
        Err(CryptoError::Unsupported(
            "RSA private key size (2048 to 4096 bits, a multiple of 512)",
        ))
    }
}

/// Checks the public exponent: odd, at least `min`, below 2^33 (ring's and the `rsa`
/// crate's bound).
fn check_exponent(e: &[u8], min: u64) -> Result<()> {
    let e = trim(e);
    if e.len() > 8 {
        return Err(invalid("public exponent too large"));
    }
    let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    if value % 2 == 0 {
        return Err(invalid("public exponent is even"));
    }
    if value < min {
        return Err(invalid("public exponent too small"));
    }
    if value >= 1 << 33 {
        return Err(invalid("public exponent too large"));
    }
    Ok(())
}

/// An RSA private key in both libraries.
pub(crate) struct RsaPrivate {
    key: ::rsa::PrivateKey,
    ring: RsaKeyPair,
    public: RsaPublic,
}

/// An RSA public key, with the modulus and exponent bytes ring verifies with.
#[derive(Clone)]
pub(crate) struct RsaPublic {
    key: ::rsa::PublicKey,
    n: Vec<u8>,
    e: Vec<u8>,
    bits: usize,
}

impl RsaPrivate {
    /// A new key from the `rsa` crate's generator (ring has none), e = 65537.
    pub(crate) fn generate(size: RsaKeySize) -> Result<RsaPrivate> {
        let key =
            ::rsa::PrivateKey::new(&mut getrandom::SysRng, size.bits() as usize).map_err(|e| {
                match e {
                    ::rsa::Error::Rng => CryptoError::Rng,
                    _ => invalid("generation failed"),
                }
            })?;
        let der = key
            .to_pkcs1_der()
            .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
        RsaPrivate::from_pkcs1_der(der.as_bytes())
    }

    /// From a PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2), every import ends here.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Result<RsaPrivate> {
        let parsed = ::pkcs1::RsaPrivateKeyRef::from_der(der)
            .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
        if parsed.other_prime_infos.is_some() {
            return Err(CryptoError::Unsupported("multi-prime RSA"));
        }
        check_private_size(bit_len(parsed.modulus.as_bytes()))?;
        check_exponent(parsed.public_exponent.as_bytes(), 65537)?;
        // The `rsa` crate checks p·q = n and d·e ≡ 1 mod (p−1), (q−1) but ignores the CRT
        // values given and computes its own: those given must be the same (ring does not
        // check them all).
        let key = ::rsa::PrivateKey::from_pkcs1_der(der)
            .map_err(|_| invalid("inconsistent components"))?;
        key.validate()
            .map_err(|_| invalid("inconsistent components"))?;
        let computed = key
            .to_pkcs1_der()
            .map_err(|_| invalid("inconsistent components"))?;
        let computed = ::pkcs1::RsaPrivateKeyRef::from_der(computed.as_bytes())
            .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
        let same = |a: ::pkcs1::UintRef<'_>, b: ::pkcs1::UintRef<'_>| {
            crate::secret::ct_eq(trim(a.as_bytes()), trim(b.as_bytes()))
        };
        let consistent = same(parsed.exponent1, computed.exponent1)
            & same(parsed.exponent2, computed.exponent2)
            & same(parsed.coefficient, computed.coefficient);
        if !consistent {
            return Err(invalid("inconsistent components"));
        }
        let ring = RsaKeyPair::from_der(der).map_err(|_| invalid("inconsistent components"))?;
        let public = RsaPublic::from_key(key.to_public_key())?;
        Ok(RsaPrivate { key, ring, public })
    }

    pub(crate) fn from_components(c: &RsaPrivateComponents) -> Result<RsaPrivate> {
        match (&c.p, &c.q, &c.dp, &c.dq, &c.qi) {
            (Some(p), Some(q), Some(dp), Some(dq), Some(qi)) => {
                let der = ::pkcs1::RsaPrivateKey {
                    modulus: uint(&c.n)?,
                    public_exponent: uint(&c.e)?,
                    private_exponent: uint(c.d.expose())?,
                    prime1: uint(p.expose())?,
                    prime2: uint(q.expose())?,
                    exponent1: uint(dp.expose())?,
                    exponent2: uint(dq.expose())?,
                    coefficient: uint(qi.expose())?,
                    other_prime_infos: None,
                }
                .to_der()
                .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
                RsaPrivate::from_pkcs1_der(&Zeroizing::new(der))
            }
            (p, q, None, None, None) => {
                let primes = match (p, q) {
                    (Some(p), Some(q)) => vec![big(p.expose())?, big(q.expose())?],
                    (None, None) => Vec::new(),
                    _ => return Err(invalid("p and q must come together")),
                };
                check_private_size(bit_len(&c.n))?;
                check_exponent(&c.e, 65537)?;
                let key = ::rsa::PrivateKey::from_components(
                    big(&c.n)?,
                    big(&c.e)?,
                    big(c.d.expose())?,
                    primes,
                )
                .map_err(|_| invalid("inconsistent components"))?;
                let der = key
                    .to_pkcs1_der()
                    .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
                RsaPrivate::from_pkcs1_der(der.as_bytes())
            }
            _ => Err(invalid("dp, dq and qi must come together, with p and q")),
        }
    }

    pub(crate) fn to_pkcs1_der(&self) -> Result<Secret> {
        let doc = self
            .key
            .to_pkcs1_der()
            .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
        Ok(Secret::from_slice(doc.as_bytes()))
    }

    pub(crate) fn to_pkcs8_der(&self) -> Result<Secret> {
        let doc = self
            .key
            .to_pkcs8_der()
            .map_err(|_| CryptoError::Encoding("PKCS#8"))?;
        Ok(Secret::from_slice(doc.as_bytes()))
    }

    pub(crate) fn components(&self) -> Result<RsaPrivateComponents> {
        let der = self.to_pkcs1_der()?;
        let parsed = ::pkcs1::RsaPrivateKeyRef::from_der(der.expose())
            .map_err(|_| CryptoError::Encoding("PKCS#1"))?;
        let secret = |u: ::pkcs1::UintRef<'_>| Secret::from_slice(trim(u.as_bytes()));
        Ok(RsaPrivateComponents {
            n: trim(parsed.modulus.as_bytes()).to_vec(),
            e: trim(parsed.public_exponent.as_bytes()).to_vec(),
            d: secret(parsed.private_exponent),
            p: Some(secret(parsed.prime1)),
            q: Some(secret(parsed.prime2)),
            dp: Some(secret(parsed.exponent1)),
            dq: Some(secret(parsed.exponent2)),
            qi: Some(secret(parsed.coefficient)),
        })
    }

    pub(crate) fn public(&self) -> &RsaPublic {
        &self.public
    }

    /// PKCS#1 v1.5 or PSS (salt = hash length); `message` was checked against the hash.
    pub(crate) fn sign(&self, alg: SignatureAlgorithm, message: Message<'_>) -> Result<Vec<u8>> {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        let failed = |_| CryptoError::Failed;
        match message {
            Message::Data(data) => {
                let padding: &'static dyn ring_sig::RsaEncoding = match alg {
                    SignatureAlgorithm::Rs256 => &ring_sig::RSA_PKCS1_SHA256,
                    SignatureAlgorithm::Rs384 => &ring_sig::RSA_PKCS1_SHA384,
                    SignatureAlgorithm::Rs512 => &ring_sig::RSA_PKCS1_SHA512,
                    SignatureAlgorithm::Ps256 => &ring_sig::RSA_PSS_SHA256,
                    SignatureAlgorithm::Ps384 => &ring_sig::RSA_PSS_SHA384,
                    SignatureAlgorithm::Ps512 => &ring_sig::RSA_PSS_SHA512,
                    _ => return Err(CryptoError::Unsupported("not an RSA algorithm")),
                };
                let mut sig = vec![0u8; self.ring.public().modulus_len()];
                self.ring
                    .sign(padding, &SystemRandom::new(), data, &mut sig)
                    .map_err(|_| CryptoError::Failed)?;
                Ok(sig)
            }
            // ring cannot sign a digest it did not compute.
            Message::Digest(digest) => match alg {
                SignatureAlgorithm::Rs256 => self.key.pkcs1v15_sign_prehash::<Sha256>(digest),
                SignatureAlgorithm::Rs384 => self.key.pkcs1v15_sign_prehash::<Sha384>(digest),
                SignatureAlgorithm::Rs512 => self.key.pkcs1v15_sign_prehash::<Sha512>(digest),
                SignatureAlgorithm::Ps256 => self.key.pss_sign_prehash::<Sha256>(digest),
                SignatureAlgorithm::Ps384 => self.key.pss_sign_prehash::<Sha384>(digest),
                SignatureAlgorithm::Ps512 => self.key.pss_sign_prehash::<Sha512>(digest),
                _ => return Err(CryptoError::Unsupported("not an RSA algorithm")),
            }
            .map_err(failed),
        }
    }

    /// RSAES-OAEP decryption (RFC 8017 §7.1.2): `hash` for the label, MGF1 with
    /// `mgf_hash`.
    pub(crate) fn decrypt_oaep(
        &self,
        hash: HashAlgorithm,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        ciphertext: &[u8],
    ) -> Result<Secret> {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        let plaintext = match hash {
            HashAlgorithm::Sha1 => self.decrypt_oaep_mgf::<sha1::Sha1>(mgf_hash, label, ciphertext),
            HashAlgorithm::Sha256 => self.decrypt_oaep_mgf::<Sha256>(mgf_hash, label, ciphertext),
            HashAlgorithm::Sha384 => self.decrypt_oaep_mgf::<Sha384>(mgf_hash, label, ciphertext),
            HashAlgorithm::Sha512 => self.decrypt_oaep_mgf::<Sha512>(mgf_hash, label, ciphertext),
            _ => return Err(unsupported_oaep_hash()),
        }?;
        // Both checks run whatever the outcome, and fail the same way (no Manger oracle).
        let leading_zero = self.leading_octet_is_zero(ciphertext);
        match plaintext {
            Ok(plaintext) if bool::from(leading_zero) => Ok(Secret::new(plaintext)),
            Ok(plaintext) => {
                drop(Zeroizing::new(plaintext));
                Err(CryptoError::Failed)
            }
            Err(_) => Err(CryptoError::Failed),
        }
    }

    /// OAEP decryption with the label hash `D` and MGF1 over `mgf_hash`; the outer
    /// `Result` refuses an unsupported MGF1 hash, the inner one is the decryption's.
    fn decrypt_oaep_mgf<D>(
        &self,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        ciphertext: &[u8],
    ) -> Result<::rsa::Result<Vec<u8>>>
    where
        D: ::rsa::sha2::Digest + ::rsa::sha2::digest::FixedOutputReset,
    {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        let label: Box<[u8]> = label.into();
        Ok(match mgf_hash {
            HashAlgorithm::Sha1 => self.key.decrypt(
                Oaep::<D, sha1::Sha1>::new_with_mgf_hash_and_label(label),
                ciphertext,
            ),
            HashAlgorithm::Sha256 => self.key.decrypt(
                Oaep::<D, Sha256>::new_with_mgf_hash_and_label(label),
                ciphertext,
            ),
            HashAlgorithm::Sha384 => self.key.decrypt(
                Oaep::<D, Sha384>::new_with_mgf_hash_and_label(label),
                ciphertext,
            ),
            HashAlgorithm::Sha512 => self.key.decrypt(
                Oaep::<D, Sha512>::new_with_mgf_hash_and_label(label),
                ciphertext,
            ),
            _ => return Err(unsupported_oaep_hash()),
        })
    }

    /// RSASSA-PSS signature (RFC 8017 §8.1.1) of a `hash` digest, MGF1 with the same
    /// hash, with a salt of `salt_len` bytes: from 0 to the longest the modulus allows.
    pub(crate) fn sign_pss(
        &self,
        hash: HashAlgorithm,
        salt_len: usize,
        digest: &[u8],
    ) -> Result<Vec<u8>> {
        use ::rsa::pss::Pss;
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        if salt_len > self.public.max_pss_salt_len(hash) {
            return Err(CryptoError::Invalid {
                what: "salt length",
                reason: "too long for the key and hash",
            });
        }
        if digest.len() != hash.output_len() {
            return Err(CryptoError::Invalid {
                what: "digest",
                reason: "not the hash's length",
            });
        }
        let rng = &mut getrandom::SysRng;
        match hash {
            HashAlgorithm::Sha256 => {
                self.key
                    .sign_with_rng(rng, Pss::<Sha256>::new_with_salt(salt_len), digest)
            }
            HashAlgorithm::Sha384 => {
                self.key
                    .sign_with_rng(rng, Pss::<Sha384>::new_with_salt(salt_len), digest)
            }
            HashAlgorithm::Sha512 => {
                self.key
                    .sign_with_rng(rng, Pss::<Sha512>::new_with_salt(salt_len), digest)
            }
            _ => return Err(unsupported_pss_hash()),
        }
        .map_err(|_| CryptoError::Failed)
    }

    /// RFC 8017 §7.1.2 step 3g rejects an encoded message whose first octet Y is not zero;
    /// the `rsa` crate (0.10) deliberately ignores Y, so it is checked here on the output
    /// of the crate's own (blinded, constant-time) private operation.
    fn leading_octet_is_zero(&self, ciphertext: &[u8]) -> subtle::Choice {
        use subtle::ConstantTimeEq as _;
        let k = self.key.size();
        if ciphertext.len() != k {
            return subtle::Choice::from(0);
        }
        let Ok(c) = ::rsa::BoxedUint::from_be_slice(ciphertext, self.key.n_bits_precision()) else {
            return subtle::Choice::from(0);
        };
        let Ok(m) =
            ::rsa::hazmat::rsa_decrypt_and_check(&self.key, Some(&mut getrandom::SysRng), &c)
        else {
            return subtle::Choice::from(0);
        };
        let m = Zeroizing::new(m);
        let em = Zeroizing::new(m.to_be_bytes());
        // `em` is the integer over its storage width, at least k octets; Y is the first
        // of the last k.
        em.len()
            .checked_sub(k)
            .and_then(|start| em.get(start))
            .map_or(subtle::Choice::from(0), |y| y.ct_eq(&0))
    }

    /// RSAES-PKCS1-v1_5 decryption with implicit rejection.
    pub(crate) fn decrypt_pkcs1v15(&self, ciphertext: &[u8]) -> Result<Secret> {
        self.key
            .pkcs1v15_decrypt(ciphertext)
            .map(Secret::new)
            .map_err(|_| CryptoError::Failed)
    }
}

fn unsupported_pss_hash() -> CryptoError {
    CryptoError::Unsupported("PSS with a salt of another length takes SHA-256, SHA-384 or SHA-512")
}

pub(crate) fn unsupported_oaep_hash() -> CryptoError {
    CryptoError::Unsupported("OAEP hash (SHA-1, SHA-256, SHA-384 or SHA-512)")
}

fn uint(bytes: &[u8]) -> Result<::pkcs1::UintRef<'_>> {
    ::pkcs1::UintRef::new(bytes).map_err(|_| CryptoError::Encoding("RSA component"))
}

fn big(bytes: &[u8]) -> Result<::rsa::BoxedUint> {
    let bytes = trim(bytes);
    let bits = u32::try_from(bytes.len().max(1) * 8).map_err(|_| invalid("component too large"))?;
    ::rsa::BoxedUint::from_be_slice(bytes, bits).map_err(|_| CryptoError::Encoding("RSA component"))
}

impl RsaPublic {
    fn from_key(key: ::rsa::PublicKey) -> Result<RsaPublic> {
        let n = key.n_bytes().to_vec();
        let e = key.e_bytes().to_vec();
        let bits = bit_len(&n);
        Ok(RsaPublic { key, n, e, bits })
    }

    /// From a PKCS#1 `RSAPublicKey` (RFC 8017 §A.1.1). `legacy` admits 1024 to 2047 bits.
    pub(crate) fn from_pkcs1_der(der: &[u8], legacy: bool) -> Result<RsaPublic> {
        let parsed = ::pkcs1::RsaPublicKeyRef::from_der(der)
            .map_err(|_| CryptoError::Encoding("PKCS#1 public"))?;
        let bits = bit_len(parsed.modulus.as_bytes());
        let min = if legacy { MIN_LEGACY_BITS } else { MIN_BITS };
        if !(min..=MAX_PUBLIC_BITS).contains(&bits) {
            return Err(CryptoError::Unsupported(
                "RSA public key size (2048 to 8192 bits)",
            ));
        }
        check_exponent(parsed.public_exponent.as_bytes(), 3)?;
        let key = ::rsa::PublicKey::from_pkcs1_der(der).map_err(|_| invalid("malformed"))?;
        RsaPublic::from_key(key)
    }

    pub(crate) fn from_components(c: &RsaPublicComponents, legacy: bool) -> Result<RsaPublic> {
        let der = ::pkcs1::RsaPublicKey {
            modulus: uint(&c.n)?,
            public_exponent: uint(&c.e)?,
        }
        .to_der()
        .map_err(|_| CryptoError::Encoding("PKCS#1 public"))?;
        RsaPublic::from_pkcs1_der(&der, legacy)
    }

    pub(crate) fn bits(&self) -> usize {
        self.bits
    }

    pub(crate) fn components(&self) -> RsaPublicComponents {
        RsaPublicComponents {
            n: self.n.clone(),
            e: self.e.clone(),
        }
    }

    pub(crate) fn to_spki_der(&self) -> Result<Vec<u8>> {
        self.key
            .to_public_key_der()
            .map(|doc| doc.as_bytes().to_vec())
            .map_err(|_| CryptoError::Encoding("SubjectPublicKeyInfo"))
    }

    pub(crate) fn to_pkcs1_der(&self) -> Result<Vec<u8>> {
        ::pkcs1::RsaPublicKeyRef {
            modulus: ::pkcs1::UintRef::new(&self.n).map_err(|_| CryptoError::Encoding("PKCS#1"))?,
            public_exponent: ::pkcs1::UintRef::new(&self.e)
                .map_err(|_| CryptoError::Encoding("PKCS#1"))?,
        }
        .to_der()
        .map_err(|_| CryptoError::Encoding("PKCS#1 public"))
    }

    /// Any failure is `Failed`; `message` was checked against the hash.
    pub(crate) fn verify(
        &self,
        alg: SignatureAlgorithm,
        message: Message<'_>,
        signature: &[u8],
    ) -> Result<()> {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        let ring_alg: &'static ring_sig::RsaParameters = match alg {
            SignatureAlgorithm::Rs256 => &ring_sig::RSA_PKCS1_2048_8192_SHA256,
            SignatureAlgorithm::Rs384 => &ring_sig::RSA_PKCS1_2048_8192_SHA384,
            SignatureAlgorithm::Rs512 => &ring_sig::RSA_PKCS1_2048_8192_SHA512,
            SignatureAlgorithm::Ps256 => &ring_sig::RSA_PSS_2048_8192_SHA256,
            SignatureAlgorithm::Ps384 => &ring_sig::RSA_PSS_2048_8192_SHA384,
            SignatureAlgorithm::Ps512 => &ring_sig::RSA_PSS_2048_8192_SHA512,
            _ => return Err(CryptoError::Unsupported("not an RSA algorithm")),
        };
        // ring verifies messages for keys of 2048 bits and more; a digest, or a legacy
        // key's message, goes to the `rsa` crate.
        let digest_storage;
        let digest = match message {
            Message::Data(data) if self.bits >= MIN_BITS => {
                let components = ring_sig::RsaPublicKeyComponents {
                    n: &self.n,
                    e: &self.e,
                };
                return components
                    .verify(ring_alg, data, signature)
                    .map_err(|_| CryptoError::Failed);
            }
            Message::Data(data) => {
                digest_storage = crate::hash::digest(alg.hash(), data);
                digest_storage.as_bytes()
            }
            Message::Digest(digest) => digest,
        };
        // The `rsa` crate reads a signature shorter than the modulus as if left-padded;
        // RFC 8017 §8.2.2 step 1 rejects it, as ring does.
        if signature.len() != self.key.size() {
            return Err(CryptoError::Failed);
        }
        match alg.scheme() {
            Scheme::Pkcs1v15 => match alg.hash() {
                HashAlgorithm::Sha256 => self
                    .key
                    .pkcs1v15_verify_prehash::<Sha256>(digest, signature),
                HashAlgorithm::Sha384 => self
                    .key
                    .pkcs1v15_verify_prehash::<Sha384>(digest, signature),
                _ => self
                    .key
                    .pkcs1v15_verify_prehash::<Sha512>(digest, signature),
            },
            _ => match alg.hash() {
                HashAlgorithm::Sha256 => self.key.pss_verify_prehash::<Sha256>(digest, signature),
                HashAlgorithm::Sha384 => self.key.pss_verify_prehash::<Sha384>(digest, signature),
                _ => self.key.pss_verify_prehash::<Sha512>(digest, signature),
            },
        }
        .map_err(|_| CryptoError::Failed)
    }

    /// RSAES-OAEP encryption (RFC 8017 §7.1.1): `hash` for the label, MGF1 with
    /// `mgf_hash`.
    pub(crate) fn encrypt_oaep(
        &self,
        hash: HashAlgorithm,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>> {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        if self.bits < MIN_BITS {
            return Err(CryptoError::Unsupported(
                "encryption to a legacy RSA key under 2048 bits",
            ));
        }
        let too_long = |e: ::rsa::Error| match e {
            ::rsa::Error::Rng => CryptoError::Rng,
            _ => CryptoError::Invalid {
                what: "plaintext",
                reason: "too long for the key and hash",
            },
        };
        match hash {
            HashAlgorithm::Sha1 => self.encrypt_oaep_mgf::<sha1::Sha1>(mgf_hash, label, plaintext),
            HashAlgorithm::Sha256 => self.encrypt_oaep_mgf::<Sha256>(mgf_hash, label, plaintext),
            HashAlgorithm::Sha384 => self.encrypt_oaep_mgf::<Sha384>(mgf_hash, label, plaintext),
            HashAlgorithm::Sha512 => self.encrypt_oaep_mgf::<Sha512>(mgf_hash, label, plaintext),
            _ => return Err(unsupported_oaep_hash()),
        }?
        .map_err(too_long)
    }

    /// OAEP encryption with the label hash `D` and MGF1 over `mgf_hash`.
    fn encrypt_oaep_mgf<D>(
        &self,
        mgf_hash: HashAlgorithm,
        label: &[u8],
        plaintext: &[u8],
    ) -> Result<::rsa::Result<Vec<u8>>>
    where
        D: ::rsa::sha2::Digest + ::rsa::sha2::digest::FixedOutputReset,
    {
        use ::rsa::sha2::{Sha256, Sha384, Sha512};
        let label: Box<[u8]> = label.into();
        let rng = &mut getrandom::SysRng;
        Ok(match mgf_hash {
            HashAlgorithm::Sha1 => self.key.encrypt(
                rng,
                Oaep::<D, sha1::Sha1>::new_with_mgf_hash_and_label(label),
                plaintext,
            ),
            HashAlgorithm::Sha256 => self.key.encrypt(
                rng,
                Oaep::<D, Sha256>::new_with_mgf_hash_and_label(label),
                plaintext,
            ),
            HashAlgorithm::Sha384 => self.key.encrypt(
                rng,
                Oaep::<D, Sha384>::new_with_mgf_hash_and_label(label),
                plaintext,
            ),
            HashAlgorithm::Sha512 => self.key.encrypt(
                rng,
                Oaep::<D, Sha512>::new_with_mgf_hash_and_label(label),
                plaintext,
            ),
            _ => return Err(unsupported_oaep_hash()),
        })
    }

    /// The longest PSS salt for this modulus and `hash`: emLen − hLen − 2 (RFC 8017
    /// §9.1.1 step 3), emLen = ⌈(modBits − 1) / 8⌉.
    pub(crate) fn max_pss_salt_len(&self, hash: HashAlgorithm) -> usize {
        self.bits
            .saturating_sub(1)
            .div_ceil(8)
            .saturating_sub(hash.output_len() + 2)
    }

    /// Verifies an RSASSA-PSS signature over a `hash` digest, MGF1 with the same hash, with
    /// a salt of `salt_len` bytes, or of any length when `None` (RFC 8017 §9.1.2 reads
    /// the salt's length off the encoded message). Any failure is `Failed`.
    pub(crate) fn verify_pss(
        &self,
        hash: HashAlgorithm,
        salt_len: Option<usize>,
        digest: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        use ::rsa::pss::Pss;
        use ::rsa::sha2::{Digest as _, Sha256, Sha384, Sha512};
        if digest.len() != hash.output_len() {
            return Err(CryptoError::Invalid {
                what: "digest",
                reason: "not the hash's length",
            });
        }
        // RFC 8017 §8.1.2 step 1, as in `verify`.
        if signature.len() != self.key.size() {
            return Err(CryptoError::Failed);
        }
        match hash {
            HashAlgorithm::Sha256 => self.key.verify(
                Pss {
                    blinded: false,
                    digest: Sha256::new(),
                    salt_len,
                },
                digest,
                signature,
            ),
            HashAlgorithm::Sha384 => self.key.verify(
                Pss {
                    blinded: false,
                    digest: Sha384::new(),
                    salt_len,
                },
                digest,
                signature,
            ),
            HashAlgorithm::Sha512 => self.key.verify(
                Pss {
                    blinded: false,
                    digest: Sha512::new(),
                    salt_len,
                },
                digest,
                signature,
            ),
            _ => return Err(unsupported_pss_hash()),
        }
        .map_err(|_| CryptoError::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_counts_from_the_top_set_bit() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[0x7f; 256]), 2047);
    }

    #[test]
    fn exponent_policy() {
        assert!(check_exponent(&[1, 0, 1], 65537).is_ok());
        assert!(check_exponent(&[0, 0, 1, 0, 1], 65537).is_ok());
        assert!(check_exponent(&[3], 65537).is_err());
        assert!(check_exponent(&[3], 3).is_ok());
        assert!(check_exponent(&[1, 0, 0], 3).is_err());
        assert!(check_exponent(&[1], 3).is_err());
        assert!(check_exponent(&[2, 0, 0, 0, 1], 3).is_err());
        assert!(check_exponent(&[1, 0, 0, 0, 1], 3).is_ok());
    }

    #[test]
    fn private_key_sizes_are_multiples_of_512() {
        for bits in [2048, 2560, 3072, 3584, 4096] {
            assert!(check_private_size(bits).is_ok(), "{bits}");
        }
        for bits in [1024, 2047, 2049, 2688, 4608, 8192] {
            assert!(check_private_size(bits).is_err(), "{bits}");
        }
    }

    #[test]
    fn generation_sizes_are_the_three_offered() {
        assert_eq!(RsaKeySize::try_from(3072), Ok(RsaKeySize::Rsa3072));
        assert!(RsaKeySize::try_from(1024).is_err());
    }
}

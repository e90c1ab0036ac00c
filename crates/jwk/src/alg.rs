//! The registered names this crate knows: key types, uses, operations, curves and
//! algorithms (RFC 7517 §4, RFC 7518 §3-§7). One declaration per vocabulary gives the
//! enum, its wire name, the reverse lookup and serde.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, input_name};

macro_rules! names {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The registered name.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value with this registered name (case-sensitive, RFC 7515 §4.1.1).
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// Like [`Self::from_name`], with the error this crate reports.
            pub(crate) fn parse(name: &str) -> Result<Self, Error> {
                Self::from_name(name).ok_or_else(|| Error::Unsupported {
                    what: $what,
                    value: input_name(name),
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl core::str::FromStr for $name {
            type Err = Error;

            fn from_str(s: &str) -> Result<Self, Error> {
                Self::parse(s)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let name = String::deserialize(deserializer)?;
                Self::parse(&name).map_err(serde::de::Error::custom)
            }
        }
    };
}

names! {
    /// `kty` (RFC 7518 §6.1). `OKP` and others are refused.
    pub enum KeyType ("kty") {
        /// A symmetric key, `k`.
        Oct = "oct",
        /// An RSA key pair or public key.
        Rsa = "RSA",
        /// An elliptic-curve key pair or public key on a NIST curve.
        Ec = "EC",
    }
}

names! {
    /// `use` (RFC 7517 §4.2). Other values are refused.
    pub enum KeyUse ("use") {
        /// Signatures and MACs.
        Sig = "sig",
        /// Encryption and key wrapping.
        Enc = "enc",
    }
}

names! {
    /// One `key_ops` value (RFC 7517 §4.3). Other values are refused.
    pub enum KeyOp ("key_ops value") {
        /// Compute a digital signature or MAC.
        Sign = "sign",
        /// Verify a digital signature or MAC.
        Verify = "verify",
        /// Encrypt content.
        Encrypt = "encrypt",
        /// Decrypt content and validate decryption.
        Decrypt = "decrypt",
        /// Encrypt a key.
        WrapKey = "wrapKey",
        /// Decrypt a key and validate decryption.
        UnwrapKey = "unwrapKey",
        /// Derive a key.
        DeriveKey = "deriveKey",
        /// Derive bits not to be used as a key.
        DeriveBits = "deriveBits",
    }
}

impl KeyOp {
    /// The `use` this operation belongs to (RFC 7517 §4.3: `use` and `key_ops` must agree).
    pub const fn key_use(self) -> KeyUse {
        match self {
            KeyOp::Sign | KeyOp::Verify => KeyUse::Sig,
            _ => KeyUse::Enc,
        }
    }
}

names! {
    /// `crv` of an EC key (RFC 7518 §6.2.1.1). Other curves are refused.
    pub enum Curve ("crv") {
        /// NIST P-256.
        P256 = "P-256",
        /// NIST P-384.
        P384 = "P-384",
        /// NIST P-521.
        P521 = "P-521",
    }
}

impl Curve {
    /// Octets of a coordinate, and of the private scalar `d` (RFC 7518 §6.2.1.2, §6.2.2.1).
    pub const fn coordinate_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The ECDSA algorithm defined for this curve (RFC 7518 §3.4).
    pub const fn jws_algorithm(self) -> JwsAlgorithm {
        match self {
            Curve::P256 => JwsAlgorithm::Es256,
            Curve::P384 => JwsAlgorithm::Es384,
            Curve::P521 => JwsAlgorithm::Es512,
        }
    }
}

names! {
    /// A JWS `alg` (RFC 7518 §3.1). `none` is not representable: it is refused everywhere.
    pub enum JwsAlgorithm ("JWS alg") {
        /// HMAC with SHA-256.
        Hs256 = "HS256",
        /// HMAC with SHA-384.
        Hs384 = "HS384",
        /// HMAC with SHA-512.
        Hs512 = "HS512",
        /// RSASSA-PKCS1-v1_5 with SHA-256.
        Rs256 = "RS256",
        /// RSASSA-PKCS1-v1_5 with SHA-384.
        Rs384 = "RS384",
        /// RSASSA-PKCS1-v1_5 with SHA-512.
        Rs512 = "RS512",
        /// RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt of 32 octets.
        Ps256 = "PS256",
        /// RSASSA-PSS with SHA-384, MGF1 with SHA-384, salt of 48 octets.
        Ps384 = "PS384",
        /// RSASSA-PSS with SHA-512, MGF1 with SHA-512, salt of 64 octets.
        Ps512 = "PS512",
        /// ECDSA on P-256 with SHA-256, signature `r‖s` (64 octets).
        Es256 = "ES256",
        /// ECDSA on P-384 with SHA-384, signature `r‖s` (96 octets).
        Es384 = "ES384",
        /// ECDSA on P-521 with SHA-512, signature `r‖s` (132 octets).
        Es512 = "ES512",
    }
}

/// The families of JWS algorithms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwsFamily {
    /// HS*: HMAC over an `oct` key.
    Hmac,
    /// RS*: RSASSA-PKCS1-v1_5.
    RsaPkcs1,
    /// PS*: RSASSA-PSS.
    RsaPss,
    /// ES*: ECDSA, `r‖s`.
    Ecdsa,
}

impl JwsAlgorithm {
    /// The family.
    pub const fn family(self) -> JwsFamily {
        match self {
            JwsAlgorithm::Hs256 | JwsAlgorithm::Hs384 | JwsAlgorithm::Hs512 => JwsFamily::Hmac,
            JwsAlgorithm::Rs256 | JwsAlgorithm::Rs384 | JwsAlgorithm::Rs512 => JwsFamily::RsaPkcs1,
            JwsAlgorithm::Ps256 | JwsAlgorithm::Ps384 | JwsAlgorithm::Ps512 => JwsFamily::RsaPss,
            JwsAlgorithm::Es256 | JwsAlgorithm::Es384 | JwsAlgorithm::Es512 => JwsFamily::Ecdsa,
        }
    }

    /// Output length of the hash in octets (32, 48 or 64); also the PSS salt length.
    pub const fn hash_len(self) -> usize {
        match self {
            JwsAlgorithm::Hs256
            | JwsAlgorithm::Rs256
            | JwsAlgorithm::Ps256
            | JwsAlgorithm::Es256 => 32,
            JwsAlgorithm::Hs384
            | JwsAlgorithm::Rs384
            | JwsAlgorithm::Ps384
            | JwsAlgorithm::Es384 => 48,
            JwsAlgorithm::Hs512
            | JwsAlgorithm::Rs512
            | JwsAlgorithm::Ps512
            | JwsAlgorithm::Es512 => 64,
        }
    }

    /// The key type the algorithm takes.
    pub const fn key_type(self) -> KeyType {
        match self.family() {
            JwsFamily::Hmac => KeyType::Oct,
            JwsFamily::RsaPkcs1 | JwsFamily::RsaPss => KeyType::Rsa,
            JwsFamily::Ecdsa => KeyType::Ec,
        }
    }

    /// The curve of an ES* algorithm.
    pub const fn curve(self) -> Option<Curve> {
        match self {
            JwsAlgorithm::Es256 => Some(Curve::P256),
            JwsAlgorithm::Es384 => Some(Curve::P384),
            JwsAlgorithm::Es512 => Some(Curve::P521),
            _ => None,
        }
    }

    /// The exact signature length where the algorithm fixes it: HS* (the MAC, untruncated)
    /// and ES* (`r‖s`, RFC 7518 §3.4). RSA signatures are as long as the modulus.
    pub const fn fixed_signature_len(self) -> Option<usize> {
        match self.family() {
            JwsFamily::Hmac => Some(self.hash_len()),
            JwsFamily::Ecdsa => match self.curve() {
                Some(curve) => Some(2 * curve.coordinate_len()),
                None => None,
            },
            JwsFamily::RsaPkcs1 | JwsFamily::RsaPss => None,
        }
    }
}

names! {
    /// A JWE key-management `alg` (RFC 7518 §4.1). Only `dir` is implemented by
    /// [`jwe`](crate::jwe); the others are known so that a JWK may name them.
    pub enum KeyManagementAlgorithm ("JWE alg") {
        /// Direct use of a shared symmetric key as the content-encryption key.
        Dir = "dir",
        /// RSAES-OAEP with SHA-1.
        RsaOaep = "RSA-OAEP",
        /// RSAES-OAEP with SHA-256.
        RsaOaep256 = "RSA-OAEP-256",
        /// AES-128 key wrap.
        A128Kw = "A128KW",
        /// AES-192 key wrap.
        A192Kw = "A192KW",
        /// AES-256 key wrap.
        A256Kw = "A256KW",
        /// AES-128-GCM key wrap.
        A128GcmKw = "A128GCMKW",
        /// AES-192-GCM key wrap.
        A192GcmKw = "A192GCMKW",
        /// AES-256-GCM key wrap.
        A256GcmKw = "A256GCMKW",
    }
}

impl KeyManagementAlgorithm {
    /// The key type the algorithm takes.
    pub const fn key_type(self) -> KeyType {
        match self {
            KeyManagementAlgorithm::RsaOaep | KeyManagementAlgorithm::RsaOaep256 => KeyType::Rsa,
            _ => KeyType::Oct,
        }
    }

    /// The exact symmetric key length in octets, where the algorithm fixes it.
    pub const fn key_len(self) -> Option<usize> {
        match self {
            KeyManagementAlgorithm::A128Kw | KeyManagementAlgorithm::A128GcmKw => Some(16),
            KeyManagementAlgorithm::A192Kw | KeyManagementAlgorithm::A192GcmKw => Some(24),
            KeyManagementAlgorithm::A256Kw | KeyManagementAlgorithm::A256GcmKw => Some(32),
            KeyManagementAlgorithm::Dir
            | KeyManagementAlgorithm::RsaOaep
            | KeyManagementAlgorithm::RsaOaep256 => None,
        }
    }
}

names! {
    /// A JWE content-encryption `enc` (RFC 7518 §5.1): AES-GCM only (§5.3), 96-bit IV,
    /// 128-bit tag.
    pub enum ContentEncryption ("JWE enc") {
        /// AES-128-GCM.
        A128Gcm = "A128GCM",
        /// AES-192-GCM.
        A192Gcm = "A192GCM",
        /// AES-256-GCM.
        A256Gcm = "A256GCM",
    }
}

impl ContentEncryption {
    /// Key length in octets.
    pub const fn key_len(self) -> usize {
        match self {
            ContentEncryption::A128Gcm => 16,
            ContentEncryption::A192Gcm => 24,
            ContentEncryption::A256Gcm => 32,
        }
    }
}

/// Length of the AES-GCM IV, 96 bits (RFC 7518 §5.3: "REQUIRED").
pub const GCM_IV_LEN: usize = 12;
/// Length of the AES-GCM authentication tag, 128 bits (RFC 7518 §5.3).
pub const GCM_TAG_LEN: usize = 16;

/// The `alg` member of a JWK (RFC 7517 §4.4): any algorithm this crate can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// A JWS algorithm.
    Signature(JwsAlgorithm),
    /// A JWE key-management algorithm.
    KeyManagement(KeyManagementAlgorithm),
    /// A JWE content-encryption algorithm (RFC 7520 §3.6 and §5.6 label keys this way).
    ContentEncryption(ContentEncryption),
}

impl Algorithm {
    /// The registered name.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::Signature(a) => a.name(),
            Algorithm::KeyManagement(a) => a.name(),
            Algorithm::ContentEncryption(a) => a.name(),
        }
    }

    /// The algorithm with this name; `none` and unknown names are errors.
    pub fn parse(name: &str) -> Result<Self, Error> {
        if name == "none" {
            return Err(Error::AlgNone);
        }
        if let Some(a) = JwsAlgorithm::from_name(name) {
            return Ok(Algorithm::Signature(a));
        }
        if let Some(a) = KeyManagementAlgorithm::from_name(name) {
            return Ok(Algorithm::KeyManagement(a));
        }
        if let Some(a) = ContentEncryption::from_name(name) {
            return Ok(Algorithm::ContentEncryption(a));
        }
        Err(Error::Unsupported {
            what: "alg",
            value: input_name(name),
        })
    }

    /// The key type the algorithm takes.
    pub const fn key_type(self) -> KeyType {
        match self {
            Algorithm::Signature(a) => a.key_type(),
            Algorithm::KeyManagement(a) => a.key_type(),
            Algorithm::ContentEncryption(_) => KeyType::Oct,
        }
    }

    /// The `use` the algorithm belongs to.
    pub const fn key_use(self) -> KeyUse {
        match self {
            Algorithm::Signature(_) => KeyUse::Sig,
            Algorithm::KeyManagement(_) | Algorithm::ContentEncryption(_) => KeyUse::Enc,
        }
    }

    /// The exact length of an `oct` key, where the algorithm fixes it (AES).
    pub const fn oct_key_len(self) -> Option<usize> {
        match self {
            Algorithm::Signature(_) => None,
            Algorithm::KeyManagement(a) => a.key_len(),
            Algorithm::ContentEncryption(a) => Some(a.key_len()),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl From<JwsAlgorithm> for Algorithm {
    fn from(a: JwsAlgorithm) -> Self {
        Algorithm::Signature(a)
    }
}

impl From<KeyManagementAlgorithm> for Algorithm {
    fn from(a: KeyManagementAlgorithm) -> Self {
        Algorithm::KeyManagement(a)
    }
}

impl From<ContentEncryption> for Algorithm {
    fn from(a: ContentEncryption) -> Self {
        Algorithm::ContentEncryption(a)
    }
}

impl core::str::FromStr for Algorithm {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Algorithm::parse(s)
    }
}

impl Serialize for Algorithm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Algorithm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Algorithm::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Copy + PartialEq + fmt::Debug>(
        all: &[T],
        name: impl Fn(T) -> &'static str,
        from: impl Fn(&str) -> Option<T>,
    ) {
        for v in all {
            assert_eq!(from(name(*v)), Some(*v));
        }
    }

    #[test]
    fn every_name_round_trips() {
        round_trips(KeyType::ALL, KeyType::name, KeyType::from_name);
        round_trips(KeyUse::ALL, KeyUse::name, KeyUse::from_name);
        round_trips(KeyOp::ALL, KeyOp::name, KeyOp::from_name);
        round_trips(Curve::ALL, Curve::name, Curve::from_name);
        round_trips(
            JwsAlgorithm::ALL,
            JwsAlgorithm::name,
            JwsAlgorithm::from_name,
        );
        round_trips(
            KeyManagementAlgorithm::ALL,
            KeyManagementAlgorithm::name,
            KeyManagementAlgorithm::from_name,
        );
        round_trips(
            ContentEncryption::ALL,
            ContentEncryption::name,
            ContentEncryption::from_name,
        );
    }

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(KeyType::from_name("rsa"), None);
        assert_eq!(JwsAlgorithm::from_name("es256"), None);
        assert_eq!(Curve::from_name("p-256"), None);
    }

    #[test]
    fn none_is_refused() {
        assert_eq!(Algorithm::parse("none"), Err(Error::AlgNone));
        assert_eq!(JwsAlgorithm::from_name("none"), None);
    }

    #[test]
    fn algorithm_names_are_unique_across_families() {
        let mut names: Vec<&str> = JwsAlgorithm::ALL.iter().map(|a| a.name()).collect();
        names.extend(KeyManagementAlgorithm::ALL.iter().map(|a| a.name()));
        names.extend(ContentEncryption::ALL.iter().map(|a| a.name()));
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        for name in names {
            assert_eq!(Algorithm::parse(name).unwrap().name(), name);
        }
    }

    #[test]
    fn signature_lengths() {
        assert_eq!(JwsAlgorithm::Es256.fixed_signature_len(), Some(64));
        assert_eq!(JwsAlgorithm::Es384.fixed_signature_len(), Some(96));
        assert_eq!(JwsAlgorithm::Es512.fixed_signature_len(), Some(132));
        assert_eq!(JwsAlgorithm::Hs384.fixed_signature_len(), Some(48));
        assert_eq!(JwsAlgorithm::Ps256.fixed_signature_len(), None);
    }
}

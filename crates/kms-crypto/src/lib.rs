#![doc = include_str!("../README.md")]

mod error;
pub mod secret;

pub use error::{CryptoError, Result};
pub use secret::Secret;

// Symmetric crypto, hashes and randomness.
pub mod aead;
pub mod hash;
pub mod keywrap;
pub mod legacy;
pub mod mac;
pub mod rng;
pub mod symmetric;
pub mod tdes;

pub use hash::HashAlgorithm;
pub use mac::HmacKey;
pub use symmetric::{AesKey, AesKeySize};
pub use tdes::{TdesKey, TdesKeySize};

// Asymmetric crypto: RSA and EC keys, signatures, RSA key transport, key encodings.
pub mod ec;
pub mod key_format;
pub mod keys;
pub mod rsa;
pub mod signature;

pub use self::rsa::{RsaKeySize, RsaPrivateComponents, RsaPublicComponents};
pub use ec::{EcCurve, PointFormat};
pub use key_format::{PrivateKeyFormat, PublicKeyFormat};
pub use keys::{KeySpec, KeyType, PrivateKey, PublicKey};
pub use signature::{Message, SignatureAlgorithm, SignatureFormat};

// JOSE: keys to and from JWKs, and the `jwk` crate's crypto traits.
#[cfg(feature = "jose")]
pub mod jose;
#[cfg(feature = "jose")]
pub use jose::KmsJose;

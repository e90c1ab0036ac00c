#![doc = include_str!("../README.md")]

pub mod alg;
mod b64;
pub mod crypto;
mod error;
pub mod header;
mod json;
pub mod jwe;
mod jwk;
pub mod jws;
pub mod jwt;
pub mod key;
mod secret;
mod set;

pub use alg::{
    Algorithm, ContentEncryption, Curve, JwsAlgorithm, KeyManagementAlgorithm, KeyOp, KeyType,
    KeyUse,
};
pub use crypto::{JweDecryptor, JweEncryptor, JwsSigner, JwsVerifier, Sealed};
pub use error::{CryptoError, Error, Name, Result};
pub use header::{Header, HeaderBuilder, JweHeader, JwsHeader, TokenPolicy};
pub use jwk::{ExposePrivate, Jwk, NullMembers, ParseOptions, UnknownMembers};
pub use key::KeyParams;
pub use secret::SecretBytes;
pub use set::JwkSet;

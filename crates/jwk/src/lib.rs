#![doc = include_str!("../README.md")]

pub mod alg;
mod b64;
mod error;
mod json;
mod jwk;
pub mod key;
mod secret;
mod set;

pub use alg::{
    Algorithm, ContentEncryption, Curve, JwsAlgorithm, KeyManagementAlgorithm, KeyOp, KeyType,
    KeyUse,
};
pub use error::{CryptoError, Error, Name, Result};
pub use jwk::{ExposePrivate, Jwk, NullMembers, ParseOptions, UnknownMembers};
pub use key::KeyParams;
pub use secret::SecretBytes;
pub use set::JwkSet;

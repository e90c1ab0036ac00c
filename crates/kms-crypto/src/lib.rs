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

pub use hash::HashAlgorithm;
pub use mac::HmacKey;
pub use symmetric::{AesKey, AesKeySize};

#![doc = include_str!("../README.md")]

mod error;
pub mod secret;

pub use error::{CryptoError, Result};
pub use secret::Secret;

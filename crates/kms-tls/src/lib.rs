#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod identity;

pub use identity::ClientIdentity;

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod context;
mod error;
pub mod ops;

pub use context::OpContext;
pub use error::KmipError;

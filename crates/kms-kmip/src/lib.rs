#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod context;
pub mod dispatch;
mod error;
pub mod ops;
pub mod server;
pub mod stream;

pub use context::OpContext;
pub use error::KmipError;
pub use server::{KmipConfig, serve};
pub use stream::{StreamLimits, Streams};

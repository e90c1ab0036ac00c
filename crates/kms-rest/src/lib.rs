#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod context;
mod dto;
mod error;
mod handlers;
mod json;
mod jwe;
mod query;
mod response;
mod router;
mod server;
mod signature;

pub use context::RequestContext;
pub use error::{ApiError, Category};
pub use router::{Route, route};
pub use server::{RateLimit, RestConfig, serve};

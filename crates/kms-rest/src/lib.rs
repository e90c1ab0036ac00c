#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod context;
mod dto;
mod error;
mod handlers;
mod json;
mod query;
mod response;
mod router;

pub use context::RequestContext;
pub use error::{ApiError, Category};
pub use router::{Route, route};

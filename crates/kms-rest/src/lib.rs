#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

mod context;
mod error;
mod handlers;
mod router;

pub use context::RequestContext;
pub use error::{ApiError, Category};
pub use router::{Route, route};

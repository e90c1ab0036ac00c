#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod attributes;
pub mod backend;
mod error;
mod ids;
pub mod lifecycle;
pub mod material;
mod record;
pub mod sealing;

pub use error::{Result, StoreError};
pub use ids::{Identity, ObjectId};
pub use record::{IndexEntry, ObjectRecord};

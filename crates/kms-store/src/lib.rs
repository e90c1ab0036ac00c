#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod access;
pub mod attributes;
pub mod backend;
pub mod clock;
mod error;
mod ids;
pub mod lifecycle;
pub mod material;
mod record;
pub mod sealing;
mod store;

pub use backend::Storage;
pub use error::{Result, StoreError};
pub use ids::{Identity, ObjectId};
pub use lifecycle::Rules;
pub use record::{IndexEntry, ObjectRecord};
pub use store::{
    AttributeSelector, CheckRequest, CreateOptions, GetOptions, LocateRequest, LocateResult,
    ManagedObject, RevokeRequest, Store, StoreConfig, StreamUse,
};

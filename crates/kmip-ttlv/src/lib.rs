#![doc = include_str!("../README.md")]

pub mod decode;
pub mod dictionary;
mod encode;
mod error;
mod frame;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod item_type;
#[cfg(feature = "json")]
pub mod json;
mod limits;
pub mod pretty;
mod tag;
mod value;
#[cfg(any(feature = "xml", feature = "json"))]
mod value_text;
mod version;
#[cfg(feature = "xml")]
pub mod xml;

pub use decode::{HEADER_LEN, decode, decode_message};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use frame::FrameHeader;
pub use item_type::ItemType;
pub use limits::Limits;
pub use tag::{Tag, TagPath};
pub use value::{BigInteger, Ttlv, Value};
pub use version::KmipVersion;

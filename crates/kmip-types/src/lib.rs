#![doc = include_str!("../README.md")]

#[macro_use]
mod macros;
pub mod attributes;
pub mod codec;
pub mod credential;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod identifier;
pub mod message;
pub mod objects;
pub mod payloads;
pub mod secret;

pub use codec::{DateTime, DateTimeExtended, Interval, KmipCodec};
pub use error::{Error, ErrorKind};
pub use identifier::UniqueId;
pub use kmip_ttlv::dictionary::*;
pub use kmip_ttlv::{KmipVersion, Tag, Ttlv};

pub use attributes::{
    Attribute, AttributeReference, AttributeValue, Attributes, CryptographicParameters, Link, Name,
    RevocationReason, TemplateAttribute,
};
pub use credential::{Authentication, Credential, CredentialValue};
pub use message::{
    MessageExtension, Nonce, ProtocolVersion, RequestBatchItem, RequestHeader, RequestMessage,
    ResponseBatchItem, ResponseHeader, ResponseMessage,
};
pub use objects::{
    KeyBlock, KeyMaterial, KeyValue, KeyWrappingData, KeyWrappingSpecification, Object,
};
pub use payloads::{RequestPayload, ResponsePayload};
pub use secret::{SecretBigInteger, SecretBytes, SecretString};

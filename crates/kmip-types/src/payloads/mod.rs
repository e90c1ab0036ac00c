//! Operation payloads (KMIP 1.4 §4, KMIP 2.0 §6).

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::Operation;
use crate::error::Error;

/// A request payload, typed by operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum RequestPayload {
    /// An operation this library does not model, kept as sent.
    Other(Ttlv),
}

/// A response payload, typed by operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum ResponsePayload {
    /// An operation this library does not model, kept as sent.
    Other(Ttlv),
}

impl RequestPayload {
    /// Decodes the payload of `operation`.
    pub fn decode(_operation: Operation, item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        Ok(RequestPayload::Other(item))
    }

    /// Encodes as a Request Payload item.
    pub fn encode(&self, _version: KmipVersion) -> Result<Ttlv, Error> {
        match self {
            RequestPayload::Other(t) => Ok(Ttlv::new(Tag::REQUEST_PAYLOAD, t.value.clone())),
        }
    }
}

impl ResponsePayload {
    /// Decodes the payload of `operation` (untyped when the response names none).
    pub fn decode(
        _operation: Option<Operation>,
        item: Ttlv,
        _version: KmipVersion,
    ) -> Result<Self, Error> {
        Ok(ResponsePayload::Other(item))
    }

    /// Encodes as a Response Payload item.
    pub fn encode(&self, _version: KmipVersion) -> Result<Ttlv, Error> {
        match self {
            ResponsePayload::Other(t) => Ok(Ttlv::new(Tag::RESPONSE_PAYLOAD, t.value.clone())),
        }
    }
}

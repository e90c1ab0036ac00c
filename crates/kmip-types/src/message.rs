//! Request and response messages, their headers and batch items
//! (KMIP 1.4 §6–7, KMIP 2.0 §8–9).

use kmip_ttlv::{ItemType, KmipVersion, Limits, Tag, Ttlv, Value};

use crate::codec::{KmipCodec, StructReader, StructWriter, expect_tag, tag_newer_than, wrong_type};
use crate::credential::Authentication;
use crate::error::{Error, ErrorKind};
use crate::payloads::{RequestPayload, ResponsePayload};
use crate::secret::SecretBytes;
use crate::{
    AttestationType, BatchErrorContinuationOption, DateTime, Operation, ResultReason, ResultStatus,
};

kmip_struct! {
    /// Protocol Version (KMIP 1.4 §6.1).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ProtocolVersion {
        /// Protocol Version Major (1 or 2 for the versions this library speaks).
        req major: i32 = PROTOCOL_VERSION_MAJOR,
        /// Protocol Version Minor.
        req minor: i32 = PROTOCOL_VERSION_MINOR,
    }
}

impl ProtocolVersion {
    /// The Protocol Version of a known KMIP version.
    pub const fn of(version: KmipVersion) -> Self {
        let (major, minor) = version.major_minor();
        ProtocolVersion { major, minor }
    }

    /// The KMIP version these numbers name, if this library speaks it.
    pub fn known(self) -> Option<KmipVersion> {
        KmipVersion::from_major_minor(self.major, self.minor)
    }
}

kmip_struct! {
    /// Message Extension (KMIP 1.4 §6.16).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MessageExtension {
        /// The vendor whose extension this is.
        req vendor_identification: String = VENDOR_IDENTIFICATION,
        /// True when a server that does not understand the extension must fail the
        /// batch item rather than ignore the extension.
        req criticality_indicator: bool = CRITICALITY_INDICATOR,
        /// The extension, kept as sent (its tags checked against the version, see
        /// [`check_raw`](crate::codec::check_raw)).
        req vendor_extension: Ttlv = VENDOR_EXTENSION,
    }
}

kmip_struct! {
    /// Nonce (KMIP 1.4 §2.1.14).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Nonce {
        /// The server's identifier of this nonce.
        req nonce_id: Vec<u8> = NONCE_ID,
        /// The nonce.
        req nonce_value: Vec<u8> = NONCE_VALUE,
    }
}

kmip_struct! {
    /// Request Header (KMIP 1.4 §7.2 Table 240, KMIP 2.0 §8.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct RequestHeader {
        /// The version the message is written in; it decides how the rest is read.
        req protocol_version: ProtocolVersion = PROTOCOL_VERSION,
        /// The largest response, in bytes, the client accepts (KMIP 1.4 §6.3).
        opt maximum_response_size: i32 = MAXIMUM_RESPONSE_SIZE,
        /// The client's own tag for the request, for its logs (KMIP 1.4).
        opt [V1_4..] client_correlation_value: String = CLIENT_CORRELATION_VALUE,
        /// The server's tag for a request, for its logs (KMIP 1.4).
        opt [V1_4..] server_correlation_value: String = SERVER_CORRELATION_VALUE,
        /// True when the client accepts a pending (asynchronous) answer (KMIP 1.4 §6.7).
        opt asynchronous_indicator: bool = ASYNCHRONOUS_INDICATOR,
        /// True when the client can attest to its state (KMIP 1.2).
        opt [V1_2..] attestation_capable_indicator: bool = ATTESTATION_CAPABLE_INDICATOR,
        /// The attestation types the client supports (KMIP 1.2).
        vec [V1_2..] attestation_type: AttestationType = ATTESTATION_TYPE,
        /// The client's credentials (KMIP 1.4 §6.6).
        opt authentication: Authentication = AUTHENTICATION,
        /// What to do with the rest of the batch when an item fails: stop, undo or
        /// continue (KMIP 1.4 §6.13).
        opt batch_error_continuation_option: BatchErrorContinuationOption = BATCH_ERROR_CONTINUATION_OPTION,
        /// True when the items must run in order (KMIP 1.4 §6.12).
        opt batch_order_option: bool = BATCH_ORDER_OPTION,
        /// When the client sent the request (KMIP 1.4 §6.5).
        opt time_stamp: DateTime = TIME_STAMP,
        /// The number of batch items (KMIP 1.4 §6.14); decoding checks it.
        req batch_count: i32 = BATCH_COUNT,
    }
}

kmip_struct! {
    /// Response Header (KMIP 1.4 §7.2 Table 241, KMIP 2.0 §8.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct ResponseHeader {
        /// The version the response is written in: the request's.
        req protocol_version: ProtocolVersion = PROTOCOL_VERSION,
        /// When the server answered (KMIP 1.4 §6.5).
        req time_stamp: DateTime = TIME_STAMP,
        /// A nonce for the client's attestation, when the server asks for one (KMIP 1.2).
        opt [V1_2..] nonce: Nonce = NONCE,
        /// The server's hashed password, for a client that authenticates the server
        /// (KMIP 2.0).
        opt [V2_0..] server_hashed_password: SecretBytes = SERVER_HASHED_PASSWORD,
        /// The attestation types the server asks for (KMIP 1.2).
        vec [V1_2..] attestation_type: AttestationType = ATTESTATION_TYPE,
        /// The client's tag for the request, echoed (KMIP 1.4).
        opt [V1_4..] client_correlation_value: String = CLIENT_CORRELATION_VALUE,
        /// The server's tag for the request, for its logs (KMIP 1.4).
        opt [V1_4..] server_correlation_value: String = SERVER_CORRELATION_VALUE,
        /// The number of batch items (KMIP 1.4 §6.14).
        req batch_count: i32 = BATCH_COUNT,
    }
}

/// A request batch item (KMIP 1.4 §7.2 Table 242, KMIP 2.0 §8.2).
#[derive(Debug)]
pub struct RequestBatchItem {
    /// The operation; that of the payload when the payload is typed (encoding refuses a
    /// mismatch).
    pub operation: Operation,
    /// Ephemeral (KMIP 2.0): the server keeps no object created by this item.
    pub ephemeral: Option<bool>,
    /// Unique Batch Item ID, echoed in the response.
    pub unique_batch_item_id: Option<Vec<u8>>,
    /// The operation's payload.
    pub payload: RequestPayload,
    /// Message Extension.
    pub message_extension: Option<MessageExtension>,
}

impl KmipCodec for RequestBatchItem {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let operation = read_operation(&mut r)?
            .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::OPERATION)))?;
        let ephemeral = r.optional(Tag::EPHEMERAL)?;
        r.check_version(
            Tag::EPHEMERAL,
            ephemeral.is_some(),
            Some(KmipVersion::V2_0),
            None,
        )?;
        let unique_batch_item_id = r.optional(Tag::UNIQUE_BATCH_ITEM_ID)?;
        let payload = match r.take_raw(Tag::REQUEST_PAYLOAD) {
            Some(raw) => RequestPayload::decode(operation, raw, version)
                .map_err(|e| e.within(Tag::REQUEST_PAYLOAD))?,
            None => return Err(Error::new(ErrorKind::Missing(Tag::REQUEST_PAYLOAD))),
        };
        let message_extension = r.optional(Tag::MESSAGE_EXTENSION)?;
        r.finish()?;
        Ok(RequestBatchItem {
            operation,
            ephemeral,
            unique_batch_item_id,
            payload,
            message_extension,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        check_payload_operation(Some(self.operation), self.payload.operation())?;
        let mut w = StructWriter::new(version);
        write_operation(&mut w, Some(self.operation));
        w.optional(
            Tag::EPHEMERAL,
            self.ephemeral.as_ref(),
            Some(KmipVersion::V2_0),
            None,
        )?;
        w.optional(
            Tag::UNIQUE_BATCH_ITEM_ID,
            self.unique_batch_item_id.as_ref(),
            None,
            None,
        )?;
        w.raw(
            self.payload
                .encode(version)
                .map_err(|e| e.within(Tag::REQUEST_PAYLOAD))?,
        );
        w.optional(
            Tag::MESSAGE_EXTENSION,
            self.message_extension.as_ref(),
            None,
            None,
        )?;
        Ok(w.finish(tag))
    }
}

/// A response batch item (KMIP 1.4 §7.2 Table 243, KMIP 2.0 §8.2).
#[derive(Debug)]
pub struct ResponseBatchItem {
    /// The operation, when the request named one; that of the payload when the payload
    /// is typed (encoding refuses a mismatch).
    pub operation: Option<Operation>,
    /// Unique Batch Item ID from the request.
    pub unique_batch_item_id: Option<Vec<u8>>,
    /// Success, failure, pending or undone.
    pub result_status: ResultStatus,
    /// Why it failed.
    pub result_reason: Option<ResultReason>,
    /// Human-readable detail.
    pub result_message: Option<String>,
    /// Handle for a pending asynchronous operation.
    pub asynchronous_correlation_value: Option<Vec<u8>>,
    /// The operation's result.
    pub payload: Option<ResponsePayload>,
    /// Message Extension.
    pub message_extension: Option<MessageExtension>,
}

impl KmipCodec for ResponseBatchItem {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let operation = read_operation(&mut r)?;
        let unique_batch_item_id = r.optional(Tag::UNIQUE_BATCH_ITEM_ID)?;
        let result_status = r.required(Tag::RESULT_STATUS)?;
        let result_reason = r.optional(Tag::RESULT_REASON)?;
        let result_message = r.optional(Tag::RESULT_MESSAGE)?;
        let asynchronous_correlation_value = r.optional(Tag::ASYNCHRONOUS_CORRELATION_VALUE)?;
        let payload = match r.take_raw(Tag::RESPONSE_PAYLOAD) {
            Some(raw) => Some(
                ResponsePayload::decode(operation, raw, version)
                    .map_err(|e| e.within(Tag::RESPONSE_PAYLOAD))?,
            ),
            None => None,
        };
        let message_extension = r.optional(Tag::MESSAGE_EXTENSION)?;
        r.finish()?;
        Ok(ResponseBatchItem {
            operation,
            unique_batch_item_id,
            result_status,
            result_reason,
            result_message,
            asynchronous_correlation_value,
            payload,
            message_extension,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        if let Some(payload) = &self.payload {
            check_payload_operation(self.operation, payload.operation())?;
        }
        let mut w = StructWriter::new(version);
        write_operation(&mut w, self.operation);
        w.optional(
            Tag::UNIQUE_BATCH_ITEM_ID,
            self.unique_batch_item_id.as_ref(),
            None,
            None,
        )?;
        w.field(Tag::RESULT_STATUS, &self.result_status)?;
        w.optional(Tag::RESULT_REASON, self.result_reason.as_ref(), None, None)?;
        w.optional(
            Tag::RESULT_MESSAGE,
            self.result_message.as_ref(),
            None,
            None,
        )?;
        w.optional(
            Tag::ASYNCHRONOUS_CORRELATION_VALUE,
            self.asynchronous_correlation_value.as_ref(),
            None,
            None,
        )?;
        if let Some(payload) = &self.payload {
            w.raw(
                payload
                    .encode(version)
                    .map_err(|e| e.within(Tag::RESPONSE_PAYLOAD))?,
            );
        }
        w.optional(
            Tag::MESSAGE_EXTENSION,
            self.message_extension.as_ref(),
            None,
            None,
        )?;
        Ok(w.finish(tag))
    }
}

/// Reads a batch item's Operation without the version check every other enumeration
/// gets: an operation the version does not define is answered with Operation Not
/// Supported, which names it again, so both decoding the request and encoding the
/// answer must let it through. Its payload stays untyped, checked tag by tag.
fn read_operation(r: &mut StructReader) -> Result<Option<Operation>, Error> {
    let Some(item) = r.take_raw(Tag::OPERATION) else {
        return Ok(None);
    };
    match item.value {
        Value::Enumeration(v) => Ok(Some(Operation(v))),
        _ => Err(wrong_type(ItemType::Enumeration, &item).within(Tag::OPERATION)),
    }
}

/// Refuses to encode a batch item whose typed payload is of another operation than the
/// item names (or names none): the peer would read the payload as the wrong operation's,
/// and decoding the result would not give the same item back. An untyped payload
/// (`Other`) names no operation, so it contradicts none.
fn check_payload_operation(
    item: Option<Operation>,
    payload: Option<Operation>,
) -> Result<(), Error> {
    match payload {
        Some(p) if Some(p) != item => Err(Error::new(ErrorKind::InvalidValue(
            "the batch item's Operation is not the operation of its payload",
        ))
        .within(Tag::OPERATION)),
        _ => Ok(()),
    }
}

/// Writes a batch item's Operation, whatever the version (see [`read_operation`]).
fn write_operation(w: &mut StructWriter, operation: Option<Operation>) {
    if let Some(operation) = operation {
        w.raw(Ttlv::new(Tag::OPERATION, Value::Enumeration(operation.0)));
    }
}

/// Declares a message type (a header and one or more batch items) and its codec; the
/// request and the response differ only in their tags and parts.
macro_rules! message {
    (
        $(#[$doc:meta])*
        $name:ident { root: $root:ident, header: $header_tag:ident => $header:ty, item: $item:ty }
    ) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name {
            /// The header.
            pub header: $header,
            /// One or more batch items.
            pub batch_items: Vec<$item>,
        }

        impl $name {
            /// Decodes a message from a TTLV tree, under the version its header declares.
            pub fn from_ttlv(item: Ttlv) -> Result<Self, Error> {
                expect_tag(&item, Tag::$root)?;
                let version = known_version(peek_version(&item, Tag::$header_tag)?)
                    .map_err(|e| e.within(Tag::$root))?;
                Self::decode(item, version)
            }

            /// Decodes a message from bytes within `limits`.
            pub fn from_bytes(bytes: &[u8], limits: &Limits) -> Result<Self, Error> {
                Self::from_ttlv(kmip_ttlv::decode_message(bytes, limits)?)
            }

            /// The version the header declares, if this library speaks it.
            pub fn version(&self) -> Option<KmipVersion> {
                self.header.protocol_version.known()
            }

            /// Encodes under the header's version, so a 1.0 peer never sees a 1.2 tag:
            /// attributes the version does not define are left out of attribute lists
            /// (a server may omit attributes), and any other field, object, operation or
            /// value it does not define fails with [`ErrorKind::NotInVersion`].
            pub fn to_ttlv(&self) -> Result<Ttlv, Error> {
                let version = known_version(self.header.protocol_version)
                    .map_err(|e| e.within(Tag::$header_tag).within(Tag::$root))?;
                self.encode(Tag::$root, version).map_err(|e| e.within(Tag::$root))
            }

            /// Encodes to bytes under the header's version.
            pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
                Ok(self.to_ttlv()?.to_bytes()?)
            }
        }

        impl KmipCodec for $name {
            fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
                let root = item.tag;
                let mut r = StructReader::new(item, version)?;
                let header: $header = r.required(Tag::$header_tag).map_err(|e| e.within(root))?;
                let batch_items = r.repeated(Tag::BATCH_ITEM).map_err(|e| e.within(root))?;
                r.finish().map_err(|e| e.within(root))?;
                check_batch_count(header.batch_count, batch_items.len(), root, Tag::$header_tag)?;
                Ok($name {
                    header,
                    batch_items,
                })
            }

            fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
                let mut w = StructWriter::new(version);
                w.field(Tag::$header_tag, &self.header)?;
                w.repeated(Tag::BATCH_ITEM, &self.batch_items, None, None)?;
                Ok(w.finish(tag))
            }
        }
    };
}

message! {
    /// A request message (KMIP 1.4 §7.1).
    RequestMessage { root: REQUEST_MESSAGE, header: REQUEST_HEADER => RequestHeader, item: RequestBatchItem }
}

message! {
    /// A response message (KMIP 1.4 §7.1).
    ResponseMessage { root: RESPONSE_MESSAGE, header: RESPONSE_HEADER => ResponseHeader, item: ResponseBatchItem }
}

/// The protocol version a message's header declares, read before anything else so that
/// the rest is decoded under that version's rules.
pub fn peek_version(message: &Ttlv, header_tag: Tag) -> Result<ProtocolVersion, Error> {
    let header = message
        .child(header_tag)
        .ok_or_else(|| Error::new(ErrorKind::Missing(header_tag)))?;
    let raw = header
        .child(Tag::PROTOCOL_VERSION)
        .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::PROTOCOL_VERSION)).within(header_tag))?;
    ProtocolVersion::decode(raw.clone(), KmipVersion::V1_0)
        .map_err(|e| e.within(Tag::PROTOCOL_VERSION).within(header_tag))
}

fn known_version(v: ProtocolVersion) -> Result<KmipVersion, Error> {
    v.known().ok_or_else(|| {
        Error::new(ErrorKind::UnsupportedVersion {
            major: v.major,
            minor: v.minor,
        })
    })
}

fn check_batch_count(count: i32, items: usize, root: Tag, header: Tag) -> Result<(), Error> {
    if usize::try_from(count).ok() != Some(items) || items == 0 {
        return Err(Error::new(ErrorKind::InvalidValue(
            "Batch Count does not match the number of batch items",
        ))
        .within(Tag::BATCH_COUNT)
        .within(header)
        .within(root));
    }
    Ok(())
}

/// Tags in `item` that `version` does not define, for checking what is sent to a client.
pub fn tags_newer_than(item: &Ttlv, version: KmipVersion) -> Vec<Tag> {
    let mut out = Vec::new();
    collect_newer(item, version, &mut out);
    out
}

fn collect_newer(item: &Ttlv, version: KmipVersion, out: &mut Vec<Tag>) {
    if tag_newer_than(item.tag, version) && !out.contains(&item.tag) {
        out.push(item.tag);
    }
    if let Value::Structure(children) = &item.value {
        for child in children {
            collect_newer(child, version, out);
        }
    }
}

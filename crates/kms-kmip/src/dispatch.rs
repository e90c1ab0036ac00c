//! One request message in, one response message out: the request header rules of KMIP
//! 1.4 §6–7 (protocol version, batch count and options, asynchronous indicator,
//! maximum response size, correlation values, time stamp) around the operations of
//! [`crate::ops`].
//!
//! No I/O here: [`crate::server`] reads and writes the frames, tests may call
//! [`handle`] directly.

use std::fmt::Debug;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use kmip_ttlv::{KmipVersion, Tag, Ttlv, Value};
use kmip_types::message::peek_version;
use kmip_types::{
    BatchErrorContinuationOption, DateTime, KmipCodec, Operation, ProtocolVersion,
    RequestBatchItem, RequestHeader, ResponseBatchItem, ResponseHeader, ResultReason, ResultStatus,
};
use kms_store::backend::Backend;
use kms_store::{Identity, Store};

use crate::stream::Streams;
use zeroize::Zeroizing;

use crate::ops;
use crate::server::KmipConfig;
use crate::{KmipError, OpContext};

/// The protocol versions this server speaks, most preferred first (KMIP 2.x later).
pub const SUPPORTED_VERSIONS: [KmipVersion; 5] = [
    KmipVersion::V1_4,
    KmipVersion::V1_3,
    KmipVersion::V1_2,
    KmipVersion::V1_1,
    KmipVersion::V1_0,
];

/// True when the server speaks `version`.
pub fn supports(version: KmipVersion) -> bool {
    SUPPORTED_VERSIONS.contains(&version)
}

/// True when the server runs `operation` in a message of `version`: it is in the
/// registry ([`ops::IMPLEMENTED`]) and the version defines it (Discover Versions is
/// 1.1, Encrypt 1.2, ...).
pub fn served(operation: Operation, version: KmipVersion) -> bool {
    ops::IMPLEMENTED.contains(&operation)
        && operation.info().is_some_and(|info| info.since <= version)
}

/// Answers one request message (`request`: the whole frame, header included).
///
/// `None` when no KMIP answer can be framed (not a Request Message, or no readable
/// Protocol Version): the connection should be closed. The answer may carry key
/// material, hence [`Zeroizing`].
pub async fn handle<B: Backend + Debug>(
    store: &Store<B>,
    streams: &Arc<Streams>,
    owner: &Identity,
    config: &KmipConfig,
    request: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let tree = match kmip_ttlv::decode_message(request, &config.limits) {
        Ok(tree) => tree,
        Err(e) => {
            // The frame is intact but its content is not TTLV: answer if the version
            // can still be read at its usual place.
            let version = raw_version(request)?;
            tracing::info!(error = %e, "KMIP request does not decode");
            return message_error(
                version,
                ResultReason::INVALID_MESSAGE,
                &format!("the message does not decode: {e}"),
            );
        }
    };
    if tree.tag != Tag::REQUEST_MESSAGE {
        tracing::info!(tag = %tree.tag, "not a KMIP request message");
        return None;
    }
    let declared = peek_version(&tree, Tag::REQUEST_HEADER).ok()?;
    let version = match declared.known().filter(|v| supports(*v)) {
        Some(version) => version,
        None => {
            return message_error(
                answer_version(declared),
                ResultReason::INVALID_MESSAGE,
                &format!(
                    "protocol version {}.{} is not supported (1.0 to 1.4 are)",
                    declared.major, declared.minor
                ),
            );
        }
    };
    let Value::Structure(children) = tree.value else {
        return None;
    };
    let mut header = None;
    let mut items = Vec::new();
    for child in children {
        match child.tag {
            Tag::REQUEST_HEADER if header.is_none() && items.is_empty() => header = Some(child),
            Tag::BATCH_ITEM if header.is_some() => items.push(child),
            other => {
                return message_error(
                    version,
                    ResultReason::INVALID_MESSAGE,
                    &format!("unexpected {other} in the request message"),
                );
            }
        }
    }
    let header = match header.map(|h| RequestHeader::decode(h, version)) {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            return message_error(
                version,
                ResultReason::INVALID_MESSAGE,
                &format!("invalid request header: {e}"),
            );
        }
        None => return None,
    };
    let batch = Batch {
        version,
        correlation: header.client_correlation_value.clone(),
        max_response: header
            .maximum_response_size
            .and_then(|m| usize::try_from(m).ok()),
    };
    if usize::try_from(header.batch_count).ok() != Some(items.len()) || items.is_empty() {
        return batch.error(
            ResultReason::INVALID_MESSAGE,
            "Batch Count does not match the number of batch items",
        );
    }
    if items.len() > config.max_batch_items {
        return batch.error(
            ResultReason::INVALID_MESSAGE,
            &format!(
                "{} batch items; at most {} are accepted in one message",
                items.len(),
                config.max_batch_items
            ),
        );
    }
    // Refusals that apply to every item, decided before any runs.
    let refusal = if header.asynchronous_indicator == Some(true) {
        Some("asynchronous operations are not supported")
    } else if header.batch_error_continuation_option == Some(BatchErrorContinuationOption::UNDO) {
        Some("the Undo batch error continuation option is not supported")
    } else {
        None
    };
    // Default Stop (KMIP 1.4 §6.13); items always run in order, which satisfies either
    // Batch Order Option.
    let stop_on_error =
        header.batch_error_continuation_option != Some(BatchErrorContinuationOption::CONTINUE);
    let mut ctx = OpContext {
        owner: owner.clone(),
        version,
        id_placeholder: None,
        streams: Arc::clone(streams),
    };
    let mut responses = Vec::with_capacity(items.len());
    let mut stopped = false;
    for raw in items {
        let operation = raw_operation(&raw);
        let id = raw_batch_item_id(&raw);
        let response = if let Some(refusal) = refusal {
            failed(
                operation,
                id,
                KmipError::new(ResultReason::FEATURE_NOT_SUPPORTED, refusal),
            )
        } else if stopped {
            failed(
                operation,
                id,
                KmipError::new(
                    ResultReason::OPERATION_CANCELED_BY_REQUESTER,
                    "not run: an earlier batch item failed and the batch stops on errors",
                ),
            )
        } else {
            let response = item(store, &mut ctx, raw, operation, id).await;
            stopped = stop_on_error && response.result_status != ResultStatus::SUCCESS;
            response
        };
        responses.push(response);
    }
    // One line per message: who, which operations, how they ended; never payloads.
    let operations: Vec<Operation> = responses.iter().filter_map(|r| r.operation).collect();
    let failed_items = responses
        .iter()
        .filter(|r| r.result_status != ResultStatus::SUCCESS)
        .count();
    tracing::info!(
        client = %owner,
        %version,
        ?operations,
        failed = failed_items,
        "KMIP request"
    );
    batch.respond(responses)
}

/// The one batch item: checked, decoded, run.
async fn item<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    raw: Ttlv,
    operation: Option<Operation>,
    id: Option<Vec<u8>>,
) -> ResponseBatchItem {
    let version = ctx.version;
    if let Some(op) = operation
        && !served(op, version)
    {
        return failed(
            operation,
            id,
            KmipError::new(
                ResultReason::OPERATION_NOT_SUPPORTED,
                format!("operation {op:?} is not supported in KMIP {version}"),
            ),
        );
    }
    let request = match RequestBatchItem::decode(raw, version) {
        Ok(request) => request,
        Err(e) => {
            let reason = match e.result_reason() {
                // A batch item that is not one (no operation, wrong tag) makes the
                // message invalid; a field of a payload is Invalid Field or Missing Data.
                ResultReason::GENERAL_FAILURE => ResultReason::INVALID_MESSAGE,
                reason => reason,
            };
            return failed(operation, id, KmipError::new(reason, e.to_string()));
        }
    };
    if request
        .message_extension
        .as_ref()
        .is_some_and(|x| x.criticality_indicator)
    {
        return failed(
            operation,
            id,
            KmipError::new(
                ResultReason::FEATURE_NOT_SUPPORTED,
                "a critical Message Extension is not supported",
            ),
        );
    }
    if request.ephemeral == Some(true) {
        return failed(
            operation,
            id,
            KmipError::new(
                ResultReason::FEATURE_NOT_SUPPORTED,
                "ephemeral batch items are not supported",
            ),
        );
    }
    let op = request.operation;
    match ops::execute(store, ctx, op, request.payload).await {
        Ok(payload) => ResponseBatchItem {
            operation: Some(op),
            unique_batch_item_id: id,
            result_status: ResultStatus::SUCCESS,
            result_reason: None,
            result_message: None,
            asynchronous_correlation_value: None,
            payload: Some(payload),
            message_extension: None,
        },
        Err(e) => failed(Some(op), id, e),
    }
}

/// What every item of the response shares.
struct Batch {
    version: KmipVersion,
    correlation: Option<String>,
    max_response: Option<usize>,
}

impl Batch {
    /// A response of one failed item, for a message refused as a whole.
    fn error(&self, reason: ResultReason, message: &str) -> Option<Zeroizing<Vec<u8>>> {
        tracing::info!(?reason, message, "KMIP request refused");
        self.respond(vec![failed(None, None, KmipError::new(reason, message))])
    }

    /// Encodes the response: each item in the request's version (an item that cannot be
    /// written in it, or that would pass the Maximum Response Size, is replaced by its
    /// error), the header with a Time Stamp and the echoed Client Correlation Value.
    fn respond(&self, items: Vec<ResponseBatchItem>) -> Option<Zeroizing<Vec<u8>>> {
        let version = self.version;
        let header_len = 64 + self.correlation.as_ref().map_or(0, |c| c.len() + 16);
        let mut used = header_len;
        let mut encoded = Vec::with_capacity(items.len());
        for response in items {
            let operation = response.operation;
            let id = response.unique_batch_item_id.clone();
            let tree = match response.encode(Tag::BATCH_ITEM, version) {
                Ok(tree) => tree,
                Err(e) => {
                    tracing::warn!(error = %e, "a KMIP response item cannot be encoded");
                    let general = failed(
                        operation,
                        id.clone(),
                        KmipError::new(
                            ResultReason::GENERAL_FAILURE,
                            format!("the answer cannot be written in KMIP {version}"),
                        ),
                    );
                    general.encode(Tag::BATCH_ITEM, version).ok()?
                }
            };
            let len = tree.encoded_len();
            let tree = match self.max_response {
                Some(max) if used.saturating_add(len) > max => {
                    let too_large = failed(
                        operation,
                        id,
                        KmipError::new(
                            ResultReason::RESPONSE_TOO_LARGE,
                            "the answer is larger than the Maximum Response Size",
                        ),
                    );
                    too_large.encode(Tag::BATCH_ITEM, version).ok()?
                }
                _ => tree,
            };
            used = used.saturating_add(tree.encoded_len());
            encoded.push(tree);
        }
        let header = ResponseHeader {
            protocol_version: ProtocolVersion::of(version),
            time_stamp: DateTime(now()),
            nonce: None,
            server_hashed_password: None,
            attestation_type: Vec::new(),
            client_correlation_value: self.correlation.clone(),
            server_correlation_value: None,
            batch_count: i32::try_from(encoded.len()).ok()?,
        };
        let mut children = Vec::with_capacity(encoded.len() + 1);
        children.push(header.encode(Tag::RESPONSE_HEADER, version).ok()?);
        children.extend(encoded);
        let message = Ttlv::structure(Tag::RESPONSE_MESSAGE, children);
        match message.to_bytes() {
            Ok(bytes) => Some(Zeroizing::new(bytes)),
            Err(e) => {
                tracing::warn!(error = %e, "a KMIP response cannot be encoded");
                None
            }
        }
    }
}

/// A response of one Invalid Message (or other) item for a message refused as a whole,
/// written in `version`.
pub(crate) fn message_error(
    version: KmipVersion,
    reason: ResultReason,
    message: &str,
) -> Option<Zeroizing<Vec<u8>>> {
    Batch {
        version,
        correlation: None,
        max_response: None,
    }
    .error(reason, message)
}

/// A failed item: Result Status Operation Failed, the reason and message of `e`.
fn failed(operation: Option<Operation>, id: Option<Vec<u8>>, e: KmipError) -> ResponseBatchItem {
    ResponseBatchItem {
        operation,
        unique_batch_item_id: id,
        result_status: ResultStatus::OPERATION_FAILED,
        result_reason: Some(e.reason),
        result_message: Some(e.message),
        asynchronous_correlation_value: None,
        payload: None,
        message_extension: None,
    }
}

/// The version to refuse an unsupported one in: the newest we speak for a newer
/// request, the oldest for an older one.
fn answer_version(declared: ProtocolVersion) -> KmipVersion {
    if (declared.major, declared.minor) > KmipVersion::V1_4.major_minor() {
        KmipVersion::V1_4
    } else {
        KmipVersion::V1_0
    }
}

/// The batch item's Operation, read before the item is decoded so that an error names it.
fn raw_operation(item: &Ttlv) -> Option<Operation> {
    match item.child(Tag::OPERATION).map(|o| &o.value) {
        Some(Value::Enumeration(v)) => Some(Operation(*v)),
        _ => None,
    }
}

/// The batch item's Unique Batch Item ID, echoed even when the item does not decode.
fn raw_batch_item_id(item: &Ttlv) -> Option<Vec<u8>> {
    match item.child(Tag::UNIQUE_BATCH_ITEM_ID).map(|o| &o.value) {
        Some(Value::ByteString(v)) => Some(v.clone()),
        _ => None,
    }
}

/// The Protocol Version of a request that is not valid TTLV, read at the place every
/// client puts it (Request Message, Request Header, Protocol Version, Major, Minor as
/// the first items); `None` unless all of it is where it should be.
fn raw_version(bytes: &[u8]) -> Option<KmipVersion> {
    let tag_at = |at: usize, tag: Tag, item_type: u8| {
        let raw = tag.to_be_bytes();
        bytes.get(at..at + 3) == Some(&raw[..]) && bytes.get(at + 3) == Some(&item_type)
    };
    let int_at = |at: usize| -> Option<i32> {
        let length = bytes.get(at + 4..at + 8)?;
        if length != [0, 0, 0, 4] {
            return None;
        }
        let value: [u8; 4] = bytes.get(at + 8..at + 12)?.try_into().ok()?;
        Some(i32::from_be_bytes(value))
    };
    let structure = 0x01;
    let integer = 0x02;
    let ok = tag_at(0, Tag::REQUEST_MESSAGE, structure)
        && tag_at(8, Tag::REQUEST_HEADER, structure)
        && tag_at(16, Tag::PROTOCOL_VERSION, structure)
        && tag_at(24, Tag::PROTOCOL_VERSION_MAJOR, integer)
        && tag_at(40, Tag::PROTOCOL_VERSION_MINOR, integer);
    if !ok {
        return None;
    }
    let declared = ProtocolVersion {
        major: int_at(24)?,
        minor: int_at(40)?,
    };
    Some(
        declared
            .known()
            .filter(|v| supports(*v))
            .unwrap_or_else(|| answer_version(declared)),
    )
}

/// Seconds since the Unix epoch.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn header_bytes(major: i32, minor: i32) -> Vec<u8> {
        let mut out = vec![0x42, 0x00, 0x78, 0x01, 0, 0, 0, 0x48];
        out.extend([0x42, 0x00, 0x77, 0x01, 0, 0, 0, 0x40]);
        out.extend([0x42, 0x00, 0x69, 0x01, 0, 0, 0, 0x20]);
        out.extend([0x42, 0x00, 0x6A, 0x02, 0, 0, 0, 4]);
        out.extend(major.to_be_bytes());
        out.extend([0; 4]);
        out.extend([0x42, 0x00, 0x6B, 0x02, 0, 0, 0, 4]);
        out.extend(minor.to_be_bytes());
        out.extend([0; 4]);
        // Whatever follows does not decode.
        out.extend([0xFF; 16]);
        out
    }

    #[test]
    fn reads_the_version_of_a_request_that_does_not_decode() {
        assert_eq!(raw_version(&header_bytes(1, 2)), Some(KmipVersion::V1_2));
        assert_eq!(raw_version(&header_bytes(2, 0)), Some(KmipVersion::V1_4));
        assert_eq!(raw_version(&header_bytes(0, 9)), Some(KmipVersion::V1_0));
        let mut moved = header_bytes(1, 2);
        moved[16] = 0x43;
        assert_eq!(raw_version(&moved), None);
        assert_eq!(raw_version(&[0x42, 0x00, 0x78]), None);
    }

    #[test]
    fn refuses_unsupported_versions_in_the_nearest_one() {
        let pv = |major, minor| ProtocolVersion { major, minor };
        assert_eq!(answer_version(pv(2, 0)), KmipVersion::V1_4);
        assert_eq!(answer_version(pv(1, 5)), KmipVersion::V1_4);
        assert_eq!(answer_version(pv(0, 1)), KmipVersion::V1_0);
        assert!(!supports(KmipVersion::V2_0));
        assert!(served(Operation::QUERY, KmipVersion::V1_0));
        assert!(!served(Operation::DISCOVER_VERSIONS, KmipVersion::V1_0));
        assert!(!served(Operation(0xFF), KmipVersion::V1_4));
    }

    #[test]
    fn every_refusal_can_be_written_in_every_version() {
        for version in SUPPORTED_VERSIONS {
            let bytes = message_error(version, ResultReason::INVALID_MESSAGE, "m").unwrap();
            let r = kmip_types::ResponseMessage::from_bytes(&bytes, &kmip_ttlv::Limits::DEFAULT)
                .unwrap();
            assert_eq!(r.header.protocol_version, ProtocolVersion::of(version));
            assert_eq!(
                r.batch_items[0].result_status,
                ResultStatus::OPERATION_FAILED
            );
        }
    }
}

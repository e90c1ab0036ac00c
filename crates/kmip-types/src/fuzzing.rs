//! Properties checked by the `kmip_request` fuzz target in `fuzz/`, kept here so the
//! target is one call and `cargo test` can replay its corpus with the same checks.
//!
//! Each function panics when a property fails: that is how a fuzzer learns of it.

use kmip_ttlv::Limits;

use crate::{RequestMessage, ResponseMessage};

/// Any bytes as a KMIP request, the way a server reads one: the TTLV checks of
/// [`kmip_ttlv::fuzzing::message`], then the typed decode. A request the typed layer
/// accepts must encode back to exactly the input (nothing dropped, reordered or
/// normalised), and a refused one must map to a Result Reason.
pub fn request(data: &[u8]) {
    kmip_ttlv::fuzzing::message(data);
    match RequestMessage::from_bytes(data, &Limits::DEFAULT) {
        Ok(message) => {
            let encoded = message.to_bytes();
            assert_eq!(
                encoded.as_deref().ok(),
                Some(data),
                "an accepted request does not re-encode to itself"
            );
        }
        Err(e) => {
            let _ = e.result_reason();
            let _ = e.to_string();
        }
    }
}

/// The same for a response, as a client reads one.
pub fn response(data: &[u8]) {
    if let Ok(message) = ResponseMessage::from_bytes(data, &Limits::DEFAULT) {
        let encoded = message.to_bytes();
        assert_eq!(
            encoded.as_deref().ok(),
            Some(data),
            "an accepted response does not re-encode to itself"
        );
    }
}

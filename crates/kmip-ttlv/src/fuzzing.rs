//! Properties checked by the fuzz targets in `fuzz/`, kept here so that each target is
//! one call and the seed corpus can be replayed by `cargo test` with the same checks.
//!
//! Each function panics when the property fails: that is how a fuzzer learns of it.

use crate::decode::HEADER_LEN;
use crate::{FrameHeader, Limits, decode, decode_message};

/// Decodes any item with [`Limits::DEFAULT`]; whatever is accepted must encode back to
/// exactly `data` (the decoder refuses every non-canonical form).
pub fn roundtrip(data: &[u8]) {
    if let Ok(tree) = decode(data, &Limits::DEFAULT) {
        let encoded = tree.to_bytes();
        assert_eq!(
            encoded.as_deref().ok(),
            Some(data),
            "an accepted input does not re-encode to itself"
        );
        assert_eq!(tree.encoded_len(), data.len(), "encoded_len is wrong");
    }
}

/// Decodes a KMIP message (a structure root) with [`Limits::DEFAULT`].
///
/// Checks that an accepted message re-encodes to exactly `data`, and that the frame
/// check a server runs on the first 8 bytes agrees with the full decode: a message the
/// decoder accepts has a header the frame check accepts with the same length, and a
/// header the frame check refuses is refused by the decoder with the same error.
pub fn message(data: &[u8]) {
    let decoded = decode_message(data, &Limits::DEFAULT);
    if let Ok(tree) = &decoded {
        let encoded = tree.to_bytes();
        assert_eq!(
            encoded.as_deref().ok(),
            Some(data),
            "an accepted message does not re-encode to itself"
        );
    }
    let Some(header) = data.first_chunk::<HEADER_LEN>() else {
        assert!(decoded.is_err(), "accepted a message shorter than a header");
        return;
    };
    match FrameHeader::parse(header, &Limits::DEFAULT) {
        Ok(frame) => {
            if decoded.is_ok() {
                assert_eq!(frame.message_len(), data.len(), "frame length disagrees");
            }
        }
        Err(refused) if data.len() <= Limits::DEFAULT.max_message_len => {
            assert_eq!(
                decoded.err(),
                Some(refused),
                "frame check and decode disagree"
            );
        }
        Err(_) => assert!(decoded.is_err(), "accepted a refused frame"),
    }
}

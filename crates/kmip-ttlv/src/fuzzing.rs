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

/// Reads any UTF-8 input as one XML message and as one JSON message, with
/// [`Limits::DEFAULT`]. A tree either reader accepts must be written back, in its own
/// encoding and in the other, and read again to the same tree: XML → tree → XML and
/// JSON, JSON → tree → JSON and (when XML can carry its text) XML.
#[cfg(all(feature = "xml", feature = "json"))]
pub fn xml_json(data: &[u8]) {
    use crate::{json, xml};

    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let options = xml::XmlOptions::new();
    let xml_round_trip = |tree: &crate::Ttlv| {
        let written = xml::to_string(tree).ok();
        let read = written.map(|w| xml::from_str(&w, &options));
        assert_eq!(
            read.as_ref().map(|r| r.as_ref().ok()),
            Some(Some(tree)),
            "a tree written as XML does not read back"
        );
    };
    let json_round_trip = |tree: &crate::Ttlv| {
        for written in [json::to_string(tree), json::to_string_pretty(tree)] {
            assert_eq!(
                json::from_str(&written, &Limits::DEFAULT).ok().as_ref(),
                Some(tree),
                "a tree written as JSON does not read back"
            );
        }
    };
    if let Ok(tree) = xml::from_str(text, &options) {
        // The reader refuses what the writer cannot write, so this tree is writable.
        xml_round_trip(&tree);
        json_round_trip(&tree);
    }
    if let Ok(tree) = json::from_str(text, &Limits::DEFAULT) {
        json_round_trip(&tree);
        // JSON carries every character; XML does not.
        if xml::to_string(&tree).is_ok() {
            xml_round_trip(&tree);
        }
    }
}

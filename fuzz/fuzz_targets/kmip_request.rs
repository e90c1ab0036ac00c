//! Any bytes as a KMIP request, the way a server reads one off the wire: the frame check
//! on the 8-byte header, the strict TTLV decode with the default limits, then the typed
//! request decode.
//!
//! Checks (`kmip_types::fuzzing::request`): no panic; an accepted message re-encodes to
//! exactly the input at the TTLV level and through the typed model; the frame check and
//! the full decode agree on every header; a refused request maps to a Result Reason.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kmip_types::fuzzing::request(data));

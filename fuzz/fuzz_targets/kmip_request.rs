//! Any bytes as a KMIP message, the way a server reads a request off the wire: the
//! frame check on the 8-byte header, then `decode_message` with the default limits.
//!
//! Checks (`kmip_ttlv::fuzzing::message`): no panic; an accepted message re-encodes to
//! exactly the input; the frame check and the full decode agree on every header. It
//! stops at the TTLV tree: decoding the tree into a typed request is not exercised yet,
//! and when it exists this target is the place to run it.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kmip_ttlv::fuzzing::message(data));

//! Any bytes through the TTLV item decoder with the default limits: no panic, no
//! unbounded allocation, and whatever is accepted encodes back to exactly the input
//! (`kmip_ttlv::fuzzing::roundtrip`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kmip_ttlv::fuzzing::roundtrip(data));

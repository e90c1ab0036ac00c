//! Any UTF-8 text as a KMIP message in XML and in JSON, with the default limits: no
//! panic, and a tree either reader accepts is written back, in its own encoding and in
//! the other, and read again to the same tree (`kmip_ttlv::fuzzing::xml_json`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kmip_ttlv::fuzzing::xml_json(data));

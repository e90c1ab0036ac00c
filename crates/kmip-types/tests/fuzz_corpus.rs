//! Replays the `kmip_request` fuzz corpus (`fuzz/corpus/kmip_request/`: hand-made
//! messages and the OASIS profile requests as TTLV, written by
//! `cargo run -p kmip-vectors --example export-seeds`) through the typed checks the fuzz
//! target runs, so every `cargo test` exercises them.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use kmip_ttlv::Limits;
use kmip_types::RequestMessage;

#[test]
fn kmip_request_corpus_passes_the_typed_checks() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/kmip_request");
    let (mut inputs, mut typed) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| kmip_types::fuzzing::request(&data));
        assert!(outcome.is_ok(), "kmip_request fails on {}", path.display());
        inputs += 1;
        if RequestMessage::from_bytes(&data, &Limits::DEFAULT).is_ok() {
            typed += 1;
        }
    }
    println!("kmip_request corpus: {inputs} inputs, {typed} typed requests");
    assert!(
        typed > 900,
        "the seeds should be valid requests: {typed} of {inputs}"
    );
}

//! Replays fuzz inputs through the typed checks the fuzz targets run
//! (`kmip_types::fuzzing`), so every `cargo test` exercises them: the `kmip_request`
//! corpus (`fuzz/corpus/kmip_request/`: hand-made messages and the OASIS profile requests
//! as TTLV, written by `cargo run -p kmip-vectors --example export-seeds`) as requests and
//! as responses, and every response of the XML test-case corpus as a client reads it.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use kmip_ttlv::Limits;
use kmip_ttlv::xml::MessageKind;
use kmip_types::{RequestMessage, ResponseMessage};

fn seed_files() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/kmip_request");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect()
}

#[test]
fn kmip_request_corpus_passes_the_typed_checks() {
    let (mut inputs, mut typed) = (0, 0);
    for (path, data) in seed_files() {
        let outcome = std::panic::catch_unwind(|| kmip_types::fuzzing::request(&data));
        assert!(outcome.is_ok(), "kmip_request fails on {path}");
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

#[test]
fn responses_pass_the_typed_checks() {
    // Any bytes may arrive as a response: the request seeds must not break the checks
    // either, and the response seeds among them must pass them.
    let mut typed = 0;
    for (path, data) in seed_files() {
        let outcome = std::panic::catch_unwind(|| kmip_types::fuzzing::response(&data));
        assert!(outcome.is_ok(), "the response checks fail on {path}");
        if ResponseMessage::from_bytes(&data, &Limits::DEFAULT).is_ok() {
            typed += 1;
        }
    }
    assert!(typed > 0, "no seed is a valid response");

    let Some(dir) = kmip_vectors::corpus_dir_or_skip("kmip-types fuzz responses") else {
        return;
    };
    let mut responses = 0;
    for relative in kmip_vectors::xml_files(&dir).unwrap() {
        let Ok(messages) = kmip_vectors::load(&dir, &relative) else {
            continue;
        };
        for m in messages.iter().filter(|m| m.kind == MessageKind::Response) {
            let data = m.message.to_bytes().unwrap();
            let outcome = std::panic::catch_unwind(|| kmip_types::fuzzing::response(&data));
            assert!(
                outcome.is_ok(),
                "the response checks fail on {relative} line {}",
                m.line
            );
            responses += 1;
        }
    }
    println!("replayed {typed} seed and {responses} test-case responses");
    assert!(responses > 1000, "too few responses: {responses}");
}

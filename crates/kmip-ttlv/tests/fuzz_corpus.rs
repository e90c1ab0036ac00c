//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks
//! the fuzz targets run, so every `cargo test` exercises it, with or without a fuzzer.
//!
//! The hand-made seeds are built by `benches/messages`; this test fails if a seed file
//! differs from its builder. `UPDATE_FUZZ_SEEDS=1 cargo test -p kmip-ttlv --test
//! fuzz_corpus` rewrites them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/messages/mod.rs"]
mod messages;

use std::path::{Path, PathBuf};

use kmip_ttlv::{Limits, decode, decode_message, fuzzing};

/// The check a fuzz target runs on one input.
type Check = fn(&[u8]);

/// Each fuzz target and its check.
const TARGETS: [(&str, Check); 2] = [
    ("ttlv_decode", fuzzing::roundtrip),
    ("kmip_request", fuzzing::message),
];

fn corpus_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    out.sort();
    out
}

/// The seeds each target's corpus must hold, as built here.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut named = messages::messages();
    if target == "ttlv_decode" {
        named.extend(messages::items());
    }
    named
        .into_iter()
        .map(|(name, tree)| (format!("{name}.ttlv"), tree.to_bytes().unwrap()))
        .collect()
}

#[test]
fn hand_made_seeds_match_their_builders() {
    let update = std::env::var_os("UPDATE_FUZZ_SEEDS").is_some();
    for (target, _) in TARGETS {
        let dir = corpus_root().join(target);
        for (file, bytes) in seeds(target) {
            let path = dir.join(&file);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            }
            let committed = std::fs::read(&path).unwrap_or_else(|e| {
                panic!("{}: {e} (UPDATE_FUZZ_SEEDS=1 writes it)", path.display())
            });
            assert_eq!(
                committed,
                bytes,
                "{} differs from its builder (UPDATE_FUZZ_SEEDS=1 rewrites it)",
                path.display()
            );
            // Seeds are valid inputs: they steer the fuzzer into the decoder's depths.
            let decoded = match target {
                "kmip_request" => decode_message(&bytes, &Limits::DEFAULT),
                _ => decode(&bytes, &Limits::DEFAULT),
            };
            assert!(decoded.is_ok(), "{}: {decoded:?}", path.display());
        }
    }
}

#[test]
fn whole_corpus_passes_the_fuzz_checks() {
    let root = corpus_root();
    let targets: Vec<PathBuf> = files(&root);
    // A target without a replay here would only ever run under the fuzzer.
    for dir in &targets {
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert!(
            TARGETS.iter().any(|(t, _)| *t == name),
            "{} has no replay in this test",
            dir.display()
        );
    }
    for (target, check) in TARGETS {
        let inputs = files(&root.join(target));
        assert!(!inputs.is_empty(), "no seeds for {target}");
        for input in inputs {
            let data = std::fs::read(&input).unwrap();
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target} fails on {}", input.display());
        }
        println!("{target}: corpus replayed");
    }
}

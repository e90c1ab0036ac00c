//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same checks
//! the fuzz targets run, so every `cargo test` exercises it, with or without a fuzzer.
//!
//! The hand-made seeds are built by `benches/messages` (as TTLV, and as XML and JSON for
//! `xml_json`); this test fails if a seed file differs from its builder.
//! `UPDATE_FUZZ_SEEDS=1 cargo test -p kmip-ttlv --test fuzz_corpus` rewrites them.

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

/// Every fuzz target in `fuzz/`.
const TARGET_NAMES: [&str; 3] = ["ttlv_decode", "kmip_request", "xml_json"];

/// Each fuzz target this build can replay, and its check.
fn targets() -> Vec<(&'static str, Check)> {
    let mut targets: Vec<(&'static str, Check)> = vec![
        ("ttlv_decode", fuzzing::roundtrip),
        ("kmip_request", fuzzing::message),
    ];
    #[cfg(all(feature = "xml", feature = "json"))]
    targets.push(("xml_json", fuzzing::xml_json));
    targets
}

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
    match target {
        "ttlv_decode" => named.extend(messages::items()),
        #[cfg(all(feature = "xml", feature = "json"))]
        "xml_json" => {
            named.extend(messages::items());
            return named
                .into_iter()
                .flat_map(|(name, tree)| {
                    let xml = kmip_ttlv::xml::to_string(&tree).unwrap();
                    let json = kmip_ttlv::json::to_string_pretty(&tree);
                    [
                        (format!("{name}.xml"), xml.into_bytes()),
                        (format!("{name}.json"), json.into_bytes()),
                    ]
                })
                .collect();
        }
        _ => {}
    }
    named
        .into_iter()
        .map(|(name, tree)| (format!("{name}.ttlv"), tree.to_bytes().unwrap()))
        .collect()
}

/// Whether a seed of `target` is a valid input: seeds steer the fuzzer into the
/// decoders' depths.
fn is_valid_seed(target: &str, file: &str, bytes: &[u8]) -> bool {
    match target {
        "kmip_request" => decode_message(bytes, &Limits::DEFAULT).is_ok(),
        #[cfg(all(feature = "xml", feature = "json"))]
        "xml_json" => {
            let text = std::str::from_utf8(bytes).unwrap();
            if file.ends_with(".xml") {
                kmip_ttlv::xml::from_str(text, &kmip_ttlv::xml::XmlOptions::new()).is_ok()
            } else {
                kmip_ttlv::json::from_str(text, &Limits::DEFAULT).is_ok()
            }
        }
        _ => decode(bytes, &Limits::DEFAULT).is_ok(),
    }
}

#[test]
fn hand_made_seeds_match_their_builders() {
    let update = std::env::var_os("UPDATE_FUZZ_SEEDS").is_some();
    for (target, _) in targets() {
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
            assert!(
                is_valid_seed(target, &file, &bytes),
                "{} is not a valid input",
                path.display()
            );
        }
    }
}

#[test]
fn whole_corpus_passes_the_fuzz_checks() {
    let root = corpus_root();
    let corpora: Vec<PathBuf> = files(&root);
    // A target without a replay here would only ever run under the fuzzer.
    for dir in &corpora {
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert!(
            TARGET_NAMES.contains(&name),
            "{} has no replay in this test",
            dir.display()
        );
    }
    for (target, check) in targets() {
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

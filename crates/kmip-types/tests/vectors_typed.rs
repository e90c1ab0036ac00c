//! Every message of the KMIP XML test-case corpus decodes into the typed model and
//! encodes back byte for byte: XML → TTLV bytes → typed message → TTLV bytes, identical,
//! and back to XML equivalent to the original.
//!
//! Files that cannot pass are listed with a reason in `tests/vectors-typed-skip.txt`; a
//! listed file that passes fails the test, so the list only shrinks.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use kmip_ttlv::xml::{self, MessageKind};
use kmip_ttlv::{Limits, Ttlv};
use kmip_types::{RequestMessage, RequestPayload, ResponseMessage, ResponsePayload};

#[derive(Default)]
struct Counts {
    messages: usize,
    typed_payloads: usize,
    untyped_payloads: BTreeMap<String, usize>,
}

fn round_trip(original: &Ttlv, kind: MessageKind, counts: &mut Counts) -> Result<(), String> {
    let bytes = original.to_bytes().map_err(|e| format!("encode: {e}"))?;
    let encoded = match kind {
        MessageKind::Request => {
            let message = RequestMessage::from_bytes(&bytes, &Limits::DEFAULT)
                .map_err(|e| format!("typed decode: {e}"))?;
            for item in &message.batch_items {
                match &item.payload {
                    RequestPayload::Other(_) => {
                        *counts
                            .untyped_payloads
                            .entry(format!("{:?} request", item.operation))
                            .or_default() += 1;
                    }
                    _ => counts.typed_payloads += 1,
                }
            }
            message
                .to_bytes()
                .map_err(|e| format!("typed encode: {e}"))?
        }
        MessageKind::Response => {
            let message = ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT)
                .map_err(|e| format!("typed decode: {e}"))?;
            for item in &message.batch_items {
                match &item.payload {
                    Some(ResponsePayload::Other(_)) => {
                        *counts
                            .untyped_payloads
                            .entry(format!("{:?} response", item.operation))
                            .or_default() += 1;
                    }
                    Some(_) => counts.typed_payloads += 1,
                    None => {}
                }
            }
            message
                .to_bytes()
                .map_err(|e| format!("typed encode: {e}"))?
        }
    };
    if encoded != bytes {
        let again = kmip_ttlv::decode_message(&encoded, &Limits::DEFAULT)
            .map(|t| xml_text(&t))
            .unwrap_or_else(|e| format!("<undecodable: {e}>"));
        return Err(format!(
            "typed re-encoding differs:\n--- original\n{}\n--- typed\n{again}",
            xml_text(original)
        ));
    }
    let reread = kmip_ttlv::decode_message(&encoded, &Limits::DEFAULT)
        .map_err(|e| format!("decode of the typed encoding: {e}"))?;
    if xml_text(&reread) != xml_text(original) {
        return Err("XML of the typed encoding differs".into());
    }
    counts.messages += 1;
    Ok(())
}

/// A message as XML, or why it cannot be written, for comparisons and reports.
fn xml_text(message: &kmip_ttlv::Ttlv) -> String {
    xml::to_string(message).unwrap_or_else(|e| format!("<not writable as XML: {e}>"))
}

fn check_file(dir: &Path, relative: &str, counts: &mut Counts) -> Result<(), String> {
    let messages = kmip_vectors::load(dir, relative)?;
    for (i, m) in messages.iter().enumerate() {
        round_trip(&m.message, m.kind, counts)
            .map_err(|e| format!("message {i} (line {}): {e}", m.line))?;
    }
    Ok(())
}

#[test]
fn xml_test_cases_round_trip_through_the_typed_model() {
    let Some(dir) = kmip_vectors::corpus_dir_or_skip("kmip-types vectors") else {
        return;
    };
    let files = kmip_vectors::xml_files(&dir).unwrap();
    let skips = kmip_vectors::skip_list(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors-typed-skip.txt"),
    );
    let verbose = std::env::var_os("KMIP_VECTORS_VERBOSE").is_some();

    let mut counts = Counts::default();
    let mut problems = String::new();
    let (mut passed, mut skipped) = (0, 0);
    let mut per_folder: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for relative in &files {
        let folder = relative.rsplit_once('/').map_or("", |(f, _)| f).to_owned();
        let entry = per_folder.entry(folder).or_default();
        entry.1 += 1;
        let result = check_file(&dir, relative, &mut counts);
        match (result, skips.get(relative)) {
            (Ok(()), None) => {
                passed += 1;
                entry.0 += 1;
            }
            (Ok(()), Some(_)) => {
                let _ = writeln!(
                    problems,
                    "{relative}: passes now, remove it from the skip list"
                );
            }
            (Err(e), Some(_)) => {
                skipped += 1;
                if verbose {
                    println!("skipped {relative}: {e}");
                }
            }
            (Err(e), None) => {
                let _ = writeln!(problems, "{relative}: {e}");
            }
        }
    }
    for listed in skips.keys() {
        if !files.contains(listed) {
            let _ = writeln!(problems, "{listed}: in the skip list but not in the corpus");
        }
    }

    for (folder, (ok, total)) in &per_folder {
        println!("  {folder}: {ok}/{total}");
    }
    println!(
        "kmip-types vectors: {} files, {passed} passed ({} messages, {} typed payloads), {skipped} skipped",
        files.len(),
        counts.messages,
        counts.typed_payloads,
    );
    if !counts.untyped_payloads.is_empty() {
        println!("  payloads kept untyped: {:?}", counts.untyped_payloads);
    }
    assert!(problems.is_empty(), "\n{problems}");
    assert_eq!(
        files.len(),
        kmip_vectors::EXPECTED_FILES,
        "corpus size changed"
    );
}

//! The KMIP XML test-case corpus (OASIS profiles and test cases, ovh/kmip-go copies)
//! round-trips at the TTLV level.
//!
//! For every message of every `*.xml` file: XML → tree → TTLV bytes → strict decode
//! gives the same tree and re-encodes to the same bytes; the tree written back as XML
//! and as JSON reads back to the same tree.
//!
//! The corpus lives outside the repository: `$KMIP_VECTORS_DIR`, or else
//! `shared/kmip-vectors` beside the repository. Without it the test prints that it
//! was skipped, and fails when `CI` is set. Files that cannot pass are listed with a
//! reason in `tests/vectors-skip.txt`; a listed file that passes fails the test, so the
//! list only shrinks.
#![cfg(all(feature = "xml", feature = "json"))]

use std::fmt::Write as _;
use std::path::Path;

use kmip_ttlv::xml::{self, MessageKind, XmlOptions};
use kmip_ttlv::{Limits, decode_message, json};
use kmip_vectors::{DOUBLE_ROOT_END, EXPECTED_FILES};

/// Runs every check on one file; returns its message count or what went wrong.
fn check_file(dir: &Path, relative: &str) -> Result<usize, String> {
    if relative == DOUBLE_ROOT_END {
        let raw = std::fs::read_to_string(dir.join(relative)).map_err(|e| e.to_string())?;
        if xml::parse_test_case(&raw, &kmip_vectors::options_for(relative)).is_ok() {
            return Err("the doubled </KMIP> was accepted".into());
        }
    }
    let messages = kmip_vectors::load(dir, relative)?;
    if messages.is_empty() {
        return Err("no messages".into());
    }
    for (i, m) in messages.iter().enumerate() {
        let at = |what: &str| format!("message {i} (line {}): {what}", m.line);
        let expected_tag = match m.kind {
            MessageKind::Request => kmip_ttlv::Tag::REQUEST_MESSAGE,
            MessageKind::Response => kmip_ttlv::Tag::RESPONSE_MESSAGE,
        };
        if m.message.tag != expected_tag {
            return Err(at("message kind and tag disagree"));
        }

        let bytes = m
            .message
            .to_bytes()
            .map_err(|e| at(&format!("encode: {e}")))?;
        let decoded =
            decode_message(&bytes, &Limits::DEFAULT).map_err(|e| at(&format!("decode: {e}")))?;
        if decoded != m.message {
            return Err(at("decoded tree differs"));
        }
        if decoded
            .to_bytes()
            .map_err(|e| at(&format!("re-encode: {e}")))?
            != bytes
        {
            return Err(at("re-encoded bytes differ"));
        }

        let written =
            xml::to_string(&decoded).map_err(|e| at(&format!("cannot be written as XML: {e}")))?;
        let reread = xml::from_str(&written, &XmlOptions::new())
            .map_err(|e| at(&format!("written XML does not parse: {e}")))?;
        if reread != decoded {
            return Err(at("written XML reads back differently"));
        }

        let json_text = json::to_string(&decoded);
        let from_json = json::from_str(&json_text, &Limits::DEFAULT)
            .map_err(|e| at(&format!("written JSON does not parse: {e}")))?;
        if from_json != decoded {
            return Err(at("written JSON reads back differently"));
        }
    }
    Ok(messages.len())
}

#[test]
fn xml_test_cases_round_trip() {
    let Some(dir) = kmip_vectors::corpus_dir_or_skip("kmip-vectors") else {
        return;
    };
    let files = kmip_vectors::xml_files(&dir).unwrap();
    let skips = kmip_vectors::skip_list(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors-skip.txt"),
    );

    let mut problems = String::new();
    let (mut passed, mut skipped, mut messages) = (0, 0, 0);
    for relative in &files {
        let result = check_file(&dir, relative);
        match (result, skips.get(relative)) {
            (Ok(n), None) => {
                passed += 1;
                messages += n;
            }
            (Ok(_), Some(_)) => {
                let _ = writeln!(
                    problems,
                    "{relative}: passes now, remove it from the skip list"
                );
            }
            (Err(_), Some(_)) => skipped += 1,
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

    println!(
        "kmip-vectors: {} files, {passed} passed ({messages} messages), {skipped} skipped",
        files.len()
    );
    assert!(problems.is_empty(), "\n{problems}");
    assert_eq!(files.len(), EXPECTED_FILES, "corpus size changed");
}

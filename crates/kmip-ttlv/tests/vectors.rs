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

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kmip_ttlv::xml::{self, MessageKind, XmlOptions};
use kmip_ttlv::{ItemType, Limits, Value, decode_message, json};

/// Number of XML files the corpus README announces.
const EXPECTED_FILES: usize = 1016;

/// Folders whose values carry runs of spaces from HTML extraction (corpus README,
/// "Whitespace damage").
const WHITESPACE_DAMAGED: &[&str] = &["oasis-1.0-profiles/", "ovh-kmip-go/"];

/// Upstream defect: this file ends with a second `</KMIP>` and is not well-formed
/// (corpus README, "Upstream defects kept verbatim"). The test drops what follows the
/// first `</KMIP>`, after checking that the parser does refuse the file as it is.
const DOUBLE_ROOT_END: &str = "oasis-1.4/testcases/TC-ECDSA-SIGN-1-14.xml";

/// `$NOW` for the placeholder hook: 2020-01-01T00:00:00Z.
const NOW: i64 = 1_577_836_800;

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("KMIP_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kmip-vectors"),
    };
    dir.is_dir().then_some(dir)
}

/// Every `*.xml` under `dir`, as sorted paths relative to it with `/` separators.
fn xml_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                let Ok(relative) = path.strip_prefix(dir) else {
                    continue;
                };
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `tests/vectors-skip.txt`: one `path  # reason` per line; `#` lines are comments.
fn skip_list() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors-skip.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| match line.split_once('#') {
            Some((path, reason)) => (path.trim().to_owned(), reason.trim().to_owned()),
            None => (line.to_owned(), String::new()),
        })
        .collect()
}

/// Deterministic values for the `$` placeholders: `$NOW±n` is [`NOW`] ± n seconds, and
/// a byte-string placeholder is 16 bytes derived from its name.
fn placeholder(name: &str, item_type: ItemType) -> Option<Value> {
    match item_type {
        ItemType::DateTime => {
            let offset = name.strip_prefix("$NOW")?;
            let delta = match offset.split_at_checked(1) {
                None => 0,
                Some(("+", n)) => n.parse::<i64>().ok()?,
                Some(("-", n)) => -n.parse::<i64>().ok()?,
                Some(_) => return None,
            };
            Some(Value::DateTime(NOW + delta))
        }
        ItemType::ByteString => {
            // FNV-1a of the name, stretched by a xorshift generator.
            let mut state = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            let mut bytes = Vec::with_capacity(16);
            for _ in 0..2 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                bytes.extend_from_slice(&state.to_be_bytes());
            }
            Some(Value::ByteString(bytes))
        }
        _ => None,
    }
}

/// Runs every check on one file; returns its message count or what went wrong.
fn check_file(dir: &Path, relative: &str) -> Result<usize, String> {
    let mut text = std::fs::read_to_string(dir.join(relative)).map_err(|e| format!("read: {e}"))?;
    let hook = placeholder;
    let options = XmlOptions::new()
        .with_collapse_whitespace(WHITESPACE_DAMAGED.iter().any(|f| relative.starts_with(f)))
        .with_placeholder(&hook);

    if relative == DOUBLE_ROOT_END {
        if xml::parse_test_case(&text, &options).is_ok() {
            return Err("the doubled </KMIP> was accepted".into());
        }
        let end = text.find("</KMIP>").ok_or("no </KMIP>")? + "</KMIP>".len();
        text.truncate(end);
        text.push('\n');
    }

    let messages = xml::parse_test_case(&text, &options).map_err(|e| e.to_string())?;
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

        let written = xml::to_string(&decoded);
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
    let Some(dir) = corpus_dir() else {
        println!("kmip-vectors: skipped: corpus not found (set KMIP_VECTORS_DIR)");
        assert!(
            std::env::var_os("CI").is_none(),
            "the KMIP vector corpus is required in CI"
        );
        return;
    };
    let files = xml_files(&dir).unwrap();
    let skips = skip_list();

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

#[test]
fn placeholder_hook_is_deterministic() {
    assert_eq!(
        placeholder("$NOW-3600", ItemType::DateTime),
        Some(Value::DateTime(NOW - 3600))
    );
    assert_eq!(
        placeholder("$NOW", ItemType::DateTime),
        Some(Value::DateTime(NOW))
    );
    assert_eq!(placeholder("$NOWISH", ItemType::DateTime), None);
    assert_eq!(
        placeholder("$DATA_0", ItemType::ByteString),
        placeholder("$DATA_0", ItemType::ByteString)
    );
    assert_ne!(
        placeholder("$DATA_0", ItemType::ByteString),
        placeholder("$DATA_1", ItemType::ByteString)
    );
    assert_eq!(placeholder("$X", ItemType::Integer), None);
}

#![doc = include_str!("../README.md")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kmip_ttlv::xml::{self, TestMessage, XmlOptions};
use kmip_ttlv::{ItemType, Value};

/// Number of XML files the corpus README announces.
pub const EXPECTED_FILES: usize = 1016;

/// Folders whose values carry runs of spaces from HTML extraction (corpus README,
/// "Whitespace damage").
pub const WHITESPACE_DAMAGED: &[&str] = &["oasis-1.0-profiles/", "ovh-kmip-go/"];

/// Upstream defect: this file ends with a second `</KMIP>` and is not well-formed
/// (corpus README, "Upstream defects kept verbatim").
pub const DOUBLE_ROOT_END: &str = "oasis-1.4/testcases/TC-ECDSA-SIGN-1-14.xml";

/// `$NOW` for [`placeholder`]: 2020-01-01T00:00:00Z.
pub const NOW: i64 = 1_577_836_800;

/// The corpus folder, if present: `$KMIP_VECTORS_DIR`, else `shared/kmip-vectors` beside
/// the repository.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("KMIP_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kmip-vectors"),
    };
    dir.is_dir().then_some(dir)
}

/// The corpus folder, or `None` after printing that `what` was skipped.
///
/// # Panics
/// When the corpus is missing and `CI` is set: CI must run the conformance tests.
#[allow(clippy::panic)]
pub fn corpus_dir_or_skip(what: &str) -> Option<PathBuf> {
    let dir = corpus_dir();
    if dir.is_none() {
        println!("{what}: skipped: corpus not found (set KMIP_VECTORS_DIR)");
        if std::env::var_os("CI").is_some() {
            panic!("{what}: the KMIP vector corpus is required in CI");
        }
    }
    dir
}

/// Every `*.xml` under `dir`, as sorted paths relative to it with `/` separators.
pub fn xml_files(dir: &Path) -> std::io::Result<Vec<String>> {
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

/// A skip list: one `path  # reason` per line; blank and `#` lines are comments.
pub fn skip_list(path: &Path) -> BTreeMap<String, String> {
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
pub fn placeholder(name: &str, item_type: ItemType) -> Option<Value> {
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

/// The text of a corpus file, with the doubled `</KMIP>` of [`DOUBLE_ROOT_END`] cut.
pub fn read_file(dir: &Path, relative: &str) -> Result<String, String> {
    let mut text = std::fs::read_to_string(dir.join(relative)).map_err(|e| format!("read: {e}"))?;
    if relative == DOUBLE_ROOT_END {
        let end = text.find("</KMIP>").ok_or("no </KMIP>")? + "</KMIP>".len();
        text.truncate(end);
        text.push('\n');
    }
    Ok(text)
}

/// The options a corpus file is parsed with: whitespace collapsed in the damaged
/// folders, placeholders filled by [`placeholder`].
pub fn options_for(relative: &str) -> XmlOptions<'static> {
    XmlOptions::new()
        .with_collapse_whitespace(WHITESPACE_DAMAGED.iter().any(|f| relative.starts_with(f)))
        .with_placeholder(&placeholder)
}

/// Loads every message of a corpus file.
pub fn load(dir: &Path, relative: &str) -> Result<Vec<TestMessage>, String> {
    let text = read_file(dir, relative)?;
    xml::parse_test_case(&text, &options_for(relative)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_deterministic() {
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
}

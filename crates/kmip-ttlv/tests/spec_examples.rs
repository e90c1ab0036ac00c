//! The ten encoding examples of the KMIP specification (KMIP 1.4 §9.1.2), read from the
//! shared conformance corpus: each must encode byte for byte and decode back.
//!
//! The corpus is found at `$KMIP_VECTORS_DIR`, else at `../../../shared/kmip-vectors`
//! from this crate. Without it the test prints "skipped", unless `CI` is set, where a
//! missing corpus is a failure. The same examples are embedded in the unit tests of
//! `src/encode.rs`, so they also run without the corpus.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use kmip_ttlv::{BigInteger, ItemType, Limits, Tag, Ttlv, Value, decode};
use serde_json::Value as Json;

const EXAMPLES_FILE: &str = "spec-encoding-examples/kmip-spec-9.1.2-ttlv-examples.json";

fn corpus_dir() -> PathBuf {
    match std::env::var_os("KMIP_VECTORS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/kmip-vectors"),
    }
}

/// The examples file, or `None` (after saying so) when the corpus is absent outside CI.
fn load_examples() -> Option<Json> {
    let path = corpus_dir().join(EXAMPLES_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).unwrap()),
        Err(err) if std::env::var_os("CI").is_none() => {
            println!("skipped: {} not readable ({err})", path.display());
            None
        }
        Err(err) => panic!("CI is set but {} is not readable: {err}", path.display()),
    }
}

fn tag(json: &Json) -> Tag {
    let text = json.as_str().unwrap();
    let hex = text.strip_prefix("0x").unwrap();
    Tag::new(u32::from_str_radix(hex, 16).unwrap()).unwrap()
}

/// Builds the item an example describes, from its tag, type name and JSON value.
fn item(example: &Json) -> Ttlv {
    let item_type = ItemType::from_name(example["type"].as_str().unwrap()).unwrap();
    let v = &example["value"];
    let value = match item_type {
        ItemType::Structure => Value::Structure(v.as_array().unwrap().iter().map(item).collect()),
        ItemType::Integer => Value::Integer(i32::try_from(v.as_i64().unwrap()).unwrap()),
        ItemType::LongInteger => Value::LongInteger(v.as_i64().unwrap()),
        ItemType::BigInteger => {
            Value::BigInteger(BigInteger::from_i128(v.as_str().unwrap().parse().unwrap()))
        }
        ItemType::Enumeration => Value::Enumeration(u32::try_from(v.as_u64().unwrap()).unwrap()),
        ItemType::Boolean => Value::Boolean(v.as_bool().unwrap()),
        ItemType::TextString => Value::TextString(v.as_str().unwrap().to_owned()),
        ItemType::ByteString => Value::ByteString(hex::decode(v.as_str().unwrap()).unwrap()),
        ItemType::DateTime => Value::DateTime(unix_seconds(v.as_str().unwrap())),
        ItemType::Interval => Value::Interval(u32::try_from(v.as_u64().unwrap()).unwrap()),
        ItemType::DateTimeExtended => Value::DateTimeExtended(v.as_i64().unwrap()),
    };
    Ttlv::new(tag(&example["tag"]), value)
}

/// Seconds since the Unix epoch of a `YYYY-MM-DDTHH:MM:SSZ` timestamp.
fn unix_seconds(text: &str) -> i64 {
    let digits: Vec<i64> = text
        .trim_end_matches('Z')
        .split(['-', 'T', ':'])
        .map(|part| part.parse().unwrap())
        .collect();
    let [year, month, day, hour, minute, second] = digits[..] else {
        panic!("not a UTC timestamp: {text}");
    };
    // Days from civil (proleptic Gregorian), with the year starting in March.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + hour * 3_600 + minute * 60 + second
}

#[test]
fn timestamps_convert_to_unix_seconds() {
    assert_eq!(unix_seconds("1970-01-01T00:00:00Z"), 0);
    assert_eq!(unix_seconds("2000-03-01T00:00:00Z"), 951_868_800);
    assert_eq!(unix_seconds("1969-12-31T23:59:59Z"), -1);
}

#[test]
fn specification_examples_encode_and_decode_byte_for_byte() {
    let Some(file) = load_examples() else {
        return;
    };
    let examples = file["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 10, "the specification has ten examples");
    for example in examples {
        let description = example["description"].as_str().unwrap();
        let expected = hex::decode(example["hex"].as_str().unwrap()).unwrap();
        // The spaced form is the same bytes.
        let spaced: String = example["hex_spaced"]
            .as_str()
            .unwrap()
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect();
        assert_eq!(hex::decode(spaced).unwrap(), expected, "{description}");

        let built = item(example);
        assert_eq!(built.to_bytes().unwrap(), expected, "{description}: encode");
        assert_eq!(built.encoded_len(), expected.len(), "{description}");
        let decoded = decode(&expected, &Limits::DEFAULT).unwrap();
        assert_eq!(decoded, built, "{description}: decode");
        assert_eq!(decoded.to_bytes().unwrap(), expected, "{description}");
    }
}

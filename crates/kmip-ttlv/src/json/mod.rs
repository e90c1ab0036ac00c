//! The KMIP JSON encoding.
//!
//! Specified by *KMIP Additional Message Encodings v1.0* §4.1 (JSON encoding; §5 holds
//! its test case), carried into the "JSON Encoding" section of the KMIP 2.0 and 2.1
//! specifications (which add Date-Time Extended). Each item is an
//! object with a `tag` (normalised tag name, or `0x` and 6 hex digits), a `type` (absent
//! for a Structure) and a `value`:
//!
//! ```json
//! {"tag":"RequestMessage","value":[
//!   {"tag":"RequestHeader","value":[
//!     {"tag":"ProtocolVersion","value":[
//!       {"tag":"ProtocolVersionMajor","type":"Integer","value":1},
//!       {"tag":"ProtocolVersionMinor","type":"Integer","value":4}]},
//!     {"tag":"BatchCount","type":"Integer","value":1}]},
//!   ...
//! ```
//!
//! | Type | `value` |
//! |---|---|
//! | Structure | array of items |
//! | Integer | number, `"0x"` hex string; a mask also as `"Encrypt|Decrypt"` |
//! | Long Integer | number, or `"0x"` and 16 hex digits (written so beyond ±2^53) |
//! | Big Integer | `"0x"` and the wire bytes in hex (also a number when read) |
//! | Enumeration | normalised name, or `"0x"` and 8 hex digits (also a number when read); named through the Attribute Name sibling or as a tag name like the XML encoding |
//! | Boolean | `true`/`false` |
//! | Text String | string |
//! | Byte String | hex string without prefix |
//! | Date-Time, Date-Time Extended | ISO 8601 string, or `"0x"` hex |
//! | Interval | number or `"0x"` hex string |
//!
//! Reading streams: items are built as the text is parsed, with no JSON tree in
//! between, and [`Limits`] apply as they are read. The text is at most
//! [`Limits::max_text_len`] long, each item object is checked against the depth and
//! item limits before any of its keys is read, and anything else nested (an array where
//! an item belongs, an object as a value, an unknown key) is refused where it starts.

mod read;

use serde_json::{Map, Value as Json};

use crate::value_text::{self, Interpretation, Siblings};
use crate::{ItemType, Limits, TagPath, Ttlv, Value};

pub use read::from_str;

pub use crate::value_text::{Shown, ValueError};

/// Largest magnitude a JSON number holds exactly (2^53).
const MAX_EXACT: i64 = 1 << 53;

/// Writes an item as compact JSON.
pub fn to_string(item: &Ttlv) -> String {
    to_json(item, Siblings::new()).to_string()
}

/// Writes an item as indented JSON.
pub fn to_string_pretty(item: &Ttlv) -> String {
    format!("{:#}", to_json(item, Siblings::new()))
}

/// Builds the JSON tree of an item; `siblings` tells how its value is named among its
/// parent's children.
fn to_json(item: &Ttlv, siblings: Siblings) -> Json {
    let mut object = Map::new();
    let tag = match crate::dictionary::tag_info(item.tag) {
        Some(info) => info.xml_name.to_owned(),
        None => value_text::format_tag_hex(item.tag),
    };
    object.insert("tag".into(), Json::String(tag));
    if item.item_type() != ItemType::Structure {
        object.insert("type".into(), Json::String(item.item_type().name().into()));
    }
    let interpretation = siblings.interpretation(item.tag);
    let value = match &item.value {
        Value::Structure(children) => {
            let mut siblings = Siblings::new();
            let mut array = Vec::with_capacity(children.len());
            for child in children {
                array.push(to_json(child, siblings));
                siblings.saw(child);
            }
            Json::Array(array)
        }
        Value::Integer(v) => match interpretation {
            Interpretation::Mask(def) if *v != 0 => {
                Json::String(value_text::format_mask(*v, def, "|"))
            }
            _ => Json::from(*v),
        },
        Value::LongInteger(v) if (-MAX_EXACT..=MAX_EXACT).contains(v) => Json::from(*v),
        Value::LongInteger(v) => Json::String(format!("0x{:016X}", *v as u64)),
        Value::BigInteger(v) => {
            Json::String(format!("0x{}", value_text::format_hex(v.as_wire_bytes())))
        }
        Value::Enumeration(v) => Json::String(value_text::format_enumeration(*v, interpretation)),
        Value::Boolean(v) => Json::Bool(*v),
        Value::TextString(v) => Json::String(v.clone()),
        Value::ByteString(v) => Json::String(value_text::format_hex(v)),
        Value::DateTime(v) => Json::String(value_text::format_date_time(*v)),
        Value::DateTimeExtended(v) => Json::String(value_text::format_date_time_extended(*v)),
        Value::Interval(v) => Json::from(*v),
    };
    object.insert("value".into(), value);
    Json::Object(object)
}

/// Why JSON input is not a KMIP item, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("in {path}: {kind}")]
pub struct JsonError {
    /// Tags from the root to the offending item (`RequestMessage/BatchItem`), as far as
    /// they were read; empty for syntax errors.
    pub path: TagPath,
    /// What is wrong.
    pub kind: JsonErrorKind,
}

/// The classes of bad JSON input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsonErrorKind {
    /// Not JSON.
    #[error("JSON syntax at line {line}, column {column}: {message}")]
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// An item that is not a JSON object.
    #[error("an item must be an object")]
    NotAnObject,
    /// A key other than `tag`, `type` and `value`.
    #[error("unexpected key {0:?}")]
    UnknownKey(String),
    /// A key given twice in one item. JSON leaves duplicates to the reader; taking
    /// the last one, as most do, would let two readers of the same text disagree.
    #[error("duplicate key {0:?}")]
    DuplicateKey(&'static str),
    /// A missing `tag` or `value`.
    #[error("missing {0:?}")]
    MissingKey(&'static str),
    /// A `tag` that is not a known tag name or `0x` and 6 hex digits.
    #[error("unknown tag {0:?}")]
    UnknownTag(String),
    /// A `type` that is not a TTLV type name.
    #[error("unknown type {0:?}")]
    UnknownType(String),
    /// A `tag` or `type` whose value is not a string.
    #[error("the value of {0:?} must be a string")]
    NotAString(&'static str),
    /// A value of the wrong JSON type for its item type.
    #[error("a {item_type} value must be {expected}")]
    WrongJsonType {
        /// The item's type.
        item_type: ItemType,
        /// What the encoding accepts.
        expected: &'static str,
    },
    /// A value that does not read as its type.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// Nesting deeper than [`Limits::depth_limit`].
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// More items than [`Limits::max_items`].
    #[error("more than {0} items")]
    TooManyItems(usize),
    /// Input longer than [`Limits::max_text_len`], refused before it is parsed.
    #[error(
        "{len} bytes of text, over the limit of {limit} ({} times the message limit)",
        Limits::TEXT_FACTOR
    )]
    TextTooLong {
        /// Length of the input in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A message whose TTLV encoding exceeds [`Limits::max_message_len`].
    #[error("message encodes to {len} bytes, over the limit of {limit}")]
    TooLong {
        /// Encoded length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BigInteger, Tag};

    fn round_trip(item: &Ttlv) {
        let json = to_string(item);
        assert_eq!(&from_str(&json, &Limits::DEFAULT).unwrap(), item, "{json}");
        let pretty = to_string_pretty(item);
        assert_eq!(
            &from_str(&pretty, &Limits::DEFAULT).unwrap(),
            item,
            "{pretty}"
        );
    }

    #[test]
    fn reads_the_spec_shape() {
        let json = r#"{"tag":"RequestMessage","value":[
            {"tag":"BatchCount","type":"Integer","value":1},
            {"tag":"CryptographicUsageMask","type":"Integer","value":"Encrypt|Decrypt"},
            {"tag":"ObjectType","type":"Enumeration","value":"SymmetricKey"},
            {"tag":"0x540001","type":"TextString","value":"na"},
            {"tag":"KeyMaterial","type":"ByteString","value":"00ff"},
            {"tag":"ActivationDate","type":"DateTime","value":"2012-04-27T08:12:26+00:00"},
            {"tag":"Sensitive","type":"Boolean","value":true}
        ]}"#;
        let item = from_str(json, &Limits::DEFAULT).unwrap();
        let children = item.children().unwrap();
        assert_eq!(children[1].value, Value::Integer(12));
        assert_eq!(children[2].value, Value::Enumeration(2));
        assert_eq!(children[3].tag.value(), 0x54_0001);
        assert_eq!(children[4].value, Value::ByteString(vec![0, 0xFF]));
        assert_eq!(children[5].value, Value::DateTime(1_335_514_346));
        round_trip(&item);
    }

    #[test]
    fn attribute_value_enumeration_resolves_through_attribute_name() {
        let json = r#"{"tag":"Attribute","value":[
            {"tag":"AttributeName","type":"TextString","value":"Cryptographic Algorithm"},
            {"tag":"AttributeValue","type":"Enumeration","value":"AES"}]}"#;
        let item = from_str(json, &Limits::DEFAULT).unwrap();
        assert_eq!(item.children().unwrap()[1].value, Value::Enumeration(3));
        assert!(to_string(&item).contains(r#""value":"AES""#));
        round_trip(&item);
    }

    #[test]
    fn long_integers_beyond_2_pow_53_are_hex() {
        for v in [0, MAX_EXACT, MAX_EXACT + 1, i64::MIN, i64::MAX, -1] {
            let item = Ttlv::new(Tag::ATTRIBUTE_INDEX, Value::LongInteger(v));
            round_trip(&item);
        }
        let item = Ttlv::new(Tag::ATTRIBUTE_INDEX, Value::LongInteger(i64::MAX));
        assert!(to_string(&item).contains("0x7FFFFFFFFFFFFFFF"));
    }

    #[test]
    fn every_type_round_trips() {
        let item = Ttlv::structure(
            Tag::new(0x54_0002).unwrap(),
            vec![
                Ttlv::new(Tag::CRYPTOGRAPHIC_USAGE_MASK, Value::Integer(0)),
                Ttlv::new(Tag::CRYPTOGRAPHIC_USAGE_MASK, Value::Integer(-1)),
                Ttlv::new(Tag::BATCH_COUNT, Value::Integer(i32::MIN)),
                Ttlv::new(
                    Tag::D,
                    Value::BigInteger(BigInteger::from_i128(-5_000_000_000)),
                ),
                Ttlv::new(Tag::OBJECT_TYPE, Value::Enumeration(0x8000_0001)),
                Ttlv::new(
                    Tag::ATTRIBUTE_REFERENCE,
                    Value::Enumeration(Tag::STATE.value()),
                ),
                Ttlv::new(Tag::NAME_VALUE, Value::TextString("\"quoted\"\n".into())),
                Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(Vec::new())),
                Ttlv::new(Tag::INITIAL_DATE, Value::DateTime(i64::MIN)),
                Ttlv::new(Tag::INITIAL_DATE, Value::DateTimeExtended(1)),
                Ttlv::new(Tag::LEASE_TIME, Value::Interval(u32::MAX)),
                Ttlv::structure(Tag::BATCH_ITEM, Vec::new()),
            ],
        );
        round_trip(&item);
    }

    #[test]
    fn refuses_bad_shapes() {
        let bad = [
            r#"[]"#,
            r#"{"tag":"BatchCount","type":"Integer"}"#,
            r#"{"tag":"BatchCount","type":"Integer","value":1,"extra":0}"#,
            r#"{"tag":"NoSuchTag","type":"Integer","value":1}"#,
            r#"{"tag":"BatchCount","type":"Integr","value":1}"#,
            r#"{"tag":"BatchCount","type":"Integer","value":1.5}"#,
            r#"{"tag":"BatchCount","type":"Integer","value":4294967296}"#,
            r#"{"tag":"BatchCount","type":"Integer","value":"Encrypt"}"#,
            r#"{"tag":"BatchItem","value":{}}"#,
            r#"{"tag":"D","type":"BigInteger","value":"0x00"}"#,
            r#"{"tag":"ObjectType","type":"Enumeration","value":"NoSuchThing"}"#,
        ];
        for json in bad {
            assert!(from_str(json, &Limits::DEFAULT).is_err(), "{json}");
        }
    }

    #[test]
    fn attribute_name_is_resolved_once_per_attribute_not_per_value() {
        // Resolving the name again for every value made writing a 520 KB message take
        // seconds: the work was the name's length times the number of values.
        for (name, values) in [
            ("a".repeat(500_000), 12_000),
            ("Cryptographic Usage Mask".to_owned(), 20_000),
        ] {
            let mut children = vec![Ttlv::new(Tag::ATTRIBUTE_NAME, Value::TextString(name))];
            children
                .extend((0..values).map(|_| Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::Integer(4))));
            let item = Ttlv::structure(Tag::ATTRIBUTE, children);
            crate::value_text::take_names_resolved();
            let json = to_string(&item);
            assert_eq!(crate::value_text::take_names_resolved(), 1, "write");
            assert_eq!(from_str(&json, &Limits::DEFAULT).unwrap(), item);
            assert_eq!(crate::value_text::take_names_resolved(), 1, "read");
        }
    }

    /// Hex of a recognisable test key, never a real one.
    const KEY_HEX: &str = "3c55aa0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";

    #[test]
    fn errors_never_quote_byte_strings_big_integers_or_secret_values() {
        let odd = &KEY_HEX[1..];
        let bad_digit = format!("{}zz", &KEY_HEX[..62]);
        let cases = [
            format!(r#"{{"tag":"KeyMaterial","type":"ByteString","value":"{odd}"}}"#),
            format!(r#"{{"tag":"KeyMaterial","type":"ByteString","value":"{bad_digit}"}}"#),
            format!(
                r#"{{"tag":"D","type":"BigInteger","value":"0x{}"}}"#,
                &KEY_HEX[..60]
            ),
            format!(r#"{{"tag":"D","type":"BigInteger","value":"0x{bad_digit}"}}"#),
            r#"{"tag":"D","type":"BigInteger","value":3155170102030405060708090102030405}"#
                .to_owned(),
            format!(r#"{{"tag":"Password","type":"Integer","value":"{KEY_HEX}"}}"#),
            format!(r#"{{"tag":"Password","type":"Enumeration","value":"{KEY_HEX}"}}"#),
            format!(
                r#"{{"tag":"CredentialValue","value":[{{"tag":"Username","type":"DateTime","value":"{KEY_HEX}"}}]}}"#
            ),
            format!(r#"{{"tag":["{KEY_HEX}"],"type":"ByteString","value":""}}"#),
            format!(r#"{{"tag":"KeyMaterial","type":{{"{KEY_HEX}":1}},"value":""}}"#),
        ];
        for json in &cases {
            let err = from_str(json, &Limits::DEFAULT).unwrap_err();
            let shown = format!("{err} / {err:?}");
            for piece in [
                &KEY_HEX[..12],
                &KEY_HEX[20..32],
                &KEY_HEX[50..62],
                "31551701020304",
            ] {
                assert!(!shown.contains(piece), "{json}\n{shown}");
            }
        }
        let err = from_str(&cases[1], &Limits::DEFAULT).unwrap_err();
        assert!(err.to_string().contains("64 characters"), "{err}");
        assert!(err.to_string().contains("character 63"), "{err}");
        let err = from_str(
            r#"{"tag":"BatchCount","type":"Integer","value":"twelve"}"#,
            &Limits::DEFAULT,
        )
        .unwrap_err();
        assert!(err.to_string().contains("\"twelve\""), "{err}");
    }

    #[test]
    fn text_longer_than_the_text_limit_is_refused_before_it_is_parsed() {
        // A 64-byte message limit allows 1024 bytes of text.
        let limits = Limits::DEFAULT.with_max_message_len(64);
        let padded = |len: usize| {
            format!(
                r#"{{"tag":"BatchItem","value":[]}}{}"#,
                " ".repeat(len - 30)
            )
        };
        assert!(from_str(&padded(1024), &limits).is_ok());
        assert_eq!(
            from_str(&padded(1025), &limits).unwrap_err().kind,
            JsonErrorKind::TextTooLong {
                len: 1025,
                limit: 1024
            }
        );
        // The whole document used to become a serde_json tree first, whatever its size.
        let numbers = format!(
            r#"{{"tag":"BatchItem","value":[{}1]}}"#,
            "1,".repeat(1 << 16)
        );
        assert!(matches!(
            from_str(&numbers, &limits).unwrap_err().kind,
            JsonErrorKind::TextTooLong { limit: 1024, .. }
        ));
    }

    #[test]
    fn refuses_duplicate_keys() {
        for (json, key) in [
            (
                r#"{"tag":"NameValue","type":"TextString","value":"a","value":"b"}"#,
                "value",
            ),
            (
                r#"{"tag":"NameValue","tag":"KeyMaterial","type":"ByteString","value":"00"}"#,
                "tag",
            ),
            (
                r#"{"tag":"BatchCount","type":"TextString","type":"Integer","value":1}"#,
                "type",
            ),
            (
                r#"{"tag":"BatchItem","value":[],"value":[{"tag":"BatchCount","type":"Integer","value":1}]}"#,
                "value",
            ),
        ] {
            assert_eq!(
                from_str(json, &Limits::DEFAULT).unwrap_err().kind,
                JsonErrorKind::DuplicateKey(key),
                "{json}"
            );
        }
    }

    #[test]
    fn errors_name_the_tag_path() {
        let json = r#"{"tag":"RequestMessage","value":[{"tag":"BatchItem","value":[
            {"tag":"Operation","type":"Enumeration","value":"Frobnicate"}]}]}"#;
        let err = from_str(json, &Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.path.tags(),
            [Tag::REQUEST_MESSAGE, Tag::BATCH_ITEM, Tag::OPERATION]
        );
        assert!(
            err.to_string()
                .starts_with("in RequestMessage/BatchItem/Operation: "),
            "{err}"
        );
    }

    /// Runs `f` on a thread with a 256 KiB stack, as a server worker might have.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    /// `depth` Batch Items, each the only child of the one before.
    fn nested(depth: usize) -> String {
        let mut json = r#"{"tag":"BatchItem","value":["#.repeat(depth);
        json.push_str(&"]}".repeat(depth));
        json
    }

    #[test]
    fn hostile_depth_is_refused_on_a_small_stack() {
        on_small_stack(|| {
            // 100,000 levels in 3 MB, well within the text limit: refused at the depth
            // limit, before serde_json recurses further.
            let deep = nested(100_000);
            assert_eq!(
                from_str(&deep, &Limits::DEFAULT).unwrap_err().kind,
                JsonErrorKind::TooDeep(32)
            );
            let unbounded = Limits {
                max_depth: usize::MAX,
                ..Limits::DEFAULT
            };
            assert_eq!(
                from_str(&deep, &unbounded).unwrap_err().kind,
                JsonErrorKind::TooDeep(Limits::MAX_DEPTH)
            );
            // The deepest message any limits allow reads, and writes back.
            let deepest = nested(Limits::MAX_DEPTH);
            let item = from_str(&deepest, &unbounded).unwrap();
            assert_eq!(to_string(&item), deepest);
            let err = from_str(&nested(Limits::MAX_DEPTH + 1), &unbounded).unwrap_err();
            assert_eq!(err.kind, JsonErrorKind::TooDeep(Limits::MAX_DEPTH));
            assert_eq!(err.path.tags().len(), Limits::MAX_DEPTH);

            // Nesting that is not items is refused where it starts.
            let arrays = format!(
                r#"{{"tag":"BatchItem","value":[{}{}]}}"#,
                "[".repeat(100_000),
                "]".repeat(100_000)
            );
            assert_eq!(
                from_str(&arrays, &Limits::DEFAULT).unwrap_err().kind,
                JsonErrorKind::NotAnObject
            );
            let objects = format!(
                r#"{{"tag":"BatchCount","type":"Integer","value":{}1{}}}"#,
                r#"{"a":"#.repeat(100_000),
                "}".repeat(100_000)
            );
            assert!(matches!(
                from_str(&objects, &Limits::DEFAULT).unwrap_err().kind,
                JsonErrorKind::WrongJsonType { .. }
            ));
            let unknown = format!(
                r#"{{"tag":"BatchItem","extra":{}{},"value":[]}}"#,
                "[".repeat(100_000),
                "]".repeat(100_000)
            );
            assert_eq!(
                from_str(&unknown, &Limits::DEFAULT).unwrap_err().kind,
                JsonErrorKind::UnknownKey("extra".into())
            );
        });
        let few = Limits::DEFAULT.with_max_items(3);
        assert_eq!(
            from_str(&nested(10), &few).unwrap_err().kind,
            JsonErrorKind::TooManyItems(3)
        );
    }

    #[test]
    fn a_large_message_is_read_without_a_json_tree() {
        // serde_json's tree of this text took about 16 times its size; items are now built
        // as it is read, and the first non-item value stops the reading.
        let numbers = format!(
            r#"{{"tag":"BatchItem","value":[{}1]}}"#,
            "1,".repeat(1 << 20)
        );
        let err = from_str(&numbers, &Limits::DEFAULT).unwrap_err();
        assert_eq!(err.kind, JsonErrorKind::NotAnObject);
        assert_eq!(err.path.tags(), [Tag::BATCH_ITEM]);
        // Keys in any order, the value before the type or the tag.
        let shuffled = r#"{"value":[{"value":"AES","type":"Enumeration","tag":"CryptographicAlgorithm"}],"tag":"Attribute"}"#;
        let item = from_str(shuffled, &Limits::DEFAULT).unwrap();
        assert_eq!(
            item,
            Ttlv::structure(
                Tag::ATTRIBUTE,
                vec![Ttlv::new(
                    Tag::CRYPTOGRAPHIC_ALGORITHM,
                    Value::Enumeration(3)
                )]
            )
        );
    }
}

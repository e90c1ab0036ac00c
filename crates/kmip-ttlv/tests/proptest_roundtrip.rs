//! Property tests of the codec on arbitrary TTLV trees (RELIABILITY.md check 12):
//! decode inverts encode, encode inverts decode, `encoded_len` is exact, and mutated
//! encodings never panic the decoder and never decode to a tree that encodes otherwise.
//! The XML and JSON readers read back what their writers write.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use kmip_ttlv::xml::{self, XmlOptions};
use kmip_ttlv::{BigInteger, Limits, Tag, Ttlv, Value, decode, decode_message, json};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

/// Tags: dictionary ones, unknown ones in the KMIP range, extensions, and any 24 bits.
fn arb_tag() -> impl Strategy<Value = Tag> {
    prop_oneof![
        3 => 0x42_0001_u32..=0x42_0160,
        2 => 0x42_0000_u32..=0x42_FFFF,
        1 => 0x54_0000_u32..=0x54_FFFF,
        1 => 0_u32..=Tag::MAX,
    ]
    .prop_map(|t| Tag::new(t).unwrap())
}

/// Every primitive type, with edge values weighted in by proptest's `any`.
fn arb_primitive() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        any::<i64>().prop_map(Value::LongInteger),
        (1_usize..=5)
            .prop_flat_map(|words| vec(any::<u8>(), words * 8))
            .prop_map(|bytes| Value::BigInteger(BigInteger::from_wire_bytes(bytes).unwrap())),
        any::<i128>().prop_map(|v| Value::BigInteger(BigInteger::from_i128(v))),
        any::<u32>().prop_map(Value::Enumeration),
        any::<bool>().prop_map(Value::Boolean),
        any::<String>().prop_map(Value::TextString),
        vec(any::<u8>(), 0..40).prop_map(Value::ByteString),
        any::<i64>().prop_map(Value::DateTime),
        any::<u32>().prop_map(Value::Interval),
        any::<i64>().prop_map(Value::DateTimeExtended),
    ]
}

/// Trees up to 6 levels below the root, up to 8 children per structure.
fn arb_ttlv() -> impl Strategy<Value = Ttlv> {
    let leaf = (arb_tag(), arb_primitive()).prop_map(|(tag, value)| Ttlv::new(tag, value));
    leaf.prop_recursive(6, 96, 8, |inner| {
        (arb_tag(), vec(inner, 0..8)).prop_map(|(tag, children)| Ttlv::structure(tag, children))
    })
}

/// True when some Text String of the tree holds a character XML 1.0 does not allow.
fn has_text_xml_cannot_carry(item: &Ttlv) -> bool {
    match &item.value {
        Value::Structure(children) => children.iter().any(has_text_xml_cannot_carry),
        Value::TextString(text) => text
            .chars()
            .any(|c| !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)),
        _ => false,
    }
}

/// Messages: a structure root.
fn arb_message() -> impl Strategy<Value = Ttlv> {
    (arb_tag(), vec(arb_ttlv(), 0..6)).prop_map(|(tag, children)| Ttlv::structure(tag, children))
}

/// One edit of an encoding.
#[derive(Clone, Debug)]
enum Mutation {
    Set(Index, u8),
    FlipBit(Index, u8),
    Truncate(Index),
    Insert(Index, u8),
    Remove(Index),
    /// Overwrite a length field (bytes 4..8 of some 8-byte-aligned header).
    Length(Index, u32),
}

fn arb_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        4 => (any::<Index>(), 0_u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        1 => any::<Index>().prop_map(Mutation::Remove),
        2 => (any::<Index>(), any::<u32>()).prop_map(|(i, l)| Mutation::Length(i, l)),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match mutation {
        Mutation::Set(i, b) => {
            let i = i.index(bytes.len());
            bytes[i] = *b;
        }
        Mutation::FlipBit(i, bit) => {
            let i = i.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        Mutation::Truncate(i) => bytes.truncate(i.index(bytes.len())),
        Mutation::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        Mutation::Remove(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        Mutation::Length(i, length) => {
            let headers = bytes.len() / 8;
            if headers > 0 {
                let at = i.index(headers) * 8 + 4;
                if let Some(field) = bytes.get_mut(at..at + 4) {
                    field.copy_from_slice(&length.to_be_bytes());
                }
            }
        }
    }
}

/// The decoder's contract on any input: no panic, and anything accepted encodes back to
/// exactly the input.
fn assert_strict(input: &[u8]) -> Result<(), TestCaseError> {
    let results = [
        decode(input, &Limits::DEFAULT),
        decode_message(input, &Limits::DEFAULT),
    ];
    for tree in results.into_iter().flatten() {
        prop_assert_eq!(tree.to_bytes().unwrap(), input);
        prop_assert_eq!(tree.encoded_len(), input.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_inverts_encode(tree in arb_ttlv()) {
        let bytes = tree.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), tree.encoded_len());
        prop_assert_eq!(bytes.len() % 8, 0);
        let decoded = decode(&bytes, &Limits::DEFAULT).unwrap();
        prop_assert_eq!(&decoded, &tree);
        prop_assert_eq!(decoded.to_bytes().unwrap(), bytes);
    }

    #[test]
    fn messages_round_trip(message in arb_message()) {
        let bytes = message.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), message.encoded_len());
        let decoded = decode_message(&bytes, &Limits::DEFAULT).unwrap();
        prop_assert_eq!(decoded.item_count(), message.item_count());
        prop_assert_eq!(&decoded, &message);
    }

    #[test]
    fn encode_into_appends_exactly_encoded_len(tree in arb_ttlv(), prefix in vec(any::<u8>(), 0..9)) {
        let mut out = prefix.clone();
        tree.encode_into(&mut out).unwrap();
        prop_assert_eq!(&out[..prefix.len()], prefix.as_slice());
        prop_assert_eq!(out.len() - prefix.len(), tree.encoded_len());
        let alone = tree.to_bytes().unwrap();
        prop_assert_eq!(&out[prefix.len()..], alone.as_slice());
    }

    #[test]
    fn json_reads_back_what_it_writes(message in arb_message()) {
        for text in [json::to_string(&message), json::to_string_pretty(&message)] {
            let read = json::from_str(&text, &Limits::DEFAULT);
            prop_assert_eq!(read.as_ref(), Ok(&message), "{}", text);
        }
    }

    #[test]
    fn xml_reads_back_what_it_writes(message in arb_message()) {
        match xml::to_string(&message) {
            Ok(text) => {
                let read = xml::from_str(&text, &XmlOptions::new());
                prop_assert_eq!(read.as_ref(), Ok(&message), "{}", text);
            }
            // Only text XML 1.0 cannot carry is refused.
            Err(e) => prop_assert!(has_text_xml_cannot_carry(&message), "{}", e),
        }
    }

    #[test]
    fn every_prefix_of_an_encoding_is_an_error(tree in arb_ttlv()) {
        let bytes = tree.to_bytes().unwrap();
        for len in 0..bytes.len() {
            prop_assert!(decode(&bytes[..len], &Limits::DEFAULT).is_err(), "prefix {}", len);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn mutated_encodings_never_panic(
        message in arb_message(),
        mutations in vec(arb_mutation(), 1..6),
    ) {
        let mut bytes = message.to_bytes().unwrap();
        for mutation in &mutations {
            apply(&mut bytes, mutation);
        }
        assert_strict(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..256)) {
        assert_strict(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_header_never_panic(
        tag in arb_tag(),
        type_byte in 0_u8..=0x0C,
        body in vec(any::<u8>(), 0..128),
    ) {
        // A consistent header makes the body, not the header, the thing under test.
        let mut bytes = tag.to_be_bytes().to_vec();
        bytes.push(type_byte);
        bytes.extend_from_slice(&u32::try_from(body.len()).unwrap().to_be_bytes());
        bytes.extend_from_slice(&body);
        assert_strict(&bytes)?;
    }
}

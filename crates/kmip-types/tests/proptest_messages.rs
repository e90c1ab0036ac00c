//! Property tests on whole messages: generated typed requests survive encode → decode →
//! encode byte for byte under every version, and randomly damaged corpus messages never
//! make the typed decoder panic; whatever it accepts, it re-encodes to the same bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use kmip_ttlv::xml::MessageKind;
use kmip_ttlv::{KmipVersion, Limits, Tag, Ttlv, Value};
use kmip_types::attributes::{Attribute, AttributeValue, Attributes, Name};
use kmip_types::payloads::UniqueId;
use kmip_types::payloads::{ActivateRequest, DestroyRequest, GetRequest, LocateRequest};
use kmip_types::{
    CryptographicAlgorithm, DateTime, NameType, Operation, ProtocolVersion, RequestBatchItem,
    RequestHeader, RequestMessage, RequestPayload, ResponseMessage,
};
use proptest::prelude::*;

fn version() -> impl Strategy<Value = KmipVersion> {
    prop::sample::select(KmipVersion::ALL.to_vec())
}

fn uid() -> impl Strategy<Value = Option<UniqueId>> {
    prop::option::of("\\PC{0,40}".prop_map(UniqueId::Text))
}

fn payload(version: KmipVersion) -> BoxedStrategy<(Operation, RequestPayload)> {
    let name = ("\\PC{1,32}", any::<bool>()).prop_map(|(v, uri)| Name {
        name_value: v,
        name_type: if uri {
            NameType::URI
        } else {
            NameType::UNINTERPRETED_TEXT_STRING
        },
    });
    let locate = (
        prop::option::of(0..1000i32),
        prop::option::of(name),
        prop::option::of(1u32..30),
    )
        .prop_map(move |(max, name, alg)| {
            let mut attrs = Vec::new();
            if let Some(n) = name {
                attrs.push(Attribute {
                    index: None,
                    value: AttributeValue::Name(n),
                });
            }
            // Only the algorithms the version defines: the others are refused.
            let alg = alg
                .map(CryptographicAlgorithm)
                .filter(|a| a.info().is_none_or(|i| i.since <= version));
            if let Some(a) = alg {
                attrs.push(Attribute {
                    index: None,
                    value: AttributeValue::CryptographicAlgorithm(a),
                });
            }
            let two = version.is_2x();
            LocateRequest {
                maximum_items: max,
                offset_items: None,
                storage_status_mask: None,
                object_group_member: None,
                attribute: if two {
                    Vec::new()
                } else {
                    attrs.iter().map(dup).collect()
                },
                attributes: two.then_some(Attributes { attributes: attrs }),
            }
        })
        .prop_map(|p| (Operation::LOCATE, RequestPayload::Locate(Box::new(p))));
    prop_oneof![
        uid().prop_map(|u| (
            Operation::GET,
            RequestPayload::Get(Box::new(GetRequest {
                unique_identifier: u,
                key_format_type: None,
                key_wrap_type: None,
                key_compression_type: None,
                key_wrapping_specification: None,
            }))
        )),
        uid().prop_map(|u| (
            Operation::DESTROY,
            RequestPayload::Destroy(Box::new(DestroyRequest {
                unique_identifier: u
            }))
        )),
        uid().prop_map(|u| (
            Operation::ACTIVATE,
            RequestPayload::Activate(Box::new(ActivateRequest {
                unique_identifier: u
            }))
        )),
        locate,
    ]
    .boxed()
}

fn dup(a: &Attribute) -> Attribute {
    match &a.value {
        AttributeValue::Name(n) => Attribute {
            index: a.index,
            value: AttributeValue::Name(n.clone()),
        },
        AttributeValue::CryptographicAlgorithm(c) => Attribute {
            index: a.index,
            value: AttributeValue::CryptographicAlgorithm(*c),
        },
        _ => unreachable!("only the generated kinds"),
    }
}

fn message() -> impl Strategy<Value = RequestMessage> {
    version().prop_flat_map(|v| {
        (
            prop::option::of(1..1_000_000i32),
            prop::option::of(any::<bool>()),
            prop::option::of(0..4_000_000_000i64),
            prop::collection::vec(
                (
                    payload(v),
                    prop::option::of(prop::collection::vec(any::<u8>(), 1..9)),
                ),
                1..6,
            ),
        )
            .prop_map(move |(max, order, stamp, items)| RequestMessage {
                header: RequestHeader {
                    protocol_version: ProtocolVersion::of(v),
                    maximum_response_size: max,
                    client_correlation_value: None,
                    server_correlation_value: None,
                    asynchronous_indicator: None,
                    attestation_capable_indicator: None,
                    attestation_type: Vec::new(),
                    authentication: None,
                    batch_error_continuation_option: None,
                    batch_order_option: order,
                    time_stamp: stamp.map(DateTime),
                    batch_count: i32::try_from(items.len()).unwrap(),
                },
                batch_items: items
                    .into_iter()
                    .map(|((operation, payload), id)| RequestBatchItem {
                        operation,
                        ephemeral: None,
                        unique_batch_item_id: id,
                        payload,
                        message_extension: None,
                    })
                    .collect(),
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn generated_requests_round_trip(msg in message()) {
        let bytes = msg.to_bytes().unwrap();
        let decoded = RequestMessage::from_bytes(&bytes, &Limits::DEFAULT).unwrap();
        prop_assert_eq!(decoded.to_bytes().unwrap(), bytes);
        prop_assert_eq!(decoded.batch_items.len(), msg.batch_items.len());
    }
}

/// A sample of the corpus' messages as trees (empty without the corpus).
fn corpus_sample() -> &'static [(MessageKind, Ttlv)] {
    static SAMPLE: OnceLock<Vec<(MessageKind, Ttlv)>> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let Some(dir) = kmip_vectors::corpus_dir() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for relative in kmip_vectors::xml_files(&dir).unwrap().iter().step_by(7) {
            if let Ok(messages) = kmip_vectors::load(&dir, relative) {
                out.extend(messages.into_iter().map(|m| (m.kind, m.message)));
            }
        }
        out
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Drop(usize),
    Swap(usize),
    Duplicate(usize),
    Retype(usize),
    Retag(usize, u32),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Drop),
        any::<usize>().prop_map(Mutation::Swap),
        any::<usize>().prop_map(Mutation::Duplicate),
        any::<usize>().prop_map(Mutation::Retype),
        (any::<usize>(), 0x42_0001u32..0x42_0170).prop_map(|(i, t)| Mutation::Retag(i, t)),
    ]
}

/// Applies `m` to the `n`-th structure of the tree (pre-order, wrapping around).
fn apply(tree: &mut Ttlv, m: &Mutation) {
    let count = count_structures(tree);
    let target = match m {
        Mutation::Drop(i) | Mutation::Swap(i) | Mutation::Duplicate(i) | Mutation::Retype(i) => *i,
        Mutation::Retag(i, _) => *i,
    } % count.max(1);
    let mut seen = 0;
    visit(tree, target, &mut seen, m);
}

fn count_structures(t: &Ttlv) -> usize {
    match &t.value {
        Value::Structure(c) => 1 + c.iter().map(count_structures).sum::<usize>(),
        _ => 0,
    }
}

fn visit(t: &mut Ttlv, target: usize, seen: &mut usize, m: &Mutation) -> bool {
    let Value::Structure(children) = &mut t.value else {
        return false;
    };
    if *seen == target {
        if children.is_empty() {
            return true;
        }
        let k = match m {
            Mutation::Drop(i)
            | Mutation::Swap(i)
            | Mutation::Duplicate(i)
            | Mutation::Retype(i) => *i,
            Mutation::Retag(i, _) => *i,
        } % children.len();
        match m {
            Mutation::Drop(_) => {
                children.remove(k);
            }
            Mutation::Swap(_) => {
                let j = (k + 1) % children.len();
                children.swap(k, j);
            }
            Mutation::Duplicate(_) => {
                let c = children[k].clone();
                children.insert(k, c);
            }
            Mutation::Retype(_) => {
                children[k].value = match &children[k].value {
                    Value::TextString(_) => Value::Integer(7),
                    Value::Structure(_) => Value::ByteString(vec![1, 2, 3]),
                    _ => Value::TextString("x".into()),
                };
            }
            Mutation::Retag(_, tag) => {
                children[k].tag = Tag::new(*tag).unwrap();
            }
        }
        return true;
    }
    *seen += 1;
    children.iter_mut().any(|c| visit(c, target, seen, m))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn damaged_corpus_messages_are_refused_or_kept_losslessly(
        pick in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let sample = corpus_sample();
        prop_assume!(!sample.is_empty());
        let (kind, original) = &sample[pick % sample.len()];
        let mut tree = original.clone();
        for m in &mutations {
            apply(&mut tree, m);
        }
        let Ok(bytes) = tree.to_bytes() else { return Ok(()); };
        let reencoded = match kind {
            MessageKind::Request => RequestMessage::from_bytes(&bytes, &Limits::DEFAULT)
                .ok()
                .map(|m| m.to_bytes()),
            MessageKind::Response => ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT)
                .ok()
                .map(|m| m.to_bytes()),
        };
        if let Some(again) = reencoded {
            prop_assert_eq!(again.unwrap(), bytes);
        }
    }
}

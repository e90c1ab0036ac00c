//! Version awareness over the whole corpus: every 1.x message re-encoded for an older
//! 1.x peer either carries only what that version defines (tags and attribute names) or
//! is refused because a field, object or value it sets does not exist there. Attributes
//! the older version lacks are left out of attribute lists; nothing else is dropped.
//! Never a silent leak of a newer tag to an older client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;

use kmip_ttlv::xml::MessageKind;
use kmip_ttlv::{KmipVersion, Limits, Tag, Ttlv, Value};
use kmip_types::attributes::{AttributeDef, AttributeValue};
use kmip_types::message::tags_newer_than;
use kmip_types::payloads::{EncryptResponse, GetAttributesResponse, UniqueId};
use kmip_types::{
    Attribute, DateTime, ErrorKind, KmipCodec, MessageExtension, Operation, ProtocolVersion,
    RequestMessage, RequestPayload, ResponseBatchItem, ResponseHeader, ResponseMessage,
    ResponsePayload, ResultReason, ResultStatus, State,
};

/// 1.x attribute names in `item` that `version` does not define.
fn attribute_names_newer_than(item: &Ttlv, version: KmipVersion, out: &mut Vec<String>) {
    if item.tag == Tag::ATTRIBUTE
        && let Some(Ttlv {
            value: Value::TextString(name),
            ..
        }) = item.child(Tag::ATTRIBUTE_NAME)
        && AttributeDef::by_name(name).is_some_and(|d| !d.defined_in(version))
    {
        out.push(name.clone());
    }
    for child in item.children().unwrap_or_default() {
        attribute_names_newer_than(child, version, out);
    }
}

fn check_encoding(tree: &Ttlv, target: KmipVersion) -> Result<(), String> {
    let tags = tags_newer_than(tree, target);
    let mut names = Vec::new();
    attribute_names_newer_than(tree, target, &mut names);
    if tags.is_empty() && names.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "for {target}: newer tags {tags:?}, newer attributes {names:?}"
        ))
    }
}

const ONE_X: [KmipVersion; 5] = [
    KmipVersion::V1_0,
    KmipVersion::V1_1,
    KmipVersion::V1_2,
    KmipVersion::V1_3,
    KmipVersion::V1_4,
];

#[test]
fn messages_re_encoded_for_older_versions_carry_only_what_those_define() {
    let Some(dir) = kmip_vectors::corpus_dir_or_skip("kmip-types versions") else {
        return;
    };
    let (mut encoded, mut leaks) = (0usize, Vec::new());
    let mut refused: BTreeMap<String, usize> = BTreeMap::new();
    for relative in kmip_vectors::xml_files(&dir).unwrap() {
        let Ok(messages) = kmip_vectors::load(&dir, &relative) else {
            continue;
        };
        for m in messages {
            let bytes = m.message.to_bytes().unwrap();
            for target in ONE_X {
                let result = match m.kind {
                    MessageKind::Request => {
                        let Ok(mut msg) = RequestMessage::from_bytes(&bytes, &Limits::DEFAULT)
                        else {
                            continue;
                        };
                        if msg.version().is_none_or(|v| v.is_2x() || v <= target) {
                            continue;
                        }
                        msg.header.protocol_version = ProtocolVersion::of(target);
                        msg.to_ttlv()
                    }
                    MessageKind::Response => {
                        let Ok(mut msg) = ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT)
                        else {
                            continue;
                        };
                        if msg
                            .header
                            .protocol_version
                            .known()
                            .is_none_or(|v| v.is_2x() || v <= target)
                        {
                            continue;
                        }
                        msg.header.protocol_version = ProtocolVersion::of(target);
                        msg.to_ttlv()
                    }
                };
                match result {
                    Ok(tree) => {
                        encoded += 1;
                        if let Err(e) = check_encoding(&tree, target) {
                            leaks.push(format!("{relative} line {}: {e}", m.line));
                        }
                    }
                    Err(e) => {
                        let tag = match e.kind {
                            ErrorKind::NotInVersion { tag, .. } | ErrorKind::Missing(tag) => tag,
                            _ => panic!("{relative} line {}: unexpected error {e}", m.line),
                        };
                        *refused.entry(format!("{tag:?}")).or_default() += 1;
                    }
                }
            }
        }
    }
    let total: usize = refused.values().sum();
    println!(
        "re-encoded for older 1.x versions: {encoded} clean, {total} refused as not expressible"
    );
    println!("  refusals by field: {refused:?}");
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    assert!(encoded > 1000, "too few messages exercised: {encoded}");
}

fn header(version: KmipVersion, extra: Vec<Ttlv>, batch_count: i32) -> Ttlv {
    let (major, minor) = version.major_minor();
    let mut children = vec![Ttlv::structure(
        Tag::PROTOCOL_VERSION,
        vec![
            Ttlv::new(Tag::PROTOCOL_VERSION_MAJOR, Value::Integer(major)),
            Ttlv::new(Tag::PROTOCOL_VERSION_MINOR, Value::Integer(minor)),
        ],
    )];
    children.extend(extra);
    children.push(Ttlv::new(Tag::BATCH_COUNT, Value::Integer(batch_count)));
    Ttlv::structure(Tag::REQUEST_HEADER, children)
}

fn request(version: KmipVersion, extra: Vec<Ttlv>, batch_count: i32, items: Vec<Ttlv>) -> Ttlv {
    let mut children = vec![header(version, extra, batch_count)];
    children.extend(items);
    Ttlv::structure(Tag::REQUEST_MESSAGE, children)
}

fn item(operation: Operation, payload: Vec<Ttlv>) -> Ttlv {
    Ttlv::structure(
        Tag::BATCH_ITEM,
        vec![
            Ttlv::new(Tag::OPERATION, Value::Enumeration(operation.0)),
            Ttlv::structure(Tag::REQUEST_PAYLOAD, payload),
        ],
    )
}

fn uid(v: &str) -> Ttlv {
    Ttlv::new(Tag::UNIQUE_IDENTIFIER, Value::TextString(v.into()))
}

#[test]
fn an_operation_newer_than_the_message_stays_untyped() {
    let msg = request(
        KmipVersion::V1_0,
        vec![],
        1,
        vec![item(Operation::ENCRYPT, vec![uid("1")])],
    );
    let typed = RequestMessage::from_ttlv(msg.clone()).unwrap();
    assert!(matches!(
        typed.batch_items[0].payload,
        RequestPayload::Other(_)
    ));
    assert_eq!(typed.to_ttlv().unwrap(), msg);

    let msg = request(
        KmipVersion::V1_2,
        vec![],
        1,
        vec![item(Operation::ENCRYPT, vec![uid("1")])],
    );
    let typed = RequestMessage::from_ttlv(msg).unwrap();
    assert!(matches!(
        typed.batch_items[0].payload,
        RequestPayload::Encrypt(_)
    ));
}

#[test]
fn a_header_field_newer_than_the_message_is_refused() {
    let correlation = Ttlv::new(Tag::CLIENT_CORRELATION_VALUE, Value::TextString("c".into()));
    let msg = request(
        KmipVersion::V1_3,
        vec![correlation.clone()],
        1,
        vec![item(Operation::GET, vec![uid("1")])],
    );
    let err = RequestMessage::from_ttlv(msg).unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::CLIENT_CORRELATION_VALUE)
    );
    assert_eq!(err.result_reason(), ResultReason::INVALID_FIELD);

    let msg = request(
        KmipVersion::V1_4,
        vec![correlation],
        1,
        vec![item(Operation::GET, vec![uid("1")])],
    );
    assert!(RequestMessage::from_ttlv(msg).is_ok());
}

#[test]
fn batch_count_must_match_the_items() {
    for count in [0, 2, i32::MAX, -1] {
        let msg = request(
            KmipVersion::V1_4,
            vec![],
            count,
            vec![item(Operation::GET, vec![uid("1")])],
        );
        let err = RequestMessage::from_ttlv(msg).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::InvalidValue(_)),
            "count {count}: {err}"
        );
    }
    let empty = request(KmipVersion::V1_4, vec![], 0, vec![]);
    assert!(RequestMessage::from_ttlv(empty).is_err());
}

#[test]
fn unknown_protocol_versions_are_refused() {
    let mut msg = request(
        KmipVersion::V1_4,
        vec![],
        1,
        vec![item(Operation::GET, vec![uid("1")])],
    );
    if let Value::Structure(children) = &mut msg.value {
        children[0] = Ttlv::structure(
            Tag::REQUEST_HEADER,
            vec![
                Ttlv::structure(
                    Tag::PROTOCOL_VERSION,
                    vec![
                        Ttlv::new(Tag::PROTOCOL_VERSION_MAJOR, Value::Integer(3)),
                        Ttlv::new(Tag::PROTOCOL_VERSION_MINOR, Value::Integer(0)),
                    ],
                ),
                Ttlv::new(Tag::BATCH_COUNT, Value::Integer(1)),
            ],
        );
    }
    let err = RequestMessage::from_ttlv(msg).unwrap_err();
    assert!(matches!(
        err.kind,
        ErrorKind::UnsupportedVersion { major: 3, minor: 0 }
    ));
}

#[test]
fn an_unknown_operation_keeps_its_payload() {
    let msg = request(
        KmipVersion::V1_4,
        vec![],
        1,
        vec![item(Operation(0xFF), vec![uid("1")])],
    );
    let typed = RequestMessage::from_ttlv(msg.clone()).unwrap();
    assert!(matches!(
        typed.batch_items[0].payload,
        RequestPayload::Other(_)
    ));
    assert_eq!(typed.to_ttlv().unwrap(), msg);
}

#[test]
fn an_unknown_field_in_a_known_payload_is_invalid_field() {
    let stray = Ttlv::new(Tag::from_be_bytes([0x42, 0x7F, 0x00]), Value::Integer(1));
    let msg = request(
        KmipVersion::V1_4,
        vec![],
        1,
        vec![item(Operation::GET, vec![uid("1"), stray])],
    );
    let err = RequestMessage::from_ttlv(msg).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::Unexpected(_)), "{err}");
    assert_eq!(err.result_reason(), ResultReason::INVALID_FIELD);
    assert!(
        err.to_string()
            .contains("RequestMessage/BatchItem/RequestPayload"),
        "{err}"
    );
}

#[test]
fn the_root_must_be_a_request_message() {
    let msg = request(
        KmipVersion::V1_4,
        vec![],
        1,
        vec![item(Operation::GET, vec![uid("1")])],
    );
    let wrong = Ttlv::new(Tag::RESPONSE_MESSAGE, msg.value);
    let err = RequestMessage::from_ttlv(wrong).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::WrongTag { .. }));
    assert_eq!(err.result_reason(), ResultReason::INVALID_MESSAGE);
    let _ = RequestMessage::decode; // the trait form is public too
}

fn response_message(
    version: KmipVersion,
    operation: Operation,
    payload: Option<ResponsePayload>,
) -> ResponseMessage {
    ResponseMessage {
        header: ResponseHeader {
            protocol_version: ProtocolVersion::of(version),
            time_stamp: DateTime(0),
            nonce: None,
            server_hashed_password: None,
            attestation_type: vec![],
            client_correlation_value: None,
            server_correlation_value: None,
            batch_count: 1,
        },
        batch_items: vec![ResponseBatchItem {
            operation: Some(operation),
            unique_batch_item_id: None,
            result_status: ResultStatus::SUCCESS,
            result_reason: None,
            result_message: None,
            asynchronous_correlation_value: None,
            payload,
            message_extension: None,
        }],
    }
}

fn response_to(version: KmipVersion, operation: Operation, payload: ResponsePayload) -> Ttlv {
    match response_message(version, operation, Some(payload)).to_ttlv() {
        Ok(tree) => tree,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn a_response_for_an_older_client_leaves_out_attributes_but_refuses_other_fields() {
    // Attributes: a server may leave them out, so a 1.0 client gets State, not Sensitive.
    let attributes = || {
        ResponsePayload::GetAttributes(Box::new(GetAttributesResponse {
            unique_identifier: UniqueId::from("key"),
            attribute: vec![
                Attribute::new(AttributeValue::State(State::ACTIVE)),
                Attribute::new(AttributeValue::Sensitive(true)),
            ],
            attributes: None,
        }))
    };
    let tree = response_to(KmipVersion::V1_0, Operation::GET_ATTRIBUTES, attributes());
    assert!(check_encoding(&tree, KmipVersion::V1_0).is_ok());
    let tree = response_to(KmipVersion::V1_4, Operation::GET_ATTRIBUTES, attributes());
    let mut names = Vec::new();
    attribute_names_newer_than(&tree, KmipVersion::V1_0, &mut names);
    assert_eq!(names, ["Sensitive"]);

    // Any other field: an AEAD tag cannot be left out of an Encrypt response.
    let encrypted = ResponsePayload::Encrypt(Box::new(EncryptResponse {
        unique_identifier: UniqueId::from("key"),
        data: Some(vec![1, 2, 3]),
        iv_counter_nonce: Some(vec![0; 12]),
        correlation_value: None,
        authenticated_encryption_tag: Some(vec![0; 16]),
    }));
    let mut message = ResponseMessage::from_ttlv(response_to(
        KmipVersion::V1_4,
        Operation::ENCRYPT,
        encrypted,
    ))
    .unwrap();
    message.header.protocol_version = ProtocolVersion::of(KmipVersion::V1_3);
    let err = message.to_ttlv().unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NotInVersion {
            tag: Tag::AUTHENTICATED_ENCRYPTION_TAG,
            version: KmipVersion::V1_3
        }
    );
}

fn extension(inner: Ttlv) -> MessageExtension {
    MessageExtension {
        vendor_identification: "vendor".into(),
        criticality_indicator: false,
        vendor_extension: Ttlv::structure(Tag::VENDOR_EXTENSION, vec![inner]),
    }
}

#[test]
fn raw_subtrees_carry_only_tags_of_the_message_version() {
    let sensitive = Ttlv::new(Tag::SENSITIVE, Value::Boolean(true));
    let vendor_tag = Ttlv::new(Tag::new(0x54_0001).unwrap(), Value::Boolean(true));
    let with = |ext: MessageExtension| {
        let mut message = response_message(KmipVersion::V1_0, Operation::GET, None);
        message.batch_items[0].message_extension = Some(ext);
        message
    };

    // A Message Extension of a 1.0 response may not smuggle in a 1.4 tag.
    let err = with(extension(sensitive.clone())).to_ttlv().unwrap_err();
    assert!(
        matches!(err.kind, ErrorKind::NotInVersion { tag, version: KmipVersion::V1_0 } if tag == Tag::SENSITIVE),
        "{err}"
    );
    // Extension tags (0x54xxxx) are the vendor's to define.
    let tree = with(extension(vendor_tag)).to_ttlv().unwrap();
    assert!(ResponseMessage::from_ttlv(tree).is_ok());
    // Decoding refuses the same tree.
    let mut message = with(extension(sensitive.clone()));
    message.header.protocol_version = ProtocolVersion::of(KmipVersion::V1_4);
    let mut tree = message.to_ttlv().unwrap();
    set_version(&mut tree, KmipVersion::V1_0);
    let err = ResponseMessage::from_ttlv(tree).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::SENSITIVE));

    // The payload of an operation this library keeps untyped, both ways.
    let untyped = request(
        KmipVersion::V1_0,
        vec![],
        1,
        vec![item(Operation(0xFF), vec![uid("1"), sensitive.clone()])],
    );
    let err = RequestMessage::from_ttlv(untyped).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::SENSITIVE));
    let mut typed = RequestMessage::from_ttlv(request(
        KmipVersion::V1_0,
        vec![],
        1,
        vec![item(Operation(0xFF), vec![uid("1")])],
    ))
    .unwrap();
    typed.batch_items[0].payload =
        RequestPayload::Other(Ttlv::structure(Tag::REQUEST_PAYLOAD, vec![sensitive]));
    let err = typed.to_ttlv().unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::SENSITIVE));
}

/// Rewrites the Protocol Version of a message tree.
fn set_version(message: &mut Ttlv, version: KmipVersion) {
    let (major, minor) = version.major_minor();
    let Value::Structure(children) = &mut message.value else {
        panic!("not a structure");
    };
    let Some(Value::Structure(fields)) = children.first_mut().map(|header| &mut header.value)
    else {
        panic!("no header");
    };
    let Some(protocol_version) = fields.first_mut() else {
        panic!("no protocol version");
    };
    *protocol_version = Ttlv::structure(
        Tag::PROTOCOL_VERSION,
        vec![
            Ttlv::new(Tag::PROTOCOL_VERSION_MAJOR, Value::Integer(major)),
            Ttlv::new(Tag::PROTOCOL_VERSION_MINOR, Value::Integer(minor)),
        ],
    );
}

#[test]
fn an_answer_to_an_operation_newer_than_the_message_names_it_but_no_newer_reason() {
    // Operation Not Supported echoes the operation, even one the version lacks.
    let mut message = response_message(KmipVersion::V1_0, Operation::ENCRYPT, None);
    message.batch_items[0].result_status = ResultStatus::OPERATION_FAILED;
    message.batch_items[0].result_reason = Some(ResultReason::OPERATION_NOT_SUPPORTED);
    let tree = message.to_ttlv().unwrap();
    assert!(ResponseMessage::from_ttlv(tree).is_ok());
    // A Result Reason the version lacks is refused like any other newer value.
    message.batch_items[0].result_reason = Some(ResultReason::SENSITIVE);
    let err = message.to_ttlv().unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::RESULT_REASON));
}

#[test]
fn a_batch_item_whose_payload_is_of_another_operation_is_refused() {
    let mut message = RequestMessage::from_ttlv(request(
        KmipVersion::V1_4,
        vec![],
        1,
        vec![item(Operation::GET, vec![uid("1")])],
    ))
    .unwrap();
    message.batch_items[0].operation = Operation::DESTROY;
    let err = message.to_ttlv().unwrap_err();
    assert!(matches!(err.kind, ErrorKind::InvalidValue(_)), "{err}");
    assert_eq!(
        err.path.tags(),
        &[Tag::REQUEST_MESSAGE, Tag::BATCH_ITEM, Tag::OPERATION]
    );
    // An untyped payload names no operation, so it cannot contradict one.
    message.batch_items[0].operation = Operation(0xFF);
    message.batch_items[0].payload =
        RequestPayload::Other(Ttlv::structure(Tag::REQUEST_PAYLOAD, vec![uid("1")]));
    assert!(message.to_ttlv().is_ok());

    let encrypted = || {
        ResponsePayload::Encrypt(Box::new(EncryptResponse {
            unique_identifier: UniqueId::from("key"),
            data: Some(vec![1]),
            iv_counter_nonce: None,
            correlation_value: None,
            authenticated_encryption_tag: None,
        }))
    };
    for operation in [Some(Operation::DECRYPT), None] {
        let mut message =
            response_message(KmipVersion::V1_4, Operation::ENCRYPT, Some(encrypted()));
        message.batch_items[0].operation = operation;
        let err = message.to_ttlv().unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::InvalidValue(_)),
            "{operation:?}: {err}"
        );
    }
}

//! Tests of the attribute model: both encodings, version filtering, type checks.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use super::*;
use crate::codec::KmipCodec;
use crate::error::ErrorKind;
use crate::{CryptographicAlgorithm, DateTime, LinkType, NameType, RevocationReasonCode, State};

const V1_0: KmipVersion = KmipVersion::V1_0;
const V1_1: KmipVersion = KmipVersion::V1_1;
const V1_2: KmipVersion = KmipVersion::V1_2;
const V1_4: KmipVersion = KmipVersion::V1_4;
const V2_0: KmipVersion = KmipVersion::V2_0;
const V2_1: KmipVersion = KmipVersion::V2_1;

fn text(tag: Tag, s: &str) -> Ttlv {
    Ttlv::new(tag, Value::TextString(s.to_owned()))
}

fn enumeration(tag: Tag, v: u32) -> Ttlv {
    Ttlv::new(tag, Value::Enumeration(v))
}

fn integer(tag: Tag, v: i32) -> Ttlv {
    Ttlv::new(tag, Value::Integer(v))
}

fn boolean(tag: Tag, v: bool) -> Ttlv {
    Ttlv::new(tag, Value::Boolean(v))
}

fn st(tag: Tag, children: Vec<Ttlv>) -> Ttlv {
    Ttlv::structure(tag, children)
}

/// A KMIP 1.x Attribute structure.
fn attr_1x(name: &str, value: Ttlv) -> Ttlv {
    st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::ATTRIBUTE_NAME, name),
            Ttlv::new(Tag::ATTRIBUTE_VALUE, value.value),
        ],
    )
}

fn name_value(tag: Tag, name: &str) -> Ttlv {
    st(
        tag,
        vec![
            text(Tag::NAME_VALUE, name),
            enumeration(Tag::NAME_TYPE, NameType::UNINTERPRETED_TEXT_STRING.0),
        ],
    )
}

/// Decodes, checks that encoding gives the same tree back, and returns the value.
fn round_trip<T: KmipCodec>(item: &Ttlv, version: KmipVersion) -> T {
    let value = T::decode(item.clone(), version).unwrap();
    assert_eq!(&value.encode(item.tag, version).unwrap(), item);
    value
}

fn decode_err<T: KmipCodec + core::fmt::Debug>(item: Ttlv, version: KmipVersion) -> ErrorKind {
    T::decode(item, version).unwrap_err().kind
}

#[test]
fn decodes_1x_attribute_value_by_its_name() {
    let item = attr_1x(
        "Cryptographic Algorithm",
        enumeration(Tag::ATTRIBUTE_VALUE, CryptographicAlgorithm::AES.0),
    );
    let attribute: Attribute = round_trip(&item, V1_0);
    assert_eq!(
        attribute.value,
        AttributeValue::CryptographicAlgorithm(CryptographicAlgorithm::AES)
    );
    assert_eq!(attribute.name(), "Cryptographic Algorithm");
    assert_eq!(attribute.tag(), Some(Tag::CRYPTOGRAPHIC_ALGORITHM));
}

#[test]
fn decodes_1x_structure_values() {
    let item = attr_1x("Name", name_value(Tag::ATTRIBUTE_VALUE, "key-1"));
    let attribute: Attribute = round_trip(&item, V1_2);
    assert_eq!(attribute.value, AttributeValue::Name(Name::text("key-1")));

    let link = attr_1x(
        "Link",
        st(
            Tag::ATTRIBUTE_VALUE,
            vec![
                enumeration(Tag::LINK_TYPE, LinkType::PUBLIC_KEY_LINK.0),
                text(Tag::LINKED_OBJECT_IDENTIFIER, "uid-2"),
            ],
        ),
    );
    let attribute: Attribute = round_trip(&link, V1_4);
    assert_eq!(
        attribute.value,
        AttributeValue::Link(Link {
            link_type: LinkType::PUBLIC_KEY_LINK,
            linked_object_identifier: "uid-2".into(),
        })
    );
}

#[test]
fn keeps_the_attribute_index_in_1x() {
    let item = st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::ATTRIBUTE_NAME, "Object Group"),
            integer(Tag::ATTRIBUTE_INDEX, 2),
            text(Tag::ATTRIBUTE_VALUE, "tapes"),
        ],
    );
    let attribute: Attribute = round_trip(&item, V1_1);
    assert_eq!(attribute.index, Some(2));
    // KMIP 2.x has no index: the attribute is written alone under its tag.
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V2_0).unwrap(),
        text(Tag::OBJECT_GROUP, "tapes")
    );
}

#[test]
fn decodes_2x_attributes_by_tag() {
    let item = st(
        Tag::ATTRIBUTES,
        vec![
            enumeration(Tag::CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm::AES.0),
            integer(Tag::CRYPTOGRAPHIC_LENGTH, 256),
            name_value(Tag::NAME, "key-1"),
            st(
                Tag::ATTRIBUTE,
                vec![
                    text(Tag::VENDOR_IDENTIFICATION, "x"),
                    text(Tag::ATTRIBUTE_NAME, "ID"),
                    text(Tag::ATTRIBUTE_VALUE, "SKLC-M-1-21"),
                ],
            ),
            boolean(Tag::SENSITIVE, false),
        ],
    );
    let attributes: Attributes = round_trip(&item, V2_1);
    let values: Vec<_> = attributes.values().cloned().collect();
    assert_eq!(
        values,
        vec![
            AttributeValue::CryptographicAlgorithm(CryptographicAlgorithm::AES),
            AttributeValue::CryptographicLength(256),
            AttributeValue::Name(Name::text("key-1")),
            AttributeValue::Vendor {
                vendor_identification: "x".into(),
                name: "ID".into(),
                value: text(Tag::ATTRIBUTE_VALUE, "SKLC-M-1-21"),
            },
            AttributeValue::Sensitive(false),
        ]
    );
}

#[test]
fn one_attribute_has_both_encodings() {
    let attribute = Attribute::new(AttributeValue::State(State::ACTIVE));
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V1_4).unwrap(),
        attr_1x("State", enumeration(Tag::ATTRIBUTE_VALUE, State::ACTIVE.0))
    );
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V2_0).unwrap(),
        enumeration(Tag::STATE, State::ACTIVE.0)
    );
}

#[test]
fn keeps_custom_names_and_refuses_other_unknown_ones() {
    let custom = attr_1x("x-ID", text(Tag::ATTRIBUTE_VALUE, "TC-3.1.1"));
    let attribute: Attribute = round_trip(&custom, V1_0);
    assert_eq!(
        attribute.value,
        AttributeValue::Custom {
            name: "x-ID".into(),
            value: text(Tag::ATTRIBUTE_VALUE, "TC-3.1.1"),
        }
    );
    // Structured values too.
    let structured = attr_1x("y-Owner", name_value(Tag::ATTRIBUTE_VALUE, "ops"));
    let _: Attribute = round_trip(&structured, V1_4);
    // KMIP 1.4 §3.39 reserves `x-` and `y-` for custom attributes: any other name the
    // specification does not define is an invalid field, not a custom attribute.
    for name in ["Acme Colour", "z-Colour", "X-Colour", "x", "xColour"] {
        let unknown = attr_1x(name, integer(Tag::ATTRIBUTE_VALUE, 3));
        let err = Attribute::decode(unknown, KmipVersion::V1_3).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::InvalidValue(_)),
            "{name}: {err}"
        );
        assert_eq!(err.path.tags(), &[Tag::ATTRIBUTE_NAME], "{name}");
        assert_eq!(err.result_reason(), crate::ResultReason::INVALID_FIELD);
        let custom = Attribute::new(AttributeValue::Custom {
            name: name.into(),
            value: integer(Tag::ATTRIBUTE_VALUE, 3),
        });
        assert!(
            custom.encode(Tag::ATTRIBUTE, KmipVersion::V1_3).is_err(),
            "{name}"
        );
    }
    // A vendor attribute reaches a 1.x peer only as a custom one: vendors `x` and `y`.
    let vendor = |vendor: &str| {
        Attribute::new(AttributeValue::Vendor {
            vendor_identification: vendor.into(),
            name: "Colour".into(),
            value: integer(Tag::ATTRIBUTE_VALUE, 3),
        })
    };
    assert_eq!(
        vendor("y").encode(Tag::ATTRIBUTE, V1_4).unwrap(),
        attr_1x("y-Colour", integer(Tag::ATTRIBUTE_VALUE, 3))
    );
    assert!(!vendor("acme").defined_in(V1_4));
    assert!(vendor("acme").defined_in(V2_0));
    assert!(matches!(
        vendor("acme")
            .encode(Tag::ATTRIBUTE, V1_4)
            .unwrap_err()
            .kind,
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn custom_attributes_cross_versions_as_vendor_attributes() {
    let custom = Attribute::new(AttributeValue::Custom {
        name: "x-ID".into(),
        value: text(Tag::ATTRIBUTE_VALUE, "case"),
    });
    let vendor = st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::VENDOR_IDENTIFICATION, "x"),
            text(Tag::ATTRIBUTE_NAME, "ID"),
            text(Tag::ATTRIBUTE_VALUE, "case"),
        ],
    );
    assert_eq!(custom.encode(Tag::ATTRIBUTE, V2_0).unwrap(), vendor);

    let decoded = Attribute::decode(vendor, V2_0).unwrap();
    assert_eq!(decoded.name(), "x-ID");
    assert_eq!(
        decoded.encode(Tag::ATTRIBUTE, V1_4).unwrap(),
        attr_1x("x-ID", text(Tag::ATTRIBUTE_VALUE, "case"))
    );

    let unprefixed = Attribute::new(AttributeValue::Custom {
        name: "colour".into(),
        value: text(Tag::ATTRIBUTE_VALUE, "red"),
    });
    assert!(matches!(
        unprefixed.encode(Tag::ATTRIBUTE, V2_0).unwrap_err().kind,
        ErrorKind::InvalidValue(_)
    ));
}

#[test]
fn a_custom_attribute_cannot_take_a_standard_name() {
    let fake = Attribute::new(AttributeValue::Custom {
        name: "State".into(),
        value: text(Tag::ATTRIBUTE_VALUE, "Active"),
    });
    assert!(matches!(
        fake.encode(Tag::ATTRIBUTE, V1_4).unwrap_err().kind,
        ErrorKind::InvalidValue(_)
    ));
}

#[test]
fn rejects_values_of_the_wrong_type() {
    let item = attr_1x("Cryptographic Algorithm", text(Tag::ATTRIBUTE_VALUE, "AES"));
    let err = Attribute::decode(item, V1_4).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::WrongType {
            expected: ItemType::Enumeration,
            found: ItemType::TextString,
        }
    );
    assert_eq!(err.path.tags(), &[Tag::ATTRIBUTE_VALUE]);

    let name_as_text = attr_1x("Name", text(Tag::ATTRIBUTE_VALUE, "key"));
    assert_eq!(
        decode_err::<Attribute>(name_as_text, V1_0),
        ErrorKind::WrongType {
            expected: ItemType::Structure,
            found: ItemType::TextString,
        }
    );

    let length = enumeration(Tag::CRYPTOGRAPHIC_LENGTH, 128);
    let wrapped = st(Tag::ATTRIBUTES, vec![length]);
    let err = Attributes::decode(wrapped, V2_0).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::WrongType { .. }));
    assert_eq!(err.path.tags(), &[Tag::CRYPTOGRAPHIC_LENGTH]);
}

#[test]
fn refuses_standard_attributes_the_version_does_not_define() {
    let sensitive = attr_1x("Sensitive", boolean(Tag::ATTRIBUTE_VALUE, true));
    assert_eq!(
        decode_err::<Attribute>(sensitive.clone(), V1_0),
        ErrorKind::NotInVersion {
            tag: Tag::SENSITIVE,
            version: V1_0,
        }
    );
    let _: Attribute = round_trip(&sensitive, V1_4);

    let fresh = attr_1x("Fresh", boolean(Tag::ATTRIBUTE_VALUE, true));
    assert!(matches!(
        decode_err::<Attribute>(fresh, V1_0),
        ErrorKind::NotInVersion { .. }
    ));

    let short_uid = attr_1x(
        "Short Unique Identifier",
        Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::ByteString(vec![1, 2])),
    );
    assert!(matches!(
        decode_err::<Attribute>(short_uid, V1_4),
        ErrorKind::NotInVersion { .. }
    ));

    // Gone in 2.0.
    let policy = st(
        Tag::ATTRIBUTES,
        vec![text(Tag::OPERATION_POLICY_NAME, "default")],
    );
    assert!(matches!(
        decode_err::<Attributes>(policy, V2_0),
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn refuses_2x_tags_that_are_not_attributes_and_keeps_extensions() {
    let operation = st(Tag::ATTRIBUTES, vec![enumeration(Tag::OPERATION, 1)]);
    assert_eq!(
        decode_err::<Attributes>(operation, V2_0),
        ErrorKind::Unexpected(Tag::OPERATION)
    );

    let extension_tag = Tag::new(0x54_0001).unwrap();
    let item = st(Tag::ATTRIBUTES, vec![text(extension_tag, "vendor")]);
    let attributes: Attributes = round_trip(&item, V2_0);
    assert!(matches!(
        attributes.attributes[0].value,
        AttributeValue::Extension(_)
    ));
    // No way to say it in 1.x: left out.
    assert_eq!(
        attributes.encode(Tag::ATTRIBUTES, V1_4).unwrap(),
        st(Tag::ATTRIBUTES, vec![])
    );
}

#[test]
fn leaves_out_attributes_older_versions_do_not_define() {
    let template = TemplateAttribute::new(vec![
        AttributeValue::State(State::PRE_ACTIVE).into(),
        AttributeValue::Fresh(true).into(),
        AttributeValue::Sensitive(false).into(),
        AttributeValue::ActivationDate(DateTime(1_300_000_000)).into(),
    ]);
    let for_1_0 = template.encode(Tag::TEMPLATE_ATTRIBUTE, V1_0).unwrap();
    let names: Vec<_> = for_1_0
        .children()
        .unwrap()
        .iter()
        .map(|a| a.child(Tag::ATTRIBUTE_NAME).unwrap().value.clone())
        .collect();
    assert_eq!(
        names,
        vec![
            Value::TextString("State".into()),
            Value::TextString("Activation Date".into()),
        ]
    );
    assert!(crate::message::tags_newer_than(&for_1_0, V1_0).is_empty());
    let for_1_4 = template.encode(Tag::TEMPLATE_ATTRIBUTE, V1_4).unwrap();
    assert_eq!(for_1_4.children().unwrap().len(), 4);

    // New Attribute names the one attribute an operation changes: refused, not emptied.
    let rotate = Attributes::new(vec![AttributeValue::RotateLatest(true).into()]);
    assert_eq!(
        rotate.encode(Tag::NEW_ATTRIBUTE, V2_0).unwrap_err().kind,
        ErrorKind::NotInVersion {
            tag: Tag::ROTATE_LATEST,
            version: V2_0,
        }
    );
    assert!(rotate.encode(Tag::NEW_ATTRIBUTE, V2_1).is_ok());

    // A deprecated attribute is not sent to a 2.x peer.
    let attributes = Attributes::new(vec![
        AttributeValue::OperationPolicyName("default".into()).into(),
        AttributeValue::State(State::ACTIVE).into(),
    ]);
    assert_eq!(
        attributes.encode(Tag::ATTRIBUTES, V2_0).unwrap(),
        st(
            Tag::ATTRIBUTES,
            vec![enumeration(Tag::STATE, State::ACTIVE.0)]
        )
    );
}

#[test]
fn encoding_one_attribute_for_a_version_without_it_fails() {
    let sensitive = Attribute::new(AttributeValue::Sensitive(true));
    assert_eq!(
        sensitive.encode(Tag::ATTRIBUTE, V1_2).unwrap_err().kind,
        ErrorKind::NotInVersion {
            tag: Tag::SENSITIVE,
            version: V1_2,
        }
    );
}

#[test]
fn structure_fields_follow_the_version() {
    let params = CryptographicParameters {
        block_cipher_mode: Some(crate::BlockCipherMode::GCM),
        tag_length: Some(16),
        ..Default::default()
    };
    // Tag Length is KMIP 1.2: set, it cannot be sent to a 1.1 peer.
    assert_eq!(
        params
            .encode(Tag::CRYPTOGRAPHIC_PARAMETERS, V1_1)
            .unwrap_err()
            .kind,
        ErrorKind::NotInVersion {
            tag: Tag::TAG_LENGTH,
            version: V1_1,
        }
    );
    let v1_2 = params.encode(Tag::CRYPTOGRAPHIC_PARAMETERS, V1_2).unwrap();
    assert_eq!(v1_2.children().unwrap().len(), 2);
    assert!(matches!(
        decode_err::<CryptographicParameters>(v1_2.clone(), V1_1),
        ErrorKind::NotInVersion { .. }
    ));
    let _: CryptographicParameters = round_trip(&v1_2, V1_2);
}

#[test]
fn structures_refuse_fields_out_of_order() {
    let swapped = st(
        Tag::REVOCATION_REASON,
        vec![
            text(Tag::REVOCATION_MESSAGE, "lost"),
            enumeration(
                Tag::REVOCATION_REASON_CODE,
                RevocationReasonCode::KEY_COMPROMISE.0,
            ),
        ],
    );
    assert!(RevocationReason::decode(swapped, V1_0).is_err());
}

#[test]
fn linked_object_identifier_references_only_in_2x() {
    let link = st(
        Tag::LINK,
        vec![
            enumeration(Tag::LINK_TYPE, LinkType::PRIVATE_KEY_LINK.0),
            enumeration(Tag::LINKED_OBJECT_IDENTIFIER, 1),
        ],
    );
    let decoded: Link = round_trip(&link, V2_0);
    assert_eq!(
        decoded.linked_object_identifier,
        crate::UniqueId::Reference(crate::dictionary::UniqueIdentifier::ID_PLACEHOLDER)
    );
    assert!(Link::decode(link, V1_4).is_err());
}

#[test]
fn attribute_references_by_tag_or_vendor() {
    let by_tag = enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::STATE.value());
    let reference: AttributeReference = round_trip(&by_tag, V2_0);
    assert_eq!(reference, AttributeReference::Tag(Tag::STATE));
    assert!(reference.matches(&AttributeValue::State(State::ACTIVE)));

    let vendor = st(
        Tag::ATTRIBUTE_REFERENCE,
        vec![
            text(Tag::VENDOR_IDENTIFICATION, "x"),
            text(Tag::ATTRIBUTE_NAME, "ID"),
        ],
    );
    let reference: AttributeReference = round_trip(&vendor, V2_1);
    assert!(reference.matches(&AttributeValue::Custom {
        name: "x-ID".into(),
        value: text(Tag::ATTRIBUTE_VALUE, "id"),
    }));

    let not_an_attribute = enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::OPERATION.value());
    assert!(matches!(
        decode_err::<AttributeReference>(not_an_attribute, V2_0),
        ErrorKind::InvalidValue(_)
    ));
    let removed = enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::OPERATION_POLICY_NAME.value());
    assert!(matches!(
        decode_err::<AttributeReference>(removed, V2_0),
        ErrorKind::NotInVersion { .. }
    ));
    assert!(matches!(
        decode_err::<AttributeReference>(by_tag, V1_4),
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn rotation_attributes_are_2_1() {
    let item = st(
        Tag::ATTRIBUTES,
        vec![
            st(
                Tag::ROTATE_NAME,
                vec![
                    text(Tag::ROTATE_NAME_VALUE, "daily"),
                    enumeration(Tag::ROTATE_NAME_TYPE, 1),
                ],
            ),
            boolean(Tag::ROTATE_AUTOMATIC, true),
            Ttlv::new(Tag::ROTATE_INTERVAL, Value::Interval(86_400)),
        ],
    );
    let attributes: Attributes = round_trip(&item, V2_1);
    assert_eq!(
        attributes.attributes[0].value,
        AttributeValue::RotateName(RotateName {
            rotate_name_value: "daily".into(),
            rotate_name_type: crate::RotateNameType::UNINTERPRETED_TEXT_STRING,
        })
    );
    assert!(matches!(
        decode_err::<Attributes>(item, V2_0),
        ErrorKind::NotInVersion { .. }
    ));

    // Rotate Name Type is an Enumeration like any other.
    let wrong = st(
        Tag::ROTATE_NAME,
        vec![
            text(Tag::ROTATE_NAME_VALUE, "daily"),
            text(Tag::ROTATE_NAME_TYPE, "URI"),
        ],
    );
    let err = RotateName::decode(wrong, V2_1).unwrap_err();
    assert_eq!(err.path.tags(), &[Tag::ROTATE_NAME_TYPE]);
    assert!(matches!(err.kind, ErrorKind::WrongType { .. }));
}

#[test]
fn template_attribute_keeps_template_names() {
    let item = st(
        Tag::TEMPLATE_ATTRIBUTE,
        vec![
            name_value(Tag::NAME, "Template1"),
            attr_1x("Cryptographic Length", integer(Tag::ATTRIBUTE_VALUE, 128)),
        ],
    );
    let template: TemplateAttribute = round_trip(&item, V1_0);
    assert_eq!(template.names, vec![Name::text("Template1")]);
    assert_eq!(template.attributes.len(), 1);
}

#[test]
fn every_standard_attribute_is_named_by_the_dictionary() {
    for (i, def) in STANDARD_ATTRIBUTES.iter().enumerate() {
        let info = kmip_ttlv::dictionary::tag_info(def.tag)
            .unwrap_or_else(|| panic!("{:?} is not in the dictionary", def.tag));
        assert_eq!(def.name(), info.name);
        assert!(!def.name().contains("  "), "{}", def.name());
        assert_eq!(AttributeDef::by_name(def.name()), Some(def));
        assert_eq!(AttributeDef::by_tag(def.tag), Some(def));
        assert!(def.until.is_none_or(|u| u > def.since));
        assert!(
            STANDARD_ATTRIBUTES[..i].iter().all(|d| d.tag != def.tag),
            "{:?} twice",
            def.tag
        );
    }
}

#[test]
fn the_table_covers_each_version() {
    let count = |v| {
        STANDARD_ATTRIBUTES
            .iter()
            .filter(|d| d.defined_in(v))
            .count()
    };
    // KMIP 1.0 §3 defines 32 attributes besides Custom Attribute; 1.1 adds 6, 1.2 adds
    // 4, 1.3 adds 1, 1.4 adds 7 and the 24 certificate name components; 2.0 drops the 4
    // deprecated ones and adds 9; 2.1 adds the 7 rotation attributes.
    assert_eq!(count(V1_0), 32);
    assert_eq!(count(V1_1), 38);
    assert_eq!(count(V1_2), 42);
    assert_eq!(count(KmipVersion::V1_3), 43);
    assert_eq!(count(V1_4), 74);
    assert_eq!(count(V2_0), 79);
    assert_eq!(count(V2_1), 86);
}

mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::{CryptographicUsageMask, Interval, ObjectType};

    fn any_version() -> impl Strategy<Value = KmipVersion> {
        proptest::sample::select(KmipVersion::ALL.to_vec())
    }

    fn any_value() -> impl Strategy<Value = AttributeValue> {
        prop_oneof![
            "[a-zA-Z0-9 -]{0,20}".prop_map(AttributeValue::UniqueIdentifier),
            "[a-z]{1,12}".prop_map(|n| AttributeValue::Name(Name::text(n))),
            any::<u32>().prop_map(|v| AttributeValue::ObjectType(ObjectType(v))),
            any::<u32>()
                .prop_map(|v| AttributeValue::CryptographicAlgorithm(CryptographicAlgorithm(v))),
            any::<i32>().prop_map(AttributeValue::CryptographicLength),
            any::<u32>().prop_map(|v| {
                AttributeValue::CryptographicUsageMask(CryptographicUsageMask(v))
            }),
            any::<u32>().prop_map(|v| AttributeValue::LeaseTime(Interval(v))),
            any::<i64>().prop_map(|v| AttributeValue::ActivationDate(DateTime(v))),
            any::<i64>().prop_map(|v| AttributeValue::OriginalCreationDate(DateTime(v))),
            any::<bool>().prop_map(AttributeValue::Fresh),
            any::<bool>().prop_map(AttributeValue::Sensitive),
            "[a-z]{0,8}".prop_map(AttributeValue::OperationPolicyName),
            proptest::collection::vec(any::<u8>(), 0..16)
                .prop_map(AttributeValue::ShortUniqueIdentifier),
            (any::<u32>(), "[a-z0-9-]{1,12}").prop_map(|(t, id)| {
                AttributeValue::Link(Link {
                    link_type: LinkType(t),
                    linked_object_identifier: id.into(),
                })
            }),
            (any::<u32>(), proptest::option::of("[a-z ]{0,10}")).prop_map(|(code, message)| {
                AttributeValue::RevocationReason(RevocationReason {
                    revocation_reason_code: RevocationReasonCode(code),
                    revocation_message: message,
                })
            }),
            ("[xy]-[A-Za-z]{1,8}", any::<i32>()).prop_map(|(name, v)| AttributeValue::Custom {
                name,
                value: integer(Tag::ATTRIBUTE_VALUE, v),
            }),
            ("[a-z]{1,4}", "[A-Za-z]{1,8}", "[a-z]{0,8}").prop_map(|(vendor, name, v)| {
                AttributeValue::Vendor {
                    vendor_identification: vendor,
                    name,
                    value: text(Tag::ATTRIBUTE_VALUE, &v),
                }
            }),
        ]
    }

    /// True when the value holds an enumeration value or mask bit newer than `version`.
    fn value_newer_than(value: &AttributeValue, version: KmipVersion) -> bool {
        let newer = |info: Option<&kmip_ttlv::dictionary::EnumValue>| {
            info.is_some_and(|i| i.since > version)
        };
        match value {
            AttributeValue::ObjectType(v) => newer(v.info()),
            AttributeValue::CryptographicAlgorithm(v) => newer(v.info()),
            AttributeValue::CryptographicUsageMask(m) => CryptographicUsageMask::DEF
                .bits
                .iter()
                .any(|b| m.0 & b.value == b.value && b.since > version),
            AttributeValue::Link(l) => newer(l.link_type.info()),
            AttributeValue::RevocationReason(r) => newer(r.revocation_reason_code.info()),
            _ => false,
        }
    }

    proptest! {
        /// Whatever a version can carry comes back as it was encoded; an attribute the
        /// version does not define is refused by the encoder and left out by
        /// containers, and a value it does not define is refused by both.
        #[test]
        fn attributes_round_trip_in_every_version(
            value in any_value(),
            index in proptest::option::of(0..4i32),
            version in any_version(),
        ) {
            let attribute = Attribute { index, value };
            let encoded = attribute.encode(Tag::ATTRIBUTE, version);
            if attribute.defined_in(version) && value_newer_than(&attribute.value, version) {
                prop_assert!(
                    matches!(encoded, Err(Error { kind: ErrorKind::NotInVersion { .. }, .. })),
                    "{:?}", encoded
                );
                let container = Attributes::new(vec![attribute]);
                prop_assert!(container.encode(Tag::ATTRIBUTES, version).is_err());
                return Ok(());
            }
            if !attribute.defined_in(version) {
                prop_assert!(encoded.is_err());
                let container = Attributes::new(vec![attribute]);
                let empty = container.encode(Tag::ATTRIBUTES, version).unwrap();
                prop_assert_eq!(empty.children().map(<[Ttlv]>::len), Some(0));
                return Ok(());
            }
            let encoded = encoded.unwrap();
            let decoded = Attribute::decode(encoded.clone(), version).unwrap();
            prop_assert_eq!(decoded.encode(Tag::ATTRIBUTE, version).unwrap(), encoded);
            if version.is_2x() {
                // No index in 2.x; a custom name comes back as a vendor attribute of
                // the same name.
                prop_assert_eq!(decoded.index, None);
                prop_assert_eq!(decoded.name(), attribute.name());
            } else {
                prop_assert_eq!(decoded.index, attribute.index);
                prop_assert_eq!(decoded.name(), attribute.name());
                if !matches!(attribute.value, AttributeValue::Vendor { .. }) {
                    prop_assert_eq!(decoded.value, attribute.value);
                }
            }
        }
    }
}

#[test]
fn values_kept_as_sent_carry_only_tags_of_the_version() {
    let sensitive = || boolean(Tag::SENSITIVE, true);
    let not_in = |tag, version| ErrorKind::NotInVersion { tag, version };

    // KMIP 1.x custom attribute: a 1.4 tag in its value is refused in a 1.0 message.
    let custom = attr_1x("x-flags", st(Tag::ATTRIBUTE_VALUE, vec![sensitive()]));
    assert_eq!(
        decode_err::<Attribute>(custom.clone(), V1_0),
        not_in(Tag::SENSITIVE, V1_0)
    );
    let attribute: Attribute = round_trip(&custom, V1_4);
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V1_0).unwrap_err().kind,
        not_in(Tag::SENSITIVE, V1_0)
    );

    // KMIP 2.x vendor and extension attributes: a 2.1 tag is refused in 2.0.
    let rotate = || boolean(Tag::ROTATE_LATEST, true);
    let vendor = st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::VENDOR_IDENTIFICATION, "acme"),
            text(Tag::ATTRIBUTE_NAME, "flags"),
            st(Tag::ATTRIBUTE_VALUE, vec![rotate()]),
        ],
    );
    assert_eq!(
        decode_err::<Attribute>(vendor.clone(), V2_0),
        not_in(Tag::ROTATE_LATEST, V2_0)
    );
    let attribute: Attribute = round_trip(&vendor, V2_1);
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V2_0).unwrap_err().kind,
        not_in(Tag::ROTATE_LATEST, V2_0)
    );
    let extension = st(Tag::new(0x54_0002).unwrap(), vec![rotate()]);
    assert_eq!(
        decode_err::<Attribute>(extension.clone(), V2_0),
        not_in(Tag::ROTATE_LATEST, V2_0)
    );
    let attribute: Attribute = round_trip(&extension, V2_1);
    assert_eq!(
        attribute.encode(Tag::ATTRIBUTE, V2_0).unwrap_err().kind,
        not_in(Tag::ROTATE_LATEST, V2_0)
    );
    // Extension tags inside are the vendor's own, in any version.
    let own = st(
        Tag::new(0x54_0002).unwrap(),
        vec![boolean(Tag::new(0x54_0003).unwrap(), true)],
    );
    let _: Attribute = round_trip(&own, V2_0);
}

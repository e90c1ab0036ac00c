//! Tests of the object model: every object type, transparent keys, wrapped key blocks,
//! version checks, type checks and redaction.

use kmip_ttlv::{BigInteger, ItemType, KmipVersion, Tag, Ttlv, Value};

use super::*;
use crate::attributes::AttributeValue;
use crate::codec::KmipCodec;
use crate::error::ErrorKind;
use crate::{
    CertificateRequestType, CertificateType, CryptographicAlgorithm, EncodingOption, KeyFormatType,
    OpaqueDataType, RecommendedCurve, SecretDataType, SplitKeyMethod, WrappingMethod,
};

const V1_0: KmipVersion = KmipVersion::V1_0;
const V1_1: KmipVersion = KmipVersion::V1_1;
const V1_2: KmipVersion = KmipVersion::V1_2;
const V1_3: KmipVersion = KmipVersion::V1_3;
const V1_4: KmipVersion = KmipVersion::V1_4;
const V2_0: KmipVersion = KmipVersion::V2_0;

fn text(tag: Tag, s: &str) -> Ttlv {
    Ttlv::new(tag, Value::TextString(s.to_owned()))
}

fn bytes(tag: Tag, b: &[u8]) -> Ttlv {
    Ttlv::new(tag, Value::ByteString(b.to_vec()))
}

fn big(tag: Tag, fill: u8) -> Ttlv {
    Ttlv::new(
        tag,
        Value::BigInteger(
            BigInteger::from_wire_bytes(vec![0, fill, fill, fill, fill, fill, fill, fill]).unwrap(),
        ),
    )
}

fn enumeration(tag: Tag, v: u32) -> Ttlv {
    Ttlv::new(tag, Value::Enumeration(v))
}

fn integer(tag: Tag, v: i32) -> Ttlv {
    Ttlv::new(tag, Value::Integer(v))
}

fn st(tag: Tag, children: Vec<Ttlv>) -> Ttlv {
    Ttlv::structure(tag, children)
}

fn key_block(format: KeyFormatType, material: Ttlv, extra: Vec<Ttlv>) -> Ttlv {
    let mut children = vec![
        enumeration(Tag::KEY_FORMAT_TYPE, format.0),
        st(Tag::KEY_VALUE, vec![material]),
    ];
    children.extend(extra);
    st(Tag::KEY_BLOCK, children)
}

fn algorithm_and_length(alg: CryptographicAlgorithm, len: i32) -> Vec<Ttlv> {
    vec![
        enumeration(Tag::CRYPTOGRAPHIC_ALGORITHM, alg.0),
        integer(Tag::CRYPTOGRAPHIC_LENGTH, len),
    ]
}

/// Decodes an object item, checks that encoding gives it back, and returns the object.
fn round_trip(item: &Ttlv, version: KmipVersion) -> Object {
    let object = Object::from_item(item.clone(), version).unwrap();
    assert_eq!(object.tag(), item.tag);
    assert_eq!(&object.to_item(version).unwrap(), item);
    assert_eq!(object.duplicate(), object);
    object
}

fn aes_key(tag: Tag) -> Ttlv {
    st(
        tag,
        vec![key_block(
            KeyFormatType::RAW,
            bytes(Tag::KEY_MATERIAL, &[0x5A; 16]),
            algorithm_and_length(CryptographicAlgorithm::AES, 128),
        )],
    )
}

fn rsa_private_material() -> Ttlv {
    st(
        Tag::KEY_MATERIAL,
        vec![
            big(Tag::MODULUS, 0x11),
            big(Tag::PRIVATE_EXPONENT, 0xAB),
            big(Tag::PUBLIC_EXPONENT, 0x01),
            big(Tag::P, 0xAB),
            big(Tag::Q, 0xAB),
            big(Tag::PRIME_EXPONENT_P, 0xAB),
            big(Tag::PRIME_EXPONENT_Q, 0xAB),
            big(Tag::CRT_COEFFICIENT, 0xAB),
        ],
    )
}

#[test]
fn symmetric_key_round_trips_in_every_version() {
    let item = aes_key(Tag::SYMMETRIC_KEY);
    for version in KmipVersion::ALL {
        let object = round_trip(&item, version);
        assert_eq!(object.object_type(), crate::ObjectType::SYMMETRIC_KEY);
        let block = object.key_block().unwrap();
        assert!(!block.is_wrapped());
        match block.key_material() {
            Some(KeyMaterial::Bytes(b)) => assert!(b.ct_eq(&[0x5A; 16])),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn transparent_keys_are_typed_by_the_key_format_type() {
    let symmetric = st(
        Tag::SYMMETRIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_SYMMETRIC_KEY,
            st(Tag::KEY_MATERIAL, vec![bytes(Tag::KEY, &[7; 32])]),
            algorithm_and_length(CryptographicAlgorithm::AES, 256),
        )],
    );
    let object = round_trip(&symmetric, V1_0);
    assert!(matches!(
        object.key_block().unwrap().key_material(),
        Some(KeyMaterial::TransparentSymmetricKey(_))
    ));

    let rsa = st(
        Tag::PRIVATE_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY,
            rsa_private_material(),
            algorithm_and_length(CryptographicAlgorithm::RSA, 64),
        )],
    );
    let object = round_trip(&rsa, V1_4);
    match object.key_block().unwrap().key_material() {
        Some(KeyMaterial::TransparentRsaPrivateKey(k)) => {
            assert!(k.private_exponent.is_some() && k.crt_coefficient.is_some());
        }
        other => panic!("{other:?}"),
    }

    let rsa_public = st(
        Tag::PUBLIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY,
            st(
                Tag::KEY_MATERIAL,
                vec![big(Tag::MODULUS, 0x11), big(Tag::PUBLIC_EXPONENT, 0x01)],
            ),
            algorithm_and_length(CryptographicAlgorithm::RSA, 64),
        )],
    );
    round_trip(&rsa_public, V2_0);

    let dsa = st(
        Tag::PRIVATE_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_DSA_PRIVATE_KEY,
            st(
                Tag::KEY_MATERIAL,
                vec![
                    big(Tag::P, 1),
                    big(Tag::Q, 2),
                    big(Tag::G, 3),
                    big(Tag::X, 4),
                ],
            ),
            vec![],
        )],
    );
    round_trip(&dsa, V2_0);

    let dh = st(
        Tag::PUBLIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_DH_PUBLIC_KEY,
            st(
                Tag::KEY_MATERIAL,
                vec![big(Tag::P, 1), big(Tag::G, 3), big(Tag::Y, 5)],
            ),
            vec![],
        )],
    );
    round_trip(&dh, V1_0);
}

fn ec_private(format: KeyFormatType, algorithm: CryptographicAlgorithm) -> Ttlv {
    st(
        Tag::PRIVATE_KEY,
        vec![key_block(
            format,
            st(
                Tag::KEY_MATERIAL,
                vec![
                    enumeration(Tag::RECOMMENDED_CURVE, RecommendedCurve::P_256.0),
                    big(Tag::D, 0xAB),
                ],
            ),
            algorithm_and_length(algorithm, 256),
        )],
    )
}

#[test]
fn elliptic_curve_formats_follow_the_version() {
    // EC keys from 1.3; the ECDSA/ECDH/ECMQV formats until 1.4.
    let ec = ec_private(
        KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY,
        CryptographicAlgorithm::EC,
    );
    round_trip(&ec, V1_3);
    round_trip(&ec, V2_0);
    assert!(matches!(
        Object::from_item(ec, V1_2).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));

    // KMIP 1.0 has no EC algorithm, only ECDSA.
    let ecdsa = ec_private(
        KeyFormatType::TRANSPARENT_ECDSA_PRIVATE_KEY,
        CryptographicAlgorithm::ECDSA,
    );
    round_trip(&ecdsa, V1_0);
    round_trip(&ecdsa, V1_4);
    let decoded = Object::from_item(ecdsa.clone(), V1_4).unwrap();
    assert!(matches!(
        decoded.to_item(V2_0).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));
    let err = Object::from_item(ecdsa, V2_0).unwrap_err();
    assert!(matches!(err.kind, ErrorKind::NotInVersion { .. }));
    assert_eq!(
        err.path.tags(),
        &[Tag::KEY_BLOCK, Tag::KEY_VALUE, Tag::KEY_MATERIAL]
    );

    let ec_public = st(
        Tag::PUBLIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_EC_PUBLIC_KEY,
            st(
                Tag::KEY_MATERIAL,
                vec![
                    enumeration(Tag::RECOMMENDED_CURVE, RecommendedCurve::P_256.0),
                    bytes(Tag::Q_STRING, &[4, 1, 2]),
                ],
            ),
            vec![],
        )],
    );
    round_trip(&ec_public, V1_4);
}

#[test]
fn rejects_key_material_of_the_wrong_type() {
    let bytes_for_transparent = st(
        Tag::SYMMETRIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_SYMMETRIC_KEY,
            bytes(Tag::KEY_MATERIAL, &[1; 16]),
            vec![],
        )],
    );
    assert_eq!(
        Object::from_item(bytes_for_transparent, V1_4)
            .unwrap_err()
            .kind,
        ErrorKind::WrongType {
            expected: ItemType::Structure,
            found: ItemType::ByteString,
        }
    );

    let structure_for_raw = st(
        Tag::SYMMETRIC_KEY,
        vec![key_block(
            KeyFormatType::RAW,
            st(Tag::KEY_MATERIAL, vec![bytes(Tag::KEY, &[1; 16])]),
            vec![],
        )],
    );
    assert_eq!(
        Object::from_item(structure_for_raw, V1_4).unwrap_err().kind,
        ErrorKind::WrongType {
            expected: ItemType::ByteString,
            found: ItemType::Structure,
        }
    );

    // Fields of a transparent key are typed too.
    let text_modulus = st(
        Tag::PUBLIC_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY,
            st(
                Tag::KEY_MATERIAL,
                vec![text(Tag::MODULUS, "1"), big(Tag::PUBLIC_EXPONENT, 1)],
            ),
            vec![],
        )],
    );
    assert!(matches!(
        Object::from_item(text_modulus, V1_4).unwrap_err().kind,
        ErrorKind::WrongType { .. }
    ));

    // Encoding refuses key material that contradicts the format.
    let mismatched = Object::SymmetricKey(SymmetricKey {
        key_block: KeyBlock::new(
            KeyFormatType::TRANSPARENT_SYMMETRIC_KEY,
            KeyMaterial::Bytes(vec![1; 16].into()),
            None,
            None,
        ),
    });
    assert!(matches!(
        mismatched.to_item(V1_4).unwrap_err().kind,
        ErrorKind::InvalidValue(_)
    ));
}

fn wrapping_data(encoding: Option<EncodingOption>) -> Ttlv {
    let mut children = vec![
        enumeration(Tag::WRAPPING_METHOD, WrappingMethod::ENCRYPT.0),
        st(
            Tag::ENCRYPTION_KEY_INFORMATION,
            vec![
                text(Tag::UNIQUE_IDENTIFIER, "kek-1"),
                st(
                    Tag::CRYPTOGRAPHIC_PARAMETERS,
                    vec![enumeration(
                        Tag::BLOCK_CIPHER_MODE,
                        crate::BlockCipherMode::NIST_KEY_WRAP.0,
                    )],
                ),
            ],
        ),
    ];
    if let Some(e) = encoding {
        children.push(enumeration(Tag::ENCODING_OPTION, e.0));
    }
    st(Tag::KEY_WRAPPING_DATA, children)
}

#[test]
fn wrapped_key_blocks_keep_the_wrapped_bytes() {
    // TTLV-encoded then wrapped: the Key Value is a Byte String.
    let mut children = vec![
        enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0),
        bytes(Tag::KEY_VALUE, &[0xC0; 40]),
    ];
    children.extend(algorithm_and_length(CryptographicAlgorithm::AES, 256));
    children.push(wrapping_data(None));
    let item = st(Tag::SYMMETRIC_KEY, vec![st(Tag::KEY_BLOCK, children)]);
    let object = round_trip(&item, V1_2);
    let block = object.key_block().unwrap();
    assert!(block.is_wrapped());
    assert!(matches!(block.key_value, Some(KeyValue::Bytes(_))));
    let wrapping = block.key_wrapping_data.as_ref().unwrap();
    assert_eq!(
        wrapping
            .encryption_key_information
            .as_ref()
            .unwrap()
            .unique_identifier
            .as_text(),
        Some("kek-1")
    );

    // No Encoding: only the key material is wrapped, even for a transparent format.
    let mut children = vec![
        enumeration(
            Tag::KEY_FORMAT_TYPE,
            KeyFormatType::TRANSPARENT_SYMMETRIC_KEY.0,
        ),
        st(Tag::KEY_VALUE, vec![bytes(Tag::KEY_MATERIAL, &[0xC1; 24])]),
    ];
    children.push(wrapping_data(Some(EncodingOption::NO_ENCODING)));
    let item = st(Tag::SYMMETRIC_KEY, vec![st(Tag::KEY_BLOCK, children)]);
    round_trip(&item, V1_4);
    // Encoding Option is KMIP 1.1.
    assert!(matches!(
        Object::from_item(item, V1_0).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn encoding_refuses_a_wrapping_field_the_version_does_not_define() {
    // Encoding Option (KMIP 1.1) says how to read the wrapped bytes: a 1.0 peer cannot
    // be told, and dropping it would make it read them wrongly.
    let mut children = vec![
        enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0),
        st(Tag::KEY_VALUE, vec![bytes(Tag::KEY_MATERIAL, &[0xC1; 24])]),
    ];
    children.push(wrapping_data(Some(EncodingOption::NO_ENCODING)));
    let item = st(Tag::SYMMETRIC_KEY, vec![st(Tag::KEY_BLOCK, children)]);
    let object = round_trip(&item, V1_1);
    let err = object.to_item(V1_0).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::NotInVersion {
            tag: Tag::ENCODING_OPTION,
            version: V1_0
        }
    );
}

#[test]
fn key_value_attributes_in_both_encodings() {
    let attribute_1x = st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::ATTRIBUTE_NAME, "Cryptographic Usage Mask"),
            integer(Tag::ATTRIBUTE_VALUE, 12),
        ],
    );
    let item = st(
        Tag::SECRET_DATA,
        vec![
            enumeration(Tag::SECRET_DATA_TYPE, SecretDataType::PASSWORD.0),
            st(
                Tag::KEY_BLOCK,
                vec![
                    enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::OPAQUE.0),
                    st(
                        Tag::KEY_VALUE,
                        vec![bytes(Tag::KEY_MATERIAL, b"secret"), attribute_1x],
                    ),
                ],
            ),
        ],
    );
    let object = round_trip(&item, V1_0);
    let Some(KeyValue::Structure { attributes, .. }) = &object.key_block().unwrap().key_value
    else {
        panic!("no key value");
    };
    assert_eq!(
        attributes.as_ref().unwrap().attributes[0].value,
        AttributeValue::CryptographicUsageMask(crate::CryptographicUsageMask(12))
    );

    // In 2.x the same attribute sits in an Attributes structure, under its tag.
    let encoded = object.to_item(V2_0).unwrap();
    let key_value = encoded
        .child(Tag::KEY_BLOCK)
        .and_then(|b| b.child(Tag::KEY_VALUE))
        .unwrap();
    assert_eq!(
        key_value.child(Tag::ATTRIBUTES),
        Some(&st(
            Tag::ATTRIBUTES,
            vec![integer(Tag::CRYPTOGRAPHIC_USAGE_MASK, 12)]
        ))
    );
    round_trip(&encoded, V2_0);
}

#[test]
fn key_value_keeps_an_empty_attributes_structure_in_2x() {
    // KMIP 2.x: Key Value {Key Material, Attributes?}. An empty <Attributes/> is another
    // message than no Attributes at all, so decoding must keep it for encode to restore.
    let key = |key_value: Vec<Ttlv>| {
        let mut block = vec![
            enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0),
            st(Tag::KEY_VALUE, key_value),
        ];
        block.extend(algorithm_and_length(CryptographicAlgorithm::AES, 128));
        st(Tag::SYMMETRIC_KEY, vec![st(Tag::KEY_BLOCK, block)])
    };
    let material = bytes(Tag::KEY_MATERIAL, &[0x5A; 16]);
    let with_empty = key(vec![material.clone(), st(Tag::ATTRIBUTES, vec![])]);
    let without = key(vec![material]);
    for version in [V2_0, KmipVersion::V2_1] {
        let object = round_trip(&with_empty, version);
        let Some(KeyValue::Structure { attributes, .. }) = &object.key_block().unwrap().key_value
        else {
            panic!("no key value");
        };
        assert_eq!(attributes.as_ref().map(|a| a.attributes.len()), Some(0));
        round_trip(&without, version);
    }
}

#[test]
fn key_block_without_key_value() {
    let mut children = vec![enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0)];
    children.extend(algorithm_and_length(CryptographicAlgorithm::AES, 128));
    let item = st(Tag::SYMMETRIC_KEY, vec![st(Tag::KEY_BLOCK, children)]);
    let object = round_trip(&item, V1_4);
    assert!(object.key_block().unwrap().key_value.is_none());
}

#[test]
fn every_other_object_type_round_trips() {
    let certificate = st(
        Tag::CERTIFICATE,
        vec![
            enumeration(Tag::CERTIFICATE_TYPE, CertificateType::X_509.0),
            bytes(Tag::CERTIFICATE_VALUE, &[0x30, 0x82]),
        ],
    );
    round_trip(&certificate, V1_0);
    round_trip(&certificate, V2_0);

    let split = st(
        Tag::SPLIT_KEY,
        vec![
            integer(Tag::SPLIT_KEY_PARTS, 3),
            integer(Tag::KEY_PART_IDENTIFIER, 1),
            integer(Tag::SPLIT_KEY_THRESHOLD, 2),
            enumeration(
                Tag::SPLIT_KEY_METHOD,
                SplitKeyMethod::POLYNOMIAL_SHARING_PRIME_FIELD.0,
            ),
            big(Tag::PRIME_FIELD_SIZE, 0x7F),
            key_block(
                KeyFormatType::RAW,
                bytes(Tag::KEY_MATERIAL, &[9; 16]),
                vec![],
            ),
        ],
    );
    round_trip(&split, V1_2);

    let secret = st(
        Tag::SECRET_DATA,
        vec![
            enumeration(Tag::SECRET_DATA_TYPE, SecretDataType::SEED.0),
            key_block(
                KeyFormatType::OPAQUE,
                bytes(Tag::KEY_MATERIAL, &[3; 8]),
                vec![],
            ),
        ],
    );
    round_trip(&secret, V2_0);

    let opaque = st(
        Tag::OPAQUE_OBJECT,
        vec![
            enumeration(Tag::OPAQUE_DATA_TYPE, 0x8000_0001),
            bytes(Tag::OPAQUE_DATA_VALUE, b"SecretPassword"),
        ],
    );
    let object = round_trip(&opaque, V1_0);
    let Object::OpaqueObject(o) = &object else {
        panic!("{object:?}");
    };
    assert_eq!(o.opaque_data_type, OpaqueDataType(0x8000_0001));

    let pgp = st(
        Tag::PGP_KEY,
        vec![
            integer(Tag::PGP_KEY_VERSION, 4),
            key_block(
                KeyFormatType::RAW,
                bytes(Tag::KEY_MATERIAL, &[1; 10]),
                vec![],
            ),
        ],
    );
    round_trip(&pgp, V1_2);
    assert!(matches!(
        Object::from_item(pgp, KmipVersion::V1_1).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));

    let request = st(
        Tag::CERTIFICATE_REQUEST,
        vec![
            enumeration(
                Tag::CERTIFICATE_REQUEST_TYPE,
                CertificateRequestType::PKCS_10.0,
            ),
            bytes(Tag::CERTIFICATE_REQUEST_VALUE, &[0x30]),
        ],
    );
    round_trip(&request, V2_0);
    assert!(matches!(
        Object::from_item(request, V1_4).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn templates_are_1x_and_filter_their_attributes() {
    let item = st(
        Tag::TEMPLATE,
        vec![
            st(
                Tag::ATTRIBUTE,
                vec![
                    text(Tag::ATTRIBUTE_NAME, "Cryptographic Algorithm"),
                    enumeration(Tag::ATTRIBUTE_VALUE, CryptographicAlgorithm::AES.0),
                ],
            ),
            st(
                Tag::ATTRIBUTE,
                vec![
                    text(Tag::ATTRIBUTE_NAME, "Fresh"),
                    Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::Boolean(true)),
                ],
            ),
        ],
    );
    let object = round_trip(&item, V1_2);
    let encoded_for_1_0 = object.to_item(V1_0).unwrap();
    assert_eq!(encoded_for_1_0.children().unwrap().len(), 1);
    assert!(matches!(
        Object::from_item(item, V2_0).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));
    assert!(matches!(
        object.to_item(V2_0).unwrap_err().kind,
        ErrorKind::NotInVersion { .. }
    ));
}

#[test]
fn recognises_object_tags() {
    for tag in [
        Tag::CERTIFICATE,
        Tag::SYMMETRIC_KEY,
        Tag::PUBLIC_KEY,
        Tag::PRIVATE_KEY,
        Tag::SPLIT_KEY,
        Tag::TEMPLATE,
        Tag::SECRET_DATA,
        Tag::OPAQUE_OBJECT,
        Tag::PGP_KEY,
        Tag::CERTIFICATE_REQUEST,
    ] {
        assert!(Object::is_object_tag(tag), "{tag}");
    }
    assert!(!Object::is_object_tag(Tag::KEY_BLOCK));
    assert_eq!(
        Object::from_item(text(Tag::UNIQUE_IDENTIFIER, "x"), V1_4)
            .unwrap_err()
            .kind,
        ErrorKind::Unexpected(Tag::UNIQUE_IDENTIFIER)
    );
}

#[test]
fn debug_never_shows_key_material() {
    let rsa = st(
        Tag::PRIVATE_KEY,
        vec![key_block(
            KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY,
            rsa_private_material(),
            vec![],
        )],
    );
    let object = Object::from_item(rsa, V1_4).unwrap();
    let printed = format!("{object:?}");
    // 0xAB = 171 fills every private component. The public modulus is a BigInteger,
    // which kmip-ttlv's Debug prints as a length only as well; the field is still shown.
    assert!(!printed.contains("171"), "{printed}");
    assert!(printed.contains("redacted"));
    assert!(printed.contains("modulus"), "{printed}");

    let raw = Object::from_item(aes_key(Tag::SYMMETRIC_KEY), V1_4).unwrap();
    let printed = format!("{raw:#?}");
    assert!(!printed.contains("90"), "{printed}");
    assert!(printed.contains("[redacted 16 bytes]"));

    let opaque = Object::from_item(
        st(
            Tag::OPAQUE_OBJECT,
            vec![
                enumeration(Tag::OPAQUE_DATA_TYPE, 0x8000_0001),
                bytes(Tag::OPAQUE_DATA_VALUE, b"hunter2"),
            ],
        ),
        V1_4,
    )
    .unwrap();
    assert!(!format!("{opaque:?}").contains("104"));
}

#[test]
fn key_wrapping_specification_attribute_names_are_1x() {
    let item = st(
        Tag::KEY_WRAPPING_SPECIFICATION,
        vec![
            enumeration(Tag::WRAPPING_METHOD, WrappingMethod::ENCRYPT.0),
            st(
                Tag::ENCRYPTION_KEY_INFORMATION,
                vec![text(Tag::UNIQUE_IDENTIFIER, "kek")],
            ),
            text(Tag::ATTRIBUTE_NAME, "Cryptographic Usage Mask"),
            enumeration(Tag::ENCODING_OPTION, EncodingOption::TTLV_ENCODING.0),
        ],
    );
    let spec = KeyWrappingSpecification::decode(item.clone(), V1_4).unwrap();
    assert_eq!(spec.attribute_names, vec!["Cryptographic Usage Mask"]);
    assert_eq!(
        spec.encode(Tag::KEY_WRAPPING_SPECIFICATION, V1_4).unwrap(),
        item
    );
    assert!(matches!(
        KeyWrappingSpecification::decode(item, V2_0)
            .unwrap_err()
            .kind,
        ErrorKind::NotInVersion { .. }
    ));
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    fn any_material() -> impl Strategy<Value = (KeyFormatType, KeyMaterial)> {
        let bytes = || proptest::collection::vec(any::<u8>(), 1..48);
        prop_oneof![
            bytes().prop_map(|b| (KeyFormatType::RAW, KeyMaterial::Bytes(b.into()))),
            bytes().prop_map(|b| (KeyFormatType::PKCS_8, KeyMaterial::Bytes(b.into()))),
            bytes().prop_map(|b| {
                (
                    KeyFormatType::TRANSPARENT_SYMMETRIC_KEY,
                    KeyMaterial::TransparentSymmetricKey(TransparentSymmetricKey { key: b.into() }),
                )
            }),
            (bytes(), bytes()).prop_map(|(n, e)| {
                (
                    KeyFormatType::TRANSPARENT_RSA_PUBLIC_KEY,
                    KeyMaterial::TransparentRsaPublicKey(TransparentRsaPublicKey {
                        modulus: BigInteger::from_unsigned_be(&n),
                        public_exponent: BigInteger::from_unsigned_be(&e),
                    }),
                )
            }),
            (any::<u32>(), bytes()).prop_map(|(curve, d)| {
                (
                    KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY,
                    KeyMaterial::TransparentEcPrivateKey(TransparentEcPrivateKey {
                        recommended_curve: RecommendedCurve(curve),
                        d: crate::SecretBigInteger::new(BigInteger::from_unsigned_be(&d)),
                    }),
                )
            }),
        ]
    }

    proptest! {
        #[test]
        fn key_blocks_round_trip(
            (format, material) in any_material(),
            length in proptest::option::of(any::<i32>()),
            version in proptest::sample::select(KmipVersion::ALL.to_vec()),
        ) {
            let object = Object::PrivateKey(PrivateKey {
                key_block: KeyBlock::new(
                    format,
                    material,
                    Some(CryptographicAlgorithm::AES),
                    length,
                ),
            });
            match object.to_item(version) {
                Ok(encoded) => {
                    let decoded = Object::from_item(encoded.clone(), version).unwrap();
                    prop_assert_eq!(&decoded, &object);
                    prop_assert_eq!(decoded.to_item(version).unwrap(), encoded);
                }
                // Transparent EC keys start with KMIP 1.3.
                Err(e) => {
                    prop_assert!(version < KmipVersion::V1_3);
                    prop_assert!(matches!(e.kind, ErrorKind::NotInVersion { .. }), "{}", e);
                }
            }
        }
    }
}

#[test]
fn rsa_private_keys_are_equal_only_when_every_component_is() {
    let key = || TransparentRsaPrivateKey::decode(rsa_private_material(), V1_4).unwrap();
    assert_eq!(key(), key());
    assert_eq!(key().duplicate(), key());
    let other = crate::secret::SecretBigInteger::new(BigInteger::from_i128(7));
    let mut changed = key();
    changed.crt_coefficient = Some(other);
    assert_ne!(changed, key());
    let mut absent = key();
    absent.p = None;
    assert_ne!(absent, key());
    let mut public = key();
    public.public_exponent = None;
    assert_ne!(public, key());
}

#[test]
fn wrapping_keys_are_named_like_any_object() {
    // KMIP 2.x may name the wrapping key by reference (ID Placeholder) or index.
    let info = |id: Ttlv| {
        st(
            Tag::KEY_WRAPPING_SPECIFICATION,
            vec![
                enumeration(Tag::WRAPPING_METHOD, WrappingMethod::ENCRYPT.0),
                st(Tag::ENCRYPTION_KEY_INFORMATION, vec![id.clone()]),
                st(Tag::MAC_SIGNATURE_KEY_INFORMATION, vec![id]),
            ],
        )
    };
    let placeholder = enumeration(
        Tag::UNIQUE_IDENTIFIER,
        crate::dictionary::UniqueIdentifier::ID_PLACEHOLDER.0,
    );
    let item = info(placeholder);
    let spec = KeyWrappingSpecification::decode(item.clone(), V2_0).unwrap();
    assert_eq!(
        spec.encryption_key_information.map(|i| i.unique_identifier),
        Some(crate::UniqueId::Reference(
            crate::dictionary::UniqueIdentifier::ID_PLACEHOLDER
        ))
    );
    let spec = KeyWrappingSpecification::decode(item.clone(), V2_0).unwrap();
    assert_eq!(
        spec.encode(Tag::KEY_WRAPPING_SPECIFICATION, V2_0).unwrap(),
        item
    );
    assert!(KeyWrappingSpecification::decode(item, V1_4).is_err());
    let index = info(integer(Tag::UNIQUE_IDENTIFIER, 2));
    assert!(KeyWrappingSpecification::decode(index, KmipVersion::V2_1).is_ok());
}

//! Tests of the payloads: for each family a hand-built 1.x and, where it differs, 2.x
//! payload that decodes to the expected value and encodes back to the same tree; and the
//! strictness every payload shares (order, unknown fields, version ranges).

use kmip_ttlv::{BigInteger, KmipVersion, Tag, Ttlv, Value};

use super::*;
use crate::attributes::{
    Attribute, AttributeReference, Attributes, CryptographicParameters, RevocationReason,
    TemplateAttribute,
};
use crate::credential::Ticket;
use crate::dictionary::UniqueIdentifier;
use crate::error::ErrorKind;
use crate::objects::Object;
use crate::secret::SecretBytes;
use crate::{
    AdjustmentType, CancellationResult, CertificateRequestType, CryptographicAlgorithm,
    CryptographicUsageMask, DateTime, DerivationMethod, EndpointRole, InteropFunction, Interval,
    KeyFormatType, ObjectGroupMember, ObjectType, Operation, PKCS11Function, PKCS11ReturnCode,
    ProfileName, ProtectionStorageMask, PutFunction, QueryFunction, RevocationReasonCode,
    SplitKeyMethod, StorageStatusMask, TicketType, ValidityIndicator,
};
use crate::{KmipCodec, ProtocolVersion};

const V1_0: KmipVersion = KmipVersion::V1_0;
const V1_1: KmipVersion = KmipVersion::V1_1;
const V1_2: KmipVersion = KmipVersion::V1_2;
const V1_3: KmipVersion = KmipVersion::V1_3;
const V1_4: KmipVersion = KmipVersion::V1_4;
const V2_0: KmipVersion = KmipVersion::V2_0;
const V2_1: KmipVersion = KmipVersion::V2_1;

// ---- TTLV builders ----

fn st(tag: Tag, children: Vec<Ttlv>) -> Ttlv {
    Ttlv::structure(tag, children)
}

fn text(tag: Tag, s: &str) -> Ttlv {
    Ttlv::new(tag, Value::TextString(s.to_owned()))
}

fn int(tag: Tag, v: i32) -> Ttlv {
    Ttlv::new(tag, Value::Integer(v))
}

fn long(tag: Tag, v: i64) -> Ttlv {
    Ttlv::new(tag, Value::LongInteger(v))
}

fn enumeration(tag: Tag, v: u32) -> Ttlv {
    Ttlv::new(tag, Value::Enumeration(v))
}

fn boolean(tag: Tag, v: bool) -> Ttlv {
    Ttlv::new(tag, Value::Boolean(v))
}

fn bytes(tag: Tag, v: &[u8]) -> Ttlv {
    Ttlv::new(tag, Value::ByteString(v.to_vec()))
}

fn date(tag: Tag, v: i64) -> Ttlv {
    Ttlv::new(tag, Value::DateTime(v))
}

fn interval(tag: Tag, v: u32) -> Ttlv {
    Ttlv::new(tag, Value::Interval(v))
}

fn uid(s: &str) -> Ttlv {
    text(Tag::UNIQUE_IDENTIFIER, s)
}

fn object_type(t: ObjectType) -> Ttlv {
    enumeration(Tag::OBJECT_TYPE, t.0)
}

fn request_payload(children: Vec<Ttlv>) -> Ttlv {
    st(Tag::REQUEST_PAYLOAD, children)
}

fn response_payload(children: Vec<Ttlv>) -> Ttlv {
    st(Tag::RESPONSE_PAYLOAD, children)
}

/// A KMIP 1.x Attribute structure.
fn attribute_1x(name: &str, value: Value) -> Ttlv {
    st(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::ATTRIBUTE_NAME, name),
            Ttlv::new(Tag::ATTRIBUTE_VALUE, value),
        ],
    )
}

fn algorithm_1x() -> Ttlv {
    attribute_1x(
        "Cryptographic Algorithm",
        Value::Enumeration(CryptographicAlgorithm::AES.0),
    )
}

fn template_attribute(tag: Tag, attributes: Vec<Ttlv>) -> Ttlv {
    st(tag, attributes)
}

/// KMIP 2.x attributes: each under its own tag.
fn attributes_2x(tag: Tag) -> Ttlv {
    st(
        tag,
        vec![
            enumeration(Tag::CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm::AES.0),
            int(Tag::CRYPTOGRAPHIC_LENGTH, 256),
        ],
    )
}

fn psm(tag: Tag, masks: &[u32]) -> Ttlv {
    st(
        tag,
        masks
            .iter()
            .map(|m| int(Tag::PROTECTION_STORAGE_MASK, *m as i32))
            .collect(),
    )
}

fn symmetric_key() -> Ttlv {
    st(
        Tag::SYMMETRIC_KEY,
        vec![st(
            Tag::KEY_BLOCK,
            vec![
                enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0),
                st(Tag::KEY_VALUE, vec![bytes(Tag::KEY_MATERIAL, &[0x11; 16])]),
                enumeration(Tag::CRYPTOGRAPHIC_ALGORITHM, CryptographicAlgorithm::AES.0),
                int(Tag::CRYPTOGRAPHIC_LENGTH, 128),
            ],
        )],
    )
}

fn cryptographic_parameters() -> Ttlv {
    st(
        Tag::CRYPTOGRAPHIC_PARAMETERS,
        vec![enumeration(Tag::BLOCK_CIPHER_MODE, 1)],
    )
}

// ---- checks ----

/// Decodes a field of another module's type, for building expected values.
fn typed<T: KmipCodec>(item: &Ttlv, version: KmipVersion) -> T {
    T::decode(item.clone(), version).unwrap()
}

fn object(item: &Ttlv, version: KmipVersion) -> Object {
    Object::from_item(item.clone(), version).unwrap()
}

/// Decodes a request payload, checks its operation and that it encodes to `item`.
fn request(operation: Operation, version: KmipVersion, item: &Ttlv) -> RequestPayload {
    let payload = RequestPayload::decode(operation, item.clone(), version)
        .unwrap_or_else(|e| panic!("{operation:?} request in {version}: {e}"));
    assert_eq!(payload.operation(), Some(operation));
    assert_eq!(&payload.encode(version).unwrap(), item);
    payload
}

/// Decodes a response payload, checks its operation and that it encodes to `item`.
fn response(operation: Operation, version: KmipVersion, item: &Ttlv) -> ResponsePayload {
    let payload = ResponsePayload::decode(Some(operation), item.clone(), version)
        .unwrap_or_else(|e| panic!("{operation:?} response in {version}: {e}"));
    assert_eq!(payload.operation(), Some(operation));
    assert_eq!(&payload.encode(version).unwrap(), item);
    payload
}

fn request_error(operation: Operation, version: KmipVersion, item: Ttlv) -> ErrorKind {
    RequestPayload::decode(operation, item, version)
        .unwrap_err()
        .kind
}

fn response_error(operation: Operation, version: KmipVersion, item: Ttlv) -> ErrorKind {
    ResponsePayload::decode(Some(operation), item, version)
        .unwrap_err()
        .kind
}

fn not_in(tag: Tag, version: KmipVersion) -> ErrorKind {
    ErrorKind::NotInVersion { tag, version }
}

fn text_id(s: &str) -> UniqueId {
    UniqueId::from(s)
}

// ---- Create, Create Key Pair, Register ----

#[test]
fn create_1x_uses_template_attribute() {
    let ta = template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![algorithm_1x()]);
    let item = request_payload(vec![object_type(ObjectType::SYMMETRIC_KEY), ta.clone()]);
    let RequestPayload::Create(p) = request(Operation::CREATE, V1_4, &item) else {
        panic!("not Create");
    };
    assert_eq!(
        *p,
        CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(typed::<TemplateAttribute>(&ta, V1_4)),
            attributes: None,
            protection_storage_masks: None,
        }
    );

    let item = response_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("key-1"),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![algorithm_1x()]),
    ]);
    let ResponsePayload::Create(p) = response(Operation::CREATE, V1_0, &item) else {
        panic!("not Create");
    };
    assert_eq!(p.unique_identifier, text_id("key-1"));
    assert!(p.template_attribute.is_some());
}

#[test]
fn create_2x_uses_attributes_and_protection_storage_masks() {
    let attributes = attributes_2x(Tag::ATTRIBUTES);
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        attributes.clone(),
        psm(Tag::PROTECTION_STORAGE_MASKS, &[1, 2]),
    ]);
    let RequestPayload::Create(p) = request(Operation::CREATE, V2_0, &item) else {
        panic!("not Create");
    };
    assert_eq!(
        *p,
        CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: None,
            attributes: Some(typed::<Attributes>(&attributes, V2_0)),
            protection_storage_masks: Some(ProtectionStorageMasks {
                masks: vec![ProtectionStorageMask(1), ProtectionStorageMask(2)],
            }),
        }
    );

    // Each form is refused in the other family of versions.
    let v1_in_v2 = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    assert_eq!(
        request_error(Operation::CREATE, V2_0, v1_in_v2),
        not_in(Tag::TEMPLATE_ATTRIBUTE, V2_0)
    );
    let v2_in_v1 = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
        st(Tag::ATTRIBUTES, vec![]),
    ]);
    assert_eq!(
        request_error(Operation::CREATE, V1_4, v2_in_v1),
        not_in(Tag::ATTRIBUTES, V1_4)
    );
    // And the 2.x form does not stand in for the 1.x one the version requires.
    let only_v2_in_v1 = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        st(Tag::ATTRIBUTES, vec![]),
    ]);
    assert_eq!(
        request_error(Operation::CREATE, V1_4, only_v2_in_v1),
        ErrorKind::Missing(Tag::TEMPLATE_ATTRIBUTE)
    );

    let item = response_payload(vec![object_type(ObjectType::SYMMETRIC_KEY), uid("k")]);
    response(Operation::CREATE, V2_1, &item);
}

#[test]
fn create_key_pair_1x_and_2x() {
    let item = request_payload(vec![
        template_attribute(Tag::COMMON_TEMPLATE_ATTRIBUTE, vec![algorithm_1x()]),
        template_attribute(Tag::PRIVATE_KEY_TEMPLATE_ATTRIBUTE, vec![]),
        template_attribute(Tag::PUBLIC_KEY_TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    let RequestPayload::CreateKeyPair(p) = request(Operation::CREATE_KEY_PAIR, V1_1, &item) else {
        panic!("not Create Key Pair");
    };
    assert!(p.common_template_attribute.is_some() && p.common_attributes.is_none());

    let item = request_payload(vec![
        attributes_2x(Tag::COMMON_ATTRIBUTES),
        st(Tag::PRIVATE_KEY_ATTRIBUTES, vec![]),
        st(Tag::PUBLIC_KEY_ATTRIBUTES, vec![]),
        psm(Tag::COMMON_PROTECTION_STORAGE_MASKS, &[1]),
        psm(Tag::PRIVATE_PROTECTION_STORAGE_MASKS, &[2]),
        psm(Tag::PUBLIC_PROTECTION_STORAGE_MASKS, &[4]),
    ]);
    let RequestPayload::CreateKeyPair(p) = request(Operation::CREATE_KEY_PAIR, V2_0, &item) else {
        panic!("not Create Key Pair");
    };
    assert_eq!(
        p.public_protection_storage_masks,
        Some(ProtectionStorageMasks {
            masks: vec![ProtectionStorageMask(4)]
        })
    );

    let item = response_payload(vec![
        text(Tag::PRIVATE_KEY_UNIQUE_IDENTIFIER, "priv"),
        text(Tag::PUBLIC_KEY_UNIQUE_IDENTIFIER, "pub"),
    ]);
    let ResponsePayload::CreateKeyPair(p) = response(Operation::CREATE_KEY_PAIR, V2_0, &item)
    else {
        panic!("not Create Key Pair");
    };
    assert_eq!(
        *p,
        CreateKeyPairResponse {
            private_key_unique_identifier: text_id("priv"),
            public_key_unique_identifier: text_id("pub"),
            private_key_template_attribute: None,
            public_key_template_attribute: None,
        }
    );
}

#[test]
fn register_carries_the_object_under_its_own_tag() {
    let key = symmetric_key();
    let ta = template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]);
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        ta.clone(),
        key.clone(),
    ]);
    let RequestPayload::Register(p) = request(Operation::REGISTER, V1_2, &item) else {
        panic!("not Register");
    };
    assert_eq!(
        *p,
        RegisterRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(typed(&ta, V1_2)),
            attributes: None,
            object: object(&key, V1_2),
            protection_storage_masks: None,
        }
    );

    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        attributes_2x(Tag::ATTRIBUTES),
        key.clone(),
        psm(Tag::PROTECTION_STORAGE_MASKS, &[1]),
    ]);
    request(Operation::REGISTER, V2_1, &item);

    let item = response_payload(vec![uid("key-1")]);
    response(Operation::REGISTER, V1_0, &item);
}

#[test]
fn hand_written_payloads_refuse_a_field_of_another_version_before_reading_it() {
    // As in every kmip_struct! payload: the version decides, whatever the value holds.
    let wrong_type = |tag| Ttlv::new(tag, Value::Integer(1));
    let register = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
        symmetric_key(),
        wrong_type(Tag::PROTECTION_STORAGE_MASKS),
    ]);
    assert_eq!(
        request_error(Operation::REGISTER, V1_4, register),
        not_in(Tag::PROTECTION_STORAGE_MASKS, V1_4)
    );
    let put = request_payload(vec![
        uid("key"),
        enumeration(Tag::PUT_FUNCTION, PutFunction::NEW.0),
        symmetric_key(),
        wrong_type(Tag::ATTRIBUTES),
    ]);
    assert_eq!(
        request_error(Operation::PUT, V1_4, put),
        not_in(Tag::ATTRIBUTES, V1_4)
    );
    let import = request_payload(vec![
        uid("key"),
        object_type(ObjectType::SYMMETRIC_KEY),
        wrong_type(Tag::ATTRIBUTE),
        attributes_2x(Tag::ATTRIBUTES),
        symmetric_key(),
    ]);
    assert_eq!(
        request_error(Operation::IMPORT, V2_0, import),
        not_in(Tag::ATTRIBUTE, V2_0)
    );
}

#[test]
fn register_refuses_an_object_of_another_type_or_none() {
    let mismatched = request_payload(vec![
        object_type(ObjectType::SECRET_DATA),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
        symmetric_key(),
    ]);
    assert!(matches!(
        request_error(Operation::REGISTER, V1_4, mismatched),
        ErrorKind::InvalidValue(_)
    ));
    let missing = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    assert_eq!(
        request_error(Operation::REGISTER, V1_4, missing),
        ErrorKind::Missing(Tag::SYMMETRIC_KEY)
    );
}

#[test]
fn register_refuses_to_encode_a_mismatched_object() {
    let p = RegisterRequest {
        object_type: ObjectType::CERTIFICATE,
        template_attribute: Some(TemplateAttribute::default()),
        attributes: None,
        object: object(&symmetric_key(), V1_4),
        protection_storage_masks: None,
    };
    assert!(matches!(
        p.encode(Tag::REQUEST_PAYLOAD, V1_4).unwrap_err().kind,
        ErrorKind::InvalidValue(_)
    ));
}

// ---- Re-key, Derive Key, Certify, split keys ----

#[test]
fn rekey_and_rekey_key_pair() {
    let item = request_payload(vec![
        uid("old"),
        interval(Tag::OFFSET, 3600),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    let RequestPayload::ReKey(p) = request(Operation::RE_KEY, V1_0, &item) else {
        panic!("not Re-key");
    };
    assert_eq!(p.offset, Some(Interval(3600)));

    let item = request_payload(vec![attributes_2x(Tag::ATTRIBUTES)]);
    request(Operation::RE_KEY, V2_0, &item);

    let item = request_payload(vec![
        text(Tag::PRIVATE_KEY_UNIQUE_IDENTIFIER, "priv"),
        template_attribute(Tag::PRIVATE_KEY_TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    request(Operation::RE_KEY_KEY_PAIR, V1_1, &item);

    let item = response_payload(vec![
        text(Tag::PRIVATE_KEY_UNIQUE_IDENTIFIER, "priv2"),
        text(Tag::PUBLIC_KEY_UNIQUE_IDENTIFIER, "pub2"),
    ]);
    response(Operation::RE_KEY_KEY_PAIR, V1_1, &item);
}

#[test]
fn derive_key_with_parameters() {
    let parameters = st(
        Tag::DERIVATION_PARAMETERS,
        vec![
            cryptographic_parameters(),
            bytes(Tag::DERIVATION_DATA, b"label"),
        ],
    );
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("base-1"),
        uid("base-2"),
        enumeration(Tag::DERIVATION_METHOD, DerivationMethod::HASH.0),
        parameters,
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    let RequestPayload::DeriveKey(p) = request(Operation::DERIVE_KEY, V1_2, &item) else {
        panic!("not Derive Key");
    };
    assert_eq!(
        p.unique_identifiers,
        vec![text_id("base-1"), text_id("base-2")]
    );
    assert_eq!(
        p.derivation_parameters.derivation_data.as_deref(),
        Some(&b"label"[..])
    );

    let item = request_payload(vec![
        object_type(ObjectType::SECRET_DATA),
        uid("base"),
        enumeration(Tag::DERIVATION_METHOD, DerivationMethod::PBKDF2.0),
        st(
            Tag::DERIVATION_PARAMETERS,
            vec![bytes(Tag::SALT, b"salt"), int(Tag::ITERATION_COUNT, 4096)],
        ),
        attributes_2x(Tag::ATTRIBUTES),
    ]);
    request(Operation::DERIVE_KEY, V2_0, &item);
    response(
        Operation::DERIVE_KEY,
        V2_0,
        &response_payload(vec![uid("derived")]),
    );
}

#[test]
fn certify_1x_sends_the_request_bytes_2x_the_request_value() {
    let item = request_payload(vec![
        uid("pub"),
        enumeration(
            Tag::CERTIFICATE_REQUEST_TYPE,
            CertificateRequestType::PKCS_10.0,
        ),
        bytes(Tag::CERTIFICATE_REQUEST, b"csr"),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    let RequestPayload::Certify(p) = request(Operation::CERTIFY, V1_2, &item) else {
        panic!("not Certify");
    };
    assert_eq!(p.certificate_request.as_deref(), Some(&b"csr"[..]));

    let item = request_payload(vec![
        uid("pub"),
        enumeration(
            Tag::CERTIFICATE_REQUEST_TYPE,
            CertificateRequestType::PKCS_10.0,
        ),
        bytes(Tag::CERTIFICATE_REQUEST_VALUE, b"csr"),
        attributes_2x(Tag::ATTRIBUTES),
    ]);
    let RequestPayload::Certify(p) = request(Operation::CERTIFY, V2_0, &item) else {
        panic!("not Certify");
    };
    assert_eq!(p.certificate_request_value.as_deref(), Some(&b"csr"[..]));

    let item = request_payload(vec![
        uid("cert"),
        enumeration(
            Tag::CERTIFICATE_REQUEST_TYPE,
            CertificateRequestType::PKCS_10.0,
        ),
        bytes(Tag::CERTIFICATE_REQUEST, b"csr"),
        interval(Tag::OFFSET, 60),
    ]);
    request(Operation::RE_CERTIFY, V1_0, &item);
    response(
        Operation::RE_CERTIFY,
        V1_0,
        &response_payload(vec![uid("new-cert")]),
    );
}

#[test]
fn split_and_join_keys() {
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("key"),
        int(Tag::SPLIT_KEY_PARTS, 3),
        int(Tag::SPLIT_KEY_THRESHOLD, 2),
        enumeration(Tag::SPLIT_KEY_METHOD, SplitKeyMethod::XOR.0),
        Ttlv::new(
            Tag::PRIME_FIELD_SIZE,
            Value::BigInteger(BigInteger::from_i128(65_521)),
        ),
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
    ]);
    let RequestPayload::CreateSplitKey(p) = request(Operation::CREATE_SPLIT_KEY, V1_2, &item)
    else {
        panic!("not Create Split Key");
    };
    assert_eq!((p.split_key_parts, p.split_key_threshold), (3, 2));

    let item = response_payload(vec![uid("part-1"), uid("part-2"), uid("part-3")]);
    let ResponsePayload::CreateSplitKey(p) = response(Operation::CREATE_SPLIT_KEY, V1_2, &item)
    else {
        panic!("not Create Split Key");
    };
    assert_eq!(p.unique_identifiers.len(), 3);

    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("part-1"),
        uid("part-2"),
        attributes_2x(Tag::ATTRIBUTES),
    ]);
    request(Operation::JOIN_SPLIT_KEY, V2_0, &item);
    response(
        Operation::JOIN_SPLIT_KEY,
        V2_0,
        &response_payload(vec![uid("joined")]),
    );
}

// ---- Locate, Get, attribute operations ----

#[test]
fn locate_1x_and_2x() {
    let item = request_payload(vec![
        int(Tag::MAXIMUM_ITEMS, 10),
        int(Tag::OFFSET_ITEMS, 5),
        int(Tag::STORAGE_STATUS_MASK, 1),
        enumeration(
            Tag::OBJECT_GROUP_MEMBER,
            ObjectGroupMember::GROUP_MEMBER_FRESH.0,
        ),
        algorithm_1x(),
        attribute_1x(
            "Object Type",
            Value::Enumeration(ObjectType::SYMMETRIC_KEY.0),
        ),
    ]);
    let RequestPayload::Locate(p) = request(Operation::LOCATE, V1_4, &item) else {
        panic!("not Locate");
    };
    assert_eq!(p.maximum_items, Some(10));
    assert_eq!(p.offset_items, Some(5));
    assert_eq!(p.storage_status_mask, Some(StorageStatusMask(1)));
    assert_eq!(p.attribute.len(), 2);

    let item = request_payload(vec![
        int(Tag::MAXIMUM_ITEMS, 1),
        attributes_2x(Tag::ATTRIBUTES),
    ]);
    let RequestPayload::Locate(p) = request(Operation::LOCATE, V2_0, &item) else {
        panic!("not Locate");
    };
    assert!(p.attribute.is_empty() && p.attributes.is_some());

    let item = response_payload(vec![int(Tag::LOCATED_ITEMS, 7), uid("a"), uid("b")]);
    let ResponsePayload::Locate(p) = response(Operation::LOCATE, V1_3, &item) else {
        panic!("not Locate");
    };
    assert_eq!(
        *p,
        LocateResponse {
            located_items: Some(7),
            unique_identifiers: vec![text_id("a"), text_id("b")],
        }
    );
    // An empty response: nothing matched.
    response(Operation::LOCATE, V1_0, &response_payload(vec![]));
}

#[test]
fn locate_fields_are_refused_before_their_version() {
    let offset = request_payload(vec![int(Tag::OFFSET_ITEMS, 5), algorithm_1x()]);
    assert_eq!(
        request_error(Operation::LOCATE, V1_2, offset),
        not_in(Tag::OFFSET_ITEMS, V1_2)
    );
    let member = request_payload(vec![enumeration(Tag::OBJECT_GROUP_MEMBER, 1)]);
    assert_eq!(
        request_error(Operation::LOCATE, V1_0, member),
        not_in(Tag::OBJECT_GROUP_MEMBER, V1_0)
    );
    let located = response_payload(vec![int(Tag::LOCATED_ITEMS, 1), uid("a")]);
    assert_eq!(
        response_error(Operation::LOCATE, V1_2, located),
        not_in(Tag::LOCATED_ITEMS, V1_2)
    );
}

#[test]
fn encoding_refuses_a_field_the_version_does_not_define() {
    let locate = |offset_items, object_group_member| {
        RequestPayload::Locate(Box::new(LocateRequest {
            maximum_items: Some(1),
            offset_items,
            storage_status_mask: None,
            object_group_member,
            attribute: vec![],
            attributes: None,
        }))
    };
    // Offset Items is KMIP 1.3, Object Group Member 1.1: a 1.0 peer cannot be told them,
    // and leaving them out would change what the request asks for.
    let p = locate(Some(2), None);
    assert_eq!(
        p.encode(V1_0).unwrap_err().kind,
        not_in(Tag::OFFSET_ITEMS, V1_0)
    );
    let p = locate(None, Some(ObjectGroupMember::GROUP_MEMBER_DEFAULT));
    assert_eq!(
        p.encode(V1_0).unwrap_err().kind,
        not_in(Tag::OBJECT_GROUP_MEMBER, V1_0)
    );
    assert_eq!(
        locate(None, None).encode(V1_0).unwrap(),
        request_payload(vec![int(Tag::MAXIMUM_ITEMS, 1)])
    );

    // The AEAD tag of an Encrypt response is KMIP 1.4: without it the ciphertext is
    // useless, so a 1.3 encoding is refused rather than sent without it.
    let encrypted = ResponsePayload::Encrypt(Box::new(EncryptResponse {
        unique_identifier: text_id("key"),
        data: Some(vec![1, 2, 3]),
        iv_counter_nonce: None,
        correlation_value: None,
        authenticated_encryption_tag: Some(vec![9; 16]),
    }));
    assert_eq!(
        encrypted.encode(V1_3).unwrap_err().kind,
        not_in(Tag::AUTHENTICATED_ENCRYPTION_TAG, V1_3)
    );
    assert!(encrypted.encode(V1_4).is_ok());

    // A field of the other version family too (KMIP 1.x Template-Attribute in 2.0).
    let create = RequestPayload::Create(Box::new(CreateRequest {
        object_type: ObjectType::SYMMETRIC_KEY,
        template_attribute: Some(TemplateAttribute::default()),
        attributes: Some(Attributes::default()),
        protection_storage_masks: None,
    }));
    assert_eq!(
        create.encode(V2_0).unwrap_err().kind,
        not_in(Tag::TEMPLATE_ATTRIBUTE, V2_0)
    );
}

#[test]
fn encoding_leaves_out_attributes_the_version_does_not_define() {
    // Servers may leave attributes out: a Get Attributes response to a 1.0 client
    // carries the attributes 1.0 knows and drops Sensitive (1.4), and a 1.4 Import
    // drops Quantum Safe (2.0), as Template-Attribute and Attributes do.
    let response = ResponsePayload::GetAttributes(Box::new(GetAttributesResponse {
        unique_identifier: text_id("key"),
        attribute: vec![
            Attribute::new(crate::attributes::AttributeValue::State(
                crate::State::ACTIVE,
            )),
            Attribute::new(crate::attributes::AttributeValue::Sensitive(true)),
        ],
        attributes: None,
    }));
    let encoded = response.encode(V1_0).unwrap();
    assert_eq!(
        encoded,
        response_payload(vec![
            uid("key"),
            attribute_1x("State", Value::Enumeration(crate::State::ACTIVE.0)),
        ])
    );

    let import = RequestPayload::Import(Box::new(ImportRequest {
        unique_identifier: text_id("key"),
        object_type: ObjectType::SYMMETRIC_KEY,
        replace_existing: None,
        key_wrap_type: None,
        attribute: vec![
            Attribute::new(crate::attributes::AttributeValue::QuantumSafe(true)),
            Attribute::new(crate::attributes::AttributeValue::CryptographicLength(128)),
        ],
        attributes: None,
        object: object(&symmetric_key(), V1_4),
    }));
    let encoded = import.encode(V1_4).unwrap();
    assert_eq!(
        encoded,
        request_payload(vec![
            uid("key"),
            object_type(ObjectType::SYMMETRIC_KEY),
            attribute_1x("Cryptographic Length", Value::Integer(128)),
            symmetric_key(),
        ])
    );
}

#[test]
fn get_request_and_response() {
    let item = request_payload(vec![
        uid("key"),
        enumeration(Tag::KEY_FORMAT_TYPE, KeyFormatType::RAW.0),
        enumeration(Tag::KEY_WRAP_TYPE, 1),
    ]);
    let RequestPayload::Get(p) = request(Operation::GET, V1_4, &item) else {
        panic!("not Get");
    };
    assert_eq!(p.key_format_type, Some(KeyFormatType::RAW));
    assert_eq!(
        request_error(Operation::GET, V1_3, item),
        not_in(Tag::KEY_WRAP_TYPE, V1_3)
    );
    // The ID Placeholder form.
    request(Operation::GET, V1_0, &request_payload(vec![]));

    let key = symmetric_key();
    let item = response_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("key"),
        key.clone(),
    ]);
    let ResponsePayload::Get(p) = response(Operation::GET, V2_0, &item) else {
        panic!("not Get");
    };
    assert_eq!(
        *p,
        GetResponse {
            object_type: ObjectType::SYMMETRIC_KEY,
            unique_identifier: text_id("key"),
            object: object(&key, V2_0),
        }
    );
}

#[test]
fn get_attributes_by_name_in_1x_and_by_reference_in_2x() {
    let item = request_payload(vec![
        uid("key"),
        text(Tag::ATTRIBUTE_NAME, "State"),
        text(Tag::ATTRIBUTE_NAME, "Cryptographic Algorithm"),
    ]);
    let RequestPayload::GetAttributes(p) = request(Operation::GET_ATTRIBUTES, V1_0, &item) else {
        panic!("not Get Attributes");
    };
    assert_eq!(p.attribute_names, ["State", "Cryptographic Algorithm"]);

    let reference = enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::STATE.value());
    let item = request_payload(vec![uid("key"), reference.clone()]);
    let RequestPayload::GetAttributes(p) = request(Operation::GET_ATTRIBUTES, V2_0, &item) else {
        panic!("not Get Attributes");
    };
    assert_eq!(
        p.attribute_references,
        vec![typed::<AttributeReference>(&reference, V2_0)]
    );
    let names_in_2x = request_payload(vec![uid("key"), text(Tag::ATTRIBUTE_NAME, "State")]);
    assert_eq!(
        request_error(Operation::GET_ATTRIBUTES, V2_0, names_in_2x),
        not_in(Tag::ATTRIBUTE_NAME, V2_0)
    );

    let item = response_payload(vec![uid("key"), algorithm_1x()]);
    let ResponsePayload::GetAttributes(p) = response(Operation::GET_ATTRIBUTES, V1_1, &item) else {
        panic!("not Get Attributes");
    };
    assert_eq!(p.attribute, vec![typed::<Attribute>(&algorithm_1x(), V1_1)]);

    let item = response_payload(vec![uid("key"), attributes_2x(Tag::ATTRIBUTES)]);
    response(Operation::GET_ATTRIBUTES, V2_0, &item);
}

#[test]
fn get_attribute_list_answers_with_names_in_1x_and_references_in_2x() {
    let item = request_payload(vec![uid("key")]);
    request(Operation::GET_ATTRIBUTE_LIST, V1_0, &item);
    let item = response_payload(vec![
        uid("key"),
        text(Tag::ATTRIBUTE_NAME, "State"),
        text(Tag::ATTRIBUTE_NAME, "Name"),
    ]);
    response(Operation::GET_ATTRIBUTE_LIST, V1_0, &item);
    let item = response_payload(vec![
        uid("key"),
        enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::STATE.value()),
    ]);
    let ResponsePayload::GetAttributeList(p) = response(Operation::GET_ATTRIBUTE_LIST, V2_0, &item)
    else {
        panic!("not Get Attribute List");
    };
    assert_eq!(p.attribute_references.len(), 1);
}

#[test]
fn attribute_changes_1x_and_2x() {
    let contact = attribute_1x("Contact Information", Value::TextString("ops".into()));
    let item = request_payload(vec![uid("key"), contact.clone()]);
    request(Operation::ADD_ATTRIBUTE, V1_0, &item);
    request(Operation::MODIFY_ATTRIBUTE, V1_0, &item);
    let ResponsePayload::AddAttribute(p) = response(
        Operation::ADD_ATTRIBUTE,
        V1_0,
        &response_payload(vec![uid("key"), contact.clone()]),
    ) else {
        panic!("not Add Attribute");
    };
    assert_eq!(p.attribute, Some(typed::<Attribute>(&contact, V1_0)));

    let item = request_payload(vec![
        uid("key"),
        text(Tag::ATTRIBUTE_NAME, "Contact Information"),
        int(Tag::ATTRIBUTE_INDEX, 0),
    ]);
    let RequestPayload::DeleteAttribute(p) = request(Operation::DELETE_ATTRIBUTE, V1_0, &item)
    else {
        panic!("not Delete Attribute");
    };
    assert_eq!(p.attribute_name.as_deref(), Some("Contact Information"));
    assert_eq!(p.attribute_index, Some(0));
    response(
        Operation::DELETE_ATTRIBUTE,
        V1_0,
        &response_payload(vec![uid("key"), contact]),
    );

    let new = st(
        Tag::NEW_ATTRIBUTE,
        vec![text(Tag::CONTACT_INFORMATION, "ops")],
    );
    let current = st(
        Tag::CURRENT_ATTRIBUTE,
        vec![text(Tag::CONTACT_INFORMATION, "dev")],
    );
    request(
        Operation::ADD_ATTRIBUTE,
        V2_0,
        &request_payload(vec![uid("key"), new.clone()]),
    );
    let item = request_payload(vec![uid("key"), current.clone(), new.clone()]);
    let RequestPayload::ModifyAttribute(p) = request(Operation::MODIFY_ATTRIBUTE, V2_0, &item)
    else {
        panic!("not Modify Attribute");
    };
    assert_eq!(
        p.current_attribute,
        Some(typed::<Attributes>(&current, V2_0))
    );
    assert_eq!(p.new_attribute, Some(typed::<Attributes>(&new, V2_0)));
    request(
        Operation::SET_ATTRIBUTE,
        V2_0,
        &request_payload(vec![uid("key"), new]),
    );
    request(
        Operation::DELETE_ATTRIBUTE,
        V2_0,
        &request_payload(vec![
            uid("key"),
            enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::CONTACT_INFORMATION.value()),
        ]),
    );
    for op in [
        Operation::ADD_ATTRIBUTE,
        Operation::MODIFY_ATTRIBUTE,
        Operation::DELETE_ATTRIBUTE,
        Operation::SET_ATTRIBUTE,
        Operation::ADJUST_ATTRIBUTE,
    ] {
        response(op, V2_0, &response_payload(vec![uid("key")]));
    }
}

#[test]
fn adjust_attribute_value_takes_the_attribute_type() {
    let item = request_payload(vec![
        uid("key"),
        enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::DEACTIVATION_DATE.value()),
        enumeration(Tag::ADJUSTMENT_TYPE, AdjustmentType::INCREMENT.0),
        interval(Tag::ADJUSTMENT_VALUE, 86_400),
    ]);
    let RequestPayload::AdjustAttribute(p) = request(Operation::ADJUST_ATTRIBUTE, V2_0, &item)
    else {
        panic!("not Adjust Attribute");
    };
    assert_eq!(
        p.adjustment_value,
        Some(AdjustmentValue::Interval(Interval(86_400)))
    );
    let text_value = request_payload(vec![
        enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::DEACTIVATION_DATE.value()),
        enumeration(Tag::ADJUSTMENT_TYPE, AdjustmentType::INCREMENT.0),
        text(Tag::ADJUSTMENT_VALUE, "1"),
    ]);
    assert!(matches!(
        request_error(Operation::ADJUST_ATTRIBUTE, V2_0, text_value),
        ErrorKind::WrongType { .. }
    ));
}

// ---- life cycle ----

#[test]
fn life_cycle_operations() {
    for op in [
        Operation::ACTIVATE,
        Operation::DESTROY,
        Operation::ARCHIVE,
        Operation::RECOVER,
        Operation::OBTAIN_LEASE,
    ] {
        request(op, V1_0, &request_payload(vec![uid("key")]));
        request(op, V1_0, &request_payload(vec![]));
    }
    for op in [
        Operation::ACTIVATE,
        Operation::DESTROY,
        Operation::ARCHIVE,
        Operation::RECOVER,
        Operation::REVOKE,
        Operation::GET_USAGE_ALLOCATION,
    ] {
        let (ResponsePayload::Activate(p)
        | ResponsePayload::Destroy(p)
        | ResponsePayload::Archive(p)
        | ResponsePayload::Recover(p)
        | ResponsePayload::Revoke(p)
        | ResponsePayload::GetUsageAllocation(p)) =
            response(op, V2_0, &response_payload(vec![uid("key")]))
        else {
            panic!("{op:?}");
        };
        assert_eq!(p.unique_identifier, text_id("key"));
        assert_eq!(
            response_error(op, V2_0, response_payload(vec![])),
            ErrorKind::Missing(Tag::UNIQUE_IDENTIFIER)
        );
    }

    let reason = st(
        Tag::REVOCATION_REASON,
        vec![enumeration(
            Tag::REVOCATION_REASON_CODE,
            RevocationReasonCode::KEY_COMPROMISE.0,
        )],
    );
    let item = request_payload(vec![
        uid("key"),
        reason.clone(),
        date(Tag::COMPROMISE_OCCURRENCE_DATE, 1_000),
    ]);
    let RequestPayload::Revoke(p) = request(Operation::REVOKE, V1_0, &item) else {
        panic!("not Revoke");
    };
    assert_eq!(
        *p,
        RevokeRequest {
            unique_identifier: Some(text_id("key")),
            revocation_reason: typed::<RevocationReason>(&reason, V1_0),
            compromise_occurrence_date: Some(DateTime(1_000)),
        }
    );

    let item = response_payload(vec![
        uid("key"),
        interval(Tag::LEASE_TIME, 3600),
        date(Tag::LAST_CHANGE_DATE, 5),
    ]);
    response(Operation::OBTAIN_LEASE, V1_0, &item);

    let item = request_payload(vec![uid("key"), long(Tag::USAGE_LIMITS_COUNT, 10)]);
    request(Operation::GET_USAGE_ALLOCATION, V1_0, &item);

    let item = request_payload(vec![
        uid("key"),
        long(Tag::USAGE_LIMITS_COUNT, 10),
        int(Tag::CRYPTOGRAPHIC_USAGE_MASK, 4),
        interval(Tag::LEASE_TIME, 60),
    ]);
    let RequestPayload::Check(p) = request(Operation::CHECK, V1_0, &item) else {
        panic!("not Check");
    };
    assert_eq!(p.cryptographic_usage_mask, Some(CryptographicUsageMask(4)));
    let item = response_payload(vec![uid("key"), int(Tag::CRYPTOGRAPHIC_USAGE_MASK, 4)]);
    response(Operation::CHECK, V2_0, &item);
}

// ---- cryptographic operations ----

#[test]
fn encrypt_in_one_request_and_as_a_stream() {
    let item = request_payload(vec![
        uid("key"),
        cryptographic_parameters(),
        bytes(Tag::DATA, b"plaintext"),
        bytes(Tag::IV_COUNTER_NONCE, &[0; 12]),
        bytes(Tag::AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, b"aad"),
    ]);
    let RequestPayload::Encrypt(p) = request(Operation::ENCRYPT, V1_4, &item) else {
        panic!("not Encrypt");
    };
    assert!(p.data.as_ref().is_some_and(|d| d.ct_eq(b"plaintext")));
    assert_eq!(
        p.cryptographic_parameters,
        Some(typed::<CryptographicParameters>(
            &cryptographic_parameters(),
            V1_4
        ))
    );
    assert_eq!(
        request_error(Operation::ENCRYPT, V1_3, item),
        not_in(Tag::AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, V1_3)
    );

    let first = request_payload(vec![
        uid("key"),
        bytes(Tag::DATA, b"part 1"),
        boolean(Tag::INIT_INDICATOR, true),
    ]);
    request(Operation::ENCRYPT, V1_3, &first);
    assert_eq!(
        request_error(Operation::ENCRYPT, V1_2, first),
        not_in(Tag::INIT_INDICATOR, V1_2)
    );
    let last = request_payload(vec![
        uid("key"),
        bytes(Tag::DATA, b"part 2"),
        bytes(Tag::CORRELATION_VALUE, b"stream"),
        boolean(Tag::FINAL_INDICATOR, true),
    ]);
    let RequestPayload::Encrypt(p) = request(Operation::ENCRYPT, V2_0, &last) else {
        panic!("not Encrypt");
    };
    assert_eq!(p.correlation_value.as_deref(), Some(&b"stream"[..]));
    assert_eq!(p.final_indicator, Some(true));

    let item = response_payload(vec![
        uid("key"),
        bytes(Tag::DATA, b"ciphertext"),
        bytes(Tag::IV_COUNTER_NONCE, &[1; 12]),
        bytes(Tag::AUTHENTICATED_ENCRYPTION_TAG, &[2; 16]),
    ]);
    response(Operation::ENCRYPT, V1_4, &item);
    let item = response_payload(vec![uid("key"), bytes(Tag::CORRELATION_VALUE, b"stream")]);
    response(Operation::ENCRYPT, V1_3, &item);
}

#[test]
fn plaintext_is_secret_and_redacted() {
    let item = response_payload(vec![uid("key"), bytes(Tag::DATA, b"top secret")]);
    let ResponsePayload::Decrypt(p) = response(Operation::DECRYPT, V1_2, &item) else {
        panic!("not Decrypt");
    };
    assert!(p.data.as_ref().is_some_and(|d| d.ct_eq(b"top secret")));
    let debug = format!("{p:?}");
    assert!(!debug.contains("top secret") && debug.contains("redacted"));

    let request = EncryptRequest {
        unique_identifier: None,
        cryptographic_parameters: None,
        data: Some(SecretBytes::new(b"top secret".to_vec())),
        iv_counter_nonce: None,
        correlation_value: None,
        init_indicator: None,
        final_indicator: None,
        authenticated_encryption_additional_data: None,
    };
    assert!(!format!("{request:?}").contains("top secret"));
}

#[test]
fn every_secret_bearing_field_is_redacted_in_debug() {
    const SECRET: &[u8] = &[0xA5; 6];
    // Debug of a plain Vec<u8> would print "165, 165, ...".
    let check = |what: &str, debug: String| {
        assert!(
            !debug.contains("165, 165") && debug.contains("redacted"),
            "{what}: {debug}"
        );
    };
    let data = || bytes(Tag::DATA, SECRET);
    let requests = [
        (Operation::SIGN, V1_2, vec![uid("k"), data()]),
        (Operation::MAC, V1_2, vec![uid("k"), data()]),
        (
            Operation::HASH,
            V1_4,
            vec![cryptographic_parameters(), data()],
        ),
        (
            Operation::SIGNATURE_VERIFY,
            V1_2,
            vec![uid("k"), data(), bytes(Tag::SIGNATURE_DATA, b"sig")],
        ),
        (
            Operation::MAC_VERIFY,
            V1_2,
            vec![uid("k"), data(), bytes(Tag::MAC_DATA, b"mac")],
        ),
        (Operation::RNG_SEED, V1_3, vec![data()]),
        (
            Operation::PKCS_11,
            V2_0,
            vec![
                enumeration(Tag::PKCS_11_FUNCTION, 1),
                bytes(Tag::PKCS_11_INPUT_PARAMETERS, SECRET),
            ],
        ),
    ];
    for (operation, version, fields) in requests {
        let p = request(operation, version, &request_payload(fields));
        check(&format!("{operation:?} request"), format!("{p:?}"));
    }
    let responses = [
        (
            Operation::SIGNATURE_VERIFY,
            V1_2,
            vec![
                uid("k"),
                enumeration(Tag::VALIDITY_INDICATOR, ValidityIndicator::VALID.0),
                data(),
            ],
        ),
        (Operation::RNG_RETRIEVE, V1_3, vec![data()]),
        (
            Operation::PKCS_11,
            V2_0,
            vec![
                enumeration(Tag::PKCS_11_FUNCTION, 1),
                bytes(Tag::PKCS_11_OUTPUT_PARAMETERS, SECRET),
                enumeration(Tag::PKCS_11_RETURN_CODE, 0),
            ],
        ),
        (
            Operation::LOGIN,
            V2_0,
            vec![st(
                Tag::TICKET,
                vec![
                    enumeration(Tag::TICKET_TYPE, TicketType::LOGIN.0),
                    bytes(Tag::TICKET_VALUE, SECRET),
                ],
            )],
        ),
    ];
    for (operation, version, fields) in responses {
        let p = response(operation, version, &response_payload(fields));
        check(&format!("{operation:?} response"), format!("{p:?}"));
    }

    let header = crate::message::ResponseHeader {
        protocol_version: ProtocolVersion::of(V2_0),
        time_stamp: DateTime(0),
        nonce: None,
        server_hashed_password: Some(SecretBytes::new(SECRET.to_vec())),
        attestation_type: vec![],
        client_correlation_value: None,
        server_correlation_value: None,
        batch_count: 1,
    };
    check("Response Header", format!("{header:?}"));
    let hashed = crate::credential::HashedPasswordCredential {
        username: "u".into(),
        timestamp: DateTime(0),
        hashing_algorithm: None,
        hashed_password: SecretBytes::new(SECRET.to_vec()),
    };
    check("Hashed Password", format!("{hashed:?}"));
}

#[test]
fn decrypt_request_with_aead_fields() {
    let item = request_payload(vec![
        uid("key"),
        cryptographic_parameters(),
        bytes(Tag::DATA, b"ciphertext"),
        bytes(Tag::IV_COUNTER_NONCE, &[0; 12]),
        bytes(Tag::AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA, b"aad"),
        bytes(Tag::AUTHENTICATED_ENCRYPTION_TAG, &[2; 16]),
    ]);
    let RequestPayload::Decrypt(p) = request(Operation::DECRYPT, V1_4, &item) else {
        panic!("not Decrypt");
    };
    assert_eq!(p.authenticated_encryption_tag, Some(vec![2; 16]));
}

#[test]
fn sign_verify_mac_and_hash_round_trip_digested_data_is_1_4_and_hash_needs_parameters() {
    request(
        Operation::SIGN,
        V1_2,
        &request_payload(vec![uid("priv"), bytes(Tag::DATA, b"msg")]),
    );
    let digested = request_payload(vec![uid("priv"), bytes(Tag::DIGESTED_DATA, &[9; 32])]);
    request(Operation::SIGN, V1_4, &digested);
    assert_eq!(
        request_error(Operation::SIGN, V1_3, digested),
        not_in(Tag::DIGESTED_DATA, V1_3)
    );
    response(
        Operation::SIGN,
        V1_2,
        &response_payload(vec![uid("priv"), bytes(Tag::SIGNATURE_DATA, b"sig")]),
    );

    let item = request_payload(vec![
        uid("pub"),
        cryptographic_parameters(),
        bytes(Tag::DATA, b"msg"),
        bytes(Tag::SIGNATURE_DATA, b"sig"),
    ]);
    request(Operation::SIGNATURE_VERIFY, V1_2, &item);
    let item = response_payload(vec![
        uid("pub"),
        enumeration(Tag::VALIDITY_INDICATOR, ValidityIndicator::VALID.0),
    ]);
    let ResponsePayload::SignatureVerify(p) = response(Operation::SIGNATURE_VERIFY, V1_2, &item)
    else {
        panic!("not Signature Verify");
    };
    assert_eq!(p.validity_indicator, Some(ValidityIndicator::VALID));

    request(
        Operation::MAC,
        V1_2,
        &request_payload(vec![uid("k"), bytes(Tag::DATA, b"msg")]),
    );
    response(
        Operation::MAC,
        V1_2,
        &response_payload(vec![uid("k"), bytes(Tag::MAC_DATA, b"mac")]),
    );
    request(
        Operation::MAC_VERIFY,
        V1_2,
        &request_payload(vec![
            uid("k"),
            bytes(Tag::DATA, b"msg"),
            bytes(Tag::MAC_DATA, b"mac"),
        ]),
    );
    response(
        Operation::MAC_VERIFY,
        V1_2,
        &response_payload(vec![
            uid("k"),
            enumeration(Tag::VALIDITY_INDICATOR, ValidityIndicator::INVALID.0),
        ]),
    );

    let item = request_payload(vec![
        cryptographic_parameters(),
        bytes(Tag::DATA, b"msg"),
        boolean(Tag::INIT_INDICATOR, true),
    ]);
    request(Operation::HASH, V1_3, &item);
    assert_eq!(
        request_error(
            Operation::HASH,
            V1_3,
            request_payload(vec![bytes(Tag::DATA, b"msg")])
        ),
        ErrorKind::Missing(Tag::CRYPTOGRAPHIC_PARAMETERS)
    );
    response(
        Operation::HASH,
        V1_3,
        &response_payload(vec![bytes(Tag::CORRELATION_VALUE, b"c")]),
    );
}

#[test]
fn rng_retrieve_and_seed_carry_the_bytes_and_their_length() {
    request(
        Operation::RNG_RETRIEVE,
        V1_2,
        &request_payload(vec![int(Tag::DATA_LENGTH, 32)]),
    );
    response(
        Operation::RNG_RETRIEVE,
        V1_2,
        &response_payload(vec![bytes(Tag::DATA, &[7; 32])]),
    );
    request(
        Operation::RNG_SEED,
        V2_0,
        &request_payload(vec![bytes(Tag::DATA, &[7; 32])]),
    );
    response(
        Operation::RNG_SEED,
        V2_0,
        &response_payload(vec![int(Tag::DATA_LENGTH, 32)]),
    );
}

// ---- Query, Discover Versions ----

#[test]
fn query_1x_keeps_vendor_server_information() {
    let item = request_payload(vec![
        enumeration(Tag::QUERY_FUNCTION, QueryFunction::QUERY_OPERATIONS.0),
        enumeration(
            Tag::QUERY_FUNCTION,
            QueryFunction::QUERY_SERVER_INFORMATION.0,
        ),
    ]);
    let RequestPayload::Query(p) = request(Operation::QUERY, V1_0, &item) else {
        panic!("not Query");
    };
    assert_eq!(p.query_functions.len(), 2);

    let vendor = text(Tag::from_be_bytes([0x54, 0, 1]), "build 7");
    let item = response_payload(vec![
        enumeration(Tag::OPERATION, Operation::CREATE.0),
        enumeration(Tag::OPERATION, Operation::GET.0),
        object_type(ObjectType::SYMMETRIC_KEY),
        text(Tag::VENDOR_IDENTIFICATION, "Example"),
        st(Tag::SERVER_INFORMATION, vec![vendor.clone()]),
        st(
            Tag::CAPABILITY_INFORMATION,
            vec![
                boolean(Tag::STREAMING_CAPABILITY, false),
                boolean(Tag::BATCH_UNDO_CAPABILITY, false),
            ],
        ),
    ]);
    let ResponsePayload::Query(p) = response(Operation::QUERY, V1_4, &item) else {
        panic!("not Query");
    };
    assert_eq!(p.operations, [Operation::CREATE, Operation::GET]);
    assert_eq!(
        p.server_information,
        Some(ServerInformation {
            vendor: vec![vendor],
            ..ServerInformation::default()
        })
    );
    assert_eq!(
        p.capability_information[0].batch_undo_capability,
        Some(false)
    );
    assert_eq!(
        response_error(Operation::QUERY, V1_3, item),
        not_in(Tag::BATCH_UNDO_CAPABILITY, V1_3).clone()
    );
}

#[test]
fn query_2x_server_information_and_profiles() {
    let vendor = text(Tag::from_be_bytes([0x54, 0, 2]), "extra");
    let item = response_payload(vec![
        st(
            Tag::SERVER_INFORMATION,
            vec![
                text(Tag::SERVER_NAME, "kms"),
                text(Tag::PRODUCT_NAME, "KMS"),
                text(Tag::ALTERNATE_FAILOVER_ENDPOINTS, "kms2:5696"),
                vendor.clone(),
            ],
        ),
        st(
            Tag::PROFILE_INFORMATION,
            vec![
                enumeration(Tag::PROFILE_NAME, 1),
                st(
                    Tag::PROFILE_VERSION,
                    vec![
                        int(Tag::PROFILE_VERSION_MAJOR, 2),
                        int(Tag::PROFILE_VERSION_MINOR, 1),
                    ],
                ),
                text(Tag::SERVER_URI, "https://kms"),
                int(Tag::SERVER_PORT, 5696),
            ],
        ),
        st(
            Tag::DEFAULTS_INFORMATION,
            vec![st(
                Tag::OBJECT_DEFAULTS,
                vec![
                    object_type(ObjectType::SYMMETRIC_KEY),
                    attributes_2x(Tag::ATTRIBUTES),
                ],
            )],
        ),
    ]);
    let ResponsePayload::Query(p) = response(Operation::QUERY, V2_0, &item) else {
        panic!("not Query");
    };
    let info = p.server_information.unwrap();
    assert_eq!(info.server_name.as_deref(), Some("kms"));
    assert_eq!(info.product_name.as_deref(), Some("KMS"));
    assert_eq!(info.alternate_failover_endpoints, ["kms2:5696"]);
    assert_eq!(info.vendor, vec![vendor]);
    assert_eq!(
        p.profile_information,
        vec![ProfileInformation {
            profile_name: ProfileName(1),
            profile_version: Some(ProfileVersion { major: 2, minor: 1 }),
            server_uri: Some("https://kms".into()),
            server_port: Some(5696),
        }]
    );
    assert_eq!(p.defaults_information.unwrap().object_defaults.len(), 1);
}

#[test]
fn query_1x_server_information_is_all_vendor_fields() {
    // Before 2.0 Server Information is vendor-defined: kept as sent.
    let vendor = text(Tag::new(0x54_0010).unwrap(), "kms 1.0");
    let item = response_payload(vec![st(Tag::SERVER_INFORMATION, vec![vendor.clone()])]);
    let ResponsePayload::Query(p) = response(Operation::QUERY, V1_4, &item) else {
        panic!("not Query");
    };
    let info = p.server_information.unwrap();
    assert_eq!(info.server_name, None);
    assert_eq!(info.vendor, vec![vendor]);

    // But a vendor field is no way to pass a tag of a later version: the 2.0 Server
    // Name tag is refused in 1.4, both ways.
    let name = text(Tag::SERVER_NAME, "kms");
    let item = response_payload(vec![st(Tag::SERVER_INFORMATION, vec![name.clone()])]);
    assert_eq!(
        response_error(Operation::QUERY, V1_4, item),
        not_in(Tag::SERVER_NAME, V1_4)
    );
    let info = ServerInformation {
        vendor: vec![name],
        ..ServerInformation::default()
    };
    assert_eq!(
        info.encode(Tag::SERVER_INFORMATION, V1_4).unwrap_err().kind,
        not_in(Tag::SERVER_NAME, V1_4)
    );
}

#[test]
fn discover_versions_keeps_the_version_order_and_may_list_none() {
    let version = |major, minor| {
        st(
            Tag::PROTOCOL_VERSION,
            vec![
                int(Tag::PROTOCOL_VERSION_MAJOR, major),
                int(Tag::PROTOCOL_VERSION_MINOR, minor),
            ],
        )
    };
    let item = request_payload(vec![version(1, 4), version(1, 2)]);
    let RequestPayload::DiscoverVersions(p) = request(Operation::DISCOVER_VERSIONS, V1_1, &item)
    else {
        panic!("not Discover Versions");
    };
    assert_eq!(
        p.protocol_versions,
        [ProtocolVersion::of(V1_4), ProtocolVersion::of(V1_2)]
    );
    request(Operation::DISCOVER_VERSIONS, V1_1, &request_payload(vec![]));
    response(
        Operation::DISCOVER_VERSIONS,
        V1_1,
        &response_payload(vec![version(1, 1)]),
    );
}

// ---- asynchronous, server to client, Validate, Import/Export ----

#[test]
fn cancel_round_trips_and_a_poll_answer_is_kept_as_sent() {
    let acv = bytes(Tag::ASYNCHRONOUS_CORRELATION_VALUE, b"pending");
    request(Operation::CANCEL, V1_0, &request_payload(vec![acv.clone()]));
    request(Operation::POLL, V1_0, &request_payload(vec![acv.clone()]));
    let item = response_payload(vec![
        acv,
        enumeration(Tag::CANCELLATION_RESULT, CancellationResult::CANCELED.0),
    ]);
    let ResponsePayload::Cancel(p) = response(Operation::CANCEL, V1_0, &item) else {
        panic!("not Cancel");
    };
    assert_eq!(p.cancellation_result, CancellationResult::CANCELED);
    // A Poll answer has the pending operation's layout: kept as sent.
    let item = response_payload(vec![uid("found")]);
    let ResponsePayload::Poll(p) = response(Operation::POLL, V1_0, &item) else {
        panic!("not Poll");
    };
    assert_eq!(p.0, item);
}

#[test]
fn notify_and_put_carry_attributes_and_the_pushed_object() {
    let item = request_payload(vec![uid("key"), algorithm_1x()]);
    request(Operation::NOTIFY, V1_0, &item);
    response(Operation::NOTIFY, V1_0, &response_payload(vec![]));
    request(
        Operation::NOTIFY,
        V2_0,
        &request_payload(vec![uid("key"), attributes_2x(Tag::ATTRIBUTES)]),
    );

    let item = request_payload(vec![
        uid("key"),
        enumeration(Tag::PUT_FUNCTION, PutFunction::REPLACE.0),
        text(Tag::REPLACED_UNIQUE_IDENTIFIER, "old"),
        symmetric_key(),
        algorithm_1x(),
    ]);
    let RequestPayload::Put(p) = request(Operation::PUT, V1_0, &item) else {
        panic!("not Put");
    };
    assert_eq!(p.replaced_unique_identifier, Some(text_id("old")));
    assert_eq!(p.object.object_type(), ObjectType::SYMMETRIC_KEY);
    response(Operation::PUT, V1_0, &response_payload(vec![]));
}

#[test]
fn validate_a_certificate_chain() {
    let certificate = st(
        Tag::CERTIFICATE,
        vec![
            enumeration(Tag::CERTIFICATE_TYPE, 1),
            bytes(Tag::CERTIFICATE_VALUE, b"DER"),
        ],
    );
    let item = request_payload(vec![
        certificate.clone(),
        uid("ca"),
        date(Tag::VALIDITY_DATE, 10),
    ]);
    let RequestPayload::Validate(p) = request(Operation::VALIDATE, V1_0, &item) else {
        panic!("not Validate");
    };
    assert_eq!(
        *p,
        ValidateRequest {
            certificates: vec![object(&certificate, V1_0)],
            unique_identifiers: vec![text_id("ca")],
            validity_date: Some(DateTime(10)),
        }
    );
    let item = response_payload(vec![enumeration(
        Tag::VALIDITY_INDICATOR,
        ValidityIndicator::UNKNOWN.0,
    )]);
    response(Operation::VALIDATE, V1_0, &item);
}

#[test]
fn import_and_export_carry_the_object_with_its_1x_or_2x_attributes() {
    let key = symmetric_key();
    let item = request_payload(vec![
        uid("key"),
        object_type(ObjectType::SYMMETRIC_KEY),
        boolean(Tag::REPLACE_EXISTING, true),
        attributes_2x(Tag::ATTRIBUTES),
        key.clone(),
    ]);
    let RequestPayload::Import(p) = request(Operation::IMPORT, V2_0, &item) else {
        panic!("not Import");
    };
    assert_eq!(p.replace_existing, Some(true));
    let item = request_payload(vec![
        uid("key"),
        object_type(ObjectType::SYMMETRIC_KEY),
        algorithm_1x(),
        key.clone(),
    ]);
    request(Operation::IMPORT, V1_4, &item);
    response(Operation::IMPORT, V1_4, &response_payload(vec![uid("key")]));

    request(Operation::EXPORT, V2_0, &request_payload(vec![uid("key")]));
    let item = response_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("key"),
        attributes_2x(Tag::ATTRIBUTES),
        key,
    ]);
    let ResponsePayload::Export(p) = response(Operation::EXPORT, V2_0, &item) else {
        panic!("not Export");
    };
    assert!(p.attributes.is_some() && p.attribute.is_empty());
}

// ---- KMIP 2.x additions ----

#[test]
fn login_logout_and_delegated_login() {
    let ticket = st(
        Tag::TICKET,
        vec![
            enumeration(Tag::TICKET_TYPE, TicketType::LOGIN.0),
            bytes(Tag::TICKET_VALUE, b"t"),
        ],
    );
    let item = request_payload(vec![
        interval(Tag::LEASE_TIME, 600),
        int(Tag::REQUEST_COUNT, 5),
    ]);
    request(Operation::LOGIN, V2_0, &item);
    let ResponsePayload::Login(p) = response(
        Operation::LOGIN,
        V2_0,
        &response_payload(vec![ticket.clone()]),
    ) else {
        panic!("not Login");
    };
    assert_eq!(
        p.ticket,
        Ticket {
            ticket_type: TicketType::LOGIN,
            ticket_value: b"t".to_vec().into(),
        }
    );
    request(
        Operation::LOGOUT,
        V2_0,
        &request_payload(vec![ticket.clone()]),
    );
    response(Operation::LOGOUT, V2_0, &response_payload(vec![]));

    let rights = st(
        Tag::RIGHTS,
        vec![st(
            Tag::RIGHT,
            vec![
                st(
                    Tag::OPERATIONS,
                    vec![
                        enumeration(Tag::OPERATION, Operation::GET.0),
                        enumeration(Tag::OPERATION, Operation::ENCRYPT.0),
                    ],
                ),
                st(Tag::OBJECTS, vec![uid("key")]),
            ],
        )],
    );
    let item = request_payload(vec![int(Tag::REQUEST_COUNT, 1), rights]);
    let RequestPayload::DelegatedLogin(p) = request(Operation::DELEGATED_LOGIN, V2_0, &item) else {
        panic!("not Delegated Login");
    };
    assert_eq!(
        p.rights.rights,
        vec![Right {
            operations: Some(RightOperations {
                operations: vec![Operation::GET, Operation::ENCRYPT]
            }),
            objects: Some(RightObjects {
                unique_identifiers: vec![text_id("key")]
            }),
        }]
    );
    response(
        Operation::DELEGATED_LOGIN,
        V2_0,
        &response_payload(vec![ticket]),
    );
}

#[test]
fn log_interop_pkcs11_and_endpoint_role() {
    request(
        Operation::LOG,
        V2_1,
        &request_payload(vec![text(Tag::LOG_MESSAGE, "hello")]),
    );
    response(Operation::LOG, V2_1, &response_payload(vec![]));

    let item = request_payload(vec![
        enumeration(Tag::INTEROP_FUNCTION, InteropFunction::BEGIN.0),
        text(Tag::INTEROP_IDENTIFIER, "BL-M-1-21"),
    ]);
    request(Operation::INTEROP, V2_1, &item);
    response(Operation::INTEROP, V2_1, &response_payload(vec![]));

    let item = request_payload(vec![
        enumeration(Tag::PKCS_11_FUNCTION, 1),
        bytes(Tag::PKCS_11_INPUT_PARAMETERS, b"in"),
    ]);
    request(Operation::PKCS_11, V2_0, &item);
    let item = response_payload(vec![
        enumeration(Tag::PKCS_11_FUNCTION, 1),
        bytes(Tag::PKCS_11_OUTPUT_PARAMETERS, b"out"),
        enumeration(Tag::PKCS_11_RETURN_CODE, 0),
    ]);
    let ResponsePayload::Pkcs11(p) = response(Operation::PKCS_11, V2_0, &item) else {
        panic!("not PKCS#11");
    };
    assert_eq!(p.pkcs11_function, PKCS11Function(1));
    assert_eq!(p.pkcs11_return_code, PKCS11ReturnCode(0));

    let item = request_payload(vec![enumeration(
        Tag::ENDPOINT_ROLE,
        EndpointRole::CLIENT.0,
    )]);
    request(Operation::SET_ENDPOINT_ROLE, V2_0, &item);
    response(
        Operation::SET_ENDPOINT_ROLE,
        V2_0,
        &response_payload(vec![enumeration(
            Tag::ENDPOINT_ROLE,
            EndpointRole::CLIENT.0,
        )]),
    );
}

#[test]
fn get_and_set_constraints() {
    let constraints = st(
        Tag::CONSTRAINTS,
        vec![st(
            Tag::CONSTRAINT,
            vec![
                st(
                    Tag::OBJECT_TYPES,
                    vec![object_type(ObjectType::SYMMETRIC_KEY)],
                ),
                st(Tag::OBJECT_GROUPS, vec![text(Tag::OBJECT_GROUP, "finance")]),
                attributes_2x(Tag::ATTRIBUTES),
            ],
        )],
    );
    request(
        Operation::SET_CONSTRAINTS,
        V2_1,
        &request_payload(vec![constraints.clone()]),
    );
    response(Operation::SET_CONSTRAINTS, V2_1, &response_payload(vec![]));
    request(Operation::GET_CONSTRAINTS, V2_1, &request_payload(vec![]));
    let ResponsePayload::GetConstraints(p) = response(
        Operation::GET_CONSTRAINTS,
        V2_1,
        &response_payload(vec![constraints]),
    ) else {
        panic!("not Get Constraints");
    };
    let constraint = &p.constraints.constraints[0];
    assert_eq!(
        constraint.object_groups,
        Some(ObjectGroups {
            object_groups: vec!["finance".into()]
        })
    );
}

// ---- Unique Identifier forms ----

#[test]
fn unique_identifier_references_and_indexes_are_2x_only() {
    let placeholder = request_payload(vec![enumeration(
        Tag::UNIQUE_IDENTIFIER,
        UniqueIdentifier::ID_PLACEHOLDER.0,
    )]);
    let RequestPayload::Activate(p) = request(Operation::ACTIVATE, V2_0, &placeholder) else {
        panic!("not Activate");
    };
    assert_eq!(
        p.unique_identifier,
        Some(UniqueId::Reference(UniqueIdentifier::ID_PLACEHOLDER))
    );
    let index = request_payload(vec![int(Tag::UNIQUE_IDENTIFIER, 2)]);
    let RequestPayload::Activate(p) = request(Operation::ACTIVATE, V2_1, &index) else {
        panic!("not Activate");
    };
    assert_eq!(p.unique_identifier, Some(UniqueId::Index(2)));

    assert!(matches!(
        request_error(Operation::ACTIVATE, V1_4, placeholder),
        ErrorKind::WrongType { .. }
    ));
    assert!(matches!(
        request_error(Operation::ACTIVATE, V1_4, index),
        ErrorKind::WrongType { .. }
    ));
    let p = RequestPayload::Activate(Box::new(IdRequest {
        unique_identifier: Some(UniqueId::Index(1)),
    }));
    assert_eq!(
        p.encode(V1_4).unwrap_err().kind,
        not_in(Tag::UNIQUE_IDENTIFIER, V1_4)
    );
}

// ---- required fields ----

#[test]
fn fields_required_in_1x_are_refused_when_absent() {
    let missing = |operation, item| request_error(operation, V1_4, item);
    // Create, Register and Derive Key need their Template-Attribute.
    let item = request_payload(vec![object_type(ObjectType::SYMMETRIC_KEY)]);
    assert_eq!(
        missing(Operation::CREATE, item),
        ErrorKind::Missing(Tag::TEMPLATE_ATTRIBUTE)
    );
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        symmetric_key(),
    ]);
    assert_eq!(
        missing(Operation::REGISTER, item),
        ErrorKind::Missing(Tag::TEMPLATE_ATTRIBUTE)
    );
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("base"),
        enumeration(Tag::DERIVATION_METHOD, DerivationMethod::HASH.0),
        st(Tag::DERIVATION_PARAMETERS, vec![]),
    ]);
    assert_eq!(
        missing(Operation::DERIVE_KEY, item),
        ErrorKind::Missing(Tag::TEMPLATE_ATTRIBUTE)
    );
    // The attribute operations need the attribute they act on.
    assert_eq!(
        missing(Operation::ADD_ATTRIBUTE, request_payload(vec![uid("key")])),
        ErrorKind::Missing(Tag::ATTRIBUTE)
    );
    assert_eq!(
        missing(
            Operation::MODIFY_ATTRIBUTE,
            request_payload(vec![uid("key")])
        ),
        ErrorKind::Missing(Tag::ATTRIBUTE)
    );
    let item = request_payload(vec![uid("key"), int(Tag::ATTRIBUTE_INDEX, 0)]);
    assert_eq!(
        missing(Operation::DELETE_ATTRIBUTE, item),
        ErrorKind::Missing(Tag::ATTRIBUTE_NAME)
    );
    for op in [
        Operation::ADD_ATTRIBUTE,
        Operation::MODIFY_ATTRIBUTE,
        Operation::DELETE_ATTRIBUTE,
    ] {
        assert_eq!(
            response_error(op, V1_0, response_payload(vec![uid("key")])),
            ErrorKind::Missing(Tag::ATTRIBUTE),
            "{op:?}"
        );
    }
    // Required in every version.
    assert_eq!(
        missing(
            Operation::GET_USAGE_ALLOCATION,
            request_payload(vec![uid("key")])
        ),
        ErrorKind::Missing(Tag::USAGE_LIMITS_COUNT)
    );
    let item = request_payload(vec![uid("key"), long(Tag::USAGE_LIMITS_COUNT, 10)]);
    let RequestPayload::GetUsageAllocation(p) =
        request(Operation::GET_USAGE_ALLOCATION, V1_4, &item)
    else {
        panic!("not Get Usage Allocation");
    };
    assert_eq!(p.usage_limits_count, 10);
}

#[test]
fn fields_required_in_2x_are_refused_when_absent() {
    let missing = |operation, item| request_error(operation, V2_0, item);
    assert_eq!(
        missing(
            Operation::CREATE,
            request_payload(vec![object_type(ObjectType::SYMMETRIC_KEY)]),
        ),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    let item = request_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        symmetric_key(),
    ]);
    assert_eq!(
        missing(Operation::REGISTER, item),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    let item = request_payload(vec![int(Tag::MAXIMUM_ITEMS, 1)]);
    assert_eq!(
        missing(Operation::LOCATE, item),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    assert_eq!(
        missing(Operation::ADD_ATTRIBUTE, request_payload(vec![uid("key")])),
        ErrorKind::Missing(Tag::NEW_ATTRIBUTE)
    );
    let current = st(
        Tag::CURRENT_ATTRIBUTE,
        vec![text(Tag::CONTACT_INFORMATION, "dev")],
    );
    assert_eq!(
        missing(
            Operation::MODIFY_ATTRIBUTE,
            request_payload(vec![uid("key"), current]),
        ),
        ErrorKind::Missing(Tag::NEW_ATTRIBUTE)
    );
    let item = request_payload(vec![
        uid("key"),
        object_type(ObjectType::SYMMETRIC_KEY),
        symmetric_key(),
    ]);
    assert_eq!(
        missing(Operation::IMPORT, item),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    assert_eq!(
        response_error(
            Operation::GET_ATTRIBUTES,
            V2_0,
            response_payload(vec![uid("key")]),
        ),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    let item = response_payload(vec![
        object_type(ObjectType::SYMMETRIC_KEY),
        uid("key"),
        symmetric_key(),
    ]);
    assert_eq!(
        response_error(Operation::EXPORT, V2_0, item),
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );
    // The 2.x-only operations.
    let item = request_payload(vec![enumeration(
        Tag::INTEROP_FUNCTION,
        InteropFunction::BEGIN.0,
    )]);
    assert_eq!(
        missing(Operation::INTEROP, item),
        ErrorKind::Missing(Tag::INTEROP_IDENTIFIER)
    );
    assert_eq!(
        missing(Operation::LOGOUT, request_payload(vec![])),
        ErrorKind::Missing(Tag::TICKET)
    );
    assert_eq!(
        response_error(Operation::GET_CONSTRAINTS, V2_1, response_payload(vec![])),
        ErrorKind::Missing(Tag::CONSTRAINTS)
    );
    // Set Constraints without Constraints clears them, as the 2.1 test cases do.
    request(Operation::SET_CONSTRAINTS, V2_1, &request_payload(vec![]));
}

#[test]
fn a_field_required_in_one_version_family_is_not_asked_for_in_the_other() {
    // Delete Attribute names its attribute by Attribute Name in 1.x only.
    let item = request_payload(vec![
        uid("key"),
        enumeration(Tag::ATTRIBUTE_REFERENCE, Tag::CONTACT_INFORMATION.value()),
    ]);
    request(Operation::DELETE_ATTRIBUTE, V2_0, &item);
    // A 1.x Locate may have no attribute at all; a 2.x one sends an empty Attributes.
    request(Operation::LOCATE, V1_4, &request_payload(vec![]));
    request(
        Operation::LOCATE,
        V2_0,
        &request_payload(vec![st(Tag::ATTRIBUTES, vec![])]),
    );
    // A 2.x Add Attribute response has no Attribute.
    response(
        Operation::ADD_ATTRIBUTE,
        V2_1,
        &response_payload(vec![uid("key")]),
    );
}

#[test]
fn encoding_a_value_without_its_version_s_required_field_fails() {
    let request = Tag::REQUEST_PAYLOAD;
    let create = CreateRequest {
        object_type: ObjectType::SYMMETRIC_KEY,
        template_attribute: None,
        attributes: Some(Attributes::default()),
        protection_storage_masks: None,
    };
    assert_eq!(
        create.encode(request, V1_4).unwrap_err().kind,
        ErrorKind::Missing(Tag::TEMPLATE_ATTRIBUTE)
    );
    assert!(create.encode(request, V2_0).is_ok());

    let register = RegisterRequest {
        object_type: ObjectType::SYMMETRIC_KEY,
        template_attribute: Some(TemplateAttribute::default()),
        attributes: None,
        object: object(&symmetric_key(), V1_4),
        protection_storage_masks: None,
    };
    assert!(register.encode(request, V1_4).is_ok());
    let register = RegisterRequest {
        template_attribute: None,
        ..register
    };
    assert_eq!(
        register.encode(request, V2_0).unwrap_err().kind,
        ErrorKind::Missing(Tag::ATTRIBUTES)
    );

    let delete = DeleteAttributeRequest {
        unique_identifier: Some(text_id("key")),
        attribute_name: None,
        attribute_index: None,
        current_attribute: None,
        attribute_reference: Some(AttributeReference::Tag(Tag::CONTACT_INFORMATION)),
    };
    assert_eq!(
        delete.encode(request, V1_2).unwrap_err().kind,
        ErrorKind::Missing(Tag::ATTRIBUTE_NAME)
    );
    assert!(delete.encode(request, V2_0).is_ok());

    let added = AddAttributeResponse {
        unique_identifier: text_id("key"),
        attribute: None,
    };
    let response = Tag::RESPONSE_PAYLOAD;
    assert_eq!(
        added.encode(response, V1_0).unwrap_err().kind,
        ErrorKind::Missing(Tag::ATTRIBUTE)
    );
    assert!(added.encode(response, V2_0).is_ok());
}

// ---- strictness shared by every payload ----

#[test]
fn rejects_a_field_out_of_order() {
    let item = request_payload(vec![bytes(Tag::DATA, b"msg"), uid("key")]);
    assert_eq!(
        request_error(Operation::ENCRYPT, V1_4, item),
        ErrorKind::Unexpected(Tag::UNIQUE_IDENTIFIER)
    );
    let item = request_payload(vec![
        template_attribute(Tag::TEMPLATE_ATTRIBUTE, vec![]),
        object_type(ObjectType::SYMMETRIC_KEY),
    ]);
    assert_eq!(
        request_error(Operation::CREATE, V1_4, item),
        ErrorKind::Missing(Tag::OBJECT_TYPE)
    );
}

#[test]
fn rejects_an_unknown_or_repeated_field() {
    let item = request_payload(vec![uid("key"), text(Tag::COMMENT, "hello")]);
    assert_eq!(
        request_error(Operation::DESTROY, V1_4, item),
        ErrorKind::Unexpected(Tag::COMMENT)
    );
    let item = request_payload(vec![uid("a"), uid("b")]);
    assert_eq!(
        request_error(Operation::DESTROY, V1_4, item),
        ErrorKind::Unexpected(Tag::UNIQUE_IDENTIFIER)
    );
    let vendor = Tag::from_be_bytes([0x54, 0, 1]);
    let item = response_payload(vec![uid("key"), text(vendor, "x")]);
    assert_eq!(
        response_error(Operation::DESTROY, V1_4, item),
        ErrorKind::Unexpected(vendor)
    );
}

#[test]
fn rejects_a_field_of_the_wrong_type() {
    let item = request_payload(vec![uid("key"), text(Tag::DATA, "not bytes")]);
    let error = RequestPayload::decode(Operation::ENCRYPT, item, V1_4).unwrap_err();
    assert!(matches!(error.kind, ErrorKind::WrongType { .. }));
    assert_eq!(error.path.tags(), [Tag::DATA]);
}

#[test]
fn rejects_an_item_that_is_not_a_payload() {
    let item = st(Tag::BATCH_ITEM, vec![]);
    assert!(matches!(
        request_error(Operation::GET, V1_4, item.clone()),
        ErrorKind::WrongTag { .. }
    ));
    assert!(matches!(
        response_error(Operation::GET, V1_4, item),
        ErrorKind::WrongTag { .. }
    ));
}

#[test]
fn untyped_operations_and_responses_stay_other() {
    let item = request_payload(vec![text(Tag::from_be_bytes([0x54, 0, 1]), "vendor")]);
    for op in [
        Operation(0x8000_0001),
        Operation::RE_PROVISION,
        Operation::SET_DEFAULTS,
    ] {
        let payload = RequestPayload::decode(op, item.clone(), V2_1).unwrap();
        assert!(matches!(payload, RequestPayload::Other(_)));
        assert_eq!(payload.operation(), None);
        assert_eq!(payload.encode(V2_1).unwrap(), item);
    }
    let item = response_payload(vec![uid("key")]);
    let payload = ResponsePayload::decode(None, item.clone(), V1_0).unwrap();
    assert!(matches!(payload, ResponsePayload::Other(_)));
    assert_eq!(payload.encode(V1_0).unwrap(), item);
}

#[test]
fn every_typed_operation_dispatches_to_its_own_variant() {
    // An empty payload is valid for some operations and not for others; whichever it
    // is, a typed payload names the operation it was decoded for.
    for &op in TYPED_OPERATIONS {
        if let Ok(p) = RequestPayload::decode(op, request_payload(vec![]), V2_1) {
            assert_eq!(p.operation(), Some(op), "{op:?}");
        }
        if let Ok(p) = ResponsePayload::decode(Some(op), response_payload(vec![]), V2_1) {
            assert_eq!(p.operation(), Some(op), "{op:?}");
        }
    }
    let mut seen = TYPED_OPERATIONS.to_vec();
    seen.sort_by_key(|op| op.0);
    seen.dedup();
    assert_eq!(
        seen.len(),
        TYPED_OPERATIONS.len(),
        "an operation is listed twice"
    );
}

#[test]
fn errors_name_the_field_path() {
    let item = request_payload(vec![
        uid("key"),
        st(
            Tag::REVOCATION_REASON,
            vec![text(Tag::REVOCATION_REASON_CODE, "bad")],
        ),
    ]);
    let error = RequestPayload::decode(Operation::REVOKE, item, V1_0).unwrap_err();
    assert_eq!(error.path.tags()[0], Tag::REVOCATION_REASON);
}

//! The KMIP operations driven in-process (`kms_kmip::ops::execute`, public and hidden
//! for these tests) on a real SQLite store in a temporary directory.

// Helpers outside #[test] functions fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use kmip_types::attributes::{
    Attribute, AttributeValue, CryptographicDomainParameters, CryptographicParameters, Name,
    RevocationReason, TemplateAttribute,
};
use kmip_types::payloads::*;
use kmip_types::{
    BlockCipherMode, CryptographicAlgorithm, CryptographicUsageMask, DateTime, KmipVersion,
    ObjectType, Operation, RecommendedCurve, RequestPayload, ResponsePayload, ResultReason,
    RevocationReasonCode, SecretBytes, State, UniqueId, ValidityIndicator,
};
use kms_crypto::AesKey;
use kms_kmip::ops::{IMPLEMENTED, PROFILES, execute};
use kms_kmip::{KmipError, OpContext, StreamLimits, Streams};
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{Identity, ObjectId, Store, StoreConfig};

struct Harness {
    store: Store<SqliteBackend>,
    ctx: OpContext,
    dir: std::path::PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn harness() -> Harness {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kms-kmip-ops-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let backend = SqliteBackend::open(&dir.join("kms.db")).unwrap();
    let store = Store::new(
        backend,
        Box::new(MasterKey::generate().unwrap()),
        StoreConfig::default(),
    );
    Harness {
        store,
        ctx: context("alice"),
        dir,
    }
}

fn context(owner: &str) -> OpContext {
    OpContext {
        owner: Identity::new(owner).unwrap(),
        version: KmipVersion::V1_4,
        id_placeholder: None,
        streams: Arc::new(Streams::default()),
    }
}

impl Harness {
    async fn run(&mut self, payload: RequestPayload) -> Result<ResponsePayload, KmipError> {
        let operation = payload.operation().unwrap();
        let result = execute(&self.store, &mut self.ctx, operation, payload).await;
        if let Ok(response) = &result {
            // Every answer must be writable in the request's version.
            if let Err(e) = response.encode(self.ctx.version) {
                panic!("{operation:?} response does not encode: {e}");
            }
        }
        result
    }

    async fn ok(&mut self, payload: RequestPayload) -> ResponsePayload {
        match self.run(payload).await {
            Ok(r) => r,
            Err(e) => panic!("operation failed: {e}"),
        }
    }

    async fn reason(&mut self, payload: RequestPayload) -> ResultReason {
        match self.run(payload).await {
            Ok(r) => panic!("expected an error, got {r:?}"),
            Err(e) => e.reason,
        }
    }

    async fn create_aes(&mut self, name: Option<&str>) -> String {
        let mut attributes = vec![
            attr(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::AES,
            )),
            attr(AttributeValue::CryptographicLength(256)),
            attr(AttributeValue::CryptographicUsageMask(
                CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
            )),
        ];
        if let Some(name) = name {
            attributes.push(attr(AttributeValue::Name(Name::text(name))));
        }
        let response = self
            .ok(RequestPayload::Create(Box::new(CreateRequest {
                object_type: ObjectType::SYMMETRIC_KEY,
                template_attribute: Some(TemplateAttribute::new(attributes)),
                attributes: None,
                protection_storage_masks: None,
            })))
            .await;
        let ResponsePayload::Create(r) = response else {
            panic!("not a Create response: {response:?}")
        };
        text(&r.unique_identifier)
    }

    async fn attributes(&mut self, id: &str, names: &[&str]) -> Vec<Attribute> {
        let response = self
            .ok(RequestPayload::GetAttributes(Box::new(
                GetAttributesRequest {
                    unique_identifier: Some(uid(id)),
                    attribute_names: names.iter().map(|n| (*n).to_owned()).collect(),
                    attribute_references: Vec::new(),
                },
            )))
            .await;
        let ResponsePayload::GetAttributes(r) = response else {
            panic!("not a Get Attributes response: {response:?}")
        };
        r.attribute
    }

    async fn state(&mut self, id: &str) -> State {
        match self
            .attributes(id, &["State"])
            .await
            .first()
            .map(|a| &a.value)
        {
            Some(AttributeValue::State(s)) => *s,
            other => panic!("no State: {other:?}"),
        }
    }
}

fn attr(value: AttributeValue) -> Attribute {
    Attribute::new(value)
}

fn uid(id: &str) -> UniqueId {
    UniqueId::Text(id.to_owned())
}

fn text(id: &UniqueId) -> String {
    id.as_text().unwrap().to_owned()
}

fn by_id(id: &str) -> IdRequest {
    IdRequest {
        unique_identifier: Some(uid(id)),
    }
}

fn get(id: Option<&str>) -> RequestPayload {
    RequestPayload::Get(Box::new(GetRequest {
        unique_identifier: id.map(uid),
        key_format_type: None,
        key_wrap_type: None,
        key_compression_type: None,
        key_wrapping_specification: None,
    }))
}

fn revoke(id: &str, code: RevocationReasonCode, when: Option<i64>) -> RequestPayload {
    RequestPayload::Revoke(Box::new(RevokeRequest {
        unique_identifier: Some(uid(id)),
        revocation_reason: RevocationReason {
            revocation_reason_code: code,
            revocation_message: None,
        },
        compromise_occurrence_date: when.map(DateTime),
    }))
}

fn gcm() -> CryptographicParameters {
    CryptographicParameters {
        block_cipher_mode: Some(BlockCipherMode::GCM),
        tag_length: Some(16),
        ..CryptographicParameters::default()
    }
}

#[tokio::test]
async fn symmetric_key_lifecycle_from_create_to_destroyed() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    assert_eq!(h.state(&id).await, State::PRE_ACTIVE);
    h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
    assert_eq!(h.state(&id).await, State::ACTIVE);

    let response = h.ok(get(Some(&id))).await;
    let ResponsePayload::Get(g) = response else {
        panic!("{response:?}")
    };
    assert_eq!(g.object_type, ObjectType::SYMMETRIC_KEY);
    assert_eq!(text(&g.unique_identifier), id);

    let response = h
        .ok(RequestPayload::Encrypt(Box::new(EncryptRequest {
            unique_identifier: Some(uid(&id)),
            cryptographic_parameters: Some(gcm()),
            data: Some(SecretBytes::new(b"attack at dawn".to_vec())),
            iv_counter_nonce: None,
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
            authenticated_encryption_additional_data: Some(b"header".to_vec()),
        })))
        .await;
    let ResponsePayload::Encrypt(e) = response else {
        panic!("{response:?}")
    };
    assert!(e.authenticated_encryption_tag.is_some());
    assert!(e.iv_counter_nonce.is_some());
    let decrypt = |tag: Vec<u8>| {
        RequestPayload::Decrypt(Box::new(DecryptRequest {
            unique_identifier: Some(uid(&id)),
            cryptographic_parameters: Some(gcm()),
            data: e.data.clone(),
            iv_counter_nonce: e.iv_counter_nonce.clone(),
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
            authenticated_encryption_additional_data: Some(b"header".to_vec()),
            authenticated_encryption_tag: Some(tag),
        }))
    };
    let tag = e.authenticated_encryption_tag.clone().unwrap();
    let response = h.ok(decrypt(tag.clone())).await;
    let ResponsePayload::Decrypt(d) = response else {
        panic!("{response:?}")
    };
    assert_eq!(d.data.unwrap().expose(), b"attack at dawn");
    let mut bad = tag;
    bad[0] ^= 1;
    assert_eq!(
        h.reason(decrypt(bad)).await,
        ResultReason::CRYPTOGRAPHIC_FAILURE
    );

    h.ok(revoke(
        &id,
        RevocationReasonCode::CESSATION_OF_OPERATION,
        None,
    ))
    .await;
    assert_eq!(h.state(&id).await, State::DEACTIVATED);
    h.ok(RequestPayload::Destroy(Box::new(by_id(&id)))).await;
    assert_eq!(h.reason(get(Some(&id))).await, ResultReason::ITEM_NOT_FOUND);
    assert_eq!(h.state(&id).await, State::DESTROYED);
}

#[tokio::test]
async fn destroying_an_active_key_is_permission_denied() {
    // SKLC-M-2-14.
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
    assert_eq!(
        h.reason(RequestPayload::Destroy(Box::new(by_id(&id))))
            .await,
        ResultReason::PERMISSION_DENIED
    );
    assert_eq!(h.state(&id).await, State::ACTIVE);
}

#[tokio::test]
async fn compromise_occurrence_date_is_recorded() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
    h.ok(revoke(
        &id,
        RevocationReasonCode::KEY_COMPROMISE,
        Some(1_000_000),
    ))
    .await;
    assert_eq!(h.state(&id).await, State::COMPROMISED);
    let dates = h.attributes(&id, &["Compromise Occurrence Date"]).await;
    assert_eq!(
        dates.first().map(|a| &a.value),
        Some(&AttributeValue::CompromiseOccurrenceDate(DateTime(
            1_000_000
        )))
    );
}

#[tokio::test]
async fn key_pair_signs_and_verifies() {
    let mut h = harness();
    let common = vec![
        attr(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::EC,
        )),
        attr(AttributeValue::CryptographicDomainParameters(
            CryptographicDomainParameters {
                qlength: None,
                recommended_curve: Some(RecommendedCurve::P_256),
            },
        )),
    ];
    let response = h
        .ok(RequestPayload::CreateKeyPair(Box::new(
            CreateKeyPairRequest {
                common_template_attribute: Some(TemplateAttribute::new(common)),
                private_key_template_attribute: Some(TemplateAttribute::new(vec![attr(
                    AttributeValue::CryptographicUsageMask(CryptographicUsageMask::SIGN),
                )])),
                public_key_template_attribute: Some(TemplateAttribute::new(vec![attr(
                    AttributeValue::CryptographicUsageMask(CryptographicUsageMask::VERIFY),
                )])),
                common_attributes: None,
                private_key_attributes: None,
                public_key_attributes: None,
                common_protection_storage_masks: None,
                private_protection_storage_masks: None,
                public_protection_storage_masks: None,
            },
        )))
        .await;
    let ResponsePayload::CreateKeyPair(pair) = response else {
        panic!("{response:?}")
    };
    let private = text(&pair.private_key_unique_identifier);
    let public = text(&pair.public_key_unique_identifier);
    assert_eq!(
        h.ctx.id_placeholder.as_ref().map(ObjectId::as_str),
        Some(private.as_str())
    );
    for id in [&private, &public] {
        h.ok(RequestPayload::Activate(Box::new(by_id(id)))).await;
    }
    let response = h
        .ok(RequestPayload::Sign(Box::new(SignRequest {
            unique_identifier: Some(uid(&private)),
            cryptographic_parameters: None,
            data: Some(SecretBytes::new(b"message".to_vec())),
            digested_data: None,
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
        })))
        .await;
    let ResponsePayload::Sign(s) = response else {
        panic!("{response:?}")
    };
    let signature = s.signature_data.unwrap();
    let verify = |data: &[u8]| {
        RequestPayload::SignatureVerify(Box::new(SignatureVerifyRequest {
            unique_identifier: Some(uid(&public)),
            cryptographic_parameters: None,
            data: Some(SecretBytes::new(data.to_vec())),
            digested_data: None,
            signature_data: Some(signature.clone()),
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
        }))
    };
    for (data, expected) in [
        (&b"message"[..], ValidityIndicator::VALID),
        (&b"messagf"[..], ValidityIndicator::INVALID),
    ] {
        let response = h.ok(verify(data)).await;
        let ResponsePayload::SignatureVerify(v) = response else {
            panic!("{response:?}")
        };
        assert_eq!(v.validity_indicator, Some(expected));
    }
}

#[tokio::test]
async fn registered_key_comes_back_byte_identical() {
    let mut h = harness();
    let key = |b| kms_store::material::aes_key_object(AesKey::from_slice(&[b; 32]).unwrap());
    let response = h
        .ok(RequestPayload::Register(Box::new(RegisterRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute::new(vec![attr(
                AttributeValue::CryptographicUsageMask(CryptographicUsageMask::ENCRYPT),
            )])),
            attributes: None,
            object: key(0x2a),
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Register(r) = response else {
        panic!("{response:?}")
    };
    let id = text(&r.unique_identifier);
    // Get without a Unique Identifier: the ID Placeholder Register set.
    let response = h.ok(get(None)).await;
    let ResponsePayload::Get(g) = response else {
        panic!("{response:?}")
    };
    assert_eq!(text(&g.unique_identifier), id);
    assert_eq!(g.object, key(0x2a));
}

#[tokio::test]
async fn locate_by_name_state_and_type() {
    let mut h = harness();
    let a = h.create_aes(Some("alpha")).await;
    let b = h.create_aes(Some("beta")).await;
    h.ok(RequestPayload::Activate(Box::new(by_id(&b)))).await;
    let locate = |attributes: Vec<Attribute>| {
        RequestPayload::Locate(Box::new(LocateRequest {
            maximum_items: None,
            offset_items: None,
            storage_status_mask: None,
            object_group_member: None,
            attribute: attributes,
            attributes: None,
        }))
    };
    let found = |r: ResponsePayload| match r {
        ResponsePayload::Locate(l) => l.unique_identifiers.iter().map(text).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    let by_name = h
        .ok(locate(vec![attr(AttributeValue::Name(Name::text(
            "alpha",
        )))]))
        .await;
    assert_eq!(found(by_name), vec![a.clone()]);
    assert_eq!(
        h.ctx.id_placeholder.as_ref().map(ObjectId::as_str),
        Some(a.as_str())
    );
    let by_state = h
        .ok(locate(vec![attr(AttributeValue::State(State::ACTIVE))]))
        .await;
    assert_eq!(found(by_state), vec![b.clone()]);
    let by_type = h
        .ok(locate(vec![attr(AttributeValue::ObjectType(
            ObjectType::SYMMETRIC_KEY,
        ))]))
        .await;
    let ResponsePayload::Locate(l) = by_type else {
        panic!()
    };
    assert_eq!(l.located_items, None);
    assert_eq!(
        l.unique_identifiers.iter().map(text).collect::<Vec<_>>(),
        vec![a, b]
    );
    let none = h
        .ok(locate(vec![attr(AttributeValue::ObjectType(
            ObjectType::PRIVATE_KEY,
        ))]))
        .await;
    assert!(found(none).is_empty());
}

#[tokio::test]
async fn attributes_are_added_modified_and_deleted_with_indexes() {
    let mut h = harness();
    let id = h.create_aes(Some("first")).await;
    let response = h
        .ok(RequestPayload::AddAttribute(Box::new(
            AddAttributeRequest {
                unique_identifier: Some(uid(&id)),
                attribute: Some(attr(AttributeValue::Name(Name::text("second")))),
                new_attribute: None,
            },
        )))
        .await;
    let ResponsePayload::AddAttribute(added) = response else {
        panic!("{response:?}")
    };
    assert_eq!(added.attribute.as_ref().and_then(|a| a.index), Some(1));

    let names = h.attributes(&id, &["Name"]).await;
    // Index 0 is left out in KMIP 1.x, as the OASIS test cases expect; 1 is written.
    assert_eq!(
        names.iter().map(|a| a.index).collect::<Vec<_>>(),
        vec![None, Some(1)]
    );

    let response = h
        .ok(RequestPayload::ModifyAttribute(Box::new(
            ModifyAttributeRequest {
                unique_identifier: Some(uid(&id)),
                attribute: Some(Attribute {
                    index: Some(1),
                    value: AttributeValue::Name(Name::text("renamed")),
                }),
                current_attribute: None,
                new_attribute: None,
            },
        )))
        .await;
    let ResponsePayload::ModifyAttribute(modified) = response else {
        panic!("{response:?}")
    };
    assert_eq!(
        modified.attribute.map(|a| a.value),
        Some(AttributeValue::Name(Name::text("renamed")))
    );

    let delete = |index| {
        RequestPayload::DeleteAttribute(Box::new(DeleteAttributeRequest {
            unique_identifier: Some(uid(&id)),
            attribute_name: Some("Name".to_owned()),
            attribute_index: index,
            current_attribute: None,
            attribute_reference: None,
        }))
    };
    h.ok(delete(Some(1))).await;
    let names = h.attributes(&id, &["Name"]).await;
    assert_eq!(names.len(), 1);
    assert_eq!(
        h.reason(delete(Some(7))).await,
        ResultReason::INDEX_OUT_OF_BOUNDS
    );
    // Server-set attributes are not the client's to change.
    assert_eq!(
        h.reason(RequestPayload::ModifyAttribute(Box::new(
            ModifyAttributeRequest {
                unique_identifier: Some(uid(&id)),
                attribute: Some(attr(AttributeValue::State(State::ACTIVE))),
                current_attribute: None,
                new_attribute: None,
            }
        )))
        .await,
        ResultReason::PERMISSION_DENIED
    );
}

#[tokio::test]
async fn get_attributes_answers_in_request_order() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    let names = ["State", "Cryptographic Length", "Object Type"];
    let got = h.attributes(&id, &names).await;
    assert_eq!(got.iter().map(Attribute::name).collect::<Vec<_>>(), names);
}

#[tokio::test]
async fn id_placeholder_chains_a_batch() {
    let mut h = harness();
    // Nothing created yet: no placeholder.
    assert_eq!(
        h.reason(RequestPayload::Activate(Box::new(IdRequest {
            unique_identifier: None
        })))
        .await,
        ResultReason::MISSING_DATA
    );
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::Activate(Box::new(IdRequest {
        unique_identifier: None,
    })))
    .await;
    let response = h.ok(get(None)).await;
    let ResponsePayload::Get(g) = response else {
        panic!("{response:?}")
    };
    assert_eq!(text(&g.unique_identifier), id);
    assert_eq!(h.state(&id).await, State::ACTIVE);
}

#[tokio::test]
async fn another_owners_object_is_not_found() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ctx = context("mallory");
    assert_eq!(h.reason(get(Some(&id))).await, ResultReason::ITEM_NOT_FOUND);
    assert_eq!(
        h.reason(RequestPayload::Destroy(Box::new(by_id(&id))))
            .await,
        ResultReason::ITEM_NOT_FOUND
    );
    assert_eq!(
        h.reason(RequestPayload::GetAttributes(Box::new(
            GetAttributesRequest {
                unique_identifier: Some(uid(&id)),
                attribute_names: Vec::new(),
                attribute_references: Vec::new(),
            }
        )))
        .await,
        ResultReason::ITEM_NOT_FOUND
    );
}

#[tokio::test]
async fn unimplemented_operation_is_not_supported() {
    let mut h = harness();
    let reason = h
        .reason(RequestPayload::Cancel(Box::new(CancelRequest {
            asynchronous_correlation_value: vec![1],
        })))
        .await;
    assert_eq!(reason, ResultReason::OPERATION_NOT_SUPPORTED);
    assert!(!IMPLEMENTED.contains(&Operation::CANCEL));
    assert!(IMPLEMENTED.contains(&Operation::CHECK));
    assert!(IMPLEMENTED.contains(&Operation::QUERY));
    assert!(IMPLEMENTED.contains(&Operation::DISCOVER_VERSIONS));
}

#[tokio::test]
async fn create_refuses_other_object_types_and_unknown_template_names() {
    let mut h = harness();
    let reason = h
        .reason(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::CERTIFICATE,
            template_attribute: Some(TemplateAttribute::default()),
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    assert_eq!(reason, ResultReason::INVALID_FIELD);
    let reason = h
        .reason(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute {
                names: vec![Name::text("no such template")],
                attributes: Vec::new(),
            }),
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    assert_eq!(reason, ResultReason::ITEM_NOT_FOUND);
}

#[tokio::test]
async fn rng_retrieve_and_hash() {
    let mut h = harness();
    let response = h
        .ok(RequestPayload::RngRetrieve(Box::new(RngRetrieveRequest {
            data_length: 32,
        })))
        .await;
    let ResponsePayload::RngRetrieve(r) = response else {
        panic!("{response:?}")
    };
    assert_eq!(r.data.expose().len(), 32);
    let response = h
        .ok(RequestPayload::Hash(Box::new(HashRequest {
            cryptographic_parameters: CryptographicParameters {
                hashing_algorithm: Some(kmip_types::HashingAlgorithm::SHA_256),
                ..CryptographicParameters::default()
            },
            data: Some(SecretBytes::new(b"abc".to_vec())),
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
        })))
        .await;
    let ResponsePayload::Hash(d) = response else {
        panic!("{response:?}")
    };
    let digest = d.data.unwrap();
    assert_eq!(digest.first(), Some(&0xba));
    assert_eq!(digest.len(), 32);
}

fn locate_page(
    attributes: Vec<Attribute>,
    max: Option<i32>,
    offset: Option<i32>,
) -> RequestPayload {
    RequestPayload::Locate(Box::new(LocateRequest {
        maximum_items: max,
        offset_items: offset,
        storage_status_mask: None,
        object_group_member: None,
        attribute: attributes,
        attributes: None,
    }))
}

#[tokio::test]
async fn locate_pages_with_offset_and_reports_located_items() {
    let mut h = harness();
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(h.create_aes(None).await);
    }
    let keys = || vec![attr(AttributeValue::ObjectType(ObjectType::SYMMETRIC_KEY))];
    for (offset, max, expected, located) in [
        (1, Some(1), vec![ids[1].clone()], 3),
        (2, None, vec![ids[2].clone()], 3),
        (0, Some(2), ids[..2].to_vec(), 3),
        (5, Some(1), Vec::new(), 3),
    ] {
        let response = h.ok(locate_page(keys(), max, Some(offset))).await;
        let ResponsePayload::Locate(l) = response else {
            panic!("{response:?}")
        };
        assert_eq!(
            l.unique_identifiers.iter().map(text).collect::<Vec<_>>(),
            expected
        );
        assert_eq!(l.located_items, Some(located), "offset {offset}");
    }
    assert_eq!(
        h.reason(locate_page(keys(), Some(-1), None)).await,
        ResultReason::INVALID_FIELD
    );
}

#[tokio::test]
async fn archived_objects_are_located_by_storage_status_mask_and_recovered() {
    let mut h = harness();
    let id = h.create_aes(Some("old")).await;
    h.ok(RequestPayload::Archive(Box::new(by_id(&id)))).await;
    assert_eq!(
        h.reason(get(Some(&id))).await,
        ResultReason::OBJECT_ARCHIVED
    );
    let name = || vec![attr(AttributeValue::Name(Name::text("old")))];
    let with_mask = |mask| {
        RequestPayload::Locate(Box::new(LocateRequest {
            maximum_items: None,
            offset_items: None,
            storage_status_mask: mask,
            object_group_member: None,
            attribute: name(),
            attributes: None,
        }))
    };
    let found = |r: ResponsePayload| match r {
        ResponsePayload::Locate(l) => l.unique_identifiers.len(),
        other => panic!("{other:?}"),
    };
    assert_eq!(found(h.ok(with_mask(None)).await), 0);
    let archived = Some(kmip_types::StorageStatusMask::ARCHIVAL_STORAGE);
    assert_eq!(found(h.ok(with_mask(archived)).await), 1);
    h.ok(RequestPayload::Recover(Box::new(by_id(&id)))).await;
    assert_eq!(found(h.ok(with_mask(None)).await), 1);
    h.ok(get(Some(&id))).await;
}

#[tokio::test]
async fn rekey_makes_a_linked_replacement_and_moves_the_name() {
    let mut h = harness();
    let old = h.create_aes(Some("rotating")).await;
    h.ok(RequestPayload::Activate(Box::new(by_id(&old)))).await;
    let response = h
        .ok(RequestPayload::ReKey(Box::new(ReKeyRequest {
            unique_identifier: None,
            offset: None,
            template_attribute: None,
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::ReKey(r) = response else {
        panic!("{response:?}")
    };
    let new = text(&r.unique_identifier);
    assert_ne!(new, old);
    assert_eq!(
        h.ctx.id_placeholder.as_ref().map(ObjectId::as_str),
        Some(new.as_str())
    );
    let names = h.attributes(&new, &["Name"]).await;
    assert_eq!(
        names.first().map(|a| &a.value),
        Some(&AttributeValue::Name(Name::text("rotating")))
    );
    assert!(h.attributes(&old, &["Name"]).await.is_empty());
    let links = h.attributes(&old, &["Link"]).await;
    assert!(links.iter().any(|l| matches!(&l.value,
        AttributeValue::Link(link) if link.linked_object_identifier.as_text() == Some(new.as_str()))));
}

#[tokio::test]
async fn mac_lease_usage_allocation_and_attribute_list() {
    let mut h = harness();
    let response = h
        .ok(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute::new(vec![
                attr(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::HMACSHA256,
                )),
                attr(AttributeValue::CryptographicLength(256)),
                attr(AttributeValue::CryptographicUsageMask(
                    CryptographicUsageMask::MAC_GENERATE | CryptographicUsageMask::MAC_VERIFY,
                )),
            ])),
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Create(c) = response else {
        panic!("{response:?}")
    };
    let id = text(&c.unique_identifier);
    h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
    let response = h
        .ok(RequestPayload::Mac(Box::new(MacRequest {
            unique_identifier: None,
            cryptographic_parameters: None,
            data: Some(SecretBytes::new(b"data".to_vec())),
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
        })))
        .await;
    let ResponsePayload::Mac(m) = response else {
        panic!("{response:?}")
    };
    let mac = m.mac_data.unwrap();
    for (data, expected) in [
        (&b"data"[..], ValidityIndicator::VALID),
        (&b"date"[..], ValidityIndicator::INVALID),
    ] {
        let response = h
            .ok(RequestPayload::MacVerify(Box::new(MacVerifyRequest {
                unique_identifier: None,
                cryptographic_parameters: None,
                data: Some(SecretBytes::new(data.to_vec())),
                mac_data: Some(mac.clone()),
                correlation_value: None,
                init_indicator: None,
                final_indicator: None,
            })))
            .await;
        let ResponsePayload::MacVerify(v) = response else {
            panic!("{response:?}")
        };
        assert_eq!(v.validity_indicator, Some(expected));
    }
    // Streamed in two parts, the MAC is the same.
    let mac_part = |data: &[u8], correlation: Option<Vec<u8>>| {
        RequestPayload::Mac(Box::new(MacRequest {
            unique_identifier: None,
            cryptographic_parameters: None,
            data: Some(SecretBytes::new(data.to_vec())),
            init_indicator: correlation.is_none().then_some(true),
            final_indicator: correlation.is_some().then_some(true),
            correlation_value: correlation,
        }))
    };
    let response = h.ok(mac_part(b"da", None)).await;
    let ResponsePayload::Mac(first) = response else {
        panic!("{response:?}")
    };
    assert_eq!(first.mac_data, None);
    let response = h.ok(mac_part(b"ta", first.correlation_value)).await;
    let ResponsePayload::Mac(last) = response else {
        panic!("{response:?}")
    };
    assert_eq!(last.mac_data, Some(mac));

    let response = h
        .ok(RequestPayload::ObtainLease(Box::new(by_id(&id))))
        .await;
    let ResponsePayload::ObtainLease(l) = response else {
        panic!("{response:?}")
    };
    assert_eq!(l.lease_time.0, StoreConfig::default().lease_seconds);
    h.ok(RequestPayload::GetUsageAllocation(Box::new(
        GetUsageAllocationRequest {
            unique_identifier: Some(uid(&id)),
            usage_limits_count: 10,
        },
    )))
    .await;

    let response = h
        .ok(RequestPayload::GetAttributeList(Box::new(by_id(&id))))
        .await;
    let ResponsePayload::GetAttributeList(list) = response else {
        panic!("{response:?}")
    };
    for name in [
        "Unique Identifier",
        "Object Type",
        "State",
        "Cryptographic Algorithm",
    ] {
        assert!(list.attribute_names.iter().any(|n| n == name), "{name}");
    }
}

#[tokio::test]
async fn get_refuses_compressed_keys() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    let reason = h
        .reason(RequestPayload::Get(Box::new(GetRequest {
            unique_identifier: Some(uid(&id)),
            key_format_type: None,
            key_wrap_type: None,
            key_compression_type: Some(
                kmip_types::KeyCompressionType::EC_PUBLIC_KEY_TYPE_X9_62_COMPRESSED_PRIME,
            ),
            key_wrapping_specification: None,
        })))
        .await;
    assert_eq!(reason, ResultReason::KEY_COMPRESSION_TYPE_NOT_SUPPORTED);
    let response = h
        .ok(RequestPayload::Get(Box::new(GetRequest {
            unique_identifier: Some(uid(&id)),
            key_format_type: Some(kmip_types::KeyFormatType::RAW),
            key_wrap_type: None,
            key_compression_type: None,
            key_wrapping_specification: None,
        })))
        .await;
    let ResponsePayload::Get(g) = response else {
        panic!("{response:?}")
    };
    assert_eq!(
        g.object.key_block().map(|b| b.key_format_type),
        Some(kmip_types::KeyFormatType::RAW)
    );
}

#[tokio::test]
async fn answers_are_written_in_older_versions() {
    let mut h = harness();
    for version in [KmipVersion::V1_0, KmipVersion::V1_2] {
        h.ctx.version = version;
        let id = h.create_aes(Some("v")).await;
        h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
        assert!(!h.attributes(&id, &[]).await.is_empty());
        h.ok(RequestPayload::GetAttributeList(Box::new(by_id(&id))))
            .await;
        h.ok(locate_page(
            vec![attr(AttributeValue::Name(Name::text("v")))],
            None,
            None,
        ))
        .await;
    }
}

/// One object of each KMIP 1.x Object Type, as a client would register it.
fn every_object_type() -> Vec<kmip_types::Object> {
    use kmip_types::objects::{
        Certificate, KeyBlock, OpaqueObject, PgpKey, SecretData, SplitKey, Template,
    };
    use kmip_types::{
        CertificateType, KeyFormatType, KeyMaterial, Object, OpaqueDataType, SecretDataType,
        SplitKeyMethod,
    };
    let block = |format, bytes: &[u8], alg, len| {
        KeyBlock::new(
            format,
            KeyMaterial::Bytes(SecretBytes::new(bytes.to_vec())),
            alg,
            len,
        )
    };
    let (private, public) = kms_store::material::generate_key_pair(
        CryptographicAlgorithm::EC,
        None,
        Some(RecommendedCurve::P_256),
    )
    .unwrap();
    vec![
        Object::Certificate(Certificate {
            certificate_type: CertificateType::X_509,
            certificate_value: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        }),
        kms_store::material::aes_key_object(AesKey::from_slice(&[7; 16]).unwrap()),
        public,
        private,
        Object::SplitKey(SplitKey {
            split_key_parts: 3,
            key_part_identifier: 1,
            split_key_threshold: 2,
            split_key_method: SplitKeyMethod::XOR,
            prime_field_size: None,
            key_block: block(
                KeyFormatType::RAW,
                &[9; 16],
                Some(CryptographicAlgorithm::AES),
                Some(128),
            ),
        }),
        Object::Template(Template {
            attributes: vec![attr(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::AES,
            ))],
        }),
        Object::SecretData(SecretData {
            secret_data_type: SecretDataType::PASSWORD,
            key_block: block(KeyFormatType::OPAQUE, b"correct horse", None, None),
        }),
        Object::OpaqueObject(OpaqueObject {
            opaque_data_type: OpaqueDataType(0x8000_0001),
            opaque_data_value: SecretBytes::new(b"opaque bytes".to_vec()),
        }),
        Object::PgpKey(PgpKey {
            pgp_key_version: 4,
            key_block: block(KeyFormatType::OPAQUE, &[0x99, 0x00, 0x0d, 0x04], None, None),
        }),
    ]
}

#[tokio::test]
async fn every_object_type_registers_and_comes_back_byte_identical() {
    let mut h = harness();
    let objects = every_object_type();
    assert_eq!(objects.len(), 9, "the nine KMIP 1.x Object Types");
    for object in objects {
        let object_type = object.object_type();
        let request_item = object.to_item(KmipVersion::V1_4).unwrap();
        let response = h
            .run(RequestPayload::Register(Box::new(RegisterRequest {
                object_type,
                template_attribute: Some(TemplateAttribute::new(vec![attr(AttributeValue::Name(
                    Name::text(format!("{object_type:?}")),
                ))])),
                attributes: None,
                object: object.duplicate(),
                protection_storage_masks: None,
            })))
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => panic!("Register {object_type:?}: {e}"),
        };
        let ResponsePayload::Register(r) = response else {
            panic!("{response:?}")
        };
        let id = text(&r.unique_identifier);
        let response = match h.run(get(Some(&id))).await {
            Ok(r) => r,
            Err(e) => panic!("Get {object_type:?}: {e}"),
        };
        let ResponsePayload::Get(g) = response else {
            panic!("{response:?}")
        };
        assert_eq!(g.object_type, object_type);
        assert_eq!(g.object, object, "{object_type:?}");
        // Byte-identical on the wire too.
        assert_eq!(
            g.object
                .to_item(KmipVersion::V1_4)
                .unwrap()
                .to_bytes()
                .unwrap(),
            request_item.to_bytes().unwrap(),
            "{object_type:?}"
        );
    }
}

fn check(
    id: Option<&str>,
    count: Option<i64>,
    mask: Option<CryptographicUsageMask>,
    lease: Option<u32>,
) -> RequestPayload {
    RequestPayload::Check(Box::new(CheckRequest {
        unique_identifier: id.map(uid),
        usage_limits_count: count,
        cryptographic_usage_mask: mask,
        lease_time: lease.map(kmip_types::Interval),
    }))
}

#[tokio::test]
async fn check_answers_the_id_when_every_intended_use_is_allowed() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::AddAttribute(Box::new(
        AddAttributeRequest {
            unique_identifier: Some(uid(&id)),
            attribute: Some(attr(AttributeValue::UsageLimits(
                kmip_types::attributes::UsageLimits {
                    usage_limits_total: 100,
                    usage_limits_count: None,
                    usage_limits_unit: kmip_types::UsageLimitsUnit::OBJECT,
                },
            ))),
            new_attribute: None,
        },
    )))
    .await;
    let lease = StoreConfig::default().lease_seconds;
    // Nothing asked, and everything within bounds.
    for request in [
        check(Some(&id), None, None, None),
        check(
            Some(&id),
            Some(100),
            Some(CryptographicUsageMask::ENCRYPT),
            Some(lease),
        ),
    ] {
        let response = h.ok(request).await;
        let ResponsePayload::Check(c) = response else {
            panic!("{response:?}")
        };
        assert_eq!(text(&c.unique_identifier), id);
        assert_eq!(c.usage_limits_count, None);
        assert_eq!(
            h.ctx.id_placeholder.as_ref().map(ObjectId::as_str),
            Some(&*id)
        );
    }
    // Check reserves nothing: the whole allowance is still there.
    h.ok(RequestPayload::GetUsageAllocation(Box::new(
        GetUsageAllocationRequest {
            unique_identifier: Some(uid(&id)),
            usage_limits_count: 100,
        },
    )))
    .await;
    h.ok(check(None, Some(0), None, None)).await;
}

#[tokio::test]
async fn check_refuses_uses_beyond_the_object_and_empties_the_placeholder() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::AddAttribute(Box::new(
        AddAttributeRequest {
            unique_identifier: Some(uid(&id)),
            attribute: Some(attr(AttributeValue::UsageLimits(
                kmip_types::attributes::UsageLimits {
                    usage_limits_total: 5,
                    usage_limits_count: None,
                    usage_limits_unit: kmip_types::UsageLimitsUnit::OBJECT,
                },
            ))),
            new_attribute: None,
        },
    )))
    .await;
    let lease = StoreConfig::default().lease_seconds;
    let cases = [
        (check(Some(&id), Some(6), None, None), "Usage Limits Count"),
        (
            check(Some(&id), None, Some(CryptographicUsageMask::SIGN), None),
            "Cryptographic Usage Mask",
        ),
        (check(Some(&id), None, None, Some(lease + 1)), "Lease Time"),
    ];
    for (request, field) in cases {
        h.ctx.id_placeholder = Some(ObjectId::parse(&id).unwrap());
        let e = h.run(request).await.unwrap_err();
        assert_eq!(e.reason, ResultReason::PERMISSION_DENIED, "{field}");
        assert!(e.message.contains(field), "{field}: {}", e.message);
        assert_eq!(h.ctx.id_placeholder, None, "{field}");
    }
    // A key without Usage Limits has no count to exceed; without a usage mask, no use
    // is allowed.
    let unlimited = h.create_aes(None).await;
    h.ok(check(Some(&unlimited), Some(i64::MAX), None, None))
        .await;
    let response = h
        .ok(RequestPayload::Register(Box::new(RegisterRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: None,
            attributes: None,
            object: kms_store::material::aes_key_object(AesKey::from_slice(&[3; 16]).unwrap()),
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Register(r) = response else {
        panic!("{response:?}")
    };
    let other = text(&r.unique_identifier);
    assert_eq!(
        h.reason(check(
            Some(&other),
            None,
            Some(CryptographicUsageMask::ENCRYPT),
            None
        ))
        .await,
        ResultReason::PERMISSION_DENIED
    );
    // Another owner's key is not found; an archived one is Object Archived.
    h.ok(RequestPayload::Archive(Box::new(by_id(&id)))).await;
    assert_eq!(
        h.reason(check(Some(&id), None, None, None)).await,
        ResultReason::OBJECT_ARCHIVED
    );
    h.ctx = context("bob");
    assert_eq!(
        h.reason(check(Some(&other), None, None, None)).await,
        ResultReason::ITEM_NOT_FOUND
    );
}

fn query(functions: &[kmip_types::QueryFunction]) -> RequestPayload {
    RequestPayload::Query(Box::new(QueryRequest {
        query_functions: functions.to_vec(),
    }))
}

#[tokio::test]
async fn query_reports_objects_capabilities_profiles_and_rngs_by_version() {
    use kmip_types::QueryFunction as F;
    let all = [
        F::QUERY_OPERATIONS,
        F::QUERY_OBJECTS,
        F::QUERY_CAPABILITIES,
        F::QUERY_PROFILES,
        F::QUERY_RN_GS,
        F::QUERY_VALIDATIONS,
        F::QUERY_CLIENT_REGISTRATION_METHODS,
    ];
    let mut h = harness();
    let response = h.ok(query(&all)).await;
    let ResponsePayload::Query(q) = response else {
        panic!("{response:?}")
    };
    assert!(q.operations.contains(&Operation::CHECK));
    assert_eq!(q.object_types.len(), 9);
    let capabilities = &q.capability_information[0];
    assert_eq!(capabilities.batch_undo_capability, Some(false));
    assert_eq!(
        capabilities.destroy_action,
        Some(kmip_types::DestroyAction::KEY_MATERIAL_DELETED)
    );
    assert_eq!(
        q.rng_parameters[0].rng_algorithm,
        kmip_types::RNGAlgorithm::UNSPECIFIED
    );
    let profiles: Vec<_> = q
        .profile_information
        .iter()
        .map(|p| p.profile_name)
        .collect();
    assert!(profiles.contains(&kmip_types::ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_4));
    assert!(!profiles.contains(&kmip_types::ProfileName::TAPE_LIBRARY_SERVER_KMIPV1_4));
    assert!(q.validation_information.is_empty());
    assert!(q.client_registration_methods.is_empty());

    // KMIP 1.3 cannot name a 1.4 profile; 1.2 has none of these functions, nor PGP
    // Keys before 1.2.
    h.ctx.version = KmipVersion::V1_3;
    let response = h.ok(query(&all)).await;
    let ResponsePayload::Query(q) = response else {
        panic!("{response:?}")
    };
    assert!(!q.profile_information.is_empty());
    assert!(
        q.profile_information
            .iter()
            .all(|p| { p.profile_name.info().unwrap().since <= KmipVersion::V1_3 })
    );
    assert_eq!(q.capability_information[0].batch_undo_capability, None);
    h.ctx.version = KmipVersion::V1_2;
    let response = h.ok(query(&all)).await;
    let ResponsePayload::Query(q) = response else {
        panic!("{response:?}")
    };
    assert!(q.profile_information.is_empty() && q.rng_parameters.is_empty());
    assert!(q.capability_information.is_empty());
    assert!(q.object_types.contains(&ObjectType::PGP_KEY));
    h.ctx.version = KmipVersion::V1_1;
    let response = h.ok(query(&[F::QUERY_OBJECTS])).await;
    let ResponsePayload::Query(q) = response else {
        panic!("{response:?}")
    };
    assert!(!q.object_types.contains(&ObjectType::PGP_KEY));
}

/// A claimed profile is a conformance statement: each must have its mandatory test
/// cases in the corpus, and none of them may be expected to fail (the conformance test
/// fails on any file that fails and is not in the skip list).
#[test]
fn every_claimed_profile_passes_its_whole_mandatory_test_set() {
    let Some(corpus) = kmip_vectors::corpus_dir_or_skip("profile claims") else {
        return;
    };
    let skips = kmip_vectors::skip_list(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-skip.txt"),
    );
    assert!(!PROFILES.is_empty());
    for claim in PROFILES {
        let files: Vec<String> = kmip_vectors::xml_files(&corpus.join(claim.folder))
            .unwrap()
            .into_iter()
            .filter(|f| f.starts_with(claim.family) && f.ends_with(claim.suffix))
            .collect();
        assert!(!files.is_empty(), "{:?}: no test cases", claim.name);
        for file in files {
            let path = format!("{}/{file}", claim.folder);
            assert!(
                !skips.contains_key(&path),
                "{:?} is claimed but {path} is expected to fail",
                claim.name
            );
        }
    }
}

impl Harness {
    async fn register_template(&mut self, name: &str, attributes: Vec<Attribute>) -> String {
        let response = self
            .ok(RequestPayload::Register(Box::new(RegisterRequest {
                object_type: ObjectType::TEMPLATE,
                template_attribute: Some(TemplateAttribute::new(vec![attr(AttributeValue::Name(
                    Name::text(name),
                ))])),
                attributes: None,
                object: kmip_types::Object::Template(kmip_types::objects::Template { attributes }),
                protection_storage_masks: None,
            })))
            .await;
        let ResponsePayload::Register(r) = response else {
            panic!("{response:?}")
        };
        text(&r.unique_identifier)
    }
}

fn custom(name: &str, value: &str) -> Attribute {
    attr(AttributeValue::Custom {
        name: name.to_owned(),
        value: kmip_types::Ttlv::new(
            kmip_types::Tag::ATTRIBUTE_VALUE,
            kmip_ttlv::Value::TextString(value.to_owned()),
        ),
    })
}

#[tokio::test]
async fn a_named_template_gives_its_attributes_and_the_request_wins() {
    let mut h = harness();
    h.ctx.version = KmipVersion::V1_3;
    h.register_template(
        "aes-template",
        vec![
            attr(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::AES,
            )),
            attr(AttributeValue::CryptographicLength(128)),
            attr(AttributeValue::CryptographicUsageMask(
                CryptographicUsageMask::ENCRYPT,
            )),
            attr(AttributeValue::ObjectGroup("from-template".to_owned())),
            custom("x-from-template", "t"),
        ],
    )
    .await;
    // Create from the template alone, but with a longer key and another group.
    let response = h
        .ok(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute {
                names: vec![Name::text("aes-template")],
                attributes: vec![
                    attr(AttributeValue::CryptographicLength(256)),
                    attr(AttributeValue::ObjectGroup("from-request".to_owned())),
                ],
            }),
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Create(c) = response else {
        panic!("{response:?}")
    };
    let id = text(&c.unique_identifier);
    let got = h.attributes(&id, &[]).await;
    let values: Vec<&AttributeValue> = got.iter().map(|a| &a.value).collect();
    assert!(values.contains(&&AttributeValue::CryptographicAlgorithm(
        CryptographicAlgorithm::AES
    )));
    assert!(values.contains(&&AttributeValue::CryptographicLength(256)));
    assert!(!values.contains(&&AttributeValue::CryptographicLength(128)));
    assert!(values.contains(&&AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::ENCRYPT
    )));
    assert!(values.contains(&&AttributeValue::ObjectGroup("from-request".to_owned())));
    assert!(!values.contains(&&AttributeValue::ObjectGroup("from-template".to_owned())));
    assert!(got.iter().any(|a| a.name() == "x-from-template"));
    // The template is not what the key is named after.
    assert!(!values.contains(&&AttributeValue::Name(Name::text("aes-template"))));

    // Register (SASED-M-2-13): Secret Data named by the request, grouped by the template.
    h.register_template(
        "group-template",
        vec![attr(AttributeValue::ObjectGroup("sased".to_owned()))],
    )
    .await;
    let response = h
        .ok(RequestPayload::Register(Box::new(RegisterRequest {
            object_type: ObjectType::SECRET_DATA,
            template_attribute: Some(TemplateAttribute {
                names: vec![Name::text("group-template")],
                attributes: vec![
                    attr(AttributeValue::Name(Name::text("the secret"))),
                    custom("x-own", "o"),
                ],
            }),
            attributes: None,
            object: every_object_type().remove(6),
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Register(r) = response else {
        panic!("{response:?}")
    };
    let id = text(&r.unique_identifier);
    let got = h.attributes(&id, &["Object Group", "Name", "x-own"]).await;
    let values: Vec<&AttributeValue> = got.iter().map(|a| &a.value).collect();
    assert!(values.contains(&&AttributeValue::ObjectGroup("sased".to_owned())));
    assert!(values.contains(&&AttributeValue::Name(Name::text("the secret"))));
    assert_eq!(got.len(), 3, "{got:?}");

    // Another owner cannot use alice's template.
    h.ctx = context("bob");
    h.ctx.version = KmipVersion::V1_3;
    let reason = h
        .reason(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute {
                names: vec![Name::text("aes-template")],
                attributes: Vec::new(),
            }),
            attributes: None,
            protection_storage_masks: None,
        })))
        .await;
    assert_eq!(reason, ResultReason::ITEM_NOT_FOUND);
}

/// The names Get Attribute List and Get Attributes give a client speaking `version`.
async fn names_seen(h: &mut Harness, id: &str, version: KmipVersion) -> (Vec<String>, Vec<String>) {
    h.ctx.version = version;
    let response = h
        .ok(RequestPayload::GetAttributeList(Box::new(by_id(id))))
        .await;
    let ResponsePayload::GetAttributeList(list) = response else {
        panic!("{response:?}")
    };
    let values = h
        .attributes(id, &[])
        .await
        .iter()
        .map(Attribute::name)
        .collect();
    h.ctx.version = KmipVersion::V1_4;
    (list.attribute_names, values)
}

#[tokio::test]
async fn server_set_attributes_show_only_in_versions_that_define_them() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    // (attribute, the first version that defines it)
    let server_set = [
        ("Fresh", KmipVersion::V1_1),
        ("Original Creation Date", KmipVersion::V1_2),
        ("Sensitive", KmipVersion::V1_4),
        ("Extractable", KmipVersion::V1_4),
        ("Never Extractable", KmipVersion::V1_4),
    ];
    for version in [
        KmipVersion::V1_0,
        KmipVersion::V1_1,
        KmipVersion::V1_2,
        KmipVersion::V1_3,
        KmipVersion::V1_4,
    ] {
        let (list, values) = names_seen(&mut h, &id, version).await;
        for (name, since) in server_set {
            let expected = version >= since;
            assert_eq!(
                list.iter().any(|n| n == name),
                expected,
                "{name} listed in {version:?}"
            );
            assert_eq!(
                values.iter().any(|n| n == name),
                expected,
                "{name} given in {version:?}"
            );
        }
    }
}

/// Random Number Generator (KMIP 1.4 §3.44) names the generator of keys the server
/// made, the same one Query's RNG Parameters name; a registered key came from elsewhere.
#[tokio::test]
async fn generated_keys_name_the_server_generator_registered_ones_do_not() {
    let mut h = harness();
    let rng = |attributes: Vec<Attribute>| {
        attributes.into_iter().find_map(|a| match a.value {
            AttributeValue::RandomNumberGenerator(r) => Some(r),
            _ => None,
        })
    };
    let created = h.create_aes(None).await;
    assert_eq!(
        rng(h.attributes(&created, &[]).await),
        Some(kms_store::material::server_rng())
    );
    let response = h
        .ok(RequestPayload::Register(Box::new(RegisterRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: None,
            attributes: None,
            object: kms_store::material::aes_key_object(AesKey::from_slice(&[7; 32]).unwrap()),
            protection_storage_masks: None,
        })))
        .await;
    let ResponsePayload::Register(r) = response else {
        panic!("{response:?}")
    };
    assert_eq!(
        rng(h.attributes(&text(&r.unique_identifier), &[]).await),
        None
    );
}

fn cbc_pkcs5() -> CryptographicParameters {
    CryptographicParameters {
        block_cipher_mode: Some(BlockCipherMode::CBC),
        padding_method: Some(kmip_types::PaddingMethod::PKCS5),
        ..CryptographicParameters::default()
    }
}

/// One part of a streamed Encrypt: the first when `correlation` is `None`.
fn encrypt_part(id: &str, data: &[u8], correlation: Option<&[u8]>, last: bool) -> RequestPayload {
    let init = correlation.is_none();
    RequestPayload::Encrypt(Box::new(EncryptRequest {
        unique_identifier: Some(uid(id)),
        cryptographic_parameters: init.then(cbc_pkcs5),
        data: Some(SecretBytes::new(data.to_vec())),
        iv_counter_nonce: init.then(|| vec![7; 16]),
        correlation_value: correlation.map(<[u8]>::to_vec),
        init_indicator: init.then_some(true),
        final_indicator: last.then_some(true),
        authenticated_encryption_additional_data: None,
    }))
}

/// One part of a streamed Hash (SHA-256).
fn hash_part(data: &[u8], correlation: Option<&[u8]>, last: bool) -> RequestPayload {
    RequestPayload::Hash(Box::new(HashRequest {
        cryptographic_parameters: CryptographicParameters {
            hashing_algorithm: Some(kmip_types::HashingAlgorithm::SHA_256),
            ..CryptographicParameters::default()
        },
        data: Some(SecretBytes::new(data.to_vec())),
        correlation_value: correlation.map(<[u8]>::to_vec),
        init_indicator: correlation.is_none().then_some(true),
        final_indicator: last.then_some(true),
    }))
}

fn encrypted(response: ResponsePayload) -> EncryptResponse {
    match response {
        ResponsePayload::Encrypt(e) => *e,
        other => panic!("not an Encrypt response: {other:?}"),
    }
}

impl Harness {
    async fn active_aes(&mut self) -> String {
        let id = self.create_aes(None).await;
        self.ok(RequestPayload::Activate(Box::new(by_id(&id))))
            .await;
        id
    }

    /// Opens a SHA-256 stream and returns its Correlation Value.
    async fn open_hash(&mut self, data: &[u8]) -> Result<Vec<u8>, ResultReason> {
        match self.run(hash_part(data, None, false)).await {
            Ok(ResponsePayload::Hash(h)) => Ok(h.correlation_value.unwrap()),
            Ok(other) => panic!("not a Hash response: {other:?}"),
            Err(e) => Err(e.reason),
        }
    }
}

#[tokio::test]
async fn a_streamed_encrypt_equals_the_single_part_one_and_decrypts_back() {
    let mut h = harness();
    let id = h.active_aes().await;
    let data: Vec<u8> = (0..70u8).collect();
    let single = encrypted(
        h.ok(RequestPayload::Encrypt(Box::new(EncryptRequest {
            unique_identifier: Some(uid(&id)),
            cryptographic_parameters: Some(cbc_pkcs5()),
            data: Some(SecretBytes::new(data.clone())),
            iv_counter_nonce: Some(vec![7; 16]),
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
            authenticated_encryption_additional_data: None,
        })))
        .await,
    );

    let first = encrypted(h.ok(encrypt_part(&id, &data[..5], None, false)).await);
    assert_eq!(first.data, None, "5 bytes make no block yet");
    let correlation = first.correlation_value.unwrap();
    assert_eq!(correlation.len(), 16);
    let second = encrypted(
        h.ok(encrypt_part(&id, &data[5..40], Some(&correlation), false))
            .await,
    );
    assert_eq!(second.correlation_value.as_ref(), Some(&correlation));
    let last = encrypted(
        h.ok(encrypt_part(&id, &data[40..], Some(&correlation), true))
            .await,
    );
    assert_eq!(last.correlation_value, None);
    let streamed = [second.data.unwrap(), last.data.unwrap()].concat();
    assert_eq!(Some(streamed.clone()), single.data);
    assert!(h.ctx.streams.is_empty(), "the last part closes the stream");
    assert_eq!(
        h.reason(encrypt_part(&id, b"more", Some(&correlation), false))
            .await,
        ResultReason::ITEM_NOT_FOUND
    );

    // Decrypt in parts of another size; the padded last block waits for the last part.
    let decrypt_part = |data: &[u8], correlation: Option<&[u8]>, last: bool| {
        RequestPayload::Decrypt(Box::new(DecryptRequest {
            unique_identifier: Some(uid(&id)),
            cryptographic_parameters: correlation.is_none().then(cbc_pkcs5),
            data: Some(data.to_vec()),
            iv_counter_nonce: correlation.is_none().then(|| vec![7; 16]),
            correlation_value: correlation.map(<[u8]>::to_vec),
            init_indicator: correlation.is_none().then_some(true),
            final_indicator: last.then_some(true),
            authenticated_encryption_additional_data: None,
            authenticated_encryption_tag: None,
        }))
    };
    let mut plain = Vec::new();
    let response = h.ok(decrypt_part(&streamed[..32], None, false)).await;
    let ResponsePayload::Decrypt(d) = response else {
        panic!("{response:?}")
    };
    let correlation = d.correlation_value.unwrap();
    plain.extend_from_slice(d.data.unwrap().expose());
    let response = h
        .ok(decrypt_part(&streamed[32..], Some(&correlation), true))
        .await;
    let ResponsePayload::Decrypt(d) = response else {
        panic!("{response:?}")
    };
    plain.extend_from_slice(d.data.unwrap().expose());
    assert_eq!(plain, data);
}

#[tokio::test]
async fn a_stream_answers_only_its_own_client_operation_and_key() {
    let mut h = harness();
    let id = h.active_aes().await;
    let other_key = h.active_aes().await;
    let first = encrypted(h.ok(encrypt_part(&id, b"0123456789", None, false)).await);
    let correlation = first.correlation_value.unwrap();

    let alice = h.ctx.clone();
    h.ctx = OpContext {
        streams: Arc::clone(&alice.streams),
        ..context("mallory")
    };
    assert_eq!(
        h.reason(encrypt_part(&id, b"abcdef", Some(&correlation), true))
            .await,
        ResultReason::ITEM_NOT_FOUND
    );
    h.ctx = alice;
    assert_eq!(
        h.reason(encrypt_part(
            &other_key,
            b"abcdef",
            Some(&correlation),
            true
        ))
        .await,
        ResultReason::ITEM_NOT_FOUND
    );
    assert_eq!(
        h.reason(hash_part(b"abcdef", Some(&correlation), true))
            .await,
        ResultReason::ITEM_NOT_FOUND
    );
    // None of those touched the stream: its owner finishes it.
    let last = encrypted(
        h.ok(encrypt_part(&id, b"abcdef", Some(&correlation), true))
            .await,
    );
    // 16 bytes and a block of padding.
    assert_eq!(last.data.map(|d| d.len()), Some(32));
}

#[tokio::test]
async fn a_stream_start_checks_the_key_usage_mask() {
    let mut h = harness();
    let id = h.active_aes().await;
    let mac_init = RequestPayload::Mac(Box::new(MacRequest {
        unique_identifier: Some(uid(&id)),
        cryptographic_parameters: Some(CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::HMACSHA256),
            ..CryptographicParameters::default()
        }),
        data: Some(SecretBytes::new(b"part".to_vec())),
        correlation_value: None,
        init_indicator: Some(true),
        final_indicator: None,
    }));
    assert_eq!(h.reason(mac_init).await, ResultReason::PERMISSION_DENIED);
    assert!(h.ctx.streams.is_empty());
}

#[tokio::test]
async fn streams_are_capped_bounded_and_expire() {
    let mut h = harness();
    h.ctx.streams = Arc::new(Streams::new(StreamLimits {
        max_open: 3,
        max_per_identity: 2,
        max_buffered: 64,
        idle_timeout: std::time::Duration::from_millis(300),
    }));
    let streams = Arc::clone(&h.ctx.streams);
    let as_client = |name: &str| OpContext {
        streams: Arc::clone(&streams),
        ..context(name)
    };

    assert_eq!(
        h.open_hash(&[0; 65]).await,
        Err(ResultReason::INVALID_FIELD)
    );
    let a1 = h.open_hash(b"a").await.unwrap();
    h.open_hash(b"b").await.unwrap();
    assert_eq!(h.open_hash(b"c").await, Err(ResultReason::GENERAL_FAILURE));
    h.ctx = as_client("bob");
    h.open_hash(b"d").await.unwrap();
    h.ctx = as_client("carol");
    assert_eq!(h.open_hash(b"e").await, Err(ResultReason::GENERAL_FAILURE));

    h.ctx = as_client("alice");
    assert_eq!(
        h.reason(hash_part(&[0; 64], Some(&a1), false)).await,
        ResultReason::INVALID_FIELD,
        "64 more bytes overflow the stream"
    );
    // A failed part drops the stream.
    assert_eq!(
        h.reason(hash_part(b"", Some(&a1), true)).await,
        ResultReason::ITEM_NOT_FOUND
    );
    let a3 = h.open_hash(b"ab").await.unwrap();
    let response = h.ok(hash_part(b"c", Some(&a3), true)).await;
    let ResponsePayload::Hash(digest) = response else {
        panic!("{response:?}")
    };
    assert_eq!(
        digest.data.unwrap(),
        kms_crypto::hash::digest(kms_crypto::HashAlgorithm::Sha256, b"abc")
            .as_bytes()
            .to_vec()
    );

    let a4 = h.open_hash(b"x").await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(
        h.reason(hash_part(b"y", Some(&a4), true)).await,
        ResultReason::ITEM_NOT_FOUND,
        "an idle stream expires"
    );
    h.ctx = as_client("carol");
    h.open_hash(b"e").await.unwrap();
    assert_eq!(streams.len(), 1, "the expired streams were swept");
}

#[tokio::test]
async fn a_key_revoked_mid_stream_ends_the_stream() {
    let mut h = harness();
    let id = h.active_aes().await;
    let first = encrypted(h.ok(encrypt_part(&id, b"0123456789", None, false)).await);
    let correlation = first.correlation_value.unwrap();
    h.ok(revoke(
        &id,
        RevocationReasonCode::CESSATION_OF_OPERATION,
        None,
    ))
    .await;
    assert_eq!(
        h.reason(encrypt_part(&id, b"abcdef", Some(&correlation), false))
            .await,
        ResultReason::PERMISSION_DENIED
    );
    assert_eq!(
        h.reason(encrypt_part(&id, b"abcdef", Some(&correlation), true))
            .await,
        ResultReason::ITEM_NOT_FOUND,
        "the refused part dropped the stream"
    );
    assert!(h.ctx.streams.is_empty());
}

#[tokio::test]
async fn every_part_counts_against_usage_limits_in_bytes() {
    let mut h = harness();
    let id = h.create_aes(None).await;
    h.ok(RequestPayload::AddAttribute(Box::new(
        AddAttributeRequest {
            unique_identifier: Some(uid(&id)),
            attribute: Some(attr(AttributeValue::UsageLimits(
                kmip_types::attributes::UsageLimits {
                    usage_limits_total: 40,
                    usage_limits_count: None,
                    usage_limits_unit: kmip_types::UsageLimitsUnit::BYTE,
                },
            ))),
            new_attribute: None,
        },
    )))
    .await;
    h.ok(RequestPayload::Activate(Box::new(by_id(&id)))).await;
    let first = encrypted(h.ok(encrypt_part(&id, &[1; 10], None, false)).await);
    let correlation = first.correlation_value.unwrap();
    h.ok(encrypt_part(&id, &[2; 20], Some(&correlation), false))
        .await;
    assert_eq!(
        h.reason(encrypt_part(&id, &[3; 20], Some(&correlation), true))
            .await,
        ResultReason::PERMISSION_DENIED,
        "50 bytes in all exceed the limit of 40"
    );
}

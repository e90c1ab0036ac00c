//! The store conformance suite: every rule of the store, run against each backend
//! (`store_sqlite.rs`, `store_postgres.rs`). Each case gets a fresh store from the
//! backend file's `fresh()` and a clock it controls.

#![allow(dead_code)]

use std::sync::Arc;

use kmip_ttlv::{Tag, Ttlv, Value};
use kmip_types::attributes::UsageLimits;
use kmip_types::objects::OpaqueObject;
use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, CryptographicUsageMask, DateTime, Interval,
    LinkType, Name, Object, ObjectType, OpaqueDataType, RevocationReasonCode, SecretBytes, State,
    UsageLimitsUnit,
};
use kms_store::access::Operation;
use kms_store::backend::Backend;
use kms_store::clock::ManualClock;
use kms_store::lifecycle::Rules;
use kms_store::{
    AttributeSelector, CreateOptions, GetOptions, Identity, LocateRequest, ObjectId, RevokeRequest,
    Storage, Store, StoreConfig, StoreError,
};

pub const T0: i64 = 1_700_000_000;

/// Runs after a case that passed (drops a PostgreSQL schema, say).
pub type Cleanup = Box<dyn FnOnce() + Send>;

pub struct Ctx<B: Backend> {
    pub store: Store<B>,
    pub clock: Arc<ManualClock>,
    pub alice: Identity,
    pub bob: Identity,
}

pub fn alice() -> Identity {
    Identity::new("alice").unwrap()
}

pub fn aes_attrs(name: Option<&str>) -> Vec<Attribute> {
    let mut v = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::AES,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
        Attribute::new(AttributeValue::CryptographicUsageMask(
            CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
        )),
    ];
    if let Some(n) = name {
        v.push(Attribute::new(AttributeValue::Name(Name::text(n))));
    }
    v
}

impl<B: Backend + std::fmt::Debug> Ctx<B> {
    pub async fn create(&self, name: Option<&str>) -> ObjectId {
        self.store
            .create(
                &self.alice,
                ObjectType::SYMMETRIC_KEY,
                aes_attrs(name),
                CreateOptions::default(),
            )
            .await
            .unwrap()
    }

    pub async fn state(&self, id: &ObjectId) -> State {
        let attrs = self
            .store
            .get_attributes(
                &self.alice,
                id,
                &AttributeSelector {
                    names: vec!["State".into()],
                },
            )
            .await
            .unwrap();
        match attrs.first().map(|a| &a.value) {
            Some(AttributeValue::State(s)) => *s,
            other => panic!("no state: {other:?}"),
        }
    }

    pub async fn attr(&self, id: &ObjectId, name: &str) -> Vec<AttributeValue> {
        self.store
            .get_attributes(
                &self.alice,
                id,
                &AttributeSelector {
                    names: vec![name.into()],
                },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.value)
            .collect()
    }

    /// Sensitive, Always Sensitive, Extractable and Never Extractable, in that order.
    pub async fn flags(&self, id: &ObjectId) -> Vec<AttributeValue> {
        let mut out = Vec::new();
        for name in [
            "Sensitive",
            "Always Sensitive",
            "Extractable",
            "Never Extractable",
        ] {
            out.extend(self.attr(id, name).await);
        }
        out
    }

    /// The stored record's revision: it moves with every write.
    pub async fn revision(&self, id: &ObjectId) -> i64 {
        self.store
            .backend()
            .get(id)
            .await
            .unwrap()
            .unwrap()
            .revision
    }

    /// An object of alice's in `state`, reached through the operations.
    pub async fn in_state(&self, state: State) -> ObjectId {
        let id = self.create(None).await;
        let s = &self.store;
        let a = &self.alice;
        let compromise = RevokeRequest::new(RevocationReasonCode::KEY_COMPROMISE);
        match state {
            State::PRE_ACTIVE => {}
            State::ACTIVE => s.activate(a, &id, Rules::KMIP).await.unwrap(),
            State::DEACTIVATED => {
                s.activate(a, &id, Rules::KMIP).await.unwrap();
                s.revoke(
                    a,
                    &id,
                    RevokeRequest::new(RevocationReasonCode::CESSATION_OF_OPERATION),
                    Rules::KMIP,
                )
                .await
                .unwrap();
            }
            State::COMPROMISED => s.revoke(a, &id, compromise, Rules::KMIP).await.unwrap(),
            State::DESTROYED => s.destroy(a, &id, Rules::KMIP).await.unwrap(),
            State::DESTROYED_COMPROMISED => {
                s.revoke(a, &id, compromise, Rules::KMIP).await.unwrap();
                s.destroy(a, &id, Rules::KMIP).await.unwrap();
            }
            _ => unreachable!(),
        }
        assert_eq!(self.state(&id).await, state);
        id
    }
}

pub const STATES: [State; 6] = [
    State::PRE_ACTIVE,
    State::ACTIVE,
    State::DEACTIVATED,
    State::COMPROMISED,
    State::DESTROYED,
    State::DESTROYED_COMPROMISED,
];

#[derive(Clone, Copy, Debug)]
pub enum Ev {
    Activate,
    RevokeOther,
    RevokeCompromise,
    Destroy,
}
pub const EVENTS: [Ev; 4] = [
    Ev::Activate,
    Ev::RevokeOther,
    Ev::RevokeCompromise,
    Ev::Destroy,
];

pub async fn apply<B: Backend + std::fmt::Debug>(
    ctx: &Ctx<B>,
    id: &ObjectId,
    ev: Ev,
    rules: Rules,
) -> Result<(), StoreError> {
    let (s, a) = (&ctx.store, &ctx.alice);
    match ev {
        Ev::Activate => s.activate(a, id, rules).await,
        Ev::RevokeOther => {
            s.revoke(
                a,
                id,
                RevokeRequest::new(RevocationReasonCode::UNSPECIFIED),
                rules,
            )
            .await
        }
        Ev::RevokeCompromise => {
            s.revoke(
                a,
                id,
                RevokeRequest::new(RevocationReasonCode::KEY_COMPROMISE),
                rules,
            )
            .await
        }
        Ev::Destroy => s.destroy(a, id, rules).await,
    }
}

/// Every state × every event under KMIP rules: the resulting state or the refusal.
pub async fn transition_table<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    use State as S;
    let expected: [[Option<State>; 4]; 6] = [
        [
            Some(S::ACTIVE),
            None,
            Some(S::COMPROMISED),
            Some(S::DESTROYED),
        ],
        [None, Some(S::DEACTIVATED), Some(S::COMPROMISED), None],
        [None, None, Some(S::COMPROMISED), Some(S::DESTROYED)],
        [None, None, None, Some(S::DESTROYED_COMPROMISED)],
        [None, None, Some(S::DESTROYED_COMPROMISED), None],
        [None, None, None, None],
    ];
    for (from, row) in STATES.into_iter().zip(expected) {
        for (ev, want) in EVENTS.into_iter().zip(row) {
            let id = ctx.in_state(from).await;
            let got = apply(&ctx, &id, ev, Rules::KMIP).await;
            match want {
                Some(to) => {
                    assert!(got.is_ok(), "{from:?} {ev:?}: {got:?}");
                    assert_eq!(ctx.state(&id).await, to, "{from:?} {ev:?}");
                }
                None => {
                    assert!(
                        matches!(got, Err(StoreError::WrongState { .. })),
                        "{from:?} {ev:?} should be refused: {got:?}"
                    );
                    assert_eq!(
                        ctx.state(&id).await,
                        from,
                        "refused {ev:?} changed {from:?}"
                    );
                }
            }
        }
    }
}

/// The REST options of the same operations.
pub async fn rest_rules<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let id = s
        .create(
            &ctx.alice,
            ObjectType::SYMMETRIC_KEY,
            aes_attrs(None),
            CreateOptions {
                activate: true,
                id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(ctx.state(&id).await, State::ACTIVE);
    s.activate(a, &id, Rules::REST).await.unwrap();
    assert!(matches!(
        s.destroy(a, &id, Rules::REST).await,
        Err(StoreError::WrongState { .. })
    ));
    apply(&ctx, &id, Ev::RevokeOther, Rules::REST)
        .await
        .unwrap();
    assert_eq!(ctx.state(&id).await, State::DEACTIVATED);
    apply(&ctx, &id, Ev::RevokeCompromise, Rules::REST)
        .await
        .unwrap();
    assert_eq!(ctx.state(&id).await, State::COMPROMISED);
    assert_eq!(ctx.attr(&id, "Compromise Date").await.len(), 1);
    s.activate(a, &id, Rules::REST).await.unwrap();
    assert_eq!(ctx.state(&id).await, State::ACTIVE);
    assert!(ctx.attr(&id, "Compromise Date").await.is_empty());
    assert!(ctx.attr(&id, "Deactivation Date").await.is_empty());
    apply(&ctx, &id, Ev::RevokeOther, Rules::REST)
        .await
        .unwrap();
    s.destroy(a, &id, Rules::REST).await.unwrap();
    assert_eq!(ctx.state(&id).await, State::DESTROYED);
}

/// Destroy keeps the metadata, drops the material from the live store.
pub async fn destroy_keeps_metadata<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let id = ctx.create(Some("to-destroy")).await;
    ctx.clock.advance(5);
    ctx.store
        .destroy(&ctx.alice, &id, Rules::KMIP)
        .await
        .unwrap();
    assert!(matches!(
        ctx.store.get(&ctx.alice, &id, &GetOptions::default()).await,
        Err(StoreError::Destroyed)
    ));
    assert_eq!(
        ctx.attr(&id, "Destroy Date").await,
        [AttributeValue::DestroyDate(DateTime(T0 + 5))]
    );
    let record = ctx.store.backend().get(&id).await.unwrap().unwrap();
    assert!(record.material.is_none());
}

/// Activation and Deactivation Dates drive the state, for reads and Locate alike.
pub async fn date_driven<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let mut attrs = aes_attrs(Some("scheduled"));
    attrs.push(Attribute::new(AttributeValue::ActivationDate(DateTime(
        T0 + 100,
    ))));
    attrs.push(Attribute::new(AttributeValue::DeactivationDate(DateTime(
        T0 + 200,
    ))));
    let id = ctx
        .store
        .create(
            &ctx.alice,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default(),
        )
        .await
        .unwrap();
    let by_state = |s: State| LocateRequest {
        attributes: vec![Attribute::new(AttributeValue::State(s))],
        ..Default::default()
    };
    assert_eq!(ctx.state(&id).await, State::PRE_ACTIVE);
    ctx.clock.set(T0 + 100);
    assert_eq!(ctx.state(&id).await, State::ACTIVE);
    assert_eq!(
        ctx.store
            .locate(&ctx.alice, &by_state(State::ACTIVE))
            .await
            .unwrap()
            .ids,
        std::slice::from_ref(&id)
    );
    assert!(
        ctx.store
            .locate(&ctx.alice, &by_state(State::PRE_ACTIVE))
            .await
            .unwrap()
            .ids
            .is_empty()
    );
    // SKLC-M-3-14: the Activation Date of an Active key cannot move.
    let later = Attribute::new(AttributeValue::ActivationDate(DateTime(T0 + 150)));
    assert!(matches!(
        ctx.store.modify_attribute(&ctx.alice, &id, later).await,
        Err(StoreError::WrongState { .. })
    ));
    // Destroy of an Active key is refused (SKLC-M-2-14), even one activated by date.
    assert!(matches!(
        ctx.store.destroy(&ctx.alice, &id, Rules::KMIP).await,
        Err(StoreError::WrongState { .. })
    ));
    ctx.clock.set(T0 + 200);
    assert_eq!(ctx.state(&id).await, State::DEACTIVATED);
    assert_eq!(
        ctx.store
            .locate(&ctx.alice, &by_state(State::DEACTIVATED))
            .await
            .unwrap()
            .ids,
        std::slice::from_ref(&id)
    );
    ctx.store
        .destroy(&ctx.alice, &id, Rules::KMIP)
        .await
        .unwrap();
    assert_eq!(ctx.state(&id).await, State::DESTROYED);
}

/// Usage Limits are consumed durably and refused past the total.
pub async fn usage_limits<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::UsageLimits(UsageLimits {
        usage_limits_total: 10,
        usage_limits_count: None,
        usage_limits_unit: UsageLimitsUnit::OBJECT,
    })));
    let id = ctx
        .store
        .create(
            &ctx.alice,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions {
                activate: true,
                id: None,
            },
        )
        .await
        .unwrap();
    let (s, a) = (&ctx.store, &ctx.alice);
    s.get_usage_allocation(a, &id, 6).await.unwrap();
    assert!(matches!(
        s.get_usage_allocation(a, &id, 5).await,
        Err(StoreError::UsageLimitExceeded)
    ));
    s.get_usage_allocation(a, &id, 4).await.unwrap();
    assert!(matches!(
        s.get_usage_allocation(a, &id, 1).await,
        Err(StoreError::UsageLimitExceeded)
    ));
    assert!(s.get_usage_allocation(a, &id, 0).await.is_err());
    match ctx.attr(&id, "Usage Limits").await.as_slice() {
        [AttributeValue::UsageLimits(l)] => assert_eq!(l.usage_limits_count, Some(0)),
        other => panic!("{other:?}"),
    }
}

/// Lease Time: every new cryptographic object starts with the server's lease, the one
/// Obtain Lease grants (Active objects only); an Opaque Object has none.
pub async fn leases<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let lease = StoreConfig::default().lease_seconds;
    assert_eq!(lease, 3600);
    let pre = ctx.in_state(State::PRE_ACTIVE).await;
    assert_eq!(
        ctx.attr(&pre, "Lease Time").await,
        [AttributeValue::LeaseTime(Interval(lease))]
    );
    let (sk, pk) = ctx
        .store
        .create_key_pair(
            &ctx.alice,
            vec![
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::ECDSA,
                )),
                Attribute::new(AttributeValue::CryptographicLength(256)),
            ],
            Vec::new(),
            Vec::new(),
            CreateOptions::default(),
        )
        .await
        .unwrap();
    for id in [&sk, &pk] {
        assert_eq!(
            ctx.attr(id, "Lease Time").await,
            [AttributeValue::LeaseTime(Interval(lease))]
        );
    }
    let opaque = ctx
        .store
        .register(
            &ctx.alice,
            Object::OpaqueObject(OpaqueObject {
                opaque_data_type: OpaqueDataType(0x8000_0001),
                opaque_data_value: SecretBytes::new(b"opaque".to_vec()),
            }),
            Vec::new(),
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert!(ctx.attr(&opaque, "Lease Time").await.is_empty());
    // A client does not set it.
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::LeaseTime(Interval(60))));
    assert!(
        ctx.store
            .create(
                &ctx.alice,
                ObjectType::SYMMETRIC_KEY,
                attrs,
                CreateOptions::default()
            )
            .await
            .is_err()
    );
    assert!(matches!(
        ctx.store.obtain_lease(&ctx.alice, &pre).await,
        Err(StoreError::WrongState { .. })
    ));
    let active = ctx.in_state(State::ACTIVE).await;
    let (granted, last_change) = ctx.store.obtain_lease(&ctx.alice, &active).await.unwrap();
    assert_eq!(granted, lease);
    assert_eq!(last_change, T0);
    assert_eq!(
        ctx.attr(&active, "Lease Time").await,
        [AttributeValue::LeaseTime(Interval(lease))]
    );
}

/// Another identity sees nothing of alice's objects unless granted, and then only what
/// it was granted.
pub async fn ownership<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let id = ctx.create(Some("secret-name")).await;
    let (s, b) = (&ctx.store, &ctx.bob);
    let nf = |r: Result<(), StoreError>| assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    nf(s.get(b, &id, &GetOptions::default()).await.map(|_| ()));
    nf(s.get_attributes(b, &id, &AttributeSelector::default())
        .await
        .map(|_| ()));
    nf(s.activate(b, &id, Rules::KMIP).await);
    nf(s.destroy(b, &id, Rules::KMIP).await);
    nf(
        s.add_attribute(b, &id, Attribute::new(AttributeValue::Comment("x".into())))
            .await
            .map(|_| ()),
    );
    let everything = LocateRequest::default();
    assert!(s.locate(b, &everything).await.unwrap().ids.is_empty());
    let by_name = LocateRequest {
        attributes: vec![Attribute::new(AttributeValue::Name(Name::text(
            "secret-name",
        )))],
        ..Default::default()
    };
    assert!(s.locate(b, &by_name).await.unwrap().ids.is_empty());
    assert_eq!(
        s.locate(&ctx.alice, &by_name).await.unwrap().ids,
        std::slice::from_ref(&id)
    );
    // Bob cannot grant himself anything.
    nf(s.grant(b, &id, b, Operation::Get).await);
    s.grant(&ctx.alice, &id, b, Operation::Read).await.unwrap();
    assert!(
        s.get_attributes(b, &id, &AttributeSelector::default())
            .await
            .is_ok()
    );
    assert!(matches!(
        s.get(b, &id, &GetOptions::default()).await,
        Err(StoreError::PermissionDenied(_))
    ));
    assert!(matches!(
        s.destroy(b, &id, Rules::KMIP).await,
        Err(StoreError::PermissionDenied(_))
    ));
}

/// Locate: filters on type, state, name, group, custom attributes, algorithm, dates,
/// storage, and paging by offset, maximum and continuation.
pub async fn locate_filters<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let mut ids = Vec::new();
    for i in 0..12 {
        let mut attrs = aes_attrs(Some(&format!("key-{i}")));
        attrs.push(Attribute::new(AttributeValue::ObjectGroup(
            if i % 2 == 0 { "even" } else { "odd" }.into(),
        )));
        if i % 3 == 0 {
            attrs.push(Attribute::new(AttributeValue::Custom {
                name: "x-team".into(),
                value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::TextString("blue".into())),
            }));
        }
        ids.push(
            s.create(
                a,
                ObjectType::SYMMETRIC_KEY,
                attrs,
                CreateOptions::default(),
            )
            .await
            .unwrap(),
        );
        ctx.clock.advance(10);
    }
    let q = |attrs: Vec<AttributeValue>| LocateRequest {
        attributes: attrs.into_iter().map(Attribute::new).collect(),
        ..Default::default()
    };
    let found = |r: LocateRequest| async move { s.locate(a, &r).await.unwrap().ids };
    assert_eq!(
        found(q(vec![AttributeValue::Name(Name::text("key-7"))])).await,
        [ids[7].clone()]
    );
    assert_eq!(
        found(q(vec![AttributeValue::Name(Name::text("nope"))])).await,
        Vec::<ObjectId>::new()
    );
    let evens: Vec<_> = ids.iter().step_by(2).cloned().collect();
    assert_eq!(
        found(q(vec![AttributeValue::ObjectGroup("even".into())])).await,
        evens
    );
    let blue: Vec<_> = ids.iter().step_by(3).cloned().collect();
    let team = AttributeValue::Custom {
        name: "x-team".into(),
        value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::TextString("blue".into())),
    };
    assert_eq!(found(q(vec![team.clone()])).await, blue);
    assert_eq!(
        found(q(vec![team, AttributeValue::ObjectGroup("even".into())])).await,
        [ids[0].clone(), ids[6].clone()]
    );
    assert_eq!(
        found(q(vec![AttributeValue::ObjectType(
            ObjectType::SYMMETRIC_KEY
        )]))
        .await,
        ids
    );
    assert!(
        found(q(vec![AttributeValue::ObjectType(ObjectType::PRIVATE_KEY)]))
            .await
            .is_empty()
    );
    assert_eq!(
        found(q(vec![AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::AES
        )]))
        .await
        .len(),
        12
    );
    // Initial Date range: objects 2..=4.
    assert_eq!(
        found(q(vec![
            AttributeValue::InitialDate(DateTime(T0 + 20)),
            AttributeValue::InitialDate(DateTime(T0 + 40)),
        ]))
        .await,
        ids[2..=4].to_vec()
    );
    // Residual (non-indexed) attribute: usage mask.
    assert_eq!(
        found(q(vec![AttributeValue::CryptographicUsageMask(
            CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT
        )]))
        .await
        .len(),
        12
    );
    // Paging.
    let page = |offset, max| LocateRequest {
        offset,
        max_items: Some(max),
        ..Default::default()
    };
    assert_eq!(found(page(0, 5)).await, ids[0..5].to_vec());
    assert_eq!(found(page(5, 5)).await, ids[5..10].to_vec());
    assert_eq!(found(page(10, 5)).await, ids[10..12].to_vec());
    let first = s.locate(a, &page(0, 4)).await.unwrap();
    let next = s
        .locate(
            a,
            &LocateRequest {
                after: first.next.unwrap(),
                max_items: Some(4),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(next.ids, ids[4..8].to_vec());
    // Storage status: archived objects only when asked.
    s.archive(a, &ids[1]).await.unwrap();
    assert!(!found(LocateRequest::default()).await.contains(&ids[1]));
    assert_eq!(
        found(LocateRequest {
            storage: Storage::Archived,
            ..Default::default()
        })
        .await,
        [ids[1].clone()]
    );
    assert_eq!(
        found(LocateRequest {
            storage: Storage::Any,
            ..Default::default()
        })
        .await
        .len(),
        12
    );
    assert!(matches!(
        s.get(a, &ids[1], &GetOptions::default()).await,
        Err(StoreError::Archived)
    ));
    assert!(matches!(
        s.activate(a, &ids[1], Rules::KMIP).await,
        Err(StoreError::Archived)
    ));
    s.recover(a, &ids[1]).await.unwrap();
    assert!(s.get(a, &ids[1], &GetOptions::default()).await.is_ok());
}

/// Add, Modify, Delete Attribute through the store, with the rules.
pub async fn attribute_ops<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let id = ctx.create(Some("first")).await;
    let added = s
        .add_attribute(
            a,
            &id,
            Attribute::new(AttributeValue::Name(Name::text("second"))),
        )
        .await
        .unwrap();
    assert_eq!(added.index, Some(1));
    let modified = s
        .modify_attribute(
            a,
            &id,
            Attribute {
                index: Some(1),
                value: AttributeValue::Name(Name::text("2nd")),
            },
        )
        .await
        .unwrap();
    assert_eq!(modified.value, AttributeValue::Name(Name::text("2nd")));
    s.delete_attribute(a, &id, "Name".into(), Some(0))
        .await
        .unwrap();
    assert_eq!(
        ctx.attr(&id, "Name").await,
        [AttributeValue::Name(Name::text("2nd"))]
    );
    for read_only in [
        AttributeValue::State(State::ACTIVE),
        AttributeValue::InitialDate(DateTime(1)),
        AttributeValue::UniqueIdentifier("other".into()),
    ] {
        assert!(matches!(
            s.add_attribute(a, &id, Attribute::new(read_only.clone()))
                .await,
            Err(StoreError::ReadOnlyAttribute(_))
        ));
    }
    assert!(matches!(
        s.modify_attribute(
            a,
            &id,
            Attribute::new(AttributeValue::CryptographicLength(128))
        )
        .await,
        Err(StoreError::ReadOnlyAttribute(_))
    ));
    assert!(matches!(
        s.delete_attribute(a, &id, "State".into(), None).await,
        Err(StoreError::ReadOnlyAttribute(_))
    ));
    assert!(matches!(
        s.delete_attribute(a, &id, "Name".into(), Some(7)).await,
        Err(StoreError::IndexOutOfBounds { .. })
    ));
    // A name asked for twice is a malformed request (OASIS test case 17.1).
    let twice = AttributeSelector {
        names: vec!["Name".into(), "State".into(), "Name".into()],
    };
    assert!(matches!(
        s.get_attributes(a, &id, &twice).await,
        Err(StoreError::RepeatedAttributeName(n)) if n == "Name"
    ));
    let names = s.get_attribute_list(a, &id).await.unwrap();
    for n in [
        "Unique Identifier",
        "Object Type",
        "State",
        "Initial Date",
        "Name",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing from {names:?}");
    }
    assert!(ctx.store.get(a, &id, &GetOptions::default()).await.is_ok());
}

/// Re-key: a linked replacement with the names, the schedule shifted by the offset.
pub async fn rekey<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let id = ctx.in_state(State::ACTIVE).await;
    s.add_attribute(
        a,
        &id,
        Attribute::new(AttributeValue::Name(Name::text("rotating"))),
    )
    .await
    .unwrap();
    ctx.clock.advance(1000);
    let new = s.rekey(a, &id, Some(60), Vec::new()).await.unwrap();
    assert_ne!(new, id);
    assert_eq!(
        ctx.attr(&new, "Name").await,
        [AttributeValue::Name(Name::text("rotating"))]
    );
    assert!(ctx.attr(&id, "Name").await.is_empty());
    assert_eq!(
        ctx.attr(&new, "Activation Date").await,
        [AttributeValue::ActivationDate(DateTime(T0 + 1060))]
    );
    assert_eq!(ctx.state(&new).await, State::PRE_ACTIVE);
    let links = |v: Vec<AttributeValue>| -> Vec<(LinkType, String)> {
        v.into_iter()
            .filter_map(|x| match x {
                AttributeValue::Link(l) => Some((
                    l.link_type,
                    l.linked_object_identifier.as_text()?.to_owned(),
                )),
                _ => None,
            })
            .collect()
    };
    assert!(
        links(ctx.attr(&id, "Link").await)
            .contains(&(LinkType::REPLACEMENT_OBJECT_LINK, new.to_string()))
    );
    assert!(
        links(ctx.attr(&new, "Link").await)
            .contains(&(LinkType::REPLACED_OBJECT_LINK, id.to_string()))
    );
    let old_key = s.get(a, &id, &GetOptions::default()).await.unwrap();
    let new_key = s.get(a, &new, &GetOptions::default()).await.unwrap();
    assert_ne!(old_key, new_key);
    // A name the request gives comes after the ones moved from the replaced key.
    let named = Attribute::new(AttributeValue::Name(Name::text("next")));
    let third = s.rekey(a, &new, None, vec![named]).await.unwrap();
    let names = s
        .get_attributes(
            a,
            &third,
            &AttributeSelector {
                names: vec!["Name".into()],
            },
        )
        .await
        .unwrap();
    let indexed: Vec<(Option<i32>, AttributeValue)> =
        names.into_iter().map(|n| (n.index, n.value)).collect();
    assert_eq!(
        indexed,
        [
            (Some(0), AttributeValue::Name(Name::text("rotating"))),
            (Some(1), AttributeValue::Name(Name::text("next"))),
        ]
    );
}

/// Register returns the object byte-identical; Sensitive and Extractable guard Get.
pub async fn register_and_export_rules<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    // Create makes Secret Data of the length asked for, in whole bytes.
    let length = |bits| vec![Attribute::new(AttributeValue::CryptographicLength(bits))];
    let sd = s
        .create(
            a,
            ObjectType::SECRET_DATA,
            length(80),
            CreateOptions::default(),
        )
        .await
        .unwrap();
    match s.get(a, &sd, &GetOptions::default()).await.unwrap() {
        kmip_types::Object::SecretData(d) => {
            assert_eq!(d.secret_data_type, kmip_types::SecretDataType::PASSWORD);
            match d.key_block.key_material() {
                Some(kmip_types::KeyMaterial::Bytes(b)) => assert_eq!(b.expose().len(), 10),
                other => panic!("secret data material: {other:?}"),
            }
        }
        other => panic!("not secret data: {other:?}"),
    }
    assert!(matches!(
        s.create(
            a,
            ObjectType::SECRET_DATA,
            length(81),
            CreateOptions::default()
        )
        .await,
        Err(StoreError::InvalidField(_))
    ));
    // A key registered without its value says so; one with its value does not.
    let metadata_only = kmip_types::Object::SymmetricKey(kmip_types::objects::SymmetricKey {
        key_block: kmip_types::KeyBlock {
            key_format_type: kmip_types::KeyFormatType::RAW,
            key_compression_type: None,
            key_value: None,
            cryptographic_algorithm: Some(CryptographicAlgorithm::AES),
            cryptographic_length: Some(128),
            key_wrapping_data: None,
        },
    });
    let mdo = s
        .register(a, metadata_only, Vec::new(), CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(
        ctx.attr(&mdo, "Key Value Present").await,
        [AttributeValue::KeyValuePresent(false)]
    );
    assert!(
        ctx.attr(&ctx.create(None).await, "Key Value Present")
            .await
            .is_empty()
    );
    // A certificate carries its Certificate Type; a client may name the same one, not
    // another.
    let certificate = || {
        kmip_types::Object::Certificate(kmip_types::objects::Certificate {
            certificate_type: kmip_types::CertificateType::X_509,
            certificate_value: vec![0x30, 0x03, 0x02, 0x01, 0x01],
        })
    };
    let typed = |t| vec![Attribute::new(AttributeValue::CertificateType(t))];
    let cert = s
        .register(
            a,
            certificate(),
            typed(kmip_types::CertificateType::X_509),
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        ctx.attr(&cert, "Certificate Type").await,
        [AttributeValue::CertificateType(
            kmip_types::CertificateType::X_509
        )]
    );
    assert!(matches!(
        s.register(
            a,
            certificate(),
            typed(kmip_types::CertificateType::PGP),
            CreateOptions::default()
        )
        .await,
        Err(StoreError::ReadOnlyAttribute(_))
    ));
    let id = ctx.create(None).await;
    let key = s.get(a, &id, &GetOptions::default()).await.unwrap();
    let copy = s
        .register(a, key.duplicate(), Vec::new(), CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(s.get(a, &copy, &GetOptions::default()).await.unwrap(), key);
    // No Sensitive given: it defaults to False, and so does Always Sensitive (TC-SENSITIVE-1).
    assert_eq!(
        ctx.attr(&id, "Always Sensitive").await,
        [AttributeValue::AlwaysSensitive(false)]
    );
    assert_eq!(
        ctx.attr(&copy, "Cryptographic Length").await,
        [AttributeValue::CryptographicLength(256)]
    );
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::Sensitive(true)));
    let sensitive = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(
        s.get(a, &sensitive, &GetOptions::default()).await,
        Err(StoreError::Sensitive)
    ));
    assert_eq!(
        ctx.attr(&sensitive, "Always Sensitive").await,
        [AttributeValue::AlwaysSensitive(true)]
    );
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::Extractable(false)));
    let locked = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(
        s.get(a, &locked, &GetOptions::default()).await,
        Err(StoreError::NotExtractable)
    ));
    // Unknown identifiers are simply not found.
    let unknown = ObjectId::parse("no-such-object").unwrap();
    assert!(matches!(
        s.get(a, &unknown, &GetOptions::default()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.activate(a, &unknown, Rules::KMIP).await,
        Err(StoreError::NotFound)
    ));
}

/// Create Key Pair: two objects linked to each other.
pub async fn key_pair<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let common = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::ECDSA,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
    ];
    let private = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::SIGN,
    ))];
    let public = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::VERIFY,
    ))];
    let (sk, pk) = s
        .create_key_pair(a, common, private, public, CreateOptions::default())
        .await
        .unwrap();
    let link_of = |v: Vec<AttributeValue>| match v.as_slice() {
        [AttributeValue::Link(l)] => (
            l.link_type,
            l.linked_object_identifier.as_text().unwrap().to_owned(),
        ),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        link_of(ctx.attr(&sk, "Link").await),
        (LinkType::PUBLIC_KEY_LINK, pk.to_string())
    );
    assert_eq!(
        link_of(ctx.attr(&pk, "Link").await),
        (LinkType::PRIVATE_KEY_LINK, sk.to_string())
    );
    assert_eq!(
        ctx.attr(&sk, "Object Type").await,
        [AttributeValue::ObjectType(ObjectType::PRIVATE_KEY)]
    );
    assert!(s.get(a, &sk, &GetOptions::default()).await.is_ok());
    assert!(s.get(a, &pk, &GetOptions::default()).await.is_ok());
}

/// Re-key Key Pair: a new linked pair replacing the old one, names moved.
pub async fn rekey_key_pair<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let common = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::ECDSA,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
    ];
    let private = vec![
        Attribute::new(AttributeValue::CryptographicUsageMask(
            CryptographicUsageMask::SIGN,
        )),
        Attribute::new(AttributeValue::Name(Name::text("signer"))),
    ];
    let public = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::VERIFY,
    ))];
    let (sk, pk) = s
        .create_key_pair(a, common, private, public, CreateOptions::default())
        .await
        .unwrap();
    let (nsk, npk) = s
        .rekey_key_pair(a, &sk, None, Vec::new(), Vec::new())
        .await
        .unwrap();
    assert!(nsk != sk && npk != pk);
    assert_eq!(
        ctx.attr(&nsk, "Name").await,
        [AttributeValue::Name(Name::text("signer"))]
    );
    assert!(ctx.attr(&sk, "Name").await.is_empty());
    let links = |v: Vec<AttributeValue>| -> Vec<(LinkType, String)> {
        v.into_iter()
            .filter_map(|x| match x {
                AttributeValue::Link(l) => Some((
                    l.link_type,
                    l.linked_object_identifier.as_text()?.to_owned(),
                )),
                _ => None,
            })
            .collect()
    };
    // The pair's link first (index 0), then the one to the replaced key.
    assert_eq!(
        links(ctx.attr(&nsk, "Link").await),
        [
            (LinkType::PUBLIC_KEY_LINK, npk.to_string()),
            (LinkType::REPLACED_OBJECT_LINK, sk.to_string()),
        ]
    );
    assert_eq!(
        links(ctx.attr(&npk, "Link").await),
        [
            (LinkType::PRIVATE_KEY_LINK, nsk.to_string()),
            (LinkType::REPLACED_OBJECT_LINK, pk.to_string()),
        ]
    );
    assert!(
        links(ctx.attr(&pk, "Link").await)
            .contains(&(LinkType::REPLACEMENT_OBJECT_LINK, npk.to_string()))
    );
    assert!(
        s.rekey_key_pair(a, &pk, None, Vec::new(), Vec::new())
            .await
            .is_err()
    );
    assert!(matches!(
        s.rekey_key_pair(&ctx.bob, &sk, None, Vec::new(), Vec::new())
            .await,
        Err(StoreError::NotFound)
    ));
}

/// Original Creation Date: now on every new object, the client's on Register, the
/// replaced object's on Re-key and Re-key Key Pair.
pub async fn original_creation_date<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let created = |t: i64| [AttributeValue::OriginalCreationDate(DateTime(t))];
    let id = ctx.create(None).await;
    assert_eq!(ctx.attr(&id, "Original Creation Date").await, created(T0));
    let key = s.get(a, &id, &GetOptions::default()).await.unwrap();
    let older = vec![Attribute::new(AttributeValue::OriginalCreationDate(
        DateTime(T0 - 86_400),
    ))];
    let registered = s
        .register(a, key.duplicate(), older, CreateOptions::default())
        .await
        .unwrap();
    assert_eq!(
        ctx.attr(&registered, "Original Creation Date").await,
        created(T0 - 86_400)
    );
    let (sk, pk) = s
        .create_key_pair(
            a,
            vec![
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::ECDSA,
                )),
                Attribute::new(AttributeValue::CryptographicLength(256)),
            ],
            Vec::new(),
            Vec::new(),
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(ctx.attr(&sk, "Original Creation Date").await, created(T0));
    assert_eq!(ctx.attr(&pk, "Original Creation Date").await, created(T0));
    ctx.clock.advance(1000);
    let later = ctx.create(None).await;
    assert_eq!(
        ctx.attr(&later, "Original Creation Date").await,
        created(T0 + 1000)
    );
    let replacement = s.rekey(a, &id, None, Vec::new()).await.unwrap();
    assert_eq!(
        ctx.attr(&replacement, "Original Creation Date").await,
        created(T0)
    );
    assert_eq!(
        ctx.attr(&replacement, "Initial Date").await,
        [AttributeValue::InitialDate(DateTime(T0 + 1000))]
    );
    let (nsk, npk) = s
        .rekey_key_pair(a, &sk, None, Vec::new(), Vec::new())
        .await
        .unwrap();
    assert_eq!(ctx.attr(&nsk, "Original Creation Date").await, created(T0));
    assert_eq!(ctx.attr(&npk, "Original Creation Date").await, created(T0));
    // Server-kept after creation: no client changes it.
    assert!(
        s.modify_attribute(
            a,
            &id,
            Attribute::new(AttributeValue::OriginalCreationDate(DateTime(1)))
        )
        .await
        .is_err()
    );
}

/// Fresh: True on a new cryptographic object, False once Get has served it. Only the
/// first Get writes; Get Attributes serves nothing; a refused Get leaves it True.
pub async fn fresh_until_served<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let id = ctx.create(None).await;
    assert_eq!(ctx.attr(&id, "Fresh").await, [AttributeValue::Fresh(true)]);
    assert_eq!(ctx.attr(&id, "Fresh").await, [AttributeValue::Fresh(true)]);
    let created = ctx.revision(&id).await;
    let key = s.get(a, &id, &GetOptions::default()).await.unwrap();
    assert_eq!(ctx.attr(&id, "Fresh").await, [AttributeValue::Fresh(false)]);
    let served = ctx.revision(&id).await;
    assert_eq!(served, created + 1);
    // Not a change a client made: the Last Change Date stays.
    assert_eq!(
        ctx.attr(&id, "Last Change Date").await,
        [AttributeValue::LastChangeDate(DateTime(T0))]
    );
    for _ in 0..3 {
        assert_eq!(s.get(a, &id, &GetOptions::default()).await.unwrap(), key);
    }
    assert_eq!(ctx.revision(&id).await, served);
    // A Get refused (Sensitive) serves nothing.
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::Sensitive(true)));
    let sensitive = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert!(s.get(a, &sensitive, &GetOptions::default()).await.is_err());
    assert_eq!(
        ctx.attr(&sensitive, "Fresh").await,
        [AttributeValue::Fresh(true)]
    );
    // Re-key: the replacement has not been served.
    let replacement = s.rekey(a, &id, None, Vec::new()).await.unwrap();
    assert_eq!(
        ctx.attr(&replacement, "Fresh").await,
        [AttributeValue::Fresh(true)]
    );
    // Register: a client may say the key has been out before; then Get writes nothing.
    let registered = s
        .register(
            a,
            key.duplicate(),
            vec![Attribute::new(AttributeValue::Fresh(false))],
            CreateOptions::default(),
        )
        .await
        .unwrap();
    let before = ctx.revision(&registered).await;
    s.get(a, &registered, &GetOptions::default()).await.unwrap();
    assert_eq!(ctx.revision(&registered).await, before);
    // Only Get serves the object: a client may not clear Fresh itself.
    assert!(
        s.modify_attribute(
            a,
            &replacement,
            Attribute::new(AttributeValue::Fresh(false))
        )
        .await
        .is_err()
    );
}

/// Sensitive defaults to False and Extractable to True; Always Sensitive and Never
/// Extractable record the values at creation and do not follow later changes.
pub async fn extractable_and_sensitive_defaults<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let plain = ctx.create(None).await;
    assert_eq!(
        ctx.flags(&plain).await,
        [
            AttributeValue::Sensitive(false),
            AttributeValue::AlwaysSensitive(false),
            AttributeValue::Extractable(true),
            AttributeValue::NeverExtractable(false),
        ]
    );
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::Extractable(false)));
    attrs.push(Attribute::new(AttributeValue::Sensitive(true)));
    let locked = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        ctx.flags(&locked).await,
        [
            AttributeValue::Sensitive(true),
            AttributeValue::AlwaysSensitive(true),
            AttributeValue::Extractable(false),
            AttributeValue::NeverExtractable(true),
        ]
    );
    // Made safer later: the "always" and "never" attributes keep what was true at creation.
    for value in [
        AttributeValue::Sensitive(true),
        AttributeValue::Extractable(false),
    ] {
        s.modify_attribute(a, &plain, Attribute::new(value))
            .await
            .unwrap();
    }
    assert_eq!(
        ctx.flags(&plain).await,
        [
            AttributeValue::Sensitive(true),
            AttributeValue::AlwaysSensitive(false),
            AttributeValue::Extractable(false),
            AttributeValue::NeverExtractable(false),
        ]
    );
    assert!(matches!(
        s.get(a, &plain, &GetOptions::default()).await,
        Err(StoreError::NotExtractable)
    ));
    assert!(
        s.modify_attribute(a, &plain, Attribute::new(AttributeValue::Extractable(true)))
            .await
            .is_err()
    );
    // The server's own flags are not a client's to set.
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::NeverExtractable(true)));
    assert!(
        s.create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions::default()
        )
        .await
        .is_err()
    );
}

/// The crypto operations check state, usage mask and usage limits first.
pub async fn crypto_checks<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let id = ctx.create(None).await;
    let data = b"attack at dawn";
    // Pre-Active: no protection.
    assert!(matches!(
        s.encrypt(a, &id, None, data, None, None).await,
        Err(StoreError::WrongState { .. })
    ));
    s.activate(a, &id, Rules::KMIP).await.unwrap();
    let out = s.encrypt(a, &id, None, data, None, None).await.unwrap();
    let plain = s
        .decrypt(
            a,
            &id,
            None,
            &out.data,
            out.iv_counter_nonce.as_deref(),
            None,
            out.tag.as_deref(),
        )
        .await
        .unwrap();
    assert_eq!(plain.expose(), data);
    let mut bad_tag = out.tag.clone().unwrap();
    bad_tag[0] ^= 1;
    assert!(matches!(
        s.decrypt(
            a,
            &id,
            None,
            &out.data,
            out.iv_counter_nonce.as_deref(),
            None,
            Some(&bad_tag)
        )
        .await,
        Err(StoreError::CryptoFailure)
    ));
    // Not granted: not found.
    assert!(matches!(
        s.encrypt(&ctx.bob, &id, None, data, None, None).await,
        Err(StoreError::NotFound)
    ));
    // The usage mask (Encrypt|Decrypt) does not allow MAC or Sign.
    assert!(matches!(
        s.sign(a, &id, None, data, false).await,
        Err(StoreError::UsageNotAllowed(_))
    ));
    // Deactivated: no protection, and no processing by default.
    apply(&ctx, &id, Ev::RevokeOther, Rules::KMIP)
        .await
        .unwrap();
    assert!(matches!(
        s.encrypt(a, &id, None, data, None, None).await,
        Err(StoreError::WrongState { .. })
    ));
    assert!(matches!(
        s.decrypt(
            a,
            &id,
            None,
            &out.data,
            out.iv_counter_nonce.as_deref(),
            None,
            out.tag.as_deref()
        )
        .await,
        Err(StoreError::WrongState { .. })
    ));
    // Usage Limits in bytes are consumed by Encrypt.
    let mut attrs = aes_attrs(None);
    attrs.push(Attribute::new(AttributeValue::UsageLimits(UsageLimits {
        usage_limits_total: 20,
        usage_limits_count: None,
        usage_limits_unit: UsageLimitsUnit::BYTE,
    })));
    let limited = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            attrs,
            CreateOptions {
                activate: true,
                id: None,
            },
        )
        .await
        .unwrap();
    s.encrypt(a, &limited, None, data, None, None)
        .await
        .unwrap();
    assert!(matches!(
        s.encrypt(a, &limited, None, data, None, None).await,
        Err(StoreError::UsageLimitExceeded)
    ));
    // Sign and verify with a key pair.
    let common = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::ECDSA,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
    ];
    let private = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::SIGN,
    ))];
    let public = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::VERIFY,
    ))];
    let (sk, pk) = s
        .create_key_pair(
            a,
            common,
            private,
            public,
            CreateOptions {
                activate: true,
                id: None,
            },
        )
        .await
        .unwrap();
    let sig = s.sign(a, &sk, None, data, false).await.unwrap();
    assert!(s.verify(a, &pk, None, data, false, &sig).await.unwrap());
    assert!(
        !s.verify(a, &pk, None, b"attack at dusk", false, &sig)
            .await
            .unwrap()
    );
}

/// A caller-chosen identifier is used, and refused when taken; a registered key pair
/// is linked both ways in one step.
pub async fn chosen_ids_and_registered_pairs<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let chosen = ObjectId::parse("5f0c8d1e-6a43-4b8e-9f3a-2d1c0b9a8e7f").unwrap();
    let options = CreateOptions {
        activate: true,
        id: Some(chosen.clone()),
    };
    let id = s
        .create(
            a,
            ObjectType::SYMMETRIC_KEY,
            aes_attrs(None),
            options.clone(),
        )
        .await
        .unwrap();
    assert_eq!(id, chosen);
    assert!(matches!(
        s.create(
            a,
            ObjectType::SYMMETRIC_KEY,
            aes_attrs(None),
            options.clone()
        )
        .await,
        Err(StoreError::AlreadyExists)
    ));
    // Another identity cannot take it either (and learns only that it is taken).
    assert!(matches!(
        s.create(
            &ctx.bob,
            ObjectType::SYMMETRIC_KEY,
            aes_attrs(None),
            options
        )
        .await,
        Err(StoreError::AlreadyExists)
    ));
    let key = kms_crypto::PrivateKey::generate(kms_crypto::KeySpec::Ec(kms_crypto::EcCurve::P256))
        .unwrap();
    let (private, public) =
        kms_store::material::key_pair_objects(&key, CryptographicAlgorithm::ECDSA).unwrap();
    let attrs = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::SIGN | CryptographicUsageMask::VERIFY,
    ))];
    let (sk, pk) = s
        .register_key_pair(
            a,
            private,
            public,
            attrs,
            CreateOptions {
                activate: true,
                id: None,
            },
        )
        .await
        .unwrap();
    let sig = s.sign(a, &sk, None, b"m", false).await.unwrap();
    assert!(s.verify(a, &pk, None, b"m", false, &sig).await.unwrap());
    assert_eq!(ctx.attr(&sk, "Link").await.len(), 1);
    assert_eq!(ctx.attr(&pk, "Link").await.len(), 1);
}

/// Concurrent conflicting transitions on one object end in a legal state, and each
/// success is a legal step.
pub async fn concurrent_transitions<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let ctx = Arc::new(ctx);
    let id = ctx.in_state(State::PRE_ACTIVE).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let ctx = Arc::clone(&ctx);
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            let ev = EVENTS[i % 4];
            apply(&ctx, &id, ev, Rules::KMIP).await.is_ok()
        }));
    }
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    let fin = ctx.state(&id).await;
    assert!(STATES.contains(&fin));
    // The longest legal path from Pre-Active has four steps.
    assert!(
        (1..=4).contains(&ok),
        "{ok} transitions succeeded from Pre-Active"
    );
}

/// An ECDSA key pair of alice's, Pre-Active, without names: (private, public).
async fn pair_of<B: Backend + std::fmt::Debug>(ctx: &Ctx<B>) -> (ObjectId, ObjectId) {
    let common = vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::ECDSA,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
    ];
    let private = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::SIGN,
    ))];
    let public = vec![Attribute::new(AttributeValue::CryptographicUsageMask(
        CryptographicUsageMask::VERIFY,
    ))];
    ctx.store
        .create_key_pair(
            &ctx.alice,
            common,
            private,
            public,
            CreateOptions::default(),
        )
        .await
        .unwrap()
}

/// Both halves of a pair are in `want`.
async fn both<B: Backend + std::fmt::Debug>(
    ctx: &Ctx<B>,
    sk: &ObjectId,
    pk: &ObjectId,
    want: State,
) {
    assert_eq!(ctx.state(sk).await, want, "private");
    assert_eq!(ctx.state(pk).await, want, "public");
}

/// The pair operations move both halves of a key pair together, in one transaction:
/// a refusal on either half (its state, or the caller's rights on it) changes nothing.
pub async fn pair_operations<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a, b) = (&ctx.store, &ctx.alice, &ctx.bob);
    let (sk, pk) = pair_of(&ctx).await;
    s.activate_pair(a, &sk, Rules::REST).await.unwrap();
    both(&ctx, &sk, &pk, State::ACTIVE).await;
    let cessation = RevokeRequest::new(RevocationReasonCode::CESSATION_OF_OPERATION);
    s.revoke_pair(a, &sk, cessation.clone(), Rules::REST)
        .await
        .unwrap();
    both(&ctx, &sk, &pk, State::DEACTIVATED).await;
    s.activate_pair(a, &sk, Rules::REST).await.unwrap();
    both(&ctx, &sk, &pk, State::ACTIVE).await;

    // Named where unnamed, renamed where named.
    for name in ["first", "second"] {
        s.rename_pair(a, &sk, name.into()).await.unwrap();
        for id in [&sk, &pk] {
            assert_eq!(
                ctx.attr(id, "Name").await,
                [AttributeValue::Name(Name::text(name))]
            );
        }
    }

    // The halves diverge through single-object operations; the private half alone
    // could be destroyed, the public one (Active) cannot: nothing is written.
    s.revoke(a, &sk, cessation.clone(), Rules::REST)
        .await
        .unwrap();
    let revisions = (ctx.revision(&sk).await, ctx.revision(&pk).await);
    let refused = s.destroy_pair(a, &sk, Rules::REST).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::WrongState {
                state: State::ACTIVE,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(ctx.state(&sk).await, State::DEACTIVATED);
    assert_eq!(ctx.state(&pk).await, State::ACTIVE);
    assert_eq!(
        (ctx.revision(&sk).await, ctx.revision(&pk).await),
        revisions
    );
    assert!(ctx.attr(&sk, "Destroy Date").await.is_empty());
    assert!(s.get(a, &sk, &GetOptions::default()).await.is_ok());
    // Brought together again, the pair is destroyed whole.
    s.revoke_pair(a, &sk, cessation.clone(), Rules::REST)
        .await
        .unwrap();
    s.destroy_pair(a, &sk, Rules::REST).await.unwrap();
    both(&ctx, &sk, &pk, State::DESTROYED).await;
    assert!(matches!(
        s.get(a, &pk, &GetOptions::default()).await,
        Err(StoreError::Destroyed)
    ));

    // Authorization is checked on both halves.
    let (sk, pk) = pair_of(&ctx).await;
    s.activate_pair(a, &sk, Rules::REST).await.unwrap();
    // Bob may manage the private half and cannot see the public one.
    s.grant(a, &sk, b, Operation::Manage).await.unwrap();
    let revisions = (ctx.revision(&sk).await, ctx.revision(&pk).await);
    let refused = s.revoke_pair(b, &sk, cessation.clone(), Rules::REST).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    assert_eq!(
        (ctx.revision(&sk).await, ctx.revision(&pk).await),
        revisions
    );
    // Bob may read the public half, not manage it.
    s.grant(a, &pk, b, Operation::Read).await.unwrap();
    let revisions = (ctx.revision(&sk).await, ctx.revision(&pk).await);
    let refused = s.revoke_pair(b, &sk, cessation.clone(), Rules::REST).await;
    assert!(
        matches!(refused, Err(StoreError::PermissionDenied(_))),
        "{refused:?}"
    );
    let refused = s.rename_pair(b, &sk, "bob's".into()).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::NotFound | StoreError::PermissionDenied(_))
        ),
        "{refused:?}"
    );
    assert_eq!(
        (ctx.revision(&sk).await, ctx.revision(&pk).await),
        revisions
    );
    both(&ctx, &sk, &pk, State::ACTIVE).await;
    s.grant(a, &pk, b, Operation::Manage).await.unwrap();
    s.revoke_pair(b, &sk, cessation, Rules::REST).await.unwrap();
    both(&ctx, &sk, &pk, State::DEACTIVATED).await;

    // Anything but a private key is one object: a symmetric key, a public key alone.
    let key = ctx.create(None).await;
    s.activate_pair(a, &key, Rules::REST).await.unwrap();
    assert_eq!(ctx.state(&key).await, State::ACTIVE);
    let (sk, pk) = pair_of(&ctx).await;
    s.activate_pair(a, &pk, Rules::REST).await.unwrap();
    assert_eq!(ctx.state(&pk).await, State::ACTIVE);
    assert_eq!(ctx.state(&sk).await, State::PRE_ACTIVE);
}

/// A pair whose public half a KMIP client destroyed alone is still managed through its
/// private key: Destroy and a non-compromise Revoke act on the private key alone, a
/// compromise Revoke marks both, a rename names both, Activate is refused.
pub async fn pair_with_destroyed_public<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a) = (&ctx.store, &ctx.alice);
    let cessation = RevokeRequest::new(RevocationReasonCode::CESSATION_OF_OPERATION);
    let (sk, pk) = pair_of(&ctx).await;
    s.activate_pair(a, &sk, Rules::REST).await.unwrap();
    s.revoke(a, &pk, cessation.clone(), Rules::KMIP)
        .await
        .unwrap();
    s.destroy(a, &pk, Rules::KMIP).await.unwrap();
    assert_eq!(ctx.state(&pk).await, State::DESTROYED);
    let public_revision = ctx.revision(&pk).await;

    // The private key is still Active: Destroy is refused for it, not for its half.
    let refused = s.destroy_pair(a, &sk, Rules::REST).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::WrongState {
                state: State::ACTIVE,
                ..
            })
        ),
        "{refused:?}"
    );
    // A non-compromise Revoke deactivates the private key alone.
    s.revoke_pair(a, &sk, cessation.clone(), Rules::REST)
        .await
        .unwrap();
    assert_eq!(ctx.state(&sk).await, State::DEACTIVATED);
    assert_eq!(ctx.state(&pk).await, State::DESTROYED);
    assert_eq!(ctx.revision(&pk).await, public_revision);
    // Activate is refused whole: the pair cannot be put back in use.
    let private_revision = ctx.revision(&sk).await;
    let refused = s.activate_pair(a, &sk, Rules::REST).await;
    assert!(
        matches!(
            refused,
            Err(StoreError::WrongState {
                state: State::DESTROYED,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(ctx.state(&sk).await, State::DEACTIVATED);
    assert_eq!(ctx.revision(&sk).await, private_revision);
    // A rename names both halves.
    s.rename_pair(a, &sk, "renamed".into()).await.unwrap();
    for id in [&sk, &pk] {
        assert_eq!(
            ctx.attr(id, "Name").await,
            [AttributeValue::Name(Name::text("renamed"))]
        );
    }
    // Destroy destroys the private key and leaves the public one as it is.
    let public_revision = ctx.revision(&pk).await;
    s.destroy_pair(a, &sk, Rules::REST).await.unwrap();
    assert_eq!(ctx.state(&sk).await, State::DESTROYED);
    assert_eq!(ctx.state(&pk).await, State::DESTROYED);
    assert_eq!(ctx.revision(&pk).await, public_revision);
    assert!(matches!(
        s.get(a, &sk, &GetOptions::default()).await,
        Err(StoreError::Destroyed)
    ));
    // Destroyed already, the private key is refused by its own state.
    let refused = s.destroy_pair(a, &sk, Rules::REST).await;
    assert!(
        matches!(refused, Err(StoreError::WrongState { .. })),
        "{refused:?}"
    );

    // A compromise marks both halves: the public one becomes Destroyed Compromised.
    let (sk, pk) = pair_of(&ctx).await;
    s.activate_pair(a, &sk, Rules::REST).await.unwrap();
    s.revoke(a, &pk, cessation, Rules::KMIP).await.unwrap();
    s.destroy(a, &pk, Rules::KMIP).await.unwrap();
    s.revoke_pair(
        a,
        &sk,
        RevokeRequest::new(RevocationReasonCode::KEY_COMPROMISE),
        Rules::REST,
    )
    .await
    .unwrap();
    assert_eq!(ctx.state(&sk).await, State::COMPROMISED);
    assert_eq!(ctx.state(&pk).await, State::DESTROYED_COMPROMISED);
    // And a public half Destroyed Compromised does not block Destroy either.
    s.destroy_pair(a, &sk, Rules::REST).await.unwrap();
    both(&ctx, &sk, &pk, State::DESTROYED_COMPROMISED).await;
}

/// Key Type reads an asymmetric key's type and curve from its material, for a caller who
/// may read its attributes, without serving it (Fresh stays True) and for no other
/// object; a destroyed key has none.
pub async fn key_type_from_material<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let (s, a, b) = (&ctx.store, &ctx.alice, &ctx.bob);
    let (sk, pk) = pair_of(&ctx).await;
    let p256 = Some(kms_crypto::KeyType::Ec(kms_crypto::EcCurve::P256));
    for id in [&sk, &pk] {
        assert_eq!(s.key_type(a, id).await.unwrap(), p256);
        assert_eq!(ctx.attr(id, "Fresh").await, [AttributeValue::Fresh(true)]);
    }
    let key = ctx.create(None).await;
    assert_eq!(s.key_type(a, &key).await.unwrap(), None);
    assert!(matches!(
        s.key_type(b, &sk).await,
        Err(StoreError::NotFound)
    ));
    s.destroy(a, &pk, Rules::KMIP).await.unwrap();
    assert!(matches!(
        s.key_type(a, &pk).await,
        Err(StoreError::Destroyed)
    ));
}

/// Concurrent pair operations on one pair: whatever order they commit in, the two
/// halves always end in the same state (each operation moved both or neither).
pub async fn concurrent_pair_operations<B: Backend + std::fmt::Debug>(ctx: Ctx<B>) {
    let ctx = Arc::new(ctx);
    let (sk, pk) = pair_of(&ctx).await;
    let mut tasks = Vec::new();
    for i in 0..30 {
        let ctx = Arc::clone(&ctx);
        let sk = sk.clone();
        tasks.push(tokio::spawn(async move {
            let (s, a) = (&ctx.store, &ctx.alice);
            let code = match i % 3 {
                0 => return s.activate_pair(a, &sk, Rules::REST).await,
                1 => RevocationReasonCode::CESSATION_OF_OPERATION,
                _ => RevocationReasonCode::KEY_COMPROMISE,
            };
            s.revoke_pair(a, &sk, RevokeRequest::new(code), Rules::REST)
                .await
        }));
    }
    for t in tasks {
        // Refusals (a second Revoke of a Pre-Active pair, say) are legal outcomes.
        let _ = t.await.unwrap();
    }
    let state = ctx.state(&sk).await;
    both(&ctx, &sk, &pk, state).await;
}

macro_rules! store_suite {
    ($fresh:path) => {
        store_suite!(@case $fresh, transition_table, rest_rules, destroy_keeps_metadata, date_driven,
            usage_limits, leases, ownership, locate_filters, attribute_ops, rekey,
            register_and_export_rules, key_pair, rekey_key_pair, crypto_checks,
            chosen_ids_and_registered_pairs, concurrent_transitions, original_creation_date,
            fresh_until_served, extractable_and_sensitive_defaults, pair_operations,
            pair_with_destroyed_public, key_type_from_material, concurrent_pair_operations);
    };
    (@case $fresh:path, $($name:ident),*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            let Some((ctx, cleanup)) = $fresh().await else { return };
            store_common::$name(ctx).await;
            cleanup();
        }
    )*};
}
pub(crate) use store_suite;

//! The conformance suite every [`Backend`] must pass.
//!
//! Each function is one behaviour, takes the backend under test and panics on a
//! failure. A runner (`tests/sqlite_backend.rs`, `tests/postgres_backend.rs`) calls each
//! from a `#[tokio::test(flavor = "multi_thread")]`. The functions scope everything
//! they write by fresh owners and identifiers, so they may share one database and run
//! in parallel. Keep the names stable: runners call them by name.

use std::sync::Arc;

use kmip_types::{ObjectType, State};
use kms_store::backend::{Backend, Changes, DateColumn, DateRange, IndexQuery, Storage, TxnFn};
use kms_store::{Identity, IndexEntry, ObjectId, ObjectRecord, StoreError};

// ---------------------------------------------------------------------------------
// Helpers

/// A fresh owner no other test uses.
pub fn fresh_owner(label: &str) -> Identity {
    Identity::new(&format!("suite-{label}-{}", ObjectId::generate())).expect("identity")
}

/// A new record of `owner`: Pre-Active symmetric key, no dates, live, revision 1.
pub fn record(owner: &Identity) -> ObjectRecord {
    let id = ObjectId::generate();
    ObjectRecord {
        seq: 0,
        owner: owner.clone(),
        object_type: ObjectType::SYMMETRIC_KEY,
        state: State::PRE_ACTIVE,
        activation_date: None,
        deactivation_date: None,
        archived: false,
        created: 1_000,
        last_change: 1_000,
        revision: 1,
        index: vec![IndexEntry::new("name", format!("key-{id}"))],
        attributes: format!("attributes of {id}").into_bytes(),
        material: Some(vec![0x5a; 32]),
        id,
    }
}

/// Inserts `records` in one transaction.
pub async fn insert_all<B: Backend>(backend: &B, records: Vec<ObjectRecord>) {
    let f: TxnFn<()> = Box::new(move |_| {
        Ok((
            (),
            Changes {
                updated: Vec::new(),
                inserted: records,
            },
        ))
    });
    backend.transact(Vec::new(), f).await.expect("insert");
}

/// Inserts `records` one transaction each, in order (so their `seq`s increase in that
/// order), and returns them as stored.
pub async fn insert_each<B: Backend>(backend: &B, records: Vec<ObjectRecord>) -> Vec<ObjectRecord> {
    let mut stored = Vec::with_capacity(records.len());
    for record in records {
        let id = record.id.clone();
        insert_all(backend, vec![record]).await;
        stored.push(backend.get(&id).await.expect("get").expect("inserted"));
    }
    stored
}

/// Applies `change` to the record of `id` in one transaction (revision + 1).
pub async fn update<B: Backend>(
    backend: &B,
    id: &ObjectId,
    change: impl FnOnce(&mut ObjectRecord) + Send + 'static,
) -> Result<(), StoreError> {
    let f: TxnFn<()> = Box::new(move |mut records| {
        let mut record = records.pop().flatten().ok_or(StoreError::NotFound)?;
        change(&mut record);
        record.revision += 1;
        Ok((
            (),
            Changes {
                updated: vec![record],
                inserted: Vec::new(),
            },
        ))
    });
    backend.transact(vec![id.clone()], f).await
}

/// The ids of `records`, in order.
pub fn ids(records: &[ObjectRecord]) -> Vec<ObjectId> {
    records.iter().map(|r| r.id.clone()).collect()
}

async fn located<B: Backend>(backend: &B, query: &IndexQuery) -> Vec<ObjectId> {
    ids(&backend.locate(query).await.expect("locate"))
}

fn pure_insert(records: Vec<ObjectRecord>) -> Changes {
    Changes {
        updated: Vec::new(),
        inserted: records,
    }
}

// ---------------------------------------------------------------------------------
// Insert, get, transact

/// A record reads back exactly as inserted, with a positive `seq` and revision 1;
/// empty and absent material, empty attributes, repeated and unordered index pairs,
/// dates and large blobs included.
pub async fn insert_and_get_round_trip<B: Backend>(backend: &B) {
    let owner = fresh_owner("round-trip");
    let plain = record(&owner);
    let mut rich = record(&owner);
    rich.object_type = ObjectType::PRIVATE_KEY;
    rich.state = State::DEACTIVATED;
    rich.activation_date = Some(-5);
    rich.deactivation_date = Some(i64::MAX);
    rich.archived = true;
    rich.created = 1_700_000_000;
    rich.last_change = 1_700_000_001;
    rich.index = vec![
        IndexEntry::new("z", "last"),
        IndexEntry::new("name", "déjà vu ' \" ; --"),
        IndexEntry::new("group", "g"),
        IndexEntry::new("group", "g"),
        IndexEntry::new("empty", ""),
    ];
    rich.attributes = (0..=255).cycle().take(100_000).collect();
    rich.material = Some((0..=255).rev().cycle().take(70_000).collect());
    let mut bare = record(&owner);
    bare.index = Vec::new();
    bare.attributes = Vec::new();
    bare.material = None;
    let mut empty_material = record(&owner);
    empty_material.material = Some(Vec::new());

    let all = vec![plain, rich, bare, empty_material];
    insert_all(backend, all.clone()).await;
    let mut last_seq = 0;
    for mut want in all {
        let got = backend.get(&want.id).await.expect("get").expect("present");
        assert!(got.seq > last_seq, "seqs increase in insertion order");
        last_seq = got.seq;
        want.seq = got.seq;
        assert_eq!(got, want);
    }
}

/// `get` of an unknown id is `None`, not an error.
pub async fn get_missing_is_none<B: Backend>(backend: &B) {
    assert_eq!(backend.get(&ObjectId::generate()).await.expect("get"), None);
}

/// The closure gets the records of its ids in the order asked, `None` for unknown
/// ids, and its value is returned.
pub async fn transact_loads_ids_in_order<B: Backend>(backend: &B) {
    let owner = fresh_owner("load-order");
    let a = record(&owner);
    let b = record(&owner);
    insert_all(backend, vec![a.clone(), b.clone()]).await;
    let missing = ObjectId::generate();
    let asked = vec![b.id.clone(), missing, a.id.clone(), b.id.clone()];
    let f: TxnFn<Vec<Option<ObjectId>>> = Box::new(|records| {
        let seen = records.into_iter().map(|r| r.map(|r| r.id)).collect();
        Ok((seen, Changes::default()))
    });
    let seen = backend.transact(asked, f).await.expect("transact");
    assert_eq!(seen, vec![Some(b.id.clone()), None, Some(a.id), Some(b.id)]);
}

/// An update carrying the stored revision + 1 commits (record and index entries
/// replaced); one carrying a stale revision, or for an unknown id, is a
/// [`StoreError::Conflict`] and changes nothing.
pub async fn update_checks_revision<B: Backend>(backend: &B) {
    let owner = fresh_owner("revision");
    let original = record(&owner);
    let id = original.id.clone();
    insert_all(backend, vec![original]).await;

    update(backend, &id, |r| {
        r.state = State::ACTIVE;
        r.index = vec![IndexEntry::new("name", "renamed")];
        r.attributes = b"v2".to_vec();
    })
    .await
    .expect("update");
    let stored = backend.get(&id).await.expect("get").expect("present");
    assert_eq!(stored.revision, 2);
    assert_eq!(stored.state, State::ACTIVE);
    assert_eq!(stored.attributes, b"v2");
    assert_eq!(stored.index, vec![IndexEntry::new("name", "renamed")]);

    // Written back with the revision it was loaded with: stale.
    let mut stale = stored.clone();
    stale.attributes = b"lost".to_vec();
    let f: TxnFn<()> = Box::new(move |_| {
        Ok((
            (),
            Changes {
                updated: vec![stale],
                inserted: Vec::new(),
            },
        ))
    });
    let err = backend.transact(vec![id.clone()], f).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");

    // A revision skipping ahead is as stale.
    let mut ahead = stored.clone();
    ahead.revision = 5;
    let f: TxnFn<()> = Box::new(move |_| {
        Ok((
            (),
            Changes {
                updated: vec![ahead],
                inserted: Vec::new(),
            },
        ))
    });
    let err = backend.transact(vec![id.clone()], f).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");

    // No such record.
    let mut ghost = record(&owner);
    ghost.revision = 2;
    let f: TxnFn<()> = Box::new(move |_| {
        Ok((
            (),
            Changes {
                updated: vec![ghost],
                inserted: Vec::new(),
            },
        ))
    });
    let err = backend.transact(Vec::new(), f).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");

    assert_eq!(
        backend.get(&id).await.expect("get").expect("present"),
        stored
    );
    // The old name no longer finds it, the new one does.
    let mut by_name = IndexQuery::owned_by(owner, 0);
    by_name.index = vec![("name".into(), format!("key-{id}"))];
    assert!(located(backend, &by_name).await.is_empty());
    by_name.index = vec![("name".into(), "renamed".into())];
    assert_eq!(located(backend, &by_name).await, vec![id]);
}

/// A closure returning `Err` commits nothing, and its error is returned as is.
pub async fn closure_error_commits_nothing<B: Backend>(backend: &B) {
    let owner = fresh_owner("closure-error");
    let kept = record(&owner);
    insert_all(backend, vec![kept.clone()]).await;
    let inserted = record(&owner);
    let inserted_id = inserted.id.clone();
    let f: TxnFn<()> = Box::new(move |mut records| {
        let mut changed = records.pop().flatten().expect("loaded");
        changed.attributes = b"changed".to_vec();
        changed.revision += 1;
        // Decides the changes, then refuses: none may be written.
        let _changes = Changes {
            updated: vec![changed],
            inserted: vec![inserted],
        };
        Err(StoreError::UsageLimitExceeded)
    });
    let err = backend
        .transact(vec![kept.id.clone()], f)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UsageLimitExceeded), "{err:?}");
    assert_eq!(backend.get(&inserted_id).await.expect("get"), None);
    let stored = backend.get(&kept.id).await.expect("get").expect("present");
    assert_eq!(stored.attributes, kept.attributes);
    assert_eq!(stored.revision, 1);
}

/// A transaction whose write fails part-way (an insert, then a stale update) leaves
/// none of its changes behind.
pub async fn failed_write_rolls_back_the_whole_transaction<B: Backend>(backend: &B) {
    let owner = fresh_owner("partial");
    let existing = record(&owner);
    insert_all(backend, vec![existing.clone()]).await;
    let fresh = record(&owner);
    let fresh_id = fresh.id.clone();
    let f: TxnFn<()> = Box::new(move |_| {
        Ok((
            (),
            Changes {
                // revision 1 → the stored one must be 0: a conflict.
                updated: vec![existing],
                inserted: vec![fresh],
            },
        ))
    });
    let err = backend.transact(Vec::new(), f).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict), "{err:?}");
    assert_eq!(backend.get(&fresh_id).await.expect("get"), None);
}

/// Inserting an id that exists fails that transaction only.
pub async fn duplicate_insert_fails<B: Backend>(backend: &B) {
    let owner = fresh_owner("duplicate");
    let first = record(&owner);
    insert_all(backend, vec![first.clone()]).await;
    let mut twin = record(&owner);
    twin.id = first.id.clone();
    twin.attributes = b"twin".to_vec();
    let f: TxnFn<()> = Box::new(move |_| Ok(((), pure_insert(vec![twin]))));
    assert!(backend.transact(Vec::new(), f).await.is_err());
    let stored = backend.get(&first.id).await.expect("get").expect("present");
    assert_eq!(stored.attributes, first.attributes);
}

/// A panicking closure is reported as [`StoreError::Backend`], commits nothing, and
/// the backend keeps working.
pub async fn panicking_closure_is_an_error<B: Backend>(backend: &B) {
    let owner = fresh_owner("panic");
    let lost = record(&owner);
    let lost_id = lost.id.clone();
    let f: TxnFn<()> = Box::new(move |_| {
        let _changes = pure_insert(vec![lost]);
        panic!("closure bug (expected by the test)");
    });
    let err = backend.transact(Vec::new(), f).await.unwrap_err();
    assert!(matches!(err, StoreError::Backend(_)), "{err:?}");
    assert_eq!(backend.get(&lost_id).await.expect("get"), None);
    let after = record(&owner);
    insert_all(backend, vec![after.clone()]).await;
    assert!(backend.get(&after.id).await.expect("get").is_some());
}

/// Concurrent transactions, some failing (closure `Err`, panic, duplicate insert,
/// stale update), do not affect each other: every successful one commits and
/// every failed one leaves nothing. A first, slow transaction holds the writer so the
/// others queue up together (on SQLite, they then share one group commit).
pub async fn failures_do_not_affect_concurrent_transactions<B: Backend>(backend: Arc<B>) {
    let owner = fresh_owner("group");
    let existing = record(&owner);
    insert_all(&*backend, vec![existing.clone()]).await;

    let slow = {
        let backend = Arc::clone(&backend);
        tokio::spawn(async move {
            let f: TxnFn<()> = Box::new(|_| {
                std::thread::sleep(std::time::Duration::from_millis(200));
                Ok(((), Changes::default()))
            });
            backend.transact(Vec::new(), f).await
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;

    let mut tasks = Vec::new();
    for i in 0..40 {
        let backend = Arc::clone(&backend);
        let mut rec = record(&owner);
        let existing = existing.clone();
        let id = rec.id.clone();
        let expect_ok = i % 5 == 0 || i % 5 == 4;
        tasks.push((
            id,
            expect_ok,
            tokio::spawn(async move {
                let f: TxnFn<u32> = Box::new(move |_| match i % 5 {
                    1 => Err(StoreError::NotFound),
                    2 => panic!("closure bug (expected by the test)"),
                    3 => {
                        // Same id as an existing record: the insert fails in SQL.
                        rec.id = existing.id.clone();
                        Ok((i, pure_insert(vec![rec])))
                    }
                    _ => Ok((i, pure_insert(vec![rec]))),
                });
                backend.transact(Vec::new(), f).await
            }),
        ));
    }
    // Stale updates of the existing record, each with an insert that must be undone.
    let mut stale = Vec::new();
    for _ in 0..5 {
        let backend = Arc::clone(&backend);
        let existing = existing.clone();
        let extra = record(&existing.owner);
        let extra_id = extra.id.clone();
        stale.push((
            extra_id,
            tokio::spawn(async move {
                let f: TxnFn<()> = Box::new(move |_| {
                    Ok((
                        (),
                        Changes {
                            updated: vec![existing],
                            inserted: vec![extra],
                        },
                    ))
                });
                backend.transact(Vec::new(), f).await
            }),
        ));
    }

    slow.await.expect("join").expect("slow transaction");
    for (id, expect_ok, task) in tasks {
        let result = task.await.expect("join");
        let stored = backend.get(&id).await.expect("get");
        if expect_ok {
            result.expect("successful transaction");
            assert!(stored.is_some(), "a successful insert is missing");
        } else {
            assert!(result.is_err());
            assert!(stored.is_none(), "a failed insert was committed");
        }
    }
    for (id, task) in stale {
        let err = task.await.expect("join").unwrap_err();
        assert!(matches!(err, StoreError::Conflict), "{err:?}");
        assert_eq!(backend.get(&id).await.expect("get"), None);
    }
    let stored = backend
        .get(&existing.id)
        .await
        .expect("get")
        .expect("present");
    assert_eq!(stored, {
        let mut e = existing;
        e.seq = stored.seq;
        e
    });
}

/// `tasks` concurrent transactions each increment a counter kept in one record's
/// attributes: none is lost, and the revision counts them all.
pub async fn concurrent_increments_lose_no_update<B: Backend>(backend: Arc<B>, tasks: u64) {
    let owner = fresh_owner("counter");
    let mut counter = record(&owner);
    counter.attributes = 0_u64.to_be_bytes().to_vec();
    let id = counter.id.clone();
    insert_all(&*backend, vec![counter]).await;

    let mut handles = Vec::new();
    for _ in 0..tasks {
        let backend = Arc::clone(&backend);
        let id = id.clone();
        handles.push(tokio::spawn(async move {
            let f: TxnFn<u64> = Box::new(|mut records| {
                let mut record = records.pop().flatten().ok_or(StoreError::NotFound)?;
                let bytes: [u8; 8] = record
                    .attributes
                    .as_slice()
                    .try_into()
                    .map_err(|_| StoreError::Corrupt("counter".into()))?;
                let next = u64::from_be_bytes(bytes) + 1;
                record.attributes = next.to_be_bytes().to_vec();
                record.revision += 1;
                Ok((
                    next,
                    Changes {
                        updated: vec![record],
                        inserted: Vec::new(),
                    },
                ))
            });
            backend.transact(vec![id], f).await
        }));
    }
    let mut seen = Vec::new();
    for handle in handles {
        seen.push(handle.await.expect("join").expect("increment"));
    }
    seen.sort_unstable();
    assert_eq!(
        seen,
        (1..=tasks).collect::<Vec<_>>(),
        "each saw a distinct value"
    );
    let stored = backend.get(&id).await.expect("get").expect("present");
    assert_eq!(stored.attributes, tasks.to_be_bytes());
    assert_eq!(stored.revision, 1 + i64::try_from(tasks).expect("count"));
}

// ---------------------------------------------------------------------------------
// Locate

/// By owner, and by owner and object type.
pub async fn locate_by_owner_and_type<B: Backend>(backend: &B) {
    let owner = fresh_owner("type");
    let mut certificate = record(&owner);
    certificate.object_type = ObjectType::CERTIFICATE;
    let stored = insert_each(backend, vec![record(&owner), certificate, record(&owner)]).await;
    let everything = IndexQuery::owned_by(owner.clone(), 0);
    assert_eq!(located(backend, &everything).await, ids(&stored));

    let mut keys = everything.clone();
    keys.object_type = Some(ObjectType::SYMMETRIC_KEY);
    assert_eq!(
        located(backend, &keys).await,
        vec![stored[0].id.clone(), stored[2].id.clone()]
    );
    keys.object_type = Some(ObjectType::CERTIFICATE);
    assert_eq!(located(backend, &keys).await, vec![stored[1].id.clone()]);
    keys.object_type = Some(ObjectType::PUBLIC_KEY);
    assert!(located(backend, &keys).await.is_empty());
}

/// By effective state: stored states, and the date-driven transitions at `now`.
pub async fn locate_by_effective_state<B: Backend>(backend: &B) {
    let owner = fresh_owner("state");
    let now = 1_000_000;
    let mut pre_active = record(&owner); // no activation date
    pre_active.state = State::PRE_ACTIVE;
    let mut activates_later = record(&owner);
    activates_later.activation_date = Some(now + 10);
    let mut activated_by_date = record(&owner);
    activated_by_date.activation_date = Some(now - 10);
    let mut active = record(&owner);
    active.state = State::ACTIVE;
    let mut deactivated_by_date = record(&owner);
    deactivated_by_date.state = State::ACTIVE;
    deactivated_by_date.deactivation_date = Some(now);
    let mut both_dates_passed = record(&owner);
    both_dates_passed.activation_date = Some(now - 20);
    both_dates_passed.deactivation_date = Some(now - 10);
    let mut compromised = record(&owner);
    compromised.state = State::COMPROMISED;
    compromised.deactivation_date = Some(now - 10);
    let mut destroyed = record(&owner);
    destroyed.state = State::DESTROYED;
    destroyed.material = None;
    let s = insert_each(
        backend,
        vec![
            pre_active,
            activates_later,
            activated_by_date,
            active,
            deactivated_by_date,
            both_dates_passed,
            compromised,
            destroyed,
        ],
    )
    .await;

    let at = |state: State, now: i64| {
        let mut q = IndexQuery::owned_by(owner.clone(), now);
        q.state = Some(state);
        q
    };
    let want =
        |indices: &[usize]| -> Vec<ObjectId> { indices.iter().map(|&i| s[i].id.clone()).collect() };
    assert_eq!(
        located(backend, &at(State::PRE_ACTIVE, now)).await,
        want(&[0, 1])
    );
    assert_eq!(
        located(backend, &at(State::ACTIVE, now)).await,
        want(&[2, 3])
    );
    assert_eq!(
        located(backend, &at(State::DEACTIVATED, now)).await,
        want(&[4, 5])
    );
    assert_eq!(
        located(backend, &at(State::COMPROMISED, now)).await,
        want(&[6])
    );
    assert_eq!(
        located(backend, &at(State::DESTROYED, now)).await,
        want(&[7])
    );
    // Earlier, before any date passed.
    let early = now - 100;
    assert_eq!(
        located(backend, &at(State::PRE_ACTIVE, early)).await,
        want(&[0, 1, 2, 5])
    );
    assert_eq!(
        located(backend, &at(State::ACTIVE, early)).await,
        want(&[3, 4])
    );
    assert!(
        located(backend, &at(State::DEACTIVATED, early))
            .await
            .is_empty()
    );
}

/// By index pairs: one pair, several pairs (all must hold), a value no record has,
/// and a record that repeats a pair is returned once.
pub async fn locate_by_index_pairs<B: Backend>(backend: &B) {
    let owner = fresh_owner("pairs");
    let mut a = record(&owner);
    a.index = vec![
        IndexEntry::new("name", "alpha"),
        IndexEntry::new("group", "g1"),
        IndexEntry::new("group", "g1"),
    ];
    let mut b = record(&owner);
    b.index = vec![
        IndexEntry::new("name", "beta"),
        IndexEntry::new("group", "g1"),
        IndexEntry::new("x-custom", "c"),
    ];
    let mut c = record(&owner);
    c.index = vec![
        IndexEntry::new("name", "gamma"),
        IndexEntry::new("group", "g2"),
    ];
    let s = insert_each(backend, vec![a, b, c]).await;

    let with = |pairs: &[(&str, &str)]| {
        let mut q = IndexQuery::owned_by(owner.clone(), 0);
        q.index = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        q
    };
    assert_eq!(
        located(backend, &with(&[("name", "beta")])).await,
        vec![s[1].id.clone()]
    );
    assert_eq!(
        located(backend, &with(&[("group", "g1")])).await,
        vec![s[0].id.clone(), s[1].id.clone()]
    );
    assert_eq!(
        located(backend, &with(&[("group", "g1"), ("x-custom", "c")])).await,
        vec![s[1].id.clone()]
    );
    assert!(
        located(backend, &with(&[("group", "g2"), ("name", "alpha")]))
            .await
            .is_empty()
    );
    assert!(
        located(backend, &with(&[("name", "delta")]))
            .await
            .is_empty()
    );
    // The key matters, not only the value.
    assert!(
        located(backend, &with(&[("group", "alpha")]))
            .await
            .is_empty()
    );
    // Values are data, never SQL.
    assert!(
        located(backend, &with(&[("name", "' OR 1=1 --")]))
            .await
            .is_empty()
    );
}

/// By inclusive ranges over the four date columns; a record without an Activation
/// or Deactivation Date never matches a range over it.
pub async fn locate_by_date_ranges<B: Backend>(backend: &B) {
    let owner = fresh_owner("dates");
    let mut r = Vec::new();
    for (i, created) in [100, 200, 300].into_iter().enumerate() {
        let mut rec = record(&owner);
        rec.created = created;
        rec.last_change = created + 5;
        if i > 0 {
            rec.activation_date = Some(created + 10);
        }
        if i == 2 {
            rec.deactivation_date = Some(1_000);
        }
        r.push(rec);
    }
    let s = insert_each(backend, r).await;
    let range = |column, from, to| {
        let mut q = IndexQuery::owned_by(owner.clone(), 0);
        q.dates = vec![DateRange { column, from, to }];
        q
    };
    let want =
        |indices: &[usize]| -> Vec<ObjectId> { indices.iter().map(|&i| s[i].id.clone()).collect() };
    assert_eq!(
        located(backend, &range(DateColumn::Created, Some(200), Some(300))).await,
        want(&[1, 2])
    );
    assert_eq!(
        located(backend, &range(DateColumn::Created, None, Some(200))).await,
        want(&[0, 1])
    );
    assert_eq!(
        located(backend, &range(DateColumn::LastChange, Some(106), None)).await,
        want(&[1, 2])
    );
    assert_eq!(
        located(backend, &range(DateColumn::Activation, None, None)).await,
        want(&[1, 2])
    );
    assert_eq!(
        located(
            backend,
            &range(DateColumn::Activation, None, Some(i64::MAX))
        )
        .await,
        want(&[1, 2])
    );
    assert_eq!(
        located(
            backend,
            &range(DateColumn::Activation, Some(310), Some(310))
        )
        .await,
        want(&[2])
    );
    assert_eq!(
        located(
            backend,
            &range(DateColumn::Deactivation, Some(i64::MIN), None)
        )
        .await,
        want(&[2])
    );
    // Two ranges: both must hold.
    let mut both = range(DateColumn::Created, Some(100), None);
    both.dates.push(DateRange {
        column: DateColumn::Activation,
        from: None,
        to: Some(215),
    });
    assert_eq!(located(backend, &both).await, want(&[1]));
}

/// Live, archived, or both.
pub async fn locate_by_storage<B: Backend>(backend: &B) {
    let owner = fresh_owner("storage");
    let mut archived = record(&owner);
    archived.archived = true;
    let s = insert_each(backend, vec![record(&owner), archived]).await;
    let mut q = IndexQuery::owned_by(owner.clone(), 0);
    assert_eq!(q.storage, Storage::Live);
    assert_eq!(located(backend, &q).await, vec![s[0].id.clone()]);
    q.storage = Storage::Archived;
    assert_eq!(located(backend, &q).await, vec![s[1].id.clone()]);
    q.storage = Storage::Any;
    assert_eq!(located(backend, &q).await, ids(&s));
}

/// Keyset paging: `after_seq` and `limit` walk the results in `seq` order, each once;
/// the records come back whole.
pub async fn locate_pages_with_after_seq_and_limit<B: Backend>(backend: &B) {
    let owner = fresh_owner("paging");
    let mut records = Vec::new();
    for i in 0..25 {
        let mut rec = record(&owner);
        rec.index.push(IndexEntry::new("group", "paged"));
        if i % 3 == 0 {
            rec.index.push(IndexEntry::new("x-third", "yes"));
        }
        records.push(rec);
    }
    let stored = insert_each(backend, records).await;

    for pairs in [vec![], vec![("group".to_owned(), "paged".to_owned())]] {
        let mut q = IndexQuery::owned_by(owner.clone(), 0);
        q.index = pairs;
        q.limit = 10;
        let mut pages = Vec::new();
        let mut seen = Vec::new();
        while pages.len() <= 10 {
            let page = backend.locate(&q).await.expect("locate");
            let Some(last) = page.last() else { break };
            q.after_seq = last.seq;
            pages.push(page.len());
            seen.extend(page);
        }
        assert_eq!(seen, stored, "each record once, in order, whole");
        assert_eq!(pages, vec![10, 10, 5]);
    }

    // The cursor and the pair together.
    let mut q = IndexQuery::owned_by(owner.clone(), 0);
    q.index = vec![("x-third".into(), "yes".into())];
    q.after_seq = stored[3].seq;
    q.limit = 3;
    let want: Vec<ObjectId> = [6, 9, 12].iter().map(|&i| stored[i].id.clone()).collect();
    assert_eq!(located(backend, &q).await, want);
    q.limit = 0;
    assert!(located(backend, &q).await.is_empty());
}

/// A query with an owner sees only that owner's objects, whatever else matches; one
/// without an owner (administrative) sees every owner's.
pub async fn locate_isolates_owners<B: Backend>(backend: &B) {
    let alice = fresh_owner("alice");
    let bob = fresh_owner("bob");
    let shared_name = format!("shared-{}", ObjectId::generate());
    let mut a = record(&alice);
    a.index = vec![IndexEntry::new("name", shared_name.clone())];
    let mut b = record(&bob);
    b.index = vec![IndexEntry::new("name", shared_name.clone())];
    let s = insert_each(backend, vec![a, b]).await;

    let mut q = IndexQuery::owned_by(alice.clone(), 0);
    q.index = vec![("name".into(), shared_name.clone())];
    assert_eq!(located(backend, &q).await, vec![s[0].id.clone()]);
    q.owner = Some(bob.clone());
    assert_eq!(located(backend, &q).await, vec![s[1].id.clone()]);
    q.owner = Some(fresh_owner("nobody"));
    assert!(located(backend, &q).await.is_empty());
    q.owner = None;
    assert_eq!(located(backend, &q).await, ids(&s));
    assert_eq!(
        located(backend, &IndexQuery::owned_by(alice, 0)).await,
        vec![s[0].id.clone()]
    );
}

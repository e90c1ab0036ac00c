//! The PostgreSQL backend against a real server: the shared backend suite
//! (`common/backend_suite.rs`), then what only PostgreSQL has: concurrent migrations,
//! the plans of indexed queries, and two nodes racing transitions on the same records.
//!
//! Runs only when `KMS_TEST_POSTGRES_URL` is set (for example
//! `postgres://postgres@127.0.0.1:5432/test`); otherwise each test says it was skipped
//! and passes. Each test works in a fresh schema of its own and drops it at the end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use kmip_types::{ObjectType, State};
use kms_store::backend::postgres::{PostgresBackend, PostgresOptions};
use kms_store::backend::{Backend, Changes, DateColumn, DateRange, IndexQuery, Storage};
use kms_store::{Identity, IndexEntry, ObjectId, ObjectRecord, StoreError};

/// A fresh schema in the test database, for one test.
struct TestDb {
    url: String,
    schema: String,
}

impl TestDb {
    /// `None` (after saying so on stderr) when no database is configured.
    fn new(test: &str) -> Option<TestDb> {
        let Ok(url) = std::env::var("KMS_TEST_POSTGRES_URL") else {
            eprintln!("{test}: skipped: KMS_TEST_POSTGRES_URL not set");
            return None;
        };
        let schema = format!("kms_test_{}", uuid::Uuid::new_v4().simple());
        Some(TestDb { url, schema })
    }

    fn options(&self, pool_size: usize) -> PostgresOptions {
        PostgresOptions {
            schema: Some(self.schema.clone()),
            pool_size,
            ..PostgresOptions::default()
        }
    }

    /// A node: its own pool on the shared schema.
    async fn node(&self, pool_size: usize) -> PostgresBackend {
        PostgresBackend::connect_with(&self.url, self.options(pool_size))
            .await
            .expect("connect")
    }

    /// A plain connection with the test schema first on its search path.
    async fn sql(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .expect("connect for SQL");
        tokio::spawn(connection);
        client
            .batch_execute(&format!("SET search_path TO {}", self.schema))
            .await
            .expect("search_path");
        client
    }

    async fn drop_schema(self) {
        let client = self.sql().await;
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema))
            .await
            .expect("drop schema");
    }
}

/// The shared backend suite, one test per function, each in a fresh schema.
mod conformance {
    use super::*;
    use crate::common::backend_suite as suite;

    macro_rules! suite_tests {
        ($($name:ident),* $(,)?) => {$(
            #[tokio::test(flavor = "multi_thread")]
            async fn $name() {
                let Some(db) = TestDb::new(stringify!($name)) else {
                    return;
                };
                let backend = db.node(4).await;
                suite::$name(&backend).await;
                db.drop_schema().await;
            }
        )*};
    }

    suite_tests!(
        insert_and_get_round_trip,
        get_missing_is_none,
        transact_loads_ids_in_order,
        update_checks_revision,
        closure_error_commits_nothing,
        failed_write_rolls_back_the_whole_transaction,
        duplicate_insert_fails,
        panicking_closure_is_an_error,
        locate_by_owner_and_type,
        locate_by_effective_state,
        locate_by_index_pairs,
        locate_by_date_ranges,
        locate_by_storage,
        locate_pages_with_after_seq_and_limit,
        locate_isolates_owners,
    );

    #[tokio::test(flavor = "multi_thread")]
    async fn failures_do_not_affect_concurrent_transactions() {
        let Some(db) = TestDb::new("failures_do_not_affect_concurrent_transactions") else {
            return;
        };
        let backend = Arc::new(db.node(16).await);
        suite::failures_do_not_affect_concurrent_transactions(backend).await;
        db.drop_schema().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn concurrent_increments_lose_no_update() {
        let Some(db) = TestDb::new("concurrent_increments_lose_no_update") else {
            return;
        };
        let backend = Arc::new(db.node(16).await);
        suite::concurrent_increments_lose_no_update(backend, 200).await;
        db.drop_schema().await;
    }

    /// All suite functions on one schema at once, as nodes share one database: they
    /// must not see each other's records.
    #[tokio::test(flavor = "multi_thread")]
    async fn suite_functions_share_one_schema() {
        let Some(db) = TestDb::new("suite_functions_share_one_schema") else {
            return;
        };
        let backend = Arc::new(db.node(16).await);
        let b = &*backend;
        tokio::join!(
            suite::insert_and_get_round_trip(b),
            suite::update_checks_revision(b),
            suite::locate_by_owner_and_type(b),
            suite::locate_by_effective_state(b),
            suite::locate_by_index_pairs(b),
            suite::locate_by_date_ranges(b),
            suite::locate_by_storage(b),
            suite::locate_pages_with_after_seq_and_limit(b),
            suite::locate_isolates_owners(b),
            suite::concurrent_increments_lose_no_update(Arc::clone(&backend), 50),
        );
        db.drop_schema().await;
    }
}

fn owner(name: &str) -> Identity {
    Identity::new(name).expect("identity")
}

/// A record with every field set, material holding every byte value.
fn record(owner_name: &str, object_type: ObjectType, state: State) -> ObjectRecord {
    ObjectRecord {
        id: ObjectId::generate(),
        seq: 0,
        owner: owner(owner_name),
        object_type,
        state,
        activation_date: None,
        deactivation_date: None,
        archived: false,
        created: 1_700_000_000,
        last_change: 1_700_000_000,
        revision: 1,
        index: Vec::new(),
        attributes: vec![0, 1, 2, 0xff, 0, b'\'', b'\\'],
        material: Some((0..=255u8).rev().collect()),
    }
}

async fn insert(backend: &PostgresBackend, records: Vec<ObjectRecord>) {
    backend
        .transact(
            Vec::new(),
            Box::new(move |_| {
                Ok((
                    (),
                    Changes {
                        updated: Vec::new(),
                        inserted: records,
                    },
                ))
            }),
        )
        .await
        .expect("insert");
}

/// Commits `changes` after loading `ids`, returning what the closure saw.
async fn apply(
    backend: &PostgresBackend,
    ids: Vec<ObjectId>,
    changes: Changes,
) -> Result<Vec<Option<ObjectRecord>>, StoreError> {
    backend
        .transact(ids, Box::new(move |loaded| Ok((loaded, changes))))
        .await
}

async fn stored(backend: &PostgresBackend, id: &ObjectId) -> ObjectRecord {
    backend.get(id).await.expect("get").expect("present")
}

#[tokio::test(flavor = "multi_thread")]
async fn insert_then_get_is_byte_identical() {
    let Some(db) = TestDb::new("insert_then_get_is_byte_identical") else {
        return;
    };
    let backend = db.node(4).await;
    assert!(!backend.exclusive());

    let mut full = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    full.activation_date = Some(1_700_000_100);
    full.deactivation_date = Some(-5);
    full.archived = true;
    full.index = vec![
        IndexEntry::new("name", "z last"),
        IndexEntry::new("group", "g"),
        IndexEntry::new("name", "a first ünïcode"),
        IndexEntry::new("name", "a first ünïcode"),
    ];
    full.object_type = ObjectType(0x8000_0001);
    let mut bare = record("bob", ObjectType::CERTIFICATE, State(u32::MAX));
    bare.material = None;
    bare.attributes = Vec::new();
    insert(&backend, vec![full.clone(), bare.clone()]).await;

    for mut want in [full, bare] {
        let got = stored(&backend, &want.id).await;
        assert!(got.seq > 0);
        want.seq = got.seq;
        assert_eq!(got, want);
        // The transaction path loads the same record.
        let loaded = apply(&backend, vec![want.id.clone()], Changes::default())
            .await
            .expect("load");
        assert_eq!(loaded, vec![Some(want)]);
    }
    let unknown = ObjectId::generate();
    assert_eq!(backend.get(&unknown).await.expect("get"), None);
    // Unknown and repeated ids keep the caller's order.
    let a = record("alice", ObjectType::SECRET_DATA, State::ACTIVE);
    insert(&backend, vec![a.clone()]).await;
    let loaded = apply(
        &backend,
        vec![a.id.clone(), unknown.clone(), a.id.clone()],
        Changes::default(),
    )
    .await
    .expect("load");
    let ids: Vec<Option<ObjectId>> = loaded
        .iter()
        .map(|r| r.as_ref().map(|r| r.id.clone()))
        .collect();
    assert_eq!(ids, vec![Some(a.id.clone()), None, Some(a.id)]);
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn revision_guard_refuses_lost_updates() {
    let Some(db) = TestDb::new("revision_guard_refuses_lost_updates") else {
        return;
    };
    let backend = db.node(4).await;
    let mut r = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    r.index = vec![IndexEntry::new("name", "old")];
    insert(&backend, vec![r.clone()]).await;
    let r = stored(&backend, &r.id).await;

    // Revision not advanced (a stale write), or advanced by two: refused.
    for revision in [r.revision, r.revision + 2, i64::MIN] {
        let mut stale = r.clone();
        stale.state = State::ACTIVE;
        stale.revision = revision;
        let changes = Changes {
            updated: vec![stale],
            inserted: Vec::new(),
        };
        let got = apply(&backend, vec![r.id.clone()], changes).await;
        assert!(
            matches!(got, Err(StoreError::Conflict)),
            "{revision}: {got:?}"
        );
    }
    assert_eq!(stored(&backend, &r.id).await, r);

    // Revision + 1: written whole, index entries replaced.
    let mut next = r.clone();
    next.state = State::ACTIVE;
    next.revision += 1;
    next.index = vec![
        IndexEntry::new("name", "new"),
        IndexEntry::new("group", "g"),
    ];
    next.material = None;
    let changes = Changes {
        updated: vec![next.clone()],
        inserted: Vec::new(),
    };
    apply(&backend, vec![r.id.clone()], changes)
        .await
        .expect("update");
    assert_eq!(stored(&backend, &r.id).await, next);
    let mut by_old_name = IndexQuery::owned_by(owner("alice"), 0);
    by_old_name.index = vec![("name".into(), "old".into())];
    assert!(
        backend
            .locate(&by_old_name)
            .await
            .expect("locate")
            .is_empty()
    );

    // The same entries (not rewritten), then in another order (rewritten, in order).
    let mut again = next.clone();
    for reorder in [false, true] {
        again.revision += 1;
        if reorder {
            again.index.reverse();
        }
        let changes = Changes {
            updated: vec![again.clone()],
            inserted: Vec::new(),
        };
        apply(&backend, vec![r.id.clone()], changes)
            .await
            .expect("update");
        assert_eq!(stored(&backend, &r.id).await, again);
    }

    // A duplicate id is a conflict too, and nothing of that transaction stays.
    let mut dup = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    dup.id = r.id.clone();
    let fresh = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    let changes = Changes {
        updated: Vec::new(),
        inserted: vec![fresh.clone(), dup],
    };
    let got = apply(&backend, Vec::new(), changes).await;
    assert!(matches!(got, Err(StoreError::Conflict)), "{got:?}");
    assert_eq!(backend.get(&fresh.id).await.expect("get"), None);
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn failed_transactions_commit_nothing() {
    let Some(db) = TestDb::new("failed_transactions_commit_nothing") else {
        return;
    };
    let backend = db.node(4).await;
    let a = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    let b = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    insert(&backend, vec![a.clone(), b.clone()]).await;
    let a = stored(&backend, &a.id).await;
    let b = stored(&backend, &b.id).await;

    // The closure refuses: its error comes back as it was, nothing is written.
    let got: Result<(), StoreError> = backend
        .transact(
            vec![a.id.clone()],
            Box::new(|_| Err(StoreError::PermissionDenied("test"))),
        )
        .await;
    assert!(matches!(got, Err(StoreError::PermissionDenied("test"))));

    // The first update is valid, the second stale: neither stays, nor the insert.
    let mut a2 = a.clone();
    a2.state = State::ACTIVE;
    a2.revision += 1;
    let b2 = b.clone();
    let c = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    let changes = Changes {
        updated: vec![a2, b2],
        inserted: vec![c.clone()],
    };
    let got = apply(&backend, vec![a.id.clone(), b.id.clone()], changes).await;
    assert!(matches!(got, Err(StoreError::Conflict)), "{got:?}");
    assert_eq!(stored(&backend, &a.id).await, a);
    assert_eq!(stored(&backend, &b.id).await, b);
    assert_eq!(backend.get(&c.id).await.expect("get"), None);

    // A value PostgreSQL refuses (NUL in text): a backend error naming the step, not
    // the value; nothing stays.
    let mut bad = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
    bad.index = vec![IndexEntry::new("name", "secret-name\0")];
    let changes = Changes {
        updated: Vec::new(),
        inserted: vec![bad.clone()],
    };
    let err = apply(&backend, Vec::new(), changes).await.expect_err("NUL");
    let message = err.to_string();
    assert!(matches!(err, StoreError::Backend(_)), "{message}");
    assert!(!message.contains("secret"), "{message}");
    assert!(message.contains("index entries"), "{message}");
    assert_eq!(backend.get(&bad.id).await.expect("get"), None);
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn locate_applies_every_filter() {
    let Some(db) = TestDb::new("locate_applies_every_filter") else {
        return;
    };
    let backend = db.node(4).await;
    let now = 1_000;
    let mk = |name: &str, who: &str, t: ObjectType, s: State| {
        let mut r = record(who, t, s);
        r.index = vec![IndexEntry::new("name", name)];
        r
    };
    let sym = ObjectType::SYMMETRIC_KEY;
    let mut recs = vec![
        mk("plain", "alice", sym, State::ACTIVE),
        mk("due", "alice", sym, State::PRE_ACTIVE), // activation passed: Active
        mk("later", "alice", sym, State::PRE_ACTIVE), // activation ahead: Pre-Active
        mk("expired", "alice", sym, State::ACTIVE), // deactivation passed: Deactivated
        mk("cert", "alice", ObjectType::CERTIFICATE, State::ACTIVE),
        mk("archived", "alice", sym, State::ACTIVE),
        mk("bobs", "bob", sym, State::ACTIVE),
        mk("compromised", "alice", sym, State::COMPROMISED),
    ];
    recs[1].activation_date = Some(now - 10);
    recs[2].activation_date = Some(now + 10);
    recs[3].deactivation_date = Some(now);
    recs[4].index.push(IndexEntry::new("group", "web"));
    recs[5].archived = true;
    for (i, r) in recs.iter_mut().enumerate() {
        r.created = 100 * i64::try_from(i).expect("small");
    }
    recs[0].index.push(IndexEntry::new("group", "web"));
    insert(&backend, recs.clone()).await;

    let names = |found: Vec<ObjectRecord>| -> Vec<String> {
        found
            .into_iter()
            .map(|r| {
                r.index
                    .into_iter()
                    .find(|e| e.key == "name")
                    .map(|e| e.value)
                    .unwrap_or_default()
            })
            .collect()
    };
    let base = IndexQuery::owned_by(owner("alice"), now);
    let run = |q: IndexQuery| {
        let backend = &backend;
        async move { names(backend.locate(&q).await.expect("locate")) }
    };

    assert_eq!(
        run(base.clone()).await,
        ["plain", "due", "later", "expired", "cert", "compromised"]
    );
    let mut q = base.clone();
    q.owner = Some(owner("bob"));
    assert_eq!(run(q).await, ["bobs"]);
    let mut q = base.clone();
    q.owner = None;
    assert_eq!(run(q).await.len(), 7);
    let mut q = base.clone();
    q.object_type = Some(ObjectType::CERTIFICATE);
    assert_eq!(run(q).await, ["cert"]);

    let by_state = |s: State| {
        let mut q = base.clone();
        q.state = Some(s);
        q
    };
    assert_eq!(run(by_state(State::ACTIVE)).await, ["plain", "due", "cert"]);
    assert_eq!(run(by_state(State::PRE_ACTIVE)).await, ["later"]);
    assert_eq!(run(by_state(State::DEACTIVATED)).await, ["expired"]);
    assert_eq!(run(by_state(State::COMPROMISED)).await, ["compromised"]);
    let mut earlier = by_state(State::ACTIVE);
    earlier.now = now - 20; // before "due" activates and "expired" deactivates
    assert_eq!(run(earlier).await, ["plain", "expired", "cert"]);

    let mut q = base.clone();
    q.index = vec![("group".into(), "web".into())];
    assert_eq!(run(q.clone()).await, ["plain", "cert"]);
    q.index.push(("name".into(), "cert".into()));
    assert_eq!(run(q.clone()).await, ["cert"]);
    q.index.push(("name".into(), "plain".into()));
    assert!(run(q).await.is_empty());
    let mut q = base.clone();
    q.index = vec![("name".into(), "x' OR '1'='1".into())];
    assert!(run(q).await.is_empty());

    let mut q = base.clone();
    q.storage = Storage::Archived;
    assert_eq!(run(q.clone()).await, ["archived"]);
    q.storage = Storage::Any;
    assert_eq!(run(q).await.len(), 7);

    let range = |column, from, to| {
        let mut q = base.clone();
        q.dates = vec![DateRange { column, from, to }];
        q
    };
    assert_eq!(
        run(range(DateColumn::Created, Some(100), Some(300))).await,
        ["due", "later", "expired"]
    );
    assert_eq!(
        run(range(DateColumn::Created, None, Some(100))).await,
        ["plain", "due"]
    );
    assert_eq!(
        run(range(DateColumn::Activation, None, None)).await,
        ["due", "later"]
    );
    assert_eq!(
        run(range(DateColumn::Activation, Some(now), None)).await,
        ["later"]
    );
    assert_eq!(
        run(range(DateColumn::Deactivation, Some(now), Some(now))).await,
        ["expired"]
    );
    assert_eq!(
        run(range(DateColumn::LastChange, Some(1_700_000_000), None))
            .await
            .len(),
        6
    );

    // Paging: keyset cursor on seq, in seq order.
    let all = backend.locate(&base).await.expect("locate");
    let mut paged = Vec::new();
    let mut q = base.clone();
    q.limit = 4;
    loop {
        let page = backend.locate(&q).await.expect("locate");
        assert!(page.len() <= 4);
        let Some(last) = page.last() else { break };
        q.after_seq = last.seq;
        paged.extend(page);
    }
    assert_eq!(paged, all);
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));
    db.drop_schema().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn migrations_are_idempotent_and_safe_concurrently() {
    let Some(db) = TestDb::new("migrations_are_idempotent_and_safe_concurrently") else {
        return;
    };
    let (a, b, c) = tokio::join!(
        PostgresBackend::connect_with(&db.url, db.options(2)),
        PostgresBackend::connect_with(&db.url, db.options(2)),
        PostgresBackend::connect_with(&db.url, db.options(2)),
    );
    let (a, b, _c) = (a.expect("a"), b.expect("b"), c.expect("c"));
    assert_eq!(a.schema_version().await.expect("version"), 1);
    let sql = db.sql().await;
    let rows = sql
        .query("SELECT version FROM schema_version ORDER BY version", &[])
        .await
        .expect("versions");
    let versions: Vec<i32> = rows.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, [1]);
    // Written by one node, read by another.
    let r = record("alice", ObjectType::SYMMETRIC_KEY, State::ACTIVE);
    insert(&a, vec![r.clone()]).await;
    assert_eq!(stored(&b, &r.id).await.attributes, r.attributes);
    // Again, on a migrated schema.
    db.node(2).await;

    // A database a newer version has migrated is refused.
    sql.execute("INSERT INTO schema_version (version) VALUES (99)", &[])
        .await
        .expect("bump");
    let err = PostgresBackend::connect_with(&db.url, db.options(2))
        .await
        .expect_err("newer schema");
    assert!(err.to_string().contains("newer"), "{err}");

    // Bad input never reaches the database, nor the message.
    let err = PostgresBackend::connect_with_schema(&db.url, "x; DROP TABLE objects")
        .await
        .expect_err("bad schema name");
    assert!(matches!(err, StoreError::InvalidField(_)), "{err}");
    let err = PostgresBackend::connect("postgres://u:hunter2@[::1")
        .await
        .expect_err("bad url");
    assert!(!err.to_string().contains("hunter2"), "{err}");
    db.drop_schema().await;
}

/// `connect` without a schema puts the tables in the first schema of the search path
/// (`public`), here of a database of its own.
#[tokio::test(flavor = "multi_thread")]
async fn connect_without_schema_uses_the_search_path() {
    let Some(db) = TestDb::new("connect_without_schema_uses_the_search_path") else {
        return;
    };
    let name = db.schema.clone(); // a fresh name, used for a database here
    let admin = db.sql().await;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create database");
    let (base, query) = match db.url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (db.url.as_str(), String::new()),
    };
    let (server, _) = base.rsplit_once('/').expect("URL with a database");
    let url = format!("{server}/{name}{query}");
    {
        let backend = PostgresBackend::connect(&url).await.expect("connect");
        assert_eq!(backend.schema(), None);
        assert_eq!(backend.schema_version().await.expect("version"), 1);
        let r = record("alice", ObjectType::SYMMETRIC_KEY, State::ACTIVE);
        insert(&backend, vec![r.clone()]).await;
        assert_eq!(stored(&backend, &r.id).await.material, r.material);
        // A second node on the same database migrates nothing and sees the record.
        let other = PostgresBackend::connect(&url).await.expect("connect again");
        assert_eq!(stored(&other, &r.id).await.attributes, r.attributes);
    }
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .expect("connect to the new database");
    tokio::spawn(connection);
    let tables: i64 = client
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_name IN ('objects', 'object_index', 'schema_version')",
            &[],
        )
        .await
        .expect("tables")
        .get(0);
    assert_eq!(tables, 3);
    drop(client);
    admin
        .batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("drop database");
}

#[tokio::test(flavor = "multi_thread")]
async fn indexed_queries_do_not_scan_objects() {
    let Some(db) = TestDb::new("indexed_queries_do_not_scan_objects") else {
        return;
    };
    let backend = db.node(8).await;
    let types = [
        ObjectType::SYMMETRIC_KEY,
        ObjectType::PRIVATE_KEY,
        ObjectType::PUBLIC_KEY,
        ObjectType::CERTIFICATE,
    ];
    let total = 20_000;
    let batch = 1_000;
    let started = Instant::now();
    for b in 0..total / batch {
        let recs = (b * batch..(b + 1) * batch)
            .map(|i| {
                let mut r = record(&format!("owner-{}", i % 50), types[i % 4], State::ACTIVE);
                r.index = vec![
                    IndexEntry::new("name", format!("key-{i}")),
                    IndexEntry::new("group", format!("group-{}", i % 100)),
                ];
                r
            })
            .collect();
        insert(&backend, recs).await;
    }
    let elapsed = started.elapsed();
    eprintln!(
        "inserted {total} records (2 index entries each) in {elapsed:?}: {:.0} records/s",
        f64::from(u32::try_from(total).expect("small")) / elapsed.as_secs_f64()
    );
    db.sql()
        .await
        .batch_execute("ANALYZE")
        .await
        .expect("analyze");

    let mut by_name = IndexQuery::owned_by(owner("owner-27"), 0);
    by_name.index = vec![("name".into(), "key-12377".into())];
    let mut by_type = IndexQuery::owned_by(owner("owner-3"), 0);
    by_type.object_type = Some(ObjectType::PRIVATE_KEY);
    by_type.limit = 100;
    let mut by_name_any_owner = by_name.clone();
    by_name_any_owner.owner = None;
    for (what, q, expected) in [
        ("name", &by_name, 1),
        ("owner and type", &by_type, 100),
        ("name, any owner", &by_name_any_owner, 1),
    ] {
        let plan = backend.explain_locate(q).await.expect("explain");
        eprintln!("plan for a {what} lookup:\n{plan}");
        assert!(!plan.contains("Seq Scan"), "{what}:\n{plan}");
        assert!(plan.contains("Index"), "{what}:\n{plan}");
        let started = Instant::now();
        let found = backend.locate(q).await.expect("locate");
        eprintln!(
            "{what} lookup: {} records in {:?}",
            found.len(),
            started.elapsed()
        );
        assert_eq!(found.len(), expected, "{what}");
    }
    db.drop_schema().await;
}

/// The test's state machine (KMIP-like, plus a reset so that records keep cycling).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Activate,
    Revoke,
    Compromise,
    Destroy,
    Reset,
}

const OPS: [Op; 5] = [
    Op::Activate,
    Op::Revoke,
    Op::Compromise,
    Op::Destroy,
    Op::Reset,
];

fn next_state(from: u32, op: Op) -> Option<u32> {
    match (from, op) {
        (1, Op::Activate) => Some(2),
        (2, Op::Revoke) => Some(3),
        (1..=3, Op::Compromise) => Some(4),
        (1 | 3, Op::Destroy) => Some(5),
        (4, Op::Destroy) => Some(6),
        (5 | 6, Op::Reset) => Some(1),
        _ => None,
    }
}

/// One committed transition, as its node saw it.
#[derive(Clone, Copy, Debug)]
struct Logged {
    node: usize,
    op: Op,
    from: u32,
    to: u32,
    revision: i64,
}

#[derive(Default)]
struct Outcomes {
    changed: AtomicU64,
    refused: AtomicU64,
    conflicts: AtomicU64,
    errors: AtomicU64,
}

/// Counts transitions in the attributes: a lost update would show as a count behind
/// the revision.
fn count(attributes: &[u8]) -> u64 {
    u64::from_le_bytes(attributes.try_into().expect("8 bytes"))
}

#[tokio::test(flavor = "multi_thread")]
async fn two_nodes_racing_transitions_serialise() {
    let Some(db) = TestDb::new("two_nodes_racing_transitions_serialise") else {
        return;
    };
    let nodes = [Arc::new(db.node(12).await), Arc::new(db.node(12).await)];
    let ids: Vec<ObjectId> = {
        let recs: Vec<ObjectRecord> = (0..4)
            .map(|_| {
                let mut r = record("alice", ObjectType::SYMMETRIC_KEY, State::PRE_ACTIVE);
                r.attributes = 0u64.to_le_bytes().to_vec();
                r
            })
            .collect();
        let ids = recs.iter().map(|r| r.id.clone()).collect();
        insert(&nodes[0], recs).await;
        ids
    };
    let log: Arc<Mutex<Vec<(ObjectId, Logged)>>> = Arc::default();
    let outcomes = Arc::new(Outcomes::default());
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut tasks = Vec::new();
    for (node_no, node) in nodes.iter().enumerate() {
        for task in 0..50u64 {
            let (node, ids, log, outcomes) =
                (node.clone(), ids.clone(), log.clone(), outcomes.clone());
            let mut rng = 0x9E37_79B9_7F4A_7C15u64 ^ (task * 2 + node_no as u64 + 1);
            tasks.push(tokio::spawn(async move {
                while Instant::now() < deadline {
                    rng ^= rng << 13;
                    rng ^= rng >> 7;
                    rng ^= rng << 17;
                    let id = ids[(rng % 4) as usize].clone();
                    let op = OPS[((rng >> 8) % 5) as usize];
                    let result = node
                        .transact(
                            vec![id.clone()],
                            Box::new(move |mut loaded| {
                                let mut rec = loaded.pop().flatten().ok_or(StoreError::NotFound)?;
                                let from = rec.state.0;
                                let Some(to) = next_state(from, op) else {
                                    return Ok((None, Changes::default()));
                                };
                                rec.state = State(to);
                                rec.revision += 1;
                                rec.attributes =
                                    (count(&rec.attributes) + 1).to_le_bytes().to_vec();
                                let revision = rec.revision;
                                let changes = Changes {
                                    updated: vec![rec],
                                    inserted: Vec::new(),
                                };
                                Ok((Some((from, to, revision)), changes))
                            }),
                        )
                        .await;
                    let counter = match result {
                        Ok(Some((from, to, revision))) => {
                            let entry = Logged {
                                node: node_no,
                                op,
                                from,
                                to,
                                revision,
                            };
                            log.lock().expect("log").push((id, entry));
                            &outcomes.changed
                        }
                        Ok(None) => &outcomes.refused,
                        Err(StoreError::Conflict) => &outcomes.conflicts,
                        Err(e) => {
                            eprintln!("transaction failed: {e}");
                            &outcomes.errors
                        }
                    };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
    }
    let started = Instant::now();
    for t in tasks {
        t.await.expect("task");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let total = get(&outcomes.changed) + get(&outcomes.refused) + get(&outcomes.conflicts);
    eprintln!(
        "two nodes, 100 tasks, 4 records: {} transitions, {} refused, {} conflicts, {} errors \
         in {elapsed:.1}s ({:.0} transactions/s)",
        get(&outcomes.changed),
        get(&outcomes.refused),
        get(&outcomes.conflicts),
        get(&outcomes.errors),
        total as f64 / elapsed
    );
    assert_eq!(get(&outcomes.errors), 0);
    // The row locks serialise the transactions, so the revision guard never fires.
    assert_eq!(get(&outcomes.conflicts), 0);

    let log = log.lock().expect("log").clone();
    let mut per_record: HashMap<ObjectId, Vec<Logged>> = HashMap::new();
    for (id, entry) in log {
        per_record.entry(id).or_default().push(entry);
    }
    let mut by_node = [0usize; 2];
    for id in &ids {
        let mut chain = per_record.remove(id).unwrap_or_default();
        chain.sort_by_key(|e| e.revision);
        let mut state = State::PRE_ACTIVE.0;
        let mut revision = 1;
        for e in &chain {
            assert_eq!(e.revision, revision + 1, "gap or duplicate: {chain:?}");
            assert_eq!(
                e.from, state,
                "not a serial history at revision {}",
                e.revision
            );
            assert_eq!(next_state(e.from, e.op), Some(e.to), "illegal {e:?}");
            by_node[e.node] += 1;
            state = e.to;
            revision = e.revision;
        }
        let last = nodes[1].get(id).await.expect("get").expect("present");
        assert_eq!(last.state.0, state);
        assert!((1..=6).contains(&last.state.0));
        assert_eq!(last.revision, revision);
        assert_eq!(count(&last.attributes), chain.len() as u64);
    }
    eprintln!("transitions by node: {by_node:?}");
    assert!(by_node.iter().all(|n| *n > 0), "{by_node:?}");
    db.drop_schema().await;
}

/// Throughput of 32 concurrent tasks on one node (printed, not asserted): each on a
/// record of its own, then all on one record.
#[tokio::test(flavor = "multi_thread")]
async fn throughput_of_32_tasks() {
    let Some(db) = TestDb::new("throughput_of_32_tasks") else {
        return;
    };
    let backend = Arc::new(db.node(16).await);
    let recs: Vec<ObjectRecord> = (0..32)
        .map(|_| record("alice", ObjectType::SYMMETRIC_KEY, State::ACTIVE))
        .collect();
    let ids: Vec<ObjectId> = recs.iter().map(|r| r.id.clone()).collect();
    insert(&backend, recs).await;
    for (what, shared) in [("own record", false), ("one shared record", true)] {
        let deadline = Instant::now() + Duration::from_secs(2);
        let done = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let tasks: Vec<_> = (0..32)
            .map(|t| {
                let (backend, done) = (backend.clone(), done.clone());
                let id = ids[if shared { 0 } else { t }].clone();
                tokio::spawn(async move {
                    while Instant::now() < deadline {
                        backend
                            .transact(
                                vec![id.clone()],
                                Box::new(|mut loaded| {
                                    let mut rec =
                                        loaded.pop().flatten().ok_or(StoreError::NotFound)?;
                                    rec.revision += 1;
                                    rec.last_change += 1;
                                    Ok((
                                        (),
                                        Changes {
                                            updated: vec![rec],
                                            inserted: Vec::new(),
                                        },
                                    ))
                                }),
                            )
                            .await
                            .expect("transact");
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.expect("task");
        }
        let n = done.load(Ordering::Relaxed);
        eprintln!(
            "32 tasks, pool of 16, {what}: {n} read-modify-write transactions in {:.1}s = {:.0}/s",
            started.elapsed().as_secs_f64(),
            n as f64 / started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    let mut reads = 0u32;
    while started.elapsed() < Duration::from_secs(1) {
        backend.get(&ids[reads as usize % 32]).await.expect("get");
        reads += 1;
    }
    eprintln!("sequential get: {reads}/s");
    db.drop_schema().await;
}

//! The backend suite on a real SQLite file, and what only SQLite has: its lock, its
//! schema version, reopening.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::backend_suite as suite;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::backend::{Backend, Changes, IndexQuery, TxnFn};
use kms_store::{ObjectId, StoreError};

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("kms-store-sqlite-{label}-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("store.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn open(path: &Path) -> SqliteBackend {
    SqliteBackend::open(path).unwrap()
}

/// One `#[tokio::test]` per suite function, each on a fresh database.
macro_rules! suite_tests {
    ($($name:ident),* $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread")]
        async fn $name() {
            let dir = TempDir::new(stringify!($name));
            let backend = open(&dir.db());
            suite::$name(&backend).await;
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
    let dir = TempDir::new("group");
    let backend = Arc::new(open(&dir.db()));
    suite::failures_do_not_affect_concurrent_transactions(backend).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_increments_lose_no_update() {
    let dir = TempDir::new("counter");
    let backend = Arc::new(open(&dir.db()));
    suite::concurrent_increments_lose_no_update(backend, 200).await;
}

/// All suite functions against one database at once, as they would share a
/// PostgreSQL database: they must not see each other's records.
#[tokio::test(flavor = "multi_thread")]
async fn suite_functions_share_one_database() {
    let dir = TempDir::new("shared");
    let backend = Arc::new(open(&dir.db()));
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
}

#[tokio::test(flavor = "multi_thread")]
async fn is_exclusive() {
    let dir = TempDir::new("exclusive");
    assert!(open(&dir.db()).exclusive());
}

#[tokio::test(flavor = "multi_thread")]
async fn reopening_after_drop_sees_everything() {
    let dir = TempDir::new("reopen");
    let owner = suite::fresh_owner("reopen");
    let records: Vec<_> = (0..20).map(|_| suite::record(&owner)).collect();
    let stored = {
        let backend = open(&dir.db());
        let stored = suite::insert_each(&backend, records).await;
        suite::update(&backend, &stored[0].id, |r| {
            r.attributes = b"changed".to_vec()
        })
        .await
        .unwrap();
        stored
    };
    let backend = open(&dir.db());
    let found = backend
        .locate(&IndexQuery::owned_by(owner, 0))
        .await
        .unwrap();
    assert_eq!(suite::ids(&found), suite::ids(&stored));
    assert_eq!(found[0].attributes, b"changed");
    assert_eq!(found[0].revision, 2);
    assert_eq!(found[1..], stored[1..]);
    // New records continue the sequence.
    let more = suite::insert_each(&backend, vec![suite::record(&suite::fresh_owner("x"))]).await;
    assert!(more[0].seq > stored[19].seq);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_open_is_refused_while_the_first_is_open() {
    let dir = TempDir::new("lock");
    let first = open(&dir.db());
    let err = SqliteBackend::open(&dir.db()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Backend(m) if m.contains("in use")),
        "{err}"
    );
    drop(first);
    open(&dir.db());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_database_gets_the_current_schema_version() {
    let dir = TempDir::new("version");
    drop(open(&dir.db()));
    assert_eq!(user_version(&dir.db()), SqliteBackend::SCHEMA_VERSION);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_from_a_newer_build_is_refused() {
    let dir = TempDir::new("newer");
    drop(open(&dir.db()));
    let newer = SqliteBackend::SCHEMA_VERSION + 1;
    rusqlite::Connection::open(dir.db())
        .unwrap()
        .pragma_update(None, "user_version", newer)
        .unwrap();
    let err = SqliteBackend::open(&dir.db()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Backend(m) if m.contains("newer")),
        "{err}"
    );
    // Refused without being touched.
    assert_eq!(user_version(&dir.db()), newer);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_database_is_durable_wal() {
    let dir = TempDir::new("pragmas");
    let _backend = open(&dir.db());
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Group commit throughput: concurrent tasks inserting one record per transaction,
/// each acknowledged only once fsync'd; a single task shows the latency of one
/// commit alone. Run by hand:
/// `cargo test --release -p kms-store --test sqlite_backend -- --ignored --nocapture`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement, not a test"]
async fn group_commit_throughput() {
    measure(1, 200).await;
    measure(64, 500).await;
}

async fn measure(tasks: usize, per_task: usize) {
    let dir = TempDir::new("throughput");
    let backend = Arc::new(open(&dir.db()));
    let owner = suite::fresh_owner("throughput");
    let start = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let backend = Arc::clone(&backend);
        let owner = owner.clone();
        handles.push(tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            for _ in 0..per_task {
                let record = suite::record(&owner);
                let f: TxnFn<()> = Box::new(move |_| {
                    Ok((
                        (),
                        Changes {
                            updated: Vec::new(),
                            inserted: vec![record],
                        },
                    ))
                });
                let t = Instant::now();
                backend.transact(Vec::new(), f).await.unwrap();
                slowest = slowest.max(t.elapsed());
            }
            slowest
        }));
    }
    let mut slowest = Duration::ZERO;
    for handle in handles {
        slowest = slowest.max(handle.await.unwrap());
    }
    let elapsed = start.elapsed();
    let total = tasks * per_task;
    println!(
        "{total} durable transactions by {tasks} tasks in {elapsed:.2?}: {:.0}/s, \
         mean latency {:.2?}, slowest {slowest:.2?}",
        total as f64 / elapsed.as_secs_f64(),
        elapsed * u32::try_from(tasks).unwrap() / u32::try_from(total).unwrap(),
    );
}

//! The store conformance suite on embedded SQLite (a real file in a temporary
//! directory).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod store_common;

use std::sync::Arc;

use kms_store::backend::sqlite::SqliteBackend;
use kms_store::clock::ManualClock;
use kms_store::sealing::MasterKey;
use kms_store::{Identity, ObjectId, Store, StoreConfig};
use store_common::{Cleanup, Ctx, T0, store_suite};

async fn fresh() -> Option<(Ctx<SqliteBackend>, Cleanup)> {
    let dir = std::env::temp_dir().join(format!("kms-store-suite-{}", ObjectId::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    let backend = SqliteBackend::open(&dir.join("kms.db")).unwrap();
    let clock = Arc::new(ManualClock::new(T0));
    let store = Store::with_clock(
        backend,
        Box::new(MasterKey::generate().unwrap()),
        StoreConfig::default(),
        clock.clone(),
    );
    let ctx = Ctx {
        store,
        clock,
        alice: Identity::new("alice").unwrap(),
        bob: Identity::new("bob").unwrap(),
    };
    Some((ctx, Box::new(move || drop(std::fs::remove_dir_all(&dir)))))
}

store_suite!(fresh);

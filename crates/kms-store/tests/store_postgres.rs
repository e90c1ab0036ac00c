//! The store conformance suite on PostgreSQL, each case in a fresh schema. Runs when
//! `KMS_TEST_POSTGRES_URL` is set; says it was skipped otherwise.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod store_common;

use std::sync::Arc;

use kms_store::backend::postgres::PostgresBackend;
use kms_store::clock::ManualClock;
use kms_store::sealing::MasterKey;
use kms_store::{Identity, ObjectId, Store, StoreConfig};
use store_common::{Cleanup, Ctx, T0, store_suite};

async fn fresh() -> Option<(Ctx<PostgresBackend>, Cleanup)> {
    let Ok(url) = std::env::var("KMS_TEST_POSTGRES_URL") else {
        eprintln!("skipped: KMS_TEST_POSTGRES_URL not set");
        return None;
    };
    let schema = format!("suite_{}", ObjectId::generate().as_str().replace('-', ""));
    let backend = PostgresBackend::connect_with_schema(&url, &schema)
        .await
        .unwrap();
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
    let cleanup = move || {
        // The store's pool may still hold connections; DROP ... CASCADE does not wait
        // for them (no locks are held between operations).
        let status = std::process::Command::new("psql")
            .env("PGOPTIONS", "--client-min-messages=warning")
            .arg(&url)
            .args([
                "-q",
                "-c",
                &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            ])
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("could not drop schema {schema}");
        }
    };
    Some((ctx, Box::new(cleanup)))
}

store_suite!(fresh);

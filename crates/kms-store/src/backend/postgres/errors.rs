//! From `tokio-postgres` and pool errors to [`StoreError`]. Messages name the failing
//! step and the SQLSTATE only: a server message or its DETAIL can quote the values of a
//! row (a duplicate key, an invalid byte), and the connection URL can hold a password.

use std::error::Error as _;
use std::io;

use deadpool_postgres::{PoolError, TimeoutType};
use tokio_postgres::error::SqlState;

use crate::error::StoreError;

/// `err` during `step`, as a [`StoreError::Backend`].
pub(super) fn backend(step: &str, err: &tokio_postgres::Error) -> StoreError {
    StoreError::Backend(format!("{step}: {}", describe(err)))
}

/// `err` inside a transaction: lost races (serialization failure, deadlock, a duplicate
/// id inserted concurrently) are [`StoreError::Conflict`], the rest as [`backend`].
pub(super) fn in_transaction(step: &str, err: &tokio_postgres::Error) -> StoreError {
    if is_lost_race(err) || err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict
    } else {
        backend(step, err)
    }
}

/// A failed COMMIT. A server error means the transaction was rolled back; without one
/// (the connection dropped) nobody can tell whether it committed.
pub(super) fn commit(err: &tokio_postgres::Error) -> StoreError {
    match err.code() {
        Some(_) if is_lost_race(err) => StoreError::Conflict,
        Some(code) => StoreError::Backend(format!(
            "commit: SQLSTATE {}, nothing committed",
            code.code()
        )),
        None => StoreError::Backend(format!("commit: {}; the outcome is unknown", describe(err))),
    }
}

/// Serialization failure or deadlock: the server aborted the transaction because of a
/// concurrent one; running it again may succeed.
pub(super) fn is_lost_race(err: &tokio_postgres::Error) -> bool {
    matches!(
        err.code(),
        Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED
    )
}

/// A pool that could not hand out a connection.
pub(super) fn pool(err: &PoolError) -> StoreError {
    let what = match err {
        PoolError::Timeout(TimeoutType::Wait) => "timed out waiting for a free connection".into(),
        PoolError::Timeout(_) => "timed out connecting".into(),
        PoolError::Backend(e) => describe(e),
        PoolError::Closed => "pool closed".into(),
        PoolError::NoRuntimeSpecified => "no runtime".into(),
        PoolError::PostCreateHook(_) => "connection setup failed".into(),
    };
    StoreError::Backend(format!("acquiring a connection: {what}"))
}

fn describe(err: &tokio_postgres::Error) -> String {
    if let Some(code) = err.code() {
        return format!("SQLSTATE {}", code.code());
    }
    if err.is_closed() {
        return "connection closed".into();
    }
    let mut source = err.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return format!("I/O error ({:?})", io.kind());
        }
        source = s.source();
    }
    "client error".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_timeouts_name_the_step() {
        let e = pool(&PoolError::Timeout(TimeoutType::Wait));
        assert_eq!(
            e.to_string(),
            "storage backend: acquiring a connection: timed out waiting for a free connection"
        );
    }
}

//! Read-only connections for `get` and `locate`. In WAL mode they read the last
//! committed state beside the writer without blocking it or being blocked.
//! Reads run on tokio's blocking pool; idle connections are kept for reuse, up to
//! [`IDLE_CAP`], and opened on demand beyond that.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::{Connection, TransactionBehavior};

use super::errors::{at, fail};
use super::schema;
use crate::error::StoreError;

/// Idle read connections kept open.
const IDLE_CAP: usize = 8;

/// The pool of read-only connections to one database.
#[derive(Debug)]
pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// A pool over the database at `path`, with one connection opened now so that a
    /// database readers cannot open fails at once.
    pub(super) fn open(path: PathBuf) -> Result<Arc<Readers>, StoreError> {
        let first = schema::open_reader(&path)?;
        Ok(Arc::new(Readers {
            path,
            idle: Mutex::new(vec![first]),
        }))
    }

    /// Runs `read` on a blocking thread, in one read transaction (a consistent
    /// snapshot of the last commit).
    pub(super) async fn run<R, F>(self: &Arc<Self>, read: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> Result<R, StoreError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.take()?;
            let result = snapshot(&mut conn, read);
            pool.put(conn);
            result
        })
        .await
        .map_err(|_| fail("read", "the read task failed"))?
    }

    /// Drops every idle connection.
    pub(super) fn close(&self) {
        self.lock().clear();
    }

    fn take(&self) -> Result<Connection, StoreError> {
        match self.lock().pop() {
            Some(conn) => Ok(conn),
            None => schema::open_reader(&self.path),
        }
    }

    fn put(&self, conn: Connection) {
        let mut idle = self.lock();
        if idle.len() < IDLE_CAP {
            idle.push(conn);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while holding the lock cannot leave the list inconsistent.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn snapshot<R>(
    conn: &mut Connection,
    read: impl FnOnce(&Connection) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Deferred)
        .map_err(at("begin read"))?;
    let result = read(&tx)?;
    tx.commit().map_err(at("end read"))?;
    Ok(result)
}

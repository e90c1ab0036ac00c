//! Embedded SQLite backend: one database file, one writing process.
//!
//! - Durability: WAL journal with `synchronous = FULL`; a transaction is acknowledged
//!   only after its commit was fsync'd.
//! - Writes: one writer thread commits queued transactions in groups, one fsync per
//!   group, each transaction isolated by a savepoint (the `writer` module).
//! - Reads: a pool of read-only connections on tokio's blocking threads, beside the
//!   writer.
//! - Exclusion: an advisory lock on `<database>.lock` keeps a second process (or a
//!   second backend in this one) out, so the store may cache records
//!   ([`Backend::exclusive`]).
//! - Schema: versioned migrations applied at open; a database from a newer build is
//!   refused.

mod errors;
mod job;
mod lock;
mod query;
mod readers;
mod rows;
mod schema;
mod writer;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

use self::errors::fail;
use self::job::Job;
use self::lock::StoreLock;
use self::readers::Readers;
use crate::backend::{Backend, IndexQuery, TxnFn};
use crate::error::StoreError;
use crate::ids::ObjectId;
use crate::record::ObjectRecord;

/// The SQLite backend. Its methods must run inside a tokio runtime (reads go to the
/// blocking pool).
///
/// A transaction is handed to the writer when its future is first polled; dropping
/// the future after that does not cancel it. Dropping the backend finishes the queued
/// transactions, waits for the writer thread to stop (blocking the calling thread for
/// at most one group commit), closes the database and releases the lock.
pub struct SqliteBackend {
    /// `None` only while dropping.
    jobs: Option<Sender<Job>>,
    writer: Option<JoinHandle<()>>,
    readers: Arc<Readers>,
    /// Released last, once every connection is closed.
    _lock: StoreLock,
}

impl SqliteBackend {
    /// Opens the store in the database file at `path`, creating it if needed, and
    /// brings its schema up to date.
    ///
    /// Errors ([`StoreError::Backend`]): the store is in use by another process (its
    /// lock file `<path>.lock` is held), the database was written by a newer build, or
    /// the file cannot be opened or set up.
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        let lock = StoreLock::acquire(path)?;
        let mut conn = schema::open_writer(path)?;
        schema::migrate(&mut conn)?;
        let readers = Readers::open(path.to_path_buf())?;
        let (jobs, queue) = mpsc::channel();
        let writer = writer::spawn(conn, queue)?;
        Ok(SqliteBackend {
            jobs: Some(jobs),
            writer: Some(writer),
            readers,
            _lock: lock,
        })
    }

    /// The schema version this build creates and reads (`PRAGMA user_version`).
    pub const SCHEMA_VERSION: i64 = schema::CURRENT_VERSION;
}

impl Backend for SqliteBackend {
    async fn transact<T: Send + 'static>(
        &self,
        ids: Vec<ObjectId>,
        f: TxnFn<T>,
    ) -> Result<T, StoreError> {
        let (job, reply) = Job::new(ids, f);
        self.jobs
            .as_ref()
            .ok_or_else(|| fail("transaction", "the store is closing"))?
            .send(job)
            .map_err(|_| fail("transaction", "the writer has stopped"))?;
        reply.await.map_err(|_| {
            fail(
                "transaction",
                "the writer stopped before replying; outcome unknown",
            )
        })?
    }

    async fn get(&self, id: &ObjectId) -> Result<Option<ObjectRecord>, StoreError> {
        let id = id.clone();
        self.readers.run(move |conn| rows::load(conn, &id)).await
    }

    async fn locate(&self, query: &IndexQuery) -> Result<Vec<ObjectRecord>, StoreError> {
        let query = query.clone();
        self.readers
            .run(move |conn| query::locate(conn, &query))
            .await
    }

    fn exclusive(&self) -> bool {
        true
    }
}

impl Drop for SqliteBackend {
    fn drop(&mut self) {
        self.readers.close();
        // Closing the channel lets the writer finish what is queued and return.
        drop(self.jobs.take());
        if let Some(writer) = self.writer.take() {
            // Err: the writer panicked; its connection is closed all the same.
            let _ = writer.join();
        }
    }
}

impl fmt::Debug for SqliteBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteBackend")
            .field("readers", &self.readers)
            .finish_non_exhaustive()
    }
}

//! The storage trait and its two implementations.
//!
//! A [`Backend`] persists [`ObjectRecord`]s and gives three guarantees the store builds
//! on:
//!
//! - [`Backend::transact`] is atomic and isolated per object: the records it loads are
//!   locked (SQLite: the single writer; PostgreSQL: `SELECT ... FOR UPDATE`) until the
//!   changes the closure returns are committed, so two nodes racing a transition on one
//!   object are serialised, and the second sees the first's result.
//! - A transaction that returned `Ok` is durable (fsync'd / `synchronous_commit = on`).
//! - [`Backend::locate`] answers [`IndexQuery`] from indexes, in `seq` order.
//!
//! The closure holds the rules; backends never interpret attributes or material.

mod any;
pub mod postgres;
pub mod sqlite;

pub use any::{AnyBackend, StoreLocation};

use std::future::Future;

use kmip_types::{ObjectType, State};

use crate::error::StoreError;
use crate::ids::{Identity, ObjectId};
use crate::record::ObjectRecord;

/// What a transaction closure asks the backend to write.
#[derive(Debug, Default)]
pub struct Changes {
    /// Records loaded by the transaction, changed: written back whole (index entries
    /// included). Each must carry the revision it was loaded with plus one.
    pub updated: Vec<ObjectRecord>,
    /// New records (their `seq` is assigned by the backend; `revision` is 1).
    pub inserted: Vec<ObjectRecord>,
}

/// The closure of a transaction: given the records for the requested ids (in the same
/// order, `None` where there is no such object), decides and returns its result and the
/// changes to commit. An `Err` commits nothing.
pub type TxnFn<T> =
    Box<dyn FnOnce(Vec<Option<ObjectRecord>>) -> Result<(T, Changes), StoreError> + Send>;

/// A date column of a record a query can bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateColumn {
    /// Initial Date.
    Created,
    /// Last Change Date.
    LastChange,
    /// Activation Date (a record without one never matches).
    Activation,
    /// Deactivation Date (a record without one never matches).
    Deactivation,
}

/// An inclusive range over a date column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    /// The column.
    pub column: DateColumn,
    /// Lower bound, inclusive.
    pub from: Option<i64>,
    /// Upper bound, inclusive.
    pub to: Option<i64>,
}

/// Which of live and archived objects a query returns (KMIP Storage Status Mask).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Storage {
    /// Only objects not archived (the KMIP default).
    #[default]
    Live,
    /// Only archived objects.
    Archived,
    /// Both.
    Any,
}

/// An indexed query: every given condition must hold (AND). Results are in `seq`
/// order, strictly after `after_seq`, at most `limit` of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexQuery {
    /// Only this owner's objects (`None`: every owner, for administrative use only).
    pub owner: Option<Identity>,
    /// Object Type.
    pub object_type: Option<ObjectType>,
    /// The state at `now`, date-driven transitions included (see
    /// [`crate::lifecycle::effective_state_sql`]).
    pub state: Option<State>,
    /// The time `state` is evaluated at, seconds since the Unix epoch.
    pub now: i64,
    /// Live, archived or both.
    pub storage: Storage,
    /// Each pair must be among the record's index entries.
    pub index: Vec<(String, String)>,
    /// Each range must hold.
    pub dates: Vec<DateRange>,
    /// Keyset cursor: only records with a larger `seq`.
    pub after_seq: i64,
    /// At most this many records.
    pub limit: u32,
}

impl IndexQuery {
    /// A query for everything `owner` has, live objects only.
    pub fn owned_by(owner: Identity, now: i64) -> IndexQuery {
        IndexQuery {
            owner: Some(owner),
            object_type: None,
            state: None,
            now,
            storage: Storage::Live,
            index: Vec::new(),
            dates: Vec::new(),
            after_seq: 0,
            limit: 1000,
        }
    }
}

/// Persistent storage of records. See the module documentation for the guarantees.
pub trait Backend: Send + Sync + 'static {
    /// Runs `f` on the records of `ids`, locked, and commits what it returns. With no
    /// ids, `f` gets an empty list (pure inserts).
    ///
    /// Errors: whatever `f` returns; [`StoreError::Backend`] when the database fails
    /// (nothing is committed then, or the outcome is unknown and said so);
    /// [`StoreError::Conflict`] when an updated record's revision does not follow the
    /// stored one.
    fn transact<T: Send + 'static>(
        &self,
        ids: Vec<ObjectId>,
        f: TxnFn<T>,
    ) -> impl Future<Output = Result<T, StoreError>> + Send;

    /// The record of `id`, as last committed.
    fn get(
        &self,
        id: &ObjectId,
    ) -> impl Future<Output = Result<Option<ObjectRecord>, StoreError>> + Send;

    /// Records matching `query`, in `seq` order.
    fn locate(
        &self,
        query: &IndexQuery,
    ) -> impl Future<Output = Result<Vec<ObjectRecord>, StoreError>> + Send;

    /// True when this process is the only writer (embedded SQLite): the store may then
    /// cache records. False for a database several nodes share.
    fn exclusive(&self) -> bool;
}

//! [`Backend::transact`](crate::backend::Backend::transact) on PostgreSQL: lock the rows
//! (`SELECT ... FOR UPDATE`, in id order so two transactions never wait on each other
//! in a cycle), run the closure, write its changes under a revision guard, commit.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use deadpool_postgres::{GenericClient, Pool, Transaction};
use tokio_postgres::IsolationLevel;
use tokio_postgres::types::ToSql;

use super::{errors, rows};
use crate::backend::{Changes, TxnFn};
use crate::error::StoreError;
use crate::ids::ObjectId;
use crate::record::{IndexEntry, ObjectRecord};

/// How often locking is tried when the server aborts it as a deadlock. The closure has
/// not run then, so trying again is safe; after it has run it cannot run twice (it is
/// `FnOnce`), and a lost race is a [`StoreError::Conflict`].
const LOCK_ATTEMPTS: u32 = 3;

/// After waiting for a lock, READ COMMITTED returns the row as its holder committed it.
/// Index entries are read by the next statement, whose snapshot is taken after the locks
/// are held (subqueries here would see the snapshot from before the wait).
const LOCK: &str = concat!(
    "SELECT ",
    rows::columns!(),
    " FROM objects WHERE id = ANY($1) ORDER BY id FOR UPDATE"
);

const UPDATE: &str = "UPDATE objects SET owner = $2, object_type = $3, state = $4, \
     activation_date = $5, deactivation_date = $6, archived = $7, created = $8, \
     last_change = $9, revision = $10, attributes = $11, material = $12 \
     WHERE id = $1 AND revision = $13 RETURNING seq";

const INSERT: &str = "INSERT INTO objects (id, owner, object_type, state, \
     activation_date, deactivation_date, archived, created, last_change, revision, \
     attributes, material) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
     RETURNING seq";

/// Runs `f` on the records of `ids` in one transaction; see the module documentation.
pub(super) async fn transact<T>(
    pool: &Pool,
    ids: Vec<ObjectId>,
    f: TxnFn<T>,
) -> Result<T, StoreError> {
    let mut client = pool.get().await.map_err(|e| errors::pool(&e))?;
    let mut attempt = 1;
    let (txn, locked) = loop {
        let txn = client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .await
            .map_err(|e| errors::backend("beginning a transaction", &e))?;
        match lock(&txn, &ids).await {
            Ok(rows) => break (txn, rows),
            Err(e) if errors::is_lost_race(&e) && attempt < LOCK_ATTEMPTS => {
                attempt += 1;
                // The server has already aborted it; this only ends the block.
                let _ = txn.rollback().await;
            }
            Err(e) => return Err(errors::in_transaction("locking the records", &e)),
        }
    };
    let records = match in_caller_order(&txn, &ids, locked).await {
        Ok(records) => records,
        Err(e) => return Err(rollback(txn, e).await),
    };
    let loaded_index: HashMap<ObjectId, Vec<IndexEntry>> = records
        .iter()
        .flatten()
        .map(|r| (r.id.clone(), r.index.clone()))
        .collect();
    // The closure is the store's code: a bug in it fails this transaction, not the
    // node. What it captured is dropped with it; nothing here is left half-updated.
    let (result, changes) = match catch_unwind(AssertUnwindSafe(move || f(records))) {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return Err(rollback(txn, e).await),
        Err(_panic) => {
            let e = StoreError::Backend("transaction: the closure panicked".into());
            return Err(rollback(txn, e).await);
        }
    };
    if let Err(e) = write(&txn, changes, &loaded_index).await {
        return Err(rollback(txn, e).await);
    }
    txn.commit().await.map_err(|e| errors::commit(&e))?;
    Ok(result)
}

/// Ends `txn` without committing and hands back `err`, the reason.
async fn rollback(txn: Transaction<'_>, err: StoreError) -> StoreError {
    // Dropping the transaction would roll back too; a failure here changes nothing.
    let _ = txn.rollback().await;
    err
}

/// Locks the rows of `ids` that exist, in id order.
async fn lock(
    txn: &Transaction<'_>,
    ids: &[ObjectId],
) -> Result<Vec<tokio_postgres::Row>, tokio_postgres::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let texts: Vec<&str> = ids.iter().map(ObjectId::as_str).collect();
    let stmt = txn.prepare_cached(LOCK).await?;
    txn.query(&stmt, &[&texts]).await
}

/// The locked rows as records, one per requested id in the caller's order.
async fn in_caller_order(
    txn: &Transaction<'_>,
    ids: &[ObjectId],
    locked: Vec<tokio_postgres::Row>,
) -> Result<Vec<Option<ObjectRecord>>, StoreError> {
    let mut records = locked
        .iter()
        .map(rows::record)
        .collect::<Result<Vec<_>, _>>()?;
    rows::attach_index(txn, &mut records).await?;
    let mut by_id: HashMap<ObjectId, ObjectRecord> =
        records.into_iter().map(|r| (r.id.clone(), r)).collect();
    // An id asked for twice gets the record twice: clones, then the record itself.
    let mut asks: HashMap<&ObjectId, usize> = HashMap::new();
    for id in ids {
        *asks.entry(id).or_default() += 1;
    }
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let left = asks.get_mut(id).map_or(0, |n| {
            *n -= 1;
            *n
        });
        out.push(if left > 0 {
            by_id.get(id).cloned()
        } else {
            by_id.remove(id)
        });
    }
    Ok(out)
}

/// Writes `changes`: updates under the revision guard, then inserts. Index entries of
/// an updated record are rewritten only when they differ from those `loaded` holds for
/// it: most changes (a transition, a usage count) leave them as they were.
async fn write(
    txn: &Transaction<'_>,
    changes: Changes,
    loaded: &HashMap<ObjectId, Vec<IndexEntry>>,
) -> Result<(), StoreError> {
    for record in &changes.updated {
        let Some(previous) = record.revision.checked_sub(1) else {
            return Err(StoreError::Conflict);
        };
        let step = "updating a record";
        let stmt = txn
            .prepare_cached(UPDATE)
            .await
            .map_err(|e| errors::in_transaction(step, &e))?;
        let columns = Columns::new(record);
        let mut params = columns.params();
        params.push(&previous);
        let updated = txn
            .query_opt(&stmt, &params)
            .await
            .map_err(|e| errors::in_transaction(step, &e))?;
        let Some(row) = updated else {
            return Err(StoreError::Conflict);
        };
        let seq: i64 = row.try_get(0).map_err(|e| errors::backend(step, &e))?;
        if loaded
            .get(&record.id)
            .is_some_and(|old| *old == record.index)
        {
            continue;
        }
        rows::write_index(txn, seq, &record.index, true)
            .await
            .map_err(|e| errors::in_transaction("rewriting index entries", &e))?;
    }
    for record in &changes.inserted {
        let step = "inserting a record";
        let stmt = txn
            .prepare_cached(INSERT)
            .await
            .map_err(|e| errors::in_transaction(step, &e))?;
        let seq: i64 = txn
            .query_one(&stmt, &Columns::new(record).params())
            .await
            .and_then(|row| row.try_get(0))
            .map_err(|e| errors::in_transaction(step, &e))?;
        rows::write_index(txn, seq, &record.index, false)
            .await
            .map_err(|e| errors::in_transaction("writing index entries", &e))?;
    }
    Ok(())
}

/// The bind parameters $1..$12 of [`UPDATE`] and [`INSERT`]: every column but `seq`.
struct Columns<'a> {
    record: &'a ObjectRecord,
    id: &'a str,
    owner: &'a str,
    object_type: i64,
    state: i64,
}

impl<'a> Columns<'a> {
    fn new(record: &'a ObjectRecord) -> Columns<'a> {
        Columns {
            record,
            id: record.id.as_str(),
            owner: record.owner.as_str(),
            object_type: rows::enum_value(record.object_type.0),
            state: rows::enum_value(record.state.0),
        }
    }

    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        let r = self.record;
        vec![
            &self.id,
            &self.owner,
            &self.object_type,
            &self.state,
            &r.activation_date,
            &r.deactivation_date,
            &r.archived,
            &r.created,
            &r.last_change,
            &r.revision,
            &r.attributes,
            &r.material,
        ]
    }
}

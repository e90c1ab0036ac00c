//! Between [`ObjectRecord`]s and rows of `objects` and `object_index`.

use std::collections::HashMap;

use deadpool_postgres::GenericClient;
use kmip_types::{ObjectType, State};
use tokio_postgres::Row;

use super::errors;
use crate::error::StoreError;
use crate::ids::{Identity, ObjectId};
use crate::record::{IndexEntry, ObjectRecord};

/// The columns of `objects` in the order [`record`] reads them (a macro, for `concat!`).
macro_rules! columns {
    () => {
        "seq, id, owner, object_type, state, activation_date, deactivation_date, archived, \
         created, last_change, revision, attributes, material"
    };
}
pub(super) use columns;

/// Records with their index entries, in one statement and so from one snapshot (two
/// statements could pair a record with the entries of a later revision). Both arrays
/// are in `pos` order, so they pair up.
pub(super) const SELECT_WITH_INDEX: &str = concat!(
    "SELECT ",
    columns!(),
    ", ARRAY(SELECT i.key FROM object_index i WHERE i.seq = objects.seq ORDER BY i.pos), \
     ARRAY(SELECT i.value FROM object_index i WHERE i.seq = objects.seq ORDER BY i.pos) \
     FROM objects"
);

/// The record of a row selected with [`columns`], without its index entries.
pub(super) fn record(row: &Row) -> Result<ObjectRecord, StoreError> {
    let read = |e: tokio_postgres::Error| errors::backend("reading a record", &e);
    let id: String = row.try_get(1).map_err(read)?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("{}: {what}", short(&id)));
    let owner: String = row.try_get(2).map_err(read)?;
    let object_type: i64 = row.try_get(3).map_err(read)?;
    let state: i64 = row.try_get(4).map_err(read)?;
    Ok(ObjectRecord {
        seq: row.try_get(0).map_err(read)?,
        id: ObjectId::parse(&id).ok_or_else(|| corrupt("identifier"))?,
        owner: Identity::new(&owner).ok_or_else(|| corrupt("owner"))?,
        object_type: ObjectType(u32::try_from(object_type).map_err(|_| corrupt("object type"))?),
        state: State(u32::try_from(state).map_err(|_| corrupt("state"))?),
        activation_date: row.try_get(5).map_err(read)?,
        deactivation_date: row.try_get(6).map_err(read)?,
        archived: row.try_get(7).map_err(read)?,
        created: row.try_get(8).map_err(read)?,
        last_change: row.try_get(9).map_err(read)?,
        revision: row.try_get(10).map_err(read)?,
        index: Vec::new(),
        attributes: row.try_get(11).map_err(read)?,
        material: row.try_get(12).map_err(read)?,
    })
}

/// The record of a row selected with [`SELECT_WITH_INDEX`], index entries included.
pub(super) fn record_with_index(row: &Row) -> Result<ObjectRecord, StoreError> {
    let read = |e: tokio_postgres::Error| errors::backend("reading index entries", &e);
    let mut record = record(row)?;
    let keys: Vec<String> = row.try_get(13).map_err(read)?;
    let values: Vec<String> = row.try_get(14).map_err(read)?;
    if keys.len() != values.len() {
        return Err(StoreError::Backend(
            "reading index entries: arrays differ".into(),
        ));
    }
    record.index = keys
        .into_iter()
        .zip(values)
        .map(|(key, value)| IndexEntry { key, value })
        .collect();
    Ok(record)
}

/// An identifier as an error message may show it: bounded, since a corrupt one can be
/// anything.
fn short(id: &str) -> String {
    id.chars().take(64).collect()
}

/// Fills in the index entries of `records`, in the order they were written. Only
/// consistent for rows the transaction has locked.
pub(super) async fn attach_index(
    client: &impl GenericClient,
    records: &mut [ObjectRecord],
) -> Result<(), StoreError> {
    if records.is_empty() {
        return Ok(());
    }
    let step = "reading index entries";
    let seqs: Vec<i64> = records.iter().map(|r| r.seq).collect();
    let stmt = client
        .prepare_cached(
            "SELECT seq, key, value FROM object_index WHERE seq = ANY($1) ORDER BY seq, pos",
        )
        .await
        .map_err(|e| errors::backend(step, &e))?;
    let rows = client
        .query(&stmt, &[&seqs])
        .await
        .map_err(|e| errors::backend(step, &e))?;
    let mut by_seq: HashMap<i64, Vec<IndexEntry>> = HashMap::new();
    for row in rows {
        let seq: i64 = row.try_get(0).map_err(|e| errors::backend(step, &e))?;
        let key: String = row.try_get(1).map_err(|e| errors::backend(step, &e))?;
        let value: String = row.try_get(2).map_err(|e| errors::backend(step, &e))?;
        by_seq
            .entry(seq)
            .or_default()
            .push(IndexEntry { key, value });
    }
    for r in records.iter_mut() {
        r.index = by_seq.remove(&r.seq).unwrap_or_default();
    }
    Ok(())
}

/// Replaces the index entries of the record at `seq` (`clear` first when it may have
/// some).
pub(super) async fn write_index(
    client: &impl GenericClient,
    seq: i64,
    entries: &[IndexEntry],
    clear: bool,
) -> Result<(), tokio_postgres::Error> {
    if clear {
        let stmt = client
            .prepare_cached("DELETE FROM object_index WHERE seq = $1")
            .await?;
        client.execute(&stmt, &[&seq]).await?;
    }
    if entries.is_empty() {
        return Ok(());
    }
    let keys: Vec<&str> = entries.iter().map(|e| e.key.as_str()).collect();
    let values: Vec<&str> = entries.iter().map(|e| e.value.as_str()).collect();
    let stmt = client
        .prepare_cached(
            "INSERT INTO object_index (seq, pos, key, value) \
             SELECT $1, n - 1, k, v FROM unnest($2::text[], $3::text[]) \
             WITH ORDINALITY AS t (k, v, n)",
        )
        .await?;
    client.execute(&stmt, &[&seq, &keys, &values]).await?;
    Ok(())
}

/// A KMIP enumeration as stored.
pub(super) fn enum_value(v: u32) -> i64 {
    i64::from(v)
}

//! Records to rows and back: the SQL shared by the writer (load, insert, update) and
//! the readers (get, the rows Locate selects).

use kmip_types::{ObjectType, State};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::errors::at;
use crate::error::StoreError;
use crate::ids::{Identity, ObjectId};
use crate::record::{IndexEntry, ObjectRecord};

/// The columns of `objects` in the order [`from_row`] reads them.
pub(super) const COLUMNS: &str = "seq, id, owner, object_type, state, activation_date, \
     deactivation_date, archived, created, last_change, revision, attributes, material";

/// The record of `id` as seen by `conn`'s current transaction.
pub(super) fn load(conn: &Connection, id: &ObjectId) -> Result<Option<ObjectRecord>, StoreError> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM objects WHERE id = ?1"))
        .map_err(at("prepare load"))?;
    let record = stmt
        .query_row([id.as_str()], from_row)
        .optional()
        .map_err(at("load record"))?;
    record.map(|record| with_index(conn, record)).transpose()
}

/// A record from a row of [`COLUMNS`], without its index entries. A stored value no
/// record can hold (an empty id, an enumeration beyond `u32`) is a conversion error
/// naming its column.
pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<ObjectRecord> {
    let id: String = row.get(1)?;
    let owner: String = row.get(2)?;
    Ok(ObjectRecord {
        id: ObjectId::parse(&id).ok_or_else(|| invalid(1, Type::Text))?,
        seq: row.get(0)?,
        owner: Identity::new(&owner).ok_or_else(|| invalid(2, Type::Text))?,
        object_type: ObjectType(row.get(3)?),
        state: State(row.get(4)?),
        activation_date: row.get(5)?,
        deactivation_date: row.get(6)?,
        archived: row.get(7)?,
        created: row.get(8)?,
        last_change: row.get(9)?,
        revision: row.get(10)?,
        index: Vec::new(),
        attributes: row.get(11)?,
        material: row.get(12)?,
    })
}

fn invalid(column: usize, kind: Type) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, kind, "not a valid value".into())
}

/// Fills in `record`'s index entries, in the order they were written.
pub(super) fn with_index(
    conn: &Connection,
    mut record: ObjectRecord,
) -> Result<ObjectRecord, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT key, value FROM object_index WHERE seq = ?1 ORDER BY pos")
        .map_err(at("prepare index load"))?;
    record.index = stmt
        .query_map([record.seq], |row| {
            Ok(IndexEntry {
                key: row.get(0)?,
                value: row.get(1)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(at("load index entries"))?;
    Ok(record)
}

/// Inserts a new record (revision 1) and its index entries; returns its `seq`.
pub(super) fn insert(conn: &Connection, record: &ObjectRecord) -> Result<i64, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "INSERT INTO objects (id, owner, object_type, state, activation_date, \
             deactivation_date, archived, created, last_change, revision, attributes, material) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11)",
        )
        .map_err(at("prepare insert"))?;
    stmt.execute(params![
        record.id.as_str(),
        record.owner.as_str(),
        record.object_type.0,
        record.state.0,
        record.activation_date,
        record.deactivation_date,
        record.archived,
        record.created,
        record.last_change,
        record.attributes,
        record.material,
    ])
    .map_err(at("insert record"))?;
    let seq = conn.last_insert_rowid();
    write_index(conn, seq, &record.index)?;
    Ok(seq)
}

/// Writes back a changed record whole, if the stored revision is the one before
/// `record.revision`; [`StoreError::Conflict`] otherwise (or if there is no such
/// record). Its index entries are replaced.
pub(super) fn update(conn: &Connection, record: &ObjectRecord) -> Result<(), StoreError> {
    let expected = record.revision.checked_sub(1).ok_or(StoreError::Conflict)?;
    let mut stmt = conn
        .prepare_cached(
            "UPDATE objects SET owner = ?2, object_type = ?3, state = ?4, \
             activation_date = ?5, deactivation_date = ?6, archived = ?7, created = ?8, \
             last_change = ?9, revision = ?10, attributes = ?11, material = ?12 \
             WHERE id = ?1 AND revision = ?13 RETURNING seq",
        )
        .map_err(at("prepare update"))?;
    let seq: Option<i64> = stmt
        .query_row(
            params![
                record.id.as_str(),
                record.owner.as_str(),
                record.object_type.0,
                record.state.0,
                record.activation_date,
                record.deactivation_date,
                record.archived,
                record.created,
                record.last_change,
                record.revision,
                record.attributes,
                record.material,
                expected,
            ],
            |row| row.get(0),
        )
        .optional()
        .map_err(at("update record"))?;
    let seq = seq.ok_or(StoreError::Conflict)?;
    let mut clear = conn
        .prepare_cached("DELETE FROM object_index WHERE seq = ?1")
        .map_err(at("prepare index delete"))?;
    clear.execute([seq]).map_err(at("delete index entries"))?;
    write_index(conn, seq, &record.index)
}

fn write_index(conn: &Connection, seq: i64, index: &[IndexEntry]) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached("INSERT INTO object_index (seq, pos, key, value) VALUES (?1, ?2, ?3, ?4)")
        .map_err(at("prepare index insert"))?;
    for (pos, entry) in (0_i64..).zip(index) {
        stmt.execute(params![seq, pos, entry.key, entry.value])
            .map_err(at("insert index entry"))?;
    }
    Ok(())
}

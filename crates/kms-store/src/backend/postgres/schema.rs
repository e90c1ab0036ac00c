//! Versioned schema migrations, run at connect by every node. They run in one
//! transaction under an advisory lock on the schema's name, so nodes starting together
//! apply each migration once and the others wait, then see it done.

use deadpool_postgres::Client;

use super::errors;
use crate::error::StoreError;

/// One step of the schema's history. Never edit a released step: add another.
struct Migration {
    version: i32,
    sql: &'static str,
}

/// The schema's history, oldest first. The logical schema (tables, columns, indexes) is
/// the same as the SQLite backend's. Enumerations (`object_type`, `state`) are KMIP
/// `u32`s, hence BIGINT: INTEGER is signed 32-bit in PostgreSQL and would not compare
/// with the literals of [`crate::lifecycle::effective_state_sql`] for extension values.
/// Text columns use the "C" collation: byte order and equality whatever the database's
/// locale, so every node locks rows in the same order.
const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: r#"
CREATE TABLE objects (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    owner TEXT COLLATE "C" NOT NULL,
    object_type BIGINT NOT NULL,
    state BIGINT NOT NULL,
    activation_date BIGINT,
    deactivation_date BIGINT,
    archived BOOLEAN NOT NULL,
    created BIGINT NOT NULL,
    last_change BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    attributes BYTEA NOT NULL,
    material BYTEA
);
CREATE INDEX objects_owner ON objects (owner, seq);
CREATE INDEX objects_owner_type ON objects (owner, object_type, seq);
CREATE INDEX objects_owner_state ON objects (owner, state, seq);
-- pos keeps a record's pairs in the order it gave them; the primary key also serves
-- loading a record's pairs, rewriting them, and the cascade.
CREATE TABLE object_index (
    seq BIGINT NOT NULL REFERENCES objects (seq) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    key TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (seq, pos)
);
CREATE INDEX object_index_pair ON object_index (key, value, seq);
"#,
}];

/// The schema version this code writes and understands.
pub(super) fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// First half of the advisory lock key (the second is a hash of the schema name):
/// "KMS1" in ASCII, so the lock is recognisable in `pg_locks`.
const LOCK_CLASS: i32 = 0x4B4D_5331;

/// Brings `schema` (created when `create`, else the session's current schema) up to
/// [`latest`], or refuses a database a newer version of this code has migrated.
pub(super) async fn migrate(client: &mut Client, schema: Option<&str>) -> Result<(), StoreError> {
    let step = "migrating the schema";
    let name: String = match schema {
        Some(s) => s.to_owned(),
        None => client
            .query_one("SELECT current_schema()", &[])
            .await
            .map_err(|e| errors::backend(step, &e))?
            .try_get::<_, Option<String>>(0)
            .map_err(|e| errors::backend(step, &e))?
            .ok_or_else(|| StoreError::Backend(format!("{step}: no schema on the search path")))?,
    };
    let txn = client
        .transaction()
        .await
        .map_err(|e| errors::backend(step, &e))?;
    txn.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&LOCK_CLASS, &name],
    )
    .await
    .map_err(|e| errors::backend("locking the schema for migration", &e))?;
    if schema.is_some() {
        // Under the lock: concurrent CREATE SCHEMA IF NOT EXISTS can fail on the
        // catalogue's unique index. The name was validated as a plain identifier.
        txn.batch_execute(&format!(
            "CREATE SCHEMA IF NOT EXISTS \"{name}\"; SET LOCAL search_path TO \"{name}\""
        ))
        .await
        .map_err(|e| errors::backend("creating the schema", &e))?;
    }
    txn.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_version (
             version INTEGER PRIMARY KEY,
             applied TIMESTAMPTZ NOT NULL DEFAULT now()
         )",
    )
    .await
    .map_err(|e| errors::backend(step, &e))?;
    let current: i32 = txn
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| errors::backend(step, &e))?;
    if current > latest() {
        return Err(StoreError::Backend(format!(
            "the database schema is at version {current}, newer than this code's {}",
            latest()
        )));
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > current) {
        txn.batch_execute(m.sql)
            .await
            .map_err(|e| errors::backend(step, &e))?;
        txn.execute(
            "INSERT INTO schema_version (version) VALUES ($1)",
            &[&m.version],
        )
        .await
        .map_err(|e| errors::backend(step, &e))?;
    }
    txn.commit()
        .await
        .map_err(|e| errors::backend("committing the migration", &e))
}

/// The version recorded in the current schema (0 before any migration).
pub(super) async fn version(client: &Client) -> Result<i32, StoreError> {
    client
        .query_one("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(|e| errors::backend("reading the schema version", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_by_one_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(i32::try_from(i + 1).ok(), Some(m.version));
        }
    }
}

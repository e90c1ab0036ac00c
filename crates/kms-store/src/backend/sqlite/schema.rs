//! Opening connections with the settings the backend relies on, and the versioned
//! schema migrations run when the store opens.
//!
//! The schema version is SQLite's `PRAGMA user_version`: the number of entries of
//! [`MIGRATIONS`] applied. Each migration runs in its own transaction together with
//! the version bump, so a crash leaves the database at one version or the next.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::errors::at;
use crate::error::StoreError;

/// How long a connection waits for a lock before failing with `SQLITE_BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection (the writer's and readers' fixed SQL).
const STATEMENT_CACHE: usize = 64;

/// The migrations, in order; entry `i` takes the schema from version `i` to `i + 1`.
/// Append only: never edit one that has shipped.
pub(super) const MIGRATIONS: &[&str] = &[V1];

/// The schema version this build writes.
pub(super) const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Version 1: objects, their index pairs, and the indexes Locate runs on.
///
/// `object_index.pos` keeps a record's pairs in the order it gave them, so a record
/// reads back exactly as written. Every query path is covered by an index: by id
/// (`UNIQUE`), by owner, owner and type, owner and state (each ending in `seq` for the
/// keyset order), and by (key, value) pair.
const V1: &str = "
CREATE TABLE objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    object_type INTEGER NOT NULL,
    state INTEGER NOT NULL,
    activation_date INTEGER,
    deactivation_date INTEGER,
    archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
    created INTEGER NOT NULL,
    last_change INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    attributes BLOB NOT NULL,
    material BLOB
) STRICT;
CREATE INDEX objects_owner ON objects (owner, seq);
CREATE INDEX objects_owner_type ON objects (owner, object_type, seq);
CREATE INDEX objects_owner_state ON objects (owner, state, seq);
CREATE TABLE object_index (
    seq INTEGER NOT NULL REFERENCES objects (seq) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (seq, pos)
) STRICT, WITHOUT ROWID;
CREATE INDEX object_index_pair ON object_index (key, value, seq);
";

/// Opens (creating if needed) the read-write connection of the writer: WAL journal,
/// `synchronous = FULL` (every commit is fsync'd before it returns, so an acknowledged
/// commit survives power loss), foreign keys enforced.
pub(super) fn open_writer(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(at("open database"))?;
    configure(&conn)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(at("set journal mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Backend(
            "set journal mode: the database refused WAL".to_owned(),
        ));
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(at("set synchronous"))?;
    conn.pragma_update(None, "foreign_keys", true)
        .map_err(at("enable foreign keys"))?;
    // Freed pages are zeroed, so a destroyed object's sealed material does not linger in
    // the file's free space.
    conn.pragma_update(None, "secure_delete", true)
        .map_err(at("enable secure delete"))?;
    Ok(conn)
}

/// Opens a read-only connection to a database the writer has already set up.
pub(super) fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(at("open reader"))?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(at("set busy timeout"))?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // A stable query plan: without it SQLite recompiles a cached statement whenever a
    // bound value of a `col = ?` or `LIMIT ?` term changes (it always does), which was
    // most of Locate's CPU time. There are no statistics (no ANALYZE) to lose.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(at("enable the query planner stability guarantee"))?;
    Ok(())
}

/// Brings the schema to [`CURRENT_VERSION`], one migration per transaction. Refuses a
/// database written by a newer build: this one would misread it.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found = version(conn)?;
    if found > CURRENT_VERSION {
        return Err(StoreError::Backend(format!(
            "open database: schema version {found} is newer than this build supports \
             ({CURRENT_VERSION}); upgrade the server"
        )));
    }
    if found < 0 {
        return Err(StoreError::Backend(format!(
            "open database: invalid schema version {found}"
        )));
    }
    for (done, sql) in (0_i64..).zip(MIGRATIONS).skip_while(|(v, _)| *v < found) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(at("begin migration"))?;
        tx.execute_batch(sql).map_err(at("apply migration"))?;
        tx.pragma_update(None, "user_version", done + 1)
            .map_err(at("record schema version"))?;
        tx.commit().map_err(at("commit migration"))?;
    }
    Ok(())
}

/// The schema version of the database `conn` is open on.
pub(super) fn version(conn: &Connection) -> Result<i64, StoreError> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(at("read schema version"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_bring_a_new_database_to_the_current_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
        // Running them again is a no-op.
        migrate(&mut conn).unwrap();
        assert_eq!(version(&conn).unwrap(), CURRENT_VERSION);
    }

    #[test]
    fn refuses_a_newer_schema() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT_VERSION + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err().to_string();
        assert!(err.contains("newer"), "{err}");
    }
}

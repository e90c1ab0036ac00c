//! [`AnyBackend`]: the backend chosen at run time from a store location, so a server
//! binary needs no type parameter: `sqlite:PATH` (or a plain path) opens the embedded
//! store, `postgres://...` / `postgresql://...` connects to a shared database.

use std::path::PathBuf;

use super::postgres::PostgresBackend;
use super::sqlite::SqliteBackend;
use super::{Backend, IndexQuery, TxnFn};
use crate::error::{Result, StoreError};
use crate::ids::ObjectId;
use crate::record::ObjectRecord;

/// Either backend.
#[derive(Debug)]
pub enum AnyBackend {
    /// Embedded SQLite.
    Sqlite(SqliteBackend),
    /// PostgreSQL.
    Postgres(PostgresBackend),
}

/// Where a store lives, parsed from its text form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl StoreLocation {
    /// Parses `sqlite:PATH`, `postgres://...`, `postgresql://...`, or a plain path.
    pub fn parse(text: &str) -> Result<StoreLocation> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(StoreLocation::Postgres(text.to_owned()));
        }
        let path = text.strip_prefix("sqlite:").unwrap_or(text);
        if path.is_empty() {
            return Err(StoreError::Backend("an empty store location".into()));
        }
        Ok(StoreLocation::Sqlite(PathBuf::from(path)))
    }

    /// The location without any password, for logs.
    pub fn redacted(&self) -> String {
        match self {
            StoreLocation::Sqlite(p) => format!("sqlite:{}", p.display()),
            StoreLocation::Postgres(url) => match (url.find("://"), url.rfind('@')) {
                (Some(scheme), Some(at)) if at > scheme => {
                    format!(
                        "{}://***@{}",
                        url.get(..scheme).unwrap_or("postgres"),
                        url.get(at + 1..).unwrap_or("")
                    )
                }
                _ => url.clone(),
            },
        }
    }
}

impl AnyBackend {
    /// Opens or connects to the store at `location` (creating an SQLite file and its
    /// directory as needed; running migrations either way).
    pub async fn open(location: &StoreLocation) -> Result<AnyBackend> {
        Ok(match location {
            StoreLocation::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::Backend(format!("create {}: {e}", dir.display()))
                    })?;
                }
                AnyBackend::Sqlite(SqliteBackend::open(path)?)
            }
            StoreLocation::Postgres(url) => {
                AnyBackend::Postgres(PostgresBackend::connect(url).await?)
            }
        })
    }
}

impl Backend for AnyBackend {
    async fn transact<T: Send + 'static>(&self, ids: Vec<ObjectId>, f: TxnFn<T>) -> Result<T> {
        match self {
            AnyBackend::Sqlite(b) => b.transact(ids, f).await,
            AnyBackend::Postgres(b) => b.transact(ids, f).await,
        }
    }

    async fn get(&self, id: &ObjectId) -> Result<Option<ObjectRecord>> {
        match self {
            AnyBackend::Sqlite(b) => b.get(id).await,
            AnyBackend::Postgres(b) => b.get(id).await,
        }
    }

    async fn locate(&self, query: &IndexQuery) -> Result<Vec<ObjectRecord>> {
        match self {
            AnyBackend::Sqlite(b) => b.locate(query).await,
            AnyBackend::Postgres(b) => b.locate(query).await,
        }
    }

    fn exclusive(&self) -> bool {
        match self {
            AnyBackend::Sqlite(b) => b.exclusive(),
            AnyBackend::Postgres(b) => b.exclusive(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations() {
        assert_eq!(
            StoreLocation::parse("sqlite:/tmp/x.db").unwrap(),
            StoreLocation::Sqlite("/tmp/x.db".into())
        );
        assert_eq!(
            StoreLocation::parse("kms.db").unwrap(),
            StoreLocation::Sqlite("kms.db".into())
        );
        let pg = StoreLocation::parse("postgres://u:secret@h:5432/db").unwrap();
        assert_eq!(pg.redacted(), "postgres://***@h:5432/db");
        assert!(StoreLocation::parse("sqlite:").is_err());
    }
}

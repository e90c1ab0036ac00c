//! PostgreSQL backend: several stateless server nodes sharing one database.
//!
//! Every node runs the schema migrations at connect (serialised by an advisory lock).
//! [`Backend::transact`] locks the records it loads with `SELECT ... FOR UPDATE` in id
//! order and writes back under a revision guard, so concurrent transitions on one
//! object from any number of nodes happen one after the other. Sessions run with
//! `synchronous_commit = on`: a transaction that returned `Ok` survives a server crash.
//!
//! Connections are plain TCP or Unix sockets (no TLS connector is built in): run the
//! database on the same host or a trusted network.

mod errors;
mod query;
mod rows;
mod schema;
mod txn;

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::backend::{Backend, IndexQuery, TxnFn};
use crate::error::StoreError;
use crate::ids::ObjectId;
use crate::record::ObjectRecord;

/// How to connect, beyond the URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresOptions {
    /// The schema holding the tables, created if absent (lower-case letters, digits and
    /// `_`, at most 63 bytes, not starting with a digit or `pg_`). `None`: the first
    /// schema of the database's search path, usually `public`.
    pub schema: Option<String>,
    /// Most connections this node opens.
    pub pool_size: usize,
    /// How long a request waits for a free connection, or for a new one to open.
    pub acquire_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> PostgresOptions {
        PostgresOptions {
            schema: None,
            pool_size: 16,
            acquire_timeout: Duration::from_secs(30),
        }
    }
}

/// A [`Backend`] over a PostgreSQL database that other nodes may share.
pub struct PostgresBackend {
    pool: Pool,
    schema: Option<String>,
}

impl fmt::Debug for PostgresBackend {
    // The pool's configuration holds the connection parameters (a password perhaps).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("schema", &self.schema)
            .field("pool_size", &self.pool.status().max_size)
            .finish_non_exhaustive()
    }
}

impl PostgresBackend {
    /// Connects to `url` (`postgres://user@host:port/database`, or key=value pairs) with
    /// the default [`PostgresOptions`] and migrates the schema.
    pub async fn connect(url: &str) -> Result<PostgresBackend, StoreError> {
        PostgresBackend::connect_with(url, PostgresOptions::default()).await
    }

    /// Like [`PostgresBackend::connect`], with the tables in `schema` (created if
    /// absent): tests and tenants can share a database.
    pub async fn connect_with_schema(
        url: &str,
        schema: &str,
    ) -> Result<PostgresBackend, StoreError> {
        let options = PostgresOptions {
            schema: Some(schema.to_owned()),
            ..PostgresOptions::default()
        };
        PostgresBackend::connect_with(url, options).await
    }

    /// Connects with `options`, checks the session settings and migrates the schema.
    ///
    /// Errors: [`StoreError::InvalidField`] for a bad schema name or pool size;
    /// [`StoreError::Backend`] when the URL does not parse (the message does not repeat
    /// it), the database is unreachable, or its schema is newer than this code.
    pub async fn connect_with(
        url: &str,
        options: PostgresOptions,
    ) -> Result<PostgresBackend, StoreError> {
        if let Some(schema) = &options.schema {
            check_schema_name(schema)?;
        }
        if options.pool_size == 0 {
            return Err(StoreError::InvalidField(
                "pool size must be at least 1".into(),
            ));
        }
        let mut config = tokio_postgres::Config::from_str(url)
            .map_err(|_| StoreError::Backend("the connection URL does not parse".into()))?;
        let mut session = config.get_options().unwrap_or_default().to_owned();
        if let Some(schema) = &options.schema {
            session.push_str(&format!(" -c search_path={schema}"));
        }
        session.push_str(" -c synchronous_commit=on");
        config.options(session.trim_start());
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.acquire_timeout))
            .create_timeout(Some(options.acquire_timeout))
            .build()
            .map_err(|_| StoreError::Backend("building the connection pool".into()))?;
        let mut client = pool.get().await.map_err(|e| errors::pool(&e))?;
        check_durability(&client).await?;
        schema::migrate(&mut client, options.schema.as_deref()).await?;
        drop(client);
        Ok(PostgresBackend {
            pool,
            schema: options.schema,
        })
    }

    /// The schema this backend was told to use (`None`: the search path's first).
    pub fn schema(&self) -> Option<&str> {
        self.schema.as_deref()
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<i32, StoreError> {
        let client = self.pool.get().await.map_err(|e| errors::pool(&e))?;
        schema::version(&client).await
    }

    /// PostgreSQL's plan for the statement [`Backend::locate`] runs for `query`
    /// (`EXPLAIN`, one line per plan node): to see which indexes a query uses.
    pub async fn explain_locate(&self, query: &IndexQuery) -> Result<String, StoreError> {
        let client = self.pool.get().await.map_err(|e| errors::pool(&e))?;
        let st = query::locate(query);
        let rows = client
            .query(&format!("EXPLAIN {}", st.sql), &st.params())
            .await
            .map_err(|e| errors::backend("explaining a query", &e))?;
        let mut plan = String::new();
        for row in rows {
            let line: String = row
                .try_get(0)
                .map_err(|e| errors::backend("explaining a query", &e))?;
            plan.push_str(&line);
            plan.push('\n');
        }
        Ok(plan)
    }
}

impl Backend for PostgresBackend {
    async fn transact<T: Send + 'static>(
        &self,
        ids: Vec<ObjectId>,
        f: TxnFn<T>,
    ) -> Result<T, StoreError> {
        txn::transact(&self.pool, ids, f).await
    }

    async fn get(&self, id: &ObjectId) -> Result<Option<ObjectRecord>, StoreError> {
        let step = "reading a record";
        let client = self.pool.get().await.map_err(|e| errors::pool(&e))?;
        let stmt = client
            .prepare_cached(&format!("{} WHERE id = $1", rows::SELECT_WITH_INDEX))
            .await
            .map_err(|e| errors::backend(step, &e))?;
        let row = client
            .query_opt(&stmt, &[&id.as_str()])
            .await
            .map_err(|e| errors::backend(step, &e))?;
        row.as_ref().map(rows::record_with_index).transpose()
    }

    async fn locate(&self, query: &IndexQuery) -> Result<Vec<ObjectRecord>, StoreError> {
        let step = "locating records";
        let client = self.pool.get().await.map_err(|e| errors::pool(&e))?;
        let st = query::locate(query);
        // Not a cached statement: the text embeds `now`, so it is new on every call.
        let found = client
            .query(&st.sql, &st.params())
            .await
            .map_err(|e| errors::backend(step, &e))?;
        found.iter().map(rows::record_with_index).collect()
    }

    fn exclusive(&self) -> bool {
        false
    }
}

/// A schema name safe to write into SQL and the session options unquoted.
fn check_schema_name(name: &str) -> Result<(), StoreError> {
    let mut chars = name.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
        && !name.starts_with("pg_");
    if plain {
        Ok(())
    } else {
        Err(StoreError::InvalidField(
            "schema name: lower-case letters, digits and _, at most 63".into(),
        ))
    }
}

/// Refuses a session where a commit could return before it is on disk.
async fn check_durability(client: &deadpool_postgres::Client) -> Result<(), StoreError> {
    let step = "checking synchronous_commit";
    let row = client
        .query_one("SHOW synchronous_commit", &[])
        .await
        .map_err(|e| errors::backend(step, &e))?;
    let value: String = row.try_get(0).map_err(|e| errors::backend(step, &e))?;
    // The session option set at connect makes it "on"; anything else means something
    // overrode it (a pooler that drops startup options, say).
    if value != "on" {
        return Err(StoreError::Backend(format!("{step}: it is not on")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_plain_identifiers() {
        assert!(check_schema_name("kms_test_0f3a").is_ok());
        assert!(check_schema_name("_x").is_ok());
        for bad in [
            "",
            "1abc",
            "Kms",
            "a-b",
            "a\"b",
            "a;b",
            "pg_temp",
            &"a".repeat(64),
        ] {
            assert!(check_schema_name(bad).is_err(), "{bad:?}");
        }
    }
}

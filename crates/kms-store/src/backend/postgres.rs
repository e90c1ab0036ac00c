//! PostgreSQL backend.

/// PostgreSQL backend (placeholder).
#[derive(Debug)]
pub struct PostgresBackend;

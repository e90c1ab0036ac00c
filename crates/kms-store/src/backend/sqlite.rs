//! Embedded SQLite backend.

/// SQLite backend (placeholder).
#[derive(Debug)]
pub struct SqliteBackend;

//! Turning SQLite failures into [`StoreError::Backend`] messages that name the failing
//! step and SQLite's error code, never the data involved.

use crate::error::StoreError;

/// A closure mapping a rusqlite error met during `step` to a backend error.
pub(super) fn at(step: &'static str) -> impl Fn(rusqlite::Error) -> StoreError {
    move |e| StoreError::Backend(format!("{step}: {}", describe(&e)))
}

/// A backend error for `step` with a fixed reason.
pub(super) fn fail(step: &'static str, reason: &'static str) -> StoreError {
    StoreError::Backend(format!("{step}: {reason}"))
}

/// True for the errors after which SQLite cannot vouch for what reached the disk.
pub(super) fn is_io_error(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::SystemIoFailure)
}

/// SQLite's code and message. SQLite's messages name tables, columns and constraints,
/// never bound values; rusqlite's own conversion errors can carry a value, so only
/// their kind is kept.
fn describe(e: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    match e {
        E::SqliteFailure(code, Some(message)) => format!("{code} ({message})"),
        E::SqliteFailure(code, None) => code.to_string(),
        E::FromSqlConversionFailure(column, ..) | E::InvalidColumnType(column, ..) => {
            format!("column {column} holds an invalid value")
        }
        E::IntegralValueOutOfRange(column, _) => format!("column {column} is out of range"),
        E::Utf8Error(column, _) => format!("column {column} is not UTF-8"),
        E::QueryReturnedNoRows => "no row".to_owned(),
        _ => "rusqlite error".to_owned(),
    }
}

//! The advisory lock that makes one process the only user of a store: an exclusive
//! `flock` on `<database>.lock`, held for the life of the backend and released by the
//! kernel when the process dies (no stale lock after `kill -9`).

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::StoreError;

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub(super) struct StoreLock {
    _file: File,
}

impl StoreLock {
    /// Takes the lock of the database at `database`, or refuses at once if another
    /// process (or another backend in this process) holds it.
    pub(super) fn acquire(database: &Path) -> Result<StoreLock, StoreError> {
        let path = lock_path(database);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::Backend(format!("open lock file {}: {e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(StoreLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(StoreError::Backend(format!(
                "the store is in use: another process holds {}",
                path.display()
            ))),
            Err(TryLockError::Error(e)) => {
                Err(StoreError::Backend(format!("lock {}: {e}", path.display())))
            }
        }
    }
}

/// `<database>.lock`, beside the database.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = OsString::from(database.as_os_str());
    name.push(".lock");
    PathBuf::from(name)
}

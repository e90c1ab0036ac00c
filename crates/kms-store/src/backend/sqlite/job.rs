//! A transaction waiting for the writer, its result type erased so that jobs of every
//! type travel down one channel.

use std::panic::{AssertUnwindSafe, catch_unwind};

use tokio::sync::oneshot;

use super::errors::fail;
use crate::backend::{Changes, TxnFn};
use crate::error::StoreError;
use crate::ids::ObjectId;
use crate::record::ObjectRecord;

/// What the caller of [`crate::backend::Backend::transact`] waits on.
pub(super) type Reply<T> = oneshot::Receiver<Result<T, StoreError>>;

/// One transaction: the ids to load, and the closure with its reply channel.
pub(super) struct Job {
    /// The records to load for the closure, in order.
    pub(super) ids: Vec<ObjectId>,
    /// The closure and where its outcome goes.
    pub(super) work: Box<dyn Work>,
}

/// The type-erased half of a job.
pub(super) trait Work: Send {
    /// Runs the closure on the loaded records, keeping its value until the outcome is
    /// known. A panic in the closure is caught and becomes an error.
    fn run(&mut self, records: Vec<Option<ObjectRecord>>) -> Result<Changes, StoreError>;

    /// Sends the caller its value if `outcome` is `Ok` (the group committed), else the
    /// error. A caller that stopped waiting is not an error.
    fn reply(self: Box<Self>, outcome: Result<(), StoreError>);
}

impl Job {
    /// A job running `f` on `ids`, and the receiver of its result.
    pub(super) fn new<T: Send + 'static>(ids: Vec<ObjectId>, f: TxnFn<T>) -> (Job, Reply<T>) {
        let (tx, rx) = oneshot::channel();
        let work = Box::new(Typed {
            f: Some(f),
            value: None,
            tx,
        });
        (Job { ids, work }, rx)
    }
}

struct Typed<T> {
    f: Option<TxnFn<T>>,
    value: Option<T>,
    tx: oneshot::Sender<Result<T, StoreError>>,
}

impl<T: Send> Work for Typed<T> {
    fn run(&mut self, records: Vec<Option<ObjectRecord>>) -> Result<Changes, StoreError> {
        let f = self
            .f
            .take()
            .ok_or_else(|| fail("transaction", "closure already run"))?;
        // The closure is the store's code; if it panics, its own state is dropped with
        // it and the writer, which shares nothing with it, carries on.
        match catch_unwind(AssertUnwindSafe(move || f(records))) {
            Ok(Ok((value, changes))) => {
                self.value = Some(value);
                Ok(changes)
            }
            Ok(Err(e)) => Err(e),
            Err(_panic) => Err(fail("transaction", "the closure panicked")),
        }
    }

    fn reply(self: Box<Self>, outcome: Result<(), StoreError>) {
        let Typed { value, tx, .. } = *self;
        let result = outcome
            .and_then(|()| value.ok_or_else(|| fail("transaction", "committed without running")));
        // Err: the caller's future was dropped; the outcome stands regardless.
        let _ = tx.send(result);
    }
}

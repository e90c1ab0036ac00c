//! The writer thread and its group commit.
//!
//! One thread owns the read-write connection. It takes every job waiting on its
//! channel (up to [`GROUP_CAP`]) and runs them in one `BEGIN IMMEDIATE` transaction,
//! each inside its own `SAVEPOINT`: a job that fails (its closure returns `Err` or
//! panics, its SQL fails, a revision check fires) is rolled back to its savepoint alone
//! and the others go on. One `COMMIT`, hence one fsync, makes the whole group durable;
//! only then does each job get its reply. While a group commits, the next one queues
//! up, so the more concurrent writers there are, the more each fsync carries.
//!
//! Replies wake all the waiting callers at once, but they take a moment to send their
//! next jobs; a writer that started on whatever had arrived would alternate full and
//! nearly empty groups, paying an fsync for each. So when fewer jobs wait than the
//! last group held, it lingers for the rest, never longer than the last commit took
//! (waiting more would cost more than the fsync it saves) nor [`MAX_LINGER`]. A lone
//! caller never waits: its last group held one job.

use std::sync::mpsc::{Receiver, TryRecvError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::errors::{at, fail, is_io_error};
use super::job::{Job, Work};
use super::rows;
use crate::backend::Changes;
use crate::error::StoreError;
use crate::ids::ObjectId;
use crate::record::ObjectRecord;

/// The most jobs one transaction carries: bounds the work lost to a failed commit and
/// the latency a job waits behind others.
pub(super) const GROUP_CAP: usize = 256;

/// The longest a group waits for more jobs to arrive.
const MAX_LINGER: Duration = Duration::from_millis(2);

/// Starts the writer thread on `conn`. It stops when every sender of `jobs` is gone,
/// after finishing the jobs already queued.
pub(super) fn spawn(conn: Connection, jobs: Receiver<Job>) -> Result<JoinHandle<()>, StoreError> {
    let writer = Writer {
        conn,
        jobs,
        broken: None,
        last_group: 1,
        last_commit: Duration::ZERO,
    };
    thread::Builder::new()
        .name("kms-store-sqlite-writer".to_owned())
        .spawn(move || writer.run())
        .map_err(|e| StoreError::Backend(format!("start writer thread: {e}")))
}

struct Writer {
    conn: Connection,
    jobs: Receiver<Job>,
    /// Set after an I/O error at commit: what reached the disk is then unknown (a
    /// failed fsync may have dropped pages), so the writer refuses all further work
    /// rather than build on it. Reopening the store recovers from the WAL.
    broken: Option<&'static str>,
    /// Jobs in the last group: how many callers are likely waiting to send again.
    last_group: usize,
    /// How long the last commit took.
    last_commit: Duration,
}

/// A job that ran, with its outcome inside the group.
type Done = (Box<dyn Work>, Result<(), StoreError>);

impl Writer {
    fn run(mut self) {
        while let Ok(first) = self.jobs.recv() {
            let group = self.gather(first);
            self.last_group = group.len();
            self.commit_group(group);
        }
    }

    /// `first` and the jobs behind it: all those queued, and those that arrive while
    /// lingering (see the module documentation).
    fn gather(&self, first: Job) -> Vec<Job> {
        let target = self.last_group.clamp(1, GROUP_CAP);
        let mut group = Vec::with_capacity(target);
        group.push(first);
        self.drain(&mut group);
        let deadline = Instant::now() + self.last_commit.min(MAX_LINGER);
        while group.len() < target {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match self.jobs.recv_timeout(left) {
                Ok(job) => {
                    group.push(job);
                    self.drain(&mut group);
                }
                Err(_) => break,
            }
        }
        group
    }

    /// Adds the queued jobs to `group`, up to [`GROUP_CAP`].
    fn drain(&self, group: &mut Vec<Job>) {
        while group.len() < GROUP_CAP {
            match self.jobs.try_recv() {
                Ok(job) => group.push(job),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
    }

    fn commit_group(&mut self, group: Vec<Job>) {
        if let Some(reason) = self.broken {
            for job in group {
                job.work.reply(Err(fail("write", reason)));
            }
            return;
        }
        if let Err(e) = self.exec("BEGIN IMMEDIATE") {
            let e = at("begin transaction")(e);
            for job in group {
                job.work.reply(Err(clone_error(&e)));
            }
            return;
        }
        let mut done: Vec<Done> = Vec::with_capacity(group.len());
        let mut jobs = group.into_iter();
        for job in jobs.by_ref() {
            match self.run_job(job) {
                Ok(outcome) => done.push(outcome),
                Err((work, e)) => {
                    // The transaction itself is lost: nothing of the group commits.
                    self.abandon();
                    let e = fail("transaction", e);
                    fail_all(done, &e);
                    work.reply(Err(clone_error(&e)));
                    for job in jobs {
                        job.work.reply(Err(clone_error(&e)));
                    }
                    return;
                }
            }
        }
        let started = Instant::now();
        let committed = self.exec("COMMIT");
        self.last_commit = started.elapsed();
        match committed {
            Ok(()) => {
                for (work, outcome) in done {
                    work.reply(outcome);
                }
            }
            Err(e) => {
                if is_io_error(&e) {
                    self.broken = Some("the database failed an I/O at commit; reopen the store");
                }
                let e = at("commit (nothing acknowledged)")(e);
                self.abandon();
                fail_all(done, &e);
            }
        }
    }

    /// Runs one job inside its savepoint. `Ok` carries the job's own outcome; `Err`
    /// means the savepoint could not be managed and the transaction must be abandoned.
    fn run_job(&mut self, job: Job) -> Result<Done, (Box<dyn Work>, &'static str)> {
        let Job { ids, mut work } = job;
        if self.exec("SAVEPOINT job").is_err() {
            return Err((work, "could not open a savepoint"));
        }
        let outcome = self.load(&ids).and_then(|records| {
            let changes = work.run(records)?;
            self.write(&changes)
        });
        let closed = match outcome {
            Ok(()) => self.exec("RELEASE job"),
            Err(_) => self
                .exec("ROLLBACK TO job")
                .and_then(|()| self.exec("RELEASE job")),
        };
        if closed.is_err() || self.conn.is_autocommit() {
            return Err((work, "could not close a savepoint"));
        }
        Ok((work, outcome))
    }

    fn load(&self, ids: &[ObjectId]) -> Result<Vec<Option<ObjectRecord>>, StoreError> {
        ids.iter().map(|id| rows::load(&self.conn, id)).collect()
    }

    fn write(&self, changes: &Changes) -> Result<(), StoreError> {
        for record in &changes.updated {
            rows::update(&self.conn, record)?;
        }
        for record in &changes.inserted {
            rows::insert(&self.conn, record)?;
        }
        Ok(())
    }

    /// Runs a statement without parameters or rows (transaction control), prepared once.
    fn exec(&self, sql: &str) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute([]).map(|_| ())
    }

    /// Rolls back whatever is left of the group's transaction.
    fn abandon(&mut self) {
        if !self.conn.is_autocommit() {
            // If even this fails, SQLite rolls back when the connection next begins.
            let _ = self.exec("ROLLBACK");
        }
    }
}

/// Replies `e` to the jobs that had succeeded; those that had failed keep their own
/// error (nothing of theirs was to be committed anyway).
fn fail_all(done: Vec<Done>, e: &StoreError) {
    for (work, outcome) in done {
        work.reply(outcome.and(Err(clone_error(e))));
    }
}

/// Backend errors are messages; the same one goes to every job of a group.
fn clone_error(e: &StoreError) -> StoreError {
    match e {
        StoreError::Backend(message) => StoreError::Backend(message.clone()),
        other => StoreError::Backend(other.to_string()),
    }
}

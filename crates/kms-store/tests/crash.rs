//! RELIABILITY check 26: `kill -9` crash consistency of the embedded (SQLite) store.
//!
//! The parent test re-executes this test binary as a child (`KMS_CRASH_CHILD=<dir>`,
//! filtered to [`crash_child`]), which opens the store in `<dir>` and runs
//! [`WRITERS`] concurrent writers, so that the writer thread commits them in groups.
//! Each writer registers AES-256 keys with bytes it chose and, every few operations,
//! destroys one of its earlier keys. It says on stdout what it is about to do
//! (`@c <key hex>`, `@d <id>`), and acknowledges once the store returned `Ok`
//! (`@C <id> <key hex>`, `@D <id>`). The parent reads those lines through the pipe,
//! sends SIGKILL at a random moment, opens the store itself and checks that
//!
//! - the store opens (startup never fails);
//! - every acknowledged Register is there with byte-identical key bytes;
//! - every acknowledged Destroy is still destroyed (Get: Destroyed; State: Destroyed;
//!   no material in the record);
//! - unacknowledged operations are all or nothing: a Destroy in flight left the key
//!   whole or destroyed, a Register in flight is absent or present with exactly the
//!   bytes announced, and the number of objects is between what was acknowledged and
//!   that plus the Registers in flight.
//!
//! Iterations run on the same database, each on top of the previous one's crash:
//! `KMS_CRASH_ITERATIONS` of them (30 by default). One in [`STARTUP_KILL_EVERY`]
//! kills the child within its first milliseconds instead, while it may still be
//! opening, migrating or recovering the database. The database lives under
//! `std::env::temp_dir()` (a real disk, not tmpfs: durability is the point).

// Test code: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::ops::Bound::{Excluded, Unbounded};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use kmip_types::{AttributeValue, State};
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::lifecycle::Rules;
use kms_store::sealing::MasterKey;
use kms_store::{
    AttributeSelector, CreateOptions, GetOptions, Identity, ObjectId, ObjectRecord, Store,
    StoreConfig, StoreError,
};

/// Set in the child's environment to the store directory; the child test does nothing
/// without it.
const CHILD_ENV: &str = "KMS_CRASH_CHILD";
/// Concurrent writers in the child.
const WRITERS: usize = 8;
/// Each writer destroys one of its keys every this many operations.
const DESTROY_EVERY: u64 = 4;
/// Every this many iterations (the first included), the kill comes 0–30 ms after the
/// child starts instead of 5–150 ms after it is ready.
const STARTUP_KILL_EVERY: u32 = 8;
/// A child the parent forgot stops by itself after this long.
const CHILD_DEADLINE: Duration = Duration::from_secs(120);
/// Older objects checked through the store after each kill, in turn.
const SAMPLE: usize = 500;
/// Concurrent checks of objects through the store after a kill.
const CHECKERS: usize = 4;
/// How long the parent waits for the child to open the store.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

fn owner() -> Identity {
    Identity::new("crash-test").expect("identity")
}

fn open(dir: &Path) -> Result<Store<SqliteBackend>, StoreError> {
    let master = MasterKey::load_or_create(&dir.join("master.key"))?;
    let backend = SqliteBackend::open(&dir.join("kms.db"))?;
    Ok(Store::new(
        backend,
        Box::new(master),
        StoreConfig::default(),
    ))
}

/// The child's half: does nothing unless started by [`acknowledged_writes_survive_sigkill`].
#[test]
fn crash_child() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    child::run(&PathBuf::from(dir));
}

mod child {
    use std::collections::VecDeque;
    use std::io::Write;
    use std::path::Path;

    use super::*;

    /// Opens the store and writes until killed.
    pub fn run(dir: &Path) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        runtime.block_on(async {
            let store = match open(dir) {
                Ok(store) => store,
                Err(e) => fail(&format!("open: {e}")),
            };
            say("@R");
            let mut writers = tokio::task::JoinSet::new();
            for _ in 0..WRITERS {
                writers.spawn(writer(store.clone()));
            }
            // The writers never return; the deadline is for a parent that forgot us.
            let _ = tokio::time::timeout(CHILD_DEADLINE, writers.join_all()).await;
        });
    }

    async fn writer(store: Store<SqliteBackend>) {
        let owner = owner();
        let mut mine: VecDeque<ObjectId> = VecDeque::new();
        for n in 1u64.. {
            if n.is_multiple_of(DESTROY_EVERY)
                && let Some(id) = mine.pop_front()
            {
                say(&format!("@d {id}"));
                match store.destroy(&owner, &id, Rules::KMIP).await {
                    Ok(()) => say(&format!("@D {id}")),
                    Err(e) => fail(&format!("destroy {id}: {e}")),
                }
            } else {
                let key = support::random_bytes(32);
                let hex = hex::encode(&key);
                say(&format!("@c {hex}"));
                let object = support::aes_256(&key);
                match store
                    .register(&owner, object, Vec::new(), CreateOptions::default())
                    .await
                {
                    Ok(id) => {
                        say(&format!("@C {id} {hex}"));
                        mine.push_back(id);
                    }
                    Err(e) => fail(&format!("register: {e}")),
                }
            }
        }
    }

    /// One line to the parent in one `write` (a pipe write that small is atomic, so a
    /// kill never leaves half a line), flushed before the next operation starts.
    fn say(line: &str) {
        let mut out = std::io::stdout().lock();
        let line = format!("{line}\n");
        if out
            .write_all(line.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            // The parent is gone.
            std::process::exit(0);
        }
    }

    fn fail(message: &str) -> ! {
        say(&format!("@E {message}"));
        std::process::exit(3);
    }
}

/// What the test expects of an object it knows.
#[derive(Debug)]
enum Expect {
    /// Pre-Active, with these key bytes.
    Live(Vec<u8>),
    /// Destroyed, no material.
    Destroyed,
}

/// What one child said before it died.
#[derive(Debug, Default)]
struct Said {
    ready: bool,
    error: Option<String>,
    created: BTreeMap<ObjectId, Vec<u8>>,
    destroyed: BTreeSet<ObjectId>,
    /// Announced Registers not acknowledged: key hex.
    creating: BTreeSet<String>,
    /// Announced Destroys not acknowledged.
    destroying: BTreeSet<ObjectId>,
}

impl Said {
    fn parse(lines: &[String]) -> Said {
        let mut said = Said::default();
        for line in lines {
            let mut words = line.splitn(3, ' ');
            let (verb, a, b) = (words.next(), words.next(), words.next());
            let id = |text: Option<&str>| {
                ObjectId::parse(text.unwrap_or_default())
                    .unwrap_or_else(|| panic!("bad id in {line:?}"))
            };
            match verb {
                Some("@R") => said.ready = true,
                Some("@E") => said.error = Some(line.clone()),
                Some("@c") => {
                    said.creating.insert(a.unwrap_or_default().to_owned());
                }
                Some("@C") => {
                    let hex = b.unwrap_or_default();
                    assert!(
                        said.creating.remove(hex),
                        "acknowledged unannounced {line:?}"
                    );
                    let key = hex::decode(hex).unwrap_or_else(|_| panic!("bad hex: {line:?}"));
                    said.created.insert(id(a), key);
                }
                Some("@d") => {
                    said.destroying.insert(id(a));
                }
                Some("@D") => {
                    let id = id(a);
                    assert!(
                        said.destroying.remove(&id),
                        "acknowledged unannounced {line:?}"
                    );
                    said.destroyed.insert(id);
                }
                _ => panic!("unexpected line from the child: {line:?}"),
            }
        }
        said
    }

    fn in_flight(&self) -> usize {
        self.creating.len() + self.destroying.len()
    }
}

/// Starts a child on `dir`, kills it after a random delay and returns its lines.
fn run_child(dir: &Path, startup_kill: bool) -> Vec<String> {
    let exe = std::env::current_exe().expect("test binary path");
    let mut child = Command::new(exe)
        .args(["--exact", "crash_child", "--test-threads", "1", "-q"])
        .env(CHILD_ENV, dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the child");
    let stdout = child.stdout.take().expect("child stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                // A line without its newline would be a torn write: dropped.
                Ok(0) | Err(_) => return,
                Ok(_) if !buf.ends_with(b"\n") => return,
                Ok(n) => {
                    let line = String::from_utf8_lossy(buf.get(..n - 1).unwrap_or_default());
                    // Ours start with '@'; libtest may have put its own text before one.
                    let Some(start) = line.find('@') else {
                        continue;
                    };
                    if tx
                        .send(line.get(start..).unwrap_or_default().to_owned())
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    let mut lines = Vec::new();
    let delay = if startup_kill {
        Duration::from_millis(support::random_in(0, 30))
    } else {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = rx.recv_timeout(left).unwrap_or_else(|_| {
                let _ = child.kill();
                panic!("the child exited, or did not open the store within {READY_TIMEOUT:?}")
            });
            let done = line == "@R" || line.starts_with("@E");
            lines.push(line);
            if done {
                break;
            }
        }
        Duration::from_millis(support::random_in(5, 150))
    };
    thread::sleep(delay);
    // SIGKILL on Unix.
    child.kill().expect("kill the child");
    child.wait().expect("reap the child");
    reader.join().expect("pipe reader");
    lines.extend(rx.try_iter());
    lines
}

#[derive(Debug, Default)]
struct Stats {
    iterations: u32,
    startup_kills: u32,
    killed_before_ready: u32,
    acked_creates: usize,
    acked_destroys: usize,
    in_flight_at_kill: usize,
    write_kills_with_in_flight: u32,
    unacked_creates_committed: usize,
    unacked_destroys_committed: usize,
    deep_checks: usize,
    /// Where the next sample of older objects starts.
    cursor: Option<ObjectId>,
    verify_time: Duration,
}

#[test]
fn acknowledged_writes_survive_sigkill() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    let iterations: u32 = std::env::var("KMS_CRASH_ITERATIONS")
        .ok()
        .map_or(30, |v| v.parse().expect("KMS_CRASH_ITERATIONS: a number"));
    let dir = std::env::temp_dir().join(format!("kms-crash-{}", ObjectId::generate()));
    std::fs::create_dir_all(&dir).expect("store directory");
    eprintln!("crash test: {iterations} iterations in {}", dir.display());
    // The master key exists before the first kill: creating it is not what this tests.
    MasterKey::load_or_create(&dir.join("master.key")).expect("master key");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let mut model: BTreeMap<ObjectId, Expect> = BTreeMap::new();
    let mut stats = Stats::default();
    for iteration in 0..iterations {
        let startup_kill = iteration.is_multiple_of(STARTUP_KILL_EVERY);
        let lines = run_child(&dir, startup_kill);
        let said = Said::parse(&lines);
        assert!(
            said.error.is_none(),
            "iteration {iteration}: the child failed: {:?}",
            said.error
        );
        assert!(
            said.ready || startup_kill,
            "iteration {iteration}: not ready"
        );
        stats.iterations += 1;
        stats.acked_creates += said.created.len();
        stats.acked_destroys += said.destroyed.len();
        stats.in_flight_at_kill += said.in_flight();
        if startup_kill {
            stats.startup_kills += 1;
            stats.killed_before_ready += u32::from(!said.ready);
        } else if said.in_flight() > 0 {
            stats.write_kills_with_in_flight += 1;
        }
        let full = iteration + 1 == iterations;
        let verify_started = Instant::now();
        runtime.block_on(verify(&dir, iteration, &mut model, &said, full, &mut stats));
        stats.verify_time += verify_started.elapsed();
    }
    let elapsed = started.elapsed();
    let destroyed = model
        .values()
        .filter(|e| matches!(e, Expect::Destroyed))
        .count();
    eprintln!(
        "crash test: {} iterations ({} startup kills, {} before the store was open) in {:.1?} \
         (verifying {:.1?}); acknowledged {} registers and {} destroys; {} operations in flight \
         at the kills, of which {} registers and {} destroys had committed unacknowledged; \
         {} objects at the end ({} destroyed); {} deep checks",
        stats.iterations,
        stats.startup_kills,
        stats.killed_before_ready,
        elapsed,
        stats.verify_time,
        stats.acked_creates,
        stats.acked_destroys,
        stats.in_flight_at_kill,
        stats.unacked_creates_committed,
        stats.unacked_destroys_committed,
        model.len(),
        destroyed,
        stats.deep_checks,
    );
    // The kills must land among writes, or the test proves nothing.
    let write_kills = stats.iterations - stats.startup_kills;
    assert!(
        stats.write_kills_with_in_flight * 4 >= write_kills * 3,
        "only {} of {write_kills} kills caught operations in flight",
        stats.write_kills_with_in_flight
    );
    assert!(stats.acked_creates > 0 && stats.acked_destroys > 0);
    std::fs::remove_dir_all(&dir).expect("remove the store directory");
}

/// Opens the store after a kill and checks it against `model` and what the child
/// said; then brings `model` up to date with what was found. Every record is checked
/// each time; through the store, the objects the child touched and [`SAMPLE`] others
/// in turn, or all of them when `full`.
async fn verify(
    dir: &Path,
    iteration: u32,
    model: &mut BTreeMap<ObjectId, Expect>,
    said: &Said,
    full: bool,
    stats: &mut Stats,
) {
    let at = |what: String| format!("iteration {iteration}: {what}");
    let store = match open(dir) {
        Ok(store) => store,
        Err(e) => panic!("{}", at(format!("startup failed after SIGKILL: {e}"))),
    };
    let owner = owner();
    let before = model.len();
    for (id, key) in &said.created {
        let old = model.insert(id.clone(), Expect::Live(key.clone()));
        assert!(old.is_none(), "{}", at(format!("{id} created twice")));
    }
    for id in &said.destroyed {
        let old = model.insert(id.clone(), Expect::Destroyed);
        assert!(
            matches!(old, Some(Expect::Live(_))),
            "{}",
            at(format!("destroyed {id} was not a live key"))
        );
    }
    let records: BTreeMap<ObjectId, ObjectRecord> = support::all_records(store.backend(), &owner)
        .await
        .into_iter()
        .map(|r| (r.id.clone(), r))
        .collect();
    let creating = said.creating.len();
    let acked = before + said.created.len();
    assert!(
        (acked..=acked + creating).contains(&records.len()),
        "{}",
        at(format!(
            "{} objects; expected {acked} acknowledged and at most {creating} more",
            records.len()
        ))
    );
    // Destroys in flight: all or nothing; the model takes what happened.
    for id in &said.destroying {
        let record = records
            .get(id)
            .unwrap_or_else(|| panic!("{}", at(format!("{id} (being destroyed) lost"))));
        if record.state == State::DESTROYED {
            stats.unacked_destroys_committed += 1;
            model.insert(id.clone(), Expect::Destroyed);
        }
    }
    // Registers in flight that committed: exactly the bytes announced, each once.
    let mut creating: BTreeSet<&str> = said.creating.iter().map(String::as_str).collect();
    let mut deep: BTreeSet<ObjectId> = said.created.keys().cloned().collect();
    deep.extend(said.destroyed.iter().cloned());
    deep.extend(said.destroying.iter().cloned());
    let unknown: Vec<&ObjectId> = records
        .keys()
        .filter(|id| !model.contains_key(*id))
        .collect();
    for id in unknown {
        let key = live_bytes(&store, &owner, id)
            .await
            .unwrap_or_else(|e| panic!("{}", at(format!("unacknowledged {id}: {e}"))));
        let hex = hex::encode(&key);
        assert!(
            creating.remove(hex.as_str()),
            "{}",
            at(format!("{id} is no Register in flight"))
        );
        stats.unacked_creates_committed += 1;
        model.insert(id.clone(), Expect::Live(key));
        deep.insert(id.clone());
    }
    // Every known object, from its record.
    for (id, expect) in model.iter() {
        let record = records
            .get(id)
            .unwrap_or_else(|| panic!("{}", at(format!("acknowledged {id} is missing"))));
        let (state, material) = match expect {
            Expect::Live(_) => (State::PRE_ACTIVE, true),
            Expect::Destroyed => (State::DESTROYED, false),
        };
        assert_eq!(record.state, state, "{}", at(format!("state of {id}")));
        assert_eq!(
            record.material.is_some(),
            material,
            "{}",
            at(format!("material of {id}"))
        );
    }
    // And through the store, several at a time: this run's objects and the next
    // [`SAMPLE`] others after the cursor, round the model (all of them when `full`).
    let start = stats.cursor.take();
    let sample: Vec<ObjectId> = model
        .range::<ObjectId, _>((start.as_ref().map_or(Unbounded, Excluded), Unbounded))
        .chain(model.iter())
        .map(|(id, _)| id.clone())
        .take(SAMPLE.min(model.len()))
        .collect();
    stats.cursor = sample.last().cloned();
    deep.extend(sample);
    let checks: Vec<(ObjectId, Option<Vec<u8>>)> = model
        .iter()
        .filter(|(id, _)| full || deep.contains(*id))
        .map(|(id, expect)| {
            let key = match expect {
                Expect::Live(key) => Some(key.clone()),
                Expect::Destroyed => None,
            };
            (id.clone(), key)
        })
        .collect();
    stats.deep_checks += checks.len();
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in checks.chunks(checks.len().div_ceil(CHECKERS).max(1)) {
        let (store, owner, chunk) = (store.clone(), owner.clone(), chunk.to_vec());
        tasks.spawn(async move {
            for (id, key) in chunk {
                check_through_store(&store, &owner, &id, key.as_deref()).await?;
            }
            Ok::<(), String>(())
        });
    }
    for result in tasks.join_all().await {
        if let Err(e) = result {
            panic!("{}", at(e));
        }
    }
}

/// Through the store's own operations: a live key (`key` is `Some`) gets back exactly
/// its bytes; a destroyed one is refused as Destroyed and says so in its State.
async fn check_through_store(
    store: &Store<SqliteBackend>,
    owner: &Identity,
    id: &ObjectId,
    key: Option<&[u8]>,
) -> Result<(), String> {
    let got = store.get(owner, id, &GetOptions::default()).await;
    match (key, got) {
        (Some(key), Ok(object)) if support::key_bytes(&object) == Some(key) => Ok(()),
        (Some(_), Ok(_)) => Err(format!("{id}: other key bytes")),
        (Some(_), Err(e)) => Err(format!("get {id}: {e}")),
        (None, Err(StoreError::Destroyed)) => match state(store, owner, id).await? {
            State::DESTROYED => Ok(()),
            other => Err(format!("destroyed {id} has State {other:?}")),
        },
        (None, got) => Err(format!("get of destroyed {id}: {:?}", got.map(|_| ()))),
    }
}

/// The key bytes of a key the test did not know was committed.
async fn live_bytes(
    store: &Store<SqliteBackend>,
    owner: &Identity,
    id: &ObjectId,
) -> Result<Vec<u8>, String> {
    let object = store
        .get(owner, id, &GetOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    let key = support::key_bytes(&object).ok_or("no Raw key bytes")?;
    Ok(key.to_vec())
}

async fn state(
    store: &Store<SqliteBackend>,
    owner: &Identity,
    id: &ObjectId,
) -> Result<State, String> {
    let selector = AttributeSelector {
        names: vec!["State".into()],
    };
    let attributes = store
        .get_attributes(owner, id, &selector)
        .await
        .map_err(|e| format!("State of {id}: {e}"))?;
    match attributes.first().map(|a| &a.value) {
        Some(AttributeValue::State(s)) => Ok(*s),
        other => Err(format!("{id} has no State attribute: {other:?}")),
    }
}

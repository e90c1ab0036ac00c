//! The store under load, through its public API: Create (durable, commits grouped by
//! the backend), Get (from the warm cache on SQLite) and Locate by exact Name, on
//! SQLite and, when `KMS_TEST_POSTGRES_URL` is set, on PostgreSQL.
//!
//! Criterion reports each case's mean throughput (`elem/s` = operations/s). Criterion
//! only reports means, and some targets are percentiles, so each case then runs once
//! more as a plain loop that times every operation; a table of ops/s, p50, p99 and max
//! is printed at the end.
//!
//! ```text
//! cargo bench -p kms-store --bench store
//! KMS_BENCH_LARGE=1 cargo bench ...        # Locate at 1M objects as well (minutes to fill)
//! KMS_BENCH_LARGE=200000 cargo bench ...   # ... or at that many objects
//! KMS_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench ...
//! KMS_BENCH_BACKEND=sqlite|postgres ...    # one backend only
//! KMS_BENCH_CASES=locate,get ...           # some of create, get, locate only
//! ```
//!
//! SQLite databases live in a fresh directory under the temporary directory, PostgreSQL
//! tables in fresh schemas; both are removed at the end. `cargo test --benches` runs
//! every case once over a few hundred objects.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, CryptographicUsageMask, Name, ObjectType,
};
use kms_store::backend::Backend;
use kms_store::backend::postgres::PostgresBackend;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{CreateOptions, GetOptions, Identity, LocateRequest, ObjectId, Store, StoreConfig};
use tokio::runtime::Runtime;

/// The population Get and the first Locate run on.
const SMALL: usize = 10_000;
/// `KMS_BENCH_LARGE=1`.
const ONE_MILLION: usize = 1_000_000;
/// Concurrent creates while filling a store: the SQLite writer groups up to 256 per
/// commit; PostgreSQL's pool has 16 connections, more tasks just queue for them.
const FILL_TASKS: usize = 256;
/// A fixed master key, so that a database can be reopened with another configuration.
const MASTER_KEY: [u8; 32] = [0x42; 32];

fn main() {
    let plan = Plan::from_env();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .sample_size(10)
        .configure_from_args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut report = Report::default();
    eprintln!("{plan:?}");
    if plan.sqlite {
        sqlite(&mut c, &rt, &plan, &mut report);
    }
    if let Some(url) = &plan.postgres {
        postgres(&mut c, &rt, &plan, url, &mut report);
    }
    report.print();
    c.final_summary();
}

/// What to run, from the command line and the environment.
#[derive(Debug)]
struct Plan {
    /// `cargo test --benches`: every case once, on a few objects.
    quick: bool,
    small: usize,
    large: Option<usize>,
    sqlite: bool,
    postgres: Option<String>,
    /// `KMS_BENCH_CASES`: `None` runs every case.
    cases: Option<Vec<String>>,
}

impl Plan {
    fn from_env() -> Plan {
        let args: Vec<String> = std::env::args().collect();
        // Criterion's own rule for test mode.
        let quick = !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test");
        let large = match std::env::var("KMS_BENCH_LARGE").ok().as_deref() {
            None | Some("" | "0") => None,
            Some("1") => Some(ONE_MILLION),
            Some(n) => Some(
                n.parse()
                    .expect("KMS_BENCH_LARGE: 1 or a number of objects"),
            ),
        };
        let only = std::env::var("KMS_BENCH_BACKEND").ok();
        let wants = |backend: &str| only.as_deref().is_none_or(|o| o == backend);
        let postgres = std::env::var("KMS_TEST_POSTGRES_URL")
            .ok()
            .filter(|_| wants("postgres"));
        if postgres.is_none() && wants("postgres") {
            eprintln!("PostgreSQL skipped: KMS_TEST_POSTGRES_URL not set");
        }
        Plan {
            quick,
            small: if quick { 300 } else { SMALL },
            large: large.filter(|_| !quick),
            sqlite: wants("sqlite"),
            postgres,
            cases: std::env::var("KMS_BENCH_CASES")
                .ok()
                .map(|v| v.split(',').map(|c| c.trim().to_owned()).collect()),
        }
    }

    /// Whether to run `case` (create, get, locate).
    fn runs(&self, case: &str) -> bool {
        self.cases
            .as_ref()
            .is_none_or(|cases| cases.iter().any(|c| c == case))
    }

    /// Operations of a latency loop: `full` normally, a few in test mode.
    fn ops(&self, full: usize) -> usize {
        if self.quick { full.min(50) } else { full }
    }
}

fn sqlite(c: &mut Criterion, rt: &Runtime, plan: &Plan, report: &mut Report) {
    let dir = std::env::temp_dir().join(format!("kms-store-bench-{}", ObjectId::generate()));
    std::fs::create_dir_all(&dir).unwrap();
    let open = |file: &str, cache_capacity: usize| {
        let backend = SqliteBackend::open(&dir.join(file)).unwrap();
        let config = StoreConfig {
            cache_capacity,
            ..StoreConfig::default()
        };
        store(backend, config)
    };
    let cached = StoreConfig::default().cache_capacity;

    let writes = open("create.db", cached);
    bench_create(c, rt, plan, report, "sqlite", &writes);
    drop(writes);
    if !plan.runs("get") && !plan.runs("locate") {
        drop(std::fs::remove_dir_all(&dir));
        return;
    }

    let reads = open("read.db", cached);
    let owner = Identity::new("alice").unwrap();
    let mut ids = fill(rt, report, "sqlite", &reads, &owner, 0..plan.small);
    let warm = Arc::new(Ctx {
        store: reads.clone(),
        owner: owner.clone(),
        ids: ids.clone(),
    });
    if plan.runs("get") {
        // Every object once: all of them are in the cache after this (capacity 100k).
        rt.block_on(drive(4, ids.len(), get_op(&warm, Pick::Each)));
    }
    bench_get(c, rt, plan, report, "sqlite", "get_warm", &warm);
    bench_locate(c, rt, plan, report, "sqlite", &warm);
    if let Some(large) = plan.large.filter(|_| plan.runs("locate")) {
        ids.extend(fill(rt, report, "sqlite", &reads, &owner, ids.len()..large));
        let ctx = Arc::new(Ctx {
            store: reads.clone(),
            owner: owner.clone(),
            ids: ids.clone(),
        });
        bench_locate(c, rt, plan, report, "sqlite", &ctx);
    }
    drop(warm);
    drop(reads);

    // The same database without the cache: what a miss costs (a store larger than
    // the cache misses on most Gets).
    let cold = Arc::new(Ctx {
        store: open("read.db", 0),
        owner,
        ids,
    });
    bench_get(c, rt, plan, report, "sqlite", "get_uncached", &cold);
    drop(cold);
    drop(std::fs::remove_dir_all(&dir));
}

fn postgres(c: &mut Criterion, rt: &Runtime, plan: &Plan, url: &str, report: &mut Report) {
    let schemas = [Schema::new(rt, url), Schema::new(rt, url)];
    let open = |schema: &Schema| {
        let backend = rt
            .block_on(PostgresBackend::connect_with_schema(url, &schema.name))
            .unwrap();
        store(backend, StoreConfig::default())
    };

    let writes = open(&schemas[0]);
    bench_create(c, rt, plan, report, "postgres", &writes);
    drop(writes);
    if !plan.runs("get") && !plan.runs("locate") {
        return;
    }

    let reads = open(&schemas[1]);
    let owner = Identity::new("alice").unwrap();
    let mut ids = fill(rt, report, "postgres", &reads, &owner, 0..plan.small);
    let ctx = Arc::new(Ctx {
        store: reads.clone(),
        owner: owner.clone(),
        ids: ids.clone(),
    });
    // A store several nodes share has no cache: every Get reads the database.
    bench_get(c, rt, plan, report, "postgres", "get", &ctx);
    bench_locate(c, rt, plan, report, "postgres", &ctx);
    if let Some(large) = plan.large.filter(|_| plan.runs("locate")) {
        ids.extend(fill(
            rt,
            report,
            "postgres",
            &reads,
            &owner,
            ids.len()..large,
        ));
        let ctx = Arc::new(Ctx {
            store: reads.clone(),
            owner,
            ids,
        });
        bench_locate(c, rt, plan, report, "postgres", &ctx);
    }
    drop(ctx);
    drop(reads);
    drop(schemas);
}

fn store<B: Backend + Debug>(backend: B, config: StoreConfig) -> Store<B> {
    let key = MasterKey::from_bytes(&MASTER_KEY).unwrap();
    Store::new(backend, Box::new(key), config)
}

/// A populated store and what is in it: object `k` is `ids[k]`, named [`name`]`(k)`.
struct Ctx<B: Backend + Debug> {
    store: Store<B>,
    owner: Identity,
    ids: Vec<ObjectId>,
}

fn name(k: usize) -> String {
    format!("key-{k}")
}

fn aes_attributes(name: String) -> Vec<Attribute> {
    vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::AES,
        )),
        Attribute::new(AttributeValue::CryptographicLength(256)),
        Attribute::new(AttributeValue::CryptographicUsageMask(
            CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
        )),
        Attribute::new(AttributeValue::Name(Name::text(name))),
    ]
}

/// Creates objects `range` (an AES-256 key each, named [`name`]`(k)`) from
/// [`FILL_TASKS`] tasks, and returns their ids in order.
fn fill<B: Backend + Debug>(
    rt: &Runtime,
    report: &mut Report,
    backend: &'static str,
    store: &Store<B>,
    owner: &Identity,
    range: std::ops::Range<usize>,
) -> Vec<ObjectId> {
    let (from, count) = (range.start, range.len());
    eprintln!("{backend}: creating objects {from}..{}", range.end);
    let started = Instant::now();
    let ids = rt.block_on(async {
        let tasks: Vec<_> = (0..FILL_TASKS.min(count.max(1)))
            .map(|t| {
                let store = store.clone();
                let owner = owner.clone();
                tokio::spawn(async move {
                    let mut made = Vec::with_capacity(count / FILL_TASKS + 1);
                    for k in (from + t..from + count).step_by(FILL_TASKS) {
                        let id = store
                            .create(
                                &owner,
                                ObjectType::SYMMETRIC_KEY,
                                aes_attributes(name(k)),
                                CreateOptions::default(),
                            )
                            .await
                            .unwrap();
                        made.push(id);
                        if k > 0 && k % 100_000 == 0 {
                            eprintln!("  {k} ({:.0?})", started.elapsed());
                        }
                    }
                    made
                })
            })
            .collect();
        // Task t made objects from + t, from + t + FILL_TASKS, ...: interleave them back.
        let mut made = Vec::with_capacity(tasks.len());
        for task in tasks {
            made.push(task.await.unwrap().into_iter());
        }
        let mut ids = Vec::with_capacity(count);
        for k in 0..count {
            ids.push(made[k % FILL_TASKS].next().unwrap());
        }
        ids
    });
    let wall = started.elapsed();
    eprintln!("{backend}: {count} objects in {wall:.1?}");
    report.rows.push(Row {
        backend,
        case: format!("fill {from}..{} ({FILL_TASKS} tasks)", range.end),
        ops: count,
        wall,
        percentiles: None,
    });
    ids
}

fn bench_create<B: Backend + Debug>(
    c: &mut Criterion,
    rt: &Runtime,
    plan: &Plan,
    report: &mut Report,
    backend: &'static str,
    store: &Store<B>,
) {
    if !plan.runs("create") {
        return;
    }
    let owner = Identity::new("writer").unwrap();
    let op = {
        let store = store.clone();
        move |n: u64| {
            let store = store.clone();
            let owner = owner.clone();
            async move {
                store
                    .create(
                        &owner,
                        ObjectType::SYMMETRIC_KEY,
                        aes_attributes(format!("created-{n}")),
                        CreateOptions::default(),
                    )
                    .await
                    .unwrap();
            }
        }
    };
    let mut group = c.benchmark_group(format!("{backend}/create"));
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    for tasks in [1, 64] {
        group.bench_function(BenchmarkId::new("tasks", tasks), |b| {
            b.iter_custom(|iters| rt.block_on(drive(tasks, iters as usize, op.clone())).wall);
        });
    }
    group.finish();
    for (tasks, ops) in [(1, 2_000), (64, 20_000)] {
        let run = rt.block_on(drive(tasks, plan.ops(ops), op.clone()));
        report.push(backend, format!("create, {tasks} task(s)"), run);
    }
}

fn bench_get<B: Backend + Debug>(
    c: &mut Criterion,
    rt: &Runtime,
    plan: &Plan,
    report: &mut Report,
    backend: &'static str,
    case: &str,
    ctx: &Arc<Ctx<B>>,
) {
    if !plan.runs("get") {
        return;
    }
    let n = ctx.ids.len();
    let op = get_op(ctx, Pick::Random);
    let mut group = c.benchmark_group(format!("{backend}/{case}"));
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    for tasks in [1, 4] {
        group.bench_function(BenchmarkId::new(format!("objects_{n}/tasks"), tasks), |b| {
            b.iter_custom(|iters| rt.block_on(drive(tasks, iters as usize, op.clone())).wall);
        });
    }
    group.finish();
    for tasks in [1, 4] {
        let run = rt.block_on(drive(tasks, plan.ops(100_000), op.clone()));
        report.push(backend, format!("{case} at {n}, {tasks} task(s)"), run);
    }
}

#[derive(Clone, Copy, Debug)]
enum Pick {
    /// Operation `n` reads object `n mod len` (warming up).
    Each,
    /// A random object.
    Random,
}

fn get_op<B: Backend + Debug>(
    ctx: &Arc<Ctx<B>>,
    pick: Pick,
) -> impl Fn(u64) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>> + Clone + Send + 'static {
    let ctx = Arc::clone(ctx);
    move |n| {
        let ctx = Arc::clone(&ctx);
        Box::pin(async move {
            let k = match pick {
                Pick::Each => (n % ctx.ids.len() as u64) as usize,
                Pick::Random => random(n, ctx.ids.len()),
            };
            let object = ctx
                .store
                .get(&ctx.owner, &ctx.ids[k], &GetOptions::default())
                .await
                .unwrap();
            std::hint::black_box(object);
        })
    }
}

fn bench_locate<B: Backend + Debug>(
    c: &mut Criterion,
    rt: &Runtime,
    plan: &Plan,
    report: &mut Report,
    backend: &'static str,
    ctx: &Arc<Ctx<B>>,
) {
    if !plan.runs("locate") {
        return;
    }
    let n = ctx.ids.len();
    let op = {
        let ctx = Arc::clone(ctx);
        move |i: u64| {
            let ctx = Arc::clone(&ctx);
            async move {
                let k = random(i, ctx.ids.len());
                let request = LocateRequest {
                    attributes: vec![Attribute::new(AttributeValue::Name(Name::text(name(k))))],
                    ..LocateRequest::default()
                };
                let found = ctx.store.locate(&ctx.owner, &request).await.unwrap();
                assert_eq!(found.ids, std::slice::from_ref(&ctx.ids[k]));
            }
        }
    };
    let mut group = c.benchmark_group(format!("{backend}/locate_name"));
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("objects", n), |b| {
        b.iter_custom(|iters| rt.block_on(drive(1, iters as usize, op.clone())).wall);
    });
    group.finish();
    for tasks in [1, 4] {
        let run = rt.block_on(drive(tasks, plan.ops(10_000), op.clone()));
        report.push(backend, format!("locate name at {n}, {tasks} task(s)"), run);
    }
}

/// Numbers every operation across runs, so that names made from it never repeat.
static NEXT_OP: AtomicU64 = AtomicU64::new(0);

/// Runs `ops` operations from `tasks` concurrent tasks (each takes every `tasks`-th
/// one) and times each. `op` gets a number no other operation of this process got.
async fn drive<F, Fut>(tasks: usize, ops: usize, op: F) -> Run
where
    F: Fn(u64) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let base = NEXT_OP.fetch_add(ops as u64, Ordering::Relaxed);
    let tasks = tasks.clamp(1, ops.max(1));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(ops / tasks + 1);
                for i in (t..ops).step_by(tasks) {
                    let begun = Instant::now();
                    op(base + i as u64).await;
                    latencies.push(begun.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(ops);
    for handle in handles {
        latencies.extend(handle.await.unwrap());
    }
    let wall = started.elapsed();
    latencies.sort_unstable();
    Run { wall, latencies }
}

/// A uniformly spread index below `len` for operation `n` (SplitMix64).
fn random(n: u64, len: usize) -> usize {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z % len as u64) as usize
}

/// One timed loop: its wall time and every operation's latency, sorted.
#[derive(Debug)]
struct Run {
    wall: Duration,
    latencies: Vec<Duration>,
}

/// The latency that a fraction `q` of the operations did not exceed (nearest rank).
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted
        .get(rank.saturating_sub(1))
        .copied()
        .unwrap_or_default()
}

#[derive(Debug, Default)]
struct Report {
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    backend: &'static str,
    case: String,
    ops: usize,
    wall: Duration,
    /// p50, p99, max.
    percentiles: Option<[Duration; 3]>,
}

impl Report {
    fn push(&mut self, backend: &'static str, case: String, run: Run) {
        let l = &run.latencies;
        let row = Row {
            backend,
            case,
            ops: l.len(),
            wall: run.wall,
            percentiles: Some([
                percentile(l, 0.50),
                percentile(l, 0.99),
                l.last().copied().unwrap_or_default(),
            ]),
        };
        eprintln!("{}", row.line());
        self.rows.push(row);
    }

    fn print(&self) {
        eprintln!();
        eprintln!(
            "{:<9} {:<40} {:>8} {:>10} {:>10} {:>10} {:>10}",
            "backend", "case", "ops", "ops/s", "p50", "p99", "max"
        );
        for row in &self.rows {
            eprintln!("{}", row.line());
        }
        eprintln!();
    }
}

impl Row {
    fn line(&self) -> String {
        let rate = self.ops as f64 / self.wall.as_secs_f64();
        let [p50, p99, max] = self
            .percentiles
            .map(|p| p.map(|d| format!("{:.1?}", d)))
            .unwrap_or_else(|| ["-".into(), "-".into(), "-".into()]);
        format!(
            "{:<9} {:<40} {:>8} {:>10.0} {:>10} {:>10} {:>10}",
            self.backend, self.case, self.ops, rate, p50, p99, max
        )
    }
}

/// A fresh PostgreSQL schema, dropped with everything in it when this is dropped.
struct Schema {
    url: String,
    name: String,
    rt: tokio::runtime::Handle,
}

impl Schema {
    fn new(rt: &Runtime, url: &str) -> Schema {
        Schema {
            url: url.to_owned(),
            name: format!("bench_{}", ObjectId::generate().as_str().replace('-', "")),
            rt: rt.handle().clone(),
        }
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        let sql = format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name);
        let dropped = self.rt.block_on(async {
            let (client, connection) =
                tokio_postgres::connect(&self.url, tokio_postgres::NoTls).await?;
            let connection = tokio::spawn(connection);
            client.batch_execute(&sql).await?;
            drop(client);
            drop(connection.await);
            Ok::<_, tokio_postgres::Error>(())
        });
        if let Err(e) = dropped {
            eprintln!("could not drop schema {}: {e}", self.name);
        }
    }
}

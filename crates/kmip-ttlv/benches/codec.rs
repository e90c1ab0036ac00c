//! Decode and encode throughput on realistic KMIP 1.4 messages (`benches/messages`).
//!
//! Each benchmark reports bytes per second and time per message; the message sizes and
//! item counts are printed first so time per item can be derived. The side-by-side
//! comparison with NLnet Labs' `kmip-ttlv` lives in `benches/nlnet-compare` at the
//! workspace root, because both crates are named `kmip-ttlv`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kmip_ttlv::{Limits, Ttlv, decode_message};

mod messages;

fn cases() -> Vec<(&'static str, Ttlv, Vec<u8>)> {
    [
        ("get-response-aes256", messages::get_response_aes256()),
        ("locate-request", messages::locate_request()),
        ("get-batch-request-10", messages::get_batch_request(10)),
    ]
    .into_iter()
    .filter_map(|(name, tree)| {
        let bytes = tree.to_bytes().ok()?;
        eprintln!("{name}: {} bytes, {} items", bytes.len(), tree.item_count());
        Some((name, tree, bytes))
    })
    .collect()
}

fn codec(c: &mut Criterion) {
    let cases = cases();
    let limits = Limits::DEFAULT;

    let mut group = c.benchmark_group("decode");
    for (name, tree, bytes) in &cases {
        assert!(decode_message(bytes, &limits).as_ref() == Ok(tree));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), bytes, |b, bytes| {
            b.iter(|| decode_message(black_box(bytes), &limits));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("encode");
    for (name, tree, bytes) in &cases {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), tree, |b, tree| {
            b.iter(|| black_box(tree).to_bytes());
        });
    }
    group.finish();

    // A server answering on one connection reuses its output buffer.
    let mut group = c.benchmark_group("encode-into-reused-buffer");
    for (name, tree, bytes) in &cases {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let mut out = Vec::with_capacity(bytes.len());
        group.bench_with_input(BenchmarkId::from_parameter(name), tree, |b, tree| {
            b.iter(|| {
                out.clear();
                black_box(tree).encode_into(&mut out)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, codec);
criterion_main!(benches);

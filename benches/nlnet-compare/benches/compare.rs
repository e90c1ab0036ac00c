//! Decode time of the same bytes by this workspace's `kmip-ttlv` (into its generic
//! `Ttlv` tree, fully validated) and by NLnet Labs' `kmip-ttlv` 0.3 (serde into the typed
//! structs of `src/lib.rs`, which the unit tests check field by field).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kmip_ttlv::{Limits, decode_message};
use nlnet_compare::{GetBatchRequestMessage, LocateRequestMessage, ResponseMessage, messages};
use nlnet_kmip_ttlv::de::from_slice;

fn compare(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let cases = [
        ("get-response-aes256", messages::get_response_aes256()),
        ("locate-request", messages::locate_request()),
        ("get-batch-request-10", messages::get_batch_request(10)),
    ];
    for (name, tree) in cases {
        let Ok(bytes) = tree.to_bytes() else {
            continue;
        };
        eprintln!("{name}: {} bytes, {} items", bytes.len(), tree.item_count());
        let mut group = c.benchmark_group(format!("decode/{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", "tree"), &bytes, |b, bytes| {
            b.iter(|| decode_message(black_box(bytes), &limits));
        });
        group.bench_with_input(
            BenchmarkId::new("nlnet", "serde"),
            &bytes,
            |b, bytes| match name {
                "get-response-aes256" => {
                    b.iter(|| from_slice::<ResponseMessage>(black_box(bytes)));
                }
                "locate-request" => {
                    b.iter(|| from_slice::<LocateRequestMessage>(black_box(bytes)));
                }
                _ => b.iter(|| from_slice::<GetBatchRequestMessage>(black_box(bytes))),
            },
        );
        group.finish();
    }
}

criterion_group!(benches, compare);
criterion_main!(benches);

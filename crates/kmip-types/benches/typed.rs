//! Bytes → typed message and typed message → bytes on the same realistic KMIP 1.4
//! messages as `kmip-ttlv`'s codec benchmark (`crates/kmip-ttlv/benches/messages`), to
//! show what the typed layer adds on top of the TTLV decode.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kmip_ttlv::Limits;
use kmip_types::{RequestMessage, ResponseMessage};

#[path = "../../kmip-ttlv/benches/messages/mod.rs"]
mod messages;

fn typed(c: &mut Criterion) {
    let limits = Limits::DEFAULT;
    let requests = [
        ("locate-request", messages::locate_request()),
        ("get-batch-request-10", messages::get_batch_request(10)),
        ("create-request", messages::create_request()),
    ];
    let mut group = c.benchmark_group("typed-decode");
    for (name, tree) in &requests {
        let Ok(bytes) = tree.to_bytes() else { continue };
        if RequestMessage::from_bytes(&bytes, &limits).is_err() {
            eprintln!("{name}: not a valid typed request, skipped");
            continue;
        }
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &bytes, |b, bytes| {
            b.iter(|| RequestMessage::from_bytes(black_box(bytes), &limits));
        });
    }
    if let Ok(bytes) = messages::get_response_aes256().to_bytes()
        && ResponseMessage::from_bytes(&bytes, &limits).is_ok()
    {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter("get-response-aes256"),
            &bytes,
            |b, bytes| b.iter(|| ResponseMessage::from_bytes(black_box(bytes), &limits)),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("typed-encode");
    if let Ok(bytes) = messages::get_response_aes256().to_bytes()
        && let Ok(response) = ResponseMessage::from_bytes(&bytes, &limits)
    {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function("get-response-aes256", |b| {
            b.iter(|| black_box(&response).to_bytes());
        });
    }
    group.finish();
}

criterion_group!(benches, typed);
criterion_main!(benches);

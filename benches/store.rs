//! Store benchmarks: one member insert with the durable settings (WAL, synchronous=FULL: one
//! fsync per commit), and batched demo generation.
//!
//! `cargo bench --bench store` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use stationdesk::demo::{self, DemoOptions};

#[path = "../tests/common/mod.rs"]
mod common;

fn single_insert(c: &mut Criterion) {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let fields = common::member("李秀兰");
    c.bench_function(
        "insert one member (own transaction, synchronous=FULL)",
        |b| b.iter(|| store.add_member(&fields).expect("insert")),
    );
}

fn demo_batches(c: &mut Criterion) {
    let mut group = c.benchmark_group("demo generation");
    group.sample_size(10);
    let records = 20_000;
    group.throughput(Throughput::Elements(records as u64));
    group.bench_function("20,000 records in batches of 10,000", |b| {
        b.iter_batched(
            || {
                let fx = common::Fixture::new();
                let store = fx.station();
                (fx, store)
            },
            |(fx, mut store)| {
                let options = DemoOptions {
                    seed: 1,
                    members: 0,
                    records,
                };
                demo::run(&mut store, &options, &mut |_, _| {}).expect("demo");
                drop(store);
                drop(fx);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, single_insert, demo_batches);
criterion_main!(benches);

//! Store benchmarks: one member insert with the durable settings (WAL, synchronous=FULL: one
//! fsync per commit), and batched demo generation.
//!
//! `cargo bench --bench store` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::{Gender, Level, MemberFields, StationSetup};
use stationdesk::store::Store;

fn station(dir: &tempfile::TempDir) -> Store {
    let mut store = Store::open(&dir.path().join("bench.db")).expect("open");
    store
        .init_station(&StationSetup {
            name: "基准测试站".into(),
            code: "BENCH".into(),
            ..StationSetup::default()
        })
        .expect("init");
    store
}

fn member() -> MemberFields {
    MemberFields {
        name: "李秀兰".into(),
        gender: Gender::Female,
        sector: "医药卫生界".into(),
        level: Level::County,
        party: "中共党员".into(),
        phone: "13800138000".into(),
        specialties: "全科医学".into(),
        mediator: false,
        active: true,
    }
}

fn single_insert(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = station(&dir);
    let fields = member();
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
                let dir = tempfile::tempdir().expect("tempdir");
                let store = station(&dir);
                (dir, store)
            },
            |(dir, mut store)| {
                let options = DemoOptions {
                    seed: 1,
                    members: 0,
                    records,
                };
                demo::run(&mut store, &options, &mut |_, _| {}).expect("demo");
                drop(store);
                drop(dir);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, single_insert, demo_batches);
criterion_main!(benches);

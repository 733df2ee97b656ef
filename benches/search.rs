//! Search and intake-list latency on a `stationdesk demo --records 1000000` database.
//!
//! `cargo bench --bench search` prints, for each query, the median and the 99th percentile over
//! 300 runs, then criterion's figures. The database is made once (about 2–3 minutes) at
//! `target/bench-data/demo-1m.db`, or taken from `STATIONDESK_BENCH_DB`;
//! `STATIONDESK_BENCH_RECORDS` sets its size when it is made.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use stationdesk::demo::{self, DemoOptions};
use stationdesk::store::{IntakeFilter, Store};

fn database() -> Store {
    let path = std::env::var("STATIONDESK_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/demo-1m.db")
        });
    let fresh = !path.exists();
    let mut store = Store::open_with(
        &path,
        &stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
            "bench station passphrase",
        )),
        stationdesk::store::KdfCost::QUICK,
        &mut |_| {},
    )
    .expect("open the benchmark database");
    if fresh {
        let records = std::env::var("STATIONDESK_BENCH_RECORDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1_000_000);
        eprintln!("making {} with {records} records (once)…", path.display());
        demo::run(
            &mut store,
            &DemoOptions {
                seed: 1,
                members: 60,
                records,
            },
            &mut |_, _| {},
        )
        .expect("demo data");
    }
    store
}

/// The queries: one and two Chinese characters, four, and pinyin initials.
const QUERIES: [(&str, &str); 5] = [
    ("1 character", "水"),
    ("2 characters", "停车"),
    ("4 characters", "老旧小区"),
    ("pinyin initials", "zxl"),
    ("rare 2 characters", "井盖"),
];

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p99 = samples[(samples.len() * 99 / 100).min(samples.len() - 1)];
    (median, p99)
}

fn print_percentiles(store: &Store) {
    let today = chrono::Local::now().date_naive();
    println!("\nmedian / p99 over 300 runs:");
    for (name, query) in QUERIES {
        let samples: Vec<Duration> = (0..300)
            .map(|_| {
                let start = Instant::now();
                let hits = store.search(query, None, 40).unwrap();
                std::hint::black_box(hits);
                start.elapsed()
            })
            .collect();
        let (median, p99) = percentiles(samples);
        println!("  search {name:<18} {query:<8} {median:>10.2?} / {p99:>10.2?}");
    }
    let filter = IntakeFilter::default();
    let samples: Vec<Duration> = (0..300)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(store.intakes_page(&filter, today, None, 36).unwrap());
            start.elapsed()
        })
        .collect();
    let (median, p99) = percentiles(samples);
    println!("  intake list, first page (36 rows)     {median:>10.2?} / {p99:>10.2?}");
    let first = store.intakes_page(&filter, today, None, 36).unwrap();
    let cursor = Store::intake_cursor(&first.last().unwrap().intake);
    let samples: Vec<Duration> = (0..300)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(
                store
                    .intakes_page(&filter, today, Some(&cursor), 36)
                    .unwrap(),
            );
            start.elapsed()
        })
        .collect();
    let (median, p99) = percentiles(samples);
    println!("  intake list, next page (36 rows)      {median:>10.2?} / {p99:>10.2?}");
    let urgent = IntakeFilter {
        due: stationdesk::store::DueFilter::Urgent,
        ..IntakeFilter::default()
    };
    let samples: Vec<Duration> = (0..50)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(store.intakes_page(&urgent, today, None, 36).unwrap());
            start.elapsed()
        })
        .collect();
    let (median, p99) = percentiles(samples);
    println!("  overdue + due today, first page        {median:>10.2?} / {p99:>10.2?}");
    let samples: Vec<Duration> = (0..50)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(store.count_intakes(&urgent, today).unwrap());
            start.elapsed()
        })
        .collect();
    let (median, p99) = percentiles(samples);
    println!("  overdue + due today, count (cap 10000) {median:>10.2?} / {p99:>10.2?}\n");
}

fn search(c: &mut Criterion) {
    let store = database();
    print_percentiles(&store);
    let mut group = c.benchmark_group("search at 1M records");
    for (name, query) in QUERIES {
        group.bench_function(name, |b| b.iter(|| store.search(query, None, 40).unwrap()));
    }
    group.finish();
    let today = chrono::Local::now().date_naive();
    let filter = IntakeFilter::default();
    c.bench_function("intake list first page", |b| {
        b.iter(|| store.intakes_page(&filter, today, None, 36).unwrap())
    });
}

criterion_group!(benches, search);
criterion_main!(benches);

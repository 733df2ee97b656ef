//! County exchange: exporting 100,000 records, and importing 100 station bundles.
//!
//! `cargo bench --bench bundle` prints the figures. The station database is made once at
//! `target/bench-data/bundle-100k.db`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use stationdesk::bundle::{self, CountyDb, ExportOptions};
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::StationSetup;
use stationdesk::store::Store;

fn export_100k(c: &mut Criterion) {
    let (identity, recipient) = bundle::county_keygen();
    let _ = identity;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data/bundle-100k.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let fresh = !path.exists();
    let mut store = Store::open_with(
        &path,
        &stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
            "bench station passphrase",
        )),
        stationdesk::store::KdfCost::QUICK,
        &mut |_| {},
    )
    .unwrap();
    if fresh {
        demo::run(
            &mut store,
            &DemoOptions {
                seed: 2,
                members: 50,
                records: 99_950,
            },
            &mut |_, _| {},
        )
        .unwrap();
    }
    store.set_county_recipient(&recipient).unwrap();
    let mut group = c.benchmark_group("county exchange");
    group.sample_size(10);
    group.bench_function("export 100,000 records (all, encrypted, verified)", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                bundle::export(
                    &mut store,
                    dir.path(),
                    ExportOptions {
                        all: true,
                        plaintext: false,
                        allow_empty: true,
                    },
                )
                .unwrap();
                dir
            },
            BatchSize::PerIteration,
        )
    });

    // 100 stations, 200 records each, one bundle each.
    let work = tempfile::tempdir().unwrap();
    let key = work.path().join("county.key");
    let (text, county_recipient) = bundle::county_keygen();
    std::fs::write(&key, text).unwrap();
    let mut files = Vec::new();
    for n in 0..100 {
        let mut station = Store::open_with(
            &work.path().join(format!("s{n}.db")),
            &stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
                "bench station passphrase",
            )),
            stationdesk::store::KdfCost::QUICK,
            &mut |_| {},
        )
        .unwrap();
        station
            .init_station(&StationSetup {
                name: format!("第{n}号委员工作站"),
                code: format!("S{n:03}"),
                county: "清河县".into(),
                county_recipient: county_recipient.clone(),
            })
            .unwrap();
        demo::run(
            &mut station,
            &DemoOptions {
                seed: n,
                members: 20,
                records: 180,
            },
            &mut |_, _| {},
        )
        .unwrap();
        let out = bundle::export(&mut station, work.path(), ExportOptions::default()).unwrap();
        files.push(std::fs::read(out.path).unwrap());
    }
    let identities = bundle::load_identities(&key).unwrap();
    let unlock = stationdesk::bundle::CountyUnlock::identity_file(&key).unwrap();
    group.bench_function("import 100 bundles of 200 records", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                let mut db = CountyDb::open(&dir.path().join("county.db"), &unlock).unwrap();
                for bytes in &files {
                    db.import(bytes, &identities).unwrap();
                }
                dir
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, export_100k);
criterion_main!(benches);

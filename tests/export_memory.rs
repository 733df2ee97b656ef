//! The export streams: its peak memory does not grow with the number of records. A test of its
//! own, since it reads the peak of this process's children.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

#[cfg(target_os = "linux")]
#[test]
fn five_times_the_records_take_no_more_memory_to_export() {
    let (_, recipient) = stationdesk::bundle::county_keygen();
    let export = |records: usize| -> u64 {
        let fx = common::Fixture::new();
        let mut store = fx.station();
        store.set_county_recipient(&recipient).unwrap();
        stationdesk::demo::run(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed: 5,
                members: 30,
                records,
            },
            &mut |_, _| {},
        )
        .unwrap();
        drop(store);
        let stick = fx.dir.path().join("stick");
        std::fs::create_dir_all(&stick).unwrap();
        let out = common::command()
            .arg("--db")
            .arg(&fx.path)
            .args(["--lang", "en", "export", "--out"])
            .arg(&stick)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        common::children_peak_rss()
    };
    let small = export(3_000);
    let big = export(15_000);
    eprintln!("peak: {} MB / {} MB", small >> 20, big >> 20);
    // Held in memory, the 12,000 more records would be well over 100 MB more.
    assert!(
        big < small + 24 * 1024 * 1024,
        "3,000 records: {} MB, 15,000: {} MB",
        small >> 20,
        big >> 20
    );
}

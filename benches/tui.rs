//! Drawing the member registry with 10 and with 100,000 members: a frame costs about the same,
//! because only the visible rows are fetched and drawn.
//!
//! `cargo bench --bench tui` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeZone;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use stationdesk::demo::{self, DemoOptions};
use stationdesk::i18n::Language;
use stationdesk::store::Store;
use stationdesk::tui::app::App;
use stationdesk::tui::view;

fn desk(dir: &tempfile::TempDir, members: usize) -> App {
    let mut store = Store::open_with(
        &dir.path().join("bench.db"),
        &stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
            "bench station passphrase",
        )),
        stationdesk::store::KdfCost::QUICK,
        &mut |_| {},
    )
    .expect("open");
    demo::run(
        &mut store,
        &DemoOptions {
            seed: 1,
            members,
            records: 0,
        },
        &mut |_, _| {},
    )
    .expect("demo");
    let now = chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .expect("time");
    let mut app = App::new(store, now, Some(Language::Chinese)).expect("app");
    app.resize(120, 40);
    app.handle_key(KeyEvent::new(KeyCode::Char('m'), KeyModifiers::NONE));
    app
}

fn member_list(c: &mut Criterion) {
    let mut group = c.benchmark_group("member list");
    for members in [10usize, 100_000] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut app = desk(&dir, members);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        group.bench_with_input(
            BenchmarkId::new("draw a frame", members),
            &members,
            |b, _| b.iter(|| terminal.draw(|f| view::draw(f, &app)).expect("draw").area),
        );
        group.bench_with_input(
            BenchmarkId::new("page down or up, fetch and draw", members),
            &members,
            |b, _| {
                let mut down = true;
                b.iter(|| {
                    let code = if down {
                        KeyCode::PageDown
                    } else {
                        KeyCode::PageUp
                    };
                    down = !down;
                    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
                    terminal.draw(|f| view::draw(f, &app)).expect("draw").area
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, member_list);
criterion_main!(benches);

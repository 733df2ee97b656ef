//! `stationdesk county measure`: the county desk's figures on a county database — opening the
//! desk, paging the stations and the members, search by 1 to 4 characters, a year's hot
//! issues, and the peak memory — each the median of a few runs, printed one per line.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use stationdesk::bundle::{self, CountyUnlock};
use stationdesk::tui::action::Action;
use stationdesk::tui::county::{CountyApp, CountyDesk};

use crate::Failure;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs.get(runs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Draws the desk as a 120×40 terminal would.
fn draw(app: &CountyApp) -> Result<(), Failure> {
    let mut terminal =
        Terminal::new(TestBackend::new(120, 40)).map_err(|e| Failure::Message(e.to_string()))?;
    terminal
        .draw(|f| stationdesk::tui::county::draw(f, app))
        .map_err(|e| Failure::Message(e.to_string()))?;
    Ok(())
}

/// The peak resident memory of this process so far (Linux), in MB.
fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map(|kb| format!("{} MB", kb / 1024))
        .unwrap_or_else(|| "n/a".to_string())
}

pub(crate) fn measure(county_db: &str, unlock: &CountyUnlock, runs: usize) -> Result<(), Failure> {
    let runs = runs.max(1);
    let now = stationdesk::clock::now();
    let open = || -> Result<CountyApp, Failure> {
        let db = bundle::CountyDb::open_target(county_db, unlock)?;
        let mut app = CountyApp::new(CountyDesk::new(db, Vec::new(), now));
        app.resize(120, 40);
        draw(&app)?;
        Ok(app)
    };
    let mut opened = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        open()?;
        opened.push(started.elapsed());
    }
    let mut app = open()?;
    let stations = app
        .layer::<stationdesk::tui::county::Stations>()
        .map_or(0, |s| s.rows.len());
    println!(
        "county desk opens (stations list drawn, {stations} stations): {}",
        ms(median(opened))
    );
    let page = |app: &mut CountyApp, action: Action| -> Result<Duration, Failure> {
        let started = Instant::now();
        app.update(action);
        draw(app)?;
        Ok(started.elapsed())
    };
    let mut paged = Vec::new();
    for _ in 0..runs {
        paged.push(page(&mut app, Action::PageDown)?);
    }
    println!("stations list, a page: {}", ms(median(paged)));
    let started = Instant::now();
    app.update(Action::OpenMembers);
    draw(&app)?;
    println!("members across the county open: {}", ms(started.elapsed()));
    let mut paged = Vec::new();
    for _ in 0..runs {
        paged.push(page(&mut app, Action::PageDown)?);
    }
    println!("members list, a page: {}", ms(median(paged)));
    app.update(Action::Back);
    let db = bundle::CountyDb::open_target(county_db, unlock)?;
    for query in ["张", "物业", "停车位", "老旧小区"] {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..runs {
            let started = Instant::now();
            found = db.search(query, None, 50)?.len();
            times.push(started.elapsed());
        }
        println!(
            "search {} character(s) ({query}, {found} shown): {} p50",
            query.chars().count(),
            ms(median(times))
        );
    }
    use chrono::Datelike;
    let year = now.year();
    let mut times = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        db.hot_issues(year, 12)?;
        times.push(started.elapsed());
    }
    println!("hot issues of {year}: {}", ms(median(times)));
    // The hot issues as the desk opens them, drawn.
    let started = Instant::now();
    app.handle_key(KeyEvent::new(KeyCode::Char('h'), KeyModifiers::NONE));
    draw(&app)?;
    println!("hot issues screen opens: {}", ms(started.elapsed()));
    println!("peak memory: {}", peak_mb());
    Ok(())
}

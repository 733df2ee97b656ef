//! Duty coverage has one meaning: the home screen, `stats --json`, `roster report`,
//! `record --json` and the county report's station row agree on the same data, as of the same
//! moment — a past month, and the month in progress with some of today's slots ended and some
//! not — and a month with no roster shows "—", never 100 %.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use common::county::{county, import};
use stationdesk::bundle::{self, CountyDb, ExportOptions};
use stationdesk::domain::consult::{Meeting, Topic, TopicSource};
use stationdesk::domain::roster::{Coverage, ShiftEvent, Slot};
use stationdesk::domain::RecordMeta;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;

/// Wednesday 18 November 2026, 13:00: the morning slot has ended, the afternoon has not.
const NOW: &str = "2026-11-18 13:00";

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str(NOW, "%Y-%m-%d %H:%M").unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn run(db: &Path, args: &[&str]) -> Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("STATIONDESK_LANG", "zh")
        .env("STATIONDESK_FAKE_NOW", NOW)
        .output()
        .expect("run stationdesk")
}

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn text(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(out.status.success(), "{args:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn coverage_of(value: &serde_json::Value) -> Coverage {
    Coverage {
        slots_ended: value["slots_ended"].as_u64().unwrap() as u32,
        slots_served: value["slots_served"].as_u64().unwrap() as u32,
    }
}

#[test]
fn every_place_that_shows_duty_coverage_agrees() {
    let office = common::Fixture::new();
    let c = county(office.dir.path(), "county");
    let fx = common::Fixture::new();
    let mut store = fx.open();
    store
        .init_station(&stationdesk::domain::StationSetup {
            name: "青溪镇政协委员工作站".into(),
            code: "QX01".into(),
            county: "清河县".into(),
            county_recipient: c.recipient.clone(),
        })
        .unwrap();
    store.set_actor("李秀兰");
    let a = store.add_member(&common::member("王建国")).unwrap().meta.id;
    let b = store.add_member(&common::member("陈丽")).unwrap().meta.id;
    // One member a slot: a morning and an afternoon on working days of October and of November
    // up to the day after today. In October every third slot is missed; in November the
    // mornings are served and every afternoon but the first is missed.
    let mut expected_oct = Coverage::default();
    let mut expected_nov = Coverage::default();
    for (month, last) in [(10u32, 31u32), (11, 19)] {
        for d in 1..=last {
            let date = day(month, d);
            if date.weekday().number_from_monday() > 5 {
                continue;
            }
            for (i, (slot, who)) in [(Slot::Morning, a), (Slot::Afternoon, b)]
                .into_iter()
                .enumerate()
            {
                let shift = store.add_shift(date, slot, who).unwrap();
                let ended = slot.end_on(date) <= now();
                let served = if month == 10 {
                    !(d as usize * 2 + i).is_multiple_of(3)
                } else {
                    slot == Slot::Morning || d == 2
                };
                if ended && served {
                    let at = slot.start_on(date) + chrono::Duration::minutes(5);
                    store
                        .shift_event(shift.meta.id, ShiftEvent::SignIn { at })
                        .unwrap();
                }
                let expected = if month == 10 {
                    &mut expected_oct
                } else {
                    &mut expected_nov
                };
                if ended {
                    expected.slots_ended += 1;
                    expected.slots_served += u32::from(served);
                }
            }
        }
    }
    // Today's afternoon is on the roster but has not ended: it does not count yet.
    assert!(Slot::Afternoon.end_on(now().date()) > now());
    let year = Coverage {
        slots_ended: expected_oct.slots_ended + expected_nov.slots_ended,
        slots_served: expected_oct.slots_served + expected_nov.slots_served,
    };
    assert_ne!(expected_nov.percent(), Some(100));
    store.mark_missed(now()).unwrap();
    // The 4+X: a consultation held this morning counts, one planned for December does not yet,
    // at the desk and at the county alike.
    let topic = store
        .add_topic(
            Topic::new(
                "市场路路灯",
                "夜间照明不足",
                TopicSource::Member,
                "王建国",
                vec![],
            )
            .unwrap(),
        )
        .unwrap();
    for held_at in [
        now() - chrono::Duration::hours(3),
        day(12, 10).and_hms_opt(14, 0, 0).unwrap(),
    ] {
        store
            .save_meeting(Meeting {
                meta: RecordMeta::unsaved(),
                held_at,
                place: "议事厅".into(),
                form: Default::default(),
                host: "李秀兰".into(),
                topics: vec![topic.meta.id],
                members: vec![],
                guests: vec![],
                minutes: String::new(),
                recommendations: vec![],
            })
            .unwrap();
    }
    assert_eq!(store.quota(now()).unwrap().consultations, 1);

    // The home screen, drawn by the desk at that moment.
    let board = store.dashboard(now()).unwrap();
    assert_eq!(board.duty.coverage, expected_nov);
    let local = chrono::Local.from_local_datetime(&now()).single().unwrap();
    let export_dir = fx.dir.path().join("stick");
    std::fs::create_dir_all(&export_dir).unwrap();
    let exported = bundle::export(&mut store, &export_dir, ExportOptions::default()).unwrap();
    drop(store);
    let app = App::new(fx.open(), local, Some(Language::Chinese)).unwrap();
    let (screen, _) = common::screen::render(&app, 120, 40);
    let home = format!("本月值班到岗 {}", expected_nov.text());
    assert!(screen.contains(&home), "{home} not in\n{screen}");
    drop(app);

    // `stats --json` and `roster report --json`, month by month.
    for (month, expected) in [("2026-10", expected_oct), ("2026-11", expected_nov)] {
        let stats = json(&fx.path, &["stats", "--month", month, "--json"]);
        assert_eq!(
            coverage_of(&stats["duty"]["coverage"]),
            expected,
            "stats {month}"
        );
        let report = json(&fx.path, &["roster", "report", "--month", month, "--json"]);
        assert_eq!(coverage_of(&report), expected, "roster report {month}");
        assert_eq!(
            report["coverage_percent"].as_u64().map(|p| p as u32),
            expected.percent()
        );
        let printed = text(&fx.path, &["roster", "report", "--month", month]);
        assert!(
            printed.contains(&format!("到岗率 {}", expected.text())),
            "{printed}"
        );
    }
    let report = json(&fx.path, &["roster", "report", "--year", "2026", "--json"]);
    assert_eq!(coverage_of(&report), year);

    // The members' records for the year: one member a slot, so theirs add up to the station's.
    let mut members = Coverage::default();
    for name in ["王建国", "陈丽"] {
        let record = json(
            &fx.path,
            &["record", "--member", name, "--year", "2026", "--json"],
        );
        let own = coverage_of(&record["record"]["duty"]["coverage"]);
        members.slots_ended += own.slots_ended;
        members.slots_served += own.slots_served;
    }
    assert_eq!(members, year);

    // The county report's station row, for the year, as of the same moment.
    import(&c, &exported.path).unwrap();
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let xlsx = office.dir.path().join("county.xlsx");
    std::fs::write(
        &xlsx,
        db.report(stationdesk::bundle::Counted::Again(Some(2026)), now())
            .unwrap(),
    )
    .unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let rows: Vec<Vec<String>> = book
        .worksheet_range("工作站")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    assert_eq!(rows[1][col("应值班时段")], year.slots_ended.to_string());
    assert_eq!(rows[1][col("到岗时段")], year.slots_served.to_string());
    assert_eq!(
        rows[1][col("值班到岗率（%）")],
        year.percent().unwrap().to_string()
    );
    assert_eq!(rows[1][col("协商次数")], "1");

    // A month with no roster has no coverage: "—", never 100 %.
    let stats = json(&fx.path, &["stats", "--month", "2026-09", "--json"]);
    assert_eq!(coverage_of(&stats["duty"]["coverage"]), Coverage::default());
    let printed = text(&fx.path, &["stats", "--month", "2026-09"]);
    assert!(printed.contains("（-）"), "{printed}");
    assert!(!printed.contains("100%"), "{printed}");
    let printed = text(&fx.path, &["roster", "report", "--month", "2026-09"]);
    assert!(printed.contains("到岗率 -"), "{printed}");
    let report = json(
        &fx.path,
        &["roster", "report", "--month", "2026-09", "--json"],
    );
    assert!(report["coverage"].is_null());
}

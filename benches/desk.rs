//! Benchmarks of the record kinds added to the desk: generating a rotation, the case list,
//! the month roster, the 4+X, the minutes draft, the home dashboard, a member's record and the
//! year's assessment.
//!
//! `cargo bench --bench desk` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use chrono::{NaiveDate, Weekday};
use criterion::{criterion_group, criterion_main, Criterion};
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::roster::{generate, Pattern, RotationPlan, Slot};
use stationdesk::store::CaseFilter;

#[path = "../tests/common/mod.rs"]
mod common;

fn rotation(c: &mut Criterion) {
    let members: Vec<uuid::Uuid> = (1..=30u128).map(uuid::Uuid::from_u128).collect();
    let mut unavailable = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        let days: std::collections::BTreeSet<NaiveDate> = (0..10)
            .map(|k| {
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
                    + chrono::Duration::days(((i * 7 + k * 31) % 365) as i64)
            })
            .collect();
        unavailable.insert(*m, days);
    }
    let calendar =
        stationdesk::domain::roster::HolidayCalendar::parse(stationdesk::domain::lists::HOLIDAYS).0;
    let plan = |pattern| RotationPlan {
        from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap(),
        members: members.clone(),
        pattern,
        slots: vec![Slot::Morning, Slot::Afternoon],
        skip_weekdays: vec![Weekday::Sat, Weekday::Sun],
        use_holidays: true,
        unavailable: unavailable.clone(),
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let mut group = c.benchmark_group("rotation, a year, 30 members with 10 dates off each");
    group.sample_size(20);
    for (name, pattern) in [
        ("one a day", Pattern::DailyTurn),
        ("two a slot", Pattern::PerSlot(2)),
    ] {
        let plan = plan(pattern);
        group.bench_function(name, |b| {
            b.iter(|| generate(&plan, &calendar, &[], today).unwrap())
        });
    }
    group.finish();
}

fn desk_queries(c: &mut Criterion) {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    demo::run(
        &mut store,
        &DemoOptions {
            seed: 1,
            members: 60,
            records: 110_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let today = chrono::Local::now().date_naive();
    let now = chrono::Local::now().naive_local();
    let mut group = c.benchmark_group("on a demo of 100,000 visits and 10,000 cases");
    group.bench_function("case list, first page of 36", |b| {
        b.iter(|| {
            store
                .cases_page(&CaseFilter::default(), today, None, 36)
                .unwrap()
        })
    });
    group.bench_function("case list, overdue only", |b| {
        let filter = CaseFilter {
            overdue: true,
            ..CaseFilter::default()
        };
        b.iter(|| store.cases_page(&filter, today, None, 36).unwrap())
    });
    group.bench_function("home counts of cases (open, overdue)", |b| {
        let overdue = CaseFilter {
            overdue: true,
            ..CaseFilter::default()
        };
        b.iter(|| {
            (
                store.count_open_cases().unwrap(),
                store.count_cases(&overdue, today).unwrap(),
            )
        })
    });
    group.bench_function("a month of the roster with names", |b| {
        let (first, last) = stationdesk::domain::roster::month_shifted(today, 0);
        b.iter(|| {
            let shifts = store.shifts_between(first, last).unwrap();
            store.shift_names(&shifts).unwrap()
        })
    });
    group.bench_function("the year's duty report", |b| {
        let first = today - chrono::Duration::days(365);
        b.iter(|| store.duty_report(first, today).unwrap())
    });
    group.bench_function("4+X", |b| b.iter(|| store.quota(now).unwrap()));
    group.bench_function("the home dashboard", |b| {
        b.iter(|| store.dashboard(now).unwrap())
    });
    let member = store
        .members_after(&stationdesk::store::MemberFilter::default(), None, 1)
        .unwrap()
        .remove(0)
        .meta
        .id;
    let year = stationdesk::domain::performance::Period::year_of(today);
    group.bench_function("one member's record for the year", |b| {
        b.iter(|| store.member_record(member, year, now).unwrap())
    });
    group.bench_function("the year's assessment of 60 members", |b| {
        b.iter(|| {
            store
                .assessments(chrono::Datelike::year(&today), now)
                .unwrap()
        })
    });
    let meeting = store.meetings(1).unwrap().remove(0).meta.id;
    let text = "会议纪要".repeat(2_000);
    group.bench_function("saving a minutes draft of 8,000 characters", |b| {
        b.iter(|| store.save_draft(meeting, &text, now).unwrap())
    });
    group.finish();
}

criterion_group!(benches, rotation, desk_queries);
criterion_main!(benches);

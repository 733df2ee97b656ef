//! Members' records (履职档案) and the year's assessment, on real SQLite files: every figure of
//! every member's record equals what counting the records themselves gives, before and after
//! records are changed, deleted and restored (deleted records never count); the station's own
//! rules file changes the grades, and a bad one is refused with the reason; the demo's year
//! shows every grade.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::activity::Activity;
use stationdesk::domain::assessment::Grade;
use stationdesk::domain::case::MediationCase;
use stationdesk::domain::consult::{Attendance, Meeting, Report, ReportResult, Topic};
use stationdesk::domain::performance::{MemberRecord, Period};
use stationdesk::domain::roster::{Shift, ShiftState};
use stationdesk::domain::{Intake, IntakeState, Member};
use stationdesk::store::{RecordTable, Store, StoreError};
use uuid::Uuid;

/// Noon of the test's day: the records' duty coverage is counted as of a moment.
fn now() -> chrono::NaiveDateTime {
    today().and_hms_opt(12, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn live<T: RecordTable>(store: &Store) -> Vec<T> {
    store
        .changed_since::<T>(0, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|r| r.meta().deleted_at.is_none())
        .collect()
}

/// A member's record counted from the records themselves, without the store's queries.
fn counted(store: &Store, member: &Member, period: Period) -> MemberRecord {
    let id = member.meta.id;
    let mut r = MemberRecord::empty(id, &member.fields.name, &member.fields.sector, period);
    for s in live::<Shift>(store)
        .iter()
        .filter(|s| s.member_id == id && period.contains(s.date))
    {
        r.duty.scheduled += 1;
        match s.state {
            ShiftState::Attended => r.duty.served += 1,
            ShiftState::Missed => r.duty.missed += 1,
            ShiftState::Leave => r.duty.leave += 1,
            ShiftState::Swapped => r.duty.swapped += 1,
            ShiftState::Scheduled => {}
        }
        // The member's coverage: their own slots that ended by now (not those given away).
        if s.state != ShiftState::Swapped && s.slot.end_on(s.date) <= now() {
            r.duty.coverage.slots_ended += 1;
            if s.state == ShiftState::Attended {
                r.duty.coverage.slots_served += 1;
            }
        }
    }
    for v in live::<Intake>(store)
        .iter()
        .filter(|v| v.fields.member_id == Some(id) && period.contains(v.fields.visited_at.date()))
    {
        r.visits.received += 1;
        r.visits.closed += i64::from(v.state == IntakeState::Closed);
    }
    for c in live::<MediationCase>(store)
        .iter()
        .filter(|c| c.fields.mediators.contains(&id) && period.contains(c.fields.received_on))
    {
        r.cases.mediated += 1;
        if let Some(outcome) = &c.outcome {
            let slot = match outcome.key() {
                "case_outcome.success" => &mut r.cases.success,
                "case_outcome.failed" => &mut r.cases.failed,
                "case_outcome.withdrawn" => &mut r.cases.withdrawn,
                "case_outcome.litigation" => &mut r.cases.litigation,
                _ => &mut r.cases.transferred,
            };
            *slot += 1;
        }
    }
    for m in live::<Meeting>(store)
        .iter()
        .filter(|m| period.contains(m.held_at.date()) && m.held_at.date() <= today())
    {
        for a in m.members.iter().filter(|a| a.member_id == id) {
            match a.attendance {
                Attendance::Present => r.meetings.present += 1,
                Attendance::Leave => r.meetings.leave += 1,
                Attendance::Absent => r.meetings.absent += 1,
            }
        }
    }
    r.research = live::<Topic>(store)
        .iter()
        .flat_map(|t| t.research.clone())
        .filter(|n| period.contains(n.on) && n.on <= today())
        .filter(|n| n.members.contains(member.fields.name.as_str()))
        .count() as i64;
    for rep in live::<Report>(store).iter().filter(|rep| {
        let day = rep.submitted_on.unwrap_or_else(|| {
            rep.meta
                .created_at
                .with_timezone(&chrono::Local)
                .date_naive()
        });
        rep.authors.contains(&id) && period.contains(day)
    }) {
        r.reports.written += 1;
        r.reports.submitted += i64::from(rep.submitted_on.is_some());
        if let ReportResult::Adopted { instruction } = &rep.result {
            r.reports.adopted += 1;
            r.reports.instructed += i64::from(instruction.is_some());
        }
    }
    for kind in store.activity_kinds() {
        r.activities.push((kind, 0));
    }
    for a in live::<Activity>(store)
        .iter()
        .filter(|a| a.involves(id) && period.contains(a.on) && a.on <= today())
    {
        r.count_activity(&a.kind);
        if let Some(p) = &a.proposal {
            r.proposals_filed += i64::from(p.filed);
            r.proposals_answered += i64::from(p.answered);
        }
    }
    r
}

fn demo_station(fx: &common::Fixture, members: usize, records: usize) -> Store {
    let mut store = fx.station();
    let options = DemoOptions {
        seed: 5,
        members,
        records,
    };
    demo::run_as_of(&mut store, &options, today(), &mut |_, _| {}).unwrap();
    store
}

fn every_record_agrees(store: &Store) {
    let members = live::<Member>(store);
    for period in [Period::Year(2026), Period::Year(2025), Period::Term] {
        let records = store.member_records(period, now()).unwrap();
        assert_eq!(records.len(), members.len());
        for member in &members {
            let expected = counted(store, member, period);
            let one = store.member_record(member.meta.id, period, now()).unwrap();
            assert_eq!(one, expected, "{} in {period:?}", member.fields.name);
            let listed = records
                .iter()
                .find(|r| r.member_id == member.meta.id)
                .unwrap();
            assert_eq!(*listed, expected);
        }
    }
}

#[test]
fn every_figure_equals_the_records_counted_and_deleted_ones_never_count() {
    let fx = common::Fixture::new();
    let mut store = demo_station(&fx, 10, 1_200);
    every_record_agrees(&store);
    // The records have content: someone received visits, mediated, attended, wrote.
    let records = store.member_records(Period::Year(2026), now()).unwrap();
    for figure in [
        "duty.served",
        "visits.received",
        "visits.closed",
        "mediation.cases",
        "consultations.present",
        "opinions.written",
        "activity:提案",
        "proposals.filed",
    ] {
        let total: i64 = records.iter().map(|r| r.figure(figure).unwrap()).sum();
        assert!(total > 0, "{figure} has content");
    }

    // Delete some of every kind and restore a few; change the receiving member of visits.
    store.set_actor("李测试");
    let visits = live::<Intake>(&store);
    for v in visits.iter().take(30) {
        store.delete::<Intake>(v.meta.id).unwrap();
    }
    for v in visits.iter().take(5) {
        store.restore::<Intake>(v.meta.id).unwrap();
    }
    let members = live::<Member>(&store);
    for v in visits.iter().skip(40).take(20) {
        let mut fields = v.fields.clone();
        fields.member_id = Some(members[3].meta.id);
        store.edit_intake(v.meta.id, &fields).unwrap();
    }
    for c in live::<MediationCase>(&store).iter().take(10) {
        store.delete::<MediationCase>(c.meta.id).unwrap();
    }
    for m in live::<Meeting>(&store).iter().take(1) {
        store.delete::<Meeting>(m.meta.id).unwrap();
    }
    for r in live::<Report>(&store).iter().take(2) {
        store.delete::<Report>(r.meta.id).unwrap();
    }
    for a in live::<Activity>(&store).iter().take(15) {
        store.delete::<Activity>(a.meta.id).unwrap();
    }
    for s in live::<Shift>(&store).iter().take(20) {
        store.delete::<Shift>(s.meta.id).unwrap();
    }
    every_record_agrees(&store);
    // The tallies a bulk load rebuilds are the same as those kept change by change.
    let before = store.member_records(Period::Term, now()).unwrap();
    store.suspend_counts().unwrap();
    store.resume_counts().unwrap();
    assert_eq!(store.member_records(Period::Term, now()).unwrap(), before);
}

#[test]
fn the_demo_year_shows_every_grade_and_who_is_behind() {
    let fx = common::Fixture::new();
    let store = demo_station(&fx, 40, 2_000);
    let assessed = store.assessments(2026, now()).unwrap();
    assert_eq!(assessed.len(), 40);
    for grade in [Grade::Excellent, Grade::Competent, Grade::Incompetent] {
        let n = assessed.iter().filter(|(_, a)| a.grade == grade).count();
        assert!(
            n > 0,
            "{grade:?}: {:?}",
            assessed
                .iter()
                .map(|(_, a)| (a.total, a.grade))
                .collect::<Vec<_>>()
        );
    }
    for (record, a) in &assessed {
        assert!(record.figure("activity.all").unwrap() > 0 || a.is_behind());
        let why: i64 = a.base + a.points.iter().map(|p| p.points).sum::<i64>()
            - a.deductions.iter().map(|p| p.points).sum::<i64>()
            - a.unmet_deduction;
        assert_eq!(why, a.total, "the lines add up to the points");
    }
}

#[test]
fn the_station_rules_file_changes_the_grades_and_a_bad_one_is_refused() {
    let fx = common::Fixture::new();
    let store = demo_station(&fx, 10, 200);
    let builtin: Vec<(Uuid, i64)> = store
        .assessments(2026, now())
        .unwrap()
        .iter()
        .map(|(_, a)| (a.member_id, a.total))
        .collect();
    let lists = fx.dir.path().join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    let rules = stationdesk::domain::assessment::BUILTIN_RULES.replace("base = 60", "base = 70");
    std::fs::write(lists.join("assessment.toml"), rules).unwrap();
    let raised = store.assessments(2026, now()).unwrap();
    for (id, total) in &builtin {
        let (_, a) = raised.iter().find(|(_, a)| a.member_id == *id).unwrap();
        assert_eq!(a.total, total + 10);
    }
    std::fs::write(lists.join("assessment.toml"), "base = 60\n[grades]\nexcellent = 90\npass = 60\n[[points]]\nname = \"开会\"\ncount = \"meeting\"\neach = 1\n").unwrap();
    match store.assessments(2026, now()) {
        Err(e @ StoreError::Rules { .. }) => {
            stationdesk::i18n::use_language(stationdesk::i18n::Language::Chinese);
            let said = stationdesk::messages::store_error(&e);
            assert!(said.contains("assessment.toml"), "{said}");
            assert!(said.contains("「开会」统计的 meeting"), "{said}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_dashboard_and_the_month_count_what_the_records_say() {
    use chrono::Datelike;
    let fx = common::Fixture::new();
    let mut store = demo_station(&fx, 10, 1_500);
    for v in live::<Intake>(&store).iter().take(25) {
        store.set_actor("李测试");
        store.delete::<Intake>(v.meta.id).unwrap();
    }
    let now = today().and_hms_opt(10, 0, 0).unwrap();
    let board = store.dashboard(now).unwrap();
    let visits = live::<Intake>(&store);
    assert_eq!(board.months.len(), 12);
    assert_eq!(board.months[11].0, "2026-11");
    assert_eq!(board.months[0].0, "2025-12");
    for (month, n) in &board.months {
        let counted = visits
            .iter()
            .filter(|v| v.fields.visited_at.format("%Y-%m").to_string() == *month)
            .count() as i64;
        assert_eq!(*n, counted, "{month}");
    }
    let this_year: Vec<&Intake> = visits
        .iter()
        .filter(|v| v.fields.visited_at.year() == 2026)
        .collect();
    assert_eq!(board.visits_this_year, this_year.len() as i64);
    assert!(board.categories.len() <= 5 && !board.categories.is_empty());
    let top = &board.categories[0];
    assert_eq!(
        top.1,
        this_year
            .iter()
            .filter(|v| v.fields.category == top.0)
            .count() as i64
    );
    assert!(board.categories.windows(2).all(|w| w[0].1 >= w[1].1));
    assert_eq!(
        board.open_visits,
        visits.iter().filter(|v| v.state.awaits_reply()).count() as i64
    );
    let cases = live::<MediationCase>(&store);
    assert_eq!(
        board.open_cases,
        cases
            .iter()
            .filter(|c| matches!(
                c.state,
                stationdesk::domain::case::CaseState::Accepted
                    | stationdesk::domain::case::CaseState::Mediating
            ))
            .count() as i64
    );

    let month = store.month_stats(2026, 10, now).unwrap();
    let october: Vec<&Intake> = visits
        .iter()
        .filter(|v| v.fields.visited_at.format("%Y-%m").to_string() == "2026-10")
        .collect();
    assert_eq!(month.visits, october.len() as i64);
    for (category, n) in &month.visit_categories {
        assert_eq!(
            *n,
            october
                .iter()
                .filter(|v| v.fields.category == *category)
                .count() as i64
        );
    }
    let oct_cases: Vec<&MediationCase> = cases
        .iter()
        .filter(|c| c.fields.received_on.format("%Y-%m").to_string() == "2026-10")
        .collect();
    assert_eq!(month.cases, oct_cases.len() as i64);
    let types: i64 = month.case_types.iter().map(|(_, n)| n).sum();
    assert_eq!(types, month.cases);
    let shifts: Vec<Shift> = live::<Shift>(&store)
        .into_iter()
        .filter(|s| s.date.format("%Y-%m").to_string() == "2026-10")
        .collect();
    assert_eq!(
        month.duty.served,
        shifts
            .iter()
            .filter(|s| s.state == ShiftState::Attended)
            .count() as i64
    );
    // Coverage counts the month's slots, each served when anyone in it signed in.
    let mut slots = std::collections::BTreeMap::new();
    for s in &shifts {
        *slots.entry((s.date, s.slot)).or_insert(false) |= s.state == ShiftState::Attended;
    }
    assert_eq!(month.duty.coverage.slots_ended as usize, slots.len());
    assert_eq!(
        month.duty.coverage.slots_served as usize,
        slots.values().filter(|s| **s).count()
    );
    let acts: i64 = month.activities.iter().map(|(_, n)| n).sum();
    assert_eq!(
        acts,
        live::<Activity>(&store)
            .iter()
            .filter(|a| a.on.format("%Y-%m").to_string() == "2026-10")
            .count() as i64
    );
}

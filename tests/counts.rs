//! The tables of counts the triggers keep (overdue and due-today visits, overdue cases, cases
//! per state) always say what counting the records themselves says, after any change.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::case::{CaseEvent, CaseState, MediationCase, Session};
use stationdesk::domain::{Intake, IntakeEvent};
use stationdesk::store::{CaseFilter, DueFilter, IntakeFilter, Store};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn raw(store: &Store, sql: &str, value: &str) -> i64 {
    let conn = common::connection(store.path()).unwrap();
    conn.query_row(sql, [value], |r| r.get(0)).unwrap()
}

/// Every count the desk shows, from the tables of counts and from the records.
fn agree(store: &Store) {
    for today in [
        day(1),
        day(15),
        day(30),
        NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
    ] {
        let t = today.format("%Y-%m-%d").to_string();
        for (due, compare) in [
            (DueFilter::Overdue, "<"),
            (DueFilter::DueToday, "="),
            (DueFilter::Urgent, "<="),
        ] {
            let counted = store
                .count_intakes(
                    &IntakeFilter {
                        due,
                        ..IntakeFilter::default()
                    },
                    today,
                )
                .unwrap();
            let sql = format!(
                "SELECT min(count(*), 1000) FROM intake
                 WHERE deleted_at IS NULL AND due IS NOT NULL AND due {compare} ?1"
            );
            assert_eq!(counted, raw(store, &sql, &t), "{due:?} on {t}");
        }
        // A period: today, and the month before it.
        let month_before = today - chrono::Duration::days(30);
        for (from, to) in [(today, today), (month_before, today)] {
            let counted = store
                .count_intakes(
                    &IntakeFilter {
                        from: Some(from),
                        to: Some(to),
                        ..IntakeFilter::default()
                    },
                    today,
                )
                .unwrap();
            let sql = format!(
                "SELECT min(count(*), 1000) FROM intake WHERE deleted_at IS NULL
                 AND visited_at >= '{from}' AND visited_at < date(?1, '+1 day')"
            );
            assert_eq!(counted, raw(store, &sql, &to.to_string()), "{from}..{to}");
        }
        let all = store
            .count_intakes(&IntakeFilter::default(), today)
            .unwrap();
        let sql = "SELECT min(count(*), 1000) FROM intake WHERE deleted_at IS NULL AND ?1 = ?1";
        assert_eq!(all, raw(store, sql, ""), "every visit");
        let overdue_cases = store
            .count_cases(
                &CaseFilter {
                    overdue: true,
                    ..CaseFilter::default()
                },
                today,
            )
            .unwrap();
        let sql = "SELECT min(count(*), 1000) FROM mediation_case
                   WHERE deleted_at IS NULL AND next_due IS NOT NULL AND next_due < ?1";
        assert_eq!(overdue_cases, raw(store, sql, &t), "overdue cases on {t}");
    }
    for state in [
        CaseState::Accepted,
        CaseState::Mediating,
        CaseState::Concluded,
    ] {
        let counted = store
            .count_cases(
                &CaseFilter {
                    state: Some(state),
                    ..CaseFilter::default()
                },
                day(1),
            )
            .unwrap();
        let sql = "SELECT count(*) FROM mediation_case WHERE deleted_at IS NULL AND state = ?1";
        assert_eq!(counted, raw(store, sql, state.as_str()), "{state:?}");
    }
    let open = store.count_open_cases().unwrap();
    let sql = "SELECT count(*) FROM mediation_case
               WHERE deleted_at IS NULL AND state IN ('accepted', 'mediating') AND ?1 = ?1";
    assert_eq!(open, raw(store, sql, ""));
}

#[test]
fn the_kept_counts_agree_with_the_records_after_every_kind_of_change() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let options = DemoOptions {
        members: 12,
        records: 1_500,
        ..DemoOptions::default()
    };
    demo::run_as_of(&mut store, &options, day(30), &mut |_, _| {}).unwrap();
    agree(&store);
    // Visits: registered, referred, answered, closed, reopened, deleted, restored.
    let visits: Vec<Intake> = store.changed_since::<Intake>(0, 100_000).unwrap();
    for (n, visit) in visits.iter().take(120).enumerate() {
        let id = visit.meta.id;
        let _ = match n % 4 {
            0 => store.intake_event(
                id,
                IntakeEvent::Refer {
                    department: "街道城管科".into(),
                    on: day(2),
                },
            ),
            1 => store.intake_event(
                id,
                IntakeEvent::AnswerOnTheSpot {
                    answer: "已当场解释政策".into(),
                    on: day(3),
                },
            ),
            2 => store.intake_event(id, IntakeEvent::Close),
            _ => store.intake_event(
                id,
                IntakeEvent::Reopen {
                    reason: "再次反映".into(),
                },
            ),
        };
        if n % 9 == 0 {
            store.delete::<Intake>(id).unwrap();
        }
        if n % 27 == 0 {
            store.restore::<Intake>(id).unwrap();
        }
    }
    agree(&store);
    // Cases: a session, concluded, deleted and restored.
    let cases: Vec<MediationCase> = store.changed_since::<MediationCase>(0, 10_000).unwrap();
    assert!(cases.len() > 20, "{}", cases.len());
    for (n, case) in cases.iter().take(40).enumerate() {
        let id = case.meta.id;
        let _ = store.case_event(
            id,
            CaseEvent::RecordSession(Session {
                on: day(10),
                place: "调解室".into(),
                attendees: "双方".into(),
                notes: "协商".into(),
            }),
        );
        if n % 5 == 0 {
            store.delete::<MediationCase>(id).unwrap();
        }
        if n % 10 == 0 {
            store.restore::<MediationCase>(id).unwrap();
        }
    }
    agree(&store);

    // A bulk load stopped halfway leaves the counts without their triggers: the next open
    // puts them back, with the counts rebuilt.
    store.suspend_counts().unwrap();
    store
        .add_intake(&stationdesk::domain::IntakeFields {
            visited_at: day(20).and_hms_opt(9, 0, 0).unwrap(),
            visitors: 1,
            category: "交通出行/停车".into(),
            request: "没地方停车".into(),
            ..Default::default()
        })
        .unwrap();
    drop(store);
    let mut store = fx.open();
    agree(&store);

    // The rebuild of a bulk load (every visit read once into a temporary table) gives the
    // same rows as the triggers kept change by change.
    let kept = |path: &std::path::Path| -> Vec<String> {
        let conn = common::connection(path).unwrap();
        let mut rows = Vec::new();
        for sql in [
            "SELECT due, n FROM intake_due_count WHERE n <> 0 ORDER BY 1",
            "SELECT day, n FROM intake_day_count WHERE n <> 0 ORDER BY 1",
            "SELECT due, n FROM case_due_count WHERE n <> 0 ORDER BY 1",
            "SELECT state, n FROM case_state_count WHERE n <> 0 ORDER BY 1",
            "SELECT scope || ' ' || month || ' ' || measure, n FROM tally WHERE n <> 0
             ORDER BY 1",
        ] {
            let mut stmt = conn.prepare(sql).unwrap();
            let found = stmt
                .query_map([], |r| {
                    Ok(format!(
                        "{}={}",
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?
                    ))
                })
                .unwrap();
            rows.extend(found.map(Result::unwrap));
            rows.push("--".into());
        }
        rows
    };
    store
        .add_intake(&stationdesk::domain::IntakeFields {
            visited_at: day(21).and_hms_opt(9, 0, 0).unwrap(),
            visitors: 1,
            category: "交通出行/停车".into(),
            request: "又没地方停车".into(),
            ..Default::default()
        })
        .unwrap();
    let by_triggers = kept(&fx.path);
    assert!(by_triggers.iter().any(|r| r.contains("intake.category:")));
    store.suspend_counts().unwrap();
    store.resume_counts().unwrap();
    assert_eq!(kept(&fx.path), by_triggers);
    // And again (what the first left in its temporary table is gone).
    store.suspend_counts().unwrap();
    store.resume_counts().unwrap();
    assert_eq!(kept(&fx.path), by_triggers);
}

/// F5 lists what is owed by its date, latest first, page by page both ways, and exactly what
/// counting it says.
#[test]
fn what_is_owed_pages_by_its_date_both_ways() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let options = DemoOptions {
        members: 12,
        records: 1_500,
        ..DemoOptions::default()
    };
    demo::run_as_of(&mut store, &options, day(30), &mut |_, _| {}).unwrap();
    let today = day(30);
    let urgent = IntakeFilter {
        due: DueFilter::Urgent,
        ..IntakeFilter::default()
    };
    let mut listed = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .intakes_page(&urgent, today, cursor.as_ref(), 7)
            .unwrap();
        if page.is_empty() {
            break;
        }
        cursor = page.last().map(|l| Store::intake_cursor(&l.intake));
        listed.extend(page.into_iter().map(|l| l.intake));
    }
    assert!(listed.len() > 20, "{}", listed.len());
    assert!(listed.iter().all(|i| i.due().is_some_and(|d| d <= today)));
    let keys: Vec<_> = listed.iter().map(Store::intake_cursor).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| (&b.1, &b.0, b.2).cmp(&(&a.1, &a.0, a.2)));
    assert_eq!(keys, sorted, "latest due first, then latest visit");
    let sql = "SELECT count(*) FROM intake WHERE deleted_at IS NULL AND due <= ?1";
    assert_eq!(listed.len() as i64, raw(&store, sql, "2026-11-30"));
    // Back from the last page to the first, the same visits.
    let mut back = Vec::new();
    let mut at = keys.last().cloned().unwrap();
    back.push(listed.last().unwrap().meta.id);
    loop {
        let page = store.intakes_before(&urgent, today, &at, 7).unwrap();
        let Some(first) = page.first() else { break };
        at = Store::intake_cursor(&first.intake);
        back.splice(0..0, page.iter().map(|l| l.intake.meta.id));
    }
    assert_eq!(back, listed.iter().map(|i| i.meta.id).collect::<Vec<_>>());
}

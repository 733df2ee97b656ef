//! The lean audit log: every version of every record, as it was saved, is rebuilt from the log
//! (the previous values of what each change altered) and the record as it is now.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;
use stationdesk::demo::{self, DemoOptions};
use stationdesk::domain::case::MediationCase;
use stationdesk::domain::consult::{Meeting, Report, Topic};
use stationdesk::domain::intake::Satisfaction;
use stationdesk::domain::roster::Shift;
use stationdesk::domain::{Intake, IntakeEvent, Member};
use stationdesk::store::Store;
use uuid::Uuid;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

/// Every record of a kind as it is now, by id.
fn all<T: stationdesk::store::RecordTable + serde::Serialize>(
    store: &Store,
    into: &mut HashMap<Uuid, Vec<Value>>,
) {
    for record in store.changed_since::<T>(0, usize::MAX >> 1).unwrap() {
        into.entry(record.meta().id)
            .or_default()
            .push(serde_json::to_value(&record).unwrap());
    }
}

#[test]
fn every_demo_record_s_versions_are_rebuilt_from_the_audit_log() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let options = DemoOptions {
        members: 12,
        records: 600,
        ..DemoOptions::default()
    };
    demo::run_as_of(&mut store, &options, day(30), &mut |_, _| {}).unwrap();
    // The versions as saved: the demo's records, then changes to many of them.
    let mut saved: HashMap<Uuid, Vec<Value>> = HashMap::new();
    all::<Member>(&store, &mut saved);
    all::<Shift>(&store, &mut saved);
    all::<Intake>(&store, &mut saved);
    all::<MediationCase>(&store, &mut saved);
    all::<Topic>(&store, &mut saved);
    all::<Meeting>(&store, &mut saved);
    all::<Report>(&store, &mut saved);
    let keep = |saved: &mut HashMap<Uuid, Vec<Value>>, value: Value| {
        let id = Uuid::parse_str(value["id"].as_str().unwrap()).unwrap();
        saved.entry(id).or_default().push(value);
    };
    let mut registered = Vec::new();
    for n in 0..40u32 {
        let intake = store
            .add_intake(&stationdesk::domain::IntakeFields {
                visited_at: day(1 + n % 20).and_hms_opt(9, 0, 0).unwrap(),
                visitors: 1,
                category: "交通出行/停车".into(),
                request: format!("第{n}件：院子围起来以后没地方停车"),
                ..Default::default()
            })
            .unwrap();
        keep(&mut saved, serde_json::to_value(&intake).unwrap());
        registered.push(intake);
    }
    for (n, intake) in registered.iter().enumerate() {
        let id = intake.meta.id;
        // Each step after the one it follows, as the rules require.
        let after = |days: i64| intake.fields.visited_at.date() + chrono::Duration::days(days);
        let steps = [
            IntakeEvent::Refer {
                department: format!("街道第{n}科"),
                on: after(1),
            },
            IntakeEvent::RecordFeedback {
                on: after(4),
                text: "已协调".into(),
            },
            IntakeEvent::RecordFollowUp {
                on: after(8),
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
            IntakeEvent::Close,
            IntakeEvent::Reopen {
                reason: "群众再次反映".into(),
            },
        ];
        for step in steps.into_iter().take(1 + n % 5) {
            let after = store.intake_event(id, step).unwrap();
            keep(&mut saved, serde_json::to_value(&after).unwrap());
        }
        if n % 7 == 0 {
            let deleted = store.delete::<Intake>(id).unwrap();
            keep(&mut saved, serde_json::to_value(&deleted).unwrap());
            let restored = store.restore::<Intake>(id).unwrap();
            keep(&mut saved, serde_json::to_value(&restored).unwrap());
        }
    }
    for member in store
        .changed_since::<Member>(0, 100)
        .unwrap()
        .iter()
        .take(5)
    {
        let mut fields = member.fields.clone();
        fields.specialties = format!("{}；法律咨询", fields.specialties);
        fields.phone = "13900139000".into();
        let edited = store.edit_member(member.meta.id, &fields).unwrap();
        keep(&mut saved, serde_json::to_value(&edited).unwrap());
    }

    // Every record's history, rebuilt, is exactly the versions saved, in order.
    let mut rebuilt_versions = 0;
    for (id, versions) in &saved {
        let history = store.history(*id).unwrap();
        let afters: Vec<&Value> = history.iter().map(|h| h.after.as_ref().unwrap()).collect();
        let expected: Vec<&Value> = versions.iter().collect();
        assert_eq!(afters, expected, "history of {id}");
        assert_eq!(history[0].action, "insert");
        assert_eq!(history[0].before, None);
        for pair in history.windows(2) {
            assert_eq!(
                pair[1].before, pair[0].after,
                "the version before is the one after"
            );
            assert!(pair[1].changes.is_some());
        }
        rebuilt_versions += history.len();
    }
    assert!(rebuilt_versions > saved.len() + 100, "{rebuilt_versions}");

    // What the log keeps is lean: an insert holds nothing, a change only what it altered.
    let conn = common::connection(&fx.path).unwrap();
    let (inserts_with_data, biggest_change): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM audit_log WHERE action = 'insert' AND changes IS NOT NULL),
                    (SELECT max(length(changes)) FROM audit_log WHERE action = 'update')",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert_eq!(inserts_with_data, 0);
    assert!(biggest_change < 400, "{biggest_change}");
}

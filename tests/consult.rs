//! Consultations against real SQLite files: topics linked to intakes, meetings on a topic, the
//! year's 4+X from the store, search over topics, minutes and reports, and drafts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use stationdesk::domain::consult::{Meeting, Report, Topic, TopicEvent, TopicSource, TopicStep};
use stationdesk::domain::{IntakeFields, IntakeState, RecordKind, RecordMeta};
use stationdesk::store::StoreError;

fn at(m: u32, d: u32, h: u32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
}

fn meeting(topic: uuid::Uuid, held_at: chrono::NaiveDateTime, minutes: &str) -> Meeting {
    Meeting {
        meta: RecordMeta::unsaved(),
        held_at,
        place: "议事厅".into(),
        form: Default::default(),
        host: "李秀兰".into(),
        topics: vec![topic],
        members: vec![],
        guests: vec![],
        minutes: minutes.into(),
        recommendations: vec![],
    }
}

#[test]
fn topics_meetings_and_reports_are_stored_linked_and_found() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let author = store.add_member(&common::member("王建国")).unwrap();
    let intake = store
        .add_intake(&IntakeFields {
            visited_at: at(11, 2, 9),
            visitors: 1,
            category: "民生保障".into(),
            request: "市场路路灯坏了两个月".into(),
            ..IntakeFields::default()
        })
        .unwrap();
    let topic = store
        .add_topic(
            Topic::new(
                "市场路路灯",
                "夜间照明不足",
                TopicSource::Intakes,
                "",
                vec![intake.meta.id],
            )
            .unwrap(),
        )
        .unwrap();
    let linked = store
        .get::<stationdesk::domain::Intake>(intake.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(linked.state, IntakeState::InProgress);
    assert_eq!(linked.links[0].kind, RecordKind::Topic);
    // A meeting needs a place, a host and a topic.
    let mut bad = meeting(topic.meta.id, at(11, 20, 14), "");
    bad.host.clear();
    bad.topics.clear();
    match store.save_meeting(bad) {
        Err(StoreError::InvalidFields(problems)) => assert_eq!(problems.len(), 2),
        other => panic!("{other:?}"),
    }
    store
        .save_meeting(meeting(
            topic.meta.id,
            at(11, 20, 14),
            "与会人员一致认为应尽快修复路灯",
        ))
        .unwrap();
    store
        .save_meeting(meeting(topic.meta.id, at(12, 10, 14), ""))
        .unwrap();
    assert_eq!(store.meetings_on(topic.meta.id).unwrap().len(), 2);
    let report = store
        .add_report(
            Report::new(
                "关于市场路路灯损坏的社情民意信息",
                "市场路路灯损坏，建议尽快修复",
                vec![author.meta.id],
                vec![intake.meta.id],
                vec![topic.meta.id],
            )
            .unwrap(),
        )
        .unwrap();
    store
        .change_report(report.meta.id, |r| {
            r.submit(
                "县政协",
                NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
                at(11, 23, 9),
            )
        })
        .unwrap();
    // 4+X on 2026-11-23: one meeting held (the December one is still to come), one report.
    let quota = store.quota(at(11, 23, 9)).unwrap();
    assert_eq!((quota.consultations, quota.reports), (1, 1));
    assert_eq!((quota.consultations_quota, quota.reports_quota), (4, 10));
    store.set_setting("consult_quota", "6").unwrap();
    assert_eq!(store.quota(at(11, 23, 9)).unwrap().consultations_quota, 6);
    // One search finds them all.
    for (query, kind) in [
        ("路灯", RecordKind::Topic),
        ("一致认为", RecordKind::Meeting),
        ("社情民意", RecordKind::Report),
    ] {
        let hits = store.search(query, Some(kind), 5).unwrap();
        assert_eq!(hits.len(), 1, "{query}");
    }
    // The loop in the store: decided, researched, consulted (a held meeting exists).
    let now = at(11, 23, 9);
    store
        .topic_event(
            topic.meta.id,
            TopicEvent::Decide {
                on: NaiveDate::from_ymd_opt(2026, 11, 5).unwrap(),
                by: "联席会议".into(),
            },
            now,
        )
        .unwrap();
    store
        .topic_event(
            topic.meta.id,
            TopicEvent::Research(stationdesk::domain::consult::ResearchNote {
                on: NaiveDate::from_ymd_opt(2026, 11, 10).unwrap(),
                members: "王建国".into(),
                findings: "十三盏路灯损坏".into(),
            }),
            now,
        )
        .unwrap();
    let consulted = store
        .topic_event(topic.meta.id, TopicEvent::Advance, now)
        .unwrap();
    assert_eq!(consulted.step, TopicStep::Consulted);
    // Submitted needs recommendations: refused, nothing changes.
    let audit = store.audit_count().unwrap();
    assert!(matches!(
        store.topic_event(topic.meta.id, TopicEvent::Advance, now),
        Err(StoreError::ConsultRefused(_))
    ));
    assert_eq!(store.audit_count().unwrap(), audit);
}

#[test]
fn drafts_are_kept_apart_from_the_minutes_and_cleared_on_save() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let topic = store
        .add_topic(Topic::new("停车", "", TopicSource::Member, "", vec![]).unwrap())
        .unwrap();
    let m = store
        .save_meeting(meeting(topic.meta.id, at(11, 20, 14), "已保存的纪要"))
        .unwrap();
    store
        .save_draft(m.meta.id, "已保存的纪要", at(11, 23, 9))
        .unwrap();
    assert!(
        store.pending_drafts().unwrap().is_empty(),
        "a draft equal to the minutes is nothing to offer"
    );
    store
        .save_draft(m.meta.id, "已保存的纪要，又写了一段", at(11, 23, 9))
        .unwrap();
    assert_eq!(store.pending_drafts().unwrap().len(), 1);
    // Drafts are not records: no audit, no rev, never in a bundle.
    let rev = store.last_rev().unwrap();
    store.save_draft(m.meta.id, "再改", at(11, 23, 10)).unwrap();
    assert_eq!(store.last_rev().unwrap(), rev);
    store.set_minutes(m.meta.id, "再改").unwrap();
    assert!(store.pending_drafts().unwrap().is_empty());
    assert_eq!(store.draft(m.meta.id).unwrap(), None);
}

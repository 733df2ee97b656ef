//! Visits handed over to a public-opinion report wait for its outcome, and are answered from it
//! and closed in one step once it is known — never before.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use stationdesk::domain::consult::{Report, ReportResult};
use stationdesk::domain::{Intake, IntakeFields, IntakeState, RecordKind};
use stationdesk::store::StoreError;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

#[test]
fn visits_behind_a_report_are_answered_from_its_outcome_in_one_step() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let author = store.add_member(&common::member("王建国")).unwrap().meta.id;
    let mut visits = Vec::new();
    for request in ["小区院子没地方停车", "晚上停车只能停到马路边"] {
        visits.push(
            store
                .add_intake(&IntakeFields {
                    visited_at: day(2).and_hms_opt(9, 0, 0).unwrap(),
                    visitors: 1,
                    category: "交通出行/停车".into(),
                    request: request.into(),
                    ..Default::default()
                })
                .unwrap()
                .meta
                .id,
        );
    }
    let report = store
        .add_report(
            Report::new(
                "关于停车问题的社情民意信息",
                "接待群众来访2件",
                vec![author],
                visits.clone(),
                vec![],
            )
            .unwrap(),
        )
        .unwrap();
    let id = report.meta.id;
    assert_eq!(
        store.visits_behind(RecordKind::Report, id).unwrap().len(),
        2
    );
    // No outcome yet: refused, nothing changed.
    assert!(matches!(
        store.answer_visits_behind(
            RecordKind::Report,
            id,
            day(20),
            &stationdesk::messages::handover_reply
        ),
        Err(StoreError::HandOverOpen(_))
    ));
    for visit in &visits {
        let v = store.get::<Intake>(*visit).unwrap().unwrap();
        assert_eq!(v.state, IntakeState::InProgress);
    }
    let now = day(20).and_hms_opt(9, 0, 0).unwrap();
    store
        .change_report(id, |r| r.submit("县政协", day(10), now))
        .unwrap();
    store
        .change_report(id, |r| {
            r.record_result(ReportResult::Adopted { instruction: None })
        })
        .unwrap();
    assert_eq!(
        store
            .answer_visits_behind(
                RecordKind::Report,
                id,
                day(20),
                &stationdesk::messages::handover_reply
            )
            .unwrap(),
        2
    );
    for visit in &visits {
        let v = store.get::<Intake>(*visit).unwrap().unwrap();
        assert_eq!(v.state, IntakeState::Closed);
        let reply = v.feedback.unwrap();
        assert_eq!(reply.on, day(20));
        assert!(
            reply.text.contains("关于停车问题的社情民意信息"),
            "{}",
            reply.text
        );
        assert!(reply.text.contains("采用"), "{}", reply.text);
    }
    // Nothing waits any more; a second time closes nothing.
    assert_eq!(
        store
            .answer_visits_behind(
                RecordKind::Report,
                id,
                day(21),
                &stationdesk::messages::handover_reply
            )
            .unwrap(),
        0
    );
}

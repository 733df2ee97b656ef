//! A closed case can be reopened by a signed-in member with a written reason: it goes back to
//! mediation, its history says who and when and keeps the conclusion it set aside, and the
//! member's record and the month's figures go back with it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::screen::{ctrl, key, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseSource, CaseState, MediationCase, Outcome, Party, PartyRole, Session,
};
use stationdesk::domain::performance::Period;
use stationdesk::i18n::Language;
use stationdesk::store::{Store, StoreError};
use stationdesk::tui::app::App;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn now() -> chrono::NaiveDateTime {
    day(20).and_hms_opt(12, 0, 0).unwrap()
}

fn success(store: &Store, mediator: uuid::Uuid) -> (i64, i64) {
    let record = store
        .member_record(mediator, Period::Year(2026), now())
        .unwrap();
    let month = store.month_stats(2026, 11, now()).unwrap();
    let in_month = month
        .case_outcomes
        .iter()
        .find(|(o, _)| o == "success")
        .map_or(0, |(_, n)| *n);
    (record.cases.success, in_month)
}

#[test]
fn a_concluded_case_is_reopened_with_a_reason_and_its_figures_go_back() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let mut mediator = common::member("王建国");
    mediator.mediator = true;
    let wang = store.add_member(&mediator).unwrap().meta.id;
    let case = store
        .register_case(
            &CaseFields {
                received_on: day(2),
                source: CaseSource::WalkIn,
                dispute_type: "邻里纠纷".into(),
                parties: vec![
                    Party {
                        role: PartyRole::Applicant,
                        name: "刘志强".into(),
                        ..Party::default()
                    },
                    Party {
                        role: PartyRole::Respondent,
                        name: "陈海".into(),
                        ..Party::default()
                    },
                ],
                facts: "楼上漏水".into(),
                mediators: vec![wang],
                ..CaseFields::default()
            },
            None,
        )
        .unwrap();
    let id = case.meta.id;
    store
        .case_event(
            id,
            CaseEvent::RecordSession(Session {
                on: day(3),
                place: "工作站".into(),
                attendees: String::new(),
                notes: "双方到场".into(),
            }),
        )
        .unwrap();
    store
        .case_event(
            id,
            CaseEvent::Conclude {
                on: day(5),
                outcome: Outcome::Success {
                    terms: "修复天花板".into(),
                    method: "现金".into(),
                    deadline: day(15),
                },
            },
        )
        .unwrap();
    assert_eq!(success(&store, wang), (1, 1));

    // Nobody signed in: refused, nothing changed.
    store.set_nobody();
    let reopen = |reason: &str, on| CaseEvent::Reopen {
        on,
        by: String::new(),
        reason: reason.into(),
    };
    assert!(matches!(
        store.case_event(id, reopen("当事人反悔", day(10))),
        Err(StoreError::NobodySignedIn)
    ));
    store.set_actor("李秀兰 (0a1b2c3d)");
    // Without a reason, or before the conclusion: refused.
    assert!(store.case_event(id, reopen("  ", day(10))).is_err());
    assert!(store.case_event(id, reopen("当事人反悔", day(4))).is_err());
    let reopened = store
        .case_event(id, reopen("当事人反悔，要求重新调解", day(10)))
        .unwrap();
    assert_eq!(reopened.state, CaseState::Mediating);
    assert!(reopened.outcome.is_none() && reopened.concluded_on.is_none());
    let step = &reopened.reopenings[0];
    assert_eq!(step.by, "李秀兰 (0a1b2c3d)");
    assert_eq!(step.on, day(10));
    assert_eq!(step.concluded_on, Some(day(5)));
    assert!(matches!(step.outcome, Some(Outcome::Success { .. })));
    // The member's record and the month's figures go back.
    assert_eq!(success(&store, wang), (0, 0));
    // It is mediated again and concluded anew: counted once.
    store
        .case_event(
            id,
            CaseEvent::Conclude {
                on: day(12),
                outcome: Outcome::Failed {
                    reason: "未达成一致".into(),
                },
            },
        )
        .unwrap();
    assert_eq!(success(&store, wang), (0, 0));
    let again = store.get::<MediationCase>(id).unwrap().unwrap();
    assert_eq!(again.reopenings.len(), 1);
    // The history names the step.
    drop(store);

    let mut app = App::new(
        fx.open(),
        common::screen::morning(),
        Some(Language::Chinese),
    )
    .unwrap();
    common::screen::on_duty(&mut app);
    // The case list holds this one case: Enter opens it.
    app.handle_key(key(KeyCode::Char('c')));
    app.handle_key(key(KeyCode::Enter));
    assert!(app
        .layer::<stationdesk::tui::screens::case_detail::CaseDetail>()
        .is_some());
    // 7: reopen, with a reason, asked once.
    app.handle_key(key(KeyCode::Char('7')));
    let form = app
        .layer::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .expect("the reopen form");
    assert_eq!(form.form.value("reason"), "");
    app.handle_key(ctrl('s'));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains("必填"), "{screen}");
    type_text(&mut app, "调解结果登记错了");
    app.handle_key(ctrl('s'));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains("重新打开，回到调解"), "{screen}");
    app.handle_key(key(KeyCode::Char('y')));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains("调解结果登记错了"), "{screen}");
    assert!(screen.contains("调解中"), "{screen}");
    let case = app.desk.store.get::<MediationCase>(id).unwrap().unwrap();
    assert_eq!(case.state, CaseState::Mediating);
    assert_eq!(case.reopenings.len(), 2);
}

//! Records that cannot say what did not happen: the demo's records pass the domain's date
//! rules (none in the future, none before the step it follows), and no sequence of steps the
//! rules accept leaves a step before the one it follows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use stationdesk::domain::activity::Activity;
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseFollowUp, Fulfilment, MediationCase, Outcome, Session,
};
use stationdesk::domain::consult::{Report, Topic};
use stationdesk::domain::intake::{Handling, Satisfaction};
use stationdesk::domain::roster::{Shift, ShiftState};
use stationdesk::domain::timeline::FUTURE_TOLERANCE;
use stationdesk::domain::{DuePolicy, Intake, IntakeEvent, IntakeFields};
use stationdesk::store::{RecordTable, Store};

fn live<T: RecordTable>(store: &Store) -> Vec<T> {
    store
        .changed_since::<T>(0, 1_000_000)
        .unwrap()
        .into_iter()
        .filter(|r| r.meta().deleted_at.is_none())
        .collect()
}

/// What a visit's steps say, checked in their order.
fn visit_in_order(v: &Intake, today: NaiveDate) -> Result<(), String> {
    let visited = v.fields.visited_at.date();
    let mut last = visited;
    let mut step = |what: &str, on: NaiveDate| {
        if on < last || on > today {
            return Err(format!(
                "{what} on {on} (after {last}, up to {today}): {v:?}"
            ));
        }
        last = on;
        Ok(())
    };
    match &v.handling {
        Some(Handling::Referred { on, .. }) => step("referral", *on)?,
        Some(Handling::OnTheSpot { .. }) | Some(Handling::Converted { .. }) | None => {}
    }
    // A reopened visit that awaits a new reply still shows the earlier round's reply, which
    // its new referral follows.
    let earlier_round = v.reopen_reason.is_some() && v.state.awaits_reply();
    if let (Some(reply), false) = (&v.feedback, earlier_round) {
        step("reply", reply.on)?;
    }
    if let Some(follow_up) = &v.follow_up {
        step("follow-up", follow_up.on)?;
    }
    Ok(())
}

/// What a case's steps say, checked in their order.
fn case_in_order(c: &MediationCase, today: NaiveDate) -> Result<(), String> {
    let mut last = c.fields.received_on;
    if last > today {
        return Err(format!("received on {last}, after {today}"));
    }
    let mut step = |what: &str, on: NaiveDate| {
        if on < last || on > today {
            return Err(format!(
                "{what} on {on} (after {last}, up to {today}) in {}",
                c.case_no
            ));
        }
        last = on;
        Ok(())
    };
    for session in &c.sessions {
        step("session", session.on)?;
    }
    if let Some(on) = c.concluded_on {
        step("conclusion", on)?;
    }
    for follow_up in &c.follow_ups {
        step("follow-up", follow_up.on)?;
    }
    Ok(())
}

#[test]
fn a_demo_holds_nothing_in_the_future_and_nothing_out_of_order() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 11,
            members: 12,
            records: 1_500,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let now = stationdesk::clock::local_now();
    let today = now.date();
    let visits = live::<Intake>(&store);
    assert!(visits.len() > 500);
    for v in &visits {
        assert!(
            v.fields.visited_at <= now + FUTURE_TOLERANCE,
            "a visit at {} after {now}",
            v.fields.visited_at
        );
        visit_in_order(v, today).unwrap();
    }
    // The newest visits are still open: the demo stopped where a step would be in the future.
    assert!(visits
        .iter()
        .any(|v| v.fields.visited_at.date() == today || v.state.awaits_reply()));
    for c in live::<MediationCase>(&store) {
        case_in_order(&c, today).unwrap();
    }
    for t in live::<Topic>(&store) {
        if let Some(decision) = &t.decision {
            assert!(decision.on <= today, "{t:?}");
            for note in &t.research {
                assert!(note.on >= decision.on && note.on <= today, "{t:?}");
            }
        }
    }
    for r in live::<Report>(&store) {
        assert!(r.submitted_on.is_none_or(|on| on <= today), "{r:?}");
    }
    for a in live::<Activity>(&store) {
        assert!(a.on <= today, "{a:?}");
    }
    for s in live::<Shift>(&store) {
        if matches!(s.state, ShiftState::Attended | ShiftState::Missed) {
            assert!(s.slot.start_on(s.date) <= now, "{s:?}");
        }
        assert!(
            s.signed_in_at.is_none_or(|at| at <= now + FUTURE_TOLERANCE),
            "{s:?}"
        );
    }
}

fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
}

fn visit_fields(offset: i64) -> IntakeFields {
    IntakeFields {
        visited_at: (day0() + Duration::days(offset))
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        visitors: 1,
        category: "交通出行/停车".into(),
        request: "院子围起来以后没地方停车".into(),
        ..IntakeFields::default()
    }
}

/// A visit's step of a kind, on a day.
fn intake_event(kind: u8, offset: i64) -> IntakeEvent {
    let on = day0() + Duration::days(offset);
    match kind % 6 {
        0 => IntakeEvent::Refer {
            department: "街道城管科".into(),
            on,
        },
        1 => IntakeEvent::AnswerOnTheSpot {
            answer: "解释了政策".into(),
            on,
        },
        2 => IntakeEvent::RecordFeedback {
            on,
            text: "已答复".into(),
        },
        3 => IntakeEvent::RecordFollowUp {
            on,
            satisfaction: Satisfaction::Satisfied,
            note: String::new(),
        },
        4 => IntakeEvent::Close,
        _ => IntakeEvent::Reopen {
            reason: "群众再次反映".into(),
        },
    }
}

/// A case's step of a kind, on a day.
fn case_event(kind: u8, offset: i64) -> CaseEvent {
    let on = day0() + Duration::days(offset);
    match kind % 4 {
        0 | 1 => CaseEvent::RecordSession(Session {
            on,
            place: "工作站".into(),
            attendees: String::new(),
            notes: "双方到场".into(),
        }),
        2 => CaseEvent::Conclude {
            on,
            outcome: Outcome::Success {
                terms: "修复并补偿".into(),
                method: "现金".into(),
                deadline: on + Duration::days(10),
            },
        },
        _ => CaseEvent::FollowUp(CaseFollowUp {
            on,
            fulfilment: Some(Fulfilment::Fulfilled),
            note: String::new(),
            next_on: None,
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Whatever steps are tried, on whatever days, as of whatever moment: what the rules
    /// accept never has a step before the one it follows, nor after now.
    #[test]
    fn no_accepted_record_has_a_step_before_the_step_it_follows(
        visit_day in 0i64..30,
        now_day in 0i64..60,
        steps in proptest::collection::vec((0u8..6, 0i64..60), 0..12),
        case_steps in proptest::collection::vec((0u8..4, 0i64..60), 0..10),
    ) {
        let now: NaiveDateTime = (day0() + Duration::days(now_day)).and_hms_opt(17, 0, 0).unwrap();
        let fields = visit_fields(visit_day);
        if fields.validate(now).is_err() {
            prop_assert!(fields.visited_at > now);
            return Ok(());
        }
        let mut visit = Intake::register(fields, DuePolicy::default());
        let mut accepted = 0;
        for (kind, offset) in steps {
            if let Ok(next) = visit.apply(intake_event(kind, offset), DuePolicy::default(), now) {
                visit = next;
                accepted += 1;
                let checked = visit_in_order(&visit, now.date());
                prop_assert!(checked.is_ok(), "{:?}", checked);
            }
        }
        prop_assert!(accepted <= 12);

        let mut case_fields = CaseFields {
            received_on: day0() + Duration::days(visit_day),
            ..CaseFields::default()
        };
        case_fields.facts = "楼上漏水".into();
        if case_fields.received_on > now.date() {
            return Ok(());
        }
        let mut case = MediationCase::register("QX01-2026-001".into(), case_fields, 30);
        for (kind, offset) in case_steps {
            if let Ok(next) = case.apply(case_event(kind, offset), now) {
                case = next;
                let checked = case_in_order(&case, now.date());
                prop_assert!(checked.is_ok(), "{:?}", checked);
            }
        }
    }
}

/// The property test above must try real sequences: most runs get steps accepted.
#[test]
fn the_property_tries_steps_that_the_rules_accept() {
    let now = (day0() + Duration::days(40)).and_hms_opt(17, 0, 0).unwrap();
    let visit = Intake::register(visit_fields(2), DuePolicy::default());
    let referred = visit
        .apply(intake_event(0, 3), DuePolicy::default(), now)
        .unwrap();
    let answered = referred
        .apply(intake_event(2, 5), DuePolicy::default(), now)
        .unwrap();
    assert!(answered
        .apply(intake_event(3, 4), DuePolicy::default(), now)
        .is_err());
    assert!(answered
        .apply(intake_event(3, 6), DuePolicy::default(), now)
        .is_ok());
}

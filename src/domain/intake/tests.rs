#[test]
fn the_steps_offered_are_the_steps_the_rules_allow() {
    use super::*;
    let fields = IntakeFields {
        visited_at: NaiveDate::from_ymd_opt(2026, 11, 2)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap_or_default(),
        visitors: 1,
        category: "物业管理".into(),
        request: "电梯坏了".into(),
        ..IntakeFields::default()
    };
    let registered = Intake::register(fields, DuePolicy::default());
    assert_eq!(
        registered.next_steps(),
        [
            IntakeStep::AnswerOnTheSpot,
            IntakeStep::Refer,
            IntakeStep::ToCase
        ]
    );
    let mut handed = registered.clone();
    handed.handling = Some(Handling::Converted {
        to: RecordKind::Case,
        id: Uuid::nil(),
    });
    handed.state = IntakeState::InProgress;
    assert!(handed.allows(IntakeStep::CloseFromCase));
    assert!(!registered.allows(IntakeStep::CloseFromCase));
    let mut answered = registered;
    answered.state = IntakeState::Answered;
    assert_eq!(
        answered.next_steps(),
        [IntakeStep::FollowUp, IntakeStep::Reopen]
    );
}

#[test]
fn addresses_of_one_compound_have_one_compound() {
    use super::compound_of;
    for address in [
        "老街小区",
        "老街小区3幢201",
        "老街小区 5幢",
        " 老街小区-2-301",
    ] {
        assert_eq!(compound_of(address), "老街小区", "{address}");
    }
    assert_eq!(compound_of("幸福里3号楼502"), "幸福里");
    assert_eq!(compound_of("东风小区东门"), "东风小区");
    assert_eq!(compound_of("青溪镇中心街"), "青溪镇中心街");
    assert_eq!(compound_of(""), "");
}

use super::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
}

fn fields() -> IntakeFields {
    IntakeFields {
        visited_at: day(11, 2).and_hms_opt(9, 30, 0).unwrap_or_default(),
        visitor_name: "王大爷".into(),
        phone: "13900001111".into(),
        visitors: 1,
        category: "交通出行/停车".into(),
        request: "小区院子围起来以后没地方停车".into(),
        ..IntakeFields::default()
    }
}

/// The end of November: every step of the tests has happened by then.
fn now() -> NaiveDateTime {
    day(11, 30).and_hms_opt(12, 0, 0).unwrap_or_default()
}

fn policy() -> DuePolicy {
    DuePolicy::default()
}

fn registered() -> Intake {
    Intake::register(fields(), policy())
}

fn refer() -> IntakeEvent {
    IntakeEvent::Refer {
        department: "街道城管科".into(),
        on: day(11, 3),
    }
}

fn feedback() -> IntakeEvent {
    IntakeEvent::RecordFeedback {
        on: day(11, 10),
        text: "已协调学校夜间共享车位".into(),
    }
}

fn follow_up() -> IntakeEvent {
    IntakeEvent::RecordFollowUp {
        on: day(11, 15),
        satisfaction: Satisfaction::Satisfied,
        note: String::new(),
    }
}

fn reopen() -> IntakeEvent {
    IntakeEvent::Reopen {
        reason: "车位又被占了".into(),
    }
}

fn convert() -> IntakeEvent {
    IntakeEvent::Convert {
        to: RecordKind::Case,
        id: Uuid::nil(),
    }
}

fn on_spot() -> IntakeEvent {
    IntakeEvent::AnswerOnTheSpot {
        answer: "解释了停车收费政策".into(),
        on: day(11, 2),
    }
}

fn in_state(state: IntakeState) -> Intake {
    let mut intake = registered();
    intake.state = state;
    intake
}

#[test]
fn steps_are_not_in_the_future_nor_before_the_step_they_follow() {
    use crate::domain::timeline::{Step, TimeRefusal};
    let p = policy();
    let now = day(11, 20).and_hms_opt(9, 0, 0).unwrap_or_default();
    // A visit a month ahead is refused by its fields.
    let mut ahead = fields();
    ahead.visited_at = NaiveDate::from_ymd_opt(2027, 1, 5)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap_or_default();
    assert!(ahead
        .validate(now)
        .is_err_and(|e| e.contains(&("visited_at", ValidationError::Future))));
    assert!(fields().validate(now).is_ok());
    // A referral before the visit, a reply a week ahead, a follow-up before its reply.
    let early = IntakeEvent::Refer {
        department: "街道城管科".into(),
        on: day(11, 1),
    };
    assert_eq!(
        registered().apply(early, p, now),
        Err(IntakeRefusal::Time(TimeRefusal::Before {
            field: "date",
            at: day(11, 1),
            step: Step::Visit,
            follows: day(11, 2)
        }))
    );
    let referred = registered()
        .apply(refer(), p, now)
        .unwrap_or_else(|_| registered());
    let ahead = IntakeEvent::RecordFeedback {
        on: day(11, 27),
        text: "已答复".into(),
    };
    assert!(matches!(
        referred.apply(ahead, p, now),
        Err(IntakeRefusal::Time(TimeRefusal::Future {
            field: "date",
            ..
        }))
    ));
    let before_referral = IntakeEvent::RecordFeedback {
        on: day(11, 2),
        text: "已答复".into(),
    };
    assert!(matches!(
        referred.apply(before_referral, p, now),
        Err(IntakeRefusal::Time(TimeRefusal::Before {
            step: Step::Referral,
            ..
        }))
    ));
    let answered = referred
        .apply(feedback(), p, now)
        .unwrap_or_else(|_| registered());
    let before_reply = IntakeEvent::RecordFollowUp {
        on: day(11, 9),
        satisfaction: Satisfaction::Satisfied,
        note: String::new(),
    };
    assert_eq!(
        answered.apply(before_reply, p, now),
        Err(IntakeRefusal::Time(TimeRefusal::Before {
            field: "date",
            at: day(11, 9),
            step: Step::Reply,
            follows: day(11, 10)
        }))
    );
    assert!(answered.apply(follow_up(), p, now).is_ok());
    // The state speaks first: a closed visit refuses a reply whatever its date.
    let closed = in_state(IntakeState::Closed);
    assert!(matches!(
        closed.apply(before_referral_again(), p, now),
        Err(IntakeRefusal::NotFrom(IntakeState::Closed))
    ));
}

fn before_referral_again() -> IntakeEvent {
    IntakeEvent::AnswerOnTheSpot {
        answer: "解释".into(),
        on: day(10, 1),
    }
}

#[test]
fn the_whole_loop() {
    let p = policy();
    let intake = registered();
    assert_eq!(intake.reply_due, day(11, 17));
    let intake = intake
        .apply(refer(), p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(intake.state, IntakeState::InProgress);
    let intake = intake
        .apply(feedback(), p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(intake.state, IntakeState::Answered);
    assert_eq!(intake.follow_up_due, Some(day(11, 17)));
    let intake = intake
        .apply(follow_up(), p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(intake.state, IntakeState::FollowedUp);
    let intake = intake
        .apply(IntakeEvent::Close, p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(intake.state, IntakeState::Closed);
    assert_eq!(intake.due(), None);
    let intake = intake
        .apply(reopen(), p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(intake.state, IntakeState::InProgress);
    assert_eq!(intake.reopen_reason.as_deref(), Some("车位又被占了"));
    assert_eq!(intake.follow_up, None);
}

/// Every event from every state: allowed exactly where the table says.
#[test]
fn every_transition_is_allowed_or_refused_by_the_rules() {
    use IntakeState::*;
    let events: Vec<(&str, IntakeEvent)> = vec![
        ("refer", refer()),
        ("on_spot", on_spot()),
        ("convert", convert()),
        ("feedback", feedback()),
        ("follow_up", follow_up()),
        ("close", IntakeEvent::Close),
        ("reopen", reopen()),
    ];
    let allowed: &[(IntakeState, &str, IntakeState)] = &[
        (Registered, "refer", InProgress),
        (Registered, "on_spot", Answered),
        (Registered, "convert", InProgress),
        (InProgress, "refer", InProgress),
        (InProgress, "on_spot", Answered),
        (InProgress, "convert", InProgress),
        (InProgress, "feedback", Answered),
        (Answered, "follow_up", FollowedUp),
        (Answered, "reopen", InProgress),
        (FollowedUp, "close", Closed),
        (FollowedUp, "reopen", InProgress),
        (Closed, "reopen", InProgress),
    ];
    for from in IntakeState::ALL {
        for (name, event) in &events {
            let expected = allowed
                .iter()
                .find(|(f, e, _)| *f == from && e == name)
                .map(|(_, _, to)| *to);
            let result = in_state(from).apply(event.clone(), policy(), now());
            match expected {
                Some(to) => assert_eq!(result.map(|i| i.state), Ok(to), "{from:?} + {name}"),
                None => assert_eq!(
                    result.map(|i| i.state),
                    Err(IntakeRefusal::NotFrom(from)),
                    "{from:?} + {name} must be refused"
                ),
            }
        }
    }
}

#[test]
fn events_need_their_text() {
    let empty_reason = IntakeEvent::Reopen {
        reason: "  ".into(),
    };
    assert_eq!(
        in_state(IntakeState::Closed).apply(empty_reason, policy(), now()),
        Err(IntakeRefusal::Invalid("reason", ValidationError::Required))
    );
    let no_department = IntakeEvent::Refer {
        department: String::new(),
        on: day(11, 3),
    };
    assert!(matches!(
        registered().apply(no_department, policy(), now()),
        Err(IntakeRefusal::Invalid("department", _))
    ));
}

#[test]
fn conversion_links_once() {
    let id = Uuid::now_v7();
    let event = IntakeEvent::Convert {
        to: RecordKind::Case,
        id,
    };
    let once = registered()
        .apply(event.clone(), policy(), now())
        .unwrap_or_else(|_| registered());
    let twice = once
        .apply(event, policy(), now())
        .unwrap_or_else(|_| registered());
    assert_eq!(
        twice.links,
        vec![Link {
            kind: RecordKind::Case,
            id
        }]
    );
    assert_eq!(
        twice.handling,
        Some(Handling::Converted {
            to: RecordKind::Case,
            id
        })
    );
}

#[test]
fn due_dates_follow_the_settings() {
    let p = DuePolicy {
        reply_days: 10,
        follow_up_days: 3,
    };
    let intake = Intake::register(fields(), p);
    assert_eq!(intake.reply_due, day(11, 12));
    assert!(!intake.is_overdue(day(11, 12)));
    assert!(intake.is_due_today(day(11, 12)));
    assert!(intake.is_overdue(day(11, 13)));
    let answered = intake
        .apply(on_spot(), p, now())
        .unwrap_or_else(|_| registered());
    assert_eq!(answered.due(), Some(day(11, 5)));
    assert!(answered.is_overdue(day(11, 6)));
    let done = answered
        .apply(follow_up(), p, now())
        .unwrap_or_else(|_| registered());
    assert!(!done.is_overdue(day(12, 31)));
}

#[test]
fn fields_are_validated() {
    let mut bad = fields();
    bad.phone = "123".into();
    bad.id_number = "110105194912310021".into();
    bad.request = " ".into();
    bad.category = String::new();
    bad.visitors = 0;
    let fields: Vec<&str> = bad
        .validate(now())
        .err()
        .unwrap_or_default()
        .iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(
        fields,
        ["phone", "id_number", "visitors", "category", "request"]
    );
    let mut anonymous = self::fields();
    anonymous.visitor_name = String::new();
    anonymous.phone = String::new();
    assert!(anonymous.validate(now()).is_ok());
}

#[test]
fn summaries_and_months() {
    let mut intake = registered();
    intake.fields.request = "第一行\n第二行很长很长".into();
    assert_eq!(intake.summary(6), "第一行 第二⋯");
    assert_eq!(month_of(day(2, 10)), (day(2, 1), day(2, 28)));
    assert_eq!(month_of(day(12, 31)).1, day(12, 31));
}

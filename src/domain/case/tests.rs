use super::*;

/// The end of the year: every step of the tests has happened by then.
fn now() -> chrono::NaiveDateTime {
    day(12, 31).and_hms_opt(12, 0, 0).unwrap_or_default()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
}

fn fields() -> CaseFields {
    CaseFields {
        received_on: day(11, 2),
        source: CaseSource::WalkIn,
        dispute_type: "邻里纠纷".into(),
        parties: vec![
            Party {
                role: PartyRole::Applicant,
                name: "刘志强".into(),
                contact: "13900001111".into(),
                id_number: String::new(),
            },
            Party {
                role: PartyRole::Respondent,
                name: "陈海".into(),
                ..Party::default()
            },
        ],
        facts: "楼上装修导致楼下天花板开裂".into(),
        mediators: vec![Uuid::from_u128(7)],
        ..CaseFields::default()
    }
}

fn case() -> MediationCase {
    MediationCase::register("S1-2026-001".into(), fields(), DEFAULT_CASE_DAYS)
}

#[test]
fn the_steps_offered_are_the_steps_the_rules_allow() {
    let accepted = case();
    let on = day(11, 5);
    assert!(accepted.allows(CaseAction::Session, on));
    assert!(!accepted.allows(CaseAction::FollowUp, on));
    assert!(!accepted.allows(CaseAction::Archive, on));
    let mediating = accepted
        .apply(session(on), now())
        .unwrap_or_else(|_| case());
    assert!(mediating.allows(CaseAction::Conclude, on));
    assert!(mediating.next_actions(on).contains(&CaseAction::Session));
    assert!(!mediating.next_actions(on).contains(&CaseAction::Archive));
}

fn session(on: NaiveDate) -> CaseEvent {
    CaseEvent::RecordSession(Session {
        on,
        place: "工作站调解室".into(),
        attendees: "双方当事人".into(),
        notes: "双方陈述".into(),
    })
}

fn success() -> Outcome {
    Outcome::Success {
        terms: "陈海负责修复并赔偿3000元".into(),
        method: "一次性支付".into(),
        deadline: day(12, 10),
    }
}

fn concluded() -> MediationCase {
    case()
        .apply(session(day(11, 5)), now())
        .and_then(|c| {
            c.apply(
                CaseEvent::Conclude {
                    on: day(11, 10),
                    outcome: success(),
                },
                now(),
            )
        })
        .unwrap_or_else(|_| case())
}

#[test]
fn a_new_case_is_due_in_thirty_days() {
    let c = case();
    assert_eq!(c.state, CaseState::Accepted);
    assert_eq!(c.due, day(12, 2));
    assert!(!c.is_overdue(day(12, 2)));
    assert!(c.is_overdue(day(12, 3)));
}

#[test]
fn the_happy_path_through_every_state() {
    let c = case().apply(session(day(11, 5)), now()).unwrap();
    assert_eq!(c.state, CaseState::Mediating);
    let c = c.apply(session(day(11, 4)), now()).unwrap();
    assert_eq!(c.sessions.len(), 2);
    assert_eq!(
        c.sessions[0].on,
        day(11, 4),
        "sessions are kept in date order"
    );
    let c = c
        .apply(
            CaseEvent::Conclude {
                on: day(11, 10),
                outcome: success(),
            },
            now(),
        )
        .unwrap();
    assert_eq!(c.state, CaseState::Concluded);
    assert_eq!(c.next_due(), Some(day(12, 10)), "follow-up at the deadline");
    assert_eq!(c.judicial_deadline(), Some(day(12, 10)));
    let c = c
        .apply(
            CaseEvent::Judicial(JudicialConfirmation {
                applied: true,
                on: Some(day(11, 20)),
            }),
            now(),
        )
        .unwrap();
    assert_eq!(c.state, CaseState::Concluded);
    let c = c
        .apply(
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 11),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: "已修复，款已付".into(),
                next_on: None,
            }),
            now(),
        )
        .unwrap();
    assert_eq!(c.state, CaseState::FollowedUp);
    assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
    assert_eq!(c.next_due(), None);
    let c = c.apply(CaseEvent::Archive, now()).unwrap();
    assert_eq!(c.state, CaseState::Archived);
}

#[test]
fn every_refused_transition_says_why() {
    let open = case();
    // Agreement without any session.
    assert_eq!(
        open.apply(
            CaseEvent::Conclude {
                on: day(11, 3),
                outcome: success()
            },
            now()
        ),
        Err(CaseRefusal::NoSession)
    );
    // Follow-up, judicial confirmation and archive before conclusion.
    let follow_up = CaseEvent::FollowUp(CaseFollowUp {
        on: day(11, 3),
        fulfilment: None,
        note: String::new(),
        next_on: None,
    });
    assert_eq!(
        open.apply(follow_up.clone(), now()),
        Err(CaseRefusal::NotFrom(CaseState::Accepted))
    );
    assert_eq!(
        open.apply(CaseEvent::Archive, now()),
        Err(CaseRefusal::NotFrom(CaseState::Accepted))
    );
    assert_eq!(
        open.apply(
            CaseEvent::Judicial(JudicialConfirmation {
                applied: true,
                on: None
            }),
            now()
        ),
        Err(CaseRefusal::NotAnAgreement)
    );
    // Extensions: consent and a later date.
    let extend = |consent, new_due| CaseEvent::Extend {
        on: day(11, 20),
        new_due,
        both_consent: consent,
        reason: "需要鉴定".into(),
    };
    assert_eq!(
        open.apply(extend(false, day(12, 20)), now()),
        Err(CaseRefusal::NoConsent)
    );
    assert_eq!(
        open.apply(extend(true, day(12, 1)), now()),
        Err(CaseRefusal::NotLater)
    );
    let extended = open.apply(extend(true, day(12, 20)), now()).unwrap();
    assert_eq!(extended.due, day(12, 20));
    assert_eq!(extended.extensions.len(), 1);
    // Sessions before the case was received.
    assert_eq!(
        open.apply(session(day(10, 1)), now()),
        Err(CaseRefusal::Time(
            crate::domain::timeline::TimeRefusal::Before {
                field: "date",
                at: day(10, 1),
                step: crate::domain::timeline::Step::Acceptance,
                follows: open.fields.received_on,
            }
        ))
    );
    // A session in the future, and a conclusion before the last session.
    let later = chrono::NaiveDate::from_ymd_opt(2027, 5, 1).unwrap_or_default();
    assert!(matches!(
        open.apply(session(later), now()),
        Err(CaseRefusal::Time(
            crate::domain::timeline::TimeRefusal::Future { .. }
        ))
    ));
    let mut received_later = fields();
    received_later.received_on = later;
    assert!(received_later
        .validate(now())
        .is_err_and(|e| e.iter().any(|(field, _)| *field == CaseField::ReceivedOn)));
    let met = open.apply(session(day(11, 20)), now()).unwrap();
    assert!(matches!(
        met.apply(
            CaseEvent::Conclude {
                on: day(11, 19),
                outcome: success(),
            },
            now()
        ),
        Err(CaseRefusal::Time(
            crate::domain::timeline::TimeRefusal::Before {
                step: crate::domain::timeline::Step::Session,
                ..
            }
        ))
    ));
    // After conclusion: no sessions, no extension, no second conclusion.
    let done = concluded();
    assert_eq!(
        done.apply(session(day(11, 12)), now()),
        Err(CaseRefusal::NotFrom(CaseState::Concluded))
    );
    assert_eq!(
        done.apply(extend(true, day(12, 30)), now()),
        Err(CaseRefusal::NotFrom(CaseState::Concluded))
    );
    assert_eq!(
        done.apply(CaseEvent::Archive, now()),
        Err(CaseRefusal::NotFrom(CaseState::Concluded))
    );
    // An agreement's follow-up must say how it was fulfilled.
    assert_eq!(
        done.apply(follow_up, now()),
        Err(CaseRefusal::FulfilmentMissing)
    );
    // A failed case has no fulfilment.
    let failed = case()
        .apply(
            CaseEvent::Conclude {
                on: day(11, 4),
                outcome: Outcome::Withdrawn {
                    reason: "申请人撤回".into(),
                },
            },
            now(),
        )
        .unwrap();
    assert_eq!(failed.next_due(), Some(day(11, 11)));
    assert_eq!(
        failed.apply(
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(11, 12),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: String::new(),
                next_on: None,
            }),
            now()
        ),
        Err(CaseRefusal::NotAnAgreement)
    );
    // Archived is the end.
    let archived = failed
        .apply(
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(11, 12),
                fulfilment: None,
                note: String::new(),
                next_on: None,
            }),
            now(),
        )
        .and_then(|c| c.apply(CaseEvent::Archive, now()))
        .unwrap();
    for event in [session(day(11, 20)), CaseEvent::Archive] {
        assert_eq!(
            archived.apply(event, now()),
            Err(CaseRefusal::NotFrom(CaseState::Archived))
        );
    }
}

#[test]
fn an_agreement_needs_its_terms_and_a_deadline_not_before_it() {
    let mediating = case().apply(session(day(11, 5)), now()).unwrap();
    let bad_terms = mediating.apply(
        CaseEvent::Conclude {
            on: day(11, 10),
            outcome: Outcome::Success {
                terms: "  ".into(),
                method: "现金".into(),
                deadline: day(11, 30),
            },
        },
        now(),
    );
    assert!(matches!(bad_terms, Err(CaseRefusal::Invalid("terms", _))));
    let bad_deadline = mediating.apply(
        CaseEvent::Conclude {
            on: day(11, 10),
            outcome: Outcome::Success {
                terms: "赔偿".into(),
                method: "现金".into(),
                deadline: day(11, 9),
            },
        },
        now(),
    );
    assert!(matches!(
        bad_deadline,
        Err(CaseRefusal::Invalid("deadline", _))
    ));
}

#[test]
fn partly_fulfilled_agreements_come_back() {
    let c = concluded()
        .apply(
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 11),
                fulfilment: Some(Fulfilment::Partly),
                note: "已付一半".into(),
                next_on: Some(day(12, 25)),
            }),
            now(),
        )
        .unwrap();
    assert_eq!(c.next_due(), Some(day(12, 25)));
    assert!(c.is_overdue(day(12, 26)));
    let c = c
        .apply(
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(12, 26),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: String::new(),
                next_on: None,
            }),
            now(),
        )
        .unwrap();
    assert_eq!(c.fulfilment(), Some(Fulfilment::Fulfilled));
    assert_eq!(c.follow_ups.len(), 2);
}

#[test]
fn fields_need_both_sides_and_a_mediator() {
    assert!(fields().validate(now()).is_ok());
    let mut f = fields();
    f.parties.retain(|p| p.role == PartyRole::Applicant);
    f.mediators.clear();
    let errors = f.validate(now()).unwrap_err();
    let named: Vec<CaseField> = errors.iter().map(|(n, _)| *n).collect();
    assert!(named.contains(&CaseField::PartyName(1)), "{named:?}");
    assert!(named.contains(&CaseField::Mediators), "{named:?}");
    let mut f = fields();
    f.source = CaseSource::Police;
    assert!(f.validate(now()).is_err(), "a referral names its unit");
    f.referring_unit = "城关派出所".into();
    assert!(f.validate(now()).is_ok());
    let mut f = fields();
    f.mediators = vec![Uuid::from_u128(1); 4];
    assert_eq!(f.validate(now()).map(|f| f.mediators.len()), Ok(1));
}

#[test]
fn amounts_are_read_as_people_write_them() {
    assert_eq!(parse_amount(""), Ok(None));
    assert_eq!(parse_amount("3000"), Ok(Some(300_000)));
    assert_eq!(parse_amount("3,000元"), Ok(Some(300_000)));
    assert_eq!(parse_amount("３０００"), Ok(Some(300_000)));
    assert_eq!(parse_amount("12.5"), Ok(Some(1_250)));
    assert_eq!(parse_amount("12.05"), Ok(Some(1_205)));
    assert!(parse_amount("12.345").is_err());
    assert!(parse_amount("三千").is_err());
    assert!(parse_amount("-5").is_err());
    assert_eq!(format_amount(300_000), "3000");
    assert_eq!(format_amount(1_205), "12.05");
}

#[test]
fn case_numbers_follow_the_pattern() {
    assert_eq!(
        case_number(DEFAULT_CASE_PATTERN, "CG01", 2026, 7),
        "CG01-2026-007"
    );
    assert_eq!(
        case_number("{station}调{year}第{seq:4}号", "CG01", 2026, 12),
        "CG01调2026第0012号"
    );
    assert_eq!(case_number("{year}-{seq}", "X", 2026, 1234), "2026-1234");
    assert_eq!(case_number("{odd}-{seq}", "X", 2026, 1), "{odd}-001");
    assert!(pattern_is_valid(DEFAULT_CASE_PATTERN));
    assert!(!pattern_is_valid("{station}-{seq}"));
}

#[test]
fn a_case_from_an_intake_takes_the_visitor_and_request() {
    let intake = Intake::register(
        crate::domain::IntakeFields {
            visited_at: day(11, 2).and_hms_opt(9, 0, 0).unwrap_or_default(),
            visitor_name: "刘志强".into(),
            phone: "13900001111".into(),
            visitors: 1,
            category: "邻里关系".into(),
            request: "楼上装修，我家天花板裂了".into(),
            member_id: Some(Uuid::from_u128(9)),
            ..crate::domain::IntakeFields::default()
        },
        crate::domain::DuePolicy::default(),
    );
    let f = CaseFields::from_intake(&intake, "邻里纠纷", day(11, 3));
    assert_eq!(f.parties[0].name, "刘志强");
    assert_eq!(f.parties[0].contact, "13900001111");
    assert_eq!(f.parties[1].role, PartyRole::Respondent);
    assert_eq!(f.facts, "楼上装修，我家天花板裂了");
    assert_eq!(f.mediators, vec![Uuid::from_u128(9)]);
}

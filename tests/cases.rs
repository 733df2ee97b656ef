//! Mediation cases against real SQLite files: case numbers, parties and sessions, links to
//! intakes, refusals that change nothing, filters, search, and the agreement document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseFollowUp, CaseRefusal, CaseSource, CaseState, Fulfilment,
    MediationCase, Outcome, Party, PartyRole, Session,
};
use stationdesk::domain::intake::Handling;
use stationdesk::domain::{Intake, IntakeFields, IntakeState, RecordKind};
use stationdesk::store::{CaseFilter, Store, StoreError};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn mediator(store: &mut Store, name: &str) -> Uuid {
    let mut fields = common::member(name);
    fields.mediator = true;
    fields.specialties = "法律服务".into();
    store.add_member(&fields).unwrap().meta.id
}

fn dispute(received_on: NaiveDate, mediator: Uuid) -> CaseFields {
    CaseFields {
        received_on,
        source: CaseSource::WalkIn,
        dispute_type: "邻里纠纷".into(),
        parties: vec![
            Party {
                role: PartyRole::Applicant,
                name: "刘志强".into(),
                contact: "13900001111".into(),
                id_number: "11010519491231002X".into(),
            },
            Party {
                role: PartyRole::Respondent,
                name: "陈海".into(),
                contact: "幸福里3号楼502".into(),
                id_number: String::new(),
            },
            Party {
                role: PartyRole::ThirdParty,
                name: "宏达装修公司".into(),
                contact: String::new(),
                id_number: String::new(),
            },
        ],
        facts: "楼上装修导致楼下天花板开裂\n多次协商未果".into(),
        points: "修复责任和赔偿数额".into(),
        amount_fen: Some(300_000),
        mediators: vec![mediator],
        ..CaseFields::default()
    }
}

fn session(on: NaiveDate, notes: &str) -> CaseEvent {
    CaseEvent::RecordSession(Session {
        on,
        place: "工作站调解室".into(),
        attendees: "刘志强、陈海".into(),
        notes: notes.into(),
    })
}

fn agreement(on: NaiveDate) -> CaseEvent {
    CaseEvent::Conclude {
        on,
        outcome: Outcome::Success {
            terms: "一、陈海负责修复天花板\n二、陈海补偿刘志强人民币3000元".into(),
            method: "现金一次性支付".into(),
            deadline: on + chrono::Duration::days(30),
        },
    }
}

#[test]
fn case_numbers_run_per_year_and_are_never_reused() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let first = store
        .register_case(&dispute(day(2026, 3, 1), wang), None)
        .unwrap();
    let second = store
        .register_case(&dispute(day(2026, 3, 2), wang), None)
        .unwrap();
    assert_eq!(first.case_no, "QX01-2026-001");
    assert_eq!(second.case_no, "QX01-2026-002");
    assert_eq!(first.due, day(2026, 3, 31), "30 days after acceptance");
    store.delete::<MediationCase>(second.meta.id).unwrap();
    let third = store
        .register_case(&dispute(day(2026, 3, 3), wang), None)
        .unwrap();
    assert_eq!(
        third.case_no, "QX01-2026-003",
        "a deleted case keeps its number"
    );
    let other_year = store
        .register_case(&dispute(day(2025, 12, 30), wang), None)
        .unwrap();
    assert_eq!(other_year.case_no, "QX01-2025-001");
    // A station pattern; a pattern without {year} or {seq} is refused and changes nothing.
    assert!(matches!(
        store.set_case_pattern("{station}-{seq}"),
        Err(StoreError::Setting(_))
    ));
    store
        .set_case_pattern("{station}调{year}第{seq:4}号")
        .unwrap();
    let patterned = store
        .register_case(&dispute(day(2026, 4, 1), wang), None)
        .unwrap();
    assert_eq!(patterned.case_no, "QX01调2026第0004号");
    // Reopening the file: the sequence survives.
    drop(store);
    let mut store = fx.open();
    store.set_case_pattern("{station}-{year}-{seq}").unwrap();
    let after = store
        .register_case(&dispute(day(2026, 5, 1), wang), None)
        .unwrap();
    assert_eq!(after.case_no, "QX01-2026-005");
    let numbers: Vec<String> = store
        .cases_page(&CaseFilter::default(), day(2026, 6, 1), None, 100)
        .unwrap()
        .into_iter()
        .map(|c| c.case_no)
        .collect();
    let unique: std::collections::HashSet<_> = numbers.iter().collect();
    assert_eq!(unique.len(), numbers.len());
}

#[test]
fn parties_sessions_and_outcome_are_stored_with_their_case() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let case = store
        .register_case(&dispute(day(2026, 11, 2), wang), None)
        .unwrap();
    store
        .case_event(case.meta.id, session(day(2026, 11, 5), "双方陈述各自理由"))
        .unwrap();
    store
        .case_event(
            case.meta.id,
            session(day(2026, 11, 9), "背靠背调解，双方让步"),
        )
        .unwrap();
    store
        .case_event(case.meta.id, agreement(day(2026, 11, 10)))
        .unwrap();
    drop(store);
    let store = fx.open();
    let back = store.get::<MediationCase>(case.meta.id).unwrap().unwrap();
    assert_eq!(back.fields.parties.len(), 3);
    assert_eq!(back.fields.parties[0].id_number, "11010519491231002X");
    assert_eq!(back.fields.parties[2].role, PartyRole::ThirdParty);
    assert_eq!(back.fields.amount_fen, Some(300_000));
    assert_eq!(back.sessions.len(), 2);
    assert_eq!(back.sessions[1].notes, "背靠背调解，双方让步");
    assert_eq!(back.state, CaseState::Concluded);
    assert!(back.outcome.as_ref().unwrap().is_success());
    // Every step is in the history.
    let history = store.history(case.meta.id).unwrap();
    assert_eq!(history.len(), 4);
    assert_eq!(history[0].action, "insert");
}

#[test]
fn a_refused_step_changes_nothing() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let case = store
        .register_case(&dispute(day(2026, 11, 2), wang), None)
        .unwrap();
    let audit = store.audit_count().unwrap();
    let refused = store.case_event(case.meta.id, agreement(day(2026, 11, 3)));
    assert!(matches!(
        refused,
        Err(StoreError::CaseRefused(CaseRefusal::NoSession))
    ));
    let refused = store.case_event(case.meta.id, CaseEvent::Archive);
    assert!(matches!(
        refused,
        Err(StoreError::CaseRefused(CaseRefusal::NotFrom(
            CaseState::Accepted
        )))
    ));
    assert_eq!(store.audit_count().unwrap(), audit);
    assert_eq!(
        store.get::<MediationCase>(case.meta.id).unwrap().unwrap(),
        case
    );
    // Fields that fail validation are named.
    let mut bad = dispute(day(2026, 11, 2), wang);
    bad.parties.truncate(1);
    bad.parties[0].id_number = "110105194912310021".into();
    match store.register_case(&bad, None) {
        Err(StoreError::InvalidCase(problems)) => {
            use stationdesk::domain::case::CaseField;
            let fields: Vec<CaseField> = problems.iter().map(|(n, _)| *n).collect();
            assert!(fields.contains(&CaseField::PartyId(0)), "{fields:?}");
            assert!(fields.contains(&CaseField::PartyName(1)), "{fields:?}");
        }
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[test]
fn an_intake_turned_into_a_case_links_both_ways() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let intake = store
        .add_intake(&IntakeFields {
            visited_at: day(2026, 11, 2).and_hms_opt(9, 30, 0).unwrap(),
            visitor_name: "刘志强".into(),
            phone: "13900001111".into(),
            visitors: 1,
            category: "邻里纠纷".into(),
            request: "楼上装修把我家天花板弄裂了".into(),
            member_id: Some(wang),
            ..IntakeFields::default()
        })
        .unwrap();
    let mut fields = CaseFields::from_intake(&intake, "邻里纠纷", day(2026, 11, 2));
    fields.parties[1].name = "陈海".into();
    let case = store.register_case(&fields, Some(intake.meta.id)).unwrap();
    assert_eq!(case.links.len(), 1);
    assert_eq!(case.links[0].kind, RecordKind::Intake);
    assert_eq!(case.links[0].id, intake.meta.id);
    assert_eq!(case.fields.parties[0].name, "刘志强");
    assert_eq!(case.fields.facts, "楼上装修把我家天花板弄裂了");
    let intake = store.get::<Intake>(intake.meta.id).unwrap().unwrap();
    assert_eq!(intake.state, IntakeState::InProgress);
    assert_eq!(
        intake.handling,
        Some(Handling::Converted {
            to: RecordKind::Case,
            id: case.meta.id
        })
    );
    assert_eq!(intake.links[0].id, case.meta.id);
    // A closed-loop intake cannot be converted; nothing is written, no number is used.
    let answered = store
        .add_intake(&IntakeFields {
            visited_at: day(2026, 11, 3).and_hms_opt(9, 30, 0).unwrap(),
            visitors: 1,
            category: "其他".into(),
            request: "咨询".into(),
            ..IntakeFields::default()
        })
        .unwrap();
    store
        .intake_event(
            answered.meta.id,
            stationdesk::domain::IntakeEvent::AnswerOnTheSpot {
                answer: "已答复".into(),
                on: day(2026, 11, 3),
            },
        )
        .unwrap();
    let before = store
        .count_cases(&CaseFilter::default(), day(2026, 11, 3))
        .unwrap();
    assert!(matches!(
        store.register_case(&fields, Some(answered.meta.id)),
        Err(StoreError::Refused(_))
    ));
    assert_eq!(
        store
            .count_cases(&CaseFilter::default(), day(2026, 11, 3))
            .unwrap(),
        before
    );
    let next = store
        .register_case(&dispute(day(2026, 11, 4), wang), None)
        .unwrap();
    assert_eq!(next.case_no, "QX01-2026-002");
}

#[test]
fn the_list_filters_by_state_type_mediator_and_overdue() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let zhao = mediator(&mut store, "赵敏");
    let old = store
        .register_case(&dispute(day(2026, 9, 1), wang), None)
        .unwrap();
    let mut family = dispute(day(2026, 11, 10), zhao);
    family.dispute_type = "婚姻家庭".into();
    let recent = store.register_case(&family, None).unwrap();
    store
        .case_event(recent.meta.id, session(day(2026, 11, 12), "第一次调解"))
        .unwrap();
    let today = day(2026, 11, 23);
    let ids = |filter: CaseFilter| -> Vec<Uuid> {
        store
            .cases_page(&filter, today, None, 50)
            .unwrap()
            .iter()
            .map(|c| c.meta.id)
            .collect()
    };
    assert_eq!(
        ids(CaseFilter::default()),
        vec![recent.meta.id, old.meta.id]
    );
    assert_eq!(
        ids(CaseFilter {
            overdue: true,
            ..CaseFilter::default()
        }),
        vec![old.meta.id]
    );
    assert_eq!(
        ids(CaseFilter {
            mediator: Some(zhao),
            ..CaseFilter::default()
        }),
        vec![recent.meta.id]
    );
    assert_eq!(
        ids(CaseFilter {
            dispute_type: Some("邻里纠纷".into()),
            ..CaseFilter::default()
        }),
        vec![old.meta.id]
    );
    assert_eq!(
        ids(CaseFilter {
            state: Some(CaseState::Mediating),
            ..CaseFilter::default()
        }),
        vec![recent.meta.id]
    );
}

#[test]
fn cases_are_found_by_party_number_and_text() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let case = store
        .register_case(&dispute(day(2026, 11, 2), wang), None)
        .unwrap();
    for query in ["陈海", "天花板", "lzq", "QX01-2026-001"] {
        let hits = store.search(query, Some(RecordKind::Case), 10).unwrap();
        assert!(
            hits.iter().any(|h| h.id == case.meta.id),
            "{query} finds the case"
        );
    }
}

#[test]
fn the_agreement_document_reads_back_with_everything_the_parties_sign() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let case = store
        .register_case(&dispute(day(2026, 11, 2), wang), None)
        .unwrap();
    store
        .case_event(case.meta.id, session(day(2026, 11, 5), "双方陈述"))
        .unwrap();
    // Before the agreement there is nothing to write.
    let station = store.station().unwrap().unwrap();
    let names = store.member_names(&[wang]).unwrap();
    let context = stationdesk::documents::AgreementContext {
        station: &station,
        mediators: &names,
        committee: "青溪镇人民调解委员会",
        date: stationdesk::documents::SigningDate::Filled,
    };
    let open = store.get::<MediationCase>(case.meta.id).unwrap().unwrap();
    assert!(matches!(
        stationdesk::documents::agreement_docx(&open, &context),
        Err(stationdesk::documents::DocumentError::NoAgreement)
    ));
    let concluded = store
        .case_event(case.meta.id, agreement(day(2026, 11, 10)))
        .unwrap();
    let dir = stationdesk::documents::documents_dir(&fx.path);
    let path = stationdesk::documents::write_agreement(&concluded, &context, &dir).unwrap();
    assert!(path.starts_with(fx.dir.path().join("documents")));
    let bytes = std::fs::read(&path).unwrap();
    let text = stationdesk::documents::docx_text(&bytes).unwrap();
    let all = text.join("\n");
    for expected in [
        "人民调解协议书",
        "编号：QX01-2026-001",
        "申请人：刘志强，公民身份号码：11010519491231002X，联系方式：13900001111",
        "被申请人：陈海",
        "第三人：宏达装修公司",
        "楼上装修导致楼下天花板开裂",
        "多次协商未果",
        "一、陈海负责修复天花板",
        "二、陈海补偿刘志强人民币3000元",
        "履行方式：现金一次性支付",
        "履行期限：2026年12月10日前",
        "司法确认",
        "调解员",
        "王建国",
        "刘志强（签名或盖章、按指印）",
        "王建国（签名）",
        "青溪镇人民调解委员会（盖章）",
        "2026年11月10日",
        "涉及金额：3000元",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    // One copy for each of the three parties and one for the station, each with its holder.
    let titles = text.iter().filter(|p| *p == "人民调解协议书").count();
    assert_eq!(titles, 4);
    assert!(all.contains("本协议一式四份"));
    assert!(all.contains("（申请人刘志强存）"));
    assert!(all.contains("（被申请人陈海存）"));
    assert!(all.contains("（人民调解委员会存档）"));
    assert!(
        !all.contains("工作站（盖章）"),
        "the seal is the committee's"
    );
    // Left blank, the date is written by hand; with no committee set, its name too.
    let blank = stationdesk::documents::AgreementContext {
        committee: "",
        date: stationdesk::documents::SigningDate::Blank,
        ..context
    };
    let text = stationdesk::documents::docx_text(
        &stationdesk::documents::agreement_docx(&concluded, &blank).unwrap(),
    )
    .unwrap()
    .join("\n");
    assert!(text.contains("____________人民调解委员会（盖章）"));
    assert!(text.contains("        年    月    日"));
    assert!(!text.contains("2026年11月10日"));
}

#[test]
fn follow_up_and_judicial_confirmation_are_recorded() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let case = store
        .register_case(&dispute(day(2026, 10, 1), wang), None)
        .unwrap();
    store
        .case_event(case.meta.id, session(day(2026, 10, 3), "调解"))
        .unwrap();
    store
        .case_event(case.meta.id, agreement(day(2026, 10, 5)))
        .unwrap();
    store
        .case_event(
            case.meta.id,
            CaseEvent::Judicial(stationdesk::domain::case::JudicialConfirmation {
                applied: true,
                on: Some(day(2026, 10, 20)),
            }),
        )
        .unwrap();
    let followed = store
        .case_event(
            case.meta.id,
            CaseEvent::FollowUp(CaseFollowUp {
                on: day(2026, 11, 5),
                fulfilment: Some(Fulfilment::Fulfilled),
                note: "已修复，款已付清".into(),
                next_on: None,
            }),
        )
        .unwrap();
    assert_eq!(followed.state, CaseState::FollowedUp);
    assert!(followed.judicial.as_ref().unwrap().applied);
    let archived = store.case_event(case.meta.id, CaseEvent::Archive).unwrap();
    assert_eq!(archived.state, CaseState::Archived);
    assert_eq!(archived.fulfilment(), Some(Fulfilment::Fulfilled));
}

#[test]
fn a_visit_handed_over_to_a_case_is_never_overdue_and_closes_from_its_outcome() {
    use stationdesk::store::{DueFilter, IntakeFilter};
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let wang = mediator(&mut store, "王建国");
    let intake = store
        .add_intake(&IntakeFields {
            visited_at: day(2026, 10, 2).and_hms_opt(9, 30, 0).unwrap(),
            visitor_name: "刘志强".into(),
            visitors: 1,
            category: "邻里纠纷".into(),
            request: "楼上装修把我家天花板弄裂了".into(),
            ..IntakeFields::default()
        })
        .unwrap();
    let mut fields = CaseFields::from_intake(&intake, "邻里纠纷", day(2026, 10, 2));
    fields.parties[1].name = "陈海".into();
    fields.mediators = vec![wang];
    let case = store.register_case(&fields, Some(intake.meta.id)).unwrap();
    // Long after its reply date, the handed-over visit owes nothing and is in no overdue list.
    let today = day(2026, 11, 30);
    let visit = store
        .get::<stationdesk::domain::Intake>(intake.meta.id)
        .unwrap()
        .unwrap();
    assert!(visit.is_handed_over());
    assert_eq!(visit.due(), None);
    assert!(!visit.is_overdue(today));
    for due in [DueFilter::Overdue, DueFilter::Urgent] {
        let filter = IntakeFilter {
            due,
            ..IntakeFilter::default()
        };
        let listed = store.intakes_page(&filter, today, None, 50).unwrap();
        assert!(
            listed.iter().all(|l| l.intake.meta.id != intake.meta.id),
            "{due:?}"
        );
    }
    // Closing from the case is refused while it is being mediated, and changes nothing.
    let refused = store.close_visit_from_case(
        intake.meta.id,
        today,
        &stationdesk::messages::handover_reply,
    );
    assert!(matches!(
        refused,
        Err(stationdesk::store::StoreError::CaseNotConcluded(_))
    ));
    store
        .case_event(case.meta.id, session(day(2026, 10, 5), "调解"))
        .unwrap();
    store
        .case_event(case.meta.id, agreement(day(2026, 10, 8)))
        .unwrap();
    // Concluded: one step answers the visitor from the outcome and closes the visit.
    let closed = store
        .close_visit_from_case(
            intake.meta.id,
            today,
            &stationdesk::messages::handover_reply,
        )
        .unwrap();
    assert_eq!(closed.state, stationdesk::domain::IntakeState::Closed);
    let feedback = closed.feedback.clone().unwrap();
    assert!(feedback.text.contains(&case.case_no), "{}", feedback.text);
    assert!(feedback.text.contains("调解成功"), "{}", feedback.text);
    assert_eq!(closed.due(), None);
}

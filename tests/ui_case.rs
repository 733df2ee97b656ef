//! The mediation screens in the TestBackend, in both languages, driven by keys: the list, the
//! case form, the detail view, turning a visit into a case, and writing the agreement.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::screen::{ctrl, key, morning, snapshot, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseSource, CaseState, MediationCase, Outcome, Party, PartyRole, Session,
};
use stationdesk::domain::{Intake, IntakeFields, IntakeState};
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::cases::CasesState;
use uuid::Uuid;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

/// The history shows when each change was written (the real clock): masked for snapshots.
fn scrub_times(screen: &str) -> String {
    screen
        .lines()
        .map(|line| match line.find("  李秀兰  ") {
            Some(at) if at >= 16 && line.is_char_boundary(at - 16) => {
                format!("{}YYYY-MM-DD hh:mm{}", &line[..at - 16], &line[at..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn fields(received: NaiveDate, mediator: Uuid, applicant: &str, respondent: &str) -> CaseFields {
    CaseFields {
        received_on: received,
        source: CaseSource::WalkIn,
        dispute_type: "邻里纠纷".into(),
        parties: vec![
            Party {
                role: PartyRole::Applicant,
                name: applicant.into(),
                contact: "13900001111".into(),
                id_number: "11010519491231002X".into(),
            },
            Party {
                role: PartyRole::Respondent,
                name: respondent.into(),
                ..Party::default()
            },
        ],
        facts: "楼上装修导致楼下天花板开裂".into(),
        mediators: vec![mediator],
        ..CaseFields::default()
    }
}

/// A station with a mediator, three cases (one overdue, one with an agreement) and a visit.
fn desk(fx: &common::Fixture, language: Language) -> (App, Uuid) {
    let mut store = fx.station();
    let mut wang = common::member("王建国");
    wang.mediator = true;
    let wang = store.add_member(&wang).unwrap().meta.id;
    store
        .register_case(&fields(day(9, 1), wang, "刘志强", "陈海"), None)
        .unwrap();
    let mut police = fields(day(11, 18), wang, "马军", "赵磊");
    police.source = CaseSource::Police;
    police.referring_unit = "青溪派出所".into();
    police.referral_no = "警调字〔2026〕18号".into();
    police.dispute_type = "损害赔偿".into();
    police.facts = "停车位争执引发肢体冲突".into();
    let agreed = store.register_case(&police, None).unwrap();
    store
        .case_event(
            agreed.meta.id,
            CaseEvent::RecordSession(Session {
                on: day(11, 19),
                place: "青溪派出所调解室".into(),
                attendees: "马军、赵磊".into(),
                notes: "双方认错，愿意协商".into(),
            }),
        )
        .unwrap();
    store
        .case_event(
            agreed.meta.id,
            CaseEvent::Conclude {
                on: day(11, 20),
                outcome: Outcome::Success {
                    terms: "赵磊赔偿马军医药费2500元".into(),
                    method: "当场支付".into(),
                    deadline: day(11, 30),
                },
            },
        )
        .unwrap();
    store
        .add_intake(&IntakeFields {
            visited_at: day(11, 23).and_hms_opt(9, 0, 0).unwrap(),
            visitor_name: "孙建华".into(),
            phone: "13700002222".into(),
            visitors: 1,
            category: "邻里纠纷".into(),
            request: "楼上装修把我家天花板弄裂了，协商不成".into(),
            address: "幸福里小区".into(),
            member_id: Some(wang),
            ..IntakeFields::default()
        })
        .unwrap();
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(120, 40);
    app.sign_in(wang, "王建国");
    (app, wang)
}

#[test]
fn the_case_list_in_both_languages() {
    for (language, name) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let fx = common::Fixture::new();
        let (mut app, _) = desk(&fx, language);
        app.handle_key(key(KeyCode::Char('c')));
        assert!(app.screen_is::<CasesState>());
        let screen = render(&app, 120, 40);
        snapshot(&format!("case_list_{name}"), &screen);
        // The overdue-only view keeps the September case.
        app.handle_key(key(KeyCode::F(5)));
        let screen = render(&app, 120, 40);
        assert!(screen.contains("QX01-2026-001"));
        assert!(!screen.contains("QX01-2026-002"));
    }
}

#[test]
fn the_detail_view_shows_sessions_outcome_and_keys() {
    for (language, name) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let fx = common::Fixture::new();
        let (mut app, _) = desk(&fx, language);
        app.handle_key(key(KeyCode::Char('c')));
        app.handle_key(key(KeyCode::Enter));
        let screen = scrub_times(&render(&app, 120, 40));
        snapshot(&format!("case_detail_{name}"), &screen);
    }
}

#[test]
fn registering_a_case_by_keys_with_a_validation_message() {
    let fx = common::Fixture::new();
    let (mut app, _) = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('c')));
    app.handle_key(key(KeyCode::Insert));
    assert!(app
        .layer::<stationdesk::tui::screens::case_form::CaseForm>()
        .is_some());
    // Saving the empty form marks what is missing.
    app.handle_key(ctrl('s'));
    let screen = render(&app, 120, 40);
    snapshot("case_form_errors_zh", &screen);
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("dispute_type");
    type_text(&mut app, "wy");
    app.handle_key(key(KeyCode::Enter));
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("party1_name");
    type_text(&mut app, "周海涛");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("party2_name");
    type_text(&mut app, "幸福里物业公司");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("facts");
    type_text(&mut app, "电梯长期故障，业主拒交物业费");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("amount");
    type_text(&mut app, "１２００元");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("mediator1");
    type_text(&mut app, "wjg");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::case_form::CaseForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let detail = app
        .layer::<stationdesk::tui::screens::case_detail::CaseDetail>()
        .unwrap();
    assert_eq!(detail.case.case_no, "QX01-2026-003");
    assert_eq!(detail.case.fields.dispute_type, "物业纠纷");
    assert_eq!(detail.case.fields.amount_fen, Some(120_000));
    assert_eq!(detail.case.fields.parties[1].name, "幸福里物业公司");
    assert!(app.message.as_ref().unwrap().text.contains("QX01-2026-003"));
}

#[test]
fn a_visit_becomes_a_case_and_ends_in_a_written_agreement() {
    let fx = common::Fixture::new();
    let (mut app, wang) = desk(&fx, Language::Chinese);
    // The visit list, the visit, 7: to mediation.
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(key(KeyCode::Enter));
    let intake = app
        .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
        .unwrap()
        .intake
        .clone();
    assert_eq!(intake.fields.visitor_name, "孙建华");
    app.handle_key(key(KeyCode::Char('7')));
    let form = app
        .layer::<stationdesk::tui::screens::case_form::CaseForm>()
        .expect("the case form opens");
    assert_eq!(form.form.value("party1_name"), "孙建华");
    assert_eq!(form.form.value("mediator1"), wang.to_string());
    let screen = render(&app, 120, 40);
    snapshot("case_form_from_intake_zh", &screen);
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("dispute_type");
    type_text(&mut app, "邻里");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseForm>()
        .unwrap();
    form.form.focus_field("party2_name");
    type_text(&mut app, "钱卫东");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::case_form::CaseForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let case = app
        .layer::<stationdesk::tui::screens::case_detail::CaseDetail>()
        .unwrap()
        .case
        .clone();
    assert_eq!(case.links[0].id, intake.meta.id);
    let stored = app
        .desk
        .store
        .get::<Intake>(intake.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.state, IntakeState::InProgress);
    // 1: a session.
    app.handle_key(key(KeyCode::Char('1')));
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .unwrap();
    form.form.focus_field("notes");
    type_text(&mut app, "双方到场，钱卫东同意修复");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::case_form::CaseEventForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    // 3: conclude. An outcome filter that matches nothing chooses nothing: Ctrl-S refuses
    // and says the outcome is missing, and the case is unchanged.
    app.handle_key(key(KeyCode::Char('3')));
    type_text(&mut app, "cg");
    assert!(render(&app, 120, 40).contains("（无匹配项）"));
    app.handle_key(ctrl('s'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("! 必填"), "{screen}");
    assert!(!screen.contains("确定结案吗"), "{screen}");
    let unchanged = app
        .desk
        .store
        .get::<MediationCase>(case.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.state, CaseState::Mediating);
    assert!(unchanged.outcome.is_none());
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .unwrap();
    assert_eq!(form.form.value("result"), "");
    for _ in 0..2 {
        form.form.input(key(KeyCode::Backspace));
    }
    assert_eq!(form.form.value("result"), "success");
    // With an agreement; without a deadline it says so.
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .unwrap();
    form.form.focus_field("terms");
    type_text(&mut app, "钱卫东十日内修复天花板并补偿3000元");
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .unwrap();
    form.form.focus_field("method");
    type_text(&mut app, "现金");
    app.handle_key(ctrl('s'));
    let screen = render(&app, 120, 40);
    snapshot("case_conclude_missing_deadline_zh", &screen);
    let form = app
        .layer_mut::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .unwrap();
    form.form.focus_field("deadline");
    type_text(&mut app, "2026-12-23");
    // Concluding says what it records and asks once.
    app.handle_key(ctrl('s'));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("将记录：结案，结果「调解成功」"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::Char('y')));
    assert!(
        app.layer::<stationdesk::tui::screens::case_form::CaseEventForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let concluded = &app
        .layer::<stationdesk::tui::screens::case_detail::CaseDetail>()
        .unwrap()
        .case;
    assert_eq!(concluded.state, CaseState::Concluded);
    // w: the agreement.
    // It asks how the date under the seal is written; y prints the conclusion date.
    app.handle_key(key(KeyCode::Char('w')));
    assert_eq!(app.popups(), 1);
    app.handle_key(key(KeyCode::Char('y')));
    let message = app.message.clone().unwrap();
    assert!(!message.error, "{}", message.text);
    let path = fx
        .dir
        .path()
        .join("documents")
        .join(format!("人民调解协议书-{}.docx", case.case_no));
    let text = stationdesk::documents::docx_text(&std::fs::read(&path).unwrap()).unwrap();
    assert!(text.iter().any(|p| p.contains("钱卫东十日内修复天花板")));
    // The popup after writing offers to open or print it; Esc closes it.
    assert!(app
        .top_layer()
        .is_some_and(|l| l
            .as_any()
            .is::<stationdesk::tui::screens::documents::DocumentReady>()));
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.popups(), 0);
    // 6 is refused before the follow-up: the message says why, nothing changes.
    app.handle_key(key(KeyCode::Char('6')));
    assert!(app.message.as_ref().unwrap().error);
    let stored = app
        .desk
        .store
        .get::<MediationCase>(case.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(stored.state, CaseState::Concluded);
}

#[test]
fn control_characters_in_a_party_name_never_reach_the_terminal() {
    let fx = common::Fixture::new();
    let (mut app, wang) = desk(&fx, Language::Chinese);
    // As if imported: the store keeps what validation left, here written around it.
    let case = app
        .desk
        .store
        .register_case(&fields(day(11, 21), wang, "张三", "李四"), None)
        .unwrap();
    let mut hostile = case.clone();
    hostile.fields.parties[1].name = "李四\u{1b}[2J".into();
    app.desk.store.update(&hostile).unwrap();
    app.handle_key(key(KeyCode::Char('c')));
    let screen = render(&app, 120, 40);
    assert!(!screen.contains('\u{1b}'));
    assert!(screen.contains("李四^[[2J"));
}

#[test]
fn the_case_form_is_in_sections_moved_between_with_one_key() {
    for (language, (w, h), lang) in [
        (Language::Chinese, (80, 24), "zh"),
        (Language::English, (120, 40), "en"),
        (Language::Chinese, (120, 40), "zh"),
        (Language::English, (80, 24), "en"),
    ] {
        let fx = common::Fixture::new();
        let (mut app, _) = desk(&fx, language);
        app.resize(w, h);
        app.handle_key(key(KeyCode::Char('c')));
        app.handle_key(key(KeyCode::Insert));
        let titles = if language == Language::Chinese {
            ["1 案件", "2 当事人", "3 纠纷", "4 调解员"]
        } else {
            ["1 Case", "2 Parties", "3 Dispute", "4 Mediators"]
        };
        // Each PgDn shows the next section alone, its title marked; PgUp goes back.
        let mut seen = Vec::new();
        for (index, _) in titles.iter().enumerate() {
            let screen = common::screen::render(&app, w, h).0;
            for title in titles {
                assert!(screen.contains(title), "{w}×{h}: {title} in\n{screen}");
            }
            let form = &app
                .layer::<stationdesk::tui::screens::case_form::CaseForm>()
                .unwrap()
                .form;
            let (current, fields) = form.section().unwrap();
            assert_eq!(current, index);
            // Every field of this section is on screen (at 80×24, its first eight).
            for (at, field) in form.fields.iter().enumerate() {
                let label = &field.label;
                if fields.contains(&at) && (h > 24 || at < fields.start + 8) {
                    assert!(screen.contains(label.as_str()), "{label} in\n{screen}");
                }
            }
            snapshot(
                &format!("case_form_section{}_{lang}_{w}x{h}", index + 1),
                &screen,
            );
            seen.push(fields);
            app.handle_key(key(KeyCode::PageDown));
        }
        // The sections cover every field once.
        let covered: usize = seen.iter().map(|r| r.len()).sum();
        let form = &app
            .layer::<stationdesk::tui::screens::case_form::CaseForm>()
            .unwrap()
            .form;
        assert_eq!(covered, form.fields.len());
        assert_eq!(
            form.section().unwrap().0,
            0,
            "PgDn after the last goes round"
        );
        app.handle_key(key(KeyCode::PageUp));
        let form = &app
            .layer::<stationdesk::tui::screens::case_form::CaseForm>()
            .unwrap()
            .form;
        assert_eq!(form.section().unwrap().0, 3);
    }
}

#[test]
fn a_case_step_the_state_refuses_is_refused_before_its_form_opens() {
    let fx = common::Fixture::new();
    let (mut app, _) = desk(&fx, Language::Chinese);
    // The accepted case (no session yet): a follow-up cannot come before a conclusion.
    app.handle_key(key(KeyCode::Char('/')));
    type_text(&mut app, "刘志强");
    app.handle_key(key(KeyCode::Enter));
    let case = app
        .layer::<stationdesk::tui::screens::case_detail::CaseDetail>()
        .expect("the case is open")
        .case
        .clone();
    assert_eq!(case.state, CaseState::Accepted);
    app.handle_key(key(KeyCode::Char('4')));
    assert!(app
        .layer::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .is_none());
    let message = app.message.clone().unwrap();
    assert!(message.error);
    assert!(
        message.text.contains("还不能「回访」") && message.text.contains("先按 1 "),
        "{}",
        message.text
    );
    // A step the state allows opens its form.
    app.handle_key(key(KeyCode::Char('1')));
    assert!(app
        .layer::<stationdesk::tui::screens::case_form::CaseEventForm>()
        .is_some());
}

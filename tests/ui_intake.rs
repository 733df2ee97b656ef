//! The intake screens and the search box in the TestBackend, in both languages, driven by keys.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{ctrl, key, morning, snapshot, type_text};

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use stationdesk::domain::{IntakeEvent, IntakeFields, IntakeState};
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::intakes::IntakesState;
use stationdesk::tui::screens::members::MembersState;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn visit(name: &str, category: &str, request: &str, on: NaiveDate) -> IntakeFields {
    IntakeFields {
        visited_at: on.and_hms_opt(10, 0, 0).unwrap(),
        visitor_name: name.into(),
        visitors: 1,
        category: category.into(),
        request: request.into(),
        address: "幸福里小区".into(),
        ..IntakeFields::default()
    }
}

/// A station with members and four visits in different states.
fn desk(fx: &common::Fixture, language: Language, size: (u16, u16)) -> App {
    let mut store = fx.station();
    let lee = store.add_member(&common::member("李秀兰")).unwrap();
    let mut first = visit(
        "王大爷",
        "交通出行/停车",
        "小区院子围起来以后没地方停车",
        day(11, 1),
    );
    first.phone = "13900001111".into();
    first.id_number = "11010519491231002X".into();
    first.member_id = Some(lee.meta.id);
    store.add_intake(&first).unwrap(); // reply due 11-16: overdue
    store
        .add_intake(&visit("", "物业管理", "电梯坏了一个多月没人修", day(11, 8)))
        .unwrap(); // due 11-23: due today
    let answered = store
        .add_intake(&visit(
            "刘阿姨",
            "民生保障",
            "家门口的路灯坏了",
            day(11, 20),
        ))
        .unwrap();
    store
        .intake_event(
            answered.meta.id,
            IntakeEvent::AnswerOnTheSpot {
                answer: "已联系路灯所".into(),
                on: day(11, 20),
            },
        )
        .unwrap();
    store
        .add_intake(&visit(
            "孙先生",
            "邻里纠纷",
            "楼上装修把天花板弄裂了",
            day(11, 22),
        ))
        .unwrap();
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(size.0, size.1);
    common::screen::on_duty(&mut app);
    app
}

#[test]
fn the_intake_list_in_both_languages() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "intakes_zh_80x24"),
        (Language::English, (120, 40), "intakes_en_120x40"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('v')));
        assert!(app.screen_is::<IntakesState>());
        let screen = render(&app, w, h);
        assert!(
            !screen.contains("11010519491231002X"),
            "no ID number in the list"
        );
        snapshot(name, &screen);
        // F5: only what is overdue or due today.
        app.handle_key(key(KeyCode::F(5)));
        assert_eq!(app.layer::<IntakesState>().unwrap().total, 2);
    }
}

#[test]
fn the_home_screen_counts_what_is_owed() {
    let fx = common::Fixture::new();
    let app = desk(&fx, Language::Chinese, (80, 24));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("逾期未办 1 件"), "{screen}");
    assert!(screen.contains("今日到期 1 件"), "{screen}");
}

#[test]
fn quick_entry_category_request_save_is_a_few_keys() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    let mut keys = 0;
    let mut press = |app: &mut App, k: KeyEvent| {
        keys += 1;
        app.handle_key(k);
    };
    press(&mut app, key(KeyCode::F(3)));
    // Chinese arrives from the IME as committed characters: count each as one key.
    for c in "停车".chars() {
        press(&mut app, key(KeyCode::Char(c)));
    }
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "晚上回来没有车位");
    press(&mut app, ctrl('s'));
    assert_eq!(
        keys, 5,
        "F3, the category filter, Tab, (the request), Ctrl-S"
    );
    assert!(
        app.layer::<stationdesk::tui::screens::intake_form::IntakeForm>()
            .is_none(),
        "saved"
    );
    assert!(app.screen_is::<IntakesState>());
    let newest = app.layer::<IntakesState>().unwrap().selected().unwrap();
    assert_eq!(newest.fields.category, "交通出行/停车");
    assert_eq!(newest.fields.request, "晚上回来没有车位");
    assert_eq!(newest.state, IntakeState::Registered);
    assert_eq!(newest.reply_due, day(12, 8));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("已登记，2026-12-08 前答复"), "{screen}");
}

#[test]
fn the_form_shows_returning_visitors_and_the_same_place() {
    for (language, (w, h), name, returning) in [
        (
            Language::Chinese,
            (80, 24),
            "intake_form_zh_80x24",
            "重复来访",
        ),
        (
            Language::English,
            (120, 40),
            "intake_form_en_120x40",
            "Returning visitor",
        ),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::F(3)));
        type_text(&mut app, "停车");
        app.handle_key(key(KeyCode::Tab));
        type_text(&mut app, "还是没地方停车");
        app.handle_key(key(KeyCode::Tab));
        app.handle_key(key(KeyCode::Tab));
        type_text(&mut app, "13900001111");
        for _ in 0..3 {
            app.handle_key(key(KeyCode::Tab));
        }
        type_text(&mut app, "幸福里小区");
        let form = app
            .layer::<stationdesk::tui::screens::intake_form::IntakeForm>()
            .unwrap();
        assert_eq!(form.returning.len(), 1);
        assert_eq!(form.same_place, 1);
        let screen = render(&app, w, h);
        assert!(screen.contains(returning), "{screen}");
        snapshot(name, &screen);
    }
}

#[test]
fn the_detail_shows_everything_and_the_loop_runs_from_it() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (120, 40));
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(key(KeyCode::End));
    app.handle_key(key(KeyCode::Enter));
    let detail = render(&app, 120, 40);
    assert!(detail.contains("王大爷"), "{detail}");
    assert!(
        detail.contains("11010519491231002X"),
        "the detail view shows the ID number"
    );
    assert!(detail.contains("逾期"), "{detail}");
    assert!(detail.contains("办理记录"), "{detail}");
    // Closing a registered visit is refused before anything opens, naming what can be done.
    app.handle_key(key(KeyCode::Char('5')));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("还不能「办结」；先按 1 当场答复 或 2 转交部门 或 7"),
        "{screen}"
    );
    // So is feedback: no form opens for a step the state refuses.
    app.handle_key(key(KeyCode::Char('3')));
    assert!(app
        .layer::<stationdesk::tui::screens::intake_form::EventForm>()
        .is_none());
    assert!(render(&app, 120, 40).contains("还不能「答复反馈」"));
    // Refer, feedback, follow-up, close.
    app.handle_key(key(KeyCode::Char('2')));
    type_text(&mut app, "街道城管科");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('3')));
    type_text(&mut app, "已协调学校夜间共享车位");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('4')));
    app.handle_key(ctrl('s'));
    // Closing says what it records and asks once; N leaves the visit as it was.
    app.handle_key(key(KeyCode::Char('5')));
    assert!(render(&app, 120, 40).contains("确定办结吗"));
    app.handle_key(key(KeyCode::Char('n')));
    let open = &app
        .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
        .unwrap()
        .intake;
    assert_eq!(open.state, IntakeState::FollowedUp);
    app.handle_key(key(KeyCode::Char('5')));
    app.handle_key(key(KeyCode::Char('y')));
    let intake = &app
        .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
        .unwrap()
        .intake;
    assert_eq!(intake.state, IntakeState::Closed);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("已办结"), "{screen}");
    assert!(
        screen.contains("已回访 -> 已办结"),
        "the history shows each step:\n{screen}"
    );
    // Each step is named in the history as the step taken.
    for step in ["转交部门", "答复反馈", "回访", "办结"] {
        assert!(
            screen.lines().any(|l| l.contains(&format!("  {step}  "))),
            "{step} in the history:\n{screen}"
        );
    }
}

#[test]
fn the_search_box_groups_results_and_opens_them() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "search_zh_80x24"),
        (Language::English, (120, 40), "search_en_120x40"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('/')));
        type_text(&mut app, "坏");
        let screen = render(&app, w, h);
        snapshot(name, &screen);
        app.handle_key(key(KeyCode::Enter));
        let detail = app
            .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
            .expect("Enter opens the visit");
        assert!(detail.intake.fields.request.contains('坏'));
    }
    // Members by pinyin, from a list screen with Ctrl-F.
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(ctrl('f'));
    type_text(&mut app, "lxl");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("委员") && screen.contains("李秀兰"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::Enter));
    assert!(app.screen_is::<MembersState>());
    assert!(
        app.layer::<stationdesk::tui::screens::member_form::MemberForm>()
            .is_some(),
        "the member opens in its form"
    );
}

#[test]
fn the_filter_form_narrows_the_list() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('v')));
    assert_eq!(app.layer::<IntakesState>().unwrap().total, 4);
    app.handle_key(key(KeyCode::F(4)));
    type_text(&mut app, "已答");
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::intake_form::FilterForm>()
        .is_none());
    assert_eq!(app.layer::<IntakesState>().unwrap().total, 1);
    assert_eq!(
        app.layer::<IntakesState>()
            .unwrap()
            .selected()
            .unwrap()
            .fields
            .visitor_name,
        "刘阿姨"
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("范围：已答复"), "{screen}");
}

#[test]
fn reply_and_follow_up_periods_are_settings() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('g')));
    app.handle_key(key(KeyCode::Tab));
    app.handle_key(key(KeyCode::Tab));
    for _ in 0..3 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "10");
    app.handle_key(key(KeyCode::Tab));
    app.handle_key(key(KeyCode::Backspace));
    type_text(&mut app, "0");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::settings::SettingsForm>()
            .is_some(),
        "0 days is refused"
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("1 到 365"), "{screen}");
    app.handle_key(key(KeyCode::Backspace));
    type_text(&mut app, "3");
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::settings::SettingsForm>()
        .is_none());
    let policy = app.desk.store.due_policy().unwrap();
    assert_eq!((policy.reply_days, policy.follow_up_days), (10, 3));
    // A new visit now gets ten days.
    app.handle_key(key(KeyCode::F(3)));
    type_text(&mut app, "教育");
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "孩子上学路上没有人行横道");
    app.handle_key(ctrl('s'));
    assert_eq!(
        app.layer::<IntakesState>()
            .unwrap()
            .selected()
            .unwrap()
            .reply_due,
        day(12, 3)
    );
}

#[test]
fn editing_a_visit_keeps_the_id_number_masked() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (120, 40));
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(key(KeyCode::End));
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::F(2)));
    let screen = render(&app, 120, 40);
    assert!(!screen.contains("11010519491231002X"), "{screen}");
    assert!(screen.contains("110105********002X"), "{screen}");
    // Change something else and save: the stored ID number is kept.
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "，晚上更严重");
    app.handle_key(ctrl('s'));
    let intake = &app
        .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
        .unwrap()
        .intake;
    assert_eq!(intake.fields.id_number, "11010519491231002X");
    assert!(intake.fields.request.ends_with("晚上更严重"));
}

/// The stack of layers, driven by keys: a visit, a step's form above it, help and questions
/// above that; keys, the key bar and "unsaved changes?" always go to the top.
#[test]
fn layers_stack_in_the_order_they_were_opened() {
    use stationdesk::tui::keymap::KeyContext;
    use stationdesk::tui::screens::intake_detail::IntakeDetail;
    use stationdesk::tui::screens::intake_form::EventForm;
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (120, 40));
    app.handle_key(key(KeyCode::Char('v')));
    assert_eq!(app.depth(), 0, "a list is the base screen, not a layer");
    app.handle_key(key(KeyCode::End));
    app.handle_key(key(KeyCode::Enter));
    assert!(app.top_is::<IntakeDetail>());
    app.handle_key(key(KeyCode::Char('2')));
    assert!(
        app.top_is::<EventForm>(),
        "the referral form opens above the visit"
    );
    assert_eq!(app.depth(), 2);
    type_text(&mut app, "街道城管科");
    let form_context = app.context();
    // Help is about the form on top, and closes back to it.
    app.handle_key(key(KeyCode::F(1)));
    assert_eq!(app.context(), KeyContext::Help);
    let help = render(&app, 120, 40);
    assert!(help.contains("保存"), "{help}");
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.context(), form_context);
    // Quitting asks because the form holds unsaved text; "no" keeps everything.
    app.handle_key(key(KeyCode::F(10)));
    assert_eq!(app.context(), KeyContext::Confirm);
    app.handle_key(key(KeyCode::Char('n')));
    assert!(!app.quit);
    assert!(app.top_is::<EventForm>());
    // Esc on the form asks too; "yes" closes the form, and the visit beneath is on top again.
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.popups(), 1);
    app.handle_key(key(KeyCode::Char('y')));
    assert!(app.top_is::<IntakeDetail>());
    assert_eq!(app.context(), KeyContext::IntakeDetail);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("王大爷"), "{screen}");
    // Saving a step's form shows the visit as it is stored now, in the same place.
    app.handle_key(key(KeyCode::Char('2')));
    type_text(&mut app, "街道城管科");
    app.handle_key(ctrl('s'));
    assert_eq!(app.depth(), 1, "the form closed, one visit stays open");
    let detail = app.layer::<IntakeDetail>().unwrap();
    assert_eq!(detail.intake.state, IntakeState::InProgress);
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.depth(), 0);
    assert_eq!(app.context(), KeyContext::IntakeList);
}

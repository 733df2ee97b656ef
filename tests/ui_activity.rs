//! Members' activities (履职活动) in the TestBackend, driven by keys: the list from the home
//! screen, a proposal recorded through the form with its members typed by name, refused fields
//! named, the saved activity in full, edited and deleted; snapshots in Chinese and English.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{ctrl, key, morning, snapshot, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::activity::Activity;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::keymap::KeyContext;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

fn desk(fx: &common::Fixture, language: Language) -> App {
    let mut store = fx.station();
    for name in ["李秀兰", "王建国", "张明"] {
        store.add_member(&common::member(name)).unwrap();
    }
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(100, 30);
    common::screen::on_duty(&mut app);
    app
}

fn activities(app: &App) -> Vec<Activity> {
    app.desk.store.activities(100).unwrap()
}

/// Moves the form's focus to the field whose label starts the focused line.
fn next(app: &mut App, times: usize) {
    for _ in 0..times {
        app.handle_key(key(KeyCode::Tab));
    }
}

#[test]
fn a_proposal_is_recorded_shown_edited_and_deleted_by_keys() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('a')));
    assert_eq!(app.context(), KeyContext::ActivityList);
    let empty = render(&app, 100, 30);
    assert!(empty.contains("还没有履职活动"), "{empty}");
    assert!(empty.contains("F2"), "the keys are shown: {empty}");

    app.handle_key(key(KeyCode::F(2)));
    // Date (today), then the kind: 提案 is the first of the list.
    next(&mut app, 2);
    type_text(&mut app, "关于加装电梯的提案");
    next(&mut app, 1);
    // The signed-in member is already named; a second member by name, one that does not exist.
    type_text(&mut app, "\n王建国\n赵无名");
    app.handle_key(ctrl('s'));
    let refused = render(&app, 100, 30);
    assert!(
        refused.contains("赵无名"),
        "the unknown name is said: {refused}"
    );
    assert!(activities(&app).is_empty());
    for _ in 0..4 {
        app.handle_key(key(KeyCode::Backspace));
    }
    next(&mut app, 2);
    type_text(&mut app, "县政协〔2026〕18号");
    next(&mut app, 1);
    app.handle_key(key(KeyCode::Char(' ')));
    app.handle_key(ctrl('s'));

    let saved = activities(&app);
    assert_eq!(saved.len(), 1, "{}", render(&app, 100, 30));
    let a = &saved[0];
    assert_eq!(a.kind, "提案");
    assert_eq!(a.title, "关于加装电梯的提案");
    assert_eq!(a.members.len(), 2);
    let proposal = a.proposal.clone().unwrap();
    assert_eq!(proposal.number, "县政协〔2026〕18号");
    assert!(proposal.filed && !proposal.answered);
    assert_eq!(app.context(), KeyContext::ActivityDetail);
    let detail = render(&app, 100, 30);
    snapshot(
        "activity_detail_zh",
        &detail
            .lines()
            .take_while(|l| !l.contains("办理记录"))
            .collect::<Vec<_>>()
            .join("\n"),
    );

    // F2 edits: the title changes, the history says so.
    app.handle_key(key(KeyCode::F(2)));
    next(&mut app, 2);
    type_text(&mut app, "（修改）");
    app.handle_key(ctrl('s'));
    assert_eq!(activities(&app)[0].title, "关于加装电梯的提案（修改）");
    assert_eq!(app.desk.store.history(a.meta.id).unwrap().len(), 2);

    // Back on the list, the activity is listed; Enter opens it; Delete asks, y deletes.
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.context(), KeyContext::ActivityList);
    let list = render(&app, 100, 30);
    assert!(list.contains("关于加装电梯的提案（修改）"), "{list}");
    assert!(list.contains("李秀兰、王建国"), "{list}");
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Delete));
    app.handle_key(key(KeyCode::Char('y')));
    assert!(activities(&app).is_empty());
    assert_eq!(app.context(), KeyContext::ActivityList);
    assert!(render(&app, 100, 30).contains("还没有履职活动"));
}

#[test]
fn the_list_in_english_shows_the_demo_year() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run_as_of(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 5,
            records: 20,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        &mut |_, _| {},
    )
    .unwrap();
    let mut app = App::new(store, morning(), Some(Language::English)).unwrap();
    app.resize(100, 30);
    app.handle_key(key(KeyCode::Char('a')));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Activities ("), "{screen}");
    assert!(screen.contains("Kind"), "{screen}");
    snapshot("activity_list_en", &screen);
}

/// The date field reads the desk's date forms (昨天, 12-02, 20261202…), and a date that does
/// not read, or one in the future, is refused with what is wrong — never "必填".
#[test]
fn an_activity_takes_the_date_as_people_type_it() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('a')));
    let record = |app: &mut App, date: &str, title: &str| {
        app.handle_key(key(KeyCode::F(2)));
        // The date field opens with today: replace it.
        for _ in 0..12 {
            app.handle_key(key(KeyCode::Backspace));
        }
        type_text(app, date);
        next(app, 2);
        type_text(app, title);
        app.handle_key(ctrl('s'));
    };
    // morning() is Monday 2026-11-23.
    for (typed, day) in [
        ("昨天", "2026-11-22"),
        ("yesterday", "2026-11-22"),
        ("11-20", "2026-11-20"),
        ("20261119", "2026-11-19"),
        ("11月18日", "2026-11-18"),
    ] {
        record(&mut app, typed, &format!("视察 {typed}"));
        // Saved, its detail shows: back to the list.
        app.handle_key(key(KeyCode::Esc));
        let saved = activities(&app)
            .into_iter()
            .find(|a| a.title == format!("视察 {typed}"))
            .unwrap_or_else(|| panic!("{typed}: {}", render(&app, 100, 30)));
        assert_eq!(saved.on.to_string(), day, "{typed}");
    }
    let count = activities(&app).len();
    // Unreadable: says so and shows the forms read, not 必填.
    record(&mut app, "上周", "视察 上周");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("看不懂这个日期"), "{screen}");
    assert!(!screen.contains("必填"), "{screen}");
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('y')));
    // In the future: refused as such.
    record(&mut app, "明天", "视察 明天");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("不能晚于今天"), "{screen}");
    assert_eq!(activities(&app).len(), count);
}

//! One way a change reaches the desk: deleting a record of each kind from its screen, by keys,
//! changes every list on the stack that shows that kind and the home screen's figures, through
//! the one effect queue — and whatever showed the deleted record closes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{key, morning};
use crossterm::event::KeyCode;
use stationdesk::domain::roster::ShiftState;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::keymap::KeyContext;
use stationdesk::tui::screens::activities::{ActivityDetail, ActivityList};
use stationdesk::tui::screens::case_detail::CaseDetail;
use stationdesk::tui::screens::cases::CasesState;
use stationdesk::tui::screens::home::Home;
use stationdesk::tui::screens::intake_detail::IntakeDetail;
use stationdesk::tui::screens::intakes::IntakesState;
use stationdesk::tui::screens::member_record::MemberRecordView;
use stationdesk::tui::screens::members::MembersState;
use stationdesk::tui::screens::roster::{RosterState, RosterView};

fn demo_desk(fx: &common::Fixture) -> App {
    let mut store = fx.station();
    stationdesk::demo::run_as_of(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 8,
            members: 10,
            records: 600,
        },
        morning().date_naive(),
        &mut |_, _| {},
    )
    .unwrap();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(120, 40);
    common::screen::on_duty(&mut app);
    app
}

/// What the home screen shows: its counts, its dashboard and today's roster.
fn home(app: &App) -> String {
    let home = app
        .layer::<Home>()
        .expect("the home screen is the bottom layer");
    format!("{:?} {:?} {}", home.counts, home.dashboard, home.rostered)
}

/// Answers the delete question yes, after checking it was asked.
fn delete(app: &mut App) {
    app.handle_key(key(KeyCode::Delete));
    assert_eq!(app.context(), KeyContext::Confirm, "{:?}", app.message);
    app.handle_key(key(KeyCode::Char('y')));
    assert_eq!(app.popups(), 0);
}

#[test]
fn a_member_deleted_from_the_registry() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx);
    app.handle_key(key(KeyCode::Char('m')));
    let (total, home_before) = (app.layer::<MembersState>().unwrap().total, home(&app));
    let active = app.layer::<Home>().unwrap().counts.active_members;
    // The last member: not the one signed in.
    app.handle_key(key(KeyCode::End));
    delete(&mut app);
    assert_eq!(app.layer::<MembersState>().unwrap().total, total - 1);
    assert_eq!(
        app.layer::<Home>().unwrap().counts.active_members,
        active - 1
    );
    assert_ne!(home(&app), home_before);
}

#[test]
fn a_visit_deleted_from_its_screen_above_the_list() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx);
    app.handle_key(key(KeyCode::Char('v')));
    let (total, home_before) = (app.layer::<IntakesState>().unwrap().total, home(&app));
    // The newest visit, today's.
    app.handle_key(key(KeyCode::Enter));
    let id = app.layer::<IntakeDetail>().unwrap().intake.meta.id;
    delete(&mut app);
    assert!(
        app.layer::<IntakeDetail>().is_none(),
        "the deleted visit's screen closed"
    );
    assert!(app.top_is::<IntakesState>());
    let list = app.layer::<IntakesState>().unwrap();
    assert_eq!(list.total, total - 1);
    assert!(list.window.rows.iter().all(|l| l.intake.meta.id != id));
    assert_ne!(
        home(&app),
        home_before,
        "the home figures count one visit less"
    );
}

#[test]
fn a_case_deleted_from_its_screen_above_the_list() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx);
    app.handle_key(key(KeyCode::Char('c')));
    let (total, home_before) = (app.layer::<CasesState>().unwrap().total, home(&app));
    let open = app.layer::<Home>().unwrap().counts.open_cases;
    // The first case still being mediated.
    let first_open = app
        .layer::<CasesState>()
        .unwrap()
        .window
        .rows
        .iter()
        .position(|c| c.state.is_open())
        .expect("an open case in the demo");
    for _ in 0..first_open {
        app.handle_key(key(KeyCode::Down));
    }
    app.handle_key(key(KeyCode::Enter));
    assert!(app.top_is::<CaseDetail>());
    delete(&mut app);
    assert!(app.layer::<CaseDetail>().is_none());
    assert_eq!(app.layer::<CasesState>().unwrap().total, total - 1);
    assert_eq!(app.layer::<Home>().unwrap().counts.open_cases, open - 1);
    assert_ne!(home(&app), home_before);
}

/// The home screen counts no activity: the lists on the stack are a member's record and the
/// member's activities behind one of its figures.
#[test]
fn an_activity_deleted_from_its_screen_above_a_record_and_its_list() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx);
    app.handle_key(key(KeyCode::Char('m')));
    // The first member with activities this year: their record, on an activity figure.
    let mut found = false;
    for _ in 0..10 {
        app.handle_key(key(KeyCode::Enter));
        let record = &app.layer::<MemberRecordView>().unwrap().record;
        if record.figure("activity.all").unwrap_or(0) > 0 {
            found = true;
            break;
        }
        app.handle_key(key(KeyCode::Esc));
        app.handle_key(key(KeyCode::Down));
    }
    assert!(found, "a member with activities in the demo");
    for _ in 0..40 {
        let figure = app.layer::<MemberRecordView>().unwrap().figure();
        if figure.is_some_and(|f| f.starts_with("activity") && f != "activity.all") {
            break;
        }
        app.handle_key(key(KeyCode::Down));
    }
    let figure = app
        .layer::<MemberRecordView>()
        .unwrap()
        .figure()
        .unwrap()
        .to_string();
    let counted = |app: &App| {
        let record = &app.layer::<MemberRecordView>().unwrap().record;
        record.figure(&figure).unwrap()
    };
    let before = counted(&app);
    assert!(before > 0, "{figure}");
    app.handle_key(key(KeyCode::Enter));
    let rows = app.layer::<ActivityList>().unwrap().rows.len();
    assert_eq!(
        rows as i64, before,
        "the list holds the figure's activities"
    );
    app.handle_key(key(KeyCode::Enter));
    assert!(app.top_is::<ActivityDetail>());
    delete(&mut app);
    assert!(app.layer::<ActivityDetail>().is_none());
    assert!(app.top_is::<ActivityList>());
    assert_eq!(app.layer::<ActivityList>().unwrap().rows.len(), rows - 1);
    assert_eq!(
        counted(&app),
        before - 1,
        "the record beneath counts one less"
    );
}

#[test]
fn a_shift_removed_from_the_day() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx);
    app.handle_key(key(KeyCode::Char('r')));
    // Today's day, on a shift still planned.
    app.handle_key(key(KeyCode::Enter));
    let roster = app.layer::<RosterState>().unwrap();
    assert_eq!(roster.view, RosterView::Day);
    let shifts = roster.day_shifts().len();
    let planned = roster
        .day_shifts()
        .iter()
        .position(|s| s.state == ShiftState::Scheduled)
        .expect("a planned shift today");
    for _ in 0..planned {
        app.handle_key(key(KeyCode::Down));
    }
    let home_before = home(&app);
    delete(&mut app);
    assert_eq!(
        app.layer::<RosterState>().unwrap().day_shifts().len(),
        shifts - 1
    );
    assert_ne!(home(&app), home_before, "today's roster names one less");
}

//! The duty roster in the TestBackend, in both languages, driven by keys: the month grid, a
//! day, generating a rotation with its preview, sign-in marking a shift attended, missed
//! shifts, swaps and leave, the report, and the month written as .ics and .xlsx.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{NaiveDate, TimeZone};
use common::screen::{ctrl, key, morning, snapshot, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::roster::{ShiftState, Slot};
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::roster::RosterState;
use uuid::Uuid;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// A station with four members and November's shifts: past ones served or missed.
fn desk(fx: &common::Fixture, language: Language) -> (App, Vec<Uuid>) {
    let mut store = fx.station();
    let names = ["李秀兰", "王建国", "张明", "赵敏"];
    let ids: Vec<Uuid> = names
        .iter()
        .map(|n| store.add_member(&common::member(n)).unwrap().meta.id)
        .collect();
    // 2026-11-16..20 (Mon–Fri) and 23..27: one member a day in turn, both slots.
    // Each week: 李秀兰, 王建国, 张明, 赵敏, 李秀兰.
    for d in (16..=20).chain(23..=27) {
        let turn = (d as usize - 16) % 7;
        for slot in [Slot::Morning, Slot::Afternoon] {
            store.add_shift(day(11, d), slot, ids[turn % 4]).unwrap();
        }
    }
    // The past week: served, except the Wednesday afternoon.
    for shift in store.shifts_between(day(11, 16), day(11, 20)).unwrap() {
        let at = shift.slot.start_on(shift.date) + chrono::Duration::minutes(5);
        if !(shift.date == day(11, 18) && shift.slot == Slot::Afternoon) {
            store
                .shift_event(
                    shift.meta.id,
                    stationdesk::domain::roster::ShiftEvent::SignIn { at },
                )
                .unwrap();
        }
    }
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(120, 40);
    (app, ids)
}

#[test]
fn the_month_grid_in_both_languages_marks_missed_shifts() {
    for (language, name) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let fx = common::Fixture::new();
        let (mut app, _) = desk(&fx, language);
        app.handle_key(key(KeyCode::Char('r')));
        assert!(app.screen_is::<RosterState>());
        let screen = render(&app, 120, 40);
        snapshot(&format!("roster_month_{name}"), &screen);
        // Opening the desk marked the Wednesday afternoon missed (nobody signed in).
        let missed: Vec<_> = app
            .desk
            .store
            .shifts_between(day(11, 18), day(11, 18))
            .unwrap()
            .into_iter()
            .filter(|s| s.state == ShiftState::Missed)
            .collect();
        assert_eq!(missed.len(), 1);
        assert_eq!(missed[0].slot, Slot::Afternoon);
        let small = render(&app, 80, 24);
        snapshot(&format!("roster_month_{name}_80x24"), &small);
    }
}

#[test]
fn signing_in_marks_the_shift_attended_and_the_day_shows_it() {
    let fx = common::Fixture::new();
    let (mut app, ids) = desk(&fx, Language::Chinese);
    // Monday 23rd is 李秀兰's turn; she signs in at 09:30.
    app.handle_key(key(KeyCode::Char('s')));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    let message = app.message.clone().unwrap().text;
    assert!(message.contains("上午值班到岗（09:30）"), "{message}");
    let today = app
        .desk
        .store
        .shifts_between(day(11, 23), day(11, 23))
        .unwrap();
    let morning_shift = today.iter().find(|s| s.slot == Slot::Morning).unwrap();
    assert_eq!(morning_shift.member_id, ids[0]);
    assert_eq!(morning_shift.state, ShiftState::Attended);
    assert_eq!(
        morning_shift.signed_in_at,
        Some(day(11, 23).and_hms_opt(9, 30, 0).unwrap())
    );
    // The afternoon is still to come.
    let afternoon = today.iter().find(|s| s.slot == Slot::Afternoon).unwrap();
    assert_eq!(afternoon.state, ShiftState::Scheduled);
    app.handle_key(key(KeyCode::Char('r')));
    app.handle_key(key(KeyCode::Enter));
    let screen = render(&app, 120, 40);
    snapshot("roster_day_zh", &screen);
    assert!(screen.contains("已到岗  09:30"));
    // At 18:00 nobody came for the afternoon: it is marked missed on the next tick.
    let evening = chrono::Local
        .with_ymd_and_hms(2026, 11, 23, 18, 0, 0)
        .single()
        .unwrap();
    app.handle_key(key(KeyCode::Esc));
    app.tick(evening);
    let afternoon = app
        .desk
        .store
        .get::<stationdesk::domain::roster::Shift>(afternoon.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(afternoon.state, ShiftState::Missed);
}

#[test]
fn swaps_and_leave_are_recorded_with_their_reason() {
    let fx = common::Fixture::new();
    let (mut app, ids) = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('r')));
    // Tuesday 24th: 王建国's day. Swap the morning to 赵敏.
    app.handle_key(key(KeyCode::Right));
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Char('s')));
    common::screen::sign_in_when_asked(&mut app);
    type_text(&mut app, "赵敏");
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "临时开会");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::roster_form::ShiftForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    // The afternoon: leave.
    app.handle_key(key(KeyCode::Down));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("已调班"), "{screen}");
    let day_shifts = app
        .desk
        .store
        .shifts_between(day(11, 24), day(11, 24))
        .unwrap();
    let afternoon_index = app
        .layer::<RosterState>()
        .unwrap()
        .day_shifts()
        .iter()
        .position(|s| s.slot == Slot::Afternoon && s.state == ShiftState::Scheduled)
        .unwrap();
    app.layer_mut::<RosterState>().unwrap().selected = afternoon_index;
    app.handle_key(key(KeyCode::Char('l')));
    type_text(&mut app, "住院");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::roster_form::ShiftForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let after = app
        .desk
        .store
        .shifts_between(day(11, 24), day(11, 24))
        .unwrap();
    assert_eq!(after.len(), day_shifts.len());
    let swapped = after
        .iter()
        .find(|s| s.state == ShiftState::Swapped)
        .unwrap();
    assert_eq!(swapped.member_id, ids[1]);
    assert_eq!(swapped.swap_with, Some(ids[3]));
    assert_eq!(swapped.reason, "临时开会");
    let cover = after
        .iter()
        .find(|s| s.replaces == Some(swapped.meta.id))
        .unwrap();
    assert_eq!(cover.member_id, ids[3]);
    assert!(after
        .iter()
        .any(|s| s.state == ShiftState::Leave && s.reason == "住院"));
    // Both are in the audit log with who did it.
    let history = app.desk.store.history(swapped.meta.id).unwrap();
    assert_eq!(history.last().unwrap().action, "update");
    // A past shift cannot be swapped.
    app.handle_key(key(KeyCode::Esc));
    for _ in 0..7 {
        app.handle_key(key(KeyCode::Left));
    }
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Char('s')));
    assert!(app
        .layer::<stationdesk::tui::screens::roster_form::ShiftForm>()
        .is_none());
    assert!(app.message.as_ref().unwrap().error);
}

#[test]
fn generating_december_shows_a_preview_and_applies_it() {
    let fx = common::Fixture::new();
    let (mut app, ids) = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('r')));
    app.handle_key(key(KeyCode::PageDown));
    app.handle_key(key(KeyCode::Char('g')));
    common::screen::sign_in_when_asked(&mut app);
    assert!(app
        .layer::<stationdesk::tui::screens::roster_form::RotationForm>()
        .is_some());
    // 张明 cannot come on December 1st and 2nd.
    let form = app
        .layer_mut::<stationdesk::tui::screens::roster_form::RotationForm>()
        .unwrap();
    form.form.focus_field("unavailable");
    type_text(&mut app, "张明 12-01 12-02");
    app.handle_key(ctrl('s'));
    let screen = render(&app, 120, 40);
    snapshot("roster_preview_zh", &screen);
    assert!(screen.contains("相差不超过 1 次"), "{screen}");
    app.handle_key(key(KeyCode::Enter));
    assert!(app
        .layer::<stationdesk::tui::screens::roster_form::RotationForm>()
        .is_none());
    let december = app
        .desk
        .store
        .shifts_between(day(12, 1), day(12, 31))
        .unwrap();
    // 23 working days, two slots each.
    assert_eq!(december.len(), 46);
    assert!(!december
        .iter()
        .any(|s| s.member_id == ids[2] && s.date <= day(12, 2)));
    let screen = render(&app, 120, 40);
    snapshot("roster_december_zh", &screen);
    // The report for the month: 46 shifts, nobody served yet.
    app.handle_key(key(KeyCode::Char('t')));
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("到岗率 -（还没有已结束的排班时段）"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::PageUp));
    app.handle_key(key(KeyCode::Char('y')));
    let screen = render(&app, 120, 40);
    snapshot("roster_report_year_zh", &screen);
}

#[test]
fn the_month_is_written_as_ics_and_xlsx() {
    let fx = common::Fixture::new();
    let (mut app, _) = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('r')));
    app.handle_key(key(KeyCode::Char('x')));
    let message = app.message.clone().unwrap();
    assert!(!message.error, "{}", message.text);
    let dir = fx.dir.path().join("documents");
    let ics = std::fs::read_to_string(dir.join("值班表-2026-11.ics")).unwrap();
    use std::str::FromStr;
    let calendar = icalendar::Calendar::from_str(&ics).unwrap();
    use icalendar::Component;
    let events: Vec<_> = calendar.events().collect();
    assert_eq!(events.len(), 20);
    assert!(events
        .iter()
        .any(|e| e.get_summary() == Some("委员值班：李秀兰（上午）")));
    let first = events
        .iter()
        .filter_map(|e| e.get_start())
        .map(|s| format!("{s:?}"))
        .min()
        .unwrap();
    assert!(first.contains("2026-11-16"), "{first}");
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(dir.join("值班表-2026-11.xlsx")).unwrap();
    let sheet = book.worksheet_range("2026年11月").unwrap();
    let cells: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells
        .iter()
        .any(|c| c == "青溪镇政协委员工作站2026年11月委员值班表"));
    assert!(cells.iter().any(|c| c == "11月23日"));
    assert!(cells.iter().any(|c| c == "李秀兰"));
    // 30 days, a header and a title row at least.
    assert!(sheet.get_size().0 >= 32);
    // On paper: portrait A4 for the notice board, the title and every header on page 1.
    if let Some(soffice) = common::office::office() {
        let pdf = common::office::to_pdf(&soffice, &dir.join("值班表-2026-11.xlsx"));
        let size = common::office::page_size(&pdf);
        assert!(size.starts_with("595"), "portrait: {size}");
        let first = common::office::page_text(&pdf, 1);
        assert!(first.contains("2026年11月委员值班表"), "{first}");
        let headers: Vec<String> = sheet
            .rows()
            .nth(1)
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .filter(|c| !c.is_empty())
            .collect();
        assert!(!headers.is_empty());
        for header in headers {
            assert!(first.contains(&header), "{header} not on page 1:\n{first}");
        }
    }
}

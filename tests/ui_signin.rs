//! Signing in at the desk as a duty member lives with it: the shift of the slot the member
//! came for, a sign-in that survives a restart the same day, and a desk that requires a PIN:
//! it starts locked, unlocks with a member's PIN only, and nobody changes anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Local, TimeZone};
use common::screen::{ctrl, key, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::roster::{ShiftState, Slot};
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;

fn at(h: u32, m: u32) -> chrono::DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 11, 23, h, m, 0)
        .single()
        .unwrap()
}

#[test]
fn signing_in_at_eight_marks_the_morning_not_the_afternoon() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let today = at(8, 0).date_naive();
    let li = store.add_member(&common::member("李秀兰")).unwrap().meta.id;
    let wang = store.add_member(&common::member("王建国")).unwrap().meta.id;
    let morning = store.add_shift(today, Slot::Morning, li).unwrap();
    let afternoon = store.add_shift(today, Slot::Afternoon, li).unwrap();
    let only_afternoon = store.add_shift(today, Slot::Afternoon, wang).unwrap();
    let signed = store
        .sign_in_shift(li, at(8, 0).naive_local())
        .unwrap()
        .unwrap();
    assert_eq!(signed.meta.id, morning.meta.id);
    let shifts = store.shifts_between(today, today).unwrap();
    let state = |id| shifts.iter().find(|s| s.meta.id == id).unwrap().state;
    assert_eq!(state(morning.meta.id), ShiftState::Attended);
    assert_eq!(state(afternoon.meta.id), ShiftState::Scheduled);
    // Coming at 08:00 for an afternoon shift is not coming for it.
    assert!(store
        .sign_in_shift(wang, at(8, 0).naive_local())
        .unwrap()
        .is_none());
    // At 13:30 it is (within the hour before 14:00, the setting's default).
    let later = store
        .sign_in_shift(wang, at(13, 30).naive_local())
        .unwrap()
        .unwrap();
    assert_eq!(later.meta.id, only_afternoon.meta.id);
    // A narrower window is a setting.
    store.set_setting("signin_window", "15").unwrap();
    assert!(store
        .sign_in_shift(li, at(13, 30).naive_local())
        .unwrap()
        .is_none());
}

#[test]
fn who_signed_in_is_still_signed_in_after_a_restart_the_same_day() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.handle_key(key(KeyCode::Char('s')));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    assert!(app.desk.signed_in.is_some());
    drop(app);
    // The desk restarts at 11:00: still signed in.
    let app = App::new(fx.open(), at(11, 0), Some(Language::Chinese)).unwrap();
    assert_eq!(
        app.desk.signed_in.as_ref().map(|s| s.name.as_str()),
        Some("李秀兰")
    );
    drop(app);
    // The next day, nobody.
    let tomorrow = at(9, 0) + chrono::Duration::days(1);
    let mut app = App::new(fx.open(), tomorrow, Some(Language::Chinese)).unwrap();
    assert!(app.desk.signed_in.is_none());
    // Signing out forgets it.
    app.handle_key(key(KeyCode::Char('s')));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Char('o')));
    drop(app);
    let app = App::new(fx.open(), tomorrow, Some(Language::Chinese)).unwrap();
    assert!(app.desk.signed_in.is_none());
}

#[test]
fn a_desk_that_requires_pins_starts_locked_and_nobody_changes_anything() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let li = store.add_member(&common::member("李秀兰")).unwrap().meta.id;
    store.add_member(&common::member("王建国")).unwrap();
    store.set_member_pin(li, "2468").unwrap();
    assert!(store.pins_required().unwrap(), "on once a member has a PIN");
    let visits_before = store
        .count_intakes(&Default::default(), at(9, 0).date_naive())
        .unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    assert!(app.locked, "the desk starts locked");
    // Locked: no key opens a form or changes a record.
    for code in [
        KeyCode::F(3),
        KeyCode::Char('v'),
        KeyCode::Char('m'),
        KeyCode::Insert,
    ] {
        app.handle_key(key(code));
        assert!(app.top_form_mut().is_none(), "{code:?} opened a form");
    }
    type_text(&mut app, "张三来访");
    app.handle_key(ctrl('s'));
    assert!(app.locked);
    // A member without a PIN cannot unlock it.
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "wjg");
    app.handle_key(key(KeyCode::Enter));
    assert!(app.locked);
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("还没有设置 PIN"));
    // A member with a PIN unlocks it with the PIN; the change is theirs.
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "2468");
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.locked);
    app.handle_key(key(KeyCode::F(3)));
    app.top_form_mut().unwrap().focus_field("request");
    type_text(&mut app, "小区路灯坏了");
    app.top_form_mut().unwrap().focus_field("category");
    type_text(&mut app, "民生");
    app.handle_key(ctrl('s'));
    let count = app
        .desk
        .store
        .count_intakes(&Default::default(), at(9, 0).date_naive())
        .unwrap();
    assert_eq!(count, visits_before + 1, "{:?}", app.message);
    let hit = app.desk.store.search("路灯", None, 5).unwrap().remove(0);
    let history = app.desk.store.history(hit.id).unwrap();
    assert!(
        history[0].actor.starts_with("李秀兰"),
        "{}",
        history[0].actor
    );
    assert!(!history.iter().any(|h| h.actor == "desk"));
    // Signing out locks the desk again.
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('o')));
    assert!(app.locked);
    // The setting can be turned off (then the desk starts unlocked).
    app.desk.store.set_setting("require_pin", "0").unwrap();
    let app = App::new(fx.open(), at(10, 0), Some(Language::Chinese)).unwrap();
    assert!(!app.locked);
}

#[test]
fn a_sign_in_before_the_roster_existed_is_applied_when_it_is_made() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let today = at(8, 0).date_naive();
    let li = store.add_member(&common::member("李秀兰")).unwrap().meta.id;
    let wang = store.add_member(&common::member("王建国")).unwrap().meta.id;
    // No roster today yet: nothing to mark, but the sign-in is kept.
    assert!(store
        .sign_in_shift(li, at(8, 40).naive_local())
        .unwrap()
        .is_none());
    // The morning shift added afterwards is marked attended at 08:40.
    let shift = store.add_shift(today, Slot::Morning, li).unwrap();
    assert_eq!(shift.state, ShiftState::Attended);
    assert_eq!(shift.signed_in_at, Some(at(8, 40).naive_local()));
    // Another member's shift is not marked, and the kept sign-in is used once.
    let other = store.add_shift(today, Slot::Morning, wang).unwrap();
    assert_eq!(other.state, ShiftState::Scheduled);
    let afternoon = store.add_shift(today, Slot::Afternoon, li).unwrap();
    assert_eq!(afternoon.state, ShiftState::Scheduled);
}

/// Without PINs the desk is open, but no change is anonymous: each key that begins a change
/// asks who is on duty first, and the change goes on under their name.
#[test]
fn without_pins_every_change_waits_for_a_sign_in_and_is_never_anonymous() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    store.add_member(&common::member("王建国")).unwrap();
    assert!(!store.pins_required().unwrap());
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    assert!(!app.locked && app.desk.signed_in.is_none());
    // From home, the member list and the visit list: each change asks first; Esc drops it.
    for (screen_key, change) in [
        (None, KeyCode::F(3)),
        (None, KeyCode::Char('g')),
        (Some('m'), KeyCode::Insert),
        (Some('m'), KeyCode::F(2)),
        (Some('v'), KeyCode::Insert),
    ] {
        if let Some(c) = screen_key {
            app.handle_key(key(KeyCode::Char(c)));
        }
        app.handle_key(key(change));
        let (screen, _) = common::screen::render(&app, 80, 24);
        assert!(screen.contains("先签到，再办理"), "{change:?}:\n{screen}");
        assert!(app.top_form_mut().is_none(), "{change:?} opened a form");
        app.handle_key(key(KeyCode::Esc));
        assert_eq!(app.popups(), 0);
        assert!(
            app.top_form_mut().is_none(),
            "{change:?} went on without anyone"
        );
        app.handle_key(key(KeyCode::Esc));
    }
    // Signing in by name for F3: the form opens, and the visit is hers.
    app.handle_key(key(KeyCode::F(3)));
    type_text(&mut app, "wjg");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        app.desk.signed_in.as_ref().map(|s| s.name.as_str()),
        Some("王建国")
    );
    let form = app
        .top_form_mut()
        .expect("the form opens after the sign-in");
    form.focus_field("request");
    type_text(&mut app, "楼道灯坏了");
    app.top_form_mut().unwrap().focus_field("category");
    type_text(&mut app, "民生");
    app.handle_key(ctrl('s'));
    let hit = app.desk.store.search("楼道灯", None, 5).unwrap().remove(0);
    let history = app.desk.store.history(hit.id).unwrap();
    assert!(history[0].actor.starts_with("王建国 ("), "{history:?}");
    // The store itself refuses a change by nobody, whatever asks for it.
    app.desk.store.set_nobody();
    let refused = app.desk.store.add_member(&common::member("赵敏"));
    assert!(matches!(
        refused,
        Err(stationdesk::store::StoreError::NobodySignedIn)
    ));
}

/// A form whose save finds nobody signed in asks who is, and saves under their name.
#[test]
fn a_save_by_nobody_asks_who_and_then_saves() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    common::screen::on_duty(&mut app);
    app.handle_key(key(KeyCode::F(3)));
    app.top_form_mut().unwrap().focus_field("request");
    type_text(&mut app, "垃圾清运不及时");
    app.top_form_mut().unwrap().focus_field("category");
    type_text(&mut app, "民生");
    // However it came about, nobody is signed in now.
    app.desk.signed_in = None;
    app.desk.store.set_nobody();
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::intake_form::IntakeForm>()
            .is_some(),
        "the form stays, nothing lost"
    );
    common::screen::sign_in_when_asked(&mut app);
    assert!(app.top_form_mut().is_none(), "{:?}", app.message);
    let hit = app
        .desk
        .store
        .search("垃圾清运", None, 5)
        .unwrap()
        .remove(0);
    let history = app.desk.store.history(hit.id).unwrap();
    assert!(history[0].actor.starts_with("李秀兰 ("), "{history:?}");
}

/// A new station has nobody to sign in: its first member is added as the station's setup,
/// and from then on changes need a sign-in.
#[test]
fn the_first_member_is_added_at_setup_then_sign_ins_are_needed() {
    let fx = common::Fixture::new();
    let store = fx.station();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::Insert));
    let form = app
        .top_form_mut()
        .expect("no sign-in asked: nobody to sign in");
    form.focus_field("name");
    type_text(&mut app, "李秀兰");
    app.handle_key(ctrl('s'));
    assert!(app.top_form_mut().is_none(), "{:?}", app.message);
    let li = app
        .desk
        .store
        .members_after(&Default::default(), None, 5)
        .unwrap()
        .remove(0);
    let history = app.desk.store.history(li.meta.id).unwrap();
    assert_eq!(history[0].actor, "setup");
    // The second member: 李秀兰 signs in for it.
    app.handle_key(key(KeyCode::Insert));
    common::screen::sign_in_when_asked(&mut app);
    assert!(app.top_form_mut().is_some());
    // The history says who in words, not a code.
    let lines = stationdesk::tui::screens::history_lines(&history, |_| String::new());
    let text: String = lines.iter().map(|l| l.to_string()).collect();
    assert!(text.contains("建站设置"), "{text}");
}

/// The same in English: the list says why it is asked, and the history names the setup.
#[test]
fn in_english_the_desk_asks_who_is_on_duty_and_says_why() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::English)).unwrap();
    app.resize(80, 24);
    app.handle_key(key(KeyCode::F(3)));
    let (screen, _) = common::screen::render(&app, 80, 24);
    assert!(screen.contains("Sign in first"), "{screen}");
    assert!(
        screen.contains("Every change is recorded under who"),
        "{screen}"
    );
    assert_eq!(
        stationdesk::tui::screens::actor_label("setup"),
        "station setup"
    );
    assert_eq!(
        stationdesk::tui::screens::actor_label("cli:root"),
        "command line (root)"
    );
}

/// A second connection to the desk's file, for faults the desk must live with.
fn raw(fx: &common::Fixture) -> rusqlite::Connection {
    common::connection(&fx.path).unwrap()
}

#[test]
fn settings_that_cannot_be_read_do_not_open_and_pins_stay_required() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    store.set_setting("require_pin", "0").unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    common::screen::on_duty(&mut app);
    app.desk.store.set_setting("require_pin", "1").unwrap();
    // The PIN requirement becomes unreadable (a damaged value): the settings form does not
    // open with "off" in its place, which a save would write back.
    raw(&fx)
        .execute(
            "UPDATE settings SET value = X'31' WHERE key = 'require_pin'",
            [],
        )
        .unwrap();
    assert!(app.desk.store.pins_required().is_err());
    app.handle_key(key(KeyCode::Char('g')));
    assert!(app
        .layer::<stationdesk::tui::screens::settings::SettingsForm>()
        .is_none());
    let message = app.message.clone().unwrap();
    assert!(
        message.error && message.text.contains("读不出设置"),
        "{message:?}"
    );
    // Nothing was written: once readable again, PINs are still required.
    raw(&fx)
        .execute(
            "UPDATE settings SET value = '1' WHERE key = 'require_pin'",
            [],
        )
        .unwrap();
    assert!(app.desk.store.pins_required().unwrap());
    // Readable, the form opens with the requirement on, and saving keeps it on.
    app.handle_key(key(KeyCode::Char('g')));
    let form = app
        .layer::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    assert_eq!(form.form.value("require_pin"), "1");
    app.handle_key(ctrl('s'));
    assert!(app.desk.store.pins_required().unwrap());
}

#[test]
fn a_sign_out_that_cannot_be_written_is_said_and_retried() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    app.handle_key(key(KeyCode::Char('s')));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    assert!(app.desk.signed_in.is_some());
    // The write that forgets the sign-in fails (as a full disk would).
    raw(&fx)
        .execute_batch(
            "CREATE TRIGGER refuse_forget BEFORE UPDATE ON settings
             WHEN NEW.key = 'desk_signed_in' AND NEW.value = ''
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        )
        .unwrap();
    app.lock();
    let message = app.message.clone().unwrap();
    assert!(
        message.error && message.text.contains("没能记下已签退"),
        "{message:?}"
    );
    assert_ne!(
        app.desk.store.setting("desk_signed_in").unwrap().as_deref(),
        Some("")
    );
    // Still failing at the next tick; then the disk recovers and the tick after writes it.
    app.tick(at(9, 1));
    assert_ne!(
        app.desk.store.setting("desk_signed_in").unwrap().as_deref(),
        Some("")
    );
    raw(&fx)
        .execute_batch("DROP TRIGGER refuse_forget;")
        .unwrap();
    app.tick(at(9, 2));
    assert_eq!(
        app.desk.store.setting("desk_signed_in").unwrap().as_deref(),
        Some("")
    );
    drop(app);
    // A restart does not sign her back in.
    let app = App::new(fx.open(), at(9, 5), Some(Language::Chinese)).unwrap();
    assert!(app.desk.signed_in.is_none());
}

#[test]
fn the_station_passphrase_is_changed_in_the_settings_and_a_weak_one_refused() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = App::new(store, at(9, 0), Some(Language::Chinese)).unwrap();
    common::screen::on_duty(&mut app);
    app.handle_key(key(KeyCode::Char('g')));
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("new_passphrase");
    type_text(&mut app, "1234567890");
    app.handle_key(ctrl('s'));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(
        screen.contains("本机免输口令") && screen.contains("较弱"),
        "{screen}"
    );
    assert!(screen.contains("不能全是数字"), "{screen}");
    // The old passphrase still opens the file: nothing was changed.
    assert!(stationdesk::store::unlock_file(&fx.path, &common::unlock()).is_ok());
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("new_passphrase");
    for _ in 0..10 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "qinghe zhanzhang xinkouling");
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("passphrase_again");
    type_text(&mut app, "qinghe zhanzhang xinkouling");
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::settings::SettingsForm>()
        .is_none());
    let new = stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
        "qinghe zhanzhang xinkouling",
    ));
    assert!(stationdesk::store::unlock_file(&fx.path, &new).is_ok());
    assert!(stationdesk::store::unlock_file(&fx.path, &common::unlock()).is_err());
}

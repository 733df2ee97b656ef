//! The export screen, driven by keys: what will go, the export off the UI thread with its
//! gauge, "safe to remove", the history, and writing a past bundle again.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::key;

use std::time::{Duration, Instant};

use chrono::{Local, TimeZone};
use crossterm::event::KeyCode;
use stationdesk::i18n::Language;
use stationdesk::store::Store;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::export::ExportState;

/// The tests that set STATIONDESK_DRIVES (one environment for the whole process) take turns.
static DRIVES: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A station that sends its bundles to a new county recipient.
fn sending_station(fx: &common::Fixture) -> Store {
    let (_, recipient) = stationdesk::bundle::county_keygen();
    let mut store = fx.station();
    store.set_county_recipient(&recipient).unwrap();
    store
}

/// The desk of `store` on 23 November 2026 at 09:30, in Chinese, `width` × `height`.
fn desk(store: Store, width: u16, height: u16) -> App {
    let now = Local
        .with_ymd_and_hms(2026, 11, 23, 9, 30, 0)
        .single()
        .unwrap();
    let mut app = App::new(store, now, Some(Language::Chinese)).unwrap();
    app.resize(width, height);
    app
}

fn wait_for_job(app: &mut App) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        app.poll_export();
        if !app.exporting() {
            return;
        }
        assert!(Instant::now() < deadline, "the export did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn export_from_the_desk_then_write_it_again() {
    let fx = common::Fixture::new();
    let first = fx.dir.path().join("usb1");
    let second = fx.dir.path().join("usb2");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&second).unwrap();
    let _turn = DRIVES.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var(
        "STATIONDESK_DRIVES",
        std::env::join_paths([&first, &second]).unwrap(),
    );
    let mut store = sending_station(&fx);
    store.add_member(&common::member("李秀兰")).unwrap();
    store.add_member(&common::member("王建国")).unwrap();
    let mut app = desk(store, 100, 30);

    app.handle_key(key(KeyCode::Char('e')));
    assert!(app.screen_is::<ExportState>());
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("上次报送以来的变更"), "{screen}");
    assert!(screen.contains("委员: 2"), "{screen}");
    assert!(
        screen.contains("usb1") && screen.contains("usb2"),
        "{screen}"
    );

    app.handle_key(key(KeyCode::Enter));
    common::screen::sign_in_when_asked(&mut app);
    assert!(app.exporting());
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(
        screen.contains("正在导出并校验"),
        "the gauge shows while it runs:\n{screen}"
    );
    wait_for_job(&mut app);
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("可以安全拔出"), "{screen}");
    assert!(
        screen.contains("委员: 0"),
        "nothing left to send:\n{screen}"
    );
    let written: Vec<_> = std::fs::read_dir(&first)
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(written.len(), 1);
    assert_eq!(app.desk.store.bundles().unwrap().len(), 1);

    // The history, and the same bundle written again to the second stick.
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Char('h')));
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(
        screen.contains("QX01-") && screen.contains("-0001.sdb1"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::Enter));
    wait_for_job(&mut app);
    let again: Vec<_> = std::fs::read_dir(&second)
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!(
        std::fs::read(written[0].path()).unwrap(),
        std::fs::read(again[0].path()).unwrap(),
        "the same bundle, byte for byte"
    );
    // Writing it again where it already is is refused with a reason, and changes nothing.
    app.handle_key(key(KeyCode::Enter));
    wait_for_job(&mut app);
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("文件已存在"), "{screen}");
    assert_eq!(app.desk.store.bundles().unwrap().len(), 1);

    // Nothing changed since: the desk asks before spending a number on an empty bundle.
    app.handle_key(key(KeyCode::Char('h')));
    app.handle_key(key(KeyCode::Up));
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.exporting());
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("没有任何变更"), "{screen}");
    app.handle_key(key(KeyCode::Char('n')));
    assert!(!app.exporting());
    assert_eq!(app.desk.store.bundles().unwrap().len(), 1, "no means no");
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Char('y')));
    assert!(app.exporting());
    wait_for_job(&mut app);
    let bundles = app.desk.store.bundles().unwrap();
    assert_eq!(bundles.len(), 2);
    assert!(bundles[0].counts.iter().all(|(_, n)| *n == 0));
}

#[test]
fn the_county_recipient_is_set_checked_and_shown_in_the_settings() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = desk(store, 80, 24);
    // Without a recipient, the export screen says where to set it, in a line that fits.
    app.handle_key(key(KeyCode::Char('e')));
    let (screen, _) = common::screen::render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("未设县政协接收公钥"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(
        line.contains("设置（g）") && line.trim_end().ends_with("明文包"),
        "{line}"
    );
    app.handle_key(key(KeyCode::Esc));
    // In the settings: a miscopied recipient is refused with a sentence, a right one kept.
    let (identity, recipient) = stationdesk::bundle::county_keygen();
    app.handle_key(key(KeyCode::Char('g')));
    common::screen::sign_in_when_asked(&mut app);
    app.top_form_mut().unwrap().focus_field("county_recipient");
    let miscopied: String = recipient
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 10 {
                if c == 'q' {
                    'p'
                } else {
                    'q'
                }
            } else {
                c
            }
        })
        .collect();
    common::screen::type_text(&mut app, &miscopied);
    app.handle_key(common::screen::ctrl('s'));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains("校验不通过"), "{screen}");
    assert!(app
        .desk
        .store
        .station()
        .unwrap()
        .unwrap()
        .county_recipient
        .is_none());
    for _ in 0..80 {
        app.handle_key(key(KeyCode::Backspace));
    }
    common::screen::type_text(&mut app, &recipient);
    app.handle_key(common::screen::ctrl('s'));
    assert_eq!(
        app.desk
            .store
            .station()
            .unwrap()
            .unwrap()
            .county_recipient
            .as_deref(),
        Some(recipient.as_str())
    );
    // Shown from its start when the settings open again (longer than its field, it ends in
    // ⋯), and the line on the export screen is gone.
    app.handle_key(key(KeyCode::Char('g')));
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains(&recipient[..40]), "{screen}");
    assert!(screen.contains('⋯'), "{screen}");
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('e')));
    let (screen, _) = common::screen::render(&app, 80, 24);
    assert!(!screen.contains("未设县政协接收公钥"), "{screen}");
    // The next export is encrypted to it: the county's identity opens it.
    let out = fx.dir.path().join("usb");
    std::fs::create_dir_all(&out).unwrap();
    let made = stationdesk::bundle::export(
        &mut app.desk.store,
        &out,
        stationdesk::bundle::ExportOptions::default(),
    )
    .unwrap();
    let key_file = fx.dir.path().join("county.key");
    std::fs::write(&key_file, format!("{identity}\n")).unwrap();
    let identities = stationdesk::bundle::load_identities(&key_file).unwrap();
    assert!(stationdesk::bundle::verify_file(&made.path, &identities).is_ok());
}

/// Ctrl-C during an export asks, and stops it cleanly; F10 during an export asks whether to
/// stop it and quit, and quits once it has stopped. Nothing is recorded either way.
#[test]
fn an_export_is_stopped_by_ctrl_c_or_by_quitting_never_cut_off() {
    let fx = common::Fixture::new();
    let stick = fx.dir.path().join("usb");
    std::fs::create_dir_all(&stick).unwrap();
    let _turn = DRIVES.lock().unwrap_or_else(|e| e.into_inner());
    std::env::set_var("STATIONDESK_DRIVES", &stick);
    let mut store = sending_station(&fx);
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = desk(store, 100, 30);
    common::screen::on_duty(&mut app);
    let ctrl_c = common::screen::ctrl('c');

    // Nothing running: Ctrl-C says so.
    app.handle_key(key(KeyCode::Char('e')));
    app.handle_key(ctrl_c);
    assert!(app.message.as_ref().unwrap().text.contains("没有在导出"));

    app.handle_key(key(KeyCode::Enter));
    assert!(app.exporting());
    app.handle_key(ctrl_c);
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("要停止吗"), "{screen}");
    app.handle_key(key(KeyCode::Char('y')));
    wait_for_job(&mut app);
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("已停止导出"), "{screen}");
    assert!(app.desk.store.bundles().unwrap().is_empty());
    assert!(std::fs::read_dir(&stick).unwrap().next().is_none());

    // F10 while it runs: asked, and the desk quits once the export has stopped.
    app.handle_key(key(KeyCode::Enter));
    assert!(app.exporting());
    app.handle_key(key(KeyCode::F(10)));
    assert!(!app.quit, "F10 does not cut an export off");
    let (screen, _) = common::screen::render(&app, 100, 30);
    assert!(screen.contains("停止导出并退出"), "{screen}");
    app.handle_key(key(KeyCode::Char('y')));
    let deadline = Instant::now() + Duration::from_secs(30);
    while !app.quit {
        assert!(Instant::now() < deadline, "the desk did not quit");
        std::thread::sleep(Duration::from_millis(20));
        app.poll_export();
    }
    assert!(app.desk.store.bundles().unwrap().is_empty());
    let archive = stationdesk::bundle::archive_dir(&app.desk.store);
    let left: Vec<_> = std::fs::read_dir(&archive)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

/// The station's town is set in the settings (checked as it is saved) and goes to the county
/// in the next bundle's manifest.
#[test]
fn the_town_is_set_in_the_settings_and_carried_in_the_next_bundle() {
    let fx = common::Fixture::new();
    let mut store = sending_station(&fx);
    store.add_member(&common::member("李秀兰")).unwrap();
    let mut app = desk(store, 80, 24);
    app.handle_key(key(KeyCode::Char('g')));
    common::screen::sign_in_when_asked(&mut app);
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("town");
    // Too long: the form says so and nothing is kept.
    common::screen::type_text(&mut app, &"镇".repeat(31));
    app.handle_key(common::screen::ctrl('s'));
    let (screen, _) = common::screen::render(&app, 80, 24);
    assert!(screen.contains("30"), "{screen}");
    assert_eq!(app.desk.store.town().unwrap(), "");
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("town");
    for _ in 0..31 {
        app.handle_key(key(KeyCode::Backspace));
    }
    common::screen::type_text(&mut app, "青溪镇");
    app.handle_key(common::screen::ctrl('s'));
    assert_eq!(app.desk.store.town().unwrap(), "青溪镇");
    // Shown again when the settings open.
    app.handle_key(key(KeyCode::Char('g')));
    let (screen, _) = common::screen::render(&app, 80, 24);
    assert!(
        screen.contains("所属乡镇（街道）") && screen.contains("青溪镇"),
        "{screen}"
    );
    app.handle_key(key(KeyCode::Esc));
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let out = stationdesk::bundle::export(
        &mut app.desk.store,
        &stick,
        stationdesk::bundle::ExportOptions::default(),
    )
    .unwrap();
    assert_eq!(out.manifest.town.as_deref(), Some("青溪镇"));
}

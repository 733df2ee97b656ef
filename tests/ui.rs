//! UI tests: screens rendered into ratatui's TestBackend at 80×24 and 120×40, in Chinese and in
//! English, plus state tests that drive the desk with keys as a person would.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{ctrl, key, morning, render, snapshot, type_text};

use crossterm::event::KeyCode;
use ratatui::layout::Position;
use stationdesk::domain::{Member, MemberFields};
use stationdesk::i18n::Language;
use stationdesk::store::Store;
use stationdesk::tui::action::Action;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::members::MembersState;
use unicode_width::UnicodeWidthStr;

fn registry(store: &mut Store) {
    let people: [(&str, &str, &str, bool); 5] = [
        ("李秀兰", "医药卫生界", "中共党员", false),
        ("王建国", "社会福利和社会保障界", "民盟盟员", true),
        ("张三", "经济界", "群众", false),
        ("欧阳明", "教育界", "九三学社社员", false),
        ("曾国藩", "农业界", "无党派人士", true),
    ];
    for (name, sector, party, mediator) in people {
        let mut fields = common::member(name);
        fields.sector = sector.into();
        fields.party = party.into();
        fields.mediator = mediator;
        store.add_member(&fields).expect("add member");
    }
}

fn desk(fx: &common::Fixture, language: Language, size: (u16, u16)) -> App {
    let mut store = fx.station();
    registry(&mut store);
    let mut app = App::new(store, morning(), Some(language)).expect("app");
    app.resize(size.0, size.1);
    common::screen::on_duty(&mut app);
    app
}

#[test]
fn member_list_in_both_languages_and_sizes() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "members_zh_80x24"),
        (Language::English, (120, 40), "members_en_120x40"),
        (Language::Chinese, (120, 40), "members_zh_120x40"),
        (Language::English, (80, 24), "members_en_80x24"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('m')));
        assert!(app.screen_is::<MembersState>());
        let (screen, _) = render(&app, w, h);
        assert!(
            screen.contains("李秀兰") && screen.contains("欧阳明"),
            "{screen}"
        );
        snapshot(name, &screen);
    }
}

#[test]
fn the_list_filters_by_pinyin_initials_as_you_type() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('m')));
    type_text(&mut app, "zs");
    let (screen, caret) = render(&app, 80, 24);
    assert!(screen.contains("张三"));
    // The list holds 张三 alone (the header names who is on duty, whoever sorts first).
    let listed: Vec<&str> = app
        .layer::<MembersState>()
        .unwrap()
        .window
        .rows
        .iter()
        .map(|m| m.fields.name.as_str())
        .collect();
    assert_eq!(listed, vec!["张三"]);
    assert_eq!(app.layer::<MembersState>().unwrap().total, 1);
    // The caret follows the typed filter: prompt, then two narrow letters.
    let prompt = "查找（共 1 人）：".width() as u16 + 1;
    assert_eq!(caret, Some(Position::new(prompt + 2, 2)));
    app.handle_key(key(KeyCode::Backspace));
    app.handle_key(key(KeyCode::Backspace));
    type_text(&mut app, "秀");
    assert_eq!(app.layer::<MembersState>().unwrap().total, 1);
    assert_eq!(
        app.layer::<MembersState>()
            .unwrap()
            .selected_member()
            .map(|m| m.fields.name.as_str()),
        Some("李秀兰")
    );
}

#[test]
fn member_form_with_a_validation_error() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "member_form_error_zh_80x24"),
        (Language::English, (120, 40), "member_form_error_en_120x40"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('m')));
        app.handle_key(key(KeyCode::Insert));
        type_text(&mut app, "赵六");
        for _ in 0..5 {
            app.handle_key(key(KeyCode::Tab));
        }
        type_text(&mut app, "12345");
        app.handle_key(ctrl('s'));
        let form = app
            .layer::<stationdesk::tui::screens::member_form::MemberForm>()
            .expect("the form stays open");
        assert!(form
            .form
            .field("phone")
            .and_then(|f| f.error.as_ref())
            .is_some());
        let (screen, caret) = render(&app, w, h);
        snapshot(name, &screen);
        assert!(caret.is_some(), "the caret is placed for the IME");
    }
}

#[test]
fn help_overlay_lists_the_keys_of_the_screen_beneath() {
    for (language, (w, h), name, expected) in [
        (Language::Chinese, (80, 24), "help_zh_80x24", "回收站"),
        (
            Language::English,
            (120, 40),
            "help_en_120x40",
            "recycle bin",
        ),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('m')));
        app.handle_key(key(KeyCode::F(1)));
        let (screen, _) = render(&app, w, h);
        assert!(screen.contains(expected), "{screen}");
        snapshot(name, &screen);
        app.handle_key(key(KeyCode::Esc));
        assert_eq!(app.popups(), 0);
        assert!(
            app.screen_is::<MembersState>(),
            "Esc closed the help, not the screen"
        );
    }
}

#[test]
fn the_lock_screen_shows_no_personal_data() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "lock_zh_80x24"),
        (Language::English, (120, 40), "lock_en_120x40"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('m')));
        app.tick(morning() + chrono::Duration::minutes(4));
        assert!(!app.locked);
        app.tick(morning() + chrono::Duration::minutes(5));
        assert!(app.locked, "five idle minutes lock the desk");
        let (screen, _) = render(&app, w, h);
        for name in ["李秀兰", "王建国", "张三", "13800138000"] {
            assert!(
                !screen.contains(name),
                "{name} visible on the lock screen:\n{screen}"
            );
        }
        snapshot(name, &screen);
        // Keys other than the unlock key do nothing.
        app.handle_key(key(KeyCode::Char('m')));
        app.handle_key(key(KeyCode::Delete));
        assert!(app.locked);
        assert_eq!(app.desk.store.audit_count().unwrap(), 5);
    }
}

#[test]
fn too_small_a_window_says_so() {
    for (language, expected) in [
        (Language::Chinese, "窗口太小"),
        (Language::English, "too small"),
    ] {
        let fx = common::Fixture::new();
        let app = desk(&fx, language, (60, 20));
        let (screen, _) = render(&app, 60, 20);
        assert!(screen.contains(expected), "{screen}");
        assert!(screen.contains("80x24"), "{screen}");
        snapshot(&format!("too_small_{}", language.code()), &screen);
    }
}

#[test]
fn control_characters_in_stored_text_are_never_drawn() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    // As a bundle or an older version might have stored it, bypassing the form's checks.
    let hostile = MemberFields {
        name: "张\x1b[2J三\u{202e}".into(),
        specialties: "\x07铃\x1b]0;title\x07".into(),
        ..common::member("x")
    };
    store.insert(Member::new(hostile)).unwrap();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(120, 40);
    app.handle_key(key(KeyCode::Char('m')));
    let (screen, _) = render(&app, 120, 40);
    assert!(
        !screen.chars().any(|c| c.is_control() && c != '\n'),
        "{screen:?}"
    );
    assert!(!screen.contains('\u{202e}'));
    assert!(screen.contains("张^[[2J三"), "{screen}");
}

#[test]
fn the_wizard_creates_the_station() {
    let fx = common::Fixture::new();
    let store = fx.open();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    assert!(app
        .layer::<stationdesk::tui::screens::wizard::Wizard>()
        .is_some());
    let (screen, caret) = render(&app, 80, 24);
    assert!(screen.contains("欢迎使用"));
    assert!(caret.is_some());
    snapshot("wizard_zh_80x24", &screen);
    // Saving empty shows what is missing.
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::wizard::Wizard>()
        .is_some());
    type_text(&mut app, "青溪镇政协委员工作站");
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "QX01");
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, "清河县");
    // A town longer than 30 characters is refused before anything is made.
    app.handle_key(key(KeyCode::Tab));
    type_text(&mut app, &format!("青溪{}", "镇".repeat(29)));
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::wizard::Wizard>()
        .is_some());
    assert!(app.desk.store.station().unwrap().is_none());
    app.handle_key(key(KeyCode::Backspace));
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::wizard::Wizard>()
        .is_none());
    let station = app.desk.store.station().unwrap().expect("station created");
    assert_eq!(station.code, "QX01");
    assert_eq!(station.county, "清河县");
    assert_eq!(
        app.desk.store.town().unwrap(),
        format!("青溪{}", "镇".repeat(28))
    );
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("在任委员 0 人"), "{screen}");
}

#[test]
fn adding_a_member_by_typing_and_its_audit_actor() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    // Sign in first: the signed-in member is the actor of the audit log.
    app.handle_key(key(KeyCode::Char('s')));
    type_text(&mut app, "lxl");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(
        app.desk.signed_in.as_ref().map(|s| s.name.as_str()),
        Some("李秀兰")
    );
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::Insert));
    type_text(&mut app, "孙立新");
    app.handle_key(key(KeyCode::Tab)); // gender
    app.handle_key(key(KeyCode::Right));
    app.handle_key(key(KeyCode::Tab)); // sector: type to filter
    type_text(&mut app, "农业");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::member_form::MemberForm>()
            .is_none(),
        "saved and closed"
    );
    let saved = app
        .layer::<MembersState>()
        .unwrap()
        .selected_member()
        .cloned()
        .expect("the new member is selected");
    assert_eq!(saved.fields.name, "孙立新");
    assert_eq!(saved.fields.sector, "农业界");
    // The whole list, the new member among the others, not alone at the top.
    assert_eq!(app.layer::<MembersState>().unwrap().total, 6);
    let names: Vec<&str> = app
        .layer::<MembersState>()
        .unwrap()
        .window
        .rows
        .iter()
        .map(|m| m.fields.name.as_str())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(
        names.contains(&"李秀兰") && names.contains(&"孙立新"),
        "{names:?}"
    );
    // Added while the list was filtered: the filter is cleared to show every member.
    type_text(&mut app, "zs");
    assert_eq!(app.layer::<MembersState>().unwrap().total, 1);
    app.handle_key(key(KeyCode::Insert));
    type_text(&mut app, "黄明");
    app.handle_key(ctrl('s'));
    assert_eq!(app.layer::<MembersState>().unwrap().total, 7);
    assert_eq!(app.layer::<MembersState>().unwrap().filter.value(), "");
    assert_eq!(
        app.layer::<MembersState>()
            .unwrap()
            .selected_member()
            .map(|m| m.fields.name.as_str()),
        Some("黄明")
    );
    let history = app.desk.store.history(saved.meta.id).unwrap();
    assert!(
        history[0].actor.starts_with("李秀兰"),
        "{}",
        history[0].actor
    );
}

#[test]
fn leaving_or_quitting_with_unsaved_changes_asks_first() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::Insert));
    type_text(&mut app, "未保存");
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.popups(), 1, "Esc asks before discarding");
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("放弃这些修改吗"), "{screen}");
    app.handle_key(key(KeyCode::Char('n')));
    assert!(
        app.layer::<stationdesk::tui::screens::member_form::MemberForm>()
            .is_some(),
        "the form and its text stay"
    );
    app.handle_key(key(KeyCode::F(10)));
    app.handle_key(key(KeyCode::Esc));
    assert!(!app.quit);
    app.handle_key(key(KeyCode::F(10)));
    app.handle_key(key(KeyCode::Char('y')));
    assert!(app.quit);
}

#[test]
fn pasted_text_with_newlines_never_submits_a_form() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::Insert));
    app.update(Action::Paste("周\n\n八\r\n".into()));
    let form = app
        .layer::<stationdesk::tui::screens::member_form::MemberForm>()
        .expect("still editing");
    assert_eq!(form.form.value("name").trim(), "周  八");
    assert_eq!(form.form.focus, 0);
    assert_eq!(app.desk.store.audit_count().unwrap(), 5, "nothing saved");
}

#[test]
fn sign_in_with_a_pin_and_unlock() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    let wang = app
        .desk
        .store
        .members_after(&Default::default(), None, 10)
        .unwrap()
        .into_iter()
        .find(|m| m.fields.name == "王建国")
        .unwrap();
    app.desk.store.set_member_pin(wang.meta.id, "4321").unwrap();
    app.handle_key(key(KeyCode::Char('l')));
    assert!(app.locked);
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "wjg");
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "1111");
    app.handle_key(key(KeyCode::Enter));
    assert!(app.locked, "a wrong PIN does not unlock");
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("PIN 不对"), "{screen}");
    assert!(!screen.contains("1111"), "the PIN is masked");
    type_text(&mut app, "4321");
    app.handle_key(key(KeyCode::Enter));
    assert!(!app.locked);
    assert_eq!(
        app.desk.signed_in.as_ref().map(|s| s.name.as_str()),
        Some("王建国")
    );
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("值班：王建国"), "{screen}");
}

#[test]
fn delete_restore_and_deactivate_from_the_list() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::English, (80, 24));
    app.handle_key(key(KeyCode::Char('m')));
    type_text(&mut app, "zs");
    app.handle_key(key(KeyCode::Delete));
    app.handle_key(key(KeyCode::Char('y')));
    assert_eq!(app.layer::<MembersState>().unwrap().total, 0);
    app.handle_key(key(KeyCode::F(6)));
    assert!(app.layer::<MembersState>().unwrap().deleted_view);
    assert_eq!(app.layer::<MembersState>().unwrap().total, 1);
    app.handle_key(key(KeyCode::F(7)));
    app.handle_key(key(KeyCode::F(6)));
    assert_eq!(app.layer::<MembersState>().unwrap().total, 5);
    type_text(&mut app, "oym");
    app.handle_key(key(KeyCode::F(4)));
    let member = app
        .layer::<MembersState>()
        .unwrap()
        .selected_member()
        .unwrap();
    assert!(!member.fields.active);
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("Deactivated: 欧阳明"), "{screen}");
}

#[test]
fn scrolling_a_long_list_fetches_only_what_is_shown() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 5,
            members: 500,
            records: 0,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    app.handle_key(key(KeyCode::Char('m')));
    let page = app.layer::<MembersState>().unwrap().rows().len();
    assert_eq!(page, 24 - 4 - 2);
    let first = app.layer::<MembersState>().unwrap().rows()[0].meta.id;
    for _ in 0..3 {
        app.handle_key(key(KeyCode::PageDown));
    }
    assert_eq!(app.layer::<MembersState>().unwrap().rows().len(), page);
    for _ in 0..page {
        app.handle_key(key(KeyCode::Down));
    }
    for _ in 0..(page * 4) {
        app.handle_key(key(KeyCode::Up));
    }
    assert_eq!(
        app.layer::<MembersState>().unwrap().rows()[0].meta.id,
        first,
        "back at the top by single steps"
    );
    app.handle_key(key(KeyCode::End));
    let everyone = stationdesk::store::MemberFilter {
        include_inactive: true,
        ..Default::default()
    };
    let last = app.desk.store.members_last(&everyone, 1).unwrap();
    assert_eq!(
        app.layer::<MembersState>()
            .unwrap()
            .selected_member()
            .map(|m| m.meta.id),
        last.first().map(|m| m.meta.id)
    );
    app.handle_key(key(KeyCode::PageUp));
    app.handle_key(key(KeyCode::Home));
    assert_eq!(
        app.layer::<MembersState>().unwrap().rows()[0].meta.id,
        first
    );
}

#[test]
fn background_work_reports_on_the_message_line() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    let (sender, notices) = std::sync::mpsc::channel();
    app.attach_notices(notices);
    sender
        .send(stationdesk::tui::layer::Message {
            text: "已自动备份：/tmp/x.db".into(),
            error: false,
        })
        .unwrap();
    app.poll_notices();
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("已自动备份"), "{screen}");
}

#[test]
fn a_pin_can_be_removed_in_the_member_form() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.handle_key(key(KeyCode::Char('m')));
    type_text(&mut app, "zs");
    let id = app
        .layer::<MembersState>()
        .unwrap()
        .selected_member()
        .unwrap()
        .meta
        .id;
    // A station that does not require PINs (with them required, a PIN set while nobody is
    // signed in locks the desk: tests/ui_signin.rs).
    app.desk.store.set_setting("require_pin", "0").unwrap();
    app.desk.store.set_member_pin(id, "2468").unwrap();
    app.handle_key(key(KeyCode::F(2)));
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("清除 PIN"), "{screen}");
    let form = &mut app
        .layer_mut::<stationdesk::tui::screens::member_form::MemberForm>()
        .unwrap()
        .form;
    form.focus_field("clear_pin");
    app.handle_key(key(KeyCode::Char(' ')));
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::member_form::MemberForm>()
        .is_none());
    assert!(!app.desk.store.member_has_pin(id).unwrap());
}

#[test]
fn control_characters_in_stored_text_never_reach_an_editor() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let hostile = MemberFields {
        name: "张\x1b[2J三\u{202e}".into(),
        ..common::member("x")
    };
    store.insert(Member::new(hostile)).unwrap();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    common::screen::on_duty(&mut app);
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::F(2)));
    let (screen, _) = render(&app, 80, 24);
    assert!(app
        .layer::<stationdesk::tui::screens::member_form::MemberForm>()
        .is_some());
    assert!(
        !screen
            .chars()
            .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
        "{screen:?}"
    );
    assert!(screen.contains("张[2J三"), "{screen}");
}

/// Nothing the desk draws is of East Asian Width "A" (ambiguous): a terminal set up for
/// Chinese draws such a character two columns wide and every column after it moves. Walked:
/// every snapshot of every screen, every key's name and what it does in both languages (the key
/// bar and F1 are made of these), and every text of both languages (messages, titles, hints).
#[test]
fn nothing_drawn_is_of_ambiguous_width() {
    use unicode_width::UnicodeWidthChar;
    let ambiguous = |c: char| c.width() != c.width_cjk();
    let mut found: Vec<String> = Vec::new();
    let mut check = |place: &str, text: &str| {
        for c in text.chars().filter(|c| ambiguous(*c)) {
            found.push(format!("{place}: {c:?} (U+{:04X}) in {text:?}", c as u32));
        }
    };
    let snapshots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut walked = 0;
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "snap") {
            let text = std::fs::read_to_string(&path).unwrap();
            // The screen is what follows the snapshot's header.
            let screen = text.splitn(3, "---\n").nth(2).unwrap_or("");
            check(&path.display().to_string(), screen);
            walked += 1;
        }
    }
    assert!(walked > 80, "only {walked} snapshots");
    for language in [Language::Chinese, Language::English] {
        stationdesk::i18n::set_thread_language(language);
        for binding in stationdesk::tui::keymap::bindings() {
            for key in binding.keys {
                check("a key's name", &key.label());
            }
            check(binding.label, &stationdesk::tr!(binding.label));
        }
    }
    for locale in ["zh-CN", "en"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("assets/locales/{locale}.yml"));
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Some((key, text)) = line.split_once(": ") {
                check(&format!("{locale} {key}"), text);
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

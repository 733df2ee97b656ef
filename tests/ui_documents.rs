//! The documents screen and the popup after writing a document, driven with keys; opening and
//! printing go to stand-in programs on the launcher's search path that record their arguments.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use common::screen::{ctrl, key, morning, render, snapshot};
use crossterm::event::KeyCode;
use stationdesk::documents::launch::Launcher;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::documents::{DocumentReady, DocumentsList};

/// A folder of stand-in programs: each writes its name and arguments, one per line, to
/// `<name>.args` beside it; `lpstat` answers as a system with (or without) a default printer.
#[cfg(unix)]
fn stand_ins(dir: &Path, programs: &[&str], printer: bool) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for program in programs {
        let script = if *program == "lpstat" {
            if printer {
                "#!/bin/sh\necho 'system default destination: Office'\n".to_string()
            } else {
                "#!/bin/sh\necho 'no system default destination'\n".to_string()
            }
        } else {
            format!(
                "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done > \"{}/{program}.args\"\n",
                bin.display()
            )
        };
        let path = bin.join(program);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn recorded(bin: &Path, program: &str) -> Vec<String> {
    std::fs::read_to_string(bin.join(format!("{program}.args")))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect()
}

/// Two documents written an hour apart, the agreement the newer.
fn written(fx: &common::Fixture) -> (PathBuf, PathBuf) {
    let dir = stationdesk::documents::documents_dir(&fx.path);
    std::fs::create_dir_all(&dir).unwrap();
    let older = dir.join("来访登记簿-QX01-2026-10.docx");
    let newer = dir.join("人民调解协议书-QX01-2026-001.docx");
    let base = SystemTime::UNIX_EPOCH + Duration::from_secs(1_795_000_000);
    for (path, at, size) in [
        (&older, base, 35 * 1024),
        (&newer, base + Duration::from_secs(3600), 9000),
    ] {
        std::fs::write(path, vec![b'x'; size]).unwrap();
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(at)
            .unwrap();
    }
    // Files the desk does not write are not listed.
    std::fs::write(dir.join("notes.txt"), "x").unwrap();
    (older, newer)
}

/// The screen with the local times replaced, so that the snapshot does not depend on the
/// machine's time zone.
fn without_times(screen: &str, paths: &[&Path]) -> String {
    let mut out = screen.to_string();
    for path in paths {
        let at = std::fs::metadata(path).unwrap().modified().unwrap();
        let shown = chrono::DateTime::<chrono::Local>::from(at)
            .format("%Y-%m-%d %H:%M")
            .to_string();
        out = out.replace(&shown, "YYYY-MM-DD hh:mm");
    }
    let dir = paths[0].parent().unwrap().display().to_string();
    out.replace(&dir, "<documents>")
}

fn desk(fx: &common::Fixture, language: Language, size: (u16, u16)) -> App {
    let store = fx.station();
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(size.0, size.1);
    app
}

#[test]
fn the_documents_screen_lists_what_the_desk_wrote_newest_first() {
    for (language, (w, h), name) in [
        (Language::Chinese, (80, 24), "documents_zh_80x24"),
        (Language::English, (120, 40), "documents_en_120x40"),
    ] {
        let fx = common::Fixture::new();
        let (older, newer) = written(&fx);
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::Char('d')));
        let list = app.layer::<DocumentsList>().expect("the documents screen");
        let names: Vec<&str> = list.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "人民调解协议书-QX01-2026-001.docx",
                "来访登记簿-QX01-2026-10.docx"
            ]
        );
        let (screen, _) = render(&app, w, h);
        assert!(
            screen.contains("人民调解协议书-QX01-2026-001.docx"),
            "{screen}"
        );
        assert!(screen.contains("35 KB"), "{screen}");
        snapshot(name, &without_times(&screen, &[&older, &newer]));
        // Down chooses the older one; Esc goes back home.
        app.handle_key(key(KeyCode::Down));
        assert_eq!(app.layer::<DocumentsList>().unwrap().selected, 1);
        app.handle_key(key(KeyCode::Esc));
        assert!(app.layer::<DocumentsList>().is_none());
    }
}

#[cfg(unix)]
#[test]
fn documents_open_and_print_with_the_systems_programs() {
    let fx = common::Fixture::new();
    let (older, newer) = written(&fx);
    let bin = stand_ins(fx.dir.path(), &["xdg-open", "lpstat", "lp"], true);
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.desk.launcher = Launcher::with_path(bin.as_os_str());
    app.handle_key(key(KeyCode::Char('d')));
    // Enter (or o) opens the chosen document with xdg-open.
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(recorded(&bin, "xdg-open"), [newer.display().to_string()]);
    let message = app.message.clone().unwrap();
    assert!(
        !message.error && message.text.contains("已用系统程序打开"),
        "{message:?}"
    );
    // p sends the chosen one to the default printer; lp cannot print office files itself, but
    // with no LibreOffice here it is what there is.
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Char('p')));
    assert_eq!(
        recorded(&bin, "lp"),
        ["--".to_string(), older.display().to_string()]
    );
    assert!(app
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("已发送到默认打印机"));
    // With LibreOffice there, it prints the office file.
    let bin = stand_ins(fx.dir.path(), &["soffice"], true);
    app.handle_key(key(KeyCode::Char('p')));
    assert_eq!(
        recorded(&bin, "soffice"),
        ["--headless", "-p", &older.display().to_string()]
    );
}

#[cfg(unix)]
#[test]
fn without_a_printer_or_an_opener_the_desk_says_so_in_a_sentence() {
    let fx = common::Fixture::new();
    written(&fx);
    let bin = stand_ins(fx.dir.path(), &["lpstat", "lp"], false);
    let mut app = desk(&fx, Language::Chinese, (80, 24));
    app.desk.launcher = Launcher::with_path(bin.as_os_str());
    app.handle_key(key(KeyCode::Char('d')));
    app.handle_key(key(KeyCode::Char('p')));
    let message = app.message.clone().unwrap();
    assert!(message.error);
    assert!(
        message.text.contains("没有设置默认打印机"),
        "{}",
        message.text
    );
    assert!(recorded(&bin, "lp").is_empty(), "nothing was sent");
    app.handle_key(key(KeyCode::Char('o')));
    let message = app.message.clone().unwrap();
    assert!(message.error);
    assert!(
        message.text.contains("找不到打开文档的程序（xdg-open）"),
        "{}",
        message.text
    );
    // No print system at all.
    app.desk.launcher = Launcher::with_path("");
    app.handle_key(key(KeyCode::Char('p')));
    assert!(app.message.as_ref().unwrap().text.contains("没有打印系统"));
}

#[cfg(unix)]
#[test]
fn the_register_is_written_from_the_intake_list_and_opened_from_its_popup() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.open();
        stationdesk::demo::run_as_of(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed: 3,
                members: 20,
                records: 600,
            },
            morning().date_naive(),
            &mut |_, _| {},
        )
        .unwrap();
    }
    let bin = stand_ins(fx.dir.path(), &["xdg-open", "lpstat", "lp"], true);
    let mut app = App::new(fx.open(), morning(), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    app.desk.launcher = Launcher::with_path(bin.as_os_str());
    app.handle_key(key(KeyCode::Char('v')));
    // x: the register's form, this month by default, contacts masked.
    app.handle_key(key(KeyCode::Char('x')));
    let (screen, _) = render(&app, 80, 24);
    assert!(
        screen.contains("2026-11-01") && screen.contains("2026-11-30"),
        "{screen}"
    );
    app.handle_key(ctrl('s'));
    let ready = app
        .layer::<DocumentReady>()
        .expect("the popup after writing");
    assert_eq!(ready.paths.len(), 2);
    let docx = ready.paths[0].clone();
    assert!(
        docx.ends_with("来访登记簿-QX01-2026-11.docx"),
        "{}",
        docx.display()
    );
    assert!(ready.paths[1].ends_with("来访登记簿-QX01-2026-11.xlsx"));
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("o 打开"), "{screen}");
    assert!(app.message.as_ref().unwrap().text.contains("文档已生成"));
    // o opens it; the popup stays and says so.
    app.handle_key(key(KeyCode::Char('o')));
    assert_eq!(recorded(&bin, "xdg-open"), [docx.display().to_string()]);
    assert!(app.layer::<DocumentReady>().unwrap().outcome.is_some());
    // d: every document, the new one chosen.
    app.handle_key(key(KeyCode::Char('d')));
    assert!(app.layer::<DocumentReady>().is_none());
    let list = app.layer::<DocumentsList>().unwrap();
    assert_eq!(list.chosen().unwrap().path, docx);
    // A wrong period is refused in the form, with nothing written.
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('x')));
    let form = app
        .layer_mut::<stationdesk::tui::screens::documents::RegisterForm>()
        .unwrap();
    form.form.focus_field("to");
    for _ in 0..10 {
        app.handle_key(key(KeyCode::Backspace));
    }
    common::screen::type_text(&mut app, "2026-10-01");
    app.handle_key(ctrl('s'));
    assert!(app.layer::<DocumentReady>().is_none());
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("结束日期早于开始日期"), "{screen}");
}

/// A case concluded with an agreement, for the agreement's keys.
fn concluded_case(
    store: &mut stationdesk::store::Store,
) -> stationdesk::domain::case::MediationCase {
    use stationdesk::domain::case::{
        CaseEvent, CaseFields, CaseSource, Outcome, Party, PartyRole, Session,
    };
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let mut mediator = common::member("王建国");
    mediator.mediator = true;
    let wang = store.add_member(&mediator).unwrap().meta.id;
    let party = |role, name: &str| Party {
        role,
        name: name.into(),
        contact: String::new(),
        id_number: String::new(),
    };
    let case = store
        .register_case(
            &CaseFields {
                received_on: day(2),
                source: CaseSource::WalkIn,
                dispute_type: "邻里纠纷".into(),
                parties: vec![
                    party(PartyRole::Applicant, "刘志强"),
                    party(PartyRole::Respondent, "陈海"),
                ],
                facts: "楼上装修导致楼下天花板开裂".into(),
                mediators: vec![wang],
                ..CaseFields::default()
            },
            None,
        )
        .unwrap();
    store
        .case_event(
            case.meta.id,
            CaseEvent::RecordSession(Session {
                on: day(5),
                place: "工作站".into(),
                attendees: "双方".into(),
                notes: "调解".into(),
            }),
        )
        .unwrap();
    store
        .case_event(
            case.meta.id,
            CaseEvent::Conclude {
                on: day(10),
                outcome: Outcome::Success {
                    terms: "陈海修复天花板".into(),
                    method: "现金".into(),
                    deadline: day(30),
                },
            },
        )
        .unwrap()
}

#[test]
fn the_committee_is_set_in_settings_and_the_agreement_date_is_chosen_by_key() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let case = concluded_case(&mut store);
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    app.resize(80, 24);
    // g: settings; the committee is its last field.
    app.handle_key(key(KeyCode::Char('g')));
    common::screen::sign_in_when_asked(&mut app);
    let form = app
        .layer_mut::<stationdesk::tui::screens::settings::SettingsForm>()
        .unwrap();
    form.form.focus_field("mediation_committee");
    common::screen::type_text(&mut app, "青溪镇人民调解委员会");
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("人民调解委员会"), "{screen}");
    app.handle_key(ctrl('s'));
    assert_eq!(
        app.desk.store.mediation_committee().unwrap(),
        "青溪镇人民调解委员会"
    );
    // The case, found by its number; w asks about the date; Esc writes nothing.
    app.handle_key(key(KeyCode::Char('/')));
    common::screen::type_text(&mut app, &case.case_no);
    app.handle_key(key(KeyCode::Enter));
    app.handle_key(key(KeyCode::Char('w')));
    let (screen, _) = render(&app, 80, 24);
    assert!(screen.contains("按 N 留空手写"), "{screen}");
    app.handle_key(key(KeyCode::Esc));
    let file = stationdesk::documents::documents_dir(&fx.path)
        .join(format!("人民调解协议书-{}.docx", case.case_no));
    assert!(!file.exists(), "Esc writes nothing");
    // n: the date left blank, the seal the committee's.
    app.handle_key(key(KeyCode::Char('w')));
    app.handle_key(key(KeyCode::Char('n')));
    assert!(app.layer::<DocumentReady>().is_some(), "{:?}", app.message);
    let text = stationdesk::documents::docx_text(&std::fs::read(&file).unwrap())
        .unwrap()
        .join("\n");
    assert!(text.contains("青溪镇人民调解委员会（盖章）"), "{text}");
    assert!(text.contains("        年    月    日"));
    assert!(!text.contains("2026年11月10日"));
}

//! Long Chinese text on the desk's screens: the minutes editor, multi-line form fields and
//! detail views wrap by display width, so that no character is lost at the window's edge;
//! snapshots in both languages at 80×24 and 120×40.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::screen::{key, morning, snapshot, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::consult::{Meeting, Topic};
use stationdesk::domain::IntakeFields;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// The screen's text without the spaces and line breaks that wrapping put in.
fn joined(screen: &str) -> String {
    screen.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A paragraph of about `chars` characters, every sentence numbered so that a lost or repeated
/// piece shows.
fn paragraph(chars: usize) -> String {
    let mut text = String::new();
    let mut n = 1;
    while text.chars().count() < chars {
        text.push_str(&format!(
            "第{n}项：主持人张三介绍了幸福里小区停车难的情况，居民代表提出增设夜间停车位。"
        ));
        n += 1;
    }
    text.chars().take(chars).collect()
}

fn desk(fx: &common::Fixture, language: Language, size: (u16, u16)) -> App {
    let store = fx.station();
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(size.0, size.1);
    app
}

#[test]
fn the_minutes_editor_wraps_a_long_paragraph_and_keeps_the_caret_in_view() {
    let text = paragraph(600);
    for (language, (w, h), lang) in [
        (Language::Chinese, (80, 24), "zh"),
        (Language::English, (120, 40), "en"),
        (Language::Chinese, (120, 40), "zh"),
        (Language::English, (80, 24), "en"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        let topic = app
            .desk
            .store
            .add_topic(Topic::new("停车", "", Default::default(), "", vec![]).unwrap())
            .unwrap();
        app.desk
            .store
            .save_meeting(Meeting {
                meta: stationdesk::domain::RecordMeta::unsaved(),
                held_at: day(11, 23).and_hms_opt(9, 0, 0).unwrap(),
                place: "议事厅".into(),
                form: Default::default(),
                host: "李秀兰".into(),
                topics: vec![topic.meta.id],
                members: vec![],
                guests: vec![],
                minutes: String::new(),
                recommendations: vec![],
            })
            .unwrap();
        app.handle_key(key(KeyCode::Char('k')));
        app.handle_key(key(KeyCode::Char('2')));
        app.handle_key(key(KeyCode::Enter));
        app.handle_key(key(KeyCode::Char('e')));
        // Typed as the input method commits it, the caret at its end.
        type_text(&mut app, &text);
        let (end, caret) = common::screen::render(&app, w, h);
        assert!(
            joined(&end).contains(&text),
            "{w}×{h}: every character on screen:\n{end}"
        );
        let caret = caret.expect("the caret is placed for the input method");
        assert!(caret.x < w && caret.y < h - 2, "{caret:?}");
        snapshot(&format!("minutes_long_{lang}_{w}x{h}_end"), &end);
        // The caret in the middle: nothing is cut at the start of a line.
        for _ in 0..4 {
            app.handle_key(key(KeyCode::Up));
        }
        let (middle, _) = common::screen::render(&app, w, h);
        assert!(joined(&middle).contains(&text), "{middle}");
        snapshot(&format!("minutes_long_{lang}_{w}x{h}_middle"), &middle);
    }
}

#[test]
fn a_long_request_wraps_in_the_form_and_in_the_visit_detail() {
    let request = paragraph(180);
    for (language, (w, h), lang) in [
        (Language::Chinese, (80, 24), "zh"),
        (Language::English, (120, 40), "en"),
        (Language::Chinese, (120, 40), "zh"),
        (Language::English, (80, 24), "en"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        // The quick-entry form: the request grows over its rows as it is typed.
        app.handle_key(key(KeyCode::F(3)));
        app.top_form_mut().unwrap().focus_field("request");
        type_text(
            &mut app,
            &request[..request.char_indices().nth(60).unwrap().0],
        );
        let (short, _) = common::screen::render(&app, w, h);
        type_text(
            &mut app,
            &request[request.char_indices().nth(60).unwrap().0..],
        );
        let (form, _) = common::screen::render(&app, w, h);
        let shown = joined(&form);
        assert!(shown.contains(&joined(&request)), "{w}×{h} form:\n{form}");
        assert!(
            form.lines().count() >= short.lines().count(),
            "the field grew instead of scrolling sideways"
        );
        snapshot(&format!("intake_form_long_{lang}_{w}x{h}"), &form);
        // The detail view of a visit with that request.
        let intake = app
            .desk
            .store
            .add_intake(&IntakeFields {
                visited_at: day(11, 20).and_hms_opt(10, 0, 0).unwrap(),
                visitor_name: "刘阿姨".into(),
                visitors: 1,
                category: "交通出行/停车".into(),
                request: request.clone(),
                address: "幸福里小区".into(),
                ..IntakeFields::default()
            })
            .unwrap();
        app.handle_key(key(KeyCode::Esc));
        app.handle_key(key(KeyCode::Char('y')));
        app.handle_key(key(KeyCode::Char('/')));
        type_text(&mut app, "刘阿姨");
        app.handle_key(key(KeyCode::Enter));
        let detail = app
            .layer::<stationdesk::tui::screens::intake_detail::IntakeDetail>()
            .expect("the visit is open");
        assert_eq!(detail.intake.meta.id, intake.meta.id);
        let screen = render(&app, w, h);
        assert!(
            joined(&screen).contains(&joined(&request)),
            "{w}×{h} detail:\n{screen}"
        );
        snapshot(
            &format!("intake_detail_long_{lang}_{w}x{h}"),
            &screen
                .lines()
                .take_while(|l| !l.contains("办理记录") && !l.contains("History"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
}

#[test]
fn the_roster_day_lines_up_names_of_two_three_and_four_characters() {
    for (language, (w, h), lang) in [
        (Language::Chinese, (80, 24), "zh"),
        (Language::English, (120, 40), "en"),
        (Language::Chinese, (120, 40), "zh"),
        (Language::English, (80, 24), "en"),
    ] {
        let fx = common::Fixture::new();
        let mut store = fx.station();
        let today = morning().date_naive();
        for (name, slot) in [
            ("张三", stationdesk::domain::roster::Slot::Morning),
            ("李秀兰", stationdesk::domain::roster::Slot::Morning),
            ("欧阳明华", stationdesk::domain::roster::Slot::Afternoon),
        ] {
            let id = store.add_member(&common::member(name)).unwrap().meta.id;
            store.add_shift(today, slot, id).unwrap();
        }
        let mut app = App::new(store, morning(), Some(language)).unwrap();
        app.resize(w, h);
        app.handle_key(key(KeyCode::Char('r')));
        app.handle_key(key(KeyCode::Enter));
        let screen = render(&app, w, h);
        let state = if language == Language::Chinese {
            "待值班"
        } else {
            "scheduled"
        };
        let columns: Vec<usize> = screen
            .lines()
            .filter(|l| l.contains("张三") || l.contains("李秀兰") || l.contains("欧阳明华"))
            .map(|l| {
                let at = l.find(state).unwrap_or_else(|| panic!("{state} in {l:?}"));
                unicode_width::UnicodeWidthStr::width(&l[..at])
            })
            .collect();
        assert_eq!(columns.len(), 3, "{screen}");
        assert!(
            columns.windows(2).all(|c| c[0] == c[1]),
            "the state column lines up: {columns:?}\n{screen}"
        );
        snapshot(&format!("roster_day_names_{lang}_{w}x{h}"), &screen);
    }
}

/// A visit's detail breaks its request where Chinese text may break: no row starts with a
/// closing mark, and an amount stays with its unit.
#[test]
fn a_detail_starts_no_row_with_a_closing_mark_and_keeps_amounts_whole() {
    let request = "申请人要求赔偿医疗费1860元、误工费2400元，共计4260元；被申请人认为误工天数\
        只有12天（不是20天），同意先付1500元，余款在2027年1月31日前付清。双方约定：\
        如有争议，由幸福里社区人民调解委员会再行调解！"
        .to_string();
    for (language, (w, h), lang) in [
        (Language::Chinese, (80, 24), "zh"),
        (Language::English, (120, 40), "en"),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.desk
            .store
            .add_intake(&IntakeFields {
                visited_at: day(11, 20).and_hms_opt(10, 0, 0).unwrap(),
                visitor_name: "王师傅".into(),
                visitors: 1,
                category: "邻里纠纷".into(),
                request: request.clone(),
                ..IntakeFields::default()
            })
            .unwrap();
        app.handle_key(key(KeyCode::Char('/')));
        type_text(&mut app, "王师傅");
        app.handle_key(key(KeyCode::Enter));
        let screen = render(&app, w, h);
        assert!(joined(&screen).contains(&joined(&request)), "{screen}");
        for row in screen.lines() {
            let first = row.trim_start().chars().next().unwrap_or(' ');
            assert!(
                !stationdesk::text::wrap::NO_LINE_START.contains(&first),
                "{w}×{h}: a row starts with {first}:\n{screen}"
            );
            let last = row.trim_end().chars().last().unwrap_or(' ');
            assert!(
                !stationdesk::text::wrap::NO_LINE_END.contains(&last),
                "{w}×{h}: a row ends with {last}:\n{screen}"
            );
        }
        for amount in ["1860元", "2400元", "4260元", "1500元", "12天", "20天"] {
            assert!(
                screen.contains(amount),
                "{amount} broken at {w}×{h}:\n{screen}"
            );
        }
        snapshot(
            &format!("intake_detail_amounts_{lang}_{w}x{h}"),
            &screen
                .lines()
                .take_while(|l| !l.contains("办理记录") && !l.contains("History"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
    }
}

/// A 600-character request is edited in its middle: Up and Down move by the rows shown, Home
/// and End to the ends of the row shown, Ctrl-Home and Ctrl-End to the ends of the text.
#[test]
fn a_long_request_is_edited_in_its_middle_by_the_rows_shown() {
    let request = paragraph(600);
    for (language, (w, h)) in [
        (Language::Chinese, (80, 24)),
        (Language::English, (120, 40)),
        (Language::Chinese, (120, 40)),
        (Language::English, (80, 24)),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language, (w, h));
        app.handle_key(key(KeyCode::F(3)));
        app.top_form_mut().unwrap().focus_field("request");
        type_text(&mut app, &request);
        let caret = |app: &App| common::screen::render(app, w, h).1.expect("a caret");
        // The field grows into the rows the window has left instead of scrolling in 9 rows.
        let (form, _) = common::screen::render(&app, w, h);
        let rows_shown = form
            .lines()
            .filter(|l| {
                ["主持人", "居民", "停车", "介绍"]
                    .iter()
                    .any(|p| l.contains(p))
            })
            .count();
        assert!(
            rows_shown > 9,
            "{w}×{h}: {rows_shown} rows of the request:\n{form}"
        );
        let end = caret(&app);
        app.handle_key(key(KeyCode::Up));
        let up = caret(&app);
        assert_eq!(up.y + 1, end.y, "{w}×{h}: Up moves one row shown");
        assert!(up.x.abs_diff(end.x) <= 1, "{w}×{h}: and keeps the column");
        for _ in 0..3 {
            app.handle_key(key(KeyCode::Up));
        }
        app.handle_key(key(KeyCode::Down));
        let row = caret(&app);
        assert_eq!(row.y + 3, end.y, "{w}×{h}: four up, one down");
        app.handle_key(key(KeyCode::Home));
        let home = caret(&app);
        assert_eq!(home.y, row.y, "{w}×{h}: Home stays on the row shown");
        app.handle_key(key(KeyCode::End));
        let row_end = caret(&app);
        assert_eq!(row_end.y, row.y, "{w}×{h}: End stays on the row shown");
        assert!(
            row_end.x >= home.x + w / 3,
            "{w}×{h}: End goes to the row's end ({home:?} → {row_end:?})"
        );
        // PgUp pages the text up by the rows shown (this form has no sections), PgDn back.
        app.handle_key(key(KeyCode::PageUp));
        let page_up = caret(&app);
        app.handle_key(key(KeyCode::PageDown));
        let page_down = caret(&app);
        let value = app.top_form_mut().unwrap().value("request");
        assert_eq!(value, request, "{w}×{h}: paging changes nothing");
        assert!(
            page_up != page_down,
            "{w}×{h}: PgUp and PgDn move the caret ({page_up:?}, {page_down:?})"
        );
        app.handle_key(key(KeyCode::Home));
        // Ctrl-Right goes by word (a run of Han characters: at most 19 here, 38 columns), not to
        // the paragraph's end.
        app.handle_key(key(KeyCode::Home));
        let home = caret(&app);
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::Right,
            crossterm::event::KeyModifiers::CONTROL,
        ));
        let word = caret(&app);
        assert!(
            word.y == home.y && word.x > home.x && word.x <= home.x + 40,
            "{w}×{h}: Ctrl-Right from {home:?} to {word:?}"
        );
        // Typed at the start of that row, the text changes in its middle.
        app.handle_key(key(KeyCode::Home));
        type_text(&mut app, "甲");
        let value = app.top_form_mut().unwrap().value("request");
        let at = value.chars().position(|c| c == '甲').unwrap();
        assert!(
            at > 100 && at < 590,
            "{w}×{h}: typed at {at}, not in the middle"
        );
        assert_eq!(value.chars().count(), 601);
        // Ctrl-Home and Ctrl-End: the ends of the whole text.
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::Home,
            crossterm::event::KeyModifiers::CONTROL,
        ));
        type_text(&mut app, "乙");
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::End,
            crossterm::event::KeyModifiers::CONTROL,
        ));
        type_text(&mut app, "丙");
        let value = app.top_form_mut().unwrap().value("request");
        assert!(value.starts_with('乙') && value.ends_with('丙'), "{w}×{h}");
        // Shift selects; Ctrl-C copies and Ctrl-V pastes at the caret.
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::Home,
            crossterm::event::KeyModifiers::CONTROL,
        ));
        for _ in 0..3 {
            app.handle_key(crossterm::event::KeyEvent::new(
                KeyCode::Right,
                crossterm::event::KeyModifiers::SHIFT,
            ));
        }
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::End,
            crossterm::event::KeyModifiers::CONTROL,
        ));
        app.handle_key(crossterm::event::KeyEvent::new(
            KeyCode::Char('v'),
            crossterm::event::KeyModifiers::CONTROL,
        ));
        let value = app.top_form_mut().unwrap().value("request");
        assert!(value.ends_with("丙乙第1"), "{w}×{h}: {value}");
        // F1 lists the editing keys.
        app.handle_key(key(KeyCode::F(1)));
        let (help, _) = common::screen::render(&app, w, h);
        assert!(help.contains("Ctrl-Home / Ctrl-End"), "{help}");
        assert!(help.contains("Home / End"), "{help}");
    }
}

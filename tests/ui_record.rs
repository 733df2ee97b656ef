//! Members' records, the year's assessment and the month's figures in the TestBackend, driven
//! by keys: from the member list to a record, to a figure's records, into one of them and back
//! out to the list; the assessment table sorted and opened; the duty report to a record;
//! snapshots in Chinese and English at 80×24 and 120×40.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{key, morning, snapshot};
use crossterm::event::KeyCode;
use stationdesk::domain::performance::Period;
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::keymap::KeyContext;
use stationdesk::tui::screens::member_record::{AssessmentView, MemberRecordView};
use stationdesk::tui::screens::members::MembersState;
use stationdesk::tui::screens::records_behind::RecordsBehind;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

fn demo_desk(fx: &common::Fixture, language: Language, size: (u16, u16)) -> App {
    if !fx.path.exists() {
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
    }
    let mut app = App::new(fx.open(), morning(), Some(language)).unwrap();
    app.resize(size.0, size.1);
    app
}

/// No chart or mark drawn with characters a terminal set up for Chinese draws two columns wide
/// (block elements and box lines, as charts and gauges use by default, ✓ ✗ × ·): the layout
/// must hold in such a terminal too.
fn assert_unambiguous(screen: &str) {
    for c in screen.chars() {
        let code = c as u32;
        let drawn = (0x2500..=0x259F).contains(&code) || "✓✗×·●".contains(c);
        assert!(
            !drawn,
            "{c:?} ({code:04X}) is drawn two columns wide there: {screen}"
        );
    }
}

/// Moves the record's highlight to `figure`.
fn choose(app: &mut App, figure: &str) {
    for _ in 0..60 {
        if app.layer::<MemberRecordView>().unwrap().figure() == Some(figure) {
            return;
        }
        app.handle_key(key(KeyCode::Down));
    }
    panic!("no figure {figure}");
}

#[test]
fn from_the_member_list_to_a_record_to_its_records_and_back() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx, Language::Chinese, (120, 40));
    app.handle_key(key(KeyCode::Char('m')));
    let member = app
        .layer::<MembersState>()
        .unwrap()
        .selected_member()
        .cloned()
        .unwrap();
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.context(), KeyContext::MemberRecord);
    let view = app.layer::<MemberRecordView>().unwrap();
    assert_eq!(view.record.member_id, member.meta.id);
    assert_eq!(view.period(), Period::Year(2026));
    let expected = app
        .desk
        .store
        .member_record(member.meta.id, Period::Year(2026), morning().naive_local())
        .unwrap();
    assert_eq!(view.record, expected);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("接待来访"), "{screen}");
    assert!(screen.contains("2026年度考核"), "{screen}");
    assert!(
        screen.contains("Enter 查看明细"),
        "the keys are shown: {screen}"
    );

    // Visits received: the visits of the member in the year, paged; one opens, Esc comes back.
    choose(&mut app, "visits.received");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.context(), KeyContext::RecordsBehind);
    let listed = app.layer::<RecordsBehind>().unwrap().rows.len() as i64;
    assert_eq!(listed, expected.visits.received.min(200));
    if listed > 0 {
        app.handle_key(key(KeyCode::Enter));
        assert_eq!(app.context(), KeyContext::IntakeDetail);
        app.handle_key(key(KeyCode::Esc));
    }
    assert_eq!(app.context(), KeyContext::RecordsBehind);
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.context(), KeyContext::MemberRecord);

    // Meetings attended: a meeting opens where it lives, and Esc still comes back here.
    choose(&mut app, "consultations.present");
    app.handle_key(key(KeyCode::Enter));
    let meetings = app.layer::<RecordsBehind>().unwrap().rows.len() as i64;
    assert_eq!(meetings, expected.meetings.present);
    if meetings > 0 {
        app.handle_key(key(KeyCode::Enter));
        assert_eq!(app.context(), KeyContext::MeetingDetail);
        app.handle_key(key(KeyCode::Esc));
    }
    app.handle_key(key(KeyCode::Esc));

    // Activities open in the activity list, kept to the member and the year.
    choose(&mut app, "activity.all");
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.context(), KeyContext::ActivityList);
    let screen = render(&app, 120, 40);
    assert!(screen.contains(&member.fields.name), "{screen}");
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.context(), KeyContext::MemberRecord);

    // ← the year before, y the whole term and back.
    app.handle_key(key(KeyCode::Left));
    assert_eq!(
        app.layer::<MemberRecordView>().unwrap().period(),
        Period::Year(2025)
    );
    app.handle_key(key(KeyCode::Char('y')));
    assert_eq!(
        app.layer::<MemberRecordView>().unwrap().period(),
        Period::Term
    );
    assert!(render(&app, 120, 40).contains("考核按年度进行"));
    app.handle_key(key(KeyCode::Char('y')));
    app.handle_key(key(KeyCode::Right));
    assert_eq!(
        app.layer::<MemberRecordView>().unwrap().period(),
        Period::Year(2026)
    );

    // w writes the record; the desk says where.
    app.handle_key(key(KeyCode::Char('w')));
    let written = std::fs::read_dir(fx.dir.path().join("documents"))
        .unwrap()
        .count();
    assert_eq!(written, 1);
    assert_eq!(app.context(), KeyContext::DocumentReady);
    app.handle_key(key(KeyCode::Esc));

    // Out of the record, the list is where it was.
    app.handle_key(key(KeyCode::Esc));
    assert!(app.screen_is::<MembersState>());
    assert_eq!(app.context(), KeyContext::List);
}

#[test]
fn records_in_both_languages_and_sizes() {
    let fx = common::Fixture::new();
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let mut app = demo_desk(&fx, language, (w, h));
            app.handle_key(key(KeyCode::Char('m')));
            app.handle_key(key(KeyCode::Enter));
            let screen = render(&app, w, h);
            assert_unambiguous(&screen);
            snapshot(&format!("record_{tag}_{w}x{h}"), &screen);
            app.handle_key(key(KeyCode::Esc));
            app.handle_key(key(KeyCode::F(7)));
            assert_eq!(app.context(), KeyContext::Assessment);
            let screen = render(&app, w, h);
            assert_unambiguous(&screen);
            snapshot(&format!("assessment_{tag}_{w}x{h}"), &screen);
        }
    }
}

#[test]
fn the_assessment_sorts_highlights_who_is_behind_and_opens_a_record() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx, Language::Chinese, (120, 40));
    app.handle_key(key(KeyCode::Char('m')));
    app.handle_key(key(KeyCode::F(7)));
    let view = app.layer::<AssessmentView>().unwrap();
    let totals: Vec<i64> = view.order.iter().map(|i| view.rows[*i].1.total).collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    app.handle_key(key(KeyCode::Char('s')));
    let view = app.layer::<AssessmentView>().unwrap();
    let first = view.rows[view.order[0]].1.clone();
    assert!(first.is_behind(), "behind first");
    assert!(render(&app, 120, 40).contains("落后在前"));
    app.handle_key(key(KeyCode::Home));
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.context(), KeyContext::MemberRecord);
    assert_eq!(
        app.layer::<MemberRecordView>().unwrap().record.member_id,
        first.member_id
    );
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('w')));
    assert!(fx
        .dir
        .path()
        .join("documents")
        .join("2026年度委员履职考核表.xlsx")
        .is_file());
}

#[test]
fn the_duty_report_opens_a_members_record_and_home_shows_the_month() {
    let fx = common::Fixture::new();
    let mut app = demo_desk(&fx, Language::Chinese, (100, 30));
    app.handle_key(key(KeyCode::Char('r')));
    app.handle_key(key(KeyCode::Char('t')));
    assert_eq!(app.context(), KeyContext::RosterReport);
    app.handle_key(key(KeyCode::Down));
    app.handle_key(key(KeyCode::Enter));
    assert_eq!(app.context(), KeyContext::MemberRecord);
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.context(), KeyContext::RosterReport);
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Esc));

    app.handle_key(key(KeyCode::Char('t')));
    assert_eq!(app.context(), KeyContext::MonthStats);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("月度统计 2026年11月"), "{screen}");
    assert_unambiguous(&screen);
    snapshot("month_stats_zh", &screen);
    app.handle_key(key(KeyCode::Left));
    assert!(render(&app, 100, 30).contains("2026年10月"));
    app.handle_key(key(KeyCode::Char('w')));
    assert!(fx
        .dir
        .path()
        .join("documents")
        .join("月度统计-2026-10.xlsx")
        .is_file());
}

#[test]
fn the_home_dashboard_in_both_languages_and_sizes() {
    let fx = common::Fixture::new();
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let app = demo_desk(&fx, language, (w, h));
            let board = app
                .layer::<stationdesk::tui::screens::home::Home>()
                .and_then(|h| h.dashboard.clone())
                .expect("the dashboard is read");
            let screen = render(&app, w, h);
            // The figures on screen are the store's.
            let total: i64 = board.months.iter().map(|(_, n)| n).sum();
            assert!(screen.contains(&total.to_string()), "{screen}");
            let (category, _) = &board.categories[0];
            assert!(screen.contains(category.as_str()), "{screen}");
            for key in ["F3", "a ", "t ", "q "] {
                assert!(screen.contains(key), "the menu shows {key}: {screen}");
            }
            assert_unambiguous(&screen);
            snapshot(&format!("home_{tag}_{w}x{h}"), &screen);
        }
    }
}

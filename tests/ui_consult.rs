//! Consultations in the TestBackend, driven by keys: two visits become a topic, the topic goes
//! round its six-step loop with a meeting, minutes typed in the full-screen editor (undo, redo,
//! search, drafts), a recommendation sent and answered, the 4+X rising; a report drafted from
//! visits; snapshots of the lists, the meeting form, the editor and the report form.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, NaiveDate};
use common::screen::{ctrl, key, morning, snapshot, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::consult::{Meeting, Report, Topic, TopicStep};
use stationdesk::domain::{Intake, IntakeFields, IntakeState};
use stationdesk::i18n::Language;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::consult::ConsultState;
use stationdesk::tui::screens::intakes::IntakesState;

fn render(app: &App, width: u16, height: u16) -> String {
    common::screen::render(app, width, height).0
}

/// The screen up to the history, whose times come from the real clock.
fn before_history(screen: &str) -> String {
    screen
        .lines()
        .take_while(|l| !l.contains("办理记录"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// A station with three members and two parking visits.
fn desk(fx: &common::Fixture, language: Language) -> App {
    let mut store = fx.station();
    for name in ["李秀兰", "王建国", "张明"] {
        store.add_member(&common::member(name)).unwrap();
    }
    for (d, request) in [
        (10, "小区院子围起来以后没地方停车"),
        (12, "晚上停车只能停到马路边被贴条"),
    ] {
        store
            .add_intake(&IntakeFields {
                visited_at: day(11, d).and_hms_opt(10, 0, 0).unwrap(),
                visitor_name: "刘阿姨".into(),
                visitors: 1,
                category: "交通出行/停车".into(),
                request: request.into(),
                address: "幸福里小区".into(),
                ..IntakeFields::default()
            })
            .unwrap();
    }
    let mut app = App::new(store, morning(), Some(language)).unwrap();
    app.resize(120, 40);
    common::screen::on_duty(&mut app);
    app
}

fn focus(app: &mut App, field: &str) {
    let form = app.top_form_mut().expect("a form is open");
    form.focus_field(field);
}

#[test]
fn two_visits_become_a_topic_that_goes_round_the_loop() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese);
    app.sign_in(
        app.desk
            .store
            .members_after(&Default::default(), None, 10)
            .unwrap()[0]
            .meta
            .id,
        "李秀兰",
    );
    // Mark both visits, t: a topic.
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(key(KeyCode::Char(' ')));
    app.handle_key(key(KeyCode::Char(' ')));
    assert_eq!(app.layer::<IntakesState>().unwrap().marked.len(), 2);
    app.handle_key(key(KeyCode::Char('t')));
    let form = app
        .layer::<stationdesk::tui::screens::consult_form::TopicForm>()
        .expect("the topic form");
    assert_eq!(form.form.value("title"), "停车");
    assert_eq!(form.intakes.len(), 2);
    focus(&mut app, "title");
    for _ in 0..2 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "幸福里小区停车难");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::consult_form::TopicForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    assert!(app.screen_is::<ConsultState>());
    let topic_id = match &app
        .layer::<stationdesk::tui::screens::consult::DetailView>()
        .unwrap()
        .detail
    {
        stationdesk::tui::screens::consult::ConsultDetail::Topic { topic, .. } => topic.meta.id,
        _ => panic!("the topic is open"),
    };
    // Both visits link to it and are in progress.
    for intake in app
        .desk
        .store
        .intakes_page(&Default::default(), day(11, 23), None, 10)
        .unwrap()
    {
        assert_eq!(intake.intake.state, IntakeState::InProgress);
        assert_eq!(intake.intake.links[0].id, topic_id);
        // The visit names the topic by its title and step, never its id, and its history
        // names the step 转议题.
        let detail = stationdesk::tui::screens::intake_detail::IntakeDetail::load(
            &app.desk.store,
            intake.intake.clone(),
        )
        .unwrap();
        let text: String = detail
            .lines(day(11, 23))
            .iter()
            .map(|l| l.to_string() + "\n")
            .collect();
        assert!(text.contains("小区停车难  [收集议题]"), "{text}");
        assert!(!text.contains(&topic_id.to_string()), "{text}");
        assert!(text.contains("转议题"), "{text}");
        assert!(!text.contains("转调解"), "{text}");
    }
    // n before deciding: refused with a sentence.
    app.handle_key(key(KeyCode::Char('n')));
    assert!(app.message.as_ref().unwrap().error);
    assert!(app.message.as_ref().unwrap().text.contains("确定议题"));
    // d: decided; r: research.
    app.handle_key(key(KeyCode::Char('d')));
    focus(&mut app, "decided_by");
    type_text(&mut app, "工作站联席会议");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('r')));
    focus(&mut app, "findings");
    type_text(&mut app, "小区东侧有空地，学校夜间车位空置");
    app.handle_key(ctrl('s'));
    let topic = app.desk.store.get::<Topic>(topic_id).unwrap().unwrap();
    assert_eq!(topic.step, TopicStep::Researched);
    // n without a meeting: refused.
    app.handle_key(key(KeyCode::Char('n')));
    assert!(app.message.as_ref().unwrap().text.contains("协商会议"));
    let before = app.layer::<ConsultState>().unwrap().quota;
    // m: a meeting on the topic, held this morning.
    app.handle_key(key(KeyCode::Char('m')));
    let screen = render(&app, 120, 40);
    snapshot("meeting_form_zh", &screen);
    focus(&mut app, "held_at");
    for _ in 0..16 {
        app.handle_key(key(KeyCode::Backspace));
    }
    type_text(&mut app, "2026-11-23 09:00");
    focus(&mut app, "present");
    type_text(&mut app, "李秀兰\n王建国");
    focus(&mut app, "leave");
    type_text(&mut app, "张明");
    focus(&mut app, "guests");
    type_text(&mut app, "赵主任 街道办 部门负责人");
    app.handle_key(key(KeyCode::Enter));
    // A role the desk has no kind for is kept as typed.
    type_text(&mut app, "王经理 幸福里物业 物业经理");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::consult_form::MeetingEditForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    // e: the minutes, typed in Chinese; undo, redo and search.
    app.handle_key(key(KeyCode::Char('e')));
    assert!(app
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .is_some());
    type_text(&mut app, "会议围绕小区停车难开展协商。");
    app.handle_key(key(KeyCode::Enter));
    type_text(&mut app, "一致同意与学校共享夜间车位。");
    app.handle_key(ctrl('z'));
    let undone = app
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .unwrap()
        .text();
    assert_ne!(
        undone,
        "会议围绕小区停车难开展协商。\n一致同意与学校共享夜间车位。"
    );
    app.handle_key(ctrl('y'));
    assert_eq!(
        app.layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
            .unwrap()
            .text(),
        "会议围绕小区停车难开展协商。\n一致同意与学校共享夜间车位。"
    );
    app.handle_key(ctrl('f'));
    type_text(&mut app, "停车");
    app.handle_key(key(KeyCode::Enter));
    let screen = render(&app, 120, 40);
    snapshot("minutes_editor_search_zh", &screen);
    assert!(
        !app.layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
            .unwrap()
            .not_found
    );
    app.handle_key(key(KeyCode::Esc)); // closes the search
    assert!(app
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .is_some());
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Esc));
    assert!(app
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .is_none());
    // a: a recommendation; s: sent; f: feedback.
    app.handle_key(key(KeyCode::Char('a')));
    focus(&mut app, "recommendation");
    type_text(&mut app, "与学校协商夜间共享停车位");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('s')));
    focus(&mut app, "submitted_to");
    type_text(&mut app, "街道办事处");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('f')));
    focus(&mut app, "feedback_from");
    type_text(&mut app, "街道办事处");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::consult_form::StepForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let screen = render(&app, 120, 40);
    assert!(screen.contains("办理记录"));
    snapshot("meeting_detail_zh", &before_history(&screen));
    let meeting = app.desk.store.meetings_on(topic_id).unwrap().remove(0);
    assert_eq!(meeting.attendance().present, 2);
    assert_eq!(meeting.attendance().leave, 1);
    assert_eq!(meeting.guests.len(), 2);
    assert_eq!(meeting.guests[1].role_text, "物业经理");
    assert!(before_history(&screen).contains("物业经理"), "{screen}");
    assert!(meeting.recommendations[0].feedback.is_some());
    assert!(meeting.minutes.contains("共享夜间车位"));
    // w: the minutes document.
    app.handle_key(key(KeyCode::Char('w')));
    assert!(!app.message.as_ref().unwrap().error, "{:?}", app.message);
    let file = fx
        .dir
        .path()
        .join("documents")
        .join("会议纪要-2026-11-23-0900.docx");
    let text = stationdesk::documents::docx_text(&std::fs::read(file).unwrap()).unwrap();
    assert!(text.iter().any(|p| p.contains("协商议事会议纪要")));
    assert!(text.iter().any(|p| p == "出席委员：李秀兰、王建国"));
    assert!(text.iter().any(|p| p == "请假委员：张明"));
    assert!(text
        .iter()
        .any(|p| p.contains("赵主任（街道办，部门负责人）")));
    assert!(text
        .iter()
        .any(|p| p.contains("王经理（幸福里物业，物业经理）")));
    assert!(text.iter().any(|p| p == "协商议题：幸福里小区停车难"));
    assert!(text.iter().any(|p| p == "1. 与学校协商夜间共享停车位"));
    // The popup offers to open or print it; Esc closes it, Esc again goes back to the topic.
    assert_eq!(app.popups(), 1);
    app.handle_key(key(KeyCode::Esc));
    assert_eq!(app.popups(), 0);
    // Back to the topic: consulted, submitted, completed.
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('1')));
    app.handle_key(key(KeyCode::Enter));
    for _ in 0..3 {
        app.handle_key(key(KeyCode::Char('n')));
    }
    // Completing the loop says so and asks once.
    assert!(render(&app, 120, 40).contains("六步闭环已完成"));
    app.handle_key(key(KeyCode::Char('y')));
    let topic = app.desk.store.get::<Topic>(topic_id).unwrap().unwrap();
    assert_eq!(topic.step, TopicStep::Completed, "{:?}", app.message);
    // a: the two visits behind the topic are answered from its results and closed in one
    // step, after saying so once.
    app.handle_key(key(KeyCode::Char('a')));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("答复并办结 2 件来访"), "{screen}");
    app.handle_key(key(KeyCode::Char('y')));
    for intake in app
        .desk
        .store
        .intakes_page(&Default::default(), day(11, 23), None, 10)
        .unwrap()
    {
        assert_eq!(intake.intake.state, IntakeState::Closed);
        let reply = intake.intake.feedback.unwrap();
        assert!(reply.text.contains("小区停车难"), "{}", reply.text);
    }
    // Nothing waits any more.
    app.handle_key(key(KeyCode::Char('a')));
    assert!(app.message.as_ref().unwrap().text.contains("没有等待"));
    // o: the completed loop is reopened with a written reason, asked once; back to 成果报送.
    app.handle_key(key(KeyCode::Char('o')));
    app.handle_key(ctrl('s'));
    assert!(render(&app, 120, 40).contains("必填"));
    type_text(&mut app, "县住建局的反馈有误，要重新报送");
    app.handle_key(ctrl('s'));
    assert!(render(&app, 120, 40).contains("回到「成果报送」"));
    app.handle_key(key(KeyCode::Char('y')));
    let reopened = app.desk.store.get::<Topic>(topic_id).unwrap().unwrap();
    assert_eq!(reopened.step, TopicStep::Submitted);
    assert_eq!(reopened.reopenings.len(), 1);
    assert_eq!(
        reopened.reopenings[0].reason,
        "县住建局的反馈有误，要重新报送"
    );
    assert!(render(&app, 120, 40).contains("县住建局的反馈有误"));
    // Completed again, as before.
    app.handle_key(key(KeyCode::Char('n')));
    app.handle_key(key(KeyCode::Char('y')));
    let topic = app.desk.store.get::<Topic>(topic_id).unwrap().unwrap();
    assert_eq!(topic.step, TopicStep::Completed);
    app.handle_key(key(KeyCode::Esc));
    let after = app.layer::<ConsultState>().unwrap().quota;
    assert_eq!(after.consultations, before.consultations + 1);
    let screen = render(&app, 120, 40);
    snapshot("consult_topics_zh", &screen);
}

#[test]
fn a_report_is_drafted_from_visits_then_submitted_and_adopted() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese);
    app.handle_key(key(KeyCode::Char('v')));
    app.handle_key(key(KeyCode::Char(' ')));
    app.handle_key(key(KeyCode::Char(' ')));
    app.handle_key(key(KeyCode::Char('p')));
    let form = app
        .layer::<stationdesk::tui::screens::consult_form::ReportForm>()
        .expect("the report form");
    assert_eq!(form.form.value("title"), "关于停车问题的社情民意信息");
    assert!(form.form.value("body").contains("接待群众来访2件"));
    let screen = render(&app, 120, 40);
    snapshot("report_form_zh", &screen);
    // The member on duty is the author; emptied, the author is required.
    let on_duty = app.desk.signed_in.as_ref().unwrap().name.clone();
    assert_eq!(form.form.value("authors"), on_duty);
    focus(&mut app, "authors");
    app.handle_key(key(KeyCode::End));
    for _ in 0..on_duty.chars().count() {
        app.handle_key(key(KeyCode::Backspace));
    }
    app.handle_key(ctrl('s'));
    assert!(app
        .layer::<stationdesk::tui::screens::consult_form::ReportForm>()
        .is_some());
    type_text(&mut app, "王建国");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::consult_form::ReportForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let before = app.desk.store.quota(morning().naive_local()).unwrap();
    // o before s: refused.
    app.handle_key(key(KeyCode::Char('o')));
    app.handle_key(ctrl('s'));
    assert!(app.message.as_ref().unwrap().error);
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('s')));
    focus(&mut app, "submitted_to");
    type_text(&mut app, "县政协");
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('o')));
    focus(&mut app, "instruction_by");
    type_text(&mut app, "县长");
    app.handle_key(ctrl('s'));
    assert!(
        app.layer::<stationdesk::tui::screens::consult_form::StepForm>()
            .is_none(),
        "{:?}",
        app.message
    );
    let reports = app.desk.store.reports(10).unwrap();
    let report: &Report = &reports[0];
    assert_eq!(report.submitted_to, "县政协");
    assert!(matches!(
        report.result,
        stationdesk::domain::consult::ReportResult::Adopted {
            instruction: Some(_)
        }
    ));
    assert_eq!(report.intakes.len(), 2);
    let after = app.desk.store.quota(morning().naive_local()).unwrap();
    assert_eq!(after.reports, before.reports + 1);
    app.handle_key(key(KeyCode::Esc));
    app.handle_key(key(KeyCode::Char('3')));
    let screen = render(&app, 120, 40);
    snapshot("consult_reports_zh", &screen);
    // The visits link to the report.
    let intake = app
        .desk
        .store
        .get::<Intake>(report.intakes[0])
        .unwrap()
        .unwrap();
    assert!(intake.links.iter().any(|l| l.id == report.meta.id));
}

#[test]
fn minutes_drafts_are_kept_every_few_seconds_and_offered_back() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::Chinese);
    let topic = app
        .desk
        .store
        .add_topic(Topic::new("停车", "", Default::default(), "", vec![]).unwrap())
        .unwrap();
    let meeting = app
        .desk
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
    type_text(&mut app, "第一段纪要");
    app.tick(morning() + Duration::seconds(1));
    assert_eq!(
        app.desk.store.draft(meeting.meta.id).unwrap().as_deref(),
        Some("第一段纪要")
    );
    type_text(&mut app, "，继续");
    // Within three seconds of the last draft: not yet.
    app.tick(morning() + Duration::seconds(2));
    assert_eq!(
        app.desk.store.draft(meeting.meta.id).unwrap().as_deref(),
        Some("第一段纪要")
    );
    app.tick(morning() + Duration::seconds(5));
    assert_eq!(
        app.desk.store.draft(meeting.meta.id).unwrap().as_deref(),
        Some("第一段纪要，继续")
    );
    // The desk goes away without saving (as in a power cut); the next one offers it back.
    drop(app);
    let mut again = App::new(fx.open(), morning(), Some(Language::Chinese)).unwrap();
    again.resize(120, 40);
    let screen = render(&again, 120, 40);
    assert!(screen.contains("恢复吗"), "{screen}");
    again.handle_key(key(KeyCode::Char('y')));
    let editor = again
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .expect("the editor is back");
    assert_eq!(editor.text(), "第一段纪要，继续");
    assert!(editor.is_dirty());
    again.handle_key(ctrl('s'));
    let saved = again
        .desk
        .store
        .get::<Meeting>(meeting.meta.id)
        .unwrap()
        .unwrap();
    assert_eq!(saved.minutes, "第一段纪要，继续");
    assert_eq!(again.desk.store.draft(meeting.meta.id).unwrap(), None);
    // Saying no discards the draft.
    again
        .desk
        .store
        .save_draft(meeting.meta.id, "另一个草稿", morning().naive_local())
        .unwrap();
    let mut third = App::new(fx.open(), morning(), Some(Language::Chinese)).unwrap();
    third.handle_key(key(KeyCode::Char('n')));
    assert!(third
        .layer::<stationdesk::tui::screens::minutes_editor::MinutesEditor>()
        .is_none());
    assert_eq!(third.desk.store.draft(meeting.meta.id).unwrap(), None);
}

#[test]
fn the_consultation_screen_in_english() {
    let fx = common::Fixture::new();
    let mut app = desk(&fx, Language::English);
    app.handle_key(key(KeyCode::Char('k')));
    let screen = render(&app, 120, 40);
    snapshot("consult_empty_en", &screen);
    assert!(screen.contains("consultations 0/4"));
    assert!(screen.contains("reports 0/10"));
}

/// A title longer than its field shows its first words once the caret leaves it (it ended
/// scrolled to its end before, "关于" hidden), and a mark that it goes on; in both languages
/// and sizes.
#[test]
fn a_long_title_shows_its_start_when_the_caret_leaves_it() {
    let title = "关于加快解决幸福里小区停车难问题和夜间共享停车位开放管理的社情民意信息";
    for (language, (w, h)) in [
        (Language::Chinese, (80, 24)),
        (Language::English, (120, 40)),
        (Language::Chinese, (120, 40)),
        (Language::English, (80, 24)),
    ] {
        let fx = common::Fixture::new();
        let mut app = desk(&fx, language);
        app.resize(w, h);
        app.handle_key(key(KeyCode::Char('v')));
        app.handle_key(key(KeyCode::Char(' ')));
        app.handle_key(key(KeyCode::Char('p')));
        focus(&mut app, "title");
        // The drafted title goes, as a person would take it away: End, then Backspace.
        app.handle_key(key(KeyCode::End));
        for _ in 0..40 {
            app.handle_key(key(KeyCode::Backspace));
        }
        assert_eq!(app.top_form_mut().unwrap().value("title"), "");
        common::screen::type_text(&mut app, title);
        assert_eq!(app.top_form_mut().unwrap().value("title"), title);
        let typing = render(&app, w, h);
        assert!(
            !typing.contains("关于加快"),
            "{w}×{h} while typing:\n{typing}"
        );
        app.handle_key(key(KeyCode::Tab));
        let left = render(&app, w, h);
        let row = left
            .lines()
            .find(|l| l.contains("关于加快"))
            .unwrap_or_else(|| panic!("{w}×{h}: the title's start is not shown:\n{left}"));
        assert!(row.contains('⋯'), "{w}×{h}: {row}");
    }
}

//! The registry keeps one record per person: a second active member of the same name is asked
//! about, naming who the other is, and names sort and are found by their surname's reading
//! (曾 Zēng, 单 Shàn, 解 Xiè…), also in a database made before this rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::screen::{ctrl, key, morning, type_text};
use crossterm::event::KeyCode;
use stationdesk::domain::Member;
use stationdesk::i18n::Language;
use stationdesk::store::MemberFilter;
use stationdesk::tui::app::App;
use stationdesk::tui::screens::member_form::MemberForm;
use stationdesk::tui::screens::members::MembersState;

fn names(store: &stationdesk::store::Store, text: &str) -> Vec<String> {
    store
        .members_after(
            &MemberFilter {
                text: text.into(),
                ..Default::default()
            },
            None,
            50,
        )
        .unwrap()
        .into_iter()
        .map(|m| m.fields.name)
        .collect()
}

#[test]
fn a_second_member_of_the_same_name_is_asked_about_with_who_the_other_is() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let mut first = common::member("曾德华");
    first.sector = "经济界".into();
    first.phone = "13800131723".into();
    store.add_member(&first).unwrap();
    let mut app = App::new(store, morning(), Some(Language::Chinese)).unwrap();
    common::screen::on_duty(&mut app);
    app.handle_key(key(KeyCode::Char('m')));
    let add = |app: &mut App| {
        app.handle_key(key(KeyCode::Insert));
        type_text(app, "曾德华");
        app.handle_key(ctrl('s'));
    };
    add(&mut app);
    let (screen, _) = common::screen::render(&app, 120, 40);
    assert!(screen.contains("已有同名委员「曾德华」"), "{screen}");
    assert!(screen.contains("经济界，手机尾号 1723"), "{screen}");
    // No: nothing is added, the form stays with what was typed.
    app.handle_key(key(KeyCode::Char('n')));
    assert!(app.layer::<MemberForm>().is_some());
    assert_eq!(names(&app.desk.store, "曾德华").len(), 1);
    // Ctrl-S asks again; yes adds the second one.
    app.handle_key(ctrl('s'));
    app.handle_key(key(KeyCode::Char('y')));
    assert!(app.layer::<MemberForm>().is_none(), "{:?}", app.message);
    assert_eq!(names(&app.desk.store, "曾德华").len(), 2);
    // Editing one of them without renaming asks nothing: the other is another person.
    assert_eq!(
        app.layer::<MembersState>()
            .unwrap()
            .selected_member()
            .map(|m| m.fields.name.as_str()),
        Some("曾德华")
    );
    app.handle_key(key(KeyCode::F(2)));
    assert!(app.layer::<MemberForm>().is_some());
    app.handle_key(ctrl('s'));
    assert!(app.layer::<MemberForm>().is_none(), "{:?}", app.message);
    assert_eq!(app.popups(), 0);
    // A different name asks nothing.
    app.handle_key(key(KeyCode::Insert));
    type_text(&mut app, "单雄信");
    app.handle_key(ctrl('s'));
    assert!(app.layer::<MemberForm>().is_none(), "{:?}", app.message);
}

#[test]
fn names_sort_and_are_found_by_the_surname_reading() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    for name in ["张伟", "曾德华", "蔡明", "单雄信", "沙力"] {
        store.add_member(&common::member(name)).unwrap();
    }
    // 蔡 cai, 沙 sha, 单 shan, 曾 zeng, 张 zhang: 单 and 曾 by their surname readings.
    assert_eq!(
        names(&store, ""),
        vec!["蔡明", "沙力", "单雄信", "曾德华", "张伟"]
    );
    assert_eq!(names(&store, "zdh"), vec!["曾德华"]);
    assert_eq!(names(&store, "zeng"), vec!["曾德华"]);
    assert!(names(&store, "ceng").is_empty());
    assert_eq!(names(&store, "shanx"), vec!["单雄信"]);
    let hits = store.search("zengdehua", None, 10).unwrap();
    assert!(hits.iter().any(|h| h.title.contains("曾德华")), "{hits:?}");
}

#[test]
fn a_database_made_before_the_surname_rule_is_keyed_again_when_opened() {
    let fx = common::Fixture::new();
    {
        let mut store = fx.station();
        store.add_member(&common::member("曾德华")).unwrap();
        store.add_member(&common::member("蔡明")).unwrap();
    }
    // As version 17 kept it: the common reading.
    {
        let conn = common::connection(&fx.path).unwrap();
        conn.execute(
            "UPDATE member SET search_key = 'cengdehua cdh' WHERE name = '曾德华'",
            [],
        )
        .unwrap();
        // Version 17 had no reopenings either (migration 19).
        conn.execute_batch(
            "ALTER TABLE mediation_case DROP COLUMN reopenings;
             ALTER TABLE topic DROP COLUMN reopenings;",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 17).unwrap();
    }
    let store = fx.open();
    assert_eq!(names(&store, "zdh"), vec!["曾德华"]);
    assert_eq!(names(&store, ""), vec!["蔡明", "曾德华"]);
    let key: String = store
        .changed_since::<Member>(0, 10)
        .unwrap()
        .into_iter()
        .find(|m| m.fields.name == "曾德华")
        .map(|m| stationdesk::domain::pinyin_key::name_key(&m.fields.name))
        .unwrap();
    assert_eq!(key, "zengdehua zdh");
}

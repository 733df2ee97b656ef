//! Intakes and the one search, on real SQLite files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::{member, Fixture};
use stationdesk::domain::intake::Satisfaction;
use stationdesk::domain::{
    Intake, IntakeEvent, IntakeFields, IntakeRefusal, IntakeState, Member, RecordKind,
};
use stationdesk::store::{DueFilter, IntakeFilter, Store, StoreError};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn visit(name: &str, category: &str, request: &str, on: NaiveDate) -> IntakeFields {
    IntakeFields {
        visited_at: on.and_hms_opt(9, 30, 0).unwrap(),
        visitor_name: name.into(),
        phone: String::new(),
        visitors: 1,
        category: category.into(),
        request: request.into(),
        address: "幸福里小区".into(),
        ..IntakeFields::default()
    }
}

fn titles(store: &Store, query: &str) -> Vec<String> {
    store
        .search(query, None, 50)
        .unwrap()
        .into_iter()
        .map(|h| h.title)
        .collect()
}

#[test]
fn search_finds_chinese_substrings_of_any_length_and_pinyin() {
    let fx = Fixture::new();
    let mut store = fx.station();
    store.add_member(&member("张三")).unwrap();
    store
        .add_intake(&visit(
            "王大爷",
            "交通出行/停车",
            "院子围起来以后没地方停车",
            day(11, 2),
        ))
        .unwrap();
    store
        .add_intake(&visit("", "生态环境", "河里的水有臭味", day(11, 3)))
        .unwrap();

    assert_eq!(titles(&store, "水"), ["生态环境"]);
    assert_eq!(titles(&store, "停车"), ["王大爷 | 交通出行/停车"]);
    assert_eq!(titles(&store, "没地方停车"), ["王大爷 | 交通出行/停车"]);
    assert_eq!(titles(&store, "围起来 停车"), ["王大爷 | 交通出行/停车"]);
    assert!(
        titles(&store, "停水").is_empty(),
        "characters must be adjacent"
    );
    assert_eq!(titles(&store, "zs"), ["张三"]);
    assert_eq!(titles(&store, "zhangsan"), ["张三"]);
    assert_eq!(titles(&store, "wdy"), ["王大爷 | 交通出行/停车"]);
    // Both kinds: the member's sector and the intakes share no text; the address is shared.
    assert_eq!(titles(&store, "幸福里").len(), 2);
    // One kind only.
    let members = store.search("医药", Some(RecordKind::Member), 10).unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].kind, RecordKind::Member);
    assert!(store
        .search("医药", Some(RecordKind::Intake), 10)
        .unwrap()
        .is_empty());
    // Newest first.
    let hits = store.search("小区", None, 10).unwrap();
    assert_eq!(hits[0].title, "生态环境");
    assert_eq!(hits[0].date, "2026-11-03");
}

#[test]
fn deleted_records_are_not_found_and_edits_are_found_by_their_new_text() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let gone = store.add_member(&member("李四")).unwrap();
    store.delete::<Member>(gone.meta.id).unwrap();
    assert!(titles(&store, "李四").is_empty());
    assert!(titles(&store, "ls").is_empty());
    store.restore::<Member>(gone.meta.id).unwrap();
    assert_eq!(titles(&store, "李四"), ["李四"]);

    let intake = store
        .add_intake(&visit("", "其他", "路灯坏了", day(11, 5)))
        .unwrap();
    let mut fields = intake.fields.clone();
    fields.request = "井盖松动".into();
    store.edit_intake(intake.meta.id, &fields).unwrap();
    assert!(titles(&store, "路灯").is_empty());
    assert_eq!(titles(&store, "井盖"), ["其他"]);
    store.delete::<Intake>(intake.meta.id).unwrap();
    assert!(titles(&store, "井盖").is_empty());
}

#[test]
fn the_search_index_is_built_for_a_database_that_had_none() {
    let fx = Fixture::new();
    let mut store = fx.station();
    store.add_member(&member("欧阳明")).unwrap();
    store.add_member(&member("赵六")).unwrap();
    drop(store);
    // As if the database came from before the index existed.
    let conn = common::connection(&fx.path).unwrap();
    conn.execute_batch(
        "DELETE FROM search_fts; DELETE FROM search_doc; DELETE FROM settings WHERE key = 'search_index_version';",
    )
    .unwrap();
    drop(conn);
    let store = fx.open();
    assert_eq!(titles(&store, "oym"), ["欧阳明"]);
    assert_eq!(titles(&store, "赵"), ["赵六"]);
}

/// A file of the version before bigrams: its schema stops at step 19 and its index is one of
/// single characters.
fn as_version_19(path: &std::path::Path) {
    let conn = common::connection(path).unwrap();
    conn.execute_batch(
        "DROP TABLE search_fts;
         CREATE VIRTUAL TABLE search_fts USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61');
         DELETE FROM search_doc;
         UPDATE settings SET value = '2' WHERE key = 'search_index_version';
         PRAGMA user_version = 19;",
    )
    .unwrap();
}

#[test]
fn the_index_of_an_earlier_version_is_built_anew_as_bigrams_saying_so() {
    let fx = Fixture::new();
    let mut store = fx.station();
    store.add_member(&member("欧阳明")).unwrap();
    store
        .add_intake(&visit(
            "王大爷",
            "交通出行/停车",
            "小区停车难，物业不管",
            day(11, 2),
        ))
        .unwrap();
    drop(store);
    as_version_19(&fx.path);
    let mut steps = Vec::new();
    let store = Store::open_with(
        &fx.path,
        &common::unlock(),
        stationdesk::store::KdfCost::QUICK,
        &mut |s| steps.push(s),
    )
    .unwrap();
    assert_eq!(
        steps,
        [
            stationdesk::store::ConvertStep::Reindexing,
            stationdesk::store::ConvertStep::Reindexed
        ]
    );
    assert_eq!(titles(&store, "oym"), ["欧阳明"]);
    assert_eq!(titles(&store, "停车难"), ["王大爷 | 交通出行/停车"]);
    assert_eq!(titles(&store, "难物"), ["王大爷 | 交通出行/停车"]);
    assert_eq!(titles(&store, "业"), ["王大爷 | 交通出行/停车"]);
    assert!(titles(&store, "停车物业").is_empty());
    drop(store);
    // Once built, an open says nothing.
    let mut steps = Vec::new();
    drop(
        Store::open_with(
            &fx.path,
            &common::unlock(),
            stationdesk::store::KdfCost::QUICK,
            &mut |s| steps.push(s),
        )
        .unwrap(),
    );
    assert!(steps.is_empty(), "{steps:?}");
}

#[test]
fn a_kill_while_the_index_is_built_anew_loses_nothing_and_the_next_open_builds_it() {
    let fx = Fixture::new();
    let mut store = fx.station();
    store
        .add_intake(&visit("王大爷", "交通出行/停车", "小区停车难", day(11, 2)))
        .unwrap();
    drop(store);
    as_version_19(&fx.path);
    let out = common::command()
        .arg("--db")
        .arg(&fx.path)
        .args(["search", "停车"])
        .env("STATIONDESK_KILL_AT", "reindexing")
        .output()
        .unwrap();
    assert!(!out.status.success());
    // The person at the desk was told what the wait is.
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("重建搜索索引"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::command()
        .arg("--db")
        .arg(&fx.path)
        .args(["search", "停车难"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("王大爷"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("搜索索引已重建"));
}

#[test]
fn the_closed_loop_through_the_store_with_audit() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let intake = store
        .add_intake(&visit("王大爷", "交通出行/停车", "没地方停车", day(11, 2)))
        .unwrap();
    assert_eq!(intake.state, IntakeState::Registered);
    assert_eq!(intake.reply_due, day(11, 17));
    let refused = store.intake_event(intake.meta.id, IntakeEvent::Close);
    assert!(matches!(
        refused,
        Err(StoreError::Refused(IntakeRefusal::NotFrom(
            IntakeState::Registered
        )))
    ));
    let id = intake.meta.id;
    store
        .intake_event(
            id,
            IntakeEvent::Refer {
                department: "街道城管科".into(),
                on: day(11, 3),
            },
        )
        .unwrap();
    store
        .intake_event(
            id,
            IntakeEvent::RecordFeedback {
                on: day(11, 10),
                text: "已协调共享车位".into(),
            },
        )
        .unwrap();
    store
        .intake_event(
            id,
            IntakeEvent::RecordFollowUp {
                on: day(11, 15),
                satisfaction: Satisfaction::Satisfied,
                note: String::new(),
            },
        )
        .unwrap();
    let closed = store.intake_event(id, IntakeEvent::Close).unwrap();
    assert_eq!(closed.state, IntakeState::Closed);
    let history = store.history(id).unwrap();
    let states: Vec<String> = history
        .iter()
        .map(|h| {
            h.after.as_ref().unwrap()["state"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        states,
        [
            "registered",
            "in_progress",
            "answered",
            "followed_up",
            "closed"
        ]
    );
    // Feedback text is searchable.
    assert_eq!(titles(&store, "共享车位"), ["王大爷 | 交通出行/停车"]);
}

#[test]
fn the_list_filters_and_pages_newest_first() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let lee = store.add_member(&member("李秀兰")).unwrap();
    for d in 1..=20 {
        let mut fields = visit(
            "",
            if d % 2 == 0 { "教育" } else { "物业管理" },
            "诉求",
            day(11, d),
        );
        if d % 5 == 0 {
            fields.member_id = Some(lee.meta.id);
        }
        store.add_intake(&fields).unwrap();
    }
    let today = day(11, 22);
    let all = IntakeFilter::default();
    let first = store.intakes_page(&all, today, None, 8).unwrap();
    assert_eq!(first[0].intake.fields.visited_at.date(), day(11, 20));
    let cursor = Store::intake_cursor(&first[7].intake);
    let second = store.intakes_page(&all, today, Some(&cursor), 8).unwrap();
    assert_eq!(second[0].intake.fields.visited_at.date(), day(11, 12));
    let back = store
        .intakes_before(&all, today, &Store::intake_cursor(&second[0].intake), 8)
        .unwrap();
    assert_eq!(
        back.iter().map(|l| l.intake.meta.id).collect::<Vec<_>>(),
        first.iter().map(|l| l.intake.meta.id).collect::<Vec<_>>()
    );

    let education = IntakeFilter {
        category: Some("教育".into()),
        ..IntakeFilter::default()
    };
    assert_eq!(store.count_intakes(&education, today).unwrap(), 10);
    let by_lee = IntakeFilter {
        member: Some(lee.meta.id),
        ..IntakeFilter::default()
    };
    let rows = store.intakes_page(&by_lee, today, None, 10).unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].member_name.as_deref(), Some("李秀兰"));
    let range = IntakeFilter {
        from: Some(day(11, 5)),
        to: Some(day(11, 9)),
        ..IntakeFilter::default()
    };
    assert_eq!(store.count_intakes(&range, today).unwrap(), 5);
    // Reply due 15 days after the visit: visits up to 11-06 are overdue on 11-22, 11-07 is due.
    let overdue = IntakeFilter {
        due: DueFilter::Overdue,
        ..IntakeFilter::default()
    };
    assert_eq!(store.count_intakes(&overdue, today).unwrap(), 6);
    let due_today = IntakeFilter {
        due: DueFilter::DueToday,
        ..IntakeFilter::default()
    };
    assert_eq!(store.count_intakes(&due_today, today).unwrap(), 1);
    let registered = IntakeFilter {
        state: Some(IntakeState::Answered),
        ..IntakeFilter::default()
    };
    assert_eq!(store.count_intakes(&registered, today).unwrap(), 0);
}

#[test]
fn returning_visitors_and_the_same_place() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let mut first = visit("王大爷", "交通出行/停车", "没地方停车", day(11, 2));
    first.phone = "13900001111".into();
    store.add_intake(&first).unwrap();
    let mut other = visit("刘阿姨", "交通出行/停车", "车位被占", day(11, 8));
    other.id_number = "11010519491231002X".into();
    store.add_intake(&other).unwrap();
    store
        .add_intake(&visit("孙", "交通出行/停车", "停车难", day(10, 30)))
        .unwrap();

    let by_phone = store
        .returning_visits("13900001111", "", "", None, 5)
        .unwrap();
    assert_eq!(by_phone.len(), 1);
    let by_id = store
        .returning_visits("", "11010519491231002X", "", None, 5)
        .unwrap();
    assert_eq!(by_id[0].fields.visitor_name, "刘阿姨");
    let by_name = store.returning_visits("", "", "王大爷", None, 5).unwrap();
    assert_eq!(by_name.len(), 1);
    assert!(store
        .returning_visits("", "", "", None, 5)
        .unwrap()
        .is_empty());
    // Two others from 幸福里小区 about parking this month (the October one does not count).
    assert_eq!(
        store
            .same_place_this_month("幸福里小区", "交通出行/停车", day(11, 20), None)
            .unwrap(),
        2
    );
}

#[test]
fn the_same_compound_is_found_however_its_address_is_written() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let mut ids = Vec::new();
    for (d, address) in [
        (3, "老街小区"),
        (5, "老街小区3幢201"),
        (9, "老街小区 5幢"),
        (10, "老街新村2号"),
    ] {
        let intake = store
            .add_intake(&stationdesk::domain::IntakeFields {
                visited_at: day(11, d).and_hms_opt(9, 0, 0).unwrap(),
                visitor_name: "居民".into(),
                visitors: 1,
                category: "物业管理".into(),
                request: "电梯坏了".into(),
                address: address.into(),
                ..Default::default()
            })
            .unwrap();
        ids.push(intake.meta.id);
    }
    // Seen from the third visit: the two others of 老街小区, not 老街新村.
    assert_eq!(
        store
            .same_place_this_month("老街小区 5幢", "物业管理", day(11, 20), Some(ids[2]))
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .same_place_this_month("老街小区", "物业管理", day(11, 20), None)
            .unwrap(),
        3
    );
}

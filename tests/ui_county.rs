//! The county desk's screens, rendered into ratatui's TestBackend: the stations, a station's
//! figures, members and bundles, the members across the county, search, a record, help, and
//! importing a folder, in Chinese and English at 80×24 and 120×40. Two real stations export
//! real bundles that a real (encrypted) county file imports; the bundles' times are then set
//! to fixed ones so that the screens compare.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::county::{county, County};
use common::craft::station_at;
use common::screen::{key, render_county, snapshot};
use crossterm::event::KeyCode;
use stationdesk::bundle::{self, CountyDb, ExportOptions};
use stationdesk::domain::IntakeFields;
use stationdesk::i18n::Language;
use stationdesk::store::Store;
use stationdesk::tui::county::{
    CountyApp, CountyDesk, Import, MemberRecord, Record, Search, Stations,
};

/// Thursday 2026-12-03, 10:00 local: the county desk's clock in these tests.
fn thursday() -> chrono::DateTime<chrono::Local> {
    use chrono::TimeZone;
    chrono::Local
        .with_ymd_and_hms(2026, 12, 3, 10, 0, 0)
        .single()
        .expect("a plain local time")
}

fn visit(
    store: &mut Store,
    day: u32,
    name: &str,
    category: &str,
    request: &str,
    address: &str,
) -> stationdesk::domain::Intake {
    let mut fields = IntakeFields {
        visited_at: chrono::NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap(),
        visitor_name: name.into(),
        phone: "13912345678".into(),
        visitors: 1,
        category: category.into(),
        request: request.into(),
        ..IntakeFields::default()
    };
    fields.address = address.into();
    store.add_intake(&fields).unwrap()
}

/// Two stations' first bundles on a stick.
fn stick(dir: &Path, c: &County) -> PathBuf {
    let stick = dir.join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let mut a = station_at(
        &dir.join("qx.db"),
        "青溪镇政协委员工作站",
        "QX01",
        &c.recipient,
    );
    a.set_town("青溪镇").unwrap();
    for name in ["张伟", "李秀兰", "欧阳明"] {
        a.add_member(&common::member(name)).unwrap();
    }
    visit(
        &mut a,
        10,
        "王大爷",
        "交通出行/停车",
        "小区停车位不够，晚上车停到消防通道",
        "幸福里小区",
    );
    let fee = visit(
        &mut a,
        18,
        "刘阿姨",
        "物业管理",
        "物业费上涨没有公示",
        "建设路12号院",
    );
    // The visit became a mediation case, not concluded yet.
    let mut fields = stationdesk::domain::case::CaseFields::from_intake(
        &fee,
        "物业纠纷",
        chrono::NaiveDate::from_ymd_opt(2026, 11, 18).unwrap(),
    );
    fields.parties[1].name = "建设路物业公司".into();
    let mut mediator = common::member("王建国");
    mediator.mediator = true;
    fields.mediators = vec![a.add_member(&mediator).unwrap().meta.id];
    a.register_case(&fields, Some(fee.meta.id)).unwrap();
    bundle::export(&mut a, &stick, ExportOptions::default()).unwrap();
    let mut b = station_at(
        &dir.join("hd.db"),
        "河东街道政协委员工作站",
        "HD02",
        &c.recipient,
    );
    b.add_member(&common::member("陈海")).unwrap();
    visit(
        &mut b,
        25,
        "赵先生",
        "交通出行/停车",
        "路边停车收费不合理",
        "河东路8号",
    );
    bundle::export(&mut b, &stick, ExportOptions::default()).unwrap();
    stick
}

/// The county with both stations imported, their bundles' times fixed: QX01 sent last on
/// 20 November (late this month), HD02 on 1 December.
fn imported(dir: &Path) -> (County, PathBuf) {
    let c = county(dir, "county");
    let stick = stick(dir, &c);
    let identities = bundle::load_identities(&c.key).unwrap();
    let mut db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    for file in bundle::county_desk::bundles_in(&stick, &identities).unwrap() {
        db.import_one(&file, &identities).unwrap();
    }
    drop(db);
    let conn = c.unlock().raw_connection(&c.db).unwrap();
    conn.execute_batch(
        "UPDATE county_station SET last_bundle_at = '2026-11-20T02:00:00Z' WHERE code = 'QX01';
         UPDATE county_station SET last_bundle_at = '2026-12-01T02:00:00Z' WHERE code = 'HD02';
         UPDATE county_bundle SET created_at = (SELECT last_bundle_at FROM county_station s
                WHERE s.station_id = county_bundle.station_id),
             imported_at = '2026-12-02T01:30:00Z';",
    )
    .unwrap();
    drop(conn);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.refresh_views(None, thursday().naive_local()).unwrap();
    (c, stick)
}

fn app(c: &County, language: Language, size: (u16, u16)) -> CountyApp {
    stationdesk::i18n::use_language(language);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let identities = bundle::load_identities(&c.key).unwrap();
    let mut app = CountyApp::new(CountyDesk::new(db, identities, thursday()));
    app.resize(size.0, size.1);
    app
}

fn press(app: &mut CountyApp, code: KeyCode) {
    app.handle_key(key(code));
}

fn type_in(app: &mut CountyApp, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

#[test]
fn the_stations_list_shows_every_station_with_the_late_one_marked() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let app = app(&c, language, (w, h));
            let screen = render_county(&app, w, h);
            snapshot(&format!("county_stations_{tag}_{w}x{h}"), &screen);
        }
    }
    let mut app = app(&c, Language::Chinese, (120, 40));
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("本月未报送 1 个"), "{screen}");
    // The town each station's bundle named (HD02 named none).
    let rows = app.layer::<Stations>().unwrap();
    assert_eq!(rows.rows[0].code, "HD02");
    assert_eq!(rows.rows[0].town, "");
    assert_eq!(rows.rows[1].town, "青溪镇");
    assert!(
        screen.contains("乡镇") && screen.contains("青溪镇"),
        "{screen}"
    );
    // By town: QX01 of 青溪镇 first, the station without a town last; the town shows at 80
    // columns too.
    press(&mut app, KeyCode::Char('s'));
    let rows = app.layer::<Stations>().unwrap();
    assert_eq!(rows.rows[0].code, "QX01");
    assert_eq!(rows.rows[1].code, "HD02");
    app.resize(80, 24);
    let narrow = render_county(&app, 80, 24);
    assert!(
        narrow.contains("按乡镇") && narrow.contains("青溪镇"),
        "{narrow}"
    );
    snapshot("county_stations_by_town_zh_80x24", &narrow);
    // Late first: QX01 sent nothing in December.
    press(&mut app, KeyCode::Char('s'));
    let rows = app.layer::<Stations>().unwrap();
    assert_eq!(rows.rows[0].code, "QX01");
    assert_eq!(rows.rows[1].code, "HD02");
}

#[test]
fn a_station_opens_on_its_figures_members_and_bundles() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let mut app = app(&c, language, (120, 40));
        // HD02 comes first by code.
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        let screen = render_county(&app, 120, 40);
        // Its own dashboard's figures month by month, from the county's records: QX01's two
        // visits and the case of November.
        assert!(
            screen.contains("2026-11：来访 2  调解案件 1  值班 0"),
            "{screen}"
        );
        snapshot(&format!("county_station_figures_{tag}_120x40"), &screen);
        press(&mut app, KeyCode::Char('2'));
        snapshot(
            &format!("county_station_members_{tag}_120x40"),
            &render_county(&app, 120, 40),
        );
        press(&mut app, KeyCode::Char('4'));
        let detail = app
            .layer::<stationdesk::tui::county::StationDetail>()
            .unwrap();
        assert_eq!(
            detail.cases.len(),
            usize::from(detail.station.code == "QX01")
        );
        press(&mut app, KeyCode::Char('3'));
        snapshot(&format!("county_station_bundles_{tag}_80x24"), &{
            app.resize(80, 24);
            render_county(&app, 80, 24)
        });
        press(&mut app, KeyCode::Esc);
        assert!(app.top_is::<Stations>());
    }
}

#[test]
fn the_members_of_the_whole_county_filter_by_grade_and_sort_by_points() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    let mut app = app(&c, Language::Chinese, (120, 40));
    press(&mut app, KeyCode::Char('m'));
    let screen = render_county(&app, 120, 40);
    snapshot("county_members_zh_120x40", &screen);
    for name in ["张伟", "李秀兰", "欧阳明", "陈海"] {
        assert!(screen.contains(name), "{name}:\n{screen}");
    }
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('g'));
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("按总分"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.top_is::<MemberRecord>());
    let screen = render_county(&app, 120, 40);
    snapshot("county_member_record_zh_120x40", &screen);
    // The records behind the grade, with when each was entered.
    press(&mut app, KeyCode::Char('h'));
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("计入考核的记录"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(app.top_is::<MemberRecord>());
    press(&mut app, KeyCode::Esc);
    assert!(app.top_is::<stationdesk::tui::county::Members>());
}

#[test]
fn search_finds_a_record_of_any_station_by_two_characters_and_opens_it_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let mut app = app(&c, language, (80, 24));
        press(&mut app, KeyCode::Char('/'));
        type_in(&mut app, "停车");
        // The search runs once typing pauses; Enter runs it at once.
        press(&mut app, KeyCode::Enter);
        let found = app.layer::<Search>().unwrap().found.clone();
        assert_eq!(found.len(), 2, "{found:?}");
        // Newest first: HD02's visit of the 25th was entered last.
        assert_eq!(found[0].code, "HD02");
        assert_eq!(found[1].code, "QX01");
        snapshot(
            &format!("county_search_{tag}_80x24"),
            &render_county(&app, 80, 24),
        );
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Enter);
        let record = app.layer::<Record>().unwrap();
        assert_eq!(record.found.code, "QX01");
        assert!(!record.history.is_empty(), "the bundle carried its history");
        assert_eq!(record.history[0].0.action, "insert");
        let screen = render_county(&app, 80, 24);
        assert!(screen.contains("小区停车位不够"), "{screen}");
        assert!(screen.contains("幸福里小区"), "{screen}");
        for _ in 0..4 {
            press(&mut app, KeyCode::PageDown);
        }
        let end = render_county(&app, 80, 24);
        assert!(
            end.contains("录入") || end.contains("entered"),
            "the history shows who entered it:\n{end}"
        );
    }
    // A word no record holds, and one found only in an id, find nothing.
    let mut app = app(&c, Language::Chinese, (80, 24));
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "无此内容");
    app.tick(thursday() + chrono::Duration::seconds(1));
    assert!(app.layer::<Search>().unwrap().found.is_empty());
    assert!(render_county(&app, 80, 24).contains("没有找到"));
    // Typing alone does not search at every keystroke: the search runs once typing pauses.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "停车");
    app.tick(thursday());
    assert!(app.layer::<Search>().unwrap().found.is_empty());
    app.tick(thursday() + chrono::Duration::seconds(2));
    assert_eq!(app.layer::<Search>().unwrap().found.len(), 2);
    // Within one station.
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let qx = db
        .stations()
        .unwrap()
        .into_iter()
        .find(|s| s.code == "QX01")
        .unwrap();
    let only = db.search("停车", Some(&qx.id), 50).unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].code, "QX01");
    // F3 keeps to one station after another (by code), then all again; F4 to a period (the
    // visits came on 10 and 25 November; today is 3 December), searching again at once.
    let codes = |app: &CountyApp| -> Vec<String> {
        let search = app.layer::<Search>().unwrap();
        search.found.iter().map(|f| f.code.clone()).collect()
    };
    press(&mut app, KeyCode::F(3));
    assert_eq!(codes(&app), ["HD02"]);
    assert!(render_county(&app, 80, 24).contains("工作站：HD02"));
    press(&mut app, KeyCode::F(3));
    assert_eq!(codes(&app), ["QX01"]);
    press(&mut app, KeyCode::F(3));
    assert_eq!(codes(&app), ["HD02", "QX01"]);
    assert!(render_county(&app, 80, 24).contains("工作站：全县"));
    for (period, found) in [
        ("本月", 0),
        ("近三个月", 2),
        ("今年", 2),
        ("去年", 0),
        ("全部", 2),
    ] {
        press(&mut app, KeyCode::F(4));
        assert_eq!(codes(&app).len(), found, "{period}");
        let screen = render_county(&app, 80, 24);
        assert!(screen.contains(&format!("时间：{period}")), "{screen}");
    }
    // Pinyin finds a visitor by name, as at the station.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_in(&mut app, "zxs");
    press(&mut app, KeyCode::Enter);
    assert_eq!(codes(&app), ["HD02"]);
}

#[test]
fn help_lists_the_keys_of_the_screen_beneath() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let mut app = app(&c, language, (80, 24));
        press(&mut app, KeyCode::F(1));
        snapshot(
            &format!("county_help_{tag}_80x24"),
            &render_county(&app, 80, 24),
        );
        press(&mut app, KeyCode::Esc);
        assert!(app.top_is::<Stations>());
    }
}

#[test]
fn a_folder_is_shown_bundle_by_bundle_then_imported_with_its_progress() {
    let dir = tempfile::tempdir().unwrap();
    let c = county(dir.path(), "county");
    let stick = stick(dir.path(), &c);
    let mut app = app(&c, Language::Chinese, (120, 40));
    assert!(render_county(&app, 120, 40).contains("还没有导入任何工作站的批次"));
    press(&mut app, KeyCode::Char('i'));
    assert!(app.top_is::<Import>());
    // A folder with no bundles says so.
    type_in(&mut app, &dir.path().display().to_string());
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("里没有批次文件"), "{screen}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('i'));
    type_in(&mut app, &stick.display().to_string());
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert_eq!(
        screen.matches("将导入（新的工作站）").count(),
        2,
        "{screen}"
    );
    press(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        app.tick(thursday());
    }
    let screen = render_county(&app, 120, 40);
    assert!(
        screen.contains("导入完成：成功 2 个，拒绝 0 个"),
        "{screen}"
    );
    assert!(screen.contains("2/2"), "{screen}");
    press(&mut app, KeyCode::Esc);
    let stations = app.layer::<Stations>().unwrap();
    assert_eq!(stations.rows.len(), 2);
    // The same folder again: both already imported, nothing changes.
    press(&mut app, KeyCode::Char('i'));
    type_in(&mut app, &stick.display().to_string());
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert_eq!(screen.matches("已导入过，不会重复").count(), 2, "{screen}");
}

#[test]
fn hot_issues_show_the_categories_the_visits_behind_them_and_a_proposed_topic() {
    use stationdesk::tui::county::{Hot, Requests, Topics};
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    for (language, tag) in [(Language::Chinese, "zh"), (Language::English, "en")] {
        let mut app = app(&c, language, (120, 40));
        press(&mut app, KeyCode::Char('h'));
        let hot = &app.layer::<Hot>().unwrap().hot;
        assert_eq!(hot.year, 2026);
        assert_eq!(hot.categories[0].category, "交通出行/停车");
        assert_eq!(hot.categories[0].total, 2);
        assert_eq!(hot.categories[0].by_month[10], 2);
        assert_eq!(hot.categories[1].category, "物业管理");
        snapshot(
            &format!("county_hot_{tag}_120x40"),
            &render_county(&app, 120, 40),
        );
        press(&mut app, KeyCode::Char('2'));
        app.resize(80, 24);
        snapshot(
            &format!("county_hot_stations_{tag}_80x24"),
            &render_county(&app, 80, 24),
        );
    }
    let mut app = app(&c, Language::Chinese, (120, 40));
    press(&mut app, KeyCode::Char('h'));
    // The visits behind the first category, then one of them.
    press(&mut app, KeyCode::Enter);
    let behind = app.layer::<Requests>().unwrap();
    assert_eq!(behind.found.len(), 2);
    assert!(render_county(&app, 120, 40).contains("路边停车收费不合理"));
    press(&mut app, KeyCode::Enter);
    assert!(app.top_is::<Record>());
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.top_is::<Hot>());
    // Proposed as the county's own topic, with its two visits.
    press(&mut app, KeyCode::Char('p'));
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("已拟为议题"), "{screen}");
    press(&mut app, KeyCode::Char('t'));
    let topics = &app.layer::<Topics>().unwrap().topics;
    assert_eq!(topics.len(), 1);
    assert_eq!(topics[0].category, "交通出行/停车");
    assert_eq!(topics[0].requests.len(), 2);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.layer::<Requests>().unwrap().found.len(), 2);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    // The year as a workbook beside the county file.
    press(&mut app, KeyCode::Char('w'));
    let book = c.db.parent().unwrap().join("热点诉求-2026.xlsx");
    let bytes = std::fs::read(&book).expect("the workbook is written");
    assert!(bytes.starts_with(b"PK"));
    // The topic is the county's own: no station's record changed, and it stays.
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    assert_eq!(db.topics().unwrap().len(), 1);
}

#[test]
fn a_refused_bundle_marks_its_station_until_the_next_one_comes() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    // QX01 writes two more bundles; only the later reaches the county: a gap.
    let mut qx = common::try_open(&dir.path().join("qx.db")).unwrap();
    let later = dir.path().join("later");
    std::fs::create_dir_all(&later).unwrap();
    qx.add_member(&common::member("又一位")).unwrap();
    let second = bundle::export(&mut qx, &later, ExportOptions::default()).unwrap();
    qx.add_member(&common::member("新委员")).unwrap();
    bundle::export(&mut qx, &later, ExportOptions::default()).unwrap();
    std::fs::remove_file(&second.path).unwrap();
    let mut app = app(&c, Language::Chinese, (120, 40));
    press(&mut app, KeyCode::Char('i'));
    type_in(&mut app, &later.display().to_string());
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("缺少第 2 批，将拒绝"), "{screen}");
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        app.tick(thursday());
    }
    assert!(render_county(&app, 120, 40).contains("拒绝 1 个"));
    press(&mut app, KeyCode::Esc);
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("第3批被拒"), "{screen}");
    // The missing bundle comes, then the refused one again: the mark goes.
    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    for entry in std::fs::read_dir(bundle::archive_dir(&qx)).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with("0002.sdb1") || name.ends_with("0003.sdb1") {
            std::fs::copy(&path, again.join(&name)).unwrap();
        }
    }
    press(&mut app, KeyCode::Char('i'));
    type_in(&mut app, &again.display().to_string());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    for _ in 0..4 {
        app.tick(thursday());
    }
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("成功 2 个，拒绝 0 个"), "{screen}");
    press(&mut app, KeyCode::Esc);
    let screen = render_county(&app, 120, 40);
    assert!(!screen.contains("被拒"), "{screen}");
}

/// Every county screen draws at 80×24 and 120×40, in Chinese and English: a title, its keys
/// on the bar with help first, and nothing drawn past the edge (the buffer is the window).
#[test]
fn every_county_screen_draws_at_both_sizes_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    // Each screen: the keys that reach it from the stations list.
    let screens: Vec<(&str, Vec<KeyCode>)> = vec![
        ("stations", vec![]),
        ("station figures", vec![KeyCode::Enter]),
        ("station members", vec![KeyCode::Enter, KeyCode::Char('2')]),
        ("station bundles", vec![KeyCode::Enter, KeyCode::Char('3')]),
        (
            "station cases",
            vec![KeyCode::Down, KeyCode::Enter, KeyCode::Char('4')],
        ),
        (
            "open case",
            vec![
                KeyCode::Down,
                KeyCode::Enter,
                KeyCode::Char('4'),
                KeyCode::Enter,
            ],
        ),
        ("members", vec![KeyCode::Char('m')]),
        ("member record", vec![KeyCode::Char('m'), KeyCode::Enter]),
        (
            "records behind a grade",
            vec![KeyCode::Char('m'), KeyCode::Enter, KeyCode::Char('h')],
        ),
        ("search", vec![KeyCode::Char('/')]),
        ("hot by month", vec![KeyCode::Char('h')]),
        (
            "hot by station",
            vec![KeyCode::Char('h'), KeyCode::Char('2')],
        ),
        ("hot growing", vec![KeyCode::Char('h'), KeyCode::Char('3')]),
        ("visits behind", vec![KeyCode::Char('h'), KeyCode::Enter]),
        ("topics", vec![KeyCode::Char('h'), KeyCode::Char('t')]),
        ("import", vec![KeyCode::Char('i')]),
        ("help", vec![KeyCode::F(1)]),
    ];
    for (language, help) in [(Language::Chinese, "帮助"), (Language::English, "help")] {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            for (name, keys) in &screens {
                let mut app = app(&c, language, (w, h));
                for key in keys {
                    press(&mut app, *key);
                }
                let screen = render_county(&app, w, h);
                let lines: Vec<&str> = screen.lines().collect();
                assert_eq!(lines.len(), usize::from(h), "{name} {w}x{h}");
                assert!(
                    !lines[1].trim().is_empty(),
                    "{name} {w}x{h}: no title\n{screen}"
                );
                assert!(
                    lines[usize::from(h) - 1].contains(help)
                        || lines[usize::from(h) - 1].contains("Esc"),
                    "{name} {w}x{h}: no keys\n{screen}"
                );
                assert!(
                    app.message.as_ref().is_none_or(|m| !m.error),
                    "{name}: {screen}"
                );
            }
        }
    }
}

/// A station re-installed under its code (a new key) is refused from the folder until the
/// clerk confirms it with a reason; then it is imported, and the county's log keeps why.
#[test]
fn a_station_reinstalled_under_its_code_is_imported_once_the_clerk_confirms_why() {
    let dir = tempfile::tempdir().unwrap();
    let (c, _) = imported(dir.path());
    let again = dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let mut reinstalled = station_at(
        &dir.path().join("qx-new.db"),
        "青溪镇政协委员工作站",
        "QX01",
        &c.recipient,
    );
    reinstalled.add_member(&common::member("张伟")).unwrap();
    bundle::export(&mut reinstalled, &again, ExportOptions::default()).unwrap();
    let mut app = app(&c, Language::Chinese, (120, 40));
    press(&mut app, KeyCode::Char('i'));
    type_in(&mut app, &again.display().to_string());
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert!(
        screen.contains("将拒绝") && screen.contains("按 r 确认"),
        "{screen}"
    );
    assert!(
        screen.contains("r 确认重装"),
        "the key bar names it: {screen}"
    );
    // Without a reason nothing is confirmed.
    press(&mut app, KeyCode::Char('r'));
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("重新安装的原因："), "{screen}");
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("请写明原因"), "{screen}");
    type_in(&mut app, "电脑损坏后重装");
    press(&mut app, KeyCode::Enter);
    let screen = render_county(&app, 120, 40);
    assert!(screen.contains("将导入（重新安装的工作站"), "{screen}");
    press(&mut app, KeyCode::Enter);
    for _ in 0..3 {
        app.tick(thursday());
    }
    let screen = render_county(&app, 120, 40);
    assert!(
        screen.contains("导入完成：成功 1 个，拒绝 0 个"),
        "{screen}"
    );
    drop(app);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let log = db.log().unwrap();
    let entry = log.iter().find(|row| row.event == "reinstalled").unwrap();
    assert_eq!(entry.station_code, "QX01");
    assert!(entry.detail.contains("电脑损坏后重装"), "{}", entry.detail);
}

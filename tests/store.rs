//! The store against real SQLite files: migrations, identity and history, soft delete,
//! backups, integrity checks.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{member, Fixture};
use rusqlite::Connection;
use stationdesk::domain::{Member, StationSetup};
use stationdesk::store::{self, latest_version, CheckVerdict, MemberFilter, Store, StoreError};

#[test]
fn migrations_run_from_empty() {
    let fx = Fixture::new();
    let store = fx.open();
    assert_eq!(store.schema_version().unwrap(), latest_version());
    let journal: String = common::connection(&fx.path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    drop(store);
    // Opening again applies nothing and keeps the version.
    assert_eq!(fx.open().schema_version().unwrap(), latest_version());
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let fx = Fixture::new();
    drop(fx.station());
    common::connection(&fx.path)
        .unwrap()
        .pragma_update(None, "user_version", latest_version() + 5)
        .unwrap();
    let before = std::fs::read(&fx.path).unwrap();
    match common::try_open(&fx.path) {
        Err(StoreError::NewerSchema { found, supported }) => {
            assert_eq!(found, latest_version() + 5);
            assert_eq!(supported, latest_version());
        }
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&fx.path).unwrap(), before);
}

#[test]
fn foreign_files_are_refused() {
    let fx = Fixture::new();
    let other = fx.dir.path().join("other.db");
    Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE accounts (id INTEGER)")
        .unwrap();
    assert!(matches!(
        common::try_open(&other),
        Err(StoreError::NotStationdesk { .. })
    ));
    let text = fx.dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库，只是一段文字。".repeat(100)).unwrap();
    // Not a plain SQLite file, and no keys file beside it: not ours, or an encrypted station
    // file whose keys are missing; the message says both.
    assert!(matches!(
        common::try_open(&text),
        Err(StoreError::NoKeys { .. })
    ));
    assert_eq!(
        common::check_file(&text).unwrap(),
        CheckVerdict::NotStationdesk
    );
}

#[test]
fn writing_needs_a_station_and_init_happens_once() {
    let fx = Fixture::new();
    let mut store = fx.open();
    assert!(matches!(
        store.add_member(&member("张三")),
        Err(StoreError::NotInitialised)
    ));
    let setup = StationSetup {
        name: "青溪镇政协委员工作站".into(),
        code: "QX01".into(),
        ..StationSetup::default()
    };
    let station = store.init_station(&setup).unwrap();
    assert!(matches!(
        store.init_station(&setup),
        Err(StoreError::AlreadyInitialised)
    ));
    assert_eq!(store.station().unwrap().unwrap(), station);
    // The public key is a minisign public key, and it matches the secret key.
    let public = minisign::PublicKeyBox::from_string(&station.public_key)
        .unwrap()
        .into_public_key()
        .unwrap();
    let secret = store.signing_key().unwrap();
    let signature =
        minisign::sign(None, &secret, std::io::Cursor::new(b"manifest"), None, None).unwrap();
    minisign::verify(
        &public,
        &signature,
        std::io::Cursor::new(b"manifest"),
        true,
        false,
        false,
    )
    .unwrap();
}

#[test]
fn every_change_writes_exactly_one_audit_row_with_before_and_after() {
    let fx = Fixture::new();
    let mut store = fx.station();
    assert_eq!(store.audit_count().unwrap(), 0);

    let added = store.add_member(&member("李秀兰")).unwrap();
    assert_eq!(added.meta.id.get_version_num(), 7);
    assert_eq!(store.audit_count().unwrap(), 1);

    let mut fields = added.fields.clone();
    fields.specialties = "儿科".into();
    let edited = store.edit_member(added.meta.id, &fields).unwrap();
    assert_eq!(store.audit_count().unwrap(), 2);

    // Saving the same contents again changes nothing and writes nothing.
    let same = store.edit_member(added.meta.id, &fields).unwrap();
    assert_eq!(same, edited);
    assert_eq!(store.audit_count().unwrap(), 2);

    let deleted = store.delete::<Member>(added.meta.id).unwrap();
    let restored = store.restore::<Member>(added.meta.id).unwrap();
    assert_eq!(store.audit_count().unwrap(), 4);

    let history = store.history(added.meta.id).unwrap();
    let actions: Vec<&str> = history.iter().map(|h| h.action.as_str()).collect();
    assert_eq!(actions, ["insert", "update", "delete", "restore"]);
    assert!(history
        .iter()
        .all(|h| h.actor == "李秀兰" && h.kind == "member"));

    assert_eq!(history[0].before, None);
    assert_eq!(
        history[0].after,
        Some(serde_json::to_value(&added).unwrap())
    );
    assert_eq!(
        history[1].before,
        Some(serde_json::to_value(&added).unwrap())
    );
    assert_eq!(
        history[1].after,
        Some(serde_json::to_value(&edited).unwrap())
    );
    assert_eq!(history[1].after.as_ref().unwrap()["specialties"], "儿科");
    assert_eq!(
        history[2].before,
        Some(serde_json::to_value(&edited).unwrap())
    );
    assert_eq!(
        history[2].after,
        Some(serde_json::to_value(&deleted).unwrap())
    );
    assert!(history[2].after.as_ref().unwrap()["deleted_at"].is_string());
    assert_eq!(
        history[3].after,
        Some(serde_json::to_value(&restored).unwrap())
    );
    assert!(history[3].after.as_ref().unwrap()["deleted_at"].is_null());
    // Each audit row carries the rev of the version it wrote.
    let revs: Vec<i64> = history.iter().map(|h| h.rev).collect();
    assert_eq!(
        revs,
        [
            added.meta.rev,
            edited.meta.rev,
            deleted.meta.rev,
            restored.meta.rev
        ]
    );
}

#[test]
fn rev_strictly_increases_across_records_and_operations() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let mut last = store.last_rev().unwrap();
    let mut ids = Vec::new();
    for name in ["张三", "李四", "王五"] {
        let m = store.add_member(&member(name)).unwrap();
        assert!(m.meta.rev > last);
        last = m.meta.rev;
        ids.push(m.meta.id);
    }
    for id in &ids {
        let m = store.set_member_active(*id, false).unwrap();
        assert!(m.meta.rev > last);
        last = m.meta.rev;
        let m = store.delete::<Member>(*id).unwrap();
        assert!(m.meta.rev > last);
        last = m.meta.rev;
    }
    assert_eq!(store.last_rev().unwrap(), last);
    // The records changed after a rev are what an export carries, each in its latest version:
    // the last five changes touched all three members, whose latest versions are deletions.
    let changed = store.changed_since::<Member>(last - 5, 100).unwrap();
    assert_eq!(changed.len(), 3);
    assert!(changed.iter().all(|m| m.meta.deleted_at.is_some()));
}

#[test]
fn soft_delete_hides_and_restore_brings_back() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let kept = store.add_member(&member("张三")).unwrap();
    let gone = store.add_member(&member("张三丰")).unwrap();
    store.delete::<Member>(gone.meta.id).unwrap();

    assert!(store.get::<Member>(gone.meta.id).unwrap().is_none());
    assert!(store.get_any::<Member>(gone.meta.id).unwrap().is_some());
    let filter = MemberFilter {
        text: "张三".into(),
        ..MemberFilter::default()
    };
    let listed = store.members_after(&filter, None, 10).unwrap();
    assert_eq!(
        listed.iter().map(|m| m.meta.id).collect::<Vec<_>>(),
        vec![kept.meta.id]
    );
    assert_eq!(store.count_members(&filter).unwrap(), 1);
    let bin = MemberFilter {
        deleted: true,
        ..MemberFilter::default()
    };
    assert_eq!(store.members_after(&bin, None, 10).unwrap().len(), 1);
    // A deleted record cannot be edited or deleted again; restoring a live one is refused.
    assert!(matches!(
        store.edit_member(gone.meta.id, &member("改名")),
        Err(StoreError::Deleted { .. })
    ));
    assert!(matches!(
        store.delete::<Member>(gone.meta.id),
        Err(StoreError::Deleted { .. })
    ));
    assert!(matches!(
        store.restore::<Member>(kept.meta.id),
        Err(StoreError::NotDeleted { .. })
    ));

    store.restore::<Member>(gone.meta.id).unwrap();
    assert_eq!(store.members_after(&filter, None, 10).unwrap().len(), 2);
    assert_eq!(store.count_members(&filter).unwrap(), 2);
}

#[test]
fn invalid_members_are_refused_with_the_field_named() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let mut bad = member("  ");
    bad.phone = "12345".into();
    match store.add_member(&bad) {
        Err(StoreError::Invalid(problems)) => {
            let fields: Vec<&str> = problems.iter().map(|p| p.0).collect();
            assert_eq!(fields, ["name", "phone"]);
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(store.audit_count().unwrap(), 0);
}

#[test]
fn registry_pages_by_keyset_in_pinyin_order_and_filters_by_initials() {
    let fx = Fixture::new();
    let mut store = fx.station();
    for name in [
        "王建国",
        "李秀兰",
        "张三",
        "赵六",
        "曾国藩",
        "单田芳",
        "欧阳明",
    ] {
        store.add_member(&member(name)).unwrap();
    }
    let all = MemberFilter::default();
    let first = store.members_after(&all, None, 3).unwrap();
    let cursor = Store::member_cursor(first.last().unwrap());
    let second = store.members_after(&all, Some(&cursor), 10).unwrap();
    assert_eq!(first.len() + second.len(), 7);
    let names: Vec<String> = first
        .iter()
        .chain(&second)
        .map(|m| m.fields.name.clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| stationdesk::domain::pinyin_key::name_key(n));
    assert_eq!(names, sorted);
    let back = store
        .members_before(&all, &Store::member_cursor(&second[0]), 3)
        .unwrap();
    assert_eq!(
        back.iter().map(|m| m.meta.id).collect::<Vec<_>>(),
        first.iter().map(|m| m.meta.id).collect::<Vec<_>>()
    );

    let by = |text: &str| -> Vec<String> {
        let filter = MemberFilter {
            text: text.into(),
            ..MemberFilter::default()
        };
        store
            .members_after(&filter, None, 10)
            .unwrap()
            .into_iter()
            .map(|m| m.fields.name)
            .collect()
    };
    assert_eq!(by("zs"), ["张三"]);
    assert_eq!(by("ZHANGS"), ["张三"]);
    assert_eq!(by("秀"), ["李秀兰"]);
    assert_eq!(by("stf"), ["单田芳"]);
    assert_eq!(by("zgf"), ["曾国藩"]);
    assert_eq!(by("oym"), ["欧阳明"]);
    assert!(by("%").is_empty());
}

#[test]
fn deactivated_members_leave_the_default_list() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let m = store.add_member(&member("张三")).unwrap();
    store.set_member_active(m.meta.id, false).unwrap();
    assert_eq!(store.count_members(&MemberFilter::default()).unwrap(), 0);
    let everyone = MemberFilter {
        include_inactive: true,
        ..MemberFilter::default()
    };
    assert_eq!(store.count_members(&everyone).unwrap(), 1);
}

fn dump(path: &std::path::Path) -> Vec<String> {
    let conn = common::connection(path).unwrap();
    let mut rows = Vec::new();
    for table in [
        "station",
        "change_seq",
        "member",
        "audit_log",
        "member_pin",
        "settings",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(row) = q.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}|{}", cells.join("|")));
        }
    }
    rows
}

#[test]
fn backup_then_restore_round_trips_every_row() {
    let fx = Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 30,
            records: 200,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let pinned = store.add_member(&member("张三")).unwrap();
    store.set_member_pin(pinned.meta.id, "2468").unwrap();
    store.set_setting("reply_days", "15").unwrap();
    let backup = store.backup_into(&fx.dir.path().join("out")).unwrap();
    assert!(backup.is_file());
    assert!(matches!(
        common::check_file(&backup).unwrap(),
        CheckVerdict::Sound { .. }
    ));
    let saved = dump(&fx.path);
    assert_eq!(dump(&backup), saved);

    // Change things after the backup, then restore it.
    let extra = store.add_member(&member("后来者")).unwrap();
    store.delete::<Member>(pinned.meta.id).unwrap();
    let safety = store::restore_from(&mut store, &backup, Some(&common::unlock())).unwrap();
    assert!(safety.is_file());
    assert!(store.get::<Member>(extra.meta.id).unwrap().is_none());
    assert!(store.get::<Member>(pinned.meta.id).unwrap().is_some());
    assert!(store.verify_member_pin(pinned.meta.id, "2468").unwrap());
    // The change counter never goes back (a later bundle must carry later edits as newer);
    // everything else is as it was in the backup.
    let counter_after = store.last_rev().unwrap();
    drop(store);
    let without_counter = |rows: Vec<String>| -> Vec<String> {
        rows.into_iter()
            .filter(|r| !r.starts_with("change_seq|"))
            .collect()
    };
    let restored = dump(&fx.path);
    assert!(without_counter(restored) == without_counter(saved.clone()));
    assert!(
        counter_after > extra.meta.rev,
        "the counter kept its highest value"
    );
    // The safety copy holds what was there just before the restore.
    let safety_store = common::try_open(&safety).unwrap();
    assert!(safety_store.get::<Member>(extra.meta.id).unwrap().is_some());
}

#[test]
fn restore_refuses_a_foreign_or_damaged_file_and_changes_nothing() {
    let fx = Fixture::new();
    let mut store = fx.station();
    store.add_member(&member("张三")).unwrap();
    let junk = fx.dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just bytes".repeat(200)).unwrap();
    assert!(matches!(
        store::restore_from(&mut store, &junk, Some(&common::unlock())),
        Err(StoreError::NotStationdesk { .. })
    ));
    assert_eq!(store.count_members(&MemberFilter::default()).unwrap(), 1);
}

/// Writes a station with enough members to span many pages, closes it cleanly (so the WAL is
/// folded into the main file), then overwrites one page in the middle with garbage.
fn corrupted_database(fx: &Fixture) -> std::path::PathBuf {
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 9,
            members: 2000,
            records: 0,
        },
        &mut |_, _| {},
    )
    .unwrap();
    drop(store);
    let mut bytes = std::fs::read(&fx.path).unwrap();
    let page = 4096;
    assert!(
        bytes.len() > page * 40,
        "database too small: {}",
        bytes.len()
    );
    for b in &mut bytes[page * 20..page * 21] {
        *b = 0x5a;
    }
    std::fs::write(&fx.path, &bytes).unwrap();
    fx.path.clone()
}

#[test]
fn check_detects_a_corrupted_file() {
    let fx = Fixture::new();
    let path = corrupted_database(&fx);
    match common::check_file(&path).unwrap() {
        CheckVerdict::Damaged(problems) => assert!(!problems.is_empty()),
        other => panic!("expected Damaged, got {other:?}"),
    }
    let out = common::command()
        .args(["--db", path.to_str().unwrap(), "check"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("已损坏"), "{stdout}");
}

#[test]
fn auto_backup_runs_once_a_day() {
    let fx = Fixture::new();
    let store = fx.station();
    let now = chrono::Local::now();
    let first = store::auto_backup(&store, now).unwrap();
    assert!(first.is_some());
    assert!(store::auto_backup(&store, now).unwrap().is_none());
    let later = now + chrono::Duration::hours(25);
    // A backup stamped with the real clock is less than a day older than `later` only if the
    // clock is used; here the newest backup is 25 hours old from `later`'s point of view.
    assert!(store::auto_backup(&store, later).unwrap().is_some());
    // Both were made today, and rotation keeps the newest of each day.
    let dir = store::backup_dir_for(&fx.path);
    let kept = store::list_backups(&dir);
    assert_eq!(kept.len(), 1);
    assert!(kept[0].path.is_file());
}

/// (id, text) pairs of what a demo run made.
type Made = Vec<(String, String)>;

#[test]
fn demo_data_is_deterministic_for_a_seed() {
    let made = |seed: u64| -> (Made, Made) {
        let fx = Fixture::new();
        let mut store = fx.open();
        stationdesk::demo::run(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed,
                members: 50,
                records: 100,
            },
            &mut |_, _| {},
        )
        .unwrap();
        let everyone = MemberFilter {
            include_inactive: true,
            ..MemberFilter::default()
        };
        let members = store
            .members_after(&everyone, None, 1000)
            .unwrap()
            .into_iter()
            .map(|m| (m.meta.id.to_string(), m.fields.name))
            .collect();
        let today = chrono::Local::now().date_naive();
        let intakes = store
            .intakes_page(&Default::default(), today, None, 1000)
            .unwrap()
            .into_iter()
            .map(|l| (l.intake.meta.id.to_string(), l.intake.fields.request))
            .chain(
                store
                    .changed_since::<stationdesk::domain::case::MediationCase>(0, 1000)
                    .unwrap()
                    .into_iter()
                    .map(|c| (c.meta.id.to_string(), c.case_no)),
            )
            .collect();
        (members, intakes)
    };
    let (members, intakes) = made(42);
    assert_eq!(members.len(), 50);
    assert_eq!(intakes.len(), 100, "intakes and cases share the records");
    assert_eq!((members.clone(), intakes.clone()), made(42));
    assert_ne!(members, made(43).0);
}

#[test]
fn pins_are_hashed_and_checked() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let m = store.add_member(&member("李秀兰")).unwrap();
    assert!(store.verify_member_pin(m.meta.id, "").unwrap());
    assert!(matches!(
        store.set_member_pin(m.meta.id, "12"),
        Err(StoreError::Invalid(_))
    ));
    store.set_member_pin(m.meta.id, "135790").unwrap();
    assert!(store.member_has_pin(m.meta.id).unwrap());
    assert!(store.verify_member_pin(m.meta.id, "135790").unwrap());
    assert!(!store.verify_member_pin(m.meta.id, "135791").unwrap());
    let stored: String = common::connection(&fx.path)
        .unwrap()
        .query_row("SELECT pin_hash FROM member_pin", [], |r| r.get(0))
        .unwrap();
    assert!(stored.starts_with("$argon2") && !stored.contains("135790"));
    store.clear_member_pin(m.meta.id).unwrap();
    assert!(!store.member_has_pin(m.meta.id).unwrap());
}

#[test]
fn choice_lists_come_from_the_station_copy_when_there_is_one() {
    let fx = Fixture::new();
    let store = fx.station();
    assert!(store
        .choice_list("sectors")
        .contains(&"医药卫生界".to_string()));
    let dir = fx.dir.path().join("lists");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("sectors.txt"),
        "# 本县的界别\n经济界\n新的社会阶层人士\n",
    )
    .unwrap();
    assert_eq!(store.choice_list("sectors"), ["经济界", "新的社会阶层人士"]);
    assert!(store
        .choice_list("parties")
        .contains(&"中共党员".to_string()));
    assert!(store.choice_list("unknown").is_empty());
}

#[test]
fn nobody_changes_anything_and_the_program_writes_as_system() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    store.set_nobody();
    assert!(matches!(
        store.add_member(&common::member("李秀兰")),
        Err(stationdesk::store::StoreError::NobodySignedIn)
    ));
    assert_eq!(store.count_members(&Default::default()).unwrap(), 0);
    let member = store
        .as_system(|s| s.add_member(&common::member("李秀兰")))
        .unwrap();
    assert_eq!(store.history(member.meta.id).unwrap()[0].actor, "system");
    // The actor before is back afterwards.
    assert_eq!(store.actor(), stationdesk::store::NOBODY);
}

/// The database's indexes: name and definition.
fn indexes(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = common::connection(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn a_bulk_load_stopped_halfway_gets_its_indexes_back_at_the_next_start() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let before = indexes(&fx.path);
    assert!(before.iter().any(|(n, _)| n == "intake_visitor"));
    store.suspend_indexes().unwrap();
    let during = indexes(&fx.path);
    for gone in [
        "intake_visitor",
        "intake_owed",
        "case_open_by_due",
        "audit_log_record",
    ] {
        assert!(during.iter().all(|(n, _)| n != gone), "{gone} is put aside");
    }
    assert!(during.len() < before.len());
    // The load stops here (a power cut): the next start makes every index again.
    drop(store);
    let store = fx.open();
    assert_eq!(indexes(&fx.path), before);
    let waiting: i64 = common::connection(&fx.path)
        .unwrap()
        .query_row("SELECT count(*) FROM bulk_index", [], |r| r.get(0))
        .unwrap();
    assert_eq!(waiting, 0);
    drop(store);
}

#[test]
fn the_demo_leaves_the_same_indexes_as_a_new_database() {
    let fresh = Fixture::new();
    drop(fresh.station());
    let fx = Fixture::new();
    let mut store = fx.station();
    let options = stationdesk::demo::DemoOptions {
        members: 8,
        records: 300,
        ..stationdesk::demo::DemoOptions::default()
    };
    stationdesk::demo::run(&mut store, &options, &mut |_, _| {}).unwrap();
    assert_eq!(indexes(&fx.path), indexes(&fresh.path));
    // And the rebuild of the counts, which reads through named indexes, finds them.
    store.resume_counts().unwrap();
}

//! The exchange chain under faults: a failure at any step of writing a bundle, a restore of an
//! older backup and a full disk never fork the chain a county follows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::county::{county, import, County};
use common::craft::{sha, station_at};
use common::Fixture;
use stationdesk::bundle::{self, BundleError, DeliveryStep, ExportOptions, ImportOutcome};
use stationdesk::domain::Member;
use stationdesk::store::Store;

fn small_station(fx: &Fixture, recipient: &str) -> Store {
    let mut store = fx.station();
    store.set_county_recipient(recipient).unwrap();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 6,
            records: 12,
        },
        &mut |_, _| {},
    )
    .unwrap();
    store
}

fn dir(base: &Path, name: &str) -> PathBuf {
    let dir = base.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// What must hold after any export, failed or not: every bundle file on the stick is one the
/// station recorded and archived byte for byte; every recorded bundle's archive copy is the
/// file recorded; nothing half-written is left anywhere.
fn assert_no_fork_possible(store: &Store, stick: &Path) {
    let archive = bundle::archive_dir(store);
    for name in names_in(stick) {
        assert!(
            !name.ends_with(".partial"),
            "a partial file on the stick: {name}"
        );
        let noted = store
            .bundle_named(&name)
            .unwrap()
            .unwrap_or_else(|| panic!("{name} is on the stick but the station never recorded it"));
        let on_stick = std::fs::read(stick.join(&name)).unwrap();
        let archived = std::fs::read(archive.join(&name)).unwrap();
        assert_eq!(
            on_stick, archived,
            "{name}: the stick and the archive differ"
        );
        assert_eq!(sha(&on_stick), noted.file_sha256);
    }
    for noted in store.bundles().unwrap() {
        let archived = std::fs::read(archive.join(&noted.file_name))
            .unwrap_or_else(|_| panic!("bundle {} is recorded but not archived", noted.seq));
        assert_eq!(
            sha(&archived),
            noted.file_sha256,
            "archive copy of {}",
            noted.seq
        );
    }
    for name in names_in(&archive) {
        assert!(
            !name.ends_with(".partial"),
            "a partial file in the archive: {name}"
        );
        assert!(
            store.bundle_named(&name).unwrap().is_some(),
            "{name} is archived but nobody recorded it"
        );
    }
}

fn import_all(c: &County, stick: &Path) -> Vec<ImportOutcome> {
    names_in(stick)
        .iter()
        .map(|name| import(c, &stick.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

fn county_names(c: &County) -> Vec<String> {
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let mut names: Vec<String> = db
        .records("member")
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap_or_default().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failure_at_any_step_of_an_export_never_forks_the_chain() {
    for step in DeliveryStep::ALL {
        let fx = Fixture::new();
        let c = county(fx.dir.path(), "county");
        let mut store = small_station(&fx, &c.recipient);
        let stick = dir(fx.dir.path(), "stick");
        let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
        assert!(matches!(
            import(&c, &first.path).unwrap(),
            ImportOutcome::Imported { seq: 1, .. }
        ));
        std::fs::remove_file(&first.path).unwrap();

        store.add_member(&common::member("故障甲")).unwrap();
        let err = bundle::export_with_faults(
            &mut store,
            &stick,
            ExportOptions::default(),
            &mut |_| {},
            &mut |at| {
                if at == step {
                    Err(std::io::Error::other("injected"))
                } else {
                    Ok(())
                }
            },
        )
        .expect_err("the injected fault fails the export");
        assert_no_fork_possible(&store, &stick);
        let recorded = store.bundles().unwrap().len() == 2;
        match step {
            DeliveryStep::ArchiveWrite | DeliveryStep::LogCommit => {
                assert!(!recorded, "{step:?}: nothing may be recorded");
                assert!(matches!(err, BundleError::Io(..)), "{step:?}: {err}");
                assert!(
                    names_in(&stick).is_empty(),
                    "{step:?}: {:?}",
                    names_in(&stick)
                );
            }
            DeliveryStep::StickWrite | DeliveryStep::ReadBack | DeliveryStep::Rename => {
                assert!(recorded, "{step:?}: the bundle is the station's now");
                let BundleError::NotDelivered { seq, file_name, .. } = &err else {
                    panic!("{step:?}: {err}");
                };
                assert_eq!(*seq, 2);
                assert!(
                    names_in(&stick).is_empty(),
                    "{step:?}: {:?}",
                    names_in(&stick)
                );
                // Written again, byte for byte the recorded one, and the county takes it.
                let again = bundle::write_again(&store, file_name, &stick).unwrap();
                assert_no_fork_possible(&store, &stick);
                assert!(matches!(
                    import(&c, &again).unwrap(),
                    ImportOutcome::Imported { seq: 2, .. }
                ));
                std::fs::remove_file(&again).unwrap();
            }
        }
        // The next export continues the chain, and the county follows it.
        store.add_member(&common::member("故障乙")).unwrap();
        let next = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
        assert_eq!(next.manifest.seq, if recorded { 3 } else { 2 }, "{step:?}");
        assert_no_fork_possible(&store, &stick);
        for outcome in import_all(&c, &stick) {
            assert!(
                matches!(outcome, ImportOutcome::Imported { .. }),
                "{step:?}: {outcome:?}"
            );
        }
        let names = county_names(&c);
        assert!(names.contains(&"故障甲".to_string()), "{step:?}: {names:?}");
        assert!(names.contains(&"故障乙".to_string()), "{step:?}: {names:?}");
    }
}

#[test]
fn a_stale_archive_copy_is_never_written_again() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = small_station(&fx, &c.recipient);
    let stick = dir(fx.dir.path(), "stick");
    // An earlier run left a file under the name the next bundle gets, and recorded nothing.
    let name = format!("QX01-{}-0001.sdb1", chrono::Local::now().format("%Y%m%d"));
    let archive = bundle::archive_dir(&store);
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::write(archive.join(&name), b"an old attempt").unwrap();
    let out = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(out.path.file_name().unwrap().to_string_lossy(), name);
    assert_no_fork_possible(&store, &stick);
    // And a copy changed after it was recorded is refused rather than sent.
    std::fs::write(archive.join(&name), b"changed since").unwrap();
    let other = dir(fx.dir.path(), "other-stick");
    assert!(matches!(
        bundle::write_again(&store, &name, &other),
        Err(BundleError::NotInArchive(_))
    ));
    assert!(names_in(&other).is_empty());
}

#[test]
fn an_export_with_nothing_changed_asks_for_leave() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = small_station(&fx, &c.recipient);
    let stick = dir(fx.dir.path(), "stick");
    bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    let err = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap_err();
    assert!(matches!(err, BundleError::NothingChanged), "{err}");
    assert_eq!(store.bundles().unwrap().len(), 1, "no number spent");
    let empty = bundle::export(
        &mut store,
        &stick,
        ExportOptions {
            allow_empty: true,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(empty.manifest.seq, 2);
    assert!(empty.manifest.counts.iter().all(|(_, n)| *n == 0));
    // The command line says so, and writes nothing.
    let out = common::command()
        .arg("--db")
        .arg(&fx.path)
        .args(["--lang", "en", "export", "--out"])
        .arg(&stick)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--allow-empty"), "{said}");
    assert_eq!(names_in(&stick).len(), 2);
}

#[test]
fn a_plaintext_bundle_takes_no_number_and_the_county_refuses_it() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = small_station(&fx, &c.recipient);
    let mut landline = common::member("座机委员");
    landline.phone = "6234567".into();
    let landline = store.add_member(&landline).unwrap();
    let stick = dir(fx.dir.path(), "stick");
    let plain = bundle::export(
        &mut store,
        &stick,
        ExportOptions {
            plaintext: true,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(plain.manifest.seq, 0);
    assert!(store.bundles().unwrap().is_empty(), "not in the chain");
    // Masked by field: the 7-digit landline in a phone field, in the data and the table;
    // the member's id stays whole.
    let read = bundle::verify(&std::fs::read(&plain.path).unwrap(), &[]).unwrap();
    for part in ["data/member.jsonl", "tables/member.csv"] {
        let text = String::from_utf8_lossy(&read.files[part]).into_owned();
        assert!(!text.contains("6234567"), "{part}: {text}");
        assert!(text.contains("62***67"), "{part}");
    }
    let data = String::from_utf8_lossy(&read.files["data/member.jsonl"]).into_owned();
    assert!(data.contains(&landline.meta.id.to_string()));
    let db_before = std::fs::read(&c.db).ok();
    assert!(matches!(
        import(&c, &plain.path),
        Err(BundleError::PlaintextImport)
    ));
    if let Some(before) = db_before {
        assert_eq!(std::fs::read(&c.db).unwrap(), before);
    }
    // The next encrypted bundle is still the first.
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(first.manifest.seq, 1);
    assert!(matches!(
        import(&c, &first.path).unwrap(),
        ImportOutcome::Imported { seq: 1, .. }
    ));
}

#[test]
fn restoring_an_older_backup_continues_the_chain_and_later_edits_win() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = small_station(&fx, &c.recipient);
    let stick = dir(fx.dir.path(), "stick");
    let member = store.add_member(&common::member("恢复前")).unwrap();
    let backups = dir(fx.dir.path(), "kept");
    let old = store.backup_into(&backups).unwrap();
    // After the backup: two bundles reach the county, the second with an edit of the member.
    for out in [
        bundle::export(&mut store, &stick, ExportOptions::default()).unwrap(),
        {
            let mut fields = member.fields.clone();
            fields.specialties = "备份后改过".into();
            store.edit_member(member.meta.id, &fields).unwrap();
            bundle::export(&mut store, &stick, ExportOptions::default()).unwrap()
        },
    ] {
        import(&c, &out.path).unwrap();
    }
    // The desk is restored to the backup taken before either bundle.
    stationdesk::store::restore_from(&mut store, &old, Some(&common::unlock())).unwrap();
    assert_eq!(
        store.last_bundle().unwrap().unwrap().seq,
        2,
        "the log is kept"
    );
    assert!(store.last_rev().unwrap() >= store.highest_exported_rev().unwrap());
    // An edit after the restore goes in the next bundle, which continues the chain.
    let restored: Member = store.get(member.meta.id).unwrap().unwrap();
    let mut fields = restored.fields.clone();
    fields.specialties = "恢复后改的".into();
    store.edit_member(member.meta.id, &fields).unwrap();
    let next = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(next.manifest.seq, 3);
    assert!(matches!(
        import(&c, &next.path).unwrap(),
        ImportOutcome::Imported { seq: 3, .. }
    ));
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let at_county = db
        .records("member")
        .unwrap()
        .into_iter()
        .find(|m| m["id"] == member.meta.id.to_string())
        .unwrap();
    assert_eq!(at_county["specialties"], "恢复后改的");
}

use common::disk::{fill, Tmpfs};

#[test]
fn a_full_disk_beside_the_database_or_on_the_stick_never_forks_the_chain() {
    let fx = Fixture::new();
    let Some(desk) = Tmpfs::mount(&fx.dir.path().join("desk"), "16m") else {
        return;
    };
    let c = county(fx.dir.path(), "county");
    let db = desk.0.join("station.db");
    let mut store = {
        let fx_on_tmpfs = Fixture {
            dir: tempfile::tempdir().unwrap(),
            path: db.clone(),
        };
        small_station(&fx_on_tmpfs, &c.recipient)
    };
    let stick = dir(fx.dir.path(), "stick");
    // The desk's disk is full: the archive copy cannot be written.
    store.add_member(&common::member("满盘")).unwrap();
    let filler = fill(&desk.0, 2048);
    let err = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap_err();
    assert!(!matches!(err, BundleError::NotDelivered { .. }), "{err}");
    assert_no_fork_possible(&store, &stick);
    assert!(store.bundles().unwrap().is_empty());
    std::fs::remove_file(filler).unwrap();
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(first.manifest.seq, 1);
    import(&c, &first.path).unwrap();

    // The stick is full: the bundle is recorded and archived, and written again elsewhere.
    let Some(tiny) = Tmpfs::mount(&fx.dir.path().join("tiny-stick"), "8k") else {
        return;
    };
    store.add_member(&common::member("小盘")).unwrap();
    let err = bundle::export(&mut store, &tiny.0, ExportOptions::default()).unwrap_err();
    let BundleError::NotDelivered {
        seq: 2, file_name, ..
    } = err
    else {
        panic!("{err}");
    };
    assert_no_fork_possible(&store, &tiny.0);
    assert!(names_in(&tiny.0).is_empty());
    let again = bundle::write_again(&store, &file_name, &stick).unwrap();
    assert!(matches!(
        import(&c, &again).unwrap(),
        ImportOutcome::Imported { seq: 2, .. }
    ));
    assert!(county_names(&c).contains(&"小盘".to_string()));
}

/// The county's disk fills while a bundle's records are being kept (they are read and
/// checked on a second thread meanwhile; 20,000 records are more than the import's 32 MB of
/// pages, so the disk fills while they still come): the import says so and returns, the county keeps
/// nothing of that bundle, and the same bundle imports whole once there is room.
#[test]
fn a_county_disk_filling_during_an_import_refuses_the_bundle_and_keeps_nothing_of_it() {
    let fx = Fixture::new();
    let Some(office) = Tmpfs::mount(&fx.dir.path().join("office"), "4m") else {
        return;
    };
    let mut c = county(fx.dir.path(), "county");
    c.db = office.0.join("county.db");
    let mut store = fx.station();
    store.set_county_recipient(&c.recipient).unwrap();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 5,
            members: 12,
            records: 20_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let stick = dir(fx.dir.path(), "stick");
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    let err = import(&c, &first.path).unwrap_err();
    assert!(matches!(err, BundleError::Store(_)), "{err}");
    let identities = bundle::load_identities(&c.key).unwrap();
    {
        let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
        assert!(db.stations().unwrap().is_empty());
        assert!(db.records("member").unwrap().is_empty());
    }
    // Room again: the county moves to a bigger disk and takes the same bundle whole.
    let moved = fx.dir.path().join("county.db");
    for file in ["county.db", "county.db-wal", "county.db.keys"] {
        let from = office.0.join(file);
        if from.exists() {
            std::fs::copy(&from, fx.dir.path().join(file)).unwrap();
        }
    }
    c.db = moved;
    let mut db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let outcome = db
        .import(&std::fs::read(&first.path).unwrap(), &identities)
        .unwrap();
    let ImportOutcome::Imported { records, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        records,
        first.manifest.counts.iter().map(|(_, n)| *n).sum::<u64>()
    );
}

#[test]
fn one_record_too_long_for_a_cell_does_not_stop_the_county_report() {
    use calamine::Reader;
    use stationdesk::domain::consult::MeetingForm;
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = small_station(&fx, &c.recipient);
    let topic = store.topics(1).unwrap().remove(0).meta.id;
    let minutes: String = "会议纪要：居民代表发言，讨论停车难问题。"
        .chars()
        .cycle()
        .take(40_000)
        .collect();
    let meeting = store
        .save_meeting(stationdesk::domain::consult::Meeting {
            meta: stationdesk::domain::RecordMeta::unsaved(),
            held_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .unwrap()
                .and_hms_opt(15, 0, 0)
                .unwrap(),
            place: "幸福里小区院内".into(),
            form: MeetingForm::Bench,
            host: "李秀兰".into(),
            topics: vec![topic],
            members: Vec::new(),
            guests: Vec::new(),
            minutes: String::new(),
            recommendations: Vec::new(),
        })
        .unwrap();
    store.set_minutes(meeting.meta.id, &minutes).unwrap();
    let stick = dir(fx.dir.path(), "stick");
    let out = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    import(&c, &out.path).unwrap();
    // A second station whose record this version cannot read, with a long text in it.
    let other = Fixture::new();
    let mut second = station_at(&other.path, "河东社区委员工作站", "HD02", &c.recipient);
    second.add_member(&common::member("河东委员")).unwrap();
    let out = bundle::export(&mut second, &stick, ExportOptions::default()).unwrap();
    import(&c, &out.path).unwrap();
    c.unlock()
        .raw_connection(&c.db)
        .unwrap()
        .execute(
            "UPDATE county_record SET data = json_set(data, '$.gender', ?1)
             WHERE kind = 'member' AND json_extract(data, '$.name') = '河东委员'",
            [minutes.as_str()],
        )
        .unwrap();
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    // The report lists each kind from the report tables the import keeps: counted again here,
    // as the next import (or `county views`) would.
    db.refresh_views(None, chrono::Local::now().naive_local())
        .unwrap();
    let report = db
        .report(
            bundle::Counted::Again(None),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        )
        .expect("one long record must not stop the report");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(report)).unwrap();
    let meetings = book.worksheet_range("协商会议").unwrap();
    let longest = meetings
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string().chars().count()))
        .max()
        .unwrap();
    assert_eq!(longest, 32_767);
    let members = book.worksheet_range("委员").unwrap();
    let unreadable: Vec<String> = members
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .filter(|t| t.contains("无法读取"))
        .collect();
    assert_eq!(unreadable.len(), 1);
    assert!(unreadable[0].chars().count() <= 32_767);
}

#[test]
fn bundles_given_out_of_order_are_imported_in_each_stations_chain_order() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut first = small_station(&fx, &c.recipient);
    let other = Fixture::new();
    let mut second = station_at(&other.path, "河东社区委员工作站", "HD02", &c.recipient);
    let stick = dir(fx.dir.path(), "stick");
    let mut files = Vec::new();
    for round in 0..3 {
        first
            .add_member(&common::member(&format!("青溪{round}")))
            .unwrap();
        second
            .add_member(&common::member(&format!("河东{round}")))
            .unwrap();
        files.push(
            bundle::export(&mut first, &stick, ExportOptions::default())
                .unwrap()
                .path,
        );
        files.push(
            bundle::export(&mut second, &stick, ExportOptions::default())
                .unwrap()
                .path,
        );
    }
    files.reverse();
    let out = common::command()
        .args(["--lang", "en", "county", "import", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .args(&files)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("6 imported, 0 refused"), "{said}");
    assert_eq!(county_names(&c).len(), 6 + 6, "{:?}", county_names(&c));
}

/// The records behind a grade: an activity entered 90 days after its day, and one changed
/// after a bundle carried it, are flagged at the county; one entered on time, and a visit
/// closed in the usual way after it was sent, are not. The change history travels in the
/// bundle; a bundle of format 1 (without it) imports as before, its records "history not
/// sent".
#[test]
fn records_entered_late_or_changed_after_sending_are_flagged_at_the_county() {
    use stationdesk::bundle::county_entries::{FLAGGED_COLUMN, HISTORY_NOT_SENT};
    use stationdesk::domain::activity::ActivityDraft;
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    let zhang = store.add_member(&common::member("张伟")).unwrap();
    let li = store.add_member(&common::member("李娜")).unwrap();
    let today = stationdesk::clock::today();
    let activity = |member: uuid::Uuid, days_ago: i64, title: &str| ActivityDraft {
        on: Some(today - chrono::Duration::days(days_ago)),
        kind: "视察".into(),
        members: vec![member],
        title: title.into(),
        description: String::new(),
        proposal: Default::default(),
    };
    let late = store
        .add_activity(&activity(zhang.meta.id, 90, "补录的视察"), today)
        .unwrap();
    let on_time = store
        .add_activity(&activity(li.meta.id, 2, "按时的视察"), today)
        .unwrap();
    let changed = store
        .add_activity(&activity(li.meta.id, 3, "事后改动的视察"), today)
        .unwrap();
    let visit = store
        .add_intake(&stationdesk::domain::IntakeFields {
            visited_at: (today - chrono::Duration::days(1))
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            visitor_name: "王大爷".into(),
            phone: "13912345678".into(),
            visitors: 1,
            category: "其他".into(),
            request: "路灯坏了".into(),
            member_id: Some(li.meta.id),
            ..Default::default()
        })
        .unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(first.manifest.format, "stationdesk-bundle/3");
    assert!(first.manifest.history.unwrap() >= 6);
    import(&c, &first.path).unwrap();

    // After the export: the activity's day is moved, and the visit is closed as usual.
    store
        .edit_activity(
            changed.meta.id,
            &activity(li.meta.id, 20, "事后改动的视察"),
            today,
        )
        .unwrap();
    store
        .intake_event(
            visit.meta.id,
            stationdesk::domain::intake::IntakeEvent::AnswerOnTheSpot {
                answer: "已联系路灯所".into(),
                on: today,
            },
        )
        .unwrap();
    let second = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    import(&c, &second.path).unwrap();

    let mut db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let station = store.station().unwrap().unwrap().id.to_string();
    let entries = db.entries(&station).unwrap();
    let of = |id: uuid::Uuid| {
        entries
            .iter()
            .find(|e| e.id == id.to_string())
            .unwrap_or_else(|| panic!("{id} at the county"))
            .clone()
    };
    let late_entry = of(late.meta.id);
    assert_eq!(late_entry.days_late(), Some(90));
    assert!(late_entry.late(30) && late_entry.flagged(30));
    assert_eq!(late_entry.members, vec![zhang.meta.id.to_string()]);
    let changed_entry = of(changed.meta.id);
    assert!(!changed_entry.late(30));
    assert_eq!(changed_entry.later_changes.len(), 1);
    assert_eq!(changed_entry.later_changes[0].seq, 2);
    assert!(changed_entry.later_changes[0]
        .fields
        .contains(&"on".to_string()));
    assert!(changed_entry.flagged(30));
    assert!(!of(on_time.meta.id).flagged(30));
    assert!(!of(visit.meta.id).flagged(30), "closing a visit is no flag");
    // Who entered it, as the station's log says.
    assert!(of(late.meta.id).entered.is_some());
    // The history of one record, as carried.
    let history = db.history(&station, &changed.meta.id.to_string()).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].0.action, "insert");
    assert_eq!((history[1].0.action.as_str(), history[1].1), ("update", 2));
    // A narrower limit flags the late one only by its days.
    db.set_late_days(100);
    assert!(!of(late.meta.id).late(db.late_days()));

    // The assessment table counts them for each member.
    db.set_late_days(30);
    db.refresh_views(None, stationdesk::clock::local_now())
        .unwrap();
    let table = db
        .report_table(bundle::county_desk::ASSESSMENT_TABLE, None)
        .unwrap()
        .unwrap();
    let flagged_of = |name: &str| {
        let (_, row) = table
            .rows
            .iter()
            .find(|(_, r)| table.cell(r, "姓名") == name)
            .unwrap();
        table.cell(row, FLAGGED_COLUMN).to_string()
    };
    assert_eq!(flagged_of("张伟"), "1");
    assert_eq!(flagged_of("李娜"), "1");
    drop(db);
    // The limit on the command line: at 100 days the late entry is no longer flagged.
    let out = common::command()
        .args(["county", "views", "--late-days", "100", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::command()
        .args(["county", "sql", "--csv", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .arg(format!(
            "SELECT 姓名, {FLAGGED_COLUMN} FROM report_assessment ORDER BY 姓名"
        ))
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.contains("张伟,0"), "{csv}");
    assert!(csv.contains("李娜,1"), "{csv}");

    // A station of an earlier version: its bundle of format 1 carries no history.
    let old = station_at(
        &fx.dir.path().join("old.db"),
        "旧版工作站",
        "OLD9",
        &c.recipient,
    );
    let member = common::craft::member_line(
        "01900000-0000-7000-8000-0000000000bb",
        &old.station().unwrap().unwrap().id.to_string(),
        1,
        "老委员",
    );
    let bytes = common::craft::craft(
        &old,
        &c.recipient,
        1,
        "",
        vec![("data/member.jsonl".into(), common::craft::jsonl(&[member]))],
        vec![("member".into(), 1)],
        |m| m["format"] = "stationdesk-bundle/1".into(),
    );
    let file = fx.dir.path().join("old.sdb1");
    std::fs::write(&file, bytes).unwrap();
    import(&c, &file).unwrap();
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.refresh_views(None, stationdesk::clock::local_now())
        .unwrap();
    let table = db
        .report_table(bundle::county_desk::ASSESSMENT_TABLE, None)
        .unwrap()
        .unwrap();
    let (_, row) = table
        .rows
        .iter()
        .find(|(_, r)| table.cell(r, "姓名") == "老委员")
        .unwrap();
    assert_eq!(table.cell(row, FLAGGED_COLUMN), HISTORY_NOT_SENT);
}

/// A bundle of format 2 (an earlier version's: its tables inside the encryption too) imports
/// as it did, and one of this version carries no tables.
#[test]
fn a_bundle_of_format_2_with_its_tables_still_imports() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let old = station_at(
        &fx.dir.path().join("v2.db"),
        "二版工作站",
        "V2ST",
        &c.recipient,
    );
    let station = old.station().unwrap().unwrap().id.to_string();
    let member = common::craft::member_line(
        "01900000-0000-7000-8000-0000000000cc",
        &station,
        1,
        "二版委员",
    );
    let table = "\u{feff}编号,姓名\n01900000-0000-7000-8000-0000000000cc,二版委员\n"
        .as_bytes()
        .to_vec();
    let bytes = common::craft::craft(
        &old,
        &c.recipient,
        1,
        "",
        vec![
            ("data/member.jsonl".into(), common::craft::jsonl(&[member])),
            ("tables/member.csv".into(), table),
        ],
        vec![("member".into(), 1)],
        |m| m["format"] = "stationdesk-bundle/2".into(),
    );
    let file = fx.dir.path().join("v2.sdb1");
    std::fs::write(&file, bytes).unwrap();
    import(&c, &file).unwrap();
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let listed = db.stations().unwrap();
    assert!(listed.iter().any(|s| s.code == "V2ST"), "{listed:?}");
}

/// A large bundle (20,000 records) is kept through a rollback journal rather than the WAL
/// (its pages written once). The import is killed while it writes — the county file grown
/// by pages of the bundle, the journal beside it holding the pages it changed — and the
/// county is as it was at the next open: the station imported before whole, nothing of the
/// killed bundle, no journal left. The same bundle then imports whole.
#[test]
fn a_large_county_import_killed_while_it_writes_leaves_the_county_as_it_was() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let before_fx = Fixture::new();
    let mut small = station_at(&before_fx.path, "东岭社区委员工作站", "DL02", &c.recipient);
    small.set_actor("王芳");
    small.add_member(&common::member("周国强")).unwrap();
    let stick = dir(fx.dir.path(), "stick");
    let first = bundle::export(&mut small, &stick, ExportOptions::default()).unwrap();
    assert!(matches!(
        import(&c, &first.path).unwrap(),
        ImportOutcome::Imported { .. }
    ));
    let mut store = fx.station();
    store.set_county_recipient(&c.recipient).unwrap();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 7,
            members: 12,
            records: 20_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let large = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    let records: u64 = large.manifest.counts.iter().map(|(_, n)| *n).sum();
    assert!(records >= 20_000, "{records}");
    let size_before = std::fs::metadata(&c.db).unwrap().len();
    let journal = c.db.with_extension("db-journal");
    let mut child = common::command()
        .args(["county", "import", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .arg(&large.path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let len = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    loop {
        // Pages of the bundle in the file itself (8 MB more than before), its journal written.
        if len(&journal) > 0 && len(&c.db) > size_before + (8 << 20) {
            child.kill().unwrap();
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the import ended ({status}) before its journal and pages were seen");
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.wait().unwrap();
    assert!(len(&journal) > 0, "the kill left no journal to play back");
    {
        let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
        let codes: Vec<String> = db.stations().unwrap().into_iter().map(|s| s.code).collect();
        assert_eq!(codes, vec!["DL02".to_string()]);
        assert_eq!(county_names(&c), vec!["周国强".to_string()]);
    }
    assert_eq!(len(&journal), 0, "the journal was not played back");
    assert_eq!(
        len(&c.db),
        size_before,
        "the killed import's pages are still in the file"
    );
    let outcome = import(&c, &large.path).unwrap();
    let ImportOutcome::Imported { records: kept, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(kept, records);
    assert_eq!(county_names(&c).len(), 13);
}

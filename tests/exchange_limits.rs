//! Crafted bundles, signed by a real station key so that they pass the signature: forged
//! stations, impossible seqs, oversized parts, zip bombs, long lines, deep nesting, duplicate
//! zip entries. Each is refused with the county database left byte for byte as it was, and
//! the import stays under 200 MB of memory (the child process's peak RSS).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use common::county::{county, county_bytes, import, County};
use common::craft::{craft, crafted, duplicate_entries, jsonl, member_line, station_at};
use common::Fixture;
use serde_json::Value;
use stationdesk::bundle::{self, BundleError, ExportOptions, ImportOutcome};

fn county_member(c: &County, station: &str, id: &str) -> Option<Value> {
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.records("member")
        .unwrap()
        .into_iter()
        .find(|m| m["id"] == id && m["station_id"] == station)
}

#[test]
fn a_forged_station_cannot_write_over_another_stations_records() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut victim = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    let member = victim.add_member(&common::member("真委员")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut victim, &stick, ExportOptions::default()).unwrap();
    import(&c, &first.path).unwrap();
    let victim_id = victim.station().unwrap().unwrap().id.to_string();
    let id = member.meta.id.to_string();

    // A new station, with its own key, sends the victim's record id with a huge rev.
    let attacker = station_at(&fx.dir.path().join("a.db"), "冒名站", "FAKE", &c.recipient);
    let attacker_id = attacker.station().unwrap().unwrap().id.to_string();
    let forged = |claims: &str| {
        let data = jsonl(&[member_line(&id, claims, i64::MAX / 2, "冒名顶替")]);
        craft(
            &attacker,
            &c.recipient,
            1,
            "",
            vec![("data/member.jsonl".into(), data)],
            vec![("member".into(), 1)],
            |_| {},
        )
    };
    // Claiming the victim's station in its records is refused outright.
    let before = county_bytes(&c);
    let file = fx.dir.path().join("claims-victim.sdb1");
    std::fs::write(&file, forged(&victim_id)).unwrap();
    assert!(matches!(
        import(&c, &file),
        Err(BundleError::ForeignRecord(_))
    ));
    assert_eq!(county_bytes(&c), before);
    // Claiming its own station, the same id is another record: the victim's stays whole.
    let file = fx.dir.path().join("own.sdb1");
    std::fs::write(&file, forged(&attacker_id)).unwrap();
    import(&c, &file).unwrap();
    assert_eq!(
        county_member(&c, &victim_id, &id).unwrap()["name"],
        "真委员"
    );
    // The victim's later genuine edit is taken.
    let mut fields = member.fields.clone();
    fields.specialties = "真的修改".into();
    victim.edit_member(member.meta.id, &fields).unwrap();
    let second = bundle::export(&mut victim, &stick, ExportOptions::default()).unwrap();
    import(&c, &second.path).unwrap();
    let at_county = county_member(&c, &victim_id, &id).unwrap();
    assert_eq!(at_county["specialties"], "真的修改");
    assert_eq!(at_county["name"], "真委员");

    // A copy of the victim's database under a new station id, with the victim's keys.
    let copy = fx.dir.path().join("copy.db");
    drop(victim);
    std::fs::copy(&fx.path, &copy).unwrap();
    std::fs::copy(
        stationdesk::store::keys_path(&fx.path),
        stationdesk::store::keys_path(&copy),
    )
    .unwrap();
    common::connection(&copy)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             UPDATE station SET id = '01900000-0000-7000-8000-000000000001';",
        )
        .unwrap();
    let clone = common::try_open(&copy).unwrap();
    let before = county_bytes(&c);
    let file = fx.dir.path().join("clone.sdb1");
    std::fs::write(
        &file,
        craft(&clone, &c.recipient, 1, "", vec![], vec![], |_| {}),
    )
    .unwrap();
    assert!(matches!(
        import(&c, &file),
        Err(BundleError::KeyOfOtherStation(ref code)) if code == "QX01"
    ));
    assert_eq!(county_bytes(&c), before);
}

#[test]
fn crafted_bundles_are_refused_and_change_nothing() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    store.add_member(&common::member("委员一")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    import(&c, &first.path).unwrap();
    let previous = bundle::verify(
        &std::fs::read(&first.path).unwrap(),
        &bundle::load_identities(&c.key).unwrap(),
    )
    .unwrap()
    .manifest_sha256;
    let before = county_bytes(&c);
    let dir = fx.dir.path().join("crafted");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes, expected) in crafted(&store, &c, &previous) {
        let file = dir.join(format!("{name}.sdb1"));
        std::fs::write(&file, bytes).unwrap();
        let err = import(&c, &file).expect_err(name);
        assert!(expected(&err), "{name}: {err}");
        assert_eq!(
            county_bytes(&c),
            before,
            "{name} changed the county database"
        );
    }

    // Two entries under one name: a zip the reader would fold together.
    let file = dir.join("duplicate.sdb1");
    std::fs::write(&file, duplicate_entries(&store, &c, &previous)).unwrap();
    let err = import(&c, &file).expect_err("duplicate entry names");
    assert!(matches!(err, BundleError::DuplicateEntries), "{err}");
    assert_eq!(county_bytes(&c), before);
}

#[cfg(target_os = "linux")]
#[test]
fn one_command_refuses_every_crafted_bundle_in_bounded_memory_and_imports_the_good_one() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    store.add_member(&common::member("委员一")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    import(&c, &first.path).unwrap();
    let previous = bundle::verify(
        &std::fs::read(&first.path).unwrap(),
        &bundle::load_identities(&c.key).unwrap(),
    )
    .unwrap()
    .manifest_sha256;
    let dir = fx.dir.path().join("crafted");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for (name, bytes, _) in crafted(&store, &c, &previous) {
        let file = dir.join(format!("{name}.sdb1"));
        std::fs::write(&file, bytes).unwrap();
        files.push(file);
    }
    let duplicate = dir.join("duplicate.sdb1");
    std::fs::write(&duplicate, duplicate_entries(&store, &c, &previous)).unwrap();
    files.push(duplicate);
    let plain = bundle::export(
        &mut store,
        &dir,
        ExportOptions {
            plaintext: true,
            allow_empty: true,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    files.push(plain.path);
    let county_import = |files: &[PathBuf]| {
        common::command()
            .args(["--lang", "en", "county", "import", "--county-db"])
            .arg(&c.db)
            .arg("--identity")
            .arg(&c.key)
            .args(files)
            .output()
            .unwrap()
    };
    let before = county_content(&c);
    // To compare another build on the same inputs: STATIONDESK_KEEP_CRAFTED=DIR keeps them.
    if let Ok(keep) = std::env::var("STATIONDESK_KEEP_CRAFTED") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        for file in &files {
            std::fs::copy(file, keep.join(file.file_name().unwrap())).unwrap();
        }
        std::fs::copy(&c.db, keep.join("county.db")).unwrap();
        std::fs::copy(&c.key, keep.join("county.key")).unwrap();
    }
    // A child started by vfork counts the parent's peak until it execs: reset this test's
    // own peak (it built the bombs above) so that only the import is measured.
    std::fs::write("/proc/self/clear_refs", "5").unwrap();
    let out = county_import(&files);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert_eq!(out.status.code(), Some(1), "no crash: {said}");
    assert!(
        said.contains(&format!("0 imported, {} refused", files.len())),
        "{said}"
    );
    // Nothing of a refused bundle is kept: no station, chain, record or change; the county's
    // log notes each refusal of a station it can name (the desk marks the station by it).
    assert_eq!(county_content(&c), before);
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let log = db.log().unwrap();
    assert!(!log.is_empty());
    assert!(log.iter().all(|row| row.event == "refused"), "{log:?}");
    drop(db);
    // The good bundle, given after the bad ones in the same command, is imported.
    store.add_member(&common::member("委员二")).unwrap();
    let second = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    files.push(second.path.clone());
    let out = county_import(&files);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("1 imported"), "{said}");
    assert!(matches!(
        import(&c, &second.path).unwrap(),
        ImportOutcome::AlreadyImported { seq: 2, .. }
    ));
    let peak = common::children_peak_rss();
    eprintln!(
        "county import of the crafted bundles: peak RSS {} MB",
        peak / 1024 / 1024
    );
    assert!(
        peak < 200 * 1024 * 1024,
        "peak RSS {} MB",
        peak / 1024 / 1024
    );
}

#[test]
fn a_second_station_under_a_listed_code_is_refused_until_confirmed_as_reinstalled() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let mut first = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    first.add_member(&common::member("老委员")).unwrap();
    let old = bundle::export(&mut first, &stick, ExportOptions::default()).unwrap();
    import(&c, &old.path).unwrap();
    let first_id = first.station().unwrap().unwrap().id.to_string();

    // The desk PC was replaced and the program installed afresh: a new station id, a new key,
    // the same code.
    let mut again = station_at(
        &fx.dir.path().join("again.db"),
        "青溪镇委员工作站（新电脑）",
        "QX01",
        &c.recipient,
    );
    again.add_member(&common::member("新委员")).unwrap();
    let stick = fx.dir.path().join("stick2");
    std::fs::create_dir_all(&stick).unwrap();
    let new = bundle::export(&mut again, &stick, ExportOptions::default()).unwrap();
    let again_id = again.station().unwrap().unwrap().id.to_string();
    let before = county_bytes(&c);
    let refused = import(&c, &new.path).unwrap_err();
    match &refused {
        BundleError::CodeTaken { code, listed, new } => {
            assert_eq!(code, "QX01");
            assert_eq!(listed, "青溪镇政协委员工作站");
            assert_eq!(new, "青溪镇委员工作站（新电脑）");
        }
        other => panic!("expected CodeTaken, got {other:?}"),
    }
    stationdesk::i18n::use_language(stationdesk::i18n::Language::Chinese);
    let said = stationdesk::messages::bundle_error(&refused);
    assert!(
        said.contains("青溪镇政协委员工作站") && said.contains("新电脑"),
        "{said}"
    );
    assert_eq!(county_bytes(&c), before, "a refused bundle changes nothing");

    // Confirmed by the clerk: taken, the new key pinned, one row for the code, the old
    // installation's records kept and still counted for the station.
    let identities = bundle::load_identities(&c.key).unwrap();
    let mut db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.confirm_reinstalled("QX01", "原电脑硬盘损坏，重新安装");
    assert!(matches!(
        db.import_file(&new.path, &identities).unwrap(),
        ImportOutcome::Imported { seq: 1, .. }
    ));
    let listed = db.stations().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, again_id);
    assert_eq!(db.installations().unwrap().len(), 2);
    assert_eq!(db.installations_of(&again_id).unwrap().len(), 2);
    let log = db.log().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].event, "reinstalled");
    assert!(log[0].detail.contains("原电脑硬盘损坏") && log[0].detail.contains(&first_id));
    db.refresh_views(None, chrono::Local::now().naive_local())
        .unwrap();
    drop(db);
    let members = |station: &str| {
        let out = common::command()
            .args(["county", "sql", "--county-db"])
            .arg(&c.db)
            .arg("--identity")
            .arg(&c.key)
            .arg("--csv")
            .arg(format!(
                "SELECT 委员数 FROM report_station WHERE station_id = '{station}'"
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(members(&again_id), "2", "both installations' members count");
    // The new installation's chain goes on.
    again.add_member(&common::member("又一位")).unwrap();
    let next = bundle::export(&mut again, &stick, ExportOptions::default()).unwrap();
    assert!(matches!(
        import(&c, &next.path).unwrap(),
        ImportOutcome::Imported { seq: 2, .. }
    ));
}

/// Everything the county holds but its log: installations, each one's bundles, every record
/// and every change, as text.
fn county_content(c: &County) -> Vec<String> {
    let db = bundle::CountyDb::open(&c.db, &c.unlock()).unwrap();
    let mut all: Vec<String> = Vec::new();
    for s in db.installations().unwrap() {
        all.push(format!("{s:?}"));
        all.push(format!("{:?}", db.bundle_history(&s.id).unwrap()));
        all.push(format!("{:?}", db.station_history(&s.id).unwrap()));
    }
    for kind in stationdesk::domain::RecordKind::ALL {
        for record in db.records(kind.as_str()).unwrap() {
            all.push(record.to_string());
        }
    }
    all
}

//! The files around a database: foreign and newer files are left exactly as they were, a
//! read-only disk is checked and backed up read-only, and bundles and backups are private.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fixture;
use stationdesk::bundle::{self, ExportOptions};
use stationdesk::store::{self, CheckVerdict, StoreError};

fn beside(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{}{suffix}", path.display())))
        .filter(|p| p.exists())
        .collect()
}

#[test]
fn a_foreign_rollback_journal_file_is_refused_and_left_untouched() {
    let fx = Fixture::new();
    let foreign = fx.dir.path().join("accounts.sqlite");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE ledger (x); INSERT INTO ledger VALUES (1);")
            .unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "delete");
    }
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(
        common::try_open(&foreign),
        Err(StoreError::NotStationdesk { .. })
    ));
    let out = common::command()
        .arg("--db")
        .arg(&foreign)
        .args(["--lang", "en", "members"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(
        std::fs::read(&foreign).unwrap(),
        before,
        "not switched to WAL"
    );
    assert!(beside(&foreign).is_empty(), "{:?}", beside(&foreign));
}

#[test]
fn a_database_of_a_newer_version_is_refused_and_left_untouched() {
    let fx = Fixture::new();
    drop(fx.station());
    common::connection(&fx.path)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    assert!(beside(&fx.path).is_empty());
    let before = std::fs::read(&fx.path).unwrap();
    assert!(matches!(
        common::try_open(&fx.path),
        Err(StoreError::NewerSchema { found: 999, .. })
    ));
    assert_eq!(std::fs::read(&fx.path).unwrap(), before);
    assert!(beside(&fx.path).is_empty(), "{:?}", beside(&fx.path));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn bundles_archive_copies_and_backups_are_the_owners_alone() {
    let fx = Fixture::new();
    let c = common::county::county(fx.dir.path(), "county");
    let mut store = fx.station();
    store.set_county_recipient(&c.recipient).unwrap();
    store.add_member(&common::member("委员一")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let out = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    assert_eq!(mode(&out.path), 0o600);
    let archived = bundle::archive_dir(&store).join(out.path.file_name().unwrap());
    assert_eq!(mode(&archived), 0o600);
    let backup = store.backup_into(&fx.dir.path().join("kept")).unwrap();
    assert_eq!(mode(&backup), 0o600);
}

/// A tmpfs at `at`, unmounted when dropped; `None` where mounting is not allowed.
struct Tmpfs(PathBuf);

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

fn mount(args: &[&str], at: &Path) -> bool {
    Command::new("mount")
        .args(args)
        .arg(at)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_database_on_a_read_only_disk_is_checked_and_backed_up_read_only() {
    let fx = Fixture::new();
    let disk = fx.dir.path().join("ro");
    std::fs::create_dir_all(&disk).unwrap();
    if !mount(&["-t", "tmpfs", "-o", "size=16m", "tmpfs"], &disk) {
        eprintln!("skipped: tmpfs cannot be mounted here (not root)");
        return;
    }
    let _guard = Tmpfs(disk.clone());
    let db = disk.join("station.db");
    {
        let mut store = common::craft::station_at(&db, "青溪镇政协委员工作站", "QX01", "");
        store.add_member(&common::member("委员一")).unwrap();
    }
    assert!(mount(&["-o", "remount,ro"], &disk), "remount read-only");
    let before = std::fs::read(&db).unwrap();
    assert!(matches!(
        common::check_file(&db).unwrap(),
        CheckVerdict::Sound {
            read_only_disk: true,
            ..
        }
    ));
    let check = common::command()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "check"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}");
    assert!(said.contains("read-only"), "{said}");
    let kept = fx.dir.path().join("kept");
    let backup = common::command()
        .arg("--db")
        .arg(&db)
        .args(["--lang", "en", "backup", "--out"])
        .arg(&kept)
        .output()
        .unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let copy = PathBuf::from(String::from_utf8_lossy(&backup.stdout).trim());
    assert!(matches!(
        common::check_file(&copy).unwrap(),
        CheckVerdict::Sound { .. }
    ));
    assert_eq!(
        common::try_open(&copy)
            .unwrap()
            .all_members_any()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn two_databases_in_one_folder_keep_their_own_backups_and_archives() {
    let fx = Fixture::new();
    let c = common::county::county(fx.dir.path(), "county");
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let mut made = Vec::new();
    for (name, code) in [("station.db", "QX01"), ("other.db", "HD02")] {
        let mut store = common::craft::station_at(
            &fx.dir.path().join(name),
            &format!("{code} 委员工作站"),
            code,
            &c.recipient,
        );
        store.add_member(&common::member("委员一")).unwrap();
        // The first database's fresh backup does not count for the second.
        let backup = store::auto_backup(&store, chrono::Local::now()).unwrap();
        assert!(backup.is_some(), "{name} made its own backup");
        let out = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
        made.push((store, backup.unwrap(), out.path));
    }
    let (first, second) = (&made[0], &made[1]);
    assert_ne!(first.1.parent(), second.1.parent());
    assert!(first
        .1
        .starts_with(fx.dir.path().join("backups").join("station")));
    assert!(second
        .1
        .starts_with(fx.dir.path().join("backups").join("other")));
    assert_ne!(
        bundle::archive_dir(&first.0),
        bundle::archive_dir(&second.0)
    );
    for (store, _, path) in &made {
        let name = path.file_name().unwrap();
        assert!(bundle::archive_dir(store).join(name).is_file());
        // Rotation and freshness see only the database's own copies.
        assert_eq!(
            store::list_backups(&store::backup_dir_for(store.path())).len(),
            1
        );
    }
    // Each writes its own bundle again, from its own archive.
    let again = fx.dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    for (store, _, path) in &made {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let written = bundle::write_again(store, &name, &again).unwrap();
        assert_eq!(
            std::fs::read(written).unwrap(),
            std::fs::read(path).unwrap()
        );
    }
}

#[test]
fn a_partial_file_left_by_a_stopped_backup_is_gone_at_the_next_start() {
    let fx = Fixture::new();
    let store = fx.station();
    let dir = store::backup_dir_for(store.path());
    std::fs::create_dir_all(&dir).unwrap();
    let stale = dir.join("stationdesk-20261130-090000.db.partial");
    let fresh = dir.join("stationdesk-20261201-090000.db.partial");
    for file in [&stale, &fresh] {
        std::fs::write(file, vec![0u8; 4096]).unwrap();
    }
    let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(an_hour_ago)
        .unwrap();
    // The desk's start runs the daily backup, which clears what a stopped run left.
    store::auto_backup(&store, chrono::Local::now()).unwrap();
    assert!(!stale.exists(), "the stopped backup's leftover is removed");
    assert!(
        fresh.exists(),
        "a file still being written (by another process) is left alone"
    );
}

#[test]
fn a_bundle_archived_by_an_earlier_version_in_the_shared_folder_is_written_again() {
    let fx = Fixture::new();
    let c = common::county::county(fx.dir.path(), "county");
    let mut store = fx.station();
    store.set_county_recipient(&c.recipient).unwrap();
    store.add_member(&common::member("委员一")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let out = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    let name = out.path.file_name().unwrap().to_string_lossy().into_owned();
    // Where the earlier versions put it: `bundles/` itself.
    let shared = fx.dir.path().join("bundles").join(&name);
    std::fs::rename(bundle::archive_dir(&store).join(&name), &shared).unwrap();
    let again = fx.dir.path().join("again");
    std::fs::create_dir_all(&again).unwrap();
    let written = bundle::write_again(&store, &name, &again).unwrap();
    assert_eq!(
        std::fs::read(&written).unwrap(),
        std::fs::read(&out.path).unwrap()
    );
    // Another database's file under that name there is not this bundle, and is refused.
    std::fs::write(&shared, b"another database's bundle").unwrap();
    let elsewhere = fx.dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    assert!(matches!(
        bundle::write_again(&store, &name, &elsewhere),
        Err(stationdesk::bundle::BundleError::NotInArchive(_))
    ));
}

#[test]
fn a_backup_stopped_from_another_thread_leaves_nothing_behind() {
    let fx = Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 2,
            members: 40,
            records: 10_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let dir = fx.dir.path().join("kept");
    // The stopper asks again and again while the backup runs; on a busy machine it may not
    // be given the processor before a backup is done, so a backup that ends whole is put
    // away and the race run again, until one is stopped.
    let mut result = Ok(PathBuf::new());
    for _ in 0..50 {
        let handle = store.interrupt_handle();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopper = {
            let stop = stop.clone();
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    handle.interrupt();
                    std::thread::yield_now();
                }
            })
        };
        result = store.backup_into(&dir);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        stopper.join().unwrap();
        match &result {
            Ok(_) => std::fs::remove_dir_all(&dir).unwrap(),
            Err(_) => break,
        }
    }
    assert!(matches!(result, Err(StoreError::Cancelled)), "{result:?}");
    let left: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // The store goes on working, and the next backup is whole.
    let again = store.backup_into(&dir);
    assert!(again.is_ok(), "{again:?}");
}

/// The backup API copies one snapshot: saves made meanwhile from another connection neither
/// restart it nor appear half in it.
#[test]
fn a_backup_taken_while_the_desk_saves_is_one_consistent_snapshot() {
    let fx = Fixture::new();
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 40,
            records: 3_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let before = store.count_members(&Default::default()).unwrap();
    let path = fx.path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut desk = common::try_open(&path).unwrap();
            desk.set_actor("李秀兰");
            let mut saved = 0;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                desk.add_member(&common::member(&format!("委员{saved}")))
                    .unwrap();
                saved += 1;
            }
            saved
        })
    };
    let made = store.backup_into(&fx.dir.path().join("kept")).unwrap();
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let saved = writer.join().unwrap();
    assert!(matches!(
        common::check_file(&made).unwrap(),
        stationdesk::store::CheckVerdict::Sound { .. }
    ));
    let copy = common::try_open(&made).unwrap();
    let in_copy = copy.count_members(&Default::default()).unwrap();
    assert!(
        in_copy >= before && in_copy <= before + saved,
        "{before} {in_copy} {saved}"
    );
    // Every member in the copy has its audit row and search entry: nothing half.
    let conn = common::connection(&made).unwrap();
    let (members, audited, indexed): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM member),
                    (SELECT count(*) FROM audit_log WHERE kind = 'member' AND action = 'insert'),
                    (SELECT count(*) FROM search_doc WHERE kind = 'member')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((audited, indexed), (members, members));
    assert!(members >= in_copy);
    assert!(saved > 0);
}

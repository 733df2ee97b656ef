//! Faults and hostile input, third round (#28), against real files and real disks: what only
//! reads creates nothing beside what it reads, a relative path names the same file on a
//! read-only disk, and a sound file on such a disk is never called damaged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::disk::Tmpfs;

fn run_in(cwd: &Path, args: &[&str]) -> Output {
    common::command()
        .current_dir(cwd)
        .args(args)
        .env_remove("STATIONDESK_LANG")
        .output()
        .expect("run stationdesk")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files SQLite keeps beside a database while it is open.
fn beside(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", path.display())))
        .filter(|p| p.exists())
        .collect()
}

/// A station with a member, closed: its file says WAL mode, and nothing is beside it.
fn closed_station(fx: &common::Fixture) {
    let mut store = fx.station();
    store.add_member(&common::member("李秀兰")).unwrap();
    drop(store);
    let mode: String = common::connection(&fx.path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal", "a WAL-mode file");
    assert_eq!(beside(&fx.path), Vec::<PathBuf>::new());
}

#[test]
fn check_backup_and_restore_create_nothing_beside_what_they_read() {
    let fx = common::Fixture::new();
    closed_station(&fx);
    let copies = fx.dir.path().join("copies");
    std::fs::create_dir_all(&copies).unwrap();
    let copy = copies.join("backup.db");
    std::fs::copy(&fx.path, &copy).unwrap();
    std::fs::copy(
        stationdesk::store::keys_path(&fx.path),
        stationdesk::store::keys_path(&copy),
    )
    .unwrap();
    let copy_arg = copy.to_str().unwrap();

    let checked = run_in(fx.dir.path(), &["--db", copy_arg, "check"]);
    assert!(checked.status.success(), "{}", text(&checked.stderr));
    assert_eq!(beside(&copy), Vec::<PathBuf>::new(), "check");

    let out = fx.dir.path().join("out");
    let backed = run_in(
        fx.dir.path(),
        &["--db", copy_arg, "backup", "--out", out.to_str().unwrap()],
    );
    assert!(backed.status.success(), "{}", text(&backed.stderr));
    assert_eq!(beside(&copy), Vec::<PathBuf>::new(), "backup");

    // Restoring it into another station's file: done, and nothing beside the source.
    let other = fx.dir.path().join("other.db");
    let init = run_in(
        fx.dir.path(),
        &[
            "--db",
            other.to_str().unwrap(),
            "init",
            "--name",
            "另一个站",
            "--code",
            "LS02",
            "--county",
            "清河县",
        ],
    );
    assert!(init.status.success(), "{}", text(&init.stderr));
    let restored = run_in(
        fx.dir.path(),
        &["--db", other.to_str().unwrap(), "restore", copy_arg],
    );
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert_eq!(beside(&copy), Vec::<PathBuf>::new(), "restore");
    let members = run_in(fx.dir.path(), &["--db", other.to_str().unwrap(), "members"]);
    assert!(text(&members.stdout).contains("李秀兰"));

    // A foreign WAL-mode file is refused, and nothing is left beside it either.
    let foreign = copies.join("foreign.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE notes(text TEXT); INSERT INTO notes VALUES ('x');")
            .unwrap();
    }
    assert_eq!(beside(&foreign), Vec::<PathBuf>::new());
    let refused = run_in(
        fx.dir.path(),
        &[
            "--db",
            other.to_str().unwrap(),
            "restore",
            foreign.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("不是 stationdesk"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(beside(&foreign), Vec::<PathBuf>::new(), "a refused restore");
    let checked = run_in(fx.dir.path(), &["--db", foreign.to_str().unwrap(), "check"]);
    assert!(!checked.status.success());
    assert_eq!(
        beside(&foreign),
        Vec::<PathBuf>::new(),
        "check of a foreign file"
    );
}

#[test]
fn a_relative_path_on_a_read_only_disk_is_checked_and_backed_up() {
    let fx = common::Fixture::new();
    let Some(disk) = Tmpfs::mount(&fx.dir.path().join("rodb"), "16m") else {
        return;
    };
    let station = common::Fixture {
        dir: tempfile::tempdir().unwrap(),
        path: disk.0.join("x.db"),
    };
    closed_station(&station);
    disk.read_only();
    let checked = run_in(fx.dir.path(), &["--db", "rodb/x.db", "check"]);
    let said = text(&checked.stdout) + &text(&checked.stderr);
    assert!(checked.status.success(), "{said}");
    assert!(said.contains("完好") && said.contains("只读"), "{said}");
    assert!(!said.contains("损坏"), "{said}");
    let backed = run_in(
        fx.dir.path(),
        &["--db", "rodb/x.db", "backup", "--out", "copies"],
    );
    assert!(backed.status.success(), "{}", text(&backed.stderr));
    let made = fx.dir.path().join(text(&backed.stdout).trim());
    assert!(made.is_file(), "{}", made.display());
    let again = run_in(fx.dir.path(), &["--db", made.to_str().unwrap(), "members"]);
    assert!(
        text(&again.stdout).contains("李秀兰"),
        "{} {}",
        text(&again.stdout),
        text(&again.stderr)
    );
    // The same through the absolute path.
    let absolute = run_in(
        fx.dir.path(),
        &["--db", station.path.to_str().unwrap(), "check"],
    );
    assert!(absolute.status.success());
}

/// A demo station of a few thousand records (a bundle of many age chunks) that exports to
/// `county`'s recipient.
fn exporting_station(fx: &common::Fixture, recipient: &str) -> stationdesk::store::Store {
    let mut store = fx.station();
    store.set_county_recipient(recipient).unwrap();
    stationdesk::demo::run_as_of(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 10,
            records: 3000,
        },
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        &mut |_, _| {},
    )
    .unwrap();
    store
}

#[test]
fn a_changed_copy_of_a_bundle_already_imported_is_refused_not_counted() {
    let fx = common::Fixture::new();
    let county = common::county::county(fx.dir.path(), "county");
    let mut store = exporting_station(&fx, &county.recipient);
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let sent = stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    let import = |file: &Path| {
        run_in(
            fx.dir.path(),
            &[
                "county",
                "import",
                "--county-db",
                county.db.to_str().unwrap(),
                "--identity",
                county.key.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
        )
    };
    let first = import(&sent.path);
    assert!(first.status.success(), "{}", text(&first.stdout));
    // Copies changed in the middle (inside a part, after the signed manifest) and near the
    // end: both refused, neither counted as imported.
    for (name, at) in [("middle.sdb1", 0.5), ("end.sdb1", 0.999)] {
        let changed = fx.dir.path().join(name);
        let mut bytes = std::fs::read(&sent.path).unwrap();
        let at = (bytes.len() as f64 * at) as usize;
        bytes[at] ^= 0x5a;
        std::fs::write(&changed, &bytes).unwrap();
        let refused = import(&changed);
        let said = text(&refused.stdout) + &text(&refused.stderr);
        assert!(!refused.status.success(), "{said}");
        assert!(!said.contains("此前已导入"), "{said}");
        assert!(said.contains("拒绝 1 个"), "{said}");
        if name == "middle.sdb1" {
            assert!(said.contains("内容不同"), "{said}");
        }
    }
    // The very bundle imported is still "already imported", and changes nothing.
    let again = import(&sent.path);
    let said = text(&again.stdout);
    assert!(again.status.success(), "{said}");
    assert!(said.contains("此前已导入"), "{said}");
}

#[test]
fn a_foreign_file_as_the_county_database_is_refused_from_its_header_and_left_as_it_was() {
    let fx = common::Fixture::new();
    let county = common::county::county(fx.dir.path(), "county");
    let mut store = exporting_station(&fx, &county.recipient);
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let sent = stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    // Another program's file (rollback journal, a table of its own), and the station's own.
    let foreign = fx.dir.path().join("accounts.db");
    {
        let conn = rusqlite::Connection::open(&foreign).unwrap();
        conn.execute_batch("CREATE TABLE ledger(x); INSERT INTO ledger VALUES (1);")
            .unwrap();
    }
    for file in [foreign.clone(), fx.path.clone()] {
        drop(std::fs::File::open(&file));
        let before = std::fs::read(&file).unwrap();
        let target = file.to_str().unwrap();
        let out = fx.dir.path().join("report.xlsx");
        let commands: [Vec<&str>; 3] = [
            vec![
                "county",
                "import",
                "--county-db",
                target,
                "--identity",
                county.key.to_str().unwrap(),
                sent.path.to_str().unwrap(),
            ],
            vec![
                "county",
                "report",
                "--county-db",
                target,
                "--out",
                out.to_str().unwrap(),
            ],
            vec!["county", "views", "--county-db", target],
        ];
        for args in commands {
            let run = run_in(fx.dir.path(), &args);
            let said = text(&run.stdout) + &text(&run.stderr);
            assert!(!run.status.success(), "{args:?}: {said}");
            assert!(said.contains("不是 stationdesk"), "{args:?}: {said}");
            assert!(!said.contains("panicked"), "{said}");
            assert_eq!(
                std::fs::read(&file).unwrap(),
                before,
                "{args:?} changed the file"
            );
            if file == foreign {
                assert_eq!(beside(&file), Vec::<PathBuf>::new(), "{args:?}");
            }
        }
    }
}

/// What PostgreSQL said reaches the user whole — the server's SQLSTATE and message, or why the
/// connection failed — with where it went, and never the password.
#[test]
fn postgres_errors_say_what_the_server_said_and_where() {
    let fx = common::Fixture::new();
    let views = |target: &str| {
        let run = run_in(fx.dir.path(), &["county", "views", "--county-db", target]);
        assert!(!run.status.success());
        text(&run.stdout) + &text(&run.stderr)
    };
    // No server there.
    let said = views("postgres://county:s3cret-pw@127.0.0.1:1/countydb");
    assert!(
        said.contains("127.0.0.1") && said.contains("port=1"),
        "{said}"
    );
    assert!(said.contains("dbname=countydb"), "{said}");
    assert!(
        said.to_lowercase().contains("connection refused") || said.contains("os error"),
        "{said}"
    );
    assert!(!said.contains("s3cret-pw"), "{said}");
    assert!(!said.contains("db error"), "{said}");
    // A server, and a database that is not there.
    let Some(cluster) = common::pg::PgCluster::start() else {
        return;
    };
    let wrong = cluster.url("nosuch");
    let said = views(&wrong);
    assert!(said.contains("3D000"), "{said}");
    assert!(said.contains("nosuch"), "{said}");
    assert!(
        !said.contains("db error\n") && !said.ends_with("db error"),
        "{said}"
    );
}

#[test]
fn a_bundle_recorded_but_not_delivered_is_written_again_from_the_command_line() {
    let fx = common::Fixture::new();
    let county = common::county::county(fx.dir.path(), "county");
    drop(exporting_station(&fx, &county.recipient));
    let Some(tiny) = Tmpfs::mount(&fx.dir.path().join("tiny"), "16k") else {
        return;
    };
    let Some(locked) = Tmpfs::mount(&fx.dir.path().join("locked"), "1m") else {
        return;
    };
    locked.read_only();
    let db = fx.path.to_str().unwrap();
    let export = |out: &Path, extra: &[&str]| {
        let mut args = vec!["--db", db, "export", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run = run_in(fx.dir.path(), &args);
        (run.status.success(), text(&run.stdout) + &text(&run.stderr))
    };
    let bundles = || common::try_open(&fx.path).unwrap().bundles().unwrap();
    // A write-protected stick: refused before the bundle takes a number.
    let (ok, said) = export(&locked.0, &[]);
    assert!(!ok, "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert!(bundles().is_empty(), "no seq used: {said}");
    // A stick too small: recorded and archived, not delivered; the message names the command.
    let (ok, said) = export(&tiny.0, &[]);
    assert!(!ok, "{said}");
    assert!(said.contains("export --again 1"), "{said}");
    assert_eq!(bundles().len(), 1);
    // The next export has nothing new to say: the bundle is written again instead.
    let good = fx.dir.path().join("good");
    std::fs::create_dir_all(&good).unwrap();
    let (ok, said) = export(&good, &["--again", "1"]);
    assert!(ok, "{said}");
    let name = bundles()[0].file_name.clone();
    let written = good.join(&name);
    assert!(written.is_file(), "{said}");
    assert!(matches!(
        common::county::import(&county, &written).unwrap(),
        stationdesk::bundle::ImportOutcome::Imported { seq: 1, .. }
    ));
    // A seq the station never wrote is said so.
    let (ok, said) = export(&good, &["--again", "7"]);
    assert!(!ok && said.contains('7'), "{said}");
}

/// A full disk beside the database, at whatever point of the export it runs out: one line on
/// stderr, no panic from any thread, nothing recorded, and the next export continues the chain.
#[test]
fn a_full_disk_during_an_export_says_one_line_and_records_nothing() {
    let fx = common::Fixture::new();
    let Some(disk) = Tmpfs::mount(&fx.dir.path().join("desk"), "64m") else {
        return;
    };
    let county = common::county::county(fx.dir.path(), "county");
    let station = common::Fixture {
        dir: tempfile::tempdir().unwrap(),
        path: disk.0.join("station.db"),
    };
    drop(exporting_station(&station, &county.recipient));
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let db = station.path.to_str().unwrap();
    for leave in [16_384, 200_000, 600_000, 1_500_000] {
        let filler = common::disk::fill(&disk.0, leave);
        let run = run_in(
            fx.dir.path(),
            &["--db", db, "export", "--out", stick.to_str().unwrap()],
        );
        let stderr = text(&run.stderr);
        std::fs::remove_file(&filler).unwrap();
        assert!(!run.status.success(), "{leave}: {}", text(&run.stdout));
        assert!(!stderr.contains("panicked"), "{leave}: {stderr}");
        assert!(!stderr.contains("backtrace"), "{leave}: {stderr}");
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "{leave}: one line on stderr: {stderr}"
        );
        assert!(stderr.contains("磁盘"), "{leave}: {stderr}");
        // Where the export itself ran out: the folder, what is free and what it needs.
        if stderr.contains("磁盘已满") {
            assert!(
                stderr.contains(disk.0.to_str().unwrap()) && stderr.contains("需要大约"),
                "{leave}: {stderr}"
            );
        }
        let store = common::try_open(&station.path).unwrap();
        assert!(
            store.bundles().unwrap().is_empty(),
            "{leave}: nothing recorded"
        );
    }
    let run = run_in(
        fx.dir.path(),
        &["--db", db, "export", "--out", stick.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let store = common::try_open(&station.path).unwrap();
    assert_eq!(store.bundles().unwrap()[0].seq, 1);
}

/// Ctrl-C during an export at the command line: a sentence, nothing recorded, no partial file
/// left in the archive folder or on the stick, and the next export takes the same number.
#[cfg(unix)]
#[test]
fn ctrl_c_during_an_export_stops_it_cleanly() {
    let fx = common::Fixture::new();
    let county = common::county::county(fx.dir.path(), "county");
    {
        let mut store = fx.station();
        store.set_county_recipient(&county.recipient).unwrap();
        stationdesk::demo::run_as_of(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed: 5,
                members: 20,
                records: 15_000,
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
    }
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let child = common::command()
        .args(["--db", fx.path.to_str().unwrap(), "export", "--out"])
        .arg(&stick)
        .env_remove("STATIONDESK_LANG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the bundle is being built (its partial file is in the archive folder).
    let mut child = child;
    let started = std::time::Instant::now();
    while !walk(&fx.dir.path().join("bundles"))
        .iter()
        .any(|p| p.ends_with(".partial"))
    {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the export ended first"
        );
        assert!(started.elapsed().as_secs() < 60, "the export never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    // SAFETY: sends SIGINT to the child we started, as Ctrl-C in its terminal does.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "the export ended before Ctrl-C: {}",
        text(&out.stdout)
    );
    assert!(stderr.contains("已停止导出"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    let store = common::try_open(&fx.path).unwrap();
    assert!(store.bundles().unwrap().is_empty());
    let leftovers = |dir: &Path| -> Vec<String> {
        walk(dir)
            .into_iter()
            .filter(|p| p.ends_with(".partial") || p.ends_with(".sdb1"))
            .collect()
    };
    assert_eq!(leftovers(&stick), Vec::<String>::new());
    assert_eq!(
        leftovers(&fx.dir.path().join("bundles")),
        Vec::<String>::new()
    );
    drop(store);
    let run = run_in(
        fx.dir.path(),
        &[
            "--db",
            fx.path.to_str().unwrap(),
            "export",
            "--out",
            stick.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    let store = common::try_open(&fx.path).unwrap();
    assert_eq!(store.bundles().unwrap()[0].seq, 1);
}

/// Every file under `dir`, as text.
fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path.display().to_string());
            }
        }
    }
    out
}

/// A record that is not what its kind describes — a 40,000-character name, a name that is a
/// number, a member with only its ids — is the refusal of its whole bundle, naming the kind,
/// the record, the field and why; nothing of the bundle is merged.
#[test]
fn the_county_refuses_a_bundle_with_a_record_its_kind_does_not_describe() {
    use common::craft::{craft, jsonl, member_line, station_at};
    let fx = common::Fixture::new();
    let county = common::county::county(fx.dir.path(), "county");
    let store = station_at(&fx.path, "青溪镇", "QX01", &county.recipient);
    let station = store.station().unwrap().unwrap().id.to_string();
    let id = "01900000-0000-7000-8000-0000000000ab";
    let long = member_line(id, &station, 3, &"长".repeat(40_000));
    let mut number = member_line(id, &station, 3, "甲");
    number["name"] = serde_json::json!(12345);
    let bare = serde_json::json!({"id": id, "rev": 3, "station_id": station});
    for (record, field, why) in [
        (long, "name", "40000"),
        (number, "name", "invalid type"),
        (bare, "created_at", "missing field"),
    ] {
        let bundle = craft(
            &store,
            &county.recipient,
            1,
            "",
            vec![("data/member.jsonl".to_string(), jsonl(&[record]))],
            vec![("member".to_string(), 1)],
            |_| {},
        );
        let file = fx.dir.path().join("crafted.sdb1");
        std::fs::write(&file, bundle).unwrap();
        let run = run_in(
            fx.dir.path(),
            &[
                "county",
                "import",
                "--county-db",
                county.db.to_str().unwrap(),
                "--identity",
                county.key.to_str().unwrap(),
                file.to_str().unwrap(),
            ],
        );
        let said = text(&run.stdout) + &text(&run.stderr);
        assert!(!run.status.success(), "{said}");
        assert!(said.contains("不合规"), "{said}");
        assert!(
            said.contains(id) && said.contains(field) && said.contains(why),
            "{said}"
        );
        assert!(
            said.len() < 2000,
            "the long name is not repeated: {} bytes",
            said.len()
        );
    }
    let db = stationdesk::bundle::CountyDb::open(&county.db, &county.unlock()).unwrap();
    assert!(db.stations().unwrap().is_empty(), "nothing merged");
}

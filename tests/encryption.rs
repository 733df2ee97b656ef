//! Nothing readable at rest: the station file, its WAL, its backups and bundles hold none of a
//! resident's words in the clear; the signing key is inside the encrypted file; every slot
//! opens it and a wrong passphrase does not; a plain file of an earlier version is converted
//! whole, also when the program is killed at any step; the county recovers a station whose
//! passphrase is forgotten; the lock's limit on wrong PINs survives a restart.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use stationdesk::domain::IntakeFields;
use stationdesk::store::{
    self, ConvertStep, FileState, KdfCost, Passphrase, PinAttempt, Store, StoreError, Unlock,
};

/// What a copy of the file must not show: a name, a mobile number, an ID number, an address.
const PLANTED: [&str; 4] = [
    "欧阳秀珍",
    "18629851723",
    "33010919461204095X",
    "青溪镇梧桐巷十七号",
];

fn plant(store: &mut Store) {
    let mut fields = IntakeFields {
        visitor_name: PLANTED[0].into(),
        phone: PLANTED[1].into(),
        id_number: PLANTED[2].into(),
        address: PLANTED[3].into(),
        category: "其他".into(),
        visitors: 1,
        request: format!("{}反映楼道灯不亮", PLANTED[0]),
        ..IntakeFields::default()
    };
    fields.visited_at = chrono::Local::now().naive_local() - chrono::Duration::hours(1);
    store.add_intake(&fields).unwrap();
}

/// Whether `bytes` holds `text` in UTF-8 or UTF-16 (either byte order).
fn holds(bytes: &[u8], text: &str) -> bool {
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let utf16be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
    [text.as_bytes().to_vec(), utf16le, utf16be]
        .iter()
        .any(|needle| bytes.windows(needle.len()).any(|w| w == needle.as_slice()))
}

fn assert_nothing_readable(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    for text in PLANTED {
        assert!(!holds(&bytes, text), "{} shows {text}", path.display());
    }
    assert!(!holds(&bytes, "SQLite format 3"), "{}", path.display());
    assert!(!holds(&bytes, "minisign"), "{}", path.display());
}

#[test]
fn no_copy_of_the_station_shows_a_resident_or_the_signing_key() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    plant(&mut store);
    // While the desk is open, its WAL holds the latest pages: encrypted too.
    let wal = stationdesk::files::beside(&fx.path, "-wal");
    assert!(wal.exists());
    assert_nothing_readable(&wal);
    assert_nothing_readable(&fx.path);
    let backups = fx.dir.path().join("backups");
    let backup = store.backup_into(&backups).unwrap();
    assert_nothing_readable(&backup);
    // The backup carries the slots that travel, and opens with the passphrase alone.
    let keys = store::Slots::load(&store::keys_path(&backup)).unwrap();
    assert!(keys.has_passphrase() && !keys.has_this_computer());
    assert!(common::check_file(&backup).is_ok());
    // The station's archive copy of a bundle is as encrypted as the bundle.
    let county = age::x25519::Identity::generate();
    store
        .set_county_recipient(&county.to_public().to_string())
        .unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    let archive = stationdesk::bundle::archive_dir(&store);
    let archived: Vec<PathBuf> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!archived.is_empty());
    for copy in &archived {
        assert_nothing_readable(copy);
    }
    // The signing key cannot be read without a slot: a plain reader finds no database.
    let plain = rusqlite::Connection::open(&fx.path).unwrap();
    assert!(plain
        .query_row("SELECT secret_key FROM station", [], |r| r
            .get::<_, String>(0))
        .is_err());
    drop(store);
    assert_nothing_readable(&fx.path);
    let keys_text = std::fs::read_to_string(store::keys_path(&fx.path)).unwrap();
    assert!(!keys_text.contains("minisign") && !keys_text.contains("RWQ"));
}

#[test]
fn a_wrong_passphrase_opens_nothing_and_every_slot_opens_the_file() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    plant(&mut store);
    let machine = stationdesk::store::Machine::folder(fx.dir.path().join("machine"));
    store.set_this_computer(true, &machine).unwrap();
    drop(store);
    let wrong = Unlock::Passphrase(Passphrase::new("test station passphrasE"));
    assert!(matches!(
        Store::open(&fx.path, &wrong),
        Err(StoreError::WrongPassphrase)
    ));
    let opened = Store::open(&fx.path, &Unlock::ThisComputer(machine.clone())).unwrap();
    assert_eq!(opened.station().unwrap().unwrap().code, "QX01");
    let again = opened.reopen().unwrap();
    drop((opened, again));
    assert!(common::try_open(&fx.path).is_ok());
    // Turned off, this computer opens nothing.
    let mut store = common::try_open(&fx.path).unwrap();
    store.set_this_computer(false, &machine).unwrap();
    drop(store);
    assert!(Store::open(&fx.path, &Unlock::ThisComputer(machine)).is_err());
}

#[test]
fn the_lock_waits_after_five_wrong_pins_also_after_a_restart() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let member = store.add_member(&common::member("张伟")).unwrap();
    store.set_member_pin(member.meta.id, "2468").unwrap();
    let now = chrono::Utc::now();
    for _ in 0..4 {
        assert_eq!(
            store.try_member_pin(member.meta.id, "1111", now).unwrap(),
            PinAttempt::Wrong
        );
    }
    assert_eq!(
        store.try_member_pin(member.meta.id, "1111", now).unwrap(),
        PinAttempt::Wait { seconds: 30 }
    );
    drop(store);
    // A restart: still waiting, and the right PIN is not even checked.
    let mut store = common::try_open(&fx.path).unwrap();
    assert!(matches!(
        store.try_member_pin(member.meta.id, "2468", now + chrono::Duration::seconds(10)),
        Ok(PinAttempt::Wait { .. })
    ));
    // After the wait, one more wrong PIN doubles it.
    let later = now + chrono::Duration::seconds(31);
    assert_eq!(
        store.try_member_pin(member.meta.id, "1111", later).unwrap(),
        PinAttempt::Wait { seconds: 60 }
    );
    let much_later = later + chrono::Duration::seconds(61);
    assert_eq!(
        store
            .try_member_pin(member.meta.id, "2468", much_later)
            .unwrap(),
        PinAttempt::Right
    );
    assert_eq!(
        store
            .try_member_pin(member.meta.id, "1111", much_later)
            .unwrap(),
        PinAttempt::Wrong
    );
}

/// A plain station file as an earlier version left it: the tests' station written out plain.
fn plain_station(dir: &Path) -> (PathBuf, usize) {
    let source = dir.join("source.db");
    let mut store = common::try_open(&source).unwrap();
    store
        .init_station(&stationdesk::domain::StationSetup {
            name: "青溪镇政协委员工作站".into(),
            code: "QX01".into(),
            county: "清河县".into(),
            county_recipient: String::new(),
        })
        .unwrap();
    store.set_actor("李秀兰");
    plant(&mut store);
    for name in ["张伟", "王芳", "李娜"] {
        store.add_member(&common::member(name)).unwrap();
    }
    drop(store);
    let plain = dir.join("stationdesk.db");
    let conn = common::connection(&source).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i64 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{}' AS plain KEY ''; SELECT sqlcipher_export('plain');
         PRAGMA plain.user_version = {version}; PRAGMA plain.application_id = {app};
         DETACH DATABASE plain;",
        plain.display()
    ))
    .unwrap();
    drop(conn);
    std::fs::remove_file(&source).unwrap();
    std::fs::remove_file(store::keys_path(&source)).unwrap();
    assert_eq!(store::file_state(&plain), FileState::Plain);
    let bytes = std::fs::read(&plain).unwrap();
    assert!(holds(&bytes, PLANTED[1]), "the plain file shows the phone");
    (plain, 3)
}

fn assert_converted_whole(path: &Path, members: usize) {
    assert_eq!(store::file_state(path), FileState::Encrypted);
    assert_nothing_readable(path);
    let store = common::try_open(path).unwrap();
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    let everyone = stationdesk::store::MemberFilter {
        include_inactive: true,
        ..Default::default()
    };
    assert_eq!(store.count_members(&everyone).unwrap(), members as i64);
    let hits = store.search("欧阳", None, 10).unwrap();
    assert!(!hits.is_empty(), "search survives the conversion");
}

#[test]
fn a_plain_file_of_an_earlier_version_is_converted_after_a_plain_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, members) = plain_station(dir.path());
    let mut steps = Vec::new();
    let store = Store::open_with(&plain, &common::unlock(), KdfCost::QUICK, &mut |s| {
        steps.push(s)
    })
    .unwrap();
    drop(store);
    assert_eq!(steps, ConvertStep::ALL.to_vec());
    assert_converted_whole(&plain, members);
    // The plain backup made first is kept, listed as plain.
    let backups = store::list_backups(&store::backup_dir_for(&plain));
    assert_eq!(backups.iter().filter(|b| b.plain).count(), 1);
    assert!(!store::converting_path(&plain).exists());
}

#[test]
fn a_kill_at_any_step_of_the_conversion_leaves_one_whole_file() {
    for step in ConvertStep::ALL {
        let dir = tempfile::tempdir().unwrap();
        let (plain, members) = plain_station(dir.path());
        let out = common::command()
            .arg("--db")
            .arg(&plain)
            .arg("members")
            .env("STATIONDESK_KILL_AT", step.name())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{step:?} was not killed");
        match store::file_state(&plain) {
            FileState::Plain => {
                let conn = rusqlite::Connection::open(&plain).unwrap();
                let ok: String = conn
                    .query_row("PRAGMA integrity_check", [], |r| r.get(0))
                    .unwrap();
                assert_eq!(ok, "ok", "{step:?}");
            }
            _ => assert_converted_whole(&plain, members),
        }
        // The next start finishes the work.
        let out = common::command()
            .arg("--db")
            .arg(&plain)
            .arg("members")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{step:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_converted_whole(&plain, members);
    }
}

#[test]
fn the_county_recovers_a_station_that_forgot_its_passphrase() {
    let fx = common::Fixture::new();
    let key_file = fx.dir.path().join("county.key");
    let keygen = std::process::Command::new(common::bin())
        .args(["county", "keygen", "--out"])
        .arg(&key_file)
        .output()
        .unwrap();
    let recipient = String::from_utf8_lossy(&keygen.stdout)
        .lines()
        .find(|l| l.starts_with("age1"))
        .unwrap()
        .to_string();
    let mut store = fx.station();
    store.set_county_recipient(&recipient).unwrap();
    plant(&mut store);
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    assert!(first.manifest.key_escrow.is_some());
    drop(store);
    // The passphrase is forgotten, and the keys file lost with it.
    std::fs::remove_file(store::keys_path(&fx.path)).unwrap();
    let out = std::process::Command::new(common::bin())
        .current_dir(fx.dir.path())
        .args(["county", "recover", "--identity"])
        .arg(&key_file)
        .arg("--bundle")
        .arg(&first.path)
        .arg("--out")
        .arg(store::keys_path(&fx.path))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let one_time = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .unwrap()
        .trim()
        .to_string();
    // The station opens with the one-time passphrase, which asks for a new one.
    let with = |passphrase: &str| {
        let mut command = std::process::Command::new(common::bin());
        command
            .env("STATIONDESK_PASSPHRASE", passphrase)
            .arg("--db")
            .arg(&fx.path);
        command
    };
    let members = with(&one_time).arg("members").output().unwrap();
    assert!(members.status.success());
    assert!(String::from_utf8_lossy(&members.stderr).contains("一次性口令"));
    let new_file = fx.dir.path().join("new.pass");
    std::fs::write(&new_file, "xinkouling qinghe zhanzhang\n").unwrap();
    let changed = with(&one_time)
        .arg("passphrase")
        .arg("--new-passphrase-file")
        .arg(&new_file)
        .output()
        .unwrap();
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert!(!with(&one_time)
        .arg("members")
        .output()
        .unwrap()
        .status
        .success());
    // The next bundle is in the same chain: the county takes both in order.
    let mut store = Store::open(
        &fx.path,
        &Unlock::Passphrase(Passphrase::new("xinkouling qinghe zhanzhang")),
    )
    .unwrap();
    store.set_actor("李秀兰");
    store.add_member(&common::member("找回后")).unwrap();
    let second = stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    assert_eq!(second.manifest.seq, first.manifest.seq + 1);
    let county_db = fx.dir.path().join("county.db");
    let import = std::process::Command::new(common::bin())
        .args(["county", "import", "--county-db"])
        .arg(&county_db)
        .arg("--identity")
        .arg(&key_file)
        .arg(&first.path)
        .arg(&second.path)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
}

#[cfg(unix)]
#[test]
fn files_and_folders_are_their_owners_alone_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("stationdesk.db");
    let script = format!(
        "umask 022; exec '{}' --db '{}' init --name 青溪镇政协委员工作站 --code QX01 && \
         exec '{}' --db '{}' demo --members 5 --records 20",
        common::bin(),
        db.display(),
        common::bin(),
        db.display()
    );
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .env("STATIONDESK_PASSPHRASE", common::PASSPHRASE)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&store::keys_path(&db)), 0o600);
    // A library user's store: the WAL and shared memory take the database's mode.
    let store = common::try_open(&db).unwrap();
    for suffix in ["-wal", "-shm"] {
        let file = stationdesk::files::beside(&db, suffix);
        assert_eq!(mode(&file), 0o600, "{suffix}");
    }
    drop(store);
}

#[test]
fn sql_reads_the_encrypted_file_in_the_shapes_of_sqlite3() {
    let fx = common::Fixture::new();
    drop(fx.station());
    let sql = |args: &[&str]| {
        common::command()
            .arg("--db")
            .arg(&fx.path)
            .arg("sql")
            .args(args)
            .output()
            .unwrap()
    };
    let json = sql(&["SELECT code, 7 AS n FROM station", "--json"]);
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&json.stdout),
        "[{\"code\":\"QX01\",\"n\":7}]\n"
    );
    let csv = sql(&["SELECT code, name FROM station", "--csv", "--header"]);
    assert_eq!(
        String::from_utf8_lossy(&csv.stdout),
        "code,name\r\nQX01,青溪镇政协委员工作站\r\n"
    );
    let text = sql(&["SELECT code FROM station"]);
    assert_eq!(String::from_utf8_lossy(&text.stdout), "code\n----\nQX01\n");
    // Nothing is written through it.
    assert!(!sql(&["DELETE FROM member"]).status.success());
    let wrong = common::command()
        .env("STATIONDESK_PASSPHRASE", "not the passphrase")
        .arg("--db")
        .arg(&fx.path)
        .args(["sql", "SELECT 1"])
        .output()
        .unwrap();
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("口令不对"));
}

#[test]
fn a_backup_restores_onto_a_new_pc_with_its_passphrase() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    plant(&mut store);
    let backup = store.backup_into(&fx.dir.path().join("stick")).unwrap();
    drop(store);
    // A new PC: nothing there yet; the backup and its keys file are all it is given.
    let new_db = fx.dir.path().join("newpc").join("stationdesk.db");
    let restored = common::command()
        .arg("--db")
        .arg(&new_db)
        .arg("restore")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    assert!(store::keys_path(&new_db).exists());
    assert!(!store::converting_path(&new_db).exists());
    let store = common::try_open(&new_db).unwrap();
    assert_eq!(store.search("欧阳", None, 10).unwrap().len(), 1);
    drop(store);
    // Without the passphrase it does not restore.
    let other = fx.dir.path().join("other").join("stationdesk.db");
    let refused = common::command()
        .env("STATIONDESK_PASSPHRASE", "not the passphrase")
        .arg("--db")
        .arg(&other)
        .arg("restore")
        .arg(&backup)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(!other.exists());
}

/// A county that imported the station's bundle holding the planted resident.
fn county_with_resident(fx: &common::Fixture) -> common::county::County {
    let c = common::county::county(fx.dir.path(), "county");
    let mut store = fx.station();
    store.set_county_recipient(&c.recipient).unwrap();
    plant(&mut store);
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let sent = stationdesk::bundle::export(&mut store, &stick, Default::default()).unwrap();
    // Imported as the office does, its passphrase given in the environment.
    let import = common::command()
        .args(["county", "import", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .arg(&sent.path)
        .output()
        .unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stdout)
    );
    c
}

/// `county sql` with the passphrase `passphrase` (none: not given) and the identity `key`.
fn county_sql(
    c: &common::county::County,
    passphrase: Option<&str>,
    key: Option<&Path>,
    query: &str,
) -> std::process::Output {
    let mut command = std::process::Command::new(common::bin());
    command.env_remove("STATIONDESK_PASSPHRASE");
    if let Some(passphrase) = passphrase {
        command.env("STATIONDESK_PASSPHRASE", passphrase);
    }
    command.args(["county", "sql", "--county-db"]).arg(&c.db);
    if let Some(key) = key {
        command.arg("--identity").arg(key);
    }
    command
        .arg(query)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_county_file_shows_no_resident_and_opens_with_its_identity_or_its_passphrase() {
    let fx = common::Fixture::new();
    let c = county_with_resident(&fx);
    assert_eq!(store::file_state(&c.db), FileState::Encrypted);
    for file in [c.db.clone(), stationdesk::files::beside(&c.db, "-wal")] {
        if file.exists() {
            assert_nothing_readable(&file);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [c.db.clone(), store::keys_path(&c.db)] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{}", file.display());
        }
    }
    let query = "SELECT count(*) AS n FROM county_record WHERE data LIKE '%欧阳秀珍%'";
    // The identity alone opens it, and so does the passphrase alone.
    let by_identity = county_sql(&c, None, Some(&c.key), query);
    assert!(
        by_identity.status.success(),
        "{}",
        String::from_utf8_lossy(&by_identity.stderr)
    );
    assert!(String::from_utf8_lossy(&by_identity.stdout).contains('1'));
    let by_passphrase = county_sql(&c, Some(common::PASSPHRASE), None, query);
    assert!(
        by_passphrase.status.success(),
        "{}",
        String::from_utf8_lossy(&by_passphrase.stderr)
    );
    assert_eq!(by_passphrase.stdout, by_identity.stdout);
    let report = common::command()
        .args(["county", "report", "--county-db"])
        .arg(&c.db)
        .arg("--out")
        .arg(fx.dir.path().join("county.xlsx"))
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    // A wrong passphrase, another county's identity, or nothing at all opens nothing.
    let said = |out: &std::process::Output| {
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let wrong = said(&county_sql(
        &c,
        Some("not the county passphrase"),
        None,
        query,
    ));
    assert!(wrong.contains("打不开"), "{wrong}");
    let other = common::county::county(fx.dir.path(), "other");
    let wrong = said(&county_sql(&c, None, Some(&other.key), query));
    assert!(wrong.contains("打不开"), "{wrong}");
    let nothing = said(&county_sql(&c, None, None, query));
    assert!(nothing.contains("已加密"), "{nothing}");
    assert!(!nothing.contains("panicked"), "{nothing}");
}

#[test]
fn the_county_passphrase_is_changed_with_the_identity_and_the_old_one_opens_nothing() {
    let fx = common::Fixture::new();
    let c = county_with_resident(&fx);
    let new_file = fx.dir.path().join("county.pass");
    std::fs::write(&new_file, "xianzhengxie baogao chuangkou\n").unwrap();
    let changed = common::command()
        .args(["county", "passphrase", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .arg("--new-passphrase-file")
        .arg(&new_file)
        .output()
        .unwrap();
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    let query = "SELECT count(*) FROM county_station";
    assert!(
        county_sql(&c, Some("xianzhengxie baogao chuangkou"), None, query)
            .status
            .success()
    );
    assert!(!county_sql(&c, Some(common::PASSPHRASE), None, query)
        .status
        .success());
    // A weak one is refused, and the passphrase stays.
    std::fs::write(&new_file, "123456\n").unwrap();
    let weak = common::command()
        .args(["county", "passphrase", "--county-db"])
        .arg(&c.db)
        .arg("--identity")
        .arg(&c.key)
        .arg("--new-passphrase-file")
        .arg(&new_file)
        .output()
        .unwrap();
    assert!(!weak.status.success());
    assert!(
        county_sql(&c, Some("xianzhengxie baogao chuangkou"), None, query)
            .status
            .success()
    );
}

#[test]
fn an_earlier_versions_plain_county_file_is_read_and_converted_on_first_open() {
    let fx = common::Fixture::new();
    let c = county_with_resident(&fx);
    // The county file as an earlier version kept it: plain SQLite, no keys file.
    let plain = fx.dir.path().join("old-county.db");
    {
        let conn = c.unlock().raw_connection(&c.db).unwrap();
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        conn.execute_batch(&format!(
            "ATTACH DATABASE '{}' AS plain KEY '';
             SELECT sqlcipher_export('plain');
             PRAGMA plain.application_id = {app};
             PRAGMA plain.user_version = {version};
             DETACH DATABASE plain;",
            plain.display()
        ))
        .unwrap();
    }
    assert_eq!(store::file_state(&plain), FileState::Plain);
    assert!(holds(&std::fs::read(&plain).unwrap(), PLANTED[0]));
    let old = common::county::County {
        db: plain.clone(),
        ..common::county::county(fx.dir.path(), "unused")
    };
    // `county sql` reads it as it is, needing no key and changing nothing.
    let before = std::fs::read(&plain).unwrap();
    let read = county_sql(&old, None, None, "SELECT count(*) FROM county_station");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    assert_eq!(std::fs::read(&plain).unwrap(), before);
    // The first open converts it, after a plain backup, and it holds what it held.
    let db = stationdesk::bundle::CountyDb::open(&plain, &c.unlock()).unwrap();
    assert_eq!(db.stations().unwrap().len(), 1);
    assert_eq!(db.records("intake").unwrap().len(), 1);
    drop(db);
    assert_eq!(store::file_state(&plain), FileState::Encrypted);
    assert_nothing_readable(&plain);
    let backups = store::backup_dir_for(&plain);
    let kept: Vec<PathBuf> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| store::file_state(p) == FileState::Plain)
        .collect();
    assert_eq!(kept.len(), 1, "{}", backups.display());
    // The county's identity opens the converted file from then on.
    let again = stationdesk::bundle::CountyDb::open(&plain, &c.unlock()).unwrap();
    assert_eq!(again.stations().unwrap().len(), 1);
}

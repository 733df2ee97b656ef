//! The county on both stores: the same bundles give the same records, the same refusals and
//! the same report, byte for byte, from a SQLite file and from PostgreSQL (a throwaway cluster
//! started by the test); and importers running at once on one county never fork, skip or
//! double a station's chain.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::county::{county, County};
use common::craft::{demo_station_at, station_at};
use common::pg::PgCluster;
use common::Fixture;
use stationdesk::bundle::{
    self, BundleError, Counted, CountyDb, CountyUnlock, ExportOptions, ImportOutcome,
};
use stationdesk::domain::RecordKind;
use stationdesk::store::Store;

/// A station with demo records and its bundles: the first with everything, then two more
/// after edits.
fn station_with_bundles(
    dir: &Path,
    code: &str,
    recipient: &str,
    seed: u64,
) -> (Store, Vec<PathBuf>) {
    let mut store = station_at(
        &dir.join(format!("{code}.db")),
        &format!("{code} 委员工作站"),
        code,
        recipient,
    );
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed,
            members: 8,
            records: 30,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let stick = dir.join(format!("stick-{code}"));
    std::fs::create_dir_all(&stick).unwrap();
    let mut files = vec![
        bundle::export(&mut store, &stick, ExportOptions::default())
            .unwrap()
            .path,
    ];
    for round in 0..2 {
        let member = store
            .add_member(&common::member(&format!("{code}新委员{round}")))
            .unwrap();
        let mut fields = member.fields.clone();
        fields.specialties = format!("第{round}次修改");
        store.edit_member(member.meta.id, &fields).unwrap();
        files.push(
            bundle::export(&mut store, &stick, ExportOptions::default())
                .unwrap()
                .path,
        );
    }
    (store, files)
}

fn import_into(db: &mut CountyDb, c: &County, file: &Path) -> Result<ImportOutcome, BundleError> {
    let identities = bundle::load_identities(&c.key).unwrap();
    db.import_file(file, &identities)
}

/// Everything the county holds, as text, in one order: to compare stores and to see that a
/// refusal changed nothing.
fn everything(db: &CountyDb) -> Vec<String> {
    let mut all: Vec<String> = db
        .stations()
        .unwrap()
        .iter()
        .map(|s| format!("{s:?}"))
        .collect();
    for kind in RecordKind::ALL {
        for record in db.records(kind.as_str()).unwrap() {
            all.push(format!("{}:{record}", kind.as_str()));
        }
    }
    // The changes the bundles carried, each with the bundle that carried it.
    for station in db.stations().unwrap() {
        for (line, seq) in db.station_history(&station.id).unwrap() {
            all.push(format!("history {}:{line:?}@{seq}", station.code));
        }
    }
    all
}

#[test]
fn both_stores_hold_the_same_records_refuse_alike_and_report_the_same_bytes() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let (qx_store, qx) = station_with_bundles(fx.dir.path(), "QX01", &c.recipient, 3);
    let (_hd, hd) = station_with_bundles(fx.dir.path(), "HD02", &c.recipient, 4);
    let mut sqlite = CountyDb::open(&fx.dir.path().join("county.db"), &c.unlock()).unwrap();
    let url = pg.database("county");
    let mut postgres = CountyDb::open_target(&url, &CountyUnlock::none()).unwrap();
    assert!(postgres.target().contains("dbname=county"));
    for db in [&mut sqlite, &mut postgres] {
        for file in qx.iter().chain(hd.iter()) {
            assert!(matches!(
                import_into(db, &c, file).unwrap(),
                ImportOutcome::Imported { .. }
            ));
        }
    }
    assert_eq!(everything(&sqlite), everything(&postgres));
    assert!(everything(&sqlite).len() > 2 * 38);
    let changes = everything(&postgres)
        .iter()
        .filter(|line| line.starts_with("history "))
        .count();
    assert!(changes > 38, "{changes} changes");

    // The same refusals, each changing nothing.
    let before = (everything(&sqlite), everything(&postgres));
    for db in [&mut sqlite, &mut postgres] {
        assert!(matches!(
            import_into(db, &c, &qx[1]).unwrap(),
            ImportOutcome::AlreadyImported { seq: 2, .. }
        ));
    }
    // A fork: another bundle 4 of QX01 than the one the county will be given.
    let copy_dir = fx.dir.path().join("copy");
    let copied = qx_store.backup_into(&copy_dir).unwrap();
    std::fs::rename(&copied, copy_dir.join("QX01.db")).unwrap();
    std::fs::rename(
        stationdesk::store::keys_path(&copied),
        stationdesk::store::keys_path(&copy_dir.join("QX01.db")),
    )
    .unwrap();
    let mut copy = common::try_open(&copy_dir.join("QX01.db")).unwrap();
    copy.add_member(&common::member("分叉")).unwrap();
    let fork = bundle::export(&mut copy, &copy_dir, ExportOptions::default()).unwrap();
    assert_eq!(fork.manifest.seq, 4);
    let (_, later) = {
        let mut more = common::try_open(&fx.dir.path().join("QX01.db")).unwrap();
        more.add_member(&common::member("正常")).unwrap();
        let four = bundle::export(
            &mut more,
            &fx.dir.path().join("stick-QX01"),
            ExportOptions::default(),
        )
        .unwrap();
        more.add_member(&common::member("再后")).unwrap();
        let five = bundle::export(
            &mut more,
            &fx.dir.path().join("stick-QX01"),
            ExportOptions::default(),
        )
        .unwrap();
        (four, five)
    };
    for db in [&mut sqlite, &mut postgres] {
        let err = import_into(db, &c, &later.path).unwrap_err();
        assert!(matches!(err, BundleError::Gap { from: 4, to: 4 }), "{err}");
    }
    assert_eq!((everything(&sqlite), everything(&postgres)), before);
    for db in [&mut sqlite, &mut postgres] {
        import_into(db, &c, &fork.path).unwrap();
        let err = import_into(db, &c, &later.path).unwrap_err();
        assert!(matches!(err, BundleError::Fork(5)), "{err}");
    }
    assert_eq!(everything(&sqlite), everything(&postgres));

    // The report, byte for byte.
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let from_sqlite = sqlite.report(Counted::Again(Some(2026)), today).unwrap();
    let from_postgres = postgres.report(Counted::Again(Some(2026)), today).unwrap();
    assert!(from_sqlite == from_postgres, "the two reports differ");

    // The report tables for the office's own tools, the same in both stores.
    sqlite.refresh_views(None, today).unwrap();
    postgres.refresh_views(None, today).unwrap();
    // The encrypted file read as the office's tools read it now: `county sql`.
    let county_file = fx.dir.path().join("county.db");
    let from_sqlite_tables = county_sql(
        &county_file,
        &c.key,
        "SELECT \"工作站代码\", \"姓名\", \"界别\" FROM report_member ORDER BY 1, 2, 3",
    );
    let from_pg_tables: Vec<String> = pg
        .psql(
            "county",
            "SELECT \"工作站代码\", \"姓名\", \"界别\" FROM report_member ORDER BY \"工作站代码\" COLLATE \"C\", \"姓名\" COLLATE \"C\", \"界别\" COLLATE \"C\"",
        )
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(from_sqlite_tables, from_pg_tables);
    assert!(from_sqlite_tables
        .iter()
        .any(|r| r.starts_with("QX01|QX01新委员0|")));
    let station_rows = pg.psql(
        "county",
        "SELECT \"工作站代码\", \"委员数\", \"最新批次\" FROM report_station ORDER BY 1",
    );
    let qx_members = sqlite
        .records("member")
        .unwrap()
        .iter()
        .filter(|m| m["station_id"] == qx_store.station().unwrap().unwrap().id.to_string())
        .count();
    assert!(
        station_rows.contains(&format!("QX01|{qx_members}|4")),
        "{station_rows}"
    );
    // Every member's assessment, the same in both stores, one row a member; the station's
    // 4+X against its quotas beside its counts.
    let assessed_sqlite = county_sql(
        &county_file,
        &c.key,
        "SELECT \"工作站代码\", \"姓名\", \"总分\", \"等次\" FROM report_assessment ORDER BY 1, 2, 3",
    );
    let assessed_pg: Vec<String> = pg
        .psql(
            "county",
            "SELECT \"工作站代码\", \"姓名\", \"总分\", \"等次\" FROM report_assessment ORDER BY \"工作站代码\" COLLATE \"C\", \"姓名\" COLLATE \"C\", \"总分\" COLLATE \"C\"",
        )
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(assessed_sqlite, assessed_pg);
    assert_eq!(
        assessed_sqlite.len(),
        from_sqlite_tables.len(),
        "a row a member"
    );
    let quota_rows = pg.psql(
        "county",
        "SELECT \"协商完成（次/应开）\" FROM report_station ORDER BY 1",
    );
    assert!(
        quota_rows.lines().all(|l| l.ends_with("/4")),
        "{quota_rows}"
    );
    // A case's row names its mediators, not their ids.
    let case_row = pg.psql("county", "SELECT * FROM report_case LIMIT 1");
    assert!(!case_row.is_empty());

    // The command line takes the connection string wherever it takes a file.
    let out = fx.dir.path().join("report.xlsx");
    let report = common::command()
        .args([
            "--lang",
            "en",
            "county",
            "report",
            "--county-db",
            &url,
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    assert!(std::fs::metadata(&out).unwrap().len() > 1000);
}

/// The rows of a query on the county's encrypted SQLite file, by `county sql --csv`, each
/// as its values joined by `|` (as psql prints them).
fn county_sql(file: &Path, key: &Path, query: &str) -> Vec<String> {
    let read = common::command()
        .args(["--lang", "en", "county", "sql", "--county-db"])
        .arg(file)
        .arg("--identity")
        .arg(key)
        .args(["--csv", query])
        .output()
        .unwrap();
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(read.stdout.as_slice())
        .records()
        .map(|row| row.unwrap().iter().collect::<Vec<_>>().join("|"))
        .collect()
}

/// Runs `county import` as a process over `files`.
fn importer(county_db: &str, key: &Path, files: &[PathBuf]) -> std::process::Child {
    common::command()
        .args([
            "--lang",
            "en",
            "county",
            "import",
            "--county-db",
            county_db,
            "--identity",
        ])
        .arg(key)
        .args(files)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Four importers given the same 40 bundles of five stations in shuffled orders, at once.
fn four_importers_at_once(county_db: &str, check: &dyn Fn(&CountyDb)) {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for (n, code) in ["QX01", "HD02", "XF03", "NS04", "BL05"].iter().enumerate() {
        let mut store = station_at(
            &fx.dir.path().join(format!("{code}.db")),
            &format!("{code} 委员工作站"),
            code,
            &c.recipient,
        );
        let stick = fx.dir.path().join(format!("stick-{code}"));
        std::fs::create_dir_all(&stick).unwrap();
        for seq in 0..8 {
            store
                .add_member(&common::member(&format!("{code}委员{seq}")))
                .unwrap();
            files.push(
                bundle::export(&mut store, &stick, ExportOptions::default())
                    .unwrap()
                    .path,
            );
        }
        expected.push((code.to_string(), 8u64, n));
    }
    assert_eq!(files.len(), 40);
    // Four shuffled orders (a fixed permutation each, so a failure can be replayed).
    let orders: Vec<Vec<PathBuf>> = (0..4u64)
        .map(|k| {
            let mut order = files.clone();
            order.sort_by_key(|p| {
                let name = p.display().to_string();
                let mut h: u64 = 1469598103934665603 ^ k;
                for b in name.bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(1099511628211);
                }
                h
            });
            order
        })
        .collect();
    let children: Vec<_> = orders
        .iter()
        .map(|order| importer(county_db, &c.key, order))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        for line in said.lines().filter(|l| l.contains("refused -")) {
            assert!(
                line.contains("Earlier bundles are missing"),
                "refused for another reason than waiting for an earlier seq: {line}"
            );
        }
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // A rerun takes whatever was waiting; afterwards every chain is whole.
    let rerun = importer(county_db, &c.key, &files)
        .wait_with_output()
        .unwrap();
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stdout)
    );
    let db = CountyDb::open_target(county_db, &c.unlock()).unwrap();
    let stations = db.stations().unwrap();
    assert_eq!(stations.len(), 5);
    for station in &stations {
        assert_eq!(station.last_seq, 8, "{station:?}");
    }
    let members = db.records("member").unwrap();
    assert_eq!(members.len(), 40, "each record once");
    check(&db);
}

#[test]
fn four_importers_at_once_on_postgres_keep_every_chain_whole() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let url = pg.database("county");
    four_importers_at_once(&url, &|_| {});
    let bundles = pg.psql(
        "county",
        "SELECT count(*), count(DISTINCT (station_id, seq)) FROM county_bundle",
    );
    assert_eq!(bundles.trim(), "40|40");
}

#[test]
fn four_importers_at_once_on_sqlite_keep_every_chain_whole() {
    let fx = Fixture::new();
    let db = fx.dir.path().join("county.db");
    four_importers_at_once(&db.display().to_string(), &|_| {});
}

#[test]
fn a_generated_county_migrates_from_sqlite_into_postgres_whole() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let fx = Fixture::new();
    let demo = fx.dir.path().join("county-demo");
    let made = common::command()
        .args([
            "--lang",
            "en",
            "county",
            "demo",
            "--stations",
            "3",
            "--years",
            "2",
            "--records-per-year",
            "40",
            "--members",
            "10",
            "--out",
        ])
        .arg(&demo)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&made.stdout);
    assert!(
        made.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(said.contains("Wrote 6 bundles"), "{said}");
    let mut bundles: Vec<PathBuf> = std::fs::read_dir(demo.join("bundles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    bundles.sort();
    assert_eq!(bundles.len(), 6);
    let file = fx.dir.path().join("county.db");
    let imported = importer(
        &file.display().to_string(),
        &demo.join("county.key"),
        &bundles,
    )
    .wait_with_output()
    .unwrap();
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stdout)
    );
    let sqlite = CountyDb::open(
        &file,
        &CountyUnlock::identity_file(&demo.join("county.key")).unwrap(),
    )
    .unwrap();
    let stations = sqlite.stations().unwrap();
    assert_eq!(stations.len(), 3);
    assert!(stations.iter().all(|s| s.last_seq == 2));
    // Two years of visits per station, the first year's dated a year before the second's.
    let visits = sqlite.records("intake").unwrap();
    assert!(visits.len() >= 3 * 2 * 20, "{}", visits.len());
    let mut days: Vec<String> = visits
        .iter()
        .filter_map(|v| v["visited_at"].as_str().map(|s| s[..10].to_string()))
        .collect();
    days.sort();
    let first = chrono::NaiveDate::parse_from_str(&days[0], "%Y-%m-%d").unwrap();
    let last = chrono::NaiveDate::parse_from_str(&days[days.len() - 1], "%Y-%m-%d").unwrap();
    assert!((last - first).num_days() > 400, "{first} – {last}");

    let url = pg.database("county");
    let migrated = common::command()
        .args(["--lang", "en", "county", "migrate", "--from"])
        .arg(&file)
        .args(["--to", &url])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&migrated.stdout);
    assert!(
        migrated.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
    assert!(said.contains("Copied 3 stations, 6 bundles"), "{said}");
    assert!(said.contains("they are the same"), "{said}");
    let postgres = CountyDb::open_target(&url, &CountyUnlock::none()).unwrap();
    assert!(sqlite.differences(&postgres).unwrap().is_empty());
    assert_eq!(everything(&sqlite), everything(&postgres));
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    assert!(
        sqlite.report(Counted::AsImported, today).unwrap()
            == postgres.report(Counted::AsImported, today).unwrap()
    );
    // Migrating again into a county that holds stations is refused.
    let again = common::command()
        .args(["--lang", "en", "county", "migrate", "--from"])
        .arg(&file)
        .args(["--to", &url])
        .output()
        .unwrap();
    assert!(!again.status.success());
    // And the migrated county goes on: the next bundle of a station imports there.
    let mut station = stationdesk::store::Store::open(
        &demo.join("stations").join("CS001.db"),
        &stationdesk::store::Unlock::Passphrase(stationdesk::store::Passphrase::new(
            stationdesk::demo::DEMO_PASSPHRASE,
        )),
    )
    .unwrap();
    station.add_member(&common::member("迁移后")).unwrap();
    let next = bundle::export(&mut station, fx.dir.path(), ExportOptions::default()).unwrap();
    let identities = bundle::load_identities(&demo.join("county.key")).unwrap();
    let mut postgres = CountyDb::open_target(&url, &CountyUnlock::none()).unwrap();
    assert!(matches!(
        postgres.import_file(&next.path, &identities).unwrap(),
        ImportOutcome::Imported { seq: 3, .. }
    ));
}

#[test]
fn every_crafted_bundle_is_refused_by_postgres_too_and_changes_nothing() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station_at(&fx.path, "青溪镇政协委员工作站", "QX01", &c.recipient);
    store.add_member(&common::member("委员一")).unwrap();
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut store, &stick, ExportOptions::default()).unwrap();
    let url = pg.database("county");
    let mut db = CountyDb::open_target(&url, &CountyUnlock::none()).unwrap();
    import_into(&mut db, &c, &first.path).unwrap();
    let previous = bundle::verify(
        &std::fs::read(&first.path).unwrap(),
        &bundle::load_identities(&c.key).unwrap(),
    )
    .unwrap()
    .manifest_sha256;
    // What PostgreSQL holds, as psql prints it, and the chain.
    let dump = || {
        pg.psql(
            "county",
            "SELECT station_id, kind, id, rev, deleted, md5(data) FROM county_record
             UNION ALL SELECT station_id, 'bundle', seq::text, 0, false, manifest FROM county_bundle
             UNION ALL SELECT station_id, 'station', code, last_seq, false, last_manifest FROM county_station
             ORDER BY 1, 2, 3",
        )
    };
    let before = dump();
    let dir = fx.dir.path().join("crafted");
    std::fs::create_dir_all(&dir).unwrap();
    let mut cases = common::craft::crafted(&store, &c, &previous);
    cases.push((
        "duplicate",
        common::craft::duplicate_entries(&store, &c, &previous),
        |e| matches!(e, BundleError::DuplicateEntries),
    ));
    for (name, bytes, expected) in cases {
        let file = dir.join(format!("{name}.sdb1"));
        std::fs::write(&file, bytes).unwrap();
        let err = import_into(&mut db, &c, &file).expect_err(name);
        assert!(expected(&err), "{name}: {err}");
        assert_eq!(dump(), before, "{name} changed the county database");
    }
}

#[test]
fn the_county_connects_over_tls_when_the_string_asks_for_it_and_checks_the_certificate() {
    let Some(pg) = PgCluster::start_tls() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    pg.database("county");
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let (_store, files) = station_with_bundles(fx.dir.path(), "QX01", &c.recipient, 5);
    let url = pg.tls_url("county");
    let run = |ca: Option<&Path>| {
        let mut command = common::command();
        command
            .args([
                "--lang",
                "en",
                "county",
                "import",
                "--county-db",
                &url,
                "--identity",
            ])
            .arg(&c.key)
            .args(&files)
            .env_remove("PGSSLROOTCERT");
        if let Some(ca) = ca {
            command.env("PGSSLROOTCERT", ca);
        }
        command.output().unwrap()
    };
    // A server whose certificate no known authority signed is refused.
    let untrusted = run(None);
    assert!(!untrusted.status.success());
    assert!(!pg.log().contains("SSL enabled"), "no TLS session was made");
    // With the county's own authority, the bundles go in over TLS.
    let trusted = run(Some(&pg.ca()));
    let said = String::from_utf8_lossy(&trusted.stdout);
    assert!(
        trusted.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    assert!(said.contains("3 imported"), "{said}");
    assert!(pg.log().contains("SSL enabled"), "{}", pg.log());
}

/// The county desk reads the same from either store: the stations with their figures, the
/// members' table, search, and a member's record — which is the record the station's own
/// `record --json` prints for the same year.
#[test]
fn the_county_desk_reads_alike_from_both_stores_and_a_members_record_is_the_stations() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let (qx_store, qx) = station_with_bundles(fx.dir.path(), "QX01", &c.recipient, 5);
    let (_hd, hd) = station_with_bundles(fx.dir.path(), "HD02", &c.recipient, 6);
    let now = stationdesk::clock::local_now();
    let year = chrono::Datelike::year(&now.date());
    let mut sqlite = CountyDb::open(&fx.dir.path().join("county.db"), &c.unlock()).unwrap();
    let mut postgres =
        CountyDb::open_target(&pg.database("county"), &CountyUnlock::none()).unwrap();
    for db in [&mut sqlite, &mut postgres] {
        for file in qx.iter().chain(&hd) {
            import_into(db, &c, file).unwrap();
        }
        db.refresh_views(None, now).unwrap();
    }
    use stationdesk::bundle::county_desk::ASSESSMENT_TABLE;
    assert_eq!(sqlite.overview().unwrap(), postgres.overview().unwrap());
    assert_eq!(
        sqlite.report_table(ASSESSMENT_TABLE, None).unwrap(),
        postgres.report_table(ASSESSMENT_TABLE, None).unwrap()
    );
    assert_eq!(
        sqlite.hot_issues(year, 12).unwrap(),
        postgres.hot_issues(year, 12).unwrap()
    );
    // What the county is asking about, counted again from the visits themselves: of this
    // year and of the same months of the year before, through June and through December.
    let visits = sqlite.records("intake").unwrap();
    for through in [6, 12] {
        let mut expected: std::collections::BTreeMap<String, (u64, u64, [u64; 12])> =
            Default::default();
        for v in visits.iter().filter(|v| v["deleted_at"].is_null()) {
            let month = v["visited_at"].as_str().unwrap()[..7].to_string();
            let (y, m): (i32, u32) = (month[..4].parse().unwrap(), month[5..].parse().unwrap());
            let category = v["category"].as_str().unwrap_or("").trim();
            let category = if category.is_empty() {
                "未分类"
            } else {
                category
            };
            let entry = expected.entry(category.to_string()).or_default();
            if m <= through && y == year {
                entry.0 += 1;
                entry.2[m as usize - 1] += 1;
            } else if m <= through && y == year - 1 {
                entry.1 += 1;
            }
        }
        expected.retain(|_, (total, _, _)| *total > 0);
        for db in [&sqlite, &postgres] {
            let counted: std::collections::BTreeMap<String, (u64, u64, [u64; 12])> = db
                .hot_issues(year, through)
                .unwrap()
                .categories
                .into_iter()
                .map(|c| (c.category, (c.total, c.year_before, c.by_month)))
                .collect();
            assert_eq!(counted, expected, "through {through}, {}", db.target());
        }
    }
    let hot = sqlite.hot_issues(year, 12).unwrap();
    let top = hot
        .categories
        .first()
        .expect("the demo's visits have categories");
    for db in [&sqlite, &postgres] {
        let behind = db
            .requests_behind(&top.category, year, None, None, 1000)
            .unwrap();
        assert_eq!(behind.len() as u64, top.total, "{}", db.target());
        let requests: Vec<(String, String)> = behind
            .iter()
            .map(|f| (f.station_id.clone(), f.id.clone()))
            .collect();
        db.propose_topic("议题", &top.category, &year.to_string(), &requests)
            .unwrap();
        let topics = db.topics().unwrap();
        assert_eq!(topics.len(), 1);
        assert_eq!(topics[0].requests.len() as u64, top.total);
    }
    let found = sqlite.search("委员", None, 20).unwrap();
    assert!(!found.is_empty());
    assert_eq!(found, postgres.search("委员", None, 20).unwrap());

    // Every member of QX01: the county's record of them is the station's own.
    let station = qx_store.station().unwrap().unwrap().id.to_string();
    let path = fx.dir.path().join("QX01.db");
    let members = qx_store
        .members_after(
            &stationdesk::store::MemberFilter {
                include_inactive: true,
                ..Default::default()
            },
            None,
            100,
        )
        .unwrap();
    assert!(members.len() >= 8);
    let mut counted = 0;
    for member in &members {
        let out = common::command()
            .arg("--db")
            .arg(&path)
            .env(
                "STATIONDESK_FAKE_NOW",
                now.format("%Y-%m-%d %H:%M").to_string(),
            )
            .args(["record", "--member", &member.meta.id.to_string(), "--json"])
            .args(["--year", &year.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for db in [&sqlite, &postgres] {
            let ours = db
                .member_record(
                    &station,
                    member.meta.id,
                    stationdesk::domain::performance::Period::Year(year),
                    now,
                )
                .unwrap()
                .expect("the member is at the county");
            assert_eq!(
                serde_json::to_value(&ours).unwrap(),
                theirs["record"],
                "{} at {}",
                member.fields.name,
                db.target()
            );
        }
        counted += theirs["record"]["activities"].as_array().map_or(0, |a| {
            a.iter().filter_map(|pair| pair[1].as_i64()).sum::<i64>()
        });
    }
    assert!(counted > 0, "the records compared hold activities");
}

/// The county's search (SQLite, through its index) finds at the county what each station's
/// own search finds in its file, for Chinese of one to four characters and names by pinyin,
/// and keeps to one station when asked.
#[test]
fn the_county_finds_what_each_station_finds() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let (qx_store, qx) = station_with_bundles(fx.dir.path(), "QX01", &c.recipient, 5);
    let (hd_store, hd) = station_with_bundles(fx.dir.path(), "HD02", &c.recipient, 6);
    let mut db = CountyDb::open(&fx.dir.path().join("county.db"), &c.unlock()).unwrap();
    for file in qx.iter().chain(&hd) {
        import_into(&mut db, &c, file).unwrap();
    }
    let qx_id = qx_store.station().unwrap().unwrap().id.to_string();
    // Chinese of one to four characters, pinyin, and a phrase no record holds.
    let queries = [
        "委员",
        "停车",
        "小区",
        "水",
        "的",
        "物业管理",
        "修改",
        "zhang",
        "wl",
        "无此记录",
    ];
    let mut checked = 0;
    for typed in queries {
        let mut station_hits: Vec<String> = Vec::new();
        for store in [&qx_store, &hd_store] {
            station_hits.extend(
                store
                    .search(typed, None, 10_000)
                    .unwrap()
                    .iter()
                    .map(|h| format!("{}:{}", h.kind.as_str(), h.id)),
            );
        }
        station_hits.sort();
        let mut county_hits: Vec<String> = db
            .search(typed, None, 10_000)
            .unwrap()
            .iter()
            .map(|f| format!("{}:{}", f.kind.as_str(), f.id))
            .collect();
        county_hits.sort();
        assert_eq!(county_hits, station_hits, "{typed}");
        checked += county_hits.len();
        let qx_only: Vec<String> = db
            .search(typed, Some(&qx_id), 10_000)
            .unwrap()
            .iter()
            .map(|f| f.station_id.clone())
            .collect();
        assert!(qx_only.iter().all(|s| *s == qx_id), "{typed}");
    }
    assert!(checked > 50, "the queries found records ({checked})");

    // PostgreSQL's index finds the same records in the same order, with the same filters;
    // and so does the index filled from the records at the open that makes it.
    let Some(pg) = PgCluster::start() else {
        eprintln!("PostgreSQL part skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let target = pg.database("county");
    let mut postgres = CountyDb::open_target(&target, &CountyUnlock::none()).unwrap();
    for file in qx.iter().chain(&hd) {
        import_into(&mut postgres, &c, file).unwrap();
    }
    let today = stationdesk::clock::local_now().date();
    let this_month = (today - chrono::Days::new(31), today);
    let answers = |db: &CountyDb| -> Vec<Vec<String>> {
        let mut all = Vec::new();
        for typed in queries {
            for (station, period) in [
                (None, None),
                (Some(qx_id.as_str()), None),
                (None, Some(this_month)),
            ] {
                all.push(
                    db.search_in(typed, station, period, 30)
                        .unwrap()
                        .iter()
                        .map(|f| format!("{typed} {}:{}:{}", f.station_id, f.kind.as_str(), f.id))
                        .collect(),
                );
            }
        }
        all
    };
    let from_sqlite = answers(&db);
    assert_eq!(answers(&postgres), from_sqlite);
    assert!(from_sqlite.iter().filter(|found| found.len() == 30).count() >= 3);
    drop(postgres);
    let mut client = postgres::Client::connect(&target, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "TRUNCATE county_search; INSERT INTO county_search_unbuilt (since) VALUES ('test');",
        )
        .unwrap();
    let mut told = 0;
    let postgres =
        CountyDb::open_target_with(&target, &CountyUnlock::none(), &mut || told += 1).unwrap();
    assert_eq!(told, 1, "the open that fills the index says so first");
    assert_eq!(answers(&postgres), from_sqlite);
    drop(postgres);
    CountyDb::open_target_with(&target, &CountyUnlock::none(), &mut || told += 1).unwrap();
    assert_eq!(told, 1);
}

/// A bundle larger than one of PostgreSQL's batches (5,000 record versions, or 8 MB of them:
/// the mediation cases fill one by their size first) goes in whole, in several, as into SQLite.
#[test]
fn a_bundle_of_several_batches_goes_into_postgres_as_into_sqlite() {
    let Some(pg) = PgCluster::start() else {
        eprintln!("skipped: no PostgreSQL here; .ci/run installs it");
        return;
    };
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = demo_station_at(
        &fx.dir.path().join("BIG.db"),
        "BIG01",
        &c.recipient,
        11,
        8,
        12_000,
    );
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let file = bundle::export(&mut store, &stick, ExportOptions::default())
        .unwrap()
        .path;

    let mut sqlite = CountyDb::open(&fx.dir.path().join("county.db"), &c.unlock()).unwrap();
    let mut postgres =
        CountyDb::open_target(&pg.database("county"), &CountyUnlock::none()).unwrap();
    for db in [&mut sqlite, &mut postgres] {
        let ImportOutcome::Imported { records, .. } = import_into(db, &c, &file).unwrap() else {
            panic!("not imported");
        };
        assert!(records > 12_000, "{records}");
    }
    let (lite, pg_all) = (everything(&sqlite), everything(&postgres));
    assert_eq!(lite.len(), pg_all.len());
    assert!(lite == pg_all, "the stores differ");
    // More than one batch by count and by size.
    let cases = lite.iter().filter(|l| l.starts_with("case:")).count();
    assert!(cases > 1_000, "{cases} cases");
    let bytes: usize = lite.iter().map(String::len).sum();
    assert!(bytes > 9 << 20, "{bytes} bytes of records");
}

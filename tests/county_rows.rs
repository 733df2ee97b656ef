//! The county's report tables (`report_<kind>`), made on two threads (one reads and writes
//! the store, one reads each record and makes its row): every live record has its row,
//! with its member's name, whatever the number of pages and batches; a rebuild gives the
//! same rows; a record that cannot be read stops the rebuild with its error and leaves the
//! tables as they were; a record of a newer version is named in its row.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;

use common::county::{county, import, County};
use common::craft::demo_station_at;
use common::Fixture;
use stationdesk::bundle::{self, CountyDb, ExportOptions};
use stationdesk::domain::RecordKind;

/// A county holding one demo station of `records` records (more than one page of 500 and
/// one batch of rows for the visits), imported.
fn county_of_one_station(fx: &Fixture, records: usize) -> County {
    let c = county(fx.dir.path(), "county");
    let mut store = demo_station_at(
        &fx.dir.path().join("ROWS.db"),
        "ROWS01",
        &c.recipient,
        5,
        12,
        records,
    );
    let stick = fx.dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let file = bundle::export(&mut store, &stick, ExportOptions::default())
        .unwrap()
        .path;
    import(&c, &file).unwrap();
    // The report tables, as `county import` makes them after its bundles.
    CountyDb::open(&c.db, &c.unlock())
        .unwrap()
        .refresh_views(None, now())
        .unwrap();
    c
}

/// Every report table of a kind, its rows as text in one order (the tables hold them in
/// the order of the records' ids; a rebuild must give the same).
fn report_tables(c: &County) -> BTreeMap<String, Vec<String>> {
    let raw = c.unlock().raw_connection(&c.db).unwrap();
    let mut tables = BTreeMap::new();
    for kind in RecordKind::ALL {
        let table = format!("report_{}", kind.as_str());
        let Ok(mut stmt) = raw.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid")) else {
            continue;
        };
        let width = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                (0..width)
                    .map(|i| r.get::<_, String>(i))
                    .collect::<Result<Vec<_>, _>>()
                    .map(|cells| cells.join("\u{1f}"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables.insert(table, rows);
    }
    tables
}

/// The live records of `kind` the county holds.
fn live(db: &CountyDb, kind: RecordKind) -> Vec<serde_json::Value> {
    db.records(kind.as_str())
        .unwrap()
        .into_iter()
        .filter(|r| r["deleted_at"].is_null())
        .collect()
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

#[test]
fn every_live_record_has_its_row_with_its_members_name_and_a_rebuild_gives_the_same_rows() {
    let fx = Fixture::new();
    let c = county_of_one_station(&fx, 3_000);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let after_import = report_tables(&c);
    let mut kinds = 0;
    for kind in RecordKind::ALL {
        let records = live(&db, kind);
        let Some(rows) = after_import.get(&format!("report_{}", kind.as_str())) else {
            assert!(records.is_empty(), "{kind:?} has records and no table");
            continue;
        };
        assert_eq!(rows.len(), records.len(), "{kind:?}");
        kinds += 1;
    }
    assert!(kinds >= 5, "{kinds} kinds with tables");
    // More than a page of visits, and more than a batch of rows.
    let visits = live(&db, RecordKind::Intake);
    assert!(visits.len() > 1_000, "{} visits", visits.len());

    // Each visit's member by name (asked of the store by the thread making the rows), never
    // by id.
    let names: std::collections::HashMap<String, String> = live(&db, RecordKind::Member)
        .iter()
        .map(|m| {
            (
                m["id"].as_str().unwrap().to_string(),
                m["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(names.len(), 12);
    let table = db.report_table("report_intake", None).unwrap().unwrap();
    let mut named = 0;
    for (_, row) in &table.rows {
        let member = table.cell(row, "接待委员");
        assert!(uuid::Uuid::parse_str(member).is_err(), "an id: {member}");
        if !member.is_empty() {
            assert!(names.values().any(|n| n == member), "{member}");
            named += 1;
        }
    }
    let with_member = visits.iter().filter(|v| v["member_id"].is_string()).count();
    assert_eq!(named, with_member);
    assert!(named > 100, "{named}");

    // A rebuild from the records gives the very same rows, in the same order.
    db.refresh_views(None, now()).unwrap();
    assert!(report_tables(&c) == after_import, "the rebuild differs");
}

#[test]
fn a_record_that_cannot_be_read_stops_the_rebuild_and_the_tables_stay_as_they_were() {
    let fx = Fixture::new();
    let c = county_of_one_station(&fx, 3_000);
    let before = report_tables(&c);
    assert!(before["report_intake"].len() > 1_000);
    // A visit on the third page of its station's records, its JSON cut in the middle.
    let raw = c.unlock().raw_connection(&c.db).unwrap();
    let cut = raw
        .execute(
            "UPDATE county_record SET data = substr(data, 1, 40)
             WHERE kind = 'intake' AND id = (SELECT id FROM county_record WHERE kind = 'intake'
                                             ORDER BY id LIMIT 1 OFFSET 1200)",
            [],
        )
        .unwrap();
    assert_eq!(cut, 1);
    drop(raw);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let refused = db.refresh_views(None, now());
    assert!(
        matches!(refused, Err(bundle::BundleError::Damaged(_))),
        "{refused:?}"
    );
    drop(db);
    assert!(report_tables(&c) == before, "the tables changed");
}

#[test]
fn a_record_of_a_newer_version_is_named_in_its_row() {
    let fx = Fixture::new();
    let c = county_of_one_station(&fx, 1_500);
    // A visit whose state this version does not know (as a newer one might write it).
    let raw = c.unlock().raw_connection(&c.db).unwrap();
    let id: String = raw
        .query_row(
            "SELECT id FROM county_record WHERE kind = 'intake' AND deleted = 0
             ORDER BY id LIMIT 1 OFFSET 900",
            [],
            |r| r.get(0),
        )
        .unwrap();
    raw.execute(
        "UPDATE county_record SET data = json_set(data, '$.state', 'escalated')
         WHERE kind = 'intake' AND id = ?1",
        [&id],
    )
    .unwrap();
    drop(raw);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.refresh_views(None, now()).unwrap();
    let table = db.report_table("report_intake", None).unwrap().unwrap();
    let visits = live(&db, RecordKind::Intake).len();
    assert_eq!(table.rows.len(), visits);
    let unreadable: Vec<_> = table
        .rows
        .iter()
        .filter(|(_, row)| row.iter().any(|cell| cell.starts_with("无法读取此记录")))
        .collect();
    assert_eq!(unreadable.len(), 1, "{unreadable:?}");
    assert!(unreadable[0].1.iter().any(|cell| cell == &id));
}

//! Tests of the county search index.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use super::super::sqlite::SqliteCounty;
use super::super::unlock::CountyUnlock;
use super::super::{CountyStore, ImportOutcome};
use super::*;
use crate::domain::member::{Member, MemberFields};
use crate::domain::record::RecordMeta;

const STATION: &str = "0190a0a0-0000-7000-8000-000000000001";

fn county(dir: &Path) -> SqliteCounty {
    let identity = dir.join("county.key");
    if !identity.exists() {
        let key = age::x25519::Identity::generate();
        std::fs::write(
            &identity,
            format!(
                "{}\n",
                age::secrecy::ExposeSecret::expose_secret(&key.to_string())
            ),
        )
        .unwrap();
    }
    let unlock = CountyUnlock::identity_file(&identity).unwrap();
    SqliteCounty::open(&dir.join("county.db"), &unlock).unwrap()
}

/// A member's record as a bundle carries it.
fn member(name: &str, rev: i64, deleted: bool) -> (String, String) {
    let mut meta = RecordMeta::unsaved();
    meta.id = uuid::Uuid::now_v7();
    meta.rev = rev;
    if deleted {
        meta.deleted_at = Some(chrono::Utc::now());
    }
    let record = Member {
        meta,
        fields: MemberFields {
            name: name.into(),
            sector: "医药卫生界".into(),
            ..MemberFields::default()
        },
    };
    (
        record.meta.id.to_string(),
        serde_json::to_string(&record).unwrap(),
    )
}

fn put(county: &mut SqliteCounty, id: &str, rev: i64, deleted: bool, data: &str) {
    county
        .import_tx(STATION, "", 0, &mut |tx| {
            tx.upsert(STATION, "member", id, rev, deleted, data, None)?;
            Ok(ImportOutcome::AlreadyImported {
                station: "QX01".into(),
                seq: 0,
            })
        })
        .unwrap();
}

fn names(county: &mut SqliteCounty, typed: &str) -> Vec<String> {
    first_names(county, typed, 50)
}

/// The names of the first `limit` members found.
fn first_names(county: &mut SqliteCounty, typed: &str, limit: usize) -> Vec<String> {
    let found = county.search(typed, None, None, limit).unwrap();
    found
        .iter()
        .map(|(_, _, _, data)| {
            serde_json::from_str::<serde_json::Value>(data).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_index_follows_every_import_and_is_built_for_a_file_that_had_none() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = county(dir.path());
    let (first, data) = member("欧阳明", 1, false);
    put(&mut c, &first, 1, false, &data);
    let (second, data) = member("欧阳红", 1, false);
    put(&mut c, &second, 1, false, &data);
    // Newest first, by pinyin too; a phrase nobody wrote finds nothing.
    assert_eq!(names(&mut c, "欧阳"), ["欧阳红", "欧阳明"]);
    assert_eq!(names(&mut c, "oyh"), ["欧阳红"]);
    assert_eq!(names(&mut c, "阳"), ["欧阳红", "欧阳明"]);
    assert!(names(&mut c, "阳欧").is_empty());
    // A newer version replaces the record's entry; an older one changes nothing.
    let renamed = serde_json::to_string(&{
        let mut v: serde_json::Value = serde_json::from_str(&data).unwrap();
        v["name"] = "欧阳青".into();
        v["rev"] = 2.into();
        v
    })
    .unwrap();
    put(&mut c, &second, 2, false, &renamed);
    put(&mut c, &second, 1, false, &data);
    assert_eq!(names(&mut c, "欧阳"), ["欧阳青", "欧阳明"]);
    assert!(names(&mut c, "欧阳红").is_empty());
    // A deletion takes it out.
    put(&mut c, &first, 5, true, &data);
    assert_eq!(names(&mut c, "欧阳"), ["欧阳青"]);
    // A file of the version before the index: emptied, marked, and built at its open.
    c.conn
        .execute_batch(
            "DELETE FROM county_search; DELETE FROM county_search_doc;
             INSERT INTO county_search_unbuilt (since) VALUES ('then');",
        )
        .unwrap();
    assert!(names(&mut c, "欧阳").is_empty());
    drop(c);
    // The open that fills it says so first (the command line prints a line); the next does not.
    let unlock = CountyUnlock::identity_file(&dir.path().join("county.key")).unwrap();
    let mut told = 0;
    let mut c =
        SqliteCounty::open_with(&dir.path().join("county.db"), &unlock, &mut || told += 1).unwrap();
    assert_eq!(told, 1);
    assert_eq!(names(&mut c, "欧阳"), ["欧阳青"]);
    assert_eq!(names(&mut c, "oyq"), ["欧阳青"]);
    drop(c);
    SqliteCounty::open_with(&dir.path().join("county.db"), &unlock, &mut || told += 1).unwrap();
    assert_eq!(told, 1);
}

#[test]
fn document_days_are_the_days_the_records_were_made() {
    let ids: Vec<uuid::Uuid> = (0..2000).map(|_| uuid::Uuid::now_v7()).collect();
    let days: Vec<i64> = ids.iter().map(|id| day_of(&id.to_string())).collect();
    let today = chrono::Utc::now().timestamp() / 86_400;
    assert!(
        days.iter().all(|d| (today - 1..=today).contains(d)),
        "{days:?}"
    );
    for pair in days.windows(2) {
        assert!(pair[0] <= pair[1], "{pair:?}");
    }
    let made = made_on(2017, 3, 9);
    assert_eq!(
        day_of(&made.to_string()),
        chrono::NaiveDate::from_ymd_opt(2017, 3, 9)
            .unwrap()
            .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
            .num_days()
    );
    assert_eq!(day_of("not an id"), 0);
}

/// A UUID v7 of a record made at noon (UTC) of that day.
fn made_on(y: i32, m: u32, d: u32) -> uuid::Uuid {
    made_at(y, m, d, 12)
}

/// A UUID v7 of a record made at that hour (UTC) of that day.
fn made_at(y: i32, m: u32, d: u32, h: u32) -> uuid::Uuid {
    let ms = chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    uuid::Builder::from_unix_timestamp_millis(ms as u64, &rand::random::<[u8; 10]>()).into_uuid()
}

/// Stations' records arrive in any order (a station's years one after another, then the
/// next station's): a search still lists them newest first by when they were made, also
/// within a day (the index keeps a day's records in the order they came), and a list cut at
/// its limit inside a day keeps that day's newest.
#[test]
fn search_lists_newest_first_whatever_order_the_bundles_came_in() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = county(dir.path());
    let record = |name: &str, id: uuid::Uuid| {
        let (_, data) = member(name, 1, false);
        let mut v: serde_json::Value = serde_json::from_str(&data).unwrap();
        v["id"] = id.to_string().into();
        (id.to_string(), serde_json::to_string(&v).unwrap())
    };
    let arrivals = [
        ("张一", made_on(2019, 5, 1)),
        ("张二", made_at(2017, 1, 2, 9)),
        ("张三", made_on(2025, 12, 31)),
        ("张四", made_at(2017, 1, 2, 8)),
        ("张五", made_on(2021, 7, 7)),
        ("张六", made_on(2017, 1, 1)),
        ("张七", made_at(2017, 1, 2, 10)),
    ];
    for (name, id) in arrivals {
        let (id, data) = record(name, id);
        put(&mut c, &id, 1, false, &data);
    }
    let expected = ["张三", "张五", "张一", "张七", "张二", "张四", "张六"];
    assert_eq!(names(&mut c, "张"), expected);
    // Cut inside 2 January 2017: the newest made of that day, not the last to come.
    for limit in 1..=7 {
        assert_eq!(
            first_names(&mut c, "张", limit),
            expected[..limit],
            "limit {limit}"
        );
    }
    // Built again from the records (a file of an earlier version): the same order.
    c.conn
        .execute(
            "INSERT INTO county_search_unbuilt (since) VALUES ('then')",
            [],
        )
        .unwrap();
    drop(c);
    let mut c = county(dir.path());
    assert_eq!(names(&mut c, "张"), expected);
}

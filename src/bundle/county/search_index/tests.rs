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
        .import_tx(STATION, "", &mut |tx| {
            tx.upsert(STATION, "member", id, rev, deleted, data, None)?;
            Ok(ImportOutcome::AlreadyImported {
                station: "QX01".into(),
                seq: 0,
            })
        })
        .unwrap();
}

fn names(county: &mut SqliteCounty, typed: &str) -> Vec<String> {
    let found = county.search(typed, "", None, None, 50).unwrap();
    assert!(found.exact);
    found
        .rows
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
    let mut c = county(dir.path());
    assert_eq!(names(&mut c, "欧阳"), ["欧阳青"]);
    assert_eq!(names(&mut c, "oyq"), ["欧阳青"]);
}

#[test]
fn document_keys_sort_as_the_records_were_made() {
    let ids: Vec<uuid::Uuid> = (0..2000).map(|_| uuid::Uuid::now_v7()).collect();
    let keys: Vec<i64> = ids.iter().map(|id| time_key(&id.to_string())).collect();
    assert!(keys.iter().all(|k| *k > 0));
    for pair in keys.windows(2) {
        assert!(pair[0] <= pair[1], "{pair:?}");
    }
    assert_eq!(time_key("not an id"), 0);
}

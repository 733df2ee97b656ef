//! Crafting bundles as a station would sign them, with any content: for the tests of
//! refusals and for the fuzz target.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use serde_json::{json, Value};
use stationdesk::bundle;
use stationdesk::store::Store;

pub fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn station_at(path: &Path, name: &str, code: &str, recipient: &str) -> Store {
    let mut store = Store::open(path).unwrap();
    store
        .init_station(&stationdesk::domain::StationSetup {
            name: name.into(),
            code: code.into(),
            county: "清河县".into(),
            county_recipient: recipient.into(),
        })
        .unwrap();
    store
}

/// A manifest as `store` would write it for `parts`, then changed by `edit`.
pub fn manifest_for(
    store: &Store,
    seq: u64,
    previous: &str,
    parts: &[(String, Vec<u8>)],
    counts: Vec<(String, u64)>,
    edit: impl FnOnce(&mut Value),
) -> Vec<u8> {
    let station = store.station().unwrap().unwrap();
    let mut manifest = json!({
        "format": bundle::FORMAT,
        "station_id": station.id,
        "station_code": station.code,
        "station_name": station.name,
        "public_key": station.public_key,
        "seq": seq,
        "rev_from": 0,
        "rev_to": 1_000_000,
        "previous_manifest_sha256": previous,
        "created_at": "2026-12-01T08:00:00Z",
        "app_version": "test",
        "plaintext": false,
        "files": parts.iter().map(|(path, bytes)| json!({
            "path": path, "sha256": sha(bytes), "size": bytes.len()
        })).collect::<Vec<_>>(),
        "counts": counts,
    });
    edit(&mut manifest);
    serde_json::to_vec_pretty(&manifest).unwrap()
}

pub fn craft(
    store: &Store,
    recipient: &str,
    seq: u64,
    previous: &str,
    parts: Vec<(String, Vec<u8>)>,
    counts: Vec<(String, u64)>,
    edit: impl FnOnce(&mut Value),
) -> Vec<u8> {
    let manifest = manifest_for(store, seq, previous, &parts, counts, edit);
    bundle::seal(store, &manifest, parts, Some(recipient)).unwrap()
}

/// One member record as JSON, claiming `station` with `rev`.
pub fn member_line(id: &str, station: &str, rev: i64, name: &str) -> Value {
    json!({
        "id": id, "station_id": station,
        "created_at": "2026-12-01T08:00:00.000Z", "updated_at": "2026-12-01T08:00:00.000Z",
        "rev": rev, "deleted_at": null,
        "name": name, "gender": "female", "sector": "医药卫生界", "level": "county",
        "party": "中共党员", "phone": "13800138000", "specialties": "", "mediator": false,
        "active": true
    })
}

pub fn jsonl(values: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for v in values {
        serde_json::to_writer(&mut out, v).unwrap();
        out.push(b'\n');
    }
    out
}

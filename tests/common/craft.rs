//! Crafting bundles as a station would sign them, with any content: for the tests of
//! refusals and for the fuzz target.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use stationdesk::bundle::{self, BundleError};
use stationdesk::store::Store;

use super::county::County;

pub fn sha(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn station_at(path: &Path, name: &str, code: &str, recipient: &str) -> Store {
    let mut store = super::try_open(path).unwrap();
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

/// A station (named after its code) filled by the demo with `records` records of `members`
/// members, from `seed`.
pub fn demo_station_at(
    path: &Path,
    code: &str,
    recipient: &str,
    seed: u64,
    members: usize,
    records: usize,
) -> Store {
    let mut store = station_at(path, &format!("{code} 委员工作站"), code, recipient);
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed,
            members,
            records,
        },
        &mut |_, _| {},
    )
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

/// A crafted bundle: its name, its bytes, and whether a refusal is the one it must get.
pub type Crafted = (&'static str, Vec<u8>, fn(&BundleError) -> bool);

/// Every crafted bundle of the refusals, by name, with the refusal it must get.
pub fn crafted(store: &Store, c: &County, previous: &str) -> Vec<Crafted> {
    let station = store.station().unwrap().unwrap().id.to_string();
    let one = jsonl(&[member_line(
        "01900000-0000-7000-8000-0000000000aa",
        &station,
        5,
        "甲",
    )]);
    let member_part = |bytes: Vec<u8>| vec![("data/member.jsonl".to_string(), bytes)];
    let counts = |n: u64| vec![("member".to_string(), n)];
    let out_of_bounds: fn(&BundleError) -> bool = |e| matches!(e, BundleError::OutOfBounds(_));
    let damaged: fn(&BundleError) -> bool = |e| matches!(e, BundleError::Damaged(_));
    let mut cases: Vec<Crafted> = vec![
        (
            "seq-max",
            craft(
                store,
                &c.recipient,
                u64::MAX,
                previous,
                member_part(one.clone()),
                counts(1),
                |_| {},
            ),
            out_of_bounds,
        ),
        (
            "seq-2e9",
            craft(
                store,
                &c.recipient,
                2_000_000_000,
                previous,
                member_part(one.clone()),
                counts(1),
                |_| {},
            ),
            out_of_bounds,
        ),
        (
            "seq-gap",
            craft(
                store,
                &c.recipient,
                9,
                previous,
                member_part(one.clone()),
                counts(1),
                |_| {},
            ),
            |e| matches!(e, BundleError::Gap { from: 2, to: 8 }),
        ),
        (
            "part-declared-3gb",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                member_part(one.clone()),
                counts(1),
                |m| {
                    m["files"][0]["size"] = json!(3u64 * 1024 * 1024 * 1024);
                },
            ),
            out_of_bounds,
        ),
        (
            "parts-over-total",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                member_part(one.clone()),
                counts(1),
                |m| {
                    let entry = m["files"][0].clone();
                    let mut files = Vec::new();
                    for name in [
                        "report.xlsx",
                        "tables/member.csv",
                        "tables/intake.csv",
                        "tables/case.csv",
                    ] {
                        let mut e = entry.clone();
                        e["path"] = json!(name);
                        e["size"] = json!(1_900_000_000u64);
                        files.push(e);
                    }
                    m["files"] = json!(files);
                },
            ),
            out_of_bounds,
        ),
        (
            "unknown-part",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                vec![("../../etc/passwd".into(), b"x".to_vec())],
                counts(0),
                |_| {},
            ),
            out_of_bounds,
        ),
        (
            "records-claimed-billions",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                member_part(one.clone()),
                counts(1),
                |m| {
                    m["counts"] = json!([["member", 30_000_000_000u64]]);
                },
            ),
            out_of_bounds,
        ),
        (
            "more-lines-than-counted",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                member_part([one.clone(), one.clone()].concat()),
                counts(1),
                |_| {},
            ),
            out_of_bounds,
        ),
        (
            "deep-nesting",
            {
                let deep = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
                craft(
                    store,
                    &c.recipient,
                    2,
                    previous,
                    member_part(deep.into_bytes()),
                    counts(1),
                    |_| {},
                )
            },
            damaged,
        ),
        (
            "negative-rev",
            craft(
                store,
                &c.recipient,
                2,
                previous,
                member_part(jsonl(&[member_line(
                    "01900000-0000-7000-8000-0000000000ab",
                    &station,
                    -4,
                    "乙",
                )])),
                counts(1),
                |_| {},
            ),
            damaged,
        ),
        (
            "plaintext-flag-on-encrypted",
            craft(
                store,
                &c.recipient,
                0,
                previous,
                member_part(one.clone()),
                counts(1),
                |m| {
                    m["plaintext"] = json!(true);
                },
            ),
            |e| matches!(e, BundleError::PlaintextImport),
        ),
    ];
    // A zip bomb: 32 MB of one byte in a few kilobytes, signed with its true size and hash.
    let bomb = vec![b'7'; 32 * 1024 * 1024];
    cases.push((
        "zip-bomb",
        craft(
            store,
            &c.recipient,
            2,
            previous,
            member_part(bomb),
            counts(1),
            |_| {},
        ),
        out_of_bounds,
    ));
    // A line longer than the bound, not compressible (so not a bomb).
    let mut long = Vec::with_capacity(bundle::limits::MAX_LINE + 1024);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while long.len() < bundle::limits::MAX_LINE + 1024 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        long.push(b"0123456789abcdef"[(x & 15) as usize]);
    }
    long.push(b'\n');
    cases.push((
        "long-line",
        craft(
            store,
            &c.recipient,
            2,
            previous,
            member_part(long),
            counts(1),
            |_| {},
        ),
        out_of_bounds,
    ));
    cases
}

/// Rewrites the second entry's name in a zip (local header and directory) to the first's.
pub fn duplicate_first_name(zip: &mut [u8], first: &[u8], second: &[u8]) {
    assert_eq!(first.len(), second.len());
    let mut at = 0;
    while let Some(pos) = zip[at..].windows(second.len()).position(|w| w == second) {
        let start = at + pos;
        zip[start..start + second.len()].copy_from_slice(first);
        at = start + second.len();
    }
}

/// A signed bundle whose zip holds two entries named `data/member.jsonl`.
pub fn duplicate_entries(store: &Store, c: &County, previous: &str) -> Vec<u8> {
    let parts = vec![
        ("data/member.jsonl".to_string(), b"".to_vec()),
        ("tables/member.csv".to_string(), b"".to_vec()),
    ];
    let manifest = manifest_for(
        store,
        2,
        previous,
        &parts,
        vec![("member".into(), 0)],
        |_| {},
    );
    let mut zipped = bundle::seal(store, &manifest, parts, None).unwrap();
    duplicate_first_name(&mut zipped, b"data/member.jsonl", b"tables/member.csv");
    encrypt(&c.recipient, &zipped)
}

pub fn encrypt(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

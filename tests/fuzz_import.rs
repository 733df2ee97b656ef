//! Fuzzing the county import with what a bundle decrypts to: the manifest and the data
//! lines, signed with a real station key so that the fuzzer gets past the signature and
//! reaches the chain checks, the bounds and the record parser.
//!
//! - `cargo test --test fuzz_import` replays the corpus in `tests/fuzz-corpus/` (`accept-*`
//!   must be imported, `refuse-*` refused; `any-*`, whose flipped bytes land on other bytes for
//!   each station's key, and `found-*` kept by the fuzzer hold the properties)
//!   and runs a short random round (64 cases).
//! - `FUZZ_SECONDS=600 cargo test --release --test fuzz_import -- --ignored --nocapture`
//!   fuzzes for ten minutes and prints the number of executions; an input that breaks a
//!   property is written into `tests/fuzz-corpus/` for the corpus runner to keep.
//!
//! The properties: the import never panics; a refusal leaves the county database byte for
//! byte as it was; an accepted bundle only ever holds records of the station that signed it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::county::{county, County};
use common::craft::{manifest_for, sha, station_at};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use stationdesk::bundle::{self, CountyDb, ExportOptions};
use stationdesk::store::{keys_path, Store};

/// One fuzz input: what the bundle decrypts to, as changes to a real one.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Input {
    seq: u64,
    /// The previous manifest's hash; `None` for the true one.
    previous: Option<String>,
    /// Manifest keys set to these values after it is built.
    manifest: Vec<(String, Value)>,
    /// The parts: a path and its lines (each a record, mutated or not, or any text).
    /// `@STATION@` in a line stands for the fuzzed station's id, so that inputs kept in the
    /// corpus replay against any station.
    parts: Vec<(String, Vec<String>)>,
    /// The counts stated, per kind; `None` for the true ones.
    counts: Option<Vec<(String, u64)>>,
    /// Bytes of the zip to flip after it is signed (position modulo its length, mask).
    flips: Vec<(u32, u8)>,
}

struct Bench {
    _dir: tempfile::TempDir,
    station: Store,
    county: County,
    /// The county database after the station's first bundle, copied for every case.
    template: PathBuf,
    work: PathBuf,
    previous: String,
    /// Real record lines of each kind, to mutate.
    samples: Vec<(String, Vec<String>)>,
}

fn bench() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let county = county(dir.path(), "county");
    let mut station = station_at(
        &dir.path().join("station.db"),
        "青溪镇政协委员工作站",
        "QX01",
        &county.recipient,
    );
    stationdesk::demo::run(
        &mut station,
        &stationdesk::demo::DemoOptions {
            seed: 11,
            members: 4,
            records: 12,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let first = bundle::export(&mut station, &stick, ExportOptions::default()).unwrap();
    let identities = bundle::load_identities(&county.key).unwrap();
    let bytes = std::fs::read(&first.path).unwrap();
    let verified = bundle::verify(&bytes, &identities).unwrap();
    CountyDb::open(&county.db, &county.unlock())
        .unwrap()
        .import(&bytes, &identities)
        .unwrap();
    let template = dir.path().join("template.db");
    std::fs::copy(&county.db, &template).unwrap();
    std::fs::copy(keys_path(&county.db), keys_path(&template)).unwrap();
    let samples = verified
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("data/"))
        .map(|(path, data)| {
            let lines = String::from_utf8_lossy(data)
                .lines()
                .map(str::to_string)
                .collect();
            (path.clone(), lines)
        })
        .collect();
    Bench {
        work: dir.path().join("case.db"),
        _dir: dir,
        station,
        county,
        template,
        previous: verified.manifest_sha256,
        samples,
    }
}

/// Seals an input as the station would, then flips the bytes it asks to; `None` when no zip
/// can hold it (two parts of one name: the zip writer refuses, and the duplicate-entry test
/// in `exchange_limits` forges that case by hand).
fn seal(bench: &Bench, input: &Input) -> Option<Vec<u8>> {
    let station = bench.station.station().unwrap().unwrap().id.to_string();
    let parts: Vec<(String, Vec<u8>)> = input
        .parts
        .iter()
        .map(|(path, lines)| {
            let mut bytes = Vec::new();
            for line in lines {
                bytes.extend_from_slice(line.replace("@STATION@", &station).as_bytes());
                bytes.push(b'\n');
            }
            (path.clone(), bytes)
        })
        .collect();
    let counts = input.counts.clone().unwrap_or_else(|| {
        input
            .parts
            .iter()
            .filter_map(|(path, lines)| {
                let kind = path.strip_prefix("data/")?.strip_suffix(".jsonl")?;
                Some((kind.to_string(), lines.len() as u64))
            })
            .collect()
    });
    let previous = input.previous.clone().unwrap_or(bench.previous.clone());
    let manifest = manifest_for(&bench.station, input.seq, &previous, &parts, counts, |m| {
        for (key, value) in &input.manifest {
            m[key.as_str()] = value.clone();
        }
    });
    let mut zipped = bundle::seal(&bench.station, &manifest, parts, None).ok()?;
    for (at, mask) in &input.flips {
        let len = zipped.len();
        if len > 0 {
            zipped[*at as usize % len] ^= mask;
        }
    }
    let recipient: age::x25519::Recipient = bench.county.recipient.parse().unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).unwrap();
    std::io::Write::write_all(&mut writer, &zipped).unwrap();
    writer.finish().unwrap();
    Some(out)
}

/// Runs one input against a fresh copy of the county database and checks the properties;
/// tells whether the bundle was imported (`None`: no zip can hold the input).
fn check(bench: &Bench, input: &Input) -> Result<Option<bool>, String> {
    let Some(bytes) = seal(bench, input) else {
        return Ok(None);
    };
    std::fs::copy(&bench.template, &bench.work).unwrap();
    std::fs::copy(keys_path(&bench.template), keys_path(&bench.work)).unwrap();
    let _ = std::fs::remove_file(bench.work.with_extension("db-wal"));
    let before = std::fs::read(&bench.work).unwrap();
    let identities = bundle::load_identities(&bench.county.key).unwrap();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut db = CountyDb::open(&bench.work, &bench.county.unlock()).unwrap();
        db.import(&bytes, &identities)
    }))
    .map_err(|_| "the import panicked".to_string())?;
    let imported = outcome.is_ok();
    match outcome {
        Err(_) => {
            if std::fs::read(&bench.work).unwrap() != before {
                return Err("a refused bundle changed the county database".into());
            }
        }
        Ok(_) => {
            let station = bench.station.station().unwrap().unwrap().id.to_string();
            let db = CountyDb::open(&bench.work, &bench.county.unlock()).unwrap();
            for kind in stationdesk::domain::RecordKind::ALL {
                for record in db.records(kind.as_str()).unwrap() {
                    if record["station_id"] != station.as_str() {
                        return Err(format!("a foreign record was accepted: {record}"));
                    }
                }
            }
        }
    }
    Ok(Some(imported))
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        ".{0,24}".prop_map(Value::from),
        Just(json!("01900000-0000-7000-8000-000000000001")),
        Just(json!("2026-12-01")),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(field_name(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "station_id",
            "rev",
            "deleted_at",
            "name",
            "state",
            "phone",
            "member_id",
            "parties",
            "outcome",
            "date",
            "visited_at",
            "links",
            "created_at",
            "updated_at",
        ])
        .prop_map(str::to_string),
        "[a-z_]{1,12}",
    ]
}

fn manifest_key() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "format",
        "station_id",
        "station_code",
        "station_name",
        "public_key",
        "seq",
        "rev_from",
        "rev_to",
        "previous_manifest_sha256",
        "created_at",
        "plaintext",
        "files",
        "counts",
        "unknown",
    ])
    .prop_map(str::to_string)
}

/// A line: a real record with a field changed, removed or its text cut, or any text.
fn line(samples: Vec<String>) -> impl Strategy<Value = String> {
    let pick = prop::sample::select(samples);
    prop_oneof![
        4 => (pick.clone(), field_name(), json_value()).prop_map(|(line, key, value)| {
            let mut record: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
            record[key.as_str()] = value;
            record.to_string()
        }),
        2 => pick.clone(),
        1 => (pick.clone(), field_name()).prop_map(|(line, key)| {
            let mut record: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
            if let Some(map) = record.as_object_mut() {
                map.remove(&key);
            }
            record.to_string()
        }),
        1 => (pick, any::<prop::sample::Index>()).prop_map(|(line, at)| {
            let cut = at.index(line.len() + 1);
            let cut = (0..=cut).rev().find(|i| line.is_char_boundary(*i)).unwrap_or(0);
            line[..cut].to_string()
        }),
        1 => ".{0,80}",
    ]
}

fn input(bench: &Bench) -> impl Strategy<Value = Input> {
    let kinds: Vec<String> = bench.samples.iter().map(|(p, _)| p.clone()).collect();
    let samples = bench.samples.clone();
    let part =
        prop::sample::select((0..samples.len()).collect::<Vec<_>>()).prop_flat_map(move |i| {
            let (path, lines) = samples[i].clone();
            let path = prop_oneof![
                8 => Just(path),
                1 => prop::sample::select(kinds.clone()),
                1 => prop_oneof![
                    Just("report.xlsx".to_string()),
                    Just("tables/member.csv".to_string()),
                    "[a-z/.]{1,20}",
                ],
            ];
            (path, prop::collection::vec(line(lines), 0..6))
        });
    (
        prop_oneof![6 => Just(2u64), 1 => 0u64..5, 1 => any::<u64>()],
        prop_oneof![8 => Just(None), 1 => ".{0,70}".prop_map(Some)],
        prop::collection::vec((manifest_key(), json_value()), 0..2),
        prop::collection::vec(part, 0..4),
        prop_oneof![
            6 => Just(None),
            1 => prop::collection::vec(
                (prop::sample::select(vec!["member", "intake", "case", "x"]).prop_map(str::to_string), any::<u64>()),
                0..3
            ).prop_map(Some),
        ],
        prop_oneof![6 => Just(Vec::new()), 1 => prop::collection::vec((any::<u32>(), 1u8..=255), 1..4)],
    )
        .prop_map(|(seq, previous, manifest, parts, counts, flips)| Input {
            seq,
            previous,
            manifest,
            parts,
            counts,
            flips,
        })
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus")
}

/// Executions and imports of a round.
#[derive(Default)]
struct Tally {
    executions: u64,
    imported: u64,
}

fn run(bench: &Bench, cases: u32) -> Result<Tally, Box<(Input, String)>> {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let tally = std::cell::RefCell::new(Tally::default());
    let result = runner.run(&input(bench), |input| {
        let imported = check(bench, &input).map_err(TestCaseError::fail)?;
        let mut tally = tally.borrow_mut();
        tally.executions += 1;
        tally.imported += u64::from(imported == Some(true));
        Ok(())
    });
    match result {
        Ok(()) => Ok(tally.into_inner()),
        Err(proptest::test_runner::TestError::Fail(why, input)) => {
            Err(Box::new((input, why.to_string())))
        }
        Err(other) => Err(Box::new((
            Input {
                seq: 0,
                previous: None,
                manifest: vec![],
                parts: vec![],
                counts: None,
                flips: vec![],
            },
            other.to_string(),
        ))),
    }
}

#[test]
fn the_corpus_is_refused_or_imported_cleanly() {
    let bench = bench();
    let mut seen = 0;
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let input: Input = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match check(&bench, &input) {
            Err(why) => panic!("{name}: {why}"),
            Ok(imported) if name.starts_with("accept-") => {
                assert_eq!(imported, Some(true), "{name} must be imported")
            }
            Ok(imported) if name.starts_with("refuse-") => {
                assert_eq!(imported, Some(false), "{name} must be refused")
            }
            Ok(_) => {}
        }
        seen += 1;
    }
    assert!(seen >= 5, "the corpus has {seen} inputs");
}

#[test]
fn a_short_random_round_holds_the_properties() {
    let bench = bench();
    match run(&bench, 64) {
        Err(failed) => panic!(
            "{}\n{}",
            failed.1,
            serde_json::to_string_pretty(&failed.0).unwrap()
        ),
        Ok(tally) => assert!(tally.executions >= 64),
    }
}

/// The long run: `FUZZ_SECONDS` (default 600) of random inputs, in rounds of 256.
#[test]
#[ignore = "ten minutes; run by hand with --release"]
fn fuzz_the_import() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let bench = bench();
    let started = std::time::Instant::now();
    let (mut executions, mut imported) = (0u64, 0u64);
    while started.elapsed().as_secs() < seconds {
        match run(&bench, 256) {
            Ok(tally) => {
                executions += tally.executions;
                imported += tally.imported;
            }
            Err(failed) => {
                let (input, why) = *failed;
                let name = format!("found-{}.json", &sha(why.as_bytes())[..12]);
                let station = bench.station.station().unwrap().unwrap().id.to_string();
                let text = serde_json::to_string_pretty(&input)
                    .unwrap()
                    .replace(&station, "@STATION@");
                std::fs::write(corpus_dir().join(&name), text).unwrap();
                panic!("{why} (kept as tests/fuzz-corpus/{name})");
            }
        }
    }
    println!(
        "fuzz_the_import: {executions} executions ({imported} imported, the rest refused) in \
         {:.0} s; 0 crashes, 0 property failures",
        started.elapsed().as_secs_f64()
    );
}

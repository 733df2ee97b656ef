//! The county office's database: every station's records, merged from their bundles. A
//! station's first bundle pins its signing key; later bundles must continue its chain.
//!
//! The rules live here, once; where the records are kept is a [`CountyStore`]: a SQLite file
//! for a single office (`sqlite.rs`), or a PostgreSQL database that several machines share
//! (`postgres.rs`). Both give every import one transaction that holds the station's chain,
//! and both answer the report the same, so the workbook is the same from either.

mod assessment;
mod postgres;
mod schema;
mod sqlite;
mod summary;
mod views;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

use super::names::CountyLookup;
use super::tables;
use super::verify::{BundleReader, Identity};
use super::BundleError;
use crate::domain::RecordKind;
use crate::store::{each_kind, KindVisitor, RecordTable};

/// What importing one bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        station: String,
        /// The station's id (its report tables are refreshed by it).
        station_id: String,
        seq: u64,
        records: u64,
    },
    /// The same bundle was imported before; nothing changed.
    AlreadyImported { station: String, seq: u64 },
}

/// Where a station's chain stands at the county: its pinned key and its last bundle.
pub(crate) struct Chain {
    pub key: String,
    pub last_seq: u64,
    pub last_manifest: String,
}

/// A station as the county lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub last_seq: i64,
    pub last_bundle_at: String,
}

/// One record of a station as the county keeps it: its id and its JSON as sent.
pub(crate) struct Stored {
    pub id: String,
    pub data: String,
}

/// A bundle as the county noted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleRow {
    pub seq: u64,
    pub manifest: String,
    pub created_at: String,
    pub imported_at: String,
    pub counts: String,
    /// The bundle's 4+X quotas as `consultations/reports`; empty when it carried none.
    pub quotas: String,
}

/// What `county migrate` copied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    pub stations: u64,
    pub bundles: u64,
    pub records: u64,
}

/// A bundle accepted into a station's chain.
pub(crate) struct Accepted<'a> {
    pub station_id: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub key: &'a str,
    pub seq: u64,
    pub manifest_sha256: &'a str,
    pub created_at: &'a str,
    pub imported_at: &'a str,
    pub counts: &'a str,
    pub quotas: &'a str,
}

/// What an import may ask inside its transaction.
pub(crate) trait ChainTx {
    fn chain(&mut self, station: &str) -> Result<Option<Chain>, BundleError>;
    /// The code of the station this key is pinned to, if any.
    fn station_of_key(&mut self, key: &str) -> Result<Option<String>, BundleError>;
    /// The manifest hash of a station's bundle `seq`, if it was imported.
    fn bundle_manifest(&mut self, station: &str, seq: u64) -> Result<Option<String>, BundleError>;
    /// Keeps a record version unless the county has a newer one of it.
    fn upsert(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
        rev: i64,
        deleted: bool,
        data: &str,
    ) -> Result<(), BundleError>;
    /// Notes the bundle and moves the station's chain to it.
    fn accept(&mut self, bundle: &Accepted<'_>) -> Result<(), BundleError>;
}

/// The work of one import, run inside the store's transaction.
pub(crate) type ImportWork<'a> =
    &'a mut dyn FnMut(&mut dyn ChainTx) -> Result<ImportOutcome, BundleError>;

/// A place to keep the county's records.
pub(crate) trait CountyStore {
    /// Runs `work` in one transaction that holds the chains of `station` and of the stations
    /// keyed by `key` against every other importer; commits when it returns `Ok`.
    fn import_tx(
        &mut self,
        station: &str,
        key: &str,
        work: ImportWork<'_>,
    ) -> Result<ImportOutcome, BundleError>;
    /// Every station, by code (byte order, the same in every store).
    fn stations(&mut self) -> Result<Vec<StationRow>, BundleError>;
    /// One record's JSON.
    fn record(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
    ) -> Result<Option<String>, BundleError>;
    /// A station's pinned key and its bundles, by seq.
    fn bundles_of(&mut self, station: &str) -> Result<(String, Vec<BundleRow>), BundleError>;
    /// Up to `limit` records of `kind` of one station after `id`, by id (byte order).
    fn station_page(
        &mut self,
        kind: &str,
        station: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<Stored>, BundleError>;
    /// Replaces one station's rows of the report table `table` in one transaction, making
    /// the table (`station_id`, then a text column per name in `columns`) when it is missing
    /// or its columns are not these.
    fn replace_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError>;

    /// Adds more rows of one station to the report table `table` that [`replace_rows`] made,
    /// in one transaction (a station's rows are written a few thousand at a time).
    ///
    /// [`replace_rows`]: CountyStore::replace_rows
    fn append_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError>;
}

/// The county database: a SQLite file or a PostgreSQL database.
pub struct CountyDb {
    store: RefCell<Box<dyn CountyStore>>,
    target: String,
}

/// Whether `target` names a PostgreSQL database rather than a file: a `postgres://` or
/// `postgresql://` URL, or a connection string of `key=value` pairs (`host=… dbname=…`).
pub fn is_postgres_target(target: &str) -> bool {
    let t = target.trim();
    t.starts_with("postgres://")
        || t.starts_with("postgresql://")
        || (t.contains('=')
            && t.split_whitespace().all(|pair| pair.contains('='))
            && ["host=", "dbname=", "user="].iter().any(|k| t.contains(k)))
}

const PAGE: usize = 500;

/// The county report's first sheet: a row per station.
const STATION_SHEET: &str = "工作站";
/// The county report's sheet of members' assessments.
const ASSESSMENT_SHEET: &str = "委员履职考核";

impl CountyDb {
    /// Opens the county database in the SQLite file at `path`, creating it if missing.
    pub fn open(path: &Path) -> Result<CountyDb, BundleError> {
        Ok(CountyDb {
            store: RefCell::new(Box::new(sqlite::SqliteCounty::open(path)?)),
            target: path.display().to_string(),
        })
    }

    /// Opens the county database `target`: a PostgreSQL connection string (see
    /// [`is_postgres_target`]) or a SQLite file's path.
    pub fn open_target(target: &str) -> Result<CountyDb, BundleError> {
        if is_postgres_target(target) {
            Ok(CountyDb {
                store: RefCell::new(Box::new(postgres::PgCounty::connect(target)?)),
                target: postgres::redacted(target),
            })
        } else {
            CountyDb::open(Path::new(target))
        }
    }

    /// What was opened, fit to show (a connection string's password is left out).
    pub fn target(&self) -> &str {
        &self.target
    }

    /// Checks and imports one bundle file's bytes, in one transaction. A refused bundle
    /// changes nothing.
    pub fn import(
        &mut self,
        bytes: &[u8],
        identities: &[Identity],
    ) -> Result<ImportOutcome, BundleError> {
        let reader = BundleReader::open(Box::new(std::io::Cursor::new(bytes)), identities)?;
        self.import_reader(reader)
    }

    /// Checks and imports one bundle file, streaming it from disk in bounded memory.
    pub fn import_file(
        &mut self,
        path: &Path,
        identities: &[Identity],
    ) -> Result<ImportOutcome, BundleError> {
        let file = std::fs::File::open(path)
            .map_err(|e| BundleError::Io(path.display().to_string(), e))?;
        let reader = BundleReader::open(Box::new(std::io::BufReader::new(file)), identities)?;
        self.import_reader(reader)
    }

    /// Imports an open bundle: its place in the chain, every part checked, every record the
    /// signing station's own, all in one transaction that holds the station's chain.
    pub fn import_reader(
        &mut self,
        mut bundle: BundleReader<'_>,
    ) -> Result<ImportOutcome, BundleError> {
        // A masked copy for reading must never replace the county's full records, nor take a
        // number of the station's sequence.
        if bundle.manifest.plaintext || !bundle.encrypted {
            return Err(BundleError::PlaintextImport);
        }
        let station_id = bundle.manifest.station_id.to_string();
        let key = bundle.manifest.public_key.clone();
        self.store
            .get_mut()
            .import_tx(&station_id, &key, &mut |tx| import_in(tx, &mut bundle))
    }

    /// The records of a kind, as the stations sent them (latest version of each), by
    /// station and id.
    pub fn records(&self, kind: &str) -> Result<Vec<Value>, BundleError> {
        let mut all = Vec::new();
        self.each_record(kind, &mut |_, value| {
            all.push(value);
            Ok(())
        })?;
        Ok(all)
    }

    /// Every station, by code.
    /// A station's 4+X quotas, `(consultations, reports)`, as its latest bundle that carried
    /// them said; the standard quotas for a station whose bundles never did.
    pub fn quotas_of(&self, station: &str) -> Result<(usize, usize), BundleError> {
        let (_, bundles) = self.store.borrow_mut().bundles_of(station)?;
        let said = bundles.iter().rev().find_map(|b| {
            let (c, r) = b.quotas.split_once('/')?;
            Some((c.parse().ok()?, r.parse().ok()?))
        });
        Ok(said.unwrap_or(crate::domain::consult::STANDARD_QUOTAS))
    }

    pub fn stations(&self) -> Result<Vec<StationRow>, BundleError> {
        self.store.borrow_mut().stations()
    }

    /// Rebuilds the report tables (`report_station`, `report_<kind>`) of these stations, or
    /// of every station: the readable rows of the county report, for the office's own tools.
    pub fn refresh_views(
        &self,
        stations: Option<&[String]>,
        now: chrono::NaiveDateTime,
    ) -> Result<(), BundleError> {
        let all: Vec<String>;
        let stations = match stations {
            Some(s) => s,
            None => {
                all = self.stations()?.into_iter().map(|s| s.id).collect();
                &all
            }
        };
        views::refresh(self, stations, now)
    }

    /// Copies everything into `target`, which must hold no station yet: each station in one
    /// transaction — its chain bundle by bundle, then its records as they were sent.
    pub fn copy_into(&self, target: &mut CountyDb) -> Result<Copied, BundleError> {
        if !target.stations()?.is_empty() {
            return Err(BundleError::TargetNotEmpty);
        }
        let mut copied = Copied::default();
        for station in self.stations()? {
            let (key, bundles) = self.store.borrow_mut().bundles_of(&station.id)?;
            let mut records = 0u64;
            target
                .store
                .get_mut()
                .import_tx(&station.id, &key, &mut |tx| {
                    for b in &bundles {
                        tx.accept(&Accepted {
                            station_id: &station.id,
                            code: &station.code,
                            name: &station.name,
                            key: &key,
                            seq: b.seq,
                            manifest_sha256: &b.manifest,
                            created_at: &b.created_at,
                            imported_at: &b.imported_at,
                            counts: &b.counts,
                            quotas: &b.quotas,
                        })?;
                    }
                    for kind in RecordKind::ALL {
                        self.each_raw(kind.as_str(), &station.id, &mut |stored| {
                            let value: Value = serde_json::from_str(&stored.data)
                                .map_err(|e| BundleError::Damaged(e.to_string()))?;
                            let rev = value["rev"].as_i64().unwrap_or(0);
                            let deleted = !value["deleted_at"].is_null();
                            records += 1;
                            tx.upsert(
                                &station.id,
                                kind.as_str(),
                                &stored.id,
                                rev,
                                deleted,
                                &stored.data,
                            )
                        })?;
                    }
                    Ok(ImportOutcome::AlreadyImported {
                        station: station.code.clone(),
                        seq: station.last_seq as u64,
                    })
                })?;
            copied.stations += 1;
            copied.bundles += bundles.len() as u64;
            copied.records += records;
        }
        Ok(copied)
    }

    /// How `other` differs from this county, station by station: the stations, each chain's
    /// bundles, and each kind's records (their number and a hash of all of them). Empty when
    /// they hold the same.
    pub fn differences(&self, other: &CountyDb) -> Result<Vec<String>, BundleError> {
        let mut problems = Vec::new();
        let mine = self.stations()?;
        let theirs = other.stations()?;
        if mine != theirs {
            problems.push(format!(
                "stations: {} here, {} there, or they differ",
                mine.len(),
                theirs.len()
            ));
        }
        for station in &mine {
            let a = self.store.borrow_mut().bundles_of(&station.id)?;
            let b = other.store.borrow_mut().bundles_of(&station.id)?;
            if a != b {
                problems.push(format!("{}: the bundle chains differ", station.code));
            }
            for kind in RecordKind::ALL {
                let fingerprint = |county: &CountyDb| -> Result<(u64, String), BundleError> {
                    use sha2::Digest;
                    let mut hasher = sha2::Sha256::new();
                    let mut n = 0u64;
                    county.each_raw(kind.as_str(), &station.id, &mut |stored| {
                        n += 1;
                        hasher.update(stored.id.as_bytes());
                        hasher.update([0]);
                        hasher.update(stored.data.as_bytes());
                        hasher.update([0]);
                        Ok(())
                    })?;
                    Ok((n, format!("{:x}", hasher.finalize())))
                };
                let (n, here) = fingerprint(self)?;
                let (m, there) = fingerprint(other)?;
                if n != m || here != there {
                    problems.push(format!(
                        "{} {}: {n} records here, {m} there{}",
                        station.code,
                        kind.as_str(),
                        if n == m { ", with other contents" } else { "" }
                    ));
                }
            }
        }
        Ok(problems)
    }

    /// Every record of `kind` of one station as stored, page by page.
    fn each_raw(
        &self,
        kind: &str,
        station: &str,
        each: &mut dyn FnMut(&Stored) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        let mut after = String::new();
        loop {
            let page = self
                .store
                .borrow_mut()
                .station_page(kind, station, &after, PAGE)?;
            let full = page.len() == PAGE;
            for stored in &page {
                each(stored)?;
            }
            match page.last() {
                Some(last) if full => after = last.id.clone(),
                _ => return Ok(()),
            }
        }
    }

    /// Calls `each` with every record of `kind` of one station, read, page by page.
    fn each_station_record(
        &self,
        kind: &str,
        station: &str,
        each: &mut dyn FnMut(Value) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        self.each_raw(kind, station, &mut |stored| {
            let value: Value = serde_json::from_str(&stored.data)
                .map_err(|e| BundleError::Damaged(e.to_string()))?;
            each(value)
        })
    }

    /// Calls `each` with every record of `kind` (its station and its JSON), page by page, so
    /// that `each` may itself ask the store (names) and memory stays bounded.
    fn each_record(
        &self,
        kind: &str,
        each: &mut dyn FnMut(&str, Value) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        // Station by station (in byte order of their ids), each through its own key range:
        // the records come in (station, id) order without a second index to keep up.
        let mut stations: Vec<String> = self.stations()?.into_iter().map(|s| s.id).collect();
        stations.sort();
        for station in &stations {
            self.each_station_record(kind, station, &mut |value| each(station, value))?;
        }
        Ok(())
    }

    /// One record as its station sent it (latest version), by station, kind and id.
    fn record(&self, station: &str, kind: &str, id: Uuid) -> Option<Value> {
        let text = self
            .store
            .borrow_mut()
            .record(station, kind, &id.to_string())
            .ok()??;
        serde_json::from_str(&text).ok()
    }

    /// The county report: a sheet of stations (records per kind, open and overdue visits, the
    /// last bundle), then one sheet per kind across all stations. The same bundles give the
    /// same workbook, byte for byte, from either store.
    pub fn report(
        &self,
        year: Option<i32>,
        now: chrono::NaiveDateTime,
    ) -> Result<Vec<u8>, BundleError> {
        self.report_book(year, now)?
            .save_to_buffer()
            .map_err(|e| BundleError::Sheet(e.to_string()))
    }

    /// [`CountyDb::report`] written straight into the file at `path` (at a county's size the
    /// workbook is hundreds of megabytes: it is not held in memory).
    pub fn write_report(
        &self,
        year: Option<i32>,
        now: chrono::NaiveDateTime,
        path: &Path,
    ) -> Result<(), BundleError> {
        self.report_book(year, now)?
            .save(path)
            .map_err(|e| BundleError::Sheet(e.to_string()))
    }

    fn report_book(
        &self,
        year: Option<i32>,
        now: chrono::NaiveDateTime,
    ) -> Result<rust_xlsxwriter::Workbook, BundleError> {
        let today = now.date();
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
        let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
        let mut book = Workbook::new();
        // Dated by the report's day, not the moment it was written: the same data, the same file.
        use chrono::Datelike;
        let dated =
            ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8)
                .map_err(sheet_error)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&dated));
        let bold = Format::new().set_bold();
        let stations = self.stations()?;
        // The station sheet comes first in the book but is filled last: its counts are taken
        // on the one pass that writes the kinds' sheets.
        book.add_worksheet()
            .set_name(STATION_SHEET)
            .map_err(sheet_error)?;
        let codes: HashMap<String, String> = stations
            .iter()
            .map(|s| (s.id.clone(), s.code.clone()))
            .collect();
        // One lookup for every sheet: a name read for one kind serves the others. Names
        // are looked up within the station of the record being read.
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        let rules = summary::Rules::new(year, now);
        let mut sheets = CountySheets {
            county: self,
            codes: &codes,
            lookup: &lookup,
            book: &mut book,
            rules: &rules,
            tallies: HashMap::new(),
            people: crate::domain::performance::RecordsBuilder::new(
                year.map_or(
                    crate::domain::performance::Period::Term,
                    crate::domain::performance::Period::Year,
                ),
                now,
                &crate::domain::lists::entries(crate::domain::lists::ACTIVITY_KINDS),
            ),
        };
        each_kind(&mut sheets)?;
        let tallies = sheets.tallies;
        let people = sheets.people.finish();
        assessment::assessment_sheet(&mut book, &people, &codes, year)?;
        let sheet = book
            .worksheet_from_name(STATION_SHEET)
            .map_err(sheet_error)?;
        for (c, h) in summary::HEADERS
            .iter()
            .chain(summary::QUOTA_HEADERS.iter())
            .enumerate()
        {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(sheet_error)?;
            sheet.set_column_width(c as u16, 14).map_err(sheet_error)?;
        }
        sheet.set_column_width(1, 28).map_err(sheet_error)?;
        for (i, s) in stations.iter().enumerate() {
            let r = (i + 1) as u32;
            sheet
                .write_string(r, 0, tables::defuse(&s.code))
                .map_err(sheet_error)?;
            sheet
                .write_string(r, 1, tables::defuse(&s.name))
                .map_err(sheet_error)?;
            sheet
                .write_number(r, 2, s.last_seq as f64)
                .map_err(sheet_error)?;
            sheet
                .write_string(r, 3, &s.last_bundle_at)
                .map_err(sheet_error)?;
            let tally = tallies.get(&s.id).cloned().unwrap_or_default();
            for (c, n) in tally.columns().iter().enumerate() {
                sheet
                    .write_number(r, (4 + c) as u16, *n as f64)
                    .map_err(sheet_error)?;
            }
            let after = (4 + tally.columns().len()) as u16;
            let quotas = self.quotas_of(&s.id)?;
            for (c, text) in tally.quota_columns(quotas).iter().enumerate() {
                sheet
                    .write_string(r, after + c as u16, text)
                    .map_err(sheet_error)?;
            }
        }
        Ok(book)
    }
}

/// One import inside the store's transaction: the bundle's place in its station's chain, then
/// every part checked and every record taken.
fn import_in(
    tx: &mut dyn ChainTx,
    bundle: &mut BundleReader<'_>,
) -> Result<ImportOutcome, BundleError> {
    let m = bundle.manifest.clone();
    let station_id = m.station_id.to_string();
    match tx.chain(&station_id)? {
        None => {
            // A new station: its key must not be another station's already.
            if let Some(code) = tx.station_of_key(&m.public_key)? {
                return Err(BundleError::KeyOfOtherStation(code));
            }
            if m.seq != 1 {
                return Err(BundleError::Gap {
                    from: 1,
                    to: m.seq - 1,
                });
            }
        }
        Some(chain) => {
            if chain.key != m.public_key {
                return Err(BundleError::KeyMismatch);
            }
            if m.seq <= chain.last_seq {
                let seen = tx.bundle_manifest(&station_id, m.seq)?;
                return if seen.as_deref() == Some(bundle.manifest_sha256.as_str()) {
                    Ok(ImportOutcome::AlreadyImported {
                        station: m.station_code.clone(),
                        seq: m.seq,
                    })
                } else {
                    Err(BundleError::Fork(m.seq))
                };
            }
            if m.seq > chain.last_seq + 1 {
                return Err(BundleError::Gap {
                    from: chain.last_seq + 1,
                    to: m.seq - 1,
                });
            }
            if m.previous_manifest_sha256 != chain.last_manifest {
                return Err(BundleError::Fork(m.seq));
            }
        }
    }
    bundle.check_parts()?;
    let mut records: u64 = 0;
    for kind in RecordKind::ALL {
        records += bundle.lines(kind, &mut |line| {
            let value: Value =
                serde_json::from_slice(line).map_err(|e| BundleError::Damaged(e.to_string()))?;
            let id = value["id"].as_str().and_then(|s| Uuid::parse_str(s).ok());
            let rev = value["rev"].as_i64().filter(|rev| *rev >= 0);
            let (Some(id), Some(rev)) = (id, rev) else {
                return Err(BundleError::Damaged(format!(
                    "a {} without id or rev",
                    kind.as_str()
                )));
            };
            // Every record must be the signing station's own.
            if value["station_id"].as_str() != Some(station_id.as_str()) {
                return Err(BundleError::ForeignRecord(id.to_string()));
            }
            let deleted = !value["deleted_at"].is_null();
            tx.upsert(
                &station_id,
                kind.as_str(),
                &id.to_string(),
                rev,
                deleted,
                &String::from_utf8_lossy(line),
            )
        })?;
    }
    let counts = serde_json::to_string(&m.counts).unwrap_or_default();
    let quotas = m
        .quotas
        .map(|q| format!("{}/{}", q.consultations, q.reports))
        .unwrap_or_default();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    tx.accept(&Accepted {
        station_id: &station_id,
        code: &m.station_code,
        name: &m.station_name,
        key: &m.public_key,
        seq: m.seq,
        manifest_sha256: &bundle.manifest_sha256,
        created_at: &m.created_at,
        imported_at: &now,
        counts: &counts,
        quotas: &quotas,
    })?;
    Ok(ImportOutcome::Imported {
        station: m.station_code.clone(),
        station_id,
        seq: m.seq,
        records,
    })
}

/// The county report's sheet of each kind: every station's live records, read as their kind
/// describes them, behind the station's code, written row by row.
struct CountySheets<'a> {
    county: &'a CountyDb,
    codes: &'a HashMap<String, String>,
    lookup: &'a CountyLookup<'a>,
    book: &'a mut rust_xlsxwriter::Workbook,
    rules: &'a summary::Rules,
    /// The station sheet's counts, taken on the way.
    tallies: HashMap<String, summary::Tally>,
    /// Every member's record, built on the way, for the assessment sheet.
    people: crate::domain::performance::RecordsBuilder,
}

impl KindVisitor for CountySheets<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let lookup = self.lookup;
        let codes = self.codes;
        let book = &mut *self.book;
        let rules = self.rules;
        let tallies = &mut self.tallies;
        let people = &mut self.people;
        let kind = T::KIND.as_str();
        let mut sheet = tables::StreamSheet::of::<T>(lookup, &["工作站代码"]);
        self.county.each_record(kind, &mut |station_id, value| {
            tallies
                .entry(station_id.to_string())
                .or_default()
                .add(kind, &value, rules);
            if !value["deleted_at"].is_null() {
                return Ok(());
            }
            lookup.enter_station(station_id);
            let station = codes.get(station_id).cloned().unwrap_or_default();
            // A record this version cannot read (written by a newer one) is named, not
            // lost: the data stays in the county database whole.
            let id = value["id"].as_str().unwrap_or("").to_string();
            match serde_json::from_value::<T>(value) {
                Ok(record) => {
                    assessment::count_for_people(people, station_id, &record);
                    sheet.push(book, vec![station], &record, lookup)
                }
                Err(e) => sheet.push_row(book, vec![station, id, format!("无法读取此记录：{e}")]),
            }
        })?;
        sheet.finish(book)
    }
}

//! The county office's database: every station's records, merged from their bundles. A
//! station's first bundle pins its signing key; later bundles must continue its chain.
//!
//! The rules live here, once; where the records are kept is a [`CountyStore`]: a SQLite file
//! for a single office (`sqlite.rs`), or a PostgreSQL database that several machines share
//! (`postgres.rs`). Both give every import one transaction that holds the station's chain,
//! and both answer the report the same, so the workbook is the same from either.

mod assessment;
mod copy;
pub mod desk;
pub mod entries;
pub mod hot;
mod import;
mod pg_desk;
mod pg_history;
mod postgres;
mod report;
mod schema;
mod search_index;
mod sqlite;
mod sqlite_journal;
mod sqlite_tables;
mod summary;
mod unlock;
mod validate;
mod view_rows;
mod views;

pub use report::{Counted, ReportWritten, COUNTY_REPORT_ROWS};
pub use unlock::{CountyKeyProblem, CountyUnlock};

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
    /// The township or street (乡镇、街道) its latest bundle named; empty when none did.
    pub town: String,
    pub last_seq: i64,
    pub last_bundle_at: String,
    /// The installation that followed this one under its code (a station re-installed), if
    /// the county confirmed one: this one is then kept but no longer listed.
    pub successor: Option<String>,
}

/// One line of the county's own log (a station re-installed under its code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// RFC 3339, UTC.
    pub at: String,
    pub event: String,
    pub station_code: String,
    pub detail: String,
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
    /// The station's town as the bundle names it (empty when it names none).
    pub town: &'a str,
    pub key: &'a str,
    pub seq: u64,
    pub manifest_sha256: &'a str,
    pub created_at: &'a str,
    pub imported_at: &'a str,
    pub counts: &'a str,
    pub quotas: &'a str,
}

/// What the search index keeps of a record (what it is found by, and its date): `entry` as
/// the bundle's reader made it, or made here from its JSON when none was (a copy from another
/// store); none for a deleted record.
fn index_entry<'a>(
    kind: &str,
    data: &str,
    deleted: bool,
    entry: Option<&'a (String, String)>,
) -> Option<std::borrow::Cow<'a, (String, String)>> {
    match entry {
        _ if deleted => None,
        Some(entry) => Some(std::borrow::Cow::Borrowed(entry)),
        None => crate::store::bundle_entry(kind, data).map(std::borrow::Cow::Owned),
    }
}

/// What a county store's search gives: `(station_id, kind, id, data)`, newest first.
pub(crate) type Searched = Vec<(String, String, String, String)>;

/// What an import may ask inside its transaction.
pub(crate) trait ChainTx {
    fn chain(&mut self, station: &str) -> Result<Option<Chain>, BundleError>;
    /// The code of the station this key is pinned to, if any.
    fn station_of_key(&mut self, key: &str) -> Result<Option<String>, BundleError>;
    /// The listed station (not followed by another installation) that has this code:
    /// `(station_id, name)`.
    fn station_of_code(&mut self, code: &str) -> Result<Option<(String, String)>, BundleError>;
    /// Marks `old` as followed by the installation `new` under the same code.
    fn retire(&mut self, old: &str, new: &str) -> Result<(), BundleError>;
    /// Adds a line to the county's log.
    fn log(&mut self, row: &LogRow) -> Result<(), BundleError>;
    /// Keeps one change of a station's record, as bundle `seq` carried it (a change kept
    /// already is left as it is).
    fn history(
        &mut self,
        station: &str,
        seq: u64,
        line: &crate::store::HistoryRef<'_>,
    ) -> Result<(), BundleError>;
    /// The manifest hash of a station's bundle `seq` and when it was imported (RFC 3339), if
    /// it was.
    fn bundle_manifest(
        &mut self,
        station: &str,
        seq: u64,
    ) -> Result<Option<(String, String)>, BundleError>;
    /// Keeps a record version unless the county has a newer one of it. `entry` is what the
    /// search finds it by when the caller has read it already (else the store reads `data`
    /// again if it keeps a search index).
    #[allow(clippy::too_many_arguments)]
    fn upsert(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
        rev: i64,
        deleted: bool,
        data: &str,
        entry: Option<&(String, String)>,
    ) -> Result<(), BundleError>;
    /// Notes the bundle and moves the station's chain to it.
    fn accept(&mut self, bundle: &Accepted<'_>) -> Result<(), BundleError>;
}

/// What is called with each row `CountyStore::each_table_row` reads: its station, its cells.
pub(crate) type EachTableRow<'a> = &'a mut dyn FnMut(&str, &[&str]) -> Result<(), BundleError>;

/// Whether a report table of the columns `there` (none: no such table) has every one of
/// `columns` and the column `since` filters on.
fn holds_columns(there: &[String], columns: &[&str], since: Option<(&str, &str)>) -> bool {
    let mut wanted = columns.iter().chain(since.iter().map(|(c, _)| c));
    !there.is_empty() && wanted.all(|c| there.iter().any(|t| t == c))
}

/// The work of one import, run inside the store's transaction.
pub(crate) type ImportWork<'a> =
    &'a mut dyn FnMut(&mut dyn ChainTx) -> Result<ImportOutcome, BundleError>;

/// A place to keep the county's records.
pub(crate) trait CountyStore {
    /// Runs `work` in one transaction that holds the chains of `station` and of the stations
    /// keyed by `key` against every other importer; commits when it returns `Ok`. `records`
    /// is how many records the work brings, as far as known (0 when not): a store may keep
    /// a large import another way (see `sqlite_journal`).
    fn import_tx(
        &mut self,
        station: &str,
        key: &str,
        records: u64,
        work: ImportWork<'_>,
    ) -> Result<ImportOutcome, BundleError>;
    /// Every station, by code (byte order, the same in every store), with the earlier
    /// installations of re-installed stations.
    fn stations(&mut self) -> Result<Vec<StationRow>, BundleError>;
    /// The county's log, oldest first.
    fn log_rows(&mut self) -> Result<Vec<LogRow>, BundleError>;
    /// The changes of one record of a station the bundles carried, by rev, with the seq of
    /// the bundle that carried each.
    fn history_of(
        &mut self,
        station: &str,
        id: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError>;
    /// The changes of all a station's records, by record and rev, as [`Self::history_of`]
    /// gives them, one at a time (a big station's are not held at once).
    fn each_history(
        &mut self,
        station: &str,
        each: &mut dyn FnMut(crate::store::HistoryLine, u64) -> Result<(), BundleError>,
    ) -> Result<(), BundleError>;
    /// The changes of all a station's records at once (copying and comparing counties).
    fn all_history(
        &mut self,
        station: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError> {
        let mut all = Vec::new();
        self.each_history(station, &mut |line, seq| {
            all.push((line, seq));
            Ok(())
        })?;
        Ok(all)
    }
    /// Whether any bundle of the station carried history.
    fn has_history(&mut self, station: &str) -> Result<bool, BundleError>;
    /// Keeps a proposed topic and the visits behind it, in one transaction.
    fn add_topic(&mut self, topic: &hot::CountyTopic) -> Result<(), BundleError>;
    /// The proposed topics, newest first, each with its visits.
    fn topics(&mut self) -> Result<Vec<hot::CountyTopic>, BundleError>;
    /// A report table's columns (after `station_id`) and rows, of one station or all, in the
    /// order written; `None` when the table does not exist.
    fn report_table(
        &mut self,
        table: &str,
        station: Option<&str>,
    ) -> Result<Option<desk::ReportTable>, BundleError>;
    /// The cells of `columns` of every row of the report table `table` whose `since.0`
    /// column is at least `since.1` (all rows without it), each with its station, streamed in
    /// no set order without holding them all; nothing when the table or a column is missing.
    fn each_table_row(
        &mut self,
        table: &str,
        columns: &[&str],
        since: Option<(&str, &str)>,
        each: EachTableRow<'_>,
    ) -> Result<(), BundleError>;
    /// How many rows the report table `table` holds; `None` when it does not exist.
    fn report_count(&mut self, table: &str) -> Result<Option<u64>, BundleError>;
    /// Gives the report table `table` an index of `column` (once).
    fn index_column(&mut self, table: &str, column: &str) -> Result<(), BundleError>;
    /// The `n`th greatest value of `column` in the report table `table` (1 is the greatest),
    /// or `None` when it holds fewer rows.
    fn nth_greatest(
        &mut self,
        table: &str,
        column: &str,
        n: u64,
    ) -> Result<Option<String>, BundleError>;
    /// The rows of the report table `table` (their cells after `station_id`, borrowed for the
    /// call: a NULL is empty) that `rows` asks for, streamed in its order, without holding
    /// them all.
    fn each_report_row(
        &mut self,
        table: &str,
        rows: &ReportRows,
        each: &mut dyn FnMut(&[&str]) -> Result<(), BundleError>,
    ) -> Result<(), BundleError>;
    /// Up to `limit` live records found by what was `typed`, newest first, of these
    /// stations or all, of this period or any: `(station_id, kind, id, data)`, from the
    /// store's search index (what the station's own search would find).
    fn search(
        &mut self,
        typed: &str,
        stations: Option<&[String]>,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
        limit: usize,
    ) -> Result<Searched, BundleError>;
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
    /// Begins the transaction that one station's report tables are then written in (the
    /// `replace_rows` and `append_rows` until [`end_rows`]), for a station of about
    /// `records` records. A store that has none (PostgreSQL: a transaction a call) does
    /// nothing.
    ///
    /// [`end_rows`]: CountyStore::end_rows
    fn begin_rows(&mut self, _records: u64) -> Result<(), BundleError> {
        Ok(())
    }
    /// Ends what [`begin_rows`] began: commits it when `keep`, else keeps nothing of it.
    ///
    /// [`begin_rows`]: CountyStore::begin_rows
    fn end_rows(&mut self, _keep: bool) -> Result<(), BundleError> {
        Ok(())
    }
    /// Replaces one station's rows of the report table `table` in one transaction (or in
    /// the one [`begin_rows`] began), making the table (`station_id`, then a text column per
    /// name in `columns`) when it is missing or its columns are not these.
    ///
    /// [`begin_rows`]: CountyStore::begin_rows
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

/// The column of a report table that holds the record's id (a kind's table): with
/// `station_id`, the order its rows are read in, by an index of both.
pub const REPORT_ID_COLUMN: &str = "编号";

/// Which rows of a report table to read: station by station, each by the record's id
/// ([`REPORT_ID_COLUMN`]; byte order, the same from either store), those whose `since.0`
/// column is at least `since.1`, at most `limit`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportRows {
    pub since: Option<(String, String)>,
    pub limit: Option<u64>,
}

/// The county database: a SQLite file or a PostgreSQL database.
pub struct CountyDb {
    store: RefCell<Box<dyn CountyStore>>,
    target: String,
    /// Days after the day it records that a record may be entered before it is flagged.
    late_days: i64,
    /// The most records of one kind the county report's workbook lists.
    report_rows: u64,
    /// Codes the clerk confirmed as re-installed stations, with the reason given: a new
    /// station under one of them follows the listed one instead of being refused.
    reinstalled: HashMap<String, String>,
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

/// The record a page of [`PAGE`] records ends with, when more may follow it (a full page);
/// `None` for the last page.
fn continued_after(page: &[Stored]) -> Option<&Stored> {
    page.last().filter(|_| page.len() == PAGE)
}

impl CountyDb {
    /// Opens the county database in the encrypted SQLite file at `path` with `unlock`,
    /// creating it if missing (and converting a plain one of an earlier version).
    pub fn open(path: &Path, unlock: &CountyUnlock) -> Result<CountyDb, BundleError> {
        CountyDb::open_sqlite(path, unlock, &mut || {})
    }

    fn open_sqlite(
        path: &Path,
        unlock: &CountyUnlock,
        indexing: &mut dyn FnMut(),
    ) -> Result<CountyDb, BundleError> {
        Ok(CountyDb {
            store: RefCell::new(Box::new(sqlite::SqliteCounty::open_with(
                path, unlock, indexing,
            )?)),
            target: path.display().to_string(),
            reinstalled: HashMap::new(),
            late_days: entries::LATE_DAYS,
            report_rows: COUNTY_REPORT_ROWS,
        })
    }

    /// Opens the county database `target`: a PostgreSQL connection string (see
    /// [`is_postgres_target`]; `unlock` is not used) or a SQLite file's path.
    pub fn open_target(target: &str, unlock: &CountyUnlock) -> Result<CountyDb, BundleError> {
        CountyDb::open_target_with(target, unlock, &mut || {})
    }

    /// As [`CountyDb::open_target`], calling `indexing` before the county's search index is
    /// filled from its records (the first open by a version that makes the index anew: half
    /// a minute to a few minutes at a large county), so that the wait can be told.
    pub fn open_target_with(
        target: &str,
        unlock: &CountyUnlock,
        indexing: &mut dyn FnMut(),
    ) -> Result<CountyDb, BundleError> {
        if is_postgres_target(target) {
            Ok(CountyDb {
                store: RefCell::new(Box::new(postgres::PgCounty::connect(target, indexing)?)),
                target: postgres::redacted(target),
                reinstalled: HashMap::new(),
                late_days: entries::LATE_DAYS,
                report_rows: COUNTY_REPORT_ROWS,
            })
        } else {
            CountyDb::open_sqlite(Path::new(target), unlock, indexing)
        }
    }

    /// What was opened, fit to show (a connection string's password is left out).
    pub fn target(&self) -> &str {
        &self.target
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
        let mut all = self.store.borrow_mut().stations()?;
        all.retain(|s| s.successor.is_none());
        Ok(all)
    }

    /// Every installation the county holds, the earlier ones of re-installed stations too.
    pub fn installations(&self) -> Result<Vec<StationRow>, BundleError> {
        self.store.borrow_mut().stations()
    }

    /// The listed station each installation's records count for: itself, or the last
    /// installation that followed it under its code.
    pub fn counted_as(&self) -> Result<HashMap<String, String>, BundleError> {
        let all = self.installations()?;
        let next: HashMap<&str, &str> = all
            .iter()
            .filter_map(|s| Some((s.id.as_str(), s.successor.as_deref()?)))
            .collect();
        Ok(all
            .iter()
            .map(|s| {
                let mut at = s.id.as_str();
                // A chain of re-installations ends at a listed one (bounded against a loop).
                for _ in 0..all.len() {
                    match next.get(at) {
                        Some(n) => at = n,
                        None => break,
                    }
                }
                (s.id.clone(), at.to_string())
            })
            .collect())
    }

    /// A listed station's installations: itself and the earlier ones it followed.
    pub fn installations_of(&self, station: &str) -> Result<Vec<String>, BundleError> {
        let mut ids: Vec<String> = self
            .counted_as()?
            .into_iter()
            .filter(|(_, to)| to == station)
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Flags records entered more than `days` after the day they record (30 unless set).
    pub fn set_late_days(&mut self, days: i64) {
        self.late_days = days.max(0);
    }

    /// The days after which a record's entry is flagged.
    pub fn late_days(&self) -> i64 {
        self.late_days
    }

    /// Sets the most records of one kind the county report's workbook lists (at least one;
    /// [`COUNTY_REPORT_ROWS`] unless set).
    pub fn set_report_rows(&mut self, rows: u64) {
        self.report_rows = rows.max(1);
    }

    /// The county's log, oldest first.
    pub fn log(&self) -> Result<Vec<LogRow>, BundleError> {
        self.store.borrow_mut().log_rows()
    }

    /// The clerk confirmed that a new station under `code` is the listed station of that code
    /// re-installed (`reason` goes into the county's log): its next import follows the listed
    /// one and pins the new key, instead of being refused.
    pub fn confirm_reinstalled(&mut self, code: &str, reason: &str) {
        self.reinstalled
            .insert(code.to_string(), reason.trim().to_string());
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
            for stored in &page {
                each(stored)?;
            }
            match continued_after(&page) {
                Some(last) => after = last.id.clone(),
                None => return Ok(()),
            }
        }
    }

    /// Calls `each` with every record of `kind` of a listed station and of the earlier
    /// installations it followed.
    fn each_counted_record(
        &self,
        kind: &str,
        station: &str,
        each: &mut dyn FnMut(Value) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        for id in self.installations_of(station)? {
            self.each_station_record(kind, &id, each)?;
        }
        Ok(())
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
        // the records come in (station, id) order without a second index to keep up. The
        // earlier installations of re-installed stations too: their records stay counted.
        let mut stations: Vec<String> = self.installations()?.into_iter().map(|s| s.id).collect();
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
}

//! The county office's database: every station's records, merged from their bundles. A
//! station's first bundle pins its signing key; later bundles must continue its chain.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;
use uuid::Uuid;

use super::names::CountyLookup;
use super::tables;
use super::verify::{BundleReader, Identity};
use super::BundleError;
use crate::domain::RecordKind;
use crate::store::StoreError;
use crate::store::{each_kind, KindVisitor, RecordTable};

/// Marks a SQLite file as a county database: "SDC1".
const COUNTY_APPLICATION_ID: i64 = 0x5344_4331;

/// The county schema, version 2: a record belongs to the station whose pinned key signed it,
/// so the same id sent by two stations is two records, and no station can write over
/// another's.
const SCHEMA: &str = "
CREATE TABLE county_station (
    station_id      TEXT PRIMARY KEY,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    last_seq        INTEGER NOT NULL,
    last_manifest   TEXT NOT NULL,
    last_bundle_at  TEXT NOT NULL
);
CREATE TABLE county_bundle (
    station_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    manifest     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    counts       TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE TABLE county_record (
    station_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    rev         INTEGER NOT NULL,
    deleted     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (station_id, kind, id)
);
CREATE INDEX county_record_kind ON county_record (kind, station_id, id);
";

/// From version 1, whose records were keyed by kind and id alone.
const TO_VERSION_2: &str = "
CREATE TABLE county_record_v2 (
    station_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    rev         INTEGER NOT NULL,
    deleted     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (station_id, kind, id)
);
INSERT INTO county_record_v2 (station_id, kind, id, rev, deleted, data)
    SELECT station_id, kind, id, rev, deleted, data FROM county_record;
DROP TABLE county_record;
ALTER TABLE county_record_v2 RENAME TO county_record;
CREATE INDEX county_record_kind ON county_record (kind, station_id, id);
";

/// The county schema version this program writes.
const COUNTY_VERSION: i64 = 2;

/// What importing one bundle did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        station: String,
        seq: u64,
        records: u64,
    },
    /// The same bundle was imported before; nothing changed.
    AlreadyImported { station: String, seq: u64 },
}

pub struct CountyDb {
    conn: Connection,
    path: PathBuf,
}

fn sql(e: rusqlite::Error) -> BundleError {
    BundleError::Store(StoreError::from(e))
}

impl CountyDb {
    /// Opens the county database, creating it if missing.
    pub fn open(path: &Path) -> Result<CountyDb, BundleError> {
        let conn = Connection::open(path).map_err(sql)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    BundleError::Store(StoreError::NotStationdesk {
                        path: path.to_path_buf(),
                    })
                }
                _ => sql(e),
            })?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        let app: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)?;
        if app == 0 && tables == 0 {
            conn.execute_batch(&format!(
                "BEGIN; {SCHEMA} PRAGMA application_id = {COUNTY_APPLICATION_ID}; PRAGMA user_version = {COUNTY_VERSION}; COMMIT;"
            ))
            .map_err(sql)?;
        } else if app != COUNTY_APPLICATION_ID {
            return Err(BundleError::Store(StoreError::NotStationdesk {
                path: path.to_path_buf(),
            }));
        } else if version > COUNTY_VERSION {
            return Err(BundleError::Store(StoreError::NewerSchema {
                found: version,
                supported: COUNTY_VERSION,
            }));
        } else if version < COUNTY_VERSION {
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {TO_VERSION_2} PRAGMA user_version = {COUNTY_VERSION}; COMMIT;"
            ))
            .map_err(sql)?;
        }
        Ok(CountyDb {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
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

    /// Where a bundle stands in its station's chain, from what the county holds: refused
    /// (with why), already imported, or next.
    fn place_in_chain(
        &self,
        bundle: &BundleReader<'_>,
    ) -> Result<Option<ImportOutcome>, BundleError> {
        let m = &bundle.manifest;
        // A masked copy for reading must never replace the county's full records, nor take a
        // number of the station's sequence.
        if m.plaintext || !bundle.encrypted {
            return Err(BundleError::PlaintextImport);
        }
        let station_id = m.station_id.to_string();
        let known: Option<(String, u64, String)> = self
            .conn
            .query_row(
                "SELECT public_key, last_seq, last_manifest FROM county_station WHERE station_id = ?1",
                [&station_id],
                |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?)),
            )
            .optional()
            .map_err(sql)?;
        let Some((key, last_seq, last_manifest)) = known else {
            // A new station: its key must not be another station's already.
            let owner: Option<String> = self
                .conn
                .query_row(
                    "SELECT code FROM county_station WHERE public_key = ?1",
                    [&m.public_key],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql)?;
            if let Some(code) = owner {
                return Err(BundleError::KeyOfOtherStation(code));
            }
            if m.seq != 1 {
                return Err(BundleError::Gap {
                    from: 1,
                    to: m.seq - 1,
                });
            }
            return Ok(None);
        };
        if key != m.public_key {
            return Err(BundleError::KeyMismatch);
        }
        if m.seq <= last_seq {
            let seen: Option<String> = self
                .conn
                .query_row(
                    "SELECT manifest FROM county_bundle WHERE station_id = ?1 AND seq = ?2",
                    params![station_id, m.seq as i64],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sql)?;
            return if seen.as_deref() == Some(bundle.manifest_sha256.as_str()) {
                Ok(Some(ImportOutcome::AlreadyImported {
                    station: m.station_code.clone(),
                    seq: m.seq,
                }))
            } else {
                Err(BundleError::Fork(m.seq))
            };
        }
        if m.seq > last_seq + 1 {
            return Err(BundleError::Gap {
                from: last_seq + 1,
                to: m.seq - 1,
            });
        }
        if m.previous_manifest_sha256 != last_manifest {
            return Err(BundleError::Fork(m.seq));
        }
        Ok(None)
    }

    /// Imports an open bundle: its place in the chain, every part checked, every record the
    /// signing station's own, all in one transaction.
    pub fn import_reader(
        &mut self,
        mut bundle: BundleReader<'_>,
    ) -> Result<ImportOutcome, BundleError> {
        if let Some(outcome) = self.place_in_chain(&bundle)? {
            return Ok(outcome);
        }
        bundle.check_parts()?;
        let m = bundle.manifest.clone();
        let station_id = m.station_id.to_string();
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let mut records: u64 = 0;
        {
            let mut upsert = tx
                .prepare(
                    "INSERT INTO county_record (station_id, kind, id, rev, deleted, data)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (station_id, kind, id) DO UPDATE SET
                        rev = excluded.rev, deleted = excluded.deleted, data = excluded.data
                     WHERE excluded.rev > county_record.rev",
                )
                .map_err(sql)?;
            for kind in RecordKind::ALL {
                records += bundle.lines(kind, &mut |line| {
                    let value: Value = serde_json::from_slice(line)
                        .map_err(|e| BundleError::Damaged(e.to_string()))?;
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
                    upsert
                        .execute(params![
                            station_id,
                            kind.as_str(),
                            id.to_string(),
                            rev,
                            deleted,
                            String::from_utf8_lossy(line)
                        ])
                        .map_err(sql)?;
                    Ok(())
                })?;
            }
        }
        let counts = serde_json::to_string(&m.counts).unwrap_or_default();
        tx.execute(
            "INSERT INTO county_bundle (station_id, seq, manifest, created_at, imported_at, counts)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                station_id,
                m.seq as i64,
                bundle.manifest_sha256,
                m.created_at,
                now,
                counts
            ],
        )
        .map_err(sql)?;
        tx.execute(
            "INSERT INTO county_station (station_id, code, name, public_key, last_seq, last_manifest, last_bundle_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (station_id) DO UPDATE SET code = excluded.code, name = excluded.name,
                last_seq = excluded.last_seq, last_manifest = excluded.last_manifest,
                last_bundle_at = excluded.last_bundle_at",
            params![
                station_id,
                m.station_code,
                m.station_name,
                m.public_key,
                m.seq as i64,
                bundle.manifest_sha256,
                m.created_at
            ],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(ImportOutcome::Imported {
            station: m.station_code.clone(),
            seq: m.seq,
            records,
        })
    }

    /// One record as its station sent it (latest version), by station, kind and id.
    fn record(&self, station: &str, kind: &str, id: Uuid) -> Option<Value> {
        let text: String = self
            .conn
            .prepare_cached(
                "SELECT data FROM county_record WHERE station_id = ?1 AND kind = ?2 AND id = ?3",
            )
            .ok()?
            .query_row(params![station, kind, id.to_string()], |r| r.get(0))
            .ok()?;
        serde_json::from_str(&text).ok()
    }

    /// The records of a kind, as the stations sent them (latest version of each).
    pub fn records(&self, kind: &str) -> Result<Vec<Value>, BundleError> {
        let mut stmt = self
            .conn
            .prepare("SELECT data FROM county_record WHERE kind = ?1 ORDER BY station_id, id")
            .map_err(sql)?;
        let rows = stmt
            .query_map([kind], |r| r.get::<_, String>(0))
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        rows.iter()
            .map(|t| serde_json::from_str(t).map_err(|e| BundleError::Damaged(e.to_string())))
            .collect()
    }

    /// The county report: a sheet of stations (records per kind, open and overdue visits, the
    /// last bundle), then one sheet per kind across all stations.
    pub fn report(
        &self,
        year: Option<i32>,
        today: chrono::NaiveDate,
    ) -> Result<Vec<u8>, BundleError> {
        use rust_xlsxwriter::{Format, Workbook};
        let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let year_prefix = year.map(|y| format!("{y}-")).unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.station_id, s.code, s.name, s.last_seq, s.last_bundle_at,
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'member' AND r.deleted = 0),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'intake' AND r.deleted = 0
                        AND json_extract(r.data, '$.visited_at') LIKE ?1 || '%'),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'intake' AND r.deleted = 0
                        AND json_extract(r.data, '$.state') <> 'closed'),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'intake' AND r.deleted = 0
                        AND ((json_extract(r.data, '$.state') IN ('registered', 'in_progress')
                              AND json_extract(r.data, '$.reply_due') < ?2)
                          OR (json_extract(r.data, '$.state') = 'answered'
                              AND json_extract(r.data, '$.follow_up_due') < ?2))),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'case' AND r.deleted = 0
                        AND json_extract(r.data, '$.received_on') LIKE ?1 || '%'),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'case' AND r.deleted = 0
                        AND json_extract(r.data, '$.received_on') LIKE ?1 || '%'
                        AND json_extract(r.data, '$.outcome.result') = 'success'),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'shift' AND r.deleted = 0
                        AND json_extract(r.data, '$.date') LIKE ?1 || '%' AND json_extract(r.data, '$.date') < ?2
                        AND json_extract(r.data, '$.state') <> 'swapped'),
                   (SELECT count(*) FROM county_record r WHERE r.station_id = s.station_id AND r.kind = 'shift' AND r.deleted = 0
                        AND json_extract(r.data, '$.date') LIKE ?1 || '%'
                        AND json_extract(r.data, '$.state') = 'attended')
                 FROM county_station s ORDER BY s.code",
            )
            .map_err(sql)?;
        type StationRow = (
            String,
            String,
            String,
            i64,
            String,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        );
        let stations: Vec<StationRow> = stmt
            .query_map(
                params![year_prefix, today.format("%Y-%m-%d").to_string()],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                        r.get(12)?,
                    ))
                },
            )
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        let sheet = book.add_worksheet();
        sheet.set_name("工作站").map_err(sheet_error)?;
        let headers = [
            "工作站代码",
            "工作站名称",
            "最新批次",
            "最近报送",
            "委员数",
            "来访件数",
            "未办结来访",
            "逾期来访",
            "调解案件",
            "调解成功",
            "应值班次",
            "到岗班次",
        ];
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(sheet_error)?;
            sheet.set_column_width(c as u16, 14).map_err(sheet_error)?;
        }
        sheet.set_column_width(1, 28).map_err(sheet_error)?;
        for (i, s) in stations.iter().enumerate() {
            let r = (i + 1) as u32;
            sheet
                .write_string(r, 0, tables::defuse(&s.1))
                .map_err(sheet_error)?;
            sheet
                .write_string(r, 1, tables::defuse(&s.2))
                .map_err(sheet_error)?;
            sheet.write_number(r, 2, s.3 as f64).map_err(sheet_error)?;
            sheet.write_string(r, 3, &s.4).map_err(sheet_error)?;
            for (c, n) in [s.5, s.6, s.7, s.8, s.9, s.10, s.11, s.12]
                .iter()
                .enumerate()
            {
                sheet
                    .write_number(r, (4 + c) as u16, *n as f64)
                    .map_err(sheet_error)?;
            }
        }
        let codes: std::collections::HashMap<String, String> = stations
            .iter()
            .map(|s| (s.0.clone(), s.1.clone()))
            .collect();
        // One lookup for every sheet: a name read for one kind serves the others. Names
        // are looked up within the station of the record being read.
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        let mut sheets = CountySheets {
            county: self,
            codes: &codes,
            lookup: &lookup,
            sheets: Vec::new(),
        };
        each_kind(&mut sheets)?;
        for sheet in &sheets.sheets {
            tables::add_sheet(&mut book, sheet)?;
        }
        book.save_to_buffer().map_err(sheet_error)
    }
}

/// The county report's sheet of each kind: every station's live records, read as their kind
/// describes them, behind the station's code.
struct CountySheets<'a> {
    county: &'a CountyDb,
    codes: &'a std::collections::HashMap<String, String>,
    lookup: &'a CountyLookup<'a>,
    sheets: Vec<tables::Sheet>,
}

impl KindVisitor for CountySheets<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let lookup = self.lookup;
        let mut sheet = tables::Sheet::of::<T>(lookup, &["工作站代码"]);
        for value in self.county.records(T::KIND.as_str())? {
            if !value["deleted_at"].is_null() {
                continue;
            }
            let station_id = value["station_id"].as_str().unwrap_or_default();
            lookup.enter_station(station_id);
            let station = self.codes.get(station_id).cloned().unwrap_or_default();
            // A record this version cannot read (written by a newer one) is named, not lost:
            // the data stays in the county database whole.
            let id = value["id"].as_str().unwrap_or("").to_string();
            match serde_json::from_value::<T>(value) {
                Ok(record) => sheet.push(vec![station], &record, lookup, false),
                Err(e) => {
                    let mut row = vec![station, id];
                    row.push(format!("无法读取此记录：{e}"));
                    sheet.rows.push(row);
                }
            }
        }
        self.sheets.push(sheet);
        Ok(())
    }
}

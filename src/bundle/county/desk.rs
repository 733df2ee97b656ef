//! What the county office's desk reads: the stations at a glance, a station's figures, members
//! and bundles, the members across the county, a record found by its text, and what importing
//! a folder of bundles (a stick) will do. The figures come from the report tables the imports
//! keep (`views.rs`), so a screen reads one row per station, not the records.

use std::path::{Path, PathBuf};

use super::*;

/// The report table of stations and of members' assessments.
pub const STATION_TABLE: &str = "report_station";
pub const ASSESSMENT_TABLE: &str = "report_assessment";
/// A station's records by the month they record: its own dashboard's figures, month by month,
/// drawn from the county's records (kept by each import, as the other report tables).
pub const MONTH_TABLE: &str = "report_month";
/// Its columns after `station_id`: the month, then one per kind counted.
pub const MONTH_COLUMNS: [&str; 6] = ["月份", "来访", "调解案件", "值班", "协商会议", "社情民意"];
/// The last column of [`ASSESSMENT_TABLE`]: the member's id, to open their record.
pub const MEMBER_ID_COLUMN: &str = "委员编号";

/// The county log's event for a refused bundle.
pub const REFUSED_EVENT: &str = "refused";

/// The extension of an encrypted bundle's file.
pub const BUNDLE_EXTENSION: &str = "sdb1";

/// A table read from the report tables: its column names (after `station_id`) and its rows,
/// each with the station it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportTable {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
}

impl ReportTable {
    /// The first row of `station` (its one row in a table of a row per station).
    pub fn row_of(&self, station: &str) -> Option<&[String]> {
        self.rows
            .iter()
            .find(|(id, _)| id == station)
            .map(|(_, cells)| cells.as_slice())
    }

    /// The cell of `row` under `column`, or empty.
    pub fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| row.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// One station on the county desk's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationOverview {
    pub id: String,
    pub code: String,
    pub name: String,
    /// The township or street it serves, as its latest bundle named it (may be empty).
    pub town: String,
    pub last_seq: i64,
    /// The last bundle's day, local.
    pub last_bundle: Option<chrono::NaiveDate>,
    /// Its figures, as the report table holds them (`(header, value)`, in the report's order).
    pub figures: Vec<(String, String)>,
    /// A bundle of it the county refused and has not received since: its seq and why.
    pub refused: Option<(u64, String)>,
}

impl StationOverview {
    /// A figure by its header, or empty.
    pub fn figure(&self, header: &str) -> &str {
        self.figures
            .iter()
            .find(|(h, _)| h == header)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Days since its last bundle, on `today`.
    pub fn days_since(&self, today: chrono::NaiveDate) -> Option<i64> {
        self.last_bundle.map(|d| (today - d).num_days())
    }

    /// Whether it sent nothing in `today`'s month, or the county refused its last bundle.
    pub fn late(&self, today: chrono::NaiveDate) -> bool {
        use chrono::Datelike;
        self.refused.is_some()
            || self
                .last_bundle
                .is_none_or(|d| (d.year(), d.month()) != (today.year(), today.month()))
    }
}

/// A record found by the county's search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub station_id: String,
    pub code: String,
    pub kind: RecordKind,
    pub id: String,
    /// The record's fields as the county report writes them: `(label, text)`.
    pub fields: Vec<(String, String)>,
}

impl Found {
    /// The first field that holds `query`, to show why it was found (else the first field).
    pub fn matching(&self, query: &str) -> (String, String) {
        self.fields
            .iter()
            .find(|(_, v)| !query.is_empty() && v.contains(query))
            .or_else(|| self.fields.iter().find(|(_, v)| !v.is_empty()))
            .cloned()
            .unwrap_or_default()
    }
}

/// What importing a bundle of the folder will do, as far as the county can tell before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The station's next bundle.
    Next,
    /// The first bundle of a station the county does not know yet.
    NewStation,
    /// Imported before.
    Already,
    /// Bundles are missing before it (`from..=to`).
    Gap { from: u64, to: u64 },
    /// It will be refused: the reason, in the user's language.
    Refused(String),
    /// It will be refused, its code being another listed station's (the reason, in the
    /// user's language), unless the clerk confirms it is that station re-installed.
    CodeTaken(String),
    /// The first bundle of a station re-installed under its code, as the clerk confirmed: its
    /// key will be pinned in place of the earlier one's.
    Reinstall,
}

/// One bundle of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub file: PathBuf,
    pub code: String,
    pub name: String,
    pub seq: u64,
    pub plan: Plan,
}

/// The bundles of a folder (`.sdb1` files), in chain order: each station's by seq.
pub fn bundles_in(dir: &Path, identities: &[Identity]) -> Result<Vec<PathBuf>, BundleError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| BundleError::Io(dir.display().to_string(), e))?;
    let mut files: Vec<PathBuf> = entries
        // An entry the stick will not list (removed while read) is no bundle to offer.
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case(BUNDLE_EXTENSION))
        })
        .collect();
    files.sort();
    Ok(chain_order(&files, identities))
}

/// `files` in the order they import: each station's bundles by seq, stations in the order
/// first met; files that do not open as bundles last (they are refused with their reason).
pub fn chain_order(files: &[PathBuf], identities: &[Identity]) -> Vec<PathBuf> {
    let keys: Vec<Option<(Uuid, u64)>> = files
        .iter()
        .map(|file| {
            super::super::peek_file(file, identities)
                .ok()
                .map(|m| (m.station_id, m.seq))
        })
        .collect();
    let mut first_seen: Vec<Uuid> = Vec::new();
    for (station, _) in keys.iter().flatten() {
        if !first_seen.contains(station) {
            first_seen.push(*station);
        }
    }
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| match keys[i] {
        Some((station, seq)) => (
            0,
            first_seen.iter().position(|s| *s == station).unwrap_or(0),
            seq,
            i,
        ),
        None => (1, 0, 0, i),
    });
    order.into_iter().map(|i| files[i].clone()).collect()
}

impl CountyDb {
    /// A report table's rows, of one station or of all; `None` when the table was never made
    /// (no import since this version wrote them: `county views` makes them).
    pub fn report_table(
        &self,
        table: &str,
        station: Option<&str>,
    ) -> Result<Option<ReportTable>, BundleError> {
        self.store.borrow_mut().report_table(table, station)
    }

    /// Every listed station with its figures, by code.
    pub fn overview(&self) -> Result<Vec<StationOverview>, BundleError> {
        let table = self.report_table(STATION_TABLE, None)?.unwrap_or_default();
        let refusals = self.refusals()?;
        Ok(self
            .stations()?
            .into_iter()
            .map(|s| {
                let figures = table
                    .row_of(&s.id)
                    .map(|cells| {
                        table
                            .columns
                            .iter()
                            .cloned()
                            .zip(cells.iter().cloned())
                            .skip(4)
                            .collect()
                    })
                    .unwrap_or_default();
                let last_bundle = chrono::DateTime::parse_from_rfc3339(&s.last_bundle_at)
                    .ok()
                    .map(|t| t.with_timezone(&chrono::Local).date_naive());
                StationOverview {
                    refused: refusals.get(&s.id).cloned(),
                    id: s.id,
                    code: s.code,
                    name: s.name,
                    town: s.town,
                    last_seq: s.last_seq,
                    last_bundle,
                    figures,
                }
            })
            .collect())
    }

    /// One member's record for `period` as of `now`, built from the county's records of the
    /// station (and of the installations it followed) by the domain's one builder: the record
    /// the station's own desk shows, as far as the bundles carried it.
    pub fn member_record(
        &self,
        station: &str,
        member: Uuid,
        period: crate::domain::performance::Period,
        now: chrono::NaiveDateTime,
    ) -> Result<Option<crate::domain::performance::MemberRecord>, BundleError> {
        struct Feed<'a> {
            county: &'a CountyDb,
            station: &'a str,
            people: crate::domain::performance::RecordsBuilder,
        }
        impl KindVisitor for Feed<'_> {
            type Error = BundleError;
            fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
                let (county, station) = (self.county, self.station);
                let people = &mut self.people;
                county.each_counted_record(T::KIND.as_str(), station, &mut |value| {
                    if !value["deleted_at"].is_null() {
                        return Ok(());
                    }
                    if let Ok(record) = serde_json::from_value::<T>(value) {
                        super::assessment::count_for_people(people, station, &record);
                    }
                    Ok(())
                })
            }
        }
        let mut feed = Feed {
            county: self,
            station,
            people: crate::domain::performance::RecordsBuilder::new(
                period,
                now,
                &crate::domain::lists::entries(crate::domain::lists::ACTIVITY_KINDS),
            ),
        };
        each_kind(&mut feed)?;
        Ok(feed
            .people
            .finish()
            .into_iter()
            .map(|(_, record)| record)
            .find(|r| r.member_id == member))
    }

    /// A station's cases not yet concluded, newest first.
    pub fn open_cases(&self, station: &str) -> Result<Vec<Found>, BundleError> {
        let codes: HashMap<String, String> = self
            .installations()?
            .into_iter()
            .map(|s| (s.id, s.code))
            .collect();
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        let mut open = Vec::new();
        for installation in self.installations_of(station)? {
            lookup.enter_station(&installation);
            self.each_raw("case", &installation, &mut |stored| {
                let value: Value = serde_json::from_str(&stored.data)
                    .map_err(|e| BundleError::Damaged(e.to_string()))?;
                if value["deleted_at"].is_null() && value["concluded_on"].is_null() {
                    open.push(Found {
                        station_id: station.to_string(),
                        code: codes.get(&installation).cloned().unwrap_or_default(),
                        kind: RecordKind::Case,
                        id: stored.id.clone(),
                        fields: fields_of(RecordKind::Case, &stored.data, &lookup),
                    });
                }
                Ok(())
            })?;
        }
        open.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(open)
    }

    /// A station's bundles, first first.
    pub fn bundle_history(&self, station: &str) -> Result<Vec<BundleRow>, BundleError> {
        let mut all = Vec::new();
        for id in self.installations_of(station)? {
            all.extend(self.store.borrow_mut().bundles_of(&id)?.1);
        }
        all.sort_by(|a, b| a.created_at.cmp(&b.created_at));
        Ok(all)
    }

    /// Up to `limit` live records, newest first, whose text holds `query`, of one station or
    /// of all.
    pub fn search(
        &self,
        query: &str,
        station: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Found>, BundleError> {
        self.search_in(query, station, None, limit)
    }

    /// As [`CountyDb::search`], keeping to the records whose date (the day a visit came, a
    /// case was received, a meeting held…) is within `period`, both days included.
    pub fn search_in(
        &self,
        query: &str,
        station: Option<&str>,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
        limit: usize,
    ) -> Result<Vec<Found>, BundleError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let stations: Option<Vec<String>> = match station {
            Some(s) => Some(self.installations_of(s)?),
            None => None,
        };
        let searched = self
            .store
            .borrow_mut()
            .search(query, stations.as_deref(), period, limit)?;
        let codes: HashMap<String, String> = self
            .installations()?
            .into_iter()
            .map(|s| (s.id, s.code))
            .collect();
        let counted = self.counted_as()?;
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        let mut found = Vec::new();
        for (station_id, kind, id, data) in searched {
            let Some(kind) = RecordKind::parse(&kind) else {
                continue;
            };
            lookup.enter_station(&station_id);
            let fields = fields_of(kind, &data, &lookup);
            found.push(Found {
                code: codes.get(&station_id).cloned().unwrap_or_default(),
                station_id: counted.get(&station_id).cloned().unwrap_or(station_id),
                kind,
                id,
                fields,
            });
            if found.len() == limit {
                break;
            }
        }
        Ok(found)
    }

    /// One record as the desk shows it, by its station (or an installation it followed),
    /// kind and id; `None` when the county does not hold it.
    pub fn found(
        &self,
        station: &str,
        kind: RecordKind,
        id: &str,
    ) -> Result<Option<Found>, BundleError> {
        let codes: HashMap<String, String> = self
            .installations()?
            .into_iter()
            .map(|s| (s.id, s.code))
            .collect();
        let counted = self.counted_as()?;
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        for installation in self.installations_of(station)? {
            let data = self
                .store
                .borrow_mut()
                .record(&installation, kind.as_str(), id)?;
            if let Some(data) = data {
                lookup.enter_station(&installation);
                return Ok(Some(Found {
                    code: codes.get(&installation).cloned().unwrap_or_default(),
                    station_id: counted
                        .get(&installation)
                        .cloned()
                        .unwrap_or(installation.clone()),
                    kind,
                    id: id.to_string(),
                    fields: fields_of(kind, &data, &lookup),
                }));
            }
        }
        Ok(None)
    }

    /// What importing each bundle of `files` (in chain order) will do.
    pub fn plan(
        &self,
        files: &[PathBuf],
        identities: &[Identity],
    ) -> Result<Vec<Planned>, BundleError> {
        let installations = self.installations()?;
        // Where each chain stands, advanced as the folder's bundles would be taken.
        let mut last: HashMap<String, u64> = installations
            .iter()
            .map(|s| (s.id.clone(), s.last_seq as u64))
            .collect();
        let listed: HashMap<String, String> = installations
            .iter()
            .filter(|s| s.successor.is_none())
            .map(|s| (s.code.clone(), s.id.clone()))
            .collect();
        Ok(files
            .iter()
            .map(|file| {
                let manifest = match super::super::peek_file(file, identities) {
                    Ok(m) => m,
                    Err(e) => {
                        return Planned {
                            file: file.clone(),
                            code: String::new(),
                            name: String::new(),
                            seq: 0,
                            plan: Plan::Refused(crate::messages::bundle_error(&e)),
                        }
                    }
                };
                let id = manifest.station_id.to_string();
                let seq = manifest.seq;
                let plan = match last.get(&id).copied() {
                    Some(at) if seq <= at => Plan::Already,
                    Some(at) if seq > at + 1 => Plan::Gap {
                        from: at + 1,
                        to: seq - 1,
                    },
                    Some(_) => Plan::Next,
                    None if seq != 1 => Plan::Gap {
                        from: 1,
                        to: seq - 1,
                    },
                    None => match listed.get(&manifest.station_code) {
                        Some(other)
                            if *other != id
                                && self.reinstalled.contains_key(&manifest.station_code) =>
                        {
                            Plan::Reinstall
                        }
                        Some(other) if *other != id => {
                            let listed_name = installations
                                .iter()
                                .find(|s| s.id == *other)
                                .map(|s| s.name.clone())
                                .unwrap_or_default();
                            Plan::CodeTaken(crate::messages::bundle_error(
                                &BundleError::CodeTaken {
                                    code: manifest.station_code.clone(),
                                    listed: listed_name,
                                    new: manifest.station_name.clone(),
                                },
                            ))
                        }
                        _ => Plan::NewStation,
                    },
                };
                if matches!(plan, Plan::Next | Plan::NewStation | Plan::Reinstall) {
                    last.insert(id, seq);
                }
                Planned {
                    file: file.clone(),
                    code: manifest.station_code,
                    name: manifest.station_name,
                    seq,
                    plan,
                }
            })
            .collect())
    }

    /// Imports one bundle file as `county import` does: a bundle that trips the program is
    /// refused with what it said, never stopping the bundles after it.
    pub fn import_one(
        &mut self,
        file: &Path,
        identities: &[Identity],
    ) -> Result<ImportOutcome, BundleError> {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.import_file(file, identities)
        }))
        .unwrap_or_else(|panic| {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(BundleError::Internal(why))
        });
        // A refused bundle of a station that can be named changes none of its records or its
        // chain; the refusal is noted in the county's log, so that the desk marks the station.
        if let Err(e) = &outcome {
            if let Ok(m) = super::super::peek_file(file, identities) {
                let row = LogRow {
                    at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    event: REFUSED_EVENT.to_string(),
                    station_code: m.station_code.clone(),
                    detail: serde_json::json!({
                        "station_id": m.station_id.to_string(),
                        "seq": m.seq,
                        "reason": crate::messages::bundle_error(e),
                    })
                    .to_string(),
                };
                let id = m.station_id.to_string();
                let _ = self
                    .store
                    .get_mut()
                    .import_tx(&id, &m.public_key, 0, &mut |tx| {
                        tx.log(&row)?;
                        Ok(ImportOutcome::AlreadyImported {
                            station: m.station_code.clone(),
                            seq: m.seq,
                        })
                    });
            }
        }
        outcome
    }

    /// The refusals the county's log holds of bundles a station has not sent again since:
    /// by station id, the last one's seq and reason.
    pub fn refusals(&self) -> Result<HashMap<String, (u64, String)>, BundleError> {
        let last: HashMap<String, u64> = self
            .installations()?
            .into_iter()
            .map(|s| (s.id, s.last_seq.max(0) as u64))
            .collect();
        let mut open = HashMap::new();
        for row in self.log()?.into_iter().filter(|r| r.event == REFUSED_EVENT) {
            let Ok(detail) = serde_json::from_str::<Value>(&row.detail) else {
                continue;
            };
            let (Some(station), Some(seq)) =
                (detail["station_id"].as_str(), detail["seq"].as_u64())
            else {
                continue;
            };
            let reason = detail["reason"].as_str().unwrap_or("").to_string();
            if seq > last.get(station).copied().unwrap_or(0) {
                open.insert(station.to_string(), (seq, reason));
            } else {
                open.remove(station);
            }
        }
        Ok(open)
    }
}

/// A record's fields as the county report writes them (`(label, text)`), or its JSON's
/// fields when this version cannot read it.
fn fields_of(kind: RecordKind, data: &str, lookup: &CountyLookup<'_>) -> Vec<(String, String)> {
    struct Fields<'a> {
        kind: RecordKind,
        data: &'a str,
        lookup: &'a CountyLookup<'a>,
        out: Vec<(String, String)>,
    }
    impl KindVisitor for Fields<'_> {
        type Error = BundleError;
        fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
            if T::KIND != self.kind {
                return Ok(());
            }
            if let Ok(record) = serde_json::from_str::<T>(self.data) {
                let mut sheet = tables::Sheet::of::<T>(self.lookup, &[]);
                sheet.push(Vec::new(), &record, self.lookup, false);
                if let Some(row) = sheet.rows.pop() {
                    self.out = sheet.headers.into_iter().zip(row).collect();
                }
            }
            Ok(())
        }
    }
    let mut visitor = Fields {
        kind,
        data,
        lookup,
        out: Vec::new(),
    };
    // The visitor itself never fails: a record it cannot read falls to its JSON below.
    let _ = each_kind(&mut visitor);
    if visitor.out.is_empty() {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(data) {
            visitor.out = map
                .into_iter()
                .map(|(k, v)| {
                    let text = match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, text)
                })
                .collect();
        }
    }
    visitor.out
}

//! Report tables for the office's own tools (Excel or WPS through ODBC, Metabase,
//! FineReport): `report_station`, a row per station with the county report's counts, and
//! `report_<kind>` (`report_member`, `report_intake`, `report_case`, …), a row per live
//! record with the same readable columns as the county report's sheet of that kind — the
//! station's code, names instead of ids, Chinese words for codes, local times. They are
//! written by the program from each kind's field descriptions (the same code that writes the
//! workbook), so a tool reading them never needs to know the JSON in `county_record`; each
//! `county import` rebuilds the rows of the stations it changed, and `county views` all.
//!
//! Every column is text, named by its Chinese header, after a `station_id` column.

use std::collections::HashMap;

use uuid::Uuid;

use super::summary::{self, Rules, Tally};
use super::CountyDb;
use crate::bundle::names::CountyLookup;
use crate::bundle::tables;
use crate::bundle::BundleError;
use crate::store::{each_kind, KindVisitor, RecordTable};

/// Column names fit for any SQL: unique, without quotes.
pub(super) fn column_names<S: AsRef<str>>(headers: &[S]) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    headers
        .iter()
        .map(|h| {
            let base: String = h
                .as_ref()
                .chars()
                .filter(|c| *c != '"' && !c.is_control())
                .collect();
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            if *n == 1 {
                base
            } else {
                format!("{base}{n}")
            }
        })
        .collect()
}

struct KindRows<'a> {
    county: &'a CountyDb,
    station: &'a str,
    code: &'a str,
    lookup: &'a CountyLookup<'a>,
    /// The station's members' records for the year, built on the way.
    people: &'a mut crate::domain::performance::RecordsBuilder,
    /// When each counted record was entered, built on the same pass (when the rows are
    /// written: a recount for another year takes the flags the import counted).
    entries: Option<&'a mut super::entries::EntriesBuilder>,
    /// Whether the kinds' rows are written (an import's refresh) or only counted (the
    /// county report of another year).
    write: bool,
    /// The station's counts, by month and by category, on the same pass again.
    counts: &'a mut StationCounts,
    rules: &'a Rules,
}

/// What one pass over a station's records counts for its rows of `report_station`,
/// `report_hot` and `report_month`.
#[derive(Default)]
struct StationCounts {
    tally: Tally,
    /// The visits by month and category, for what the county is asking about.
    hot: std::collections::BTreeMap<(String, String), u64>,
    /// Its live records by the month each records.
    months: std::collections::BTreeMap<String, [u64; MONTH_KINDS.len()]>,
}

impl StationCounts {
    /// Counts one record of `kind` as read (deleted ones too: the tally counts them).
    fn add(&mut self, kind: &str, value: &serde_json::Value, rules: &Rules) {
        if !Rules::KINDS.contains(&kind) {
            return;
        }
        self.tally.add(kind, value, rules);
        if !value["deleted_at"].is_null() {
            return;
        }
        if let Some(column) = MONTH_KINDS.iter().position(|k| *k == kind) {
            if let Some(day) = super::entries::recorded_day(value) {
                self.months
                    .entry(day.format("%Y-%m").to_string())
                    .or_default()[column] += 1;
            }
        }
        if kind == "intake" {
            let month = value["visited_at"].as_str().and_then(|t| t.get(..7));
            let category = value["category"].as_str().unwrap_or("").trim();
            if let Some(month) = month {
                let category = if category.is_empty() {
                    "未分类"
                } else {
                    category
                };
                *self
                    .hot
                    .entry((month.to_string(), category.to_string()))
                    .or_insert(0) += 1;
            }
        }
    }
}

impl KindVisitor for KindRows<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let sheet = tables::Sheet::of::<T>(self.lookup, &["工作站代码"]);
        let width = sheet.headers.len();
        let code = self.code.to_string();
        let columns = column_names(&sheet.headers);
        let table = format!("report_{}", T::KIND.as_str());
        let (county, station) = (self.county, self.station);
        let people = &mut *self.people;
        let mut entries = self.entries.as_deref_mut();
        let (counts, rules, write) = (&mut *self.counts, self.rules, self.write);
        // The rows go in a few thousand at a time (the first batch replaces the station's
        // old rows), so memory stays bounded whatever the station's size.
        let replaced = std::cell::Cell::new(false);
        // The county report finds a kind's latest days by an index of its day column: made
        // with the table (kept up as the rows come, in about the order of their days) rather
        // than by sorting a whole table later.
        let day = day_column::<T>(&columns);
        let flush = |rows: Vec<Vec<String>>| {
            let mut store = county.store.borrow_mut();
            let written = if replaced.get() {
                store.append_rows(&table, &columns, station, &rows)
            } else {
                store
                    .replace_rows(&table, &columns, station, &rows)
                    .and_then(|()| match &day {
                        Some(day) => store.index_column(&table, day),
                        None => Ok(()),
                    })
            };
            replaced.set(true);
            written
        };
        // Each record, on the second thread: counted, and made into its row.
        let mut each = |installation: &str,
                        data: &str,
                        value: serde_json::Value,
                        lookup: &CountyLookup<'_>,
                        rows: &mut Vec<Vec<String>>| {
            counts.add(T::KIND.as_str(), &value, rules);
            if !value["deleted_at"].is_null() {
                return Ok(());
            }
            if let Some(entries) = entries.as_deref_mut() {
                entries.add(installation, T::KIND, &value);
            }
            // Read as its kind from its text (twice the speed of reading the `Value` again).
            // A record this version cannot read (written by a newer one) is named in its
            // table, not lost: the data stays whole in `county_record`.
            match serde_json::from_str::<T>(data) {
                Ok(record) => {
                    super::assessment::count_for_people(people, station, &record);
                    if write {
                        rows.push(tables::row_of(
                            vec![code.clone()],
                            &record,
                            lookup,
                            false,
                            T::KIND,
                        ));
                    }
                }
                Err(e) if write => {
                    let id = value["id"].as_str().unwrap_or("").to_string();
                    rows.push(unreadable(&code, id, &e, width))
                }
                Err(_) => {}
            }
            Ok(())
        };
        // The station's records, and those of the earlier installations it followed (each
        // read with its own installation's names).
        let installations = county.installations_of(station)?;
        let mut write_rows = |rows: Vec<Vec<String>>| if write { flush(rows) } else { Ok(()) };
        let last = super::view_rows::read_and_make(
            county,
            T::KIND.as_str(),
            &installations,
            &mut each,
            &mut write_rows,
        )?;
        if write && (!last.is_empty() || !replaced.get()) {
            flush(last)?;
        }
        Ok(())
    }
}

/// The column of a kind's report table (named as `columns`) that holds the day its records
/// record, by the field that holds it; `None` for a kind that records no day (members).
pub(super) fn day_column<T: RecordTable>(columns: &[String]) -> Option<String> {
    T::fields()
        .iter()
        .position(|f| super::entries::RECORDED_FIELDS.contains(&f.name))
        .and_then(|i| columns.get(1 + i).cloned())
}

/// The row of a record this version cannot read: the station's code, its id, and why, in a
/// row as wide as its table's.
fn unreadable(code: &str, id: String, error: &serde_json::Error, width: usize) -> Vec<String> {
    let mut row = vec![
        code.to_string(),
        id,
        crate::text::cells::cell(&format!("无法读取此记录：{error}")),
    ];
    row.resize(width.max(row.len()), String::new());
    row
}

/// The kinds of [`super::desk::MONTH_COLUMNS`], in its order.
const MONTH_KINDS: [&str; 5] = ["intake", "case", "shift", "meeting", "report"];

/// The report table that says for which year and at what moment each station's rows were
/// counted (`年度`, `统计时间`): the county report takes its figures from the tables only when
/// every station's are of the year it reports.
pub const REFRESH_TABLE: &str = "report_refresh";

/// One station's figures as the report tables hold them: its `report_station` row and its
/// members' `report_assessment` rows (the last two cells of each: the records flagged, the
/// member's id).
pub(super) struct StationFigures {
    pub station: Vec<String>,
    pub assessment: Vec<Vec<String>>,
}

/// The columns of `report_station`.
pub(super) fn station_columns() -> Vec<String> {
    let headers: Vec<&str> = summary::HEADERS
        .iter()
        .chain(summary::QUOTA_HEADERS.iter())
        .copied()
        .collect();
    column_names(&headers)
}

/// The headers of `report_assessment`.
pub(super) fn assessment_headers() -> Vec<String> {
    let (mut headers, _) = super::assessment::assessment_cells(&[], &|_| String::new());
    headers.push(super::entries::FLAGGED_COLUMN.to_string());
    headers.push(super::desk::MEMBER_ID_COLUMN.to_string());
    headers
}

/// Counts one listed station on one pass over its records (and its earlier installations'):
/// its figures, and, when `write`, its rows of every kind's report table, its hot categories
/// and months, and its flagged records. Without `write` (a recount of another year) the
/// flags are those the last import counted (`flags`, by member id).
#[allow(clippy::too_many_arguments)]
fn count_station(
    county: &CountyDb,
    row: &super::StationRow,
    lookup: &CountyLookup<'_>,
    rules: &Rules,
    period: crate::domain::performance::Period,
    now: chrono::NaiveDateTime,
    write: bool,
    flags: &HashMap<String, String>,
) -> Result<StationFigures, BundleError> {
    let station = &row.id;
    let mut people = crate::domain::performance::RecordsBuilder::new(
        period,
        now,
        &crate::domain::lists::entries(crate::domain::lists::ACTIVITY_KINDS),
    );
    let mut entries = if write {
        Some(super::entries::EntriesBuilder::new(county, station)?.counting(county.late_days()))
    } else {
        None
    };
    let mut counts = StationCounts::default();
    each_kind(&mut KindRows {
        county,
        station,
        code: &row.code,
        lookup,
        people: &mut people,
        entries: entries.as_mut(),
        write,
        counts: &mut counts,
        rules,
    })?;
    if write {
        let hot_columns: Vec<String> = super::hot::HOT_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .collect();
        county.store.borrow_mut().replace_rows(
            super::hot::HOT_TABLE,
            &hot_columns,
            station,
            &super::hot::hot_rows(&counts.hot),
        )?;
        let month_rows: Vec<Vec<String>> = counts
            .months
            .iter()
            .map(|(month, counts)| {
                std::iter::once(month.clone())
                    .chain(counts.iter().map(u64::to_string))
                    .collect()
            })
            .collect();
        county.store.borrow_mut().replace_rows(
            super::desk::MONTH_TABLE,
            &column_names(&super::desk::MONTH_COLUMNS),
            station,
            &month_rows,
        )?;
    }
    let mut cells = vec![
        row.code.clone(),
        row.name.clone(),
        row.last_seq.to_string(),
        crate::domain::dates::local_moment(&row.last_bundle_at)
            .unwrap_or_else(|| row.last_bundle_at.clone()),
    ];
    cells.extend(counts.tally.columns().iter().map(u64::to_string));
    cells.extend(counts.tally.quota_columns(county.quotas_of(station)?));
    let flagged = entries.map(|e| e.flagged());
    let people = people.finish();
    let (_, mut rows) = super::assessment::assessment_cells(&people, &|_| row.code.clone());
    // The records behind each grade entered late or changed after they were sent, then
    // the member's id last, for a tool (and the county desk) to find their record.
    let history_sent = county.history_sent(station)?;
    for (cells, (_, record)) in rows.iter_mut().zip(&people) {
        let id = record.member_id.to_string();
        cells.push(match &flagged {
            _ if !history_sent => super::entries::HISTORY_NOT_SENT.to_string(),
            Some(flagged) => flagged.get(&id).copied().unwrap_or(0).to_string(),
            None => flags.get(&id).cloned().unwrap_or_default(),
        });
        cells.push(id);
    }
    Ok(StationFigures {
        station: cells,
        assessment: rows,
    })
}

/// Rebuilds the report tables of `stations`.
pub fn refresh(
    county: &CountyDb,
    stations: &[String],
    now: chrono::NaiveDateTime,
) -> Result<(), BundleError> {
    use chrono::Datelike;
    let today = now.date();
    let known = county.stations()?;
    let rules = Rules::new(Some(today.year()), now);
    let find = |station: &str, kind: &str, id: Uuid| county.record(station, kind, id);
    let lookup = CountyLookup {
        find: &find,
        station: Default::default(),
        seen: Default::default(),
    };
    let columns = station_columns();
    let assessment_columns = column_names(&assessment_headers());
    let refreshed = column_names(&["年度", "统计时间"]);
    // What an import before this left free goes back to the system before the rebuild
    // takes its own (see `crate::memory`).
    crate::memory::give_back();
    for station in stations {
        let Some(row) = known.iter().find(|s| &s.id == station) else {
            continue;
        };
        // A station's tables are written in one transaction: a tool never reads them half
        // written, and a large station's pages are written once (see `CountyStore::begin_rows`).
        let records = records_sent(&county.store.borrow_mut().bundles_of(station)?.1);
        county.store.borrow_mut().begin_rows(records)?;
        let written = (|| {
            let figures = count_station(
                county,
                row,
                &lookup,
                &rules,
                crate::domain::performance::Period::Year(today.year()),
                now,
                true,
                &HashMap::new(),
            )?;
            let mut store = county.store.borrow_mut();
            store.replace_rows("report_station", &columns, station, &[figures.station])?;
            store.replace_rows(
                "report_assessment",
                &assessment_columns,
                station,
                &figures.assessment,
            )?;
            store.replace_rows(
                REFRESH_TABLE,
                &refreshed,
                station,
                &[vec![
                    today.year().to_string(),
                    now.format("%Y-%m-%d %H:%M").to_string(),
                ]],
            )
        })();
        let ended = county.store.borrow_mut().end_rows(written.is_ok());
        written?;
        ended?;
    }
    Ok(())
}

/// How many records a station's bundles carried (each bundle's counts), about its size (a
/// count that does not read, of no bundle this program wrote, counts nothing: it only chooses
/// how the tables are written).
fn records_sent(bundles: &[super::BundleRow]) -> u64 {
    bundles
        .iter()
        .filter_map(|b| serde_json::from_str::<Vec<(String, u64)>>(&b.counts).ok())
        .flatten()
        .map(|(_, n)| n)
        .sum()
}

/// Every listed station's figures for `year` (or the whole term) as of `now`, counted again
/// from the records, with the flags the last import counted.
pub(super) fn recount(
    county: &CountyDb,
    year: Option<i32>,
    now: chrono::NaiveDateTime,
) -> Result<Vec<(String, StationFigures)>, BundleError> {
    let rules = Rules::new(year, now);
    let find = |station: &str, kind: &str, id: Uuid| county.record(station, kind, id);
    let lookup = CountyLookup {
        find: &find,
        station: Default::default(),
        seen: Default::default(),
    };
    let table = county
        .report_table(super::desk::ASSESSMENT_TABLE, None)?
        .unwrap_or_default();
    let flags: HashMap<String, String> = table
        .rows
        .iter()
        .map(|(_, row)| {
            (
                table.cell(row, super::desk::MEMBER_ID_COLUMN).to_string(),
                table.cell(row, super::entries::FLAGGED_COLUMN).to_string(),
            )
        })
        .collect();
    let period = year.map_or(
        crate::domain::performance::Period::Term,
        crate::domain::performance::Period::Year,
    );
    let mut all = Vec::new();
    for row in county.stations()? {
        let figures = count_station(county, &row, &lookup, &rules, period, now, false, &flags)?;
        all.push((row.id.clone(), figures));
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_are_unique_and_plain() {
        assert_eq!(
            column_names(&["编号", "姓\"名", "编号", "编号"]),
            vec!["编号", "姓名", "编号2", "编号3"]
        );
    }
}

//! The county report: a workbook with a sheet of stations, the members' assessments, and a
//! sheet per kind across all stations.

use std::path::PathBuf;

use super::*;
use crate::domain::fields::Lookup;

/// The county report's first sheet: every station on one printed page.
const SUMMARY_SHEET: &str = "汇总";
/// The county report's sheet of a row per station with every count.
const STATION_SHEET: &str = "工作站";
/// The town's column, on the summary and the station sheets.
const TOWN_HEADER: &str = "乡镇（街道）";
/// The sheet of the year's request categories by month.
const HOT_SHEET: &str = "热点诉求";
/// The sheet that says which kinds the workbook lists in part, and where all their rows are.
const NOTE_SHEET: &str = "说明";

/// The most rows of one kind the county report's workbook lists: those of the latest days,
/// station by station, as a plaintext station bundle's workbook lists its latest (past it, a sheet is a gigabyte of XML that
/// an office PC can hardly open, and most of the report's time); every row of a kind it cuts
/// is in a CSV file beside the workbook, and in the kind's report table.
pub const COUNTY_REPORT_ROWS: u64 = crate::bundle::REPORT_ROWS;

/// The deflate level of the county report's workbook, chosen by measuring size against time
/// at 1M records (docs/performance.md).
const REPORT_LEVEL: u8 = 1;

/// How the county report's figures (stations, 4+X, members' assessments) are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// As the imports counted them: this year, each station as of its last import, which the
    /// county desk shows too (the stations whose tables were counted for another year are
    /// counted again first). Read from the report tables: seconds at a county's size.
    AsImported,
    /// Counted again from every record, for a year (or the whole term, `None`) as of the
    /// report's moment: a pass over the whole county.
    Again(Option<i32>),
}

/// What `county report` wrote: the workbook, and a CSV file for each kind it lists in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportWritten {
    pub tables: Vec<PathBuf>,
}

impl CountyDb {
    /// The county report: a page of every station, a sheet of stations (records per kind,
    /// open and overdue visits, the last bundle, the 4+X), each kind's records (the latest
    /// [`COUNTY_REPORT_ROWS`]), and the members' assessments. The same bundles give the same
    /// workbook, byte for byte, from either store.
    pub fn report(
        &self,
        counted: Counted,
        now: chrono::NaiveDateTime,
    ) -> Result<Vec<u8>, BundleError> {
        quietly_sheet(|| {
            self.report_book(counted, now, None)?
                .0
                .save_to_buffer()
                .map_err(|e| BundleError::Sheet(e.to_string()))
        })
    }

    /// [`CountyDb::report`] written straight into the file at `path` (not held in memory),
    /// with every row of each kind it lists in part in `<name>-<kind>.csv` beside it.
    pub fn write_report(
        &self,
        counted: Counted,
        now: chrono::NaiveDateTime,
        path: &Path,
    ) -> Result<ReportWritten, BundleError> {
        quietly_sheet(|| {
            let (mut book, tables) = self.report_book(counted, now, Some(path))?;
            book.save(path)
                .map_err(|e| BundleError::Sheet(e.to_string()))?;
            Ok(ReportWritten { tables })
        })
    }

    /// The report tables brought up to what the report reads: made where the county file
    /// has none yet, and counted again for this year where a station's were counted for
    /// another (`as_imported`).
    fn tables_for_report(
        &self,
        now: chrono::NaiveDateTime,
        as_imported: bool,
    ) -> Result<(), BundleError> {
        use chrono::Datelike;
        let stations: Vec<String> = self.stations()?.into_iter().map(|s| s.id).collect();
        if stations.is_empty() {
            return Ok(());
        }
        let refreshed = self.report_table(views::REFRESH_TABLE, None)?;
        let year = now.date().year().to_string();
        let stale: Vec<String> = match refreshed {
            // A county file of an earlier version: no tables, or none that say their year.
            None => stations,
            Some(table) => stations
                .into_iter()
                .filter(|s| {
                    table
                        .row_of(s)
                        .is_none_or(|row| as_imported && table.cell(row, "年度") != year)
                })
                .collect(),
        };
        if stale.is_empty() {
            Ok(())
        } else {
            self.refresh_views(Some(&stale), now)
        }
    }

    /// The figures of every listed station, from the report tables.
    fn figures_as_imported(&self) -> Result<Vec<(String, views::StationFigures)>, BundleError> {
        let stations = self
            .report_table(desk::STATION_TABLE, None)?
            .unwrap_or_default();
        let assessment = self
            .report_table(desk::ASSESSMENT_TABLE, None)?
            .unwrap_or_default();
        Ok(self
            .stations()?
            .into_iter()
            .map(|s| {
                // Every listed station has its row once `tables_for_report` has run.
                let station = stations
                    .row_of(&s.id)
                    .map(<[String]>::to_vec)
                    .unwrap_or_default();
                let assessment = assessment
                    .rows
                    .iter()
                    .filter(|(id, _)| *id == s.id)
                    .map(|(_, cells)| cells.clone())
                    .collect();
                (
                    s.id,
                    views::StationFigures {
                        station,
                        assessment,
                    },
                )
            })
            .collect())
    }

    fn report_book(
        &self,
        counted: Counted,
        now: chrono::NaiveDateTime,
        beside: Option<&Path>,
    ) -> Result<(rust_xlsxwriter::Workbook, Vec<PathBuf>), BundleError> {
        use chrono::Datelike;
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
        let today = now.date();
        let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
        self.tables_for_report(now, counted == Counted::AsImported)?;
        let (figures, year) = match counted {
            Counted::AsImported => (self.figures_as_imported()?, Some(today.year())),
            Counted::Again(year) => (views::recount(self, year, now)?, year),
        };
        let mut book = Workbook::new();
        book.set_zip_compression_level(REPORT_LEVEL);
        // Dated by the report's day, not the moment it was written: the same data, the same file.
        let dated =
            ExcelDateTime::from_ymd(today.year() as u16, today.month() as u8, today.day() as u8)
                .map_err(sheet_error)?;
        book.set_properties(&DocProperties::new().set_creation_datetime(&dated));
        let bold = Format::new().set_bold();
        let listed = self.stations()?;
        let codes: HashMap<String, String> = listed
            .iter()
            .map(|s| (s.id.clone(), s.code.clone()))
            .collect();
        let towns: HashMap<&str, &str> = listed
            .iter()
            .map(|s| (s.id.as_str(), s.town.as_str()))
            .collect();
        // Members behind their yearly minimums ("m/n" met, m < n), by station.
        let met_column = views::assessment_headers()
            .iter()
            .position(|h| h == "达到要求")
            .unwrap_or(usize::MAX);
        let behind = |f: &views::StationFigures| {
            f.assessment
                .iter()
                .filter(|cells| {
                    cells
                        .get(met_column)
                        .and_then(|m| m.split_once('/'))
                        .and_then(|(m, n)| Some((m.parse::<u64>().ok()?, n.parse::<u64>().ok()?)))
                        .is_some_and(|(met, of)| met < of)
                })
                .count() as u64
        };
        // A count the tables hold (text the program wrote); none for a station not counted.
        let number = |cells: &[String], i: usize| -> u64 {
            cells.get(i).and_then(|c| c.parse().ok()).unwrap_or(0)
        };
        let summary: Vec<SummaryRow> = figures
            .iter()
            .map(|(id, f)| {
                let cell = |i: usize| f.station.get(i).cloned().unwrap_or_default();
                SummaryRow {
                    code: codes.get(id).cloned().unwrap_or_else(|| cell(0)),
                    name: cell(1),
                    town: towns.get(id.as_str()).copied().unwrap_or("").to_string(),
                    last: cell(3).get(..10).unwrap_or_default().to_string(),
                    counts: std::array::from_fn(|k| number(&f.station, 4 + k)),
                    quotas: std::array::from_fn(|k| cell(14 + k)),
                    behind: behind(f),
                }
            })
            .collect();
        let title = format!(
            "政协委员工作站工作汇总（{}，{}）",
            year.map(|y| format!("{y}年"))
                .unwrap_or_else(|| "全部年份".into()),
            match counted {
                Counted::AsImported => format!(
                    "各站按最近一次导入统计，{}制表",
                    today.format("%Y年%-m月%-d日")
                ),
                Counted::Again(_) => format!("截至{}", today.format("%Y年%-m月%-d日")),
            }
        );
        summary_sheet(
            book.add_worksheet()
                .set_name(SUMMARY_SHEET)
                .map_err(sheet_error)?,
            &title,
            &summary,
        )?;
        let sheet = book
            .add_worksheet()
            .set_name(STATION_SHEET)
            .map_err(sheet_error)?;
        // The station's town beside its name (from the stations' list, as on the summary
        // sheet: the report tables' columns stay as they are).
        let headers: Vec<&str> = summary::HEADERS[..2]
            .iter()
            .chain([TOWN_HEADER].iter())
            .chain(summary::HEADERS[2..].iter())
            .chain(summary::QUOTA_HEADERS.iter())
            .copied()
            .collect();
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, crate::text::cells::cell(h), &bold)
                .map_err(sheet_error)?;
        }
        // Every header whole on its line; the station's name wider.
        let widths: Vec<f64> = headers
            .iter()
            .enumerate()
            .map(|(c, h)| {
                let least = if c == 1 { 28.0 } else { 10.0 };
                (crate::text::print::column_width([*h]) + 1.0).max(least)
            })
            .collect();
        for (c, width) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, *width)
                .map_err(sheet_error)?;
        }
        crate::text::print::setup(sheet, &widths, Some(0)).map_err(sheet_error)?;
        // The last bundle's seq and the counts are numbers; codes, names, towns, times and
        // quotas text.
        let numbers = 4..summary::HEADERS.len();
        for (i, (id, f)) in figures.iter().enumerate() {
            let r = (i + 1) as u32;
            let town = towns.get(id.as_str()).copied().unwrap_or("");
            sheet
                .write_string(r, 2, crate::text::cells::cell(town))
                .map_err(sheet_error)?;
            for (c, text) in f.station.iter().enumerate() {
                let column = if c < 2 { c } else { c + 1 } as u16;
                match text.parse::<u64>() {
                    Ok(n) if c == 2 || numbers.contains(&c) => {
                        sheet.write_number(r, column, n as f64)
                    }
                    _ => sheet.write_string(r, column, crate::text::cells::cell(text)),
                }
                .map_err(sheet_error)?;
            }
        }
        // What residents asked about most in the year, by month, against the same months of
        // the year before (the county desk's 热点诉求).
        let hot_year = year.unwrap_or(today.year());
        let through = if hot_year == today.year() {
            today.month()
        } else {
            12
        };
        let (headers, rows) = hot::by_month(&self.hot_issues(hot_year, through)?);
        hot::figures_sheet(book.add_worksheet(), HOT_SHEET, &headers, &rows)?;
        // The kinds' sheets, from their report tables; a note first of those listed in part.
        let mut kinds = KindCounts {
            county: self,
            counts: Vec::new(),
        };
        each_kind(&mut kinds)?;
        let cut: Vec<(RecordKind, u64)> = kinds
            .counts
            .iter()
            .filter_map(|(kind, n)| Some((*kind, (*n)?)))
            .filter(|(_, n)| *n > self.report_rows)
            .collect();
        let find = |station: &str, kind: &str, id: Uuid| self.record(station, kind, id);
        let lookup = CountyLookup {
            find: &find,
            station: Default::default(),
            seen: Default::default(),
        };
        let table_of = |kind: RecordKind| match beside {
            Some(path) => report_csv_path(path, &lookup.word(kind.key())),
            None => PathBuf::from(format!("report_{}", kind.as_str())),
        };
        if !cut.is_empty() {
            let rows: Vec<(String, u64, String)> = cut
                .iter()
                .map(|(kind, n)| {
                    let path = table_of(*kind);
                    let shown = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |f| f.to_string_lossy().into_owned(),
                    );
                    (lookup.word(kind.key()), *n, shown)
                })
                .collect();
            note_sheet(book.add_worksheet(), &rows, self.report_rows)?;
        }
        // The kinds' rows are read (and their CSV written) here while a second thread
        // writes them into the workbook's sheets.
        let (book_back, written) = std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<SheetMsg>(8);
            let worker = scope.spawn(move || {
                quietly_sheet(|| {
                    let mut book = book;
                    let mut open: Option<tables::StreamSheet> = None;
                    for msg in receiver {
                        match msg {
                            SheetMsg::Begin(sheet) => open = Some(sheet),
                            SheetMsg::Rows(rows) => {
                                if let Some(sheet) = open.as_mut() {
                                    for row in rows {
                                        sheet.push_row(&mut book, row)?;
                                    }
                                }
                            }
                            SheetMsg::End => {
                                if let Some(sheet) = open.take() {
                                    sheet.finish(&mut book)?;
                                }
                            }
                        }
                    }
                    Ok(book)
                })
            });
            let mut sheets = KindSheets {
                county: self,
                sheets: sender,
                lookup: &lookup,
                beside: beside.map(|path| (path, &table_of as &dyn Fn(RecordKind) -> PathBuf)),
                counts: &kinds.counts,
                written: Vec::new(),
            };
            let read = each_kind(&mut sheets);
            let KindSheets {
                written, sheets, ..
            } = sheets;
            drop(sheets);
            let book = worker
                .join()
                .unwrap_or_else(|_| Err(BundleError::Sheet("the report's sheets stopped".into())));
            // The sheets' own error (a full disk) says more than the reading's "stopped".
            match (book, read) {
                (Err(e), _) => Err(e),
                (Ok(_), Err(e)) => Err(e),
                (Ok(book), Ok(())) => Ok((book, written)),
            }
        })?;
        let mut book = book_back;
        let assessment: Vec<(String, Vec<String>)> = figures
            .iter()
            .flat_map(|(id, f)| {
                f.assessment
                    .iter()
                    .map(move |cells| (id.clone(), cells.clone()))
            })
            .collect();
        assessment::assessment_sheet(&mut book, &assessment, &codes, year)?;
        Ok((book, written))
    }
}

/// `<stem>-<kind>.csv` beside the workbook at `path`.
fn report_csv_path(path: &Path, kind: &str) -> PathBuf {
    let stem = path
        .file_stem()
        .map_or_else(|| "report".into(), |s| s.to_string_lossy().into_owned());
    path.with_file_name(format!("{stem}-{kind}.csv"))
}

/// How many rows each kind's report table holds (`None`: no import wrote one yet), counted
/// once for the note and the kinds' sheets.
struct KindCounts<'a> {
    county: &'a CountyDb,
    counts: Vec<(RecordKind, Option<u64>)>,
}

impl KindVisitor for KindCounts<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let table = format!("report_{}", T::KIND.as_str());
        let n = self.county.store.borrow_mut().report_count(&table)?;
        self.counts.push((T::KIND, n));
        Ok(())
    }
}

/// The sheet that names each kind the workbook lists in part: its rows, what the sheet
/// lists, and where every row is.
fn note_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    kinds: &[(String, u64, String)],
    limit: u64,
) -> Result<(), BundleError> {
    use rust_xlsxwriter::Format;
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let cell = crate::text::cells::cell;
    sheet.set_name(NOTE_SHEET).map_err(sheet_error)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string(
            0,
            0,
            format!(
                "以下类别的记录超过{limit}条：本工作簿只列出日期最近的{limit}条（按工作站排列），全部记录在同一文件夹的 CSV 文件中（用 Excel 或 WPS 打开）。"
            ),
        )
        .map_err(sheet_error)?;
    let headers = ["类别", "记录数", "本工作簿列出", "全部记录"];
    let mut widths = Vec::with_capacity(headers.len());
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(2, c as u16, *h, &bold)
            .map_err(sheet_error)?;
        let texts = kinds.iter().map(|k| match c {
            0 => k.0.as_str(),
            3 => k.2.as_str(),
            _ => "",
        });
        let width = crate::text::print::column_width(texts.chain([*h])).max(12.0);
        sheet
            .set_column_width(c as u16, width)
            .map_err(sheet_error)?;
        widths.push(width);
    }
    crate::text::print::setup(sheet, &widths, Some(2)).map_err(sheet_error)?;
    for (i, (name, n, path)) in kinds.iter().enumerate() {
        let r = (i + 3) as u32;
        sheet.write_string(r, 0, cell(name)).map_err(sheet_error)?;
        sheet.write_number(r, 1, *n as f64).map_err(sheet_error)?;
        sheet
            .write_number(r, 2, limit as f64)
            .map_err(sheet_error)?;
        sheet.write_string(r, 3, cell(path)).map_err(sheet_error)?;
    }
    Ok(())
}

/// One station's line on the summary page.
struct SummaryRow {
    code: String,
    name: String,
    /// The town its latest bundle named (乡镇、街道), or empty.
    town: String,
    last: String,
    counts: [u64; 10],
    quotas: [String; 3],
    behind: u64,
}

/// The first sheet: every station on one printed page, with the county's totals — what the
/// office lays on the table first.
fn summary_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    title: &str,
    rows: &[SummaryRow],
) -> Result<(), BundleError> {
    use rust_xlsxwriter::{Format, FormatAlign};
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let cell = crate::text::cells::cell;
    let bold = Format::new().set_bold();
    let headers = [
        "代码",
        "工作站",
        TOWN_HEADER,
        "最近报送",
        "来访",
        "未办结",
        "逾期",
        "调解",
        "调解成功",
        "到岗率（%）",
        "协商（次/应开）",
        "社情民意（篇/应报）",
        "未达最低要求委员",
    ];
    // Counts taken from the station row: visits, open, overdue, cases, agreements; written
    // from the column after the last bundle's.
    const FROM_COUNTS: [usize; 5] = [1, 2, 3, 4, 5];
    const FIRST_COUNT: usize = 4;
    const FIRST_QUOTA: usize = FIRST_COUNT + FROM_COUNTS.len();
    const BEHIND: u16 = (FIRST_QUOTA + 3) as u16;
    let last = (headers.len() - 1) as u16;
    sheet
        .merge_range(
            0,
            0,
            0,
            last,
            title,
            &Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
        )
        .map_err(sheet_error)?;
    let mut widths = Vec::with_capacity(headers.len());
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(1, c as u16, *h, &bold)
            .map_err(sheet_error)?;
        let names = rows.iter().map(|r| r.name.as_str());
        let towns = rows.iter().map(|r| r.town.as_str());
        let width = match c {
            1 => crate::text::print::column_width(names.chain([*h])),
            2 => crate::text::print::column_width(towns.chain([*h])),
            _ => crate::text::print::column_width([*h]),
        };
        sheet
            .set_column_width(c as u16, width)
            .map_err(sheet_error)?;
        widths.push(width);
    }
    crate::text::print::setup(sheet, &widths, Some(1)).map_err(sheet_error)?;
    // The whole county on one page, however many stations.
    sheet.set_print_fit_to_pages(1, 1);
    let mut totals = [0u64; 5];
    for (i, r) in rows.iter().enumerate() {
        let at = (i + 2) as u32;
        for (c, text) in [&r.code, &r.name, &r.town, &r.last].iter().enumerate() {
            sheet
                .write_string(at, c as u16, cell(text))
                .map_err(sheet_error)?;
        }
        for (k, from) in FROM_COUNTS.iter().enumerate() {
            totals[k] += r.counts[*from];
            sheet
                .write_number(at, (FIRST_COUNT + k) as u16, r.counts[*from] as f64)
                .map_err(sheet_error)?;
        }
        for (k, text) in r.quotas.iter().enumerate() {
            sheet
                .write_string(at, (FIRST_QUOTA + k) as u16, cell(text))
                .map_err(sheet_error)?;
        }
        sheet
            .write_number(at, BEHIND, r.behind as f64)
            .map_err(sheet_error)?;
    }
    let at = (rows.len() + 2) as u32;
    sheet
        .write_string_with_format(at, 1, "合计", &bold)
        .map_err(sheet_error)?;
    for (k, n) in totals.iter().enumerate() {
        sheet
            .write_number_with_format(at, (FIRST_COUNT + k) as u16, *n as f64, &bold)
            .map_err(sheet_error)?;
    }
    sheet
        .write_number_with_format(
            at,
            BEHIND,
            rows.iter().map(|r| r.behind).sum::<u64>() as f64,
            &bold,
        )
        .map_err(sheet_error)?;
    Ok(())
}

/// The county report's sheet of each kind, from the kind's report table: the rows of the
/// latest days, up to the county's limit ([`COUNTY_REPORT_ROWS`] unless set); and, beside the workbook, every row of a kind
/// with more, as CSV (UTF-8 with BOM, for Excel and WPS).
struct KindSheets<'a> {
    county: &'a CountyDb,
    /// The thread that writes the sheets.
    sheets: std::sync::mpsc::SyncSender<SheetMsg>,
    lookup: &'a CountyLookup<'a>,
    /// The workbook's path and where a kind's CSV goes, when written to a file.
    beside: Option<(&'a Path, &'a dyn Fn(RecordKind) -> PathBuf)>,
    /// Each kind's rows, as [`KindCounts`] counted them.
    counts: &'a [(RecordKind, Option<u64>)],
    written: Vec<PathBuf>,
}

/// What the sheets' thread is given: a kind's sheet, its rows a batch at a time, its end.
enum SheetMsg {
    Begin(tables::StreamSheet),
    Rows(Vec<Vec<String>>),
    End,
}

/// Rows handed to the sheets' thread at once.
const SHEET_BATCH: usize = 1_024;

/// Rows on their way to the sheets' thread, a batch at a time.
struct SheetRows<'a> {
    sender: &'a std::sync::mpsc::SyncSender<SheetMsg>,
    batch: Vec<Vec<String>>,
}

impl SheetRows<'_> {
    fn push(&mut self, row: &[&str]) -> Result<(), BundleError> {
        self.batch.push(row.iter().map(|c| c.to_string()).collect());
        if self.batch.len() >= SHEET_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), BundleError> {
        let rows = std::mem::replace(&mut self.batch, Vec::with_capacity(SHEET_BATCH));
        send(self.sender, SheetMsg::Rows(rows))
    }
}

/// Hands `msg` to the sheets' thread; one that stopped (its error is returned when joined)
/// stops the reading too.
fn send(sender: &std::sync::mpsc::SyncSender<SheetMsg>, msg: SheetMsg) -> Result<(), BundleError> {
    sender
        .send(msg)
        .map_err(|_| BundleError::Sheet("the report's sheets stopped".into()))
}

impl KindVisitor for KindSheets<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let table = format!("report_{}", T::KIND.as_str());
        send(
            &self.sheets,
            SheetMsg::Begin(tables::StreamSheet::of::<T>(self.lookup, &["工作站代码"])),
        )?;
        let mut sheet = SheetRows {
            sender: &self.sheets,
            batch: Vec::with_capacity(SHEET_BATCH),
        };
        let headers = tables::Sheet::of::<T>(self.lookup, &["工作站代码"]).headers;
        let columns = views::column_names(&headers);
        let day = views::day_column::<T>(&columns);
        let limit = self.county.report_rows;
        let mut store = self.county.store.borrow_mut();
        // A kind no import has written a table of yet has an empty sheet.
        let counted = self.counts.iter().find(|(kind, _)| *kind == T::KIND);
        let Some(rows) = counted.and_then(|(_, n)| *n) else {
            return send(&self.sheets, SheetMsg::End);
        };
        // Past the limit, the rows of the latest days: those on or after the day of the
        // limit's latest row (station by station; at most the limit of them).
        let since = match &day {
            Some(day) if rows > limit => store
                .nth_greatest(&table, day, limit)?
                .map(|from| (day.clone(), from)),
            _ => None,
        };
        let csv_path = match self.beside {
            Some((_, csv_of)) if rows > limit => csv_of(T::KIND),
            _ => {
                store.each_report_row(
                    &table,
                    &ReportRows {
                        since,
                        limit: Some(limit),
                    },
                    &mut |cells| sheet.push(cells),
                )?;
                sheet.flush()?;
                return send(&self.sheets, SheetMsg::End);
            }
        };
        // One pass over the kind's rows: every one into the CSV beside the workbook, those
        // of the latest days into the sheet too.
        let io = |e: std::io::Error| BundleError::Io(csv_path.display().to_string(), e);
        let mut file = crate::files::create_private(&csv_path, false).map_err(io)?;
        std::io::Write::write_all(&mut file, &tables::CSV_BOM).map_err(io)?;
        let mut csv = csv::WriterBuilder::new()
            .buffer_capacity(256 * 1024)
            .from_writer(file);
        let csv_error = |e: csv::Error| BundleError::Sheet(e.to_string());
        csv.write_record(&headers).map_err(csv_error)?;
        let from = since.as_ref().and_then(|(day, from)| {
            let at = columns.iter().position(|c| c == day)?;
            Some((at, from.as_str()))
        });
        let mut listed = 0;
        store.each_report_row(&table, &ReportRows::default(), &mut |cells| {
            for cell in cells {
                csv.write_field(tables::defuse(cell).as_bytes())
                    .map_err(csv_error)?;
            }
            csv.write_record(std::iter::empty::<&[u8]>())
                .map_err(csv_error)?;
            let latest =
                from.is_none_or(|(at, from)| cells.get(at).is_some_and(|day| *day >= from));
            if latest && listed < limit {
                listed += 1;
                sheet.push(cells)?;
            }
            Ok(())
        })?;
        sheet.flush()?;
        send(&self.sheets, SheetMsg::End)?;
        let file = csv
            .into_inner()
            .map_err(|e| BundleError::Io(csv_path.display().to_string(), e.into_error()))?;
        file.sync_all().map_err(io)?;
        self.written.push(csv_path);
        Ok(())
    }
}

/// Workbook work whose library may panic on a full disk (its temporary files): the panic
/// becomes the error, and prints nothing.
fn quietly_sheet<T>(work: impl FnOnce() -> Result<T, BundleError>) -> Result<T, BundleError> {
    crate::panics::quietly(work).unwrap_or_else(|message| {
        Err(if crate::panics::is_disk_full(&message) {
            BundleError::Io(
                std::env::temp_dir().display().to_string(),
                std::io::Error::new(std::io::ErrorKind::StorageFull, message),
            )
        } else {
            BundleError::Sheet(message)
        })
    })
}

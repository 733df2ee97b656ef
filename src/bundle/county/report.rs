//! The county report: a workbook with a sheet of stations, the members' assessments, and a
//! sheet per kind across all stations.

use super::*;

/// The county report's first sheet: every station on one printed page.
const SUMMARY_SHEET: &str = "汇总";
/// The county report's sheet of a row per station with every count.
const STATION_SHEET: &str = "工作站";

impl CountyDb {
    /// The county report: a sheet of stations (records per kind, open and overdue visits, the
    /// last bundle), then one sheet per kind across all stations. The same bundles give the
    /// same workbook, byte for byte, from either store.
    pub fn report(
        &self,
        year: Option<i32>,
        now: chrono::NaiveDateTime,
    ) -> Result<Vec<u8>, BundleError> {
        quietly_sheet(|| {
            self.report_book(year, now)?
                .save_to_buffer()
                .map_err(|e| BundleError::Sheet(e.to_string()))
        })
    }

    /// [`CountyDb::report`] written straight into the file at `path` (at a county's size the
    /// workbook is hundreds of megabytes: it is not held in memory).
    pub fn write_report(
        &self,
        year: Option<i32>,
        now: chrono::NaiveDateTime,
        path: &Path,
    ) -> Result<(), BundleError> {
        quietly_sheet(|| {
            self.report_book(year, now)?
                .save(path)
                .map_err(|e| BundleError::Sheet(e.to_string()))
        })
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
            .set_name(SUMMARY_SHEET)
            .map_err(sheet_error)?;
        book.add_worksheet()
            .set_name(STATION_SHEET)
            .map_err(sheet_error)?;
        // Every installation's records under its code, counted for the station listed now.
        let codes: HashMap<String, String> = self
            .installations()?
            .iter()
            .map(|s| (s.id.clone(), s.code.clone()))
            .collect();
        let counted_as = self.counted_as()?;
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
            counted_as: &counted_as,
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
        // The records behind each grade entered late or changed after they were sent, as the
        // report tables (which every import keeps) count them per member.
        let table = self
            .report_table(desk::ASSESSMENT_TABLE, None)?
            .unwrap_or_default();
        let flagged: HashMap<String, String> = table
            .rows
            .iter()
            .map(|(_, row)| {
                (
                    table.cell(row, desk::MEMBER_ID_COLUMN).to_string(),
                    table.cell(row, entries::FLAGGED_COLUMN).to_string(),
                )
            })
            .collect();
        let flags = |_station: &str, member: &str| flagged.get(member).cloned().unwrap_or_default();
        assessment::assessment_sheet(&mut book, &people, &codes, year, &flags)?;
        // Members behind their yearly minimums, by the station they count for.
        let rules = crate::domain::assessment::Rules::builtin();
        let mut behind: HashMap<String, u64> = HashMap::new();
        for (station, record) in &people {
            let a = rules.assess(record);
            if a.minimums_met() < a.minimums.len() {
                let listed = counted_as.get(station).cloned().unwrap_or(station.clone());
                *behind.entry(listed).or_insert(0) += 1;
            }
        }
        let sheet = book
            .worksheet_from_name(STATION_SHEET)
            .map_err(sheet_error)?;
        for (c, h) in summary::HEADERS
            .iter()
            .chain(summary::QUOTA_HEADERS.iter())
            .enumerate()
        {
            sheet
                .write_string_with_format(0, c as u16, crate::text::cells::cell(h), &bold)
                .map_err(sheet_error)?;
        }
        // Every header whole on its line; the station's name wider.
        let widths: Vec<f64> = summary::HEADERS
            .iter()
            .chain(summary::QUOTA_HEADERS.iter())
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
        for (i, s) in stations.iter().enumerate() {
            let r = (i + 1) as u32;
            sheet
                .write_string(r, 0, crate::text::cells::cell(&s.code))
                .map_err(sheet_error)?;
            sheet
                .write_string(r, 1, crate::text::cells::cell(&s.name))
                .map_err(sheet_error)?;
            sheet
                .write_number(r, 2, s.last_seq as f64)
                .map_err(sheet_error)?;
            sheet
                .write_string(
                    r,
                    3,
                    crate::text::cells::cell(
                        &crate::domain::dates::local_moment(&s.last_bundle_at)
                            .unwrap_or_else(|| s.last_bundle_at.clone()),
                    ),
                )
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
                    .write_string(r, after + c as u16, crate::text::cells::cell(text))
                    .map_err(sheet_error)?;
            }
        }
        let mut summary = Vec::with_capacity(stations.len());
        for s in &stations {
            let tally = tallies.get(&s.id).cloned().unwrap_or_default();
            summary.push(SummaryRow {
                code: s.code.clone(),
                name: s.name.clone(),
                last: crate::domain::dates::local_moment(&s.last_bundle_at)
                    .and_then(|t| t.get(..10).map(str::to_string))
                    .unwrap_or_default(),
                counts: tally.columns(),
                quotas: tally.quota_columns(self.quotas_of(&s.id)?),
                behind: behind.get(&s.id).copied().unwrap_or(0),
            });
        }
        let title = format!(
            "政协委员工作站工作汇总（{}，截至{}）",
            year.map(|y| format!("{y}年"))
                .unwrap_or_else(|| "全部年份".into()),
            today.format("%Y年%-m月%-d日")
        );
        summary_sheet(
            book.worksheet_from_name(SUMMARY_SHEET)
                .map_err(sheet_error)?,
            &title,
            &summary,
        )?;
        Ok(book)
    }
}

/// One station's line on the summary page.
struct SummaryRow {
    code: String,
    name: String,
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
    // Counts taken from the station row: visits, open, overdue, cases, agreements.
    const FROM_COUNTS: [usize; 5] = [1, 2, 3, 4, 5];
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
        let width = match c {
            1 => crate::text::print::column_width(names.chain([*h])),
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
        for (c, text) in [&r.code, &r.name, &r.last].iter().enumerate() {
            sheet
                .write_string(at, c as u16, cell(text))
                .map_err(sheet_error)?;
        }
        for (k, from) in FROM_COUNTS.iter().enumerate() {
            totals[k] += r.counts[*from];
            sheet
                .write_number(at, (3 + k) as u16, r.counts[*from] as f64)
                .map_err(sheet_error)?;
        }
        for (k, text) in r.quotas.iter().enumerate() {
            sheet
                .write_string(at, (8 + k) as u16, cell(text))
                .map_err(sheet_error)?;
        }
        sheet
            .write_number(at, 11, r.behind as f64)
            .map_err(sheet_error)?;
    }
    let at = (rows.len() + 2) as u32;
    sheet
        .write_string_with_format(at, 1, "合计", &bold)
        .map_err(sheet_error)?;
    for (k, n) in totals.iter().enumerate() {
        sheet
            .write_number_with_format(at, (3 + k) as u16, *n as f64, &bold)
            .map_err(sheet_error)?;
    }
    sheet
        .write_number_with_format(
            at,
            11,
            rows.iter().map(|r| r.behind).sum::<u64>() as f64,
            &bold,
        )
        .map_err(sheet_error)?;
    Ok(())
}

/// The county report's sheet of each kind: every station's live records, read as their kind
/// describes them, behind the station's code, written row by row.
struct CountySheets<'a> {
    county: &'a CountyDb,
    codes: &'a HashMap<String, String>,
    /// The listed station each installation counts for.
    counted_as: &'a HashMap<String, String>,
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
        let counted_as = self.counted_as;
        let book = &mut *self.book;
        let rules = self.rules;
        let tallies = &mut self.tallies;
        let people = &mut self.people;
        let kind = T::KIND.as_str();
        let mut sheet = tables::StreamSheet::of::<T>(lookup, &["工作站代码"]);
        self.county.each_record(kind, &mut |station_id, value| {
            tallies
                .entry(
                    counted_as
                        .get(station_id)
                        .cloned()
                        .unwrap_or_else(|| station_id.to_string()),
                )
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

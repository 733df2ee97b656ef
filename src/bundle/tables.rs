//! The people-readable parts of a bundle: `tables/<kind>.csv` (UTF-8 with BOM, for Excel and
//! WPS) and `report.xlsx` (one sheet per kind), made from each kind's field descriptions
//! ([`Described`]): Chinese headers, names instead of ids, words instead of codes, local
//! times, nested parts as lines of text. Every cell is text a person reads.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Workbook};
use unicode_width::UnicodeWidthStr;

use super::BundleError;
use crate::domain::fields::{Described, Lookup, Mask};
use crate::domain::RecordKind;

#[cfg(test)]
use crate::text::cells::CELL_LIMIT;

/// One sheet of a kind: headers and rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub kind: RecordKind,
    /// The sheet's name (the kind in Chinese).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// An empty sheet of `T` with its headers, behind `first` extra columns (the county
    /// report puts the station's code first).
    pub fn of<T: Described>(lookup: &dyn Lookup, first: &[&'static str]) -> Sheet {
        Sheet {
            kind: T::KIND,
            name: lookup.word(T::KIND.key()),
            headers: first
                .iter()
                .map(|h| h.to_string())
                .chain(T::fields().iter().map(|f| lookup.word(f.label)))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a record's row: the `first` cells, then every field as text. In a plaintext
    /// bundle (`mask`) numbers that could identify a person are masked in every cell but ids
    /// and times.
    pub fn push<T: Described>(
        &mut self,
        first: Vec<String>,
        record: &T,
        lookup: &dyn Lookup,
        mask: bool,
    ) {
        let row = row_of(first, record, lookup, mask, self.kind);
        self.rows.push(row);
    }
}

/// A record's row: the `first` cells, then every field as text, masked as its field says in a
/// plaintext bundle, each cut to what a cell holds.
pub fn row_of<T: Described>(
    first: Vec<String>,
    record: &T,
    lookup: &dyn Lookup,
    mask: bool,
    kind: RecordKind,
) -> Vec<String> {
    let mut row = first;
    for field in T::fields() {
        let text = field.text(record, lookup);
        let text = match (mask, field.mask) {
            (false, _) | (true, Mask::Whole) => text,
            (true, Mask::Numbers) => crate::text::mask_free_text(&text),
            (true, Mask::Personal) => crate::text::mask_personal(&text),
        };
        row.push(fit_cell(text, kind));
    }
    row
}

/// The most rows a sheet holds below its header row.
const SHEET_ROWS: u32 = 1_048_575;
/// Rows read before the column widths are set.
const SAMPLE: usize = 500;

/// A sheet written row by row into a constant-memory worksheet, for the county report at a
/// county's size: nothing but the first few hundred rows is ever held (they set the column
/// widths), every cell is fitted and defused, and after 1,048,575 rows the sheet goes on in
/// `名称 (2)`, `名称 (3)`….
pub struct StreamSheet {
    kind: RecordKind,
    name: String,
    headers: Vec<String>,
    sample: Vec<Vec<String>>,
    widths: Vec<f64>,
    /// The sheet being written, by its index in the workbook, and its next row.
    open: Option<(usize, u32)>,
    part: usize,
    rows_per_sheet: u32,
}

impl StreamSheet {
    /// A sheet of `T` behind `first` extra columns.
    pub fn of<T: Described>(lookup: &dyn Lookup, first: &[&'static str]) -> StreamSheet {
        let sheet = Sheet::of::<T>(lookup, first);
        StreamSheet {
            kind: sheet.kind,
            name: sheet.name,
            headers: sheet.headers,
            sample: Vec::new(),
            widths: Vec::new(),
            open: None,
            part: 0,
            rows_per_sheet: SHEET_ROWS,
        }
    }

    /// Fewer rows a sheet than a spreadsheet holds (to try the continuation sheets).
    #[cfg(test)]
    pub fn rows_per_sheet(mut self, rows: u32) -> StreamSheet {
        self.rows_per_sheet = rows.clamp(1, SHEET_ROWS);
        self
    }

    /// Adds a row of cells.
    pub fn push_row(&mut self, book: &mut Workbook, row: Vec<String>) -> Result<(), BundleError> {
        if self.open.is_none() {
            if self.sample.len() < SAMPLE {
                self.sample.push(row);
                return Ok(());
            }
            self.start(book)?;
        }
        self.write(book, row)
    }

    /// Writes what is still held; the sheet is there even when it has no rows.
    pub fn finish(mut self, book: &mut Workbook) -> Result<(), BundleError> {
        if self.open.is_none() {
            self.start(book)?;
        }
        Ok(())
    }

    fn start(&mut self, book: &mut Workbook) -> Result<(), BundleError> {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.sample {
            for (c, cell) in row.iter().enumerate() {
                if let Some(width) = widths.get_mut(c) {
                    *width = (*width).max(cell.width().min(60));
                }
            }
        }
        self.widths = widths.iter().map(|w| (*w as f64 + 2.0).min(62.0)).collect();
        self.next_part(book)?;
        for row in std::mem::take(&mut self.sample) {
            self.write(book, row)?;
        }
        Ok(())
    }

    fn next_part(&mut self, book: &mut Workbook) -> Result<(), BundleError> {
        let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
        self.part += 1;
        let name = if self.part == 1 {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.part)
        };
        let bold = Format::new().set_bold();
        let sheet = book
            .add_worksheet_with_constant_memory()
            .map_err(sheet_error)?;
        sheet.set_name(&name).map_err(sheet_error)?;
        for (c, width) in self.widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, *width)
                .map_err(sheet_error)?;
        }
        for (c, header) in self.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, header.as_str(), &bold)
                .map_err(sheet_error)?;
        }
        crate::text::print::setup(sheet, &self.widths, Some(0)).map_err(sheet_error)?;
        // The sheet just added is the workbook's last.
        self.open = Some((book.worksheets().len().saturating_sub(1), 1));
        Ok(())
    }

    /// Writes a row, handing each cell's text to the sheet as it is (no copy) unless defusing
    /// or fitting changed it.
    fn write(&mut self, book: &mut Workbook, row: Vec<String>) -> Result<(), BundleError> {
        let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
        if self
            .open
            .as_ref()
            .is_some_and(|(_, r)| *r > self.rows_per_sheet)
        {
            self.next_part(book)?;
        }
        let Some((index, r)) = self.open.as_mut() else {
            return Ok(());
        };
        let sheet = book.worksheet_from_index(*index).map_err(sheet_error)?;
        for (c, cell) in row.into_iter().enumerate() {
            let cell = match defuse(&cell) {
                Cow::Borrowed(_) => cell,
                Cow::Owned(defused) => defused,
            };
            // Rows from elsewhere (the county's) may not be fitted yet.
            let cell = fit_cell(cell, self.kind);
            sheet
                .write_string(*r, c as u16, cell)
                .map_err(sheet_error)?;
        }
        *r += 1;
        Ok(())
    }
}

/// A cell's text cut to what a spreadsheet holds, with a visible mark saying where the whole
/// text is (the data file always keeps it whole).
pub fn fit_cell(text: String, kind: RecordKind) -> String {
    let mark = format!(
        "……（超出表格单元格上限，全文见 data/{}.jsonl）",
        kind.as_str()
    );
    crate::text::cells::fit(text, &mark)
}

pub use crate::text::defuse;

/// The bytes a CSV part starts with: the BOM that tells Excel and WPS it is UTF-8.
pub const CSV_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

#[cfg(test)]
mod tests {
    use super::*;

    /// Words for the sheet's name, nothing else.
    struct Words;
    impl Lookup for Words {
        fn member(&self, id: uuid::Uuid) -> String {
            id.to_string()
        }
        fn record(&self, _: RecordKind, id: uuid::Uuid) -> String {
            id.to_string()
        }
        fn word(&self, _: &str) -> String {
            "委员".to_string()
        }
        fn time(&self, at: chrono::DateTime<chrono::Utc>) -> String {
            at.to_string()
        }
    }

    #[test]
    fn a_streamed_sheet_goes_on_in_continuation_sheets() -> Result<(), BundleError> {
        use calamine::Reader;
        let mut book = Workbook::new();
        let mut sheet =
            StreamSheet::of::<crate::domain::Member>(&Words, &["工作站代码"]).rows_per_sheet(3);
        for n in 0..7 {
            sheet.push_row(&mut book, vec![format!("S{n}"), format!("=cmd{n}")])?;
        }
        sheet.finish(&mut book)?;
        let bytes = book
            .save_to_buffer()
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        let mut read: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e: calamine::XlsxError| BundleError::Sheet(e.to_string()))?;
        assert_eq!(read.sheet_names(), vec!["委员", "委员 (2)", "委员 (3)"]);
        let mut firsts = Vec::new();
        for name in ["委员", "委员 (2)", "委员 (3)"] {
            let range = read
                .worksheet_range(name)
                .map_err(|e: calamine::XlsxError| BundleError::Sheet(e.to_string()))?;
            let rows: Vec<Vec<String>> = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            assert_eq!(rows[0][0], "工作站代码", "{name} repeats the headers");
            firsts.extend(rows[1..].iter().map(|r| (r[0].clone(), r[1].clone())));
        }
        assert_eq!(firsts.len(), 7);
        assert_eq!(firsts[6], ("S6".to_string(), "'=cmd6".to_string()));
        Ok(())
    }

    #[test]
    fn a_cell_too_long_for_a_spreadsheet_is_cut_with_a_mark() {
        let long = "纪".repeat(40_000);
        let cell = fit_cell(long, RecordKind::Meeting);
        assert_eq!(cell.chars().count(), CELL_LIMIT);
        assert!(
            cell.ends_with("全文见 data/meeting.jsonl）"),
            "{}",
            &cell[cell.len() - 80..]
        );
        assert_eq!(fit_cell("短".into(), RecordKind::Meeting), "短");
        // Characters outside the BMP are two units each to a spreadsheet.
        let rare = "𠮷".repeat(20_000);
        let cell = fit_cell(rare, RecordKind::Member);
        assert!(cell.encode_utf16().count() <= CELL_LIMIT);
        assert!(cell.encode_utf16().count() >= CELL_LIMIT - 1);
        assert!(cell.starts_with("𠮷𠮷") && cell.ends_with("全文见 data/member.jsonl）"));
    }
}

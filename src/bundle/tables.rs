//! The people-readable parts of a bundle: `tables/<kind>.csv` (UTF-8 with BOM, for Excel and
//! WPS) and `report.xlsx` (one sheet per kind), made from each kind's field descriptions
//! ([`Described`]): Chinese headers, names instead of ids, words instead of codes, local
//! times, nested parts as lines of text. Every cell is text a person reads.

use rust_xlsxwriter::{Format, Workbook};
use unicode_width::UnicodeWidthStr;

use super::BundleError;
use crate::domain::fields::{Described, Lookup, Mask};
use crate::domain::RecordKind;

/// The most characters a spreadsheet cell holds (Excel and WPS; rust_xlsxwriter refuses more).
pub const CELL_LIMIT: usize = 32_767;

/// One sheet of a kind: headers and rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub kind: RecordKind,
    /// The sheet's name (the kind in Chinese).
    pub name: String,
    pub headers: Vec<&'static str>,
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
                .copied()
                .chain(T::fields().iter().map(|f| f.zh))
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
        let mut row = first;
        for field in T::fields() {
            let text = field.text(record, lookup);
            let text = match (mask, field.mask) {
                (false, _) | (true, Mask::Whole) => text,
                (true, Mask::Numbers) => super::mask::mask_free_text(&text),
                (true, Mask::Personal) => super::mask::mask_personal(&text),
            };
            row.push(fit_cell(text, self.kind));
        }
        self.rows.push(row);
    }
}

/// A cell's text cut to what a spreadsheet holds, with a visible mark saying where the whole
/// text is (the data file always keeps it whole).
pub fn fit_cell(text: String, kind: RecordKind) -> String {
    if text.chars().count() <= CELL_LIMIT {
        return text;
    }
    let mark = format!(
        "……（超出表格单元格上限，全文见 data/{}.jsonl）",
        kind.as_str()
    );
    let keep = CELL_LIMIT - mark.chars().count();
    let mut cut: String = text.chars().take(keep).collect();
    cut.push_str(&mark);
    cut
}

/// A spreadsheet would run a cell starting with `= + - @` (or a tab or CR) as a formula:
/// such a cell is written with a leading apostrophe.
pub fn defuse(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// `tables/<kind>.csv`: BOM, header row, one row per record.
pub fn csv(sheet: &Sheet) -> Result<Vec<u8>, BundleError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        writer
            .write_record(&sheet.headers)
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        for row in &sheet.rows {
            writer
                .write_record(row.iter().map(|cell| defuse(cell)))
                .map_err(|e| BundleError::Sheet(e.to_string()))?;
        }
        writer
            .flush()
            .map_err(|e| BundleError::Io("csv".into(), e))?;
    }
    Ok(out)
}

/// Adds `sheet` to `book`: every cell is text (18-digit ID numbers keep all their digits),
/// and column widths are set for Chinese (autofit undersizes them).
pub fn add_sheet(book: &mut Workbook, sheet: &Sheet) -> Result<(), BundleError> {
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let bold = Format::new().set_bold();
    let out = book.add_worksheet();
    out.set_name(&sheet.name).map_err(sheet_error)?;
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| h.width()).collect();
    for (c, header) in sheet.headers.iter().enumerate() {
        out.write_string_with_format(0, c as u16, *header, &bold)
            .map_err(sheet_error)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(c) {
                *width = (*width).max(cell.width().min(60));
            }
            // Whatever made the cell (a field, an error about a record, the defusing quote),
            // it never exceeds what a spreadsheet holds: one record cannot stop the book.
            out.write_string((r + 1) as u32, c as u16, fit_cell(defuse(cell), sheet.kind))
                .map_err(sheet_error)?;
        }
    }
    for (c, width) in widths.iter().enumerate() {
        out.set_column_width(c as u16, (*width as f64 + 2.0).min(62.0))
            .map_err(sheet_error)?;
    }
    Ok(())
}

/// `report.xlsx`: one sheet per kind.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, BundleError> {
    let mut book = Workbook::new();
    for sheet in sheets {
        add_sheet(&mut book, sheet)?;
    }
    book.save_to_buffer()
        .map_err(|e| BundleError::Sheet(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-5"), "'-5");
        assert_eq!(defuse("停车"), "停车");
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
    }

    #[test]
    fn csv_starts_with_a_bom_and_chinese_headers() {
        let sheet = Sheet {
            kind: RecordKind::Member,
            name: "委员".into(),
            headers: vec!["编号", "姓名", "性别"],
            rows: vec![vec!["x".into(), "=张三".into(), "女".into()]],
        };
        let bytes = csv(&sheet).unwrap_or_default();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8_lossy(&bytes[3..]).to_string();
        assert!(text.starts_with("编号,姓名,性别"), "{text}");
        assert!(text.contains("x,'=张三,女"), "{text}");
    }
}

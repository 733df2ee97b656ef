//! Text for a spreadsheet cell: what Excel or WPS would run as a formula is written as text,
//! and nothing is longer than a cell holds. Every cell of every workbook the program writes —
//! the bundle's, the county's, the station's documents — goes through [`cell`] (or, for a
//! record's table, [`fit`] with a mark saying where the whole text is).

use std::borrow::Cow;

/// What a spreadsheet cell holds at most, in UTF-16 units (Excel's and WPS's limit).
pub const CELL_LIMIT: usize = 32_767;

/// The text of a cell: defused (see [`defuse`]) and cut to what a cell holds, marked where cut.
pub fn cell(text: &str) -> String {
    fit(
        defuse(text).into_owned(),
        "……（超出表格单元格上限，已截断）",
    )
}

/// `text` cut to what a cell holds, ending with `mark` where it was cut.
pub fn fit(text: String, mark: &str) -> String {
    // A spreadsheet counts UTF-16 units: a character outside the BMP (a rare character of a
    // name, an emoji) is two. Every unit is at least a byte of UTF-8, so most cells are known
    // to fit without counting.
    if text.len() <= CELL_LIMIT || text.encode_utf16().count() <= CELL_LIMIT {
        return text;
    }
    let keep = CELL_LIMIT.saturating_sub(mark.encode_utf16().count());
    let mut units = 0;
    let mut cut: String = text
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= keep
        })
        .collect();
    cut.push_str(mark);
    cut
}

/// A spreadsheet would run a cell starting with `= + - @` (or a tab or CR) as a formula:
/// such a cell is written with a leading apostrophe.
pub fn defuse(text: &str) -> Cow<'_, str> {
    match text.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_never_holds_more_than_a_spreadsheet_does() {
        let long: String = "名".repeat(40_000);
        let fitted = cell(&long);
        assert!(fitted.encode_utf16().count() <= CELL_LIMIT);
        assert!(fitted.ends_with("已截断）"));
        // Characters outside the BMP count twice, and are never cut in half.
        let wide: String = "𠀀".repeat(20_000);
        let fitted = cell(&wide);
        assert!(fitted.encode_utf16().count() <= CELL_LIMIT);
        assert_eq!(cell("短"), "短");
        assert_eq!(cell("=1"), "'=1");
    }

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-5"), "'-5");
        assert_eq!(defuse("停车"), "停车");
    }
}

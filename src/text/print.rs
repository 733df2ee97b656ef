//! How every worksheet the program writes prints: A4, portrait or landscape by the width of
//! its columns, one page wide (as many pages long as it takes), its header row repeated on every
//! page, centred, and numbered "第 N 页 共 M 页" in the footer. Column widths come from their
//! texts by display width (a Chinese character counts two), within a cap; longer text wraps.
//! The station's documents, its bundles' workbook and the county's report all print this way.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// The footer every printed sheet carries: the page and the number of pages.
pub const FOOTER: &str = "&C第 &P 页 共 &N 页";

/// Columns wider than this in all (Excel's character units) print on landscape paper: about
/// what portrait A4 holds at 100 % within the default margins.
pub const PORTRAIT_WIDTH: f64 = 95.0;

/// The widest a column gets from its texts; longer text wraps within it.
pub const MAX_COLUMN: usize = 40;

/// Sets the print setup of `sheet`, whose columns are `widths` wide, with its header row
/// `header` (0-based) repeated on every page.
pub fn setup(sheet: &mut Worksheet, widths: &[f64], header: Option<u32>) -> Result<(), XlsxError> {
    sheet.set_paper_size(9);
    if widths.iter().sum::<f64>() > PORTRAIT_WIDTH {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_print_fit_to_pages(1, 0);
    if let Some(row) = header {
        sheet.set_repeat_rows(row, row)?;
    }
    sheet.set_print_center_horizontally(true);
    sheet.set_footer(FOOTER);
    Ok(())
}

/// A column's width for `texts` (its header and values): the widest of them by display width,
/// plus a margin, at least 6 and at most [`MAX_COLUMN`].
pub fn column_width<'a>(texts: impl IntoIterator<Item = &'a str>) -> f64 {
    let widest = texts
        .into_iter()
        .map(|t| {
            t.lines()
                .map(unicode_width::UnicodeWidthStr::width)
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    (widest + 2).clamp(6, MAX_COLUMN) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double_and_long_text_is_capped() {
        assert_eq!(column_width(["姓名", "欧阳秀珍"]), 10.0);
        assert_eq!(column_width(["QX01"]), 6.0);
        assert_eq!(column_width(["长".repeat(100).as_str()]), MAX_COLUMN as f64);
        assert_eq!(column_width(std::iter::empty()), 6.0);
    }
}

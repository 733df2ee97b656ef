//! A list as every list screen draws it: the column headers, the rows, and a hint
//! when there is nothing to show.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use crate::tui::theme;

/// A column as wide as its widest text (and its header), between `min` and `max` columns: names
/// and states get their full width, and the summary column takes what is left.
pub fn fit_column<'a>(
    header: &str,
    texts: impl IntoIterator<Item = &'a str>,
    min: u16,
    max: u16,
) -> Constraint {
    let widest = texts
        .into_iter()
        .map(unicode_width::UnicodeWidthStr::width)
        .chain(std::iter::once(unicode_width::UnicodeWidthStr::width(
            crate::tr!(header).as_str(),
        )))
        .max()
        .unwrap_or(0);
    Constraint::Length((widest.min(usize::from(max)) as u16).max(min))
}

/// Draws `rows` under the headers (locale keys) into `area`; with no rows, the `empty` hint
/// (a locale key) stands where the first rows would.
pub fn render_table(
    area: Rect,
    buf: &mut Buffer,
    headers: &[&str],
    rows: Vec<Row<'_>>,
    widths: &[Constraint],
    empty: &str,
) {
    let is_empty = rows.is_empty();
    Table::new(rows, widths.iter().copied())
        .header(Row::new(headers.iter().map(|k| Cell::from(crate::tr!(*k)))).style(theme::header()))
        .column_spacing(1)
        .render(area, buf);
    if is_empty && area.height > 2 {
        Paragraph::new(crate::tr!(empty))
            .style(theme::hint())
            .render(
                Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(2), 1),
                buf,
            );
    }
}

//! The county desk's screens, each a layer on [`CountyDesk`](super::CountyDesk): the stations list (the bottom),
//! a station, the members across the county, search, a record, and importing a folder.

mod hot;
mod import;
mod members;
mod search;
mod station;
mod stations;

pub use hot::{Hot, Requests, Topics};
pub use import::Import;
pub use members::{MemberRecord, Members};
pub use search::{Record, Search};
pub use station::StationDetail;
pub use stations::Stations;

use ratatui::layout::Constraint;

use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::theme;

/// A selection in a list of `len` rows, and the first row shown.
#[derive(Debug, Clone, Copy, Default)]
struct Cursor {
    selected: usize,
    top: usize,
}

impl Cursor {
    /// Moves by a list key; `page` rows show at once.
    fn step(&mut self, action: &Action, len: usize, page: usize) -> bool {
        let Some(by) = action.list_step(page.max(1) as i64) else {
            return false;
        };
        if len == 0 {
            return true;
        }
        let at = (self.selected as i64 + by).clamp(0, len as i64 - 1);
        self.selected = at as usize;
        true
    }

    /// The rows shown in `page` rows, keeping the selection in sight.
    fn window(&self, len: usize, page: usize) -> std::ops::Range<usize> {
        let page = page.max(1);
        let top = if self.selected < self.top {
            self.selected
        } else if self.selected >= self.top + page {
            self.selected + 1 - page
        } else {
            self.top
        };
        top.min(len)..(top + page).min(len)
    }

    /// The selection kept within `len` rows, and the rows shown in `page` rows.
    fn shown(&self, len: usize, page: usize) -> (usize, std::ops::Range<usize>) {
        let mut at = *self;
        at.selected = at.selected.min(len.saturating_sub(1));
        (at.selected, at.window(len, page))
    }
}

/// A cell of imported text, fit to show.
fn text(s: &str) -> String {
    sanitize(s).into_owned()
}

fn selected_style(on: bool) -> ratatui::style::Style {
    if on {
        theme::selected()
    } else {
        ratatui::style::Style::default()
    }
}

/// The tabs of a screen, `n label` each, the current one lit.
fn draw_tabs(
    tabs: &[(u8, String)],
    current: u8,
    area: ratatui::layout::Rect,
    buf: &mut ratatui::buffer::Buffer,
) {
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Widget;
    let spans: Vec<Span> = tabs
        .iter()
        .flat_map(|(n, label)| {
            let style = if *n == current {
                theme::focus_label()
            } else {
                theme::label()
            };
            [
                Span::styled(format!(" {n} {label} "), style),
                Span::raw("  "),
            ]
        })
        .collect();
    Line::from(spans).render(area, buf);
}

/// Columns as wide as their header and the widest cell shown (at most 16), after `skip`.
fn fitted<'a>(
    headers: &[String],
    rows: impl Iterator<Item = &'a Vec<String>>,
    skip: usize,
) -> Vec<Constraint> {
    use unicode_width::UnicodeWidthStr;
    let mut widths: Vec<usize> = headers.iter().skip(skip).map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().skip(skip).enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(sanitize(cell).width());
            }
        }
    }
    widths
        .into_iter()
        .map(|w| Constraint::Length(w.min(16) as u16))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::county_desk::ReportTable;
    use stations::members_behind;

    #[test]
    fn a_cursor_keeps_the_selection_in_sight() {
        let mut c = Cursor::default();
        c.step(&Action::PageDown, 100, 10);
        c.step(&Action::PageDown, 100, 10);
        assert_eq!(c.selected, 20);
        assert_eq!(c.window(100, 10), 11..21);
        c.step(&Action::Last, 100, 10);
        assert_eq!(c.selected, 99);
        assert_eq!(c.window(100, 10), 90..100);
        c.step(&Action::First, 100, 10);
        assert_eq!(c.window(100, 10).start, 0);
        let mut empty = Cursor::default();
        assert!(empty.step(&Action::Down, 0, 10));
        assert_eq!(empty.selected, 0);
    }

    #[test]
    fn members_behind_their_minimums_are_counted_by_station() {
        let table = ReportTable {
            columns: vec!["工作站代码".into(), "姓名".into(), "达到要求".into()],
            rows: vec![
                ("a".into(), vec!["QX01".into(), "甲".into(), "3/3".into()]),
                ("a".into(), vec!["QX01".into(), "乙".into(), "1/3".into()]),
                ("b".into(), vec!["QX02".into(), "丙".into(), "0/3".into()]),
            ],
        };
        let behind = members_behind(&table);
        assert_eq!(behind.get("a"), Some(&1));
        assert_eq!(behind.get("b"), Some(&1));
    }
}

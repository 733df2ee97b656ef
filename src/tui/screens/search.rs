//! The one search box (`/` or Ctrl-F from anywhere): results as you type, grouped by kind.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use crate::domain::RecordKind;
use crate::store::{SearchHit, Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::popup::block;
use crate::tui::widgets::query_list::QueryList;

/// Results fetched for one query.
const LIMIT: usize = 40;

#[derive(Default)]
pub struct SearchState {
    /// Hits in display order: grouped by kind, newest first within a kind.
    pub list: QueryList<SearchHit>,
}

/// The order of the groups.
fn group_rank(kind: RecordKind) -> usize {
    RecordKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(usize::MAX)
}

/// The hits for a query, grouped by kind (stable: newest first inside each kind).
pub fn grouped_hits(store: &Store, query: &str) -> StoreResult<Vec<SearchHit>> {
    let mut hits = store.search(query, None, LIMIT)?;
    hits.sort_by_key(|h| group_rank(h.kind));
    Ok(hits)
}

impl SearchState {
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        crate::tui::widgets::popup::clear(area, buf);
        block(&crate::tr!("search.title")).render(area, buf);
        let inner = Rect::new(
            area.x + 2,
            area.y + 1,
            area.width.saturating_sub(4),
            area.height.saturating_sub(2),
        );
        if inner.height < 3 {
            return None;
        }
        let caret = self
            .list
            .render_query(&crate::tr!("search.prompt"), inner, 40, buf);
        let mut lines: Vec<Line> = Vec::new();
        let mut selected_line = 0;
        let mut group: Option<RecordKind> = None;
        for (index, hit) in self.list.items.iter().enumerate() {
            if group != Some(hit.kind) {
                group = Some(hit.kind);
                lines.push(Line::styled(
                    crate::i18n::kind_name(hit.kind.as_str()),
                    theme::header(),
                ));
            }
            if index == self.list.selected {
                selected_line = lines.len();
            }
            let style = if index == self.list.selected {
                theme::selected()
            } else {
                theme::popup()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<10} ", hit.date), style),
                Span::styled(format!("{}  ", sanitize(&hit.title)), style),
                Span::styled(
                    sanitize(&hit.snippet).into_owned(),
                    if index == self.list.selected {
                        style
                    } else {
                        theme::hint()
                    },
                ),
            ]));
        }
        if lines.is_empty() && !self.list.input.is_empty() {
            lines.push(Line::styled(crate::tr!("cli.no_hits"), theme::hint()));
        }
        let list_area = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
        let scroll = selected_line.saturating_sub(list_area.height as usize - 1) as u16;
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .style(theme::popup())
            .render(list_area, buf);
        caret
    }
}

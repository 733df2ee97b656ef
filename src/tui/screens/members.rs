//! The member registry (委员信息库): a list in pinyin order that filters as you type and pages
//! with keyset queries, so only the visible rows are ever fetched.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use crate::domain::Member;
use crate::store::{MemberFilter, Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::single_line::SingleLine;

/// Rows of the list above the table: the filter line and the column headers.
const CHROME_ROWS: u16 = 2;

/// The member list's state: the filter and the window of rows on screen.
#[derive(Default)]
pub struct MembersState {
    pub filter: SingleLine,
    /// Showing the recycle bin (soft-deleted members) instead of the registry.
    pub deleted_view: bool,
    /// The rows on screen.
    pub rows: Vec<Member>,
    pub selected: usize,
    /// The row just before the first one on screen (`None`: the list starts at the top).
    anchor: Option<(String, uuid::Uuid)>,
    /// How many rows fit.
    pub page: usize,
    /// How many members the filter shows in all.
    pub total: i64,
}

impl MembersState {
    /// Rows that fit in a body area of `height`.
    pub fn rows_for(height: u16) -> usize {
        height.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    pub fn filter(&self) -> MemberFilter {
        MemberFilter {
            text: self.filter.value(),
            include_inactive: true,
            deleted: self.deleted_view,
        }
    }

    pub fn selected_member(&self) -> Option<&Member> {
        self.rows.get(self.selected)
    }

    /// Fetches the window from the anchor again (after a change or a resize).
    pub fn reload(&mut self, store: &Store) -> StoreResult<()> {
        let filter = self.filter();
        self.rows = store.members_after(&filter, self.anchor.as_ref(), self.page.max(1))?;
        if self.rows.is_empty() && self.anchor.is_some() {
            self.anchor = None;
            self.rows = store.members_after(&filter, None, self.page.max(1))?;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        Ok(())
    }

    /// After the filter changed: back to the top, and count again.
    pub fn refilter(&mut self, store: &Store) -> StoreResult<()> {
        self.anchor = None;
        self.selected = 0;
        self.total = store.count_members(&self.filter())?;
        self.reload(store)
    }

    pub fn input(&mut self, store: &Store, key: KeyEvent) -> StoreResult<()> {
        if self.filter.input(key) {
            self.refilter(store)?;
        }
        Ok(())
    }

    pub fn paste(&mut self, store: &Store, text: &str) -> StoreResult<()> {
        if self.filter.paste(text) {
            self.refilter(store)?;
        }
        Ok(())
    }

    pub fn set_page(&mut self, store: &Store, page: usize) -> StoreResult<()> {
        if page != self.page {
            self.page = page.max(1);
            self.reload(store)?;
        }
        Ok(())
    }

    pub fn down(&mut self, store: &Store) -> StoreResult<()> {
        if self.selected + 1 < self.rows.len() {
            self.selected += 1;
            return Ok(());
        }
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        let next = store.members_after(&self.filter(), Some(&Store::member_cursor(last)), 1)?;
        if let Some(next) = next.into_iter().next() {
            if let Some(first) = self.rows.first() {
                self.anchor = Some(Store::member_cursor(first));
            }
            self.rows.remove(0);
            self.rows.push(next);
            self.selected = self.rows.len() - 1;
        }
        Ok(())
    }

    pub fn up(&mut self, store: &Store) -> StoreResult<()> {
        if self.selected > 0 {
            self.selected -= 1;
            return Ok(());
        }
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let filter = self.filter();
        let previous = store.members_before(&filter, &Store::member_cursor(first), 2)?;
        if let Some(prev) = previous.last().cloned() {
            self.anchor = previous
                .len()
                .checked_sub(2)
                .map(|i| Store::member_cursor(&previous[i]));
            self.rows.insert(0, prev);
            self.rows.truncate(self.page.max(1));
            self.selected = 0;
        }
        Ok(())
    }

    pub fn page_down(&mut self, store: &Store) -> StoreResult<()> {
        let Some(last) = self.rows.last() else {
            return Ok(());
        };
        let cursor = Store::member_cursor(last);
        let next = store.members_after(&self.filter(), Some(&cursor), self.page.max(1))?;
        if next.is_empty() {
            self.selected = self.rows.len().saturating_sub(1);
        } else {
            self.anchor = Some(cursor);
            self.rows = next;
            self.selected = self.selected.min(self.rows.len() - 1);
        }
        Ok(())
    }

    pub fn page_up(&mut self, store: &Store) -> StoreResult<()> {
        let Some(first) = self.rows.first() else {
            return Ok(());
        };
        let filter = self.filter();
        let before =
            store.members_before(&filter, &Store::member_cursor(first), self.page.max(1) + 1)?;
        if before.is_empty() {
            self.selected = 0;
            return Ok(());
        }
        if before.len() > self.page.max(1) {
            self.anchor = Some(Store::member_cursor(&before[0]));
        } else {
            self.anchor = None;
        }
        self.reload(store)
    }

    pub fn first(&mut self, store: &Store) -> StoreResult<()> {
        self.anchor = None;
        self.selected = 0;
        self.reload(store)
    }

    pub fn last(&mut self, store: &Store) -> StoreResult<()> {
        // The last page is the page after the row `page` rows before the end.
        let filter = self.filter();
        let tail = store.members_last(&filter, self.page.max(1) + 1)?;
        self.anchor = if tail.len() > self.page.max(1) {
            tail.first().map(Store::member_cursor)
        } else {
            None
        };
        self.reload(store)?;
        self.selected = self.rows.len().saturating_sub(1);
        Ok(())
    }

    /// Puts `member` on screen as the first row and selects it.
    pub fn show(&mut self, store: &Store, member: &Member) -> StoreResult<()> {
        let filter = self.filter();
        let before = store.members_before(&filter, &Store::member_cursor(member), 1)?;
        self.anchor = before.first().map(Store::member_cursor);
        self.total = store.count_members(&filter)?;
        self.reload(store)?;
        self.selected = self
            .rows
            .iter()
            .position(|m| m.meta.id == member.meta.id)
            .unwrap_or(0);
        Ok(())
    }

    /// Draws the filter, the headers and the visible rows; returns the filter's caret.
    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        if area.height < CHROME_ROWS + 1 {
            return None;
        }
        let total = if self.total >= crate::store::MEMBER_COUNT_CAP {
            format!("{}+", crate::store::MEMBER_COUNT_CAP)
        } else {
            self.total.to_string()
        };
        let prompt = if self.deleted_view {
            crate::tr!("members.bin_filter", total = total)
        } else {
            crate::tr!("members.filter", total = total)
        };
        let prompt_width = unicode_width::UnicodeWidthStr::width(prompt.as_str()) as u16 + 1;
        Paragraph::new(Line::from(Span::styled(prompt, theme::label()))).render(
            Rect::new(area.x, area.y, prompt_width.min(area.width), 1),
            buf,
        );
        let filter_area = Rect::new(
            area.x + prompt_width,
            area.y,
            area.width.saturating_sub(prompt_width).min(30),
            1,
        );
        let caret = self.filter.render(filter_area, buf, true);

        let header = Row::new(
            [
                "field.name",
                "field.gender",
                "field.sector",
                "field.party",
                "field.phone",
                "field.specialties",
                "members.role",
                "members.state",
            ]
            .map(|k| Cell::from(crate::tr!(k))),
        )
        .style(theme::header());
        let rows = self.rows.iter().enumerate().map(|(i, m)| {
            let f = &m.fields;
            let state = if m.meta.deleted_at.is_some() {
                crate::tr!("members.deleted")
            } else if f.active {
                crate::tr!("member.active")
            } else {
                crate::tr!("member.inactive")
            };
            let role = if f.mediator {
                crate::tr!("members.mediator")
            } else {
                String::new()
            };
            let row = Row::new(vec![
                Cell::from(sanitize(&f.name).into_owned()),
                Cell::from(crate::tr!(f.gender.key())),
                Cell::from(sanitize(&f.sector).into_owned()),
                Cell::from(sanitize(&f.party).into_owned()),
                Cell::from(sanitize(&f.phone).into_owned()),
                Cell::from(sanitize(&f.specialties).into_owned()),
                Cell::from(role),
                Cell::from(state),
            ]);
            if i == self.selected {
                row.style(theme::selected())
            } else if !f.active {
                row.style(theme::muted())
            } else {
                row
            }
        });
        let widths = [
            Constraint::Length(10),
            Constraint::Length(6),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Length(12),
            Constraint::Min(6),
            Constraint::Length(8),
            Constraint::Length(8),
        ];
        let table_area = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
        Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .render(table_area, buf);
        if self.rows.is_empty() {
            let empty = if self.filter.is_empty() && !self.deleted_view {
                crate::tr!("members.empty")
            } else {
                crate::tr!("members.no_match")
            };
            Paragraph::new(empty).style(theme::hint()).render(
                Rect::new(area.x + 2, area.y + 3, area.width.saturating_sub(2), 1),
                buf,
            );
        }
        caret
    }
}

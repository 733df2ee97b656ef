//! The member registry (委员信息库): a list in pinyin order that filters as you type and pages
//! with keyset queries, so only the visible rows are ever fetched.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Widget};

use crate::domain::Member;
use crate::store::{MemberCursor, MemberFilter, Store, StoreError, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::single_line::SingleLine;
use crate::tui::widgets::window::{PageSource, Window};

/// Rows of the list above the table: the filter line and the column headers.
const CHROME_ROWS: u16 = 2;

/// Fetches the registry in pinyin order for the window.
pub struct MemberSource<'a> {
    pub store: &'a Store,
    pub filter: MemberFilter,
}

impl PageSource for MemberSource<'_> {
    type Row = Member;
    type Cursor = MemberCursor;
    type Error = StoreError;

    fn cursor(row: &Member) -> MemberCursor {
        Store::member_cursor(row)
    }

    fn after(&self, cursor: Option<&MemberCursor>, limit: usize) -> StoreResult<Vec<Member>> {
        self.store.members_after(&self.filter, cursor, limit)
    }

    fn before(&self, cursor: &MemberCursor, limit: usize) -> StoreResult<Vec<Member>> {
        self.store.members_before(&self.filter, cursor, limit)
    }

    fn last(&self, limit: usize) -> StoreResult<Vec<Member>> {
        self.store.members_last(&self.filter, limit)
    }
}

/// The member list's state: the filter and the window of rows on screen.
#[derive(Default)]
pub struct MembersState {
    pub filter: SingleLine,
    /// Showing the recycle bin (soft-deleted members) instead of the registry.
    pub deleted_view: bool,
    pub window: Window<Member, MemberCursor>,
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

    pub fn source<'a>(&self, store: &'a Store) -> MemberSource<'a> {
        MemberSource {
            store,
            filter: self.filter(),
        }
    }

    pub fn rows(&self) -> &[Member] {
        &self.window.rows
    }

    pub fn selected_member(&self) -> Option<&Member> {
        self.window.selected_row()
    }

    pub fn reload(&mut self, store: &Store) -> StoreResult<()> {
        let source = self.source(store);
        self.window.reload(&source)
    }

    /// After the filter changed: back to the top, and count again.
    pub fn refilter(&mut self, store: &Store) -> StoreResult<()> {
        self.total = store.count_members(&self.filter())?;
        let source = self.source(store);
        self.window.first(&source)
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

    /// Shows every member (the filter cleared) with `member` on screen among its neighbours,
    /// and selects it.
    pub fn show_among_all(&mut self, store: &Store, member: &Member) -> StoreResult<()> {
        self.filter.clear();
        self.show(store, member)
    }

    /// Puts `member` on screen, in the middle of the window, and selects it.
    pub fn show(&mut self, store: &Store, member: &Member) -> StoreResult<()> {
        self.total = store.count_members(&self.filter())?;
        let source = self.source(store);
        let id = member.meta.id;
        self.window
            .show(&source, &Store::member_cursor(member), |m| m.meta.id == id)
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
        let rows = self.window.rows.iter().enumerate().map(|(i, m)| {
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
            if i == self.window.selected {
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
        if self.window.rows.is_empty() {
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

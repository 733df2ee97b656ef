//! The intake list (来访接待): newest first, filtered by state, category, member, dates and
//! what is owed; overdue and due-today visits stand out.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Widget};

use crate::domain::Intake;
use crate::store::{
    DueFilter, IntakeCursor, IntakeFilter, IntakeListing, Store, StoreError, StoreResult,
};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::window::{PageSource, Window};

/// Rows above the table: the filter summary and the column headers.
const CHROME_ROWS: u16 = 2;

pub struct IntakeSource<'a> {
    pub store: &'a Store,
    pub filter: IntakeFilter,
    pub today: NaiveDate,
}

impl PageSource for IntakeSource<'_> {
    type Row = IntakeListing;
    type Cursor = IntakeCursor;
    type Error = StoreError;

    fn cursor(row: &IntakeListing) -> IntakeCursor {
        Store::intake_cursor(&row.intake)
    }

    fn after(
        &self,
        cursor: Option<&IntakeCursor>,
        limit: usize,
    ) -> StoreResult<Vec<IntakeListing>> {
        self.store
            .intakes_page(&self.filter, self.today, cursor, limit)
    }

    fn before(&self, cursor: &IntakeCursor, limit: usize) -> StoreResult<Vec<IntakeListing>> {
        self.store
            .intakes_before(&self.filter, self.today, cursor, limit)
    }

    fn last(&self, limit: usize) -> StoreResult<Vec<IntakeListing>> {
        // The last page holds the oldest visits: those "newer" than a cursor before every
        // visit, read oldest first and turned into list order.
        let before_all = (String::new(), String::new(), uuid::Uuid::nil());
        self.store
            .intakes_before(&self.filter, self.today, &before_all, limit)
    }
}

#[derive(Default)]
pub struct IntakesState {
    pub filter: IntakeFilter,
    pub window: Window<IntakeListing, IntakeCursor>,
    pub total: i64,
    /// Visits marked (Space) to make a topic or a report from.
    pub marked: std::collections::BTreeSet<uuid::Uuid>,
}

impl IntakesState {
    pub fn rows_for(height: u16) -> usize {
        height.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    pub fn source<'a>(&self, store: &'a Store, today: NaiveDate) -> IntakeSource<'a> {
        IntakeSource {
            store,
            filter: self.filter.clone(),
            today,
        }
    }

    pub fn selected(&self) -> Option<&Intake> {
        self.window.selected_row().map(|l| &l.intake)
    }

    /// After the filter changed: back to the newest, and count again.
    pub fn refilter(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        self.total = store.count_intakes(&self.filter, today)?;
        let source = self.source(store, today);
        self.window.first(&source)
    }

    pub fn reload(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        self.total = store.count_intakes(&self.filter, today)?;
        let source = self.source(store, today);
        self.window.reload(&source)
    }

    /// Puts `intake` first on screen and selects it.
    pub fn show(&mut self, store: &Store, today: NaiveDate, intake: &Intake) -> StoreResult<()> {
        self.total = store.count_intakes(&self.filter, today)?;
        let source = self.source(store, today);
        let id = intake.meta.id;
        self.window
            .show(&source, &Store::intake_cursor(intake), |l| {
                l.intake.meta.id == id
            })
    }

    /// What the filter keeps, in words.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(state) = self.filter.state {
            parts.push(crate::tr!(state.key()));
        }
        if let Some(category) = &self.filter.category {
            parts.push(sanitize(category).into_owned());
        }
        if self.filter.member.is_some() {
            parts.push(crate::tr!("intakes.one_member"));
        }
        if let Some(from) = self.filter.from {
            parts.push(format!(">= {from}"));
        }
        if let Some(to) = self.filter.to {
            parts.push(format!("<= {to}"));
        }
        match self.filter.due {
            DueFilter::All => {}
            DueFilter::Overdue => parts.push(crate::tr!("intakes.due_overdue")),
            DueFilter::DueToday => parts.push(crate::tr!("intakes.due_today")),
            DueFilter::Urgent => parts.push(crate::tr!("intakes.due_urgent")),
        }
        if parts.is_empty() {
            crate::tr!("intakes.all")
        } else {
            parts.join(" | ")
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, today: NaiveDate) {
        if area.height < CHROME_ROWS + 1 {
            return;
        }
        let total = super::capped(self.total);
        let mut showing = crate::tr!("intakes.showing", filter = self.describe(), total = total);
        if self.marked.is_empty() {
            showing.push_str(&crate::tr!("intakes.mark_hint"));
        } else {
            showing.push_str(&crate::tr!("intakes.marked", count = self.marked.len()));
        }
        Paragraph::new(Line::raw(showing))
            .style(theme::label())
            .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let rows = self.window.rows.iter().enumerate().map(|(i, listing)| {
            let intake = &listing.intake;
            let f = &intake.fields;
            let visitor = if f.visitor_name.is_empty() {
                crate::tr!("intakes.anonymous")
            } else {
                sanitize(&f.visitor_name).into_owned()
            };
            let due = super::due_text(intake.due(), today);
            let mark = if self.marked.contains(&intake.meta.id) {
                "*"
            } else {
                " "
            };
            let row = Row::new(vec![
                Cell::from(format!("{mark}{}", f.visited_at.format("%Y-%m-%d"))),
                Cell::from(visitor),
                Cell::from(sanitize(&f.category).into_owned()),
                Cell::from(sanitize(&intake.summary(30)).into_owned()),
                Cell::from(crate::tr!(intake.state.key())),
                Cell::from(sanitize(listing.member_name.as_deref().unwrap_or("")).into_owned()),
                Cell::from(due),
            ]);
            if i == self.window.selected {
                row.style(theme::selected())
            } else if intake.is_overdue(today) {
                row.style(theme::error())
            } else if intake.is_due_today(today) {
                row.style(theme::focus_label())
            } else {
                row
            }
        });
        // Names, categories, states and members at their full width; the summary takes the rest.
        let column = |header: &str, texts: Vec<String>, min: u16, max: u16| {
            crate::tui::widgets::list_table::fit_column(
                header,
                texts.iter().map(String::as_str),
                min,
                max,
            )
        };
        let listed = &self.window.rows;
        let widths = [
            Constraint::Length(11),
            column(
                "field.visitor_name",
                listed
                    .iter()
                    .map(|l| {
                        if l.intake.fields.visitor_name.is_empty() {
                            crate::tr!("intakes.anonymous")
                        } else {
                            sanitize(&l.intake.fields.visitor_name).into_owned()
                        }
                    })
                    .collect(),
                6,
                12,
            ),
            column(
                "field.category",
                listed
                    .iter()
                    .map(|l| sanitize(&l.intake.fields.category).into_owned())
                    .collect(),
                8,
                16,
            ),
            Constraint::Min(10),
            column(
                "intakes.col_state",
                crate::domain::IntakeState::ALL
                    .iter()
                    .map(|s| crate::tr!(s.key()))
                    .collect(),
                4,
                14,
            ),
            column(
                "field.member",
                listed
                    .iter()
                    .map(|l| sanitize(l.member_name.as_deref().unwrap_or("")).into_owned())
                    .collect(),
                6,
                10,
            ),
            Constraint::Length(13),
        ];
        render_table(
            Rect::new(area.x, area.y + 1, area.width, area.height - 1),
            buf,
            &[
                "intakes.col_date",
                "field.visitor_name",
                "field.category",
                "intakes.col_summary",
                "intakes.col_state",
                "field.member",
                "intakes.col_due",
            ],
            rows.collect(),
            &widths,
            "intakes.empty",
        );
    }
}

//! The mediation case list (矛盾纠纷调解): newest first, filtered by state, dispute type,
//! mediator and overdue; overdue cases stand out.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Widget};

use crate::domain::case::MediationCase;
use crate::store::{CaseCursor, CaseFilter, Store, StoreError, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::list_table::render_table;
use crate::tui::widgets::window::{PageSource, Window};

/// Rows above the table: the filter summary and the column headers.
const CHROME_ROWS: u16 = 2;

pub struct CaseSource<'a> {
    pub store: &'a Store,
    pub filter: CaseFilter,
    pub today: NaiveDate,
}

impl PageSource for CaseSource<'_> {
    type Row = MediationCase;
    type Cursor = CaseCursor;
    type Error = StoreError;

    fn cursor(row: &MediationCase) -> CaseCursor {
        Store::case_cursor(row)
    }

    fn after(&self, cursor: Option<&CaseCursor>, limit: usize) -> StoreResult<Vec<MediationCase>> {
        self.store
            .cases_page(&self.filter, self.today, cursor, limit)
    }

    fn before(&self, cursor: &CaseCursor, limit: usize) -> StoreResult<Vec<MediationCase>> {
        self.store
            .cases_before(&self.filter, self.today, cursor, limit)
    }

    fn last(&self, limit: usize) -> StoreResult<Vec<MediationCase>> {
        let before_all = (String::new(), uuid::Uuid::nil());
        self.store
            .cases_before(&self.filter, self.today, &before_all, limit)
    }
}

#[derive(Default)]
pub struct CasesState {
    pub filter: CaseFilter,
    pub window: Window<MediationCase, CaseCursor>,
    pub total: i64,
    /// Names of the filter's mediator, for the summary line.
    pub mediator_name: Option<String>,
}

impl CasesState {
    pub fn rows_for(height: u16) -> usize {
        height.saturating_sub(CHROME_ROWS).max(1) as usize
    }

    pub fn source<'a>(&self, store: &'a Store, today: NaiveDate) -> CaseSource<'a> {
        CaseSource {
            store,
            filter: self.filter.clone(),
            today,
        }
    }

    pub fn selected(&self) -> Option<&MediationCase> {
        self.window.selected_row()
    }

    pub fn refilter(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        self.total = store.count_cases(&self.filter, today)?;
        let source = self.source(store, today);
        self.window.first(&source)
    }

    pub fn reload(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        self.total = store.count_cases(&self.filter, today)?;
        let source = self.source(store, today);
        self.window.reload(&source)
    }

    pub fn show(
        &mut self,
        store: &Store,
        today: NaiveDate,
        case: &MediationCase,
    ) -> StoreResult<()> {
        self.total = store.count_cases(&self.filter, today)?;
        let source = self.source(store, today);
        let id = case.meta.id;
        self.window
            .show(&source, &Store::case_cursor(case), |c| c.meta.id == id)
    }

    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(state) = self.filter.state {
            parts.push(crate::tr!(state.key()));
        }
        if let Some(kind) = &self.filter.dispute_type {
            parts.push(sanitize(kind).into_owned());
        }
        if let Some(name) = &self.mediator_name {
            parts.push(sanitize(name).into_owned());
        }
        if self.filter.overdue {
            parts.push(crate::tr!("cases.overdue_only"));
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
        Paragraph::new(Line::raw(crate::tr!(
            "cases.showing",
            filter = self.describe(),
            total = super::capped(self.total)
        )))
        .style(theme::label())
        .render(Rect::new(area.x, area.y, area.width, 1), buf);
        let rows = self.window.rows.iter().enumerate().map(|(i, case)| {
            let due = super::due_text(case.next_due(), today);
            let state = state_text(case);
            let row = Row::new(vec![
                Cell::from(sanitize(&case.case_no).into_owned()),
                Cell::from(case.fields.received_on.format("%Y-%m-%d").to_string()),
                Cell::from(sanitize(&case.fields.dispute_type).into_owned()),
                Cell::from(sanitize(&case.title()).into_owned()),
                Cell::from(state),
                Cell::from(due),
            ]);
            if i == self.window.selected {
                row.style(theme::selected())
            } else if case.is_overdue(today) {
                row.style(theme::error())
            } else {
                row
            }
        });
        // Numbers, types and states at their full width; the title takes the rest.
        let listed = &self.window.rows;
        let fit = crate::tui::widgets::list_table::fit_column;
        let numbers: Vec<String> = listed
            .iter()
            .map(|c| sanitize(&c.case_no).into_owned())
            .collect();
        let types: Vec<String> = listed
            .iter()
            .map(|c| sanitize(&c.fields.dispute_type).into_owned())
            .collect();
        let states: Vec<String> = listed.iter().map(state_text).collect();
        let widths = [
            fit("cases.col_no", numbers.iter().map(String::as_str), 10, 20),
            Constraint::Length(10),
            fit(
                "field.dispute_type",
                types.iter().map(String::as_str),
                8,
                14,
            ),
            Constraint::Min(12),
            fit(
                "intakes.col_state",
                states.iter().map(String::as_str),
                6,
                20,
            ),
            Constraint::Length(13),
        ];
        render_table(
            Rect::new(area.x, area.y + 1, area.width, area.height - 1),
            buf,
            &[
                "cases.col_no",
                "cases.col_received",
                "field.dispute_type",
                "cases.col_parties",
                "intakes.col_state",
                "intakes.col_due",
            ],
            rows.collect(),
            &widths,
            "cases.empty",
        );
    }
}

/// A case's state as the list shows it: with the outcome once concluded.
fn state_text(case: &crate::domain::case::MediationCase) -> String {
    match &case.outcome {
        Some(outcome) if case.state == crate::domain::case::CaseState::Concluded => crate::tr!(
            "cases.state_with_outcome",
            state = crate::tr!(case.state.key()),
            outcome = crate::tr!(outcome.key())
        ),
        _ => crate::tr!(case.state.key()),
    }
}

//! The records behind a figure of a member's record: meetings, research notes, reports and
//! shifts as a short list; visits and cases paged from their lists' queries.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::Cell;
use ratatui::widgets::Row;

use super::member_record::Behind;
use crate::domain::RecordKind;
use crate::store::{SearchHit, Store, StoreResult};
use crate::text::sanitize;
use crate::tui::theme;
use crate::tui::widgets::list_table::render_table;

/// The records behind a figure (meetings, research, reports, shifts; visits and cases page).
pub struct RecordsBehind {
    pub title: String,
    pub source: Behind,
    pub rows: Vec<SearchHit>,
    pub selected: usize,
    /// Whether a paged source has more rows after the last one read.
    more: bool,
}

/// How many rows a paged source reads at a time.
const PAGE: usize = 200;

impl RecordsBehind {
    pub fn open(
        store: &Store,
        title: String,
        source: Behind,
        fixed: Vec<SearchHit>,
        today: NaiveDate,
    ) -> StoreResult<RecordsBehind> {
        let mut view = RecordsBehind {
            title,
            source,
            rows: fixed,
            selected: 0,
            more: true,
        };
        if matches!(view.source, Behind::Records | Behind::Activities(_)) {
            view.more = false;
        } else {
            view.read_more(store, today)?;
        }
        Ok(view)
    }

    /// Reads the next page of a paged source.
    pub fn read_more(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        if !self.more {
            return Ok(());
        }
        let last = self.rows.last().map(|h| h.id);
        let fresh: Vec<SearchHit> = match &self.source {
            Behind::Visits(filter) => {
                let cursor = match last {
                    Some(id) => store
                        .get_any::<crate::domain::Intake>(id)?
                        .map(|i| Store::intake_cursor(&i)),
                    None => None,
                };
                store
                    .intakes_page(filter, today, cursor.as_ref(), PAGE)?
                    .into_iter()
                    .map(|l| SearchHit {
                        kind: RecordKind::Intake,
                        id: l.intake.meta.id,
                        title: l.intake.fields.visitor_name.clone(),
                        date: l
                            .intake
                            .fields
                            .visited_at
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                        snippet: format!(
                            "{}  {}",
                            crate::tr!(l.intake.state.key()),
                            l.intake.summary(30)
                        ),
                    })
                    .collect()
            }
            Behind::Cases(filter) => {
                let cursor = match last {
                    Some(id) => store
                        .get_any::<crate::domain::case::MediationCase>(id)?
                        .map(|c| Store::case_cursor(&c)),
                    None => None,
                };
                store
                    .cases_page(filter, today, cursor.as_ref(), PAGE)?
                    .into_iter()
                    .map(|c| SearchHit {
                        kind: RecordKind::Case,
                        id: c.meta.id,
                        title: c.case_no.clone(),
                        date: c.fields.received_on.format("%Y-%m-%d").to_string(),
                        snippet: format!(
                            "{}  {}",
                            crate::tr!(c.state.key()),
                            c.fields.dispute_type
                        ),
                    })
                    .collect()
            }
            Behind::Records | Behind::Activities(_) => Vec::new(),
        };
        self.more = fresh.len() == PAGE;
        self.rows.extend(fresh);
        Ok(())
    }

    pub fn chosen(&self) -> Option<&SearchHit> {
        self.rows.get(self.selected)
    }

    /// Moves the highlight; near the end of a paged source, the next page is read.
    pub fn move_by(&mut self, rows: i64, store: &Store, today: NaiveDate) -> StoreResult<()> {
        let wanted = self.selected as i64 + rows;
        if wanted >= self.rows.len() as i64 - 1 {
            self.read_more(store, today)?;
        }
        let last = self.rows.len().saturating_sub(1) as i64;
        self.selected = wanted.clamp(0, last.max(0)) as usize;
        Ok(())
    }

    pub fn heading(&self) -> String {
        let count = if self.more {
            format!("{}+", self.rows.len())
        } else {
            self.rows.len().to_string()
        };
        crate::tr!(
            "record.behind_title",
            what = self.title.clone(),
            count = count
        )
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) {
        let room = area.height.saturating_sub(1) as usize;
        let first = self.selected.saturating_sub(room.saturating_sub(1));
        let rows: Vec<Row> = self
            .rows
            .iter()
            .enumerate()
            .skip(first)
            .take(room)
            .map(|(i, h)| {
                let row = Row::new(vec![
                    Cell::from(h.date.clone()),
                    Cell::from(crate::i18n::kind_name(h.kind.as_str())),
                    Cell::from(sanitize(&h.title).into_owned()),
                    Cell::from(sanitize(&h.snippet).into_owned()),
                ]);
                if i == self.selected {
                    row.style(theme::selected())
                } else {
                    row
                }
            })
            .collect();
        render_table(
            area,
            buf,
            &[
                "record.col_date",
                "record.col_kind",
                "record.col_title",
                "record.col_note",
            ],
            rows,
            &[
                Constraint::Length(16),
                Constraint::Length(12),
                Constraint::Length(24),
                Constraint::Min(10),
            ],
            "record.behind_empty",
        );
    }
}

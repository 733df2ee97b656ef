//! Members' records, the year's assessment, the records behind a figure and the month's
//! figures on the desk.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::documents::performance::{self as docs, Item, RecordItems};
use crate::domain::performance::Period;
use crate::tui::layer::Step;
use crate::tui::screens::member_record::{behind, AssessmentView, Behind, MemberRecordView};
use crate::tui::screens::month_stats::MonthStatsView;
use crate::tui::screens::records_behind::RecordsBehind;
use crate::tui::view::{draw_title, inset};

/// The records behind a figure, as the record's document lists them.
fn items(hits: Vec<SearchHit>) -> Vec<Item> {
    hits.into_iter()
        .map(|h| Item {
            date: h.date,
            title: h.title,
            note: h.snippet,
        })
        .collect()
}

impl App {
    /// `member`'s record for `period`.
    pub(super) fn open_record(&mut self, member: Uuid, period: Period) {
        match MemberRecordView::load(&self.store, member, period, self.local_now()) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    /// The station's assessment table for `year`.
    pub(super) fn open_assessment(&mut self, year: i32) {
        match AssessmentView::load(&self.store, year, self.local_now()) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    /// The figures of a month.
    pub(super) fn open_month_stats(&mut self, year: i32, month: u32) {
        match MonthStatsView::load(&self.store, year, month, self.local_now()) {
            Ok(view) => self.show(view),
            Err(e) => self.fail(&e),
        }
    }

    /// The records behind the chosen figure of a record.
    fn open_behind(&mut self, view: &MemberRecordView) {
        let Some(figure) = view.figure() else { return };
        let today = self.today();
        let record = &view.record;
        let title = format!(
            "{} {} {}",
            crate::text::sanitize(&record.name),
            record
                .period
                .label(crate::i18n::current_language() == Language::English),
            crate::i18n::figure_label(figure)
        );
        match behind((record.member_id, &record.name), record.period, figure) {
            Behind::Activities(scope) => self.open_activities(scope),
            source => {
                let fixed = match source {
                    Behind::Records => {
                        match self.store.records_behind(
                            record.member_id,
                            record.period,
                            figure,
                            today,
                        ) {
                            Ok(hits) => hits,
                            Err(e) => return self.fail(&e),
                        }
                    }
                    _ => Vec::new(),
                };
                match RecordsBehind::open(&self.store, title, source, fixed, today) {
                    Ok(list) => self.show(list),
                    Err(e) => self.fail(&e),
                }
            }
        }
    }

    /// Writes the record as .docx into the documents folder.
    fn write_record(&mut self, view: &MemberRecordView) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let today = self.today();
        let record = &view.record;
        let gathered = (|| -> Result<RecordItems, StoreError> {
            let of = |figure: &str| {
                self.store
                    .records_behind(record.member_id, record.period, figure, today)
                    .map(items)
            };
            Ok(RecordItems {
                meetings: of("consultations.present")?,
                research: of("research.notes")?,
                reports: of("opinions.written")?,
                activities: of("activity.all")?,
            })
        })();
        let items = match gathered {
            Ok(items) => items,
            Err(e) => return self.fail(&e),
        };
        match docs::write_record(
            &station,
            record,
            view.assessment.as_ref(),
            &items,
            &self.documents_dir(),
        ) {
            Ok(path) => self.document_written(vec![path]),
            Err(e) => self.document_failed(&e),
        }
    }

    fn write_assessment(&mut self, view: &AssessmentView) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let path = self
            .documents_dir()
            .join(docs::assessment_file_name(view.year));
        match docs::write_assessment(&station, view.year, &view.rows, &path) {
            Ok(()) => self.document_written(vec![path]),
            Err(e) => self.document_failed(&e),
        }
    }

    fn write_month(&mut self, view: &MonthStatsView) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let path = self
            .documents_dir()
            .join(docs::month_file_name(&view.stats));
        let written = docs::month_xlsx(&station, &view.stats)
            .and_then(|bytes| crate::documents::write_file(&path, &bytes));
        match written {
            Ok(()) => self.document_written(vec![path]),
            Err(e) => self.document_failed(&e),
        }
    }

    /// The chosen member's record, from the registry (Enter).
    pub(super) fn open_chosen_member_record(&mut self) {
        if let Some(member) = self.members.selected_member() {
            let id = member.meta.id;
            self.open_record(id, Period::year_of(self.today()));
        }
    }
}

impl Layer for MemberRecordView {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::MemberRecord
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let page = i64::from(app.size.1.saturating_sub(SHELL_ROWS + 2)).max(1);
        let reloaded = match action {
            Action::Back => return Step::Close,
            Action::Up => {
                self.move_by(-1);
                Ok(())
            }
            Action::Down => {
                self.move_by(1);
                Ok(())
            }
            Action::PageUp => {
                self.move_by(-page);
                Ok(())
            }
            Action::PageDown => {
                self.move_by(page);
                Ok(())
            }
            Action::Open => {
                app.open_behind(self);
                Ok(())
            }
            Action::Left | Action::Right => {
                let step = if action == Action::Left { -1 } else { 1 };
                let year = self.year + step;
                self.reload(&app.store, Period::Year(year), app.local_now())
            }
            Action::ToggleYear => {
                let period = match self.period() {
                    Period::Term => Period::Year(self.year),
                    _ => Period::Term,
                };
                self.reload(&app.store, period, app.local_now())
            }
            Action::WriteRecord => {
                app.write_record(self);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = reloaded {
            app.fail(&e);
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for AssessmentView {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::Assessment
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let page = i64::from(app.size.1.saturating_sub(SHELL_ROWS + 9)).max(1);
        if let Some(rows) = action.list_step(page) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Sort => self.next_order(),
            Action::Open => {
                if let Some((record, _)) = self.chosen() {
                    let (id, year) = (record.member_id, self.year);
                    app.open_record(id, Period::Year(year));
                }
            }
            Action::Left | Action::Right => {
                let year = self.year + if action == Action::Left { -1 } else { 1 };
                match AssessmentView::load(&app.store, year, app.local_now()) {
                    Ok(view) => *self = view,
                    Err(e) => app.fail(&e),
                }
            }
            Action::WriteRecord => app.write_assessment(self),
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for RecordsBehind {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::RecordsBehind
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        let today = app.today();
        let page = i64::from(app.size.1.saturating_sub(SHELL_ROWS + 2)).max(1);
        let moved = match action {
            Action::Back => return Step::Close,
            Action::Up => self.move_by(-1, &app.store, today),
            Action::Down => self.move_by(1, &app.store, today),
            Action::PageUp => self.move_by(-page, &app.store, today),
            Action::PageDown => self.move_by(page, &app.store, today),
            Action::First => self.move_by(-(self.selected as i64), &app.store, today),
            Action::Open => match self.chosen().cloned() {
                // A shift is a line of the roster: what there is to see is on this line.
                Some(hit) if hit.kind == RecordKind::Shift => {
                    app.say(crate::tr!("record.shift_in_roster"));
                    Ok(())
                }
                Some(hit) => {
                    // The record opens above this list, whatever screen it lives on; Esc
                    // comes back here, and out of the record to where it was opened.
                    let screen = app.screen;
                    let opened = app.open_hit(&hit);
                    app.screen = screen;
                    opened
                }
                None => Ok(()),
            },
            _ => Ok(()),
        };
        if let Err(e) = moved {
            app.fail(&e);
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.heading(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for MonthStatsView {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::MonthStats
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        if let Some(rows) = action.scroll_rows() {
            self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Left | Action::Right => {
                let (year, month) = self.step(if action == Action::Left { -1 } else { 1 });
                match MonthStatsView::load(&app.store, year, month, app.local_now()) {
                    Ok(view) => *self = view,
                    Err(e) => app.fail(&e),
                }
            }
            Action::WriteRecord => app.write_month(self),
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

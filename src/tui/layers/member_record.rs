//! Members' records, the year's assessment, the records behind a figure and the month's
//! figures on the desk.

use uuid::Uuid;

use super::*;
use crate::documents::performance::{self as docs, Item, RecordItems};
use crate::domain::performance::Period;
use crate::domain::RecordKind;
use crate::i18n::Language;
use crate::store::SearchHit;
use crate::tui::layer::Effect;
use crate::tui::screens::member_record::{behind, AssessmentView, Behind, MemberRecordView};
use crate::tui::screens::month_stats::MonthStatsView;
use crate::tui::screens::records_behind::RecordsBehind;

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

/// `member`'s record for `period`.
pub fn open_record(desk: &mut Desk, member: Uuid, period: Period) {
    match MemberRecordView::load(&desk.store, member, period, desk.local_now()) {
        Ok(view) => desk.show(view),
        Err(e) => desk.fail(&e),
    }
}

/// The station's assessment table for `year`.
pub fn open_assessment(desk: &mut Desk, year: i32) {
    match AssessmentView::load(&desk.store, year, desk.local_now()) {
        Ok(view) => desk.show(view),
        Err(e) => desk.fail(&e),
    }
}

/// The figures of a month.
pub fn open_month_stats(desk: &mut Desk, year: i32, month: u32) {
    match MonthStatsView::load(&desk.store, year, month, desk.local_now()) {
        Ok(view) => desk.show(view),
        Err(e) => desk.fail(&e),
    }
}

/// The records behind the chosen figure of a record.
fn open_behind(desk: &mut Desk, view: &MemberRecordView) {
    let Some(figure) = view.figure() else { return };
    let today = desk.today();
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
        Behind::Activities(scope) => super::activities::open_list(desk, scope),
        source => {
            let fixed = match source {
                Behind::Records => {
                    match desk.store.records_behind(
                        record.member_id,
                        record.period,
                        figure,
                        today,
                        &|k| crate::tr!(k),
                    ) {
                        Ok(hits) => hits,
                        Err(e) => return desk.fail(&e),
                    }
                }
                _ => Vec::new(),
            };
            match RecordsBehind::open(&desk.store, title, source, fixed, today) {
                Ok(list) => desk.show(list),
                Err(e) => desk.fail(&e),
            }
        }
    }
}

/// Writes the record as .docx into the documents folder.
fn write_record(desk: &mut Desk, view: &MemberRecordView) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let today = desk.today();
    let record = &view.record;
    let store = &desk.store;
    let gathered = (|| -> Result<RecordItems, StoreError> {
        let of = |figure: &str| {
            store
                .records_behind(record.member_id, record.period, figure, today, &|k| {
                    crate::tr!(k)
                })
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
        Err(e) => return desk.fail(&e),
    };
    let dir = desk.documents_dir();
    match docs::write_record(&station, record, view.assessment.as_ref(), &items, &dir) {
        Ok(path) => super::documents::written(desk, vec![path]),
        Err(e) => desk.document_failed(&e),
    }
}

fn write_assessment(desk: &mut Desk, view: &AssessmentView) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let path = desk
        .documents_dir()
        .join(docs::assessment_file_name(view.year));
    match docs::write_assessment(&station, view.year, &view.rows, &path) {
        Ok(()) => super::documents::written(desk, vec![path]),
        Err(e) => desk.document_failed(&e),
    }
}

fn write_month(desk: &mut Desk, view: &MonthStatsView) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let path = desk
        .documents_dir()
        .join(docs::month_file_name(&view.stats));
    let written = docs::month_xlsx(&station, &view.stats)
        .and_then(|bytes| crate::documents::write_file(&path, &bytes));
    match written {
        Ok(()) => super::documents::written(desk, vec![path]),
        Err(e) => desk.document_failed(&e),
    }
}

impl Layer for MemberRecordView {
    fn context(&self) -> KeyContext {
        KeyContext::MemberRecord
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let page = page_rows(desk, 2);
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
                open_behind(desk, self);
                Ok(())
            }
            Action::Left | Action::Right => {
                let step = if action == Action::Left { -1 } else { 1 };
                let year = self.year + step;
                self.reload(&desk.store, Period::Year(year), desk.local_now())
            }
            Action::ToggleYear => {
                let period = match self.period() {
                    Period::Term => Period::Year(self.year),
                    _ => Period::Term,
                };
                self.reload(&desk.store, period, desk.local_now())
            }
            Action::WriteRecord => {
                write_record(desk, self);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = reloaded {
            desk.fail(&e);
        }
        Step::Stay
    }

    /// Every kind of record moves a figure of the record.
    fn refresh(&mut self, _kind: RecordKind, _id: Option<Uuid>, desk: &mut Desk) {
        let period = self.period();
        if let Err(e) = self.reload(&desk.store, period, desk.local_now()) {
            desk.fail(&e);
        }
    }

    fn shows(&self) -> Option<(RecordKind, Uuid)> {
        Some((RecordKind::Member, self.record.member_id))
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for AssessmentView {
    fn context(&self) -> KeyContext {
        KeyContext::Assessment
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        if let Some(rows) = action.list_step(page_rows(desk, 9)) {
            self.move_by(rows);
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Sort => self.next_order(),
            Action::Open => {
                if let Some((record, _)) = self.chosen() {
                    let (id, year) = (record.member_id, self.year);
                    open_record(desk, id, Period::Year(year));
                }
            }
            Action::Left | Action::Right => {
                let year = self.year + if action == Action::Left { -1 } else { 1 };
                match AssessmentView::load(&desk.store, year, desk.local_now()) {
                    Ok(view) => *self = view,
                    Err(e) => desk.fail(&e),
                }
            }
            Action::WriteRecord => write_assessment(desk, self),
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for RecordsBehind {
    fn context(&self) -> KeyContext {
        KeyContext::RecordsBehind
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let page = page_rows(desk, 2);
        let store = &desk.store;
        let moved = match action {
            Action::Back => return Step::Close,
            Action::Up => self.move_by(-1, store, today),
            Action::Down => self.move_by(1, store, today),
            Action::PageUp => self.move_by(-page, store, today),
            Action::PageDown => self.move_by(page, store, today),
            Action::First => self.move_by(-(self.selected as i64), store, today),
            Action::Open => {
                match self.chosen() {
                    // A shift is a line of the roster: what there is to see is on this line.
                    Some(hit) if hit.kind == RecordKind::Shift => {
                        desk.say(crate::tr!("record.shift_in_roster"))
                    }
                    // The record opens above this list; Esc comes back here.
                    Some(hit) => desk.emit(Effect::OpenAbove(hit.kind, hit.id)),
                    None => {}
                }
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = moved {
            desk.fail(&e);
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.heading(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

impl Layer for MonthStatsView {
    fn context(&self) -> KeyContext {
        KeyContext::MonthStats
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        if let Some(rows) = action.scroll_rows() {
            self.scroll = (i32::from(self.scroll) + rows).max(0) as u16;
            return Step::Stay;
        }
        match action {
            Action::Back => return Step::Close,
            Action::Left | Action::Right => {
                let (year, month) = self.step(if action == Action::Left { -1 } else { 1 });
                match MonthStatsView::load(&desk.store, year, month, desk.local_now()) {
                    Ok(view) => *self = view,
                    Err(e) => desk.fail(&e),
                }
            }
            Action::WriteRecord => write_month(desk, self),
            _ => {}
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&self.title(), title, buf);
        self.render(inset(body), buf);
        None
    }
}

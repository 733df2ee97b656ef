//! The roster on the desk: the month grid, a day, the duty report, generating a rotation,
//! shifts by hand, and writing the month's roster.

use super::*;
use crate::domain::roster::ShiftState;
use crate::domain::RecordKind;
use crate::tui::screens::roster::{render_preview, RosterState, RosterView, RotationPreview};
use crate::tui::screens::roster_form::{RotationDraft, RotationForm, ShiftForm, ShiftFormKind};

/// The roster's month of `day`, as the screen above the home screen.
pub fn open(desk: &mut Desk, day: chrono::NaiveDate) {
    match RosterState::open(&desk.store, day) {
        Ok(roster) => desk.base(roster),
        Err(e) => desk.fail(&e),
    }
}

/// The roster's day of a shift, with the shift chosen.
pub fn open_shift(desk: &mut Desk, shift: &crate::domain::roster::Shift) -> Result<(), StoreError> {
    let mut roster = RosterState::open(&desk.store, shift.date)?;
    roster.view = RosterView::Day;
    roster.selected = roster
        .day_shifts()
        .iter()
        .position(|s| s.meta.id == shift.meta.id)
        .unwrap_or(0);
    desk.base(roster);
    Ok(())
}

impl Layer for RosterState {
    fn context(&self) -> KeyContext {
        match self.view {
            RosterView::Day => KeyContext::RosterDay,
            RosterView::Report => KeyContext::RosterReport,
            RosterView::Month => KeyContext::Roster,
        }
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let now = desk.local_now();
        let store = &desk.store;
        let result = match (self.view, action.clone()) {
            (RosterView::Month, Action::Left) | (RosterView::Day, Action::Left) => {
                self.selected = 0;
                self.move_by(store, -1)
            }
            (RosterView::Month, Action::Right) | (RosterView::Day, Action::Right) => {
                self.selected = 0;
                self.move_by(store, 1)
            }
            (RosterView::Month, Action::Up) => self.move_by(store, -7),
            (RosterView::Month, Action::Down) => self.move_by(store, 7),
            (RosterView::Month, Action::First) => {
                self.cursor = today;
                self.reload(store)
            }
            (RosterView::Month | RosterView::Report, Action::PageUp | Action::PageDown) => {
                let months = if action == Action::PageUp { -1 } else { 1 };
                let moved = self.move_months(store, months);
                if self.view == RosterView::Report {
                    moved.and_then(|_| self.load_report(store, now))
                } else {
                    moved
                }
            }
            (RosterView::Month, Action::Open) => {
                self.view = RosterView::Day;
                self.selected = 0;
                Ok(())
            }
            (RosterView::Month, Action::ToggleReport) => {
                self.view = RosterView::Report;
                self.load_report(store, now)
            }
            (RosterView::Report, Action::Up) => {
                self.report_selected = self.report_selected.saturating_sub(1);
                Ok(())
            }
            (RosterView::Report, Action::Down) => {
                if self.report_selected + 1 < self.report.len() {
                    self.report_selected += 1;
                }
                Ok(())
            }
            (RosterView::Report, Action::Open) => {
                if let Some((id, _, _)) = self.report.get(self.report_selected) {
                    let (id, year) = (*id, chrono::Datelike::year(&self.month().0));
                    let period = crate::domain::performance::Period::Year(year);
                    super::member_record::open_record(desk, id, period);
                }
                Ok(())
            }
            (RosterView::Report, Action::ToggleYear) => {
                self.report_year = !self.report_year;
                self.load_report(store, now)
            }
            (RosterView::Day, Action::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Ok(())
            }
            (RosterView::Day, Action::Down) => {
                if self.selected + 1 < self.day_shifts().len() {
                    self.selected += 1;
                }
                Ok(())
            }
            (RosterView::Day | RosterView::Report, Action::Back) => {
                self.view = RosterView::Month;
                Ok(())
            }
            (RosterView::Month, Action::Back) => return Step::Close,
            (RosterView::Month, Action::Generate) => {
                return Step::push(RotationForm::new(&desk.member_choices(), self.cursor));
            }
            (RosterView::Month, Action::ExportRoster) => {
                write_roster(self, desk);
                Ok(())
            }
            (RosterView::Day, Action::AddShift) => {
                let (date, slots) = (self.cursor, self.slots.clone());
                let members = desk.member_choices();
                return Step::push(ShiftForm::new(
                    ShiftFormKind::Add,
                    date,
                    None,
                    &slots,
                    &members,
                ));
            }
            (RosterView::Day, Action::SwapShift | Action::LeaveShift | Action::Delete) => {
                let Some(shift) = self.selected_shift().cloned() else {
                    return Step::Stay;
                };
                if shift.state != ShiftState::Scheduled {
                    desk.error(crate::tr!(
                        "shift.refused_state",
                        state = crate::tr!(shift.state.key())
                    ));
                    return Step::Stay;
                }
                if action == Action::Delete {
                    return Step::Confirm(
                        Pending::RemoveShift(shift.meta.id),
                        crate::tr!("confirm.remove_shift"),
                    );
                }
                let kind = if action == Action::SwapShift {
                    ShiftFormKind::Swap
                } else {
                    ShiftFormKind::Leave
                };
                let members: Vec<(uuid::Uuid, String)> = desk
                    .member_choices()
                    .into_iter()
                    .filter(|(id, _)| *id != shift.member_id)
                    .collect();
                return Step::push(ShiftForm::new(
                    kind,
                    shift.date,
                    Some(shift.meta.id),
                    &[],
                    &members,
                ));
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            desk.fail(&e);
        }
        Step::Stay
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        if let (Pending::RemoveShift(id), true) = (pending, yes(answer)) {
            match desk.store.remove_shift(id) {
                Ok(_) => {
                    desk.say(crate::tr!("roster.removed"));
                    desk.changed(RecordKind::Shift, Some(id));
                }
                Err(e) => desk.fail(&e),
            }
        }
        Step::Stay
    }

    /// The month as stored now (a shift saved, signed in for, or missed).
    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if !matches!(kind, RecordKind::Shift | RecordKind::Member) {
            return;
        }
        let mut result = self.reload(&desk.store);
        if result.is_ok() && self.view == RosterView::Report {
            result = self.load_report(&desk.store, desk.local_now());
        }
        let count = self.day_shifts().len();
        if self.selected >= count {
            self.selected = count.saturating_sub(1);
        }
        if let Err(e) = result {
            desk.fail(&e);
        }
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("roster.title"), title, buf);
        // The month grid needs every row of the body at 80×24.
        let area = Rect::new(
            body.x + 2,
            body.y,
            body.width.saturating_sub(4),
            body.height,
        );
        self.render(area, buf, desk.today());
        None
    }
}

/// The month's roster as .ics and .xlsx into `documents/`.
fn write_roster(roster: &RosterState, desk: &mut Desk) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let month = roster.month();
    let stem = format!("值班表-{}", month.0.format("%Y-%m"));
    let dir = desk.documents_dir();
    let ics = crate::documents::roster::roster_ics(&station, &roster.shifts, &roster.names);
    let xlsx = crate::documents::roster::roster_xlsx(
        &station,
        month,
        &roster.slots,
        &roster.shifts,
        &roster.names,
        &roster.holidays,
    );
    let written = xlsx.and_then(|xlsx| {
        let ics_path = dir.join(crate::documents::safe_file_name(&stem, "ics"));
        let xlsx_path = dir.join(crate::documents::safe_file_name(&stem, "xlsx"));
        crate::documents::write_file(&ics_path, ics.as_bytes())?;
        crate::documents::write_file(&xlsx_path, &xlsx)?;
        Ok(vec![xlsx_path, ics_path])
    });
    match written {
        Ok(paths) => super::documents::written(desk, paths),
        Err(e) => desk.document_failed(&e),
    }
}

impl DeskForm for RotationForm {
    fn title(&self) -> String {
        crate::tr!("rotation.title")
    }

    /// Saving a rotation's form works it out: the preview opens above the form.
    fn after_save(&self, draft: RotationDraft, desk: &mut Desk) {
        let names = desk.member_choices().into_iter().collect();
        desk.show(RotationPreview {
            preview: draft.preview,
            names,
        });
    }

    fn stays_open(&self) -> bool {
        true
    }
}

/// The preview is drawn over the form it came from, as a popup is.
impl Layer for RotationPreview {
    fn context(&self) -> KeyContext {
        KeyContext::RosterPreview
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        match action {
            Action::Back => Step::Close,
            Action::Choose => {
                let preview = &self.preview;
                match desk.store.apply_rotation(preview) {
                    Ok(count) => {
                        desk.close::<RotationForm>();
                        desk.say(crate::tr!(
                            "rotation.applied",
                            count = count,
                            replaced = preview.replaced.len()
                        ));
                        desk.changed(RecordKind::Shift, None);
                        // The roster shows the month the rotation begins in.
                        if let Some((first, _, _)) = preview.shifts.first() {
                            open(desk, *first);
                        }
                    }
                    Err(e) => desk.fail(&e),
                }
                Step::Close
            }
            _ => Step::Stay,
        }
    }

    fn draw(&self, _desk: &Desk, _title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        render_preview(&self.preview, &self.names, body, buf);
        None
    }

    fn is_popup(&self) -> bool {
        true
    }
}

impl DeskForm for ShiftForm {
    /// The step, and the day it is about.
    fn title(&self) -> String {
        format!(
            "{} - {}",
            ShiftForm::title(self),
            self.date.format("%Y-%m-%d")
        )
    }

    fn after_save(&self, _saved: (), desk: &mut Desk) {
        desk.say(crate::tr!("roster.saved"));
        desk.changed(RecordKind::Shift, None);
    }
}

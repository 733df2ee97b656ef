//! The roster part of the desk's `update`: the month grid, a day, the report, generating a
//! rotation, shifts by hand, missed-shift detection and writing the month's roster.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::tui::layer::{Layer, Step};
use crate::tui::screens::roster::{render_preview, RotationPreview};
use crate::tui::screens::roster_form::RotationDraft;

impl App {
    /// Marks missed shifts, at most once a minute (and at start).
    pub(super) fn check_missed_shifts(&mut self) {
        if self.station.is_none() {
            return;
        }
        let now = self.now;
        let due = self
            .last_missed_check
            .is_none_or(|last| now.signed_duration_since(last) >= chrono::Duration::minutes(1));
        if !due {
            return;
        }
        self.last_missed_check = Some(now);
        match self.store.as_system(|s| s.mark_missed(now.naive_local())) {
            Ok(0) => {}
            Ok(_) => self.reload_roster(),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn reload_roster(&mut self) {
        let now = self.now.naive_local();
        let Some(roster) = self.roster.as_mut() else {
            return;
        };
        let mut result = roster.reload(&self.store);
        if result.is_ok() && roster.view == RosterView::Report {
            result = roster.load_report(&self.store, now);
        }
        let count = roster.day_shifts().len();
        if roster.selected >= count {
            roster.selected = count.saturating_sub(1);
        }
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    pub(super) fn update_roster(&mut self, action: Action) {
        let today = self.today();
        let now = self.now.naive_local();
        let Some(roster) = self.roster.as_mut() else {
            self.screen = Screen::Home;
            return;
        };
        let store = &self.store;
        let result = match (roster.view, action.clone()) {
            (RosterView::Month, Action::Left) | (RosterView::Day, Action::Left) => {
                roster.selected = 0;
                roster.move_by(store, -1)
            }
            (RosterView::Month, Action::Right) | (RosterView::Day, Action::Right) => {
                roster.selected = 0;
                roster.move_by(store, 1)
            }
            (RosterView::Month, Action::Up) => roster.move_by(store, -7),
            (RosterView::Month, Action::Down) => roster.move_by(store, 7),
            (RosterView::Month, Action::First) => {
                roster.cursor = today;
                roster.reload(store)
            }
            (RosterView::Month | RosterView::Report, Action::PageUp) => {
                let moved = roster.move_months(store, -1);
                if roster.view == RosterView::Report {
                    moved.and_then(|_| roster.load_report(store, now))
                } else {
                    moved
                }
            }
            (RosterView::Month | RosterView::Report, Action::PageDown) => {
                let moved = roster.move_months(store, 1);
                if roster.view == RosterView::Report {
                    moved.and_then(|_| roster.load_report(store, now))
                } else {
                    moved
                }
            }
            (RosterView::Month, Action::Open) => {
                roster.view = RosterView::Day;
                roster.selected = 0;
                Ok(())
            }
            (RosterView::Month, Action::ToggleReport) => {
                roster.view = RosterView::Report;
                roster.load_report(store, now)
            }
            (RosterView::Report, Action::Up) => {
                roster.report_selected = roster.report_selected.saturating_sub(1);
                Ok(())
            }
            (RosterView::Report, Action::Down) => {
                if roster.report_selected + 1 < roster.report.len() {
                    roster.report_selected += 1;
                }
                Ok(())
            }
            (RosterView::Report, Action::Open) => {
                if let Some((id, _, _)) = roster.report.get(roster.report_selected) {
                    let (id, year) = (*id, chrono::Datelike::year(&roster.month().0));
                    self.open_record(id, crate::domain::performance::Period::Year(year));
                }
                return;
            }
            (RosterView::Report, Action::ToggleYear) => {
                roster.report_year = !roster.report_year;
                roster.load_report(store, now)
            }
            (RosterView::Day, Action::Up) => {
                roster.selected = roster.selected.saturating_sub(1);
                Ok(())
            }
            (RosterView::Day, Action::Down) => {
                if roster.selected + 1 < roster.day_shifts().len() {
                    roster.selected += 1;
                }
                Ok(())
            }
            (RosterView::Day | RosterView::Report, Action::Back) => {
                roster.view = RosterView::Month;
                Ok(())
            }
            (RosterView::Month, Action::Back) => {
                self.roster = None;
                self.screen = Screen::Home;
                self.refresh_counts();
                return;
            }
            (RosterView::Month, Action::Generate) => {
                let cursor = roster.cursor;
                let members = self.member_choices();
                self.show(RotationForm::new(&members, cursor));
                return;
            }
            (RosterView::Month, Action::ExportRoster) => {
                self.write_roster();
                return;
            }
            (RosterView::Day, Action::AddShift) => {
                let (date, slots) = (roster.cursor, roster.slots.clone());
                let members = self.member_choices();
                self.show(ShiftForm::new(
                    ShiftFormKind::Add,
                    date,
                    None,
                    &slots,
                    &members,
                ));
                return;
            }
            (RosterView::Day, Action::SwapShift | Action::LeaveShift | Action::Delete) => {
                let Some(shift) = roster.selected_shift().cloned() else {
                    return;
                };
                if shift.state != crate::domain::roster::ShiftState::Scheduled {
                    self.message = Some(Message {
                        text: crate::tr!(
                            "shift.refused_state",
                            state = crate::tr!(shift.state.key())
                        ),
                        error: true,
                    });
                    return;
                }
                match action {
                    Action::Delete => self.popup(Overlay::Confirm(
                        Pending::RemoveShift(shift.meta.id),
                        crate::tr!("confirm.remove_shift"),
                    )),
                    _ => {
                        let kind = if action == Action::SwapShift {
                            ShiftFormKind::Swap
                        } else {
                            ShiftFormKind::Leave
                        };
                        let members: Vec<(Uuid, String)> = self
                            .member_choices()
                            .into_iter()
                            .filter(|(id, _)| *id != shift.member_id)
                            .collect();
                        self.show(ShiftForm::new(
                            kind,
                            shift.date,
                            Some(shift.meta.id),
                            &[],
                            &members,
                        ));
                    }
                }
                return;
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    /// The month's roster as .ics and .xlsx into `documents/`.
    fn write_roster(&mut self) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let Some(roster) = self.roster.as_ref() else {
            return;
        };
        let month = roster.month();
        let stem = format!("值班表-{}", month.0.format("%Y-%m"));
        let dir = crate::documents::documents_dir(self.store.path());
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
            Ok(paths) => self.document_written(paths),
            Err(e) => self.document_failed(&e),
        }
    }
}

impl DeskForm for RotationForm {
    fn title(&self, _app: &App) -> String {
        crate::tr!("rotation.title")
    }

    /// Saving a rotation's form works it out: the preview opens above the form.
    fn after_save(&self, draft: RotationDraft, app: &mut App) {
        let names = app.member_choices().into_iter().collect();
        app.show(RotationPreview {
            preview: draft.preview,
            names,
        });
    }

    fn stays_open(&self) -> bool {
        true
    }
}

impl Layer for RotationPreview {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::RosterPreview
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        match action {
            Action::Back => Step::Close,
            Action::Choose => {
                let preview = &self.preview;
                match app.store.apply_rotation(preview) {
                    Ok(count) => {
                        app.close::<RotationForm>();
                        app.say(crate::tr!(
                            "rotation.applied",
                            count = count,
                            replaced = preview.replaced.len()
                        ));
                        if let (Some(roster), Some((first, _, _))) =
                            (app.roster.as_mut(), preview.shifts.first())
                        {
                            roster.cursor = *first;
                        }
                        app.changed(RecordKind::Shift);
                    }
                    Err(e) => app.fail(&e),
                }
                Step::Close
            }
            _ => Step::Stay,
        }
    }

    /// Over the form it came from.
    fn draw(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        if let Some(form) = app.layer::<RotationForm>() {
            form.draw_form(app, title, body, buf);
        }
        render_preview(&self.preview, &self.names, body, buf);
        None
    }
}

impl DeskForm for ShiftForm {
    /// The step, and the day it is about.
    fn title(&self, _app: &App) -> String {
        format!(
            "{} — {}",
            ShiftForm::title(self),
            self.date.format("%Y-%m-%d")
        )
    }

    fn after_save(&self, _saved: (), app: &mut App) {
        app.say(crate::tr!("roster.saved"));
        app.changed(RecordKind::Shift);
    }
}

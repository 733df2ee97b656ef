//! The mediation part of the desk's `update`: the case list, a case, its forms, turning an
//! intake into a case, and writing the agreement.

use super::*;

impl App {
    fn mediator_choices(&mut self) -> Vec<(Uuid, String)> {
        match self.store.mediators() {
            Ok(list) => list,
            Err(e) => {
                self.fail(&e);
                Vec::new()
            }
        }
    }

    /// The new-case form, empty or made from `intake`.
    pub(super) fn open_case_form(&mut self, intake: Option<&Intake>) {
        let today = self.today();
        let types = self.store.choice_list("dispute_types");
        let mediators = self.mediator_choices();
        let prefill = intake.map(|i| {
            let mut fields = crate::domain::case::CaseFields::from_intake(i, "", today);
            // The receiving member stays the mediator only when they serve as one.
            fields
                .mediators
                .retain(|id| mediators.iter().any(|(m, _)| m == id));
            if fields.mediators.is_empty() {
                if let Some(me) = &self.signed_in {
                    if mediators.iter().any(|(m, _)| *m == me.id) {
                        fields.mediators.push(me.id);
                    }
                }
            }
            fields
        });
        self.case_form = Some(CaseForm::new(
            None,
            prefill,
            intake.map(|i| i.meta.id),
            &types,
            &mediators,
            today,
        ));
    }

    pub(super) fn open_case(&mut self, case: MediationCase) {
        match CaseDetail::load(&self.store, case) {
            Ok(detail) => {
                self.intake_detail = None;
                self.case_detail = Some(detail);
            }
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn reload_cases(&mut self) {
        let today = self.today();
        if let Err(e) = self.cases.reload(&self.store, today) {
            self.fail(&e);
        }
    }

    pub(super) fn update_cases(&mut self, action: Action) {
        let today = self.today();
        let result = match action {
            ref movement if movement.is_movement() => {
                let source = self.cases.source(&self.store, today);
                navigate(&mut self.cases.window, &source, movement)
            }
            Action::Open => {
                if let Some(case) = self.cases.selected().cloned() {
                    self.open_case(case);
                }
                Ok(())
            }
            Action::New => {
                self.open_case_form(None);
                Ok(())
            }
            Action::Filter => {
                let types = self.store.choice_list("dispute_types");
                let mediators = self.mediator_choices();
                self.case_filter_form =
                    Some(CaseFilterForm::new(&self.cases.filter, &types, &mediators));
                Ok(())
            }
            Action::ToggleUrgent => {
                self.cases.filter.overdue = !self.cases.filter.overdue;
                self.cases.refilter(&self.store, today)
            }
            Action::Back => {
                self.screen = Screen::Home;
                self.refresh_counts();
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    pub(super) fn update_case_detail(&mut self, action: Action) {
        let today = self.today();
        let Some(detail) = self.case_detail.as_mut() else {
            return;
        };
        let case = detail.case.clone();
        let step = match action {
            Action::Up => {
                detail.scroll_by(-1);
                None
            }
            Action::Down => {
                detail.scroll_by(1);
                None
            }
            Action::PageUp => {
                detail.scroll_by(-10);
                None
            }
            Action::PageDown => {
                detail.scroll_by(10);
                None
            }
            Action::Back => {
                self.case_detail = None;
                if self.screen == Screen::Cases {
                    self.reload_cases();
                }
                None
            }
            Action::Edit => {
                let types = self.store.choice_list("dispute_types");
                let mediators = self.mediator_choices();
                self.case_form = Some(CaseForm::new(
                    Some(&case),
                    None,
                    None,
                    &types,
                    &mediators,
                    today,
                ));
                None
            }
            Action::Delete => {
                self.overlays.push(Overlay::Confirm(
                    Pending::DeleteCase(case.meta.id),
                    crate::tr!(
                        "confirm.delete_case",
                        number = crate::text::sanitize(&case.case_no)
                    ),
                ));
                None
            }
            Action::ArchiveCase => {
                match self
                    .store
                    .case_event(case.meta.id, crate::domain::case::CaseEvent::Archive)
                {
                    Ok(case) => {
                        self.say(crate::tr!(
                            "cases.state_now",
                            state = crate::tr!(case.state.key())
                        ));
                        self.open_case(case);
                    }
                    Err(e) => self.fail(&e),
                }
                None
            }
            Action::WriteAgreement => {
                self.write_agreement(&case);
                None
            }
            Action::RecordSession => Some(CaseStep::Session),
            Action::ExtendCase => Some(CaseStep::Extend),
            Action::ConcludeCase => Some(CaseStep::Conclude),
            Action::CaseFollowUp => Some(CaseStep::FollowUp),
            Action::JudicialConfirmation => Some(CaseStep::Judicial),
            _ => None,
        };
        if let Some(step) = step {
            self.case_event_form = Some(CaseEventForm::new(step, &case, today));
        }
    }

    /// Writes the agreement into `documents/` beside the database and says where.
    fn write_agreement(&mut self, case: &MediationCase) {
        let Some(station) = self.station.clone() else {
            return;
        };
        let mediators = match self.store.member_names(&case.fields.mediators) {
            Ok(names) => names,
            Err(e) => {
                self.fail(&e);
                return;
            }
        };
        let context = crate::documents::AgreementContext {
            station: &station,
            mediators: &mediators,
        };
        let dir = crate::documents::documents_dir(self.store.path());
        match crate::documents::write_agreement(case, &context, &dir) {
            Ok(path) => self.say(crate::tr!("cases.agreement_written", path = path.display())),
            Err(e) => {
                self.message = Some(Message {
                    text: crate::messages::document_error(&e),
                    error: true,
                })
            }
        }
    }

    pub(super) fn update_case_form(&mut self, action: Action) {
        let editing = self.case_form.as_ref().is_some_and(|f| f.editing.is_some());
        let Some(case) = self.drive_form(|app| &mut app.case_form, action) else {
            return;
        };
        if editing {
            self.say(crate::tr!("cases.saved"));
        } else {
            self.say(crate::tr!(
                "cases.registered",
                number = crate::text::sanitize(&case.case_no),
                due = case.due
            ));
        }
        let today = self.today();
        self.screen = Screen::Cases;
        let shown = self
            .cases
            .refilter(&self.store, today)
            .and_then(|_| self.cases.show(&self.store, today, &case));
        if let Err(e) = shown {
            self.fail(&e);
        }
        self.open_case(case);
        self.refresh_counts();
    }

    pub(super) fn update_case_event_form(&mut self, action: Action) {
        let Some(case) = self.drive_form(|app| &mut app.case_event_form, action) else {
            return;
        };
        self.say(crate::tr!(
            "cases.state_now",
            state = crate::tr!(case.state.key())
        ));
        self.open_case(case);
    }

    pub(super) fn update_case_filter_form(&mut self, action: Action) {
        let Some((filter, name)) = self.drive_form(|app| &mut app.case_filter_form, action) else {
            return;
        };
        let today = self.today();
        self.cases.filter = filter;
        self.cases.mediator_name = name;
        if let Err(e) = self.cases.refilter(&self.store, today) {
            self.fail(&e);
        }
    }
}

//! The mediation part of the desk's `update`: the case list, a case, its forms, turning an
//! intake into a case, and writing the agreement.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::tui::layer::{Layer, Step};
use crate::tui::view::{draw_title, inset};

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
        self.show(CaseForm::new(
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
                self.close::<IntakeDetail>();
                self.show(detail);
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
                let form = CaseFilterForm::new(&self.cases.filter, &types, &mediators);
                self.show(form);
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

    pub(super) fn update_case_detail(&mut self, detail: &mut CaseDetail, action: Action) -> Step {
        let today = self.today();
        let mut done = Step::Stay;
        let case = detail.case.clone();
        if let Some(rows) = action.scroll_rows() {
            detail.scroll_by(rows);
            return done;
        }
        let step = match action {
            Action::Back => {
                done = Step::Close;
                if self.screen == Screen::Cases {
                    self.reload_cases();
                }
                None
            }
            Action::Edit => {
                let types = self.store.choice_list("dispute_types");
                let mediators = self.mediator_choices();
                self.show(CaseForm::new(
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
                done = Step::Confirm(
                    Pending::DeleteCase(case.meta.id),
                    crate::tr!(
                        "confirm.delete_case",
                        number = crate::text::sanitize(&case.case_no)
                    ),
                );
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
                done = self.ask_agreement_date(&case);
                None
            }
            Action::RecordSession => Some(CaseStep::Session),
            Action::ExtendCase => Some(CaseStep::Extend),
            Action::ConcludeCase => Some(CaseStep::Conclude),
            Action::CaseFollowUp => Some(CaseStep::FollowUp),
            Action::JudicialConfirmation => Some(CaseStep::Judicial),
            Action::ReopenClosed => Some(CaseStep::Reopen),
            _ => None,
        };
        match step {
            // A step the rules refuse for the case's state is refused before its form opens,
            // with the steps possible now.
            Some(step) if !case_allows(&case, Some(step), today) => {
                self.message = Some(Message {
                    text: refused_case_step(&case, Some(step), today),
                    error: true,
                });
                done
            }
            Some(step) => Step::push(CaseEventForm::new(step, &case, today)),
            None => done,
        }
    }
}

impl Layer for CaseDetail {
    fn context(&self, _app: &App) -> KeyContext {
        KeyContext::CaseDetail
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        app.update_case_detail(self, action)
    }

    fn draw(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("cases.detail_title"), title, buf);
        self.render(inset(body), buf, app.today());
        None
    }
}

impl DeskForm for CaseForm {
    fn title(&self, _app: &App) -> String {
        CaseForm::title(self)
    }

    fn after_save(&self, case: MediationCase, app: &mut App) {
        if self.editing.is_some() {
            app.say(crate::tr!("cases.saved"));
        } else {
            app.say(crate::tr!(
                "cases.registered",
                number = crate::text::sanitize(&case.case_no),
                due = case.due
            ));
        }
        let today = app.today();
        app.screen = Screen::Cases;
        let shown = app
            .cases
            .refilter(&app.store, today)
            .and_then(|_| app.cases.show(&app.store, today, &case));
        if let Err(e) = shown {
            app.fail(&e);
        }
        app.open_case(case);
        app.changed(RecordKind::Case);
    }
}

impl DeskForm for CaseEventForm {
    /// The step, and the case it is about.
    fn title(&self, app: &App) -> String {
        let about = app
            .layer::<CaseDetail>()
            .map(|d| d.case.case_no.clone())
            .unwrap_or_default();
        format!(
            "{} — {}",
            CaseEventForm::title(self),
            crate::text::sanitize(&about)
        )
    }

    fn after_save(&self, case: MediationCase, app: &mut App) {
        app.say(crate::tr!(
            "cases.state_now",
            state = crate::tr!(case.state.key())
        ));
        app.open_case(case);
    }

    fn question(
        &mut self,
        _store: &Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        Ok(CaseEventForm::question(self, today))
    }

    fn confirm(&mut self) {
        CaseEventForm::confirm(self);
    }
}

impl DeskForm for CaseFilterForm {
    fn title(&self, _app: &App) -> String {
        crate::tr!("cases.filter_title")
    }

    fn after_save(
        &self,
        (filter, name): (crate::store::CaseFilter, Option<String>),
        app: &mut App,
    ) {
        let today = app.today();
        app.cases.filter = filter;
        app.cases.mediator_name = name;
        if let Err(e) = app.cases.refilter(&app.store, today) {
            app.fail(&e);
        }
    }
}

/// The rules' name for a step of the case's screen (`None`: archiving).
fn case_action(step: Option<CaseStep>) -> crate::domain::case::CaseAction {
    use crate::domain::case::CaseAction as A;
    match step {
        Some(CaseStep::Session) => A::Session,
        Some(CaseStep::Extend) => A::Extend,
        Some(CaseStep::Conclude) => A::Conclude,
        Some(CaseStep::FollowUp) => A::FollowUp,
        Some(CaseStep::Judicial) => A::Judicial,
        Some(CaseStep::Reopen) => A::Reopen,
        None => A::Archive,
    }
}

fn case_allows(case: &MediationCase, step: Option<CaseStep>, on: chrono::NaiveDate) -> bool {
    case.allows(case_action(step), on)
}

/// "这个案件现在是「受理」，还不能「回访」；先按 1 调解记录"
fn refused_case_step(
    case: &MediationCase,
    wanted: Option<CaseStep>,
    on: chrono::NaiveDate,
) -> String {
    let steps: [(Option<CaseStep>, char, &str); 7] = [
        (Some(CaseStep::Session), '1', "keys.case_session"),
        (Some(CaseStep::Extend), '2', "keys.case_extend"),
        (Some(CaseStep::Conclude), '3', "keys.case_conclude"),
        (Some(CaseStep::FollowUp), '4', "keys.case_follow_up"),
        (Some(CaseStep::Judicial), '5', "keys.case_judicial"),
        (None, '6', "keys.case_archive"),
        (Some(CaseStep::Reopen), '7', "keys.case_reopen"),
    ];
    let label = steps
        .iter()
        .find(|(s, _, _)| *s == wanted)
        .map(|(_, _, l)| crate::tr!(*l))
        .unwrap_or_default();
    let next: Vec<String> = steps
        .iter()
        .filter(|(s, _, _)| case_allows(case, *s, on))
        .map(|(_, key, l)| format!("{key} {}", crate::tr!(*l)))
        .collect();
    if next.is_empty() {
        return crate::tr!(
            "cases.step_refused_final",
            state = crate::tr!(case.state.key()),
            step = label
        );
    }
    crate::tr!(
        "cases.step_refused",
        state = crate::tr!(case.state.key()),
        step = label,
        next = next.join(&crate::tr!("intakes.or"))
    )
}

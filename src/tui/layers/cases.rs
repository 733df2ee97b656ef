//! Mediation on the desk: the case list, a case, its forms, turning a visit into a case, and
//! writing the agreement.

use super::*;
use crate::documents::{DocumentError, SigningDate};
use crate::domain::case::MediationCase;
use crate::domain::{Intake, RecordKind};
use crate::store::CaseFilter;
use crate::text::sanitize;
use crate::tui::screens::case_detail::CaseDetail;
use crate::tui::screens::case_form::{CaseEventForm, CaseFilterForm, CaseForm, CaseStep};
use crate::tui::screens::cases::CasesState;
use crate::tui::screens::intake_detail::IntakeDetail;

/// The cases, as the screen above the home screen.
pub fn open_list(desk: &mut Desk) {
    let mut list = CasesState::default();
    list.window.page = CasesState::rows_for(desk.body_rows());
    match list.refilter(&desk.store, desk.today()) {
        Ok(()) => desk.base(list),
        Err(e) => desk.fail(&e),
    }
}

fn mediator_choices(desk: &mut Desk) -> Vec<(uuid::Uuid, String)> {
    match desk.store.mediators() {
        Ok(list) => list,
        Err(e) => {
            desk.fail(&e);
            Vec::new()
        }
    }
}

/// The new-case form, empty or made from `intake`.
pub fn open_form(desk: &mut Desk, intake: Option<&Intake>) {
    let today = desk.today();
    let types = desk.store.choice_list("dispute_types");
    let mediators = mediator_choices(desk);
    let prefill = intake.map(|i| {
        let mut fields = crate::domain::case::CaseFields::from_intake(i, "", today);
        // The receiving member stays the mediator only when they serve as one.
        fields
            .mediators
            .retain(|id| mediators.iter().any(|(m, _)| m == id));
        if fields.mediators.is_empty() {
            if let Some(me) = &desk.signed_in {
                if mediators.iter().any(|(m, _)| *m == me.id) {
                    fields.mediators.push(me.id);
                }
            }
        }
        fields
    });
    let form = CaseForm::new(
        None,
        prefill,
        intake.map(|i| i.meta.id),
        &types,
        &mediators,
        today,
    );
    desk.show(form);
}

/// A case, with its history, in place of the visit it came from.
pub fn open_case(desk: &mut Desk, case: MediationCase) {
    match CaseDetail::load(&desk.store, case) {
        Ok(detail) => {
            desk.close::<IntakeDetail>();
            desk.show(detail);
        }
        Err(e) => desk.fail(&e),
    }
}

impl Layer for CasesState {
    fn context(&self) -> KeyContext {
        KeyContext::CaseList
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let result = match action {
            ref movement if movement.is_movement() => {
                let source = self.source(&desk.store, today);
                navigate(&mut self.window, &source, movement)
            }
            Action::Open => {
                if let Some(case) = self.selected().cloned() {
                    open_case(desk, case);
                }
                Ok(())
            }
            Action::New => {
                open_form(desk, None);
                Ok(())
            }
            Action::Filter => {
                let types = desk.store.choice_list("dispute_types");
                let mediators = mediator_choices(desk);
                return Step::push(CaseFilterForm::new(&self.filter, &types, &mediators));
            }
            Action::ToggleUrgent => {
                self.filter.overdue = !self.filter.overdue;
                self.refilter(&desk.store, today)
            }
            Action::Back => return Step::Close,
            _ => Ok(()),
        };
        if let Err(e) = result {
            desk.fail(&e);
        }
        Step::Stay
    }

    fn filtered(&mut self, filter: Box<dyn std::any::Any>, desk: &mut Desk) {
        if let Ok(filter) = filter.downcast::<(CaseFilter, Option<String>)>() {
            let (filter, name) = *filter;
            self.filter = filter;
            self.mediator_name = name;
            if let Err(e) = self.refilter(&desk.store, desk.today()) {
                desk.fail(&e);
            }
        }
    }

    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if matches!(kind, RecordKind::Case | RecordKind::Member) {
            if let Err(e) = self.reload(&desk.store, desk.today()) {
                desk.fail(&e);
            }
        }
    }

    fn resize(&mut self, desk: &mut Desk) {
        let rows = CasesState::rows_for(desk.body_rows());
        let source = self.source(&desk.store, desk.today());
        if let Err(e) = self.window.set_page(&source, rows) {
            desk.fail(&e);
        }
    }

    fn is_base(&self) -> bool {
        true
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("cases.title"), title, buf);
        self.render(body, buf, desk.today());
        None
    }
}

impl Layer for CaseDetail {
    fn context(&self) -> KeyContext {
        KeyContext::CaseDetail
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        let today = desk.today();
        let case = &self.case;
        if let Some(rows) = action.scroll_rows() {
            self.scroll_by(rows);
            return Step::Stay;
        }
        let step = match action {
            Action::Back => return Step::Close,
            Action::Edit => {
                let types = desk.store.choice_list("dispute_types");
                let mediators = mediator_choices(desk);
                let form = CaseForm::new(Some(case), None, None, &types, &mediators, today);
                desk.show(form);
                return Step::Stay;
            }
            Action::Delete => {
                let number = sanitize(&case.case_no);
                return Step::Confirm(
                    Pending::Delete {
                        kind: RecordKind::Case,
                        id: case.meta.id,
                        done: crate::tr!("cases.deleted_done", number = number),
                    },
                    crate::tr!("confirm.delete_case", number = number),
                );
            }
            Action::ArchiveCase => {
                let archived = desk
                    .store
                    .case_event(case.meta.id, crate::domain::case::CaseEvent::Archive);
                match archived {
                    Ok(case) => {
                        desk.say(crate::tr!(
                            "cases.state_now",
                            state = crate::tr!(case.state.key())
                        ));
                        desk.changed(RecordKind::Case, Some(case.meta.id));
                    }
                    Err(e) => desk.fail(&e),
                }
                return Step::Stay;
            }
            Action::WriteAgreement => return ask_agreement_date(case, desk),
            Action::RecordSession => CaseStep::Session,
            Action::ExtendCase => CaseStep::Extend,
            Action::ConcludeCase => CaseStep::Conclude,
            Action::CaseFollowUp => CaseStep::FollowUp,
            Action::JudicialConfirmation => CaseStep::Judicial,
            Action::ReopenClosed => CaseStep::Reopen,
            _ => return Step::Stay,
        };
        // A step the rules refuse for the case's state is refused before its form opens, with
        // the steps possible now.
        if !case_allows(case, Some(step), today) {
            desk.error(refused_case_step(case, Some(step), today));
            return Step::Stay;
        }
        Step::push(CaseEventForm::new(step, case, today))
    }

    fn answer(&mut self, pending: Pending, answer: Answer, desk: &mut Desk) -> Step {
        // "No" leaves the date to be written by hand; Esc writes nothing.
        if let Pending::AgreementDate(id) = pending {
            match answer {
                Answer::Yes => write_agreement(desk, id, SigningDate::Filled),
                Answer::No => write_agreement(desk, id, SigningDate::Blank),
                Answer::Cancel => {}
            }
        }
        Step::Stay
    }

    /// The case as stored now (a step saved above it).
    fn refresh(&mut self, kind: RecordKind, _id: Option<uuid::Uuid>, desk: &mut Desk) {
        if !matches!(kind, RecordKind::Case | RecordKind::Intake) {
            return;
        }
        let id = self.case.meta.id;
        if let Some(mut detail) = reloaded::<MediationCase, _>(desk, id, CaseDetail::load) {
            detail.scroll = self.scroll;
            *self = detail;
        }
    }

    fn shows(&self) -> Option<(RecordKind, uuid::Uuid)> {
        Some((RecordKind::Case, self.case.meta.id))
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&crate::tr!("cases.detail_title"), title, buf);
        self.render(inset(body), buf, desk.today());
        None
    }
}

impl DeskForm for CaseForm {
    fn title(&self) -> String {
        CaseForm::title(self)
    }

    fn after_save(&self, case: MediationCase, desk: &mut Desk) {
        if self.editing.is_some() {
            desk.say(crate::tr!("cases.saved"));
        } else {
            desk.say(crate::tr!(
                "cases.registered",
                number = sanitize(&case.case_no),
                due = case.due
            ));
        }
        desk.changed(RecordKind::Case, Some(case.meta.id));
        // The cases list shows it, and the case opens above it.
        let today = desk.today();
        let mut list = CasesState::default();
        list.window.page = CasesState::rows_for(desk.body_rows());
        let shown = list
            .refilter(&desk.store, today)
            .and_then(|_| list.show(&desk.store, today, &case));
        match shown {
            Ok(()) => desk.base(list),
            Err(e) => desk.fail(&e),
        }
        open_case(desk, case);
    }
}

impl DeskForm for CaseEventForm {
    /// The step, and the case it is about.
    fn title(&self) -> String {
        format!(
            "{} - {}",
            CaseEventForm::title(self),
            sanitize(&self.case_no)
        )
    }

    fn after_save(&self, case: MediationCase, desk: &mut Desk) {
        desk.say(crate::tr!(
            "cases.state_now",
            state = crate::tr!(case.state.key())
        ));
        desk.changed(RecordKind::Case, Some(case.meta.id));
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
    fn title(&self) -> String {
        crate::tr!("cases.filter_title")
    }

    fn after_save(&self, filter: (CaseFilter, Option<String>), desk: &mut Desk) {
        desk.emit(crate::tui::layer::Effect::Filter(Box::new(filter)));
    }
}

/// Asks how the agreement's date is written, once the case has an agreement.
fn ask_agreement_date(case: &MediationCase, desk: &mut Desk) -> Step {
    let Some(crate::domain::case::Outcome::Success { .. }) = &case.outcome else {
        desk.error(crate::messages::document_error(&DocumentError::NoAgreement));
        return Step::Stay;
    };
    let date = case
        .concluded_on
        .map(crate::documents::chinese_date)
        .unwrap_or_default();
    Step::Confirm(
        Pending::AgreementDate(case.meta.id),
        crate::tr!("cases.agreement_date", date = date),
    )
}

/// Writes the agreement of case `id` into the documents folder.
fn write_agreement(desk: &mut Desk, id: uuid::Uuid, date: SigningDate) {
    let Some(station) = desk.station.clone() else {
        return;
    };
    let store = &desk.store;
    let loaded = store.get::<MediationCase>(id).and_then(|case| {
        let case = case.ok_or(StoreError::NotFound {
            kind: RecordKind::Case,
            id: id.to_string(),
        })?;
        let mediators = store.member_names(&case.fields.mediators)?;
        let committee = store.mediation_committee()?;
        Ok((case, mediators, committee))
    });
    let (case, mediators, committee) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return desk.fail(&e),
    };
    let context = crate::documents::AgreementContext {
        station: &station,
        mediators: &mediators,
        committee: &committee,
        date,
    };
    match crate::documents::write_agreement(&case, &context, &desk.documents_dir()) {
        Ok(path) => {
            super::documents::written(desk, vec![path]);
            if committee.is_empty() {
                desk.say(crate::tr!("cases.agreement_no_committee"));
            }
        }
        Err(e) => desk.document_failed(&e),
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

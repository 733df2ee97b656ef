//! One module a screen: its state, what its actions do, and how it is drawn.

pub mod case_detail;
pub mod case_form;
pub mod cases;
pub mod consult;
pub mod consult_form;
pub mod export;
pub mod home;
pub mod intake_detail;
pub mod intake_form;
pub mod intakes;
pub mod lock;
pub mod member_form;
pub mod members;
pub mod minutes_editor;
pub mod roster;
pub mod roster_form;
pub mod search;
pub mod settings;
pub mod signin;
pub mod wizard;

use chrono::{NaiveDate, NaiveDateTime};

use crate::store::{Store, StoreError, StoreResult};
use crate::tui::widgets::form::Form;

/// What Esc does on a form screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leave {
    /// Close, asking first when there are unsaved changes.
    AskIfDirty,
    /// Close at once (nothing is lost: a filter).
    Close,
    /// Leave the program (the first-run wizard: there is nothing behind it).
    Quit,
}

/// A screen that is a form: the app drives editing, leaving and saving the same way for all.
pub trait FormScreen {
    type Saved;
    fn form_mut(&mut self) -> &mut Form;
    fn form(&self) -> &Form;
    /// Checks and saves; `Ok(None)` when the form shows what to fix.
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError>;
    /// After each edit (the intake form looks up returning visitors).
    fn edited(&mut self, _store: &Store, _today: NaiveDate) -> StoreResult<()> {
        Ok(())
    }
    fn on_back(&self) -> Leave {
        Leave::AskIfDirty
    }
}

/// The form of a screen that keeps it in its `form` field.
macro_rules! form_in_field {
    () => {
        fn form_mut(&mut self) -> &mut Form {
            &mut self.form
        }
        fn form(&self) -> &Form {
            &self.form
        }
    };
}

impl FormScreen for member_form::MemberForm {
    type Saved = crate::domain::Member;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        member_form::MemberForm::save(self, store, now.date())
    }
}

impl FormScreen for wizard::Wizard {
    type Saved = crate::domain::Station;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        wizard::Wizard::save(self, store, now.date())
    }
    fn on_back(&self) -> Leave {
        Leave::Quit
    }
}

impl FormScreen for settings::SettingsForm {
    type Saved = settings::DeskSettings;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        settings::SettingsForm::save(self, store, now.date())
    }
}

impl FormScreen for intake_form::IntakeForm {
    type Saved = crate::domain::Intake;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        intake_form::IntakeForm::save(self, store, now)
    }
    fn edited(&mut self, store: &Store, today: NaiveDate) -> StoreResult<()> {
        self.refresh_context(store, today)
    }
}

impl FormScreen for intake_form::EventForm {
    type Saved = crate::domain::Intake;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        intake_form::EventForm::save(self, store, now.date())
    }
}

impl FormScreen for intake_form::FilterForm {
    type Saved = crate::store::IntakeFilter;
    form_in_field!();
    fn save(
        &mut self,
        _store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        Ok(self.filter(now.date()))
    }
    fn on_back(&self) -> Leave {
        Leave::Close
    }
}

impl FormScreen for case_form::CaseForm {
    type Saved = crate::domain::case::MediationCase;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        case_form::CaseForm::save(self, store, now.date())
    }
}

impl FormScreen for case_form::CaseEventForm {
    type Saved = crate::domain::case::MediationCase;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        case_form::CaseEventForm::save(self, store, now.date())
    }
}

impl FormScreen for case_form::CaseFilterForm {
    type Saved = (crate::store::CaseFilter, Option<String>);
    form_in_field!();
    fn save(
        &mut self,
        _store: &mut Store,
        _now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        Ok(Some(self.filter()))
    }
    fn on_back(&self) -> Leave {
        Leave::Close
    }
}

impl FormScreen for roster_form::RotationForm {
    type Saved = roster_form::RotationDraft;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        self.preview(store, now.date())
    }
}

impl FormScreen for roster_form::ShiftForm {
    type Saved = ();
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        roster_form::ShiftForm::save(self, store, now.date())
    }
}

impl FormScreen for consult_form::TopicForm {
    type Saved = crate::domain::consult::Topic;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        consult_form::TopicForm::save(self, store, now.date())
    }
}

impl FormScreen for consult_form::MeetingEditForm {
    type Saved = crate::domain::consult::Meeting;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        consult_form::MeetingEditForm::save(self, store, now)
    }
}

impl FormScreen for consult_form::ReportForm {
    type Saved = crate::domain::consult::Report;
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        consult_form::ReportForm::save(self, store, now.date())
    }
}

impl FormScreen for consult_form::StepForm {
    type Saved = ();
    form_in_field!();
    fn save(
        &mut self,
        store: &mut Store,
        now: NaiveDateTime,
    ) -> Result<Option<Self::Saved>, StoreError> {
        consult_form::StepForm::save(self, store, now)
    }
}

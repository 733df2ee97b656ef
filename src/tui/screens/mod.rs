//! One module a screen: its state, what its actions do, and how it is drawn.

pub mod activities;
pub mod case_detail;
pub mod case_form;
pub mod cases;
pub mod consult;
pub mod consult_form;
pub mod documents;
pub mod export;
pub mod home;
pub mod intake_detail;
pub mod intake_form;
pub mod intakes;
pub mod lock;
pub mod member_form;
pub mod member_names;
pub mod member_record;
pub mod members;
pub mod minutes_editor;
pub mod month_stats;
pub mod records_behind;
pub mod roster;
pub mod roster_form;
pub mod search;
pub mod settings;
pub mod signin;
pub mod unlock;
pub mod wizard;

use chrono::{Local, NaiveDate, NaiveDateTime};
use ratatui::text::{Line, Span};

use crate::store::{Store, StoreError, StoreResult};
use crate::tui::widgets::form::Form;

/// A labelled line of a detail view; labels are padded by display width (Chinese labels take
/// two columns a character).
pub fn detail_field(label: &str, value: String) -> Line<'static> {
    let pad = 12usize.saturating_sub(unicode_width::UnicodeWidthStr::width(label));
    Line::from(vec![
        Span::styled(
            format!("{label}{}", " ".repeat(pad)),
            crate::tui::theme::label(),
        ),
        Span::raw("  "),
        Span::raw(value),
    ])
}

/// The history block of a detail view: when, who, and what each change did.
pub fn history_lines(
    history: &[crate::store::AuditEntry],
    describe: impl Fn(&crate::store::AuditEntry) -> String,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        crate::tr!("intakes.history"),
        crate::tui::theme::header(),
    )];
    for entry in history {
        lines.push(Line::raw(format!(
            "  {}  {}  {}",
            entry.at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
            actor_label(&entry.actor),
            describe(entry)
        )));
    }
    lines
}

/// A count that stopped at the cap reads "1000+".
pub fn capped(count: i64) -> String {
    if count >= crate::store::INTAKE_COUNT_CAP {
        format!("{}+", crate::store::INTAKE_COUNT_CAP)
    } else {
        count.to_string()
    }
}

/// Who made a change, in words: a member's name as signed in, or what the program, the
/// station's setup, the demo or the command line did.
pub fn actor_label(actor: &str) -> String {
    match actor {
        "system" => crate::tr!("actor.system"),
        "setup" => crate::tr!("actor.setup"),
        "demo" => crate::tr!("actor.demo"),
        // Changes from before every change needed a sign-in.
        "desk" => crate::tr!("actor.desk"),
        other => match other.strip_prefix("cli:") {
            Some(user) => crate::tr!("actor.cli", user = crate::text::sanitize(user)),
            None => crate::text::sanitize(other).into_owned(),
        },
    }
}

/// A list's "due" cell: overdue since, due today, or the date.
pub fn due_text(due: Option<NaiveDate>, today: NaiveDate) -> String {
    match due {
        Some(due) if due < today => {
            crate::tr!("intakes.overdue_since", date = due.format("%m-%d"))
        }
        Some(due) if due == today => crate::tr!("intakes.due_today"),
        Some(due) => due.format("%m-%d").to_string(),
        None => String::new(),
    }
}

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

/// [`form_screen!`] for each `screen => saved, date|time;` of a list.
macro_rules! form_screens {
    ($($ty:ty => $saved:ty, $when:ident;)+) => {
        $(form_screen!($ty, $saved, $when);)+
    };
}

/// `FormScreen` for a screen with its form in `form`, whose own `save` takes the date (`date`)
/// or the time (`time`) and which leaves like any form.
macro_rules! form_screen {
    ($ty:ty, $saved:ty, $when:ident) => {
        impl FormScreen for $ty {
            type Saved = $saved;
            form_in_field!();
            fn save(
                &mut self,
                store: &mut Store,
                now: NaiveDateTime,
            ) -> Result<Option<Self::Saved>, StoreError> {
                <$ty>::save(self, store, form_screen!(@$when now))
            }
        }
    };
    (@date $now:ident) => {
        $now.date()
    };
    (@time $now:ident) => {
        $now
    };
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

/// `FormScreen` for a filter form: saving reads the filter, and Esc closes it at once
/// (nothing typed there is lost).
macro_rules! filter_screen {
    ($ty:ty, $saved:ty, |$form:ident, $now:ident| $read:expr) => {
        impl FormScreen for $ty {
            type Saved = $saved;
            form_in_field!();
            fn save(
                &mut self,
                _store: &mut Store,
                $now: NaiveDateTime,
            ) -> Result<Option<Self::Saved>, StoreError> {
                let $form = self;
                Ok($read)
            }
            fn on_back(&self) -> Leave {
                Leave::Close
            }
        }
    };
}

filter_screen!(
    intake_form::FilterForm,
    crate::store::IntakeFilter,
    |form, now| form.filter(now.date())
);
filter_screen!(
    documents::RegisterForm,
    documents::RegisterRequest,
    |form, now| form.request(now.date())
);
filter_screen!(
    case_form::CaseFilterForm,
    (crate::store::CaseFilter, Option<String>),
    |form, _now| Some(form.filter())
);

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

form_screens! {
    member_form::MemberForm => crate::domain::Member, date;
    settings::SettingsForm => settings::DeskSettings, date;
    intake_form::EventForm => crate::domain::Intake, date;
    case_form::CaseForm => crate::domain::case::MediationCase, date;
    case_form::CaseEventForm => crate::domain::case::MediationCase, date;
    roster_form::ShiftForm => (), date;
    consult_form::TopicForm => crate::domain::consult::Topic, date;
    consult_form::MeetingEditForm => crate::domain::consult::Meeting, time;
    consult_form::ReportForm => crate::domain::consult::Report, date;
    consult_form::StepForm => (), time;
    activities::ActivityForm => crate::domain::activity::Activity, date;
}

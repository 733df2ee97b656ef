//! The desk's state and `update`: actions change the state and ask the store for work.
//! Drawing is in `view`.

mod activities;
mod cases;
mod consult;
mod documents;
mod effects;
mod export;
mod home;
mod intakes;
mod layers;
mod member_record;
mod members;
mod popups;
mod roster;
mod search;
mod session;

use chrono::{DateTime, Local};
use crossterm::event::KeyEvent;
use uuid::Uuid;

use super::action::Action;
use super::keymap::{self, KeyContext};
use super::layer::Layer;
use super::screens::case_detail::CaseDetail;
use super::screens::case_form::{CaseEventForm, CaseFilterForm, CaseForm, CaseStep};
use super::screens::cases::CasesState;
use super::screens::export::{ExportEvent, ExportState};
use super::screens::intake_detail::IntakeDetail;
use super::screens::intake_form::{EventForm, EventKind, FilterForm, IntakeForm};
use super::screens::intakes::IntakesState;
use super::screens::member_form::MemberForm;
use super::screens::members::MembersState;
use super::screens::minutes_editor::MinutesEditor;
use super::screens::roster::{RosterState, RosterView};
use super::screens::roster_form::{RotationForm, ShiftForm, ShiftFormKind};
use super::screens::search::{grouped_hits, SearchState};
use super::screens::settings::{DeskSettings, SettingsForm};
use super::screens::signin::{matching_members, PinPrompt, SignInPicker};
use super::screens::wizard::Wizard;
use super::screens::{FormScreen, Leave};
use super::widgets::window::{PageSource, Window};
use crate::domain::case::MediationCase;
use crate::domain::{Intake, IntakeEvent, Member, RecordKind, Station};
use crate::i18n::{self, Language};
use crate::store::{DueFilter, IntakeFilter, MemberFilter, SearchHit, Store, StoreError};
pub use layers::DeskForm;

/// The screens of the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Members,
    Intakes,
    Cases,
    Roster,
    Consult,
    Export,
}

/// What a confirmation is asking about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    DiscardForm,
    DeleteMember(Uuid),
    DeleteIntake(Uuid),
    DeleteCase(Uuid),
    DeleteActivity(Uuid),
    RemoveShift(Uuid),
    /// Restore the minutes draft of this meeting (yes) or discard it (no).
    RestoreDraft(Uuid),
    /// Leave the minutes editor without saving.
    DiscardMinutes,
    /// Export although nothing changed since the last bundle.
    ExportEmpty,
    /// Write the agreement of this case with the signing date printed (yes) or left blank to
    /// be written by hand (no).
    AgreementDate(Uuid),
    /// Save the form on top, which closes something (结案): it said what will be recorded.
    SaveForm,
    /// Close this visit (办结).
    CloseIntake(Uuid),
    /// Answer this visit with its case's outcome and close it.
    CloseFromCase(Uuid),
    /// Complete this topic's loop.
    CompleteTopic(Uuid),
    /// Answer and close every visit handed over to this topic or report.
    AnswerVisits(crate::domain::RecordKind, Uuid),
}

/// Popups above the screen; the top one gets the keys first.
pub enum Overlay {
    /// Help for the context underneath.
    Help(KeyContext),
    Confirm(Pending, String),
    SignIn(SignInPicker),
    Pin(PinPrompt),
    Search(SearchState),
}

/// A one-line message above the key bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Who is signed in at the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: Uuid,
    pub name: String,
}

pub struct App {
    pub store: Store,
    pub station: Option<Station>,
    pub screen: Screen,
    pub members: MembersState,
    pub intakes: IntakesState,
    pub cases: CasesState,
    pub roster: Option<RosterState>,
    pub consult: Option<crate::tui::screens::consult::ConsultState>,
    /// When missed shifts were last looked for (once a minute).
    last_missed_check: Option<DateTime<Local>>,
    pub counts: DeskCounts,
    /// The home screen's dashboard, read with the counts.
    pub dashboard: Option<crate::domain::performance::Dashboard>,
    pub export: ExportState,
    /// The running export job's reports.
    export_job: Option<std::sync::mpsc::Receiver<ExportEvent>>,
    /// Forms, detail views and editors above the base screen; the last one gets the keys.
    stack: Vec<Box<dyn Layer>>,
    pub locked: bool,
    pub signed_in: Option<SignedIn>,
    pub message: Option<Message>,
    pub now: DateTime<Local>,
    pub last_input: DateTime<Local>,
    pub lock_minutes: u32,
    /// The terminal's size, for how many rows a list fetches.
    pub size: (u16, u16),
    /// Forgetting who was signed in failed (lock, sign-out): it is tried again at every tick
    /// until it is written, so that a restart cannot sign them back in.
    sign_in_to_forget: bool,
    /// Who the roster has on duty today, for the home screen.
    pub rostered_today: String,
    pub quit: bool,
    /// Messages from work running off the UI thread (the daily backup).
    notices: Option<std::sync::mpsc::Receiver<Message>>,
    /// Opens and prints documents with the system's programs.
    pub launcher: crate::documents::launch::Launcher,
    /// Whether the station requires PINs (read at the start and after the member form or the
    /// settings are saved, not at every key).
    pins_required: bool,
    /// A change asked for while nobody was signed in: it goes on once someone has.
    pending_change: Option<Action>,
}

/// What the home screen counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeskCounts {
    pub active_members: i64,
    pub visits_today: i64,
    pub overdue: i64,
    pub due_today: i64,
    /// Cases still being mediated, and those whose next date has passed.
    pub open_cases: i64,
    pub overdue_cases: i64,
}

/// The actor of changes made while a station has no active member yet.
pub const SETUP_ACTOR: &str = "setup";

/// Rows the shell takes around a screen's body: status, title, message, key bar.
pub const SHELL_ROWS: u16 = 4;

impl App {
    /// The desk on `store`. `language` given on the command line wins over the settings.
    pub fn new(
        store: Store,
        now: DateTime<Local>,
        language: Option<Language>,
    ) -> Result<App, StoreError> {
        let station = store.station()?;
        let settings = DeskSettings::load(&store)?;
        i18n::use_language(language.or(settings.language).unwrap_or_default());
        let mut app = App {
            store,
            station,
            screen: Screen::Home,
            members: MembersState::default(),
            intakes: IntakesState::default(),
            cases: CasesState::default(),
            roster: None,
            consult: None,
            last_missed_check: None,
            counts: DeskCounts::default(),
            dashboard: None,
            export: ExportState::default(),
            export_job: None,
            stack: Vec::new(),
            locked: false,
            signed_in: None,
            message: None,
            now,
            last_input: now,
            lock_minutes: settings.lock_minutes,
            size: (80, 24),
            sign_in_to_forget: false,
            rostered_today: String::new(),
            quit: false,
            notices: None,
            launcher: crate::documents::launch::Launcher::from_env(),
            pins_required: false,
            pending_change: None,
        };
        if app.station.is_none() {
            app.stack.push(Box::new(Wizard::new()));
        }
        app.nobody_at_desk();
        // With PINs required the desk starts locked; otherwise whoever signed in today is
        // still signed in after a restart.
        app.pins_required = app.store.pins_required()?;
        if app.station.is_some() {
            if app.pins_required {
                app.locked = true;
            } else {
                app.restore_sign_in();
            }
        }
        app.check_missed_shifts();
        app.refresh_counts();
        if app.station.is_some() {
            app.offer_drafts();
        }
        Ok(app)
    }

    /// Messages from background work appear on the message line as they arrive.
    pub fn attach_notices(&mut self, notices: std::sync::mpsc::Receiver<Message>) {
        self.notices = Some(notices);
    }

    /// Takes in what background work has said since the last call.
    pub fn poll_notices(&mut self) {
        if let Some(notices) = &self.notices {
            while let Ok(message) = notices.try_recv() {
                self.message = Some(message);
            }
        }
    }

    /// Where the keys go now.
    pub fn context(&self) -> KeyContext {
        match self.stack.last() {
            Some(top) if top.is_popup() => return top.context(self),
            _ if self.locked => return KeyContext::Lock,
            Some(top) => return top.context(self),
            None => {}
        }
        match self.screen {
            Screen::Home => KeyContext::Home,
            Screen::Intakes => KeyContext::IntakeList,
            Screen::Cases => KeyContext::CaseList,
            Screen::Consult => KeyContext::Consult,
            Screen::Roster => match self.roster.as_ref().map(|r| r.view) {
                Some(RosterView::Day) => KeyContext::RosterDay,
                Some(RosterView::Report) => KeyContext::RosterReport,
                _ => KeyContext::Roster,
            },
            Screen::Export => KeyContext::Export,
            Screen::Members if self.members.deleted_view => KeyContext::DeletedList,
            Screen::Members => KeyContext::List,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.last_input = self.now;
        // A message stays until the next key; what that key does may say something new.
        self.message = None;
        if let Some(action) = keymap::action_for(self.context(), key) {
            self.update(action);
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        let rows = MembersState::rows_for(height.saturating_sub(SHELL_ROWS));
        let intake_rows = IntakesState::rows_for(height.saturating_sub(SHELL_ROWS));
        let case_rows = CasesState::rows_for(height.saturating_sub(SHELL_ROWS));
        let today = self.today();
        let source = self.intakes.source(&self.store, today);
        if let Err(e) = self.intakes.window.set_page(&source, intake_rows) {
            self.fail(&e);
        }
        if self.screen == Screen::Cases {
            let source = self.cases.source(&self.store, today);
            if let Err(e) = self.cases.window.set_page(&source, case_rows) {
                self.fail(&e);
            }
        } else {
            self.cases.window.page = case_rows;
        }
        if self.screen == Screen::Members {
            let source = self.members.source(&self.store);
            if let Err(e) = self.members.window.set_page(&source, rows) {
                self.fail(&e);
            }
        } else {
            self.members.window.page = rows;
        }
    }

    /// The clock moved: lock after the idle time.
    pub fn tick(&mut self, now: DateTime<Local>) {
        self.now = now;
        if self.sign_in_to_forget {
            self.forget_sign_in();
        }
        self.check_missed_shifts();
        self.save_minutes_draft();
        let idle = now.signed_duration_since(self.last_input);
        let can_lock = self.station.is_some() && self.layer::<Wizard>().is_none() && !self.locked;
        if can_lock && idle >= chrono::Duration::minutes(i64::from(self.lock_minutes)) {
            self.lock();
        }
    }

    pub fn lock(&mut self) {
        self.locked = true;
        self.signed_in = None;
        self.nobody_at_desk();
        self.forget_sign_in();
        self.stack.retain(|l| !l.is_popup());
    }

    fn say(&mut self, text: String) {
        self.message = Some(Message { text, error: false });
    }

    fn fail(&mut self, err: &StoreError) {
        self.message = Some(Message {
            text: crate::messages::store_error(err),
            error: true,
        });
    }

    /// Reads again whether PINs are required (a PIN or the setting may have changed).
    pub(super) fn refresh_pins_required(&mut self) {
        match self.store.pins_required() {
            Ok(required) => self.pins_required = required,
            Err(e) => self.fail(&e),
        }
    }

    fn today(&self) -> chrono::NaiveDate {
        self.now.date_naive()
    }

    /// The desk's clock as a local time without its zone, as the domain takes it.
    fn local_now(&self) -> chrono::NaiveDateTime {
        self.now.naive_local()
    }

    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.resume_after_sign_in();
    }

    /// Nobody is at the desk: a change waits for someone to sign in. Only while the station has
    /// no active member yet (it is being set up) are changes made, as the station's `setup`.
    pub(super) fn nobody_at_desk(&mut self) {
        match self.store.count_members(&MemberFilter::default()) {
            Ok(0) => self.store.set_actor(SETUP_ACTOR),
            _ => self.store.set_nobody(),
        }
    }

    /// The sign-in list, for `action` asked while nobody was signed in.
    pub(super) fn sign_in_before(&mut self, action: Action) {
        match SignInPicker::open(&self.store) {
            Ok(mut picker) => {
                picker.before_change = true;
                self.pending_change = Some(action);
                self.popup(Overlay::SignIn(picker));
            }
            Err(e) => self.fail(&e),
        }
    }

    /// After the sign-in popups have closed: the change asked before goes on, or, when nobody
    /// signed in after all, is dropped.
    fn resume_after_sign_in(&mut self) {
        if self.pending_change.is_none() || self.top_layer().is_some_and(|l| l.is_popup()) {
            return;
        }
        if let Some(action) = self.pending_change.take() {
            if self.signed_in.is_some() {
                self.update(action);
            }
        }
    }

    fn dispatch(&mut self, action: Action) {
        let showing_help = self
            .top_layer()
            .and_then(|l| l.as_any().downcast_ref::<Overlay>())
            .is_some_and(|o| matches!(o, Overlay::Help(_)));
        if matches!(action, Action::Help) && !showing_help {
            let context = self.context();
            self.popup(Overlay::Help(context));
            return;
        }
        if self.top_layer().is_some_and(|l| l.is_popup()) {
            self.update_top(action);
            return;
        }
        if matches!(action, Action::Quit) {
            if self.any_dirty_layer() {
                self.popup(Overlay::Confirm(
                    Pending::Quit,
                    crate::tr!("confirm.quit_unsaved"),
                ));
            } else {
                self.quit = true;
            }
            return;
        }
        // A PIN set while nobody was signed in makes PINs required: nobody may change
        // anything now, so the desk locks (what is typed stays behind the lock).
        if !self.locked
            && self.signed_in.is_none()
            && self.station.is_some()
            && self.pins_required
            && self.layer::<Wizard>().is_none()
        {
            self.lock();
        }
        if self.locked {
            if action == Action::SignIn {
                self.open_sign_in();
            }
            return;
        }
        let exporting = action == Action::Choose && self.context() == KeyContext::Export;
        if (action.begins_change() || exporting)
            && self.signed_in.is_none()
            && self.store.actor() == crate::store::NOBODY
        {
            self.sign_in_before(action);
            return;
        }
        match action {
            Action::QuickEntry => {
                self.open_intake_form(None);
                return;
            }
            Action::OpenSearch => {
                self.popup(Overlay::Search(SearchState::default()));
                return;
            }
            _ => {}
        }
        if !self.stack.is_empty() {
            self.update_top(action);
        } else {
            match self.screen {
                Screen::Home => self.update_home(action),
                Screen::Members => self.update_members(action),
                Screen::Intakes => self.update_intakes(action),
                Screen::Cases => self.update_cases(action),
                Screen::Roster => self.update_roster(action),
                Screen::Consult => self.update_consult(action),
                Screen::Export => self.update_export(action),
            }
        }
    }
}

/// Moves a list window for the movement actions.
fn navigate<S: PageSource>(
    window: &mut Window<S::Row, S::Cursor>,
    source: &S,
    action: &Action,
) -> Result<(), S::Error> {
    match action {
        Action::Up => window.up(source),
        Action::Down => window.down(source),
        Action::PageUp => window.page_up(source),
        Action::PageDown => window.page_down(source),
        Action::First => window.first(source),
        Action::Last => window.last(source),
        _ => Ok(()),
    }
}

/// The editing every form shares: moving between fields, choosing options, typing and pasting.
/// Gives back the actions that are the screen's own (save, leave…).
fn edit_form(form: &mut super::widgets::form::Form, action: Action) -> Option<Action> {
    match action {
        Action::NextField => form.next_field(),
        Action::NextSection => form.jump_section(1),
        Action::PrevSection => form.jump_section(-1),
        Action::PrevField => form.prev_field(),
        Action::PrevOption => form.cycle_option(-1),
        Action::NextOption => form.cycle_option(1),
        Action::Input(key) => form.input(key),
        Action::Paste(text) => form.paste(&text),
        other => return Some(other),
    }
    None
}

//! The desk's state and `update`: actions change the state and ask the store for work.
//! Drawing is in `view`.

mod cases;
mod consult;
mod intakes;
mod layers;
mod members;
mod roster;
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
    RemoveShift(Uuid),
    /// Restore the minutes draft of this meeting (yes) or discard it (no).
    RestoreDraft(Uuid),
    /// Leave the minutes editor without saving.
    DiscardMinutes,
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
    pub export: ExportState,
    /// The running export job's reports.
    export_job: Option<std::sync::mpsc::Receiver<ExportEvent>>,
    pub overlays: Vec<Overlay>,
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
    pub active_members: i64,
    /// Who the roster has on duty today, for the home screen.
    pub rostered_today: String,
    pub quit: bool,
    /// Messages from work running off the UI thread (the daily backup).
    notices: Option<std::sync::mpsc::Receiver<Message>>,
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
            export: ExportState::default(),
            export_job: None,
            overlays: Vec::new(),
            stack: Vec::new(),
            locked: false,
            signed_in: None,
            message: None,
            now,
            last_input: now,
            lock_minutes: settings.lock_minutes,
            size: (80, 24),
            active_members: 0,
            rostered_today: String::new(),
            quit: false,
            notices: None,
        };
        if app.station.is_none() {
            app.stack.push(Box::new(Wizard::new()));
        }
        app.store.set_actor("desk");
        app.check_missed_shifts();
        app.refresh_counts();
        if app.station.is_some() {
            app.offer_drafts();
        }
        Ok(app)
    }

    fn refresh_counts(&mut self) {
        if self.station.is_none() {
            return;
        }
        let today = self.today();
        let result = (|| -> Result<DeskCounts, StoreError> {
            let count = |filter: IntakeFilter| self.store.count_intakes(&filter, today);
            Ok(DeskCounts {
                active_members: self.store.count_members(&MemberFilter::default())?,
                visits_today: count(IntakeFilter {
                    from: Some(today),
                    to: Some(today),
                    ..IntakeFilter::default()
                })?,
                overdue: count(IntakeFilter {
                    due: DueFilter::Overdue,
                    ..IntakeFilter::default()
                })?,
                due_today: count(IntakeFilter {
                    due: DueFilter::DueToday,
                    ..IntakeFilter::default()
                })?,
                open_cases: self.store.count_open_cases()?,
                overdue_cases: self.store.count_cases(
                    &crate::store::CaseFilter {
                        overdue: true,
                        ..Default::default()
                    },
                    today,
                )?,
            })
        })();
        match result {
            Ok(counts) => {
                self.counts = counts;
                self.active_members = counts.active_members;
            }
            Err(e) => self.fail(&e),
        }
        let rostered = self.store.shifts_between(today, today).and_then(|shifts| {
            let names = self.store.shift_names(&shifts)?;
            Ok(shifts
                .iter()
                .filter(|s| {
                    !matches!(
                        s.state,
                        crate::domain::roster::ShiftState::Swapped
                            | crate::domain::roster::ShiftState::Leave
                    )
                })
                .map(|s| {
                    format!(
                        "{}（{}{}）",
                        names.get(&s.member_id).cloned().unwrap_or_default(),
                        crate::tr!(s.slot.key()),
                        s.state.mark().trim()
                    )
                })
                .collect::<Vec<_>>()
                .join("、"))
        });
        match rostered {
            Ok(text) => self.rostered_today = text,
            Err(e) => self.fail(&e),
        }
    }

    /// The active members, `(id, name)`, for selection lists.
    fn member_choices(&self) -> Vec<(Uuid, String)> {
        self.store
            .members_after(&MemberFilter::default(), None, 500)
            .map(|members| {
                members
                    .into_iter()
                    .map(|m| (m.meta.id, m.fields.name))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Messages from background work appear on the message line as they arrive.
    pub fn attach_notices(&mut self, notices: std::sync::mpsc::Receiver<Message>) {
        self.notices = Some(notices);
    }

    /// Takes in what the export job has said since the last call.
    pub fn poll_export(&mut self) {
        let Some(job) = &self.export_job else {
            return;
        };
        let mut finished = false;
        while let Ok(event) = job.try_recv() {
            match event {
                ExportEvent::Progress(p) => self.export.progress = Some(p),
                ExportEvent::Done(message, ok) => {
                    self.export.progress = None;
                    self.export.outcome = Some((message, ok));
                    finished = true;
                }
            }
        }
        if finished {
            self.export_job = None;
            self.export.refresh(&self.store);
        }
    }

    /// Whether an export job is running.
    pub fn exporting(&self) -> bool {
        self.export_job.is_some()
    }

    fn update_export(&mut self, action: Action) {
        match action {
            Action::Up => self.export.up(),
            Action::Down => self.export.down(),
            Action::Back if !self.exporting() => {
                if self.export.showing_history {
                    self.export.showing_history = false;
                } else {
                    self.screen = Screen::Home;
                    self.refresh_counts();
                }
            }
            Action::ToggleAll => {
                self.export.all = !self.export.all;
                self.export.refresh(&self.store);
            }
            Action::TogglePlaintext => self.export.plaintext = !self.export.plaintext,
            Action::ToggleHistory => self.export.showing_history = !self.export.showing_history,
            Action::Choose if !self.exporting() => self.start_export(),
            _ => {}
        }
    }

    /// Runs the export (or writes a past bundle again) on its own connection, off the UI
    /// thread; `poll_export` takes in its progress and outcome.
    fn start_export(&mut self) {
        let Some(target) = self.export.target().cloned() else {
            self.export.outcome = Some((crate::tr!("export.no_drives"), false));
            return;
        };
        let again = if self.export.showing_history {
            match self.export.history.get(self.export.history_selected) {
                Some(b) => Some(b.file_name.clone()),
                None => return,
            }
        } else {
            None
        };
        let options = crate::bundle::ExportOptions {
            all: self.export.all,
            plaintext: self.export.plaintext,
        };
        let path = self.store.path().to_path_buf();
        let actor = self.store.actor().to_string();
        let language = i18n::current_language();
        let (sender, job) = std::sync::mpsc::channel();
        self.export.outcome = None;
        self.export.progress = Some(0.0);
        self.export_job = Some(job);
        std::thread::spawn(move || {
            i18n::set_thread_language(language);
            let result = Store::open(&path)
                .map_err(crate::bundle::BundleError::from)
                .and_then(|mut store| {
                    store.set_actor(&actor);
                    match &again {
                        Some(name) => {
                            crate::bundle::write_again(&store, name, &target).map(|written| {
                                crate::tr!("export.written_again", path = written.display())
                            })
                        }
                        None => {
                            let progress_sender = sender.clone();
                            crate::bundle::export_with_progress(
                                &mut store,
                                &target,
                                options,
                                &mut |p| {
                                    let _ = progress_sender.send(ExportEvent::Progress(p));
                                },
                            )
                            .map(|outcome| {
                                let count: u64 =
                                    outcome.manifest.counts.iter().map(|(_, n)| n).sum();
                                crate::tr!(
                                    "bundle.exported",
                                    path = outcome.path.display(),
                                    seq = outcome.manifest.seq,
                                    count = count
                                )
                            })
                        }
                    }
                });
            let event = match result {
                Ok(message) => ExportEvent::Done(message, true),
                Err(e) => ExportEvent::Done(crate::messages::bundle_error(&e), false),
            };
            let _ = sender.send(event);
        });
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
        match self.overlays.last() {
            Some(Overlay::Help(_)) => return KeyContext::Help,
            Some(Overlay::Confirm(..)) => return KeyContext::Confirm,
            Some(Overlay::SignIn(_)) => return KeyContext::Picker,
            Some(Overlay::Pin(_)) => return KeyContext::Pin,
            Some(Overlay::Search(_)) => return KeyContext::Search,
            None => {}
        }
        if self.locked {
            return KeyContext::Lock;
        }
        if let Some(top) = self.stack.last() {
            return top.context(self);
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
        self.store.set_actor("desk");
        self.overlays.clear();
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

    fn today(&self) -> chrono::NaiveDate {
        self.now.date_naive()
    }

    pub fn update(&mut self, action: Action) {
        if matches!(action, Action::Help) && !matches!(self.overlays.last(), Some(Overlay::Help(_)))
        {
            let context = self.context();
            self.overlays.push(Overlay::Help(context));
            return;
        }
        if !self.overlays.is_empty() {
            self.update_overlay(action);
            return;
        }
        if matches!(action, Action::Quit) {
            if self.any_dirty_layer() {
                self.overlays.push(Overlay::Confirm(
                    Pending::Quit,
                    crate::tr!("confirm.quit_unsaved"),
                ));
            } else {
                self.quit = true;
            }
            return;
        }
        if self.locked {
            if action == Action::SignIn {
                self.open_sign_in();
            }
            return;
        }
        match action {
            Action::QuickEntry => {
                self.open_intake_form(None);
                return;
            }
            Action::OpenSearch => {
                self.overlays.push(Overlay::Search(SearchState::default()));
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

    fn update_overlay(&mut self, action: Action) {
        let Some(top) = self.overlays.last_mut() else {
            return;
        };
        match top {
            Overlay::Help(_) => {
                if action == Action::Back {
                    self.overlays.pop();
                }
            }
            Overlay::Confirm(pending, _) => match action {
                Action::Yes => {
                    let pending = pending.clone();
                    self.overlays.pop();
                    self.confirmed(pending);
                }
                Action::No | Action::Back => {
                    let pending = pending.clone();
                    self.overlays.pop();
                    if let Pending::RestoreDraft(id) = pending {
                        self.restore_draft(id, false);
                    }
                }
                _ => {}
            },
            Overlay::SignIn(picker) => match action {
                Action::Back => {
                    self.overlays.pop();
                }
                Action::Choose => {
                    let chosen = picker.list.chosen().cloned();
                    self.overlays.pop();
                    if let Some(member) = chosen {
                        self.begin_sign_in(&member);
                    }
                }
                other => {
                    let store = &self.store;
                    if let Err(e) = picker.list.handle(&other, |q| matching_members(store, q)) {
                        self.fail(&e);
                    }
                }
            },
            Overlay::Search(search) => match action {
                Action::Back => {
                    self.overlays.pop();
                }
                Action::Open => {
                    if let Some(hit) = search.list.chosen().cloned() {
                        self.overlays.pop();
                        if let Err(e) = self.open_hit(&hit) {
                            self.fail(&e);
                        }
                    }
                }
                other => {
                    let store = &self.store;
                    if let Err(e) = search.list.handle(&other, |q| grouped_hits(store, q)) {
                        self.fail(&e);
                    }
                }
            },
            Overlay::Pin(prompt) => match action {
                Action::Input(key) => {
                    prompt.input.input(key);
                    prompt.error = None;
                }
                Action::Paste(text) => {
                    prompt.input.paste(&text);
                }
                Action::Back => {
                    self.overlays.pop();
                }
                Action::Choose => {
                    let (id, name, pin) =
                        (prompt.member_id, prompt.name.clone(), prompt.input.value());
                    match self.store.verify_member_pin(id, &pin) {
                        Ok(true) => {
                            self.overlays.pop();
                            self.sign_in(id, &name);
                        }
                        Ok(false) => {
                            if let Some(Overlay::Pin(prompt)) = self.overlays.last_mut() {
                                prompt.error = Some(crate::tr!("signin.wrong_pin"));
                                prompt.input.clear();
                            }
                        }
                        Err(e) => self.fail(&e),
                    }
                }
                _ => {}
            },
        }
    }

    fn confirmed(&mut self, pending: Pending) {
        match pending {
            Pending::Quit => self.quit = true,
            Pending::DiscardForm => self.close_top_form(),
            Pending::DeleteIntake(id) => match self.store.delete::<Intake>(id) {
                Ok(_) => {
                    self.close::<IntakeDetail>();
                    self.say(crate::tr!("intakes.deleted_done"));
                    self.reload_intakes();
                }
                Err(e) => self.fail(&e),
            },
            Pending::DeleteCase(id) => match self.store.delete::<MediationCase>(id) {
                Ok(case) => {
                    self.close::<CaseDetail>();
                    self.say(crate::tr!(
                        "cases.deleted_done",
                        number = crate::text::sanitize(&case.case_no)
                    ));
                    self.reload_cases();
                }
                Err(e) => self.fail(&e),
            },
            Pending::RestoreDraft(id) => self.restore_draft(id, true),
            Pending::DiscardMinutes => {
                if let Some(meeting) = self.layer::<MinutesEditor>().map(|m| m.meeting) {
                    self.close::<MinutesEditor>();
                    if let Err(e) = self.store.discard_draft(meeting) {
                        self.fail(&e);
                    }
                }
            }
            Pending::RemoveShift(id) => match self.store.remove_shift(id) {
                Ok(_) => {
                    self.say(crate::tr!("roster.removed"));
                    self.reload_roster();
                }
                Err(e) => self.fail(&e),
            },
            Pending::DeleteMember(id) => match self.store.delete::<Member>(id) {
                Ok(member) => {
                    self.say(crate::tr!(
                        "members.deleted_done",
                        name = crate::text::sanitize(&member.fields.name)
                    ));
                    self.reload_members();
                }
                Err(e) => self.fail(&e),
            },
        }
    }

    fn open_sign_in(&mut self) {
        match SignInPicker::open(&self.store) {
            Ok(picker) => self.overlays.push(Overlay::SignIn(picker)),
            Err(e) => self.fail(&e),
        }
    }

    fn begin_sign_in(&mut self, member: &Member) {
        match self.store.member_has_pin(member.meta.id) {
            Ok(true) => self.overlays.push(Overlay::Pin(PinPrompt::new(member))),
            Ok(false) => self.sign_in(member.meta.id, &member.fields.name),
            Err(e) => self.fail(&e),
        }
    }

    /// The member at the desk; they are the actor of every change from now on.
    pub fn sign_in(&mut self, id: Uuid, name: &str) {
        self.locked = false;
        self.signed_in = Some(SignedIn {
            id,
            name: name.to_string(),
        });
        let short: String = id
            .simple()
            .to_string()
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        self.store.set_actor(&format!("{name} ({short})"));
        self.say(crate::tr!(
            "signin.done",
            name = crate::text::sanitize(name)
        ));
        // Signing in at the desk is coming on duty: the member's shift now is attended.
        match self.store.sign_in_shift(id, self.now.naive_local()) {
            Ok(Some(shift)) => {
                self.say(crate::tr!(
                    "signin.on_shift",
                    name = crate::text::sanitize(name),
                    slot = crate::tr!(shift.slot.key()),
                    time = self.now.format("%H:%M")
                ));
                self.reload_roster();
                self.refresh_counts();
            }
            Ok(None) => {}
            Err(e) => self.fail(&e),
        }
    }

    fn update_home(&mut self, action: Action) {
        match action {
            Action::OpenMembers => {
                self.screen = Screen::Members;
                self.reload_members_from_top();
            }
            Action::OpenExport => {
                self.screen = Screen::Export;
                self.export = ExportState::open(&self.store);
            }
            Action::OpenConsult => self.open_consult(),
            Action::OpenRoster => {
                let today = self.today();
                match RosterState::open(&self.store, today) {
                    Ok(roster) => {
                        self.roster = Some(roster);
                        self.screen = Screen::Roster;
                    }
                    Err(e) => self.fail(&e),
                }
            }
            Action::OpenCases => {
                self.screen = Screen::Cases;
                let today = self.today();
                let rows = CasesState::rows_for(self.size.1.saturating_sub(SHELL_ROWS));
                self.cases.window.page = rows;
                if let Err(e) = self.cases.refilter(&self.store, today) {
                    self.fail(&e);
                }
            }
            Action::OpenIntakes => {
                self.screen = Screen::Intakes;
                let today = self.today();
                if let Err(e) = self.intakes.refilter(&self.store, today) {
                    self.fail(&e);
                }
            }
            Action::SignIn => self.open_sign_in(),
            Action::SignOut => {
                if let Some(who) = self.signed_in.take() {
                    if let Err(e) = self.store.sign_out_shift(who.id, self.now.naive_local()) {
                        self.fail(&e);
                    }
                    self.store.set_actor("desk");
                    self.say(crate::tr!(
                        "signin.signed_out",
                        name = crate::text::sanitize(&who.name)
                    ));
                }
            }
            Action::Lock => self.lock(),
            Action::OpenSettings => {
                let language = i18n::current_language();
                let due = self.store.due_policy().unwrap_or_default();
                let slots = self
                    .store
                    .roster_slots()
                    .unwrap_or_default()
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(",");
                let case_days = self.store.case_policy().map(|p| p.days).unwrap_or(30);
                self.show(SettingsForm::new(
                    language,
                    self.lock_minutes,
                    due,
                    &slots,
                    case_days,
                ));
            }
            _ => {}
        }
    }

    fn reload_members_from_top(&mut self) {
        let rows = MembersState::rows_for(self.size.1.saturating_sub(SHELL_ROWS));
        self.members.window.page = rows;
        if let Err(e) = self.members.refilter(&self.store) {
            self.fail(&e);
        }
    }

    fn reload_members(&mut self) {
        let result = self
            .store
            .count_members(&self.members.filter())
            .map(|n| self.members.total = n)
            .and_then(|_| self.members.reload(&self.store));
        if let Err(e) = result {
            self.fail(&e);
        }
        self.refresh_counts();
    }

    /// Closes the form on top (the one a discard confirmation was about).
    fn close_top_form(&mut self) {
        self.stack.pop();
    }

    fn update_members(&mut self, action: Action) {
        let store = &self.store;
        let result = match action {
            Action::Input(key) => self.members.input(store, key),
            Action::Paste(text) => self.members.paste(store, &text),
            ref movement if movement.is_movement() => {
                let source = self.members.source(store);
                navigate(&mut self.members.window, &source, movement)
            }
            Action::Back => {
                if self.members.deleted_view {
                    self.members.deleted_view = false;
                    self.members.refilter(store)
                } else {
                    self.screen = Screen::Home;
                    self.refresh_counts();
                    Ok(())
                }
            }
            Action::ToggleDeletedView => {
                self.members.deleted_view = !self.members.deleted_view;
                self.members.filter.clear();
                self.members.refilter(store)
            }
            Action::New => {
                let form = MemberForm::new(
                    None,
                    false,
                    &store.choice_list("sectors"),
                    &store.choice_list("parties"),
                );
                self.show(form);
                Ok(())
            }
            Action::Edit => {
                if let Some(member) = self.members.selected_member().cloned() {
                    match store.member_has_pin(member.meta.id) {
                        Ok(has_pin) => {
                            let form = MemberForm::new(
                                Some(&member),
                                has_pin,
                                &store.choice_list("sectors"),
                                &store.choice_list("parties"),
                            );
                            self.show(form);
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                } else {
                    Ok(())
                }
            }
            Action::ToggleActive => {
                if let Some(member) = self.members.selected_member().cloned() {
                    let active = !member.fields.active;
                    match self.store.set_member_active(member.meta.id, active) {
                        Ok(m) => {
                            let key = if active {
                                "members.activated"
                            } else {
                                "members.deactivated"
                            };
                            self.say(crate::tr!(
                                key,
                                name = crate::text::sanitize(&m.fields.name)
                            ));
                            self.reload_members();
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                } else {
                    Ok(())
                }
            }
            Action::Delete => {
                if let Some(member) = self.members.selected_member() {
                    let question = crate::tr!(
                        "confirm.delete_member",
                        name = crate::text::sanitize(&member.fields.name)
                    );
                    self.overlays.push(Overlay::Confirm(
                        Pending::DeleteMember(member.meta.id),
                        question,
                    ));
                }
                Ok(())
            }
            Action::Restore => {
                if let Some(member) = self.members.selected_member().cloned() {
                    match self.store.restore::<Member>(member.meta.id) {
                        Ok(m) => {
                            self.say(crate::tr!(
                                "members.restored",
                                name = crate::text::sanitize(&m.fields.name)
                            ));
                            self.reload_members();
                            Ok(())
                        }
                        Err(e) => Err(e),
                    }
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    /// Esc on a form: whether it may close now. With unsaved changes it asks first (the
    /// answer arrives as `Pending::DiscardForm`).
    fn may_leave_form(&mut self, dirty: bool) -> bool {
        if dirty {
            self.overlays.push(Overlay::Confirm(
                Pending::DiscardForm,
                crate::tr!("confirm.discard"),
            ));
        }
        !dirty
    }

    /// What a form's save came to: the saved thing, or `None` after saying what is wrong.
    fn form_saved<T>(&mut self, outcome: Result<Option<T>, StoreError>) -> Option<T> {
        match outcome {
            Ok(Some(saved)) => Some(saved),
            Ok(None) => {
                self.message = Some(Message {
                    text: crate::tr!("form.fix_errors"),
                    error: true,
                });
                None
            }
            Err(e) => {
                self.fail(&e);
                None
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
        Action::PrevField => form.prev_field(),
        Action::PrevOption => form.cycle_option(-1),
        Action::NextOption => form.cycle_option(1),
        Action::Input(key) => form.input(key),
        Action::Paste(text) => form.paste(&text),
        other => return Some(other),
    }
    None
}

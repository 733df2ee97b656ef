//! The shell of the desk: the stack of layers, the key routing, the lock and the sign-in, and
//! the one place where the effects of an action are carried out (`effects`). What a screen
//! does is its layer's (`tui::layers`); drawing is in `view`.

mod effects;
mod search;
mod session;

use std::any::Any;

use chrono::{DateTime, Local};
use crossterm::event::KeyEvent;

use super::action::Action;
use super::keymap::{self, KeyContext};
use super::layer::{Desk, Effect, Message, Pending};
use super::layer::{Layer, Step};
use super::layers::popups::Overlay;
use super::screens::home::Home;
use super::screens::search::SearchState;
use super::screens::settings::DeskSettings;
use super::screens::wizard::Wizard;
use crate::i18n::{self, Language};
use crate::store::{Store, StoreError};

pub use super::layer::{SignedIn, SHELL_ROWS};

pub struct App {
    /// What every layer sees: the store, the clock, who is signed in, the effect queue.
    pub desk: Desk,
    /// The home screen at the bottom, then every layer opened since; the last gets the keys.
    stack: Vec<Box<dyn Layer>>,
    pub locked: bool,
    pub message: Option<Message>,
    pub last_input: DateTime<Local>,
    pub quit: bool,
    /// When missed shifts were last looked for (once a minute).
    last_missed_check: Option<DateTime<Local>>,
    /// Messages from work running off the UI thread (the daily backup).
    notices: Option<std::sync::mpsc::Receiver<Message>>,
    /// Whether the station requires PINs (read at the start and after the member form or the
    /// settings are saved, not at every key).
    pins_required: bool,
    /// A change asked for while nobody was signed in: it goes on once someone has.
    pending_change: Option<Action>,
    /// Forgetting who was signed in failed (lock, sign-out): it is tried again at every tick
    /// until it is written, so that a restart cannot sign them back in.
    sign_in_to_forget: bool,
    /// Quit once the export being stopped has stopped.
    quit_when_stopped: bool,
}

/// The actor of changes made while a station has no active member yet.
pub const SETUP_ACTOR: &str = "setup";

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
        let mut desk = Desk::new(store, station, now);
        desk.lock_minutes = settings.lock_minutes;
        let mut app = App {
            desk,
            stack: Vec::new(),
            locked: false,
            message: None,
            last_input: now,
            quit: false,
            last_missed_check: None,
            notices: None,
            pins_required: false,
            pending_change: None,
            sign_in_to_forget: false,
            quit_when_stopped: false,
        };
        if app.desk.station.is_none() {
            app.stack.push(Box::new(Wizard::new()));
        }
        app.nobody_at_desk();
        // With PINs required the desk starts locked; otherwise whoever signed in today is
        // still signed in after a restart.
        app.pins_required = app.desk.store.pins_required()?;
        if app.desk.station.is_some() {
            if app.pins_required {
                app.locked = true;
            } else {
                app.restore_sign_in();
            }
        }
        app.check_missed_shifts();
        let home = Home::open(&mut app.desk);
        app.stack.insert(0, Box::new(home));
        if app.desk.station.is_some() {
            app.offer_drafts();
        }
        app.carry_out();
        Ok(app)
    }

    /// The store, for tests and the tools around the desk.
    pub fn store(&self) -> &Store {
        &self.desk.store
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
            Some(top) if top.is_popup() => top.context(),
            _ if self.locked => KeyContext::Lock,
            Some(top) => top.context(),
            None => KeyContext::Home,
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.last_input = self.desk.now;
        // A message stays until the next key; what that key does may say something new.
        self.message = None;
        if let Some(action) = keymap::action_for(self.context(), key) {
            self.update(action);
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.desk.size = (width, height);
        for layer in self.stack.iter_mut() {
            layer.resize(&mut self.desk);
        }
        self.carry_out();
    }

    /// The clock moved: work that runs on time, and the lock after the idle time.
    pub fn tick(&mut self, now: DateTime<Local>) {
        self.desk.now = now;
        if self.sign_in_to_forget {
            self.forget_sign_in();
        }
        self.check_missed_shifts();
        for layer in self.stack.iter_mut() {
            layer.tick(&mut self.desk);
        }
        let idle = now.signed_duration_since(self.last_input);
        let can_lock =
            self.desk.station.is_some() && self.layer::<Wizard>().is_none() && !self.locked;
        if can_lock && idle >= chrono::Duration::minutes(i64::from(self.desk.lock_minutes)) {
            self.lock();
        }
        self.carry_out();
    }

    /// Takes in what a running export has said (the export screen does at every tick).
    pub fn poll_export(&mut self) {
        let store = &self.desk.store;
        for layer in self.stack.iter_mut() {
            if let Some(export) = layer
                .as_any_mut()
                .downcast_mut::<super::screens::export::ExportState>()
            {
                export.poll(store);
            }
        }
        // An export stopped for quitting has stopped: the desk quits.
        if self.quit_when_stopped && !self.exporting() {
            self.quit = true;
        }
    }

    /// Whether an export job is running.
    pub fn exporting(&self) -> bool {
        self.stack.iter().any(|l| l.is_busy())
    }

    pub fn update(&mut self, action: Action) {
        self.dispatch(action);
        self.carry_out();
        self.resume_after_sign_in();
    }

    fn dispatch(&mut self, action: Action) {
        let showing_help = self
            .top_layer()
            .and_then(|l| l.as_any().downcast_ref::<Overlay>())
            .is_some_and(|o| matches!(o, Overlay::Help(_)));
        if matches!(action, Action::Help) && !showing_help {
            let context = self.context();
            self.stack.push(Box::new(Overlay::Help(context)));
            return;
        }
        if self.top_layer().is_some_and(|l| l.is_popup()) {
            self.update_top(action);
            return;
        }
        if matches!(action, Action::Quit) {
            // An export still running is stopped first, cleanly, never cut off.
            if self.exporting() {
                self.ask(
                    Pending::StopExportAndQuit,
                    crate::tr!("export.ask_stop_and_quit"),
                );
            } else if self.any_dirty_layer() {
                self.ask(Pending::Quit, crate::tr!("confirm.quit_unsaved"));
            } else {
                self.quit = true;
            }
            return;
        }
        // A PIN set while nobody was signed in makes PINs required: nobody may change
        // anything now, so the desk locks (what is typed stays behind the lock).
        if !self.locked
            && self.desk.signed_in.is_none()
            && self.desk.station.is_some()
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
            && self.desk.signed_in.is_none()
            && self.desk.store.actor() == crate::store::NOBODY
        {
            self.sign_in_before(action);
            return;
        }
        match action {
            Action::QuickEntry => super::layers::intakes::open_form(&mut self.desk, None),
            Action::OpenSearch => self
                .stack
                .push(Box::new(Overlay::Search(SearchState::default()))),
            action => {
                self.update_top(action);
            }
        }
    }

    /// Asks a question above everything.
    fn ask(&mut self, pending: Pending, question: String) {
        self.stack
            .push(Box::new(Overlay::Confirm(pending, question)));
    }

    /// Gives the action to the top layer, and does what its step says.
    fn update_top(&mut self, action: Action) {
        let Some(mut top) = self.stack.pop() else {
            return;
        };
        let step = top.update(action, &mut self.desk);
        self.step(top, step);
    }

    /// Puts a layer that took an action or an answer back, with what its step says.
    fn step(&mut self, layer: Box<dyn Layer>, step: Step) {
        match step {
            // Back from a screen (not from a popup above it): the one beneath catches up.
            Step::Close if !layer.is_popup() => self.reveal(),
            Step::Close => {}
            Step::Stay => self.stack.push(layer),
            Step::Push(above) => {
                self.stack.push(layer);
                self.stack.push(above);
            }
            Step::Confirm(pending, question) => {
                self.stack.push(layer);
                self.ask(pending, question);
            }
        }
    }

    /// The layer now on top is on top again.
    fn reveal(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            top.revealed(&mut self.desk);
        }
    }

    /// The top layer of type `L`, if one is open.
    pub fn layer<L: Layer + 'static>(&self) -> Option<&L> {
        self.stack
            .iter()
            .rev()
            .find_map(|l| l.as_any().downcast_ref::<L>())
    }

    /// The top layer of type `L`, to change it.
    pub fn layer_mut<L: Layer + 'static>(&mut self) -> Option<&mut L> {
        self.stack
            .iter_mut()
            .rev()
            .find_map(|l| l.as_any_mut().downcast_mut::<L>())
    }

    /// The open layers, bottom first.
    pub fn layers(&self) -> impl Iterator<Item = &dyn Layer> {
        self.stack.iter().map(|l| l.as_ref())
    }

    /// The layer on top, the one that gets the keys.
    pub fn top_layer(&self) -> Option<&dyn Layer> {
        self.stack.last().map(|l| l.as_ref())
    }

    /// The form on top, whichever form it is.
    pub fn top_form_mut(&mut self) -> Option<&mut crate::tui::widgets::form::Form> {
        self.stack.last_mut().and_then(|l| l.form_mut())
    }

    /// Whether the layer on top is an `L`.
    pub fn top_is<L: Layer + 'static>(&self) -> bool {
        self.top_layer().is_some_and(|l| l.as_any().is::<L>())
    }

    /// Whether the screen chosen from the home screen (the one the stack goes back to) is an
    /// `L`; with none chosen, the home screen is.
    pub fn screen_is<L: Layer + 'static>(&self) -> bool {
        let base = self
            .stack
            .iter()
            .find(|l| l.is_base())
            .or_else(|| self.stack.first());
        base.is_some_and(|l| l.as_any().is::<L>())
    }

    /// How many layers are open above the screen chosen from the home screen.
    pub fn depth(&self) -> usize {
        self.stack.iter().skip(1).filter(|l| !l.is_base()).count()
    }

    /// How many popups are open.
    pub fn popups(&self) -> usize {
        self.stack.iter().filter(|l| l.is_popup()).count()
    }

    /// Whether any open layer holds unsaved changes.
    fn any_dirty_layer(&self) -> bool {
        self.stack.iter().any(|l| l.is_dirty())
    }

    /// Shows `layer`: in place of an open layer of its type (a record shown again as it is
    /// stored now), or on top.
    fn show(&mut self, layer: Box<dyn Layer>) {
        let kind = Any::type_id(layer.as_any());
        match self
            .stack
            .iter()
            .rposition(|l| Any::type_id(l.as_any()) == kind)
        {
            Some(at) => self.stack[at] = layer,
            None => self.stack.push(layer),
        }
    }

    /// Makes `layer` the screen just above the home screen, in place of the one there.
    fn base(&mut self, layer: Box<dyn Layer>) {
        match self.stack.iter().position(|l| l.is_base()) {
            Some(at) => self.stack[at] = layer,
            None => self.stack.insert(1.min(self.stack.len()), layer),
        }
    }

    /// Closes every open layer of the type `kind`.
    fn close(&mut self, kind: std::any::TypeId) {
        let before = self.stack.len();
        self.stack.retain(|l| Any::type_id(l.as_any()) != kind);
        if self.stack.len() != before {
            self.reveal();
        }
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
    fn refresh_pins_required(&mut self) {
        match self.desk.store.pins_required() {
            Ok(required) => self.pins_required = required,
            Err(e) => self.fail(&e),
        }
    }

    /// Marks missed shifts, at most once a minute (and at start).
    fn check_missed_shifts(&mut self) {
        if self.desk.station.is_none() {
            return;
        }
        let now = self.desk.now;
        let due = self
            .last_missed_check
            .is_none_or(|last| now.signed_duration_since(last) >= chrono::Duration::minutes(1));
        if !due {
            return;
        }
        self.last_missed_check = Some(now);
        match self
            .desk
            .store
            .as_system(|s| s.mark_missed(now.naive_local()))
        {
            Ok(0) => {}
            Ok(_) => self
                .desk
                .emit(Effect::Changed(crate::domain::RecordKind::Shift, None)),
            Err(e) => self.fail(&e),
        }
    }
}

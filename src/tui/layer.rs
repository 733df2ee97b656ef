//! The layers of the desk. Every screen is one: the home screen at the bottom, the screen
//! chosen from it (the visits, the cases…) above it, then forms, detail views, the minutes
//! editor and the popups, in the order they were opened. Key routing, drawing, the key bar, F1
//! help and "leave with unsaved changes?" all walk this stack from the top.
//!
//!
//! The desk as a layer sees it ([`Desk`]): the store, the clock, who is signed in, the
//! window's size, and a queue of effects. A layer changes only itself; everything its action
//! leads to elsewhere (a record shown in a list, the home counts, a layer to open or close, a
//! question, a message) is an [`Effect`] it puts on the queue, and the shell (`app`) carries
//! them out in one place after each key.

use super::action::Action;
use super::keymap::KeyContext;
use super::widgets::form::Form;
use crate::domain::{RecordKind, Station};
use crate::store::{Store, StoreError};
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;
use std::any::TypeId;
use std::path::PathBuf;
use uuid::Uuid;

/// What happens to a layer after it took an action. `D` is the desk the layer is part of:
/// the station's ([`Desk`]) or the county office's.
pub enum Step<D: 'static = Desk> {
    /// The layer stays open.
    Stay,
    /// The layer is done and closes.
    Close,
    /// The layer stays, and another opens above it (a step's form above a visit).
    Push(Box<dyn Layer<D>>),
    /// The layer stays, and a question is asked above it; the answer comes back to its
    /// `answer`, or to the shell for the shell's own questions.
    Confirm(Pending, String),
}

impl<D: 'static> Step<D> {
    /// Opens `layer` above the one answering.
    pub fn push(layer: impl Layer<D> + 'static) -> Step<D> {
        Step::Push(Box::new(layer))
    }
}

/// Any layer, seen as a value of its own type (for the stack's lookups and for tests).
pub trait AsAny {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Any> AsAny for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One layer of the stack, on the desk `D` (the station's [`Desk`] unless said).
pub trait Layer<D: 'static = Desk>: AsAny {
    /// Which keys it answers to (the key bar and the help show them).
    fn context(&self) -> KeyContext;
    /// Takes an action.
    fn update(&mut self, action: Action, desk: &mut D) -> Step<D>;
    /// Draws its title into `title` and itself into `body`; returns where the caret is.
    fn draw(&self, desk: &D, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position>;
    /// The answer to a question this layer asked (`Step::Confirm`).
    fn answer(&mut self, _pending: Pending, _answer: Answer, _desk: &mut D) -> Step<D> {
        Step::Stay
    }
    /// A filter chosen in the filter form this layer opened (`Effect::Filter`).
    fn filtered(&mut self, _filter: Box<dyn Any>, _desk: &mut D) {}
    /// A record of `kind` changed or was deleted somewhere: a layer that shows records of
    /// that kind, or figures drawn from them, reads them again.
    fn refresh(&mut self, _kind: RecordKind, _id: Option<Uuid>, _desk: &mut D) {}
    /// The record this layer shows, if it shows one (it closes when that record is deleted).
    fn shows(&self) -> Option<(RecordKind, Uuid)> {
        None
    }
    /// The layers above it closed: it is on top again.
    fn revealed(&mut self, _desk: &mut D) {}
    /// The clock moved (about twice a second): work that runs on time (a draft saved, an
    /// export's progress).
    fn tick(&mut self, _desk: &mut D) {}
    /// The window changed size.
    fn resize(&mut self, _desk: &mut D) {}
    /// A screen chosen from the home screen (the visits, the cases…): one at a time.
    fn is_base(&self) -> bool {
        false
    }
    /// Whether closing it would lose what was typed.
    fn is_dirty(&self) -> bool {
        false
    }
    /// Whether it is busy with work that must not be cut off (an export being written).
    fn is_busy(&self) -> bool {
        false
    }
    /// A popup (help, a question, a picker, the search box) is drawn over the layer beneath
    /// it, and stays above the lock screen; other layers fill the body.
    fn is_popup(&self) -> bool {
        false
    }
    /// The form, for a layer that is one.
    fn form_mut(&mut self) -> Option<&mut Form> {
        None
    }
    /// The person at the desk said yes to what this layer's save will record: the next save
    /// goes ahead without asking.
    fn save_confirmed(&mut self) {}
}

/// Rows the shell takes around a screen's body: status, title, message, key bar.
pub const SHELL_ROWS: u16 = 4;

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

/// What a confirmation is asking about. The shell answers the questions that are its own
/// (quit, discard, delete, save); every other answer goes back to the layer that asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    DiscardForm,
    /// Delete this record; `done` is what the message line says afterwards.
    Delete {
        kind: RecordKind,
        id: Uuid,
        done: String,
    },
    /// Save the form on top, which closes something (结案): it said what will be recorded.
    SaveForm,
    /// Restore the minutes draft of this meeting (yes) or discard it (no).
    RestoreDraft(Uuid),
    /// Remove a planned shift from the roster.
    RemoveShift(Uuid),
    /// Leave the minutes editor without saving.
    DiscardMinutes,
    /// Export although nothing changed since the last bundle.
    ExportEmpty,
    /// Stop the export that is running.
    StopExport,
    /// Stop the export that is running, and quit once it has stopped.
    StopExportAndQuit,
    /// Write the agreement of this case with the signing date printed (yes) or left blank to
    /// be written by hand (no).
    AgreementDate(Uuid),
    /// Close this visit (办结).
    CloseIntake(Uuid),
    /// Answer this visit with its case's outcome and close it.
    CloseFromCase(Uuid),
    /// Complete this topic's loop.
    CompleteTopic(Uuid),
    /// Answer and close every visit handed over to this topic or report.
    AnswerVisits(RecordKind, Uuid),
}

/// How a question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// Esc: neither.
    Cancel,
}

/// What the desk's session does on a layer's word: signing in and out, locking, settings.
pub enum SessionEffect {
    /// Open the sign-in list.
    OpenSignIn,
    /// Nobody is signed in: the sign-in list opens, and once someone has signed in, this
    /// action is done again (a save asked for while nobody was at the desk).
    SignInBefore(super::action::Action),
    /// A member was chosen to sign in: a PIN is asked when they have one.
    BeginSignIn(crate::domain::Member),
    /// The member's PIN was right: they are at the desk.
    SignedIn(Uuid, String),
    SignOut,
    Lock,
    Quit,
    /// The first-run wizard set the station up.
    StationSet(Station),
    /// The settings were saved: the lock's minutes, and the station as stored now.
    SettingsSaved {
        lock_minutes: u32,
    },
}

/// One consequence of an action, carried out by the shell after the action.
pub enum Effect {
    /// A record of `kind` was saved or changed (`None`: several). Every open layer catches up
    /// (`Layer::refresh`), and so do the home counts and the dashboard.
    Changed(RecordKind, Option<Uuid>),
    /// A record was deleted: every layer that shows it closes, the others catch up.
    Deleted(RecordKind, Uuid),
    /// Open a record where it lives (a search result): its screen, then the record.
    Open(RecordKind, Uuid),
    /// Open a record above what is open now (a record behind a figure).
    OpenAbove(RecordKind, Uuid),
    /// Show a layer in place of an open layer of its type (the same record, as stored now),
    /// or on top.
    Show(Box<dyn Layer>),
    /// Make this the screen above the home screen (the visits, the cases…), in place of the one
    /// there.
    Base(Box<dyn Layer>),
    /// Close every open layer of this type.
    Close(TypeId),
    /// Ask a question above the layer that asks; the answer comes back to it.
    Confirm(Pending, String),
    /// An answer to a question, on its way to whoever asked.
    Answered(Pending, Answer),
    /// A filter chosen in a filter form, for the list beneath it (the form has closed).
    Filter(Box<dyn std::any::Any>),
    /// A line on the message line.
    Message(Message),
    Session(SessionEffect),
}

/// The desk as a layer sees it.
pub struct Desk {
    pub store: Store,
    pub station: Option<Station>,
    pub now: DateTime<Local>,
    pub signed_in: Option<SignedIn>,
    /// The terminal's size, for how many rows a list fetches.
    pub size: (u16, u16),
    /// Minutes without a key before the desk locks.
    pub lock_minutes: u32,
    /// Opens and prints documents with the system's programs.
    pub launcher: crate::documents::launch::Launcher,
    effects: Vec<Effect>,
}

impl Desk {
    pub fn new(store: Store, station: Option<Station>, now: DateTime<Local>) -> Desk {
        Desk {
            store,
            station,
            now,
            signed_in: None,
            size: (80, 24),
            lock_minutes: 10,
            launcher: crate::documents::launch::Launcher::from_env(),
            effects: Vec::new(),
        }
    }

    /// Puts an effect on the queue.
    pub fn emit(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// The effects queued since the last call, oldest first.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn say(&mut self, text: String) {
        self.emit(Effect::Message(Message { text, error: false }));
    }

    pub fn error(&mut self, text: String) {
        self.emit(Effect::Message(Message { text, error: true }));
    }

    pub fn fail(&mut self, err: &StoreError) {
        self.error(crate::messages::store_error(err));
    }

    /// A document could not be written: the message line says why.
    pub fn document_failed(&mut self, e: &crate::documents::DocumentError) {
        self.error(crate::messages::document_error(e));
    }

    pub fn changed(&mut self, kind: RecordKind, id: Option<Uuid>) {
        self.emit(Effect::Changed(kind, id));
    }

    /// Shows `layer` in place of an open one of its type, or on top.
    pub fn show(&mut self, layer: impl Layer + 'static) {
        self.emit(Effect::Show(Box::new(layer)));
    }

    /// Makes `layer` the screen above the home screen.
    pub fn base(&mut self, layer: impl Layer + 'static) {
        self.emit(Effect::Base(Box::new(layer)));
    }

    /// Closes every open layer of type `L`.
    pub fn close<L: Layer + 'static>(&mut self) {
        self.emit(Effect::Close(TypeId::of::<L>()));
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// The desk's clock as a local time without its zone, as the domain takes it.
    pub fn local_now(&self) -> NaiveDateTime {
        self.now.naive_local()
    }

    /// Rows of the body, for a list that pages.
    pub fn body_rows(&self) -> u16 {
        self.size.1.saturating_sub(SHELL_ROWS)
    }

    /// Where this desk's documents go.
    pub fn documents_dir(&self) -> PathBuf {
        crate::documents::documents_dir(self.store.path())
    }

    /// The name of who is signed in, or nothing.
    pub fn signed_in_name(&self) -> String {
        self.signed_in
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    /// The active members, `(id, name)`, for selection lists. A failed read says so on the
    /// message line (the list is then empty: the form still opens, and says why it is).
    pub fn member_choices(&mut self) -> Vec<(Uuid, String)> {
        match self
            .store
            .members_after(&crate::store::MemberFilter::default(), None, 500)
        {
            Ok(members) => members
                .into_iter()
                .map(|m| (m.meta.id, m.fields.name))
                .collect(),
            Err(e) => {
                self.fail(&e);
                Vec::new()
            }
        }
    }
}

//! What each screen does with an action: one module a room of the desk, each implementing
//! [`Layer`] for its screens and [`DeskForm`] for its forms. A layer changes itself and puts
//! what its action leads to elsewhere on the desk's effect queue; nothing here reaches the
//! shell (`app`).

pub mod activities;
pub mod cases;
pub mod consult;
pub mod documents;
pub mod export;
pub mod home;
pub mod intakes;
pub mod member_record;
pub mod members;
pub mod popups;
pub mod roster;
pub mod session;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::keymap::KeyContext;
use super::layer::{Answer, Desk, Pending};
use super::layer::{Layer, Step};
use super::screens::{FormScreen, Leave};
use super::widgets::form::Form;
use super::widgets::frame::{draw_title, inset};
use super::widgets::window::{PageSource, Window};
use crate::store::{Store, StoreError};

/// A form on the desk's stack: how it is titled and drawn, and what its save leads to.
pub trait DeskForm: FormScreen + 'static {
    fn title(&self) -> String;
    /// After a save: say so, and put on the queue what it changed and what to show.
    fn after_save(&self, saved: Self::Saved, desk: &mut Desk);
    /// A form that stays open after its save (a rotation's form under its preview).
    fn stays_open(&self) -> bool {
        false
    }
    /// For a form whose save closes something (结案): what it will record, asked once before
    /// the save, when what is typed passes the form's checks; `None` to save without asking.
    fn question(
        &mut self,
        _store: &Store,
        _today: chrono::NaiveDate,
    ) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
    /// The question was answered yes: the next save goes ahead.
    fn confirm(&mut self) {}
    fn draw_form(
        &self,
        _desk: &Desk,
        title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        draw_title(&DeskForm::title(self), title, buf);
        self.form().render(inset(body), buf)
    }
}

impl<F: DeskForm> Layer for F {
    fn context(&self) -> KeyContext {
        self.form().context()
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        drive_form(self, action, desk)
    }

    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        self.draw_form(desk, title, body, buf)
    }

    fn is_dirty(&self) -> bool {
        self.form().is_dirty()
    }

    fn form_mut(&mut self) -> Option<&mut Form> {
        Some(FormScreen::form_mut(self))
    }

    fn save_confirmed(&mut self) {
        DeskForm::confirm(self);
    }
}

/// Drives a form: editing, Esc and Ctrl-S work alike for every form; what a save leads to is
/// the form's own `after_save`.
fn drive_form<F: DeskForm>(form: &mut F, action: Action, desk: &mut Desk) -> Step {
    let now = desk.local_now();
    let today = desk.today();
    match edit_form(form.form_mut(), action) {
        None => {
            if let Err(e) = form.edited(&desk.store, today) {
                desk.fail(&e);
            }
            Step::Stay
        }
        Some(Action::Back) => match form.on_back() {
            Leave::Quit => {
                desk.emit(super::layer::Effect::Session(
                    super::layer::SessionEffect::Quit,
                ));
                Step::Stay
            }
            Leave::Close => Step::Close,
            Leave::AskIfDirty if form.form().is_dirty() => {
                Step::Confirm(Pending::DiscardForm, crate::tr!("confirm.discard"))
            }
            Leave::AskIfDirty => Step::Close,
        },
        Some(Action::Save) => {
            // A step that closes something says what it will record and asks once.
            match form.question(&desk.store, today) {
                Ok(Some(question)) => return Step::Confirm(Pending::SaveForm, question),
                Ok(None) => {}
                Err(e) => {
                    desk.fail(&e);
                    return Step::Stay;
                }
            }
            match form.save(&mut desk.store, now) {
                Ok(Some(saved)) => {
                    form.after_save(saved, desk);
                    if form.stays_open() {
                        Step::Stay
                    } else {
                        Step::Close
                    }
                }
                Ok(None) => {
                    desk.error(crate::tr!("form.fix_errors"));
                    Step::Stay
                }
                // Nobody is signed in (the desk was unlocked by nobody, or they signed out):
                // whoever signs in now saves it.
                Err(StoreError::NobodySignedIn) => {
                    desk.emit(super::layer::Effect::Session(
                        super::layer::SessionEffect::SignInBefore(Action::Save),
                    ));
                    Step::Stay
                }
                Err(e) => {
                    desk.fail(&e);
                    Step::Stay
                }
            }
        }
        Some(_) => Step::Stay,
    }
}

/// The editing every form shares: moving between fields, choosing options, typing and pasting.
/// Gives back the actions that are the screen's own (save, leave…).
fn edit_form(form: &mut Form, action: Action) -> Option<Action> {
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

/// A record's detail view loaded again as the record is stored now (a step saved above it);
/// `None` when the record is gone or could not be read (said on the message line).
fn reloaded<T: crate::store::RecordTable, D>(
    desk: &mut Desk,
    id: uuid::Uuid,
    load: impl FnOnce(&Store, T) -> crate::store::StoreResult<D>,
) -> Option<D> {
    let store = &desk.store;
    match store
        .get::<T>(id)
        .and_then(|r| r.map(|r| load(store, r)).transpose())
    {
        Ok(detail) => detail,
        Err(e) => {
            desk.fail(&e);
            None
        }
    }
}

/// Rows of a list that pages, in a body `chrome` rows shorter than the desk's.
fn page_rows(desk: &Desk, chrome: u16) -> i64 {
    i64::from(desk.body_rows().saturating_sub(chrome)).max(1)
}

/// A question answered no or cancelled, for layers that only act on yes.
fn yes(answer: Answer) -> bool {
    answer == Answer::Yes
}

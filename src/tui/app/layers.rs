//! The desk's stack of layers: looking layers up, showing and closing them, routing an action to
//! the top one, and every form driven the same way.

use std::any::Any;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::tui::layer::{Layer, Step};
use crate::tui::view::{draw_title, inset};

impl App {
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

    /// How many layers are open above the base screen.
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    /// Shows `layer`: in place of an open layer of its type (a record shown again as it is
    /// stored now), or on top.
    pub(super) fn show<L: Layer + 'static>(&mut self, layer: L) {
        let open = self.stack.iter().rposition(|l| l.as_any().is::<L>());
        match open {
            Some(at) => self.stack[at] = Box::new(layer),
            None => self.stack.push(Box::new(layer)),
        }
    }

    /// Closes every open layer of type `L`.
    pub(super) fn close<L: Layer + 'static>(&mut self) {
        self.stack.retain(|l| !l.as_any().is::<L>());
    }

    /// Gives the action to the top layer. Returns false when there is none.
    pub(super) fn update_top(&mut self, action: Action) -> bool {
        let Some(mut top) = self.stack.pop() else {
            return false;
        };
        let at = self.stack.len();
        let kind = Any::type_id(top.as_any());
        let above: Option<Box<dyn Layer>> = match top.update(action, self) {
            Step::Close => return true,
            Step::Stay => None,
            Step::Push(layer) => Some(layer),
            Step::Confirm(pending, question) => Some(Box::new(Overlay::Confirm(pending, question))),
        };
        // It stays, unless it was shown anew meanwhile (the same record, as stored now).
        let replaced = self
            .stack
            .get(at..)
            .is_some_and(|l| l.iter().any(|l| Any::type_id(l.as_any()) == kind));
        if !replaced {
            self.stack.insert(at.min(self.stack.len()), top);
        }
        if let Some(layer) = above {
            self.stack.push(layer);
        }
        true
    }

    /// Whether any open layer holds unsaved changes.
    pub(super) fn any_dirty_layer(&self) -> bool {
        self.stack.iter().any(|l| l.is_dirty())
    }

    /// Drives a form: editing, Esc and Ctrl-S work alike for every form; what a save leads to
    /// is the form's own `after_save`.
    fn drive_form<F: DeskForm>(&mut self, form: &mut F, action: Action) -> Step {
        let now = self.now.naive_local();
        let today = self.today();
        match edit_form(form.form_mut(), action) {
            None => {
                if let Err(e) = form.edited(&self.store, today) {
                    self.fail(&e);
                }
                Step::Stay
            }
            Some(Action::Back) => match form.on_back() {
                Leave::Quit => {
                    self.quit = true;
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
                match form.question(&self.store, today) {
                    Ok(Some(question)) => return Step::Confirm(Pending::SaveForm, question),
                    Ok(None) => {}
                    Err(e) => {
                        self.fail(&e);
                        return Step::Stay;
                    }
                }
                let outcome = form.save(&mut self.store, now);
                match self.form_saved(outcome) {
                    Some(saved) => {
                        form.after_save(saved, self);
                        if form.stays_open() {
                            Step::Stay
                        } else {
                            Step::Close
                        }
                    }
                    None => Step::Stay,
                }
            }
            Some(_) => Step::Stay,
        }
    }
}

/// A form on the desk's stack: how it is titled and drawn, and what its save leads to.
pub trait DeskForm: FormScreen + 'static {
    fn title(&self, app: &App) -> String;
    /// After a save: say so, show what was saved, refresh what it changed.
    fn after_save(&self, saved: Self::Saved, app: &mut App);
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
    fn draw_form(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        draw_title(&DeskForm::title(self, app), title, buf);
        self.form().render(inset(body), buf)
    }
}

impl<F: DeskForm> Layer for F {
    fn context(&self, _app: &App) -> KeyContext {
        self.form().context()
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        app.drive_form(self, action)
    }

    fn draw(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        self.draw_form(app, title, body, buf)
    }

    fn is_dirty(&self) -> bool {
        self.form().is_dirty()
    }

    fn form_mut(&mut self) -> Option<&mut crate::tui::widgets::form::Form> {
        Some(FormScreen::form_mut(self))
    }

    fn save_confirmed(&mut self) {
        DeskForm::confirm(self);
    }
}

impl App {
    /// Closes the form on top (the one a discard confirmation was about).
    pub(super) fn close_top_form(&mut self) {
        self.stack.pop();
    }

    /// What a form's save came to: the saved thing, or `None` after saying what is wrong.
    pub(super) fn form_saved<T>(&mut self, outcome: Result<Option<T>, StoreError>) -> Option<T> {
        match outcome {
            Ok(Some(saved)) => Some(saved),
            Ok(None) => {
                self.message = Some(Message {
                    text: crate::tr!("form.fix_errors"),
                    error: true,
                });
                None
            }
            // Nobody is signed in (the desk was unlocked by nobody, or they signed out):
            // whoever signs in now saves it.
            Err(StoreError::NobodySignedIn) => {
                self.sign_in_before(Action::Save);
                None
            }
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }
}

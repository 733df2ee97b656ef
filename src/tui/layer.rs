//! The layers of the desk: forms, detail views, the minutes editor and a rotation's preview sit
//! on one stack above the base screen. Key routing, drawing, the key bar, F1 help and "leave
//! with unsaved changes?" all walk this stack from the top, so their order is written once:
//! it is the order in which layers were opened.

use std::any::Any;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::app::App;
use super::keymap::KeyContext;
use super::widgets::form::Form;

/// What happens after a layer took an action. What a save changes elsewhere (a record shown in
/// a list, the home counts) goes through `App::changed`.
pub enum Step {
    /// The layer stays open.
    Stay,
    /// The layer is done and closes.
    Close,
    /// The layer stays, and another opens above it (a step's form above a visit).
    Push(Box<dyn Layer>),
    /// The layer stays, and a question is asked above it; the answer arrives as the pending
    /// action, confirmed or not.
    Confirm(crate::tui::app::Pending, String),
}

impl Step {
    /// Opens `layer` above the one answering.
    pub fn push(layer: impl Layer + 'static) -> Step {
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

/// One layer of the stack.
pub trait Layer: AsAny {
    /// Which keys it answers to (the key bar and the help show them).
    fn context(&self, app: &App) -> KeyContext;
    /// Takes an action. The layer is off the stack while it does, so the desk is free to open
    /// layers above it, or to close or replace layers beneath it.
    fn update(&mut self, action: Action, app: &mut App) -> Step;
    /// Draws its title into `title` and itself into `body`; returns where the caret is.
    fn draw(&self, app: &App, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position>;
    /// Whether closing it would lose what was typed.
    fn is_dirty(&self) -> bool {
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

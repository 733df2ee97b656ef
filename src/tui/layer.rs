//! The layers of the desk. Every screen is one: the home screen at the bottom, the screen
//! chosen from it (the visits, the cases…) above it, then forms, detail views, the minutes
//! editor and the popups, in the order they were opened. Key routing, drawing, the key bar, F1
//! help and "leave with unsaved changes?" all walk this stack from the top.
//!
//! A layer sees the desk only through [`Desk`]: it changes itself, and says what its action
//! leads to elsewhere as effects on the desk's queue.

use std::any::Any;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use uuid::Uuid;

use super::action::Action;
use super::desk::{Answer, Desk, Pending};
use super::keymap::KeyContext;
use super::widgets::form::Form;
use crate::domain::RecordKind;

/// What happens to a layer after it took an action.
pub enum Step {
    /// The layer stays open.
    Stay,
    /// The layer is done and closes.
    Close,
    /// The layer stays, and another opens above it (a step's form above a visit).
    Push(Box<dyn Layer>),
    /// The layer stays, and a question is asked above it; the answer comes back to its
    /// `answer`, or to the shell for the shell's own questions.
    Confirm(Pending, String),
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
    fn context(&self) -> KeyContext;
    /// Takes an action.
    fn update(&mut self, action: Action, desk: &mut Desk) -> Step;
    /// Draws its title into `title` and itself into `body`; returns where the caret is.
    fn draw(&self, desk: &Desk, title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position>;
    /// The answer to a question this layer asked (`Step::Confirm`).
    fn answer(&mut self, _pending: Pending, _answer: Answer, _desk: &mut Desk) -> Step {
        Step::Stay
    }
    /// A filter chosen in the filter form this layer opened (`Effect::Filter`).
    fn filtered(&mut self, _filter: Box<dyn Any>, _desk: &mut Desk) {}
    /// A record of `kind` changed or was deleted somewhere: a layer that shows records of
    /// that kind, or figures drawn from them, reads them again.
    fn refresh(&mut self, _kind: RecordKind, _id: Option<Uuid>, _desk: &mut Desk) {}
    /// The record this layer shows, if it shows one (it closes when that record is deleted).
    fn shows(&self) -> Option<(RecordKind, Uuid)> {
        None
    }
    /// The layers above it closed: it is on top again.
    fn revealed(&mut self, _desk: &mut Desk) {}
    /// The clock moved (about twice a second): work that runs on time (a draft saved, an
    /// export's progress).
    fn tick(&mut self, _desk: &mut Desk) {}
    /// The window changed size.
    fn resize(&mut self, _desk: &mut Desk) {}
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

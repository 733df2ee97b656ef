//! Where the effects of an action are carried out, in one place, after each key: a change
//! reaches every open layer and the home screen the same way, whichever screen it came from;
//! layers open, close and take the screen's place; questions are asked and their answers go
//! back to whoever asked.

use super::*;
use crate::domain::RecordKind;
use crate::tui::layer::{Answer, SessionEffect};

impl App {
    /// Carries out the effects on the desk's queue, and those they lead to, until none is left.
    pub(super) fn carry_out(&mut self) {
        loop {
            let effects = self.desk.take_effects();
            if effects.is_empty() {
                return;
            }
            for effect in effects {
                self.apply(effect);
            }
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Changed(kind, id) => self.changed(kind, id),
            Effect::Deleted(kind, id) => {
                // Whatever shows the record closes; everything else catches up.
                self.stack
                    .retain(|l| l.shows() != Some((kind, id)) || l.is_base());
                self.changed(kind, Some(id));
            }
            Effect::Open(kind, id) => {
                if let Err(e) = self.open_record(kind, id, false) {
                    self.fail(&e);
                }
            }
            Effect::OpenAbove(kind, id) => {
                if let Err(e) = self.open_record(kind, id, true) {
                    self.fail(&e);
                }
            }
            Effect::Show(layer) => self.show(layer),
            Effect::Base(layer) => self.base(layer),
            Effect::Close(kind) => self.close(kind),
            Effect::Confirm(pending, question) => self.ask(pending, question),
            Effect::Answered(pending, answer) => self.answered(pending, answer),
            Effect::Filter(filter) => {
                if let Some(mut top) = self.stack.pop() {
                    top.filtered(filter, &mut self.desk);
                    self.stack.push(top);
                }
            }
            Effect::Message(message) => self.message = Some(message),
            Effect::Session(session) => self.session(session),
        }
    }

    /// A record of `kind` changed: every open layer reads what it shows again.
    fn changed(&mut self, kind: RecordKind, id: Option<uuid::Uuid>) {
        for layer in self.stack.iter_mut() {
            layer.refresh(kind, id, &mut self.desk);
        }
        if kind == RecordKind::Member {
            // A PIN may have been set or removed.
            self.refresh_pins_required();
            // The station's first member ends its setup: from now on changes need a sign-in.
            if self.desk.signed_in.is_none() {
                self.nobody_at_desk();
            }
        }
    }

    /// An answer to a question: the shell's own questions are answered here, the others go
    /// to the layer that asked (now on top again).
    fn answered(&mut self, pending: Pending, answer: Answer) {
        match (pending, answer) {
            (Pending::Quit, Answer::Yes) => self.quit = true,
            (Pending::StopExportAndQuit, Answer::Yes) => {
                if let Some(export) = self.layer_mut::<crate::tui::screens::export::ExportState>() {
                    export.stop();
                }
                self.quit_when_stopped = true;
                self.poll_export();
            }
            // The form the question was about closes.
            (Pending::DiscardForm, Answer::Yes) => {
                self.stack.pop();
                self.reveal();
            }
            (Pending::Delete { kind, id, done }, Answer::Yes) => {
                match self.desk.store.delete_kind(kind, id) {
                    Ok(()) => {
                        self.say(done);
                        self.desk.emit(Effect::Deleted(kind, id));
                    }
                    Err(e) => self.fail(&e),
                }
            }
            (Pending::SaveForm, Answer::Yes) => {
                if let Some(top) = self.stack.last_mut() {
                    top.save_confirmed();
                }
                self.update_top(Action::Save);
            }
            (Pending::RestoreDraft(id), Answer::Yes) => {
                super::super::layers::consult::restore_draft(&mut self.desk, id)
            }
            (Pending::RestoreDraft(id), _) => match self.desk.store.discard_draft(id) {
                // The next unsaved draft, if another meeting has one.
                Ok(()) => self.offer_drafts(),
                Err(e) => self.fail(&e),
            },
            (
                Pending::Quit
                | Pending::StopExportAndQuit
                | Pending::DiscardForm
                | Pending::Delete { .. }
                | Pending::SaveForm,
                _,
            ) => {}
            (pending, answer) => {
                if let Some(mut top) = self.stack.pop() {
                    let step = top.answer(pending, answer, &mut self.desk);
                    self.step(top, step);
                }
            }
        }
    }

    fn session(&mut self, effect: SessionEffect) {
        match effect {
            SessionEffect::OpenSignIn => self.open_sign_in(),
            SessionEffect::SignInBefore(action) => self.sign_in_before(action),
            SessionEffect::BeginSignIn(member) => self.begin_sign_in(&member),
            SessionEffect::SignedIn(id, name) => self.sign_in(id, &name),
            SessionEffect::SignOut => self.sign_out(),
            SessionEffect::Lock => self.lock(),
            SessionEffect::Quit => self.quit = true,
            SessionEffect::StationSet(station) => {
                self.desk.station = Some(station);
                self.last_input = self.desk.now;
                self.changed(RecordKind::Member, None);
            }
            SessionEffect::SettingsSaved { lock_minutes } => {
                self.desk.lock_minutes = lock_minutes;
                self.refresh_pins_required();
                // The county recipient may have changed.
                match self.desk.store.station() {
                    Ok(station) => self.desk.station = station,
                    Err(e) => self.fail(&e),
                }
            }
        }
    }
}

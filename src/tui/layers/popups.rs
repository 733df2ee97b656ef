//! The popups above everything: help, questions, the sign-in picker, the PIN prompt and the
//! search box.

use super::*;
use crate::tui::layer::{Effect, SessionEffect};
use crate::tui::screens::search::{grouped_hits, SearchState};
use crate::tui::screens::signin::{matching_members, PinPrompt, SignInPicker};
use crate::tui::widgets::popup;

/// Popups above the screen; the top one gets the keys first.
pub enum Overlay {
    /// Help for the context underneath.
    Help(KeyContext),
    /// A question; its answer goes to whoever asked.
    Confirm(Pending, String),
    SignIn(SignInPicker),
    Pin(PinPrompt),
    Search(SearchState),
}

impl Layer for Overlay {
    fn context(&self) -> KeyContext {
        match self {
            Overlay::Help(_) => KeyContext::Help,
            Overlay::Confirm(..) => KeyContext::Confirm,
            Overlay::SignIn(_) => KeyContext::Picker,
            Overlay::Pin(_) => KeyContext::Pin,
            Overlay::Search(_) => KeyContext::Search,
        }
    }

    fn update(&mut self, action: Action, desk: &mut Desk) -> Step {
        match self {
            Overlay::Help(_) => {
                if action == Action::Back {
                    return Step::Close;
                }
            }
            Overlay::Confirm(pending, _) => {
                let answer = match action {
                    Action::Yes => Answer::Yes,
                    Action::No => Answer::No,
                    Action::Back => Answer::Cancel,
                    _ => return Step::Stay,
                };
                desk.emit(Effect::Answered(pending.clone(), answer));
                return Step::Close;
            }
            Overlay::SignIn(picker) => match action {
                Action::Back => return Step::Close,
                Action::Choose => {
                    if let Some(member) = picker.list.chosen().cloned() {
                        desk.emit(Effect::Session(SessionEffect::BeginSignIn(member)));
                    }
                    return Step::Close;
                }
                other => {
                    let store = &desk.store;
                    if let Err(e) = picker.list.handle(&other, |q| matching_members(store, q)) {
                        desk.fail(&e);
                    }
                }
            },
            Overlay::Search(search) => match action {
                Action::Back => return Step::Close,
                Action::Open => {
                    if let Some(hit) = search.list.chosen() {
                        desk.emit(Effect::Open(hit.kind, hit.id));
                        return Step::Close;
                    }
                }
                other => {
                    let store = &desk.store;
                    if let Err(e) = search.list.handle(&other, |q| grouped_hits(store, q)) {
                        desk.fail(&e);
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
                Action::Back => return Step::Close,
                Action::Choose => {
                    let (id, name, pin) =
                        (prompt.member_id, prompt.name.clone(), prompt.input.value());
                    let now = desk.now.with_timezone(&chrono::Utc);
                    match desk.store.try_member_pin(id, &pin, now) {
                        Ok(crate::store::PinAttempt::Right) => {
                            desk.emit(Effect::Session(SessionEffect::SignedIn(id, name)));
                            return Step::Close;
                        }
                        Ok(crate::store::PinAttempt::Wrong) => {
                            prompt.error = Some(crate::tr!("signin.wrong_pin"));
                            prompt.input.clear();
                        }
                        Ok(crate::store::PinAttempt::Wait { seconds }) => {
                            prompt.error = Some(crate::tr!("signin.pin_wait", seconds = seconds));
                            prompt.input.clear();
                        }
                        Err(e) => desk.fail(&e),
                    }
                }
                _ => {}
            },
        }
        Step::Stay
    }

    fn draw(&self, _desk: &Desk, _title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
        match self {
            Overlay::Help(context) => {
                popup::render_help(*context, body, buf);
                None
            }
            Overlay::Confirm(pending, question) => {
                let hint = match pending {
                    Pending::AgreementDate(_) => crate::tr!("confirm.keys_date"),
                    _ => crate::tr!("confirm.keys"),
                };
                popup::render_confirm(question, &hint, body, buf);
                None
            }
            Overlay::SignIn(picker) => picker.render(body, buf),
            Overlay::Pin(prompt) => prompt.render(body, buf),
            Overlay::Search(search) => search.render(body, buf),
        }
    }

    fn is_popup(&self) -> bool {
        true
    }
}

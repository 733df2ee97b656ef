//! The popups above everything: help, confirmations, the sign-in picker, the PIN prompt and
//! the search box.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;
use crate::tui::layer::{Layer, Step};
use crate::tui::widgets::popup;

impl App {
    /// Opens a popup above everything.
    pub(super) fn popup(&mut self, popup: Overlay) {
        self.stack.push(Box::new(popup));
    }

    /// How many popups are open.
    pub fn popups(&self) -> usize {
        self.stack.iter().filter(|l| l.is_popup()).count()
    }

    pub(super) fn confirmed(&mut self, pending: Pending) {
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
            Pending::DeleteActivity(id) => self.delete_activity(id),
            Pending::RestoreDraft(id) => self.restore_draft(id, true),
            Pending::ExportEmpty => self.run_export(true),
            Pending::SaveForm => {
                if let Some(top) = self.stack.last_mut() {
                    top.save_confirmed();
                }
                self.update_top(Action::Save);
            }
            Pending::CloseIntake(id) => self.close_intake(id),
            Pending::CloseFromCase(id) => self.close_from_case(id),
            Pending::CompleteTopic(id) => self.advance_topic(id),
            Pending::AnswerVisits(kind, id) => self.answer_visits(kind, id),
            Pending::AgreementDate(id) => {
                self.write_agreement(id, crate::documents::SigningDate::Filled)
            }
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
}

impl Layer for Overlay {
    fn context(&self, _app: &App) -> KeyContext {
        match self {
            Overlay::Help(_) => KeyContext::Help,
            Overlay::Confirm(..) => KeyContext::Confirm,
            Overlay::SignIn(_) => KeyContext::Picker,
            Overlay::Pin(_) => KeyContext::Pin,
            Overlay::Search(_) => KeyContext::Search,
        }
    }

    fn update(&mut self, action: Action, app: &mut App) -> Step {
        match self {
            Overlay::Help(_) => {
                if action == Action::Back {
                    return Step::Close;
                }
            }
            Overlay::Confirm(pending, _) => match action {
                Action::Yes => {
                    app.confirmed(pending.clone());
                    return Step::Close;
                }
                Action::No | Action::Back => {
                    match pending {
                        Pending::RestoreDraft(id) => app.restore_draft(*id, false),
                        // "No" leaves the date to be written by hand; Esc writes nothing.
                        Pending::AgreementDate(id) if action == Action::No => {
                            app.write_agreement(*id, crate::documents::SigningDate::Blank)
                        }
                        _ => {}
                    }
                    return Step::Close;
                }
                _ => {}
            },
            Overlay::SignIn(picker) => match action {
                Action::Back => return Step::Close,
                Action::Choose => {
                    if let Some(member) = picker.list.chosen().cloned() {
                        app.begin_sign_in(&member);
                    }
                    return Step::Close;
                }
                other => {
                    let store = &app.store;
                    if let Err(e) = picker.list.handle(&other, |q| matching_members(store, q)) {
                        app.fail(&e);
                    }
                }
            },
            Overlay::Search(search) => match action {
                Action::Back => return Step::Close,
                Action::Open => {
                    if let Some(hit) = search.list.chosen().cloned() {
                        if let Err(e) = app.open_hit(&hit) {
                            app.fail(&e);
                        }
                        return Step::Close;
                    }
                }
                other => {
                    let store = &app.store;
                    if let Err(e) = search.list.handle(&other, |q| grouped_hits(store, q)) {
                        app.fail(&e);
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
                    match app.store.verify_member_pin(id, &pin) {
                        Ok(true) => {
                            app.sign_in(id, &name);
                            return Step::Close;
                        }
                        Ok(false) => {
                            prompt.error = Some(crate::tr!("signin.wrong_pin"));
                            prompt.input.clear();
                        }
                        Err(e) => app.fail(&e),
                    }
                }
                _ => {}
            },
        }
        Step::Stay
    }

    fn draw(&self, _app: &App, _title: Rect, body: Rect, buf: &mut Buffer) -> Option<Position> {
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

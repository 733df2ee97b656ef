//! The popups above everything: help, confirmations, the sign-in picker, the PIN prompt and
//! the search box.

use super::*;

impl App {
    pub(super) fn update_overlay(&mut self, action: Action) {
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
}

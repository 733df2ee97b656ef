//! Who is at the desk: signing in and out, the PIN, the lock, remembering who signed in for a
//! restart the same day, and minutes drafts offered back at start.

use uuid::Uuid;

use super::*;
use crate::domain::{Member, RecordKind};
use crate::store::MemberFilter;
use crate::tui::screens::signin::{PinPrompt, SignInPicker};

/// Who signed in, kept for a restart the same day.
const SIGNED_IN: &str = "desk_signed_in";

impl App {
    pub fn lock(&mut self) {
        self.locked = true;
        self.desk.signed_in = None;
        self.nobody_at_desk();
        self.forget_sign_in();
        self.stack.retain(|l| !l.is_popup());
    }

    /// Nobody is at the desk: a change waits for someone to sign in. Only while the station has
    /// no active member yet (it is being set up) are changes made, as the station's `setup`.
    pub(super) fn nobody_at_desk(&mut self) {
        match self.desk.store.count_members(&MemberFilter::default()) {
            Ok(0) => self.desk.store.set_actor(SETUP_ACTOR),
            _ => self.desk.store.set_nobody(),
        }
    }

    pub(super) fn open_sign_in(&mut self) {
        match SignInPicker::open(&self.desk.store) {
            Ok(picker) => self.stack.push(Box::new(Overlay::SignIn(picker))),
            Err(e) => self.fail(&e),
        }
    }

    /// The sign-in list, for `action` asked while nobody was signed in.
    pub(super) fn sign_in_before(&mut self, action: Action) {
        match SignInPicker::open(&self.desk.store) {
            Ok(mut picker) => {
                picker.before_change = true;
                self.pending_change = Some(action);
                self.stack.push(Box::new(Overlay::SignIn(picker)));
            }
            Err(e) => self.fail(&e),
        }
    }

    /// After the sign-in popups have closed: the change asked before goes on, or, when nobody
    /// signed in after all, is dropped.
    pub(super) fn resume_after_sign_in(&mut self) {
        if self.pending_change.is_none() || self.top_layer().is_some_and(|l| l.is_popup()) {
            return;
        }
        if let Some(action) = self.pending_change.take() {
            if self.desk.signed_in.is_some() {
                self.update(action);
            }
        }
    }

    pub(super) fn begin_sign_in(&mut self, member: &Member) {
        match self.desk.store.member_has_pin(member.meta.id) {
            Ok(true) => self
                .stack
                .push(Box::new(Overlay::Pin(PinPrompt::new(member)))),
            // With PINs required, a member without one cannot unlock the desk. A failed read
            // counts as required: the safe side of a lock.
            Ok(false) if self.desk.store.pins_required().unwrap_or(true) => {
                self.message = Some(Message {
                    text: crate::tr!(
                        "signin.pin_required",
                        name = crate::text::sanitize(&member.fields.name)
                    ),
                    error: true,
                })
            }
            Ok(false) => self.sign_in(member.meta.id, &member.fields.name),
            Err(e) => self.fail(&e),
        }
    }

    fn remember_sign_in(&mut self, id: Uuid) {
        let value = format!("{id} {}", self.desk.today());
        if let Err(e) = self.desk.store.set_setting(SIGNED_IN, &value) {
            self.fail(&e);
        }
    }

    /// Forgets who was signed in. A write that fails is said, and tried again at every tick
    /// until it is written: a locked desk must not sign the same person back in after a
    /// restart.
    pub(super) fn forget_sign_in(&mut self) {
        match self.desk.store.set_setting(SIGNED_IN, "") {
            Ok(()) => {
                if std::mem::take(&mut self.sign_in_to_forget) {
                    self.say(crate::tr!("signin.forgotten_after_retry"));
                }
            }
            Err(e) => {
                let first = !std::mem::replace(&mut self.sign_in_to_forget, true);
                if first {
                    self.message = Some(Message {
                        text: crate::tr!(
                            "signin.forget_failed",
                            reason = crate::messages::store_error(&e)
                        ),
                        error: true,
                    });
                }
            }
        }
    }

    /// The member who signed in today before the desk was restarted, if still active.
    pub(super) fn restore_sign_in(&mut self) {
        let Ok(Some(value)) = self.desk.store.setting(SIGNED_IN) else {
            return;
        };
        let mut parts = value.split_whitespace();
        let (Some(id), Some(day)) = (parts.next(), parts.next()) else {
            return;
        };
        if day != self.desk.today().to_string() {
            return;
        }
        let Ok(id) = Uuid::parse_str(id) else { return };
        if let Ok(Some(member)) = self.desk.store.get::<Member>(id) {
            if member.fields.active {
                self.desk.signed_in = Some(SignedIn {
                    id,
                    name: member.fields.name.clone(),
                });
                self.desk
                    .store
                    .set_actor(&actor_name(&member.fields.name, id));
            }
        }
    }

    /// The member at the desk; they are the actor of every change from now on.
    pub fn sign_in(&mut self, id: Uuid, name: &str) {
        self.locked = false;
        self.remember_sign_in(id);
        self.desk.signed_in = Some(SignedIn {
            id,
            name: name.to_string(),
        });
        self.desk.store.set_actor(&actor_name(name, id));
        self.say(crate::tr!(
            "signin.done",
            name = crate::text::sanitize(name)
        ));
        // Signing in at the desk is coming on duty: the member's shift now is attended.
        let now = self.desk.now;
        match self.desk.store.sign_in_shift(id, now.naive_local()) {
            Ok(Some(shift)) => {
                self.say(crate::tr!(
                    "signin.on_shift",
                    name = crate::text::sanitize(name),
                    slot = crate::tr!(shift.slot.key()),
                    time = now.format("%H:%M")
                ));
                self.desk
                    .emit(Effect::Changed(RecordKind::Shift, Some(shift.meta.id)));
            }
            Ok(None) => {}
            Err(e) => self.fail(&e),
        }
        self.carry_out();
    }

    pub(super) fn sign_out(&mut self) {
        let Some(who) = self.desk.signed_in.take() else {
            return;
        };
        let now = self.desk.now.naive_local();
        if let Err(e) = self.desk.store.sign_out_shift(who.id, now) {
            self.fail(&e);
        }
        self.nobody_at_desk();
        self.forget_sign_in();
        self.say(crate::tr!(
            "signin.signed_out",
            name = crate::text::sanitize(&who.name)
        ));
        // With PINs required nobody may change anything: the desk locks.
        self.refresh_pins_required();
        if self.pins_required {
            self.lock();
        }
    }

    /// At start: minutes left unsaved by a crash are offered back.
    pub(super) fn offer_drafts(&mut self) {
        match self.desk.store.pending_drafts() {
            Ok(drafts) => {
                if let Some((meeting, at, _)) = drafts.into_iter().next() {
                    self.ask(
                        Pending::RestoreDraft(meeting.meta.id),
                        crate::tr!(
                            "minutes.restore",
                            when = at,
                            meeting = format!(
                                "{} {}",
                                meeting.held_at.format("%Y-%m-%d"),
                                crate::text::sanitize(&meeting.place)
                            )
                        ),
                    );
                }
            }
            Err(e) => self.fail(&e),
        }
    }
}

/// The actor of the audit log for a member: the name and the end of the id, so that two
/// members of one name are told apart.
fn actor_name(name: &str, id: Uuid) -> String {
    let simple = id.simple().to_string();
    let short = &simple[simple.len().saturating_sub(8)..];
    format!("{name} ({short})")
}

//! Setting the desk up: the first-run wizard and the settings form.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::*;

impl DeskForm for Wizard {
    fn title(&self, _app: &App) -> String {
        crate::tr!("wizard.title")
    }

    fn after_save(&self, station: Station, app: &mut App) {
        app.say(crate::tr!(
            "wizard.done",
            name = crate::text::sanitize(&station.name)
        ));
        app.station = Some(station);
        app.last_input = app.now;
    }

    /// The wizard has its own introduction and no title line.
    fn draw_form(
        &self,
        _app: &App,
        _title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        self.render(body, buf)
    }
}

impl DeskForm for SettingsForm {
    fn title(&self, _app: &App) -> String {
        crate::tr!("settings.title")
    }

    fn after_save(&self, saved: DeskSettings, app: &mut App) {
        if let Some(language) = saved.language {
            i18n::use_language(language);
        }
        app.lock_minutes = saved.lock_minutes;
        app.refresh_pins_required();
        // The county recipient may have changed.
        match app.store.station() {
            Ok(station) => app.station = station,
            Err(e) => return app.fail(&e),
        }
        app.say(crate::tr!("settings.saved"));
    }
}

impl App {
    pub(super) fn open_sign_in(&mut self) {
        match SignInPicker::open(&self.store) {
            Ok(picker) => self.popup(Overlay::SignIn(picker)),
            Err(e) => self.fail(&e),
        }
    }

    pub(super) fn begin_sign_in(&mut self, member: &Member) {
        match self.store.member_has_pin(member.meta.id) {
            Ok(true) => self.popup(Overlay::Pin(PinPrompt::new(member))),
            // With PINs required, a member without one cannot unlock the desk. A failed read
            // counts as required: the safe side of a lock.
            Ok(false) if self.store.pins_required().unwrap_or(true) => {
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

    /// The member at the desk; they are the actor of every change from now on.
    /// Who signed in, kept for a restart the same day.
    const SIGNED_IN: &'static str = "desk_signed_in";

    pub(super) fn remember_sign_in(&mut self, id: Uuid) {
        let value = format!("{id} {}", self.today());
        if let Err(e) = self.store.set_setting(Self::SIGNED_IN, &value) {
            self.fail(&e);
        }
    }

    /// Forgets who was signed in. A write that fails is said, and tried again at every tick
    /// until it is written: a locked desk must not sign the same person back in after a
    /// restart.
    pub(super) fn forget_sign_in(&mut self) {
        match self.store.set_setting(Self::SIGNED_IN, "") {
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
        let Ok(Some(value)) = self.store.setting(Self::SIGNED_IN) else {
            return;
        };
        let mut parts = value.split_whitespace();
        let (Some(id), Some(day)) = (parts.next(), parts.next()) else {
            return;
        };
        if day != self.today().to_string() {
            return;
        }
        let Ok(id) = Uuid::parse_str(id) else { return };
        if let Ok(Some(member)) = self.store.get::<Member>(id) {
            if member.fields.active {
                self.signed_in = Some(SignedIn {
                    id,
                    name: member.fields.name.clone(),
                });
                self.store.set_actor(&actor_name(&member.fields.name, id));
            }
        }
    }

    pub fn sign_in(&mut self, id: Uuid, name: &str) {
        self.locked = false;
        self.remember_sign_in(id);
        self.signed_in = Some(SignedIn {
            id,
            name: name.to_string(),
        });
        self.store.set_actor(&actor_name(name, id));
        self.say(crate::tr!(
            "signin.done",
            name = crate::text::sanitize(name)
        ));
        // Signing in at the desk is coming on duty: the member's shift now is attended.
        match self.store.sign_in_shift(id, self.now.naive_local()) {
            Ok(Some(shift)) => {
                self.say(crate::tr!(
                    "signin.on_shift",
                    name = crate::text::sanitize(name),
                    slot = crate::tr!(shift.slot.key()),
                    time = self.now.format("%H:%M")
                ));
                self.reload_roster();
                self.refresh_counts();
            }
            Ok(None) => {}
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

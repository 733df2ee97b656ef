//! Setting the desk up: the first-run wizard and the settings form.

use super::*;
use crate::tui::layer::{Effect, SessionEffect};
use crate::tui::screens::settings::{DeskSettings, SettingsForm};
use crate::tui::screens::wizard::Wizard;

impl DeskForm for Wizard {
    fn title(&self) -> String {
        crate::tr!("wizard.title")
    }

    fn after_save(&self, station: crate::domain::Station, desk: &mut Desk) {
        desk.say(crate::tr!(
            "wizard.done",
            name = crate::text::sanitize(&station.name)
        ));
        desk.emit(Effect::Session(SessionEffect::StationSet(station)));
    }

    /// The wizard has its own introduction and no title line.
    fn draw_form(
        &self,
        _desk: &Desk,
        _title: Rect,
        body: Rect,
        buf: &mut Buffer,
    ) -> Option<Position> {
        self.render(body, buf)
    }
}

impl DeskForm for SettingsForm {
    fn title(&self) -> String {
        crate::tr!("settings.title")
    }

    fn after_save(&self, saved: DeskSettings, desk: &mut Desk) {
        if let Some(language) = saved.language {
            crate::i18n::use_language(language);
        }
        desk.say(crate::tr!("settings.saved"));
        desk.emit(Effect::Session(SessionEffect::SettingsSaved {
            lock_minutes: saved.lock_minutes,
        }));
    }
}

/// The settings form, filled from the store; any read that fails is the error.
pub fn read_settings(desk: &Desk) -> Result<SettingsForm, StoreError> {
    let store = &desk.store;
    let slots = store
        .roster_slots()?
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let committee = store.mediation_committee()?;
    let town = store.town()?;
    let recipient = store
        .station()?
        .and_then(|s| s.county_recipient)
        .unwrap_or_default();
    Ok(SettingsForm::new(
        crate::tui::screens::settings::SettingsValues {
            language: crate::i18n::current_language(),
            lock_minutes: desk.lock_minutes,
            due: store.due_policy()?,
            slots: &slots,
            case_days: store.case_policy()?.days,
            town: &town,
            committee: &committee,
            recipient: &recipient,
            require_pin: store.pins_required()?,
            this_computer: store.slots().this_computer_kept(),
        },
    ))
}

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
        app.say(crate::tr!("settings.saved"));
    }
}

//! The first-run wizard: a database without a station asks for one.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use crate::domain::{Station, StationSetup};
use crate::i18n::{field_label, validation_message};
use crate::store::{Store, StoreError};
use crate::tui::theme;
use crate::tui::widgets::form::{Field, Form};

pub struct Wizard {
    pub form: Form,
}

impl Default for Wizard {
    fn default() -> Wizard {
        Wizard::new()
    }
}

impl Wizard {
    pub fn new() -> Wizard {
        Wizard {
            form: Form::new(vec![
                Field::text("name", crate::tr!("wizard.station_name"), "").required(),
                Field::text("code", field_label("code"), "")
                    .required()
                    .with_hint(crate::tr!("wizard.code_hint")),
                Field::text("county", field_label("county"), ""),
                Field::text("town", crate::tr!("settings.town"), "")
                    .with_hint(crate::tr!("settings.town_hint")),
                Field::text("county_recipient", field_label("county_recipient"), "")
                    .with_hint(crate::tr!("wizard.recipient_hint")),
            ]),
        }
    }

    /// Creates the station as `stationdesk init` does. `Ok(None)` when the form shows what to fix.
    pub fn save(
        &mut self,
        store: &mut Store,
        today: chrono::NaiveDate,
    ) -> Result<Option<Station>, StoreError> {
        if !self.form.check(today) {
            return Ok(None);
        }
        let setup = StationSetup {
            name: self.form.value("name"),
            code: self.form.value("code"),
            county: self.form.value("county"),
            county_recipient: self.form.value("county_recipient"),
        };
        if let Err(problems) = setup.validate() {
            for (field, problem) in problems {
                self.form.set_error(field, validation_message(&problem));
            }
            self.form.focus_first_error();
            return Ok(None);
        }
        // The town is checked before the station is made, and kept as a setting after.
        let town = self.form.value("town");
        if let Err(problem) = crate::domain::station::town(&town) {
            self.form.set_error("town", validation_message(&problem));
            self.form.focus_first_error();
            return Ok(None);
        }
        let station = store.init_station(&setup)?;
        store.set_town(&town)?;
        self.form.mark_saved();
        Ok(Some(station))
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let intro = vec![
            Line::styled(crate::tr!("wizard.title"), theme::title()),
            Line::raw(crate::tr!("wizard.intro")),
        ];
        let intro_area = Rect::new(area.x + 1, area.y, area.width.saturating_sub(2), 3);
        crate::tui::widgets::wrapped::paragraph(intro, intro_area.width).render(intro_area, buf);
        let form_area = Rect::new(
            area.x + 1,
            area.y + 4,
            area.width.saturating_sub(2),
            area.height.saturating_sub(4),
        );
        self.form.render(form_area, buf)
    }
}

//! Records opened where they live: the one place that knows, for every kind, which screen
//! shows a record (a search result, a record behind a figure).

use super::*;
use crate::domain::case::MediationCase;
use crate::domain::{Intake, Member, RecordKind};
use crate::store::SearchHit;
use crate::tui::layers;

impl App {
    /// Opens a search result where it lives.
    pub fn open_hit(&mut self, hit: &SearchHit) -> Result<(), StoreError> {
        let opened = self.open_record(hit.kind, hit.id, false);
        self.carry_out();
        opened
    }

    /// Opens record `id` of `kind`: where it lives, its screen taking the place above the home
    /// screen, or (`above`) over what is open now. Every kind has its place: a kind added
    /// without one does not compile.
    pub(super) fn open_record(
        &mut self,
        kind: RecordKind,
        id: uuid::Uuid,
        above: bool,
    ) -> Result<(), StoreError> {
        let desk = &mut self.desk;
        match kind {
            RecordKind::Member => {
                if let Some(member) = desk.store.get::<Member>(id)? {
                    if !above {
                        desk.close::<crate::tui::screens::intake_detail::IntakeDetail>();
                        layers::members::open_list(desk);
                    }
                    let form = layers::members::form(desk, Some(&member))?;
                    desk.show(form);
                }
            }
            RecordKind::Intake => {
                if let Some(intake) = desk.store.get::<Intake>(id)? {
                    layers::intakes::open_detail(desk, intake);
                }
            }
            RecordKind::Case => {
                if let Some(case) = desk.store.get::<MediationCase>(id)? {
                    layers::cases::open_case(desk, case);
                }
            }
            RecordKind::Topic | RecordKind::Meeting | RecordKind::Report => {
                layers::consult::open_record(desk, kind, id, above)?;
            }
            RecordKind::Activity => {
                if let Some(a) = desk.store.get::<crate::domain::activity::Activity>(id)? {
                    layers::activities::open_activity(desk, a);
                }
            }
            RecordKind::Shift => {
                if let Some(shift) = desk.store.get::<crate::domain::roster::Shift>(id)? {
                    layers::roster::open_shift(desk, &shift)?;
                }
            }
        }
        Ok(())
    }
}

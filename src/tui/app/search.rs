//! Search results opened where they live: the one place that knows, for every kind, which
//! screen shows a record.

use super::*;

impl App {
    /// Opens a search result where it lives. Every kind has its place: a kind added without
    /// one does not compile.
    pub fn open_hit(&mut self, hit: &SearchHit) -> Result<(), StoreError> {
        match hit.kind {
            RecordKind::Member => {
                if let Some(member) = self.store.get::<Member>(hit.id)? {
                    self.close::<IntakeDetail>();
                    self.screen = Screen::Members;
                    self.reload_members_from_top();
                    let has_pin = self.store.member_has_pin(member.meta.id)?;
                    let form = MemberForm::new(
                        Some(&member),
                        has_pin,
                        &self.store.choice_list("sectors"),
                        &self.store.choice_list("parties"),
                    );
                    self.show(form);
                }
            }
            RecordKind::Intake => {
                if let Some(intake) = self.store.get::<Intake>(hit.id)? {
                    self.open_detail(intake);
                }
            }
            RecordKind::Case => {
                if let Some(case) = self.store.get::<MediationCase>(hit.id)? {
                    self.open_case(case);
                }
            }
            RecordKind::Topic => {
                if let Some(t) = self.store.get::<crate::domain::consult::Topic>(hit.id)? {
                    self.open_consult();
                    self.open_topic(t);
                }
            }
            RecordKind::Meeting => {
                if let Some(m) = self.store.get::<crate::domain::consult::Meeting>(hit.id)? {
                    self.open_consult();
                    self.open_meeting(m);
                }
            }
            RecordKind::Report => {
                if let Some(r) = self.store.get::<crate::domain::consult::Report>(hit.id)? {
                    self.open_consult();
                    self.open_report(r);
                }
            }
            RecordKind::Activity => {
                if let Some(a) = self
                    .store
                    .get::<crate::domain::activity::Activity>(hit.id)?
                {
                    self.open_activity(a);
                }
            }
            RecordKind::Shift => {
                if let Some(shift) = self.store.get::<crate::domain::roster::Shift>(hit.id)? {
                    // The day of the shift, with the shift chosen.
                    let mut roster = RosterState::open(&self.store, shift.date)?;
                    roster.view = RosterView::Day;
                    roster.selected = roster
                        .day_shifts()
                        .iter()
                        .position(|s| s.meta.id == shift.meta.id)
                        .unwrap_or(0);
                    self.roster = Some(roster);
                    self.screen = Screen::Roster;
                }
            }
        }
        Ok(())
    }
}

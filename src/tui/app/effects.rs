//! Where a change reaches the rest of the desk. A layer that saved something says which kind
//! of record changed; the home counts, today's roster, open lists and open details that show
//! that kind catch up here, in one place, whichever screen the change came from.

use super::*;

impl App {
    /// A record of `kind` was saved, changed or deleted.
    pub(super) fn changed(&mut self, kind: RecordKind) {
        match kind {
            RecordKind::Member | RecordKind::Intake | RecordKind::Case => {}
            RecordKind::Shift => self.reload_roster(),
            RecordKind::Activity => self.reload_activities(),
            RecordKind::Topic | RecordKind::Meeting | RecordKind::Report => {
                self.refresh_consult_detail();
                self.reload_consult();
            }
        }
        // The home screen counts members, visits and cases, and names today's roster.
        self.refresh_counts();
    }
}

//! A duty shift's fields as people read them (the bundle's columns, the search).

use super::Shift;
use crate::domain::fields::{date, local_time, Described, Field, Lookup};
use crate::domain::RecordKind;

impl Described for Shift {
    const KIND: RecordKind = RecordKind::Shift;
    fn known_as(&self, l: &dyn Lookup) -> String {
        format!(
            "{} {} {}",
            date(self.date),
            l.word(self.slot.key()),
            l.member(self.member_id)
        )
    }
    fn fields() -> &'static [Field<Shift>] {
        crate::fields_of!(
            Shift,
            [
                Field::shown("date", "field.date", |s, _| date(s.date)),
                Field::shown("slot", "field.slot", |s, l| l.word(s.slot.key())),
                Field::shown("member", "field.shift.member", |s, l| {
                    l.member(s.member_id)
                }),
                Field::shown("state", "field.shift.state", |s, l| {
                    l.word(s.state.key())
                }),
                Field::whole("signed_in_at", "field.signed_in_at", |s, _| {
                    s.signed_in_at.map(local_time).unwrap_or_default()
                }),
                Field::whole("signed_out_at", "field.signed_out_at", |s, _| {
                    s.signed_out_at.map(local_time).unwrap_or_default()
                }),
                Field::shown("swap_with", "field.shift.swap_with", |s, l| {
                    s.swap_with.map(|id| l.member(id)).unwrap_or_default()
                }),
                Field::shown("replaces", "field.replaces", |s, l| {
                    s.replaces
                        .map(|id| l.record(RecordKind::Shift, id))
                        .unwrap_or_default()
                }),
                Field::typed("reason", "field.shift.reason", |s| &s.reason),
            ]
        )
    }
}

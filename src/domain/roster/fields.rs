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
                Field::shown("date", "日期", "Date", |s, _| date(s.date)),
                Field::shown("slot", "时段", "Slot", |s, l| l.word(s.slot.key())),
                Field::shown("member", "值班委员", "Member", |s, l| {
                    l.member(s.member_id)
                }),
                Field::shown("state", "值班情况", "State", |s, l| {
                    l.word(s.state.key())
                }),
                Field::whole("signed_in_at", "签到时间", "Signed in", |s, _| {
                    s.signed_in_at.map(local_time).unwrap_or_default()
                }),
                Field::whole("signed_out_at", "签退时间", "Signed out", |s, _| {
                    s.signed_out_at.map(local_time).unwrap_or_default()
                }),
                Field::shown("swap_with", "调班委员", "Swapped with", |s, l| {
                    s.swap_with.map(|id| l.member(id)).unwrap_or_default()
                }),
                Field::shown("replaces", "顶替班次", "Covers", |s, l| {
                    s.replaces
                        .map(|id| l.record(RecordKind::Shift, id))
                        .unwrap_or_default()
                }),
                Field::typed("reason", "调班/请假原因", "Reason", |s| &s.reason),
            ]
        )
    }
}

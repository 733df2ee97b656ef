//! A demo year of duty shifts: a daily rotation of morning and afternoon slots on working days
//! (weekends and public holidays skipped, make-up days worked) over the past year and the next
//! month, and what happened to the past ones — most attended, some missed, on leave or swapped.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Weekday};
use rand::Rng;

use crate::demo::DemoContext;
use crate::domain::roster::{
    generate, HolidayCalendar, Pattern, RotationPlan, Shift, ShiftState, Slot,
};
use crate::store::{StoreResult, Writer};

/// Writes the shifts; returns how many.
pub fn demo_shifts(
    ctx: &mut DemoContext,
    writer: &mut Writer<'_>,
    calendar: &HolidayCalendar,
) -> StoreResult<usize> {
    // Eight members take turns, as a station's duty group does.
    let members: Vec<uuid::Uuid> = ctx.member_ids.iter().take(8).copied().collect();
    if members.is_empty() {
        return Ok(0);
    }
    let from = ctx.today - Duration::days(364);
    let plan = RotationPlan {
        from,
        to: ctx.today + Duration::days(31),
        members: members.clone(),
        pattern: Pattern::DailyTurn,
        slots: vec![Slot::Morning, Slot::Afternoon],
        skip_weekdays: vec![Weekday::Sat, Weekday::Sun],
        use_holidays: true,
        unavailable: BTreeMap::<_, BTreeSet<_>>::new(),
    };
    let Ok(preview) = generate(&plan, calendar, &[], from) else {
        return Ok(0);
    };
    let now = ctx.today.and_hms_opt(0, 0, 0).unwrap_or_default();
    let mut written = 0;
    for (date, slot, member) in preview.shifts {
        let mut shift = Shift::scheduled(date, slot, member);
        shift.meta.id = ctx.next_id();
        if slot.end_on(date) < now {
            let roll = ctx.rng.random_range(0..100);
            match roll {
                0..=87 => {
                    let late = ctx.rng.random_range(-10..25);
                    shift.state = ShiftState::Attended;
                    shift.signed_in_at = Some(slot.start_on(date) + Duration::minutes(late));
                    shift.signed_out_at =
                        Some(slot.end_on(date) - Duration::minutes(ctx.rng.random_range(0..20)));
                }
                88..=92 => shift.state = ShiftState::Missed,
                93..=96 => {
                    shift.state = ShiftState::Leave;
                    shift.reason = "身体不适请假".into();
                }
                _ => {
                    let other = members[ctx.rng.random_range(0..members.len())];
                    if other != member {
                        shift.state = ShiftState::Swapped;
                        shift.swap_with = Some(other);
                        shift.reason = "临时有会议，与其他委员调班".into();
                        let mut cover = Shift::scheduled(date, slot, other);
                        cover.meta.id = ctx.next_id();
                        cover.replaces = Some(shift.meta.id);
                        cover.reason = shift.reason.clone();
                        cover.state = ShiftState::Attended;
                        cover.signed_in_at = Some(slot.start_on(date));
                        writer.insert(shift)?;
                        writer.insert(cover)?;
                        written += 2;
                        continue;
                    }
                    shift.state = ShiftState::Attended;
                    shift.signed_in_at = Some(slot.start_on(date));
                }
            }
        }
        writer.insert(shift)?;
        written += 1;
    }
    Ok(written)
}

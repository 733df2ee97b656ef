//! The duty report: per-member counts and the station's coverage; month arithmetic.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::*;

/// The message keys of the duty report's columns: the member, then [`DutyCounts`] in order.
pub const DUTY_COLUMN_KEYS: [&str; 6] = [
    "field.name",
    "roster.col_scheduled",
    "roster.col_served",
    "roster.col_missed",
    "roster.col_swapped",
    "roster.col_leave",
];

/// A member's duty record over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DutyCounts {
    pub scheduled: usize,
    pub served: usize,
    pub missed: usize,
    pub swapped: usize,
    pub leave: usize,
}

/// Counts per member: every shift assigned to them (scheduled), and what became of it.
pub fn duty_counts(shifts: &[Shift]) -> BTreeMap<Uuid, DutyCounts> {
    let mut counts: BTreeMap<Uuid, DutyCounts> = BTreeMap::new();
    for shift in shifts {
        let c = counts.entry(shift.member_id).or_default();
        c.scheduled += 1;
        match shift.state {
            ShiftState::Attended => c.served += 1,
            ShiftState::Missed => c.missed += 1,
            ShiftState::Swapped => c.swapped += 1,
            ShiftState::Leave => c.leave += 1,
            ShiftState::Scheduled => {}
        }
    }
    counts
}

/// Duty coverage (值班到岗率), the one definition every figure uses — the home screen, `stats`,
/// `roster report`, a member's record and the county's station row: of the slots that had
/// someone scheduled and have ended, how many someone served. A period with no such slot has no
/// coverage ("—"), never 100 %.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Slots with someone scheduled that have ended.
    pub slots_ended: u32,
    /// Of those, the slots someone served (signed in).
    pub slots_served: u32,
}

impl Coverage {
    /// The share served, 0.0–1.0; `None` when no scheduled slot has ended.
    pub fn ratio(self) -> Option<f64> {
        (self.slots_ended > 0).then(|| f64::from(self.slots_served) / f64::from(self.slots_ended))
    }

    /// The share in whole percent, rounded to the nearest; `None` when no slot has ended.
    pub fn percent(self) -> Option<u32> {
        let ended = u64::from(self.slots_ended);
        let served = u64::from(self.slots_served.min(self.slots_ended));
        (ended > 0).then(|| ((served * 200 + ended) / (ended * 2)) as u32)
    }

    /// As people read it: `67%`, or `—` when there is nothing to measure.
    pub fn text(self) -> String {
        self.percent()
            .map_or_else(|| NO_FIGURE.to_string(), |p| format!("{p}%"))
    }
}

/// What a figure that cannot be measured shows.
pub const NO_FIGURE: &str = "-";

/// Counts coverage one shift at a time (the county reads records one by one): a slot is served
/// when any shift in it was attended, so a swap's replacement serves the slot it took over.
#[derive(Debug, Clone)]
pub struct CoverageCount {
    now: NaiveDateTime,
    slots: BTreeMap<(NaiveDate, Slot), bool>,
}

impl CoverageCount {
    /// Coverage as of `now`: slots that end later are not counted yet.
    pub fn new(now: NaiveDateTime) -> CoverageCount {
        CoverageCount {
            now,
            slots: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, date: NaiveDate, slot: Slot, state: ShiftState) {
        if slot.end_on(date) > self.now {
            return;
        }
        let served = self.slots.entry((date, slot)).or_insert(false);
        *served |= state == ShiftState::Attended;
    }

    pub fn finish(&self) -> Coverage {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Coverage {
            slots_ended: count(self.slots.len()),
            slots_served: count(self.slots.values().filter(|s| **s).count()),
        }
    }
}

/// The coverage of `shifts` as of `now`.
pub fn coverage(shifts: &[Shift], now: NaiveDateTime) -> Coverage {
    let mut count = CoverageCount::new(now);
    for shift in shifts {
        count.add(shift.date, shift.slot, shift.state);
    }
    count.finish()
}

/// The first and last day of the month `months` after the month of `day`.
pub fn month_shifted(day: NaiveDate, months: i32) -> (NaiveDate, NaiveDate) {
    let index = day.year() * 12 + day.month0() as i32 + months;
    let (year, month0) = (index.div_euclid(12), index.rem_euclid(12) as u32);
    let first = NaiveDate::from_ymd_opt(year, month0 + 1, 1).unwrap_or(day);
    let next = NaiveDate::from_ymd_opt(
        if month0 == 11 { year + 1 } else { year },
        if month0 == 11 { 1 } else { month0 + 2 },
        1,
    )
    .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

//! The duty report: per-member counts and the station's coverage; month arithmetic.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
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

/// The station's coverage: of the slots that had someone scheduled and have ended by `now`,
/// the share (0.0–1.0) that someone served. `None` when no such slot.
pub fn coverage(shifts: &[Shift], now: NaiveDateTime) -> Option<f64> {
    let mut slots: BTreeMap<(NaiveDate, Slot), bool> = BTreeMap::new();
    for shift in shifts.iter().filter(|s| s.slot.end_on(s.date) <= now) {
        let served = slots.entry((shift.date, shift.slot)).or_insert(false);
        *served |= shift.state == ShiftState::Attended;
    }
    if slots.is_empty() {
        return None;
    }
    let served = slots.values().filter(|s| **s).count();
    Some(served as f64 / slots.len() as f64)
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

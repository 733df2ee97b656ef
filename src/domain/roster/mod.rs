//! The duty roster (委员值班): shifts and what happened to them, the holiday calendar, and
//! generating a fair rotation. No I/O: the store and the screens ask.

mod fields;
mod holidays;
mod report;
mod rotation;

pub use holidays::HolidayCalendar;
pub use report::{
    coverage, duty_counts, month_shifted, Coverage, CoverageCount, DutyCounts, DUTY_COLUMN_KEYS,
    NO_FIGURE,
};
pub use rotation::*;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::record::RecordMeta;
use super::validate::{self, ValidationError};

/// A part of the day someone is on duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    /// 全天
    Day,
    /// 上午
    Morning,
    /// 下午
    Afternoon,
}

named_enum!(Slot, "slot", [
    Day => "day",
    Morning => "morning",
    Afternoon => "afternoon",
]);

impl Slot {
    /// When the slot starts and ends at the desk.
    pub fn hours(self) -> (NaiveTime, NaiveTime) {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        match self {
            Slot::Day => (t(8, 30), t(17, 30)),
            Slot::Morning => (t(8, 30), t(12, 0)),
            Slot::Afternoon => (t(14, 0), t(17, 30)),
        }
    }

    pub fn start_on(self, date: NaiveDate) -> NaiveDateTime {
        date.and_time(self.hours().0)
    }

    pub fn end_on(self, date: NaiveDate) -> NaiveDateTime {
        date.and_time(self.hours().1)
    }
}

/// The station's slots (setting `roster_slots`): a full day, or a morning and an afternoon.
pub fn parse_slots(text: &str) -> Vec<Slot> {
    let slots: Vec<Slot> = text
        .split(',')
        .filter_map(|s| Slot::parse(s.trim()))
        .collect();
    if slots.is_empty() || (slots.contains(&Slot::Day) && slots.len() > 1) {
        vec![Slot::Day]
    } else {
        slots
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShiftState {
    /// 已排班
    #[default]
    Scheduled,
    /// 已到岗 (signed in at the desk)
    Attended,
    /// 缺岗
    Missed,
    /// 已调班: someone else took it (their shift `replaces` this one)
    Swapped,
    /// 请假
    Leave,
}

named_enum!(ShiftState, "shift_state", [
    Scheduled => "scheduled",
    Attended => "attended",
    Missed => "missed",
    Swapped => "swapped",
    Leave => "leave",
]);

impl ShiftState {
    /// A one-character mark for the month grid.
    pub fn mark(self) -> &'static str {
        match self {
            ShiftState::Scheduled => " ",
            // ASCII: ✓ ✗ ⇄ take one column or two depending on how the terminal is set up.
            ShiftState::Attended => "+",
            ShiftState::Missed => "!",
            ShiftState::Swapped => "~",
            ShiftState::Leave => "假",
        }
    }
}

/// One member on duty for one slot of one day, and what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shift {
    #[serde(flatten)]
    pub meta: RecordMeta,
    pub date: NaiveDate,
    pub slot: Slot,
    pub member_id: Uuid,
    pub state: ShiftState,
    pub signed_in_at: Option<NaiveDateTime>,
    pub signed_out_at: Option<NaiveDateTime>,
    /// For a swap: who took the shift over.
    pub swap_with: Option<Uuid>,
    /// The shift this one covers (a swap's replacement).
    pub replaces: Option<Uuid>,
    /// The reason of a swap or a leave.
    pub reason: String,
}

impl Shift {
    pub fn scheduled(date: NaiveDate, slot: Slot, member_id: Uuid) -> Shift {
        Shift {
            meta: RecordMeta::unsaved(),
            date,
            slot,
            member_id,
            state: ShiftState::Scheduled,
            signed_in_at: None,
            signed_out_at: None,
            swap_with: None,
            replaces: None,
            reason: String::new(),
        }
    }

    /// Whether a new rotation may replace this shift: only a plain scheduled one, not a swap's
    /// replacement, and not in the past.
    pub fn is_replaceable(&self, today: NaiveDate) -> bool {
        self.state == ShiftState::Scheduled && self.replaces.is_none() && self.date >= today
    }

    /// Applies `event`, or says why not.
    pub fn apply(&self, event: ShiftEvent) -> Result<Shift, ShiftRefusal> {
        let mut next = self.clone();
        let refuse = || ShiftRefusal::NotFrom(self.state);
        match event {
            ShiftEvent::SignIn { at } => {
                if self.state != ShiftState::Scheduled {
                    return Err(refuse());
                }
                if at.date() != self.date || at > self.slot.end_on(self.date) {
                    return Err(ShiftRefusal::NotNow);
                }
                next.state = ShiftState::Attended;
                next.signed_in_at = Some(at);
            }
            ShiftEvent::SignOut { at } => {
                if self.state != ShiftState::Attended || self.signed_out_at.is_some() {
                    return Err(refuse());
                }
                if self.signed_in_at.is_some_and(|s| at < s) {
                    return Err(ShiftRefusal::NotNow);
                }
                next.signed_out_at = Some(at);
            }
            ShiftEvent::MarkMissed { now } => {
                if self.state != ShiftState::Scheduled {
                    return Err(refuse());
                }
                if now <= self.slot.end_on(self.date) {
                    return Err(ShiftRefusal::NotNow);
                }
                next.state = ShiftState::Missed;
            }
            ShiftEvent::Swap { with, reason } => {
                if self.state != ShiftState::Scheduled {
                    return Err(refuse());
                }
                if with == self.member_id {
                    return Err(ShiftRefusal::SameMember);
                }
                next.reason = validate::required_text(&reason, 200)
                    .map_err(|e| ShiftRefusal::Invalid("reason", e))?;
                next.state = ShiftState::Swapped;
                next.swap_with = Some(with);
            }
            ShiftEvent::Leave { reason } => {
                if self.state != ShiftState::Scheduled {
                    return Err(refuse());
                }
                next.reason = validate::required_text(&reason, 200)
                    .map_err(|e| ShiftRefusal::Invalid("reason", e))?;
                next.state = ShiftState::Leave;
            }
        }
        Ok(next)
    }
}

/// Something that happens to a shift.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftEvent {
    SignIn {
        at: NaiveDateTime,
    },
    SignOut {
        at: NaiveDateTime,
    },
    /// Nobody signed in by the end of the slot.
    MarkMissed {
        now: NaiveDateTime,
    },
    /// Another member takes the shift (调班).
    Swap {
        with: Uuid,
        reason: String,
    },
    /// 请假
    Leave {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShiftRefusal {
    NotFrom(ShiftState),
    /// Not on the shift's day or after its slot (sign-in), or before its end (missed).
    NotNow,
    SameMember,
    Invalid(&'static str, ValidationError),
}

impl ShiftRefusal {
    pub fn key(&self) -> &'static str {
        match self {
            ShiftRefusal::NotFrom(_) => "shift.refused_state",
            ShiftRefusal::NotNow => "shift.refused_not_now",
            ShiftRefusal::SameMember => "shift.refused_same_member",
            ShiftRefusal::Invalid(..) => "shift.refused_invalid",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};
    use std::collections::{BTreeMap, BTreeSet};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn members(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    fn plan(pattern: Pattern, n: u128) -> RotationPlan {
        RotationPlan {
            from: day(12, 1),
            to: day(12, 31),
            members: members(n),
            pattern,
            slots: vec![Slot::Morning, Slot::Afternoon],
            skip_weekdays: vec![Weekday::Sat, Weekday::Sun],
            use_holidays: true,
            unavailable: BTreeMap::new(),
        }
    }

    fn calendar() -> HolidayCalendar {
        HolidayCalendar::parse(include_str!("../../../assets/lists/holidays.txt")).0
    }

    #[test]
    fn the_holiday_file_reads_whole() {
        let (cal, bad) = HolidayCalendar::parse(include_str!("../../../assets/lists/holidays.txt"));
        assert!(bad.is_empty(), "{bad:?}");
        assert!(!cal.is_working(day(10, 1), &[]));
        // 2026-10-10 is a Saturday worked for the National Day holiday.
        assert!(cal.is_working(day(10, 10), &[Weekday::Sat, Weekday::Sun]));
        assert_eq!(cal.note(day(2, 17)), Some(("休", "春节")));
        let (_, bad) = HolidayCalendar::parse("2026-01-01 休 元旦\nnonsense\n2026-13-01 休 x\n");
        assert_eq!(bad, vec![2, 3]);
    }

    #[test]
    fn a_daily_turn_goes_round_in_order_on_working_days() {
        let preview = generate(&plan(Pattern::DailyTurn, 3), &calendar(), &[], day(11, 23))
            .unwrap_or_default();
        // December 2026 has 23 weekdays and no holidays: 23 days, two slots each.
        assert_eq!(preview.shifts.len(), 46);
        let first: Vec<Uuid> = preview.shifts.iter().take(6).map(|s| s.2).collect();
        let m = members(3);
        assert_eq!(first, vec![m[0], m[0], m[1], m[1], m[2], m[2]]);
        assert!(preview.fair);
        assert_eq!(preview.turns.values().sum::<usize>(), 23);
        assert!(preview
            .shifts
            .iter()
            .all(|(d, _, _)| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)));
    }

    #[test]
    fn unavailable_dates_are_respected_and_turns_stay_fair() {
        let mut p = plan(Pattern::DailyTurn, 4);
        let m = members(4);
        p.unavailable
            .insert(m[0], (1..=10).map(|d| day(12, d)).collect());
        let preview = generate(&p, &calendar(), &[], day(11, 23)).unwrap_or_default();
        assert!(preview
            .shifts
            .iter()
            .all(|(d, _, who)| !(*who == m[0] && d.day() <= 10)));
        assert!(preview.fair, "{:?}", preview.turns);
        assert!(preview.unfilled.is_empty());
    }

    #[test]
    fn n_members_a_slot_are_different_people() {
        let preview = generate(&plan(Pattern::PerSlot(2), 5), &calendar(), &[], day(11, 23))
            .unwrap_or_default();
        let mut per_slot: BTreeMap<(NaiveDate, Slot), Vec<Uuid>> = BTreeMap::new();
        for (d, s, who) in &preview.shifts {
            per_slot.entry((*d, *s)).or_default().push(*who);
        }
        assert_eq!(per_slot.len(), 46);
        for people in per_slot.values() {
            assert_eq!(people.len(), 2);
            assert_ne!(people[0], people[1]);
        }
        assert!(preview.fair);
        assert_eq!(
            generate(&plan(Pattern::PerSlot(6), 5), &calendar(), &[], day(11, 23)),
            Err(PlanError::TooManyPerSlot)
        );
    }

    #[test]
    fn a_weekly_turn_and_fixed_weekdays() {
        let weekly = generate(&plan(Pattern::WeeklyTurn, 2), &calendar(), &[], day(11, 23))
            .unwrap_or_default();
        // Every day of an ISO week has the same member.
        let mut by_week: BTreeMap<u32, BTreeSet<Uuid>> = BTreeMap::new();
        for (d, _, who) in &weekly.shifts {
            by_week.entry(d.iso_week().week()).or_default().insert(*who);
        }
        assert!(by_week.values().all(|w| w.len() == 1));
        assert!(weekly.fair);
        // December 2026 starts on a Tuesday and ends on a Thursday: partial weeks count their
        // days. Every member's weeks and days add up to the days they are on duty.
        assert_eq!(weekly.week_days, Some(5));
        for member in members(2) {
            let (weeks, days) = weekly.turns_of(&member);
            assert_eq!(weeks * 5 + days, weekly.days[&member], "{member}");
        }
        let total: usize = weekly.days.values().sum();
        let open: BTreeSet<NaiveDate> = weekly.shifts.iter().map(|(d, _, _)| *d).collect();
        assert_eq!(total, open.len());
        assert!(
            weekly.days.values().any(|d| d % 5 != 0),
            "a partial week is counted in days"
        );
        let fixed = generate(
            &plan(Pattern::FixedWeekday, 5),
            &calendar(),
            &[],
            day(11, 23),
        )
        .unwrap_or_default();
        let m = members(5);
        for (d, _, who) in &fixed.shifts {
            let expected = m[d.weekday().num_days_from_monday() as usize];
            assert_eq!(*who, expected, "{d}");
        }
    }

    #[test]
    fn past_and_signed_in_shifts_are_kept() {
        let m = members(2);
        let mut attended = Shift::scheduled(day(12, 2), Slot::Morning, m[1]);
        attended.meta.id = Uuid::from_u128(100);
        attended.state = ShiftState::Attended;
        let mut old = Shift::scheduled(day(11, 20), Slot::Morning, m[0]);
        old.meta.id = Uuid::from_u128(101);
        let mut future = Shift::scheduled(day(12, 3), Slot::Morning, m[0]);
        future.meta.id = Uuid::from_u128(102);
        let mut p = plan(Pattern::DailyTurn, 2);
        p.from = day(11, 1);
        let preview = generate(
            &p,
            &calendar(),
            &[attended.clone(), old, future],
            day(12, 1),
        )
        .unwrap_or_default();
        assert_eq!(preview.replaced, vec![Uuid::from_u128(102)]);
        assert!(preview.shifts.iter().all(|(d, _, _)| *d >= day(12, 1)));
        assert!(!preview
            .shifts
            .iter()
            .any(|(d, s, _)| *d == day(12, 2) && *s == Slot::Morning));
    }

    #[test]
    fn shift_events_follow_the_rules() {
        let shift = Shift::scheduled(day(12, 1), Slot::Morning, Uuid::from_u128(1));
        let at = |h, m| day(12, 1).and_hms_opt(h, m, 0).unwrap_or_default();
        let signed = shift.apply(ShiftEvent::SignIn { at: at(8, 40) }).unwrap();
        assert_eq!(signed.state, ShiftState::Attended);
        assert_eq!(
            shift.apply(ShiftEvent::SignIn { at: at(12, 30) }),
            Err(ShiftRefusal::NotNow)
        );
        assert_eq!(
            shift.apply(ShiftEvent::MarkMissed { now: at(11, 0) }),
            Err(ShiftRefusal::NotNow)
        );
        let missed = shift
            .apply(ShiftEvent::MarkMissed { now: at(12, 1) })
            .unwrap();
        assert_eq!(missed.state, ShiftState::Missed);
        assert_eq!(
            signed.apply(ShiftEvent::MarkMissed { now: at(13, 0) }),
            Err(ShiftRefusal::NotFrom(ShiftState::Attended))
        );
        assert_eq!(
            shift.apply(ShiftEvent::Swap {
                with: Uuid::from_u128(1),
                reason: "x".into()
            }),
            Err(ShiftRefusal::SameMember)
        );
        assert!(matches!(
            shift.apply(ShiftEvent::Leave { reason: " ".into() }),
            Err(ShiftRefusal::Invalid("reason", _))
        ));
        let out = signed.apply(ShiftEvent::SignOut { at: at(12, 0) }).unwrap();
        assert_eq!(out.signed_out_at, Some(at(12, 0)));
    }

    #[test]
    fn counts_and_coverage() {
        let m = members(2);
        let mut shifts = Vec::new();
        for (d, state) in [
            (1, ShiftState::Attended),
            (2, ShiftState::Missed),
            (3, ShiftState::Leave),
            (4, ShiftState::Attended),
        ] {
            let mut s = Shift::scheduled(day(12, d), Slot::Day, m[0]);
            s.state = state;
            shifts.push(s);
        }
        let counts = duty_counts(&shifts);
        assert_eq!(
            counts[&m[0]],
            DutyCounts {
                scheduled: 4,
                served: 2,
                missed: 1,
                swapped: 0,
                leave: 1
            }
        );
        let now = day(12, 10).and_hms_opt(9, 0, 0).unwrap_or_default();
        assert_eq!(coverage(&shifts, now).ratio(), Some(0.5));
        assert_eq!(coverage(&shifts, now).text(), "50%");
    }

    #[test]
    fn coverage_counts_ended_slots_and_has_none_without_them() {
        let m = members(2);
        let at = |d: u32, h: u32, min: u32| day(12, d).and_hms_opt(h, min, 0).unwrap_or_default();
        // No roster at all: no coverage, never 100 %.
        assert_eq!(coverage(&[], at(3, 12, 0)), Coverage::default());
        assert_eq!(coverage(&[], at(3, 12, 0)).percent(), None);
        assert_eq!(coverage(&[], at(3, 12, 0)).text(), NO_FIGURE);
        // Today's morning ended at 12:00 and was served by the replacement of a swap; the
        // afternoon has not ended and does not count yet; yesterday's afternoon was missed.
        let mut swapped = Shift::scheduled(day(12, 3), Slot::Morning, m[0]);
        swapped.state = ShiftState::Swapped;
        let mut taken = Shift::scheduled(day(12, 3), Slot::Morning, m[1]);
        taken.state = ShiftState::Attended;
        let afternoon = Shift::scheduled(day(12, 3), Slot::Afternoon, m[0]);
        let mut missed = Shift::scheduled(day(12, 2), Slot::Afternoon, m[1]);
        missed.state = ShiftState::Missed;
        let shifts = [swapped, taken, afternoon, missed];
        let before_noon = coverage(&shifts, at(3, 11, 59));
        assert_eq!((before_noon.slots_ended, before_noon.slots_served), (1, 0));
        assert_eq!(before_noon.text(), "0%");
        let noon = coverage(&shifts, at(3, 12, 0));
        assert_eq!((noon.slots_ended, noon.slots_served), (2, 1));
        let evening = coverage(&shifts, at(3, 18, 0));
        assert_eq!((evening.slots_ended, evening.slots_served), (3, 1));
        assert_eq!(evening.percent(), Some(33));
        // Rounded to the nearest whole percent.
        let two_of_three = Coverage {
            slots_ended: 3,
            slots_served: 2,
        };
        assert_eq!(two_of_three.percent(), Some(67));
    }

    #[test]
    fn months_shift_across_years() {
        assert_eq!(
            month_shifted(day(12, 15), 1),
            (
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2027, 1, 31).unwrap_or_default()
            )
        );
        assert_eq!(
            month_shifted(day(1, 15), -1).0,
            NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()
        );
        assert_eq!(month_shifted(day(2, 3), 0).1, day(2, 28));
    }
}

//! The duty roster (委员值班): shifts and what happened to them, the holiday calendar, and
//! generating a fair rotation. No I/O: the store and the screens ask.

mod fields;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
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
            ShiftState::Attended => "✓",
            ShiftState::Missed => "✗",
            ShiftState::Swapped => "⇄",
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

/// Public holidays and make-up working days (`assets/lists/holidays.txt`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    pub off: BTreeMap<NaiveDate, String>,
    pub workdays: BTreeMap<NaiveDate, String>,
}

impl HolidayCalendar {
    /// Reads `YYYY-MM-DD 休|班 name` lines; returns the calendar and the lines it could not read.
    pub fn parse(text: &str) -> (HolidayCalendar, Vec<usize>) {
        let mut calendar = HolidayCalendar::default();
        let mut bad = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let date = parts
                .next()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            let kind = parts.next();
            let name = parts.collect::<Vec<_>>().join(" ");
            match (date, kind) {
                (Some(date), Some("休")) => {
                    calendar.off.insert(date, name);
                }
                (Some(date), Some("班")) => {
                    calendar.workdays.insert(date, name);
                }
                _ => bad.push(index + 1),
            }
        }
        (calendar, bad)
    }

    /// Whether the station is open on `date`: a make-up working day always, a holiday never,
    /// otherwise unless its weekday is skipped.
    pub fn is_working(&self, date: NaiveDate, skip: &[Weekday]) -> bool {
        if self.workdays.contains_key(&date) {
            return true;
        }
        if self.off.contains_key(&date) {
            return false;
        }
        !skip.contains(&date.weekday())
    }

    /// What the grid shows for a day: 休 with the holiday, 班 with the make-up day.
    pub fn note(&self, date: NaiveDate) -> Option<(&'static str, &str)> {
        if let Some(name) = self.off.get(&date) {
            return Some(("休", name));
        }
        self.workdays.get(&date).map(|name| ("班", name.as_str()))
    }
}

/// How duty turns are handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// 一人一天: one member a day, in turn (all the day's slots).
    DailyTurn,
    /// 一人一周: one member a week (委员进站履职周).
    WeeklyTurn,
    /// 固定联络日: each member on a fixed weekday (委员联络日).
    FixedWeekday,
    /// N members each slot.
    PerSlot(usize),
}

impl Pattern {
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::DailyTurn => "daily",
            Pattern::WeeklyTurn => "weekly",
            Pattern::FixedWeekday => "weekday",
            Pattern::PerSlot(_) => "per_slot",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Pattern::DailyTurn => "pattern.daily",
            Pattern::WeeklyTurn => "pattern.weekly",
            Pattern::FixedWeekday => "pattern.weekday",
            Pattern::PerSlot(_) => "pattern.per_slot",
        }
    }
}

/// What a rotation is asked to cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationPlan {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The members taking part, in the order of the rotation.
    pub members: Vec<Uuid>,
    pub pattern: Pattern,
    pub slots: Vec<Slot>,
    /// Weekdays the station is closed (unless a make-up working day).
    pub skip_weekdays: Vec<Weekday>,
    /// Whether public holidays are skipped and make-up days worked.
    pub use_holidays: bool,
    /// Each member's dates they cannot come.
    pub unavailable: BTreeMap<Uuid, BTreeSet<NaiveDate>>,
}

/// What a rotation would do, shown before it is applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preview {
    /// The shifts it adds: `(date, slot, member)`.
    pub shifts: Vec<(NaiveDate, Slot, Uuid)>,
    /// Scheduled shifts it replaces (future, not signed in, not a swap).
    pub replaced: Vec<Uuid>,
    /// Slots nobody could take (everyone unavailable).
    pub unfilled: Vec<(NaiveDate, Slot)>,
    /// Turns per member (a day, a week, a weekday or a slot, by the pattern).
    pub turns: BTreeMap<Uuid, usize>,
    /// Whether the members' turns differ by at most one.
    pub fair: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    NoMembers,
    /// `to` before `from`, or the whole period in the past.
    EmptyPeriod,
    /// More than a year and a month at once.
    TooLong,
    /// More members per slot than take part.
    TooManyPerSlot,
    NoSlots,
}

impl PlanError {
    pub fn key(&self) -> &'static str {
        match self {
            PlanError::NoMembers => "rotation.no_members",
            PlanError::EmptyPeriod => "rotation.empty_period",
            PlanError::TooLong => "rotation.too_long",
            PlanError::TooManyPerSlot => "rotation.too_many_per_slot",
            PlanError::NoSlots => "rotation.no_slots",
        }
    }
}

/// One turn to hand out: the slots it covers, and which copy of a multi-member slot it is.
struct Unit {
    cells: Vec<(NaiveDate, Slot)>,
    /// Units of one group may not have the same member (N members per slot).
    group: usize,
}

/// Hands out turns: every member gets ⌊T/m⌋ turns first where their dates allow it, then at
/// most one more (an augmenting-path b-matching), so that turns differ by at most one whenever
/// that is possible at all; what is left goes to the available member with fewest turns.
struct Matcher<'a> {
    units: &'a [Unit],
    members: &'a [Uuid],
    unavailable: &'a BTreeMap<Uuid, BTreeSet<NaiveDate>>,
    owner: Vec<Option<usize>>,
    owned: Vec<Vec<usize>>,
}

impl Matcher<'_> {
    fn available(&self, member: usize, unit: usize) -> bool {
        let Some(dates) = self.unavailable.get(&self.members[member]) else {
            return true;
        };
        !self.units[unit]
            .cells
            .iter()
            .any(|(d, _)| dates.contains(d))
    }

    fn in_group(&self, member: usize, unit: usize) -> bool {
        let group = self.units[unit].group;
        self.owned[member]
            .iter()
            .any(|&u| u != unit && self.units[u].group == group)
    }

    /// Members in turn for a unit: the rotation starts one further each unit.
    fn preference(&self, unit: usize) -> impl Iterator<Item = usize> + '_ {
        let m = self.members.len();
        (0..m).map(move |k| (unit + k) % m)
    }

    fn assign(&mut self, unit: usize, cap: usize, seen: &mut [bool]) -> bool {
        let order: Vec<usize> = self.preference(unit).collect();
        for member in order {
            if seen[member] || !self.available(member, unit) || self.in_group(member, unit) {
                continue;
            }
            seen[member] = true;
            if self.owned[member].len() < cap {
                self.give(unit, member);
                return true;
            }
            let held = self.owned[member].clone();
            for other in held {
                if self.assign(other, cap, seen) {
                    // `other` moved to someone else; `member` takes `unit`.
                    self.owned[member].retain(|&u| u != other);
                    self.give(unit, member);
                    return true;
                }
            }
        }
        false
    }

    fn give(&mut self, unit: usize, member: usize) {
        if let Some(previous) = self.owner[unit] {
            self.owned[previous].retain(|&u| u != unit);
        }
        self.owner[unit] = Some(member);
        self.owned[member].push(unit);
    }
}

/// The longest period generated at once, in days.
pub const MAX_PLAN_DAYS: i64 = 400;

/// Works out a rotation over the plan's period from `today` on. Shifts in the past, signed-in,
/// swapped, on-leave and replacement shifts are kept, and their slots are not handed out again;
/// plain scheduled shifts from today on are replaced.
pub fn generate(
    plan: &RotationPlan,
    calendar: &HolidayCalendar,
    existing: &[Shift],
    today: NaiveDate,
) -> Result<Preview, PlanError> {
    if plan.members.is_empty() {
        return Err(PlanError::NoMembers);
    }
    if plan.slots.is_empty() {
        return Err(PlanError::NoSlots);
    }
    let start = plan.from.max(today);
    if plan.to < start {
        return Err(PlanError::EmptyPeriod);
    }
    if (plan.to - plan.from).num_days() > MAX_PLAN_DAYS {
        return Err(PlanError::TooLong);
    }
    let mut members: Vec<Uuid> = Vec::new();
    for id in &plan.members {
        if !members.contains(id) {
            members.push(*id);
        }
    }
    if let Pattern::PerSlot(n) = plan.pattern {
        if n == 0 || n > members.len() {
            return Err(PlanError::TooManyPerSlot);
        }
    }
    let empty = HolidayCalendar::default();
    let calendar = if plan.use_holidays { calendar } else { &empty };
    let in_range = |d: NaiveDate| d >= start && d <= plan.to;
    let mut preview = Preview::default();
    let mut taken: BTreeSet<(NaiveDate, Slot)> = BTreeSet::new();
    for shift in existing.iter().filter(|s| in_range(s.date)) {
        if shift.is_replaceable(today) {
            preview.replaced.push(shift.meta.id);
        } else {
            taken.insert((shift.date, shift.slot));
        }
    }
    let mut days = Vec::new();
    let mut day = start;
    while day <= plan.to {
        if calendar.is_working(day, &plan.skip_weekdays) {
            days.push(day);
        }
        day += Duration::days(1);
    }
    let free = |d: NaiveDate| -> Vec<(NaiveDate, Slot)> {
        plan.slots
            .iter()
            .filter(|s| !taken.contains(&(d, **s)))
            .map(|s| (d, *s))
            .collect()
    };
    let mut units: Vec<Unit> = Vec::new();
    match plan.pattern {
        Pattern::DailyTurn | Pattern::FixedWeekday => {
            for &d in &days {
                let cells = free(d);
                if !cells.is_empty() {
                    let group = units.len();
                    units.push(Unit { cells, group });
                }
            }
        }
        Pattern::WeeklyTurn => {
            let mut weeks: BTreeMap<(i32, u32), Vec<(NaiveDate, Slot)>> = BTreeMap::new();
            for &d in &days {
                let week = d.iso_week();
                weeks
                    .entry((week.year(), week.week()))
                    .or_default()
                    .extend(free(d));
            }
            for cells in weeks.into_values().filter(|c| !c.is_empty()) {
                let group = units.len();
                units.push(Unit { cells, group });
            }
        }
        Pattern::PerSlot(n) => {
            let mut group = 0;
            for &d in &days {
                for cell in free(d) {
                    for _ in 0..n {
                        units.push(Unit {
                            cells: vec![cell],
                            group,
                        });
                    }
                    group += 1;
                }
            }
        }
    }
    let mut matcher = Matcher {
        units: &units,
        members: &members,
        unavailable: &plan.unavailable,
        owner: vec![None; units.len()],
        owned: vec![Vec::new(); members.len()],
    };
    if plan.pattern == Pattern::FixedWeekday {
        fixed_weekdays(&mut matcher, &plan.skip_weekdays);
    } else {
        // Turns to share: the units someone can take at all.
        let fillable = (0..units.len())
            .filter(|&u| (0..members.len()).any(|m| matcher.available(m, u)))
            .count();
        let floor = fillable / members.len();
        for cap in [floor, floor + 1] {
            for unit in 0..units.len() {
                if matcher.owner[unit].is_none() {
                    let mut seen = vec![false; members.len()];
                    matcher.assign(unit, cap, &mut seen);
                }
            }
        }
    }
    // Whatever is left (dates make fairness impossible) goes to whoever can come and has had
    // the fewest turns.
    for unit in 0..units.len() {
        if matcher.owner[unit].is_some() {
            continue;
        }
        let pick = (0..members.len())
            .filter(|&m| matcher.available(m, unit) && !matcher.in_group(m, unit))
            .min_by_key(|&m| (matcher.owned[m].len(), m));
        if let Some(member) = pick {
            matcher.give(unit, member);
        }
    }
    for (unit, owner) in units.iter().zip(&matcher.owner) {
        match owner {
            Some(m) => {
                for (d, s) in &unit.cells {
                    preview.shifts.push((*d, *s, members[*m]));
                }
            }
            None => preview.unfilled.extend(unit.cells.iter().copied()),
        }
    }
    preview.shifts.sort();
    preview.unfilled.sort();
    preview.unfilled.dedup();
    for (m, id) in members.iter().enumerate() {
        preview.turns.insert(*id, matcher.owned[m].len());
    }
    let most = preview.turns.values().max().copied().unwrap_or(0);
    let least = preview.turns.values().min().copied().unwrap_or(0);
    preview.fair = most - least <= 1;
    Ok(preview)
}

/// 委员联络日: member k keeps the k-th open weekday (cycling); a day whose member cannot come
/// goes to the available member with the fewest turns.
fn fixed_weekdays(matcher: &mut Matcher<'_>, skip: &[Weekday]) {
    let open: Vec<Weekday> = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .filter(|w| !skip.contains(w))
    .collect();
    let open = if open.is_empty() {
        vec![Weekday::Mon]
    } else {
        open
    };
    for unit in 0..matcher.units.len() {
        let Some((date, _)) = matcher.units[unit].cells.first().copied() else {
            continue;
        };
        let position = open.iter().position(|w| *w == date.weekday()).unwrap_or(0);
        let own: Vec<usize> = (0..matcher.members.len())
            .filter(|m| m % open.len() == position)
            .collect();
        let pick = own
            .iter()
            .copied()
            .filter(|&m| matcher.available(m, unit))
            .min_by_key(|&m| (matcher.owned[m].len(), m));
        if let Some(member) = pick {
            matcher.give(unit, member);
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(coverage(&shifts, now), Some(0.5));
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

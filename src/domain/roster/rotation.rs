//! Generating a fair rotation over a period: the patterns, the plan, its preview.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use uuid::Uuid;

use super::*;

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
    /// Whether the members' turns differ by at most one (for a weekly turn: their days by at
    /// most a week's).
    pub fair: bool,
    /// For a weekly turn, the open days of a whole week: turns are then counted in weeks and
    /// days (a partial week at the start or end of the period counts its days).
    pub week_days: Option<usize>,
    /// Days on duty per member.
    pub days: BTreeMap<Uuid, usize>,
}

impl Preview {
    /// A member's turns in the unit the pattern promises: `(weeks, days)` for a weekly turn,
    /// `(turns, 0)` otherwise.
    pub fn turns_of(&self, member: &Uuid) -> (usize, usize) {
        let turns = self.turns.get(member).copied().unwrap_or(0);
        match self.week_days {
            Some(week) if week > 0 => {
                let days = self.days.get(member).copied().unwrap_or(0);
                (days / week, days % week)
            }
            _ => (turns, 0),
        }
    }
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
    if plan.pattern == Pattern::WeeklyTurn {
        balance_days(&mut matcher);
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
        let days: BTreeSet<NaiveDate> = matcher.owned[m]
            .iter()
            .flat_map(|u| units[*u].cells.iter().map(|(d, _)| *d))
            .collect();
        preview.days.insert(*id, days.len());
    }
    if plan.pattern == Pattern::WeeklyTurn {
        // Weeks are not all alike: the first and last may be partial. Count them in days,
        // and call it fair when the days differ by at most a whole week's.
        let week = units
            .iter()
            .map(|u| {
                u.cells
                    .iter()
                    .map(|(d, _)| *d)
                    .collect::<BTreeSet<_>>()
                    .len()
            })
            .max()
            .unwrap_or(0);
        preview.week_days = Some(week);
        let most = preview.days.values().max().copied().unwrap_or(0);
        let least = preview.days.values().min().copied().unwrap_or(0);
        preview.fair = most - least <= week;
    } else {
        let most = preview.turns.values().max().copied().unwrap_or(0);
        let least = preview.turns.values().min().copied().unwrap_or(0);
        preview.fair = most - least <= 1;
    }
    Ok(preview)
}

/// Weeks are not all alike (a partial first or last week, a holiday week): with each member's
/// number of weeks kept, weeks are swapped between the member with the most days and the one
/// with the fewest while that narrows the gap and both can come.
fn balance_days(matcher: &mut Matcher<'_>) {
    let days = |m: &Matcher<'_>, unit: usize| {
        m.units[unit]
            .cells
            .iter()
            .map(|(d, _)| *d)
            .collect::<BTreeSet<_>>()
            .len()
    };
    let total = |m: &Matcher<'_>, member: usize| -> usize {
        m.owned[member].iter().map(|u| days(m, *u)).sum()
    };
    for _ in 0..matcher.units.len() * 2 {
        let count = matcher.members.len();
        let Some(most) = (0..count).max_by_key(|&m| total(matcher, m)) else {
            return;
        };
        let Some(least) = (0..count).min_by_key(|&m| total(matcher, m)) else {
            return;
        };
        let gap = total(matcher, most) - total(matcher, least);
        // The swap that narrows the gap most: a longer week of `most` for a shorter one of
        // `least`, each available to the other.
        let mut best: Option<(usize, usize, usize)> = None;
        for &a in &matcher.owned[most] {
            for &b in &matcher.owned[least] {
                let (da, db) = (days(matcher, a), days(matcher, b));
                if da <= db || !matcher.available(least, a) || !matcher.available(most, b) {
                    continue;
                }
                let moved = da - db;
                let new_gap = gap.abs_diff(2 * moved);
                if new_gap < gap && best.is_none_or(|(_, _, g)| new_gap < g) {
                    best = Some((a, b, new_gap));
                }
            }
        }
        let Some((a, b, _)) = best else { return };
        matcher.owned[most].retain(|u| *u != a);
        matcher.owned[least].retain(|u| *u != b);
        matcher.owned[most].push(b);
        matcher.owned[least].push(a);
        matcher.owner[a] = Some(least);
        matcher.owner[b] = Some(most);
    }
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

//! A member's record of work (履职档案) for a period: the duty they did, the visits they
//! received, the cases they mediated, the meetings they attended, the research and the reports
//! they wrote, and their activities by kind. Every figure has a name (`duty.served`,
//! `activity:提案`) by which the assessment's rules count it and the desk opens the records
//! behind it.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::roster::{Coverage, CoverageCount};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The period a record or an assessment covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// One month of a year.
    Month(i32, u32),
    /// Everything on record (the member's whole term at the station).
    Term,
}

impl Period {
    /// The first and the last day of the period.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        match self {
            Period::Year(y) => (day(y, 1, 1), day(y, 12, 31)),
            Period::Month(y, m) => {
                let first = day(y, m, 1);
                let next = if m == 12 {
                    day(y + 1, 1, 1)
                } else {
                    day(y, m + 1, 1)
                };
                (first, next.pred_opt().unwrap_or(first))
            }
            Period::Term => (day(1900, 1, 1), day(9999, 12, 31)),
        }
    }

    /// The first and last months, `YYYY-MM`, as the tallies keep them.
    pub fn months(self) -> (String, String) {
        let (from, to) = self.bounds();
        (
            from.format("%Y-%m").to_string(),
            to.format("%Y-%m").to_string(),
        )
    }

    /// Whether `day` falls in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        let (from, to) = self.bounds();
        from <= day && day <= to
    }

    /// The period as people read it: 2026年, 2026年11月, 本届.
    pub fn label(self, english: bool) -> String {
        match (self, english) {
            (Period::Year(y), false) => format!("{y}年"),
            (Period::Year(y), true) => y.to_string(),
            (Period::Month(y, m), false) => format!("{y}年{m}月"),
            (Period::Month(y, m), true) => format!("{y}-{m:02}"),
            (Period::Term, false) => "本届（全部记录）".to_string(),
            (Period::Term, true) => "whole term (all records)".to_string(),
        }
    }

    /// `2026`, `2026-11` or `term`, as typed on the command line.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        if text.eq_ignore_ascii_case("term") || text == "本届" {
            return Some(Period::Term);
        }
        if let Some((y, m)) = text.split_once('-') {
            let (y, m) = (y.parse().ok()?, m.parse().ok()?);
            return (1900..=9999)
                .contains(&y)
                .then_some(())
                .and_then(|_| (1..=12).contains(&m).then_some(Period::Month(y, m)));
        }
        let y: i32 = text.parse().ok()?;
        (1900..=9999).contains(&y).then_some(Period::Year(y))
    }

    /// The year `day` is in.
    pub fn year_of(day: NaiveDate) -> Period {
        Period::Year(day.year())
    }
}

/// Duty shifts: scheduled (every shift the member had), served, missed, on leave, swapped away.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyFigures {
    pub scheduled: i64,
    pub served: i64,
    pub missed: i64,
    pub leave: i64,
    pub swapped: i64,
    /// The member's own coverage: of their slots that have ended, how many they served.
    #[serde(default)]
    pub coverage: Coverage,
}

impl DutyFigures {
    /// Counts one of the member's shifts by what became of it.
    pub fn count(&mut self, state: super::roster::ShiftState) {
        use super::roster::ShiftState;
        self.scheduled += 1;
        match state {
            ShiftState::Attended => self.served += 1,
            ShiftState::Missed => self.missed += 1,
            ShiftState::Leave => self.leave += 1,
            ShiftState::Swapped => self.swapped += 1,
            ShiftState::Scheduled => {}
        }
    }
}

/// Visits received, and how many of them were closed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitFigures {
    pub received: i64,
    pub closed: i64,
}

/// Cases mediated, and their outcomes (those still open have none yet).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFigures {
    pub mediated: i64,
    pub success: i64,
    pub failed: i64,
    pub withdrawn: i64,
    pub litigation: i64,
    pub transferred: i64,
}

/// Consultation meetings the member was invited to, by attendance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingFigures {
    pub present: i64,
    pub leave: i64,
    pub absent: i64,
}

/// Public-opinion reports the member wrote: written, submitted, adopted, with instructions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    pub written: i64,
    pub submitted: i64,
    pub adopted: i64,
    pub instructed: i64,
}

/// A member's record for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub member_id: Uuid,
    pub name: String,
    pub sector: String,
    pub period: Period,
    pub duty: DutyFigures,
    pub visits: VisitFigures,
    pub cases: CaseFigures,
    pub meetings: MeetingFigures,
    /// Research notes (调研记录) of topics that name the member among those who went.
    pub research: i64,
    pub reports: ReportFigures,
    /// Activities by kind, in the order of the station's list (kinds not on it after).
    pub activities: Vec<(String, i64)>,
    pub proposals_filed: i64,
    pub proposals_answered: i64,
}

/// The names of the figures, in the order the record shows them; activities by kind are
/// `activity:<kind>`.
pub const FIGURES: &[&str] = &[
    "duty.scheduled",
    "duty.served",
    "duty.missed",
    "duty.leave",
    "visits.received",
    "visits.closed",
    "mediation.cases",
    "mediation.success",
    "mediation.failed",
    "mediation.withdrawn",
    "mediation.litigation",
    "mediation.transferred",
    "consultations.present",
    "consultations.leave",
    "consultations.absent",
    "research.notes",
    "opinions.written",
    "opinions.submitted",
    "opinions.adopted",
    "opinions.instructed",
    "activity.all",
    "proposals.filed",
    "proposals.answered",
];

/// The prefix of the figures of activities by kind.
pub const ACTIVITY_PREFIX: &str = "activity:";

/// Whether `name` names a figure (the assessment's rules are checked against this).
pub fn is_figure(name: &str) -> bool {
    FIGURES.contains(&name)
        || name
            .strip_prefix(ACTIVITY_PREFIX)
            .is_some_and(|kind| !kind.trim().is_empty())
}

impl MemberRecord {
    /// An empty record of `member` for `period`.
    pub fn empty(member_id: Uuid, name: &str, sector: &str, period: Period) -> MemberRecord {
        MemberRecord {
            member_id,
            name: name.to_string(),
            sector: sector.to_string(),
            period,
            duty: DutyFigures::default(),
            visits: VisitFigures::default(),
            cases: CaseFigures::default(),
            meetings: MeetingFigures::default(),
            research: 0,
            reports: ReportFigures::default(),
            activities: Vec::new(),
            proposals_filed: 0,
            proposals_answered: 0,
        }
    }

    /// A figure by its name; `None` for a name that is none.
    pub fn figure(&self, name: &str) -> Option<i64> {
        if let Some(kind) = name.strip_prefix(ACTIVITY_PREFIX) {
            return Some(
                self.activities
                    .iter()
                    .find(|(k, _)| k == kind)
                    .map_or(0, |(_, n)| *n),
            );
        }
        Some(match name {
            "duty.scheduled" => self.duty.scheduled,
            "duty.served" => self.duty.served,
            "duty.missed" => self.duty.missed,
            "duty.leave" => self.duty.leave,
            "visits.received" => self.visits.received,
            "visits.closed" => self.visits.closed,
            "mediation.cases" => self.cases.mediated,
            "mediation.success" => self.cases.success,
            "mediation.failed" => self.cases.failed,
            "mediation.withdrawn" => self.cases.withdrawn,
            "mediation.litigation" => self.cases.litigation,
            "mediation.transferred" => self.cases.transferred,
            "consultations.present" => self.meetings.present,
            "consultations.leave" => self.meetings.leave,
            "consultations.absent" => self.meetings.absent,
            "research.notes" => self.research,
            "opinions.written" => self.reports.written,
            "opinions.submitted" => self.reports.submitted,
            "opinions.adopted" => self.reports.adopted,
            "opinions.instructed" => self.reports.instructed,
            "activity.all" => self.activities.iter().map(|(_, n)| n).sum(),
            "proposals.filed" => self.proposals_filed,
            "proposals.answered" => self.proposals_answered,
            _ => return None,
        })
    }

    /// Counts one activity of `kind`, keeping the kinds in the order first seen (the store
    /// puts the station's list first).
    pub fn count_activity(&mut self, kind: &str) {
        match self.activities.iter_mut().find(|(k, _)| k == kind) {
            Some((_, n)) => *n += 1,
            None => self.activities.push((kind.to_string(), 1)),
        }
    }
}

/// Duty in a period as of a moment: the coverage (the one definition, [`Coverage`]), and the
/// shifts by what became of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DutyCoverage {
    pub coverage: Coverage,
    /// Shifts whose slot has ended, by state (a swapped-away shift is counted under `swapped`;
    /// its replacement under what became of it).
    pub served: i64,
    pub missed: i64,
    pub leave: i64,
    pub swapped: i64,
    /// Shifts whose slot has not ended yet.
    pub ahead: i64,
}

/// What the home dashboard shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// Visits per month, the last twelve months, oldest first: `(YYYY-MM, n)`.
    pub months: Vec<(String, i64)>,
    /// The year's request categories with the most visits (at most five), and the year's total.
    pub categories: Vec<(String, i64)>,
    pub visits_this_year: i64,
    #[serde(skip)]
    pub quota: crate::domain::consult::Quota,
    pub duty: DutyCoverage,
    /// Visits still to be answered, and those past their due date.
    pub open_visits: i64,
    pub overdue_visits: i64,
    pub open_cases: i64,
    pub overdue_cases: i64,
}

/// The month's figures (月度统计).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MonthStats {
    pub year: i32,
    pub month: u32,
    pub visits: i64,
    /// Visits by request category and by state (state names as stored).
    pub visit_categories: Vec<(String, i64)>,
    pub visit_states: Vec<(String, i64)>,
    pub cases: i64,
    /// Cases received in the month by dispute type and by outcome (outcome names as stored).
    pub case_types: Vec<(String, i64)>,
    pub case_outcomes: Vec<(String, i64)>,
    pub duty: DutyCoverage,
    /// Consultation meetings held and reports submitted in the month.
    pub consultations: i64,
    pub reports_submitted: i64,
    /// Activities by kind, the station's kinds in their order.
    pub activities: Vec<(String, i64)>,
}

/// Members' records built from the records themselves, one record at a time, for the county,
/// which reads every station's records once. Members are keyed by their station and id (the
/// same person serving at two stations has a record at each); deleted records are not given.
pub struct RecordsBuilder {
    period: Period,
    today: NaiveDate,
    kinds: Vec<String>,
    records: std::collections::BTreeMap<(String, Uuid), MemberRecord>,
    /// Each member's coverage as their shifts come.
    duty: std::collections::BTreeMap<(String, Uuid), CoverageCount>,
    now: NaiveDateTime,
}

impl RecordsBuilder {
    /// Records of `period` as of `now`, activities ordered by `kinds` first.
    pub fn new(period: Period, now: NaiveDateTime, kinds: &[String]) -> RecordsBuilder {
        RecordsBuilder {
            period,
            today: now.date(),
            now,
            duty: std::collections::BTreeMap::new(),
            kinds: kinds.to_vec(),
            records: std::collections::BTreeMap::new(),
        }
    }

    fn of(&mut self, station: &str, member: Uuid) -> Option<&mut MemberRecord> {
        self.records.get_mut(&(station.to_string(), member))
    }

    pub fn member(&mut self, station: &str, member: &super::Member) {
        let mut record = MemberRecord::empty(
            member.meta.id,
            &member.fields.name,
            &member.fields.sector,
            self.period,
        );
        record.activities = self.kinds.iter().map(|k| (k.clone(), 0)).collect();
        self.records
            .insert((station.to_string(), member.meta.id), record);
    }

    pub fn shift(&mut self, station: &str, shift: &super::roster::Shift) {
        use super::roster::ShiftState;
        if !self.period.contains(shift.date) {
            return;
        }
        let key = (station.to_string(), shift.member_id);
        let Some(r) = self.records.get_mut(&key) else {
            return;
        };
        r.duty.count(shift.state);
        // A shift given away in a swap is the taker's to serve, not the member's.
        if shift.state != ShiftState::Swapped {
            let now = self.now;
            self.duty
                .entry(key)
                .or_insert_with(|| CoverageCount::new(now))
                .add(shift.date, shift.slot, shift.state);
        }
    }

    pub fn intake(&mut self, station: &str, intake: &super::Intake) {
        if !self.period.contains(intake.fields.visited_at.date()) {
            return;
        }
        if let Some(r) = intake.fields.member_id.and_then(|m| self.of(station, m)) {
            r.visits.received += 1;
            if intake.state == super::IntakeState::Closed {
                r.visits.closed += 1;
            }
        }
    }

    pub fn case(&mut self, station: &str, case: &super::case::MediationCase) {
        use super::case::Outcome;
        if !self.period.contains(case.fields.received_on) {
            return;
        }
        for mediator in &case.fields.mediators {
            if let Some(r) = self.of(station, *mediator) {
                r.cases.mediated += 1;
                match &case.outcome {
                    Some(Outcome::Success { .. }) => r.cases.success += 1,
                    Some(Outcome::Failed { .. }) => r.cases.failed += 1,
                    Some(Outcome::Withdrawn { .. }) => r.cases.withdrawn += 1,
                    Some(Outcome::Litigation { .. }) => r.cases.litigation += 1,
                    Some(Outcome::Transferred { .. }) => r.cases.transferred += 1,
                    None => {}
                }
            }
        }
    }

    /// A topic's research notes count for the members they name, as typed.
    pub fn topic(&mut self, station: &str, topic: &super::consult::Topic) {
        let (period, today) = (self.period, self.today);
        for note in topic
            .research
            .iter()
            .filter(|n| period.contains(n.on) && n.on <= today)
        {
            for ((s, _), r) in self.records.iter_mut() {
                let name = r.name.trim();
                if s == station && !name.is_empty() && note.members.contains(name) {
                    r.research += 1;
                }
            }
        }
    }

    pub fn meeting(&mut self, station: &str, meeting: &super::consult::Meeting) {
        use super::consult::Attendance;
        let day = meeting.held_at.date();
        if !self.period.contains(day) || day > self.today {
            return;
        }
        for a in &meeting.members {
            if let Some(r) = self.of(station, a.member_id) {
                match a.attendance {
                    Attendance::Present => r.meetings.present += 1,
                    Attendance::Leave => r.meetings.leave += 1,
                    Attendance::Absent => r.meetings.absent += 1,
                }
            }
        }
    }

    /// A report counts on the day it was submitted, or else the day it was written.
    pub fn report(&mut self, station: &str, report: &super::consult::Report) {
        use super::consult::ReportResult;
        let day = report.submitted_on.unwrap_or_else(|| {
            report
                .meta
                .created_at
                .with_timezone(&chrono::Local)
                .date_naive()
        });
        if !self.period.contains(day) {
            return;
        }
        for author in &report.authors {
            if let Some(r) = self.of(station, *author) {
                r.reports.written += 1;
                r.reports.submitted += i64::from(report.submitted_on.is_some());
                if let ReportResult::Adopted { instruction } = &report.result {
                    r.reports.adopted += 1;
                    r.reports.instructed += i64::from(instruction.is_some());
                }
            }
        }
    }

    pub fn activity(&mut self, station: &str, activity: &super::activity::Activity) {
        if !self.period.contains(activity.on) || activity.on > self.today {
            return;
        }
        for member in &activity.members {
            if let Some(r) = self.of(station, *member) {
                r.count_activity(&activity.kind);
                if let Some(p) = &activity.proposal {
                    r.proposals_filed += i64::from(p.filed);
                    r.proposals_answered += i64::from(p.answered);
                }
            }
        }
    }

    /// Every member's record, with the station it is kept at, by station then member.
    pub fn finish(self) -> Vec<(String, MemberRecord)> {
        let duty = self.duty;
        self.records
            .into_iter()
            .map(|(key, mut record)| {
                if let Some(count) = duty.get(&key) {
                    record.duty.coverage = count.finish();
                }
                (key.0, record)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_have_their_days_and_months() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            Period::Year(2026).bounds(),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            Period::Month(2024, 2).bounds(),
            (d(2024, 2, 1), d(2024, 2, 29))
        );
        assert_eq!(Period::Month(2026, 12).bounds().1, d(2026, 12, 31));
        assert_eq!(
            Period::Year(2026).months(),
            ("2026-01".to_string(), "2026-12".to_string())
        );
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        assert_eq!(Period::parse("2026-03"), Some(Period::Month(2026, 3)));
        assert_eq!(Period::parse("term"), Some(Period::Term));
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(Period::parse("twenty"), None);
        assert!(Period::Term.contains(d(2026, 5, 1)));
        assert!(!Period::Year(2025).contains(d(2026, 1, 1)));
    }

    #[test]
    fn every_named_figure_is_read() {
        let mut record = MemberRecord::empty(Uuid::nil(), "李秀兰", "教育界", Period::Year(2026));
        record.count_activity("提案");
        record.count_activity("提案");
        record.count_activity("读书");
        for name in FIGURES {
            assert!(record.figure(name).is_some(), "{name}");
            assert!(is_figure(name));
        }
        assert_eq!(record.figure("activity:提案"), Some(2));
        assert_eq!(record.figure("activity:视察"), Some(0));
        assert_eq!(record.figure("activity.all"), Some(3));
        assert_eq!(record.figure("nonsense"), None);
        assert!(!is_figure("nonsense"));
        assert!(!is_figure("activity:"));
    }
}

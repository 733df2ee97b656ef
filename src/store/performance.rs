//! Members' records (履职档案) and the year's assessment, read from the store. Visits and
//! cases — the kinds that grow to millions — are summed from the tallies per month (migration
//! 15); duty from the shifts' index by member; meetings, research, reports and activities
//! from the period's rows, which are tens to hundreds a year.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::params;
use uuid::Uuid;

use super::counts::tallies;
use super::error::{StoreError, StoreResult};
use super::record::RecordTable;
use super::{SearchHit, Store};
use crate::domain::activity::Activity;
use crate::domain::assessment::{Assessment, Rules};
use crate::domain::consult::{Meeting, Report, ReportResult, Topic};
use crate::domain::performance::{MemberRecord, Period, RecordsBuilder, ACTIVITY_PREFIX};
use crate::domain::roster::{CoverageCount, ShiftState, Slot};
use crate::domain::{Member, RecordKind};

const DATE: &str = "%Y-%m-%d";

/// The period's meetings, topics, reports and activities, read once for every member.
struct PeriodRows {
    meetings: Vec<Meeting>,
    topics: Vec<Topic>,
    reports: Vec<Report>,
    activities: Vec<Activity>,
}

/// When a report counts: the day it was submitted, or the day it was written.
fn report_day(report: &Report) -> NaiveDate {
    report.submitted_on.unwrap_or_else(|| {
        report
            .meta
            .created_at
            .with_timezone(&chrono::Local)
            .date_naive()
    })
}

fn hit(kind: RecordKind, id: Uuid, date: String, title: String, snippet: String) -> SearchHit {
    SearchHit {
        kind,
        id,
        title,
        date,
        snippet,
    }
}

impl Store {
    /// The assessment's rules: the station's `lists/assessment.toml` beside the database when
    /// there is one, else those built into the program. A station file that cannot be read as
    /// rules is an error that says where and why, never silently the built-in rules.
    pub fn assessment_rules(&self) -> StoreResult<Rules> {
        let own: Option<PathBuf> = self
            .path()
            .parent()
            .map(|dir| dir.join("lists").join("assessment.toml"))
            .filter(|file| file.is_file());
        match own {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| StoreError::Io {
                    path: path.clone(),
                    source: e,
                })?;
                Rules::parse(&text).map_err(|error| StoreError::Rules { path, error })
            }
            None => Ok(Rules::builtin()),
        }
    }

    fn period_rows(&self, period: Period, today: NaiveDate) -> StoreResult<PeriodRows> {
        let (from, to) = period.bounds();
        let to = to.min(today);
        let meetings_sql = format!(
            "SELECT {} FROM meeting INDEXED BY meeting_by_time
             WHERE deleted_at IS NULL AND held_at >= ?1 AND held_at < ?2 ORDER BY held_at, id",
            Meeting::select_list()
        );
        let end = to.succ_opt().unwrap_or(to).format(DATE).to_string();
        let meetings = self
            .conn()
            .prepare_cached(&meetings_sql)?
            .query_map(
                params![from.format(DATE).to_string(), end],
                Meeting::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        let all = |table: &str, select: String| -> String {
            format!("SELECT {select} FROM {table} WHERE deleted_at IS NULL ORDER BY created_at, id")
        };
        let topics = self
            .conn()
            .prepare_cached(&all("topic", Topic::select_list()))?
            .query_map([], Topic::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let reports = self
            .conn()
            .prepare_cached(&all("report", Report::select_list()))?
            .query_map([], Report::read_row)?
            .filter(|r| r.as_ref().map_or(true, |r| period.contains(report_day(r))))
            .collect::<Result<Vec<_>, _>>()?;
        let activities = self.activities_between(from, to)?;
        Ok(PeriodRows {
            meetings,
            topics,
            reports,
            activities,
        })
    }

    /// The records of `members`, in their order: meetings, research notes, reports and
    /// activities counted from the period's rows by the domain's [`RecordsBuilder`] (the
    /// county's report counts them the same way), then duty from the shifts' index by member and
    /// visits and cases from the tallies.
    fn records_of(
        &self,
        members: &[Member],
        period: Period,
        now: NaiveDateTime,
        rows: &PeriodRows,
    ) -> StoreResult<Vec<MemberRecord>> {
        let mut builder = RecordsBuilder::new(period, now, &self.activity_kinds());
        for member in members {
            builder.member("", member);
        }
        for meeting in &rows.meetings {
            builder.meeting("", meeting);
        }
        for topic in &rows.topics {
            builder.topic("", topic);
        }
        for report in &rows.reports {
            builder.report("", report);
        }
        for activity in &rows.activities {
            builder.activity("", activity);
        }
        let mut built: HashMap<Uuid, MemberRecord> = builder
            .finish()
            .into_iter()
            .map(|(_, r)| (r.member_id, r))
            .collect();
        let mut records = Vec::with_capacity(members.len());
        for member in members {
            let Some(mut record) = built.remove(&member.meta.id) else {
                continue;
            };
            self.add_desk_figures(&mut record, now)?;
            records.push(record);
        }
        Ok(records)
    }

    /// Duty, from the shifts' index by member, with the member's coverage as of `now`; visits
    /// and cases, from the tallies.
    fn add_desk_figures(&self, record: &mut MemberRecord, now: NaiveDateTime) -> StoreResult<()> {
        let id = record.member_id;
        let period = record.period;
        let (from, to) = period.bounds();
        let mut stmt = self.conn().prepare_cached(
            "SELECT date, slot, state FROM shift INDEXED BY shift_by_member
             WHERE member_id = ?1 AND date >= ?2 AND date <= ?3 AND deleted_at IS NULL",
        )?;
        let shifts = stmt
            .query_map(
                params![
                    id.to_string(),
                    from.format(DATE).to_string(),
                    to.format(DATE).to_string()
                ],
                |row| {
                    Ok((
                        super::codec::parse_date(row, 0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        let mut coverage = CoverageCount::new(now);
        for (date, slot, state) in shifts {
            let state = ShiftState::parse(&state)
                .ok_or_else(|| StoreError::BadRecord(format!("shift state {state:?}")))?;
            record.duty.count(state);
            // As the domain's RecordsBuilder counts it: a shift given away is the taker's.
            if let (Some(date), Some(slot), false) =
                (date, Slot::parse(&slot), state == ShiftState::Swapped)
            {
                coverage.add(date, slot, state);
            }
        }
        record.duty.coverage = coverage.finish();
        let (first, last) = period.months();
        let scope = id.to_string();
        for (state, n) in tallies(self.conn(), &scope, &first, &last, "intake.state:")? {
            record.visits.received += n;
            if state == "closed" {
                record.visits.closed += n;
            }
        }
        for (_, n) in tallies(self.conn(), &scope, &first, &last, "case.state:")? {
            record.cases.mediated += n;
        }
        for (outcome, n) in tallies(self.conn(), &scope, &first, &last, "case.outcome:")? {
            let slot = match outcome.as_str() {
                "success" => &mut record.cases.success,
                "failed" => &mut record.cases.failed,
                "withdrawn" => &mut record.cases.withdrawn,
                "litigation" => &mut record.cases.litigation,
                "transferred" => &mut record.cases.transferred,
                _ => continue,
            };
            *slot += n;
        }
        Ok(())
    }

    /// One member's record for `period`, as of `today` (meetings and research not yet held do
    /// not count).
    pub fn member_record(
        &self,
        member: Uuid,
        period: Period,
        now: NaiveDateTime,
    ) -> StoreResult<MemberRecord> {
        let member = self
            .get_any::<Member>(member)?
            .ok_or_else(|| super::record::not_found::<Member>(member))?;
        let rows = self.period_rows(period, now.date())?;
        self.records_of(std::slice::from_ref(&member), period, now, &rows)?
            .pop()
            .ok_or_else(|| super::record::not_found::<Member>(member.meta.id))
    }

    /// The records of every member in the registry (active or not; deleted ones never), in the
    /// registry's order.
    pub fn member_records(
        &self,
        period: Period,
        now: NaiveDateTime,
    ) -> StoreResult<Vec<MemberRecord>> {
        let rows = self.period_rows(period, now.date())?;
        let mut members = Vec::new();
        let mut after = None;
        loop {
            let page = self.members_after(
                &super::MemberFilter {
                    include_inactive: true,
                    ..Default::default()
                },
                after.as_ref(),
                500,
            )?;
            let Some(last) = page.last() else { break };
            after = Some(Store::member_cursor(last));
            let full = page.len() < 500;
            members.extend(page);
            if full {
                break;
            }
        }
        self.records_of(&members, period, now, &rows)
    }

    /// Every member's assessment for the year, by the station's rules, with their records.
    pub fn assessments(
        &self,
        year: i32,
        now: NaiveDateTime,
    ) -> StoreResult<Vec<(MemberRecord, Assessment)>> {
        let rules = self.assessment_rules()?;
        Ok(self
            .member_records(Period::Year(year), now)?
            .into_iter()
            .map(|record| {
                let assessment = rules.assess(&record);
                (record, assessment)
            })
            .collect())
    }

    /// The records behind a figure of a member's record that are not visits or cases (those
    /// open in their own lists): shifts, meetings, research notes (as their topics), reports and
    /// activities, oldest first. A coded value (a shift's slot and state, a meeting's form) is
    /// put in words by `word`, the caller's: the store holds no words of its own.
    pub fn records_behind(
        &self,
        member: Uuid,
        period: Period,
        figure: &str,
        today: NaiveDate,
        word: &dyn Fn(&'static str) -> String,
    ) -> StoreResult<Vec<SearchHit>> {
        let (from, to) = period.bounds();
        let mut hits = Vec::new();
        if let Some(state) = figure.strip_prefix("duty.") {
            let wanted = match state {
                "served" => Some("attended"),
                "missed" => Some("missed"),
                "leave" => Some("leave"),
                "swapped" => Some("swapped"),
                _ => None,
            };
            let sql = format!(
                "SELECT {} FROM shift INDEXED BY shift_by_member
                 WHERE member_id = ?1 AND date >= ?2 AND date <= ?3 AND deleted_at IS NULL
                 ORDER BY date, slot",
                crate::domain::roster::Shift::select_list()
            );
            let shifts = self
                .conn()
                .prepare_cached(&sql)?
                .query_map(
                    params![
                        member.to_string(),
                        from.format(DATE).to_string(),
                        to.format(DATE).to_string()
                    ],
                    crate::domain::roster::Shift::read_row,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            for s in shifts
                .into_iter()
                .filter(|s| wanted.is_none_or(|w| s.state.as_str() == w))
            {
                hits.push(hit(
                    RecordKind::Shift,
                    s.meta.id,
                    s.date.format(DATE).to_string(),
                    word(s.slot.key()),
                    word(s.state.key()),
                ));
            }
            return Ok(hits);
        }
        let rows = self.period_rows(period, today)?;
        if let Some(attendance) = figure.strip_prefix("consultations.") {
            for m in &rows.meetings {
                let attended = m
                    .members
                    .iter()
                    .any(|a| a.member_id == member && a.attendance.as_str() == attendance);
                if attended {
                    hits.push(hit(
                        RecordKind::Meeting,
                        m.meta.id,
                        m.held_at.format("%Y-%m-%d %H:%M").to_string(),
                        m.place.clone(),
                        word(m.form.key()),
                    ));
                }
            }
        } else if figure == "research.notes" {
            let name = self
                .get_any::<Member>(member)?
                .map(|m| m.fields.name.trim().to_string())
                .unwrap_or_default();
            for t in &rows.topics {
                for note in t.research.iter().filter(|n| {
                    period.contains(n.on)
                        && n.on <= today
                        && !name.is_empty()
                        && n.members.contains(&name)
                }) {
                    hits.push(hit(
                        RecordKind::Topic,
                        t.meta.id,
                        note.on.format(DATE).to_string(),
                        t.title.clone(),
                        note.findings.chars().take(40).collect(),
                    ));
                }
            }
        } else if let Some(which) = figure.strip_prefix("opinions.") {
            for r in rows.reports.iter().filter(|r| r.authors.contains(&member)) {
                let adopted = matches!(r.result, ReportResult::Adopted { .. });
                let instructed = matches!(
                    &r.result,
                    ReportResult::Adopted {
                        instruction: Some(_)
                    }
                );
                let counts = match which {
                    "written" => true,
                    "submitted" => r.submitted_on.is_some(),
                    "adopted" => adopted,
                    "instructed" => instructed,
                    _ => false,
                };
                if counts {
                    hits.push(hit(
                        RecordKind::Report,
                        r.meta.id,
                        report_day(r).format(DATE).to_string(),
                        r.title.clone(),
                        r.submitted_to.clone(),
                    ));
                }
            }
        } else {
            let kind = figure.strip_prefix(ACTIVITY_PREFIX);
            for a in rows.activities.iter().filter(|a| a.involves(member)) {
                let counts = match (figure, kind) {
                    ("activity.all", _) => true,
                    ("proposals.filed", _) => a.proposal.as_ref().is_some_and(|p| p.filed),
                    ("proposals.answered", _) => a.proposal.as_ref().is_some_and(|p| p.answered),
                    (_, Some(kind)) => a.kind == kind,
                    _ => false,
                };
                if counts {
                    hits.push(hit(
                        RecordKind::Activity,
                        a.meta.id,
                        a.on.format(DATE).to_string(),
                        a.title.clone(),
                        a.kind.clone(),
                    ));
                }
            }
        }
        Ok(hits)
    }
}

//! The station's figures at a glance: the home dashboard and the month's figures (月度统计).
//! Visits and cases are sums over the tallies per month (migration 15) and the counts per date
//! (migration 13), never a walk over the records; shifts, meetings, reports and activities are
//! read for the month or the year, which holds tens to hundreds of them.

use super::counts::{monthly_tallies, tallies};
use super::error::StoreResult;
use super::record::RecordTable;
use super::Store;
use crate::domain::consult::Report;
use crate::domain::performance::{Dashboard, DutyCoverage, MonthStats, Period};
use crate::domain::roster::{coverage, Shift, ShiftState};
use chrono::{Datelike, NaiveDateTime};
use rusqlite::params;

const DATE: &str = "%Y-%m-%d";

fn by_count(mut rows: Vec<(String, i64)>) -> Vec<(String, i64)> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// The month `n` months before `(year, month)`.
fn months_back(year: i32, month: u32, n: u32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 - n as i32;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

impl Store {
    /// Duty from the first to the last day of `period`, as of `now`: the coverage by the
    /// domain's one definition, and the shifts by what became of them.
    pub fn duty_coverage(&self, period: Period, now: NaiveDateTime) -> StoreResult<DutyCoverage> {
        let (from, to) = period.bounds();
        let sql = format!(
            "SELECT {} FROM shift INDEXED BY shift_by_date
             WHERE date >= ?1 AND date <= ?2 AND deleted_at IS NULL",
            Shift::select_list()
        );
        let shifts = self
            .conn()
            .prepare_cached(&sql)?
            .query_map(
                params![from.format(DATE).to_string(), to.format(DATE).to_string()],
                Shift::read_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        let mut duty = DutyCoverage {
            coverage: coverage(&shifts, now),
            ..DutyCoverage::default()
        };
        for s in shifts {
            if s.slot.end_on(s.date) > now {
                duty.ahead += 1;
                continue;
            }
            match s.state {
                ShiftState::Swapped => duty.swapped += 1,
                ShiftState::Attended => duty.served += 1,
                // Ended without a sign-in: missed, whether or not it was marked yet.
                ShiftState::Missed | ShiftState::Scheduled => duty.missed += 1,
                ShiftState::Leave => duty.leave += 1,
            }
        }
        Ok(duty)
    }

    /// The home dashboard as of `now`.
    pub fn dashboard(&self, now: NaiveDateTime) -> StoreResult<Dashboard> {
        let today = now.date();
        let (year, month) = (today.year(), today.month());
        let (first_year, first_month) = months_back(year, month, 11);
        let first = format!("{first_year:04}-{first_month:02}");
        let last = format!("{year:04}-{month:02}");
        let mut months: Vec<(String, i64)> = (0..12)
            .rev()
            .map(|n| {
                let (y, m) = months_back(year, month, n);
                (format!("{y:04}-{m:02}"), 0)
            })
            .collect();
        for (m, _, n) in monthly_tallies(self.conn(), &first, &last, "intake.state:")? {
            if let Some(slot) = months.iter_mut().find(|(month, _)| *month == m) {
                slot.1 += n;
            }
        }
        let (year_first, year_last) = Period::Year(year).months();
        let categories = by_count(tallies(
            self.conn(),
            "",
            &year_first,
            &year_last,
            "intake.category:",
        )?);
        let visits_this_year = categories.iter().map(|(_, n)| n).sum();
        let open_visits = tallies(self.conn(), "", "0000-00", "9999-99", "intake.state:")?
            .into_iter()
            .filter(|(state, _)| {
                crate::domain::IntakeState::parse(state).is_some_and(|s| s.awaits_reply())
            })
            .map(|(_, n)| n)
            .sum();
        let t = today.format(DATE).to_string();
        let overdue_visits: i64 = self
            .conn()
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM intake_due_count WHERE due < ?1")?
            .query_row([&t], |r| r.get(0))?;
        let open_cases: i64 = self
            .conn()
            .prepare_cached(
                "SELECT coalesce(sum(n), 0) FROM case_state_count
                 WHERE state IN ('accepted', 'mediating')",
            )?
            .query_row([], |r| r.get(0))?;
        let overdue_cases: i64 = self
            .conn()
            .prepare_cached("SELECT coalesce(sum(n), 0) FROM case_due_count WHERE due < ?1")?
            .query_row([&t], |r| r.get(0))?;
        Ok(Dashboard {
            months,
            categories: categories.into_iter().take(5).collect(),
            visits_this_year,
            quota: self.quota(now)?,
            duty: self.duty_coverage(Period::Month(year, month), now)?,
            open_visits,
            overdue_visits,
            open_cases,
            overdue_cases,
        })
    }

    /// The figures of one month, as of `now`.
    pub fn month_stats(
        &self,
        year: i32,
        month: u32,
        now: NaiveDateTime,
    ) -> StoreResult<MonthStats> {
        let today = now.date();
        let period = Period::Month(year, month);
        let (m, _) = period.months();
        let (from, to) = period.bounds();
        let visit_states = by_count(tallies(self.conn(), "", &m, &m, "intake.state:")?);
        let case_states = tallies(self.conn(), "", &m, &m, "case.state:")?;
        let end = to.succ_opt().unwrap_or(to).format(DATE).to_string();
        let now_end = today.succ_opt().unwrap_or(today).format(DATE).to_string();
        let consultations: i64 = self
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM meeting INDEXED BY meeting_by_time
                 WHERE deleted_at IS NULL AND held_at >= ?1 AND held_at < min(?2, ?3)",
            )?
            .query_row(params![from.format(DATE).to_string(), end, now_end], |r| {
                r.get(0)
            })?;
        let sql = format!(
            "SELECT {} FROM report INDEXED BY report_by_submitted
             WHERE deleted_at IS NULL AND submitted_on IS NOT NULL
               AND submitted_on >= ?1 AND submitted_on <= ?2",
            Report::select_list()
        );
        let reports_submitted = self
            .conn()
            .prepare_cached(&sql)?
            .query_map(
                params![from.format(DATE).to_string(), to.format(DATE).to_string()],
                Report::read_row,
            )?
            .count() as i64;
        let mut activities: Vec<(String, i64)> =
            self.activity_kinds().into_iter().map(|k| (k, 0)).collect();
        for a in self.activities_between(from, to.min(today))? {
            match activities.iter_mut().find(|(k, _)| *k == a.kind) {
                Some((_, n)) => *n += 1,
                None => activities.push((a.kind.clone(), 1)),
            }
        }
        Ok(MonthStats {
            year,
            month,
            visits: visit_states.iter().map(|(_, n)| n).sum(),
            visit_categories: by_count(tallies(self.conn(), "", &m, &m, "intake.category:")?),
            visit_states,
            cases: case_states.iter().map(|(_, n)| n).sum(),
            case_types: by_count(tallies(self.conn(), "", &m, &m, "case.type:")?),
            case_outcomes: by_count(tallies(self.conn(), "", &m, &m, "case.outcome:")?),
            duty: self.duty_coverage(period, now)?,
            consultations,
            reports_submitted,
            activities,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_back_cross_the_year() {
        assert_eq!(months_back(2026, 11, 0), (2026, 11));
        assert_eq!(months_back(2026, 11, 11), (2025, 12));
        assert_eq!(months_back(2026, 1, 1), (2025, 12));
        assert_eq!(months_back(2026, 1, 13), (2024, 12));
    }
}

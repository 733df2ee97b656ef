//! The county report's row per station, counted from the records themselves (not in SQL), so
//! that every store counts alike.

use serde_json::Value;

use crate::domain::consult::{meeting_counts, report_counts};
use crate::domain::intake::{due_of, IntakeState};
use crate::domain::roster::{Coverage, CoverageCount, ShiftState, Slot, NO_FIGURE};

/// The station sheet's headers.
pub const HEADERS: [&str; 14] = [
    "工作站代码",
    "工作站名称",
    "最新批次",
    "最近报送",
    "委员数",
    "来访件数",
    "未办结来访",
    "逾期来访",
    "调解案件",
    "调解成功",
    "应值班时段",
    "到岗时段",
    "协商次数",
    "报送社情民意",
];

/// The station sheet's columns after [`HEADERS`]: duty coverage and the 4+X against the
/// station's own quotas (as its latest bundle carried them; the standard 4 and 10 before).
pub const QUOTA_HEADERS: [&str; 3] = [
    "值班到岗率（%）",
    "协商完成（次/应开）",
    "社情民意完成（篇/应报）",
];

/// The year and the moment the report counts for.
pub struct Rules {
    /// `YYYY-` of the year, or empty for every year.
    year_prefix: String,
    year: Option<i32>,
    now: chrono::NaiveDateTime,
}

impl Rules {
    /// The kinds whose records are counted.
    pub const KINDS: [&'static str; 6] = ["member", "intake", "case", "shift", "meeting", "report"];

    pub fn new(year: Option<i32>, now: chrono::NaiveDateTime) -> Rules {
        Rules {
            year_prefix: year.map(|y| format!("{y}-")).unwrap_or_default(),
            year,
            now,
        }
    }

    fn in_year(&self, value: &Value) -> bool {
        value
            .as_str()
            .is_some_and(|s| s.starts_with(&self.year_prefix))
    }
}

/// One station's counts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Duty coverage by the domain's one definition, as the shifts come.
    coverage: Option<CoverageCount>,
    members: u64,
    visits: u64,
    open_visits: u64,
    overdue_visits: u64,
    cases: u64,
    agreements: u64,
    /// The 4+X: consultation meetings held, public-opinion reports submitted.
    meetings: u64,
    reports: u64,
}

impl Tally {
    /// Counts one record of `kind`. A date that does not read (a record another program wrote)
    /// is not counted rather than counted wrong; the import checks records before they get here.
    pub fn add(&mut self, kind: &str, record: &Value, rules: &Rules) {
        if !record["deleted_at"].is_null() {
            return;
        }
        let state = record["state"].as_str();
        match kind {
            "member" => self.members += 1,
            "intake" => {
                if rules.in_year(&record["visited_at"]) {
                    self.visits += 1;
                }
                if state.is_some_and(|s| s != "closed") {
                    self.open_visits += 1;
                }
                // Overdue by the domain's one definition of what a visit owes.
                let date = |field: &str| {
                    record[field]
                        .as_str()
                        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                };
                let handed_over = state == Some("in_progress")
                    && record["handling"]["how"].as_str() == Some("converted");
                let due = match (state.and_then(IntakeState::parse), date("reply_due")) {
                    (Some(state), Some(reply_due)) => {
                        due_of(state, handed_over, reply_due, date("follow_up_due"))
                    }
                    _ => None,
                };
                if due.is_some_and(|due| due < rules.now.date()) {
                    self.overdue_visits += 1;
                }
            }
            "case" if rules.in_year(&record["received_on"]) => {
                self.cases += 1;
                if record["outcome"]["result"].as_str() == Some("success") {
                    self.agreements += 1;
                }
            }
            "shift" => {
                let date = record["date"]
                    .as_str()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                let slot = record["slot"].as_str().and_then(Slot::parse);
                let state = state.and_then(ShiftState::parse);
                if let (Some(date), Some(slot), Some(state), true) =
                    (date, slot, state, rules.in_year(&record["date"]))
                {
                    self.coverage
                        .get_or_insert_with(|| CoverageCount::new(rules.now))
                        .add(date, slot, state);
                }
            }
            // The 4+X by the domain's rule, as the desk counts it: held (or submitted) by now.
            "meeting" => {
                let held_at = record["held_at"]
                    .as_str()
                    .and_then(|t| t.parse::<chrono::NaiveDateTime>().ok());
                if held_at.is_some_and(|at| meeting_counts(at, rules.year, rules.now)) {
                    self.meetings += 1;
                }
            }
            "report" => {
                let submitted = record["submitted_on"]
                    .as_str()
                    .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
                if report_counts(submitted, rules.year, rules.now) {
                    self.reports += 1;
                }
            }
            _ => {}
        }
    }

    fn coverage(&self) -> Coverage {
        self.coverage
            .as_ref()
            .map(CoverageCount::finish)
            .unwrap_or_default()
    }

    /// Duty coverage in whole percent ("—" when no scheduled slot has ended), and the 4+X
    /// as "done/quota".
    pub fn quota_columns(&self, quotas: (usize, usize)) -> [String; 3] {
        let coverage = self
            .coverage()
            .percent()
            .map_or_else(|| NO_FIGURE.to_string(), |p| p.to_string());
        let (consultations, reports) = quotas;
        [
            coverage,
            format!("{}/{consultations}", self.meetings),
            format!("{}/{reports}", self.reports),
        ]
    }

    /// The counts in the order of the sheet's columns after the station's own four.
    pub fn columns(&self) -> [u64; 10] {
        [
            self.members,
            self.visits,
            self.open_visits,
            self.overdue_visits,
            self.cases,
            self.agreements,
            u64::from(self.coverage().slots_ended),
            u64::from(self.coverage().slots_served),
            self.meetings,
            self.reports,
        ]
    }
}

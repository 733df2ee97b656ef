//! The county report's row per station, counted from the records themselves (not in SQL), so
//! that every store counts alike.

use serde_json::Value;

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
    "应值班次",
    "到岗班次",
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

/// The year and the day the report counts for.
pub struct Rules {
    /// `YYYY-` of the year, or empty for every year.
    year_prefix: String,
    /// `YYYY-MM-DD`.
    today: String,
}

impl Rules {
    /// The kinds whose records are counted.
    pub const KINDS: [&'static str; 6] = ["member", "intake", "case", "shift", "meeting", "report"];

    pub fn new(year: Option<i32>, today: chrono::NaiveDate) -> Rules {
        Rules {
            year_prefix: year.map(|y| format!("{y}-")).unwrap_or_default(),
            today: today.format("%Y-%m-%d").to_string(),
        }
    }

    fn in_year(&self, value: &Value) -> bool {
        value
            .as_str()
            .is_some_and(|s| s.starts_with(&self.year_prefix))
    }

    /// Whether a date (as text) is before today.
    fn before_today(&self, value: &Value) -> bool {
        value.as_str().is_some_and(|s| s < self.today.as_str())
    }
}

/// One station's counts.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    members: u64,
    visits: u64,
    open_visits: u64,
    overdue_visits: u64,
    cases: u64,
    agreements: u64,
    shifts_due: u64,
    shifts_served: u64,
    /// The 4+X: consultation meetings held, public-opinion reports submitted.
    meetings: u64,
    reports: u64,
}

impl Tally {
    /// Counts one record of `kind`.
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
                let late_reply = matches!(state, Some("registered" | "in_progress"))
                    && rules.before_today(&record["reply_due"]);
                let late_follow_up =
                    state == Some("answered") && rules.before_today(&record["follow_up_due"]);
                if late_reply || late_follow_up {
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
                let date = &record["date"];
                if rules.in_year(date) {
                    if rules.before_today(date) && state.is_some_and(|s| s != "swapped") {
                        self.shifts_due += 1;
                    }
                    if state == Some("attended") {
                        self.shifts_served += 1;
                    }
                }
            }
            "meeting" if rules.in_year(&record["held_at"]) => self.meetings += 1,
            "report" if rules.in_year(&record["submitted_on"]) => self.reports += 1,
            _ => {}
        }
    }

    /// Duty coverage in whole percent, and the 4+X as "done/quota".
    pub fn quota_columns(&self, quotas: (usize, usize)) -> [String; 3] {
        let coverage = (self.shifts_served * 100)
            .checked_div(self.shifts_due)
            .map_or(100, |p| p.min(100));
        let (consultations, reports) = quotas;
        [
            coverage.to_string(),
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
            self.shifts_due,
            self.shifts_served,
            self.meetings,
            self.reports,
        ]
    }
}

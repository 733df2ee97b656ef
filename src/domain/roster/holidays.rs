//! Public holidays and make-up working days, from `assets/lists/holidays.txt`.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

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

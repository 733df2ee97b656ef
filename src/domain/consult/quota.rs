//! The station's 4+X for a year, and a public-opinion report drafted from visits.

use super::*;

/// The year's "4+X": consultations held and reports submitted against the quotas.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Quota {
    pub year: i32,
    pub consultations: usize,
    pub consultations_quota: usize,
    pub reports: usize,
    pub reports_quota: usize,
}

/// The standard 4+X: four consultations a year, and the reports a station is asked for (the
/// settings `consult-quota` and `report-quota` start from these).
pub const STANDARD_QUOTAS: (usize, usize) = (4, 10);

/// Whether a meeting counts toward the 4+X of `year` as of `now`: held that year, by now (a
/// meeting planned for later is not yet a consultation). The desk and the county both ask this.
pub fn meeting_counts(held_at: NaiveDateTime, year: Option<i32>, now: NaiveDateTime) -> bool {
    year.is_none_or(|y| held_at.date().year() == y) && held_at <= now
}

/// Whether a report counts toward the 4+X of `year` as of `now`: submitted that year, by now.
pub fn report_counts(
    submitted_on: Option<NaiveDate>,
    year: Option<i32>,
    now: NaiveDateTime,
) -> bool {
    submitted_on.is_some_and(|d| year.is_none_or(|y| d.year() == y) && d <= now.date())
}

/// Counts the meetings held in `now`'s year up to `now`, and the reports submitted that year.
pub fn quota(
    meetings: &[Meeting],
    reports: &[Report],
    now: NaiveDateTime,
    consultations_quota: usize,
    reports_quota: usize,
) -> Quota {
    let year = now.date().year();
    Quota {
        year,
        consultations: meetings
            .iter()
            .filter(|m| meeting_counts(m.held_at, Some(year), now))
            .count(),
        consultations_quota,
        reports: reports
            .iter()
            .filter(|r| report_counts(r.submitted_on, Some(year), now))
            .count(),
        reports_quota,
    }
}

/// A report drafted from visits: a title from their most common category, and a body in the
/// usual three parts (基本情况, 原因分析, 意见建议) with the residents' words as the facts.
pub fn draft_report(intakes: &[&crate::domain::Intake]) -> (String, String) {
    let mut categories: Vec<(&str, usize)> = Vec::new();
    for intake in intakes {
        let c = intake.fields.category.as_str();
        match categories.iter_mut().find(|(k, _)| *k == c) {
            Some(entry) => entry.1 += 1,
            None => categories.push((c, 1)),
        }
    }
    categories.sort_by_key(|c| std::cmp::Reverse(c.1));
    let topic = categories
        .first()
        .map(|(c, _)| c.rsplit('/').next().unwrap_or(c))
        .unwrap_or("群众反映");
    let title = format!("关于{topic}问题的社情民意信息");
    let mut body = format!(
        "一、基本情况\n近期，本委员工作站接待群众来访{}件，反映{topic}方面的问题：\n",
        intakes.len()
    );
    for (n, intake) in intakes.iter().enumerate() {
        let f = &intake.fields;
        let place = if f.address.is_empty() {
            String::new()
        } else {
            format!("{}群众", f.address)
        };
        body.push_str(&format!(
            "{}. {}，{}反映：{}\n",
            n + 1,
            crate::domain::dates::chinese_date(f.visited_at.date()),
            place,
            f.request.trim()
        ));
    }
    body.push_str("二、原因分析\n\n三、意见建议\n");
    (title, body)
}

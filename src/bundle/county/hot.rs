//! What the county is asking about (热点诉求): the visits' request categories by month and by
//! station for a year, the categories that grew most against the same months of the year
//! before, the requests behind each figure, and the county's own proposed topics (kept in the
//! county's tables, never in a station's records).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::Datelike;

use super::desk::Found;
use super::*;

/// The report table of visits by station, month and category (made by `county views` and
/// every import, as the other report tables).
pub const HOT_TABLE: &str = "report_hot";
/// Its columns after `station_id`.
pub const HOT_COLUMNS: [&str; 3] = ["月份", "诉求类别", "件数"];

/// One category's visits in a year.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HotCategory {
    pub category: String,
    /// Visits in the months of the year counted.
    pub total: u64,
    /// Visits in the same months of the year before.
    pub year_before: u64,
    /// By month, January first.
    pub by_month: [u64; 12],
    /// By station id.
    pub by_station: BTreeMap<String, u64>,
}

impl HotCategory {
    /// The growth against the same months of the year before, in per cent (`None` when there
    /// were none then).
    pub fn growth(&self) -> Option<i64> {
        (self.year_before > 0)
            .then(|| (self.total as i64 - self.year_before as i64) * 100 / self.year_before as i64)
    }
}

/// The county's visits of a year by category: most visits first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HotIssues {
    pub year: i32,
    /// The months counted: 1 to this (the whole year for a past one).
    pub through_month: u32,
    pub categories: Vec<HotCategory>,
    /// The stations, `(id, code)`, by code.
    pub stations: Vec<(String, String)>,
}

impl HotIssues {
    /// The categories that grew most against the same months of the year before (those with
    /// visits then), most first.
    pub fn growing(&self) -> Vec<&HotCategory> {
        let mut grew: Vec<&HotCategory> = self
            .categories
            .iter()
            .filter(|c| c.growth().is_some_and(|g| g > 0))
            .collect();
        grew.sort_by_key(|c| (-c.growth().unwrap_or(0), c.category.clone()));
        grew
    }
}

/// A topic the county proposes from what residents brought to the stations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyTopic {
    pub id: String,
    pub title: String,
    pub category: String,
    /// The period it was drawn from (`2026`, `2026-11`).
    pub period: String,
    /// RFC 3339 (UTC).
    pub created_at: String,
    /// The visits behind it, `(station_id, intake id)`.
    pub requests: Vec<(String, String)>,
}

/// Visits of one station, `(month, category) → n`, for its rows of [`HOT_TABLE`].
pub(super) fn hot_rows(counts: &BTreeMap<(String, String), u64>) -> Vec<Vec<String>> {
    counts
        .iter()
        .map(|((month, category), n)| vec![month.clone(), category.clone(), n.to_string()])
        .collect()
}

impl CountyDb {
    /// The visits of `year` by category, through `through_month` (and the same months of the
    /// year before), from the report table the imports keep.
    pub fn hot_issues(&self, year: i32, through_month: u32) -> Result<HotIssues, BundleError> {
        let through_month = through_month.clamp(1, 12);
        let stations: Vec<(String, String)> = self
            .stations()?
            .into_iter()
            .map(|s| (s.id, s.code))
            .collect();
        let mut by: HashMap<String, HotCategory> = HashMap::new();
        // Only the months of this year and the year before, streamed (the table holds a row
        // a station, month and category: 234,000 at 130 stations × 10 years).
        let from = format!("{}-01", year - 1);
        self.store.borrow_mut().each_table_row(
            HOT_TABLE,
            &HOT_COLUMNS,
            Some((HOT_COLUMNS[0], &from)),
            &mut |station, cells| {
                let [month, category, n] = cells else {
                    return Ok(());
                };
                let n = n.parse::<u64>().unwrap_or(0);
                let Ok(day) = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                else {
                    return Ok(());
                };
                if day.month() > through_month {
                    return Ok(());
                }
                let entry = by
                    .entry(category.to_string())
                    .or_insert_with(|| HotCategory {
                        category: category.to_string(),
                        ..HotCategory::default()
                    });
                if day.year() == year {
                    entry.total += n;
                    entry.by_month[day.month0() as usize] += n;
                    *entry.by_station.entry(station.to_string()).or_insert(0) += n;
                } else if day.year() == year - 1 {
                    entry.year_before += n;
                }
                Ok(())
            },
        )?;
        let mut categories: Vec<HotCategory> = by.into_values().filter(|c| c.total > 0).collect();
        categories.sort_by(|a, b| b.total.cmp(&a.total).then(a.category.cmp(&b.category)));
        Ok(HotIssues {
            year,
            through_month,
            categories,
            stations,
        })
    }

    /// The visits behind a figure: of `category` in `year` (and `month`, and `station`),
    /// newest first, at most `limit`.
    pub fn requests_behind(
        &self,
        category: &str,
        year: i32,
        month: Option<u32>,
        station: Option<&str>,
        limit: usize,
    ) -> Result<Vec<Found>, BundleError> {
        let prefix = match month {
            Some(m) => format!("{year}-{m:02}"),
            None => format!("{year}-"),
        };
        // The category as the JSON holds it, then each visit's own fields checked.
        let found = self.search(category, station, usize::MAX / 2)?;
        Ok(found
            .into_iter()
            .filter(|f| f.kind == RecordKind::Intake)
            .filter(|f| {
                let field = |label: &str| {
                    f.fields
                        .iter()
                        .find(|(l, _)| l == label)
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("")
                };
                field("诉求类别") == category && field("来访时间").starts_with(&prefix)
            })
            .take(limit)
            .collect())
    }

    /// Keeps a proposed topic with the visits behind it in the county's own tables.
    pub fn propose_topic(
        &self,
        title: &str,
        category: &str,
        period: &str,
        requests: &[(String, String)],
    ) -> Result<CountyTopic, BundleError> {
        let topic = CountyTopic {
            id: Uuid::now_v7().to_string(),
            title: title.trim().to_string(),
            category: category.to_string(),
            period: period.to_string(),
            created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            requests: requests.to_vec(),
        };
        self.store.borrow_mut().add_topic(&topic)?;
        Ok(topic)
    }

    /// The county's proposed topics, newest first.
    pub fn topics(&self) -> Result<Vec<CountyTopic>, BundleError> {
        self.store.borrow_mut().topics()
    }

    /// Writes the year's figures as a workbook for the office's topic selection: by month,
    /// by station, the growth, and the county's proposed topics.
    pub fn write_hot_workbook(&self, hot: &HotIssues, path: &Path) -> Result<(), BundleError> {
        let mut book = rust_xlsxwriter::Workbook::new();
        // Sheet 1: categories by month.
        let (headers, rows) = by_month(hot);
        let mut sheets: Vec<(String, Vec<String>, Vec<Vec<String>>)> =
            vec![(format!("{}年按月", hot.year), headers, rows)];
        // Sheet 2: categories by station.
        let mut headers: Vec<String> = vec!["诉求类别".into()];
        headers.extend(hot.stations.iter().map(|(_, code)| code.clone()));
        let rows = hot
            .categories
            .iter()
            .map(|c| {
                let mut row = vec![c.category.clone()];
                row.extend(
                    hot.stations
                        .iter()
                        .map(|(id, _)| c.by_station.get(id).copied().unwrap_or(0).to_string()),
                );
                row
            })
            .collect();
        sheets.push(("按工作站".into(), headers, rows));
        // Sheet 3: what grew most.
        let rows = hot
            .growing()
            .iter()
            .map(|c| {
                vec![
                    c.category.clone(),
                    c.total.to_string(),
                    c.year_before.to_string(),
                    c.growth().map(|g| g.to_string()).unwrap_or_default(),
                ]
            })
            .collect();
        sheets.push((
            "增长最多".into(),
            vec![
                "诉求类别".into(),
                "本期".into(),
                "上年同期".into(),
                "增长（%）".into(),
            ],
            rows,
        ));
        // Sheet 4: the proposed topics.
        let rows = self
            .topics()?
            .iter()
            .map(|t| {
                vec![
                    t.title.clone(),
                    t.category.clone(),
                    t.period.clone(),
                    t.requests.len().to_string(),
                    crate::domain::dates::local_moment(&t.created_at)
                        .unwrap_or_else(|| t.created_at.clone()),
                ]
            })
            .collect();
        sheets.push((
            "拟提议题".into(),
            vec![
                "议题".into(),
                "诉求类别".into(),
                "期间".into(),
                "来访件数".into(),
                "提出时间".into(),
            ],
            rows,
        ));
        for (name, headers, rows) in sheets {
            figures_sheet(book.add_worksheet(), &name, &headers, &rows)?;
        }
        book.save(path)
            .map_err(|e| BundleError::Sheet(e.to_string()))
    }
}

/// The year's categories by month: the total, each month counted, the same months of the year
/// before and the growth, most visits first (the hot workbook's first sheet, and the county
/// report's 热点诉求).
pub(super) fn by_month(hot: &HotIssues) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers: Vec<String> = vec!["诉求类别".into(), "合计".into()];
    headers.extend((1..=hot.through_month).map(|m| format!("{m}月")));
    headers.extend(["上年同期".to_string(), "增长（%）".to_string()]);
    let rows = hot
        .categories
        .iter()
        .map(|c| {
            let mut row = vec![c.category.clone(), c.total.to_string()];
            row.extend(
                c.by_month[..hot.through_month as usize]
                    .iter()
                    .map(u64::to_string),
            );
            row.push(c.year_before.to_string());
            row.push(c.growth().map(|g| g.to_string()).unwrap_or_default());
            row
        })
        .collect();
    (headers, rows)
}

/// A sheet of figures named `name`: bold headers whole on their line, the first column text,
/// the others numbers where they read as one, printed on A4 one page wide.
pub(super) fn figures_sheet(
    sheet: &mut rust_xlsxwriter::Worksheet,
    name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<(), BundleError> {
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let cell = crate::text::cells::cell;
    sheet.set_name(name).map_err(sheet_error)?;
    let mut widths = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, cell(h), &bold)
            .map_err(sheet_error)?;
        let least = if c == 0 { 16.0 } else { 7.0 };
        let width = (crate::text::print::column_width([h.as_str()]) + 1.0).max(least);
        sheet
            .set_column_width(c as u16, width)
            .map_err(sheet_error)?;
        widths.push(width);
    }
    crate::text::print::setup(sheet, &widths, Some(0)).map_err(sheet_error)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let at = (r + 1) as u32;
            match text.parse::<i64>() {
                Ok(n) if c > 0 => sheet.write_number(at, c as u16, n as f64),
                _ => sheet.write_string(at, c as u16, cell(text)),
            }
            .map_err(sheet_error)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_against_the_same_months_of_the_year_before() {
        let c = HotCategory {
            category: "物业管理".into(),
            total: 30,
            year_before: 20,
            ..HotCategory::default()
        };
        assert_eq!(c.growth(), Some(50));
        let new = HotCategory {
            total: 5,
            ..HotCategory::default()
        };
        assert_eq!(new.growth(), None);
        let hot = HotIssues {
            categories: vec![c.clone(), new],
            ..HotIssues::default()
        };
        assert_eq!(hot.growing(), vec![&c]);
    }
}

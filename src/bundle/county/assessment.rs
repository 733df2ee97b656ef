//! The members' assessments in the county: every member's record built on the pass that reads
//! each station's records, graded by the built-in rules, as the report's 委员履职考核 sheet and
//! the `report_assessment` table.

use std::collections::HashMap;

use crate::bundle::BundleError;

/// The county report's sheet of members' assessments.
const ASSESSMENT_SHEET: &str = "委员履职考核";

/// Gives a typed record of any kind to the members' records it counts in.
pub(super) fn count_for_people(
    people: &mut crate::domain::performance::RecordsBuilder,
    station: &str,
    record: &dyn std::any::Any,
) {
    use crate::domain::{activity, case, consult, roster};
    if let Some(r) = record.downcast_ref::<crate::domain::Member>() {
        people.member(station, r);
    } else if let Some(r) = record.downcast_ref::<roster::Shift>() {
        people.shift(station, r);
    } else if let Some(r) = record.downcast_ref::<crate::domain::Intake>() {
        people.intake(station, r);
    } else if let Some(r) = record.downcast_ref::<case::MediationCase>() {
        people.case(station, r);
    } else if let Some(r) = record.downcast_ref::<consult::Topic>() {
        people.topic(station, r);
    } else if let Some(r) = record.downcast_ref::<consult::Meeting>() {
        people.meeting(station, r);
    } else if let Some(r) = record.downcast_ref::<consult::Report>() {
        people.report(station, r);
    } else if let Some(r) = record.downcast_ref::<activity::Activity>() {
        people.activity(station, r);
    }
}

/// The columns and the text cells of the members' assessments (the `report_assessment` table
/// of `county views`): station code, name, sector, each yearly minimum's count, minimums met,
/// points added, points taken, total, grade.
pub(super) fn assessment_cells(
    people: &[(String, crate::domain::performance::MemberRecord)],
    code_of: &dyn Fn(&str) -> String,
) -> (Vec<String>, Vec<Vec<String>>) {
    let rules = crate::domain::assessment::Rules::builtin();
    let mut headers = vec!["工作站代码".to_string(), "姓名".into(), "界别".into()];
    headers.extend(rules.minimums.iter().map(|m| m.name.clone()));
    headers.extend(
        ["达到要求", "加分", "扣分", "总分", "等次"]
            .iter()
            .map(|s| s.to_string()),
    );
    let rows = people
        .iter()
        .map(|(station, record)| {
            let a = rules.assess(record);
            let mut cells = vec![code_of(station), record.name.clone(), record.sector.clone()];
            cells.extend(a.minimums.iter().map(|m| m.count.to_string()));
            let added: i64 = a.points.iter().map(|p| p.points).sum();
            let taken: i64 = a.deductions.iter().map(|p| p.points).sum::<i64>() + a.unmet_deduction;
            cells.push(format!("{}/{}", a.minimums_met(), a.minimums.len()));
            cells.push(added.to_string());
            cells.push(taken.to_string());
            cells.push(a.total.to_string());
            cells.push(crate::i18n::message_in(
                crate::i18n::Language::Chinese,
                a.grade.key(),
            ));
            cells
        })
        .collect();
    (headers, rows)
}

/// The sheet of every member's yearly minimums, points and grade across the stations, by the
/// rules built into the program, from the rows of `report_assessment` (or their recount): each
/// station's id, then the cells of [`assessment_cells`], the records flagged and the member's
/// id. A person who serves at two stations has a row at each, and the other station is named
/// beside it (the same name and sector in both registries).
pub(super) fn assessment_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    rows: &[(String, Vec<String>)],
    codes: &HashMap<String, String>,
    year: Option<i32>,
) -> Result<(), BundleError> {
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(ASSESSMENT_SHEET).map_err(sheet_error)?;
    let (mut headers, _) = assessment_cells(&[], &|_| String::new());
    // The grade's cells, then the records flagged; the member's id stays out of the sheet.
    let width = headers.len() + 1;
    if year.is_none() {
        let at = headers.len() - 2;
        headers[at] = "总分（全部年份，按年度办法）".into();
    }
    headers.push(super::entries::FLAGGED_COLUMN.into());
    headers.push("另在工作站".into());
    // Every header whole on its line.
    let mut widths = Vec::with_capacity(headers.len());
    for (c, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, c as u16, crate::text::cells::cell(h), &bold)
            .map_err(sheet_error)?;
        let width = (crate::text::print::column_width([h.as_str()]) + 1.0).max(10.0);
        sheet
            .set_column_width(c as u16, width)
            .map_err(sheet_error)?;
        widths.push(width);
    }
    crate::text::print::setup(sheet, &widths, Some(0)).map_err(sheet_error)?;
    let person = |cells: &[String]| {
        (
            cells
                .get(1)
                .map(|n| n.trim().to_string())
                .unwrap_or_default(),
            cells.get(2).cloned().unwrap_or_default(),
        )
    };
    // The stations each person (name and sector) serves at, found once for all rows.
    let mut stations_of: HashMap<(String, String), Vec<&str>> = HashMap::new();
    for (station, cells) in rows {
        stations_of
            .entry(person(cells))
            .or_default()
            .push(station.as_str());
    }
    for (i, (station, cells)) in rows.iter().enumerate() {
        let row = (i + 1) as u32;
        // Code, name and sector are text; the counts and points are numbers.
        for (c, text) in cells.iter().take(width).enumerate() {
            match text.parse::<i64>() {
                Ok(n) if c >= 3 => sheet.write_number(row, c as u16, n as f64),
                _ => sheet.write_string(row, c as u16, crate::text::cells::cell(text)),
            }
            .map_err(sheet_error)?;
        }
        let elsewhere: Vec<String> = stations_of
            .get(&person(cells))
            .into_iter()
            .flatten()
            .filter(|s| **s != station.as_str())
            .filter_map(|s| codes.get(*s).cloned())
            .collect();
        sheet
            .write_string(
                row,
                width as u16,
                crate::text::cells::cell(&elsewhere.join("、")),
            )
            .map_err(sheet_error)?;
    }
    Ok(())
}

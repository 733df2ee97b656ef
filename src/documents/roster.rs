//! The roster of a month for posting and for calendars: an .ics file (one event per shift, in
//! the station's local time) and an .xlsx sheet for the station door (值班表公示).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use uuid::Uuid;

use super::DocumentError;
use crate::domain::roster::{HolidayCalendar, Shift, ShiftState, Slot};
use crate::domain::Station;

fn slot_name(slot: Slot) -> &'static str {
    match slot {
        Slot::Day => "全天",
        Slot::Morning => "上午",
        Slot::Afternoon => "下午",
    }
}

fn weekday_name(date: NaiveDate) -> &'static str {
    [
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
    ][date.weekday().num_days_from_monday() as usize]
}

/// Shifts that still stand for the posted roster: not swapped away and not on leave.
fn on_duty(shift: &Shift) -> bool {
    !matches!(shift.state, ShiftState::Swapped | ShiftState::Leave)
}

/// The month's shifts as iCalendar text.
pub fn roster_ics(station: &Station, shifts: &[Shift], names: &HashMap<Uuid, String>) -> String {
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} 委员值班", short(&station.name, 64)));
    for shift in shifts.iter().filter(|s| on_duty(s)) {
        // A calendar's title line is short: a name is cut where no real name is that long (a
        // damaged or crafted one would otherwise be folded line by line, slowly).
        let name = short(names.get(&shift.member_id).map_or("", String::as_str), 64);
        let event = Event::new()
            .uid(&format!("{}@{}.stationdesk", shift.meta.id, station.code))
            .summary(&format!("委员值班：{name}（{}）", slot_name(shift.slot)))
            .location(&short(&station.name, 64))
            .starts(shift.slot.start_on(shift.date))
            .ends(shift.slot.end_on(shift.date))
            .done();
        calendar.push(event);
    }
    calendar.done().to_string()
}

/// `text` cut to `max` characters, marked with … where cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max).collect();
    cut.push('…');
    cut
}

/// The month's roster as a sheet to print and post: one row a day, a column a slot.
pub fn roster_xlsx(
    station: &Station,
    month: (NaiveDate, NaiveDate),
    slots: &[Slot],
    shifts: &[Shift],
    names: &HashMap<Uuid, String>,
    holidays: &HolidayCalendar,
) -> Result<Vec<u8>, DocumentError> {
    let err = |e: rust_xlsxwriter::XlsxError| DocumentError::Format(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .set_name(format!("{}年{}月", month.0.year(), month.0.month()))
        .map_err(err)?;
    let title = Format::new()
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let last_col = (slots.len() + 1) as u16;
    sheet
        .merge_range(
            0,
            0,
            0,
            last_col,
            &crate::text::cells::cell(&format!(
                "{}{}年{}月委员值班表",
                station.name,
                month.0.year(),
                month.0.month()
            )),
            &title,
        )
        .map_err(err)?;
    sheet
        .write_string_with_format(1, 0, crate::text::cells::cell("日期"), &header)
        .map_err(err)?;
    sheet
        .write_string_with_format(1, 1, crate::text::cells::cell("星期"), &header)
        .map_err(err)?;
    for (i, slot) in slots.iter().enumerate() {
        sheet
            .write_string_with_format(
                1,
                (i + 2) as u16,
                crate::text::cells::cell(slot_name(*slot)),
                &header,
            )
            .map_err(err)?;
        sheet.set_column_width((i + 2) as u16, 22).map_err(err)?;
    }
    sheet.set_column_width(0, 12).map_err(err)?;
    sheet.set_column_width(1, 8).map_err(err)?;
    let mut row = 2u32;
    let mut day = month.0;
    while day <= month.1 {
        sheet
            .write_string_with_format(
                row,
                0,
                crate::text::cells::cell(&day.format("%m月%d日").to_string()),
                &cell,
            )
            .map_err(err)?;
        sheet
            .write_string_with_format(row, 1, crate::text::cells::cell(weekday_name(day)), &cell)
            .map_err(err)?;
        for (i, slot) in slots.iter().enumerate() {
            let people: Vec<String> = shifts
                .iter()
                .filter(|s| s.date == day && s.slot == *slot && on_duty(s))
                .filter_map(|s| names.get(&s.member_id).cloned())
                .collect();
            let text = if !people.is_empty() {
                people.join("、")
            } else if let Some((mark, name)) = holidays.note(day).filter(|(m, _)| *m == "休") {
                format!("{mark} {name}")
            } else {
                String::new()
            };
            sheet
                .write_string_with_format(
                    row,
                    (i + 2) as u16,
                    crate::text::cells::cell(&text),
                    &cell,
                )
                .map_err(err)?;
        }
        row += 1;
        day = day
            .succ_opt()
            .unwrap_or(month.1 + chrono::Duration::days(1));
    }
    sheet
        .write_string(
            row + 1,
            0,
            crate::text::cells::cell("如值班委员有变动，以工作站当日公告为准。"),
        )
        .map_err(err)?;
    // Printed as the notice board shows it: A4 portrait, one page wide, the header row
    // repeated if the month runs over.
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(1, 1).map_err(err)?;
    sheet.set_print_center_horizontally(true);
    sheet.set_footer(crate::text::print::FOOTER);
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_and_weekday_names() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
        assert_eq!(weekday_name(monday), "星期一");
        assert_eq!(slot_name(Slot::Afternoon), "下午");
    }
}

//! The visitor register (来访登记簿) of a month or a date range, as the paper register stations
//! keep: one row per visit, oldest first, on landscape A4 with the header row repeated on every
//! page; as .docx to print and as .xlsx to file.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow, VAlignType,
    WidthType,
};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::style::{self, exact_lines, SIZE_3, SIZE_5, SIZE_SMALL_5};
use super::{chinese_date, safe_file_name, write_file, DocumentError};
use crate::domain::intake::Handling;
use crate::domain::{Intake, Station};
use crate::i18n::{message_in, Language};

/// How the contact column is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contact {
    /// Phone numbers keep their first three and last four digits (`139****1388`).
    Masked,
    /// As the visitor gave it.
    Whole,
}

/// What the register needs besides its visits.
pub struct RegisterContext<'a> {
    pub station: &'a Station,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub contact: Contact,
}

/// One visit and the name of the member who received it.
pub struct RegisterVisit<'a> {
    pub intake: &'a Intake,
    pub member: Option<&'a str>,
}

/// The columns, with their widths in twips on landscape A4 (257 mm of text width) and in
/// spreadsheet characters.
const COLUMNS: [(&str, usize, f64); 9] = [
    ("序号", 750, 5.0),
    // Wide enough for "2026-12-03" on one line in 五号 type with the cell's margins.
    ("来访时间", 1650, 17.0),
    ("来访人", 1150, 11.0),
    ("联系方式", 1750, 14.0),
    ("诉求内容", 2720, 36.0),
    ("办理情况", 1800, 20.0),
    ("答复情况", 2050, 24.0),
    ("回访情况", 1600, 18.0),
    ("接待委员", 1100, 9.0),
];

/// How many lines `text` takes in a column `width` characters wide (a Chinese character is
/// two), for the row heights a spreadsheet does not work out itself.
fn lines_in(text: &str, width: f64) -> usize {
    let per_line = (width - 1.0).max(2.0);
    text.lines()
        .map(|line| {
            let used = unicode_width::UnicodeWidthStr::width(line) as f64;
            (used / per_line).ceil().max(1.0) as usize
        })
        .sum::<usize>()
        .max(1)
}

fn chinese(key: &str) -> String {
    message_in(Language::Chinese, key)
}

fn short_date(date: NaiveDate) -> String {
    format!("{}月{}日", date.month(), date.day())
}

/// The cells of one row, in column order.
pub fn row_cells(number: usize, visit: &RegisterVisit<'_>, contact: Contact) -> [String; 9] {
    let intake = visit.intake;
    let f = &intake.fields;
    let name = if f.visitor_name.trim().is_empty() {
        "（匿名）".to_string()
    } else {
        f.visitor_name.trim().to_string()
    };
    let visitor = if f.visitors > 1 {
        format!("{name}等{}人", f.visitors)
    } else {
        name
    };
    let phone = match contact {
        Contact::Whole => f.phone.clone(),
        Contact::Masked => crate::text::mask_personal(&f.phone),
    };
    let handling = match &intake.handling {
        None => chinese(intake.state.key()),
        Some(Handling::OnTheSpot { .. }) => "当场答复".to_string(),
        Some(Handling::Referred { department, on }) => {
            format!("转交{department}（{}）", short_date(*on))
        }
        Some(Handling::Converted { to, .. }) => {
            format!("转为{}", chinese(&format!("kind.{}", to.as_str())))
        }
    };
    let mut reply = match &intake.handling {
        Some(Handling::OnTheSpot { answer }) => answer.clone(),
        _ => String::new(),
    };
    if let Some(feedback) = &intake.feedback {
        // An answer given on the spot is often recorded as the feedback too: once is enough.
        if feedback.text.trim() == reply.trim() {
            reply.clear();
        }
        if !reply.is_empty() {
            reply.push('；');
        }
        reply.push_str(&format!("{} {}", short_date(feedback.on), feedback.text));
    }
    let follow_up = intake
        .follow_up
        .as_ref()
        .map(|u| {
            let mut text = format!("{} {}", short_date(u.on), chinese(u.satisfaction.key()));
            if !u.note.trim().is_empty() {
                text.push_str(&format!("，{}", u.note.trim()));
            }
            text
        })
        .unwrap_or_default();
    [
        number.to_string(),
        f.visited_at.format("%Y-%m-%d\n%H:%M").to_string(),
        visitor,
        phone,
        printable(&f.request),
        printable(&handling),
        printable(&reply),
        printable(&follow_up),
        printable(visit.member.unwrap_or_default()),
    ]
}

/// Text as a document can hold it: line breaks kept, tabs as spaces, other control characters
/// (which XML cannot carry) dropped.
fn printable(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// What a spreadsheet cell holds (32,767 characters), with a mark where it was cut.
/// A cell's text cut to what a spreadsheet holds, saying where the whole text is.
fn fit(text: String) -> String {
    crate::text::cells::fit(text, "……（全文见来访记录）")
}

fn title(context: &RegisterContext<'_>) -> (String, String) {
    (
        format!("{}来访登记簿", context.station.name),
        format!(
            "（{}至{}）",
            chinese_date(context.from),
            chinese_date(context.to)
        ),
    )
}

fn cell(text: &str, width: usize, header: bool) -> TableCell {
    let mut paragraph = Paragraph::new().line_spacing(exact_lines(14.0, 0.0));
    for (index, line) in text.lines().enumerate() {
        let mut run = Run::new();
        if index > 0 {
            run = run.add_break(docx_rs::BreakType::TextWrapping);
        }
        run = run.add_text(line).size(SIZE_5);
        if header {
            run = run.fonts(style::heading_fonts());
        }
        paragraph = paragraph.add_run(run);
    }
    if header {
        paragraph = paragraph.align(AlignmentType::Center);
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(paragraph)
}

/// The register as .docx: landscape A4, the header row repeated on every page, numbered pages.
pub fn register_docx(
    visits: &[RegisterVisit<'_>],
    context: &RegisterContext<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let (heading, span) = title(context);
    let widths: Vec<usize> = COLUMNS.iter().map(|(_, w, _)| *w).collect();
    let mut rows = vec![TableRow::new(
        COLUMNS
            .iter()
            .map(|(name, width, _)| cell(name, *width, true))
            .collect(),
    )
    .cant_split()];
    for (index, visit) in visits.iter().enumerate() {
        let cells = row_cells(index + 1, visit, context.contact);
        rows.push(
            TableRow::new(
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(text, width)| cell(text, *width, false))
                    .collect(),
            )
            .cant_split(),
        );
    }
    if visits.is_empty() {
        rows.push(TableRow::new(vec![cell(
            "本期无来访登记",
            widths.iter().sum(),
            false,
        )
        .grid_span(COLUMNS.len())]));
    }
    let table = style::repeat_header_row(
        Table::new(rows)
            .set_grid(widths.clone())
            .layout(TableLayoutType::Fixed)
            .width(widths.iter().sum(), WidthType::Dxa),
    );
    let docx = style::document(style::Orientation::Landscape, SIZE_5, true)
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text(&heading)
                        .size(SIZE_3 + 4)
                        .fonts(style::title_fonts()),
                )
                .align(AlignmentType::Center)
                .line_spacing(exact_lines(30.0, 0.0)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(&span).size(SIZE_5 + 3))
                .align(AlignmentType::Center)
                .line_spacing(exact_lines(20.0, 6.0)),
        )
        .add_table(table)
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_text(format!(
                            "共{}条。联系方式{}。",
                            visits.len(),
                            if context.contact == Contact::Masked {
                                "已部分隐去"
                            } else {
                                "为完整号码，请妥善保管"
                            }
                        ))
                        .size(SIZE_SMALL_5),
                )
                .line_spacing(exact_lines(16.0, 0.0)),
        );
    super::packed(docx)
}

/// The register as .xlsx: the same columns, landscape A4, fitted to the page's width, with the
/// title on the first page and the header row repeated on every page.
pub fn register_xlsx(
    visits: &[RegisterVisit<'_>],
    context: &RegisterContext<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let err = |e: rust_xlsxwriter::XlsxError| DocumentError::Format(e.to_string());
    let (heading, span) = title(context);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("来访登记簿").map_err(err)?;
    let title_format = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_font_name(style::TITLE_FALLBACK)
        .set_align(FormatAlign::Center);
    let span_format = Format::new()
        .set_font_name(style::BODY_FONT)
        .set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_font_name(style::HEADING_FONT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let body = Format::new()
        .set_font_name(style::BODY_FONT)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let last = (COLUMNS.len() - 1) as u16;
    sheet
        .merge_range(
            0,
            0,
            0,
            last,
            &crate::text::cells::cell(&heading),
            &title_format,
        )
        .map_err(err)?;
    sheet
        .merge_range(
            1,
            0,
            1,
            last,
            &crate::text::cells::cell(&span),
            &span_format,
        )
        .map_err(err)?;
    for (col, (name, _, width)) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(2, col as u16, crate::text::cells::cell(name), &header)
            .map_err(err)?;
        sheet.set_column_width(col as u16, *width).map_err(err)?;
    }
    for (index, visit) in visits.iter().enumerate() {
        let row = 3 + index as u32;
        let cells = row_cells(index + 1, visit, context.contact);
        let lines = cells
            .iter()
            .zip(COLUMNS.iter())
            .map(|(text, (_, _, width))| lines_in(text, *width))
            .max()
            .unwrap_or(1);
        sheet
            .set_row_height(row, 15.0 * lines.min(20) as f64)
            .map_err(err)?;
        for (col, text) in cells.iter().enumerate() {
            sheet
                .write_string_with_format(
                    row,
                    col as u16,
                    fit(crate::text::defuse(text).into_owned()),
                    &body,
                )
                .map_err(err)?;
        }
    }
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_margins(0.6, 0.6, 0.7, 0.7, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(2, 2).map_err(err)?;
    sheet.set_footer(crate::text::print::FOOTER);
    sheet.set_freeze_panes(3, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The file name stem: `来访登记簿-2026-11` for a whole month, else the two dates.
pub fn file_stem(station: &Station, from: NaiveDate, to: NaiveDate) -> String {
    let whole_month = from.day() == 1
        && to.month() == from.month()
        && to.year() == from.year()
        && to.succ_opt().is_none_or(|next| next.month() != to.month());
    let span = if whole_month {
        from.format("%Y-%m").to_string()
    } else {
        format!("{}至{}", from.format("%Y-%m-%d"), to.format("%Y-%m-%d"))
    };
    format!("来访登记簿-{}-{span}", station.code)
}

/// Writes the register as .docx and .xlsx into `dir`; returns both paths.
pub fn write_register(
    visits: &[RegisterVisit<'_>],
    context: &RegisterContext<'_>,
    dir: &Path,
) -> Result<[PathBuf; 2], DocumentError> {
    let stem = file_stem(context.station, context.from, context.to);
    let docx = dir.join(safe_file_name(&stem, "docx"));
    let xlsx = dir.join(safe_file_name(&stem, "xlsx"));
    write_file(&docx, &register_docx(visits, context)?)?;
    write_file(&xlsx, &register_xlsx(visits, context)?)?;
    Ok([docx, xlsx])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_as_tall_as_their_longest_cell() {
        assert_eq!(lines_in("", 10.0), 1);
        assert_eq!(lines_in("张三", 10.0), 1);
        // Twenty Chinese characters are forty columns: five lines of nine.
        assert_eq!(lines_in(&"停".repeat(20), 10.0), 5);
        assert_eq!(lines_in("一\n二", 10.0), 2);
    }
}

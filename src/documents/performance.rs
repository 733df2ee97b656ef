//! The member's yearly record (个人履职档案) as .docx, ready to print and file; the station's
//! assessment table for the year (年度履职考核表) and the month's figures (月度统计) as .xlsx.
//! Documents are in Chinese, whatever the desk's language: they go into the committee's files.

use std::path::{Path, PathBuf};

use docx_rs::{
    AlignmentType, Paragraph, Run, Table, TableCell, TableLayoutType, TableRow, WidthType,
};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::style::{self, exact_lines, SIZE_3, SIZE_4, SIZE_5};
use super::{safe_file_name, write_file, DocumentError};
use crate::domain::assessment::Assessment;
use crate::domain::performance::{MemberRecord, MonthStats};
use crate::domain::Station;
use crate::i18n::{message_in, Language};

fn zh(key: &str) -> String {
    message_in(Language::Chinese, key)
}

/// One record listed under a category: its date, its title, a note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub date: String,
    pub title: String,
    pub note: String,
}

/// The items behind a record's categories, listed under each in the record.
#[derive(Debug, Clone, Default)]
pub struct RecordItems {
    /// Meetings attended.
    pub meetings: Vec<Item>,
    /// Research notes (their topics).
    pub research: Vec<Item>,
    /// Public-opinion reports written.
    pub reports: Vec<Item>,
    /// Activities, every kind.
    pub activities: Vec<Item>,
}

fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(
            Run::new()
                .add_text(text)
                .size(SIZE_3)
                .fonts(style::heading_fonts()),
        )
        .line_spacing(exact_lines(28.0, 4.0))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).size(SIZE_3))
        .line_spacing(exact_lines(28.0, 0.0))
        .indent(
            None,
            Some(docx_rs::SpecialIndentType::FirstLine(640)),
            None,
            None,
        )
}

fn item(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).size(SIZE_4))
        .line_spacing(exact_lines(24.0, 0.0))
        .indent(Some(640), None, None, None)
}

fn cell(text: &str, width: usize, header: bool) -> TableCell {
    let mut run = Run::new().add_text(text).size(SIZE_5);
    if header {
        run = run.fonts(style::heading_fonts());
    }
    let mut paragraph = Paragraph::new()
        .add_run(run)
        .line_spacing(exact_lines(16.0, 0.0));
    if header {
        paragraph = paragraph.align(AlignmentType::Center);
    }
    TableCell::new()
        .width(width, WidthType::Dxa)
        .add_paragraph(paragraph)
}

fn table(widths: &[usize], rows: Vec<Vec<String>>) -> Table {
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, cells)| {
            TableRow::new(
                cells
                    .iter()
                    .zip(widths)
                    .map(|(text, width)| cell(text, *width, i == 0))
                    .collect(),
            )
            .cant_split()
        })
        .collect();
    style::repeat_header_row(
        Table::new(rows)
            .set_grid(widths.to_vec())
            .layout(TableLayoutType::Fixed)
            .width(widths.iter().sum(), WidthType::Dxa),
    )
}

fn items_of(hits: &[Item]) -> Vec<Paragraph> {
    if hits.is_empty() {
        return vec![item("（无）")];
    }
    hits.iter()
        .enumerate()
        .map(|(i, h)| {
            let mut line = format!("{}. {}  {}", i + 1, h.date, clean(&h.title));
            if !h.note.is_empty() {
                line.push_str(&format!("（{}）", clean(&h.note)));
            }
            item(&line)
        })
        .collect()
}

/// The title of a member's record.
pub fn record_title(record: &MemberRecord) -> String {
    format!(
        "{}委员{}履职档案",
        clean(&record.name),
        record.period.label(false)
    )
}

/// A member's record for the year as .docx: the basic facts, each category with its items,
/// the yearly minimums, the points and the grade.
pub fn record_docx(
    station: &Station,
    record: &MemberRecord,
    assessment: Option<&Assessment>,
    items: &RecordItems,
) -> Result<Vec<u8>, DocumentError> {
    let r = record;
    let mut docx = style::document(style::Orientation::Portrait, SIZE_3, true).add_paragraph(
        Paragraph::new()
            .add_run(
                Run::new()
                    .add_text(record_title(r))
                    .size(style::SIZE_2)
                    .fonts(style::title_fonts()),
            )
            .align(AlignmentType::Center)
            .line_spacing(exact_lines(36.0, 12.0)),
    );
    docx = docx
        .add_paragraph(heading("一、基本情况"))
        .add_paragraph(body(&format!(
            "姓名：{}；界别：{}；所在工作站：{}；期间：{}。",
            clean(&r.name),
            clean(&r.sector),
            clean(&station.name),
            r.period.label(false)
        )))
        .add_paragraph(heading("二、值班与接待群众"))
        .add_paragraph(body(&format!(
            "排班{}次，到岗{}次，缺岗{}次，请假{}次，调班{}次。接待来访群众{}件，其中已办结{}件。",
            r.duty.scheduled,
            r.duty.served,
            r.duty.missed,
            r.duty.leave,
            r.duty.swapped,
            r.visits.received,
            r.visits.closed
        )))
        .add_paragraph(heading("三、参与人民调解"))
        .add_paragraph(body(&format!(
            "参与调解矛盾纠纷{}件，其中调解成功{}件、调解不成功{}件、撤回{}件、引导诉讼{}件、转其他部门{}件。",
            r.cases.mediated,
            r.cases.success,
            r.cases.failed,
            r.cases.withdrawn,
            r.cases.litigation,
            r.cases.transferred
        )))
        .add_paragraph(heading("四、参加协商议事"))
        .add_paragraph(body(&format!(
            "出席协商议事会议{}次，请假{}次，缺席{}次；参加议题调研{}次。",
            r.meetings.present, r.meetings.leave, r.meetings.absent, r.research
        )));
    for p in items_of(&items.meetings) {
        docx = docx.add_paragraph(p);
    }
    if !items.research.is_empty() {
        docx = docx.add_paragraph(body("调研记录："));
        for p in items_of(&items.research) {
            docx = docx.add_paragraph(p);
        }
    }
    docx = docx
        .add_paragraph(heading("五、反映社情民意"))
        .add_paragraph(body(&format!(
            "撰写社情民意信息{}篇，报送{}篇，被采用{}篇，获领导批示{}篇。",
            r.reports.written, r.reports.submitted, r.reports.adopted, r.reports.instructed
        )));
    for p in items_of(&items.reports) {
        docx = docx.add_paragraph(p);
    }
    let kinds: Vec<String> = r
        .activities
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{}{}次", clean(k), n))
        .collect();
    docx = docx
        .add_paragraph(heading("六、履职活动"))
        .add_paragraph(body(&if kinds.is_empty() {
            "本期未登记履职活动。".to_string()
        } else {
            format!(
                "{}；提案立案{}件、已答复{}件。",
                kinds.join("，"),
                r.proposals_filed,
                r.proposals_answered
            )
        }));
    for p in items_of(&items.activities) {
        docx = docx.add_paragraph(p);
    }
    if let Some(a) = assessment {
        docx = docx.add_paragraph(heading("七、年度考核"));
        let mut minimums = vec![vec![
            "年度最低履职要求".to_string(),
            "要求".to_string(),
            "完成".to_string(),
            "是否达到".to_string(),
        ]];
        for m in &a.minimums {
            minimums.push(vec![
                clean(&m.name),
                format!("{}", m.at_least),
                format!("{}", m.count),
                if m.met { "达到" } else { "未达到" }.to_string(),
            ]);
        }
        docx = docx.add_table(table(&[4200, 1300, 1300, 2044], minimums));
        let mut lines = vec![vec![
            "计分项目".to_string(),
            "数量".to_string(),
            "每项".to_string(),
            "上限".to_string(),
            "得分".to_string(),
        ]];
        lines.push(vec![
            "基础分".into(),
            String::new(),
            String::new(),
            String::new(),
            a.base.to_string(),
        ]);
        for p in &a.points {
            lines.push(vec![
                clean(&p.name),
                p.count.to_string(),
                format!("+{}", p.each),
                p.cap.map(|c| c.to_string()).unwrap_or_default(),
                format!("+{}", p.points),
            ]);
        }
        for p in &a.deductions {
            lines.push(vec![
                clean(&p.name),
                p.count.to_string(),
                format!("-{}", p.each),
                p.cap.map(|c| c.to_string()).unwrap_or_default(),
                format!("-{}", p.points),
            ]);
        }
        if a.unmet_deduction > 0 {
            lines.push(vec![
                "最低履职要求未达到".into(),
                (a.minimums.len() - a.minimums_met()).to_string(),
                String::new(),
                String::new(),
                format!("-{}", a.unmet_deduction),
            ]);
        }
        docx = docx
            .add_paragraph(Paragraph::new().line_spacing(exact_lines(12.0, 0.0)))
            .add_table(table(&[3844, 1200, 1200, 1200, 1400], lines))
            .add_paragraph(body(&format!(
                "合计{}分，考核等次：{}{}。",
                a.total,
                zh(a.grade.key()),
                if a.held_back {
                    "（分数达到优秀，但有最低履职要求未达到）"
                } else {
                    ""
                }
            )));
    }
    docx = docx
        .add_paragraph(Paragraph::new().line_spacing(exact_lines(28.0, 0.0)))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text(clean(&station.name)).size(SIZE_3))
                .align(AlignmentType::Right)
                .line_spacing(exact_lines(28.0, 0.0)),
        );
    super::packed(docx)
}

/// Writes a member's record into `dir`; returns its path.
pub fn write_record(
    station: &Station,
    record: &MemberRecord,
    assessment: Option<&Assessment>,
    items: &RecordItems,
    dir: &Path,
) -> Result<PathBuf, DocumentError> {
    let bytes = record_docx(station, record, assessment, items)?;
    let path = dir.join(safe_file_name(&record_title(record), "docx"));
    write_file(&path, &bytes)?;
    Ok(path)
}

struct Formats {
    title: Format,
    header: Format,
    body: Format,
    number: Format,
    behind: Format,
}

fn formats() -> Formats {
    let border = |f: Format| f.set_border(FormatBorder::Thin);
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_font_name(style::TITLE_FALLBACK)
            .set_align(FormatAlign::Center),
        header: border(
            Format::new()
                .set_bold()
                .set_font_name(style::HEADING_FONT)
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
        ),
        body: border(Format::new().set_font_name(style::BODY_FONT)),
        number: border(Format::new().set_align(FormatAlign::Center)),
        behind: border(
            Format::new()
                .set_font_name(style::BODY_FONT)
                .set_background_color(rust_xlsxwriter::Color::RGB(0xFDE9D9)),
        ),
    }
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> DocumentError {
    DocumentError::Format(e.to_string())
}

fn text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    f: &Format,
) -> Result<(), DocumentError> {
    sheet
        .write_string_with_format(row, col, crate::text::cells::cell(&clean(value)), f)
        .map_err(xlsx_err)?;
    Ok(())
}

fn number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: i64,
    f: &Format,
) -> Result<(), DocumentError> {
    sheet
        .write_number_with_format(row, col, value as f64, f)
        .map_err(xlsx_err)?;
    Ok(())
}

/// The station's assessment table for the year: one row a member with each yearly minimum's
/// count, the points added and taken, the total and the grade (those behind shaded); a second
/// sheet with every line of every member's points.
pub fn assessment_xlsx(
    station: &Station,
    year: i32,
    assessed: &[(MemberRecord, Assessment)],
) -> Result<Vec<u8>, DocumentError> {
    let f = formats();
    let mut book = Workbook::new();
    let minimums: Vec<String> = assessed
        .first()
        .map(|(_, a)| a.minimums.iter().map(|m| m.name.clone()).collect())
        .unwrap_or_default();
    let mut headers = vec!["序号".to_string(), "姓名".into(), "界别".into()];
    headers.extend(minimums.iter().cloned());
    headers.extend(
        ["基础分", "加分", "扣分", "总分", "等次", "未达到的要求"]
            .iter()
            .map(|s| s.to_string()),
    );
    {
        let sheet = book.add_worksheet();
        sheet.set_name("年度考核").map_err(xlsx_err)?;
        let last = (headers.len() - 1) as u16;
        sheet
            .merge_range(
                0,
                0,
                0,
                last,
                &crate::text::cells::cell(&format!(
                    "{}{}年度委员履职考核表",
                    clean(&station.name),
                    year
                )),
                &f.title,
            )
            .map_err(xlsx_err)?;
        // Every header whole on its line (a Chinese character counts two columns, bold a
        // little wider), the names and the unmet minimums wider still.
        let mut widths = Vec::with_capacity(headers.len());
        for (col, h) in headers.iter().enumerate() {
            text(sheet, 1, col as u16, h, &f.header)?;
            let least = if col == 1 || col == 2 {
                12.0
            } else if col as u16 == last {
                30.0
            } else {
                8.0
            };
            let width = (crate::text::print::column_width([h.as_str()]) + 1.0).max(least);
            sheet
                .set_column_width(col as u16, width)
                .map_err(xlsx_err)?;
            widths.push(width);
        }
        for (i, (_, a)) in assessed.iter().enumerate() {
            let row = 2 + i as u32;
            let style = if a.is_behind() { &f.behind } else { &f.body };
            number(sheet, row, 0, i as i64 + 1, &f.number)?;
            text(sheet, row, 1, &a.name, style)?;
            text(sheet, row, 2, &a.sector, style)?;
            let mut col = 3u16;
            for m in &a.minimums {
                number(sheet, row, col, m.count, &f.number)?;
                col += 1;
            }
            let added: i64 = a.points.iter().map(|p| p.points).sum();
            let taken: i64 = a.deductions.iter().map(|p| p.points).sum::<i64>() + a.unmet_deduction;
            for value in [a.base, added, taken, a.total] {
                number(sheet, row, col, value, &f.number)?;
                col += 1;
            }
            text(sheet, row, col, &zh(a.grade.key()), style)?;
            let unmet: Vec<String> = a
                .minimums
                .iter()
                .filter(|m| !m.met)
                .map(|m| clean(&m.name))
                .collect();
            text(sheet, row, col + 1, &unmet.join("、"), style)?;
        }
        crate::text::print::setup(sheet, &widths, Some(1)).map_err(xlsx_err)?;
        sheet.set_freeze_panes(2, 2).map_err(xlsx_err)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("得分明细").map_err(xlsx_err)?;
        for (col, (h, w)) in [
            ("姓名", 12),
            ("项目", 28),
            ("数量", 8),
            ("每项", 8),
            ("上限", 8),
            ("得分", 8),
        ]
        .iter()
        .enumerate()
        {
            text(sheet, 0, col as u16, h, &f.header)?;
            sheet.set_column_width(col as u16, *w).map_err(xlsx_err)?;
        }
        let mut row = 1u32;
        for (_, a) in assessed {
            let lines = a
                .points
                .iter()
                .map(|p| (p, 1))
                .chain(a.deductions.iter().map(|p| (p, -1)));
            for (p, sign) in lines {
                text(sheet, row, 0, &a.name, &f.body)?;
                text(sheet, row, 1, &p.name, &f.body)?;
                number(sheet, row, 2, p.count, &f.number)?;
                number(sheet, row, 3, sign * p.each, &f.number)?;
                if let Some(cap) = p.cap {
                    number(sheet, row, 4, cap, &f.number)?;
                } else {
                    text(sheet, row, 4, "", &f.number)?;
                }
                number(sheet, row, 5, sign * p.points, &f.number)?;
                row += 1;
            }
        }
        sheet.set_freeze_panes(1, 1).map_err(xlsx_err)?;
        crate::text::print::setup(sheet, &[12.0, 28.0, 8.0, 8.0, 8.0, 8.0], Some(0))
            .map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

/// Writes the assessment table to `path`.
pub fn write_assessment(
    station: &Station,
    year: i32,
    assessed: &[(MemberRecord, Assessment)],
    path: &Path,
) -> Result<(), DocumentError> {
    write_file(path, &assessment_xlsx(station, year, assessed)?)
}

/// The name of the assessment table's file.
pub fn assessment_file_name(year: i32) -> String {
    safe_file_name(&format!("{year}年度委员履职考核表"), "xlsx")
}

/// The name of the month's figures' file.
pub fn month_file_name(stats: &MonthStats) -> String {
    safe_file_name(
        &format!("月度统计-{}-{:02}", stats.year, stats.month),
        "xlsx",
    )
}

/// The words of a stored state or outcome name (`closed` → 已办结).
fn word(prefix: &str, name: &str) -> String {
    let said = zh(&format!("{prefix}.{name}"));
    if said.contains('.') {
        name.to_string()
    } else {
        said
    }
}

/// The month's figures as .xlsx: one sheet, a block each (visits by category and by state,
/// cases by type and outcome, duty, 4+X, activities by kind).
pub fn month_xlsx(station: &Station, stats: &MonthStats) -> Result<Vec<u8>, DocumentError> {
    let f = formats();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("月度统计").map_err(xlsx_err)?;
    let title = crate::text::cells::cell(&format!(
        "{}{}年{}月工作统计",
        clean(&station.name),
        stats.year,
        stats.month
    ));
    // The title, in 16-point type, fits within the two columns it is merged across: the first
    // widens for a long station name (a column unit is a character of 11-point type).
    let title_units = unicode_width::UnicodeWidthStr::width(title.as_str()) as f64 * 16.0 / 11.0;
    let first = (title_units + 4.0 - 12.0).clamp(30.0, 90.0);
    sheet.set_column_width(0, first).map_err(xlsx_err)?;
    sheet.set_column_width(1, 12).map_err(xlsx_err)?;
    sheet
        .merge_range(0, 0, 0, 1, &title, &f.title)
        .map_err(xlsx_err)?;
    let mut row = 2u32;
    // A block of counts, and a last row that may be a figure without a count ("—").
    let mut block_with = |sheet: &mut Worksheet,
                          title: &str,
                          rows: Vec<(String, i64)>,
                          measure: Option<(String, String)>|
     -> Result<(), DocumentError> {
        text(sheet, row, 0, title, &f.header)?;
        text(sheet, row, 1, "数量", &f.header)?;
        row += 1;
        if rows.is_empty() {
            text(sheet, row, 0, "（无）", &f.body)?;
            number(sheet, row, 1, 0, &f.number)?;
            row += 1;
        }
        for (name, n) in rows {
            text(sheet, row, 0, &name, &f.body)?;
            number(sheet, row, 1, n, &f.number)?;
            row += 1;
        }
        if let Some((name, figure)) = measure {
            text(sheet, row, 0, &name, &f.body)?;
            text(sheet, row, 1, &figure, &f.number)?;
            row += 1;
        }
        row += 1;
        Ok(())
    };
    block_with(
        sheet,
        &format!("来访（按类别，共{}件）", stats.visits),
        stats.visit_categories.clone(),
        None,
    )?;
    block_with(
        sheet,
        "来访（按办理状态）",
        stats
            .visit_states
            .iter()
            .map(|(s, n)| (word("intake_state", s), *n))
            .collect(),
        None,
    )?;
    block_with(
        sheet,
        &format!("调解案件（按纠纷类型，共{}件）", stats.cases),
        stats.case_types.clone(),
        None,
    )?;
    block_with(
        sheet,
        "调解案件（按调解结果）",
        stats
            .case_outcomes
            .iter()
            .map(|(s, n)| (word("case_outcome", s), *n))
            .collect(),
        None,
    )?;
    let d = &stats.duty;
    block_with(
        sheet,
        "委员值班",
        vec![
            (
                "应到岗（已结束的排班时段）".into(),
                i64::from(d.coverage.slots_ended),
            ),
            (
                "有委员到岗的时段".into(),
                i64::from(d.coverage.slots_served),
            ),
            ("到岗（班次）".into(), d.served),
            ("缺岗".into(), d.missed),
            ("请假".into(), d.leave),
            ("调班".into(), d.swapped),
        ],
        Some(("到岗率".into(), d.coverage.text())),
    )?;
    block_with(
        sheet,
        "协商议事（4+X）",
        vec![
            ("召开协商议事会议".into(), stats.consultations),
            ("报送社情民意信息".into(), stats.reports_submitted),
        ],
        None,
    )?;
    block_with(sheet, "履职活动（按类型）", stats.activities.clone(), None)?;
    crate::text::print::setup(sheet, &[first, 12.0], None).map_err(xlsx_err)?;
    book.save_to_buffer().map_err(xlsx_err)
}

//! Documents the station prints: the people's mediation agreement (人民调解协议书), the minutes
//! of a consultation (会议纪要) and the visitor register (来访登记簿). Written as .docx with
//! the `docx-rs` crate in the house style of official documents ([`style`]), so that Word and
//! WPS open them as offices file them; the text is always Chinese, whatever the desk's
//! language, because it is signed and filed.

pub mod launch;
pub mod minutes;
pub mod performance;
pub mod register;
pub mod roster;
pub mod style;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, BorderType, HeightRule, Paragraph, Run, Tab, TabValueType, Table, TableCell,
    TableCellBorder, TableCellBorderPosition, TableCellBorders, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, WidthType,
};
use thiserror::Error;

use crate::domain::case::{format_amount, MediationCase, Outcome, PartyRole};
use crate::domain::Station;
use style::{exact_lines, SIZE_2, SIZE_4, SIZE_SMALL_5};

#[derive(Debug, Error)]
pub enum DocumentError {
    /// Only a successful mediation has an agreement.
    #[error("the case has no agreement")]
    NoAgreement,
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("document: {0}")]
    Format(String),
}

/// The date under the seal of an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningDate {
    /// The day the case was concluded, printed.
    Filled,
    /// "    年    月    日", written by hand when the parties sign.
    Blank,
}

/// What the agreement needs besides the case.
pub struct AgreementContext<'a> {
    pub station: &'a Station,
    pub mediators: &'a [String],
    /// The people's mediation committee (人民调解委员会) the station works under, whose seal
    /// the agreement takes; empty when it is not set, and then left to be written in.
    pub committee: &'a str,
    pub date: SigningDate,
}

/// The text block's width in twips (156 mm).
const TEXT_WIDTH: usize = 8844;
/// Body lines of the agreement: 四号 on an exact 20-point line.
const AGREEMENT_LINE: f64 = 20.0;
/// The small print under a signature line: 7 points.
const PROMPT_SIZE: usize = 14;
/// A signature's box: its role (about 0.5 cm) over 1.5 cm of room to sign.
const SIGNATURE_HEIGHT: f32 = 1134.0;
/// The role at the top of a signature's box: 小四, 12 points.
const LABEL_SIZE: usize = 24;

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).size(size).fonts(style::title_fonts()))
        .align(AlignmentType::Center)
        .line_spacing(style::exact_lines(32.0, 6.0))
}

fn para(text: &str) -> Paragraph {
    para_spaced(text, AGREEMENT_LINE)
}

/// A paragraph on exact lines of `line` points.
fn para_spaced(text: &str, line: f64) -> Paragraph {
    Paragraph::new()
        .add_run(run(text))
        .line_spacing(exact_lines(line, 0.0))
}

fn labelled(label: &str, text: &str) -> Paragraph {
    labelled_spaced(label, text, AGREEMENT_LINE)
}

/// A label in 黑体 and its text, on exact lines of `line` points.
fn labelled_spaced(label: &str, text: &str, line: f64) -> Paragraph {
    Paragraph::new()
        .add_run(run(label).fonts(style::heading_fonts()))
        .add_run(run(text))
        .line_spacing(exact_lines(line, 0.0))
}

/// Multi-line text as one paragraph a line, indented two characters as Chinese documents
/// are, on exact lines of `line` points with characters of `size` half-points.
fn body_spaced(text: &str, line: f64, size: usize) -> Vec<Paragraph> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|l| indented_spaced(l.trim(), line, size))
        .collect()
}

fn body(text: &str) -> Vec<Paragraph> {
    body_spaced(text, AGREEMENT_LINE, SIZE_4)
}

fn indented(text: &str) -> Paragraph {
    indented_spaced(text, AGREEMENT_LINE, SIZE_4)
}

/// Two characters of first-line indent: a character is `size` half-points, ten twips each.
fn indented_spaced(text: &str, line: f64, size: usize) -> Paragraph {
    para_spaced(text, line).indent(
        None,
        Some(docx_rs::SpecialIndentType::FirstLine((size * 20) as i32)),
        None,
        None,
    )
}

/// 2026年11月22日: one form of the date in every document.
pub fn chinese_date(date: NaiveDate) -> String {
    crate::domain::dates::chinese_date(date)
}

fn copies_text(copies: usize) -> String {
    const DIGITS: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    let n = DIGITS.get(copies).copied().unwrap_or("多");
    format!("本协议一式{n}份，当事人各执一份，人民调解委员会留存一份。")
}

/// The seal line: the committee's name, or a line to write it on.
pub fn seal_line(committee: &str) -> String {
    if committee.trim().is_empty() {
        "____________人民调解委员会（盖章）".to_string()
    } else {
        format!("{}（盖章）", committee.trim())
    }
}

/// One who signs: the role printed before the line, the name printed under it.
struct Signer {
    role: String,
    name: String,
    prompt: &'static str,
}

fn cell_paragraph(text: &str, size: usize, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).size(size))
        .align(align)
        .line_spacing(exact_lines(
            if size > SIZE_SMALL_5 { 18.0 } else { 12.0 },
            0.0,
        ))
}

/// Signers three to a row: each a box with the role at its top, room to sign and press a
/// fingerprint under it (1.5 cm), a line at its foot, and under the line the printed name and
/// what to do, in small print.
fn signature_table(signers: &[Signer], width: usize) -> Table {
    const PER_ROW: usize = 3;
    let gap = 220;
    let cell_width = (width - gap * (PER_ROW - 1)) / PER_ROW;
    let line = TableCellBorder::new(TableCellBorderPosition::Bottom)
        .size(6)
        .border_type(BorderType::Single);
    let spacer = |size: usize| {
        TableCell::new()
            .width(gap, WidthType::Dxa)
            .add_paragraph(cell_paragraph("", size, AlignmentType::Left))
    };
    let mut grid = Vec::new();
    for index in 0..PER_ROW {
        if index > 0 {
            grid.push(gap);
        }
        grid.push(cell_width);
    }
    let mut rows = Vec::new();
    for group in signers.chunks(PER_ROW) {
        let mut writing = Vec::new();
        let mut under = Vec::new();
        for index in 0..PER_ROW {
            if index > 0 {
                writing.push(spacer(LABEL_SIZE));
                under.push(spacer(PROMPT_SIZE));
            }
            let signer = group.get(index);
            let mut box_cell = TableCell::new()
                .width(cell_width, WidthType::Dxa)
                .vertical_align(VAlignType::Top)
                .add_paragraph(cell_paragraph(
                    &signer.map(|s| format!("{}：", s.role)).unwrap_or_default(),
                    LABEL_SIZE,
                    AlignmentType::Left,
                ));
            if signer.is_some() {
                box_cell = box_cell.set_borders(TableCellBorders::with_empty().set(line.clone()));
            }
            writing.push(box_cell);
            under.push(
                TableCell::new()
                    .width(cell_width, WidthType::Dxa)
                    .add_paragraph(cell_paragraph(
                        &signer
                            .map(|s| format!("{}（{}）", s.name, s.prompt))
                            .unwrap_or_default(),
                        PROMPT_SIZE,
                        AlignmentType::Center,
                    )),
            );
        }
        rows.push(
            TableRow::new(writing)
                .row_height(SIGNATURE_HEIGHT)
                .height_rule(HeightRule::AtLeast)
                .cant_split(),
        );
        rows.push(TableRow::new(under).cant_split());
    }
    Table::without_borders(rows)
        .set_grid(grid)
        .layout(TableLayoutType::Fixed)
        .width(width, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 40, 0, 40))
}

/// The signatures, the seal line and the date as one block that a page break never splits:
/// a table of one row that may not break across pages.
fn signature_block(signers: &[Signer], seal: &str, date: &str) -> Table {
    let cell = TableCell::new()
        .width(TEXT_WIDTH, WidthType::Dxa)
        .add_paragraph(para_spaced("", 8.0))
        .add_table(signature_table(signers, TEXT_WIDTH))
        .add_paragraph(para_spaced("", 10.0))
        .add_paragraph(para(seal).align(AlignmentType::Right))
        .add_paragraph(para(date).align(AlignmentType::Right));
    Table::without_borders(vec![TableRow::new(vec![cell]).cant_split()])
        .set_grid(vec![TEXT_WIDTH])
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
}

/// The agreement as .docx bytes: one copy for each party and one for the committee, each
/// starting on its own page, each one page for a usual case.
pub fn agreement_docx(
    case: &MediationCase,
    context: &AgreementContext<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let Some(Outcome::Success {
        terms,
        method,
        deadline,
    }) = &case.outcome
    else {
        return Err(DocumentError::NoAgreement);
    };
    let f = &case.fields;
    let concluded = case.concluded_on.unwrap_or(f.received_on);
    let copies = (f.parties.len() + 1).max(3);
    let holders: Vec<String> = f
        .parties
        .iter()
        .map(|p| format!("（{}{}存）", role_name(p.role), p.name))
        .chain(std::iter::once("（人民调解委员会存档）".to_string()))
        .collect();
    let mut signers: Vec<Signer> = f
        .parties
        .iter()
        .map(|p| Signer {
            role: role_name(p.role).to_string(),
            name: p.name.clone(),
            prompt: "签名或盖章、按指印",
        })
        .collect();
    signers.extend(context.mediators.iter().map(|m| Signer {
        role: "调解员".to_string(),
        name: m.clone(),
        prompt: "签名",
    }));
    let date = match context.date {
        SigningDate::Filled => chinese_date(concluded),
        SigningDate::Blank => "        年    月    日".to_string(),
    };
    let seal = seal_line(context.committee);
    let mut docx = style::document(style::Orientation::Portrait, SIZE_4, false);
    for (index, holder) in holders.iter().enumerate() {
        docx = docx
            .add_paragraph(heading("人民调解协议书", SIZE_2).page_break_before(index > 0))
            .add_paragraph(
                para(&format!("编号：{}", case.case_no))
                    .add_tab(Tab::new().val(TabValueType::Right).pos(TEXT_WIDTH))
                    .add_run(Run::new().add_tab().add_text(holder)),
            );
        for party in &f.parties {
            let mut line = String::new();
            if !party.id_number.is_empty() {
                line.push_str(&format!("，公民身份号码：{}", party.id_number));
            }
            if !party.contact.is_empty() {
                line.push_str(&format!("，联系方式：{}", party.contact));
            }
            docx = docx.add_paragraph(
                labelled(&format!("{}：", role_name(party.role)), &party.name).add_run(run(&line)),
            );
        }
        let mut kind = f.dispute_type.clone();
        if let Some(fen) = f.amount_fen {
            kind.push_str(&format!("；涉及金额：{}元", format_amount(fen)));
        }
        docx = docx.add_paragraph(labelled("纠纷类型：", &kind));
        let mut facts = f.facts.lines().filter(|l| !l.trim().is_empty());
        docx = docx.add_paragraph(labelled(
            "纠纷主要事实、争议事项：",
            facts.next().map(str::trim).unwrap_or_default(),
        ));
        for line in facts {
            docx = docx.add_paragraph(indented(line.trim()));
        }
        for p in body(&f.points) {
            docx = docx.add_paragraph(p);
        }
        docx = docx.add_paragraph(labelled("经调解，当事人自愿达成如下协议：", ""));
        for p in body(terms) {
            docx = docx.add_paragraph(p);
        }
        // The last clauses go with the signatures: a page never holds the signature block
        // alone (each paragraph is kept with the next, the last with the block's table).
        docx = docx
            .add_paragraph(
                labelled("履行方式：", method.trim_end_matches('。'))
                    .add_run(run("。"))
                    .add_run(run("履行期限：").fonts(style::heading_fonts()))
                    .add_run(run(&format!("{}前。", chinese_date(*deadline))))
                    .keep_next(true),
            )
            .add_paragraph(
                indented(
                    "当事人应当按照约定履行本协议。经人民调解委员会调解达成的调解协议，具有法律约束力。\
                     双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。",
                )
                .keep_next(true),
            )
            .add_paragraph(indented(&copies_text(copies)).keep_next(true))
            .add_table(signature_block(&signers, &seal, &date));
    }
    packed(docx)
}

/// The document's bytes, as a .docx file holds them.
pub(crate) fn packed(docx: docx_rs::Docx) -> Result<Vec<u8>, DocumentError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| DocumentError::Format(e.to_string()))?;
    style::finish(bytes.into_inner())
}

fn role_name(role: PartyRole) -> &'static str {
    match role {
        PartyRole::Applicant => "申请人",
        PartyRole::Respondent => "被申请人",
        PartyRole::ThirdParty => "第三人",
    }
}

/// Where the station's documents go: `documents/` beside the database.
pub fn documents_dir(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map(|dir| dir.join("documents"))
        .unwrap_or_else(|| PathBuf::from("documents"))
}

/// A file name safe on every desk's file system: the case number with anything odd replaced.
pub fn safe_file_name(stem: &str, extension: &str) -> String {
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_control() || "<>:\"/\\|?*".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{}.{extension}", cleaned.trim().trim_matches('.'))
}

/// Writes `bytes` to `path` through a temporary file, synced before it takes the name.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), DocumentError> {
    use std::io::Write;
    let io = |e| DocumentError::Io(path.to_path_buf(), e);
    if let Some(dir) = path.parent().filter(|d| !d.exists()) {
        crate::files::create_private_dir(dir).map_err(io)?;
    }
    let temp = path.with_extension("partial");
    let result = (|| {
        // A document names residents: its owner's alone, like the database.
        let mut file = crate::files::create_private(&temp, false)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(io(e));
    }
    Ok(())
}

/// Writes the agreement of `case` into `dir` and returns the file's path.
pub fn write_agreement(
    case: &MediationCase,
    context: &AgreementContext<'_>,
    dir: &Path,
) -> Result<PathBuf, DocumentError> {
    let bytes = agreement_docx(case, context)?;
    let path = dir.join(safe_file_name(
        &format!("人民调解协议书-{}", case.case_no),
        "docx",
    ));
    write_file(&path, &bytes)?;
    Ok(path)
}

/// Every paragraph's text of a .docx, in order (table cells included): for tests and checks.
pub fn docx_text(bytes: &[u8]) -> Result<Vec<String>, DocumentError> {
    let docx = docx_rs::read_docx(bytes).map_err(|e| DocumentError::Format(e.to_string()))?;
    let mut out = Vec::new();
    for child in &docx.document.children {
        match child {
            docx_rs::DocumentChild::Paragraph(p) => out.push(paragraph_text(p)),
            docx_rs::DocumentChild::Table(t) => table_text(t, &mut out),
            _ => {}
        }
    }
    Ok(out)
}

/// The paragraphs of a table's cells, row by row, nested tables included.
fn table_text(table: &Table, out: &mut Vec<String>) {
    for row in &table.rows {
        let docx_rs::TableChild::TableRow(row) = row;
        for cell in &row.cells {
            let docx_rs::TableRowChild::TableCell(cell) = cell;
            for content in &cell.children {
                match content {
                    docx_rs::TableCellContent::Paragraph(p) => out.push(paragraph_text(p)),
                    docx_rs::TableCellContent::Table(t) => table_text(t, out),
                    _ => {}
                }
            }
        }
    }
}

fn paragraph_text(p: &Paragraph) -> String {
    let mut text = String::new();
    for child in &p.children {
        if let docx_rs::ParagraphChild::Run(run) = child {
            for piece in &run.children {
                if let docx_rs::RunChild::Text(t) = piece {
                    text.push_str(&t.text);
                }
            }
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_everywhere() {
        assert_eq!(safe_file_name("CG-2026-001", "docx"), "CG-2026-001.docx");
        assert_eq!(safe_file_name("a/b:c*?", "docx"), "a_b_c__.docx");
    }

    #[test]
    fn dates_are_written_the_chinese_way() {
        let date = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default();
        assert_eq!(chinese_date(date), "2026年1月5日");
        assert_eq!(
            copies_text(3),
            "本协议一式三份，当事人各执一份，人民调解委员会留存一份。"
        );
    }
}

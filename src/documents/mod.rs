//! Documents the station prints: the people's mediation agreement (人民调解协议书). Written as
//! .docx with the `docx-rs` crate, so that Word and WPS open them; the text is always Chinese,
//! whatever the desk's language, because it is signed by the parties.

pub mod minutes;
pub mod roster;

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, Paragraph, Run, RunFonts, Table, TableCell,
    TableRow,
};
use thiserror::Error;

use crate::domain::case::{format_amount, MediationCase, Outcome, PartyRole};
use crate::domain::Station;

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

/// What the agreement needs besides the case.
pub struct AgreementContext<'a> {
    pub station: &'a Station,
    pub mediators: &'a [String],
}

fn run(text: &str) -> Run {
    Run::new().add_text(text)
}

fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(run(text).size(size).bold())
        .align(AlignmentType::Center)
}

fn para(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text))
        .line_spacing(LineSpacing::new().after(120))
}

fn labelled(label: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(label).bold())
        .add_run(run(text))
        .line_spacing(LineSpacing::new().after(120))
}

/// Multi-line text as one paragraph a line, indented two characters as Chinese documents are.
fn body(text: &str) -> Vec<Paragraph> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            Paragraph::new()
                .add_run(run(line.trim()))
                .indent(
                    None,
                    Some(docx_rs::SpecialIndentType::FirstLine(480)),
                    None,
                    None,
                )
                .line_spacing(LineSpacing::new().after(120))
        })
        .collect()
}

/// 2026年11月22日
pub fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn copies_text(copies: usize) -> String {
    const DIGITS: [&str; 11] = [
        "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
    ];
    let n = DIGITS.get(copies).copied().unwrap_or("多");
    format!("本协议一式{n}份，当事人各执一份，人民调解组织留存一份。")
}

fn signature_table(rows: &[(String, String)]) -> Table {
    Table::new(
        rows.iter()
            .map(|(who, name)| {
                TableRow::new(vec![
                    TableCell::new().add_paragraph(para(who)),
                    TableCell::new().add_paragraph(para(name)),
                    TableCell::new().add_paragraph(para("（签名或盖章、按指印）")),
                    TableCell::new().add_paragraph(para("    年    月    日")),
                ])
            })
            .collect(),
    )
}

/// The agreement as .docx bytes: one copy for each party and one for the station, each
/// starting on its own page.
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
        .chain(std::iter::once("（人民调解组织存档）".to_string()))
        .collect();
    let mut docx = Docx::new()
        .default_fonts(
            RunFonts::new()
                .east_asia("宋体")
                .ascii("Times New Roman")
                .hi_ansi("Times New Roman"),
        )
        .default_size(24);
    for (index, holder) in holders.iter().enumerate() {
        let mut title = heading("人民调解协议书", 40);
        if index > 0 {
            title = Paragraph::new()
                .add_run(Run::new().add_break(BreakType::Page))
                .add_run(run("人民调解协议书").size(40).bold())
                .align(AlignmentType::Center);
        }
        docx = docx
            .add_paragraph(title)
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(holder))
                    .align(AlignmentType::Center),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&format!("编号：{}", case.case_no)))
                    .align(AlignmentType::Right),
            );
        for party in &f.parties {
            let mut line = format!("{}：{}", role_name(party.role), party.name);
            if !party.id_number.is_empty() {
                line.push_str(&format!("，公民身份号码：{}", party.id_number));
            }
            if !party.contact.is_empty() {
                line.push_str(&format!("，联系方式：{}", party.contact));
            }
            docx = docx.add_paragraph(para(&line));
        }
        docx = docx.add_paragraph(labelled("纠纷类型：", &f.dispute_type));
        docx = docx.add_paragraph(labelled("纠纷主要事实、争议事项：", ""));
        for p in body(&f.facts) {
            docx = docx.add_paragraph(p);
        }
        if !f.points.is_empty() {
            for p in body(&f.points) {
                docx = docx.add_paragraph(p);
            }
        }
        if let Some(fen) = f.amount_fen {
            docx = docx.add_paragraph(labelled("涉及金额：", &format!("{}元", format_amount(fen))));
        }
        docx = docx.add_paragraph(labelled("经调解，自愿达成如下协议：", ""));
        for p in body(terms) {
            docx = docx.add_paragraph(p);
        }
        docx = docx
            .add_paragraph(labelled("履行方式：", method))
            .add_paragraph(labelled("履行期限：", &format!("{}前", chinese_date(*deadline))))
            .add_paragraph(para(
                "当事人应当按照约定履行本协议。经人民调解委员会调解达成的调解协议，具有法律约束力。\
                 双方当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。",
            ))
            .add_paragraph(para(&copies_text(copies)))
            .add_paragraph(para("当事人签名："));
        let party_rows: Vec<(String, String)> = f
            .parties
            .iter()
            .map(|p| (role_name(p.role).to_string(), p.name.clone()))
            .collect();
        docx = docx.add_table(signature_table(&party_rows));
        docx = docx.add_paragraph(para("调解员签名："));
        let mediator_rows: Vec<(String, String)> = context
            .mediators
            .iter()
            .map(|m| ("调解员".to_string(), m.clone()))
            .collect();
        docx = docx.add_table(signature_table(&mediator_rows));
        docx = docx
            .add_paragraph(para(""))
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&format!("{}（盖章）", context.station.name)))
                    .align(AlignmentType::Right),
            )
            .add_paragraph(
                Paragraph::new()
                    .add_run(run(&chinese_date(concluded)))
                    .align(AlignmentType::Right),
            );
    }
    packed(docx)
}

/// The document's bytes, as a .docx file holds them.
pub(crate) fn packed(docx: docx_rs::Docx) -> Result<Vec<u8>, DocumentError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| DocumentError::Format(e.to_string()))?;
    Ok(bytes.into_inner())
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
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let temp = path.with_extension("partial");
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
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
            docx_rs::DocumentChild::Table(t) => {
                for row in &t.rows {
                    let docx_rs::TableChild::TableRow(row) = row;
                    for cell in &row.cells {
                        let docx_rs::TableRowChild::TableCell(cell) = cell;
                        for content in &cell.children {
                            if let docx_rs::TableCellContent::Paragraph(p) = content {
                                out.push(paragraph_text(p));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
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
            "本协议一式三份，当事人各执一份，人民调解组织留存一份。"
        );
    }
}

//! The minutes of a consultation meeting (协商议事会议纪要) as .docx, in the house style: A4 with
//! the official margins, the title in 小标宋 二号, the body in 仿宋 三号 on 22 lines a page,
//! numbered pages.

use std::path::{Path, PathBuf};

use docx_rs::{AlignmentType, Paragraph};

use super::style::{self, SIZE_2, SIZE_3};
use super::{body_spaced, heading, labelled_spaced, para_spaced, DocumentError};

/// 22 lines on the 225 mm text block.
const LINE: f64 = 28.9;

fn labelled(label: &str, text: &str) -> Paragraph {
    labelled_spaced(label, text, LINE)
}

fn para(text: &str) -> Paragraph {
    para_spaced(text, LINE)
}

fn body(text: &str) -> Vec<Paragraph> {
    body_spaced(text, LINE, SIZE_3)
}
use crate::domain::consult::{Attendance, GuestRole, Meeting};
use crate::domain::Station;

/// What the minutes need besides the meeting: names of members and topics.
pub struct MinutesContext<'a> {
    pub station: &'a Station,
    /// `(member id, name)` of the members on the meeting.
    pub member_names: &'a [(uuid::Uuid, String)],
    pub topic_titles: &'a [String],
}

fn form_name(meeting: &Meeting) -> &'static str {
    use crate::domain::consult::MeetingForm::*;
    match meeting.form {
        Symposium => "座谈式协商",
        OnSite => "现场协商",
        Online => "网络协商",
        Bench => "小板凳协商",
        Other => "其他",
    }
}

fn role_name(role: GuestRole) -> String {
    role_kind(role).to_string()
}

fn role_kind(role: GuestRole) -> &'static str {
    match role {
        GuestRole::Resident => "居民代表",
        GuestRole::Official => "部门负责人",
        GuestRole::Expert => "专家",
        GuestRole::Other => "其他",
    }
}

pub fn minutes_docx(
    meeting: &Meeting,
    context: &MinutesContext<'_>,
) -> Result<Vec<u8>, DocumentError> {
    let name = |id: &uuid::Uuid| {
        context
            .member_names
            .iter()
            .find(|(m, _)| m == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let with = |a: Attendance| {
        meeting
            .members
            .iter()
            .filter(|m| m.attendance == a)
            .map(|m| name(&m.member_id))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut docx = style::document(style::Orientation::Portrait, SIZE_3, true)
        .add_paragraph(heading(
            &format!("{}协商议事会议纪要", context.station.name),
            SIZE_2,
        ))
        .add_paragraph(para(""))
        .add_paragraph(labelled(
            "时间：",
            // The official form of the date, as the footer and every document write it.
            &format!(
                "{} {}",
                super::chinese_date(meeting.held_at.date()),
                meeting.held_at.format("%H:%M")
            ),
        ))
        .add_paragraph(labelled("地点：", &meeting.place))
        .add_paragraph(labelled("协商形式：", form_name(meeting)))
        .add_paragraph(labelled("主持人：", &meeting.host))
        .add_paragraph(labelled("出席委员：", &with(Attendance::Present)));
    let leave = with(Attendance::Leave);
    if !leave.is_empty() {
        docx = docx.add_paragraph(labelled("请假委员：", &leave));
    }
    let absent = with(Attendance::Absent);
    if !absent.is_empty() {
        docx = docx.add_paragraph(labelled("缺席委员：", &absent));
    }
    if !meeting.guests.is_empty() {
        let guests = meeting
            .guests
            .iter()
            .map(|g| {
                if g.organisation.is_empty() {
                    format!("{}（{}）", g.name, g.role_shown(role_name))
                } else {
                    format!(
                        "{}（{}，{}）",
                        g.name,
                        g.organisation,
                        g.role_shown(role_name)
                    )
                }
            })
            .collect::<Vec<_>>()
            .join("、");
        docx = docx.add_paragraph(labelled("列席人员：", &guests));
    }
    docx = docx.add_paragraph(labelled("协商议题：", &context.topic_titles.join("；")));
    docx = docx.add_paragraph(labelled("会议纪要：", ""));
    for p in body(&meeting.minutes) {
        docx = docx.add_paragraph(p);
    }
    if !meeting.recommendations.is_empty() {
        docx = docx.add_paragraph(labelled("协商成果：", ""));
        for (n, r) in meeting.recommendations.iter().enumerate() {
            docx = docx.add_paragraph(para(&format!("{}. {}", n + 1, r.text.replace('\n', " "))));
        }
    }
    docx = docx
        .add_paragraph(para(""))
        .add_paragraph(para(&context.station.name).align(AlignmentType::Right))
        .add_paragraph(
            para(&super::chinese_date(meeting.held_at.date())).align(AlignmentType::Right),
        );
    super::packed(docx)
}

/// Writes the minutes into `dir` as `会议纪要-<date>-<time>.docx`; returns the path.
pub fn write_minutes(
    meeting: &Meeting,
    context: &MinutesContext<'_>,
    dir: &Path,
) -> Result<PathBuf, DocumentError> {
    let bytes = minutes_docx(meeting, context)?;
    let path = dir.join(super::safe_file_name(
        &format!("会议纪要-{}", meeting.held_at.format("%Y-%m-%d-%H%M")),
        "docx",
    ));
    super::write_file(&path, &bytes)?;
    Ok(path)
}

//! The people-readable parts of a bundle: `tables/<kind>.csv` (UTF-8 with BOM, for Excel and
//! WPS) and `report.xlsx` (one sheet per kind), with Chinese headers, made from the records'
//! JSON so that every kind that travels is covered the same way.

use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::BundleError;
use crate::domain::RecordKind;

/// `(JSON field, Chinese header)` of the columns of a kind.
pub fn columns(kind: RecordKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        RecordKind::Member => &[
            ("id", "编号"),
            ("name", "姓名"),
            ("gender", "性别"),
            ("sector", "界别"),
            ("level", "委员层级"),
            ("party", "政治面貌"),
            ("phone", "电话"),
            ("specialties", "专长"),
            ("mediator", "兼职调解员"),
            ("active", "在任"),
            ("created_at", "创建时间"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Intake => &[
            ("id", "编号"),
            ("visited_at", "来访时间"),
            ("visitor_name", "来访人"),
            ("gender", "性别"),
            ("phone", "电话"),
            ("id_number", "身份证号"),
            ("address", "住址/小区"),
            ("visitors", "来访人数"),
            ("category", "诉求类别"),
            ("request", "诉求内容"),
            ("member_id", "接待委员编号"),
            ("state", "办理状态"),
            ("handling", "办理情况"),
            ("feedback", "反馈"),
            ("follow_up", "回访"),
            ("reply_due", "答复期限"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Shift => &[
            ("id", "编号"),
            ("date", "日期"),
            ("slot", "时段"),
            ("member_id", "值班委员编号"),
            ("state", "值班情况"),
            ("signed_in_at", "签到时间"),
            ("signed_out_at", "签退时间"),
            ("swap_with", "调班委员编号"),
            ("replaces", "顶替班次编号"),
            ("reason", "调班/请假原因"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Case => &[
            ("id", "编号"),
            ("case_no", "案件编号"),
            ("received_on", "受理日期"),
            ("source", "案件来源"),
            ("referring_unit", "移交单位"),
            ("referral_no", "移交文书号"),
            ("dispute_type", "纠纷类型"),
            ("parties", "当事人"),
            ("facts", "纠纷事实"),
            ("points", "争议焦点"),
            ("amount_fen", "涉及金额（元）"),
            ("mediators", "调解员编号"),
            ("state", "案件状态"),
            ("due", "结案期限"),
            ("sessions", "调解记录"),
            ("outcome", "调解结果"),
            ("concluded_on", "结案日期"),
            ("follow_ups", "回访与履行"),
            ("judicial", "司法确认"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Topic => &[
            ("id", "编号"),
            ("title", "议题"),
            ("description", "议题说明"),
            ("source", "议题来源"),
            ("source_note", "来源说明"),
            ("intakes", "关联来访编号"),
            ("step", "所处环节"),
            ("decision", "确定议题"),
            ("research", "调研记录"),
            ("created_at", "创建时间"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Meeting => &[
            ("id", "编号"),
            ("held_at", "会议时间"),
            ("place", "地点"),
            ("form", "协商形式"),
            ("host", "主持人"),
            ("topics", "议题编号"),
            ("members", "委员出席"),
            ("guests", "列席人员"),
            ("minutes", "会议纪要"),
            ("recommendations", "协商成果"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
        RecordKind::Report => &[
            ("id", "编号"),
            ("title", "标题"),
            ("body", "正文"),
            ("authors", "撰写委员编号"),
            ("intakes", "关联来访编号"),
            ("topics", "关联议题编号"),
            ("submitted_on", "报送日期"),
            ("submitted_to", "报送单位"),
            ("result", "采用情况"),
            ("created_at", "创建时间"),
            ("updated_at", "更新时间"),
            ("deleted_at", "删除时间"),
        ],
    }
}

/// The Chinese name of a kind, for sheet names.
pub fn sheet_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Member => "委员",
        RecordKind::Shift => "值班",
        RecordKind::Intake => "来访接待",
        RecordKind::Case => "调解案件",
        RecordKind::Topic => "议题",
        RecordKind::Meeting => "协商会议",
        RecordKind::Report => "社情民意信息",
    }
}

/// A cell's text: enum codes in Chinese, yes/no, nested values made readable (parties,
/// sessions, outcomes) or as compact JSON.
pub fn cell_text(kind: RecordKind, field: &str, value: &Value) -> String {
    let zh = |key: String| crate::i18n::message_in(crate::i18n::Language::Chinese, &key);
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    match (kind, field, value) {
        (_, _, Value::Null) => String::new(),
        (_, _, Value::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        (RecordKind::Case, "amount_fen", Value::Number(n)) => n
            .as_i64()
            .map(crate::domain::case::format_amount)
            .unwrap_or_default(),
        (_, _, Value::Number(n)) => n.to_string(),
        (RecordKind::Case, "state", Value::String(s)) => zh(format!("case_state.{s}")),
        (RecordKind::Shift, "state", Value::String(s)) => zh(format!("shift_state.{s}")),
        (RecordKind::Shift, "slot", Value::String(s)) => zh(format!("slot.{s}")),
        (RecordKind::Topic, "step", Value::String(s)) => zh(format!("topic_step.{s}")),
        (RecordKind::Topic, "source", Value::String(s)) => zh(format!("topic_source.{s}")),
        (RecordKind::Meeting, "form", Value::String(s)) => zh(format!("meeting_form.{s}")),
        (RecordKind::Meeting, "members", Value::Array(items)) => {
            let count = |a: &str| items.iter().filter(|m| m["attendance"] == a).count();
            format!(
                "出席{} 请假{} 缺席{}",
                count("present"),
                count("leave"),
                count("absent")
            )
        }
        (RecordKind::Meeting, "guests", Value::Array(items)) => items
            .iter()
            .map(|g| {
                format!(
                    "{} {} {}",
                    text(&g["name"]),
                    text(&g["organisation"]),
                    zh(format!("guest_role.{}", text(&g["role"])))
                )
            })
            .collect::<Vec<_>>()
            .join("；"),
        (RecordKind::Meeting, "recommendations", Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(n, r)| {
                let mut line = format!("{}. {}", n + 1, text(&r["text"]));
                if let Some(to) = r["submission"]["to"].as_str() {
                    line.push_str(&format!("（报送{to}）"));
                }
                if let Some(result) = r["feedback"]["result"].as_str() {
                    line.push_str(&format!("（{}）", zh(format!("adoption.{result}"))));
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (RecordKind::Report, "result", Value::Object(o)) => {
            match o.get("result").and_then(Value::as_str).unwrap_or("pending") {
                "adopted" => match o.get("instruction").and_then(Value::as_object) {
                    Some(i) => format!(
                        "采用；{}批示（{}）：{}",
                        i.get("by").and_then(Value::as_str).unwrap_or(""),
                        zh(format!(
                            "instruction_level.{}",
                            i.get("level").and_then(Value::as_str).unwrap_or("")
                        )),
                        i.get("text").and_then(Value::as_str).unwrap_or("")
                    ),
                    None => "采用".to_string(),
                },
                "not_adopted" => "未采用".to_string(),
                _ => "待反馈".to_string(),
            }
        }
        (RecordKind::Case, "source", Value::String(s)) => zh(format!("case_source.{s}")),
        (_, "gender", Value::String(s)) => zh(format!("gender.{s}")),
        (_, "level", Value::String(s)) => zh(format!("level.{s}")),
        (_, "state", Value::String(s)) => zh(format!("intake_state.{s}")),
        (_, _, Value::String(s)) => s.clone(),
        (RecordKind::Case, "parties", Value::Array(parties)) => parties
            .iter()
            .map(|p| {
                let mut line = format!(
                    "{} {}",
                    zh(format!("party_role.{}", text(&p["role"]))),
                    text(&p["name"])
                );
                for extra in ["contact", "id_number"] {
                    if !text(&p[extra]).is_empty() {
                        line.push_str(&format!(" {}", text(&p[extra])));
                    }
                }
                line
            })
            .collect::<Vec<_>>()
            .join("；"),
        (RecordKind::Case, "sessions", Value::Array(sessions)) => sessions
            .iter()
            .map(|s| format!("{} {}", text(&s["on"]), text(&s["notes"])))
            .collect::<Vec<_>>()
            .join("\n"),
        (RecordKind::Case, "follow_ups", Value::Array(items)) => items
            .iter()
            .map(|f| {
                let fulfilment = f["fulfilment"]
                    .as_str()
                    .map(|s| zh(format!("fulfilment.{s}")))
                    .unwrap_or_default();
                format!("{} {} {}", text(&f["on"]), fulfilment, text(&f["note"]))
                    .trim()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (RecordKind::Case, "outcome", Value::Object(o)) => {
            let result = o.get("result").and_then(Value::as_str).unwrap_or("");
            let body = ["terms", "reason", "department"]
                .iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .unwrap_or("");
            format!("{}：{body}", zh(format!("case_outcome.{result}")))
        }
        (RecordKind::Case, "judicial", Value::Object(o)) => {
            if o.get("applied").and_then(Value::as_bool).unwrap_or(false) {
                format!(
                    "已申请 {}",
                    o.get("on").and_then(Value::as_str).unwrap_or("")
                )
            } else {
                "未申请".to_string()
            }
        }
        (_, _, other) => other.to_string(),
    }
}

/// A spreadsheet would run a cell starting with `= + - @` (or a tab or CR) as a formula:
/// such a cell is written with a leading apostrophe.
pub fn defuse(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// `tables/<kind>.csv`: BOM, header row, one row per record.
pub fn csv(kind: RecordKind, records: &[Value]) -> Result<Vec<u8>, BundleError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = csv::Writer::from_writer(&mut out);
        let cols = columns(kind);
        writer
            .write_record(cols.iter().map(|(_, header)| *header))
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        for record in records {
            writer
                .write_record(
                    cols.iter()
                        .map(|(field, _)| defuse(&cell_text(kind, field, &record[*field]))),
                )
                .map_err(|e| BundleError::Sheet(e.to_string()))?;
        }
        writer
            .flush()
            .map_err(|e| BundleError::Io("csv".into(), e))?;
    }
    Ok(out)
}

/// `report.xlsx`: one sheet per kind; every cell is text (18-digit ID numbers keep all their
/// digits), and column widths are set for Chinese (autofit undersizes them).
pub fn workbook(sheets: &[(RecordKind, Vec<Value>)]) -> Result<Vec<u8>, BundleError> {
    let sheet_error = |e: rust_xlsxwriter::XlsxError| BundleError::Sheet(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (kind, records) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(*kind)).map_err(sheet_error)?;
        let cols = columns(*kind);
        let mut widths: Vec<usize> = cols.iter().map(|(_, h)| h.width()).collect();
        for (c, (_, header)) in cols.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *header, &bold)
                .map_err(sheet_error)?;
        }
        for (r, record) in records.iter().enumerate() {
            for (c, (field, _)) in cols.iter().enumerate() {
                let text = cell_text(*kind, field, &record[*field]);
                widths[c] = widths[c].max(text.width().min(60));
                sheet
                    .write_string((r + 1) as u32, c as u16, defuse(&text))
                    .map_err(sheet_error)?;
            }
        }
        for (c, width) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, (*width as f64 + 2.0).min(62.0))
                .map_err(sheet_error)?;
        }
    }
    book.save_to_buffer().map_err(sheet_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=1+1"), "'=1+1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-5"), "'-5");
        assert_eq!(defuse("停车"), "停车");
    }

    #[test]
    fn csv_starts_with_a_bom_and_chinese_headers() {
        let records = vec![
            serde_json::json!({"id": "x", "name": "=张三", "gender": "female", "active": true}),
        ];
        let bytes = csv(RecordKind::Member, &records).unwrap_or_default();
        assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8_lossy(&bytes[3..]).to_string();
        assert!(text.starts_with("编号,姓名,性别"), "{text}");
        assert!(text.contains("x,'=张三,女"), "{text}");
    }
}

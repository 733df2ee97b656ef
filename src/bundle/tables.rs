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
        _ => &[("id", "编号")],
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

/// A cell's text: enum codes in Chinese, yes/no, nested values as compact JSON.
pub fn cell_text(field: &str, value: &Value) -> String {
    let zh = |key: String| crate::i18n::message_in(crate::i18n::Language::Chinese, &key);
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => match field {
            "gender" => zh(format!("gender.{s}")),
            "level" => zh(format!("level.{s}")),
            "state" => zh(format!("intake_state.{s}")),
            _ => s.clone(),
        },
        other => other.to_string(),
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
                        .map(|(field, _)| defuse(&cell_text(field, &record[*field]))),
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
                let text = cell_text(field, &record[*field]);
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

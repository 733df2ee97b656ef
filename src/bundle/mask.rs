//! Masking for plaintext bundles (a copy for reading on a machine without the county key):
//! by field, as each kind describes its fields. A phone or ID number field is masked
//! whatever its length; free text masks runs of seven or more digits; ids, dates and times
//! are never touched.

use serde_json::Value;

use crate::domain::fields::{Described, Mask};

/// How many digits stay visible at the front and at the back of `n` digits.
fn kept(n: usize, personal: bool) -> (usize, usize) {
    match n {
        11.. => (3, 4),
        7..=10 => (2, 2),
        4..=6 if personal => (0, 1),
        _ if personal => (0, 0),
        _ => (n, 0),
    }
}

fn is_digitish(c: char) -> bool {
    c.is_ascii_digit() || c == 'X' || c == 'x'
}

/// Free text: every run of seven or more digits (a phone or ID number, with its trailing X)
/// keeps its first and last few digits only: eleven and more keep three and four, seven to
/// ten keep two and two. Shorter numbers (amounts, house numbers) stay.
pub fn mask_free_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && is_digitish(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            let (front, back) = kept(run.len(), false);
            for (at, c) in run.iter().enumerate() {
                if at < front || at >= run.len() - back {
                    out.push(*c);
                } else {
                    out.push('*');
                }
            }
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A phone or ID number field: its digits counted across separators (`010-6234 5678`), at
/// least half of them masked whatever the length.
pub fn mask_personal(text: &str) -> String {
    let n = text.chars().filter(|c| is_digitish(*c)).count();
    let (front, back) = kept(n, true);
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if !is_digitish(c) {
                return c;
            }
            let at = seen;
            seen += 1;
            if at < front || at >= n - back {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Whether a string is an id, a date or a time, which identify no person.
fn is_whole(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
        || chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(text).is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").is_ok()
        || chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
        || chrono::NaiveTime::parse_from_str(text, "%H:%M").is_ok()
        || chrono::NaiveTime::parse_from_str(text, "%H:%M:%S").is_ok()
}

/// Inside nested parts (a case's parties), the fields that hold a phone or an ID number: a
/// party's contact is a phone number or an address, and either is masked as a number. A
/// record's own fields say so in its kind's field list ([`Mask::Personal`]).
const NESTED_PERSONAL: &[&str] = &["phone", "id_number", "contact"];

/// Masks a record of `T` as JSON: its personal fields (as `T` describes them) and those of
/// its nested parts whatever their length, other text as free text, ids, dates, times and
/// numbers untouched.
pub fn mask_json<T: Described>(value: &mut Value) {
    let personal: Vec<&str> = T::fields()
        .iter()
        .filter(|f| f.mask == Mask::Personal)
        .map(|f| f.name)
        .collect();
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                mask_value(item, personal.contains(&key.as_str()));
            }
        }
        other => mask_value(other, false),
    }
}

fn mask_value(value: &mut Value, personal: bool) {
    match value {
        Value::String(s) if is_whole(s) => {}
        Value::String(s) if personal => *s = mask_personal(s),
        Value::String(s) => *s = mask_free_text(s),
        Value::Array(items) => items.iter_mut().for_each(|v| mask_value(v, personal)),
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                mask_value(item, NESTED_PERSONAL.contains(&key.as_str()));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_masks_long_numbers_only() {
        assert_eq!(
            mask_free_text("电话13800138000，3号楼"),
            "电话138****8000，3号楼"
        );
        assert_eq!(mask_free_text("11010519491231002X"), "110***********002X");
        assert_eq!(mask_free_text("座机6234567"), "座机62***67");
        assert_eq!(mask_free_text("010-62345678"), "010-62****78");
        assert_eq!(mask_free_text("3000元"), "3000元");
    }

    #[test]
    fn personal_fields_are_masked_whatever_their_length() {
        assert_eq!(mask_personal("13800138000"), "138****8000");
        assert_eq!(mask_personal("6234567"), "62***67");
        assert_eq!(mask_personal("010-6234 5678"), "010-**** 5678");
        assert_eq!(mask_personal("6234-5678"), "62**-**78");
        assert_eq!(mask_personal("12345"), "****5");
        assert_eq!(mask_personal("110"), "***");
        assert_eq!(mask_personal("幸福里3号楼"), "幸福里*号楼");
    }

    #[test]
    fn ids_dates_and_times_are_never_touched() {
        let mut record = serde_json::json!({
            "id": "01234567-8901-7234-8567-890123456789",
            "member_id": "01900000-0000-7000-8000-000000000001",
            "visited_at": "2026-11-28T08:45:00",
            "updated_at": "2026-12-01T08:00:00.000Z",
            "date": "2026-12-01",
            "start": "08:30",
            "amount_fen": 300000,
            "phone": "6234567",
            "parties": [{"name": "刘志强", "contact": "13900001111", "id_number": ""}],
            "request": "他的电话是13912345678，门牌 12 号",
            "links": ["01234567-8901-7234-8567-890123456789"],
        });
        mask_json::<crate::domain::Intake>(&mut record);
        assert_eq!(record["id"], "01234567-8901-7234-8567-890123456789");
        assert_eq!(record["links"][0], "01234567-8901-7234-8567-890123456789");
        assert_eq!(record["visited_at"], "2026-11-28T08:45:00");
        assert_eq!(record["updated_at"], "2026-12-01T08:00:00.000Z");
        assert_eq!(record["date"], "2026-12-01");
        assert_eq!(record["start"], "08:30");
        assert_eq!(record["amount_fen"], 300000);
        assert_eq!(record["phone"], "62***67");
        assert_eq!(record["parties"][0]["contact"], "139****1111");
        assert_eq!(record["request"], "他的电话是139****5678，门牌 12 号");
    }
}

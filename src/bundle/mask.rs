//! Masking for plaintext bundles (a copy for reading on a machine without the county key):
//! by field, as each kind describes its fields. A phone or ID number field is masked
//! whatever its length; free text masks runs of seven or more digits; ids, dates and times
//! are never touched.

use serde_json::Value;

use crate::domain::fields::{Described, Mask};
use crate::text::{mask_free_text, mask_personal};

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

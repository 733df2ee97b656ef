//! Every record a bundle brings is checked against its kind's description before anything is
//! merged: it reads as its kind (every field present that the kind requires, each of its type),
//! and no typed text is longer than the station's forms allow. One record that is not is the
//! refusal of the whole bundle, naming its kind, id, field and why. Fields the county does not
//! know are kept in the stored JSON (a newer station's) but never read into the report.

use serde::de::DeserializeOwned;

use super::*;
use crate::domain::activity::Activity;
use crate::domain::bounds::too_long;
use crate::domain::case::MediationCase;
use crate::domain::consult::{Meeting, Report, Topic};
use crate::domain::fields::Described;
use crate::domain::roster::Shift;
use crate::domain::{Intake, Member};

/// Checks one record line of `kind`, whose id is `id`, and gives what the county's search
/// finds it by (read from the same parse).
pub(super) fn check(
    kind: RecordKind,
    id: &str,
    line: &[u8],
) -> Result<(String, String), BundleError> {
    match kind {
        RecordKind::Member => check_as::<Member>(id, line),
        RecordKind::Shift => check_as::<Shift>(id, line),
        RecordKind::Intake => check_as::<Intake>(id, line),
        RecordKind::Case => check_as::<MediationCase>(id, line),
        RecordKind::Topic => check_as::<Topic>(id, line),
        RecordKind::Meeting => check_as::<Meeting>(id, line),
        RecordKind::Report => check_as::<Report>(id, line),
        RecordKind::Activity => check_as::<Activity>(id, line),
    }
}

fn check_as<T: Described + DeserializeOwned + crate::store::RecordTable>(
    id: &str,
    line: &[u8],
) -> Result<(String, String), BundleError> {
    let invalid = |field: &str, reason: String| BundleError::InvalidRecord {
        kind: T::KIND,
        id: id.to_string(),
        field: field.to_string(),
        reason,
    };
    let record: T = serde_json::from_slice(line).map_err(|e| {
        let reason = e.to_string();
        invalid(&field_of(&reason, line), reason)
    })?;
    if let Some((field, length, max)) = too_long(&record) {
        return Err(invalid(
            field,
            format!("{length} characters, at most {max}"),
        ));
    }
    Ok(crate::store::entry_of(&record))
}

/// The field a JSON error is about: the one named missing; else, for a value of the wrong type,
/// the top-level field holding that value (the error's position says nothing when a kind's
/// fields are read through a flattened part); else none.
fn field_of(reason: &str, line: &[u8]) -> String {
    if let Some(rest) = reason.split("missing field `").nth(1) {
        if let Some(name) = rest.split('`').next() {
            return name.to_string();
        }
    }
    let Some(what) = reason.strip_prefix("invalid type: ") else {
        return String::new();
    };
    let Ok(serde_json::Value::Object(fields)) = serde_json::from_slice(line) else {
        return String::new();
    };
    let shown = |v: &serde_json::Value| -> Option<String> {
        Some(match v {
            serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => format!("integer `{n}`"),
            serde_json::Value::Number(n) => format!("floating point `{n}`"),
            serde_json::Value::String(t) => format!("string {t:?}"),
            serde_json::Value::Bool(b) => format!("boolean `{b}`"),
            serde_json::Value::Null => "null".to_string(),
            serde_json::Value::Array(_) => "sequence".to_string(),
            serde_json::Value::Object(_) => "map".to_string(),
        })
    };
    fields
        .iter()
        .find(|(_, v)| shown(v).is_some_and(|s| what.starts_with(&s)))
        .map(|(k, _)| k.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_is_named_for_a_wrong_type_and_a_missing_field() {
        let wrong = br#"{"id":"x","rev":3,"name":12345,"active":"yes"}"#;
        let said = |what: &str| field_of(&format!("invalid type: {what}, expected"), wrong);
        assert_eq!(said("integer `12345`"), "name");
        assert_eq!(said("string \"yes\""), "active");
        assert_eq!(field_of("missing field `gender`", wrong), "gender");
        assert_eq!(field_of("something else", wrong), "");
    }
}

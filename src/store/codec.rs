//! How record fields are kept in SQLite columns and read back: JSON for nested values, stored
//! names for enums, `YYYY-MM-DD` text for dates. Every kind's store uses these; a value that
//! does not read is a conversion error naming its column, never a silent default.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::Row;

/// How dates are stored.
pub(super) const DATE_FORMAT: &str = "%Y-%m-%d";

pub(super) fn json_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_string(value)
        .map(Value::Text)
        .unwrap_or(Value::Null)
}

pub(super) fn optional_json<T: serde::Serialize>(value: &Option<T>) -> Value {
    value.as_ref().map(json_value).unwrap_or(Value::Null)
}

pub(super) fn date_value(date: Option<NaiveDate>) -> Value {
    date.map(|d| Value::Text(d.format(DATE_FORMAT).to_string()))
        .unwrap_or(Value::Null)
}

pub(super) fn conversion(
    index: usize,
    err: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(err))
}

/// A code the store wrote (a state, a source, a slot) read back. One this version does not
/// know is an error that names it, never quietly the default: a visit must not turn into
/// 已登记 because a newer version stored a state this one lacks.
pub(super) fn parse_code<T>(
    row: &Row<'_>,
    index: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    parse(&text).ok_or_else(|| conversion(index, UnknownCode(text)))
}

/// A stored code this version does not know.
#[derive(Debug)]
struct UnknownCode(String);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown stored value {:?}", self.0)
    }
}

impl std::error::Error for UnknownCode {}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    index: usize,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(index)?;
    text.map(|t| serde_json::from_str(&t).map_err(|e| conversion(index, e)))
        .transpose()
}

/// A date column every stored record of its kind has: a missing one is a damaged record, never
/// 1 January 1970.
pub(super) fn required_date(row: &Row<'_>, index: usize) -> rusqlite::Result<NaiveDate> {
    parse_date(row, index)?.ok_or_else(|| {
        conversion(
            index,
            std::io::Error::new(std::io::ErrorKind::InvalidData, "date missing"),
        )
    })
}

pub(super) fn parse_date(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<&str> = match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => None,
        value => Some(value.as_str().map_err(|e| conversion(index, e))?),
    };
    text.map(|t| {
        iso_date(t)
            .map(Ok)
            .unwrap_or_else(|| NaiveDate::parse_from_str(t, DATE_FORMAT))
            .map_err(|e| conversion(index, e))
    })
    .transpose()
}

/// A `YYYY-MM-DD` date read without a pattern (a bundle reads millions of them); anything
/// else is left to chrono, which says what is wrong with it.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return None;
    }
    let number = |from: usize, to: usize| text.get(from..to)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(5, 7)?, number(8, 10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_without_a_pattern_read_as_chrono_reads_them() {
        for text in [
            "2026-01-05",
            "0999-12-31",
            "2024-02-29",
            "2026-02-29",
            "2026-13-01",
        ] {
            assert_eq!(
                iso_date(text),
                NaiveDate::parse_from_str(text, DATE_FORMAT).ok(),
                "{text}"
            );
        }
        // Not the shape: chrono decides (and says why).
        for text in ["2026-+1-05", "2026-1-05", "20260105", "２０２６-01-05", ""] {
            assert_eq!(iso_date(text), None, "{text}");
        }
    }
}

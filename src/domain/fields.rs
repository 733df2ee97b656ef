//! Each record kind describes its fields once, here in the domain: a name, the key of its
//! label in the locale files (`field.…`, the one place words live), and how the field reads
//! as text. The bundle's CSV and XLSX columns, the
//! county report's sheets and the search index all come from these descriptions, so a field
//! added to a kind's list appears in every one of them, and a kind cannot forget one.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use uuid::Uuid;

use super::RecordKind;

/// What a field needs from outside its record to read as text: the names behind ids, the
/// words for codes, and the local time. The bundle answers in Chinese from the station's
/// records; the county report from the county's.
pub trait Lookup {
    /// A member's name; the id itself when the member is unknown.
    fn member(&self, id: Uuid) -> String;
    /// How a person knows a record of `kind`: a case number, a topic's title, a visit's date
    /// and visitor, a shift's day and member.
    fn record(&self, kind: RecordKind, id: Uuid) -> String;
    /// The word for a message key (`intake_state.answered` → 已答复).
    fn word(&self, key: &str) -> String;
    /// A moment in local time, `YYYY-MM-DD HH:MM`.
    fn time(&self, at: DateTime<Utc>) -> String;
}

/// How a field reads.
pub enum FieldValue<T: 'static> {
    /// Text a person typed: shown as it is, and searched.
    Typed(fn(&T) -> &str),
    /// Chosen from a list, counted, dated or looked up: shown, not searched.
    Shown(fn(&T, &dyn Lookup) -> String),
    /// Parts holding typed text (parties, sessions, recommendations…): the readable text of
    /// all parts, and the typed texts inside them for search.
    Parts(fn(&T, &dyn Lookup) -> String, fn(&T) -> Vec<&str>),
}

/// One field of a kind, as people read it.
pub struct Field<T: 'static> {
    /// A stable name (the column's key; also the JSON field where there is one).
    pub name: &'static str,
    /// The key of its label in the locale files (`field.name`, or `field.kind.name` where
    /// kinds name a field alike but mean another thing).
    pub label: &'static str,
    pub value: FieldValue<T>,
    /// How the field is masked in a plaintext bundle.
    pub mask: Mask,
}

/// How a field is masked in a plaintext bundle (a masked copy for reading without the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// Ids, dates and times identify no person: never touched.
    Whole,
    /// Free text: runs of seven or more digits (a phone or ID number typed into it) are masked.
    Numbers,
    /// A phone or ID number field: masked whatever its length.
    Personal,
}

impl<T: 'static> Field<T> {
    const fn new(name: &'static str, label: &'static str, value: FieldValue<T>) -> Field<T> {
        Field {
            name,
            label,
            value,
            mask: Mask::Numbers,
        }
    }

    /// Text a person typed into the field.
    pub const fn typed(name: &'static str, label: &'static str, get: fn(&T) -> &str) -> Field<T> {
        Field::new(name, label, FieldValue::Typed(get))
    }

    /// A value shown but not typed (a choice, a count, a date, a name looked up).
    pub const fn shown(
        name: &'static str,
        label: &'static str,
        show: fn(&T, &dyn Lookup) -> String,
    ) -> Field<T> {
        Field::new(name, label, FieldValue::Shown(show))
    }

    /// A value that identifies no person and stays whole in a plaintext bundle: ids, times.
    pub const fn whole(
        name: &'static str,
        label: &'static str,
        show: fn(&T, &dyn Lookup) -> String,
    ) -> Field<T> {
        Field {
            mask: Mask::Whole,
            ..Field::shown(name, label, show)
        }
    }

    /// A phone or ID number typed into its own field: masked whatever its length.
    pub const fn personal(
        name: &'static str,
        label: &'static str,
        get: fn(&T) -> &str,
    ) -> Field<T> {
        Field {
            mask: Mask::Personal,
            ..Field::typed(name, label, get)
        }
    }

    /// Parts with typed text in them.
    pub const fn parts(
        name: &'static str,
        label: &'static str,
        show: fn(&T, &dyn Lookup) -> String,
        typed: fn(&T) -> Vec<&str>,
    ) -> Field<T> {
        Field::new(name, label, FieldValue::Parts(show, typed))
    }

    /// The field as text.
    pub fn text(&self, record: &T, lookup: &dyn Lookup) -> String {
        match &self.value {
            FieldValue::Typed(get) => get(record).to_string(),
            FieldValue::Shown(show) | FieldValue::Parts(show, _) => show(record, lookup),
        }
    }

    /// What a person typed into the field (nothing for shown values).
    pub fn typed_texts<'a>(&self, record: &'a T) -> Vec<&'a str> {
        match &self.value {
            FieldValue::Typed(get) => vec![get(record)],
            FieldValue::Shown(_) => Vec::new(),
            FieldValue::Parts(_, typed) => typed(record),
        }
    }
}

/// A record kind's description of itself.
pub trait Described: Sized + 'static {
    const KIND: RecordKind;
    /// Its fields, in the order of the bundle's columns.
    fn fields() -> &'static [Field<Self>];
    /// How a person knows the record when another names it: a name, a case number, a title.
    fn known_as(&self, lookup: &dyn Lookup) -> String;

    /// Everything a person typed into the record, field by field, for search.
    fn typed_texts(&self) -> Vec<&str> {
        Self::fields()
            .iter()
            .flat_map(|f| f.typed_texts(self))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// A kind's fields: its id first, the listed fields, then the times every record carries.
#[macro_export]
macro_rules! fields_of {
    ($ty:ty, [$($field:expr),* $(,)?]) => {{
        use $crate::domain::fields::Field;
        static FIELDS: &[Field<$ty>] = &[
            Field::whole("id", "field.id", |r: &$ty, _| r.meta.id.to_string()),
            $($field,)*
            Field::whole("created_at", "field.created_at", |r: &$ty, l| {
                l.time(r.meta.created_at)
            }),
            Field::whole("updated_at", "field.updated_at", |r: &$ty, l| {
                l.time(r.meta.updated_at)
            }),
            Field::whole("deleted_at", "field.deleted_at", |r: &$ty, l| {
                r.meta.deleted_at.map(|t| l.time(t)).unwrap_or_default()
            }),
        ];
        FIELDS
    }};
}

/// A date as `YYYY-MM-DD`.
pub fn date(d: NaiveDate) -> String {
    // Written out rather than through `format`, which reads its pattern again for every
    // cell: a bundle of a million records formats several million dates.
    if (0..=9999).contains(&d.year()) {
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    } else {
        d.format("%Y-%m-%d").to_string()
    }
}

/// An optional date, empty when there is none.
pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// A desk time (already local) as `YYYY-MM-DD HH:MM`.
pub fn local_time(t: NaiveDateTime) -> String {
    if (0..=9999).contains(&t.year()) {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        )
    } else {
        t.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// Members' names, joined with 、.
pub fn members(ids: &[Uuid], lookup: &dyn Lookup) -> String {
    ids.iter()
        .map(|id| lookup.member(*id))
        .collect::<Vec<_>>()
        .join("、")
}

/// Records of one kind as people know them, joined with 、.
pub fn records(kind: RecordKind, ids: &[Uuid], lookup: &dyn Lookup) -> String {
    ids.iter()
        .map(|id| lookup.record(kind, *id))
        .collect::<Vec<_>>()
        .join("、")
}

/// 是 or 否 (Yes or No).
pub fn yes_no(b: bool, lookup: &dyn Lookup) -> String {
    lookup.word(if b { "field.yes" } else { "field.no" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_read_as_chrono_writes_them() {
        let days = [
            NaiveDate::from_ymd_opt(2026, 1, 5),
            NaiveDate::from_ymd_opt(999, 12, 31),
            NaiveDate::from_ymd_opt(12345, 6, 7),
            NaiveDate::from_ymd_opt(-3, 2, 1),
        ];
        for day in days.into_iter().flatten() {
            assert_eq!(date(day), day.format("%Y-%m-%d").to_string());
            let at = day.and_hms_opt(7, 3, 59).unwrap_or_default();
            assert_eq!(local_time(at), at.format("%Y-%m-%d %H:%M").to_string());
        }
        assert_eq!(opt_date(None), "");
    }
}

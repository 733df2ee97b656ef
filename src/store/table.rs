//! How a record kind maps onto its table — the trait every kind implements, the columns every
//! table starts with, and reading one record back — at the bottom of the store's rooms: the
//! kinds' registry, the search index, the audit log and the writer all build on it, and it on
//! none of them.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row};
use serde::Serialize;
use uuid::Uuid;

use super::error::{StoreError, StoreResult};
use super::{parse_time, parse_uuid};
use crate::domain::fields::Described;
use crate::domain::RecordMeta;

/// The `meta` and `meta_mut` of a [`RecordTable`] whose record keeps its meta in `meta`.
macro_rules! meta_in_field {
    () => {
        fn meta(&self) -> &RecordMeta {
            &self.meta
        }

        fn meta_mut(&mut self) -> &mut RecordMeta {
            &mut self.meta
        }
    };
}
pub(crate) use meta_in_field;

/// The columns every record table starts with, in this order.
pub const META_COLUMNS: [&str; 6] = [
    "id",
    "station_id",
    "created_at",
    "updated_at",
    "rev",
    "deleted_at",
];

/// How a record kind maps onto its table. Implemented once per kind; everything else
/// (insert, update, delete, restore, audit) is shared.
pub trait RecordTable:
    Described + Serialize + serde::de::DeserializeOwned + Clone + PartialEq + Send
{
    const TABLE: &'static str;
    /// The kind's own columns, in the order of [`RecordTable::values`].
    const COLUMNS: &'static [&'static str];

    fn meta(&self) -> &RecordMeta;
    fn meta_mut(&mut self) -> &mut RecordMeta;
    /// The values of [`RecordTable::COLUMNS`].
    fn values(&self) -> Vec<Value>;
    /// Builds the record from a row of `SELECT <meta columns>, <COLUMNS>`; the kind's own
    /// columns start at index 6.
    fn from_row(meta: RecordMeta, row: &Row<'_>) -> rusqlite::Result<Self>;

    /// How the record shows among search results; what is indexed are the typed texts of
    /// its fields ([`Described::typed_texts`]), so every field a person typed is found.
    fn search_head(&self) -> crate::domain::search::SearchHead;

    /// `SELECT` list of all columns, meta first.
    fn select_list() -> String {
        META_COLUMNS
            .iter()
            .chain(Self::COLUMNS.iter())
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Reads a whole row (meta and own columns).
    fn read_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let meta = read_meta(row)?;
        Self::from_row(meta, row)
    }
}

pub(super) fn read_meta(row: &Row<'_>) -> rusqlite::Result<RecordMeta> {
    let deleted: Option<String> = row.get(5)?;
    Ok(RecordMeta {
        id: parse_uuid(&row.get::<_, String>(0)?)?,
        station_id: parse_uuid(&row.get::<_, String>(1)?)?,
        created_at: parse_time(&row.get::<_, String>(2)?)?,
        updated_at: parse_time(&row.get::<_, String>(3)?)?,
        rev: row.get(4)?,
        deleted_at: deleted.as_deref().map(parse_time).transpose()?,
    })
}

/// "No such record" for a kind.
pub(crate) fn not_found<T: RecordTable>(id: Uuid) -> StoreError {
    StoreError::NotFound {
        kind: T::KIND,
        id: id.to_string(),
    }
}

pub(crate) fn get_any<T: RecordTable>(
    conn: &rusqlite::Connection,
    id: Uuid,
) -> StoreResult<Option<T>> {
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        T::select_list(),
        T::TABLE
    );
    let record = conn
        .prepare_cached(&sql)?
        .query_row([id.to_string()], T::read_row)
        .optional()?;
    Ok(record)
}

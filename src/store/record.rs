//! The one mechanism every kind of record reuses: identity, the change sequence, soft delete
//! and restore, and an audit row for every change.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Row, Transaction};
use uuid::Uuid;

pub use super::audit::AuditEntry;
use super::error::{StoreError, StoreResult};
pub use super::table::RecordTable;
pub(crate) use super::table::{get_any, meta_in_field, not_found, META_COLUMNS};
use super::{format_time, parse_time, parse_uuid, Store};
use crate::domain::RecordMeta;

/// The SQL of `T`'s table, built once per transaction.
fn table_sql<'a, T: RecordTable>(
    sql: &'a mut std::collections::HashMap<&'static str, TableSql>,
) -> &'a TableSql {
    sql.entry(T::TABLE).or_insert_with(TableSql::of::<T>)
}

/// Every column's value of a record, meta first.
fn row_values<T: RecordTable>(record: &T) -> Vec<Value> {
    let mut values = meta_values(record.meta());
    values.extend(record.values());
    values
}

/// Writes records inside one transaction. Obtained from [`Store::write`].
pub struct Writer<'a> {
    tx: Transaction<'a>,
    actor: String,
    station_id: Uuid,
    now: DateTime<Utc>,
    /// The last rev handed out in this transaction; written back on commit. The transaction
    /// holds the write lock, so nobody else can hand out revs meanwhile.
    last_rev: Option<i64>,
    /// SQL text per table, built once per transaction.
    sql: std::collections::HashMap<&'static str, TableSql>,
}

struct TableSql {
    insert: String,
    update: String,
}

impl TableSql {
    fn of<T: RecordTable>() -> TableSql {
        let columns = T::select_list();
        let placeholders = (1..=META_COLUMNS.len() + T::COLUMNS.len())
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let assignments = META_COLUMNS[1..]
            .iter()
            .chain(T::COLUMNS.iter())
            .enumerate()
            .map(|(i, col)| format!("{col} = ?{}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        TableSql {
            insert: format!(
                "INSERT INTO {} ({columns}) VALUES ({placeholders})",
                T::TABLE
            ),
            update: format!("UPDATE {} SET {assignments} WHERE id = ?1", T::TABLE),
        }
    }
}

impl<'a> Writer<'a> {
    pub(crate) fn new(tx: Transaction<'a>, actor: &str, station_id: Uuid) -> Writer<'a> {
        Writer {
            tx,
            actor: actor.to_string(),
            station_id,
            now: super::now(),
            last_rev: None,
            sql: std::collections::HashMap::new(),
        }
    }

    pub(crate) fn commit(self) -> StoreResult<()> {
        if let Some(last) = self.last_rev {
            self.tx
                .prepare_cached("UPDATE change_seq SET last_rev = ?1")?
                .execute([last])?;
        }
        self.tx.commit()?;
        Ok(())
    }

    pub fn station_id(&self) -> Uuid {
        self.station_id
    }

    /// The open transaction, for a kind's own bookkeeping (sequences) in the same commit.
    pub(crate) fn tx(&self) -> &Transaction<'a> {
        &self.tx
    }

    /// Hands out the next station-wide change sequence number.
    fn next_rev(&mut self) -> StoreResult<i64> {
        let last = match self.last_rev {
            Some(last) => last,
            None => self
                .tx
                .prepare_cached("SELECT last_rev FROM change_seq")?
                .query_row([], |row| row.get(0))?,
        };
        self.last_rev = Some(last + 1);
        Ok(last + 1)
    }

    fn audit<T: RecordTable>(
        &self,
        action: &str,
        before: Option<&T>,
        after: &T,
    ) -> StoreResult<()> {
        let before = before.map(serde_json::to_value).transpose()?;
        let changes = super::audit::changes(before.as_ref(), &serde_json::to_value(after)?)
            .map(|v| serde_json::to_string(&v))
            .transpose()?;
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, kind, record_id, rev, changes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                format_time(&self.now),
                self.actor,
                action,
                T::KIND.as_str(),
                after.meta().id.to_string(),
                after.meta().rev,
                changes,
            ])?;
        Ok(())
    }

    /// Reads a record by id, deleted or not.
    pub fn get_any<T: RecordTable>(&self, id: Uuid) -> StoreResult<Option<T>> {
        get_any::<T>(&self.tx, id)
    }

    /// Inserts a new record. Its id is kept if set (demo data, imports), else a new UUIDv7.
    pub fn insert<T: RecordTable>(&mut self, mut record: T) -> StoreResult<T> {
        let rev = self.next_rev()?;
        let meta = record.meta_mut();
        if meta.id.is_nil() {
            meta.id = Uuid::now_v7();
        }
        meta.station_id = self.station_id;
        meta.created_at = self.now;
        meta.updated_at = self.now;
        meta.rev = rev;
        meta.deleted_at = None;
        let values = row_values(&record);
        let sql = &table_sql::<T>(&mut self.sql).insert;
        self.tx
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(values))?;
        self.audit::<T>("insert", None, &record)?;
        super::search::index(&self.tx, &record)?;
        Ok(record)
    }

    /// Saves new contents of an existing, not deleted record. An update that changes nothing
    /// writes nothing and returns the stored record.
    pub fn update<T: RecordTable + PartialEq>(&mut self, record: &T) -> StoreResult<T> {
        let id = record.meta().id;
        let before = self.live::<T>(id)?;
        let mut after = record.clone();
        *after.meta_mut() = before.meta().clone();
        if after == before {
            return Ok(before);
        }
        self.write_version("update", &before, after)
    }

    /// Soft-deletes a record: it disappears from normal queries and can be restored.
    pub fn delete<T: RecordTable>(&mut self, id: Uuid) -> StoreResult<T> {
        let before = self.live::<T>(id)?;
        let mut after = before.clone();
        after.meta_mut().deleted_at = Some(self.now);
        self.write_version("delete", &before, after)
    }

    /// Brings back a soft-deleted record.
    pub fn restore<T: RecordTable>(&mut self, id: Uuid) -> StoreResult<T> {
        let before = self.get_any::<T>(id)?.ok_or_else(|| not_found::<T>(id))?;
        if before.meta().deleted_at.is_none() {
            return Err(StoreError::NotDeleted {
                kind: T::KIND,
                id: id.to_string(),
            });
        }
        let mut after = before.clone();
        after.meta_mut().deleted_at = None;
        self.write_version("restore", &before, after)
    }

    /// Stores `after` as the record's next version: a new rev and update time, the row, and
    /// one audit row holding `before` and `after`.
    fn write_version<T: RecordTable>(
        &mut self,
        action: &str,
        before: &T,
        mut after: T,
    ) -> StoreResult<T> {
        let rev = self.next_rev()?;
        let meta = after.meta_mut();
        meta.updated_at = self.now;
        meta.rev = rev;
        self.write_row(&after)?;
        self.audit(action, Some(before), &after)?;
        super::search::unindex(&self.tx, after.meta().id)?;
        super::search::index(&self.tx, &after)?;
        Ok(after)
    }

    pub(crate) fn live<T: RecordTable>(&self, id: Uuid) -> StoreResult<T> {
        let record = self.get_any::<T>(id)?.ok_or_else(|| not_found::<T>(id))?;
        if record.meta().deleted_at.is_some() {
            return Err(StoreError::Deleted {
                kind: T::KIND,
                id: id.to_string(),
            });
        }
        Ok(record)
    }

    fn write_row<T: RecordTable>(&mut self, record: &T) -> StoreResult<()> {
        let values = row_values(record);
        let sql = &table_sql::<T>(&mut self.sql).update;
        let changed = self
            .tx
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(values))?;
        if changed != 1 {
            return Err(not_found::<T>(record.meta().id));
        }
        Ok(())
    }
}

fn meta_values(meta: &RecordMeta) -> Vec<Value> {
    vec![
        Value::Text(meta.id.to_string()),
        Value::Text(meta.station_id.to_string()),
        Value::Text(format_time(&meta.created_at)),
        Value::Text(format_time(&meta.updated_at)),
        Value::Integer(meta.rev),
        meta.deleted_at
            .map(|t| Value::Text(format_time(&t)))
            .unwrap_or(Value::Null),
    ]
}

impl Store {
    /// A record that is not deleted.
    pub fn get<T: RecordTable>(&self, id: Uuid) -> StoreResult<Option<T>> {
        Ok(get_any::<T>(self.conn(), id)?.filter(|r| r.meta().deleted_at.is_none()))
    }

    /// A record, deleted or not.
    pub fn get_any<T: RecordTable>(&self, id: Uuid) -> StoreResult<Option<T>> {
        get_any::<T>(self.conn(), id)
    }

    pub fn insert<T: RecordTable>(&mut self, record: T) -> StoreResult<T> {
        self.write(|w| w.insert(record))
    }

    pub fn update<T: RecordTable + PartialEq>(&mut self, record: &T) -> StoreResult<T> {
        self.write(|w| w.update(record))
    }

    pub fn delete<T: RecordTable>(&mut self, id: Uuid) -> StoreResult<T> {
        self.write(|w| w.delete::<T>(id))
    }

    /// Soft-deletes the record `id` of `kind`, whichever kind it is (the desk's one delete).
    pub fn delete_kind(&mut self, kind: crate::domain::RecordKind, id: Uuid) -> StoreResult<()> {
        struct Delete<'a> {
            store: &'a mut Store,
            kind: crate::domain::RecordKind,
            id: Uuid,
        }
        impl super::kinds::KindVisitor for Delete<'_> {
            type Error = StoreError;
            fn visit<T: RecordTable>(&mut self) -> StoreResult<()> {
                if T::KIND == self.kind {
                    self.store.delete::<T>(self.id)?;
                }
                Ok(())
            }
        }
        super::kinds::each_kind(&mut Delete {
            store: self,
            kind,
            id,
        })
    }

    pub fn restore<T: RecordTable>(&mut self, id: Uuid) -> StoreResult<T> {
        self.write(|w| w.restore::<T>(id))
    }

    /// Every record version of a kind with `rev` above `after_rev`, in rev order (deleted
    /// ones included: a deletion is a change too).
    pub fn changed_since<T: RecordTable>(
        &self,
        after_rev: i64,
        limit: usize,
    ) -> StoreResult<Vec<T>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE rev > ?1 ORDER BY rev LIMIT ?2",
            T::select_list(),
            T::TABLE
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![after_rev, limit as i64], T::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The audit log of one record, oldest first, each change with the versions before and
    /// after it rebuilt from the record as it is now.
    pub fn history(&self, id: Uuid) -> StoreResult<Vec<AuditEntry>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, at, actor, action, kind, record_id, rev, changes
             FROM audit_log WHERE record_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([id.to_string()], audit_row)?
            .collect::<Result<Vec<_>, _>>()?;
        let Some(kind) = rows.first().map(|r| r.entry.kind.clone()) else {
            return Ok(Vec::new());
        };
        let current = super::audit::current_json(self.conn(), &kind, id)?;
        Ok(super::audit::rebuild(current, rows))
    }

    /// Every change with `from < rev <= to`, oldest first, as a bundle carries it: the changes
    /// behind the records of that range.
    pub fn each_history<E: From<super::StoreError>>(
        &self,
        from: i64,
        to: i64,
        each: &mut dyn FnMut(super::audit::HistoryLine) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT kind, record_id, rev, at, actor, action, changes
                 FROM audit_log WHERE rev > ?1 AND rev <= ?2 ORDER BY seq",
            )
            .map_err(super::StoreError::from)?;
        let mut rows = stmt
            .query(params![from, to])
            .map_err(super::StoreError::from)?;
        let mut n = 0u64;
        while let Some(row) = rows.next().map_err(super::StoreError::from)? {
            let read = |row: &Row<'_>| -> rusqlite::Result<super::audit::HistoryLine> {
                let changes: Option<String> = row.get(6)?;
                let fields = changes
                    .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                    .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
                    .unwrap_or_default();
                Ok(super::audit::HistoryLine {
                    kind: row.get(0)?,
                    id: row.get(1)?,
                    rev: row.get(2)?,
                    at: row.get(3)?,
                    actor: row.get(4)?,
                    action: row.get(5)?,
                    fields,
                })
            };
            each(read(row).map_err(super::StoreError::from)?)?;
            n += 1;
        }
        Ok(n)
    }

    pub fn audit_count(&self) -> StoreResult<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM audit_log", [], |row| row.get(0))?)
    }
}

fn audit_row(row: &Row<'_>) -> rusqlite::Result<super::audit::StoredRow> {
    let changes = row
        .get::<_, Option<String>>(7)?
        .map(|t| {
            serde_json::from_str(&t).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    7,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        })
        .transpose()?;
    Ok(super::audit::StoredRow {
        entry: AuditEntry {
            seq: row.get(0)?,
            at: parse_time(&row.get::<_, String>(1)?)?,
            actor: row.get(2)?,
            action: row.get(3)?,
            kind: row.get(4)?,
            record_id: parse_uuid(&row.get::<_, String>(5)?)?,
            rev: row.get(6)?,
            before: None,
            after: None,
            changes: None,
        },
        changes,
    })
}

//! The audit log, kept lean. Each row says who did what to which record, when, and at which
//! rev, and holds only the *previous* values of the fields that change altered (`changes`); an
//! insert holds none, since the record itself is its first version until it changes. A
//! record's versions are rebuilt backwards: the newest is the record as it is now, and each
//! row's previous values give the version before it. Records are never removed (a deletion is
//! a `deleted_at`), so the whole history of every record can always be rebuilt.

use rusqlite::{params, Connection, Transaction};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::error::StoreResult;
use super::kinds::{each_kind, KindVisitor};
use super::table::RecordTable;

/// A change as the audit log keeps it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: String,
    pub kind: String,
    pub record_id: Uuid,
    pub rev: i64,
    /// The version before the change (none for an insert), rebuilt from the log.
    pub before: Option<serde_json::Value>,
    /// The version the change wrote, rebuilt from the log.
    pub after: Option<serde_json::Value>,
    /// What the log keeps: the previous values of the fields the change altered.
    pub changes: Option<serde_json::Value>,
}

/// One change of a record as a bundle carries it to the county (`data/history.jsonl`): who,
/// when, what kind of change, and the names of the fields it altered — never their values, so
/// the line holds nothing of a resident's that the record itself does not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryLine {
    pub kind: String,
    pub id: String,
    /// The record's rev after the change.
    pub rev: i64,
    /// When, RFC 3339 as the log keeps it (UTC).
    pub at: String,
    /// Who was signed in (or `setup`, `system`).
    pub actor: String,
    /// `insert`, `update`, `delete` or `restore`.
    pub action: String,
    /// The fields the change altered (none for an insert).
    #[serde(default)]
    pub fields: Vec<String>,
}

/// A [`HistoryLine`] as read from a bundle, borrowing its text where it can (most lines have
/// no escapes): the county reads hundreds of thousands of them in one import.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct HistoryRef<'a> {
    #[serde(borrow)]
    pub kind: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub id: std::borrow::Cow<'a, str>,
    pub rev: i64,
    #[serde(borrow)]
    pub at: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub actor: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    pub action: std::borrow::Cow<'a, str>,
    #[serde(default, borrow)]
    pub fields: Vec<std::borrow::Cow<'a, str>>,
}

impl HistoryLine {
    /// The line as a county store takes it.
    pub fn as_ref(&self) -> HistoryRef<'_> {
        use std::borrow::Cow::Borrowed;
        HistoryRef {
            kind: Borrowed(&self.kind),
            id: Borrowed(&self.id),
            rev: self.rev,
            at: Borrowed(&self.at),
            actor: Borrowed(&self.actor),
            action: Borrowed(&self.action),
            fields: self.fields.iter().map(|f| Borrowed(f.as_str())).collect(),
        }
    }
}

/// The previous values of what changed from `before` to `after`, field by field; `None` for
/// an insert. A field the earlier version did not have is recorded as `null`.
pub(super) fn changes(before: Option<&Value>, after: &Value) -> Option<Value> {
    let before = before?;
    let empty = Map::new();
    let (b, a) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut previous = Map::new();
    for (key, old) in b {
        if a.get(key) != Some(old) {
            previous.insert(key.clone(), old.clone());
        }
    }
    for key in a.keys() {
        if !b.contains_key(key) {
            previous.insert(key.clone(), Value::Null);
        }
    }
    Some(Value::Object(previous))
}

/// The version before a change: the version after it with the change's previous values put
/// back.
fn undo(after: &Value, previous: &Value) -> Value {
    let mut before = after.clone();
    if let (Some(fields), Some(previous)) = (before.as_object_mut(), previous.as_object()) {
        for (key, old) in previous {
            fields.insert(key.clone(), old.clone());
        }
    }
    before
}

/// An audit row as stored: everything but the versions.
pub(super) struct StoredRow {
    pub entry: AuditEntry,
    pub changes: Option<Value>,
}

/// Fills in every row's versions before and after, oldest row first, from `current`, the
/// record as it is now.
pub(super) fn rebuild(current: Option<Value>, rows: Vec<StoredRow>) -> Vec<AuditEntry> {
    let mut version = current;
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(rows.len());
    for row in rows.into_iter().rev() {
        let mut entry = row.entry;
        entry.after = version.clone();
        entry.before = match (&row.changes, &version) {
            (Some(previous), Some(after)) if entry.action != "insert" => {
                Some(undo(after, previous))
            }
            _ => None,
        };
        entry.changes = row.changes;
        version = entry.before.clone();
        entries.push(entry);
    }
    entries.reverse();
    entries
}

/// The record of kind `kind` with `id` as it is now, deleted or not, as the audit log shows it.
pub(super) fn current_json(conn: &Connection, kind: &str, id: Uuid) -> StoreResult<Option<Value>> {
    struct Current<'c> {
        conn: &'c Connection,
        kind: &'c str,
        id: Uuid,
        found: Option<Value>,
    }
    impl KindVisitor for Current<'_> {
        type Error = super::StoreError;
        fn visit<T: RecordTable>(&mut self) -> StoreResult<()> {
            if self.found.is_none() && T::KIND.as_str() == self.kind {
                if let Some(record) = super::table::get_any::<T>(self.conn, self.id)? {
                    self.found = Some(serde_json::to_value(&record)?);
                }
            }
            Ok(())
        }
    }
    let mut current = Current {
        conn,
        kind,
        id,
        found: None,
    };
    each_kind(&mut current)?;
    Ok(current.found)
}

/// Migration: the audit log of full copies before and after each change becomes the lean one,
/// every row's previous values computed from the copies it held.
pub(super) fn lean_audit_log(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(
        "CREATE TABLE audit_log_lean (
             seq       INTEGER PRIMARY KEY,
             at        TEXT NOT NULL,
             actor     TEXT NOT NULL,
             action    TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
             kind      TEXT NOT NULL,
             record_id TEXT NOT NULL,
             rev       INTEGER NOT NULL,
             changes   TEXT
         );",
    )?;
    {
        let mut read = tx.prepare(
            "SELECT seq, at, actor, action, kind, record_id, rev, before, after
             FROM audit_log ORDER BY seq",
        )?;
        let mut write = tx.prepare(
            "INSERT INTO audit_log_lean (seq, at, actor, action, kind, record_id, rev, changes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let parse = |text: Option<String>| -> Option<Value> {
                text.and_then(|t| serde_json::from_str(&t).ok())
            };
            let before = parse(row.get(7)?);
            let after = parse(row.get(8)?).unwrap_or(Value::Null);
            let previous = changes(before.as_ref(), &after)
                .map(|v| serde_json::to_string(&v))
                .transpose()?;
            write.execute(params![
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
                row.get::<_, i64>(6)?,
                previous,
            ])?;
        }
    }
    tx.execute_batch(
        "DROP TABLE audit_log;
         ALTER TABLE audit_log_lean RENAME TO audit_log;
         CREATE INDEX audit_log_record ON audit_log (record_id, seq);",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changes_hold_the_previous_values_of_what_changed_only() {
        let before = json!({"name": "李秀兰", "phone": "1", "rev": 3});
        let after = json!({"name": "李秀兰", "phone": "2", "rev": 4, "new": true});
        assert_eq!(
            changes(Some(&before), &after),
            Some(json!({"phone": "1", "rev": 3, "new": null}))
        );
        assert_eq!(changes(None, &after), None);
        assert_eq!(undo(&after, &json!({"phone": "1", "rev": 3}))["phone"], "1");
    }

    #[test]
    fn the_migration_keeps_only_what_each_change_altered() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, at TEXT NOT NULL,
                 actor TEXT NOT NULL, action TEXT NOT NULL, kind TEXT NOT NULL,
                 record_id TEXT NOT NULL, rev INTEGER NOT NULL, before TEXT, after TEXT);
             INSERT INTO audit_log VALUES
                 (1, 't1', 'a', 'insert', 'member', 'x', 1, NULL, '{\"name\":\"李\",\"rev\":1}'),
                 (2, 't2', 'a', 'update', 'member', 'x', 2,
                  '{\"name\":\"李\",\"rev\":1}', '{\"name\":\"王\",\"rev\":2}');",
        )
        .unwrap();
        let tx = conn.transaction().unwrap();
        lean_audit_log(&tx).unwrap();
        tx.commit().unwrap();
        let rows: Vec<(String, Option<String>)> = conn
            .prepare("SELECT action, changes FROM audit_log ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows[0], ("insert".to_string(), None));
        let previous: Value = serde_json::from_str(rows[1].1.as_deref().unwrap()).unwrap();
        assert_eq!(previous, json!({"name": "李", "rev": 1}));
    }
}

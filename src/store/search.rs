//! The one search over everything: an FTS5 index that every searchable kind feeds through
//! [`RecordTable::search_entry`], kept in step by the shared record writer.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use uuid::Uuid;

use super::error::StoreResult;
use super::table::RecordTable;
use super::Store;
use crate::domain::search::{fts_query, index_text, kind_token};
use crate::domain::RecordKind;

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: Uuid,
    pub title: String,
    pub date: String,
    pub snippet: String,
}

/// Drops a record from the index.
pub(crate) fn unindex(conn: &Connection, id: Uuid) -> StoreResult<()> {
    let rowid: Option<i64> = conn
        .prepare_cached("SELECT rowid FROM search_doc WHERE record_id = ?1")?
        .query_row([id.to_string()], |row| row.get(0))
        .optional()?;
    if let Some(rowid) = rowid {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?
            .execute([rowid])?;
        conn.prepare_cached("DELETE FROM search_doc WHERE rowid = ?1")?
            .execute([rowid])?;
    }
    Ok(())
}

/// Adds a record to the index (a deleted record, or a kind without entries, adds nothing).
pub(crate) fn index<T: RecordTable>(conn: &Connection, record: &T) -> StoreResult<()> {
    if record.meta().deleted_at.is_some() {
        return Ok(());
    }
    let texts = record
        .typed_texts()
        .into_iter()
        .map(str::to_string)
        .collect();
    let entry = record.search_head().with_texts(texts);
    conn.prepare_cached(
        "INSERT INTO search_doc (record_id, kind, title, date, snippet) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        record.meta().id.to_string(),
        T::KIND.as_str(),
        entry.title,
        entry.date,
        entry.snippet
    ])?;
    let rowid = conn.last_insert_rowid();
    let body = format!("{} {}", index_text(&entry), kind_token(T::KIND.as_str()));
    conn.prepare_cached("INSERT INTO search_fts (rowid, body) VALUES (?1, ?2)")?
        .execute(params![rowid, body])?;
    Ok(())
}

/// The setting that says the index holds every record.
const INDEX_VERSION_KEY: &str = "search_index_version";
/// Raised when what is indexed changes: version 2 indexes every typed field of every kind.
const INDEX_VERSION: &str = "2";

impl Store {
    /// Searches every kind (or one), newest first. Chinese substrings of any length match, and
    /// names also by pinyin and initials. Soft-deleted records are never found.
    pub fn search(
        &self,
        typed: &str,
        kind: Option<RecordKind>,
        limit: usize,
    ) -> StoreResult<Vec<SearchHit>> {
        let Some(mut query) = fts_query(typed) else {
            return Ok(Vec::new());
        };
        if let Some(kind) = kind {
            query = format!("({query}) AND {}", kind_token(kind.as_str()));
        }
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.kind, d.record_id, d.title, d.date, d.snippet
             FROM search_fts AS f JOIN search_doc AS d ON d.rowid = f.rowid
             WHERE search_fts MATCH ?1
             ORDER BY f.rowid DESC
             LIMIT ?2",
        )?;
        let hits = stmt
            .query_map(params![query, limit as i64], |row| {
                let kind: String = row.get(0)?;
                Ok((
                    kind,
                    row.get::<_, String>(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<Result<Vec<(String, String, String, String, String)>, _>>()?;
        Ok(hits
            .into_iter()
            .filter_map(|(kind, id, title, date, snippet)| {
                Some(SearchHit {
                    kind: RecordKind::parse(&kind)?,
                    id: Uuid::parse_str(&id).ok()?,
                    title,
                    date,
                    snippet,
                })
            })
            .collect())
    }

    /// Builds the index from every record when it does not hold them yet (a database from
    /// before the index existed). Runs at open; a no-op afterwards.
    pub(crate) fn ensure_search_index(&mut self) -> StoreResult<()> {
        if self.setting(INDEX_VERSION_KEY)?.as_deref() == Some(INDEX_VERSION) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM search_fts", [])?;
        tx.execute("DELETE FROM search_doc", [])?;
        super::kinds::each_kind(&mut Reindex(&tx))?;
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [INDEX_VERSION_KEY, INDEX_VERSION],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Indexes every record of each kind visited.
struct Reindex<'a>(&'a Connection);

impl super::kinds::KindVisitor for Reindex<'_> {
    type Error = super::StoreError;
    fn visit<T: RecordTable>(&mut self) -> StoreResult<()> {
        reindex_all::<T>(self.0)
    }
}

fn reindex_all<T: RecordTable>(conn: &Connection) -> StoreResult<()> {
    let sql = format!(
        "SELECT {} FROM {} WHERE deleted_at IS NULL ORDER BY rev",
        T::select_list(),
        T::TABLE
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let record = T::read_row(row)?;
        index(conn, &record)?;
    }
    Ok(())
}

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

/// What a record is found by, as its station indexes it: the index text and its date.
pub fn entry_of<T: RecordTable>(record: &T) -> (String, String) {
    let texts = record
        .typed_texts()
        .into_iter()
        .map(str::to_string)
        .collect();
    let entry = record.search_head().with_texts(texts);
    (index_text(&entry), entry.date)
}

/// What a record as a bundle carries it (its kind and JSON) is found by at the county: the
/// text its station indexes (the same tokens, so the same queries find it) and the record's
/// date (`YYYY-MM-DD`, or empty). `None` for a kind or JSON this version cannot read.
pub fn bundle_entry(kind: &str, data: &str) -> Option<(String, String)> {
    struct Entry<'a> {
        kind: &'a str,
        data: &'a str,
        out: Option<(String, String)>,
    }
    impl super::kinds::KindVisitor for Entry<'_> {
        type Error = std::convert::Infallible;
        fn visit<T: RecordTable>(&mut self) -> Result<(), Self::Error> {
            if self.out.is_some() || T::KIND.as_str() != self.kind {
                return Ok(());
            }
            if let Ok(record) = serde_json::from_str::<T>(self.data) {
                self.out = Some(entry_of(&record));
            }
            Ok(())
        }
    }
    let mut entry = Entry {
        kind,
        data,
        out: None,
    };
    let Ok(()) = super::kinds::each_kind(&mut entry);
    entry.out
}

/// The setting that says the index holds every record.
const INDEX_VERSION_KEY: &str = "search_index_version";
/// Raised when what is indexed changes: version 2 indexes every typed field of every kind,
/// version 3 as bigrams (schema step 20 makes the table anew).
const INDEX_VERSION: &str = "3";

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
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT d.kind, d.record_id, d.title, d.date, d.snippet
             FROM search_fts AS f JOIN search_doc AS d ON d.rowid = f.rowid
             WHERE search_fts MATCH ?1
             ORDER BY f.rowid DESC
             LIMIT {}",
            limit.min(i64::MAX as usize)
        ))?;
        let hits = stmt
            .query_map(params![query], |row| {
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
    pub(crate) fn ensure_search_index(
        &mut self,
        at_step: &mut dyn FnMut(super::ConvertStep),
    ) -> StoreResult<()> {
        let found = self.setting(INDEX_VERSION_KEY)?;
        if found.as_deref() == Some(INDEX_VERSION) {
            return Ok(());
        }
        // A new file has no index to build again; one of an earlier version says so.
        let announce = found.is_some();
        if announce {
            at_step(super::ConvertStep::Reindexing);
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
        if announce {
            at_step(super::ConvertStep::Reindexed);
        }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use rusqlite::Connection;

    use crate::domain::search::{fts_query, index_text, SearchEntry};

    /// The index of version 2, before bigrams: every Chinese character a token of its own.
    fn per_character_text(texts: &[String]) -> String {
        let mut out = Vec::new();
        for text in texts {
            let mut word = String::new();
            for c in text.chars() {
                if c.is_ascii_alphanumeric() {
                    word.push(c.to_ascii_lowercase());
                    continue;
                }
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                if !c.is_ascii() && c.is_alphanumeric() {
                    out.push(c.to_string());
                }
            }
            if !word.is_empty() {
                out.push(word);
            }
        }
        out.join(" ")
    }

    /// Version 2's query: a run of characters the phrase of each of them.
    fn per_character_query(typed: &str) -> Option<String> {
        let mut parts = Vec::new();
        let mut run: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in typed.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphanumeric() {
                if !run.is_empty() {
                    parts.push(format!("\"{}\"", run.join(" ")));
                    run.clear();
                }
                word.push(c.to_ascii_lowercase());
                continue;
            }
            if !word.is_empty() {
                parts.push(format!("\"{}\"*", std::mem::take(&mut word)));
            }
            if !c.is_ascii() && c.is_alphanumeric() {
                run.push(c.to_string());
            } else if !run.is_empty() {
                parts.push(format!("\"{}\"", run.join(" ")));
                run.clear();
            }
        }
        (!parts.is_empty()).then(|| parts.join(" AND "))
    }

    fn found(conn: &Connection, table: &str, query: &str) -> BTreeSet<i64> {
        let mut stmt = conn
            .prepare(&format!("SELECT rowid FROM {table} WHERE {table} MATCH ?1"))
            .unwrap();
        stmt.query_map([query], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// Texts from a small alphabet, so that queries often hit: Chinese characters (some
    /// repeated, as 的 is), punctuation, Latin words and digits, across two fields.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                4 => prop::sample::select(vec!["的", "停", "车", "难", "物", "业", "水", "老", "旧"]),
                1 => prop::sample::select(vec!["，", "。", " ", "a", "b3", "Zs", "、"]),
            ],
            0..14,
        )
        .prop_map(|parts| parts.concat())
    }

    /// Texts whose letters have a case outside ASCII too: full-width, Greek.
    fn folding_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop::sample::select(vec![
                "停", "车", "的", "Ａ", "ａ", "Ｂ", "ｂ", "Σ", "σ", "Ω", "ω", "A", "a", "１", "，",
                " ", "ⅰ", "Ⅰ",
            ]),
            0..10,
        )
        .prop_map(|parts| parts.concat())
    }

    fn query() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                6 => prop::sample::select(vec!["的", "停", "车", "难", "物", "业", "水", "老", "旧"]),
                1 => prop::sample::select(vec!["，", " ", "a", "b", "zs"]),
            ],
            1..6,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The bigram index finds exactly what the per-character index found, for any text
        /// and any query, through SQLite's own FTS5 (the same table options as the desk's).
        #[test]
        fn bigrams_find_what_single_characters_found(
            records in proptest::collection::vec((text(), text()), 1..40),
            queries in proptest::collection::vec(query(), 1..20),
        ) {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(
                "CREATE VIRTUAL TABLE old USING fts5(body, content='', contentless_delete=1, tokenize='unicode61');
                 CREATE VIRTUAL TABLE new USING fts5(body, content='', contentless_delete=1, tokenize='unicode61');",
            )
            .unwrap();
            for (rowid, (a, b)) in records.iter().enumerate() {
                let texts = vec![a.clone(), b.clone()];
                let entry = SearchEntry { texts: texts.clone(), ..SearchEntry::default() };
                conn.execute(
                    "INSERT INTO old (rowid, body) VALUES (?1, ?2)",
                    rusqlite::params![rowid as i64, per_character_text(&texts)],
                )
                .unwrap();
                conn.execute(
                    "INSERT INTO new (rowid, body) VALUES (?1, ?2)",
                    rusqlite::params![rowid as i64, index_text(&entry)],
                )
                .unwrap();
            }
            for typed in &queries {
                let old = per_character_query(typed);
                let new = fts_query(typed);
                prop_assert_eq!(old.is_some(), new.is_some());
                if let (Some(old), Some(new)) = (old, new) {
                    prop_assert_eq!(
                        found(&conn, "old", &old),
                        found(&conn, "new", &new),
                        "query {:?}: {} against {}", typed, old, new
                    );
                }
            }
        }

        /// The county's index (FTS5's `ascii` tokenizer, which folds only ASCII) finds exactly
        /// what the station's (`unicode61`) finds over the same text, for any text and query,
        /// full-width and Greek capitals among them: the text comes folded from
        /// `domain::search`. (Accented Latin letters are the one difference: `unicode61`
        /// takes `é` for `e`, `ascii` keeps it.)
        #[test]
        fn the_ascii_tokenizer_finds_what_unicode61_finds(
            records in proptest::collection::vec((folding_text(), folding_text()), 1..40),
            queries in proptest::collection::vec(folding_text(), 1..20),
        ) {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch(
                "CREATE VIRTUAL TABLE station USING fts5(body, content='', contentless_delete=1, tokenize='unicode61');
                 CREATE VIRTUAL TABLE county USING fts5(body, content='', contentless_delete=1, tokenize='ascii');",
            )
            .unwrap();
            for (rowid, (a, b)) in records.iter().enumerate() {
                let entry = SearchEntry { texts: vec![a.clone(), b.clone()], ..SearchEntry::default() };
                for table in ["station", "county"] {
                    conn.execute(
                        &format!("INSERT INTO {table} (rowid, body) VALUES (?1, ?2)"),
                        rusqlite::params![rowid as i64, index_text(&entry)],
                    )
                    .unwrap();
                }
            }
            for typed in queries.iter().filter(|q| !q.trim().is_empty()) {
                if let Some(query) = fts_query(typed) {
                    prop_assert_eq!(
                        found(&conn, "station", &query),
                        found(&conn, "county", &query),
                        "query {:?}: {}", typed, query
                    );
                }
            }
        }
    }
}

//! The county store in one SQLite file, for a single office: WAL, `synchronous=FULL`, every
//! import in one `BEGIN IMMEDIATE` transaction (which holds every chain: SQLite has one
//! writer at a time, and a second importer waits for it).

use std::path::Path;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::schema::{self, STEPS};
use super::unlock::CountyUnlock;
use super::{
    Accepted, BundleRow, Chain, ChainTx, CountyStore, ImportOutcome, ImportWork, LogRow,
    StationRow, Stored,
};
use crate::bundle::BundleError;
use crate::store::StoreError;

/// Marks a SQLite file as a county database: "SDC1".
const COUNTY_APPLICATION_ID: i64 = 0x5344_4331;

/// Pages of WAL after which a commit copies it back into the file (16,384 × 4 KiB = 64 MB).
const WAL_CHECKPOINT_PAGES: i64 = 16_384;

fn sql(e: rusqlite::Error) -> BundleError {
    BundleError::Store(StoreError::from(e))
}

/// The columns of a change as [`history_line`] reads them.
const HISTORY_COLUMNS: &str = "kind, id, rev, at, actor, action, fields, bundle_seq";

/// A change of `county_history`, with the seq of the bundle that carried it.
fn history_line(r: &rusqlite::Row<'_>) -> rusqlite::Result<(crate::store::HistoryLine, u64)> {
    let fields: String = r.get(6)?;
    Ok((
        crate::store::HistoryLine {
            kind: r.get(0)?,
            id: r.get(1)?,
            rev: r.get(2)?,
            at: r.get(3)?,
            actor: r.get(4)?,
            action: r.get(5)?,
            fields: fields
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
        },
        r.get::<_, i64>(7)? as u64,
    ))
}

pub struct SqliteCounty {
    pub(super) conn: Connection,
}

impl SqliteCounty {
    /// As [`SqliteCounty::open_with`], saying nothing.
    #[cfg(test)]
    pub fn open(path: &Path, unlock: &CountyUnlock) -> Result<SqliteCounty, BundleError> {
        SqliteCounty::open_with(path, unlock, &mut || {})
    }

    /// Opens the county file with `unlock`, creating it (encrypted) if missing, converting a
    /// plain one of an earlier version, and bringing its schema up to date; `indexing` is
    /// called before the search index is filled (a file of an earlier version, once: about
    /// half a minute a million records).
    pub fn open_with(
        path: &Path,
        unlock: &CountyUnlock,
        indexing: &mut dyn FnMut(),
    ) -> Result<SqliteCounty, BundleError> {
        // A plain file of another program, or of a newer version, is refused from its header
        // before it is opened for writing or converted: nothing about it changes.
        if crate::store::file_state(path) == crate::store::FileState::Plain {
            crate::store::refuse_other_than(path, COUNTY_APPLICATION_ID, schema::latest())?;
        }
        let key = unlock.key_of(path)?;
        if crate::store::file_state(path) == crate::store::FileState::Missing {
            // Made for the county's office alone before SQLite writes into it (never
            // truncated: another importer may be making it at the same moment).
            match crate::files::create_private(path, true) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(BundleError::Io(path.display().to_string(), e)),
            }
        }
        let conn = crate::store::open_keyed(
            path,
            // One thread at a time uses a connection (rusqlite's own default): SQLite's lock
            // around every call is only a cost, and a dear one once the program has a second
            // thread (the report's sheets), when every lock is an atomic operation.
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            &key,
        )
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                BundleError::Store(StoreError::NotStationdesk {
                    path: path.to_path_buf(),
                })
            }
            _ => sql(e),
        })?;
        // Another program's encrypted file (a station's, opened by a passphrase both share),
        // or one of a newer version, is refused before anything is written into it.
        let app: i64 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(sql)?;
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(sql)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sql)?;
        let fresh = app == 0 && tables == 0;
        if !fresh && app != COUNTY_APPLICATION_ID {
            return Err(BundleError::Store(StoreError::NotStationdesk {
                path: path.to_path_buf(),
            }));
        }
        if version > schema::latest() {
            return Err(BundleError::Store(StoreError::NewerSchema {
                found: version,
                supported: schema::latest(),
            }));
        }
        conn.busy_timeout(super::sqlite_journal::BUSY)
            .map_err(sql)?;
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        // The WAL is copied back into the file once it holds 64 MB rather than SQLite's 4 MB:
        // an import writes the same pages (the search index's segments, the tables' upper
        // pages) bundle after bundle, and each copy decrypts and encrypts them again.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)
            .map_err(sql)?;
        let mut county = SqliteCounty { conn };
        county.migrate(version)?;
        super::search_index::build(&mut county.conn, indexing)?;
        Ok(county)
    }

    fn import_in_tx(&mut self, work: ImportWork<'_>) -> Result<ImportOutcome, BundleError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let outcome = work(&mut Tx { tx: &tx })?;
        tx.commit().map_err(sql)?;
        Ok(outcome)
    }

    /// Applies the steps the file lacks, each in its own transaction. The version is read
    /// again inside each step's transaction: another importer opening the same new file at
    /// the same moment may have taken the step already.
    fn migrate(&mut self, from: i64) -> Result<(), BundleError> {
        for (index, step) in STEPS.iter().enumerate().skip(from as usize) {
            let version = index as i64 + 1;
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(sql)?;
            let now: i64 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(sql)?;
            if now >= version {
                continue;
            }
            tx.execute_batch(step.sqlite).map_err(sql)?;
            tx.pragma_update(None, "application_id", COUNTY_APPLICATION_ID)
                .map_err(sql)?;
            tx.pragma_update(None, "user_version", version)
                .map_err(sql)?;
            tx.commit().map_err(sql)?;
        }
        Ok(())
    }
}

struct Tx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

impl ChainTx for Tx<'_> {
    fn chain(&mut self, station: &str) -> Result<Option<Chain>, BundleError> {
        self.tx
            .prepare_cached(
                "SELECT public_key, last_seq, last_manifest FROM county_station WHERE station_id = ?1",
            )
            .map_err(sql)?
            .query_row([station], |r| {
                Ok(Chain {
                    key: r.get(0)?,
                    last_seq: r.get::<_, i64>(1)? as u64,
                    last_manifest: r.get(2)?,
                })
            })
            .optional()
            .map_err(sql)
    }

    fn station_of_key(&mut self, key: &str) -> Result<Option<String>, BundleError> {
        self.tx
            .prepare_cached("SELECT code FROM county_station WHERE public_key = ?1")
            .map_err(sql)?
            .query_row([key], |r| r.get(0))
            .optional()
            .map_err(sql)
    }

    fn station_of_code(&mut self, code: &str) -> Result<Option<(String, String)>, BundleError> {
        self.tx
            .prepare_cached(
                "SELECT station_id, name FROM county_station WHERE code = ?1 AND successor IS NULL
                 ORDER BY station_id LIMIT 1",
            )
            .map_err(sql)?
            .query_row([code], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql)
    }

    fn retire(&mut self, old: &str, new: &str) -> Result<(), BundleError> {
        self.tx
            .execute(
                "UPDATE county_station SET successor = ?2 WHERE station_id = ?1",
                params![old, new],
            )
            .map_err(sql)?;
        Ok(())
    }

    fn log(&mut self, row: &LogRow) -> Result<(), BundleError> {
        self.tx
            .execute(
                "INSERT INTO county_log (at, event, station_code, detail) VALUES (?1, ?2, ?3, ?4)",
                params![row.at, row.event, row.station_code, row.detail],
            )
            .map_err(sql)?;
        Ok(())
    }

    fn history(
        &mut self,
        station: &str,
        seq: u64,
        line: &crate::store::HistoryRef<'_>,
    ) -> Result<(), BundleError> {
        self.tx
            .prepare_cached(
                "INSERT INTO county_history
                    (station_id, kind, id, rev, at, actor, action, fields, bundle_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT DO NOTHING",
            )
            .map_err(sql)?
            .execute(params![
                station,
                line.kind,
                line.id,
                line.rev,
                line.at,
                line.actor,
                line.action,
                line.fields.join(","),
                seq as i64
            ])
            .map_err(sql)?;
        Ok(())
    }

    fn bundle_manifest(
        &mut self,
        station: &str,
        seq: u64,
    ) -> Result<Option<(String, String)>, BundleError> {
        self.tx
            .prepare_cached(
                "SELECT manifest, imported_at FROM county_bundle WHERE station_id = ?1 AND seq = ?2",
            )
            .map_err(sql)?
            .query_row(params![station, seq as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(sql)
    }

    fn upsert(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
        rev: i64,
        deleted: bool,
        data: &str,
        entry: Option<&(String, String)>,
    ) -> Result<(), BundleError> {
        let before = self.tx.last_insert_rowid();
        self.tx
            .prepare_cached(
                "INSERT INTO county_record (station_id, kind, id, rev, deleted, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (station_id, kind, id) DO UPDATE SET
                    rev = excluded.rev, deleted = excluded.deleted, data = excluded.data
                 WHERE excluded.rev > county_record.rev",
            )
            .map_err(sql)?
            .execute(params![station, kind, id, rev, deleted, data])
            .map_err(sql)?;
        // A row inserted (not updated) moves the last rowid: the record is new here.
        let fresh = self.tx.last_insert_rowid() != before;
        if self.tx.changes() > 0 {
            let entry = super::index_entry(kind, data, deleted, entry);
            let entry = entry
                .as_deref()
                .map(|(body, date)| (body.as_str(), date.as_str()));
            super::search_index::index_record(self.tx, station, kind, id, entry, fresh)?;
        }
        Ok(())
    }

    fn accept(&mut self, b: &Accepted<'_>) -> Result<(), BundleError> {
        self.tx
            .execute(
                "INSERT INTO county_bundle (station_id, seq, manifest, created_at, imported_at, counts, quotas)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    b.station_id,
                    b.seq as i64,
                    b.manifest_sha256,
                    b.created_at,
                    b.imported_at,
                    b.counts,
                    b.quotas
                ],
            )
            .map_err(sql)?;
        self.tx
            .execute(
                "INSERT INTO county_station (station_id, code, name, public_key, last_seq, last_manifest, last_bundle_at, town)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (station_id) DO UPDATE SET code = excluded.code, name = excluded.name,
                    last_seq = excluded.last_seq, last_manifest = excluded.last_manifest,
                    last_bundle_at = excluded.last_bundle_at, town = excluded.town",
                params![
                    b.station_id,
                    b.code,
                    b.name,
                    b.key,
                    b.seq as i64,
                    b.manifest_sha256,
                    b.created_at,
                    b.town
                ],
            )
            .map_err(sql)?;
        Ok(())
    }
}

impl CountyStore for SqliteCounty {
    fn import_tx(
        &mut self,
        _station: &str,
        _key: &str,
        records: u64,
        work: ImportWork<'_>,
    ) -> Result<ImportOutcome, BundleError> {
        // 28 MB of pages while an import runs: its transaction (records, history, the search
        // index's segments) then stays in memory until its commit instead of spilling to the
        // WAL and being read back and decrypted again. The desk's reads keep SQLite's 2 MB.
        // (With the search index's 4 MB of pending tokens, an import stays under 100 MB.)
        self.conn
            .pragma_update(None, "cache_size", -28_672)
            .map_err(sql)?;
        // A large import alone writes its pages once, through a rollback journal.
        let journal = super::sqlite_journal::for_import(&self.conn, records);
        let outcome = self.import_in_tx(work);
        if journal {
            super::sqlite_journal::after_import(&self.conn);
        }
        self.conn
            .pragma_update(None, "cache_size", -2_000)
            .map_err(sql)?;
        outcome
    }

    fn stations(&mut self) -> Result<Vec<StationRow>, BundleError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT station_id, code, name, last_seq, last_bundle_at, successor, town
                 FROM county_station ORDER BY code, station_id",
            )
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(StationRow {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    name: r.get(2)?,
                    last_seq: r.get(3)?,
                    last_bundle_at: r.get(4)?,
                    successor: r.get(5)?,
                    town: r.get(6)?,
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        Ok(rows)
    }

    fn each_table_row(
        &mut self,
        table: &str,
        columns: &[&str],
        since: Option<(&str, &str)>,
        each: super::EachTableRow<'_>,
    ) -> Result<(), BundleError> {
        super::sqlite_tables::each_table_row(&self.conn, table, columns, since, each)
    }

    fn report_count(&mut self, table: &str) -> Result<Option<u64>, BundleError> {
        super::sqlite_tables::report_count(&mut self.conn, table)
    }

    fn index_column(&mut self, table: &str, column: &str) -> Result<(), BundleError> {
        super::sqlite_tables::index_column(&self.conn, table, column)
    }

    fn nth_greatest(
        &mut self,
        table: &str,
        column: &str,
        n: u64,
    ) -> Result<Option<String>, BundleError> {
        super::sqlite_tables::nth_greatest(&mut self.conn, table, column, n)
    }

    fn each_report_row(
        &mut self,
        table: &str,
        rows: &super::ReportRows,
        each: &mut dyn FnMut(&[&str]) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        super::sqlite_tables::each_report_row(&mut self.conn, table, rows, each)
    }

    fn report_table(
        &mut self,
        table: &str,
        station: Option<&str>,
    ) -> Result<Option<super::desk::ReportTable>, BundleError> {
        super::sqlite_tables::report_table(&mut self.conn, table, station)
    }

    fn search(
        &mut self,
        typed: &str,
        stations: Option<&[String]>,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
        limit: usize,
    ) -> Result<super::Searched, BundleError> {
        super::search_index::search(&self.conn, typed, stations, period, limit)
    }

    fn history_of(
        &mut self,
        station: &str,
        id: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {HISTORY_COLUMNS} FROM county_history WHERE station_id = ?1 AND id = ?2
                 ORDER BY rev"
            ))
            .map_err(sql)?
            .query_map(params![station, id], history_line)
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)
    }

    fn each_history(
        &mut self,
        station: &str,
        each: &mut dyn FnMut(crate::store::HistoryLine, u64) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        let mut statement = self
            .conn
            .prepare_cached(&format!(
                "SELECT {HISTORY_COLUMNS} FROM county_history WHERE station_id = ?1 ORDER BY id, rev"
            ))
            .map_err(sql)?;
        let rows = statement
            .query_map(params![station], history_line)
            .map_err(sql)?;
        for row in rows {
            let (line, seq) = row.map_err(sql)?;
            each(line, seq)?;
        }
        Ok(())
    }

    fn has_history(&mut self, station: &str) -> Result<bool, BundleError> {
        self.conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM county_history WHERE station_id = ?1)")
            .map_err(sql)?
            .query_row([station], |r| r.get(0))
            .map_err(sql)
    }

    fn add_topic(&mut self, topic: &super::hot::CountyTopic) -> Result<(), BundleError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        tx.execute(
            "INSERT INTO county_topic (id, title, category, period, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                topic.id,
                topic.title,
                topic.category,
                topic.period,
                topic.created_at
            ],
        )
        .map_err(sql)?;
        for (station, intake) in &topic.requests {
            tx.execute(
                "INSERT OR IGNORE INTO county_topic_request (topic_id, station_id, intake_id)
                 VALUES (?1, ?2, ?3)",
                params![topic.id, station, intake],
            )
            .map_err(sql)?;
        }
        tx.commit().map_err(sql)
    }

    fn topics(&mut self) -> Result<Vec<super::hot::CountyTopic>, BundleError> {
        let mut topics: Vec<super::hot::CountyTopic> = self
            .conn
            .prepare(
                "SELECT id, title, category, period, created_at FROM county_topic
                 ORDER BY created_at DESC, id DESC",
            )
            .map_err(sql)?
            .query_map([], |r| {
                Ok(super::hot::CountyTopic {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    category: r.get(2)?,
                    period: r.get(3)?,
                    created_at: r.get(4)?,
                    requests: Vec::new(),
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT station_id, intake_id FROM county_topic_request WHERE topic_id = ?1
                 ORDER BY intake_id DESC",
            )
            .map_err(sql)?;
        for topic in &mut topics {
            topic.requests = stmt
                .query_map([&topic.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(sql)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(sql)?;
        }
        Ok(topics)
    }

    fn log_rows(&mut self) -> Result<Vec<LogRow>, BundleError> {
        let mut stmt = self
            .conn
            .prepare("SELECT at, event, station_code, detail FROM county_log ORDER BY rowid")
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok(LogRow {
                    at: r.get(0)?,
                    event: r.get(1)?,
                    station_code: r.get(2)?,
                    detail: r.get(3)?,
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        Ok(rows)
    }

    fn record(
        &mut self,
        station: &str,
        kind: &str,
        id: &str,
    ) -> Result<Option<String>, BundleError> {
        self.conn
            .prepare_cached(
                "SELECT data FROM county_record WHERE station_id = ?1 AND kind = ?2 AND id = ?3",
            )
            .map_err(sql)?
            .query_row(params![station, kind, id], |r| r.get(0))
            .optional()
            .map_err(sql)
    }

    fn bundles_of(&mut self, station: &str) -> Result<(String, Vec<BundleRow>), BundleError> {
        let key: String = self
            .conn
            .query_row(
                "SELECT public_key FROM county_station WHERE station_id = ?1",
                [station],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?
            .unwrap_or_default();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, manifest, created_at, imported_at, counts, quotas FROM county_bundle
                 WHERE station_id = ?1 ORDER BY seq",
            )
            .map_err(sql)?;
        let rows = stmt
            .query_map([station], |r| {
                Ok(BundleRow {
                    seq: r.get::<_, i64>(0)? as u64,
                    manifest: r.get(1)?,
                    created_at: r.get(2)?,
                    imported_at: r.get(3)?,
                    counts: r.get(4)?,
                    quotas: r.get(5)?,
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        Ok((key, rows))
    }

    fn station_page(
        &mut self,
        kind: &str,
        station: &str,
        after: &str,
        limit: usize,
    ) -> Result<Vec<Stored>, BundleError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, data FROM county_record
                 WHERE station_id = ?1 AND kind = ?2 AND id > ?3
                 ORDER BY id LIMIT ?4",
            )
            .map_err(sql)?;
        let rows = stmt
            .query_map(params![station, kind, after, limit as i64], |r| {
                Ok(Stored {
                    id: r.get(0)?,
                    data: r.get(1)?,
                })
            })
            .map_err(sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql)?;
        Ok(rows)
    }

    fn begin_rows(&mut self, records: u64) -> Result<(), BundleError> {
        // Written once through a rollback journal when large and alone, as an import.
        super::sqlite_journal::for_import(&self.conn, records);
        let begun = self.conn.execute_batch("BEGIN IMMEDIATE").map_err(sql);
        if begun.is_err() {
            super::sqlite_journal::after_import(&self.conn);
        }
        begun
    }

    fn end_rows(&mut self, keep: bool) -> Result<(), BundleError> {
        let ended = if self.conn.is_autocommit() {
            Ok(())
        } else if keep {
            let committed = self.conn.execute_batch("COMMIT").map_err(sql);
            if committed.is_err() && !self.conn.is_autocommit() {
                // A commit that failed and left the transaction open is ended; the commit's
                // error is the one to report.
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            committed
        } else {
            self.conn.execute_batch("ROLLBACK").map_err(sql)
        };
        // Back to the WAL if `begin_rows` left it (the file's own mode says so).
        super::sqlite_journal::after_import(&self.conn);
        ended
    }

    fn replace_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError> {
        super::sqlite_tables::replace_rows(&mut self.conn, table, columns, station, rows)
    }

    fn append_rows(
        &mut self,
        table: &str,
        columns: &[String],
        station: &str,
        rows: &[Vec<String>],
    ) -> Result<(), BundleError> {
        super::sqlite_tables::append_rows(&mut self.conn, table, columns, station, rows)
    }
}

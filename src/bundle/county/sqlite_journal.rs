//! How a SQLite county file keeps a large import: through a rollback journal instead of its
//! WAL, when nobody else has the file open.
//!
//! In WAL mode every page an import writes goes to the WAL first and into the file at the
//! next checkpoint: twice, and the WAL of one transaction cannot be copied back before its
//! commit, so a station's million records (2.4 GB of pages) needed 2.4 GB of WAL beside the
//! file as well. The WAL's frames (a header and a page) do not start on the disk's pages
//! either, so the kernel reads or clears every page they straddle. With a rollback journal,
//! pages are written into the file once, and the journal keeps only the pages the
//! transaction changes that were already in the file (for a new station, few): a power cut
//! or a kill leaves a journal that SQLite plays back at the next open, so the file is as it
//! was before the import, as in WAL mode. Measured in docs/performance.md ("Speed, sixth
//! round"): the 1M bundle's import 0.75× the time.
//!
//! The cost: while such an import writes, nobody else can read the file (in WAL mode readers
//! go on beside the writer). So the journal is changed only when no other connection has the
//! file open at that moment (leaving WAL mode needs that, and is asked without waiting), and
//! only for an import of at least [`BULK_RECORDS`] records; a small one keeps its one
//! append and sync to the WAL. Afterwards the file goes back to WAL mode (asked without
//! waiting as well: if another program has opened it meanwhile, it stays in rollback mode
//! until the next open, which makes every county file WAL again).

use std::time::Duration;

use rusqlite::Connection;

/// Records from which an import is kept through a rollback journal (a year of a large
/// station; the 1,100 records of a station's month stay in the WAL).
pub(super) const BULK_RECORDS: u64 = 10_000;

/// How long a connection waits for another's lock (the county's usual patience).
pub(super) const BUSY: Duration = Duration::from_secs(60);

/// The journal mode of `conn`'s file, in lower case (`wal`, `truncate`).
pub(super) fn mode(conn: &Connection) -> rusqlite::Result<String> {
    conn.pragma_query_value(None, "journal_mode", |r| r.get::<_, String>(0))
        .map(|m| m.to_ascii_lowercase())
}

/// Asks for the journal mode `wanted` without waiting for anyone; the mode the file is in
/// afterwards (the one it was in when another connection had it open).
fn switch(conn: &Connection, wanted: &str) -> String {
    // A mode that cannot be read is "" — no mode asked for — so nothing is taken as switched.
    let was = mode(conn).unwrap_or_default();
    if conn.busy_timeout(Duration::ZERO).is_err() {
        return was;
    }
    let now = conn
        .pragma_update_and_check(None, "journal_mode", wanted, |r| r.get::<_, String>(0))
        .map(|m| m.to_ascii_lowercase())
        .unwrap_or(was);
    // Setting the wait only installs SQLite's busy handler; it has no failure to report
    // that the mode asked for would not already have met.
    let _ = conn.busy_timeout(BUSY);
    now
}

/// Puts the file in rollback-journal mode for an import of `records` records, when it is
/// large enough and nobody else has the file open; whether it did.
pub(super) fn for_import(conn: &Connection, records: u64) -> bool {
    records >= BULK_RECORDS && switch(conn, "TRUNCATE") == "truncate"
}

/// Puts the file back in WAL mode after [`for_import`] (when nobody opened it meanwhile);
/// nothing when it is in WAL mode, as when [`for_import`] did not change it.
pub(super) fn after_import(conn: &Connection) {
    if mode(conn).map_or(true, |m| m != "wal") {
        switch(conn, "WAL");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn open(path: &std::path::Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.busy_timeout(BUSY).unwrap();
        conn
    }

    #[test]
    fn a_large_import_alone_goes_through_a_journal_and_back_to_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("c.db"));
        conn.execute_batch("CREATE TABLE t (x)").unwrap();
        assert!(!for_import(&conn, BULK_RECORDS - 1));
        assert_eq!(mode(&conn).unwrap(), "wal");
        assert!(for_import(&conn, BULK_RECORDS));
        assert_eq!(mode(&conn).unwrap(), "truncate");
        conn.execute_batch("INSERT INTO t VALUES (1)").unwrap();
        after_import(&conn);
        assert_eq!(mode(&conn).unwrap(), "wal");
    }

    #[test]
    fn a_file_another_connection_has_open_stays_in_wal_mode_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.db");
        let conn = open(&path);
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        let reader = open(&path);
        let n: i64 = reader
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let asked = std::time::Instant::now();
        assert!(!for_import(&conn, BULK_RECORDS * 100));
        // Without waiting the 60 s a busy file would otherwise be waited for.
        assert!(asked.elapsed() < Duration::from_secs(30));
        assert_eq!(mode(&conn).unwrap(), "wal");
        // The connection waits for others again.
        conn.execute_batch("INSERT INTO t VALUES (2)").unwrap();
        drop(reader);
        assert!(for_import(&conn, BULK_RECORDS));
        // Another program that opens the file during the import reads it in WAL mode after.
        let other = Connection::open(&path).unwrap();
        conn.execute_batch("INSERT INTO t VALUES (3)").unwrap();
        after_import(&conn);
        assert_eq!(mode(&conn).unwrap(), "wal");
        let n: i64 = other
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
        assert_eq!(mode(&other).unwrap(), "wal");
    }
}

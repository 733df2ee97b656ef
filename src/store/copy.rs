//! The copy a backup is made of: one consistent snapshot of a database, written into a new
//! file, either as the file's bytes (when the file alone holds the snapshot) or page by page
//! through SQLite's backup API.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::error::{StoreError, StoreResult};
use super::keys::FileKey;
use crate::files::beside;

pub(super) fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether a running backup was asked to stop. Asking while no backup runs does nothing, as
/// SQLite's interrupt does nothing while no statement runs.
#[derive(Default)]
pub struct Cancel(std::sync::Mutex<CancelState>);

#[derive(Default)]
struct CancelState {
    running: bool,
    asked: bool,
}

impl Cancel {
    pub(super) fn cancel(&self) {
        if let Ok(mut state) = self.0.lock() {
            state.asked = state.running;
        }
    }

    pub(super) fn start(&self) {
        if let Ok(mut state) = self.0.lock() {
            *state = CancelState {
                running: true,
                asked: false,
            };
        }
    }

    pub(super) fn asked(&self) -> bool {
        self.0.lock().map(|state| state.asked).unwrap_or(false)
    }

    pub(super) fn finish(&self) {
        if let Ok(mut state) = self.0.lock() {
            *state = CancelState::default();
        }
    }
}

/// Pages copied per step of a backup: between steps, a request to stop is heard.
const PAGES_PER_STEP: std::os::raw::c_int = 256;

/// Ends the backup's read transaction, whatever stopped it (an interrupt may stop the first
/// try too): the connection goes on working afterwards.
fn end_read(source: &Connection) {
    for _ in 0..100 {
        if source.is_autocommit() {
            return;
        }
        let _ = source.execute_batch("ROLLBACK");
    }
}

/// Copies `source` into the new file at `target` with SQLite's backup API, from one read
/// transaction: the copy is one consistent snapshot, the desk goes on saving meanwhile (WAL),
/// and it never restarts. Stops between steps when `cancel` is asked.
pub(super) fn copy_pages(
    source: &Connection,
    target: &Path,
    key: Option<&FileKey>,
    cancel: &Cancel,
) -> StoreResult<()> {
    use rusqlite::backup::{Backup, StepResult};
    if copy_file_bytes(source, target, cancel)? {
        let copy = match key {
            Some(key) => super::cipher::open_keyed(target, OpenFlags::default(), key)?,
            None => Connection::open(target)?,
        };
        // The copy is a single self-contained file, not a WAL database.
        copy.pragma_update(None, "journal_mode", "DELETE")?;
        return Ok(());
    }
    let mut copy = Connection::open(target)?;
    // The copy of an encrypted file is encrypted with the same key, page by page.
    if let Some(key) = key {
        super::cipher::keying(|| copy.execute_batch(&key.pragma("main")))?;
    }
    // No journal and no syncs while copying: the copy is a `.partial` until it is whole,
    // checked and synced once, and a copy cut short is removed, never used.
    copy.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    // The snapshot: a read transaction held across every step.
    let copied = (|| {
        source.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;")?;
        let backup = Backup::new(source, &mut copy)?;
        loop {
            if cancel.asked() {
                return Err(StoreError::Cancelled);
            }
            match backup.step(PAGES_PER_STEP)? {
                StepResult::Done => return Ok(()),
                StepResult::More => {}
                StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(std::time::Duration::from_millis(20))
                }
                _ => {}
            }
        }
    })();
    end_read(source);
    copied?;
    // The copy is a single self-contained file, not a WAL database.
    copy.pragma_update(None, "journal_mode", "DELETE")?;
    Ok(())
}

/// Bytes copied between two looks at whether the backup was asked to stop.
const BYTES_PER_STEP: u64 = 8 << 20;

/// Copies the database's file as it lies on disk into `target` (an empty file), when the file
/// alone holds one consistent snapshot: after a checkpoint that emptied the WAL, from inside a
/// read transaction begun on an empty WAL. While that transaction is open no checkpoint
/// writes into the file (SQLite's WAL locks), so every byte read is of the snapshot; the desk
/// goes on saving into the WAL meanwhile. The pages stay encrypted as they are (no page is
/// decrypted and encrypted again: a third of the time of a page copy).
///
/// Returns `false`, having copied nothing, when that cannot be had: the WAL holds frames (a
/// desk writing, a read-only connection that cannot checkpoint), the connection has no file,
/// or the file cannot be read as bytes (Windows refuses reads of the byte range SQLite
/// locks); the page copy of SQLite's backup API then runs instead.
fn copy_file_bytes(source: &Connection, target: &Path, cancel: &Cancel) -> StoreResult<bool> {
    use std::io::{Read, Seek};
    let Some(db) = source.path().filter(|p| !p.is_empty()).map(PathBuf::from) else {
        return Ok(false);
    };
    // Everything of the WAL into the file and the WAL emptied, without waiting: a checkpoint
    // that waits for readers holds off the desk's saves meanwhile. A busy desk or a read-only
    // connection cannot: what the WAL holds afterwards says whether it worked.
    let waits: i64 = source.pragma_query_value(None, "busy_timeout", |r| r.get(0))?;
    source.pragma_update(None, "busy_timeout", 0)?;
    let _ = source.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    source.pragma_update(None, "busy_timeout", waits)?;
    source.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM sqlite_master;")?;
    let copied = (|| -> StoreResult<bool> {
        let wal_empty = match fs::metadata(beside(&db, "-wal")) {
            Ok(meta) => meta.len() == 0,
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        };
        if !wal_empty {
            return Ok(false);
        }
        let Ok(mut from) = fs::File::open(&db) else {
            return Ok(false);
        };
        let mut to = fs::OpenOptions::new()
            .write(true)
            .open(target)
            .map_err(|e| io_error(target, e))?;
        loop {
            if cancel.asked() {
                return Err(StoreError::Cancelled);
            }
            match std::io::copy(&mut (&mut from).take(BYTES_PER_STEP), &mut to) {
                Ok(0) => return Ok(true),
                Ok(_) => {}
                // A read refused, or a write: the page copy tries again from the start, and
                // says what stops it.
                Err(_) => {
                    let reset = to.set_len(0).and_then(|()| to.rewind());
                    return reset.map(|()| false).map_err(|e| io_error(target, e));
                }
            }
        }
    })();
    end_read(source);
    copied
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_file(dir: &Path, key: Option<&FileKey>) -> (PathBuf, Connection) {
        let path = dir.join("source.db");
        let conn = match key {
            Some(key) => super::super::cipher::open_keyed(&path, OpenFlags::default(), key),
            None => Connection::open(&path),
        }
        .unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO t (body) SELECT printf('第%d条 %s', i, hex(randomblob(200))) FROM n;",
        )
        .unwrap();
        (path, conn)
    }

    fn count(path: &Path, key: Option<&FileKey>) -> i64 {
        let conn = match key {
            Some(key) => super::super::cipher::open_keyed(path, OpenFlags::default(), key),
            None => Connection::open(path),
        }
        .unwrap();
        conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_encrypted_file_is_copied_as_its_bytes_when_its_wal_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let key = FileKey::generate();
        let (path, conn) = wal_file(dir.path(), Some(&key));
        let target = dir.path().join("copy.db");
        fs::File::create(&target).unwrap();
        let cancel = Cancel::default();
        assert!(copy_file_bytes(&conn, &target, &cancel).unwrap());
        assert!(conn.is_autocommit(), "the read transaction is ended");
        // The bytes of the file as they were, nothing decrypted on the way.
        assert_eq!(fs::read(&target).unwrap(), fs::read(&path).unwrap());
        assert_eq!(count(&target, Some(&key)), 3000);
        // And the backup's copy of it is the same rows, in a file of its own (no WAL).
        let backup = dir.path().join("copied.sqlite");
        fs::File::create(&backup).unwrap();
        copy_pages(&conn, &backup, Some(&key), &cancel).unwrap();
        assert_eq!(count(&backup, Some(&key)), 3000);
        assert!(!beside(&backup, "-wal").exists());
    }

    #[test]
    fn a_wal_another_reader_holds_is_not_copied_as_bytes_and_the_pages_are() {
        let dir = tempfile::tempdir().unwrap();
        let (path, conn) = wal_file(dir.path(), None);
        // A reader holding a snapshot keeps the WAL from being emptied.
        let reader = Connection::open(&path).unwrap();
        reader
            .execute_batch("BEGIN; SELECT count(*) FROM t;")
            .unwrap();
        conn.execute("INSERT INTO t (body) VALUES ('新的一条')", [])
            .unwrap();
        let target = dir.path().join("copy.db");
        fs::File::create(&target).unwrap();
        let cancel = Cancel::default();
        assert!(!copy_file_bytes(&conn, &target, &cancel).unwrap());
        assert_eq!(fs::metadata(&target).unwrap().len(), 0);
        copy_pages(&conn, &target, None, &cancel).unwrap();
        assert_eq!(count(&target, None), 3001);
        reader.execute_batch("COMMIT").unwrap();
    }

    /// What the copy of the bytes rests on: while a read transaction begun on an empty WAL is
    /// open, another connection's saves and checkpoints leave the database file as it was.
    #[test]
    fn saves_and_checkpoints_do_not_touch_the_file_under_an_open_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let (path, conn) = wal_file(dir.path(), None);
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;")
            .unwrap();
        assert_eq!(fs::metadata(beside(&path, "-wal")).unwrap().len(), 0);
        let before = fs::read(&path).unwrap();
        let desk = Connection::open(&path).unwrap();
        desk.busy_timeout(std::time::Duration::ZERO).unwrap();
        for round in 0..3 {
            // Past the 1,000 pages of an automatic checkpoint.
            desk.execute_batch(&format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
                 INSERT INTO t (body) SELECT printf('%d-%d %s', {round}, i, hex(randomblob(800)))
                 FROM n;"
            ))
            .unwrap();
            // Refused (busy) or partial under the snapshot: what they write is what counts.
            let _ = desk.query_row("PRAGMA wal_checkpoint(FULL)", [], |_| Ok(()));
            let _ = desk.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
        assert!(fs::read(&path).unwrap() == before);
        end_read(&conn);
        // Afterwards the saves reach the file.
        desk.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        assert!(fs::read(&path).unwrap() != before);
        assert_eq!(count(&path, None), 6_000);
    }
}

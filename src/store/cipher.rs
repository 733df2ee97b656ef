//! The encrypted station file: how a connection is given its key, which files are still plain
//! (of an earlier version), and the conversion of a plain file into an encrypted one.
//!
//! SQLCipher 4 with its defaults (`cipher_compatibility = 4`): AES-256-CBC per 4096-byte page,
//! HMAC-SHA512 over each page, a random 16-byte salt at the start of the file (no plaintext
//! header: nothing of the file, its `-wal` or a backup reads as SQLite). The key is given raw
//! (`PRAGMA key = "x'…'"`), so SQLCipher's PBKDF2 does not run on open; the passphrase's cost
//! is paid once, in the slot (see `keys.rs`). Settings kept: none changed from SQLCipher 4's
//! defaults, which the `cipher_settings` test pins.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::error::{StoreError, StoreResult};
use super::keys::FileKey;
use super::keys::{keys_path, Slots, Unlock};
use crate::files::beside;
use rusqlite::OpenFlags;

/// What a file on disk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    /// No file, or an empty one (a first run that stopped before writing).
    Missing,
    /// A plain SQLite file: an earlier version's station file or backup.
    Plain,
    /// Anything else: an encrypted file (or not a database at all, which the key tells).
    Encrypted,
}

/// Reads the first 16 bytes of `path`.
pub fn file_state(path: &Path) -> FileState {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileState::Missing,
        // Unreadable: opening it says why.
        Err(_) => return FileState::Encrypted,
    };
    let mut header = [0u8; 16];
    match file.read(&mut header) {
        Ok(0) => FileState::Missing,
        Ok(16) if &header == b"SQLite format 3\0" => FileState::Plain,
        _ => FileState::Encrypted,
    }
}

/// Gives a connection just opened its key (the first statement it runs) and checks that the
/// key opens the file: a wrong key, or a file that is no database, is `NotADatabase` here.
pub(crate) fn give_key(conn: &Connection, key: &FileKey) -> rusqlite::Result<()> {
    // SQLCipher's setting of a key is not safe to run on two connections at once: under load
    // one of two threads keying at the same moment got "An error occurred with PRAGMA key"
    // (seen in the test suite, about one run in five). One at a time, process-wide; it takes
    // microseconds with a raw key.
    keying(|| conn.execute_batch(&key.pragma("main")))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(())
}

/// Opens `path` with `flags` and gives the connection `key`. SQLCipher now and then refuses a
/// key on a connection just opened while other threads open and close keyed connections
/// ("An error occurred with PRAGMA key", never logged by SQLCipher; seen about once in a dozen
/// runs of the test suite, whose tests open hundreds of files at once, never with one thread):
/// the connection is then opened afresh, up to four times. A wrong key or a file that is not
/// a database is not tried again.
pub(crate) fn open_keyed(
    path: impl AsRef<Path>,
    flags: OpenFlags,
    key: &FileKey,
) -> rusqlite::Result<Connection> {
    let mut tries = 0;
    loop {
        let conn = Connection::open_with_flags(path.as_ref(), flags)?;
        match give_key(&conn, key) {
            Ok(()) => return Ok(conn),
            Err(e) if tries < 4 && refused_key(&e) => {
                tries += 1;
                drop(conn);
                std::thread::sleep(std::time::Duration::from_millis(5 * tries));
            }
            Err(e) => return Err(e),
        }
    }
}

/// SQLCipher's refusal of `PRAGMA key` itself (not a wrong key, which reads as
/// `NotADatabase` afterwards).
fn refused_key(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(rusqlite::ErrorCode::Unknown)
        && error.to_string().contains("PRAGMA key")
}

/// Runs `work` (a `PRAGMA key`, an `ATTACH … KEY`) while no other connection of the process
/// sets a key.
pub(crate) fn keying<R>(work: impl FnOnce() -> R) -> R {
    static KEYING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = KEYING.lock().unwrap_or_else(|e| e.into_inner());
    work()
}

/// The steps of a conversion, in order, for the tests that stop the program at each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConvertStep {
    /// The plain file's WAL is checkpointed into it.
    Checkpointed,
    /// The verified backup of the plain file is made.
    BackedUp,
    /// The keys file is written.
    KeysWritten,
    /// The encrypted copy is written beside the file (`<db>.encrypting`).
    Copied,
    /// The copy is checked and synced.
    Verified,
    /// The copy has replaced the plain file.
    Replaced,
    /// Not a step of the conversion: the search index of an earlier version is being built
    /// anew (a minute at a million records), so a program can say so before it waits.
    Reindexing,
    /// The search index is built.
    Reindexed,
}

impl ConvertStep {
    pub const ALL: [ConvertStep; 6] = [
        ConvertStep::Checkpointed,
        ConvertStep::BackedUp,
        ConvertStep::KeysWritten,
        ConvertStep::Copied,
        ConvertStep::Verified,
        ConvertStep::Replaced,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ConvertStep::Checkpointed => "checkpointed",
            ConvertStep::BackedUp => "backed-up",
            ConvertStep::KeysWritten => "keys-written",
            ConvertStep::Copied => "copied",
            ConvertStep::Verified => "verified",
            ConvertStep::Replaced => "replaced",
            ConvertStep::Reindexing => "reindexing",
            ConvertStep::Reindexed => "reindexed",
        }
    }
}

/// Where a conversion writes its encrypted copy before it replaces the plain file.
pub fn converting_path(db: &Path) -> PathBuf {
    beside(db, ".encrypting")
}

/// Writes an encrypted copy of the file at `source` (with its key `source_key`, none for a
/// plain file; only read) into the new file `target` with `key`: schema, rows, and the
/// header's application id and schema version. The copy is made by `sqlcipher_export` on a
/// connection of its own, so that the source is never opened for writing.
pub(crate) fn export_encrypted(
    source: &Path,
    source_key: Option<&FileKey>,
    target: &Path,
    key: &FileKey,
) -> StoreResult<()> {
    let _ = std::fs::remove_file(target);
    crate::files::create_private(target, true)
        .map(drop)
        .map_err(|e| StoreError::Io {
            path: target.to_path_buf(),
            source: e,
        })?;
    let conn = Connection::open_in_memory_with_flags(
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_URI,
    )?;
    let quoted = |path: &Path, query: &str| {
        format!("{}{query}", crate::files::file_uri(path)).replace('\'', "''")
    };
    let source_literal = match source_key {
        Some(k) => k.attach_literal(),
        None => zeroize::Zeroizing::new("''".to_string()),
    };
    let attach_source = zeroize::Zeroizing::new(format!(
        "ATTACH DATABASE '{}' AS source KEY {};",
        // A file with no WAL beside it is read as it is, creating nothing beside it.
        quoted(
            source,
            if beside(source, "-wal").exists() {
                "?mode=ro"
            } else {
                "?immutable=1"
            }
        ),
        source_literal.as_str()
    ));
    let attach_target = zeroize::Zeroizing::new(format!(
        "ATTACH DATABASE '{}' AS encrypted KEY {};",
        quoted(target, ""),
        key.attach_literal().as_str()
    ));
    keying(|| {
        conn.execute_batch(attach_source.as_str())?;
        conn.execute_batch(attach_target.as_str())
    })?;
    let app: i64 = conn.query_row("PRAGMA source.application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA source.user_version", [], |r| r.get(0))?;
    conn.query_row("SELECT sqlcipher_export('encrypted', 'source')", [], |_| {
        Ok(())
    })?;
    conn.execute_batch(&format!(
        "PRAGMA encrypted.application_id = {app}; PRAGMA encrypted.user_version = {version};"
    ))?;
    conn.execute_batch("DETACH DATABASE encrypted; DETACH DATABASE source;")?;
    Ok(())
}

/// The rows of every table of a connection, by table name: what a copy must hold the same of.
pub(crate) fn row_counts(conn: &Connection) -> StoreResult<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
    )?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut counts = Vec::with_capacity(names.len());
    for name in names {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM \"{}\"", name.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        counts.push((name, n));
    }
    Ok(counts)
}

/// The key of the file at `path` and its slots: none for a plain file (an earlier version's),
/// else its `.keys` unwrapped with `unlock`.
pub fn unlock_file(path: &Path, unlock: &Unlock) -> StoreResult<Option<(FileKey, Slots)>> {
    if file_state(path) == FileState::Plain {
        return Ok(None);
    }
    let slots = Slots::load(&keys_path(path))?;
    let key = slots.unlock(unlock)?;
    Ok(Some((key, slots)))
}

/// Runs one read-only statement on the file at `path` (opened with `unlock`, creating nothing
/// beside it) and returns its column names and rows: `stationdesk sql`.
pub fn read_only_query(
    path: &Path,
    unlock: &Unlock,
    sql: &str,
) -> StoreResult<(Vec<String>, Vec<Vec<rusqlite::types::Value>>)> {
    if file_state(path) == FileState::Missing {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: "no such file".to_string(),
        });
    }
    let keyed = unlock_file(path, unlock)?;
    query_file(path, keyed.as_ref().map(|(k, _)| k), sql)
}

/// [`read_only_query`] on a file whose key is known (`None`: a plain file of an earlier
/// version): the county's file, whose key its own slots give.
pub(crate) fn query_file(
    path: &Path,
    key: Option<&FileKey>,
    sql: &str,
) -> StoreResult<(Vec<String>, Vec<Vec<rusqlite::types::Value>>)> {
    let (conn, _) = open_read_only(path, key)?;
    conn.execute_batch("PRAGMA query_only = 1")?;
    let mut stmt = conn.prepare(sql)?;
    if !stmt.readonly() {
        return Err(StoreError::ReadOnly);
    }
    let columns: Vec<String> = stmt.column_names().iter().map(|c| c.to_string()).collect();
    let width = columns.len();
    let rows = stmt
        .query_map([], |row| {
            (0..width)
                .map(|i| row.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((columns, rows))
}

/// A plain rusqlite connection to the station file at `path`, read-write, with its key given
/// (none for a plain file): for tools and tests that reach under the store (the bench's
/// baselines, tests that damage or forge a file). Nothing is checked or migrated.
pub fn raw_connection(path: &Path, unlock: &Unlock) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Ok(match unlock_file(path, unlock)? {
        Some((key, _)) => open_keyed(path, flags, &key)?,
        None => Connection::open_with_flags(path, flags)?,
    })
}

/// Opens a database file read-only, creating nothing beside it. On a read-only disk, where
/// SQLite cannot make the shared-memory file a WAL database needs, it is opened as immutable;
/// the flag says so.
pub(crate) fn open_read_only(
    path: &Path,
    key: Option<&FileKey>,
) -> StoreResult<(Connection, bool)> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    // Opened, keyed when it is encrypted, and read once: a file that is no database (or
    // another key's) says so here.
    let open = |target: &Path, flags: OpenFlags| match key {
        Some(key) => open_keyed(target, flags, key),
        None => {
            let conn = Connection::open_with_flags(target, flags)?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        }
    };
    // A file with no WAL beside it (a backup, a copy, a database closed cleanly) holds all it
    // has: it is read as it is, immutable, and nothing is created beside it (a WAL-mode file
    // opened otherwise, even read-only, gets a `-shm` and a `-wal`).
    if !beside(path, "-wal").exists() {
        let uri = format!("{}?immutable=1", crate::files::file_uri(path));
        return match open(Path::new(&uri), flags | OpenFlags::SQLITE_OPEN_URI) {
            Ok(conn) => Ok((conn, !writable(path))),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {
                Err(StoreError::NotStationdesk {
                    path: path.to_path_buf(),
                })
            }
            Err(e) => Err(e.into()),
        };
    }
    let first_error = match open(path, flags) {
        Ok(conn) => return Ok((conn, false)),
        Err(e) => e,
    };
    if matches!(
        first_error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase)
    ) {
        return Err(StoreError::NotStationdesk {
            path: path.to_path_buf(),
        });
    }
    let uri = format!("{}?immutable=1", crate::files::file_uri(path));
    let conn = open(Path::new(&uri), flags | OpenFlags::SQLITE_OPEN_URI)
        .map_err(|_| StoreError::from(first_error))?;
    Ok((conn, true))
}

/// Whether the file could be written: opening it for writing creates and changes nothing, and
/// fails on a read-only disk or file.
fn writable(path: &Path) -> bool {
    std::fs::OpenOptions::new().write(true).open(path).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings the docs state: SQLCipher 4's defaults, none changed.
    #[test]
    fn cipher_settings() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("pinned.db");
        let conn = Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        give_key(&conn, &FileKey::generate()).unwrap_or_else(|e| panic!("{e}"));
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        assert!(pragma("cipher_version").starts_with("4."));
        assert_eq!(pragma("cipher_page_size"), "4096");
        assert_eq!(pragma("cipher_hmac_algorithm"), "HMAC_SHA512");
        assert_eq!(pragma("cipher_kdf_algorithm"), "PBKDF2_HMAC_SHA512");
        assert_eq!(pragma("cipher_plaintext_header_size"), "0");
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('欧阳秀珍');")
            .unwrap_or_else(|e| panic!("{e}"));
        drop(conn);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(&bytes[..16], b"SQLite format 3\0");
        assert_eq!(file_state(&path), FileState::Encrypted);
    }
}

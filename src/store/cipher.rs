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

use super::backup::beside;
use super::error::{StoreError, StoreResult};
use super::keys::FileKey;

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
    conn.execute_batch(&key.pragma("main"))?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    })?;
    Ok(())
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
        }
    }
}

/// Where a conversion writes its encrypted copy before it replaces the plain file.
pub fn converting_path(db: &Path) -> PathBuf {
    beside(db, ".encrypting")
}

/// Writes an encrypted copy of the open plain connection `plain` into the new file `target`
/// with `key`: schema, rows, and the header's application id and schema version.
pub(crate) fn export_encrypted(plain: &Connection, target: &Path, key: &FileKey) -> StoreResult<()> {
    let _ = std::fs::remove_file(target);
    crate::files::create_private(target, true)
        .map(drop)
        .map_err(|source| StoreError::Io {
            path: target.to_path_buf(),
            source,
        })?;
    let app: i64 = plain.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let uri = super::backup::file_uri(target);
    let attach = format!(
        "ATTACH DATABASE '{}' AS encrypted KEY {};",
        uri.replace('\'', "''"),
        key.attach_literal().as_str()
    );
    plain.execute_batch(&attach)?;
    let exported = (|| -> StoreResult<()> {
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.execute_batch(&format!(
            "PRAGMA encrypted.application_id = {app}; PRAGMA encrypted.user_version = {version};"
        ))?;
        Ok(())
    })();
    let detached = plain.execute_batch("DETACH DATABASE encrypted");
    exported?;
    detached?;
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

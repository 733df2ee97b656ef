//! Backups: online copies (the file's bytes from one consistent snapshot, or SQLite's backup
//! API page by page when the WAL is not empty),
//! daily automatic backups with rotation (the last 14 daily and 12 monthly copies), restore,
//! and integrity checks (a quick one of each copy; the full one in `stationdesk check`).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDateTime};
use rusqlite::{Connection, OpenFlags};

use super::cipher::{file_state, open_read_only, unlock_file, FileState};
pub use super::copy::Cancel;
use super::copy::{copy_pages, io_error};
use super::error::{StoreError, StoreResult};
use super::keys::{keys_path, FileKey, Slots, Unlock};
use super::migrations::{latest_version, APPLICATION_ID};
use super::Store;
use crate::files::beside;

/// Daily copies kept.
pub const KEEP_DAILY: usize = 14;
/// Monthly copies kept.
pub const KEEP_MONTHLY: usize = 12;

const BACKUP_PREFIX: &str = "stationdesk-";
const BACKUP_SUFFIX: &str = ".db";
const STAMP_FORMAT: &str = "%Y%m%d-%H%M%S";

/// A backup file and when it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub taken_at: NaiveDateTime,
    /// Made by an earlier version, before the station file was encrypted: readable by anyone
    /// who has the file (`stationdesk backup --delete-plain` removes these).
    pub plain: bool,
}

/// The name a database's own folders carry: its file's name without `.db`.
pub fn database_name(db_path: &Path) -> String {
    db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "stationdesk".to_string())
}

/// Where the database at `db_path` keeps its backups: `backups/<name>/` beside it, named
/// after the database, so that two databases in one folder never count, rotate or overwrite
/// each other's copies.
pub fn backup_dir_for(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map(|p| p.join("backups"))
        .unwrap_or_else(|| PathBuf::from("backups"))
        .join(database_name(db_path))
}

/// How long a `.partial` file may go unwritten before it counts as left by a run that was
/// stopped (a running backup or bundle writes into its file all the time).
pub const STALE_PARTIAL: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Removes the `.partial` files in `dir` that nothing has written to for [`STALE_PARTIAL`]:
/// what a backup or a bundle left when the program was stopped halfway. Returns how many.
pub fn remove_stale_partials(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".partial") {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| now.duration_since(at).ok())
            .is_some_and(|age| age >= STALE_PARTIAL);
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

impl Store {
    /// Makes an online backup into `dir` (created if missing) and returns its path. The copy
    /// is written under a temporary name, checked, synced and then renamed, so a file with a
    /// backup's name is always a whole backup.
    pub fn backup_into(&self, dir: &Path) -> StoreResult<PathBuf> {
        self.backup_cancel.start();
        let made = backup_connection(
            self.conn(),
            dir,
            &self.backup_cancel,
            Some((&self.key, &self.slots)),
        );
        self.backup_cancel.finish();
        made
    }
}

/// Backs up the database file at `db` into `dir` without opening it for writing: from a
/// read-only disk, a write-protected file or a stick, too.
/// `unlock` opens an encrypted file; a plain one (of an earlier version) needs none.
pub fn backup_file(db: &Path, dir: &Path, unlock: Option<&Unlock>) -> StoreResult<PathBuf> {
    let keyed = match unlock {
        Some(unlock) => unlock_file(db, unlock)?,
        None if file_state(db) == FileState::Plain => None,
        None => return Err(StoreError::Locked),
    };
    let key = keyed.as_ref().map(|(k, _)| k);
    let with_slots = keyed.as_ref().map(|(k, s)| (k, s));
    let stamp = |p: &Path| fs::metadata(p).ok().map(|m| (m.len(), m.modified().ok()));
    let before = stamp(db);
    let read_as_it_was = !beside(db, "-wal").exists();
    let (conn, _) = open_read_only(db, key)?;
    let cancel = Cancel::default();
    let made = backup_connection(&conn, dir, &cancel, with_slots)?;
    drop(conn);
    // A file read as it was (nothing beside it) that a desk opened meanwhile may have changed
    // under the copy: the copy is made again through SQLite's locks.
    if read_as_it_was && (before != stamp(db) || beside(db, "-wal").exists()) {
        let _ = fs::remove_file(&made);
        let _ = fs::remove_file(keys_path(&made));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = match key {
            Some(key) => super::cipher::open_keyed(db, flags, key)?,
            None => Connection::open_with_flags(db, flags)?,
        };
        return backup_connection(&conn, dir, &cancel, with_slots);
    }
    Ok(made)
}

/// A verified backup of a plain file of an earlier version, plain as it is, before it is
/// converted.
pub(crate) fn backup_plain(conn: &Connection, dir: &Path) -> StoreResult<PathBuf> {
    backup_connection(conn, dir, &Cancel::default(), None)
}

/// The backup itself, from any connection (read-only ones too).
/// `keyed`: the file's key and slots (an encrypted file), `None` for a plain one. The copy of
/// an encrypted file gets `<copy>.keys` beside it with the slots that travel (passphrase and
/// escrow, never this computer's), written before the copy takes its name.
fn backup_connection(
    conn: &Connection,
    dir: &Path,
    cancel: &Cancel,
    keyed: Option<(&FileKey, &Slots)>,
) -> StoreResult<PathBuf> {
    // A folder made here is its owner's alone; one that is there (a stick) is left as it is.
    if !dir.exists() {
        crate::files::create_private_dir(dir).map_err(|e| io_error(dir, e))?;
    }
    let key = keyed.map(|(k, _)| k);
    let now = Local::now();
    let mut name = format!("{BACKUP_PREFIX}{}{BACKUP_SUFFIX}", now.format(STAMP_FORMAT));
    let mut counter = 1;
    while dir.join(&name).exists() {
        name = format!(
            "{BACKUP_PREFIX}{}-{counter}{BACKUP_SUFFIX}",
            now.format(STAMP_FORMAT)
        );
        counter += 1;
    }
    let final_path = dir.join(&name);
    let temp_path = dir.join(format!("{name}.partial"));
    let _ = fs::remove_file(&temp_path);
    let result = (|| {
        // The copy holds the station's records: readable by its owner alone from its first
        // byte (SQLite keeps the mode of the empty file it writes into).
        crate::files::create_private(&temp_path, true)
            .map(drop)
            .map_err(|e| io_error(&temp_path, e))?;
        // The copy is of the source's program and version (the station's file, or the county's
        // converted by the same steps).
        let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        copy_pages(conn, &temp_path, key, cancel)?;
        // A quick check of the copy (structure, no index cross-checks); `stationdesk check`
        // runs the full one.
        match check_copy(&temp_path, Depth::Quick, key, app, version)? {
            CheckVerdict::Sound { .. } => {}
            other => {
                return Err(StoreError::BadRecord(format!(
                    "backup copy failed its check: {other:?}"
                )))
            }
        }
        sync_file(&temp_path)?;
        if let Some((_, slots)) = keyed {
            slots.travelling().save(&keys_path(&final_path))?;
        }
        fs::rename(&temp_path, &final_path).map_err(|e| io_error(&final_path, e))?;
        crate::files::sync_dir(dir);
        Ok(final_path.clone())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp_path);
    }
    result
}

fn sync_file(path: &Path) -> StoreResult<()> {
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| io_error(path, e))
}

/// The backups in `dir`, oldest first.
pub fn list_backups(dir: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut backups: Vec<BackupInfo> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().to_string();
            let stamp = name
                .strip_prefix(BACKUP_PREFIX)?
                .strip_suffix(BACKUP_SUFFIX)?;
            let stamp = stamp.get(..15)?;
            let taken_at = NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT).ok()?;
            let path = entry.path();
            let plain = file_state(&path) == FileState::Plain;
            Some(BackupInfo {
                path,
                taken_at,
                plain,
            })
        })
        .collect();
    backups.sort_by(|a, b| a.taken_at.cmp(&b.taken_at).then(a.path.cmp(&b.path)));
    backups
}

/// Which backups rotation keeps: the newest of each of the last [`KEEP_DAILY`] days that have
/// a backup, and the newest of each of the last [`KEEP_MONTHLY`] months that have one.
pub fn backups_to_keep(backups: &[BackupInfo]) -> BTreeSet<PathBuf> {
    let mut newest_first: Vec<&BackupInfo> = backups.iter().collect();
    newest_first.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then(b.path.cmp(&a.path)));
    let mut keep = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut months = BTreeSet::new();
    for backup in newest_first {
        let day = backup.taken_at.date();
        let month = backup.taken_at.format("%Y-%m").to_string();
        if days.len() < KEEP_DAILY && days.insert(day) {
            keep.insert(backup.path.clone());
        }
        if months.len() < KEEP_MONTHLY && months.insert(month) {
            keep.insert(backup.path.clone());
        }
    }
    keep
}

/// Makes a backup into the database's `backups/` directory when the newest one there is older
/// than a day (or there is none), then rotates. Returns the new backup's path, if one was made.
pub fn auto_backup(store: &Store, now: DateTime<Local>) -> StoreResult<Option<PathBuf>> {
    let dir = backup_dir_for(store.path());
    // What a backup stopped halfway by an earlier run left behind.
    remove_stale_partials(&dir);
    let backups = list_backups(&dir);
    let fresh = backups
        .last()
        .is_some_and(|b| now.naive_local() - b.taken_at < chrono::Duration::days(1));
    if fresh {
        return Ok(None);
    }
    let made = store.backup_into(&dir)?;
    let all = list_backups(&dir);
    let keep = backups_to_keep(&all);
    for backup in all {
        if !keep.contains(&backup.path) {
            let _ = fs::remove_file(&backup.path);
            let _ = fs::remove_file(keys_path(&backup.path));
        }
    }
    Ok(Some(made))
}

/// What a check of a database file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckVerdict {
    /// Sound: the integrity check passed and it is a stationdesk database. `read_only_disk`:
    /// it lies on a read-only disk and was checked as it is there (immutable).
    Sound { schema: i64, read_only_disk: bool },
    /// Not a stationdesk database (or not a database at all).
    NotStationdesk,
    /// Made by a newer program.
    Newer { schema: i64 },
    /// Damaged: the problems SQLite reported (the first few).
    Damaged(Vec<String>),
}

/// How thoroughly a file is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// `PRAGMA quick_check`: every page and record readable, without matching indexes to
    /// their tables (each backup's copy).
    Quick,
    /// `PRAGMA integrity_check` (`stationdesk check`, before a restore).
    Full,
}

/// Checks a database file without changing it: is it ours, and does it pass
/// `PRAGMA integrity_check`.
/// `key`: the file's key (`None` for a plain file of an earlier version).
pub fn check_file(path: &Path, key: Option<&FileKey>) -> StoreResult<CheckVerdict> {
    check_file_with(path, Depth::Full, key)
}

/// [`check_file`] at the given depth.
pub fn check_file_with(
    path: &Path,
    depth: Depth,
    key: Option<&FileKey>,
) -> StoreResult<CheckVerdict> {
    check_copy(path, depth, key, APPLICATION_ID, latest_version())
}

/// [`check_file_with`] for a file of application id `app` whose newest schema is `latest`.
fn check_copy(
    path: &Path,
    depth: Depth,
    key: Option<&FileKey>,
    app_id: i64,
    latest: i64,
) -> StoreResult<CheckVerdict> {
    if !path.is_file() {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: "no such file".to_string(),
        });
    }
    let key = key.filter(|_| file_state(path) != FileState::Plain);
    let (conn, read_only_disk) = match open_read_only(path, key) {
        Ok(opened) => opened,
        Err(StoreError::Sqlite(e)) => return Ok(verdict_from_error(e)),
        Err(StoreError::NotStationdesk { .. }) => return Ok(CheckVerdict::NotStationdesk),
        Err(e) => return Err(e),
    };
    let header = (|| -> rusqlite::Result<(i64, i64)> {
        let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app, version))
    })();
    let (app, version) = match header {
        Ok(h) => h,
        Err(e) => return Ok(verdict_from_error(e)),
    };
    if app != app_id {
        return Ok(CheckVerdict::NotStationdesk);
    }
    let problems = (|| -> rusqlite::Result<Vec<String>> {
        // A cache of a few MB (SQLite's default) reads the search index's pages again and
        // again, each decrypted and its HMAC checked: the full check of a million records
        // took 61 s with it, 20 s with 64 MB.
        let (pragma, cache_kib) = match depth {
            Depth::Quick => ("PRAGMA quick_check(20)", 16 * 1024),
            Depth::Full => ("PRAGMA integrity_check(20)", 64 * 1024),
        };
        conn.pragma_update(None, "cache_size", -cache_kib)?;
        let mut stmt = conn.prepare(pragma)?;
        let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
        rows.collect()
    })();
    match problems {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => {}
        Ok(rows) => return Ok(CheckVerdict::Damaged(rows)),
        Err(e) => return Ok(verdict_from_error(e)),
    }
    if version > latest {
        return Ok(CheckVerdict::Newer { schema: version });
    }
    Ok(CheckVerdict::Sound {
        schema: version,
        read_only_disk,
    })
}

fn verdict_from_error(err: rusqlite::Error) -> CheckVerdict {
    match err.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => CheckVerdict::NotStationdesk,
        _ => CheckVerdict::Damaged(vec![err.to_string()]),
    }
}

/// Puts the backup `file` in place as the database `db` where there is none yet (a new PC):
/// the backup opens with `unlock` on its `.keys` and passes the full check, then it is copied
/// beside `db`, synced, its keys file written as `db`'s, and renamed into place, so that a
/// power cut leaves no half database under the name.
pub fn restore_onto_new(db: &Path, file: &Path, unlock: &Unlock) -> StoreResult<()> {
    if file_state(db) != FileState::Missing {
        return Err(StoreError::CannotOpen {
            path: db.to_path_buf(),
            reason: "a database is there already".to_string(),
        });
    }
    let (key, slots) = unlock_file(file, unlock)?.ok_or(StoreError::Locked)?;
    restorable(file, check_file(file, Some(&key))?)?;
    if let Some(dir) = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        crate::files::create_private_dir(dir).map_err(|e| io_error(dir, e))?;
    }
    let temp = super::cipher::converting_path(db);
    let _ = fs::remove_file(&temp);
    let copied = (|| {
        let mut from = fs::File::open(file).map_err(|e| io_error(file, e))?;
        let mut to = crate::files::create_private(&temp, true).map_err(|e| io_error(&temp, e))?;
        std::io::copy(&mut from, &mut to).map_err(|e| io_error(&temp, e))?;
        to.sync_all().map_err(|e| io_error(&temp, e))?;
        slots.travelling().save(&keys_path(db))?;
        fs::rename(&temp, db).map_err(|e| io_error(db, e))?;
        if let Some(dir) = db.parent() {
            crate::files::sync_dir(dir);
        }
        Ok(())
    })();
    if copied.is_err() {
        let _ = fs::remove_file(&temp);
    }
    copied
}

/// What a station has sent to the county: the bundle log and the change counter. A restore
/// keeps it, or the next bundle would fork the chain or carry edits the county would think old.
struct ExchangeState {
    station: Option<String>,
    /// Every bundle_log row, as SQLite values, in column order.
    log: Vec<Vec<rusqlite::types::Value>>,
    last_rev: i64,
}

const LOG_COLUMNS: &str = "seq, file_name, created_at, rev_from, rev_to, manifest_sha256, \
     plaintext, counts, file_sha256";

fn exchange_state(conn: &Connection) -> StoreResult<ExchangeState> {
    use rusqlite::OptionalExtension;
    let station = conn
        .query_row("SELECT id FROM station WHERE singleton = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let mut stmt = conn.prepare(&format!("SELECT {LOG_COLUMNS} FROM bundle_log"))?;
    let log = stmt
        .query_map([], |r| {
            (0..9)
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<rusqlite::Result<Vec<_>>>()
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let last_rev = conn.query_row("SELECT last_rev FROM change_seq", [], |r| r.get(0))?;
    Ok(ExchangeState {
        station,
        log,
        last_rev,
    })
}

/// The station id inside a backup file, read without changing it.
fn station_of(conn: &Connection) -> StoreResult<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT id FROM station WHERE singleton = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Replaces the open database's contents with the backup at `file`, after checking the file and
/// backing up the current database into its `backups/` directory. Returns that safety copy.
///
/// The county exchange is kept as it is now, not as it was in the backup: every bundle the
/// station wrote stays in the log (so the next one takes the next number and chains to the
/// last one sent), and the change counter never goes back (so an edit made after the restore
/// is newer, at the county too, than anything already sent).
///
/// The backup is read with the store's key when it is of this file (its `.keys` names the same
/// key, or it has none); a backup of another key opens with `unlock` on its `.keys` (without
/// one, [`StoreError::Locked`]: ask for its passphrase and try again), and a plain backup of
/// an earlier version as it is. Either is encrypted with this file's key first.
pub fn restore_from(
    store: &mut Store,
    file: &Path,
    unlock: Option<&Unlock>,
) -> StoreResult<PathBuf> {
    let theirs_key = match file_state(file) {
        FileState::Plain => None,
        _ => match Slots::load(&keys_path(file)) {
            Ok(slots) if slots.file != store.slots.file => {
                Some(slots.unlock(unlock.ok_or(StoreError::Locked)?)?)
            }
            Ok(_) | Err(StoreError::NoKeys { .. }) => Some(store.key.clone()),
            Err(e) => return Err(e),
        },
    };
    restorable(file, check_file(file, theirs_key.as_ref())?)?;
    let kept = exchange_state(&store.conn)?;
    // The backup is only read: nothing is created beside it.
    let (source, _) = open_read_only(file, theirs_key.as_ref())?;
    let theirs = station_of(&source)?;
    if !kept.log.is_empty() && theirs.is_some() && theirs != kept.station {
        return Err(StoreError::OtherStation);
    }
    let safety = store.backup_into(&backup_dir_for(store.path()))?;
    // A copy under another key (or none) is first written again under this file's key: pages
    // are copied between files of one key only.
    let same_key = theirs_key.as_ref().is_some_and(|k| k.same_as(&store.key));
    let rekeyed = super::cipher::converting_path(&beside(file, ".restoring"));
    let source = if same_key {
        source
    } else {
        drop(source);
        super::cipher::export_encrypted(file, theirs_key.as_ref(), &rekeyed, &store.key)?;
        let (copy, _) = open_read_only(&rekeyed, Some(&store.key))?;
        copy
    };
    rusqlite::backup::Backup::new(&source, &mut store.conn)?.run_to_completion(
        256,
        std::time::Duration::ZERO,
        None,
    )?;
    drop(source);
    let _ = fs::remove_file(&rekeyed);
    // The restored copy may be of an older schema.
    store.prepare_schema(&mut |_| {})?;
    store
        .conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    let tx = store
        .conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut put = tx.prepare(&format!(
            "INSERT OR REPLACE INTO bundle_log ({LOG_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ))?;
        for row in &kept.log {
            put.execute(rusqlite::params_from_iter(row.iter()))?;
        }
    }
    tx.execute(
        "UPDATE change_seq SET last_rev = max(last_rev, ?1, (SELECT coalesce(max(rev_to), 0) FROM bundle_log))",
        [kept.last_rev],
    )?;
    tx.commit()?;
    Ok(safety)
}

/// Whether a backup checked as `verdict` may be restored: sound, of this program, not newer.
fn restorable(file: &Path, verdict: CheckVerdict) -> StoreResult<()> {
    match verdict {
        CheckVerdict::Sound { .. } => Ok(()),
        CheckVerdict::NotStationdesk => Err(StoreError::NotStationdesk {
            path: file.to_path_buf(),
        }),
        CheckVerdict::Newer { schema } => Err(StoreError::NewerSchema {
            found: schema,
            supported: latest_version(),
        }),
        CheckVerdict::Damaged(_) => Err(StoreError::Corrupt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> BackupInfo {
        let taken_at = chrono::NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap_or_default();
        BackupInfo {
            path: PathBuf::from(format!("{}", taken_at.format(STAMP_FORMAT))),
            taken_at,
            plain: false,
        }
    }

    #[test]
    fn rotation_keeps_fourteen_days_and_twelve_months() {
        // Two backups a day over 400 days.
        let start = chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap_or_default();
        let mut all = Vec::new();
        for offset in 0..400 {
            let day = start + chrono::Duration::days(offset);
            for hour in [9, 17] {
                let taken_at = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
                all.push(BackupInfo {
                    path: PathBuf::from(taken_at.format(STAMP_FORMAT).to_string()),
                    taken_at,
                    plain: false,
                });
            }
        }
        let keep = backups_to_keep(&all);
        let newest = all.last().map(|b| b.taken_at).unwrap_or_default();
        let daily: Vec<_> = all
            .iter()
            .filter(|b| keep.contains(&b.path) && newest - b.taken_at < chrono::Duration::days(14))
            .collect();
        assert_eq!(daily.len(), KEEP_DAILY);
        assert!(daily
            .iter()
            .all(|b| b.taken_at.format("%H").to_string() == "17"));
        let months: BTreeSet<String> = all
            .iter()
            .filter(|b| keep.contains(&b.path))
            .map(|b| b.taken_at.format("%Y-%m").to_string())
            .collect();
        assert_eq!(months.len(), KEEP_MONTHLY);
        // 14 daily plus 12 monthly; the last 14 days (22 Oct – 4 Nov 2026) already hold the
        // newest copies of November and of October.
        assert_eq!(keep.len(), KEEP_DAILY + KEEP_MONTHLY - 2);
    }

    #[test]
    fn few_backups_are_all_kept() {
        let all = vec![
            at(2026, 11, 20, 9),
            at(2026, 11, 21, 9),
            at(2026, 11, 21, 18),
        ];
        let keep = backups_to_keep(&all);
        assert_eq!(keep.len(), 2);
        assert!(!keep.contains(&all[1].path));
    }
}

//! The SQLite store: opening with the right pragmas, migrations, records with identity and
//! history, the audit log, station identity, backups.

mod activities;
mod audit;
mod backup;
mod bulk;
mod bundles;
mod cases;
mod cipher;
mod codec;
mod consult;
mod copy;
mod counts;
mod dashboard;
mod error;
mod escrow;
mod handover;
mod intakes;
mod keys;
mod kinds;
mod machine;
mod members;
mod migrations;
mod performance;
mod record;
mod roster;
mod search;
mod station;
mod table;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use activities::ACTIVITY_LIST_LIMIT;
pub use audit::{HistoryLine, HistoryRef};
pub use backup::{
    auto_backup, backup_dir_for, backup_file, backups_to_keep, check_file, database_name,
    list_backups, remove_stale_partials, restore_from, restore_onto_new, BackupInfo, CheckVerdict,
};
pub use bundles::BundleRecord;
pub use cases::{next_case_number, CaseCursor, CaseFilter, CasePolicy};
pub use cipher::{
    converting_path, file_state, raw_connection, read_only_query, unlock_file, ConvertStep,
    FileState,
};
pub(crate) use cipher::{open_keyed, query_file};
pub use error::{StoreError, StoreResult};
pub use escrow::{recover, unwrap_escrow};
pub use intakes::{DueFilter, IntakeCursor, IntakeFilter, IntakeListing, INTAKE_COUNT_CAP};
pub use keys::{
    generate_passphrase, keys_path, FileKey, KdfCost, Passphrase, Slot, Slots, Unlock, KEYS_FORMAT,
    KEYS_VERSION,
};
pub use kinds::{each_kind, KindVisitor};
pub use machine::{machine_dir, Kept, Machine};
pub use members::{MemberCursor, MemberFilter, MemberPage, PinAttempt, MEMBER_COUNT_CAP};
pub use migrations::{latest_version, APPLICATION_ID};
pub use record::{AuditEntry, RecordTable, Writer};
pub use search::{bundle_entry, entry_of, SearchHit};

/// The file name of the database in the platform data directory.
pub const DB_FILE_NAME: &str = "stationdesk.db";

/// The platform data directory's database: `~/.local/share/stationdesk/stationdesk.db` on Linux,
/// `%APPDATA%\stationdesk\stationdesk\data\stationdesk.db` on Windows.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "stationdesk", "stationdesk")
        .map(|dirs| dirs.data_dir().join(DB_FILE_NAME))
}

/// Stops what a store's connection is doing, from another thread (the daily backup, when the
/// desk quits): the running statement or backup fails as [`StoreError::Cancelled`] and leaves
/// nothing behind. Like SQLite's own interrupt, it stops what runs now, not what starts later.
#[derive(Clone)]
pub struct Interrupt {
    handle: std::sync::Arc<rusqlite::InterruptHandle>,
    backup: std::sync::Arc<backup::Cancel>,
}

impl Interrupt {
    pub fn interrupt(&self) {
        self.backup.cancel();
        self.handle.interrupt();
    }
}

/// The actor while nobody is signed in at the desk. Nothing is written under it.
pub const NOBODY: &str = "desk";

/// An open station database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    actor: String,
    /// Stops a backup of this store that is running (see [`Interrupt`]).
    backup_cancel: std::sync::Arc<backup::Cancel>,
    /// Set to stop the bundle export running on this store (see [`Store::stop_flag`]).
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The key the file is encrypted with, and the slots that unwrap it (`<db>.keys`).
    key: FileKey,
    slots: Slots,
}

impl Store {
    /// Opens the station file at `path` with `unlock`, and brings its schema up to date.
    ///
    /// - No file yet: with a passphrase, a new encrypted file is made (a new key, its slot
    ///   at [`KdfCost::DESK`]); any other way to unlock is [`StoreError::Locked`].
    /// - A plain file of an earlier version: converted first (see [`Store::open_with`]).
    /// - An encrypted file: its `<db>.keys` unwraps the key.
    pub fn open(path: &Path, unlock: &Unlock) -> StoreResult<Store> {
        Store::open_with(path, unlock, KdfCost::DESK, &mut |_| {})
    }

    /// [`Store::open`], with the cost of a new passphrase slot, and `at_step` told each step of
    /// a conversion as it is done. A plain file is converted after a verified backup of it
    /// into its `backups/` folder (kept there, plain, until deleted on request): its WAL is
    /// checkpointed, the keys file written, an encrypted copy made beside it, checked against
    /// the plain one table by table, synced, and renamed over it. Stopped at any moment, the
    /// plain file or the encrypted one is there, whole, and the next open goes on.
    pub fn open_with(
        path: &Path,
        unlock: &Unlock,
        cost: KdfCost,
        at_step: &mut dyn FnMut(ConvertStep),
    ) -> StoreResult<Store> {
        prepare_folder(path)?;
        let keys = keys_path(path);
        let (key, slots) = match cipher::file_state(path) {
            FileState::Missing => {
                let Unlock::Passphrase(passphrase) = unlock else {
                    return Err(StoreError::Locked);
                };
                let key = FileKey::generate();
                let mut slots = Slots::new();
                slots.set_passphrase(&key, passphrase, cost, false)?;
                // An empty file a first run left has no key yet: it is started afresh, made
                // for its owner alone before SQLite opens it (its WAL and shared memory
                // take the database file's mode).
                let _ = std::fs::remove_file(path);
                slots.save(&keys)?;
                crate::files::create_private(path, true).map_err(|e| StoreError::CannotOpen {
                    path: path.to_path_buf(),
                    reason: e.to_string(),
                })?;
                (key, slots)
            }
            FileState::Plain => {
                refuse_foreign_or_newer(path)?;
                convert_plain(path, unlock, cost, at_step)?
            }
            FileState::Encrypted => {
                let slots = Slots::load(&keys)?;
                let key = slots.unlock(unlock)?;
                (key, slots)
            }
        };
        // What a conversion stopped before its end left beside the file.
        let _ = std::fs::remove_file(cipher::converting_path(path));
        narrow_modes(path);
        let conn = open_connection(path, &key)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            actor: "system".to_string(),
            backup_cancel: Default::default(),
            stop: Default::default(),
            key,
            slots,
        };
        store.prepare_schema(at_step)?;
        Ok(store)
    }

    /// A second connection to the same file, with the key this one holds (a backup or an
    /// export running beside the desk).
    pub fn reopen(&self) -> StoreResult<Store> {
        Store::open(&self.path, &Unlock::Key(self.key.clone()))
    }

    /// The way to open this file again without asking anyone (for a second connection).
    pub fn unlock(&self) -> Unlock {
        Unlock::Key(self.key.clone())
    }

    /// The slots of this file's key as they were read or last written.
    pub fn slots(&self) -> &Slots {
        &self.slots
    }

    /// Sets a new station passphrase (refusing a weak one): the old passphrase slot, or the
    /// one-time one of a recovery, is replaced.
    pub fn change_passphrase(&mut self, passphrase: &Passphrase, cost: KdfCost) -> StoreResult<()> {
        if let Some(weak) = crate::domain::passphrase::weakness(passphrase.as_str()) {
            return Err(StoreError::WeakPassphrase(weak));
        }
        let mut slots = self.slots.clone();
        slots.set_passphrase(&self.key, passphrase, cost, false)?;
        slots.save(&keys_path(&self.path))?;
        self.slots = slots;
        Ok(())
    }

    /// Turns this computer's slot on (the file opens without typing, for whoever logs in as
    /// this user here) or off, its secret kept by `machine` ([`Machine::here`]).
    pub fn set_this_computer(&mut self, on: bool, machine: &Machine) -> StoreResult<()> {
        let mut slots = self.slots.clone();
        if on {
            slots.set_this_computer(&self.key, machine)?;
        } else {
            slots.clear_this_computer(machine);
        }
        slots.save(&keys_path(&self.path))?;
        self.slots = slots;
        Ok(())
    }

    /// Writes (or removes, with no recipient) the county escrow slot.
    pub(crate) fn write_escrow(&mut self, recipient: Option<&str>) -> StoreResult<()> {
        let mut slots = self.slots.clone();
        match recipient.filter(|r| !r.trim().is_empty()) {
            Some(recipient) => slots.set_escrow(&self.key, recipient)?,
            None => slots.clear_escrow(),
        }
        if slots != self.slots {
            slots.save(&keys_path(&self.path))?;
            self.slots = slots;
        }
        Ok(())
    }

    /// Brings the schema up to date (the file is known to be ours: [`open_connection`] checked
    /// it, and a restore checks its backup first).
    fn prepare_schema(&mut self, at_step: &mut dyn FnMut(ConvertStep)) -> StoreResult<()> {
        migrations::migrate(&mut self.conn)?;
        // Indexes first: the counts' rebuild reads through them.
        self.ensure_indexes()?;
        self.ensure_counts()?;
        self.ensure_search_index(at_step)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A handle that stops this connection's running statement from another thread.
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt {
            handle: std::sync::Arc::new(self.conn.get_interrupt_handle()),
            backup: self.backup_cancel.clone(),
        }
    }

    /// The flag that stops the bundle export running on this store at its next record (or
    /// before it records its bundle): a signal handler or another thread sets it, and the
    /// export clears it when it ends, however it ended.
    pub fn stop_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.stop.clone()
    }

    /// Makes `flag` this store's stop flag: whoever holds it can stop the export running here.
    pub fn set_stop_flag(&mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
        self.stop = flag;
    }

    /// Who is recorded in the audit log as making the changes from now on.
    pub fn set_actor(&mut self, actor: &str) {
        self.actor = actor.to_string();
    }

    /// Nobody is at the desk: every change is refused until someone signs in
    /// ([`StoreError::NobodySignedIn`]), so that no change is ever recorded as anonymous.
    pub fn set_nobody(&mut self) {
        self.actor = NOBODY.to_string();
    }

    /// Runs `work` as the program itself (`system`), for what the desk does on its own, such as
    /// marking the shifts nobody came for; the actor before is restored afterwards.
    pub fn as_system<R>(&mut self, work: impl FnOnce(&mut Store) -> R) -> R {
        let before = std::mem::replace(&mut self.actor, "system".to_string());
        let result = work(self);
        self.actor = before;
        result
    }

    pub fn actor(&self) -> &str {
        &self.actor
    }

    pub fn schema_version(&self) -> StoreResult<i64> {
        migrations::schema_version(&self.conn)
    }

    /// Runs `work` in one immediate transaction: everything it writes commits together or not
    /// at all.
    pub fn write<R>(
        &mut self,
        work: impl FnOnce(&mut Writer<'_>) -> StoreResult<R>,
    ) -> StoreResult<R> {
        if self.actor == NOBODY {
            return Err(StoreError::NobodySignedIn);
        }
        let station_id = self.station_id()?;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut writer = Writer::new(tx, &self.actor, station_id);
        let result = work(&mut writer)?;
        writer.commit()?;
        Ok(result)
    }

    /// A choice list (`sectors`, `parties`): the station's own copy in `lists/<name>.txt` beside
    /// the database when there is one, else the list built into the program from `assets/lists/`.
    pub fn choice_list(&self, name: &str) -> Vec<String> {
        let own = self
            .path
            .parent()
            .map(|dir| dir.join("lists").join(format!("{name}.txt")))
            .and_then(|file| std::fs::read_to_string(file).ok())
            .map(|text| crate::domain::lists::entries(&text))
            .filter(|entries| !entries.is_empty());
        own.unwrap_or_else(|| {
            crate::domain::lists::builtin(name)
                .map(crate::domain::lists::entries)
                .unwrap_or_default()
        })
    }

    /// For bulk work (demo data, imports): a larger page cache (128 MiB), so that index pages
    /// stay in memory across batches. Durability settings are unchanged.
    pub fn enter_bulk_mode(&mut self) -> StoreResult<()> {
        self.conn.pragma_update(None, "cache_size", -131_072)?;
        // Fewer, larger checkpoints while the WAL grows; every commit is still synced.
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 50_000)?;
        Ok(())
    }

    /// The raw connection, for read queries of the layers in this module's children.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The last change sequence number handed out.
    pub fn last_rev(&self) -> StoreResult<i64> {
        Ok(self
            .conn
            .query_row("SELECT last_rev FROM change_seq", [], |row| row.get(0))?)
    }

    /// `PRAGMA integrity_check` on the open database: `Ok(())` when sound, else the problems.
    pub fn integrity_check(&self) -> StoreResult<Result<(), Vec<String>>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        if rows.len() == 1 && rows[0] == "ok" {
            Ok(Ok(()))
        } else {
            Ok(Err(rows))
        }
    }
}

/// Opens a connection with the pragmas a desk PC that loses power needs: WAL with
/// `synchronous=FULL` (each commit is synced before it returns), foreign keys on, and a busy
/// timeout for a second process (a backup, the CLI) on the same file.
fn open_connection(path: &Path, key: &FileKey) -> StoreResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = cipher::open_keyed(path, flags, key).map_err(|e| classify_open_error(path, e))?;
    // Ours (our application id, or none on a file with no tables yet: a first run that
    // stopped early), of a schema this program knows, before anything about the file changes.
    let (app, tables, version): (i64, i64, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id),
                    (SELECT count(*) FROM sqlite_master),
                    (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| classify_open_error(path, e))?;
    if app != APPLICATION_ID && (app != 0 || tables > 0) {
        return Err(StoreError::NotStationdesk {
            path: path.to_path_buf(),
        });
    }
    if version > latest_version() {
        return Err(StoreError::NewerSchema {
            found: version,
            supported: latest_version(),
        });
    }
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
        return Err(StoreError::ReadOnly);
    }
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| classify_open_error(path, e))?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|e| classify_open_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: format!("journal mode {mode}"),
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(|e| classify_open_error(path, e))?;
    // A 32 MiB page cache: lists and bulk work on a big registry stay in memory.
    conn.pragma_update(None, "cache_size", -32_768)
        .map_err(|e| classify_open_error(path, e))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(|e| classify_open_error(path, e))?;
    Ok(conn)
}

/// A station file of an earlier version, or one copied in, may be readable by others: the file,
/// its WAL, shared memory and keys are narrowed to their owner (0600) before it is opened.
fn narrow_modes(path: &Path) {
    #[cfg(unix)]
    for file in [
        path.to_path_buf(),
        crate::files::beside(path, "-wal"),
        crate::files::beside(path, "-shm"),
        keys_path(path),
    ] {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(&file) {
            if meta.permissions().mode() & 0o077 != 0 {
                // A file this user may not change the mode of (another owner's) still opens
                // as before: narrowing is a precaution, not a condition.
                let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes the database's folder (0700) when it is missing; refuses a folder where the file
/// should be.
fn prepare_folder(path: &Path) -> StoreResult<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            crate::files::create_private_dir(parent).map_err(|e| StoreError::CannotOpen {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        }
    }
    if path.is_dir() {
        return Err(StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: "is a directory".to_string(),
        });
    }
    Ok(())
}

/// Converts the plain station file at `path` into an encrypted one (see [`Store::open_with`]);
/// returns the new key and its slots. The passphrase (or a key given) becomes the slot; the
/// county recipient stored in the file, if any, becomes the escrow slot.
fn convert_plain(
    path: &Path,
    unlock: &Unlock,
    cost: KdfCost,
    at_step: &mut dyn FnMut(ConvertStep),
) -> StoreResult<(FileKey, Slots)> {
    let mut slots = Slots::new();
    let key = match unlock {
        Unlock::Passphrase(passphrase) => {
            let key = FileKey::generate();
            slots.set_passphrase(&key, passphrase, cost, false)?;
            key
        }
        Unlock::Key(key) => key.clone(),
        Unlock::ThisComputer(_) => return Err(StoreError::Locked),
    };
    // A file with no station yet (no table, no row) has no recipient: no escrow slot then,
    // and one is written when a recipient is set.
    let recipient: Option<String> =
        cipher::open_read_only(path, None)
            .ok()
            .and_then(|(conn, _)| {
                conn.query_row(
                    "SELECT county_recipient FROM station WHERE singleton = 1",
                    [],
                    |r| r.get(0),
                )
                .unwrap_or(None)
            });
    if let Some(recipient) = recipient.filter(|r| !r.trim().is_empty()) {
        slots.set_escrow(&key, &recipient)?;
    }
    encrypt_in_place(path, &key, &slots, at_step)?;
    Ok((key, slots))
}

/// Turns the plain file at `path` into an encrypted one with `key`, in steps that a power
/// cut cannot leave half done: the WAL checkpointed into the file, a verified plain backup
/// (in the file's backup folder), the keys file (`slots`) written, an encrypted copy beside
/// it checked table by table and synced, then renamed over the plain file. Run again after a
/// stop, it starts over from the plain file, which is there until the last step. The station
/// file and the county's own file both go this way.
pub(crate) fn encrypt_in_place(
    path: &Path,
    key: &FileKey,
    slots: &Slots,
    at_step: &mut dyn FnMut(ConvertStep),
) -> StoreResult<()> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let plain =
        Connection::open_with_flags(path, flags).map_err(|e| classify_open_error(path, e))?;
    plain.busy_timeout(Duration::from_secs(5))?;
    // Everything in the plain file itself: nothing left in a WAL beside it.
    plain.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    at_step(ConvertStep::Checkpointed);
    backup::backup_plain(&plain, &backup_dir_for(path))?;
    at_step(ConvertStep::BackedUp);
    slots.save(&keys_path(path))?;
    at_step(ConvertStep::KeysWritten);
    let target = cipher::converting_path(path);
    cipher::export_encrypted(path, None, &target, key)?;
    at_step(ConvertStep::Copied);
    // The copy holds what the plain file holds, table by table, and is sound.
    {
        let copy = cipher::open_keyed(&target, flags, key)?;
        let sound: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if sound != "ok" || cipher::row_counts(&copy)? != cipher::row_counts(&plain)? {
            drop(copy);
            let _ = std::fs::remove_file(&target);
            return Err(StoreError::BadRecord(
                "the encrypted copy differs from the plain file".to_string(),
            ));
        }
    }
    std::fs::File::open(&target)
        .and_then(|f| f.sync_all())
        .map_err(|source| StoreError::Io {
            path: target.clone(),
            source,
        })?;
    at_step(ConvertStep::Verified);
    drop(plain);
    // What the plain file's connection left beside it (its WAL was emptied) goes before the
    // encrypted file takes its name.
    let _ = std::fs::remove_file(crate::files::beside(path, "-wal"));
    let _ = std::fs::remove_file(crate::files::beside(path, "-shm"));
    std::fs::rename(&target, path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if let Some(dir) = path.parent() {
        crate::files::sync_dir(dir);
    }
    at_step(ConvertStep::Replaced);
    Ok(())
}

/// Reads an existing file's SQLite header before it is opened for writing: a file of another
/// program, or of a newer version of this one, is refused before anything about it changes
/// (its journal mode, a `-wal`, `-shm` or `-journal` beside it).
fn refuse_foreign_or_newer(path: &Path) -> StoreResult<()> {
    refuse_other_than(path, APPLICATION_ID, latest_version())
}

/// [`refuse_foreign_or_newer`] for a file of application id `app_id` whose newest schema this
/// program knows is `supported` (the county's own file has its own).
pub(crate) fn refuse_other_than(path: &Path, app_id: i64, supported: i64) -> StoreResult<()> {
    use std::io::Read;
    let not_ours = || StoreError::NotStationdesk {
        path: path.to_path_buf(),
    };
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if meta.len() == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .map_err(|_| not_ours())?;
    if &header[..16] != b"SQLite format 3\0" {
        return Err(not_ours());
    }
    let be = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let version = i64::from(be(60));
    let app = i64::from(be(68));
    if app == app_id {
        if version > supported {
            return Err(StoreError::NewerSchema {
                found: version,
                supported,
            });
        }
        return Ok(());
    }
    if app != 0 {
        return Err(not_ours());
    }
    // No application id: ours if it has no tables yet (a first run that stopped early).
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(
        format!("{}?immutable=1", crate::files::file_uri(path)),
        flags,
    )
    .map_err(|_| not_ours())?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|_| not_ours())?;
    if tables > 0 {
        return Err(not_ours());
    }
    Ok(())
}

fn classify_open_error(path: &Path, err: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match err.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotStationdesk {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => StoreError::CannotOpen {
            path: path.to_path_buf(),
            reason: err.to_string(),
        },
        _ => StoreError::from(err),
    }
}

/// The desk's clock as local time, for the domain's date rules (a record is not in the future).
pub(crate) fn local_now() -> chrono::NaiveDateTime {
    crate::clock::local_now()
}

/// Now, at the millisecond precision timestamps are stored with.
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(3)
}

/// Timestamps are stored as RFC 3339 text in UTC with milliseconds.
pub(crate) fn format_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_time(text: &str) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

pub(crate) fn parse_uuid(text: &str) -> rusqlite::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

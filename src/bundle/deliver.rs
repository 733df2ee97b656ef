//! Putting a finished bundle where it must be, in the one order that never forks the chain:
//! first the station's own archive copy, then the note in the bundle log, and only then the
//! stick. A file under a bundle's final name on a stick is therefore always a bundle the
//! station has recorded and holds byte for byte; a failure before the note leaves nothing,
//! and a failure after it leaves a recorded bundle that "write again" delivers unchanged.

use std::fs;
use std::path::{Path, PathBuf};

use super::BundleError;
use crate::files::{create_private, sync_dir};

/// One step of delivering a bundle, in the order they happen. Tests fail each in turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStep {
    /// Writing the archive copy beside the database.
    ArchiveWrite,
    /// Committing the bundle's note in the bundle log.
    LogCommit,
    /// Writing the bytes to the stick under a temporary name (and syncing them).
    StickWrite,
    /// Reading the temporary file back from the stick and comparing.
    ReadBack,
    /// Renaming the temporary file to the bundle's final name.
    Rename,
}

impl DeliveryStep {
    pub const ALL: [DeliveryStep; 5] = [
        DeliveryStep::ArchiveWrite,
        DeliveryStep::LogCommit,
        DeliveryStep::StickWrite,
        DeliveryStep::ReadBack,
        DeliveryStep::Rename,
    ];
}

/// Called before each step; an error fails that step as the disk would. Production code
/// passes [`no_faults`].
pub type Faults<'a> = &'a mut dyn FnMut(DeliveryStep) -> std::io::Result<()>;

/// The hook that never fails.
pub fn no_faults(_: DeliveryStep) -> std::io::Result<()> {
    Ok(())
}

pub(super) fn io(what: &Path, e: std::io::Error) -> BundleError {
    BundleError::Io(what.display().to_string(), e)
}

/// Asks the system to forget the file's cached pages, so that the next read comes from the
/// device and not from memory (Linux; elsewhere the read may come from the cache).
fn drop_cached_pages(file: &fs::File) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// Copies the file at `source` to the new file `path` and syncs it.
fn copy_synced(source: &Path, path: &Path) -> std::io::Result<()> {
    let mut from = fs::File::open(source)?;
    let mut file = create_private(path, false)?;
    std::io::copy(&mut from, &mut file)?;
    file.sync_all()
}

/// Reads `path` back from the device and tells whether its SHA-256 is `sha256`.
fn reads_back_the_same(path: &Path, sha256: &str) -> std::io::Result<bool> {
    let mut file = fs::File::open(path)?;
    drop_cached_pages(&file);
    let (back, _) = super::writer::hash_reader(&mut file)?;
    Ok(back == sha256)
}

/// The temporary name a bundle is written under before it is whole.
fn partial_name(name: &str) -> String {
    format!(".{name}.partial")
}

/// Makes the archive folder `dir` ready and gives the temporary path a bundle named `name`
/// is built at (what an earlier run left is removed first).
pub(super) fn prepare_archive(dir: &Path, name: &str) -> Result<PathBuf, BundleError> {
    crate::files::create_private_dir(dir).map_err(|e| io(dir, e))?;
    crate::store::remove_stale_partials(dir);
    let temp = dir.join(partial_name(name));
    let _ = fs::remove_file(&temp);
    Ok(temp)
}

/// Puts the bundle built (and synced) at `temp` under its final name `dir/name` (replacing a
/// stale one nobody recorded), and reads it back from the disk against `sha256`.
pub(super) fn settle_archive(
    dir: &Path,
    name: &str,
    temp: &Path,
    sha256: &str,
) -> Result<PathBuf, BundleError> {
    let final_path = dir.join(name);
    let result = (|| {
        fs::rename(temp, &final_path).map_err(|e| io(&final_path, e))?;
        sync_dir(dir);
        if !reads_back_the_same(&final_path, sha256).map_err(|e| io(&final_path, e))? {
            return Err(BundleError::ReadBack);
        }
        Ok(final_path.clone())
    })();
    if result.is_err() {
        let _ = fs::remove_file(temp);
        let _ = fs::remove_file(&final_path);
    }
    result
}

/// Checks, before anything is written or recorded, that `dir` can take a bundle named
/// `name`: it is a directory, and no file has that name yet.
pub(super) fn check_stick(dir: &Path, name: &str) -> Result<(), BundleError> {
    let meta = fs::metadata(dir).map_err(|e| io(dir, e))?;
    if !meta.is_dir() {
        return Err(io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        ));
    }
    let final_path = dir.join(name);
    if final_path.exists() {
        return Err(BundleError::Exists(final_path.display().to_string()));
    }
    // A stick that cannot take a file (write-protected, mounted read-only) says so now, before
    // the bundle takes a number of the station's sequence.
    let probe = dir.join(partial_name(name));
    fs::File::create(&probe).map_err(|e| io(dir, e))?;
    fs::remove_file(&probe).map_err(|e| io(&probe, e))?;
    Ok(())
}

/// Copies a bundle (the file at `source`, whose SHA-256 is `sha256`) to the stick: a
/// temporary name, synced, its cached pages dropped and read back from the stick, then renamed
/// to its final name and the directory synced. On any failure nothing is left on the stick
/// under either name.
pub(super) fn copy_to_stick(
    dir: &Path,
    name: &str,
    source: &Path,
    sha256: &str,
    faults: Faults<'_>,
) -> Result<PathBuf, BundleError> {
    check_stick(dir, name)?;
    let final_path = dir.join(name);
    let temp = dir.join(partial_name(name));
    let result = (|| {
        faults(DeliveryStep::StickWrite).map_err(|e| io(&temp, e))?;
        copy_synced(source, &temp).map_err(|e| io(&temp, e))?;
        // USB sticks are known to lie about flushing: read it back from the stick.
        faults(DeliveryStep::ReadBack).map_err(|e| io(&temp, e))?;
        if !reads_back_the_same(&temp, sha256).map_err(|e| io(&temp, e))? {
            return Err(BundleError::ReadBack);
        }
        faults(DeliveryStep::Rename).map_err(|e| io(&final_path, e))?;
        fs::rename(&temp, &final_path).map_err(|e| io(&final_path, e))?;
        sync_dir(dir);
        Ok(final_path.clone())
    })();
    if result.is_err() {
        // The final name appears only by the rename, which is the last thing that can fail.
        let _ = fs::remove_file(&temp);
    }
    result
}

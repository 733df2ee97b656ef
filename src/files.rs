//! The few file operations every layer needs the same way: files for the owner alone, and
//! directories synced so that what was written in them survives a power cut.

use std::fs;
use std::path::{Path, PathBuf};

/// Creates a file readable by its owner alone (mode 0600 on Unix; elsewhere it keeps the
/// folder's permissions): bundles, backups and keys hold a station's records or secrets.
/// `new`: refuse when the file exists; otherwise it is truncated.
pub fn create_private(path: &Path, new: bool) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates `dir` (and missing parents) for the owner alone (0700 on Unix), and narrows an
/// existing one to 0700 too: the data folder and its `backups/`, `bundles/` and `documents/`.
/// The parents it makes (`backups/` of `backups/<name>/`) are 0700 too.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut made = Vec::new();
    let mut at = dir.parent();
    while let Some(path) = at.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        made.push(path.to_path_buf());
        at = path.parent();
    }
    create_dir_durable(dir)?;
    #[cfg(unix)]
    for path in made
        .iter()
        .map(PathBuf::as_path)
        .chain(std::iter::once(dir))
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Writes a new private file whole and syncs it; refuses when it exists.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = create_private(path, true)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Syncs a directory so that a rename or a new entry in it survives a power cut. Windows has
/// no directory handles to sync; there a rename is durable once the call returns.
pub fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Creates `dir` (and its missing parents) and syncs the directory each new one was made in,
/// so that the new directories themselves survive a power cut.
pub fn create_dir_durable(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(path) = at.filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        missing.push(path.to_path_buf());
        at = path.parent();
    }
    fs::create_dir_all(dir)?;
    for made in missing.iter().rev() {
        if let Some(parent) = made.parent() {
            sync_dir(parent);
        }
    }
    Ok(())
}

/// A percent-encoded `file:` URI for SQLite (the characters URIs give a meaning to).
pub fn file_uri(path: &Path) -> String {
    // A relative path is the current directory's: a URI has no relative form (`file:rodb/x.db`
    // would name `/rodb/x.db`).
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file:");
    if !text.starts_with('/') {
        out.push('/');
    }
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// `path` with `suffix` after its name: its `-wal`, `-shm` or `-journal`.
pub fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

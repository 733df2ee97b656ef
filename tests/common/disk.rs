//! Disks that misbehave, for real: a small tmpfs that fills up, one remounted read-only.
//! Mounting needs root: where it is not allowed the test says so and skips, unless
//! `STATIONDESK_REQUIRE_MOUNT=1` (CI as root) makes that a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A tmpfs of `size` at `at`, unmounted when dropped.
pub struct Tmpfs(pub PathBuf);

impl Tmpfs {
    /// Mounts it; `None` (after saying why) where mounting is not allowed.
    pub fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            assert!(
                std::env::var_os("STATIONDESK_REQUIRE_MOUNT").is_none(),
                "tmpfs cannot be mounted, and STATIONDESK_REQUIRE_MOUNT is set"
            );
            eprintln!("skipped: tmpfs cannot be mounted here (not root)");
            return None;
        }
        Some(Tmpfs(at.to_path_buf()))
    }

    /// Remounts it read-only (what a write-protected stick or a read-only share is).
    pub fn read_only(&self) {
        let ok = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "remount read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).output();
    }
}

/// Fills the disk at `dir` until fewer than `leave` bytes are free.
pub fn fill(dir: &Path, leave: u64) -> PathBuf {
    use std::io::Write;
    let filler = dir.join("filler");
    let mut file = std::fs::File::create(&filler).expect("filler");
    let chunk = vec![0u8; 4096];
    while file.write_all(&chunk).is_ok() {}
    drop(file);
    let len = std::fs::metadata(&filler).expect("filler").len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&filler)
        .expect("filler")
        .set_len(len.saturating_sub(leave))
        .expect("shrink the filler");
    filler
}

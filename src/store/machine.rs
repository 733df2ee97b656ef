//! Where this computer keeps the secret of its slot (`this_computer`, see `keys.rs`).
//!
//! The secret (32 random bytes, under which the slot seals the file key) is kept in the
//! system's own credential store where one answers: the Windows Credential Manager (its
//! secrets encrypted by DPAPI under the user's logon) or, on Linux, the desktop's Secret Service
//! (GNOME Keyring, KWallet, the keyrings of UOS and Kylin) over D-Bus. The stores come from the
//! `keyring` crates, one per target; the calls are the same on every system. Where no store
//! answers, or it takes the secret but does not give it back (no desktop session, a locked
//! keyring that cannot ask for its password), the secret is a 0600 file in the user's
//! configuration folder ([`machine_dir`]), never beside the database. The slot says where it
//! was kept ([`Kept`]), so that opening looks in that one place.

use std::path::PathBuf;
use std::sync::Arc;

use keyring_core::api::CredentialStore;
use keyring_core::Entry;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::{damaged_keys, StoreError, StoreResult};

/// The service name of the secrets in the system's store; each secret's user name is the id of
/// the keys file it opens.
const SERVICE: &str = "stationdesk";

/// Where the secret of a `this_computer` slot is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// A 0600 file in the configuration folder (and every slot written before the system's
    /// store was used).
    #[default]
    File,
    /// The system's credential store.
    System,
}

/// Where this user keeps the secrets of this computer's slots: the system's credential store
/// when one answers, and the configuration folder.
#[derive(Clone)]
pub struct Machine {
    dir: PathBuf,
    system: Option<Arc<CredentialStore>>,
}

impl std::fmt::Debug for Machine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Machine")
            .field("dir", &self.dir)
            .field("system", &self.system.as_ref().map(|store| store.vendor()))
            .finish()
    }
}

/// Where this computer's slot secrets are kept when there is no system store: the user's
/// configuration folder (`~/.config/stationdesk/machine` on Linux,
/// `%APPDATA%\stationdesk\stationdesk\config\machine` on Windows, inside the user's profile
/// whose default ACL admits that user alone).
pub fn machine_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "stationdesk", "stationdesk")
        .map(|dirs| dirs.config_dir().join("machine"))
}

impl Machine {
    /// This user's: the system's store if one answers, and the configuration folder. `None`
    /// when the system names no home for the user.
    pub fn here() -> Option<Machine> {
        Some(Machine {
            dir: machine_dir()?,
            system: system_store(),
        })
    }

    /// A folder only, no system store.
    pub fn folder(dir: impl Into<PathBuf>) -> Machine {
        Machine {
            dir: dir.into(),
            system: None,
        }
    }

    /// A folder and the given credential store (the tests give keyring-core's mock store).
    pub fn with_store(dir: impl Into<PathBuf>, store: Arc<CredentialStore>) -> Machine {
        Machine {
            dir: dir.into(),
            system: Some(store),
        }
    }

    /// The folder that holds the secrets no system store keeps.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    fn file(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.key"))
    }

    fn entry(&self, id: &str) -> Option<Entry> {
        let store = self.system.as_ref()?;
        // An entry the store will not even name is a store that does not answer: the folder.
        Entry::new_in_store(store, SERVICE, id).ok()
    }

    /// Keeps `secret` for the keys file `id`: in the system's store if it takes it and gives the
    /// same bytes back, else in the folder. Whatever was kept for `id` before is replaced.
    pub(super) fn keep(&self, id: &str, secret: &[u8; 32]) -> StoreResult<Kept> {
        if let Some(entry) = self.entry(id) {
            let taken = entry.set_secret(secret).is_ok()
                && entry
                    .get_secret()
                    .is_ok_and(|back| Zeroizing::new(back).as_slice() == secret);
            if taken {
                // A file of an earlier slot would only be a second copy of nothing.
                let _ = std::fs::remove_file(self.file(id));
                return Ok(Kept::System);
            }
            // Taken but not given back: nothing half-kept stays behind (a missing entry is fine).
            let _ = entry.delete_credential();
        }
        crate::files::create_private_dir(&self.dir).map_err(|source| StoreError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let file = self.file(id);
        // write_private makes a new file; an earlier one (a slot turned on again) goes first.
        let _ = std::fs::remove_file(&file);
        crate::files::write_private(&file, Zeroizing::new(hex::encode(secret)).as_bytes())
            .map_err(|source| StoreError::Io {
                path: file.clone(),
                source,
            })?;
        crate::files::sync_dir(&self.dir);
        Ok(Kept::File)
    }

    /// The secret kept for `id` where `kept` says; `None` when it is not there (another
    /// computer, another user, a store that does not answer now).
    pub(super) fn fetch(&self, kept: Kept, id: &str) -> StoreResult<Option<Zeroizing<[u8; 32]>>> {
        let bytes = match kept {
            Kept::System => match self.entry(id).map(|entry| entry.get_secret()) {
                Some(Ok(bytes)) => Zeroizing::new(bytes),
                _ => return Ok(None),
            },
            Kept::File => {
                let Ok(text) = std::fs::read_to_string(self.file(id)) else {
                    return Ok(None);
                };
                let text = Zeroizing::new(text);
                Zeroizing::new(
                    hex::decode(text.trim()).map_err(|_| damaged_keys("machine secret"))?,
                )
            }
        };
        let secret: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| damaged_keys("machine secret"))?;
        Ok(Some(Zeroizing::new(secret)))
    }

    /// Forgets the secret kept for `id`, wherever it is.
    pub(super) fn forget(&self, id: &str) {
        if let Some(entry) = self.entry(id) {
            // No entry (the secret was in the folder) is what forgetting wants.
            let _ = entry.delete_credential();
        }
        // No file (the secret was in the store) is what forgetting wants.
        let _ = std::fs::remove_file(self.file(id));
    }
}

/// The system's credential store, if one answers here. Why one does not (no session bus, no
/// Secret Service on it) is not the user's concern: the folder serves instead.
fn system_store() -> Option<Arc<CredentialStore>> {
    #[cfg(windows)]
    {
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new().ok()?;
        Some(store)
    }
    #[cfg(target_os = "linux")]
    {
        let store: Arc<CredentialStore> = dbus_secret_service_keyring_store::Store::new().ok()?;
        Some(store)
    }
    #[cfg(not(any(windows, target_os = "linux")))]
    {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_that_keeps_the_secret_gets_it_and_no_file_is_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store: Arc<CredentialStore> =
            keyring_core::mock::Store::new().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine::with_store(dir.path().join("machine"), store);
        let secret = [7u8; 32];
        assert_eq!(machine.keep("f1", &secret).ok(), Some(Kept::System));
        assert!(!dir.path().join("machine").exists());
        let back = machine
            .fetch(Kept::System, "f1")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.as_deref(), Some(&secret));
        // Not looked for in the folder.
        assert!(matches!(machine.fetch(Kept::File, "f1"), Ok(None)));
        machine.forget("f1");
        assert!(matches!(machine.fetch(Kept::System, "f1"), Ok(None)));
    }

    #[test]
    fn without_a_store_the_secret_is_a_private_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine::folder(dir.path().join("machine"));
        let secret = [9u8; 32];
        assert_eq!(machine.keep("f2", &secret).ok(), Some(Kept::File));
        let file = dir.path().join("machine").join("f2.key");
        assert!(file.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
        }
        let back = machine
            .fetch(Kept::File, "f2")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.as_deref(), Some(&secret));
        assert!(matches!(machine.fetch(Kept::System, "f2"), Ok(None)));
        machine.forget("f2");
        assert!(!file.exists());
    }
}

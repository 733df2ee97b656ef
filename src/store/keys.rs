//! The station file's key and the slots that unwrap it.
//!
//! The station database is a SQLCipher 4 file encrypted with a random 256-bit **file key** that
//! nobody types: SQLCipher takes it raw (`PRAGMA key = "x'…'"`), so no key derivation runs when
//! a connection opens. The key is kept beside the database in `<db>.keys` (mode 0600), wrapped
//! in one or more **slots**, each one way to unwrap it:
//!
//! - `passphrase`: the station passphrase through Argon2id (its parameters and salt in the
//!   slot, [`KdfCost::DESK`] when made by the program), the key sealed with XChaCha20-Poly1305
//!   under the derived key. A slot marked `one_time` was made by `county recover`: the desk asks
//!   for a new passphrase once it has opened with it.
//! - `this_computer`: the key sealed under a random secret kept by this computer: in the
//!   system's credential store where one answers (Windows Credential Manager, the desktop's
//!   Secret Service), else in the user's configuration folder (`machine/<file id>.key`, 0600);
//!   the slot says which (`kept`: `system` or `file`; see `machine.rs`). Never beside the
//!   database: a copy of the data folder does not carry it. Weaker: whoever can log in as this
//!   user opens the station.
//! - `escrow`: the key encrypted with age to the county office's recipient, so that the county
//!   can always recover a station (`stationdesk county recover`).
//! - `identity`: in the county's own file, the key encrypted with age to the county's own
//!   recipient, so that the county's identity file (which imports the bundles) opens it.
//!
//! No slot holds a member's PIN: 4–6 digits fall to an offline search whatever the KDF.
//!
//! The file (format `stationdesk-keys`, version 1) is JSON:
//! `{"format":"stationdesk-keys","version":1,"file":"<uuid>","slots":[…]}`; `file` names the
//! key (a new key gets a new id), and is bound into every sealed slot as associated data, with
//! the slot's kind, so that a slot cannot be moved to another file or kind. Byte strings are
//! lower-case hex. Older programs never read this file; a newer version is refused.

use std::path::{Path, PathBuf};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::error::{damaged_keys, StoreError, StoreResult};
use super::machine::{Kept, Machine};
#[cfg(test)]
use crate::domain::passphrase::{weakness, Weakness};

/// The slots file's format name and the version this program writes and reads.
pub const KEYS_FORMAT: &str = "stationdesk-keys";
pub const KEYS_VERSION: u32 = 1;

/// The key the station file is encrypted with: 32 random bytes, wiped from memory when dropped.
#[derive(Clone)]
pub struct FileKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for FileKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FileKey(…)")
    }
}

impl FileKey {
    /// A new random key.
    pub fn generate() -> FileKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(bytes.as_mut());
        FileKey(bytes)
    }

    /// Whether two keys are the same key.
    pub fn same_as(&self, other: &FileKey) -> bool {
        *self.0 == *other.0
    }

    pub(super) fn from_slice(bytes: &[u8]) -> Option<FileKey> {
        let array: [u8; 32] = bytes.try_into().ok()?;
        Some(FileKey(Zeroizing::new(array)))
    }

    pub(super) fn bytes(&self) -> &[u8] {
        self.0.as_ref()
    }

    /// The statement that gives SQLCipher this key raw (no key derivation on open).
    pub(crate) fn pragma(&self, schema: &str) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(&self.0[..]));
        Zeroizing::new(format!("PRAGMA {schema}.key = \"x'{}'\";", hex.as_str()))
    }

    /// The key as SQL for `ATTACH … KEY`.
    pub(crate) fn attach_literal(&self) -> Zeroizing<String> {
        let hex = Zeroizing::new(hex::encode(&self.0[..]));
        Zeroizing::new(format!("\"x'{}'\"", hex.as_str()))
    }
}

/// Argon2id's cost for a passphrase slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfCost {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfCost {
    /// What the program writes: 64 MiB and 3 passes, about 0.5 s on a desk PC of ten years ago
    /// (0.17 s for a whole `stationdesk keys` on the 2-core machine of docs/performance.md).
    pub const DESK: KdfCost = KdfCost {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };
    /// A cheap cost for throwaway files (the tests' and the benchmarks'); the slot records it,
    /// so only files made with it open cheaply.
    pub const QUICK: KdfCost = KdfCost {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn argon2(&self) -> StoreResult<argon2::Argon2<'static>> {
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32))
            .map_err(|e| damaged_keys(&e.to_string()))?;
        Ok(argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            params,
        ))
    }
}

/// A passphrase a person can write down and type: four words of two pinyin syllables each
/// (`meihua shanlu dongfeng xiaoqiao`), about 69 bits from ~400 syllables.
pub fn generate_passphrase() -> String {
    let syllables = syllables();
    let mut rng = rand::rng();
    let mut pick = || {
        // Always within the list (hundreds of syllables, checked by a test).
        let at = (rng.next_u32() as usize) % syllables.len().max(1);
        syllables.get(at).cloned().unwrap_or_default()
    };
    (0..4)
        .map(|_| format!("{}{}", pick(), pick()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every toneless pinyin syllable of the common Han characters, each once, sorted.
fn syllables() -> Vec<String> {
    use pinyin::ToPinyin;
    let mut set = std::collections::BTreeSet::new();
    for code in 0x4E00u32..0x9FA6 {
        if let Some(p) = char::from_u32(code).and_then(|c| c.to_pinyin()) {
            let plain = p.plain();
            // ü is written v on a keyboard, and a person writing the words down may not know
            // that: syllables with it are left out.
            if plain.chars().all(|c| c.is_ascii_lowercase()) && plain.len() >= 2 {
                set.insert(plain.to_string());
            }
        }
    }
    set.into_iter().collect()
}

/// A passphrase as the person typed it, wiped from memory when dropped. Spaces at either end
/// are not part of it (a line read from a file or a terminal).
#[derive(Clone)]
pub struct Passphrase(Zeroizing<String>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

impl Passphrase {
    pub fn new(text: &str) -> Passphrase {
        Passphrase(Zeroizing::new(text.trim().to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One way to open the station file.
#[derive(Clone, Debug)]
pub enum Unlock {
    /// The station passphrase (or the one-time passphrase of a recovery).
    Passphrase(Passphrase),
    /// This computer's slot, its secret kept where `Machine` says.
    ThisComputer(Machine),
    /// The key itself, as a second connection of a store that is open already gets it.
    Key(FileKey),
}

/// The slots file of the database at `db`: `<db>.keys`.
pub fn keys_path(db: &Path) -> PathBuf {
    crate::files::beside(db, ".keys")
}

/// One way to unwrap the file key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Slot {
    Passphrase {
        kdf: String,
        cost: KdfCost,
        salt: String,
        nonce: String,
        sealed: String,
        #[serde(default)]
        one_time: bool,
    },
    ThisComputer {
        nonce: String,
        sealed: String,
        /// Where the secret is: the system's credential store or the configuration folder
        /// (slots written before the system's store was used have no field: the folder).
        #[serde(default)]
        kept: Kept,
    },
    Escrow {
        recipient: String,
        age: String,
    },
    Identity {
        recipient: String,
        age: String,
    },
}

impl Slot {
    fn kind(&self) -> &'static str {
        match self {
            Slot::Passphrase { .. } => "passphrase",
            Slot::ThisComputer { .. } => "this_computer",
            Slot::Escrow { .. } => "escrow",
            Slot::Identity { .. } => "identity",
        }
    }
}

/// The slots file: which key (`file`), and the slots that unwrap it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Slots {
    pub format: String,
    pub version: u32,
    pub file: String,
    pub slots: Vec<Slot>,
}

fn unhex(text: &str) -> StoreResult<Vec<u8>> {
    hex::decode(text).map_err(|e| damaged_keys(&e.to_string()))
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// Seals `key` under `wrapping` with a fresh nonce; returns (nonce, sealed) in hex.
fn seal(wrapping: &[u8; 32], key: &FileKey, aad: &[u8]) -> StoreResult<(String, String)> {
    let cipher = XChaCha20Poly1305::new(wrapping.into());
    let nonce: [u8; 24] = random();
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: key.0.as_ref(),
                aad,
            },
        )
        .map_err(|_| damaged_keys("seal"))?;
    Ok((hex::encode(nonce), hex::encode(sealed)))
}

/// Opens a sealed key; `None` when the wrapping key is not the right one.
fn open_sealed(
    wrapping: &[u8; 32],
    nonce: &str,
    sealed: &str,
    aad: &[u8],
) -> StoreResult<Option<FileKey>> {
    let nonce = unhex(nonce)?;
    if nonce.len() != 24 {
        return Err(damaged_keys("nonce"));
    }
    let sealed = unhex(sealed)?;
    let cipher = XChaCha20Poly1305::new(wrapping.into());
    match cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad }) {
        Ok(plain) => {
            let plain = Zeroizing::new(plain);
            Ok(FileKey::from_slice(&plain))
        }
        Err(_) => Ok(None),
    }
}

impl Slots {
    /// No slot yet, for `key` (a new key id).
    pub fn new() -> Slots {
        Slots {
            format: KEYS_FORMAT.to_string(),
            version: KEYS_VERSION,
            file: uuid::Uuid::now_v7().to_string(),
            slots: Vec::new(),
        }
    }

    fn aad(&self, kind: &str) -> Vec<u8> {
        format!("{KEYS_FORMAT}/{KEYS_VERSION}/{}/{kind}", self.file).into_bytes()
    }

    /// Reads a slots file.
    pub fn load(path: &Path) -> StoreResult<Slots> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::NoKeys {
                    path: path.to_path_buf(),
                })
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Slots::parse(&text)
    }

    /// Reads a slots file's text.
    pub fn parse(text: &str) -> StoreResult<Slots> {
        let slots: Slots = serde_json::from_str(text).map_err(|e| damaged_keys(&e.to_string()))?;
        if slots.format != KEYS_FORMAT {
            return Err(damaged_keys("format"));
        }
        if slots.version > KEYS_VERSION {
            return Err(StoreError::NewerSchema {
                found: i64::from(slots.version),
                supported: i64::from(KEYS_VERSION),
            });
        }
        Ok(slots)
    }

    /// The file's text.
    pub fn to_text(&self) -> StoreResult<String> {
        let text = serde_json::to_string_pretty(self).map_err(|e| damaged_keys(&e.to_string()))?;
        Ok(text + "\n")
    }

    /// Writes the slots file whole (0600) under a temporary name, syncs it and renames it over
    /// `path`: a power cut leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> StoreResult<()> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let temp = crate::files::beside(path, ".partial");
        let _ = std::fs::remove_file(&temp);
        crate::files::write_private(&temp, self.to_text()?.as_bytes()).map_err(io)?;
        std::fs::rename(&temp, path).map_err(io)?;
        if let Some(dir) = path.parent() {
            crate::files::sync_dir(dir);
        }
        Ok(())
    }

    /// Writes the slots file at `path` only if there is none: whole or not at all (written
    /// beside it, then linked to its name, which fails when the name is taken). `false`: another
    /// process made one first (two programs creating the same new file at once), and it is
    /// the one to use.
    pub fn save_new(&self, path: &Path) -> StoreResult<bool> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        let temp =
            crate::files::beside(path, &format!(".{}.partial", uuid::Uuid::now_v7().simple()));
        crate::files::write_private(&temp, self.to_text()?.as_bytes()).map_err(io)?;
        let linked = std::fs::hard_link(&temp, path);
        let _ = std::fs::remove_file(&temp);
        match linked {
            Ok(()) => {
                if let Some(dir) = path.parent() {
                    crate::files::sync_dir(dir);
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            // A file system without hard links (FAT): made exclusively under its name instead.
            Err(_) => {
                use std::io::Write;
                let mut file = match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(path)
                {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
                    Err(e) => return Err(io(e)),
                };
                file.write_all(self.to_text()?.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(io)?;
                Ok(true)
            }
        }
    }

    /// Sets the passphrase slot (replacing the one there was).
    pub fn set_passphrase(
        &mut self,
        key: &FileKey,
        passphrase: &Passphrase,
        cost: KdfCost,
        one_time: bool,
    ) -> StoreResult<()> {
        let salt: [u8; 16] = random();
        let mut wrapping = Zeroizing::new([0u8; 32]);
        cost.argon2()?
            .hash_password_into(passphrase.as_str().as_bytes(), &salt, wrapping.as_mut())
            .map_err(|e| damaged_keys(&e.to_string()))?;
        let (nonce, sealed) = seal(&wrapping, key, &self.aad("passphrase"))?;
        self.slots.retain(|s| !matches!(s, Slot::Passphrase { .. }));
        self.slots.insert(
            0,
            Slot::Passphrase {
                kdf: "argon2id".to_string(),
                cost,
                salt: hex::encode(salt),
                nonce,
                sealed,
                one_time,
            },
        );
        Ok(())
    }

    /// Removes the escrow slot (the county recipient was cleared).
    pub fn clear_escrow(&mut self) {
        self.slots.retain(|s| !matches!(s, Slot::Escrow { .. }));
    }

    /// Adds this computer's slot: a new random secret kept by `machine` (the system's
    /// credential store, or a 0600 file in its folder), the key sealed under it here.
    pub fn set_this_computer(&mut self, key: &FileKey, machine: &Machine) -> StoreResult<()> {
        let secret = Zeroizing::new(random::<32>());
        let kept = machine.keep(&self.file, &secret)?;
        let (nonce, sealed) = seal(&secret, key, &self.aad("this_computer"))?;
        self.slots
            .retain(|s| !matches!(s, Slot::ThisComputer { .. }));
        self.slots.push(Slot::ThisComputer {
            nonce,
            sealed,
            kept,
        });
        Ok(())
    }

    /// Removes this computer's slot and its secret.
    pub fn clear_this_computer(&mut self, machine: &Machine) {
        self.slots
            .retain(|s| !matches!(s, Slot::ThisComputer { .. }));
        machine.forget(&self.file);
    }

    /// Where this computer's slot keeps its secret, if there is such a slot.
    pub fn this_computer_kept(&self) -> Option<Kept> {
        self.slots.iter().find_map(|s| match s {
            Slot::ThisComputer { kept, .. } => Some(*kept),
            _ => None,
        })
    }

    pub fn has_this_computer(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::ThisComputer { .. }))
    }

    pub fn has_passphrase(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::Passphrase { .. }))
    }

    /// Whether the passphrase slot is a recovery's one-time passphrase.
    pub fn one_time(&self) -> bool {
        self.slots
            .iter()
            .any(|s| matches!(s, Slot::Passphrase { one_time: true, .. }))
    }

    /// The escrow slot's age text and recipient.
    pub fn escrow(&self) -> Option<(&str, &str)> {
        self.slots.iter().find_map(|s| match s {
            Slot::Escrow { recipient, age } => Some((recipient.as_str(), age.as_str())),
            _ => None,
        })
    }

    /// The slots a copy carries (a backup, a moved station): the passphrase and the escrow,
    /// never this computer's.
    pub fn travelling(&self) -> Slots {
        Slots {
            slots: self
                .slots
                .iter()
                .filter(|s| !matches!(s, Slot::ThisComputer { .. }))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// Unwraps the file key.
    pub fn unlock(&self, how: &Unlock) -> StoreResult<FileKey> {
        match how {
            Unlock::Key(key) => Ok(key.clone()),
            Unlock::Passphrase(passphrase) => {
                let mut tried = false;
                for slot in &self.slots {
                    let Slot::Passphrase {
                        kdf,
                        cost,
                        salt,
                        nonce,
                        sealed,
                        ..
                    } = slot
                    else {
                        continue;
                    };
                    if kdf != "argon2id" {
                        return Err(damaged_keys("kdf"));
                    }
                    tried = true;
                    let mut wrapping = Zeroizing::new([0u8; 32]);
                    cost.argon2()?
                        .hash_password_into(
                            passphrase.as_str().as_bytes(),
                            &unhex(salt)?,
                            wrapping.as_mut(),
                        )
                        .map_err(|e| damaged_keys(&e.to_string()))?;
                    if let Some(key) =
                        open_sealed(&wrapping, nonce, sealed, &self.aad(slot.kind()))?
                    {
                        return Ok(key);
                    }
                }
                Err(if tried {
                    StoreError::WrongPassphrase
                } else {
                    StoreError::NoSlot
                })
            }
            Unlock::ThisComputer(machine) => {
                let Some((nonce, sealed, kept)) = self.slots.iter().find_map(|s| match s {
                    Slot::ThisComputer {
                        nonce,
                        sealed,
                        kept,
                    } => Some((nonce, sealed, *kept)),
                    _ => None,
                }) else {
                    return Err(StoreError::NoSlot);
                };
                let Some(secret) = machine.fetch(kept, &self.file)? else {
                    return Err(StoreError::NoSlot);
                };
                open_sealed(&secret, nonce, sealed, &self.aad("this_computer"))?
                    .ok_or(StoreError::NoSlot)
            }
        }
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(text: &str) -> Unlock {
        Unlock::Passphrase(Passphrase::new(text))
    }

    #[test]
    fn a_passphrase_slot_opens_with_its_passphrase_only() {
        let key = FileKey::generate();
        let mut slots = Slots::new();
        let good = Passphrase::new("meihua shanlu dongfeng");
        slots
            .set_passphrase(&key, &good, KdfCost::QUICK, false)
            .unwrap_or_else(|e| panic!("{e}"));
        let opened = slots.unlock(&pass("meihua shanlu dongfeng"));
        assert!(matches!(opened, Ok(k) if *k.0 == *key.0));
        assert!(matches!(
            slots.unlock(&pass("meihua shanlu dongfenG")),
            Err(StoreError::WrongPassphrase)
        ));
        // Read back from its text, the same.
        let text = slots.to_text().unwrap_or_else(|e| panic!("{e}"));
        let again = Slots::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert!(again.unlock(&pass("meihua shanlu dongfeng")).is_ok());
    }

    #[test]
    fn a_slot_moved_to_another_file_id_does_not_open() {
        let key = FileKey::generate();
        let mut slots = Slots::new();
        let good = Passphrase::new("meihua shanlu dongfeng");
        slots
            .set_passphrase(&key, &good, KdfCost::QUICK, false)
            .unwrap_or_else(|e| panic!("{e}"));
        slots.file = uuid::Uuid::now_v7().to_string();
        assert!(slots.unlock(&Unlock::Passphrase(good)).is_err());
    }

    /// A new key and slots with this computer's slot, its secret kept by `machine`.
    fn this_computer_on(machine: &Machine) -> (FileKey, Slots) {
        let key = FileKey::generate();
        let mut slots = Slots::new();
        slots
            .set_this_computer(&key, machine)
            .unwrap_or_else(|e| panic!("{e}"));
        (key, slots)
    }

    #[test]
    fn this_computer_opens_here_and_not_without_its_secret() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine::folder(dir.path().join("machine"));
        let (_, mut slots) = this_computer_on(&machine);
        assert_eq!(slots.this_computer_kept(), Some(Kept::File));
        assert!(slots.unlock(&Unlock::ThisComputer(machine.clone())).is_ok());
        // A copy of the slots file on another computer: no secret there.
        let elsewhere = Machine::folder(dir.path().join("elsewhere"));
        assert!(matches!(
            slots.unlock(&Unlock::ThisComputer(elsewhere)),
            Err(StoreError::NoSlot)
        ));
        assert!(!slots.travelling().has_this_computer());
        slots.clear_this_computer(&machine);
        assert!(slots.unlock(&Unlock::ThisComputer(machine)).is_err());
    }

    #[test]
    fn this_computer_in_the_system_store_opens_through_it_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store: std::sync::Arc<keyring_core::api::CredentialStore> =
            keyring_core::mock::Store::new().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine::with_store(dir.path().join("machine"), store);
        let (key, mut slots) = this_computer_on(&machine);
        assert_eq!(slots.this_computer_kept(), Some(Kept::System));
        // Written and read back, the slot still says where its secret is.
        let text = slots.to_text().unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("\"kept\": \"system\""));
        let again = Slots::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let opened = again.unlock(&Unlock::ThisComputer(machine.clone()));
        assert!(matches!(opened, Ok(k) if k.same_as(&key)));
        // The same folder without the store: nothing there.
        let folder = Machine::folder(dir.path().join("machine"));
        assert!(matches!(
            again.unlock(&Unlock::ThisComputer(folder)),
            Err(StoreError::NoSlot)
        ));
        slots.clear_this_computer(&machine);
        assert!(matches!(
            again.unlock(&Unlock::ThisComputer(machine)),
            Err(StoreError::NoSlot)
        ));
    }

    #[test]
    fn a_slot_of_the_earlier_format_keeps_its_secret_in_the_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let machine = Machine::folder(dir.path().join("machine"));
        let (_, slots) = this_computer_on(&machine);
        // As the version before wrote it: no `kept`.
        let text = slots
            .to_text()
            .unwrap_or_else(|e| panic!("{e}"))
            .replace(",\n      \"kept\": \"file\"", "");
        assert!(!text.contains("kept"));
        let earlier = Slots::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(earlier.this_computer_kept(), Some(Kept::File));
        assert!(earlier.unlock(&Unlock::ThisComputer(machine)).is_ok());
    }

    #[test]
    fn weak_passphrases_are_named() {
        assert_eq!(weakness("short"), Some(Weakness::Short));
        assert_eq!(weakness("1234567890123"), Some(Weakness::OnlyDigits));
        assert_eq!(weakness("abababababab"), Some(Weakness::Repetitive));
        assert_eq!(weakness("青溪镇委员工作站值班台"), None);
        let made = generate_passphrase();
        assert_eq!(weakness(&made), None, "{made}");
        assert_eq!(made.split(' ').count(), 4);
        assert!(made.chars().all(|c| c.is_ascii_lowercase() || c == ' '));
    }

    #[test]
    fn there_are_hundreds_of_syllables_to_draw_from() {
        let all = syllables();
        assert!(all.len() > 350, "{}", all.len());
        assert!(all.contains(&"zhuang".to_string()));
    }
}

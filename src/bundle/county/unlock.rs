//! The county's own SQLite file is encrypted as a station's is (SQLCipher 4, a random file key
//! in `<county.db>.keys`), with two kinds of slot: the county's **identity** (the key encrypted
//! with age to the recipient of the identity file that imports the bundles, so `county import
//! --identity` opens it with nothing else) and a **passphrase** (Argon2id, for the clerk's
//! reports and queries without the identity file at hand). PostgreSQL keeps its own disk and
//! access rules and takes neither.
//!
//! A file that does not exist yet is made encrypted; a plain county file of an earlier version
//! is converted on first open, after a verified plain backup, as a station's is.

use std::path::Path;

use crate::bundle::verify::Identity;
use crate::bundle::BundleError;
use crate::store::{self, FileKey, FileState, KdfCost, Passphrase, Slots, Unlock};

/// What the county's file may be opened (or made) with: the county's identities, a
/// passphrase, or both.
pub struct CountyUnlock {
    identities: Vec<Identity>,
    /// The identities' recipients (`age1…`), for the identity slot of a new file.
    recipients: Vec<String>,
    passphrase: Option<Passphrase>,
    cost: KdfCost,
}

impl std::fmt::Debug for CountyUnlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountyUnlock")
            .field("recipients", &self.recipients)
            .field("passphrase", &self.passphrase.is_some())
            .finish()
    }
}

/// Why the county's file could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountyKeyProblem {
    /// A new (or plain) county file is to be made encrypted, and neither an identity nor a
    /// passphrase was given to make its slots with.
    NothingToMakeItWith,
    /// Neither the identity nor the passphrase given opens it.
    NotOpened,
    /// No identity and no passphrase were given for an encrypted county file.
    NotGiven,
    /// The file is not SQLite and has no keys file beside it: another program's file, or a
    /// county file whose keys file is lost.
    NoKeys,
}

impl CountyUnlock {
    /// Nothing: enough for PostgreSQL, and for nothing else.
    pub fn none() -> CountyUnlock {
        CountyUnlock {
            identities: Vec::new(),
            recipients: Vec::new(),
            passphrase: None,
            cost: KdfCost::DESK,
        }
    }

    /// The county's identity file (`county keygen`'s): its identities open the file, and a new
    /// file gets a slot for each of its X25519 recipients.
    pub fn identity_file(path: &Path) -> Result<CountyUnlock, BundleError> {
        let identities = crate::bundle::load_identities(path)?;
        let text = std::fs::read_to_string(path)
            .map_err(|e| BundleError::Io(path.display().to_string(), e))?;
        let recipients = text
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("AGE-SECRET-KEY-"))
            // Only X25519 identities have a recipient to make a slot for; another kind of line
            // (a plugin's identity) still opens bundles through `identities`.
            .filter_map(|line| line.parse::<age::x25519::Identity>().ok())
            .map(|identity| identity.to_public().to_string())
            .collect();
        Ok(CountyUnlock {
            identities,
            recipients,
            ..CountyUnlock::none()
        })
    }

    pub fn with_passphrase(mut self, passphrase: Option<Passphrase>) -> CountyUnlock {
        self.passphrase = passphrase;
        self
    }

    /// The cost of a passphrase slot made here ([`KdfCost::DESK`] unless a test says).
    pub fn with_cost(mut self, cost: KdfCost) -> CountyUnlock {
        self.cost = cost;
        self
    }

    pub fn has_identity(&self) -> bool {
        !self.identities.is_empty()
    }

    pub fn has_passphrase(&self) -> bool {
        self.passphrase.is_some()
    }

    /// A new key and its slots: an identity slot for every recipient, a passphrase slot when
    /// one was given.
    fn new_slots(&self) -> Result<(FileKey, Slots), BundleError> {
        if self.recipients.is_empty() && self.passphrase.is_none() {
            return Err(county_key(
                CountyKeyProblem::NothingToMakeItWith,
                Path::new(""),
            ));
        }
        let key = FileKey::generate();
        let mut slots = Slots::new();
        if let Some(passphrase) = &self.passphrase {
            slots.set_passphrase(&key, passphrase, self.cost, false)?;
        }
        slots.set_identities(&key, &self.recipients)?;
        Ok((key, slots))
    }

    /// The file key from `slots`: the identities first, then the passphrase.
    fn open(&self, slots: &Slots) -> Result<FileKey, BundleError> {
        if self.identities.is_empty() && self.passphrase.is_none() {
            return Err(county_key(CountyKeyProblem::NotGiven, Path::new("")));
        }
        if !self.identities.is_empty() {
            if let Ok(key) = slots.unlock_with_identities(&self.identities) {
                return Ok(key);
            }
        }
        if let Some(passphrase) = &self.passphrase {
            match slots.unlock(&Unlock::Passphrase(passphrase.clone())) {
                Ok(key) => return Ok(key),
                Err(store::StoreError::WrongPassphrase | store::StoreError::NoSlot) => {}
                Err(other) => return Err(other.into()),
            }
        }
        Err(county_key(CountyKeyProblem::NotOpened, Path::new("")))
    }

    /// The key of the county file at `path`, for a file that exists or is to be made: an
    /// encrypted file's from its slots; for a missing one, a new key whose keys file is
    /// written first (two importers making the same new file at once agree on the first
    /// one written); a plain one of an earlier version is converted here. `None` never: the
    /// county file is always encrypted once this returns.
    pub(crate) fn key_of(&self, path: &Path) -> Result<FileKey, BundleError> {
        let keys = store::keys_path(path);
        match store::file_state(path) {
            FileState::Encrypted => {
                if !keys.exists() {
                    return Err(county_key(CountyKeyProblem::NoKeys, path));
                }
                self.open(&Slots::load(&keys)?)
                    .map_err(|e| with_path(e, path))
            }
            FileState::Missing => {
                if !keys.exists() {
                    let (key, slots) = self.new_slots().map_err(|e| with_path(e, path))?;
                    if slots.save_new(&keys)? {
                        return Ok(key);
                    }
                }
                self.open(&Slots::load(&keys)?)
                    .map_err(|e| with_path(e, path))
            }
            FileState::Plain => {
                let (key, slots) = self.new_slots().map_err(|e| with_path(e, path))?;
                store::encrypt_in_place(path, &key, &slots, &mut |_| {})?;
                Ok(key)
            }
        }
    }

    /// Sets (or replaces) the passphrase slot of the county file at `path`, opened with
    /// `self`: `county passphrase`.
    pub fn set_passphrase(&self, path: &Path, new: &Passphrase) -> Result<(), BundleError> {
        let keys = store::keys_path(path);
        let key = self.key_of(path)?;
        let mut slots = Slots::load(&keys)?;
        slots.set_passphrase(&key, new, self.cost, false)?;
        slots.save(&keys)?;
        Ok(())
    }

    /// Adds the identity slots of `identity` (replacing those there were) to the county file
    /// at `path`, opened with `self`: a county that opened its file by passphrase alone, or
    /// changed its identity.
    pub fn set_identity(&self, path: &Path, identity: &CountyUnlock) -> Result<(), BundleError> {
        let keys = store::keys_path(path);
        let key = self.key_of(path)?;
        let mut slots = Slots::load(&keys)?;
        slots.set_identities(&key, &identity.recipients)?;
        slots.save(&keys)?;
        Ok(())
    }

    /// A plain rusqlite connection to the county file at `path`, read-write, with its key
    /// given: for tools and tests that reach under the county store (a test that forges a
    /// record). Nothing is checked or migrated.
    pub fn raw_connection(&self, path: &Path) -> Result<rusqlite::Connection, BundleError> {
        let key = self.key_of(path)?;
        Ok(store::raw_connection(path, &Unlock::Key(key))?)
    }

    /// Runs one read-only statement on the county file at `path`: `county sql`.
    #[allow(clippy::type_complexity)]
    pub fn query(
        &self,
        path: &Path,
        sql: &str,
    ) -> Result<(Vec<String>, Vec<Vec<rusqlite::types::Value>>), BundleError> {
        let key = match store::file_state(path) {
            // An older plain county file is read as it is, not converted by a query.
            FileState::Plain => None,
            FileState::Missing => {
                return Err(store::StoreError::CannotOpen {
                    path: path.to_path_buf(),
                    reason: "no such file".to_string(),
                }
                .into())
            }
            FileState::Encrypted => Some(self.key_of(path)?),
        };
        Ok(store::query_file(path, key.as_ref(), sql)?)
    }
}

fn county_key(problem: CountyKeyProblem, path: &Path) -> BundleError {
    BundleError::CountyKey {
        problem,
        path: path.display().to_string(),
    }
}

/// Names the file in a key problem found before its path was known.
fn with_path(error: BundleError, path: &Path) -> BundleError {
    match error {
        BundleError::CountyKey { problem, .. } => county_key(problem, path),
        other => other,
    }
}

//! A county office for the exchange tests: its key, its database, imports.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use stationdesk::bundle::{self, BundleError, CountyDb, CountyUnlock, ImportOutcome};

pub struct County {
    pub key: PathBuf,
    pub recipient: String,
    pub db: PathBuf,
}

impl County {
    /// What opens the county's own (encrypted) file: its identity.
    pub fn unlock(&self) -> CountyUnlock {
        CountyUnlock::identity_file(&self.key).unwrap()
    }
}

pub fn county(dir: &Path, name: &str) -> County {
    let (text, recipient) = bundle::county_keygen();
    let key = dir.join(format!("{name}.key"));
    std::fs::write(&key, text).unwrap();
    County {
        key,
        recipient,
        db: dir.join(format!("{name}.db")),
    }
}

pub fn import(c: &County, file: &Path) -> Result<ImportOutcome, BundleError> {
    let identities = bundle::load_identities(&c.key).unwrap();
    let mut db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    db.import(&std::fs::read(file).unwrap(), &identities)
}

/// The county database file's bytes, with the connection closed.
pub fn county_bytes(c: &County) -> Vec<u8> {
    std::fs::read(&c.db).unwrap()
}

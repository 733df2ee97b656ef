//! Shared fixtures: real SQLite files in temp dirs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod county;
pub mod craft;
pub mod disk;
pub mod office;
pub mod pg;
pub mod screen;

use std::path::{Path, PathBuf};

use stationdesk::domain::{Gender, Level, MemberFields, StationSetup};
use stationdesk::store::{KdfCost, Passphrase, Store, StoreResult, Unlock};
use tempfile::TempDir;

/// The passphrase of every station file the tests make (their slots at the quick cost).
pub const PASSPHRASE: &str = "test station passphrase";

pub fn unlock() -> Unlock {
    Unlock::Passphrase(Passphrase::new(PASSPHRASE))
}

/// Opens (creating if missing) the station file at `path` with the tests' passphrase.
pub fn try_open(path: &Path) -> StoreResult<Store> {
    Store::open_with(path, &unlock(), KdfCost::QUICK, &mut |_| {})
}

/// A rusqlite connection to the station file at `path` with its key: what `sqlite3` on the
/// file was before it was encrypted.
pub fn connection(path: &Path) -> rusqlite::Result<rusqlite::Connection> {
    stationdesk::store::raw_connection(path, &unlock())
        .map_err(|e| rusqlite::Error::InvalidPath(PathBuf::from(e.to_string())))
}

/// The real binary, with the tests' passphrase in its environment.
pub fn command() -> std::process::Command {
    let mut command = std::process::Command::new(bin());
    command.env("STATIONDESK_PASSPHRASE", PASSPHRASE);
    command
}

pub struct Fixture {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("station.db");
        Fixture { dir, path }
    }

    pub fn open(&self) -> Store {
        try_open(&self.path).expect("open store")
    }

    /// A store with an initialised station.
    pub fn station(&self) -> Store {
        let mut store = self.open();
        store
            .init_station(&StationSetup {
                name: "青溪镇政协委员工作站".into(),
                code: "QX01".into(),
                county: "清河县".into(),
                county_recipient: String::new(),
            })
            .expect("init station");
        store.set_actor("李秀兰");
        store
    }
}

pub fn member(name: &str) -> MemberFields {
    MemberFields {
        name: name.into(),
        gender: Gender::Female,
        sector: "医药卫生界".into(),
        level: Level::County,
        party: "中共党员".into(),
        phone: "13800138000".into(),
        specialties: "全科医学".into(),
        mediator: false,
        active: true,
    }
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stationdesk")
}

/// The peak resident memory of this process's waited-for children, in bytes.
#[cfg(target_os = "linux")]
pub fn children_peak_rss() -> u64 {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let status = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(status, 0);
    usage.ru_maxrss as u64 * 1024
}

/// `store::check_file` with the file's key when its keys file opens with the tests'
/// passphrase (none for a plain or foreign file).
pub fn check_file(path: &Path) -> StoreResult<stationdesk::store::CheckVerdict> {
    let key = stationdesk::store::unlock_file(path, &unlock())
        .ok()
        .flatten()
        .map(|(key, _)| key);
    stationdesk::store::check_file(path, key.as_ref())
}

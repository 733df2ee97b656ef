//! What can go wrong in the store, with enough meaning for a message in the user's language.

use std::path::PathBuf;

use thiserror::Error;

use crate::domain::{RecordKind, ValidationError};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the database at {path}: {reason}")]
    CannotOpen { path: PathBuf, reason: String },
    #[error("{path} is not a stationdesk database")]
    NotStationdesk { path: PathBuf },
    #[error("the database is damaged")]
    Corrupt,
    #[error("the database is on a read-only disk or file")]
    ReadOnly,
    #[error("the disk is full")]
    DiskFull,
    #[error(
        "the database was made by a newer version (schema {found}, this program knows {supported})"
    )]
    NewerSchema { found: i64, supported: i64 },
    #[error("the station is already initialised")]
    AlreadyInitialised,
    #[error("the station is not initialised")]
    NotInitialised,
    #[error("the backup is of another station, and this one has sent bundles already")]
    OtherStation,
    /// The case a visit was handed over to is still being mediated.
    #[error("case {0} is not concluded yet")]
    CaseNotConcluded(String),
    /// The topic or report a visit was handed over to has no result yet.
    #[error("{0} has no result yet")]
    HandOverOpen(String),
    /// A change was asked for while nobody is signed in at the desk: no change is anonymous.
    #[error("nobody is signed in at the desk")]
    NobodySignedIn,
    #[error("stopped before it was done")]
    Cancelled,
    #[error("no {kind} with id {id}")]
    NotFound { kind: RecordKind, id: String },
    #[error("the {kind} {id} is deleted")]
    Deleted { kind: RecordKind, id: String },
    #[error("the {kind} {id} is not deleted")]
    NotDeleted { kind: RecordKind, id: String },
    #[error("invalid input: {0:?}")]
    Invalid(Vec<(&'static str, ValidationError)>),
    #[error("invalid input: {0:?}")]
    InvalidFields(Vec<(String, ValidationError)>),
    #[error("invalid case: {0:?}")]
    InvalidCase(Vec<(crate::domain::case::CaseField, ValidationError)>),
    #[error("refused: {0:?}")]
    Refused(crate::domain::IntakeRefusal),
    #[error("refused: {0:?}")]
    CaseRefused(crate::domain::case::CaseRefusal),
    #[error("refused: {0:?}")]
    ShiftRefused(crate::domain::roster::ShiftRefusal),
    #[error("refused: {0:?}")]
    ConsultRefused(crate::domain::consult::ConsultRefusal),
    #[error("{0}")]
    Setting(&'static str),
    #[error("signing key: {0}")]
    Key(String),
    /// The station file is encrypted and no key was given to open it.
    #[error("the station file is locked")]
    Locked,
    /// No slot in the keys file opens with the passphrase given.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The keys file has no slot of the kind asked for (this computer's, a passphrase).
    #[error("no such slot")]
    NoSlot,
    /// The encrypted station file's keys file is missing.
    #[error("{path}: no keys file")]
    NoKeys { path: PathBuf },
    /// The keys file cannot be read as one.
    #[error("keys file: {0}")]
    KeysDamaged(String),
    /// A passphrase too weak to protect the station's file.
    #[error("weak passphrase: {0:?}")]
    WeakPassphrase(crate::domain::passphrase::Weakness),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The station's assessment rules file cannot be used.
    #[error("{}: {error}", path.display())]
    Rules {
        path: PathBuf,
        error: crate::domain::assessment::RulesError,
    },
    #[error("a stored record could not be read: {0}")]
    BadRecord(String),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => StoreError::Corrupt,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::OperationInterrupted) => StoreError::Cancelled,
            _ => StoreError::Sqlite(err),
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> StoreError {
        StoreError::BadRecord(err.to_string())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A keys file, a slot or a secret of one that cannot be read as it should.
pub(super) fn damaged_keys(reason: &str) -> StoreError {
    StoreError::KeysDamaged(reason.to_string())
}

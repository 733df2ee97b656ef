//! County bundles (format `stationdesk-bundle/3`, see docs/county.md): an age encryption of a zip
//! holding a signed manifest, the records as JSON lines and their change history, an xlsx
//! report, and (a plaintext bundle only) the same records as CSV for people. Export on the station side, verify anywhere, import on the county side.

mod county;
mod deliver;
mod export;
mod manifest;
mod mask;
mod names;
mod tables;
mod verify;
mod writer;

pub use crate::text::{mask_free_text, mask_personal};
pub use county::desk as county_desk;
pub use county::entries as county_entries;
pub use county::hot as county_hot;
pub use county::{
    is_postgres_target, BundleRow, Copied, Counted, CountyDb, CountyKeyProblem, CountyUnlock,
    ImportOutcome, ReportWritten, StationRow, COUNTY_REPORT_ROWS,
};
pub use deliver::{no_faults, DeliveryStep, Faults};
pub use export::{
    archive_dir, export, export_with_faults, export_with_progress, pending, pending_total,
    report_rows, seal, write_again, write_again_with_faults, ExportOptions, ExportOutcome,
    REPORT_ROWS, SEALED_REPORT_ROWS,
};
pub use manifest::{BundleManifest, FileEntry, KeyEscrow, FORMAT};
pub use mask::mask_json;
pub use verify::{
    limits, load_identities, peek_file, verify, verify_file, BundleReader, Identity, Source,
    VerifiedBundle,
};

use thiserror::Error;

use crate::store::StoreError;

/// Why a bundle could not be written, read or imported.
#[derive(Debug, Error)]
pub enum BundleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("no county recipient is configured")]
    NoRecipient,
    #[error("not an age recipient")]
    BadRecipient,
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("the written bundle did not read back the same")]
    ReadBack,
    #[error("the file is encrypted and no identity was given")]
    NeedIdentity,
    #[error("the identity file could not be read: {0}")]
    BadIdentity(String),
    #[error("the bundle is not encrypted to this identity")]
    WrongIdentity,
    #[error("the age header is too large or has too many recipients")]
    HostileHeader,
    #[error("the file is damaged or truncated: {0}")]
    Damaged(String),
    #[error("unknown bundle format {0}")]
    UnknownFormat(String),
    #[error("the manifest signature does not verify")]
    BadSignature,
    #[error("{0} does not match the manifest")]
    FileMismatch(String),
    /// A part could not be read to its end: its encryption or its compression is damaged.
    #[error("{part} cannot be read: {reason}")]
    PartUnreadable { part: String, reason: String },
    #[error("signed by another key than the one pinned for this station")]
    KeyMismatch,
    #[error("bundles {from} to {to} are missing before this one")]
    Gap { from: u64, to: u64 },
    #[error("the bundle states more than a bundle may hold: {0}")]
    OutOfBounds(String),
    #[error("the zip holds two entries under one name, or entries its directory hides")]
    DuplicateEntries,
    #[error("record {0} claims another station than the one that signed the bundle")]
    ForeignRecord(String),
    #[error("the signing key is already pinned to station {0}")]
    KeyOfOtherStation(String),
    /// A new station under the code of a listed one, not confirmed as it re-installed.
    #[error("station code {code} is already station {listed}'s; this bundle is from {new}")]
    CodeTaken {
        code: String,
        listed: String,
        new: String,
    },
    #[error("the import stopped on an internal error: {0}")]
    Internal(String),
    #[error("the county database: {0}")]
    County(String),
    /// The county's own encrypted file could not be opened or made (see [`CountyKeyProblem`]).
    #[error("the county file {path}: {problem:?}")]
    CountyKey {
        problem: county::CountyKeyProblem,
        path: String,
    },
    #[error("the target county database already holds stations")]
    TargetNotEmpty,
    #[error("this bundle does not follow the station's previous bundle (seq {0})")]
    Fork(u64),
    /// A record that is not what its kind describes (a field missing, of another type, or
    /// longer than the forms allow): the bundle is refused whole.
    #[error("{kind} {id}: {field}: {reason}")]
    InvalidRecord {
        kind: crate::domain::RecordKind,
        id: String,
        field: String,
        reason: String,
    },
    /// The disk filled up during an export: where, what is free there, what an export needs.
    #[error("the disk of {folder} is full ({free:?} bytes free, about {needed} needed)")]
    DiskFull {
        folder: String,
        free: Option<u64>,
        needed: u64,
    },
    /// The export was stopped (Ctrl-C, or "stop" at the desk) before it recorded anything.
    #[error("the export was stopped before it recorded anything")]
    Stopped,
    /// A bundle of a seq already imported whose content is not the one imported.
    #[error("bundle {seq} of {station} differs from the one imported on {imported_at}")]
    DiffersFromImported {
        station: String,
        seq: u64,
        imported_at: String,
    },
    #[error("the file exists already: {0}")]
    Exists(String),
    #[error("bundle {seq} ({file_name}) is recorded and archived but was not written: {reason}")]
    NotDelivered {
        seq: u64,
        file_name: String,
        reason: Box<BundleError>,
    },
    #[error("nothing changed since the last bundle")]
    NothingChanged,
    #[error("the archive holds no such bundle as recorded: {0}")]
    NotInArchive(String),
    #[error("a plaintext bundle is for reading only and is never imported")]
    PlaintextImport,
    #[error("spreadsheet: {0}")]
    Sheet(String),
}

/// Makes the county office's X25519 identity: returns the file's text (the format
/// `age-keygen` writes, usable as `age -d -i FILE`) and the `age1…` recipient.
pub fn county_keygen() -> (String, String) {
    use age::secrecy::ExposeSecret;
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let text = format!(
        "# created: {}\n# public key: {recipient}\n{}\n",
        chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        identity.to_string().expose_secret()
    );
    (text, recipient)
}

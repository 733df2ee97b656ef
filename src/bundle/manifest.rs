//! `manifest.json`: what a bundle holds, signed with the station's key.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The format this version writes: version 2 adds the records' change history
/// (`data/history.jsonl`, counted in `history`); version 3 leaves the tables
/// (`tables/<kind>.csv`) out of an encrypted bundle, whose data files carry the same and whose
/// county writes its own, and lists at most [`crate::bundle::SEALED_REPORT_ROWS`] rows of a
/// kind in its workbook. A plaintext bundle, for people to read, keeps its tables.
pub const FORMAT: &str = "stationdesk-bundle/3";
/// The formats this version reads: its own, version 2 (tables in every bundle) and version 1
/// (no history) of earlier versions.
pub const FORMATS_READ: [&str; 3] = ["stationdesk-bundle/1", "stationdesk-bundle/2", FORMAT];
/// The part that carries the history of the bundle's records.
pub const HISTORY_PART: &str = "data/history.jsonl";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleManifest {
    pub format: String,
    pub station_id: Uuid,
    pub station_code: String,
    pub station_name: String,
    /// The station's public key, minisign format.
    pub public_key: String,
    pub seq: u64,
    /// Records with `rev` in `rev_from < rev <= rev_to`.
    pub rev_from: i64,
    pub rev_to: i64,
    /// SHA-256 of the previous bundle's manifest.json, empty for the first.
    pub previous_manifest_sha256: String,
    pub created_at: String,
    pub app_version: String,
    /// Whether the bundle is a masked plaintext one.
    pub plaintext: bool,
    pub files: Vec<FileEntry>,
    /// Records per kind.
    pub counts: Vec<(String, u64)>,
    /// The station's yearly quotas of the 4+X (`consult-quota`, `report-quota`), so that the
    /// county counts each station against its own. Absent in bundles of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quotas: Option<StationQuotas>,
    /// The station file's key, encrypted with age to the county's recipient (the escrow slot
    /// of its keys file), so that the county can recover the station (`county recover
    /// --bundle`). Only in encrypted bundles; absent in bundles of earlier versions, and
    /// ignored by the county programs of earlier versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_escrow: Option<KeyEscrow>,
    /// Lines of [`HISTORY_PART`]: the changes (who, when, which fields) behind the bundle's
    /// records. Absent in version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<u64>,
    /// The township or street (乡镇、街道) the station serves, when it set one: the county
    /// lists its stations by it. Absent in bundles of earlier versions (and ignored by the
    /// county programs of earlier versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town: Option<String>,
}

/// The escrow slot of a station's keys file, as a bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEscrow {
    /// The key's id (the keys file's `file`).
    pub file: String,
    /// The county recipient it is encrypted to.
    pub recipient: String,
    /// The key, age-encrypted to the county's recipient, ASCII-armoured.
    pub age: String,
}

/// A station's yearly quotas: consultations to hold and public-opinion reports to submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationQuotas {
    pub consultations: u32,
    pub reports: u32,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

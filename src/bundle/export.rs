//! Writing the next bundle: everything changed since the last one (or everything), signed,
//! encrypted to the county office, written under a temporary name, synced, renamed, read back
//! and checked before the station notes it as written.

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;
use zip::write::SimpleFileOptions;

use super::deliver::{self, io, no_faults, DeliveryStep, Faults};
use super::manifest::{sha256_hex, BundleManifest, FileEntry, FORMAT};
use super::{tables, BundleError};
use crate::domain::RecordKind;
use crate::store::{each_kind, BundleRecord, KindVisitor, RecordTable, Store};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Every record, not only what changed since the last bundle.
    pub all: bool,
    /// A masked, unencrypted `.sdb1.zip` (no county recipient needed). It is for reading on a
    /// machine without the county key: the county refuses to import it, and it takes no
    /// number in the station's sequence.
    pub plaintext: bool,
    /// Write a bundle even when nothing changed since the last one.
    pub allow_empty: bool,
}

#[derive(Debug, Clone)]
pub struct ExportOutcome {
    pub path: PathBuf,
    pub manifest: BundleManifest,
}

/// Builds each kind's part of a bundle: its data file, its table and its sheet.
struct KindFiles<'a> {
    store: &'a Store,
    lookup: &'a super::names::StationLookup<'a>,
    from: i64,
    to: i64,
    plaintext: bool,
    files: Vec<(String, Vec<u8>)>,
    counts: Vec<(String, u64)>,
    sheets: Vec<tables::Sheet>,
}

impl KindVisitor for KindFiles<'_> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let kind = T::KIND.as_str();
        let records = self.store.changed_between::<T>(self.from, self.to)?;
        let mut jsonl = Vec::new();
        let mut sheet = tables::Sheet::of::<T>(self.lookup, &[]);
        for record in &records {
            let mut value =
                serde_json::to_value(record).map_err(|e| BundleError::Damaged(e.to_string()))?;
            if self.plaintext {
                super::mask::mask_json::<T>(&mut value);
            }
            serde_json::to_writer(&mut jsonl, &value)
                .map_err(|e| BundleError::Damaged(e.to_string()))?;
            jsonl.push(b'\n');
            sheet.push(Vec::new(), record, self.lookup, self.plaintext);
        }
        self.files.push((format!("data/{kind}.jsonl"), jsonl));
        self.files
            .push((format!("tables/{kind}.csv"), tables::csv(&sheet)?));
        self.counts.push((kind.to_string(), records.len() as u64));
        self.sheets.push(sheet);
        Ok(())
    }
}

/// What the next bundle would carry, per kind, without writing anything.
pub fn pending(store: &Store, all: bool) -> Result<Vec<(RecordKind, u64)>, BundleError> {
    let from = if all {
        0
    } else {
        store.last_bundle()?.map(|b| b.rev_to).unwrap_or(0)
    };
    let to = store.last_rev()?;
    struct Count<'a> {
        store: &'a Store,
        from: i64,
        to: i64,
        counts: Vec<(RecordKind, u64)>,
    }
    impl KindVisitor for Count<'_> {
        type Error = crate::store::StoreError;
        fn visit<T: RecordTable>(&mut self) -> Result<(), Self::Error> {
            let n = self.store.count_changed::<T>(self.from, self.to)?;
            self.counts.push((T::KIND, n));
            Ok(())
        }
    }
    let mut count = Count {
        store,
        from,
        to,
        counts: Vec::new(),
    };
    each_kind(&mut count)?;
    Ok(count.counts)
}

fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, BundleError> {
    let zip_error = |e: zip::result::ZipError| BundleError::Damaged(e.to_string());
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), options)
            .map_err(zip_error)?;
        writer
            .write_all(bytes)
            .map_err(|e| BundleError::Io(name.clone(), e))?;
    }
    Ok(writer.finish().map_err(zip_error)?.into_inner())
}

/// Signs `manifest_bytes` with the station's key, zips them with their signature and the
/// `files`, and encrypts the zip to `recipient` (none: a plaintext zip). The export calls it
/// with what it built; tests and the fuzz target call it with what they crafted.
pub fn seal(
    store: &Store,
    manifest_bytes: &[u8],
    mut files: Vec<(String, Vec<u8>)>,
    recipient: Option<&str>,
) -> Result<Vec<u8>, BundleError> {
    let station = store
        .station()?
        .ok_or(crate::store::StoreError::NotInitialised)?;
    let secret = store.signing_key()?;
    let seq = serde_json::from_slice::<Value>(manifest_bytes)
        .ok()
        .and_then(|m| m["seq"].as_u64())
        .unwrap_or(0);
    let signature = minisign::sign(
        None,
        &secret,
        Cursor::new(manifest_bytes),
        Some(&format!("stationdesk bundle {} seq {seq}", station.code)),
        None,
    )
    .map_err(|e| crate::store::StoreError::Key(e.to_string()))?;
    files.insert(
        0,
        (
            "manifest.json.minisig".to_string(),
            signature.into_string().into_bytes(),
        ),
    );
    files.insert(0, ("manifest.json".to_string(), manifest_bytes.to_vec()));
    let zipped = zip_files(&files)?;
    let Some(text) = recipient else {
        return Ok(zipped);
    };
    let recipient: age::x25519::Recipient = text.parse().map_err(|_| BundleError::BadRecipient)?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| BundleError::Damaged(e.to_string()))?;
    let mut out = Vec::with_capacity(zipped.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut out)
        .map_err(|e| BundleError::Io("age".into(), e))?;
    writer
        .write_all(&zipped)
        .map_err(|e| BundleError::Io("age".into(), e))?;
    writer
        .finish()
        .map_err(|e| BundleError::Io("age".into(), e))?;
    Ok(out)
}

/// Builds the bundle's bytes and its manifest.
fn build(
    store: &Store,
    options: ExportOptions,
    seq: u64,
    from: i64,
    to: i64,
    previous: &str,
) -> Result<(Vec<u8>, BundleManifest, Vec<u8>), BundleError> {
    let station = store
        .station()?
        .ok_or(crate::store::StoreError::NotInitialised)?;
    let lookup = super::names::StationLookup::new(store)?;
    let mut parts = KindFiles {
        store,
        lookup: &lookup,
        from,
        to,
        plaintext: options.plaintext,
        files: Vec::new(),
        counts: Vec::new(),
        sheets: Vec::new(),
    };
    each_kind(&mut parts)?;
    let KindFiles {
        mut files,
        counts,
        sheets,
        ..
    } = parts;
    files.push(("report.xlsx".to_string(), tables::workbook(&sheets)?));
    let manifest = BundleManifest {
        format: FORMAT.to_string(),
        station_id: station.id,
        station_code: station.code.clone(),
        station_name: station.name.clone(),
        public_key: station.public_key.clone(),
        seq,
        rev_from: from,
        rev_to: to,
        previous_manifest_sha256: previous.to_string(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        app_version: env!("CARGO_PKG_VERSION").to_string(),
        plaintext: options.plaintext,
        files: files
            .iter()
            .map(|(path, bytes)| FileEntry {
                path: path.clone(),
                sha256: sha256_hex(bytes),
                size: bytes.len() as u64,
            })
            .collect(),
        counts,
    };
    let manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| BundleError::Damaged(e.to_string()))?;
    let recipient = if options.plaintext {
        None
    } else {
        Some(store.county_recipient()?.ok_or(BundleError::NoRecipient)?)
    };
    let bytes = seal(store, &manifest_bytes, files, recipient.as_deref())?;
    Ok((bytes, manifest, manifest_bytes))
}

/// Writes the next bundle into `dir` and notes it; returns its path and manifest.
pub fn export(
    store: &mut Store,
    dir: &Path,
    options: ExportOptions,
) -> Result<ExportOutcome, BundleError> {
    export_with_progress(store, dir, options, &mut |_| {})
}

/// The folder beside the database where earlier versions kept every database's bundles.
fn shared_archive_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .map(|p| p.join("bundles"))
        .unwrap_or_else(|| PathBuf::from("bundles"))
}

/// Where the station keeps a copy of every bundle it wrote, to write one again later:
/// `bundles/<name>/` beside the database, named after it, so that two databases in one folder
/// never mix their archives (the copies are as encrypted as the originals).
pub fn archive_dir(store: &Store) -> PathBuf {
    shared_archive_dir(store).join(crate::store::database_name(store.path()))
}

/// Writes a past bundle (from the station's archive) into `dir` again, verified. The archive
/// copy must be the very file the log recorded, byte for byte.
pub fn write_again(store: &Store, file_name: &str, dir: &Path) -> Result<PathBuf, BundleError> {
    write_again_with_faults(store, file_name, dir, &mut no_faults)
}

/// [`write_again`], failing the steps `faults` says (for tests).
pub fn write_again_with_faults(
    store: &Store,
    file_name: &str,
    dir: &Path,
    faults: Faults<'_>,
) -> Result<PathBuf, BundleError> {
    let noted = store
        .bundle_named(file_name)?
        .ok_or_else(|| BundleError::NotInArchive(file_name.to_string()))?;
    // Bundles of earlier versions lie in the shared folder; the hash below tells whether a
    // copy there is this database's.
    let own = archive_dir(store).join(&noted.file_name);
    let source = if own.exists() {
        own
    } else {
        shared_archive_dir(store).join(&noted.file_name)
    };
    let bytes = fs::read(&source).map_err(|e| io(&source, e))?;
    if !noted.file_sha256.is_empty() && sha256_hex(&bytes) != noted.file_sha256 {
        return Err(BundleError::NotInArchive(file_name.to_string()));
    }
    deliver::write_to_stick(dir, &noted.file_name, &bytes, faults)
}

/// [`export`], telling `progress` how far it is (0.0 to 1.0).
pub fn export_with_progress(
    store: &mut Store,
    dir: &Path,
    options: ExportOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<ExportOutcome, BundleError> {
    export_with_faults(store, dir, options, progress, &mut no_faults)
}

/// What the next export of `options` would carry in all, to ask before an empty one.
pub fn pending_total(store: &Store, options: ExportOptions) -> Result<u64, BundleError> {
    Ok(pending(store, options.all)?.iter().map(|(_, n)| n).sum())
}

/// [`export_with_progress`], failing the steps `faults` says (for tests). The order: build
/// and sign; check the stick; write and check the archive copy; commit the note; write the
/// stick. A failure before the note leaves nothing anywhere; a failure after it is
/// [`BundleError::NotDelivered`]: the bundle is the station's, and "write again" delivers it.
pub fn export_with_faults(
    store: &mut Store,
    dir: &Path,
    options: ExportOptions,
    progress: &mut dyn FnMut(f64),
    faults: Faults<'_>,
) -> Result<ExportOutcome, BundleError> {
    if !options.plaintext && store.county_recipient()?.is_none() {
        return Err(BundleError::NoRecipient);
    }
    if !options.allow_empty && pending_total(store, options)? == 0 {
        return Err(BundleError::NothingChanged);
    }
    let last = store.last_bundle()?;
    // A plaintext bundle is for reading, not for the county's chain: it takes no seq.
    let seq = match (&last, options.plaintext) {
        (_, true) => 0,
        (Some(b), false) => b.seq + 1,
        (None, false) => 1,
    };
    let from = if options.all {
        0
    } else {
        last.as_ref().map(|b| b.rev_to).unwrap_or(0)
    };
    let to = store.last_rev()?;
    let previous = match (&last, options.plaintext) {
        (Some(b), false) => b.manifest_sha256.clone(),
        _ => String::new(),
    };
    progress(0.05);
    let (bytes, manifest, manifest_bytes) = build(store, options, seq, from, to, &previous)?;
    progress(0.6);
    let now = chrono::Local::now();
    let name = if options.plaintext {
        format!(
            "{}-{}-masked.sdb1.zip",
            manifest.station_code,
            now.format("%Y%m%d-%H%M%S")
        )
    } else {
        format!(
            "{}-{}-{seq:04}.sdb1",
            manifest.station_code,
            now.format("%Y%m%d")
        )
    };
    deliver::check_stick(dir, &name)?;
    if options.plaintext {
        let path = deliver::write_to_stick(dir, &name, &bytes, faults)?;
        progress(1.0);
        return Ok(ExportOutcome { path, manifest });
    }
    // The station's own copy first, so that whatever is recorded can be written again.
    let archive = archive_dir(store);
    let archived = deliver::write_archive(&archive, &name, &bytes, faults)?;
    progress(0.75);
    let noted = BundleRecord {
        seq,
        file_name: name.clone(),
        created_at: manifest.created_at.clone(),
        rev_from: from,
        rev_to: to,
        manifest_sha256: sha256_hex(&manifest_bytes),
        plaintext: false,
        counts: manifest.counts.clone(),
        file_sha256: sha256_hex(&bytes),
    };
    let recorded = faults(DeliveryStep::LogCommit)
        .map_err(|e| io(store.path(), e))
        .and_then(|()| store.record_bundle(&noted).map_err(BundleError::from));
    if let Err(e) = recorded {
        // Not recorded: the copy is nobody's bundle, and the next export takes the same seq.
        let _ = fs::remove_file(&archived);
        return Err(e);
    }
    progress(0.85);
    let path = deliver::write_to_stick(dir, &name, &bytes, faults).map_err(|e| {
        BundleError::NotDelivered {
            seq,
            file_name: name.clone(),
            reason: Box::new(e),
        }
    })?;
    progress(1.0);
    Ok(ExportOutcome { path, manifest })
}

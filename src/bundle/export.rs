//! Writing the next bundle: everything changed since the last one (or everything), signed,
//! encrypted to the county office, written under a temporary name, synced, renamed, read back
//! and checked before the station notes it as written.

use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::deliver::{self, io, no_faults, DeliveryStep, Faults};
use super::manifest::{sha256_hex, BundleManifest, FORMAT};
use super::writer::{BundleZip, Packing, Sink, ZipPipe};
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

/// Writes each kind's parts straight into the bundle's zip: its data file, then its table,
/// while its sheet of the report fills a constant-memory workbook.
struct KindParts<'a, W: Write + Send + 'static> {
    store: &'a Store,
    lookup: &'a super::names::StationLookup<'a>,
    from: i64,
    to: i64,
    plaintext: bool,
    zip: &'a mut ZipPipe<W>,
    report: &'a mut ReportThread,
    counts: Vec<(String, u64)>,
    /// What each kind carries, counted once before the parts are written.
    pending: &'a [(RecordKind, u64)],
    /// Records written so far and in all, for the progress.
    done: u64,
    total: u64,
    progress: &'a mut dyn FnMut(f64),
}

/// What the export tells the thread that fills the report's sheets.
enum SheetMsg {
    Begin(tables::StreamSheet),
    Row(Vec<String>),
    End,
}

/// The report's workbook, filled row by row on a thread of its own (a spreadsheet's XML is
/// a third of the work of an export), in constant memory.
struct ReportThread {
    sender: Option<std::sync::mpsc::SyncSender<SheetMsg>>,
    worker: Option<std::thread::JoinHandle<Result<rust_xlsxwriter::Workbook, BundleError>>>,
}

impl ReportThread {
    fn spawn() -> ReportThread {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<SheetMsg>(1024);
        let worker = std::thread::spawn(move || {
            let mut book = rust_xlsxwriter::Workbook::new();
            let mut sheet = None;
            for msg in receiver {
                match msg {
                    SheetMsg::Begin(next) => sheet = Some(next),
                    SheetMsg::Row(row) => {
                        if let Some(sheet) = sheet.as_mut() {
                            sheet.push_row(&mut book, row)?;
                        }
                    }
                    SheetMsg::End => {
                        if let Some(done) = sheet.take() {
                            done.finish(&mut book)?;
                        }
                    }
                }
            }
            Ok(book)
        });
        ReportThread {
            sender: Some(sender),
            worker: Some(worker),
        }
    }

    fn send(&mut self, msg: SheetMsg) -> Result<(), BundleError> {
        let sent = self.sender.as_ref().is_some_and(|s| s.send(msg).is_ok());
        if sent {
            Ok(())
        } else {
            self.finish().map(drop).and(Err(BundleError::Sheet(
                "the report's sheets stopped".into(),
            )))
        }
    }

    /// The filled workbook (or why it could not be filled).
    fn finish(&mut self) -> Result<rust_xlsxwriter::Workbook, BundleError> {
        self.sender = None;
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(result)) => result,
            _ => Err(BundleError::Sheet("the report's sheets stopped".into())),
        }
    }
}

fn damaged(e: impl std::fmt::Display) -> BundleError {
    BundleError::Damaged(e.to_string())
}

impl<W: Write + Send + 'static> KindVisitor for KindParts<'_, W> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let kind = T::KIND.as_str();
        let (store, lookup, plaintext) = (self.store, self.lookup, self.plaintext);
        // A kind whose parts could pass 4 GiB (40 KiB a record would) is written with ZIP64
        // sizes; the parts of every usual bundle keep the plain layout.
        let carried = self
            .pending
            .iter()
            .find(|(kind, _)| *kind == T::KIND)
            .map_or(0, |(_, n)| *n);
        let large = carried > 100_000;
        let data = format!("data/{kind}.jsonl");
        self.zip.start(&data, Packing::Text, large)?;
        let zip = &mut *self.zip;
        let (done, total, progress) = (&mut self.done, self.total, &mut *self.progress);
        let n = store.each_changed::<T, BundleError>(self.from, self.to, &mut |record| {
            if plaintext {
                let mut value = serde_json::to_value(&record).map_err(damaged)?;
                super::mask::mask_json::<T>(&mut value);
                serde_json::to_writer(&mut *zip, &value).map_err(damaged)?;
            } else {
                serde_json::to_writer(&mut *zip, &record).map_err(damaged)?;
            }
            zip.write_all(b"\n")
                .map_err(|e| BundleError::Io(data.clone(), e))?;
            *done += 1;
            if *done % 4096 == 0 {
                // Each record is read twice (data, then table): half the way is the data.
                progress(0.05 + 0.8 * (*done as f64 / (2 * total.max(1)) as f64));
            }
            Ok(())
        })?;
        let table = format!("tables/{kind}.csv");
        self.zip.start(&table, Packing::Text, large)?;
        let zip = &mut *self.zip;
        zip.write_all(&tables::CSV_BOM)
            .map_err(|e| BundleError::Io(table.clone(), e))?;
        self.report
            .send(SheetMsg::Begin(tables::StreamSheet::of::<T>(lookup, &[])))?;
        let report = &mut *self.report;
        let mut csv = csv::Writer::from_writer(zip);
        csv.write_record(tables::Sheet::of::<T>(lookup, &[]).headers)
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        store.each_changed::<T, BundleError>(self.from, self.to, &mut |record| {
            let row = tables::row_of(Vec::new(), &record, lookup, plaintext, T::KIND);
            csv.write_record(row.iter().map(|cell| tables::defuse(cell)))
                .map_err(|e| BundleError::Sheet(e.to_string()))?;
            report.send(SheetMsg::Row(row))?;
            *done += 1;
            if *done % 4096 == 0 {
                progress(0.05 + 0.8 * (*done as f64 / (2 * total.max(1)) as f64));
            }
            Ok(())
        })?;
        csv.flush().map_err(|e| BundleError::Io(table.clone(), e))?;
        drop(csv);
        self.report.send(SheetMsg::End)?;
        self.counts.push((kind.to_string(), n));
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
    changed_between(store, from, to)
}

/// Records per kind with `from < rev <= to`, in bundle order.
fn changed_between(
    store: &Store,
    from: i64,
    to: i64,
) -> Result<Vec<(RecordKind, u64)>, BundleError> {
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

/// The station's minisign signature of `manifest_bytes`.
fn sign_manifest(store: &Store, manifest_bytes: &[u8]) -> Result<Vec<u8>, BundleError> {
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
    Ok(signature.into_string().into_bytes())
}

/// Signs `manifest_bytes` with the station's key, zips them with their signature and the
/// `files`, and encrypts the zip to `recipient` (none: a plaintext zip). Tests and the fuzz
/// target call it with what they crafted; the export writes its parts as a stream instead.
pub fn seal(
    store: &Store,
    manifest_bytes: &[u8],
    files: Vec<(String, Vec<u8>)>,
    recipient: Option<&str>,
) -> Result<Vec<u8>, BundleError> {
    let signature = sign_manifest(store, manifest_bytes)?;
    let mut zip = BundleZip::new(Sink::new(Vec::new(), recipient)?);
    zip.add("manifest.json", manifest_bytes, Packing::Text)?;
    zip.add("manifest.json.minisig", &signature, Packing::Text)?;
    for (name, bytes) in &files {
        zip.add(name, bytes, Packing::Text)?;
    }
    Ok(zip.finish()?.0)
}

/// A bundle as built: its manifest (and its bytes), and the file's SHA-256.
struct Built {
    manifest: BundleManifest,
    manifest_bytes: Vec<u8>,
    file_sha256: String,
}

/// Builds the bundle into the new file `target`, part by part, and syncs it: the records in
/// rev order kind by kind, each kind's table, the report, then the manifest with every part's
/// hash and its signature. Memory stays the same whatever the number of records.
#[allow(clippy::too_many_arguments)]
fn build_into(
    store: &Store,
    options: ExportOptions,
    seq: u64,
    from: i64,
    to: i64,
    previous: &str,
    pending: &[(RecordKind, u64)],
    target: &Path,
    progress: &mut dyn FnMut(f64),
) -> Result<Built, BundleError> {
    let station = store
        .station()?
        .ok_or(crate::store::StoreError::NotInitialised)?;
    let recipient = if options.plaintext {
        None
    } else {
        Some(store.county_recipient()?.ok_or(BundleError::NoRecipient)?)
    };
    let total = pending.iter().map(|(_, n)| n).sum();
    let lookup = super::names::StationLookup::new(store)?;
    let quota = store.quota(chrono::Local::now().naive_local())?;
    let quotas = super::manifest::StationQuotas {
        consultations: quota.consultations_quota as u32,
        reports: quota.reports_quota as u32,
    };
    let file = super::writer::bundle_file(target)?;
    let mut zip = ZipPipe::spawn(Sink::new(file, recipient.as_deref())?);
    let written = (|| {
        let mut report = ReportThread::spawn();
        let mut parts = KindParts {
            store,
            lookup: &lookup,
            from,
            to,
            plaintext: options.plaintext,
            zip: &mut zip,
            report: &mut report,
            counts: Vec::new(),
            pending,
            done: 0,
            total,
            progress: &mut *progress,
        };
        each_kind(&mut parts)?;
        let counts = parts.counts;
        // The report goes straight into the zip, stored as it is: an .xlsx is compressed
        // already (at a fast level: it is read once, at the county).
        zip.start("report.xlsx", Packing::Stored, false)?;
        let mut book = report.finish()?;
        book.set_zip_compression_level(1);
        book.save_to_writer(&mut zip)
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        progress(0.9);
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
            files: zip.parts()?,
            counts,
            quotas: Some(quotas),
        };
        let manifest_bytes = serde_json::to_vec_pretty(&manifest).map_err(damaged)?;
        let signature = sign_manifest(store, &manifest_bytes)?;
        zip.add("manifest.json", &manifest_bytes, Packing::Text)?;
        zip.add("manifest.json.minisig", &signature, Packing::Text)?;
        Ok((manifest, manifest_bytes))
    })();
    let (manifest, manifest_bytes) = match written {
        Ok(written) => written,
        Err(e) => return Err(zip.fail(e)),
    };
    let (buffered, file_sha256, _) = zip.finish()?.finish();
    let file = buffered
        .into_inner()
        .map_err(|e| super::deliver::io(target, e.into_error()))?;
    file.sync_all().map_err(|e| super::deliver::io(target, e))?;
    Ok(Built {
        manifest,
        manifest_bytes,
        file_sha256,
    })
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
    let (sha, _) = super::writer::hash_file(&source).map_err(|e| io(&source, e))?;
    if !noted.file_sha256.is_empty() && sha != noted.file_sha256 {
        return Err(BundleError::NotInArchive(file_name.to_string()));
    }
    deliver::copy_to_stick(dir, &noted.file_name, &source, &sha, faults)
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
    // What the bundle carries, counted once: to refuse an empty one, for the progress and to
    // tell which parts may need ZIP64 sizes.
    let pending = changed_between(store, from, to)?;
    if !options.allow_empty && pending.iter().all(|(_, n)| *n == 0) {
        return Err(BundleError::NothingChanged);
    }
    let previous = match (&last, options.plaintext) {
        (Some(b), false) => b.manifest_sha256.clone(),
        _ => String::new(),
    };
    progress(0.05);
    let now = chrono::Local::now();
    let code = store
        .station()?
        .ok_or(crate::store::StoreError::NotInitialised)?
        .code;
    let name = if options.plaintext {
        format!("{code}-{}-masked.sdb1.zip", now.format("%Y%m%d-%H%M%S"))
    } else {
        format!("{code}-{}-{seq:04}.sdb1", now.format("%Y%m%d"))
    };
    deliver::check_stick(dir, &name)?;
    // The bundle is built into the station's archive folder (the archive copy of an
    // encrypted bundle, a working copy of a plaintext one), then copied to the stick.
    let archive = archive_dir(store);
    let temp = deliver::prepare_archive(&archive, &name)?;
    if !options.plaintext {
        if let Err(e) = faults(DeliveryStep::ArchiveWrite) {
            return Err(io(&temp, e));
        }
    }
    let built = match build_into(
        store, options, seq, from, to, &previous, &pending, &temp, progress,
    ) {
        Ok(built) => built,
        Err(e) => {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
    };
    let Built {
        manifest,
        manifest_bytes,
        file_sha256,
    } = built;
    progress(0.92);
    if options.plaintext {
        let written = deliver::copy_to_stick(dir, &name, &temp, &file_sha256, faults);
        let _ = fs::remove_file(&temp);
        let path = written?;
        progress(1.0);
        return Ok(ExportOutcome { path, manifest });
    }
    // The station's own copy first, so that whatever is recorded can be written again.
    let archived = deliver::settle_archive(&archive, &name, &temp, &file_sha256)?;
    progress(0.94);
    let noted = BundleRecord {
        seq,
        file_name: name.clone(),
        created_at: manifest.created_at.clone(),
        rev_from: from,
        rev_to: to,
        manifest_sha256: sha256_hex(&manifest_bytes),
        plaintext: false,
        counts: manifest.counts.clone(),
        file_sha256: file_sha256.clone(),
    };
    let recorded = faults(DeliveryStep::LogCommit)
        .map_err(|e| io(store.path(), e))
        .and_then(|()| store.record_bundle(&noted).map_err(BundleError::from));
    if let Err(e) = recorded {
        // Not recorded: the copy is nobody's bundle, and the next export takes the same seq.
        let _ = fs::remove_file(&archived);
        return Err(e);
    }
    progress(0.96);
    let path =
        deliver::copy_to_stick(dir, &name, &archived, &file_sha256, faults).map_err(|e| {
            BundleError::NotDelivered {
                seq,
                file_name: name.clone(),
                reason: Box::new(e),
            }
        })?;
    progress(1.0);
    Ok(ExportOutcome { path, manifest })
}

//! Writing the next bundle: everything changed since the last one (or everything), signed,
//! encrypted to the county office, written under a temporary name, synced, renamed, read back
//! and checked before the station notes it as written.

use std::fs;
use std::io::{Cursor, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::deliver::{self, io, no_faults, DeliveryStep, Faults};
use super::manifest::{sha256_hex, BundleManifest, FORMAT};
use super::writer::{BundleZip, Packing, Sink, ZipPipe};
use super::{tables, BundleError};
use crate::domain::RecordKind;
use crate::store::{each_kind, BundleRecord, KindVisitor, RecordTable, Store};

mod report;

pub use report::{report_rows, REPORT_ROWS, SEALED_REPORT_ROWS};
use report::{ReportNote, ReportThread, SheetMsg, ROW_BATCH};

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

/// Reads each kind's records once: its data file goes straight into the bundle's zip, while
/// its rows go to the thread that writes its table and its sheet of the report.
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
    /// The most rows of a kind the workbook lists.
    report_rows: u64,
}

fn damaged(e: impl std::fmt::Display) -> BundleError {
    BundleError::Damaged(e.to_string())
}

/// Records as the lines of their data file (masked in a plaintext bundle), for the zipping
/// thread to render: the thread that reads the records has their rows to make.
fn json_lines<T: RecordTable>(records: Vec<T>, plaintext: bool) -> super::writer::Render {
    Box::new(move |out: &mut dyn Write| {
        let mut line = Vec::with_capacity(4096);
        for record in records {
            line.clear();
            if plaintext {
                let mut value = serde_json::to_value(&record).map_err(damaged)?;
                super::mask::mask_json::<T>(&mut value);
                serde_json::to_writer(&mut line, &value).map_err(damaged)?;
            } else {
                serde_json::to_writer(&mut line, &record).map_err(damaged)?;
            }
            line.push(b'\n');
            out.write_all(&line)
                .map_err(|e| BundleError::Io(format!("data/{}.jsonl", T::KIND.as_str()), e))?;
        }
        Ok(())
    })
}

/// A part whose size could pass 4 GiB is written with ZIP64 sizes; the parts of every usual
/// bundle keep the plain layout.
fn needs_zip64(bytes: u64) -> bool {
    bytes > 3 << 30
}

/// Copies the temporary `file` into the zip as the part `path`.
fn copy_part<W: Write + Send + 'static>(
    zip: &mut ZipPipe<W>,
    path: &str,
    mut file: fs::File,
    packing: Packing,
) -> Result<(), BundleError> {
    let io_error = |e| BundleError::Io(path.to_string(), e);
    let size = file.seek(SeekFrom::End(0)).map_err(io_error)?;
    file.rewind().map_err(io_error)?;
    zip.start(path, packing, needs_zip64(size))?;
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
    std::io::copy(&mut reader, zip).map_err(io_error)?;
    Ok(())
}

impl<W: Write + Send + 'static> KindVisitor for KindParts<'_, W> {
    type Error = BundleError;
    fn visit<T: RecordTable>(&mut self) -> Result<(), BundleError> {
        let kind = T::KIND.as_str();
        let (store, lookup, plaintext) = (self.store, self.lookup, self.plaintext);
        // A kind whose data could pass 4 GiB (4 KiB a record would) is written with ZIP64
        // sizes.
        let carried = self
            .pending
            .iter()
            .find(|(kind, _)| *kind == T::KIND)
            .map_or(0, |(_, n)| *n);
        let large = needs_zip64(carried * 4096);
        let data = format!("data/{kind}.jsonl");
        self.zip.start(&data, Packing::Data, large)?;
        // The sheet lists the records changed last; with no table to write, the rows it
        // leaves out are not even made.
        let left_out = carried.saturating_sub(self.report_rows);
        let table = plaintext.then(|| format!("tables/{kind}.csv"));
        let mut unmade = if table.is_some() { 0 } else { left_out };
        self.report.send(SheetMsg::Begin(
            tables::StreamSheet::of::<T>(lookup, &[]),
            table,
            tables::Sheet::of::<T>(lookup, &[]).headers,
            left_out - unmade,
            large,
        ))?;
        let zip = &mut *self.zip;
        let report = &mut *self.report;
        let mut rows = Vec::with_capacity(ROW_BATCH);
        let mut records = Vec::with_capacity(ROW_BATCH);
        let (done, total, progress) = (&mut self.done, self.total, &mut *self.progress);
        let stop = store.stop_flag();
        let n = store.each_changed::<T, BundleError>(self.from, self.to, &mut |record| {
            stopping(&stop)?;
            if unmade > 0 {
                unmade -= 1;
            } else {
                rows.push(tables::row_of(
                    Vec::new(),
                    &record,
                    lookup,
                    plaintext,
                    T::KIND,
                ));
            }
            records.push(record);
            if rows.len() == ROW_BATCH {
                report.send(SheetMsg::Rows(std::mem::replace(
                    &mut rows,
                    Vec::with_capacity(ROW_BATCH),
                )))?;
            }
            if records.len() == ROW_BATCH {
                zip.render(json_lines(
                    std::mem::replace(&mut records, Vec::with_capacity(ROW_BATCH)),
                    plaintext,
                ))?;
            }
            *done += 1;
            if *done % 4096 == 0 {
                progress(0.05 + 0.75 * (*done as f64 / total.max(1) as f64));
            }
            Ok(())
        })?;
        if !records.is_empty() {
            self.zip.render(json_lines(records, plaintext))?;
        }
        if !rows.is_empty() {
            self.report.send(SheetMsg::Rows(rows))?;
        }
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

/// Where the export's temporary files go: beside the bundle being built.
fn temporary_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
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
    report_rows: u64,
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
    let quota = store.quota(crate::clock::local_now())?;
    let town = store.town()?;
    let quotas = super::manifest::StationQuotas {
        consultations: quota.consultations_quota as u32,
        reports: quota.reports_quota as u32,
    };
    let file = super::writer::bundle_file(target)?;
    let mut zip = ZipPipe::spawn(Sink::new(file, recipient.as_deref())?);
    let written = (|| {
        let note = ReportNote::of(pending, report_rows, options.plaintext, &lookup);
        let mut report = ReportThread::spawn(temporary_dir(target), note);
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
            report_rows,
        };
        each_kind(&mut parts)?;
        let counts = parts.counts;
        // Who entered or changed each record, and when: the changes behind the range.
        zip.start(super::manifest::HISTORY_PART, Packing::Data, false)?;
        let mut lines: Vec<u8> = Vec::with_capacity(64 * 1024);
        let history = store.each_history::<BundleError>(from, to, &mut |line| {
            serde_json::to_writer(&mut lines, &line).map_err(damaged)?;
            lines.push(b'\n');
            if lines.len() >= 60 * 1024 {
                let chunk = std::mem::replace(&mut lines, Vec::with_capacity(64 * 1024));
                zip.render(Box::new(move |out: &mut dyn Write| {
                    out.write_all(&chunk)
                        .map_err(|e| BundleError::Io(super::manifest::HISTORY_PART.into(), e))
                }))?;
            }
            Ok(())
        })?;
        if !lines.is_empty() {
            zip.render(Box::new(move |out: &mut dyn Write| {
                out.write_all(&lines)
                    .map_err(|e| BundleError::Io(super::manifest::HISTORY_PART.into(), e))
            }))?;
        }
        // The tables, deflated already, go in while the report's workbook is being
        // compressed; then the report, stored as it is (an .xlsx is a zip itself).
        for table in report.tables()? {
            zip.add_packed(table)?;
        }
        progress(0.85);
        copy_part(&mut zip, "report.xlsx", report.finish()?, Packing::Stored)?;
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
            key_escrow: store.slots().escrow().filter(|_| !options.plaintext).map(
                |(recipient, age)| super::manifest::KeyEscrow {
                    file: store.slots().file.clone(),
                    recipient: recipient.to_string(),
                    age: age.to_string(),
                },
            ),
            history: Some(history),
            town: Some(town.clone()).filter(|t| !t.is_empty()),
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

/// Stops the export that runs on `store` (Ctrl-C at the command line, "stop" at the desk): it
/// stops at its next record, or before it records its bundle, leaving nothing behind. Each
/// store has its own flag ([`Store::stop_flag`]), so stopping one export stops no other.
fn stopping(flag: &std::sync::atomic::AtomicBool) -> Result<(), BundleError> {
    if flag.load(std::sync::atomic::Ordering::SeqCst) {
        Err(BundleError::Stopped)
    } else {
        Ok(())
    }
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
    let outcome = export_steps(store, dir, options, progress, faults);
    // A stop asked for is spent once the export ends, however it ended (a stop that came in
    // before it began still stops it).
    store
        .stop_flag()
        .store(false, std::sync::atomic::Ordering::SeqCst);
    outcome.map_err(|e| with_space(e, store))
}

/// A full disk said with the space there is and the space an export needs (about the
/// database's own size: the archive copy and the temporary parts are smaller together).
fn with_space(error: BundleError, store: &Store) -> BundleError {
    let BundleError::Io(what, e) = &error else {
        return error;
    };
    if e.kind() != std::io::ErrorKind::StorageFull {
        return error;
    }
    let folder = if Path::new(what).exists() {
        PathBuf::from(what)
    } else {
        archive_dir(store)
    };
    BundleError::DiskFull {
        free: free_space(&folder),
        needed: fs::metadata(store.path()).map(|m| m.len()).unwrap_or(0),
        folder: folder.display().to_string(),
    }
}

/// The bytes free for this user on the disk of `path`, where the system says.
fn free_space(path: &Path) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let probe = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(path)
        };
        rustix::fs::statvfs(probe)
            .ok()
            .map(|s| s.f_bavail.saturating_mul(s.f_frsize))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

fn export_steps(
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
        store,
        options,
        seq,
        from,
        to,
        &previous,
        &pending,
        &temp,
        report_rows(options.plaintext),
        progress,
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
    if let Err(stopped) = stopping(&store.stop_flag()) {
        let _ = fs::remove_file(&temp);
        return Err(stopped);
    }
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
    // The last moment to stop: once recorded, the bundle is the station's and is delivered.
    let recorded = stopping(&store.stop_flag())
        .and_then(|()| faults(DeliveryStep::LogCommit).map_err(|e| io(store.path(), e)))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use std::io::Read;

    use calamine::Reader;

    use super::*;
    use rand::SeedableRng;

    use crate::domain::StationSetup;

    fn rows(book: &mut calamine::Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
        book.worksheet_range(sheet)
            .unwrap()
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn a_kind_past_the_workbook_limit_lists_its_last_records_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_with(
            &dir.path().join("station.db"),
            &crate::store::Unlock::Passphrase(crate::store::Passphrase::new(
                "unit test passphrase",
            )),
            crate::store::KdfCost::QUICK,
            &mut |_| {},
        )
        .unwrap();
        store
            .init_station(&StationSetup {
                name: "青溪镇政协委员工作站".into(),
                code: "QX01".into(),
                county: "清河县".into(),
                county_recipient: String::new(),
            })
            .unwrap();
        store.set_actor("李秀兰");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for n in 1..=12 {
            let mut member = crate::demo::demo_member(&mut rng);
            member.name = format!("委员{n:02}");
            store.add_member(&member).unwrap();
        }
        let pending = changed_between(&store, 0, store.last_rev().unwrap()).unwrap();
        let target = dir.path().join("masked.zip");
        let options = ExportOptions {
            plaintext: true,
            ..ExportOptions::default()
        };
        let to = store.last_rev().unwrap();
        build_into(
            &store,
            options,
            0,
            0,
            to,
            "",
            &pending,
            &target,
            5,
            &mut |_| {},
        )
        .unwrap();

        let mut zip = zip::ZipArchive::new(fs::File::open(&target).unwrap()).unwrap();
        let mut part = |name: &str| {
            let mut bytes = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            bytes
        };
        let csv = String::from_utf8(part("tables/member.csv")).unwrap();
        assert_eq!(csv.lines().count(), 13, "the table keeps every record");
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(part("report.xlsx"))).unwrap();
        assert_eq!(book.sheet_names()[..2], ["说明", "委员"]);
        let note = rows(&mut book, "说明");
        assert!(note[0][0].contains("最多列出 5 条"), "{:?}", note[0]);
        assert_eq!(
            note[2],
            ["记录类别", "本包记录数", "工作簿列出", "全部记录见"]
        );
        assert_eq!(
            note[3],
            ["委员", "12", "5", "tables/member.csv、data/member.jsonl"]
        );
        let members = rows(&mut book, "委员");
        let names: Vec<&str> = members[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(names, ["委员08", "委员09", "委员10", "委员11", "委员12"]);
        // A bundle within the limit has no note.
        let lookup = super::super::names::StationLookup::new(&store).unwrap();
        assert!(ReportNote::of(&pending, 12, true, &lookup).is_none());
        // A bundle for the county has no tables: its note names the data file alone.
        let (_, sealed) = ReportNote::of(&pending, 5, false, &lookup).unwrap();
        assert!(sealed.intro.contains("县政协导入后"), "{}", sealed.intro);
        assert_eq!(sealed.kinds[0].3, "data/member.jsonl");
    }
}
